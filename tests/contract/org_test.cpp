// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// Contract: organizations ("pf_group"), invitations and members
// (API.md "Organizations"; docs/api.md "Roles, route by route").

#include <QSet>

#include "tests/contract/contracthelpers.h"

using namespace pf::test;
using namespace Qt::StringLiterals;

class Org : public ApiTest
{
protected:
    static HttpReply invite(const User &by, const QString &orgId, const QString &email)
    {
        return pfd().client(by.token)->postJson(u"/auth/pf_group/%1/invite"_s.arg(orgId),
                                                {{u"email"_s, email}, {u"msg"_s, u"join us"_s}});
    }
    static HttpReply confirm(const User &who, const QJsonValue &emailToken, const QJsonValue &key)
    {
        return pfd().client(who.token)->postJson(u"/auth/pf_group/invite/confirm"_s,
                                                 {{u"email_token"_s, emailToken}, {u"key"_s, key}});
    }
    static QJsonObject member(const User &asker, const QString &orgId, const QString &userId)
    {
        const HttpReply r =
            pfd().client(asker.token)->get(u"/auth/pf_group/%1/pf_user?limit=100"_s.arg(orgId));
        return findBy(results(r), u"id"_s, userId);
    }
};

// --- POST /auth/pf_group, GET /auth/pf_group/{gid} --------------------------

TEST_F(Org, CreateMakesTheCreatorOwner)
{
    const User alice = newUser(u"alice"_s);
    auto c = pfd().client(alice.token);
    const QString name = unique(u"Acme Ünïcode"_s);
    const HttpReply r =
        c->postJson(u"/auth/pf_group"_s, {{u"name"_s, QString(u"  "_s + name + u"  "_s)},
                                          {u"hosting_type"_s, u"hosted"_s}});
    ASSERT_EQ(r.status, 201) << show(r);
    const QString id = r.json().value(u"id"_s).toString();
    EXPECT_TRUE(isUuid(id)) << show(r);
    EXPECT_EQ(r.json().value(u"name"_s).toString(), name); // trimmed
    EXPECT_EQ(r.json().value(u"status"_s).toString(), u"active"_s);
    EXPECT_EQ(r.json().keys(), (QStringList{u"id"_s, u"name"_s, u"status"_s}));

    const HttpReply groups = c->get(u"/auth/pf_user/%1/pf_group"_s.arg(alice.id));
    ASSERT_EQ(groups.status, 200) << show(groups);
    const QJsonObject mine = findBy(groups.jsonArray(), u"id"_s, id);
    EXPECT_EQ(mine.value(u"name"_s).toString(), name);
    EXPECT_EQ(mine.value(u"privilege_level"_s).toString(), u"owner"_s);

    const HttpReply got = c->get(u"/auth/pf_group/%1"_s.arg(id));
    ASSERT_EQ(got.status, 200) << show(got);
    EXPECT_EQ(got.json(), r.json());
    const HttpReply slash = c->get(u"/auth/pf_group/%1/"_s.arg(id));
    EXPECT_EQ(slash.json(), r.json()) << show(slash);

    // The member list holds the creator as owner.
    const QJsonObject self = member(alice, id, alice.id);
    EXPECT_EQ(self.value(u"privilege_level"_s).toString(), u"owner"_s);
    EXPECT_EQ(self.value(u"username"_s).toString(), alice.username);
    EXPECT_EQ(self.value(u"email"_s).toString(), alice.email);
}

TEST_F(Org, CreateErrors)
{
    const User alice = newUser(u"alice"_s);
    auto c = pfd().client(alice.token);
    const QString name = unique(u"taken"_s);
    ASSERT_EQ(
        c->postJson(u"/auth/pf_group"_s, {{u"name"_s, name}, {u"hosting_type"_s, u"hosted"_s}})
            .status,
        201);
    // Names are unique on the server, for everyone.
    const User bob = newUser(u"bob"_s);
    EXPECT_API_ERROR(
        pfd().client(bob.token)->postJson(u"/auth/pf_group"_s,
                                          {{u"name"_s, name}, {u"hosting_type"_s, u"hosted"_s}}),
        409);

    EXPECT_FIELD_ERROR(c->postJson(u"/auth/pf_group"_s, {{u"hosting_type"_s, u"hosted"_s}}), 400,
                       u"name"_s);
    EXPECT_FIELD_ERROR(c->postJson(u"/auth/pf_group"_s, {{u"name"_s, u"   "_s}}), 400, u"name"_s);
    EXPECT_FIELD_ERROR(c->postJson(u"/auth/pf_group"_s, {{u"name"_s, unique(u"o"_s)},
                                                         {u"hosting_type"_s, u"dedicated"_s}}),
                       400, u"hosting_type"_s);
    EXPECT_FIELD_ERROR(c->postJson(u"/auth/pf_group"_s, {{u"name"_s, unique(u"o"_s)},
                                                         {u"hosting_type"_s, u"hosted"_s},
                                                         {u"plan"_s, u"gold"_s}}),
                       400, u"plan"_s);
    EXPECT_FIELD_ERROR(c->postJson(u"/auth/pf_group"_s, {{u"name"_s, QString(129, u'x')}}), 400,
                       u"name"_s);
    EXPECT_API_ERROR(pfd().client()->postJson(u"/auth/pf_group"_s, {{u"name"_s, unique(u"o"_s)}}),
                     401);
}

