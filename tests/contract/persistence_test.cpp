// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// Contract: what one pfd wrote, the next pfd on the same data dir serves,
// after a graceful (SIGTERM) shutdown.

#include "tests/contract/contracthelpers.h"

using namespace pf::test;
using namespace Qt::StringLiterals;

TEST(Persistence, DataSurviveARestart)
{
    PfdProcess first;
    ASSERT_TRUE(first.start()) << first.lastError().toStdString();
    PfdProcess::User alice = first.createUser(u"alice"_s);
    PfdProcess::User bob = first.createUser(u"bob"_s);
    ASSERT_FALSE(alice.id.isEmpty());
    ASSERT_FALSE(bob.id.isEmpty());
    auto c = first.client(alice.token);

    const HttpReply org = c->postJson(
        u"/auth/pf_group"_s, {{u"name"_s, u"durable"_s}, {u"hosting_type"_s, u"hosted"_s}});
    ASSERT_EQ(org.status, 201) << show(org);
    const QString orgId = org.json().value(u"id"_s).toString();
    const HttpReply project =
        c->postJson(u"/auth/pf_group/%1/pf_project"_s.arg(orgId), {{u"name"_s, u"kept"_s}});
    ASSERT_EQ(project.status, 201) << show(project);
    const QString projectId = project.json().value(u"id"_s).toString();
    const HttpReply invite =
        c->postJson(u"/auth/pf_group/%1/invite"_s.arg(orgId), {{u"email"_s, bob.email}});
    ASSERT_EQ(invite.status, 201) << show(invite);
    ASSERT_EQ(first.client(bob.token)
                  ->postJson(u"/auth/pf_group/invite/confirm"_s,
                             {{u"email_token"_s, invite.json().value(u"email_token"_s)},
                              {u"key"_s, invite.json().value(u"key"_s)}})
                  .status,
              200);
    ASSERT_EQ(c->postJson(u"/auth/pf_user/%1/pf_project/%2"_s.arg(bob.id, projectId),
                          {{u"access_level"_s, u"develop"_s}})
                  .status,
              201);
    const QJsonObject secret{{u"username"_s, u"robot"_s}, {u"password"_s, u"persisted-secret"_s}};
    const HttpReply credential =
        c->postJson(u"/auth/pf_project/%1/credential"_s.arg(projectId), {{u"type"_s, u"docker"_s},
                                                                         {u"name"_s, u"registry"_s},
                                                                         {u"type_version"_s, 1},
                                                                         {u"value"_s, secret}});
    ASSERT_EQ(credential.status, 201) << show(credential);
    const QString credentialId = credential.json().value(u"id"_s).toString();
    const HttpReply experiment =
        c->postJson(u"/api/project/%1/experiment/"_s.arg(projectId), {{u"name"_s, u"exp-1"_s}});
    ASSERT_EQ(experiment.status, 201) << show(experiment);
    const HttpReply configs = c->get(u"/api/group/%1/vm_config/"_s.arg(orgId));
    ASSERT_EQ(configs.status, 200) << show(configs);
    const HttpReply quota = c->postJson(
        u"/api/group/%1/vm_quota/"_s.arg(orgId),
        {{u"vm_config_type_code"_s,
          configs.jsonArray()[0].toObject().value(u"vm_config_type"_s).toObject().value(u"code"_s)},
         {u"project_id"_s, projectId},
         {u"quota"_s, 7}});
    ASSERT_EQ(quota.status, 201) << show(quota);
    const QString oldAccess = alice.token;
    const QString oldRefresh = alice.refresh;
    c.reset();

    // SIGTERM: a graceful exit with code 0.
    EXPECT_EQ(first.stop(), 0) << first.log().right(2000).toStdString();
    EXPECT_FALSE(first.running());

    PfdProcess second(PfdProcess::defaultConfig(), first);
    ASSERT_EQ(second.dataDir(), first.dataDir());
    ASSERT_TRUE(second.start()) << second.lastError().toStdString();
    ASSERT_NE(second.pid(), 0);

    // The JWT key persisted: the old access token still works.
    auto after = second.client(oldAccess);
    const HttpReply info = after->get(u"/auth/oauth2/userinfo"_s);
    ASSERT_EQ(info.status, 200) << show(info);
    EXPECT_EQ(info.json().value(u"sub"_s).toString(), u"pf|"_s + alice.id);
    EXPECT_EQ(info.json().value(u"email"_s).toString(), alice.email);

    // So does the old refresh token, once.
    auto anon = second.client();
    const HttpReply refreshed =
        anon->postForm(u"/api/token/refresh/"_s, {{u"refresh_token"_s, oldRefresh}});
    ASSERT_EQ(refreshed.status, 200) << show(refreshed);
    EXPECT_NE(refreshed.json().value(u"refresh_token"_s).toString(), oldRefresh);
    EXPECT_EQ(anon->postForm(u"/api/token/refresh/"_s, {{u"refresh_token"_s, oldRefresh}}).status,
              401);
    // Passwords persisted.
    EXPECT_EQ(second.login(bob), 200);

    const HttpReply gotOrg = after->get(u"/auth/pf_group/%1"_s.arg(orgId));
    ASSERT_EQ(gotOrg.status, 200) << show(gotOrg);
    EXPECT_EQ(gotOrg.json(), org.json());
    const HttpReply groups = after->get(u"/auth/pf_user/%1/pf_group"_s.arg(alice.id));
    EXPECT_EQ(groups.jsonArray(), (QJsonArray{QJsonObject{{u"id"_s, orgId},
                                                          {u"name"_s, u"durable"_s},
                                                          {u"privilege_level"_s, u"owner"_s}}}))
        << show(groups);
    const HttpReply gotProject = after->get(u"/auth/pf_project/%1"_s.arg(projectId));
    EXPECT_EQ(gotProject.json(), project.json()) << show(gotProject);
    const HttpReply membership =
        after->get(u"/auth/pf_user/%1/pf_project/%2"_s.arg(bob.id, projectId));
    EXPECT_EQ(membership.json().value(u"access_level"_s).toString(), u"develop"_s)
        << show(membership);

    // The credential decrypts with the persisted key.
    const HttpReply gotCredential = after->get(u"/auth/credential/%1"_s.arg(credentialId));
    ASSERT_EQ(gotCredential.status, 200) << show(gotCredential);
    EXPECT_EQ(gotCredential.json().value(u"value"_s).toObject(), secret);
    EXPECT_EQ(gotCredential.json().value(u"name"_s).toString(), u"registry"_s);
    EXPECT_EQ(gotCredential.json().value(u"created_at"_s),
              credential.json().value(u"created_at"_s));

    const HttpReply experiments = after->get(u"/api/project/%1/experiment/"_s.arg(projectId));
    EXPECT_EQ(experiments.jsonArray(), QJsonArray{experiment.json()}) << show(experiments);

    // VM config ids are stable across restarts, and the quota is kept.
    EXPECT_EQ(after->get(u"/api/group/%1/vm_config/"_s.arg(orgId)).jsonArray(),
              configs.jsonArray());
    const HttpReply quotas = after->get(u"/api/group/%1/vm_quota/"_s.arg(orgId));
    EXPECT_EQ(quotas.jsonArray(), QJsonArray{quota.json()}) << show(quotas);

    EXPECT_EQ(second.stop(), 0) << second.log().right(2000).toStdString();
}

TEST(Persistence, ASecondPfdOnTheSameDataDirRefusesToStart)
{
    PfdProcess first;
    ASSERT_TRUE(first.start()) << first.lastError().toStdString();
    PfdProcess second(PfdProcess::defaultConfig(), first);
    EXPECT_FALSE(second.start());
    EXPECT_TRUE(second.lastError().contains(u"another pfd is already serving"_s) ||
                first.log().contains(u"another pfd is already serving"_s))
        << second.lastError().toStdString();
    // The first one is untouched and still answers.
    EXPECT_TRUE(first.running());
    EXPECT_EQ(first.client()->get(u"/auth/oauth2/userinfo"_s).status, 401);
}
