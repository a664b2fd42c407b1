// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "authservice.h"

#include <QDateTime>
#include <QLoggingCategory>

#include "api/apierror.h"
#include "server/auth/tokencodec.h"
#include "server/http/request.h"
#include "server/store/database.h"
#include "server/store/pagination.h"
#include "server/store/tokenrepo.h"
#include "server/store/userrepo.h"

Q_LOGGING_CATEGORY(lcAuth, "pf.auth")

namespace pf::server {

using api::ApiError;

AuthService::AuthService(Database &db, const ServerConfig &config, QByteArray jwtKey,
                         const PasswordHasher &hasher)
    : m_db(db)
    , m_config(config)
    , m_jwt(std::move(jwtKey))
    , m_hasher(hasher)
    , m_dummyHash(hasher.hash(TokenCodec::randomToken(16)))
    , m_userThrottle(config.loginFailuresPerUser, config.loginWindowSecs)
    , m_addressThrottle(config.loginFailuresPerAddress, config.loginWindowSecs)
{}

QJsonObject AuthService::verifiedClaims(const Request &request) const
{
    const QByteArray header = request.header("Authorization");
    if (header.isEmpty())
        throw ApiError::unauthorized(
            QStringLiteral("Sign in first: this call needs a bearer token."));
    // The scheme name is case-insensitive (RFC 9110, 11.1).
    if (header.size() <= 7 || header.left(7).toLower() != "bearer ")
        throw ApiError::unauthorized(
            QStringLiteral("The Authorization header must be 'Bearer <token>'."));
    return verifiedClaims(header.mid(7).trimmed());
}

QJsonObject AuthService::verifiedClaims(const QByteArray &token) const
{
    const Jwt::Verified v = m_jwt.verify(token, QDateTime::currentSecsSinceEpoch());
    if (v.error != Jwt::Error::None)
        throw ApiError::unauthorized(
            QStringLiteral("The access token is not valid: %1.").arg(Jwt::errorString(v.error)));
    return v.claims;
}

Caller AuthService::callerOf(const QJsonObject &claims) const
{
    if (claims.value(QStringLiteral("typ")).toString() != u"access")
        throw ApiError::unauthorized(QStringLiteral("The token is not an access token."));
    Caller caller{claims.value(QStringLiteral("sub")).toString(),
                  claims.value(QStringLiteral("username")).toString()};
    if (caller.userId.isEmpty())
        throw ApiError::unauthorized(QStringLiteral("The access token names no user."));
    return caller;
}

Caller AuthService::authenticate(Request &request) const
{
    Caller caller = callerOf(verifiedClaims(request));
    request.setUserForLog(caller.userId);
    return caller;
}

Caller AuthService::authenticateToken(const QByteArray &token) const
{
    if (token.isEmpty())
        throw ApiError::unauthorized(
            QStringLiteral("Sign in first: this call needs an access token."));
    return callerOf(verifiedClaims(token));
}

QString AuthService::agentToken(const QString &jobId, int nodeRank) const
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    return QString::fromLatin1(m_jwt.sign({{QStringLiteral("sub"), jobId},
                                           {QStringLiteral("node_rank"), nodeRank},
                                           {QStringLiteral("typ"), QStringLiteral("agent")},
                                           {QStringLiteral("iat"), now},
                                           {QStringLiteral("exp"), now + 7 * 24 * 3600}}));
}

AgentCaller AuthService::authenticateAgent(Request &request, const QString &jobId,
                                           int nodeRank) const
{
    const QJsonObject claims = verifiedClaims(request);
    if (claims.value(QStringLiteral("typ")).toString() != u"agent" ||
        claims.value(QStringLiteral("sub")).toString() != jobId ||
        (nodeRank >= 0 && claims.value(QStringLiteral("node_rank")).toInt(-1) != nodeRank))
        throw ApiError::unauthorized(QStringLiteral("This token is not for this job's node."));
    request.setUserForLog(QStringLiteral("agent:%1/%2").arg(jobId).arg(nodeRank));
    return {jobId, nodeRank};
}

