// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "childprocess.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QLoggingCategory>

namespace pf::agent {

Q_LOGGING_CATEGORY(lcChild, "pf.agent.child")

namespace {

constexpr qsizetype kChunk = 256 * 1024;
constexpr int kLingerMs = 2000;

QString errnoText(int error)
{
    return QString::fromLocal8Bit(strerror(error));
}

// Moves `fd` to a number >= 10 (close-on-exec), so that the dup2 calls
// onto 0-4 in the child never overwrite a descriptor still to be copied.
int lift(int fd)
{
    if (fd < 0)
        return fd;
    const int lifted = fcntl(fd, F_DUPFD_CLOEXEC, 10);
    ::close(fd);
    return lifted;
}

// Closes the descriptors it owns at the end of start(), whatever happens.
struct FdGuard
{
    std::vector<int> fds;
    ~FdGuard()
    {
        for (int fd : fds)
            if (fd >= 0)
                ::close(fd);
    }
};

} // namespace

ChildProcess::ChildProcess(QObject *parent)
    : QObject(parent)
    , m_chunk(kChunk, Qt::Uninitialized)
{
    m_pollTimer.setInterval(50);
    connect(&m_pollTimer, &QTimer::timeout, this, &ChildProcess::checkExit);
    m_lingerTimer.setSingleShot(true);
    connect(&m_lingerTimer, &QTimer::timeout, this, [this] {
        if (m_paused) {
            m_lingerTimer.start(kLingerMs);
            return;
        }
        drain();
        qCInfo(lcChild) << "the job's outputs are still open after its exit; closing them";
        closeReader(m_out[0]);
        closeReader(m_out[1]);
        maybeFinish();
    });
}

ChildProcess::~ChildProcess()
{
    if (m_pid > 0 && !m_reaped) {
        signalJob(SIGKILL);
        int status = 0;
        while (::waitpid(pid_t(m_pid), &status, 0) < 0 && errno == EINTR) {
        }
    }
    closeReader(m_out[0]);
    closeReader(m_out[1]);
    closeReader(m_marker);
    m_pidNotifier.reset();
    if (m_pidfd >= 0)
        ::close(m_pidfd);
}

bool ChildProcess::start(const LaunchPlan &plan, QString *error)
{
    auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    if (m_pid > 0)
        return fail(QStringLiteral("already started"));

    int outPipe[2], errPipe[2], markPipe[2];
    if (::pipe2(outPipe, O_CLOEXEC) != 0)
        return fail(QStringLiteral("pipe: ") + errnoText(errno));
    if (::pipe2(errPipe, O_CLOEXEC) != 0) {
        ::close(outPipe[0]);
        ::close(outPipe[1]);
        return fail(QStringLiteral("pipe: ") + errnoText(errno));
    }
    // Markers go both ways (the job waits for each acknowledgement): a
    // socket pair, the agent's end first.
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, markPipe) != 0) {
        for (int fd : {outPipe[0], outPipe[1], errPipe[0], errPipe[1]})
            ::close(fd);
        return fail(QStringLiteral("pipe: ") + errnoText(errno));
    }
    // Bigger pipes mean fewer wake-ups for chatty jobs; not essential.
    ::fcntl(outPipe[1], F_SETPIPE_SZ, 1024 * 1024);
    ::fcntl(errPipe[1], F_SETPIPE_SZ, 1024 * 1024);

    FdGuard childEnds;
    childEnds.fds = {lift(outPipe[1]), lift(errPipe[1]), lift(markPipe[1]),
                     lift(::open("/dev/null", O_RDONLY | O_CLOEXEC)), -1};
    const int readEnds[3] = {outPipe[0], errPipe[0], markPipe[0]};
    for (int fd : readEnds)
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    auto closeReadEnds = [&readEnds] {
        for (int fd : readEnds)
            ::close(fd);
    };
    for (size_t i = 0; i < 4; ++i) {
        if (childEnds.fds[i] < 0) {
            closeReadEnds();
            return fail(QStringLiteral("cannot set up the job's descriptors: ") + errnoText(errno));
        }
    }

    m_sandboxed = !plan.sandboxOptions.isEmpty();
    if (m_sandboxed) {
        const int memfd = ::memfd_create("pf-agent-bwrap-args", MFD_CLOEXEC);
        QByteArray data;
        for (const QString &option : plan.sandboxOptions) {
            data += option.toUtf8();
            data += '\0';
        }
        bool ok = memfd >= 0;
        qsizetype written = 0;
        while (ok && written < data.size()) {
            const ssize_t n =
                ::write(memfd, data.constData() + written, size_t(data.size() - written));
            if (n < 0 && errno == EINTR)
                continue;
            ok = n > 0;
            written += n > 0 ? n : 0;
        }
        ok = ok && ::lseek(memfd, 0, SEEK_SET) == 0;
        childEnds.fds.back() = lift(memfd);
        if (!ok || childEnds.fds.back() < 0) {
            closeReadEnds();
            return fail(QStringLiteral("cannot pass the sandbox options: ") + errnoText(errno));
        }
    }

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, childEnds.fds[3], 0);
    posix_spawn_file_actions_adddup2(&actions, childEnds.fds[0], 1);
    posix_spawn_file_actions_adddup2(&actions, childEnds.fds[1], 2);
    posix_spawn_file_actions_adddup2(&actions, childEnds.fds[2], SandboxBuilder::kMarkerFd);
    if (m_sandboxed)
        posix_spawn_file_actions_adddup2(&actions, childEnds.fds[4], SandboxBuilder::kArgsFd);
    const QByteArray workDir = QFile::encodeName(plan.workingDirectory);
    if (!plan.workingDirectory.isEmpty())
        posix_spawn_file_actions_addchdir_np(&actions, workDir.constData());
    posix_spawn_file_actions_addclosefrom_np(&actions, m_sandboxed ? SandboxBuilder::kArgsFd + 1
                                                                   : SandboxBuilder::kMarkerFd + 1);

    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    // The agent ignores SIGPIPE; the job must not inherit that.
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(&attr,
                             POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    std::vector<QByteArray> argStore;
    argStore.push_back(QFile::encodeName(plan.program));
    for (const QString &a : plan.arguments)
        argStore.push_back(a.toUtf8());
    std::vector<char *> argv;
    for (QByteArray &a : argStore)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<QByteArray> envStore;
    for (const QString &e : plan.environment)
        envStore.push_back(e.toUtf8());
    std::vector<char *> envp;
    for (QByteArray &e : envStore)
        envp.push_back(e.data());
    envp.push_back(nullptr);

    pid_t pid = 0;
    const int rc = ::posix_spawn(&pid, argStore.front().constData(), &actions, &attr, argv.data(),
                                 envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) {
        closeReadEnds();
        return fail(QStringLiteral("cannot run %1: %2").arg(plan.program, errnoText(rc)));
    }
    m_pid = pid;
    qCInfo(lcChild) << "started" << plan.program << "as pid" << m_pid;

    for (int i = 0; i < 2; ++i) {
        m_out[i].fd = readEnds[i];
        m_out[i].notifier = std::make_unique<QSocketNotifier>(readEnds[i], QSocketNotifier::Read);
        connect(m_out[i].notifier.get(), &QSocketNotifier::activated, this,
                [this, i] { readOutput(i); });
    }
    m_marker.fd = readEnds[2];
    m_marker.notifier = std::make_unique<QSocketNotifier>(readEnds[2], QSocketNotifier::Read);
    connect(m_marker.notifier.get(), &QSocketNotifier::activated, this, &ChildProcess::pollMarkers);

#ifdef SYS_pidfd_open
    m_pidfd = int(::syscall(SYS_pidfd_open, pid, 0));
#endif
    if (m_pidfd >= 0) {
        ::fcntl(m_pidfd, F_SETFD, FD_CLOEXEC);
        m_pidNotifier = std::make_unique<QSocketNotifier>(m_pidfd, QSocketNotifier::Read);
        connect(m_pidNotifier.get(), &QSocketNotifier::activated, this, &ChildProcess::checkExit);
    } else {
        m_pollTimer.start();
    }
    return true;
}

