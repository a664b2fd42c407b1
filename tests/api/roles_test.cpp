// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <utility>

#include <gtest/gtest.h>

#include "api/roles.h"

using namespace Qt::StringLiterals;
using namespace pf::api;

TEST(Roles, OrgRoleStrings)
{
    const std::pair<OrgRole, const char *> table[] = {{OrgRole::Member, "member"},
                                                      {OrgRole::Owner, "owner"}};
    for (const auto &[role, name] : table) {
        EXPECT_EQ(toString(role).toStdString(), name);
        EXPECT_EQ(orgRoleFromString(QString::fromLatin1(name)), role) << name;
    }
    EXPECT_EQ(std::size(table), allOrgRoles.size());
}

TEST(Roles, ProjectRoleStrings)
{
    const std::pair<ProjectRole, const char *> table[] = {{ProjectRole::Guest, "guest"},
                                                          {ProjectRole::Develop, "develop"},
                                                          {ProjectRole::Maintain, "maintain"},
                                                          {ProjectRole::Admin, "admin"}};
    for (const auto &[role, name] : table) {
        EXPECT_EQ(toString(role).toStdString(), name);
        EXPECT_EQ(projectRoleFromString(QString::fromLatin1(name)), role) << name;
    }
    EXPECT_EQ(std::size(table), allProjectRoles.size());
}

TEST(Roles, UnknownStringsGiveNullopt)
{
    for (const QString &s : {u""_s, u"Owner"_s, u"admin"_s, u"owner "_s, u"superuser"_s})
        EXPECT_FALSE(orgRoleFromString(s).has_value()) << s.toStdString();
    for (const QString &s : {u""_s, u"Admin"_s, u"owner"_s, u"member"_s, u"read"_s})
        EXPECT_FALSE(projectRoleFromString(s).has_value()) << s.toStdString();
}

TEST(Roles, OrderComparesPrivilege)
{
    EXPECT_LT(OrgRole::Member, OrgRole::Owner);
    EXPECT_LT(ProjectRole::Guest, ProjectRole::Develop);
    EXPECT_LT(ProjectRole::Develop, ProjectRole::Maintain);
    EXPECT_LT(ProjectRole::Maintain, ProjectRole::Admin);
    EXPECT_TRUE(ProjectRole::Admin >= ProjectRole::Develop);
    EXPECT_FALSE(ProjectRole::Guest >= ProjectRole::Develop);
}
