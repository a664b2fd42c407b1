// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "tokenrepo.h"

#include "server/store/database.h"
#include "server/store/pagination.h"

namespace pf::server {

TokenRepo::TokenRepo(QSqlDatabase db)
    : m_db(std::move(db))
{}

void TokenRepo::add(const QByteArray &tokenHash, const QString &familyId, const QString &userId,
                    qint64 expiresAtMs)
{
    runSql(m_db,
           QStringLiteral("INSERT INTO refresh_tokens (token_hash, family_id, user_id, created_at, "
                          "expires_at, used_at, revoked) VALUES (?, ?, ?, ?, ?, NULL, ?)"),
           {QString::fromLatin1(tokenHash), familyId, userId, nowMs(), expiresAtMs, false});
}

std::optional<RefreshTokenRecord> TokenRepo::find(const QByteArray &tokenHash)
{
    QSqlQuery q = runSql(m_db,
                         QStringLiteral("SELECT family_id, user_id, expires_at, used_at, revoked "
                                        "FROM refresh_tokens WHERE token_hash = ?"),
                         {QString::fromLatin1(tokenHash)});
    if (!q.next())
        return std::nullopt;
    return RefreshTokenRecord{q.value(0).toString(), q.value(1).toString(), q.value(2).toLongLong(),
                              !q.value(3).isNull(), q.value(4).toBool()};
}

bool TokenRepo::markUsed(const QByteArray &tokenHash)
{
    QSqlQuery q = runSql(m_db,
                         QStringLiteral("UPDATE refresh_tokens SET used_at = ? "
                                        "WHERE token_hash = ? AND used_at IS NULL"),
                         {nowMs(), QString::fromLatin1(tokenHash)});
    return q.numRowsAffected() == 1;
}

void TokenRepo::revokeFamily(const QString &familyId)
{
    runSql(m_db, QStringLiteral("UPDATE refresh_tokens SET revoked = ? WHERE family_id = ?"),
           {true, familyId});
}

void TokenRepo::revokeUser(const QString &userId)
{
    runSql(m_db, QStringLiteral("UPDATE refresh_tokens SET revoked = ? WHERE user_id = ?"),
           {true, userId});
}

void TokenRepo::purgeExpired(qint64 beforeMs)
{
    runSql(m_db, QStringLiteral("DELETE FROM refresh_tokens WHERE expires_at < ?"), {beforeMs});
}

} // namespace pf::server
