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
#include "tests/support/pfdprocess.h"

using namespace Qt::StringLiterals;
using namespace pf::network;
using pf::models::VmsModel;
using pf::models::Workspace;
using pf::test::PfdProcess;
using pf::test::waitFor;
namespace api = pf::api;

namespace {

const QString kConfig = uR"(auth:
  password_hashing: minimal
  login_failures_per_user: 10000
  login_failures_per_address: 100000
vm_types:
  - {code: test-cpu-1c, devices_per_vm: 1, vcpu: 1, memory_gib: 1, max_vms: 4, default_quota: 2}
  - {code: test-gpu-2g, device_type: a100, devices_per_vm: 2, per_device_memory_gib: 40, vcpu: 8, memory_gib: 64, max_vms: 1, default_quota: 0}
jobs:
  sandbox: none
)"_s;

class VmsModelTest : public ::testing::Test
{
protected:
    static void SetUpTestSuite()
    {
        s_pfd = new PfdProcess(kConfig);
        ASSERT_TRUE(s_pfd->start()) << s_pfd->lastError().toStdString();
    }
    static void TearDownTestSuite() { delete s_pfd; }

    void SetUp() override
    {
        static int n = 0;
        m_user = s_pfd->createUser(u"vms%1"_s.arg(++n));
        m_session = std::make_unique<ApiSession>(QUrl(u"http://127.0.0.1:%1"_s.arg(s_pfd->port())));
        m_session->setTokens(m_user.token, m_user.refresh);
        m_api = std::make_unique<PfApi>(m_session.get());
        const auto org = waitFor<api::Org>([&](auto d) { m_api->createOrg(m_user.username, d); });
        ASSERT_API_OK(org);
        const auto project =
            waitFor<api::Project>([&](auto d) { m_api->createProject(org.value.id, u"p"_s, d); });
        ASSERT_API_OK(project);
        m_ws.api = m_api.get();
        m_ws.userId = m_user.id;
        m_ws.orgId = org.value.id;
        m_ws.projectId = project.value.id;
        m_ws.orgRole = api::OrgRole::Owner;
    }

    void runJob(const QString &command)
    {
        const QJsonObject spec{
            {u"name"_s, u"j"_s},
            {u"vm"_s, u"test-cpu-1c"_s},
            {u"num_devices"_s, 1},
            {u"job_setting"_s, QJsonObject{{u"type"_s, u"custom"_s},
                                           {u"docker"_s, QJsonObject{{u"image"_s, u"any"_s},
                                                                     {u"command"_s, command}}}}}};
        const auto job =
            waitFor<api::Job>([&](auto d) { m_api->createJob(m_ws.projectId, spec, d); });
        ASSERT_API_OK(job);
        m_job = job.value.number;
    }

    static void load(VmsModel &model, const Workspace &ws)
    {
        QSignalSpy loaded(&model, &VmsModel::loaded);
        model.setWorkspace(ws);
        ASSERT_TRUE(loaded.wait(20000));
    }

    static inline PfdProcess *s_pfd = nullptr;
    PfdProcess::User m_user;
    std::unique_ptr<ApiSession> m_session;
    std::unique_ptr<PfApi> m_api;
    Workspace m_ws;
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
