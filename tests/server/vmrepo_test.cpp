// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <gtest/gtest.h>

#include "server/config.h"
#include "server/store/database.h"
#include "server/store/orgrepo.h"
#include "server/store/projectrepo.h"
#include "server/store/userrepo.h"
#include "server/store/vmrepo.h"
#include "tests/server/servertestutil.h"
#include "tests/server/storefixture.h"

using namespace Qt::StringLiterals;
using pf::server::runSql;
using pf::server::UniqueViolation;
using pf::server::VmRepo;
using pf::server::VmTypeConfig;
using pf::servertest::StoreTest;

namespace {

VmTypeConfig vmType(const QString &code, int vcpu = 2)
{
    VmTypeConfig t;
    t.code = code;
    t.vendor = u"nvidia"_s;
    t.deviceType = u"a100"_s;
    t.devicesPerVm = 4;
    t.perDeviceMemoryGib = 40;
    t.vcpu = vcpu;
    t.memoryGib = 64.5;
    t.spot = true;
    t.executor = u"slurm"_s;
    t.maxVms = 3;
    t.defaultQuota = 2;
    return t;
}

QStringList codes(const QList<pf::server::VmConfigRecord> &records)
{
    QStringList out;
    for (const auto &r : records)
        out << r.config.vmConfigType.code;
    return out;
}

class VmRepoTest : public StoreTest
{
protected:
    void SetUp() override
    {
        StoreTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        pf::server::UserRepo users(conn());
        const QString ada = users.create(u"ada"_s, u"Ada"_s, u"ada@example.org"_s, "h", true).id;
        pf::server::OrgRepo orgs(conn());
        m_org = orgs.create(u"org"_s, ada).id;
        pf::server::ProjectRepo projects(conn());
        m_project = projects.create(m_org, u"p"_s).id;
        m_otherProject = projects.create(m_org, u"q"_s).id;
    }

    QString m_org, m_project, m_otherProject;
};

} // namespace

PF_INSTANTIATE_STORE_TEST(VmRepoTest);

TEST_P(VmRepoTest, SyncAddsTypesWithAllAttributes)
{
    VmRepo vms(conn());
    vms.syncTypes({vmType(u"a"_s), vmType(u"b"_s, 8)});
    const auto all = vms.configs();
    EXPECT_EQ(codes(all), (QStringList{u"a"_s, u"b"_s}));
    const auto b = vms.configByCode(u"b"_s);
    ASSERT_TRUE(b);
    const auto &t = b->config.vmConfigType;
    EXPECT_GT(b->config.id, 0);
    EXPECT_EQ(t.vendor, u"nvidia"_s);
    EXPECT_EQ(t.deviceType, u"a100"_s);
    EXPECT_EQ(t.numDevicesPerVm, 4);
    EXPECT_DOUBLE_EQ(t.perGpuMemory, 40);
    EXPECT_EQ(t.vcpu, 8);
    EXPECT_DOUBLE_EQ(t.cpuMemory, 64.5);
    EXPECT_TRUE(t.isSpot);
    EXPECT_EQ(b->executor, u"slurm"_s);
    EXPECT_EQ(b->globalQuota, 3);
    EXPECT_EQ(b->defaultQuota, 2);
    const auto byId = vms.config(b->config.id);
    ASSERT_TRUE(byId);
    EXPECT_EQ(byId->config, b->config);
    EXPECT_FALSE(vms.configByCode(u"c"_s));
    EXPECT_FALSE(vms.config(987654));
}

TEST_P(VmRepoTest, IdsAreStableAcrossResyncs)
{
    VmRepo vms(conn());
    vms.syncTypes({vmType(u"a"_s), vmType(u"b"_s)});
    const qint64 idA = vms.configByCode(u"a"_s)->config.id;
    const qint64 idB = vms.configByCode(u"b"_s)->config.id;
    EXPECT_NE(idA, idB);

    // Reordered, with changed attributes: updated in place.
    VmTypeConfig changed = vmType(u"a"_s, 16);
    changed.spot = false;
    changed.executor = u"local"_s;
    vms.syncTypes({vmType(u"b"_s), changed});
    const auto a = vms.configByCode(u"a"_s);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->config.id, idA);
    EXPECT_EQ(a->config.vmConfigType.vcpu, 16);
    EXPECT_FALSE(a->config.vmConfigType.isSpot);
    EXPECT_EQ(a->executor, u"local"_s);
    EXPECT_EQ(vms.configByCode(u"b"_s)->config.id, idB);
    EXPECT_EQ(count(u"vm_config"_s), 2);
    // Listed by id, not by configuration order.
    EXPECT_EQ(codes(vms.configs()), (QStringList{u"a"_s, u"b"_s}));

    // The same sync again changes nothing.
    vms.syncTypes({vmType(u"b"_s), changed});
    EXPECT_EQ(vms.configByCode(u"a"_s)->config.id, idA);
    EXPECT_EQ(count(u"vm_config"_s), 2);
}

