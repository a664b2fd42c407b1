// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// PfApi's typed calls against a real pfd: each resource through the calls
// the studio makes, the decoded values, names that need escaping in paths
// and queries, and the server's message on failures.

#include <gtest/gtest.h>

#include <QTest>

#include "network/pfapi.h"
#include "tests/support/apiwait.h"
#include "tests/support/pfdprocess.h"

using namespace Qt::StringLiterals;
using namespace pf::network;
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
jobs:
  sandbox: none
)"_s;

class PfApiTest : public ::testing::Test
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
        m_user = s_pfd->createUser(u"pfapi%1"_s.arg(++n));
        m_session = std::make_unique<ApiSession>(QUrl(u"http://127.0.0.1:%1"_s.arg(s_pfd->port())));
        m_session->setTokens(m_user.token, m_user.refresh);
        m_api = std::make_unique<PfApi>(m_session.get());
        const auto org =
            waitFor<api::Org>([&](auto d) { m_api->createOrg(m_user.username + u"-org"_s, d); });
        ASSERT_API_OK(org);
        m_orgId = org.value.id;
        const auto project =
            waitFor<api::Project>([&](auto d) { m_api->createProject(m_orgId, u"default"_s, d); });
        ASSERT_API_OK(project);
        m_projectId = project.value.id;
    }

    static inline PfdProcess *s_pfd = nullptr;
    PfdProcess::User m_user;
    std::unique_ptr<ApiSession> m_session;
    std::unique_ptr<PfApi> m_api;
    QString m_orgId;
    QString m_projectId;
};

TEST_F(PfApiTest, UserOrgsAndProjects)
{
    const auto me = waitFor<api::UserInfo>([&](auto d) { m_api->userInfo(d); });
    ASSERT_API_OK(me);
    EXPECT_EQ(me.value.username, m_user.username);
    EXPECT_EQ(me.value.userId(), m_user.id);

    const auto orgs = waitFor<QList<api::UserOrg>>([&](auto d) { m_api->userOrgs(m_user.id, d); });
    ASSERT_API_OK(orgs);
    ASSERT_EQ(orgs.value.size(), 1);
    EXPECT_EQ(orgs.value.first().id, m_orgId);
    EXPECT_EQ(orgs.value.first().privilegeLevel, api::OrgRole::Owner);

    ASSERT_API_OK(
        waitFor<api::Project>([&](auto d) { m_api->createProject(m_orgId, u"second"_s, d); }));
    const auto mine = waitFor<api::Page<api::Project>>(
        [&](auto d) { m_api->userProjects(m_user.id, m_orgId, {}, d); });
    ASSERT_API_OK(mine);
    QStringList names;
    for (const api::Project &p : mine.value.results)
        names << p.name;
    names.sort();
    EXPECT_EQ(names, (QStringList{u"default"_s, u"second"_s}));
    EXPECT_TRUE(mine.value.nextCursor.isEmpty());

    const auto one = waitFor<api::Project>([&](auto d) { m_api->project(m_projectId, d); });
    ASSERT_API_OK(one);
    EXPECT_EQ(one.value.pfGroupId, m_orgId);

    // The same name twice: the server's words reach the caller.
    const auto taken =
        waitFor<api::Project>([&](auto d) { m_api->createProject(m_orgId, u"second"_s, d); });
    EXPECT_EQ(taken.result.status, 409);
    EXPECT_FALSE(taken.message().isEmpty());
}

