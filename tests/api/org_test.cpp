// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <gtest/gtest.h>

#include "api/org.h"
#include "tests/api/jsontestutil.h"

using namespace Qt::StringLiterals;
using namespace pf::api;
using namespace pf::apitest;

TEST(Org, RoundTripAndKeys)
{
    const Org org{u"5f0c7b1e-1111-4a0f-9b7c-2f0e2d7c1a11"_s, u"friendli"_s, u"active"_s};
    EXPECT_EQ(roundTrip(org), org);
    const QJsonObject o = org.toJson();
    EXPECT_EQ(keysOf(o), keys({"id", "name", "status"}));
    EXPECT_EQ(o.value("status"_L1).toString(), u"active"_s);
}

TEST(Org, LenientReading)
{
    EXPECT_EQ(Org::fromJson(parse(R"({"id": "g", "name": "n", "hosting_type": "hosted"})")),
              (Org{u"g"_s, u"n"_s, {}}));
    EXPECT_EQ(Org::fromJson({}), Org{});
    EXPECT_EQ(Org::fromJson(parse(R"({"id": 1, "name": true, "status": [1]})")), Org{});
}

TEST(UserOrg, RoundTripAndKeys)
{
    const UserOrg org{u"g1"_s, u"friendli"_s, OrgRole::Owner};
    EXPECT_EQ(roundTrip(org), org);
    const QJsonObject o = org.toJson();
    EXPECT_EQ(keysOf(o), keys({"id", "name", "privilege_level"}));
    EXPECT_EQ(o.value("privilege_level"_L1).toString(), u"owner"_s);
    EXPECT_EQ(UserOrg{}.toJson().value("privilege_level"_L1).toString(), u"member"_s);
}

TEST(UserOrg, LenientReading)
{
    EXPECT_EQ(UserOrg::fromJson(parse(R"({"id": "g", "privilege_level": "owner", "x": 1})")),
              (UserOrg{u"g"_s, {}, OrgRole::Owner}));
    EXPECT_EQ(UserOrg::fromJson({}), UserOrg{});
    EXPECT_EQ(UserOrg::fromJson({}).privilegeLevel, OrgRole::Member);
    // Unknown or wrong-typed roles fall back to the lower role.
    EXPECT_EQ(UserOrg::fromJson(parse(R"({"privilege_level": "god"})")).privilegeLevel,
              OrgRole::Member);
    EXPECT_EQ(UserOrg::fromJson(parse(R"({"id": [], "name": 3, "privilege_level": 1})")),
              UserOrg{});
}

TEST(OrgMember, RoundTripAndKeys)
{
    const OrgMember m{u"u1"_s, u"alice"_s, u"Alice"_s, u"alice@example.org"_s, OrgRole::Owner};
    EXPECT_EQ(roundTrip(m), m);
    const QJsonObject o = m.toJson();
    EXPECT_EQ(keysOf(o), keys({"id", "username", "name", "email", "privilege_level"}));
    EXPECT_EQ(o.value("privilege_level"_L1).toString(), u"owner"_s);
    OrgMember member = m;
    member.privilegeLevel = OrgRole::Member;
    EXPECT_EQ(roundTrip(member), member);
    EXPECT_NE(roundTrip(member), m);
}

TEST(OrgMember, LenientReading)
{
    EXPECT_EQ(OrgMember::fromJson(parse(R"({"username": "bob", "privilege_level": "owner",
                                            "joined": "2026-01-01"})")),
              (OrgMember{{}, u"bob"_s, {}, {}, OrgRole::Owner}));
    EXPECT_EQ(OrgMember::fromJson({}), OrgMember{});
    EXPECT_EQ(OrgMember::fromJson(parse(R"({"id": 1, "username": 2, "name": 3, "email": 4,
                                            "privilege_level": {}})")),
              OrgMember{});
}
