// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "pfdprocess.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>

namespace pf::test {

QString PfdProcess::defaultConfig()
{
    return QStringLiteral("auth:\n"
                          "  password_hashing: minimal\n"
                          "  login_failures_per_user: 10000\n"
                          "  login_failures_per_address: 100000\n");
}

QString PfdProcess::binary(const QString &name)
{
    const QString env = qEnvironmentVariable("PF_BIN_DIR");
    const QString dir = env.isEmpty() ? QCoreApplication::applicationDirPath() : env;
    return dir + u'/' + name;
}

PfdProcess::PfdProcess(QString configYaml)
    : m_config(std::move(configYaml))
{}

PfdProcess::PfdProcess(QString configYaml, const PfdProcess &previous)
    : m_config(std::move(configYaml))
    , m_sharedRoot(previous.rootPath())
{}

PfdProcess::~PfdProcess()
{
    if (running()) {
        m_process->kill();
        m_process->waitForFinished(5000);
    }
}

bool PfdProcess::start()
{
    if (!m_root.isValid()) {
        m_error = QStringLiteral("no temporary folder");
        return false;
    }
    QFile config(configPath());
    if (!config.open(QIODevice::WriteOnly) || config.write(m_config.toUtf8()) < 0) {
        m_error = QStringLiteral("cannot write %1").arg(configPath());
        return false;
    }
    config.close();

    m_process = std::make_unique<QProcess>();
    m_process->setProgram(binary(QStringLiteral("pfd")));
    m_process->setArguments({QStringLiteral("--data-dir"), dataDir(), QStringLiteral("--listen"),
                             QStringLiteral("127.0.0.1:%1").arg(m_listenPort),
                             QStringLiteral("--config"), configPath()});
    m_process->setStandardErrorFile(rootPath() + QStringLiteral("/pfd.log"), QIODevice::Append);
    QElapsedTimer timer;
    timer.start();
    m_process->start();
    if (!m_process->waitForStarted(10000)) {
        m_error = QStringLiteral("pfd did not start: %1").arg(m_process->errorString());
        return false;
    }
    while (!m_process->canReadLine()) {
        if (!m_process->waitForReadyRead(30000)) {
            m_error = QStringLiteral("pfd printed no port; its log:\n%1").arg(log());
            return false;
        }
    }
    m_startupMs = timer.elapsed();
    bool ok = false;
    m_port = quint16(m_process->readLine().trimmed().toUInt(&ok));
    if (!ok || m_port == 0) {
        m_error = QStringLiteral("pfd's first line is not a port; its log:\n%1").arg(log());
        return false;
    }
    return true;
}

int PfdProcess::stop()
{
    if (!m_process)
        return -1;
    if (m_process->state() == QProcess::Running) {
        m_process->terminate();
        if (!m_process->waitForFinished(20000)) {
            m_process->kill();
            m_process->waitForFinished(5000);
            return -1;
        }
    }
    return m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -1;
}

void PfdProcess::kill()
{
    if (!m_process)
        return;
    m_process->kill();
    m_process->waitForFinished(10000);
}

QString PfdProcess::log() const
{
    QFile f(rootPath() + QStringLiteral("/pfd.log"));
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

std::unique_ptr<HttpClient> PfdProcess::client(const QString &token) const
{
    auto c = std::make_unique<HttpClient>("127.0.0.1", m_port);
    c->setToken(token);
    return c;
}

QString PfdProcess::admin(const QStringList &args, int *exitCode, const QByteArray &stdinData) const
{
    QProcess p;
    p.setProgram(binary(QStringLiteral("pfd")));
    p.setArguments(QStringList{QStringLiteral("admin")} + args +
                   QStringList{QStringLiteral("--data-dir"), dataDir(), QStringLiteral("--config"),
                               configPath()});
    p.start();
    p.waitForStarted(10000);
    if (!stdinData.isEmpty())
        p.write(stdinData);
    p.closeWriteChannel();
    if (!p.waitForFinished(30000)) {
        p.kill();
        p.waitForFinished();
        *exitCode = -1;
        return {};
    }
    *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError()).trimmed();
}

PfdProcess::User PfdProcess::createUser(const QString &username)
{
    User u;
    u.username = username;
    u.email = username + QStringLiteral("@example.test");
    u.password = QStringLiteral("pw-") + username + QStringLiteral("-secret");
    int code = 0;
    u.id = admin({QStringLiteral("create-user"), QStringLiteral("--username"), username,
                  QStringLiteral("--email"), u.email, QStringLiteral("--name"),
                  username + QStringLiteral(" Tester"), QStringLiteral("--password-stdin")},
                 &code, u.password.toUtf8() + '\n');
    if (code != 0)
        u.id.clear();
    else
        login(u);
    return u;
}

int PfdProcess::login(User &user) const
{
    auto c = client();
    const HttpReply r =
        c->postForm(QStringLiteral("/api/token/"), {{QStringLiteral("username"), user.username},
                                                    {QStringLiteral("password"), user.password}});
    if (r.status == 200) {
        user.token = r.json().value(QStringLiteral("access_token")).toString();
        user.refresh = r.json().value(QStringLiteral("refresh_token")).toString();
    }
    return r.status;
}

} // namespace pf::test