TEST_F(PfApiTest, InviteAndMembers)
{
    PfdProcess::User bob = s_pfd->createUser(m_user.username + u"-bob"_s);
    const auto invite = waitFor<Invitation>(
        [&](auto d) { m_api->inviteToOrg(m_orgId, bob.email, u"join us"_s, d); });
    ASSERT_API_OK(invite);
    EXPECT_EQ(invite.value.email, bob.email);
    ASSERT_FALSE(invite.value.key.isEmpty());

    ApiSession bobSession(m_session->baseUrl());
    bobSession.setTokens(bob.token, bob.refresh);
    PfApi bobApi(&bobSession);
    ASSERT_API_OK(waitFor<Empty>(
        [&](auto d) { bobApi.confirmOrgInvite(invite.value.emailToken, invite.value.key, d); }));

    const auto members = waitFor<api::Page<api::OrgMember>>(
        [&](auto d) { m_api->orgMembers(m_orgId, u"-bob"_s, {}, d); });
    ASSERT_API_OK(members);
    ASSERT_EQ(members.value.results.size(), 1);
    EXPECT_EQ(members.value.results.first().id, bob.id);

    ASSERT_API_OK(waitFor<Empty>([&](auto d) {
        m_api->addProjectMember(bob.id, m_projectId, api::ProjectRole::Develop, d);
    }));
    ASSERT_API_OK(waitFor<Empty>([&](auto d) {
        m_api->setProjectRole(bob.id, m_projectId, api::ProjectRole::Maintain, d);
    }));
    const auto membership = waitFor<api::ProjectMembership>(
        [&](auto d) { m_api->projectMembership(bob.id, m_projectId, d); });
    ASSERT_API_OK(membership);
    EXPECT_EQ(membership.value.accessLevel, api::ProjectRole::Maintain);

    // Bob may not change roles in the org.
    const auto refused =
        waitFor<Empty>([&](auto d) { bobApi.setOrgRole(bob.id, m_orgId, api::OrgRole::Owner, d); });
    EXPECT_EQ(refused.result.status, 403);

    ASSERT_API_OK(
        waitFor<Empty>([&](auto d) { m_api->removeProjectMember(bob.id, m_projectId, d); }));
    const auto left = waitFor<api::Page<api::ProjectMember>>(
        [&](auto d) { m_api->projectMembers(m_projectId, {}, d); });
    ASSERT_API_OK(left);
    for (const api::ProjectMember &m : left.value.results)
        EXPECT_NE(m.id, bob.id);
    ASSERT_API_OK(waitFor<Empty>([&](auto d) { m_api->removeOrgMember(bob.id, m_orgId, d); }));
}

TEST_F(PfApiTest, CredentialsFromTypeToDelete)
{
    const auto types =
        waitFor<QList<api::CredentialType>>([&](auto d) { m_api->credentialTypes(d); });
    ASSERT_API_OK(types);
    EXPECT_GE(types.value.size(), 6);

    const auto made = waitFor<api::Credential>([&](auto d) {
        m_api->createCredential(m_projectId, u"wandb"_s, u"my key"_s, 1,
                                {{u"token"_s, u"s3cret"_s}}, d);
    });
    ASSERT_API_OK(made);
    const auto list = waitFor<QList<api::Credential>>(
        [&](auto d) { m_api->credentials(m_projectId, u"wandb"_s, d); });
    ASSERT_API_OK(list);
    ASSERT_EQ(list.value.size(), 1);
    EXPECT_FALSE(list.value.first().value.has_value()); // no secrets in lists
    const auto none = waitFor<QList<api::Credential>>(
        [&](auto d) { m_api->credentials(m_projectId, u"slack"_s, d); });
    ASSERT_API_OK(none);
    EXPECT_TRUE(none.value.isEmpty());

    const auto renamed = waitFor<api::Credential>([&](auto d) {
        m_api->updateCredential(made.value.id, {{u"name"_s, u"renamed"_s}}, d);
    });
    ASSERT_API_OK(renamed);
    const auto one = waitFor<api::Credential>([&](auto d) { m_api->credential(made.value.id, d); });
    ASSERT_API_OK(one);
    EXPECT_EQ(one.value.name, u"renamed"_s);
    ASSERT_TRUE(one.value.value.has_value());
    EXPECT_EQ(one.value.value->value(u"token"_s).toString(), u"s3cret"_s);

    // A value the schema refuses: 422 with the field in the message.
    const auto bad = waitFor<api::Credential>([&](auto d) {
        m_api->createCredential(m_projectId, u"wandb"_s, u"bad"_s, 1, {{u"nope"_s, 1}}, d);
    });
    EXPECT_EQ(bad.result.status, 422);
    EXPECT_FALSE(bad.message().isEmpty());

    ASSERT_API_OK(waitFor<Empty>([&](auto d) { m_api->deleteCredential(made.value.id, d); }));
    EXPECT_EQ(waitFor<api::Credential>([&](auto d) {
                  m_api->credential(made.value.id, d);
              }).result.status,
              404);
}