void ChildProcess::setPaused(bool paused)
{
    m_paused = paused;
    for (Reader &r : m_out)
        if (r.notifier)
            r.notifier->setEnabled(!paused);
}

void ChildProcess::drain()
{
    for (int i = 0; i < 2; ++i)
        if (m_out[i].fd >= 0)
            readOutput(i);
}

void ChildProcess::readOutput(int index)
{
    Reader &r = m_out[index];
    // Enough rounds to move a full pipe, few enough to let the other stream,
    // the markers and the network have their turn.
    for (int round = 0; round < 8 && r.fd >= 0 && !m_paused; ++round) {
        const ssize_t n = ::read(r.fd, m_chunk.data(), size_t(kChunk));
        if (n > 0) {
            if (m_handler)
                m_handler(index == 0 ? Stream::Stdout : Stream::Stderr,
                          QByteArrayView(m_chunk.constData(), n),
                          QDateTime::currentMSecsSinceEpoch());
            if (n < kChunk)
                return; // the pipe is empty now
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        // End of file (or an error, treated alike).
        closeReader(r);
        maybeFinish();
        return;
    }
}

void ChildProcess::pollMarkers()
{
    if (m_marker.fd < 0)
        return;
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::read(m_marker.fd, buffer, sizeof buffer);
        if (n > 0) {
            m_markerBuffer.append(buffer, n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
            closeReader(m_marker);
        break;
    }
    qsizetype pos = 0;
    for (qsizetype nl; (nl = m_markerBuffer.indexOf('\n', pos)) >= 0; pos = nl + 1)
        Q_EMIT marker(m_markerBuffer.mid(pos, nl - pos));
    m_markerBuffer.remove(0, pos);
}

void ChildProcess::acknowledgeMarker()
{
    if (m_marker.fd < 0)
        return;
    // The job may be gone; no SIGPIPE, no blocking.
    const ssize_t n = ::send(m_marker.fd, "\n", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n != 1)
        qCInfo(lcChild) << "marker acknowledgement not sent:" << errnoText(errno);
}

void ChildProcess::closeReader(Reader &r)
{
    r.notifier.reset();
    if (r.fd >= 0)
        ::close(r.fd);
    r.fd = -1;
}

void ChildProcess::checkExit()
{
    if (m_reaped || m_pid <= 0)
        return;
    int status = 0;
    pid_t rc;
    do {
        rc = ::waitpid(pid_t(m_pid), &status, WNOHANG);
    } while (rc < 0 && errno == EINTR);
    if (rc == 0)
        return;
    m_reaped = true;
    m_pollTimer.stop();
    m_pidNotifier.reset();
    if (rc < 0) {
        qCWarning(lcChild) << "waitpid:" << errnoText(errno);
        m_exitCode = 255;
    } else if (WIFSIGNALED(status)) {
        m_signal = WTERMSIG(status);
        m_exitCode = 128 + m_signal;
    } else {
        m_exitCode = WEXITSTATUS(status);
    }
    qCInfo(lcChild) << "pid" << m_pid << "exited with" << m_exitCode;
    if (m_out[0].fd >= 0 || m_out[1].fd >= 0)
        m_lingerTimer.start(kLingerMs);
    maybeFinish();
}

void ChildProcess::maybeFinish()
{
    if (m_finished || !m_reaped || m_out[0].fd >= 0 || m_out[1].fd >= 0)
        return;
    m_finished = true;
    m_lingerTimer.stop();
    if (m_marker.fd >= 0)
        pollMarkers();
    closeReader(m_marker);
    Q_EMIT finished(m_exitCode, m_signal);
}

qint64 ChildProcess::sandboxInitPid() const
{
    if (!m_sandboxed || m_pid <= 0 || m_reaped)
        return 0;
    // The kernel here may lack /proc/<pid>/task/<pid>/children, so look for
    // the process whose parent is bwrap.
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
    for (const QString &name : entries) {
        bool isPid = false;
        const qint64 pid = name.toLongLong(&isPid);
        if (!isPid)
            continue;
        QFile stat(QStringLiteral("/proc/") + name + QStringLiteral("/stat"));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray text = stat.read(1024);
        // "pid (comm) state ppid ..." where comm may hold anything.
        const qsizetype close = text.lastIndexOf(')');
        if (close < 0)
            continue;
        const QList<QByteArray> fields = text.mid(close + 2).split(' ');
        if (fields.size() > 1 && fields[1].toLongLong() == m_pid)
            return pid;
    }
    return 0;
}

bool ChildProcess::signalJob(int signal)
{
    if (m_pid <= 0 || m_reaped)
        return false;
    bool sent = false;
    if (m_sandboxed) {
        if (const qint64 init = sandboxInitPid(); init > 0)
            sent = ::kill(-pid_t(init), signal) == 0;
        if (signal == SIGKILL || !sent)
            sent = ::kill(pid_t(m_pid), signal) == 0 || sent;
    } else {
        sent = ::kill(-pid_t(m_pid), signal) == 0;
    }
    qCInfo(lcChild) << "signal" << signal << (sent ? "sent" : "not sent") << "to the job";
    return sent;
}

} // namespace pf::agent
