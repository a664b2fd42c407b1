// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QJsonObject>
#include <QString>

namespace pf::api {

// A user as other resources embed it: {"id", "username", "name", "email"}
// (a job's "user" carries only id and username; the rest stay empty).
struct User
{
    QString id; // UUID
    QString username;
    QString name;
    QString email;

    static User fromJson(const QJsonObject &o);
    QJsonObject toJson() const;

    friend bool operator==(const User &, const User &) = default;
};

// GET /auth/oauth2/userinfo: {"sub": "pf|<user uuid>", "name", "username", "email"}.
struct UserInfo
{
    QString sub;
    QString name;
    QString username;
    QString email;

    // The user's UUID: `sub` without its "pf|" prefix; empty when `sub` has
    // another shape.
    QString userId() const;

    static UserInfo fromJson(const QJsonObject &o);
    QJsonObject toJson() const;

    friend bool operator==(const UserInfo &, const UserInfo &) = default;
};

} // namespace pf::api