TEST_F(PfApiTest, VmsAndQuotas)
{
    const auto configs =
        waitFor<QList<api::VmConfig>>([&](auto d) { m_api->vmConfigs(m_orgId, d); });
    ASSERT_API_OK(configs);
    ASSERT_EQ(configs.value.size(), 1);
    EXPECT_EQ(configs.value.first().vmConfigType.code, u"test-cpu-1c"_s);
    const auto quotas =
        waitFor<QList<api::VmQuota>>([&](auto d) { m_api->vmQuotas(m_projectId, d); });
    ASSERT_API_OK(quotas);
    ASSERT_EQ(quotas.value.size(), 1);
    EXPECT_EQ(quotas.value.first().quota, 2);
    const auto locks = waitFor<QList<api::VmLock>>([&](auto d) {
        m_api->vmLocks(m_projectId, configs.value.first().id, {u"active"_s, u"deleting"_s}, d);
    });
    ASSERT_API_OK(locks);
    EXPECT_TRUE(locks.value.isEmpty());

    const auto quota = waitFor<api::GroupQuota>(
        [&](auto d) { m_api->createGroupQuota(m_orgId, u"test-cpu-1c"_s, m_projectId, 3, d); });
    ASSERT_API_OK(quota);
    const auto changed = waitFor<api::GroupQuota>(
        [&](auto d) { m_api->setGroupQuota(m_orgId, quota.value.id, 1, d); });
    ASSERT_API_OK(changed);
    EXPECT_EQ(changed.value.quota, 1);
    const auto after =
        waitFor<QList<api::VmQuota>>([&](auto d) { m_api->vmQuotas(m_projectId, d); });
    ASSERT_API_OK(after);
    EXPECT_EQ(after.value.first().quota, 1);
    ASSERT_API_OK(
        waitFor<Empty>([&](auto d) { m_api->deleteGroupQuota(m_orgId, quota.value.id, d); }));
}

