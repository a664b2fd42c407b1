// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "project.h"

#include "api/json.h"

using namespace Qt::StringLiterals;

namespace pf::api {

namespace {

ProjectRole readProjectRole(const QJsonObject &o)
{
    return projectRoleFromString(readString(o, "access_level"_L1)).value_or(ProjectRole::Guest);
}

} // namespace

Project Project::fromJson(const QJsonObject &o)
{
    return {readString(o, "id"_L1), readString(o, "name"_L1), readString(o, "pf_group_id"_L1)};
}

QJsonObject Project::toJson() const
{
    return {{u"id"_s, id}, {u"name"_s, name}, {u"pf_group_id"_s, pfGroupId}};
}

ProjectMember ProjectMember::fromJson(const QJsonObject &o)
{
    return {readString(o, "id"_L1), readString(o, "username"_L1), readString(o, "name"_L1),
            readString(o, "email"_L1), readProjectRole(o)};
}

QJsonObject ProjectMember::toJson() const
{
    return {{u"id"_s, id},
            {u"username"_s, username},
            {u"name"_s, name},
            {u"email"_s, email},
            {u"access_level"_s, toString(accessLevel)}};
}

ProjectMembership ProjectMembership::fromJson(const QJsonObject &o)
{
    return {readString(o, "user_id"_L1), readString(o, "pf_project_id"_L1), readProjectRole(o)};
}

QJsonObject ProjectMembership::toJson() const
{
    return {{u"user_id"_s, userId},
            {u"pf_project_id"_s, projectId},
            {u"access_level"_s, toString(accessLevel)}};
}

} // namespace pf::api
