// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

#include <dirent.h>
#include <malloc.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QCoreApplication>
#include <QProcessEnvironment>
#include <QSocketNotifier>
#include <QTimer>

#include "agent/agent.h"
#include "agent/agentoptions.h"

namespace {
int g_signalFd = -1;

// The agent keeps nothing it did not open itself: a descriptor inherited
// from whoever started it (pfd's listening socket, say) would otherwise
// live as long as the job and, after a pfd restart, swallow connections to
// the old port.
void closeInheritedDescriptors()
{
    if (::close_range(3, ~0U, 0) == 0)
        return;
    if (DIR *dir = ::opendir("/proc/self/fd")) {
        std::vector<int> fds;
        while (const dirent *entry = ::readdir(dir)) {
            const int fd = std::atoi(entry->d_name);
            if (fd > 2 && fd != ::dirfd(dir))
                fds.push_back(fd);
        }
        ::closedir(dir);
        for (int fd : fds)
            ::close(fd);
    }
}

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const ssize_t n = ::write(g_signalFd, &byte, 1);
}
} // namespace

int main(int argc, char **argv)
{
    closeInheritedDescriptors();
    // Report bodies of a megabyte are built and dropped many times a second;
    // keep their memory for reuse rather than mapping and faulting it in
    // again each time (see pfd's main).
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("pf-agent"));
    qSetMessagePattern(QStringLiteral(
        "%{time yyyy-MM-ddThh:mm:ss.zzz} %{if-warning}W %{endif}%{if-critical}E %{endif}"
        "%{category}: %{message}"));
    // Writes to SDK pipes nobody reads must fail, not kill the agent.
    std::signal(SIGPIPE, SIG_IGN);

    QString error;
    bool help = false;
    auto options = pf::agent::AgentOptions::parse(
        QCoreApplication::arguments(), QProcessEnvironment::systemEnvironment(), &error, &help);
    if (!options) {
        std::fprintf(help ? stdout : stderr, "%s\n", qPrintable(error));
        return help ? 0 : 2;
    }
    // The token must not leak into anything the agent starts.
    qunsetenv("PF_AGENT_TOKEN");

    pf::agent::Agent agent(std::move(*options));
    QObject::connect(&agent, &pf::agent::Agent::done, &app, &QCoreApplication::exit);

    // SIGTERM / SIGINT: stop the job as a terminate would, then report.
    int pair[2];
    std::unique_ptr<QSocketNotifier> notifier;
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, pair) == 0) {
        g_signalFd = pair[1];
        notifier = std::make_unique<QSocketNotifier>(pair[0], QSocketNotifier::Read);
        QObject::connect(notifier.get(), &QSocketNotifier::activated, &agent,
                         [&agent, fd = pair[0]] {
                             char buffer[16];
                             while (::read(fd, buffer, sizeof buffer) > 0) {
                             }
                             agent.terminateLocally();
                         });
        struct sigaction action = {};
        action.sa_handler = onSignal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        ::sigaction(SIGTERM, &action, nullptr);
        ::sigaction(SIGINT, &action, nullptr);
    }

    QTimer::singleShot(0, &agent, &pf::agent::Agent::start);
    return app.exec();
}
