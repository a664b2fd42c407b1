// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <optional>

#include <QSqlDatabase>

#include "api/user.h"

namespace pf::server {

struct UserRecord
{
    api::User user;
    QByteArray passwordHash;
    bool confirmed = false;
};

// Users and their sign-up confirmation codes. Usernames are unique without
// regard to case; e-mail addresses are stored lower-case.
class UserRepo
{
public:
    explicit UserRepo(QSqlDatabase db);

    // Throws UniqueViolation when the username or e-mail is taken.
    api::User create(const QString &username, const QString &name, const QString &email,
                     const QByteArray &passwordHash, bool confirmed);
    std::optional<UserRecord> byUsername(const QString &username);
    std::optional<UserRecord> byId(const QString &id);
    std::optional<UserRecord> byEmail(const QString &email);
    bool usernameOrEmailTaken(const QString &username, const QString &email);
    void setPasswordHash(const QString &id, const QByteArray &hash);
    void setConfirmed(const QString &id);

    void addSignupCode(const QString &emailToken, const QByteArray &keyHash, const QString &userId,
                       qint64 expiresAtMs);
    // The user of an unexpired code whose key hash matches; the code is
    // consumed either way it matches.
    std::optional<QString> takeSignupCode(const QString &emailToken, const QByteArray &keyHash);

private:
    std::optional<UserRecord> one(const QString &where, const QVariant &value);
    QSqlDatabase m_db;
};

} // namespace pf::server