TEST_F(PfApiTest, ExperimentsAndJobs)
{
    const auto made = waitFor<api::Experiment>(
        [&](auto d) { m_api->createExperiment(m_projectId, u"a+b & c?"_s, d); });
    ASSERT_API_OK(made);
    EXPECT_EQ(made.value.name, u"a+b & c?"_s);

    const QJsonObject spec{
        {u"experiment"_s, made.value.name},
        {u"name"_s, u"x+y & z"_s},
        {u"vm"_s, u"test-cpu-1c"_s},
        {u"num_devices"_s, 1},
        {u"job_setting"_s, QJsonObject{{u"type"_s, u"custom"_s},
                                       {u"docker"_s, QJsonObject{{u"image"_s, u"any"_s},
                                                                 {u"command"_s, u"true"_s}}}}}};
    const auto job = waitFor<api::Job>([&](auto d) { m_api->createJob(m_projectId, spec, d); });
    ASSERT_API_OK(job);
    EXPECT_EQ(job.value.number, 1);
    EXPECT_EQ(job.value.experiment.id, made.value.id);

    // A job name with '+', '&' and spaces survives the query string.
    JobQuery byName;
    byName.jobName = u"x+y & z"_s;
    const auto found =
        waitFor<api::Page<api::Job>>([&](auto d) { m_api->jobs(m_projectId, byName, {}, 10, d); });
    ASSERT_API_OK(found);
    ASSERT_EQ(found.value.results.size(), 1);
    JobQuery other;
    other.jobName = u"x y"_s;
    const auto notFound =
        waitFor<api::Page<api::Job>>([&](auto d) { m_api->jobs(m_projectId, other, {}, 10, d); });
    ASSERT_API_OK(notFound);
    EXPECT_TRUE(notFound.value.results.isEmpty());

    // It finishes (`true`); then its logs, checkpoints and artifacts read.
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            return api::isTerminal(
                waitFor<api::Job>([&](auto d) { m_api->job(m_projectId, 1, d); }).value.status);
        },
        30000));
    LogQuery q;
    q.ascending = true;
    const auto logs = waitFor<LogPage>([&](auto d) { m_api->jobLogs(m_projectId, 1, q, d); });
    ASSERT_API_OK(logs);
    EXPECT_FALSE(logs.value.results.isEmpty());
    ASSERT_API_OK(waitFor<QList<api::JobCheckpoint>>(
        [&](auto d) { m_api->jobCheckpoints(m_projectId, 1, d); }));
    ASSERT_API_OK(
        waitFor<QList<api::Artifact>>([&](auto d) { m_api->jobArtifacts(m_projectId, 1, d); }));
    ASSERT_API_OK(
        waitFor<QList<MetricInfo>>([&](auto d) { m_api->jobMetrics(m_projectId, 1, d); }));

    const auto inExperiment =
        waitFor<api::Page<api::Job>>([&](auto d) { m_api->experimentJobs(made.value.id, {}, d); });
    ASSERT_API_OK(inExperiment);
    EXPECT_EQ(inExperiment.value.results.size(), 1);

    ASSERT_API_OK(waitFor<api::Experiment>(
        [&](auto d) { m_api->renameExperiment(made.value.id, u"renamed"_s, d); }));
    ASSERT_API_OK(waitFor<Empty>([&](auto d) { m_api->deleteExperiment(made.value.id, d); }));
    EXPECT_EQ(waitFor<api::Job>([&](auto d) { m_api->job(m_projectId, 1, d); }).result.status, 404);
    const auto left =
        waitFor<QList<api::Experiment>>([&](auto d) { m_api->experiments(m_projectId, d); });
    ASSERT_API_OK(left);
    EXPECT_TRUE(left.value.isEmpty());
}

