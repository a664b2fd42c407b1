// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "apisession.h"

#include <QHttpMultiPart>
#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslConfiguration>
#include <QTimer>
#include <QUrlQuery>

namespace pf::network {

namespace {

constexpr int kMaxAttempts = 3;

bool idempotent(const QByteArray &verb)
{
    return verb == "GET" || verb == "PUT" || verb == "DELETE";
}

bool transient(int status)
{
    return status == 0 || status >= 500 || status == 429;
}

} // namespace

ApiSession::ApiSession(QUrl base, QObject *parent)
    : QObject(parent)
    , m_base(std::move(base))
{
    connect(&m_nam, &QNetworkAccessManager::sslErrors, this,
            [this](QNetworkReply *reply, const QList<QSslError> &errors) {
                // Only the one certificate the user chose to trust.
                const QSslCertificate shown = reply->sslConfiguration().peerCertificate();
                if (!m_trusted.isNull() && shown == m_trusted) {
                    reply->ignoreSslErrors(errors);
                    return;
                }
                reply->setProperty("pfUntrusted", shown.toPem());
                reply->setProperty("pfTlsError", errors.value(0).errorString());
            });
}

void ApiSession::probe(Done done)
{
    Call call{"GET", QStringLiteral("/auth/oauth2/userinfo"), {}, {}, std::move(done), 0, false};
    call.attempt = kMaxAttempts; // no retries: the monitor has its own pace
    send(std::move(call));
}

void ApiSession::setTokens(const QString &access, const QString &refresh)
{
    m_access = access;
    m_refresh = refresh;
}

void ApiSession::signIn(const QString &username, const QString &password, Done done)
{
    QUrlQuery form;
    form.addQueryItem(QStringLiteral("username"), username);
    form.addQueryItem(QStringLiteral("password"), password);
    Call call{"POST",
              QStringLiteral("/api/token/"),
              form.toString(QUrl::FullyEncoded).toUtf8(),
              "application/x-www-form-urlencoded",
              {},
              0,
              false};
    call.done = [this, done = std::move(done)](const ApiResult &r) {
        if (r.ok())
            setTokens(r.json.object().value(QStringLiteral("access_token")).toString(),
                      r.json.object().value(QStringLiteral("refresh_token")).toString());
        done(r);
    };
    send(std::move(call));
}

void ApiSession::get(const QString &path, Done done)
{
    send({"GET", path, {}, {}, std::move(done)});
}

void ApiSession::post(const QString &path, const QJsonDocument &body, Done done)
{
    send({"POST", path, body.toJson(QJsonDocument::Compact), "application/json", std::move(done)});
}

void ApiSession::patch(const QString &path, const QJsonDocument &body, Done done)
{
    send({"PATCH", path, body.toJson(QJsonDocument::Compact), "application/json", std::move(done)});
}

void ApiSession::put(const QString &path, const QJsonDocument &body, Done done)
{
    send({"PUT", path, body.toJson(QJsonDocument::Compact), "application/json", std::move(done)});
}

void ApiSession::del(const QString &path, Done done)
{
    send({"DELETE", path, {}, {}, std::move(done)});
}

void ApiSession::postMultipart(const QString &path, MultipartBody body, Done done,
                               UploadProgress progress)
{
    Call call{"POST", path, {}, {}, std::move(done)};
    call.multipart = std::move(body);
    call.uploadProgress = std::move(progress);
    send(std::move(call));
}

void ApiSession::send(Call call)
{
    if (call.authenticated && m_refreshing) {
        m_waiting.append(std::move(call));
        return;
    }
    QUrl url = m_base;
    const qsizetype question = call.path.indexOf(u'?');
    url.setPath(m_base.path() + (question < 0 ? call.path : call.path.left(question)));
    if (question >= 0)
        url.setQuery(call.path.mid(question + 1));
    QNetworkRequest request(url);
    request.setTransferTimeout(m_timeoutMs); // reset by every byte either way
    if (call.authenticated && !m_access.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_access.toLatin1());
    if (!call.contentType.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, call.contentType);
    QNetworkReply *reply = nullptr;
    if (call.multipart) {
        // QNetworkAccessManager sets the Content-Type with the boundary.
        QHttpMultiPart *body = call.multipart();
        if (!body) {
            ApiResult failed;
            failed.message = QStringLiteral("The request body could not be made.");
            QTimer::singleShot(0, this, [done = std::move(call.done), failed] { done(failed); });
            return;
        }
        reply = m_nam.post(request, body);
        body->setParent(reply);
        if (call.uploadProgress)
            connect(reply, &QNetworkReply::uploadProgress, this,
                    [progress = call.uploadProgress](qint64 sent, qint64 total) {
                        // Qt ends every upload with a (0, 0) report; it says nothing.
                        if (total > 0)
                            progress(sent, total);
                    });
    } else {
        reply = m_nam.sendCustomRequest(request, call.verb, call.body);
    }
    ++m_inFlight;
    connect(reply, &QNetworkReply::finished, this,
            [this, reply, call = std::move(call)]() mutable { finished(reply, std::move(call)); });
}

ApiResult ApiSession::resultOf(QNetworkReply *reply)
{
    ApiResult r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    r.json = QJsonDocument::fromJson(body);
    const QByteArray untrusted = reply->property("pfUntrusted").toByteArray();
    if (r.status == 0 && !untrusted.isEmpty()) {
        r.untrustedCertificate = QSslCertificate(untrusted);
        r.message = QStringLiteral("The server's certificate is not trusted (%1). If this is "
                                   "your server, compare its fingerprint and trust it.")
                        .arg(reply->property("pfTlsError").toString());
    } else if (r.status == 0) {
        r.message = QStringLiteral("The server did not answer: %1").arg(reply->errorString());
    } else if (!r.ok()) {
        const QJsonObject o = r.json.object();
        r.message = o.value(QStringLiteral("detail")).toString();
        const QJsonObject first = o.value(QStringLiteral("errors")).toArray().first().toObject();
        if (!first.isEmpty())
            r.message += QStringLiteral(" (%1: %2)")
                             .arg(first.value(QStringLiteral("path")).toString(),
                                  first.value(QStringLiteral("message")).toString());
        if (r.message.isEmpty())
            r.message = QStringLiteral("The server answered HTTP %1.").arg(r.status);
    }
    return r;
}

void ApiSession::finished(QNetworkReply *reply, Call call)
{
    --m_inFlight;
    reply->deleteLater();
    const ApiResult result = resultOf(reply);
    if (result.status == 401 && call.authenticated && !m_refresh.isEmpty()) {
        // Held until the tokens are fresh, then sent again.
        m_waiting.append(std::move(call));
        if (!m_refreshing)
            refresh();
        return;
    }
    // A refused certificate stays refused: no retries.
    if (transient(result.status) && result.untrustedCertificate.isNull() && idempotent(call.verb) &&
        call.attempt + 1 < kMaxAttempts) {
        const int delay = 200 << (2 * call.attempt); // 200 ms, then 800 ms
        ++call.attempt;
        QTimer::singleShot(delay, this,
                           [this, call = std::move(call)]() mutable { send(std::move(call)); });
        return;
    }
    call.done(result);
}

void ApiSession::refresh()
{
    m_refreshing = true;
    ++m_refreshes;
    QUrlQuery form;
    form.addQueryItem(QStringLiteral("refresh_token"), m_refresh);
    Call call{"POST",
              QStringLiteral("/api/token/refresh/"),
              form.toString(QUrl::FullyEncoded).toUtf8(),
              "application/x-www-form-urlencoded",
              {},
              0,
              false};
    call.done = [this](const ApiResult &r) {
        m_refreshing = false;
        QList<Call> waiting = std::exchange(m_waiting, {});
        if (r.ok()) {
            setTokens(r.json.object().value(QStringLiteral("access_token")).toString(),
                      r.json.object().value(QStringLiteral("refresh_token")).toString());
            Q_EMIT tokensChanged(m_refresh);
            for (Call &c : waiting)
                send(std::move(c));
            return;
        }
        m_access.clear();
        m_refresh.clear();
        ApiResult failed = r;
        failed.status = 401;
        failed.message = QStringLiteral("You have been signed out: %1").arg(r.message);
        Q_EMIT signedOut(failed.message);
        for (Call &c : waiting)
            c.done(failed);
    };
    send(std::move(call));
}

} // namespace pf::network
