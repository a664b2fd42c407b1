// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <optional>

#include <QSqlDatabase>

namespace pf::server {

struct RefreshTokenRecord
{
    QString familyId;
    QString userId;
    qint64 expiresAtMs = 0;
    bool used = false;
    bool revoked = false;
};

// Refresh tokens, stored only as SHA-256 hashes. Each login starts a family;
// every refresh uses up one token and adds the next to the same family.
class TokenRepo
{
public:
    explicit TokenRepo(QSqlDatabase db);

    void add(const QByteArray &tokenHash, const QString &familyId, const QString &userId,
             qint64 expiresAtMs);
    std::optional<RefreshTokenRecord> find(const QByteArray &tokenHash);
    // Marks the token used; false when it was already used (a race lost).
    bool markUsed(const QByteArray &tokenHash);
    void revokeFamily(const QString &familyId);
    void revokeUser(const QString &userId);
    // Drops tokens that expired before `beforeMs`.
    void purgeExpired(qint64 beforeMs);

private:
    QSqlDatabase m_db;
};

} // namespace pf::server
