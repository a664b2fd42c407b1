// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// Contract: projects ("pf_project") and their members (API.md "Projects";
// docs/api.md "Roles, route by route").

#include "tests/contract/contracthelpers.h"

using namespace pf::test;
using namespace Qt::StringLiterals;

class Project : public ApiTest
{
protected:
    static QString membershipPath(const User &u, const QString &projectId)
    {
        return u"/auth/pf_user/%1/pf_project/%2"_s.arg(u.id, projectId);
    }
};

// --- POST /auth/pf_group/{gid}/pf_project -----------------------------------

TEST_F(Project, CreateByOrgOwnerOnly)
{
    const World w = makeWorld();
    const User member = newUser(u"member"_s);
    ASSERT_TRUE(joinOrg(w.owner, member, w.orgId));
    const User outsider = newUser(u"outsider"_s);
    auto owner = pfd().client(w.owner.token);
    const QString path = u"/auth/pf_group/%1/pf_project"_s.arg(w.orgId);

    const HttpReply r = owner->postJson(path, {{u"name"_s, u" vision "_s}});
    ASSERT_EQ(r.status, 201) << show(r);
    EXPECT_TRUE(isUuid(r.json().value(u"id"_s).toString())) << show(r);
    EXPECT_EQ(r.json().value(u"name"_s).toString(), u"vision"_s);
    EXPECT_EQ(r.json().value(u"pf_group_id"_s).toString(), w.orgId);
    EXPECT_EQ(r.json().keys(), (QStringList{u"id"_s, u"name"_s, u"pf_group_id"_s}));

    EXPECT_API_ERROR(pfd().client(member.token)->postJson(path, {{u"name"_s, u"mine"_s}}), 403);
    EXPECT_API_ERROR(pfd().client(outsider.token)->postJson(path, {{u"name"_s, u"mine"_s}}), 404);
    EXPECT_API_ERROR(owner->postJson(path, {{u"name"_s, u"vision"_s}}), 409);
    EXPECT_FIELD_ERROR(owner->postJson(path, {}), 400, u"name"_s);
    EXPECT_FIELD_ERROR(owner->postJson(path, {{u"name"_s, 5}}), 400, u"name"_s);
    EXPECT_FIELD_ERROR(owner->postJson(path, {{u"name"_s, u"a\x01b"_s}}), 400, u"name"_s);
    EXPECT_FIELD_ERROR(owner->postJson(path, {{u"name"_s, u"x"_s}, {u"org"_s, u"y"_s}}), 400,
                       u"org"_s);

    // Project names are unique per org only.
    const World other = makeWorld();
    EXPECT_EQ(pfd()
                  .client(other.owner.token)
                  ->postJson(u"/auth/pf_group/%1/pf_project"_s.arg(other.orgId),
                             {{u"name"_s, u"vision"_s}})
                  .status,
              201);
}

// --- GET /auth/pf_group/{gid}/pf_project ------------------------------------

TEST_F(Project, OrgProjectListIsPaginatedForEveryMember)
{
    const World w = makeWorld();
    QStringList expected{w.projectId};
    for (int i = 0; i < 4; ++i)
        expected << createProject(w.owner, w.orgId);
    ASSERT_FALSE(expected.contains(QString()));
    const User member = newUser(u"member"_s); // in no project
    ASSERT_TRUE(joinOrg(w.owner, member, w.orgId));
    auto m = pfd().client(member.token);
    const QString path = u"/auth/pf_group/%1/pf_project"_s.arg(w.orgId);

    const HttpReply all = m->get(path);
    ASSERT_EQ(all.status, 200) << show(all);
    EXPECT_EQ(ids(results(all)), expected);
    EXPECT_TRUE(all.json().value(u"next_cursor"_s).isNull());
    int pages = 0;
    EXPECT_EQ(allPages(*m, path, 2, &pages), expected);
    EXPECT_EQ(pages, 3);
    EXPECT_API_ERROR(m->get(path + u"?limit=1000"_s), 400);
    EXPECT_API_ERROR(m->get(path + u"?cursor=bm90LWEtY3Vyc29y"_s), 400);

    const User outsider = newUser(u"outsider"_s);
    EXPECT_API_ERROR(pfd().client(outsider.token)->get(path), 404);
}

// --- GET / DELETE /auth/pf_project/{pid} ------------------------------------