TEST_F(PfApiTest, DatasetsAndTheirUploadContract)
{
    const auto made = waitFor<api::Dataset>([&](auto d) {
        m_api->createDataset(m_projectId,
                             {{u"name"_s, u"cifar"_s},
                              {u"vendor"_s, u"fai"_s},
                              {u"metadata"_s, QJsonObject{{u"k"_s, u"v"_s}}},
                              {u"active"_s, false}},
                             d);
    });
    ASSERT_API_OK(made);
    EXPECT_FALSE(made.value.active);
    EXPECT_FALSE(made.value.isLinked());

    const auto urls = waitFor<QList<UploadUrl>>(
        [&](auto d) { m_api->datasetUploadUrls(made.value.id, {u"a/b.txt"_s}, d); });
    ASSERT_API_OK(urls);
    ASSERT_EQ(urls.value.size(), 1);
    EXPECT_EQ(urls.value.first().path, u"a/b.txt"_s);
    EXPECT_TRUE(urls.value.first().uploadUrl.contains(u"/storage/"_s));

    const auto mpu = waitFor<MultipartUpload>(
        [&](auto d) { m_api->startDatasetMultipart(made.value.id, u"big.bin"_s, 3, d); });
    ASSERT_API_OK(mpu);
    EXPECT_EQ(mpu.value.parts.size(), 3);
    EXPECT_EQ(mpu.value.parts.last().partNumber, 3);
    ASSERT_API_OK(waitFor<Empty>([&](auto d) {
        m_api->abortDatasetMultipart(made.value.id, u"big.bin"_s, mpu.value.uploadId, d);
    }));

    // A path that escapes the dataset: 400 and the server's reason.
    const auto escape = waitFor<QList<UploadUrl>>(
        [&](auto d) { m_api->datasetUploadUrls(made.value.id, {u"../x"_s}, d); });
    EXPECT_EQ(escape.result.status, 400);
    EXPECT_FALSE(escape.message().isEmpty());

    const auto renamed = waitFor<api::Dataset>([&](auto d) {
        m_api->updateDataset(made.value.id, {{u"name"_s, u"cifar-100"_s}}, d);
    });
    ASSERT_API_OK(renamed);
    const auto list =
        waitFor<QList<api::Dataset>>([&](auto d) { m_api->datasets(m_projectId, d); });
    ASSERT_API_OK(list);
    ASSERT_EQ(list.value.size(), 1);
    EXPECT_EQ(list.value.first().name, u"cifar-100"_s);
    EXPECT_EQ(list.value.first().metadata.value(u"k"_s).toString(), u"v"_s);

    ASSERT_API_OK(waitFor<Empty>([&](auto d) { m_api->deleteDataset(made.value.id, d); }));
    EXPECT_EQ(
        waitFor<api::Dataset>([&](auto d) { m_api->dataset(made.value.id, d); }).result.status,
        404);
}

TEST_F(PfApiTest, CheckpointsDeleteAndRestore)
{
    const auto made = waitFor<api::Checkpoint>([&](auto d) {
        m_api->createCheckpoint(m_orgId, m_projectId,
                                {{u"name"_s, u"ckpt"_s},
                                 {u"model_category"_s, u"USER"_s},
                                 {u"form_category"_s, u"ETC"_s},
                                 {u"iteration"_s, 42}},
                                d);
    });
    ASSERT_API_OK(made);
    ASSERT_EQ(made.value.forms.size(), 1);
    EXPECT_EQ(made.value.iteration, 42);

    const auto urls = waitFor<QList<UploadUrl>>(
        [&](auto d) { m_api->formUploadUrls(made.value.forms.first().id, {u"w.bin"_s}, d); });
    ASSERT_API_OK(urls);
    EXPECT_EQ(urls.value.size(), 1);

    const auto users = waitFor<api::Page<api::Checkpoint>>(
        [&](auto d) { m_api->checkpoints(m_orgId, m_projectId, u"USER"_s, false, {}, d); });
    ASSERT_API_OK(users);
    ASSERT_EQ(users.value.results.size(), 1);
    const auto jobs = waitFor<api::Page<api::Checkpoint>>(
        [&](auto d) { m_api->checkpoints(m_orgId, m_projectId, u"JOB"_s, false, {}, d); });
    ASSERT_API_OK(jobs);
    EXPECT_TRUE(jobs.value.results.isEmpty());

    ASSERT_API_OK(waitFor<Empty>([&](auto d) { m_api->deleteCheckpoint(made.value.id, d); }));
    const auto deleted = waitFor<api::Page<api::Checkpoint>>(
        [&](auto d) { m_api->checkpoints(m_orgId, m_projectId, {}, true, {}, d); });
    ASSERT_API_OK(deleted);
    ASSERT_EQ(deleted.value.results.size(), 1);
    EXPECT_TRUE(deleted.value.results.first().deleted);

    const auto restored =
        waitFor<api::Checkpoint>([&](auto d) { m_api->restoreCheckpoint(made.value.id, d); });
    ASSERT_API_OK(restored);
    const auto back =
        waitFor<api::Checkpoint>([&](auto d) { m_api->checkpoint(made.value.id, d); });
    ASSERT_API_OK(back);
    EXPECT_FALSE(back.value.deleted);
}

} // namespace
