// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// periflow-studio [--local | --server URL] [--data-dir DIR] [--theme light|dark]
//                 [--screenshot FILE]

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QSettings>
#include <QTimer>

#include "app/embeddedserver.h"
#include "app/studiocontroller.h"
#include "network/tokenstore.h"
#include "ui/mainwindow.h"
#include "ui/theme.h"

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
    parser.addOption({QStringLiteral("theme"),
                      QStringLiteral("light or dark instead of the system's palette."),
                      QStringLiteral("THEME")});
    parser.addOption({QStringLiteral("screenshot"),
                      QStringLiteral("Save the window to FILE (PNG) once connected, then quit."),
                      QStringLiteral("FILE")});
    parser.process(app);

    const QString theme = parser.value(QStringLiteral("theme"));
    if (theme == u"dark")
        pf::ui::applyTheme(pf::ui::Theme::Dark);
    else if (theme == u"light")
        pf::ui::applyTheme(pf::ui::Theme::Light);
    else if (!theme.isEmpty())
        parser.showHelp(2);

    pf::app::StudioController::Options options;
    options.localDataDir = parser.value(QStringLiteral("data-dir"));
    if (parser.isSet(QStringLiteral("server"))) {
        const QUrl url = QUrl::fromUserInput(parser.value(QStringLiteral("server")));
        if (!url.isValid() || url.host().isEmpty()) {
            std::fprintf(stderr, "periflow-studio: not a server address: %s\n",
                         qPrintable(parser.value(QStringLiteral("server"))));
            return 2;
        }
        options.mode = pf::app::StudioController::Mode::Server;
        options.serverUrl = url;
    } else if (parser.isSet(QStringLiteral("local")) || parser.isSet(QStringLiteral("data-dir"))) {
        options.mode = pf::app::StudioController::Mode::Local;
    }

    QSettings settings;
    pf::network::KeychainTokenStore tokens(QStringLiteral("pfstudio"));
    pf::ui::MainWindow window;
    pf::app::StudioController controller(&window, &tokens, &settings);
    window.show();
    controller.start(options);

    if (parser.isSet(QStringLiteral("screenshot"))) {
        // For documentation and visual checks: wait until signed in and the
        // panes have had a moment to load (or 30 s), then save the window.
        const QString file = parser.value(QStringLiteral("screenshot"));
        auto *deadline = new QElapsedTimer;
        deadline->start();
        auto *poll = new QTimer(&window);
        QObject::connect(poll, &QTimer::timeout, &window, [&window, file, poll, deadline] {
            const bool settled = window.workspace().valid() ||
                                 window.connection() == pf::ui::MainWindow::Connection::Failed;
            if (!settled && deadline->elapsed() < 30000)
                return;
            poll->stop();
            delete deadline;
            QTimer::singleShot(1500, &window, [&window, file] {
                window.grab().save(file);
                QApplication::quit();
            });
        });
        poll->start(100);
    }
    return QApplication::exec();
}
