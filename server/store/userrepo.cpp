// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "userrepo.h"

#include "server/store/database.h"
#include "server/store/pagination.h"

namespace pf::server {

UserRepo::UserRepo(QSqlDatabase db)
    : m_db(std::move(db))
{}

api::User UserRepo::create(const QString &username, const QString &name, const QString &email,
                           const QByteArray &passwordHash, bool confirmed)
{
    api::User u{newUuid(), username, name, email.toLower()};
    runSql(
        m_db,
        QStringLiteral("INSERT INTO users (id, username, username_key, name, email, password_hash, "
                       "confirmed, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
        {u.id, u.username, username.toLower(), u.name, u.email, QString::fromLatin1(passwordHash),
         confirmed, nowMs()});
    return u;
}

std::optional<UserRecord> UserRepo::one(const QString &where, const QVariant &value)
{
    QSqlQuery q =
        runSql(m_db,
               QStringLiteral("SELECT id, username, name, email, password_hash, confirmed "
                              "FROM users WHERE ") +
                   where + QStringLiteral(" = ?"),
               {value});
    if (!q.next())
        return std::nullopt;
    return UserRecord{{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                       q.value(3).toString()},
                      q.value(4).toString().toLatin1(),
                      q.value(5).toBool()};
}

std::optional<UserRecord> UserRepo::byUsername(const QString &username)
{
    return one(QStringLiteral("username_key"), username.toLower());
}

std::optional<UserRecord> UserRepo::byId(const QString &id)
{
    return one(QStringLiteral("id"), id);
}

std::optional<UserRecord> UserRepo::byEmail(const QString &email)
{
    return one(QStringLiteral("email"), email.toLower());
}

bool UserRepo::usernameOrEmailTaken(const QString &username, const QString &email)
{
    QSqlQuery q =
        runSql(m_db, QStringLiteral("SELECT 1 FROM users WHERE username_key = ? OR email = ?"),
               {username.toLower(), email.toLower()});
    return q.next();
}

void UserRepo::setPasswordHash(const QString &id, const QByteArray &hash)
{
    runSql(m_db, QStringLiteral("UPDATE users SET password_hash = ? WHERE id = ?"),
           {QString::fromLatin1(hash), id});
}

void UserRepo::setConfirmed(const QString &id)
{
    runSql(m_db, QStringLiteral("UPDATE users SET confirmed = ? WHERE id = ?"), {true, id});
}

void UserRepo::addSignupCode(const QString &emailToken, const QByteArray &keyHash,
                             const QString &userId, qint64 expiresAtMs)
{
    runSql(m_db,
           QStringLiteral("INSERT INTO signup_codes (email_token, key_hash, user_id, expires_at) "
                          "VALUES (?, ?, ?, ?)"),
           {emailToken, QString::fromLatin1(keyHash), userId, expiresAtMs});
}

std::optional<QString> UserRepo::takeSignupCode(const QString &emailToken,
                                                const QByteArray &keyHash)
{
    QSqlQuery q = runSql(m_db,
                         QStringLiteral("SELECT user_id, expires_at FROM signup_codes "
                                        "WHERE email_token = ? AND key_hash = ?"),
                         {emailToken, QString::fromLatin1(keyHash)});
    if (!q.next())
        return std::nullopt;
    const QString userId = q.value(0).toString();
    const qint64 expires = q.value(1).toLongLong();
    // Whoever deletes the row owns the code: a concurrent take that read it too
    // finds nothing to delete and fails (single use under PostgreSQL's READ COMMITTED).
    QSqlQuery deleted = runSql(
        m_db, QStringLiteral("DELETE FROM signup_codes WHERE email_token = ?"), {emailToken});
    if (deleted.numRowsAffected() != 1)
        return std::nullopt;
    if (expires < nowMs())
        return std::nullopt;
    return userId;
}

} // namespace pf::server
