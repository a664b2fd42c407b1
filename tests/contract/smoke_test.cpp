// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "tests/contract/contractfixture.h"

using namespace pf::test;

class Smoke : public ContractTest
{
};

TEST_F(Smoke, AdminUserSignsInAndSeesUserinfo)
{
    auto alice = pfd().createUser(QStringLiteral("alice"));
    ASSERT_FALSE(alice.id.isEmpty());
    ASSERT_FALSE(alice.token.isEmpty());
    auto c = pfd().client(alice.token);
    const HttpReply r = c->get(QStringLiteral("/auth/oauth2/userinfo"));
    ASSERT_EQ(r.status, 200) << r.body.toStdString();
    EXPECT_EQ(r.json().value(QStringLiteral("sub")).toString(), QStringLiteral("pf|") + alice.id);
    EXPECT_EQ(r.json().value(QStringLiteral("username")).toString(), QStringLiteral("alice"));
    EXPECT_EQ(r.json().value(QStringLiteral("email")).toString(), alice.email);
}

TEST_F(Smoke, OrgAndProjectRoundTrip)
{
    const World w = makeWorld();
    ASSERT_FALSE(w.orgId.isEmpty());
    ASSERT_FALSE(w.projectId.isEmpty());
    auto c = pfd().client(w.owner.token);
    const HttpReply list = c->get(QStringLiteral("/auth/pf_group/%1/pf_project/").arg(w.orgId));
    ASSERT_EQ(list.status, 200) << list.body.toStdString();
    const QJsonArray results = list.json().value(QStringLiteral("results")).toArray();
    ASSERT_EQ(results.size(), 1);
    EXPECT_EQ(results[0].toObject().value(QStringLiteral("id")).toString(), w.projectId);
    EXPECT_TRUE(list.json().value(QStringLiteral("next_cursor")).isNull());
}
