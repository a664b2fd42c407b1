// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <functional>

#include <QByteArray>
#include <QNetworkAccessManager>
#include <QObject>
#include <QString>
#include <QUrl>

#include "agent/reporttransport.h"

namespace pf::agent {

// The outcome of one HTTP call to pfd.
struct HttpResult
{
    int status = 0; // 0: no HTTP answer, -1: a local failure (see error)
    QByteArray body;
    QString error; // what went wrong when status is 0 or -1

    bool ok() const { return status >= 200 && status < 300; }
    // Worth trying again: no answer, a timeout, 5xx, 408 or 429.
    bool transient() const
    {
        return status == 0 || status >= 500 || status == 408 || status == 429;
    }
    // "HTTP 404: <detail>" or the network error, for messages.
    QString describe() const;
};

// What an answer to POST .../report means for the Reporter.
ReportReply toReportReply(const HttpResult &r);

// pfd's /agent/ routes as this node's agent calls them: asynchronous
// (Qt Network, in the caller's event loop), with the job token.
//
//   ServerClient client(serverFile, jobId, nodeRank, token);
//   client.request("GET", client.nodePath() + "/spec", {}, [](const HttpResult &r) {...});
//
// pfd's base URL comes from the server file (one line such as
// "http://127.0.0.1:8000"), read at the first call and again after every
// failed one, so the agent follows pfd across restarts and port changes.
// Callbacks run later, never inside the call that starts the request.
class ServerClient final : public QObject, public ReportTransport
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServerClient)

public:
    ServerClient(QString serverFile, QString jobId, int nodeRank, QByteArray token,
                 QObject *parent = nullptr);
    ~ServerClient() override;

    using Callback = std::function<void(const HttpResult &)>;

    // "/agent/job/<job>" and "/agent/job/<job>/node/<rank>".
    QString jobPath() const;
    QString nodePath() const;

    // `target` is a path ("/agent/...", with an optional query) resolved
    // against the current base URL, or an absolute URL. The token is sent to
    // pfd only, never to another host.
    void request(const QByteArray &verb, const QString &target, const QByteArray &jsonBody,
                 Callback done, int timeoutMs = 30000);
    // PUT of a file, streamed from disk. The timeout counts time without
    // progress, not the whole transfer.
    void putFile(const QString &target, const QString &filePath, Callback done);

    // ReportTransport: POST <nodePath>/report.
    void send(const QByteArray &body, std::function<void(const ReportReply &)> done) override;

    // Re-reads the server file now; false (and the old URL kept) when it is
    // missing or holds no URL.
    bool reloadServerFile(QString *error = nullptr);
    QUrl baseUrl() const { return m_base; }

    // Parses the server file's text: a URL, or host:port (http is assumed).
    static QUrl parseServerFile(const QByteArray &text);

private:
    QUrl resolve(const QString &target) const;
    QNetworkRequest makeRequest(const QUrl &url, int timeoutMs) const;
    void watch(QNetworkReply *reply, Callback done);

    QString m_serverFile;
    QString m_jobId;
    int m_nodeRank;
    QByteArray m_token;
    QUrl m_base;
    QNetworkAccessManager m_nam;
};

} // namespace pf::agent
