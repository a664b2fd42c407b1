// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <gtest/gtest.h>

#include "server/store/database.h"
#include "server/store/orgrepo.h"
#include "server/store/pagination.h"
#include "server/store/projectrepo.h"
#include "server/store/userrepo.h"
#include "tests/server/servertestutil.h"
#include "tests/server/storefixture.h"

using namespace Qt::StringLiterals;
using pf::api::OrgRole;
using pf::api::ProjectRole;
using pf::server::decodeCursor;
using pf::server::OrgRepo;
using pf::server::PageRequest;
using pf::server::ProjectRepo;
using pf::server::UniqueViolation;
using pf::server::UserRepo;
using pf::servertest::StoreTest;

namespace {

class OrgRepoTest : public StoreTest
{
protected:
    QString user(const QString &username, const QString &name = {}, const QString &email = {})
    {
        UserRepo users(conn());
        return users
            .create(username, name.isEmpty() ? username : name,
                    email.isEmpty() ? username + u"@example.org"_s : email, "h", true)
            .id;
    }

    // Every member's username, page by page, following next cursors.
    QList<QStringList> pages(OrgRepo &orgs, const QString &orgId, const QString &search, int limit)
    {
        QList<QStringList> out;
        PageRequest page;
        page.limit = limit;
        for (int guard = 0; guard < 100; ++guard) {
            const auto p = orgs.members(orgId, search, page);
            QStringList names;
            for (const auto &m : p.results)
                names << m.username;
            out << names;
            if (p.nextCursor.isEmpty())
                return out;
            const auto after = decodeCursor(p.nextCursor);
            EXPECT_TRUE(after) << p.nextCursor.toStdString();
            if (!after)
                return out;
            page.after = *after;
        }
        ADD_FAILURE() << "paging did not end";
        return out;
    }
};

QStringList names(std::initializer_list<const char16_t *> list)
{
    QStringList out;
    for (const char16_t *s : list)
        out << QString::fromUtf16(s);
    return out;
}

} // namespace

PF_INSTANTIATE_STORE_TEST(OrgRepoTest);

TEST_P(OrgRepoTest, CreateGetAndOwner)
{
    OrgRepo orgs(conn());
    const QString ada = user(u"ada"_s);
    const auto org = orgs.create(u"friendli"_s, ada);
    EXPECT_FALSE(org.id.isEmpty());
    EXPECT_EQ(org.name, u"friendli"_s);
    EXPECT_EQ(org.status, u"active"_s);
    EXPECT_EQ(orgs.get(org.id), std::optional<pf::api::Org>(org));
    EXPECT_FALSE(orgs.get(u"nope"_s));
    EXPECT_EQ(orgs.role(org.id, ada), std::optional<OrgRole>(OrgRole::Owner));
    EXPECT_EQ(orgs.ownerCount(org.id), 1);
    EXPECT_THROW(orgs.create(u"friendli"_s, ada), UniqueViolation);
}

TEST_P(OrgRepoTest, MembersRolesAndForUser)
{
    OrgRepo orgs(conn());
    const QString ada = user(u"ada"_s);
    const QString bob = user(u"bob"_s);
    const auto zeta = orgs.create(u"zeta"_s, ada);
    const auto alpha = orgs.create(u"alpha"_s, bob);
    orgs.addMember(zeta.id, bob, OrgRole::Member);
    EXPECT_THROW(orgs.addMember(zeta.id, bob, OrgRole::Owner), UniqueViolation);

    EXPECT_EQ(orgs.role(zeta.id, bob), std::optional<OrgRole>(OrgRole::Member));
    EXPECT_FALSE(orgs.role(alpha.id, ada));

    const auto bobsOrgs = orgs.forUser(bob);
    ASSERT_EQ(bobsOrgs.size(), 2);
    EXPECT_EQ(bobsOrgs[0].name, u"alpha"_s); // ordered by name
    EXPECT_EQ(bobsOrgs[0].privilegeLevel, OrgRole::Owner);
    EXPECT_EQ(bobsOrgs[1].name, u"zeta"_s);
    EXPECT_EQ(bobsOrgs[1].privilegeLevel, OrgRole::Member);

    orgs.setRole(zeta.id, bob, OrgRole::Owner);
    EXPECT_EQ(orgs.ownerCount(zeta.id), 2);
    EXPECT_EQ(orgs.ownerCount(alpha.id), 1);
}

