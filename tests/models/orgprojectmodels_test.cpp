// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// The sidebar's org and project models under QAbstractItemModelTester,
// against a real pfd: name order, ids, every page of projects read, and a
// reload that replaces what an older load would have answered.

#include <gtest/gtest.h>

#include <QAbstractItemModelTester>
#include <QSignalSpy>

#include "models/orgprojectmodels.h"
#include "tests/support/workspacefixture.h"

using namespace Qt::StringLiterals;
using pf::models::OrgsModel;
using pf::models::ProjectsModel;
using pf::test::waitFor;
namespace api = pf::api;

namespace {

class OrgProjectModels : public pf::test::WorkspaceFixture
{
protected:
    OrgProjectModels()
        : WorkspaceFixture(u"sidebar"_s, u"vision"_s, u"-org"_s)
    {}
};

} // namespace

TEST_F(OrgProjectModels, OrgsInNameOrderWithTheirRoles)
{
    ASSERT_API_OK(
        waitFor<api::Org>([&](auto d) { m_api->createOrg(u"aaa-"_s + m_user.username, d); }));
    OrgsModel model;
    QAbstractItemModelTester tester(&model,
                                    QAbstractItemModelTester::FailureReportingMode::Warning);
    QSignalSpy loaded(&model, &OrgsModel::loaded);
    model.load(m_api.get(), m_user.id);
    ASSERT_TRUE(loaded.wait(10000));
    ASSERT_EQ(model.rowCount(), 2);
    EXPECT_EQ(model.index(0).data().toString(), u"aaa-"_s + m_user.username);
    EXPECT_EQ(model.index(1).data(OrgsModel::IdRole).toString(), m_ws.orgId);
    EXPECT_EQ(model.index(1).data(OrgsModel::RoleRole).toString(), u"owner"_s);
    EXPECT_EQ(model.rowOf(m_ws.orgId), 1);
    EXPECT_EQ(model.rowOf(u"nope"_s), -1);
    model.clear();
    EXPECT_EQ(model.rowCount(), 0);
}

TEST_F(OrgProjectModels, EveryPageOfProjectsInNameOrder)
{
    // More projects than one page of the listing holds.
    for (int i = 0; i < 25; ++i) {
        ASSERT_API_OK(waitFor<api::Project>([&](auto d) {
            m_api->createProject(m_ws.orgId, u"p%1"_s.arg(i, 2, 10, QLatin1Char('0')), d);
        }));
    }
    ProjectsModel model;
    QAbstractItemModelTester tester(&model,
                                    QAbstractItemModelTester::FailureReportingMode::Warning);
    QSignalSpy loaded(&model, &ProjectsModel::loaded);
    model.load(m_api.get(), m_user.id, m_ws.orgId);
    EXPECT_TRUE(model.isLoading());
    ASSERT_TRUE(loaded.wait(10000));
    EXPECT_FALSE(model.isLoading());
    ASSERT_EQ(model.rowCount(), 26);
    EXPECT_EQ(model.index(0).data().toString(), u"p00"_s);
    EXPECT_EQ(model.index(25).data().toString(), u"vision"_s);
    EXPECT_EQ(model.rowOf(m_ws.projectId), 25);

    // Two loads in a row: only the second answers.
    model.load(m_api.get(), m_user.id, u"00000000-0000-0000-0000-000000000000"_s);
    QSignalSpy failed(&model, &ProjectsModel::failed);
    model.load(m_api.get(), m_user.id, m_ws.orgId);
    ASSERT_TRUE(loaded.wait(10000));
    EXPECT_TRUE(failed.isEmpty());
    EXPECT_EQ(model.rowCount(), 26);
}
