// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "reportthread.h"

#include "agent/httpconnection.h"
#include "agent/serverclient.h"

namespace pf::agent {
namespace {
constexpr int kTimeoutMs = 30000;
} // namespace

ReportThread::ReportThread(const QString &serverFile, const QString &jobId, int nodeRank,
                           const QByteArray &token)
    : m_token(token)
    , m_client(new ServerClient(serverFile, jobId, nodeRank, token))
    , m_connection(new HttpConnection)
{
    m_thread.setObjectName(QStringLiteral("pf-agent reports"));
    m_client->moveToThread(&m_thread);
    QObject::connect(&m_thread, &QThread::finished, m_client,
                     [client = m_client, connection = m_connection] {
                         delete connection;
                         delete client;
                     });
    m_thread.start();
}

ReportThread::~ReportThread()
{
    m_thread.quit();
    m_thread.wait();
}

void ReportThread::send(const QByteArray &body, std::function<void(const ReportReply &)> done)
{
    // m_home outlives the thread (the destructor waits for it); a reply
    // still queued for m_home when it goes is dropped with it.
    auto reply = [home = &m_home, done = std::move(done)](const ReportReply &r) {
        QMetaObject::invokeMethod(
            home, [done, r] { done(r); }, Qt::QueuedConnection);
    };
    QMetaObject::invokeMethod(
        m_client, [this, body, reply = std::move(reply)] { sendHere(body, reply); },
        Qt::QueuedConnection);
}

void ReportThread::sendHere(const QByteArray &body,
                            const std::function<void(const ReportReply &)> &reply)
{
    QString error;
    if (m_client->baseUrl().isEmpty() && !m_client->reloadServerFile(&error)) {
        ReportReply r;
        r.error = error; // Retry: pfd may not have written it yet
        reply(r);
        return;
    }
    const QUrl base = m_client->baseUrl();
    if (base.scheme() != QLatin1String("http")) {
        m_client->send(body, reply);
        return;
    }
    const HttpResult result =
        m_connection->post(base, (m_client->nodePath() + QStringLiteral("/report")).toUtf8(),
                           m_token, body, kTimeoutMs);
    if (result.transient() && !m_client->reloadServerFile(&error))
        qInfo().noquote() << error;
    reply(toReportReply(result));
}

} // namespace pf::agent
