// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// VmsModel against a real pfd on loopback, under QAbstractItemModelTester:
// VM types joined with the project's quota and the locks of running jobs.

#include <gtest/gtest.h>

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include "models/vmsmodel.h"
#include "tests/support/apiwait.h"
#include "tests/support/workspacefixture.h"

using namespace Qt::StringLiterals;
using namespace pf::network;
using pf::models::VmsModel;
using pf::models::Workspace;
using pf::test::waitFor;
using pf::test::WorkspaceFixture;
namespace api = pf::api;

namespace {

// Two VM types of its own: the test checks their figures.
const QString kVmTypesConfig = uR"(auth:
  password_hashing: minimal
  login_failures_per_user: 10000
  login_failures_per_address: 100000
vm_types:
  - {code: test-cpu-1c, devices_per_vm: 1, vcpu: 1, memory_gib: 1, max_vms: 4, default_quota: 2}
  - {code: test-gpu-2g, device_type: a100, devices_per_vm: 2, per_device_memory_gib: 40, vcpu: 8, memory_gib: 64, max_vms: 1, default_quota: 0}
jobs:
  sandbox: none
)"_s;

class VmsModelTest : public WorkspaceFixture
{
protected:
    VmsModelTest()
        : WorkspaceFixture(u"vms"_s, u"p"_s)
    {}
    static void SetUpTestSuite() { startPfd(kVmTypesConfig); }

    void runJob(const QString &command)
    {
        const auto job = waitFor<api::Job>([&](auto d) {
            m_api->createJob(m_ws.projectId,
                             pf::test::customJob(u"test-cpu-1c"_s, command, {}, u"j"_s), d);
        });
        ASSERT_API_OK(job);
        m_job = job.value.number;
    }

    static void load(VmsModel &model, const Workspace &ws)
    {
        QSignalSpy loaded(&model, &VmsModel::loaded);
        model.setWorkspace(ws);
        ASSERT_TRUE(loaded.wait(20000));
    }

    qint64 m_job = 0;
};

TEST_F(VmsModelTest, TypesWithQuotaUsedAndAvailable)
{
    VmsModel model;
    QAbstractItemModelTester tester(&model,
                                    QAbstractItemModelTester::FailureReportingMode::Warning);
    load(model, m_ws);
    EXPECT_EQ(model.state(), VmsModel::State::Loaded);
    ASSERT_EQ(model.rowCount(), 2);
    EXPECT_EQ(model.columnCount(), int(VmsModel::ColumnCount));
    int cpu = -1;
    int gpu = -1;
    for (int row = 0; row < model.rowCount(); ++row) {
        const QString code = model.index(row, VmsModel::Code).data().toString();
        if (code == u"test-cpu-1c"_s)
            cpu = row;
        else if (code == u"test-gpu-2g"_s)
            gpu = row;
    }
    ASSERT_GE(cpu, 0);
    ASSERT_GE(gpu, 0);
    EXPECT_EQ(model.index(cpu, VmsModel::Quota).data().toInt(), 2);
    EXPECT_EQ(model.index(cpu, VmsModel::Used).data().toInt(), 0);
    EXPECT_EQ(model.index(cpu, VmsModel::Available).data().toInt(), 2);
    EXPECT_EQ(model.index(cpu, VmsModel::Vcpu).data().toInt(), 1);
    EXPECT_EQ(model.index(cpu, VmsModel::Memory).data().toString(), u"1 GiB"_s);
    EXPECT_EQ(model.index(gpu, VmsModel::Quota).data().toInt(), 0);
    EXPECT_EQ(model.index(gpu, VmsModel::Available).data().toInt(), 0);
    EXPECT_TRUE(model.index(gpu, VmsModel::Devices).data().toString().contains(u"a100"_s));
    EXPECT_EQ(model.index(gpu, VmsModel::Memory).data().toString(), u"64 GiB"_s);

    // A running job holds one VM of its type: used 1, available 1.
    runJob(u"sleep 60"_s);
    ASSERT_NE(m_job, 0);
    EXPECT_TRUE(QTest::qWaitFor(
        [&] {
            QSignalSpy loaded(&model, &VmsModel::loaded);
            model.refresh();
            return loaded.wait(20000) && model.index(cpu, VmsModel::Used).data().toInt() == 1;
        },
        30000));
    EXPECT_EQ(model.index(cpu, VmsModel::Available).data().toInt(), 1);
    EXPECT_EQ(model.index(cpu, 0).data(VmsModel::UsedRole).toInt(), 1);
    EXPECT_EQ(model.index(cpu, 0).data(VmsModel::QuotaRole).toInt(), 2);

    // The org owner lowers the quota below what is in use: nothing negative.
    const auto quota = waitFor<api::GroupQuota>([&](auto d) {
        m_api->createGroupQuota(m_ws.orgId, u"test-cpu-1c"_s, m_ws.projectId, 0, d);
    });
    ASSERT_API_OK(quota);
    QSignalSpy loaded(&model, &VmsModel::loaded);
    model.refresh();
    ASSERT_TRUE(loaded.wait(20000));
    EXPECT_EQ(model.index(cpu, VmsModel::Quota).data().toInt(), 0);
    EXPECT_EQ(model.index(cpu, VmsModel::Available).data().toInt(), 0);

    ASSERT_API_OK(
        waitFor<api::Job>([&](auto d) { m_api->terminateJob(m_ws.projectId, m_job, d); }));
}

TEST_F(VmsModelTest, FailureKeepsTheServersWords)
{
    VmsModel model;
    QAbstractItemModelTester tester(&model,
                                    QAbstractItemModelTester::FailureReportingMode::Warning);
    Workspace other = m_ws;
    other.projectId = u"00000000-0000-4000-8000-000000000000"_s;
    QSignalSpy failed(&model, &VmsModel::failed);
    model.setWorkspace(other);
    ASSERT_TRUE(failed.wait(20000));
    EXPECT_EQ(model.state(), VmsModel::State::Failed);
    EXPECT_FALSE(model.errorString().isEmpty());
    EXPECT_EQ(model.rowCount(), 0);
}

} // namespace
