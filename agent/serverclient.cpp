// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "serverclient.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace pf::agent {

Q_LOGGING_CATEGORY(lcClient, "pf.agent.client")

QString HttpResult::describe() const
{
    if (status <= 0)
        return error.isEmpty() ? QStringLiteral("no answer") : error;
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    const QString detail = o.value(QStringLiteral("detail")).toString();
    if (!detail.isEmpty())
        return QStringLiteral("HTTP %1: %2").arg(status).arg(detail);
    return QStringLiteral("HTTP %1").arg(status);
}

ServerClient::ServerClient(QString serverFile, QString jobId, int nodeRank, QByteArray token,
                           QObject *parent)
    : QObject(parent)
    , m_serverFile(std::move(serverFile))
    , m_jobId(std::move(jobId))
    , m_nodeRank(nodeRank)
    , m_token(std::move(token))
{
    // pfd is reached directly; proxy variables of the environment do not apply.
    m_nam.setProxy(QNetworkProxy::NoProxy);
    m_nam.setAutoDeleteReplies(false);
}

ServerClient::~ServerClient() = default;

QString ServerClient::jobPath() const
{
    return QStringLiteral("/agent/job/") + m_jobId;
}

QString ServerClient::nodePath() const
{
    return jobPath() + QStringLiteral("/node/") + QString::number(m_nodeRank);
}

QUrl ServerClient::parseServerFile(const QByteArray &text)
{
    const QString line = QString::fromUtf8(text).section(u'\n', 0, 0).trimmed();
    if (line.isEmpty())
        return {};
    QUrl url(line.contains(QLatin1String("://")) ? line : QStringLiteral("http://") + line,
             QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() ||
        (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
        return {};
    QString path = url.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    url.setPath(path);
    url.setQuery(QString());
    url.setFragment(QString());
    return url;
}

bool ServerClient::reloadServerFile(QString *error)
{
    QFile f(m_serverFile);
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot read %1: %2").arg(m_serverFile, f.errorString());
        return false;
    }
    const QUrl url = parseServerFile(f.read(4096));
    if (url.isEmpty()) {
        if (error)
            *error = QStringLiteral("%1 holds no server URL").arg(m_serverFile);
        return false;
    }
    if (url != m_base)
        qCInfo(lcClient).noquote() << "pfd is at" << url.toString();
    m_base = url;
    return true;
}

QUrl ServerClient::resolve(const QString &target) const
{
    if (target.startsWith(QLatin1String("http://")) || target.startsWith(QLatin1String("https://")))
        return QUrl(target);
    // Paths are appended to the base's path (pfd may sit under a prefix).
    QUrl url = m_base;
    const qsizetype question = target.indexOf(u'?');
    const QString path = question < 0 ? target : target.left(question);
    url.setPath(m_base.path() + path, QUrl::TolerantMode);
    if (question >= 0)
        url.setQuery(target.mid(question + 1), QUrl::TolerantMode);
    return url;
}

QNetworkRequest ServerClient::makeRequest(const QUrl &url, int timeoutMs) const
{
    QNetworkRequest req(url);
    const bool samePlace = url.scheme() == m_base.scheme() && url.host() == m_base.host() &&
                           url.port() == m_base.port();
    if (samePlace && !m_token.isEmpty())
        req.setRawHeader("Authorization", "Bearer " + m_token);
    req.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    req.setTransferTimeout(timeoutMs);
    return req;
}

void ServerClient::request(const QByteArray &verb, const QString &target,
                           const QByteArray &jsonBody, Callback done, int timeoutMs)
{
    QString error;
    if (m_base.isEmpty() && !reloadServerFile(&error)) {
        // Answer later, like a failed request would.
        QMetaObject::invokeMethod(
            this,
            [done = std::move(done), error] {
                done(HttpResult{0, {}, error});
            },
            Qt::QueuedConnection);
        return;
    }
    QNetworkRequest req = makeRequest(resolve(target), timeoutMs);
    QNetworkReply *reply;
    if (verb == "GET") {
        reply = m_nam.get(req);
    } else {
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        reply = m_nam.sendCustomRequest(req, verb, jsonBody);
    }
    watch(reply, std::move(done));
}

void ServerClient::putFile(const QString &target, const QString &filePath, Callback done)
{
    QString error;
    if (m_base.isEmpty() && !reloadServerFile(&error)) {
        QMetaObject::invokeMethod(
            this,
            [done = std::move(done), error] {
                done(HttpResult{0, {}, error});
            },
            Qt::QueuedConnection);
        return;
    }
    auto *file = new QFile(filePath);
    if (!file->open(QIODevice::ReadOnly)) {
        const QString message =
            QStringLiteral("cannot read %1: %2").arg(filePath, file->errorString());
        delete file;
        // Not a network failure: a status that is neither ok nor transient.
        QMetaObject::invokeMethod(
            this,
            [done = std::move(done), message] {
                done(HttpResult{-1, {}, message});
            },
            Qt::QueuedConnection);
        return;
    }
    QNetworkRequest req = makeRequest(resolve(target), 60000);
    req.setHeader(QNetworkRequest::ContentTypeHeader,
                  QByteArrayLiteral("application/octet-stream"));
    req.setHeader(QNetworkRequest::ContentLengthHeader, file->size());
    QNetworkReply *reply = m_nam.put(req, file);
    file->setParent(reply);
    watch(reply, std::move(done));
}

void ServerClient::watch(QNetworkReply *reply, Callback done)
{
    connect(reply, &QNetworkReply::finished, this, [this, reply, done = std::move(done)] {
        HttpResult r;
        r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        r.body = reply->readAll();
        if (r.status == 0)
            r.error = reply->errorString();
        reply->deleteLater();
        if (r.transient()) {
            // pfd may have restarted elsewhere: look again before the retry.
            QString error;
            if (!reloadServerFile(&error))
                qCInfo(lcClient).noquote() << error;
        }
        done(r);
    });
}

ReportReply toReportReply(const HttpResult &r)
{
    ReportReply reply;
    if (r.ok()) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(r.body, &error);
        const QJsonValue acked = doc.object().value(QStringLiteral("acked_seq"));
        if (error.error != QJsonParseError::NoError || !doc.isObject() || !acked.isDouble()) {
            reply.outcome = ReportReply::Outcome::Retry;
            reply.error = QStringLiteral("pfd's answer to a report has no acked_seq");
        } else {
            reply.outcome = ReportReply::Outcome::Ok;
            reply.ackedSeq = acked.toInteger();
            reply.commands = doc.object().value(QStringLiteral("commands")).toArray();
        }
    } else {
        reply.outcome = r.transient() ? ReportReply::Outcome::Retry : ReportReply::Outcome::Fatal;
        reply.error = r.describe();
    }
    return reply;
}

void ServerClient::send(const QByteArray &body, std::function<void(const ReportReply &)> done)
{
    request("POST", nodePath() + QStringLiteral("/report"), body,
            [done = std::move(done)](const HttpResult &r) { done(toReportReply(r)); });
}

} // namespace pf::agent
