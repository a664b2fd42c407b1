// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// JobsModel against a real pfd on loopback, under QAbstractItemModelTester:
// cursor paging across several pages, the server-side filters, a job's
// status changing in place, new jobs appearing at the top, deletes removing
// rows, and the error state.

#include <memory>

#include <gtest/gtest.h>

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include "models/jobsfilterproxy.h"
#include "models/jobsmodel.h"
#include "network/pfapi.h"
#include "tests/support/apiwait.h"
#include "tests/support/pfdprocess.h"
#include "tests/support/workspacefixture.h"

using namespace Qt::StringLiterals;
using namespace pf::network;
using pf::models::JobsFilterProxy;
using pf::models::JobsModel;
using pf::models::Workspace;
using pf::test::PfdProcess;
using pf::test::waitFor;
namespace api = pf::api;

namespace {

const QString kJobsConfig = uR"(auth:
  password_hashing: minimal
  login_failures_per_user: 10000
  login_failures_per_address: 100000
vm_types:
  - {code: test-cpu-1c, devices_per_vm: 1, vcpu: 1, memory_gib: 1, max_vms: 8, default_quota: 8}
jobs:
  sandbox: none
)"_s;

class JobsModelTest : public pf::test::WorkspaceFixture
{
protected:
    JobsModelTest()
        : WorkspaceFixture(u"jobsmodel"_s, u"p"_s, u"-org"_s)
    {}
    static void SetUpTestSuite() { startPfd(kJobsConfig); }

    api::Job submit(const QString &name, const QString &command = u"true"_s)
    {
        const QJsonObject spec{
            {u"name"_s, name},
            {u"vm"_s, u"test-cpu-1c"_s},
            {u"num_devices"_s, 1},
            {u"job_setting"_s, QJsonObject{{u"type"_s, u"custom"_s},
                                           {u"docker"_s, QJsonObject{{u"image"_s, u"any"_s},
                                                                     {u"command"_s, command}}}}}};
        const auto job =
            waitFor<api::Job>([&](auto d) { m_api->createJob(m_ws.projectId, spec, d); });
        EXPECT_API_OK(job);
        return job.value;
    }

    bool waitTerminal(qint64 number)
    {
        return QTest::qWaitFor(
            [&] {
                return api::isTerminal(waitFor<api::Job>([&](auto d) {
                                           m_api->job(m_ws.projectId, number, d);
                                       }).value.status);
            },
            30000);
    }

    static bool waitSettled(JobsModel &model)
    {
        return QTest::qWaitFor([&] { return model.state() != JobsModel::State::Fetching; }, 20000);
    }
};

TEST_F(JobsModelTest, PagesThroughEveryJobNewestFirst)
{
    for (int i = 1; i <= 7; ++i)
        submit(u"job-%1"_s.arg(i));

    JobsModel model;
    QAbstractItemModelTester tester(&model,
                                    QAbstractItemModelTester::FailureReportingMode::Warning);
    model.setPollInterval(0);
    model.setPageSize(3);
    model.setWorkspace(m_ws);
    EXPECT_EQ(model.state(), JobsModel::State::Fetching);
    EXPECT_FALSE(model.canFetchMore({})); // one request at a time
    ASSERT_TRUE(waitSettled(model));
    EXPECT_EQ(model.rowCount(), 3);
    EXPECT_EQ(model.state(), JobsModel::State::Idle);

    int pages = 1;
    while (model.canFetchMore({})) {
        model.fetchMore({});
        ASSERT_TRUE(waitSettled(model));
        ++pages;
    }
    EXPECT_EQ(pages, 3);
    EXPECT_EQ(model.state(), JobsModel::State::Fetched);
    ASSERT_EQ(model.rowCount(), 7);
    for (int row = 0; row < 7; ++row) {
        EXPECT_EQ(model.index(row, JobsModel::NumberColumn).data().toLongLong(), 7 - row);
        EXPECT_EQ(model.index(row, JobsModel::NameColumn).data().toString(),
                  u"job-%1"_s.arg(7 - row));
    }
    const QModelIndex top = model.index(0, JobsModel::VmColumn);
    EXPECT_EQ(top.data().toString(), u"test-cpu-1c"_s);
    EXPECT_EQ(model.index(0, JobsModel::UserColumn).data().toString(), m_user.username);
    EXPECT_EQ(model.index(0, JobsModel::DevicesColumn).data().toInt(), 1);
    EXPECT_EQ(top.data(JobsModel::JobRole).value<api::Job>().number, 7);
    EXPECT_EQ(model.rowOfNumber(5), 2);
    EXPECT_EQ(model.rowOfId(model.jobAt(4).id), 4);

    // Sorting in the proxy is numeric: 7 sorts above 10 would not happen with text.
    JobsFilterProxy proxy;
    QAbstractItemModelTester proxyTester(&proxy,
                                         QAbstractItemModelTester::FailureReportingMode::Warning);
    proxy.setSourceModel(&model);
    proxy.sort(JobsModel::NumberColumn, Qt::AscendingOrder);
    EXPECT_EQ(proxy.index(0, JobsModel::NumberColumn).data().toLongLong(), 1);
    EXPECT_EQ(proxy.index(6, JobsModel::NumberColumn).data().toLongLong(), 7);
}

