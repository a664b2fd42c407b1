// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// ExperimentsModel against a real pfd on loopback, under
// QAbstractItemModelTester: load, create, job counts over pages, rename,
// delete, the server's words on a conflict, and a workspace switch.

#include <gtest/gtest.h>

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include "models/experimentsmodel.h"
#include "tests/support/apiwait.h"
#include "tests/support/workspacefixture.h"

using namespace Qt::StringLiterals;
using namespace pf::network;
using pf::models::ExperimentsModel;
using pf::models::Workspace;
using pf::test::waitFor;
using pf::test::WorkspaceFixture;
namespace api = pf::api;

namespace {

class ExperimentsModelTest : public WorkspaceFixture
{
protected:
    ExperimentsModelTest()
        : WorkspaceFixture(u"exp"_s, u"p"_s)
    {}

    void runJob(const QString &experiment)
    {
        ASSERT_API_OK(waitFor<api::Job>([&](auto d) {
            m_api->createJob(m_ws.projectId,
                             pf::test::customJob(u"local-cpu-2c"_s, u"true"_s, experiment, u"j"_s),
                             d);
        }));
    }

    static void load(ExperimentsModel &model, const Workspace &ws)
    {
        QSignalSpy loaded(&model, &ExperimentsModel::loaded);
        model.setWorkspace(ws);
        ASSERT_TRUE(loaded.wait(20000));
    }
};

TEST_F(ExperimentsModelTest, CreateCountRenameDelete)
{
    ExperimentsModel model;
    QAbstractItemModelTester tester(&model,
                                    QAbstractItemModelTester::FailureReportingMode::Warning);
    load(model, m_ws);
    EXPECT_EQ(model.state(), ExperimentsModel::State::Loaded);
    EXPECT_EQ(model.rowCount(), 0);
    EXPECT_EQ(model.columnCount(), int(ExperimentsModel::ColumnCount));

    const auto created = waitFor<ApiResult>([&](auto d) {
        model.create(u"sweep"_s, [d](const ApiResult &r) { d(Reply<ApiResult>{r, r}); });
    });
    ASSERT_API_OK(created);
    ASSERT_EQ(model.rowCount(), 1);
    EXPECT_EQ(model.index(0, ExperimentsModel::Name).data().toString(), u"sweep"_s);
    EXPECT_EQ(model.index(0, ExperimentsModel::Jobs).data().toString(), u"0"_s);
    const qint64 id = model.index(0, 0).data(ExperimentsModel::IdRole).toLongLong();

    // Jobs filed under it are counted after a refresh.
    runJob(u"sweep"_s);
    runJob(u"sweep"_s);
    runJob(u"other"_s); // makes a second experiment
    QSignalSpy loaded(&model, &ExperimentsModel::loaded);
    model.refresh();
    ASSERT_TRUE(loaded.wait(20000));
    ASSERT_EQ(model.rowCount(), 2);
    const int row = model.rowOf(id);
    ASSERT_GE(row, 0);
    EXPECT_TRUE(QTest::qWaitFor([&] { return model.jobCount(row) == 2; }, 20000));
    EXPECT_TRUE(
        QTest::qWaitFor([&] { return model.jobCount(model.rowOf(id) == 0 ? 1 : 0) == 1; }, 20000));
    EXPECT_EQ(model.index(row, ExperimentsModel::Jobs).data().toString(), u"2"_s);

    int counted = -2;
    model.countJobs(id, [&](int n, const QString &) { counted = n; });
    EXPECT_TRUE(QTest::qWaitFor([&] { return counted == 2; }, 20000));

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    const auto renamed = waitFor<ApiResult>([&](auto d) {
        model.rename(id, u"sweep-2"_s, [d](const ApiResult &r) { d(Reply<ApiResult>{r, r}); });
    });
    ASSERT_API_OK(renamed);
    EXPECT_FALSE(changed.isEmpty());
    EXPECT_EQ(model.index(model.rowOf(id), ExperimentsModel::Name).data().toString(), u"sweep-2"_s);

    // A second experiment of the same name: the server's words, no new row.
    const auto taken = waitFor<ApiResult>([&](auto d) {
        model.create(u"other"_s, [d](const ApiResult &r) { d(Reply<ApiResult>{r, r}); });
    });
    EXPECT_EQ(taken.result.status, 409);
    EXPECT_TRUE(taken.message().contains(u"other"_s)) << taken.message().toStdString();
    EXPECT_EQ(model.rowCount(), 2);

    const auto removed = waitFor<ApiResult>([&](auto d) {
        model.remove(id, [d](const ApiResult &r) { d(Reply<ApiResult>{r, r}); });
    });
    ASSERT_API_OK(removed);
    ASSERT_EQ(model.rowCount(), 1);
    EXPECT_EQ(model.index(0, ExperimentsModel::Name).data().toString(), u"other"_s);
    // Its jobs went with it.
    EXPECT_EQ(waitFor<api::Job>([&](auto d) { m_api->job(m_ws.projectId, 1, d); }).result.status,
              404);
}

TEST_F(ExperimentsModelTest, SignOutClearsAndErrorsAreKept)
{
    ExperimentsModel model;
    QAbstractItemModelTester tester(&model,
                                    QAbstractItemModelTester::FailureReportingMode::Warning);
    ASSERT_API_OK(waitFor<api::Experiment>(
        [&](auto d) { m_api->createExperiment(m_ws.projectId, u"a"_s, d); }));
    load(model, m_ws);
    EXPECT_EQ(model.rowCount(), 1);

    model.setWorkspace({});
    EXPECT_EQ(model.rowCount(), 0);
    EXPECT_EQ(model.state(), ExperimentsModel::State::Empty);

    // A project the user cannot see: failed() with the server's message.
    Workspace other = m_ws;
    other.projectId = u"00000000-0000-4000-8000-000000000000"_s;
    QSignalSpy failed(&model, &ExperimentsModel::failed);
    model.setWorkspace(other);
    ASSERT_TRUE(failed.wait(20000));
    EXPECT_EQ(model.state(), ExperimentsModel::State::Failed);
    EXPECT_FALSE(model.errorString().isEmpty());
    EXPECT_EQ(model.rowCount(), 0);
}

} // namespace
