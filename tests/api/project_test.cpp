// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <gtest/gtest.h>

#include "api/project.h"
#include "tests/api/jsontestutil.h"

using namespace Qt::StringLiterals;
using namespace pf::api;
using namespace pf::apitest;

TEST(Project, RoundTripAndKeys)
{
    const Project p{u"p1"_s, u"vision"_s, u"g1"_s};
    EXPECT_EQ(roundTrip(p), p);
    const QJsonObject o = p.toJson();
    EXPECT_EQ(keysOf(o), keys({"id", "name", "pf_group_id"}));
    EXPECT_EQ(o.value("pf_group_id"_L1).toString(), u"g1"_s);
}

TEST(Project, LenientReading)
{
    EXPECT_EQ(Project::fromJson(parse(R"({"id": "p", "pf_group_id": "g", "created": 1})")),
              (Project{u"p"_s, {}, u"g"_s}));
    EXPECT_EQ(Project::fromJson({}), Project{});
    EXPECT_EQ(Project::fromJson(parse(R"({"id": {}, "name": 1, "pf_group_id": null})")), Project{});
}

TEST(ProjectMember, RoundTripAndKeys)
{
    const ProjectMember m{u"u1"_s, u"alice"_s, u"Alice"_s, u"a@example.org"_s,
                          ProjectRole::Maintain};
    EXPECT_EQ(roundTrip(m), m);
    const QJsonObject o = m.toJson();
    EXPECT_EQ(keysOf(o), keys({"id", "username", "name", "email", "access_level"}));
    EXPECT_EQ(o.value("access_level"_L1).toString(), u"maintain"_s);
    for (const ProjectRole r : allProjectRoles) {
        ProjectMember copy = m;
        copy.accessLevel = r;
        EXPECT_EQ(roundTrip(copy).accessLevel, r) << toString(r).toStdString();
    }
}

TEST(ProjectMember, LenientReading)
{
    EXPECT_EQ(ProjectMember::fromJson(parse(R"({"id": "u", "access_level": "admin", "q": 0})")),
              (ProjectMember{u"u"_s, {}, {}, {}, ProjectRole::Admin}));
    EXPECT_EQ(ProjectMember::fromJson({}), ProjectMember{});
    EXPECT_EQ(ProjectMember::fromJson({}).accessLevel, ProjectRole::Guest);
    EXPECT_EQ(ProjectMember::fromJson(parse(R"({"access_level": "owner"})")).accessLevel,
              ProjectRole::Guest);
    EXPECT_EQ(ProjectMember::fromJson(parse(R"({"id": 1, "username": [], "name": {},
                                                "email": true, "access_level": 3})")),
              ProjectMember{});
}

TEST(ProjectMembership, RoundTripAndKeys)
{
    const ProjectMembership m{u"u1"_s, u"p1"_s, ProjectRole::Develop};
    EXPECT_EQ(roundTrip(m), m);
    const QJsonObject o = m.toJson();
    EXPECT_EQ(keysOf(o), keys({"user_id", "pf_project_id", "access_level"}));
    EXPECT_EQ(o.value("user_id"_L1).toString(), u"u1"_s);
    EXPECT_EQ(o.value("pf_project_id"_L1).toString(), u"p1"_s);
    EXPECT_EQ(o.value("access_level"_L1).toString(), u"develop"_s);
}

TEST(ProjectMembership, LenientReading)
{
    EXPECT_EQ(ProjectMembership::fromJson(
                  parse(R"({"user_id": "u", "access_level": "guest", "project_id": "x"})")),
              (ProjectMembership{u"u"_s, {}, ProjectRole::Guest}));
    EXPECT_EQ(ProjectMembership::fromJson({}), ProjectMembership{});
    EXPECT_EQ(ProjectMembership::fromJson(
                  parse(R"({"user_id": 1, "pf_project_id": 2, "access_level": null})")),
              ProjectMembership{});
}
