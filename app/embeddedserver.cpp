// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "embeddedserver.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QStandardPaths>

#include "network/apisession.h"

Q_LOGGING_CATEGORY(lcEmbedded, "pf.app.server")

namespace pf::app {

EmbeddedServer::EmbeddedServer(QString dataDir, QObject *parent)
    : QObject(parent)
    , m_dataDir(std::move(dataDir))
{
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &EmbeddedServer::readPort);
    connect(&m_process, &QProcess::finished, this, &EmbeddedServer::onFinished);
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            Q_EMIT failed(tr("Could not start the local server (%1): %2")
                              .arg(pfdProgram(), m_process.errorString()));
    });
}

EmbeddedServer::~EmbeddedServer()
{
    stop();
}

QString EmbeddedServer::defaultDataDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
           QStringLiteral("/pfstudio/server");
}

QString EmbeddedServer::pfdProgram()
{
    const QString beside = QCoreApplication::applicationDirPath() + QStringLiteral("/pfd");
    if (QFileInfo(beside).isExecutable())
        return beside;
    const QString onPath = QStandardPaths::findExecutable(QStringLiteral("pfd"));
    return onPath.isEmpty() ? beside : onPath;
}

void EmbeddedServer::start()
{
    if (m_process.state() != QProcess::NotRunning)
        return;
    if (!QDir().mkpath(m_dataDir)) {
        Q_EMIT failed(tr("Cannot create the local server's folder %1.").arg(m_dataDir));
        return;
    }
    m_stopping = false;
    m_reused = false;
    m_baseUrl.clear();
    QFile urlFile(m_dataDir + QStringLiteral("/run/pfd.url"));
    const QUrl running = urlFile.open(QIODevice::ReadOnly)
                             ? QUrl(QString::fromUtf8(urlFile.readLine().trimmed()))
                             : QUrl();
    if (!running.isValid() || running.host() != u"127.0.0.1") {
        spawn();
        return;
    }
    // The file outlives a crashed pfd: only an answer proves it is running.
    auto *probe = new network::ApiSession(running, this);
    probe->setTimeoutMs(2000);
    probe->probe([this, probe, running](const network::ApiResult &r) {
        probe->deleteLater();
        if (r.status == 0) {
            spawn();
            return;
        }
        m_reused = true;
        m_baseUrl = running;
        qCInfo(lcEmbedded) << "using the local server already running at" << running.toString();
        Q_EMIT ready(m_baseUrl);
    });
}

void EmbeddedServer::spawn()
{
    m_stdout.clear();
    // pfd's log goes to a file beside its data, for the user to read.
    m_process.setStandardErrorFile(m_dataDir + QStringLiteral("/pfd.log"), QIODevice::Append);
    m_process.start(pfdProgram(), {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                                   QStringLiteral("--data-dir"), m_dataDir});
}

void EmbeddedServer::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_stopping = true;
    m_process.terminate();
    if (!m_process.waitForFinished(10000)) {
        qCWarning(lcEmbedded) << "the local server did not stop in 10 s; killing it";
        m_process.kill();
        m_process.waitForFinished(2000);
    }
}

void EmbeddedServer::readPort()
{
    m_stdout += m_process.readAllStandardOutput();
    if (m_baseUrl.isValid() || !m_stdout.contains('\n'))
        return;
    bool ok = false;
    const uint port = m_stdout.left(m_stdout.indexOf('\n')).trimmed().toUInt(&ok);
    if (!ok || port == 0 || port > 65535) {
        Q_EMIT failed(
            tr("The local server did not report its port; see %1/pfd.log.").arg(m_dataDir));
        stop();
        return;
    }
    m_baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
    qCInfo(lcEmbedded) << "local server ready at" << m_baseUrl.toString();
    Q_EMIT ready(m_baseUrl);
}

void EmbeddedServer::onFinished(int exitCode, QProcess::ExitStatus status)
{
    if (m_stopping)
        return;
    Q_EMIT failed(status == QProcess::CrashExit
                      ? tr("The local server crashed; see %1/pfd.log.").arg(m_dataDir)
                      : tr("The local server stopped (exit code %1); see %2/pfd.log.")
                            .arg(exitCode)
                            .arg(m_dataDir));
}

} // namespace pf::app
