// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// pfd: the pfstudio server.
//   pfd --data-dir DIR [--listen HOST:PORT] [--config pfd.yaml]
//   pfd admin <command> ... --data-dir DIR
// With --listen HOST:0 the chosen port is the first line on stdout.

#include <csignal>
#include <cstdio>
#include <iostream>
#include <thread>

#include <malloc.h>
#include <pthread.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

#include "server/admin.h"
#include "server/config.h"
#include "server/serverapp.h"

namespace {

int fail(const QString &message)
{
    QTextStream(stderr) << "pfd: " << message << "\n";
    return 1;
}

// "127.0.0.1:8000", "[::1]:0", ":8000" (all addresses), "8000".
bool parseListen(const QString &text, QString *address, quint16 *port)
{
    const qsizetype colon = text.lastIndexOf(u':');
    QString host = colon < 0 ? QString() : text.left(colon);
    const QString portText = colon < 0 ? text : text.mid(colon + 1);
    bool ok = false;
    const uint p = portText.toUInt(&ok);
    if (!ok || p > 65535)
        return false;
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    *address = host.isEmpty() ? QStringLiteral("0.0.0.0") : host;
    *port = quint16(p);
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    // Request bodies of a megabyte (agent reports, JSON uploads) and their
    // parse trees come and go many times a second. With glibc's defaults
    // each is a fresh mmap(2) or a freshly trimmed heap, whose pages fault
    // in again: that made parsing a report four times slower than parsing
    // it from warm memory. Keep freed memory for reuse instead, up to a
    // bound per arena.
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);

    // Block the stop signals in every thread; one thread waits for them.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGTERM);
    sigaddset(&stopSignals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("pfd"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PF_VERSION));

    QStringList args = app.arguments();
    const bool admin = args.size() > 1 && args.at(1) == u"admin";
    QStringList adminArgs;
    if (admin) {
        // Split: pfd-level options (--data-dir, --config) vs the admin command's.
        QStringList rest = args.mid(2);
        args = QStringList{args.first()};
        for (qsizetype i = 0; i < rest.size(); ++i) {
            const QString &a = rest.at(i);
            if ((a == u"--data-dir" || a == u"--config") && i + 1 < rest.size()) {
                args << a << rest.at(++i);
            } else if (a.startsWith(u"--data-dir=") || a.startsWith(u"--config=")) {
                args << a;
            } else {
                adminArgs << a;
            }
        }
    }

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("The pfstudio server (PeriFlow REST API)."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({QStringLiteral("data-dir"),
                      QStringLiteral("Folder for the database, keys and objects."),
                      QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("listen"),
                      QStringLiteral("Address and port, e.g. 127.0.0.1:8000; port 0 picks one and "
                                     "prints it as the first line on stdout."),
                      QStringLiteral("HOST:PORT"), QStringLiteral("127.0.0.1:8000")});
    parser.addOption({QStringLiteral("config"), QStringLiteral("The configuration file (YAML)."),
                      QStringLiteral("FILE")});
    if (!parser.parse(args))
        return fail(parser.errorText());
    if (parser.isSet(QStringLiteral("help")))
        parser.showHelp(0);
    if (parser.isSet(QStringLiteral("version")))
        parser.showVersion();
    if (!parser.positionalArguments().isEmpty())
        return fail(QStringLiteral("unexpected argument '%1' (see --help)")
                        .arg(parser.positionalArguments().first()));
    const QString dataDir = parser.value(QStringLiteral("data-dir"));
    if (dataDir.isEmpty())
        return fail(QStringLiteral("--data-dir is required"));

    pf::server::ServerConfig config = pf::server::ServerConfig::defaults();
    if (parser.isSet(QStringLiteral("config"))) {
        QString error;
        const auto loaded =
            pf::server::ServerConfig::load(parser.value(QStringLiteral("config")), &error);
        if (!loaded)
            return fail(error);
        config = *loaded;
    }
    if (admin)
        return pf::server::runAdmin(dataDir, config, adminArgs);

    pf::server::ServerApp::Options options;
    options.dataDir = dataDir;
    options.config = config;
    if (!parseListen(parser.value(QStringLiteral("listen")), &options.address, &options.port))
        return fail(QStringLiteral("--listen takes HOST:PORT, got '%1'")
                        .arg(parser.value(QStringLiteral("listen"))));

    try {
        pf::server::ServerApp server(options);
        const quint16 port = server.listen();
        std::printf("%u\n", unsigned(port));
        std::fflush(stdout);
        QTextStream(stderr) << "pfd: listening on " << options.address << ":" << port << "\n";

        std::thread signals([&server, stopSignals] {
            int sig = 0;
            sigwait(&stopSignals, &sig);
            server.stop();
        });
        signals.detach(); // blocked in sigwait until the process ends or a signal comes
        server.run();
        QTextStream(stderr) << "pfd: stopped\n";
    } catch (const std::exception &e) {
        return fail(QString::fromUtf8(e.what()));
    }
    return 0;
}
