// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "localaccount.h"

#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QRegularExpression>

#include "app/embeddedserver.h"

Q_LOGGING_CATEGORY(lcLocal, "pf.app.local")

namespace pf::app {

namespace {

QString generatePassword()
{
    static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_";
    QString out;
    for (int i = 0; i < 32; ++i)
        out += QLatin1Char(alphabet[QRandomGenerator::system()->bounded(int(sizeof alphabet) - 1)]);
    return out;
}

} // namespace

LocalAccount::LocalAccount(QString dataDir, network::TokenStore *store, network::PfApi *api,
                           QObject *parent)
    : QObject(parent)
    , m_dataDir(std::move(dataDir))
    , m_store(store)
    , m_api(api)
{}

QString LocalAccount::username()
{
    const QString user = qEnvironmentVariable("USER").toLower();
    static const QRegularExpression valid(QStringLiteral("^[a-z][a-z0-9_-]{2,31}$"));
    return valid.match(user).hasMatch() ? user : QStringLiteral("local");
}

QString LocalAccount::keychainKey(const QString &dataDir)
{
    return QStringLiteral("local-account|") + dataDir;
}

void LocalAccount::signIn()
{
    m_store->read(keychainKey(m_dataDir),
                  [this](std::optional<QString> secret, const QString &error) {
                      if (!error.isEmpty())
                          qCWarning(lcLocal) << "keychain:" << error;
                      if (secret && !secret->isEmpty()) {
                          signInWith(*secret, false);
                          return;
                      }
                      const QString password = generatePassword();
                      provision(password, [this, password] { signInWith(password, true); });
                  });
}

void LocalAccount::signInWith(const QString &password, bool provisioned)
{
    m_api->session()->signIn(
        username(), password, [this, password, provisioned](const network::ApiResult &r) {
            if (r.ok()) {
                ensureWorkspace();
                return;
            }
            if (r.status == 401 && !provisioned) {
                // The keychain's password is not this data dir's: set it again.
                provision(password, [this, password] { signInWith(password, true); });
                return;
            }
            Q_EMIT failed(tr("Could not sign in to the local server: %1").arg(r.message));
        });
}

void LocalAccount::provision(const QString &password, std::function<void()> then)
{
    const QString user = username();
    runAdmin({QStringLiteral("create-user"), QStringLiteral("--username"), user,
              QStringLiteral("--email"), user + QStringLiteral("@localhost"),
              QStringLiteral("--password-stdin")},
             password, [this, user, password, then](int code, const QString &output) {
                 auto keep = [this, password, then] {
                     m_store->write(keychainKey(m_dataDir), password, [then](const QString &error) {
                         // Without a keychain this run still works; the
                         // next one sets a new password again.
                         if (!error.isEmpty())
                             qCWarning(lcLocal) << "keychain:" << error;
                         then();
                     });
                 };
                 if (code == 0) {
                     keep();
                     return;
                 }
                 if (!output.contains(QStringLiteral("already registered"))) {
                     Q_EMIT failed(tr("Could not create the local account: %1").arg(output));
                     return;
                 }
                 runAdmin({QStringLiteral("set-password"), QStringLiteral("--username"), user,
                           QStringLiteral("--password-stdin")},
                          password, [this, keep](int code, const QString &output) {
                              if (code != 0) {
                                  Q_EMIT failed(
                                      tr("Could not reset the local account: %1").arg(output));
                                  return;
                              }
                              keep();
                          });
             });
}

void LocalAccount::runAdmin(const QStringList &args, const QString &password,
                            std::function<void(int, const QString &)> done)
{
    auto *process = new QProcess(this);
    process->setProcessChannelMode(QProcess::MergedChannels);
    connect(process, &QProcess::finished, this,
            [process, done](int code, QProcess::ExitStatus status) {
                process->deleteLater();
                const QString output = QString::fromUtf8(process->readAll()).trimmed();
                done(status == QProcess::NormalExit ? code : -1, output);
            });
    connect(process, &QProcess::errorOccurred, this, [process, done](QProcess::ProcessError e) {
        if (e != QProcess::FailedToStart)
            return;
        process->deleteLater();
        done(-1, process->errorString());
    });
    process->start(EmbeddedServer::pfdProgram(),
                   QStringList{QStringLiteral("admin")} + args +
                       QStringList{QStringLiteral("--data-dir"), m_dataDir});
    process->write(password.toUtf8() + '\n');
    process->closeWriteChannel();
}

void LocalAccount::ensureWorkspace()
{
    m_api->userInfo([this](const network::Reply<api::UserInfo> &me) {
        if (!me.ok()) {
            Q_EMIT failed(me.message());
            return;
        }
        const api::UserInfo info = me.value;
        m_api->userOrgs(
            info.userId(), [this, info](const network::Reply<QList<api::UserOrg>> &orgs) {
                if (!orgs.ok()) {
                    Q_EMIT failed(orgs.message());
                    return;
                }
                if (!orgs.value.isEmpty()) {
                    Q_EMIT ready(info);
                    return;
                }
                m_api->createOrg(tr("Local"), [this, info](const network::Reply<api::Org> &org) {
                    if (!org.ok()) {
                        Q_EMIT failed(
                            tr("Could not create the local organization: %1").arg(org.message()));
                        return;
                    }
                    m_api->createProject(org.value.id, QStringLiteral("default"),
                                         [this, info](const network::Reply<api::Project> &p) {
                                             if (!p.ok()) {
                                                 Q_EMIT failed(p.message());
                                                 return;
                                             }
                                             Q_EMIT ready(info);
                                         });
                });
            });
    });
}

} // namespace pf::app
