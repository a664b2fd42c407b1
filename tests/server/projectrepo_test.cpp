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

class ProjectRepoTest : public StoreTest
{
protected:
    void SetUp() override
    {
        StoreTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        UserRepo users(conn());
        m_ada = users.create(u"ada"_s, u"Ada"_s, u"ada@example.org"_s, "h", true).id;
        m_bob = users.create(u"bob"_s, u"Bob"_s, u"bob@example.org"_s, "h", true).id;
        OrgRepo orgs(conn());
        m_org = orgs.create(u"org"_s, m_ada).id;
        m_otherOrg = orgs.create(u"other"_s, m_ada).id;
        orgs.addMember(m_org, m_bob, OrgRole::Member);
    }

    // Project names of every page of `list`, following next cursors.
    QList<QStringList> pages(ProjectRepo &projects, const QString &memberId, int limit)
    {
        QList<QStringList> out;
        PageRequest page;
        page.limit = limit;
        for (int guard = 0; guard < 100; ++guard) {
            const auto p = projects.list(m_org, memberId, page);
            QStringList names;
            for (const auto &project : p.results) {
                EXPECT_EQ(project.pfGroupId, m_org);
                names << project.name;
            }
            out << names;
            if (p.nextCursor.isEmpty())
                return out;
            const auto after = decodeCursor(p.nextCursor);
            EXPECT_TRUE(after);
            if (!after)
                return out;
            page.after = *after;
        }
        ADD_FAILURE() << "paging did not end";
        return out;
    }

    QString m_ada, m_bob, m_org, m_otherOrg;
};

} // namespace

PF_INSTANTIATE_STORE_TEST(ProjectRepoTest);

TEST_P(ProjectRepoTest, CreateGetRemove)
{
    ProjectRepo projects(conn());
    const auto p = projects.create(m_org, u"vision"_s);
    EXPECT_EQ(p.name, u"vision"_s);
    EXPECT_EQ(p.pfGroupId, m_org);
    EXPECT_EQ(projects.get(p.id), std::optional<pf::api::Project>(p));
    EXPECT_THROW(projects.create(m_org, u"vision"_s), UniqueViolation);
    // The same name in another org is fine.
    const auto other = projects.create(m_otherOrg, u"vision"_s);
    EXPECT_NE(other.id, p.id);
    EXPECT_THROW(projects.create(u"no-such-org"_s, u"x"_s), pf::server::StoreError);

    projects.addMember(p.id, m_bob, ProjectRole::Guest);
    projects.remove(p.id);
    EXPECT_FALSE(projects.get(p.id));
    EXPECT_EQ(count(u"project_members"_s), 0);
    EXPECT_TRUE(projects.get(other.id));
}

TEST_P(ProjectRepoTest, ListWithAndWithoutMemberFilter)
{
    ProjectRepo projects(conn());
    QStringList ids;
    for (int i = 1; i <= 5; ++i)
        ids << projects.create(m_org, u"p%1"_s.arg(i)).id;
    projects.create(m_otherOrg, u"elsewhere"_s);
    projects.addMember(ids[1], m_bob, ProjectRole::Develop);
    projects.addMember(ids[3], m_bob, ProjectRole::Guest);
    projects.addMember(ids[4], m_bob, ProjectRole::Admin);
    projects.addMember(ids[0], m_ada, ProjectRole::Admin);

    EXPECT_EQ(pages(projects, {}, 100),
              (QList<QStringList>{{u"p1"_s, u"p2"_s, u"p3"_s, u"p4"_s, u"p5"_s}}));
    EXPECT_EQ(pages(projects, {}, 2),
              (QList<QStringList>{{u"p1"_s, u"p2"_s}, {u"p3"_s, u"p4"_s}, {u"p5"_s}}));
    EXPECT_EQ(pages(projects, m_bob, 100), (QList<QStringList>{{u"p2"_s, u"p4"_s, u"p5"_s}}));
    EXPECT_EQ(pages(projects, m_bob, 2), (QList<QStringList>{{u"p2"_s, u"p4"_s}, {u"p5"_s}}));
    EXPECT_EQ(pages(projects, m_ada, 100), (QList<QStringList>{{u"p1"_s}}));
    EXPECT_EQ(pages(projects, u"nobody"_s, 100), (QList<QStringList>{{}}));
}

TEST_P(ProjectRepoTest, MembersAndRoles)
{
    ProjectRepo projects(conn());
    const auto p = projects.create(m_org, u"p"_s);
    projects.addMember(p.id, m_ada, ProjectRole::Admin);
    projects.addMember(p.id, m_bob, ProjectRole::Guest);
    EXPECT_THROW(projects.addMember(p.id, m_bob, ProjectRole::Develop), UniqueViolation);

    EXPECT_EQ(projects.role(p.id, m_bob), std::optional<ProjectRole>(ProjectRole::Guest));
    projects.setRole(p.id, m_bob, ProjectRole::Maintain);
    EXPECT_EQ(projects.role(p.id, m_bob), std::optional<ProjectRole>(ProjectRole::Maintain));

    PageRequest first;
    first.limit = 1;
    const auto page1 = projects.members(p.id, first);
    ASSERT_EQ(page1.results.size(), 1);
    EXPECT_EQ(page1.results[0].username, u"ada"_s);
    EXPECT_EQ(page1.results[0].accessLevel, ProjectRole::Admin);
    ASSERT_FALSE(page1.nextCursor.isEmpty());
    PageRequest second = first;
    second.after = decodeCursor(page1.nextCursor).value_or(0);
    const auto page2 = projects.members(p.id, second);
    ASSERT_EQ(page2.results.size(), 1);
    EXPECT_EQ(page2.results[0].username, u"bob"_s);
    EXPECT_EQ(page2.results[0].email, u"bob@example.org"_s);
    EXPECT_EQ(page2.results[0].accessLevel, ProjectRole::Maintain);
    EXPECT_TRUE(page2.nextCursor.isEmpty());

    projects.removeMember(p.id, m_bob);
    EXPECT_FALSE(projects.role(p.id, m_bob));
    EXPECT_EQ(projects.members(p.id, {}).results.size(), 1);
}