TEST_F(Org, GetIsForMembersOnly)
{
    const World w = makeWorld();
    const User member = newUser(u"member"_s);
    ASSERT_TRUE(joinOrg(w.owner, member, w.orgId));
    const User outsider = newUser(u"outsider"_s);

    const HttpReply m = pfd().client(member.token)->get(u"/auth/pf_group/%1"_s.arg(w.orgId));
    ASSERT_EQ(m.status, 200) << show(m);
    EXPECT_EQ(m.json().value(u"id"_s).toString(), w.orgId);

    auto out = pfd().client(outsider.token);
    const HttpReply hidden = out->get(u"/auth/pf_group/%1"_s.arg(w.orgId));
    EXPECT_API_ERROR(hidden, 404);
    // Indistinguishable from an org that does not exist.
    const HttpReply absent =
        out->get(u"/auth/pf_group/%1"_s.arg(QUuid::createUuid().toString(QUuid::WithoutBraces)));
    EXPECT_API_ERROR(absent, 404);
    EXPECT_EQ(hidden.detail(), absent.detail());

    EXPECT_API_ERROR(out->get(u"/auth/pf_group/not-a-uuid"_s), 400);
    // A known path with another method: 405 naming the allowed ones.
    const HttpReply put = pfd()
                              .client(member.token)
                              ->putJson(u"/auth/pf_group/%1"_s.arg(w.orgId), {{u"name"_s, u"x"_s}});
    EXPECT_API_ERROR(put, 405);
    EXPECT_NE(put.header("allow").find("GET"), std::string::npos) << show(put);
    EXPECT_NE(put.header("allow").find("DELETE"), std::string::npos) << show(put);
    EXPECT_API_ERROR(pfd().client()->get(u"/auth/pf_group/%1"_s.arg(w.orgId)), 401);
}

TEST_F(Org, DeleteByOwnerRemovesOrgAndProjects)
{
    const World w = makeWorld();
    const User member = newUser(u"member"_s);
    ASSERT_TRUE(joinOrg(w.owner, member, w.orgId));
    const User outsider = newUser(u"outsider"_s);
    auto c = pfd().client(w.owner.token);
    const QString name =
        c->get(u"/auth/pf_group/%1"_s.arg(w.orgId)).json().value(u"name"_s).toString();

    EXPECT_API_ERROR(pfd().client(member.token)->del(u"/auth/pf_group/%1"_s.arg(w.orgId)), 403);
    EXPECT_API_ERROR(pfd().client(outsider.token)->del(u"/auth/pf_group/%1"_s.arg(w.orgId)), 404);
    ASSERT_EQ(c->get(u"/auth/pf_group/%1"_s.arg(w.orgId)).status, 200);

    const HttpReply r = c->del(u"/auth/pf_group/%1"_s.arg(w.orgId));
    ASSERT_EQ(r.status, 204) << show(r);
    EXPECT_API_ERROR(c->get(u"/auth/pf_group/%1"_s.arg(w.orgId)), 404);
    EXPECT_API_ERROR(c->get(u"/auth/pf_project/%1"_s.arg(w.projectId)), 404);
    EXPECT_API_ERROR(c->del(u"/auth/pf_group/%1"_s.arg(w.orgId)), 404);
    const HttpReply groups =
        pfd().client(member.token)->get(u"/auth/pf_user/%1/pf_group"_s.arg(member.id));
    EXPECT_TRUE(groups.jsonArray().isEmpty()) << show(groups);
    // The name is free again.
    EXPECT_EQ(
        c->postJson(u"/auth/pf_group"_s, {{u"name"_s, name}, {u"hosting_type"_s, u"hosted"_s}})
            .status,
        201);
}