TEST_F(Project, GetIsForProjectMembersAndOrgOwners)
{
    const World w = makeWorld();
    const User guest = projectMember(w, u"guest"_s);
    ASSERT_FALSE(guest.id.isEmpty());
    const User orgOnly = newUser(u"orgonly"_s);
    ASSERT_TRUE(joinOrg(w.owner, orgOnly, w.orgId));
    const User outsider = newUser(u"outsider"_s);
    const QString path = u"/auth/pf_project/%1"_s.arg(w.projectId);

    const HttpReply byOwner = pfd().client(w.owner.token)->get(path);
    ASSERT_EQ(byOwner.status, 200) << show(byOwner);
    EXPECT_EQ(byOwner.json(),
              (QJsonObject{
                  {u"id"_s, w.projectId}, {u"name"_s, u"default"_s}, {u"pf_group_id"_s, w.orgId}}));
    const HttpReply byGuest = pfd().client(guest.token)->get(path + u'/');
    EXPECT_EQ(byGuest.json(), byOwner.json()) << show(byGuest);

    const HttpReply hidden = pfd().client(orgOnly.token)->get(path);
    EXPECT_API_ERROR(hidden, 404);
    EXPECT_API_ERROR(pfd().client(outsider.token)->get(path), 404);
    const HttpReply absent =
        pfd()
            .client(w.owner.token)
            ->get(u"/auth/pf_project/%1"_s.arg(QUuid::createUuid().toString(QUuid::WithoutBraces)));
    EXPECT_API_ERROR(absent, 404);
    EXPECT_EQ(hidden.detail(), absent.detail());
}

TEST_F(Project, DeleteByProjectAdminOrOrgOwner)
{
    const World w = makeWorld();
    const User admin = projectMember(w, u"admin"_s);
    const User maintainer = projectMember(w, u"maintain"_s);
    ASSERT_FALSE(admin.id.isEmpty());
    ASSERT_FALSE(maintainer.id.isEmpty());
    const User outsider = newUser(u"outsider"_s);
    const QString path = u"/auth/pf_project/%1"_s.arg(w.projectId);

    EXPECT_API_ERROR(pfd().client(maintainer.token)->del(path), 403);
    EXPECT_API_ERROR(pfd().client(outsider.token)->del(path), 404);
    const HttpReply r = pfd().client(admin.token)->del(path);
    ASSERT_EQ(r.status, 204) << show(r);
    EXPECT_API_ERROR(pfd().client(w.owner.token)->get(path), 404);
    EXPECT_API_ERROR(pfd().client(admin.token)->del(path), 404);

    // The org owner deletes a project they are not a member of.
    const QString second = createProject(w.owner, w.orgId);
    ASSERT_FALSE(second.isEmpty());
    EXPECT_EQ(pfd().client(w.owner.token)->del(u"/auth/pf_project/%1"_s.arg(second)).status, 204);
    const HttpReply list =
        pfd().client(w.owner.token)->get(u"/auth/pf_group/%1/pf_project"_s.arg(w.orgId));
    EXPECT_TRUE(results(list).isEmpty()) << show(list);
}

// --- members ----------------------------------------------------------------

TEST_F(Project, MemberListShowsAccessLevels)
{
    const World w = makeWorld();
    const User admin = projectMember(w, u"admin"_s);
    const User guest = projectMember(w, u"guest"_s);
    ASSERT_FALSE(guest.id.isEmpty());
    const QString path = u"/auth/pf_project/%1/pf_user"_s.arg(w.projectId);

    const HttpReply r = pfd().client(guest.token)->get(path);
    ASSERT_EQ(r.status, 200) << show(r);
    EXPECT_EQ(ids(results(r)), (QStringList{admin.id, guest.id}));
    EXPECT_TRUE(r.json().value(u"next_cursor"_s).isNull());
    const QJsonObject g = results(r)[1].toObject();
    EXPECT_EQ(g, (QJsonObject{{u"id"_s, guest.id},
                              {u"username"_s, guest.username},
                              {u"name"_s, QString(guest.username + u" Tester"_s)},
                              {u"email"_s, guest.email},
                              {u"access_level"_s, u"guest"_s}}));
    EXPECT_EQ(results(r)[0].toObject().value(u"access_level"_s).toString(), u"admin"_s);

    int pages = 0;
    EXPECT_EQ(allPages(*pfd().client(guest.token), path, 1, &pages),
              (QStringList{admin.id, guest.id}));
    EXPECT_EQ(pages, 2);

    const User orgOnly = newUser(u"orgonly"_s);
    ASSERT_TRUE(joinOrg(w.owner, orgOnly, w.orgId));
    EXPECT_API_ERROR(pfd().client(orgOnly.token)->get(path), 404);
    EXPECT_API_ERROR(pfd().client(guest.token)->get(path + u"?limit=0"_s), 400);
}

