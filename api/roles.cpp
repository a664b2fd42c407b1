// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "roles.h"

using namespace Qt::StringLiterals;

namespace pf::api {

QString toString(OrgRole role)
{
    switch (role) {
    case OrgRole::Member:
        return u"member"_s;
    case OrgRole::Owner:
        return u"owner"_s;
    }
    return {};
}

QString toString(ProjectRole role)
{
    switch (role) {
    case ProjectRole::Guest:
        return u"guest"_s;
    case ProjectRole::Develop:
        return u"develop"_s;
    case ProjectRole::Maintain:
        return u"maintain"_s;
    case ProjectRole::Admin:
        return u"admin"_s;
    }
    return {};
}

std::optional<OrgRole> orgRoleFromString(const QString &s)
{
    for (const OrgRole r : allOrgRoles) {
        if (toString(r) == s)
            return r;
    }
    return std::nullopt;
}

std::optional<ProjectRole> projectRoleFromString(const QString &s)
{
    for (const ProjectRole r : allProjectRoles) {
        if (toString(r) == s)
            return r;
    }
    return std::nullopt;
}

} // namespace pf::api