// --- invitations ------------------------------------------------------------

TEST_F(Org, InviteAndConfirmJoinsAsMember)
{
    const World w = makeWorld();
    const User bob = newUser(u"bob"_s);
    const User mallory = newUser(u"mallory"_s);

    // Addresses are compared without regard to case.
    const HttpReply inv = invite(w.owner, w.orgId, bob.email.toUpper());
    ASSERT_EQ(inv.status, 201) << show(inv);
    EXPECT_EQ(inv.json().value(u"email"_s).toString(), bob.email);
    const QJsonValue token = inv.json().value(u"email_token"_s);
    const QJsonValue key = inv.json().value(u"key"_s);
    ASSERT_TRUE(token.isString() && !token.toString().isEmpty()) << show(inv);
    ASSERT_TRUE(key.isString() && !key.toString().isEmpty()) << show(inv);

    // Someone else with the code: 403, and the invitation is not used up.
    EXPECT_API_ERROR(confirm(mallory, token, key), 403);
    EXPECT_API_ERROR(pfd().client(mallory.token)->get(u"/auth/pf_group/%1"_s.arg(w.orgId)), 404);
    // A wrong key: 400.
    EXPECT_API_ERROR(confirm(bob, token, QString(key.toString() + u"x"_s)), 400);
    EXPECT_FIELD_ERROR(confirm(bob, token, QJsonValue()), 400, u"key"_s);
    EXPECT_API_ERROR(pfd().client()->postJson(u"/auth/pf_group/invite/confirm"_s,
                                              {{u"email_token"_s, token}, {u"key"_s, key}}),
                     401);

    const HttpReply ok = confirm(bob, token, key);
    ASSERT_EQ(ok.status, 200) << show(ok);
    EXPECT_EQ(ok.json().value(u"id"_s).toString(), w.orgId);
    const HttpReply groups =
        pfd().client(bob.token)->get(u"/auth/pf_user/%1/pf_group"_s.arg(bob.id));
    EXPECT_EQ(findBy(groups.jsonArray(), u"id"_s, w.orgId).value(u"privilege_level"_s).toString(),
              u"member"_s)
        << show(groups);
    EXPECT_EQ(member(w.owner, w.orgId, bob.id).value(u"privilege_level"_s).toString(), u"member"_s);
    // A code works once.
    EXPECT_API_ERROR(confirm(bob, token, key), 400);
}

TEST_F(Org, InviteIsForOwnersOnly)
{
    const World w = makeWorld();
    const User member = newUser(u"member"_s);
    ASSERT_TRUE(joinOrg(w.owner, member, w.orgId));
    const User outsider = newUser(u"outsider"_s);
    EXPECT_API_ERROR(invite(member, w.orgId, u"x@example.test"_s), 403);
    EXPECT_API_ERROR(invite(outsider, w.orgId, u"x@example.test"_s), 404);
    EXPECT_FIELD_ERROR(invite(w.owner, w.orgId, u"not an address"_s), 400, u"email"_s);
    EXPECT_FIELD_ERROR(
        pfd().client(w.owner.token)->postJson(u"/auth/pf_group/%1/invite"_s.arg(w.orgId), {}), 400,
        u"email"_s);
}

// --- GET /auth/pf_group/{gid}/pf_user ---------------------------------------