TEST_F(Project, AddMember)
{
    const World w = makeWorld();
    const User bob = newUser(u"bob"_s);
    ASSERT_TRUE(joinOrg(w.owner, bob, w.orgId));
    const User carol = newUser(u"carol"_s);
    ASSERT_TRUE(joinOrg(w.owner, carol, w.orgId));
    const User notInOrg = newUser(u"notinorg"_s);
    const User developer = projectMember(w, u"develop"_s);
    const User admin = projectMember(w, u"admin"_s);
    ASSERT_FALSE(admin.id.isEmpty());
    auto owner = pfd().client(w.owner.token);

    const HttpReply r =
        owner->postJson(membershipPath(bob, w.projectId), {{u"access_level"_s, u"maintain"_s}});
    ASSERT_EQ(r.status, 201) << show(r);
    EXPECT_EQ(r.json(), (QJsonObject{{u"user_id"_s, bob.id},
                                     {u"pf_project_id"_s, w.projectId},
                                     {u"access_level"_s, u"maintain"_s}}));
    EXPECT_EQ(pfd().client(bob.token)->get(u"/auth/pf_project/%1"_s.arg(w.projectId)).status, 200);

    EXPECT_API_ERROR(
        owner->postJson(membershipPath(bob, w.projectId), {{u"access_level"_s, u"guest"_s}}), 409);
    EXPECT_API_ERROR(
        owner->postJson(membershipPath(notInOrg, w.projectId), {{u"access_level"_s, u"guest"_s}}),
        404);
    User ghost;
    ghost.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    EXPECT_API_ERROR(
        owner->postJson(membershipPath(ghost, w.projectId), {{u"access_level"_s, u"guest"_s}}),
        404);
    EXPECT_FIELD_ERROR(
        owner->postJson(membershipPath(carol, w.projectId), {{u"access_level"_s, u"owner"_s}}), 400,
        u"access_level"_s);
    EXPECT_FIELD_ERROR(owner->postJson(membershipPath(carol, w.projectId), {}), 400,
                       u"access_level"_s);
    // Only admins add members.
    EXPECT_API_ERROR(
        pfd()
            .client(developer.token)
            ->postJson(membershipPath(carol, w.projectId), {{u"access_level"_s, u"guest"_s}}),
        403);
    EXPECT_API_ERROR(
        pfd()
            .client(carol.token)
            ->postJson(membershipPath(carol, w.projectId), {{u"access_level"_s, u"admin"_s}}),
        404);
    // A project admin who is not an org owner can.
    const HttpReply byAdmin =
        pfd()
            .client(admin.token)
            ->postJson(membershipPath(carol, w.projectId), {{u"access_level"_s, u"guest"_s}});
    ASSERT_EQ(byAdmin.status, 201) << show(byAdmin);
    EXPECT_EQ(byAdmin.json().value(u"access_level"_s).toString(), u"guest"_s);
}

