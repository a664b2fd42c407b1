// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// MembersModel against a real pfd on loopback, under QAbstractItemModelTester:
// org and project members, invitations joined, search, paging, roles, removal.

#include <gtest/gtest.h>

#include <QAbstractItemModelTester>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

#include "models/membersmodel.h"
#include "tests/support/apiwait.h"
#include "tests/support/workspacefixture.h"

using namespace Qt::StringLiterals;
using namespace pf::network;
using pf::models::MembersModel;
using pf::models::Workspace;
using pf::test::PfdProcess;
using pf::test::waitFor;
using pf::test::WorkspaceFixture;
namespace api = pf::api;

namespace {

class MembersModelTest : public WorkspaceFixture
{
protected:
    MembersModelTest()
        : WorkspaceFixture(u"mem"_s, u"p"_s)
    {}

    static void load(MembersModel &model, const Workspace &ws)
    {
        QSignalSpy loaded(&model, &MembersModel::loaded);
        model.setWorkspace(ws);
        ASSERT_TRUE(loaded.wait(20000));
    }

    static ApiResult wait(const std::function<void(MembersModel::Done)> &call)
    {
        return waitFor<ApiResult>([&](auto d) {
                   call([d](const ApiResult &r) { d(Reply<ApiResult>{r, r}); });
               })
            .value;
    }

    // A new user who joined the org through an invitation.
    PfdProcess::User join(const QString &name)
    {
        return WorkspaceFixture::join(name, std::nullopt).user;
    }
};

TEST_F(MembersModelTest, OrgAndProjectMembersAndRoles)
{
    MembersModel org(MembersModel::Scope::Org);
    MembersModel project(MembersModel::Scope::Project);
    QAbstractItemModelTester orgTester(&org,
                                       QAbstractItemModelTester::FailureReportingMode::Warning);
    QAbstractItemModelTester projectTester(&project,
                                           QAbstractItemModelTester::FailureReportingMode::Warning);
    load(org, m_ws);
    load(project, m_ws);
    ASSERT_EQ(org.rowCount(), 1);
    EXPECT_EQ(org.index(0, MembersModel::Username).data().toString(), m_user.username);
    EXPECT_EQ(org.index(0, MembersModel::Role).data().toString(), u"Owner"_s);
    EXPECT_EQ(org.roles(), (QList<int>{int(api::OrgRole::Member), int(api::OrgRole::Owner)}));
    EXPECT_EQ(project.roles().size(), 4);

    const PfdProcess::User bob = join(m_user.username + u"-bob"_s);
    QSignalSpy loaded(&org, &MembersModel::loaded);
    org.refresh();
    ASSERT_TRUE(loaded.wait(20000));
    ASSERT_EQ(org.rowCount(), 2);
    const int bobRow = org.rowOf(bob.id);
    ASSERT_GE(bobRow, 0);
    EXPECT_EQ(org.index(bobRow, MembersModel::Role).data().toString(), u"Member"_s);
    EXPECT_EQ(org.index(bobRow, MembersModel::Email).data().toString(), bob.email);

    // Search narrows the org list on the server.
    org.setSearch(u"-bob"_s);
    ASSERT_TRUE(loaded.wait(20000));
    ASSERT_EQ(org.rowCount(), 1);
    EXPECT_EQ(org.member(0).id, bob.id);
    org.setSearch({});
    ASSERT_TRUE(loaded.wait(20000));
    EXPECT_EQ(org.rowCount(), 2);

    // Into the project, then up a role, then out.
    QSignalSpy projectLoaded(&project, &MembersModel::loaded);
    ASSERT_TRUE(wait([&](auto d) { project.add(bob.id, api::ProjectRole::Develop, d); }).ok());
    ASSERT_TRUE(projectLoaded.wait(20000));
    const int inProject = project.rowOf(bob.id);
    ASSERT_GE(inProject, 0);
    EXPECT_EQ(project.index(inProject, MembersModel::Role).data().toString(), u"Develop"_s);
    ASSERT_TRUE(
        wait([&](auto d) { project.setRole(bob.id, int(api::ProjectRole::Maintain), d); }).ok());
    EXPECT_EQ(project.index(project.rowOf(bob.id), 0).data(MembersModel::RoleRole).toInt(),
              int(api::ProjectRole::Maintain));
    const auto membership = waitFor<api::ProjectMembership>(
        [&](auto d) { m_api->projectMembership(bob.id, m_ws.projectId, d); });
    ASSERT_API_OK(membership);
    EXPECT_EQ(membership.value.accessLevel, api::ProjectRole::Maintain);
    ASSERT_TRUE(wait([&](auto d) { project.remove(bob.id, d); }).ok());
    EXPECT_EQ(project.rowOf(bob.id), -1);

    // Owner in the org, then removed from it.
    ASSERT_TRUE(wait([&](auto d) { org.setRole(bob.id, int(api::OrgRole::Owner), d); }).ok());
    EXPECT_EQ(org.index(org.rowOf(bob.id), MembersModel::Role).data().toString(), u"Owner"_s);
    ASSERT_TRUE(wait([&](auto d) { org.remove(bob.id, d); }).ok());
    EXPECT_EQ(org.rowCount(), 1);

    // The last owner cannot step down: the server's words, nothing changed.
    const ApiResult last =
        wait([&](auto d) { org.setRole(m_user.id, int(api::OrgRole::Member), d); });
    EXPECT_FALSE(last.ok());
    EXPECT_FALSE(last.message.isEmpty());
    EXPECT_EQ(org.index(0, MembersModel::Role).data().toString(), u"Owner"_s);
}

TEST_F(MembersModelTest, PagesThroughALargeOrg)
{
    // The route pages by 20: the owner and 20 others make two pages.
    for (int i = 0; i < 20; ++i)
        join(m_user.username + u"-m%1"_s.arg(i));
    MembersModel org(MembersModel::Scope::Org);
    QAbstractItemModelTester tester(&org, QAbstractItemModelTester::FailureReportingMode::Warning);
    load(org, m_ws);
    EXPECT_EQ(org.rowCount(), 20);
    ASSERT_TRUE(org.canFetchMore({}));
    QSignalSpy loaded(&org, &MembersModel::loaded);
    org.fetchMore({});
    EXPECT_TRUE(org.isFetching());
    EXPECT_FALSE(org.canFetchMore({})); // one page at a time
    ASSERT_TRUE(loaded.wait(20000));
    EXPECT_EQ(org.rowCount(), 21);
    EXPECT_FALSE(org.canFetchMore({}));
    QSet<QString> ids;
    for (int row = 0; row < org.rowCount(); ++row)
        ids.insert(org.member(row).id);
    EXPECT_EQ(ids.size(), 21);
}

} // namespace
