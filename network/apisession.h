// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <functional>

#include <QByteArray>
#include <QJsonDocument>
#include <QList>
#include <QNetworkAccessManager>
#include <QObject>
#include <QSslCertificate>
#include <QUrl>

class QHttpMultiPart;
class QNetworkReply;

namespace pf::network {

// What a call came back with. `status` 0: no answer (see `message`).
struct ApiResult
{
    int status = 0;
    QJsonDocument json;
    // For failures: what the user should read, from the server's `detail`
    // (and the first of its `errors`), or the network's reason.
    QString message;
    // Set when TLS refused the server's certificate: the one it showed, for
    // the user to inspect and perhaps trust (ApiSession::trustCertificate).
    QSslCertificate untrustedCertificate = QSslCertificate();

    bool ok() const { return status >= 200 && status < 300; }
};

// The studio's connection to one pfd: its base URL (every service prefix
// under it, as pfd serves them), the signed-in tokens, and the rules every
// call follows:
// - a 401 on a signed-in call refreshes the tokens once, however many
//   calls hit it at the same time; the calls wait and are replayed with the
//   new token; a failed refresh fails them all and emits signedOut();
// - idempotent calls (GET, PUT, DELETE) that get no answer, a 5xx, or a 429
//   are retried up to twice, after 200 ms and 800 ms;
// - the timeout counts time without progress, not a transfer's length;
// - TLS verifies against the system's CAs, or a certificate the user chose
//   to trust for this server (trustCertificate()).
//
//   ApiSession s(QUrl("http://127.0.0.1:8000"));
//   s.signIn("alice", password, [](const ApiResult &r) {...});
//   s.get("/auth/oauth2/userinfo", [](const ApiResult &r) {...});
//
// Lives in one thread; callbacks run there, later, exactly once.
class ApiSession final : public QObject
{
    Q_OBJECT

public:
    using Done = std::function<void(const ApiResult &)>;
    // Makes a fresh multipart body for each sending of a call (the first,
    // and the replay after a token refresh), e.g. re-opening the files it
    // streams. The session owns what it returns. Null: the body cannot be
    // made (a file went away); the call fails with status 0.
    using MultipartBody = std::function<QHttpMultiPart *()>;
    // Bytes of the request body sent so far, of `total` (always > 0).
    using UploadProgress = std::function<void(qint64 sent, qint64 total)>;

    explicit ApiSession(QUrl base, QObject *parent = nullptr);

    QUrl baseUrl() const { return m_base; }
    // For a server that came back on another address (the local pfd after a
    // restart): later calls go there; calls under way finish where they are.
    void setBaseUrl(const QUrl &base) { m_base = base; }
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }

    // POST /api/token/ (form); keeps the tokens on success.
    void signIn(const QString &username, const QString &password, Done done);
    void setTokens(const QString &access, const QString &refresh);
    QString refreshToken() const { return m_refresh; }
    // For connections the session does not make itself (the log
    // websocket): the current access token, empty when signed out. A call
    // through the session renews it when it has expired.
    QString accessToken() const { return m_access; }
    bool signedIn() const { return !m_access.isEmpty(); }

    void get(const QString &path, Done done);
    void post(const QString &path, const QJsonDocument &body, Done done);
    void patch(const QString &path, const QJsonDocument &body, Done done);
    void put(const QString &path, const QJsonDocument &body, Done done);
    void del(const QString &path, Done done);
    // A multipart/form-data POST, streamed from what `body` makes. Never
    // retried (POST is not idempotent); after a 401 it is sent again with
    // a body made anew once the tokens are fresh. `progress` (may be empty)
    // runs on the session's thread as the body goes out, once per sending.
    void postMultipart(const QString &path, MultipartBody body, Done done,
                       UploadProgress progress = {});

    // An unauthenticated GET that is never retried nor refreshed: whether the
    // server answers at all (ConnectionMonitor).
    void probe(Done done);

    // Accept this certificate from the server although no CA vouches for it
    // (a self-signed one the user checked); every other certificate is
    // still verified against the system's CAs.
    void trustCertificate(const QSslCertificate &certificate) { m_trusted = certificate; }
    // That certificate (null when none), for the log websocket to accept too.
    QSslCertificate trustedCertificate() const { return m_trusted; }

    // Requests on the wire right now (for a busy indicator, and for tests
    // that wait until a screen has loaded).
    int inFlight() const { return m_inFlight; }

    // Token refreshes done so far (for tests and the status bar).
    int refreshes() const { return m_refreshes; }

Q_SIGNALS:
    // The tokens changed (after a refresh): the caller may store the new
    // refresh token.
    void tokensChanged(const QString &refreshToken);
    // The refresh token was refused: the user must sign in again.
    void signedOut(const QString &reason);

private:
    struct Call
    {
        QByteArray verb;
        QString path;
        QByteArray body;
        QByteArray contentType;
        Done done;
        int attempt = 0;
        bool authenticated = true;
        MultipartBody multipart = {}; // set: the body, made anew for each sending
        UploadProgress uploadProgress = {};
    };

    void send(Call call);
    void finished(QNetworkReply *reply, Call call);
    void refresh();
    static ApiResult resultOf(QNetworkReply *reply);

    QNetworkAccessManager m_nam;
    QUrl m_base;
    QString m_access;
    QString m_refresh;
    int m_timeoutMs = 30000;
    bool m_refreshing = false;
    QList<Call> m_waiting; // calls held while a refresh is under way
    int m_refreshes = 0;
    int m_inFlight = 0;
    QSslCertificate m_trusted;
};

} // namespace pf::network