TEST_F(JobsModelTest, ServerSideFiltersResetAndReload)
{
    submit(u"alpha"_s);
    submit(u"beta"_s);
    const api::Job last = submit(u"alpha"_s);
    for (qint64 n = 1; n <= last.number; ++n)
        ASSERT_TRUE(waitTerminal(n));

    JobsModel model;
    QAbstractItemModelTester tester(&model,
                                    QAbstractItemModelTester::FailureReportingMode::Warning);
    model.setPollInterval(0);
    model.setWorkspace(m_ws);
    ASSERT_TRUE(waitSettled(model));
    EXPECT_EQ(model.rowCount(), 3);

    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    JobQuery byName;
    byName.jobName = u"alpha"_s;
    model.setQuery(byName);
    EXPECT_EQ(resets.count(), 1);
    ASSERT_TRUE(waitSettled(model));
    EXPECT_EQ(model.rowCount(), 2);

    JobQuery done;
    done.statuses = {u"success"_s, u"failed"_s};
    model.setQuery(done);
    ASSERT_TRUE(waitSettled(model));
    EXPECT_EQ(model.rowCount(), 3);

    JobQuery running;
    running.statuses = {u"running"_s};
    model.setQuery(running);
    ASSERT_TRUE(waitSettled(model));
    EXPECT_EQ(model.rowCount(), 0);
    EXPECT_EQ(model.state(), JobsModel::State::Fetched);

    JobQuery mine;
    mine.userIds = {m_user.id};
    model.setQuery(mine);
    ASSERT_TRUE(waitSettled(model));
    EXPECT_EQ(model.rowCount(), 3);
    JobQuery someoneElse;
    someoneElse.userIds = {u"00000000-0000-4000-8000-000000000000"_s};
    model.setQuery(someoneElse);
    ASSERT_TRUE(waitSettled(model));
    EXPECT_EQ(model.rowCount(), 0);
}

