// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// periflow-studio [--local | --server URL] [--data-dir DIR]

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QTimer>

#include "app/embeddedserver.h"
#include "ui/mainwindow.h"

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("periflow-studio"));
    QApplication::setOrganizationName(QStringLiteral("pfstudio"));
    QApplication::setApplicationDisplayName(QStringLiteral("PeriFlow Studio"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("A desktop studio for training jobs."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("local"),
                      QStringLiteral("Use the local server on this computer (the default).")});
    parser.addOption({QStringLiteral("server"), QStringLiteral("Connect to the pfd at URL."),
                      QStringLiteral("URL")});
    parser.addOption({QStringLiteral("data-dir"),
                      QStringLiteral("Data folder of the local server."), QStringLiteral("DIR"),
                      pf::app::EmbeddedServer::defaultDataDir()});
    parser.addOption({QStringLiteral("screenshot"),
                      QStringLiteral("Save the window to FILE (PNG) once connected, then quit."),
                      QStringLiteral("FILE")});
    parser.process(app);

    pf::ui::MainWindow window;
    window.show();

    std::unique_ptr<pf::app::EmbeddedServer> server;
    if (parser.isSet(QStringLiteral("server"))) {
        const QUrl url = QUrl::fromUserInput(parser.value(QStringLiteral("server")));
        if (url.isValid())
            window.setConnection(pf::ui::MainWindow::Connection::Connected, url.toString());
        else
            window.setConnection(pf::ui::MainWindow::Connection::Failed,
                                 QApplication::translate("main", "Not a server address: %1")
                                     .arg(parser.value(QStringLiteral("server"))));
    } else {
        server =
            std::make_unique<pf::app::EmbeddedServer>(parser.value(QStringLiteral("data-dir")));
        window.setConnection(pf::ui::MainWindow::Connection::Connecting,
                             QApplication::translate("main", "Starting the local server…"));
        QObject::connect(
            server.get(), &pf::app::EmbeddedServer::ready, &window, [&window](const QUrl &url) {
                window.setConnection(
                    pf::ui::MainWindow::Connection::Connected,
                    QApplication::translate("main", "Local server · %1").arg(url.authority()));
            });
        QObject::connect(server.get(), &pf::app::EmbeddedServer::failed, &window,
                         [&window](const QString &why) {
                             window.setConnection(pf::ui::MainWindow::Connection::Failed, why);
                         });
        server->start();
    }
    if (parser.isSet(QStringLiteral("screenshot"))) {
        // For documentation and visual checks: wait until the connection has
        // settled (or 20 s), then save what the user would see.
        const QString file = parser.value(QStringLiteral("screenshot"));
        auto *poll = new QTimer(&window);
        auto *deadline = new QElapsedTimer;
        deadline->start();
        QObject::connect(poll, &QTimer::timeout, &window, [&window, file, poll, deadline] {
            if (window.connection() == pf::ui::MainWindow::Connection::Connecting &&
                deadline->elapsed() < 20000)
                return;
            poll->stop();
            delete deadline;
            window.grab().save(file);
            QApplication::quit();
        });
        poll->start(100);
    }
    const int status = QApplication::exec();
    server.reset(); // stops the local server before the window goes
    return status;
}
