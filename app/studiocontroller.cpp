// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "studiocontroller.h"

#include <QLoggingCategory>
#include <QSettings>
#include <QTimer>

#include "app/embeddedserver.h"
#include "app/localaccount.h"
#include "network/apisession.h"
#include "network/connectionmonitor.h"
#include "network/pfapi.h"
#include "network/tokenstore.h"
#include "ui/mainwindow.h"
#include "ui/welcomedialog.h"

Q_LOGGING_CATEGORY(lcStudio, "pf.app.studio")

using Connection = pf::ui::MainWindow::Connection;

namespace pf::app {

namespace {

const QString kMode = QStringLiteral("connection/mode");
const QString kUrl = QStringLiteral("connection/url");
const QString kUsername = QStringLiteral("connection/username");

// Certificates the user chose to trust, by server URL (public data, so the
// settings file is the place).
QString trustKey(const QUrl &url)
{
    return QStringLiteral("trust/") + QString::fromLatin1(url.toString().toUtf8().toHex());
}

} // namespace

StudioController::StudioController(ui::MainWindow *window, network::TokenStore *store,
                                   QSettings *settings, QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_store(store)
    , m_settings(settings)
{
    connect(m_window, &ui::MainWindow::connectRequested, this, [this] { showWelcome(); });
}

StudioController::~StudioController()
{
    // The monitor and account hold the session; the session before the server.
    m_monitor.reset();
    m_account.reset();
    m_api.reset();
    m_session.reset();
    m_server.reset();
}

ui::WelcomeDialog *StudioController::welcomeDialog() const
{
    return m_welcome.data();
}

QString StudioController::refreshKey(const QUrl &server, const QString &username)
{
    return QStringLiteral("refresh|%1|%2").arg(server.toString(), username);
}

void StudioController::start(const Options &options)
{
    m_localDataDir =
        options.localDataDir.isEmpty() ? EmbeddedServer::defaultDataDir() : options.localDataDir;
    switch (options.mode) {
    case Mode::Local:
        startLocal();
        return;
    case Mode::Server:
        startServer(options.serverUrl);
        return;
    case Mode::Remembered:
        break;
    }
    const QString mode = m_settings->value(kMode).toString();
    if (mode == u"local")
        startLocal();
    else if (mode == u"server" && m_settings->value(kUrl).toUrl().isValid())
        startServer(m_settings->value(kUrl).toUrl());
    else
        showWelcome();
}

void StudioController::showWelcome(const QString &message)
{
    if (!m_welcome) {
        m_welcome = new ui::WelcomeDialog(m_window);
        m_welcome->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_welcome, &ui::WelcomeDialog::localChosen, this, [this] {
            m_welcome->accept();
            startLocal();
        });
        connect(m_welcome, &ui::WelcomeDialog::signInRequested, this,
                &StudioController::signInToServer);
        connect(m_welcome, &ui::WelcomeDialog::signUpRequested, this,
                &StudioController::signUpOnServer);
        connect(m_welcome, &ui::WelcomeDialog::trustRequested, this, &StudioController::trust);
    }
    if (!message.isEmpty() || m_serverUrl.isValid())
        m_welcome->showServerPage(m_serverUrl, m_username, message);
    m_window->setConnection(Connection::Connecting, tr("Not connected"));
    m_welcome->open();
}

void StudioController::resetConnection()
{
    m_window->clearSession();
    m_monitor.reset();
    m_account.reset();
    m_api.reset();
    m_session.reset();
}

void StudioController::makeSession(const QUrl &url)
{
    resetConnection();
    m_session = std::make_unique<network::ApiSession>(url);
    const QByteArray trusted = m_settings->value(trustKey(url)).toByteArray();
    if (!trusted.isEmpty())
        m_session->trustCertificate(QSslCertificate(trusted));
    m_api = std::make_unique<network::PfApi>(m_session.get());
    connect(m_session.get(), &network::ApiSession::signedOut, this, &StudioController::onSignedOut);
    connect(
        m_session.get(), &network::ApiSession::tokensChanged, this, [this](const QString &refresh) {
            if (m_local || m_username.isEmpty())
                return;
            m_store->write(refreshKey(m_serverUrl, m_username), refresh, [](const QString &error) {
                if (!error.isEmpty())
                    qCWarning(lcStudio) << "keychain:" << error;
            });
        });
}

void StudioController::startLocal()
{
    m_local = true;
    m_serverUrl.clear();
    m_username.clear();
    m_settings->setValue(kMode, QStringLiteral("local"));
    resetConnection();
    m_window->setConnection(Connection::Connecting, tr("Starting the local server…"));
    m_server = std::make_unique<EmbeddedServer>(m_localDataDir);
    connect(m_server.get(), &EmbeddedServer::ready, this, [this](const QUrl &url) {
        if (m_session && m_api) {
            // A restart after the pfd died: same data, so the tokens hold.
            m_session->setBaseUrl(url);
            if (m_monitor)
                m_monitor->checkNow();
            return;
        }
        makeSession(url);
        m_account = std::make_unique<LocalAccount>(m_localDataDir, m_store, m_api.get());
        connect(m_account.get(), &LocalAccount::ready, this,
                [this](const api::UserInfo &me) { onSignedIn(me, tr("This computer")); });
        connect(m_account.get(), &LocalAccount::failed, this,
                [this](const QString &why) { m_window->setConnection(Connection::Failed, why); });
        m_account->signIn();
    });
    connect(m_server.get(), &EmbeddedServer::failed, this, [this](const QString &why) {
        m_window->setConnection(Connection::Failed, tr("%1 Restarting it in a moment…").arg(why));
        // Once signed in, keep trying: the window keeps what it shows.
        QTimer::singleShot(m_session ? 2000 : 5000, this, [this] {
            if (m_server)
                m_server->start();
        });
    });
    m_server->start();
}

void StudioController::startServer(const QUrl &url)
{
    m_local = false;
    m_server.reset();
    m_serverUrl = url;
    m_username = m_settings->value(kUrl).toUrl() == url ? m_settings->value(kUsername).toString()
                                                        : QString();
    if (m_username.isEmpty()) {
        showWelcome(tr("Sign in to %1.").arg(url.toString()));
        return;
    }
    m_window->setConnection(Connection::Connecting, tr("Connecting to %1…").arg(url.authority()));
    m_store->read(refreshKey(url, m_username), [this, url](std::optional<QString> refresh,
                                                           const QString &error) {
        if (!refresh || refresh->isEmpty()) {
            showWelcome(error.isEmpty() ? tr("Sign in to %1.").arg(url.toString()) : error);
            return;
        }
        makeSession(url);
        m_session->setTokens(QString(), *refresh); // the first call refreshes
        m_api->userInfo([this, url](const network::Reply<api::UserInfo> &me) {
            if (!me.ok()) {
                showWelcome(me.message());
                return;
            }
            onSignedIn(me.value, url.authority());
        });
    });
}

void StudioController::signInToServer(const QUrl &url, const QString &username,
                                      const QString &password)
{
    m_local = false;
    m_server.reset();
    m_serverUrl = url;
    m_username = username;
    m_pendingPassword = password;
    makeSession(url);
    if (m_welcome)
        m_welcome->setBusy(true);
    m_session->signIn(username, password, [this, url, username](const network::ApiResult &r) {
        if (m_welcome)
            m_welcome->setBusy(false);
        if (!r.ok()) {
            if (m_welcome && !r.untrustedCertificate.isNull())
                m_welcome->showUntrusted(r.untrustedCertificate, r.message);
            else if (m_welcome)
                m_welcome->showError(r.message);
            return;
        }
        m_pendingPassword.clear();
        m_settings->setValue(kMode, QStringLiteral("server"));
        m_settings->setValue(kUrl, url);
        m_settings->setValue(kUsername, username);
        m_store->write(refreshKey(url, username), m_session->refreshToken(),
                       [](const QString &error) {
                           if (!error.isEmpty())
                               qCWarning(lcStudio) << "keychain:" << error;
                       });
        m_api->userInfo([this, url](const network::Reply<api::UserInfo> &me) {
            if (!me.ok()) {
                if (m_welcome)
                    m_welcome->showError(me.message());
                return;
            }
            if (m_welcome)
                m_welcome->accept();
            onSignedIn(me.value, url.authority());
        });
    });
}

void StudioController::trust(const QSslCertificate &certificate)
{
    m_settings->setValue(trustKey(m_serverUrl), certificate.toPem());
    signInToServer(m_serverUrl, m_username, m_pendingPassword);
}

void StudioController::signUpOnServer(const QUrl &url, const QString &username, const QString &name,
                                      const QString &email, const QString &password)
{
    // A session of its own: signing up signs nobody in.
    auto session = std::make_shared<network::ApiSession>(url);
    const QByteArray trusted = m_settings->value(trustKey(url)).toByteArray();
    if (!trusted.isEmpty())
        session->trustCertificate(QSslCertificate(trusted));
    auto api = std::make_shared<network::PfApi>(session.get());
    api->signUp(username, name, email, password,
                [this, session, api](const network::Reply<api::User> &r) {
                    if (!m_welcome)
                        return;
                    if (!r.ok()) {
                        m_welcome->showError(r.message());
                        return;
                    }
                    m_welcome->showInfo(
                        tr("Account %1 created. It must be confirmed before you can sign in: "
                           "follow the link in your e-mail, or ask the server's administrator "
                           "(pfd writes the code to its log).")
                            .arg(r.value.username));
                });
}

void StudioController::onSignedIn(const api::UserInfo &me, const QString &where)
{
    m_where = where;
    m_window->setConnection(Connection::Connected,
                            tr("%1 · %2").arg(where, m_session->baseUrl().authority()));
    m_window->setSession(m_api.get(), me, m_settings,
                         m_local ? QStringLiteral("local") : m_serverUrl.toString());
    m_monitor = std::make_unique<network::ConnectionMonitor>(m_session.get());
    connect(m_monitor.get(), &network::ConnectionMonitor::stateChanged, this,
            [this](network::ConnectionMonitor::State state) {
                if (state == network::ConnectionMonitor::State::Lost) {
                    // A local pfd another studio started went away with that
                    // studio: start one of our own on the same data.
                    if (m_local && m_server && m_server->reused())
                        m_server->start();
                    m_window->setConnection(
                        Connection::Failed,
                        tr("Lost the connection to %1. What you see may be out of date; "
                           "reconnecting by itself…")
                            .arg(m_where));
                } else if (state == network::ConnectionMonitor::State::Connected) {
                    m_window->setConnection(
                        Connection::Connected,
                        tr("%1 · %2").arg(m_where, m_session->baseUrl().authority()));
                }
            });
    m_monitor->start();
    Q_EMIT signedIn(me);
}

void StudioController::onSignedOut(const QString &reason)
{
    if (m_local && m_account) {
        // The local account signs in again by itself.
        m_account->signIn();
        return;
    }
    m_store->remove(refreshKey(m_serverUrl, m_username), [](const QString &) {});
    showWelcome(reason);
}

} // namespace pf::app