TEST_F(JobsModelTest, LiveJobsAppearAtTopAndChangeInPlace)
{
    JobsModel model;
    QAbstractItemModelTester tester(&model,
                                    QAbstractItemModelTester::FailureReportingMode::Warning);
    model.setPollInterval(100);
    model.setWorkspace(m_ws);
    ASSERT_TRUE(waitSettled(model));
    EXPECT_EQ(model.rowCount(), 0);
    EXPECT_EQ(model.state(), JobsModel::State::Fetched);

    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
    const api::Job first = submit(u"sleepy"_s, u"sleep 1"_s);
    ASSERT_TRUE(QTest::qWaitFor([&] { return model.rowCount() == 1; }, 10000));
    const QPersistentModelIndex row(model.index(0, JobsModel::StatusColumn));
    EXPECT_EQ(row.data(JobsModel::IdRole).toString(), first.id);

    // It runs and succeeds; the row changes in place.
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            return row.data(JobsModel::SimplifiedStatusRole).toInt() ==
                   int(api::SimplifiedStatus::Success);
        },
        30000));
    EXPECT_EQ(row.row(), 0);
    EXPECT_EQ(row.data().toString(), u"Success"_s);
    EXPECT_FALSE(row.sibling(0, JobsModel::StartedColumn).data().toString().isEmpty());
    EXPECT_GE(changes.count(), 1);
    for (const QList<QVariant> &c : changes) {
        // Whole rows, one signal per range.
        EXPECT_EQ(c.at(0).toModelIndex().column(), 0);
        EXPECT_EQ(c.at(1).toModelIndex().column(), JobsModel::ColumnCount - 1);
    }

    // A second job lands above it; the first keeps its identity.
    const api::Job second = submit(u"quick"_s);
    ASSERT_TRUE(QTest::qWaitFor([&] { return model.rowCount() == 2; }, 10000));
    EXPECT_EQ(model.jobAt(0).id, second.id);
    EXPECT_EQ(row.row(), 1);
    EXPECT_EQ(resets.count(), 0);
}

TEST_F(JobsModelTest, DeletesRemoveRows)
{
    submit(u"one"_s);
    submit(u"two"_s);
    const api::Job three = submit(u"three"_s);
    for (qint64 n = 1; n <= three.number; ++n)
        ASSERT_TRUE(waitTerminal(n));

    JobsModel model;
    QAbstractItemModelTester tester(&model,
                                    QAbstractItemModelTester::FailureReportingMode::Warning);
    model.setPollInterval(0);
    model.setWorkspace(m_ws);
    ASSERT_TRUE(waitSettled(model));
    ASSERT_EQ(model.rowCount(), 3);

    // The pane's own delete: the model drops the row at once.
    ASSERT_API_OK(waitFor<Empty>([&](auto d) { m_api->deleteJob(m_ws.projectId, 2, d); }));
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    model.removeJob(2);
    EXPECT_EQ(removed.count(), 1);
    ASSERT_EQ(model.rowCount(), 2);
    EXPECT_EQ(model.rowOfNumber(2), -1);
    EXPECT_EQ(model.rowOfNumber(1), 1);

    // Deleted elsewhere: the next poll notices.
    ASSERT_API_OK(waitFor<Empty>([&](auto d) { m_api->deleteJob(m_ws.projectId, 3, d); }));
    QSignalSpy polled(&model, &JobsModel::polled);
    model.poll();
    ASSERT_TRUE(polled.wait(10000));
    ASSERT_EQ(model.rowCount(), 1);
    EXPECT_EQ(model.jobAt(0).number, 1);
    EXPECT_EQ(model.rowOfId(model.jobAt(0).id), 0);
}

TEST_F(JobsModelTest, UnknownProjectShowsTheServersError)
{
    Workspace ws = m_ws;
    ws.projectId = u"11111111-2222-4333-8444-555555555555"_s;
    JobsModel model;
    QAbstractItemModelTester tester(&model,
                                    QAbstractItemModelTester::FailureReportingMode::Warning);
    model.setPollInterval(0);
    QSignalSpy errors(&model, &JobsModel::errorOccurred);
    model.setWorkspace(ws);
    ASSERT_TRUE(errors.wait(10000));
    EXPECT_EQ(model.state(), JobsModel::State::Error);
    EXPECT_FALSE(model.errorString().isEmpty());
    EXPECT_EQ(errors.first().first().toString(), model.errorString());
    EXPECT_EQ(model.rowCount(), 0);
    EXPECT_FALSE(model.canFetchMore({}));

    // Signed out: nothing, and no request.
    model.setWorkspace({});
    EXPECT_EQ(model.state(), JobsModel::State::Idle);
    EXPECT_EQ(model.rowCount(), 0);
}

} // namespace