TEST_P(VmRepoTest, RemovedCodesAreRetiredAndReaddedWithTheSameId)
{
    VmRepo vms(conn());
    vms.syncTypes({vmType(u"a"_s), vmType(u"b"_s), vmType(u"c"_s)});
    const qint64 idB = vms.configByCode(u"b"_s)->config.id;

    vms.syncTypes({vmType(u"a"_s), vmType(u"c"_s)});
    EXPECT_EQ(codes(vms.configs()), (QStringList{u"a"_s, u"c"_s}));
    EXPECT_FALSE(vms.configByCode(u"b"_s)) << "retired types are hidden";
    EXPECT_FALSE(vms.config(idB));
    EXPECT_EQ(count(u"vm_config"_s), 3) << "retired types are kept for old jobs";
    EXPECT_EQ(count(u"vm_config"_s, u"retired = ?"_s, {true}), 1);
    for (const auto &q : vms.projectQuotas(m_project))
        EXPECT_NE(q.vmConfigType.code, u"b"_s);

    vms.syncTypes({vmType(u"b"_s, 32), vmType(u"a"_s), vmType(u"c"_s)});
    const auto b = vms.configByCode(u"b"_s);
    ASSERT_TRUE(b);
    EXPECT_EQ(b->config.id, idB);
    EXPECT_EQ(b->config.vmConfigType.vcpu, 32);
    EXPECT_EQ(count(u"vm_config"_s, u"retired = ?"_s, {true}), 0);
    EXPECT_EQ(count(u"vm_config"_s), 3);

    // Syncing nothing retires everything.
    vms.syncTypes({});
    EXPECT_TRUE(vms.configs().isEmpty());
    EXPECT_EQ(count(u"vm_config"_s), 3);
}

TEST_P(VmRepoTest, QuotasFallBackToTheDefault)
{
    VmRepo vms(conn());
    VmTypeConfig b = vmType(u"b"_s);
    b.defaultQuota = 0;
    b.maxVms = 9;
    vms.syncTypes({vmType(u"a"_s), b});
    const qint64 idA = vms.configByCode(u"a"_s)->config.id;

    auto quotas = vms.projectQuotas(m_project);
    ASSERT_EQ(quotas.size(), 2);
    EXPECT_EQ(quotas[0].vmConfigType.code, u"a"_s);
    EXPECT_EQ(quotas[0].quota, 2);
    EXPECT_EQ(quotas[0].globalQuota, 3);
    EXPECT_EQ(quotas[1].quota, 0);
    EXPECT_EQ(quotas[1].globalQuota, 9);

    const auto added = vms.addGroupQuota(m_org, m_project, idA, 7);
    EXPECT_GT(added.id, 0);
    EXPECT_EQ(added.vmConfigTypeCode, u"a"_s);
    EXPECT_EQ(added.projectId, m_project);
    EXPECT_EQ(added.quota, 7);
    EXPECT_THROW(vms.addGroupQuota(m_org, m_project, idA, 1), UniqueViolation);

    quotas = vms.projectQuotas(m_project);
    EXPECT_EQ(quotas[0].quota, 7);
    EXPECT_EQ(vms.projectQuotas(m_otherProject)[0].quota, 2) << "other projects keep the default";

    vms.setGroupQuota(added.id, 0);
    EXPECT_EQ(vms.groupQuota(m_org, added.id)->quota, 0);
    EXPECT_EQ(vms.projectQuotas(m_project)[0].quota, 0);
    EXPECT_FALSE(vms.groupQuota(u"other-org"_s, added.id)) << "quotas are scoped to their org";
    EXPECT_EQ(vms.groupQuotas(m_org).size(), 1);
    EXPECT_TRUE(vms.groupQuotas(u"other-org"_s).isEmpty());

    vms.removeGroupQuota(added.id);
    EXPECT_FALSE(vms.groupQuota(m_org, added.id));
    EXPECT_EQ(vms.projectQuotas(m_project)[0].quota, 2);
}

TEST_P(VmRepoTest, LocksFilterByConfigAndStatus)
{
    VmRepo vms(conn());
    vms.syncTypes({vmType(u"a"_s), vmType(u"b"_s)});
    const qint64 idA = vms.configByCode(u"a"_s)->config.id;
    const qint64 idB = vms.configByCode(u"b"_s)->config.id;
    QSqlDatabase c = conn();
    const auto lock = [&](qint64 config, const QString &project, const QString &job,
                          const QString &status) {
        runSql(c,
               u"INSERT INTO vm_lock (vm_config_id, project_id, job_id, status, created_at) "
               "VALUES (?, ?, ?, ?, ?)"_s,
               {config, project, job, status, qint64(1)});
    };
    lock(idA, m_project, u"j1"_s, u"active"_s);
    lock(idA, m_project, u"j2"_s, u"deleting"_s);
    lock(idB, m_project, u"j3"_s, u"active"_s);
    lock(idA, m_otherProject, u"j4"_s, u"active"_s);

    const auto jobs = [](const QList<pf::api::VmLock> &locks) {
        QStringList out;
        for (const auto &l : locks)
            out << l.jobId;
        return out;
    };
    EXPECT_EQ(jobs(vms.locks(m_project, std::nullopt, {})),
              (QStringList{u"j1"_s, u"j2"_s, u"j3"_s}));
    EXPECT_EQ(jobs(vms.locks(m_project, idA, {})), (QStringList{u"j1"_s, u"j2"_s}));
    EXPECT_EQ(jobs(vms.locks(m_project, std::nullopt, {u"active"_s})),
              (QStringList{u"j1"_s, u"j3"_s}));
    EXPECT_EQ(jobs(vms.locks(m_project, idA, {u"active"_s, u"deleting"_s})),
              (QStringList{u"j1"_s, u"j2"_s}));
    EXPECT_EQ(jobs(vms.locks(m_project, idB, {u"deleting"_s})), QStringList());
    const auto one = vms.locks(m_otherProject, std::nullopt, {});
    ASSERT_EQ(one.size(), 1);
    EXPECT_EQ(one[0].vmConfigId, idA);
    EXPECT_EQ(one[0].status, u"active"_s);
}
