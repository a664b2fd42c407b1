// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include "api/tokenpair.h"
#include "server/auth/jwt.h"
#include "server/auth/loginthrottle.h"
#include "server/auth/passwordhasher.h"
#include "server/config.h"

namespace pf::server {

class Database;
class Request;

// Who is calling, from a valid access token.
struct Caller
{
    QString userId;
    QString username;
};

// A pf-agent, from a valid job token.
struct AgentCaller
{
    QString jobId;
    int nodeRank = 0;
};

// Sign-in and tokens: argon2id passwords, HS256 access tokens, and refresh
// tokens that rotate on every use. A refresh token presented twice revokes
// its whole family (whoever holds the other copy is signed out too).
// Thread-safe; runs on worker threads with their own connections.
class AuthService
{
public:
    AuthService(Database &db, const ServerConfig &config, QByteArray jwtKey,
                const PasswordHasher &hasher);

    // From "Authorization: Bearer <token>". Throws ApiError 401.
    Caller authenticate(Request &request) const;
    // From a bare access token (the websocket's ?token=); the same checks.
    // Throws ApiError 401.
    Caller authenticateToken(const QByteArray &token) const;

    // Throws ApiError 401 (wrong credentials), 403 (not confirmed), 429.
    api::TokenPair login(const QString &username, const QByteArray &password,
                         const QString &remoteAddress);
    // Throws ApiError 401.
    api::TokenPair refresh(const QByteArray &refreshToken);

    QString accessToken(const QString &userId, const QString &username, qint64 nowSecs) const;

    // The token pf-agent uses for /agent/ calls of one node of one job; valid
    // for 7 days, accepted nowhere else.
    QString agentToken(const QString &jobId, int nodeRank) const;
    // Throws ApiError 401 unless the request carries a job token for this
    // job and node (any node of the job when nodeRank is -1).
    AgentCaller authenticateAgent(Request &request, const QString &jobId, int nodeRank) const;
    const PasswordHasher &hasher() const { return m_hasher; }

private:
    QJsonObject verifiedClaims(const Request &request) const;
    QJsonObject verifiedClaims(const QByteArray &token) const;
    Caller callerOf(const QJsonObject &claims) const;
    api::TokenPair issue(const QString &userId, const QString &username, const QString &familyId);

    Database &m_db;
    const ServerConfig &m_config;
    Jwt m_jwt;
    const PasswordHasher &m_hasher;
    QByteArray m_dummyHash; // verified against when the user does not exist
    LoginThrottle m_userThrottle;
    LoginThrottle m_addressThrottle;
};

} // namespace pf::server