TEST_F(Org, MemberListPagesAndSearches)
{
    const World w = makeWorld();
    QStringList expected{w.owner.id};
    QList<User> members;
    for (int i = 0; i < 22; ++i) {
        const User u = newUser(u"paged"_s);
        ASSERT_FALSE(u.id.isEmpty());
        ASSERT_TRUE(joinOrg(w.owner, u, w.orgId)) << i;
        expected << u.id;
        members << u;
    }
    auto c = pfd().client(members[3].token); // any member may list
    const QString path = u"/auth/pf_group/%1/pf_user"_s.arg(w.orgId);

    // Default page size: 20.
    const HttpReply first = c->get(path);
    ASSERT_EQ(first.status, 200) << show(first);
    EXPECT_EQ(ids(results(first)), expected.mid(0, 20));
    EXPECT_TRUE(first.json().value(u"next_cursor"_s).isString());
    const QJsonObject one = results(first)[1].toObject();
    EXPECT_EQ(one.keys(),
              (QStringList{u"email"_s, u"id"_s, u"name"_s, u"privilege_level"_s, u"username"_s}));
    EXPECT_EQ(one.value(u"username"_s).toString(), members[0].username);
    EXPECT_EQ(one.value(u"name"_s).toString(), members[0].username + u" Tester"_s);
    EXPECT_EQ(one.value(u"email"_s).toString(), members[0].email);
    EXPECT_EQ(one.value(u"privilege_level"_s).toString(), u"member"_s);

    // Two at a time through all 23, in joining order.
    int pages = 0;
    EXPECT_EQ(allPages(*c, path, 2, &pages), expected);
    EXPECT_EQ(pages, 12);
    const HttpReply big = c->get(path + u"?limit=100"_s);
    EXPECT_EQ(ids(results(big)), expected);
    EXPECT_TRUE(big.json().value(u"next_cursor"_s).isNull());

    for (const QString &bad : {u"limit=0"_s, u"limit=101"_s, u"limit=abc"_s, u"limit=-1"_s,
                               u"cursor=garbage"_s, u"cursor=YzEuMA"_s /* c1.0 */}) {
        SCOPED_TRACE(bad.toStdString());
        EXPECT_API_ERROR(c->get(path + u'?' + bad), 400);
    }

    // search= matches username, name or e-mail, without regard to case.
    const HttpReply found = c->get(path + u"?search="_s + members[7].username.toUpper());
    ASSERT_EQ(found.status, 200) << show(found);
    EXPECT_EQ(ids(results(found)), QStringList{members[7].id});
    const HttpReply byName = c->get(path + u"?search=%1%20tester"_s.arg(members[8].username));
    EXPECT_EQ(ids(results(byName)), QStringList{members[8].id}) << show(byName);
    // LIKE wildcards are literal.
    const HttpReply percent = c->get(path + u"?search=%25"_s);
    ASSERT_EQ(percent.status, 200) << show(percent);
    EXPECT_TRUE(results(percent).isEmpty()) << show(percent);
    // Everyone's e-mail shares the domain: searching it pages like the full list.
    EXPECT_EQ(allPages(*c, path + u"?search=example.test"_s, 10, &pages), expected);

    const User outsider = newUser(u"outsider"_s);
    EXPECT_API_ERROR(pfd().client(outsider.token)->get(path), 404);
}

// --- PATCH .../privilege_level ----------------------------------------------

TEST_F(Org, PrivilegeLevelByOwnerOnly)
{
    const World w = makeWorld();
    const User bob = newUser(u"bob"_s);
    const User carol = newUser(u"carol"_s);
    ASSERT_TRUE(joinOrg(w.owner, bob, w.orgId));
    ASSERT_TRUE(joinOrg(w.owner, carol, w.orgId));
    const auto path = [&](const User &u) {
        return u"/auth/pf_user/%1/pf_group/%2/privilege_level"_s.arg(u.id, w.orgId);
    };
    auto owner = pfd().client(w.owner.token);

    // A member cannot promote anyone, themself included.
    EXPECT_API_ERROR(
        pfd().client(bob.token)->patchJson(path(bob), {{u"privilege_level"_s, u"owner"_s}}), 403);
    EXPECT_API_ERROR(
        pfd().client(bob.token)->patchJson(path(carol), {{u"privilege_level"_s, u"owner"_s}}), 403);
    // The last owner cannot step down.
    EXPECT_API_ERROR(owner->patchJson(path(w.owner), {{u"privilege_level"_s, u"member"_s}}), 409);
    EXPECT_FIELD_ERROR(owner->patchJson(path(bob), {{u"privilege_level"_s, u"admin"_s}}), 400,
                       u"privilege_level"_s);
    EXPECT_FIELD_ERROR(owner->patchJson(path(bob), {}), 400, u"privilege_level"_s);
    EXPECT_FIELD_ERROR(owner->patchJson(path(bob), {{u"privilege_level"_s, u""_s}}), 400,
                       u"privilege_level"_s);
    const User stranger = newUser(u"stranger"_s);
    EXPECT_API_ERROR(owner->patchJson(path(stranger), {{u"privilege_level"_s, u"owner"_s}}), 404);
    EXPECT_API_ERROR(
        pfd().client(stranger.token)->patchJson(path(bob), {{u"privilege_level"_s, u"owner"_s}}),
        404);
    EXPECT_EQ(member(w.owner, w.orgId, bob.id).value(u"privilege_level"_s).toString(), u"member"_s);

    const HttpReply up = owner->patchJson(path(bob), {{u"privilege_level"_s, u"owner"_s}});
    ASSERT_EQ(up.status, 200) << show(up);
    EXPECT_EQ(up.json().value(u"privilege_level"_s).toString(), u"owner"_s);
    EXPECT_EQ(up.json().value(u"id"_s).toString(), bob.id);
    EXPECT_EQ(member(w.owner, w.orgId, bob.id).value(u"privilege_level"_s).toString(), u"owner"_s);
    // Bob now acts as owner: he can invite.
    EXPECT_EQ(invite(bob, w.orgId, u"someone@example.test"_s).status, 201);

    // With two owners, the first may step down, and then cannot act as owner.
    const HttpReply down = owner->patchJson(path(w.owner), {{u"privilege_level"_s, u"member"_s}});
    ASSERT_EQ(down.status, 200) << show(down);
    EXPECT_EQ(down.json().value(u"privilege_level"_s).toString(), u"member"_s);
    EXPECT_API_ERROR(invite(w.owner, w.orgId, u"someone@example.test"_s), 403);
    EXPECT_API_ERROR(
        pfd().client(bob.token)->patchJson(path(bob), {{u"privilege_level"_s, u"member"_s}}), 409);
}

