// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <memory>

#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QUrl>

#include "api/user.h"

class QSettings;

namespace pf::network {
class ApiSession;
class ConnectionMonitor;
class PfApi;
class TokenStore;
} // namespace pf::network

namespace pf::ui {
class MainWindow;
class WelcomeDialog;
} // namespace pf::ui

namespace pf::app {

class EmbeddedServer;
class LocalAccount;

// Gets the studio signed in and keeps it connected:
// - where to: the command line (--local, --server URL), else the choice
//   remembered in QSettings, else the welcome dialog asks;
// - "This computer": starts (or reuses) the local pfd and signs in with the
//   local account; restarts the pfd when it dies;
// - "A server": signs in with the refresh token kept in the keychain, else
//   asks for the password; keeps the rotated refresh token in the keychain;
// - watches the connection, tells the window (indicator, banner) and leaves
//   what is on screen in place while the server is away.
//
// Lives on the GUI thread; window, store and settings must outlive it.
class StudioController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StudioController)

public:
    enum class Mode { Remembered, Local, Server };
    struct Options
    {
        Mode mode = Mode::Remembered;
        QUrl serverUrl;       // Mode::Server
        QString localDataDir; // empty: EmbeddedServer::defaultDataDir()
    };

    StudioController(ui::MainWindow *window, network::TokenStore *store, QSettings *settings,
                     QObject *parent = nullptr);
    ~StudioController() override;

    void start(const Options &options);

    // The signed-in API, or null.
    network::PfApi *api() const { return m_api.get(); }
    EmbeddedServer *localServer() const { return m_server.get(); }
    // The welcome dialog while it is open (a test seam).
    ui::WelcomeDialog *welcomeDialog() const;
    // The keychain key of a server account's refresh token.
    static QString refreshKey(const QUrl &server, const QString &username);

Q_SIGNALS:
    void signedIn(const pf::api::UserInfo &me);

private:
    void showWelcome(const QString &message = {});
    void startLocal();
    void startServer(const QUrl &url);
    void makeSession(const QUrl &url);
    void signInToServer(const QUrl &url, const QString &username, const QString &password);
    void signUpOnServer(const QUrl &url, const QString &username, const QString &name,
                        const QString &email, const QString &password);
    void trust(const QSslCertificate &certificate);
    void onSignedIn(const api::UserInfo &me, const QString &where);
    void onSignedOut(const QString &reason);
    void resetConnection();

    ui::MainWindow *m_window;
    network::TokenStore *m_store;
    QSettings *m_settings;
    QString m_localDataDir;
    bool m_local = false;
    QUrl m_serverUrl;
    QString m_username;
    QString m_where;
    QString m_pendingPassword; // while the user decides on a certificate

    std::unique_ptr<EmbeddedServer> m_server;
    std::unique_ptr<network::ApiSession> m_session;
    std::unique_ptr<network::PfApi> m_api;
    std::unique_ptr<network::ConnectionMonitor> m_monitor;
    std::unique_ptr<LocalAccount> m_account;
    QPointer<ui::WelcomeDialog> m_welcome;
};

} // namespace pf::app