TEST_P(OrgRepoTest, MembersPageThroughNextCursors)
{
    OrgRepo orgs(conn());
    const QString owner = user(u"m0"_s);
    const auto org = orgs.create(u"org"_s, owner);
    const auto other = orgs.create(u"other"_s, user(u"stranger"_s));
    for (int i = 1; i <= 4; ++i)
        orgs.addMember(org.id, user(u"m%1"_s.arg(i)), OrgRole::Member);
    orgs.addMember(other.id, owner, OrgRole::Member);

    // Five members, two per page: 2 + 2 + 1, in joining order.
    EXPECT_EQ(pages(orgs, org.id, {}, 2),
              (QList<QStringList>{{u"m0"_s, u"m1"_s}, {u"m2"_s, u"m3"_s}, {u"m4"_s}}));
    // A last page that is exactly full has no next cursor.
    EXPECT_EQ(pages(orgs, org.id, {}, 5),
              (QList<QStringList>{{u"m0"_s, u"m1"_s, u"m2"_s, u"m3"_s, u"m4"_s}}));
    EXPECT_EQ(pages(orgs, org.id, {}, 1).size(), 5);
    EXPECT_EQ(pages(orgs, org.id, {}, 100).size(), 1);

    const auto first = orgs.members(org.id, {}, {});
    ASSERT_EQ(first.results.size(), 5);
    EXPECT_TRUE(first.nextCursor.isEmpty());
    EXPECT_EQ(first.results[0].privilegeLevel, OrgRole::Owner);
    EXPECT_EQ(first.results[1].privilegeLevel, OrgRole::Member);
    EXPECT_EQ(first.results[1].email, u"m1@example.org"_s);

    // Another org's list is separate.
    EXPECT_EQ(pages(orgs, other.id, {}, 10), (QList<QStringList>{{u"stranger"_s, u"m0"_s}}));
}

TEST_P(OrgRepoTest, SearchTreatsPercentAndUnderscoreLiterally)
{
    OrgRepo orgs(conn());
    const QString owner = user(u"owner"_s, u"The Owner"_s, u"boss@corp.example"_s);
    const auto org = orgs.create(u"org"_s, owner);
    const auto add = [&](const QString &username, const QString &name, const QString &email) {
        orgs.addMember(org.id, user(username, name, email), OrgRole::Member);
    };
    add(u"ann_b"_s, u"Ann B"_s, u"ann@x.example"_s);
    add(u"annxb"_s, u"Ann X"_s, u"annx@x.example"_s);
    add(u"pct"_s, u"100% Pure"_s, u"pct@x.example"_s);
    add(u"plain"_s, u"Plain Jane"_s, u"Jane.DOE@Y.example"_s);
    add(u"back"_s, u"Back\\slash"_s, u"back@x.example"_s);

    const auto found = [&](const QString &search) {
        QStringList out;
        for (const QStringList &p : pages(orgs, org.id, search, 100))
            out << p;
        return out;
    };
    EXPECT_EQ(found(u"n_b"_s), names({u"ann_b"}));
    EXPECT_EQ(found(u"_"_s), names({u"ann_b"}));
    EXPECT_EQ(found(u"%"_s), names({u"pct"}));
    EXPECT_EQ(found(u"0%"_s), names({u"pct"}));
    EXPECT_EQ(found(u"%%"_s), QStringList());
    EXPECT_EQ(found(u"\\"_s), names({u"back"}));
    EXPECT_EQ(found(u"\\s"_s), names({u"back"}));
    // Case-insensitive over username, name and e-mail.
    EXPECT_EQ(found(u"ANN"_s), names({u"ann_b", u"annxb"}));
    EXPECT_EQ(found(u"pure"_s), names({u"pct"}));
    EXPECT_EQ(found(u"jane.doe@y"_s), names({u"plain"}));
    EXPECT_EQ(found(u"corp.example"_s), names({u"owner"}));
    EXPECT_EQ(found(u"nobody"_s), QStringList());
    EXPECT_EQ(found(u"'"_s), QStringList());

    // Search and paging combine.
    EXPECT_EQ(pages(orgs, org.id, u"x.example"_s, 2),
              (QList<QStringList>{{u"ann_b"_s, u"annxb"_s}, {u"pct"_s, u"back"_s}}));
}