QString AuthService::accessToken(const QString &userId, const QString &username,
                                 qint64 nowSecs) const
{
    return QString::fromLatin1(
        m_jwt.sign({{QStringLiteral("sub"), userId},
                    {QStringLiteral("username"), username},
                    {QStringLiteral("typ"), QStringLiteral("access")},
                    {QStringLiteral("iat"), nowSecs},
                    {QStringLiteral("exp"), nowSecs + m_config.accessTokenTtlSecs}}));
}

api::TokenPair AuthService::issue(const QString &userId, const QString &username,
                                  const QString &familyId)
{
    const QByteArray refresh = TokenCodec::randomToken(32);
    TokenRepo(m_db.connection())
        .add(TokenCodec::sha256Hex(refresh), familyId, userId,
             nowMs() + qint64(m_config.refreshTokenTtlSecs) * 1000);
    return {accessToken(userId, username, QDateTime::currentSecsSinceEpoch()),
            QString::fromLatin1(refresh)};
}

api::TokenPair AuthService::login(const QString &username, const QByteArray &password,
                                  const QString &remoteAddress)
{
    const qint64 now = nowMs();
    const QString userKey = username.toLower();
    const int wait = std::max(m_userThrottle.blockedFor(userKey, now),
                              m_addressThrottle.blockedFor(remoteAddress, now));
    if (wait > 0)
        throw ApiError::tooManyRequests(
            QStringLiteral("Too many failed sign-ins; try again in %1 seconds.").arg(wait), wait);

    const auto user = UserRepo(m_db.connection()).byUsername(username);
    // Verify against a dummy hash for unknown users so that timing does not
    // tell which usernames exist.
    const bool ok = m_hasher.verify(user ? user->passwordHash : m_dummyHash, password) && user;
    if (!ok) {
        m_userThrottle.recordFailure(userKey, now);
        m_addressThrottle.recordFailure(remoteAddress, now);
        qCInfo(lcAuth) << "failed sign-in for" << username.left(64) << "from" << remoteAddress;
        throw ApiError::unauthorized(QStringLiteral("Wrong username or password."));
    }
    if (!user->confirmed)
        throw ApiError::forbidden(QStringLiteral(
            "This account is not confirmed yet; use the code from the sign-up e-mail."));
    m_userThrottle.reset(userKey);
    return issue(user->user.id, user->user.username, newUuid());
}

api::TokenPair AuthService::refresh(const QByteArray &refreshToken)
{
    if (refreshToken.isEmpty() || refreshToken.size() > 256)
        throw ApiError::unauthorized(QStringLiteral("The refresh token is not valid."));
    QSqlDatabase db = m_db.connection();
    TokenRepo tokens(db);
    const QByteArray hash = TokenCodec::sha256Hex(refreshToken);
    Transaction tx(db, m_db.isSqlite());
    const auto record = tokens.find(hash);
    if (!record)
        throw ApiError::unauthorized(QStringLiteral("The refresh token is not valid."));
    if (record->revoked)
        throw ApiError::unauthorized(
            QStringLiteral("The refresh token was revoked; sign in again."));
    if (record->used || !tokens.markUsed(hash)) {
        tokens.revokeFamily(record->familyId);
        tx.commit();
        qCWarning(lcAuth) << "refresh token reused; revoked its family for user" << record->userId;
        throw ApiError::unauthorized(
            QStringLiteral("The refresh token was already used; every session started from it is "
                           "signed out. Sign in again."));
    }
    if (record->expiresAtMs < nowMs())
        throw ApiError::unauthorized(QStringLiteral("The refresh token expired; sign in again."));
    const auto user = UserRepo(db).byId(record->userId);
    if (!user)
        throw ApiError::unauthorized(QStringLiteral("The refresh token's user no longer exists."));
    api::TokenPair pair = issue(user->user.id, user->user.username, record->familyId);
    tx.commit();
    return pair;
}

} // namespace pf::server
