// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "org.h"

#include "api/json.h"

using namespace Qt::StringLiterals;

namespace pf::api {

namespace {

OrgRole readOrgRole(const QJsonObject &o)
{
    return orgRoleFromString(readString(o, "privilege_level"_L1)).value_or(OrgRole::Member);
}

} // namespace

Org Org::fromJson(const QJsonObject &o)
{
    return {readString(o, "id"_L1), readString(o, "name"_L1), readString(o, "status"_L1)};
}

QJsonObject Org::toJson() const
{
    return {{u"id"_s, id}, {u"name"_s, name}, {u"status"_s, status}};
}

UserOrg UserOrg::fromJson(const QJsonObject &o)
{
    return {readString(o, "id"_L1), readString(o, "name"_L1), readOrgRole(o)};
}

QJsonObject UserOrg::toJson() const
{
    return {{u"id"_s, id}, {u"name"_s, name}, {u"privilege_level"_s, toString(privilegeLevel)}};
}

OrgMember OrgMember::fromJson(const QJsonObject &o)
{
    return {readString(o, "id"_L1), readString(o, "username"_L1), readString(o, "name"_L1),
            readString(o, "email"_L1), readOrgRole(o)};
}

QJsonObject OrgMember::toJson() const
{
    return {{u"id"_s, id},
            {u"username"_s, username},
            {u"name"_s, name},
            {u"email"_s, email},
            {u"privilege_level"_s, toString(privilegeLevel)}};
}

} // namespace pf::api