TEST_P(OrgRepoTest, RemoveMemberLeavesTheOrgsProjects)
{
    OrgRepo orgs(conn());
    ProjectRepo projects(conn());
    const QString ada = user(u"ada"_s);
    const QString bob = user(u"bob"_s);
    const auto org = orgs.create(u"org"_s, ada);
    const auto otherOrg = orgs.create(u"other"_s, ada);
    orgs.addMember(org.id, bob, OrgRole::Member);
    orgs.addMember(otherOrg.id, bob, OrgRole::Member);
    const auto p1 = projects.create(org.id, u"p1"_s);
    const auto p2 = projects.create(otherOrg.id, u"p2"_s);
    projects.addMember(p1.id, bob, ProjectRole::Develop);
    projects.addMember(p2.id, bob, ProjectRole::Develop);

    orgs.removeMember(org.id, bob);
    EXPECT_FALSE(orgs.role(org.id, bob));
    EXPECT_FALSE(projects.role(p1.id, bob));
    // Membership elsewhere is untouched.
    EXPECT_EQ(orgs.role(otherOrg.id, bob), std::optional<OrgRole>(OrgRole::Member));
    EXPECT_EQ(projects.role(p2.id, bob), std::optional<ProjectRole>(ProjectRole::Develop));
}

TEST_P(OrgRepoTest, RemoveDeletesEverythingInside)
{
    OrgRepo orgs(conn());
    ProjectRepo projects(conn());
    const QString ada = user(u"ada"_s);
    const auto org = orgs.create(u"org"_s, ada);
    const auto keep = orgs.create(u"keep"_s, ada);
    const auto p = projects.create(org.id, u"p"_s);
    projects.addMember(p.id, ada, ProjectRole::Admin);
    projects.create(keep.id, u"p"_s);
    orgs.addInvite(u"tok"_s, "k", org.id, u"x@example.org"_s, ada, pf::server::nowMs() + 1000);

    orgs.remove(org.id);
    EXPECT_FALSE(orgs.get(org.id));
    EXPECT_FALSE(projects.get(p.id));
    EXPECT_EQ(count(u"org_members"_s, u"org_id = ?"_s, {org.id}), 0);
    EXPECT_EQ(count(u"project_members"_s), 0);
    EXPECT_EQ(count(u"org_invites"_s), 0);
    EXPECT_TRUE(orgs.get(keep.id));
    EXPECT_EQ(count(u"projects"_s), 1);
}

TEST_P(OrgRepoTest, InvitesAreTakenOnce)
{
    OrgRepo orgs(conn());
    const QString ada = user(u"ada"_s);
    const auto org = orgs.create(u"org"_s, ada);
    orgs.addInvite(u"tok"_s, "key", org.id, u"Bob@Example.org"_s, ada, 12345);
    EXPECT_FALSE(orgs.takeInvite(u"tok"_s, "wrong"));
    const auto invite = orgs.takeInvite(u"tok"_s, "key");
    ASSERT_TRUE(invite);
    EXPECT_EQ(invite->orgId, org.id);
    EXPECT_EQ(invite->email, u"bob@example.org"_s);
    EXPECT_EQ(invite->expiresAtMs, 12345); // expired ones are returned, for the message
    EXPECT_FALSE(orgs.takeInvite(u"tok"_s, "key"));
}