// --- DELETE /auth/pf_user/{uid}/pf_group/{gid} ------------------------------

TEST_F(Org, RemoveMembers)
{
    const World w = makeWorld();
    const User bob = newUser(u"bob"_s);
    const User carol = newUser(u"carol"_s);
    const User dave = newUser(u"dave"_s);
    for (const User *u : {&bob, &carol, &dave})
        ASSERT_TRUE(joinOrg(w.owner, *u, w.orgId));
    ASSERT_TRUE(addToProject(w.owner, bob, w.projectId, u"develop"_s));
    const auto path = [&](const User &u) {
        return u"/auth/pf_user/%1/pf_group/%2"_s.arg(u.id, w.orgId);
    };
    auto owner = pfd().client(w.owner.token);

    // A member cannot remove another member.
    EXPECT_API_ERROR(pfd().client(carol.token)->del(path(bob)), 403);
    // The last owner cannot leave.
    EXPECT_API_ERROR(owner->del(path(w.owner)), 409);
    const User stranger = newUser(u"stranger"_s);
    EXPECT_API_ERROR(owner->del(path(stranger)), 404);
    EXPECT_API_ERROR(pfd().client(stranger.token)->del(path(bob)), 404);

    // The owner removes Bob: out of the org and out of its projects.
    const HttpReply r = owner->del(path(bob));
    ASSERT_EQ(r.status, 204) << show(r);
    EXPECT_TRUE(member(w.owner, w.orgId, bob.id).isEmpty());
    EXPECT_API_ERROR(pfd().client(bob.token)->get(u"/auth/pf_group/%1"_s.arg(w.orgId)), 404);
    EXPECT_API_ERROR(owner->get(u"/auth/pf_user/%1/pf_project/%2"_s.arg(bob.id, w.projectId)), 404);
    const HttpReply projectMembers = owner->get(u"/auth/pf_project/%1/pf_user"_s.arg(w.projectId));
    EXPECT_FALSE(ids(results(projectMembers)).contains(bob.id)) << show(projectMembers);
    // Back in the org, he is not back in the project.
    ASSERT_TRUE(joinOrg(w.owner, bob, w.orgId));
    EXPECT_API_ERROR(pfd().client(bob.token)->get(u"/auth/pf_project/%1"_s.arg(w.projectId)), 404);

    // Carol leaves on her own.
    const HttpReply leave = pfd().client(carol.token)->del(path(carol));
    ASSERT_EQ(leave.status, 204) << show(leave);
    EXPECT_TRUE(member(w.owner, w.orgId, carol.id).isEmpty());
    EXPECT_API_ERROR(pfd().client(carol.token)->del(path(carol)), 404);

    // With a second owner, the first may leave.
    ASSERT_EQ(
        owner
            ->patchJson(u"/auth/pf_user/%1/pf_group/%2/privilege_level"_s.arg(dave.id, w.orgId),
                        {{u"privilege_level"_s, u"owner"_s}})
            .status,
        200);
    EXPECT_EQ(owner->del(path(w.owner)).status, 204);
    EXPECT_API_ERROR(owner->get(u"/auth/pf_group/%1"_s.arg(w.orgId)), 404);
    EXPECT_API_ERROR(pfd().client(dave.token)->del(path(dave)), 409);
}
