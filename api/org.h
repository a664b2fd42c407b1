// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QJsonObject>
#include <QString>

#include "api/roles.h"

namespace pf::api {

// An organization ("pf_group"): {"id", "name", "status"}.
struct Org
{
    QString id; // UUID
    QString name;
    QString status;

    static Org fromJson(const QJsonObject &o);
    QJsonObject toJson() const;

    friend bool operator==(const Org &, const Org &) = default;
};

// One entry of GET /auth/pf_user/{uid}/pf_group: an org the user belongs to
// and the user's role there: {"id", "name", "privilege_level"}.
// A missing or unknown privilege_level reads as Member (the lower role).
struct UserOrg
{
    QString id; // UUID of the org
    QString name;
    OrgRole privilegeLevel = OrgRole::Member;

    static UserOrg fromJson(const QJsonObject &o);
    QJsonObject toJson() const;

    friend bool operator==(const UserOrg &, const UserOrg &) = default;
};

// One entry of GET /auth/pf_group/{gid}/pf_user:
// {"id", "username", "name", "email", "privilege_level"}.
// A missing or unknown privilege_level reads as Member.
struct OrgMember
{
    QString id; // UUID of the user
    QString username;
    QString name;
    QString email;
    OrgRole privilegeLevel = OrgRole::Member;

    static OrgMember fromJson(const QJsonObject &o);
    QJsonObject toJson() const;

    friend bool operator==(const OrgMember &, const OrgMember &) = default;
};

} // namespace pf::api