TEST_F(Project, PatchAccessLevel)
{
    const World w = makeWorld();
    const User bob = projectMember(w, u"guest"_s);
    const User developer = projectMember(w, u"develop"_s);
    ASSERT_FALSE(developer.id.isEmpty());
    const User orgOnly = newUser(u"orgonly"_s);
    ASSERT_TRUE(joinOrg(w.owner, orgOnly, w.orgId));
    auto owner = pfd().client(w.owner.token);
    const QString path = membershipPath(bob, w.projectId) + u"/access_level"_s;

    const HttpReply r = owner->patchJson(path, {{u"access_level"_s, u"develop"_s}});
    ASSERT_EQ(r.status, 200) << show(r);
    EXPECT_EQ(r.json(), (QJsonObject{{u"user_id"_s, bob.id},
                                     {u"pf_project_id"_s, w.projectId},
                                     {u"access_level"_s, u"develop"_s}}));
    const HttpReply got = owner->get(membershipPath(bob, w.projectId));
    EXPECT_EQ(got.json().value(u"access_level"_s).toString(), u"develop"_s) << show(got);

    EXPECT_FIELD_ERROR(owner->patchJson(path, {{u"access_level"_s, u""_s}}), 400,
                       u"access_level"_s);
    EXPECT_FIELD_ERROR(owner->patchJson(path, {{u"access_level"_s, u"superuser"_s}}), 400,
                       u"access_level"_s);
    EXPECT_API_ERROR(
        pfd().client(developer.token)->patchJson(path, {{u"access_level"_s, u"admin"_s}}), 403);
    EXPECT_API_ERROR(owner->patchJson(membershipPath(orgOnly, w.projectId) + u"/access_level"_s,
                                      {{u"access_level"_s, u"guest"_s}}),
                     404);
    EXPECT_API_ERROR(
        pfd().client(orgOnly.token)->patchJson(path, {{u"access_level"_s, u"guest"_s}}), 404);
    // Unchanged by the failures.
    EXPECT_EQ(
        owner->get(membershipPath(bob, w.projectId)).json().value(u"access_level"_s).toString(),
        u"develop"_s);
}

TEST_F(Project, GetMembership)
{
    const World w = makeWorld();
    const User guest = projectMember(w, u"guest"_s);
    const User maintainer = projectMember(w, u"maintain"_s);
    ASSERT_FALSE(maintainer.id.isEmpty());
    const User orgOnly = newUser(u"orgonly"_s);
    ASSERT_TRUE(joinOrg(w.owner, orgOnly, w.orgId));

    // A guest may look at anyone's membership in the project.
    const HttpReply r = pfd().client(guest.token)->get(membershipPath(maintainer, w.projectId));
    ASSERT_EQ(r.status, 200) << show(r);
    EXPECT_EQ(r.json(), (QJsonObject{{u"user_id"_s, maintainer.id},
                                     {u"pf_project_id"_s, w.projectId},
                                     {u"access_level"_s, u"maintain"_s}}));
    EXPECT_API_ERROR(pfd().client(guest.token)->get(membershipPath(orgOnly, w.projectId)), 404);
    EXPECT_API_ERROR(pfd().client(orgOnly.token)->get(membershipPath(guest, w.projectId)), 404);
    EXPECT_API_ERROR(pfd().client(orgOnly.token)->get(membershipPath(orgOnly, w.projectId)), 404);
}

TEST_F(Project, RemoveMembership)
{
    const World w = makeWorld();
    const User admin = projectMember(w, u"admin"_s);
    const User guest = projectMember(w, u"guest"_s);
    const User other = projectMember(w, u"develop"_s);
    ASSERT_FALSE(other.id.isEmpty());
    const User orgOnly = newUser(u"orgonly"_s);
    ASSERT_TRUE(joinOrg(w.owner, orgOnly, w.orgId));

    // A guest cannot remove others.
    EXPECT_API_ERROR(pfd().client(guest.token)->del(membershipPath(other, w.projectId)), 403);
    // An admin can.
    const HttpReply r = pfd().client(admin.token)->del(membershipPath(other, w.projectId));
    ASSERT_EQ(r.status, 204) << show(r);
    EXPECT_API_ERROR(pfd().client(admin.token)->get(membershipPath(other, w.projectId)), 404);
    EXPECT_API_ERROR(pfd().client(other.token)->get(u"/auth/pf_project/%1"_s.arg(w.projectId)),
                     404);
    EXPECT_API_ERROR(pfd().client(admin.token)->del(membershipPath(other, w.projectId)), 404);
    EXPECT_API_ERROR(pfd().client(admin.token)->del(membershipPath(orgOnly, w.projectId)), 404);

    // Anyone may leave on their own.
    const HttpReply leave = pfd().client(guest.token)->del(membershipPath(guest, w.projectId));
    ASSERT_EQ(leave.status, 204) << show(leave);
    EXPECT_API_ERROR(pfd().client(guest.token)->get(u"/auth/pf_project/%1"_s.arg(w.projectId)),
                     404);
    // Still in the org.
    EXPECT_EQ(pfd().client(guest.token)->get(u"/auth/pf_group/%1"_s.arg(w.orgId)).status, 200);

    const HttpReply members =
        pfd().client(w.owner.token)->get(u"/auth/pf_project/%1/pf_user"_s.arg(w.projectId));
    EXPECT_EQ(ids(results(members)), QStringList{admin.id}) << show(members);
}
