// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// Contract: VM configs, quotas and locks (API.md "VMs, quota, experiments,
// templates"; docs/api.md "VMs and quotas").

#include <thread>

#include "tests/contract/contracthelpers.h"

using namespace pf::test;
using namespace Qt::StringLiterals;

class Vm : public ApiTest
{
protected:
    // The one VM config of the default configuration.
    static QJsonObject onlyConfig(const World &w)
    {
        const HttpReply r =
            pfd().client(w.owner.token)->get(u"/api/group/%1/vm_config/"_s.arg(w.orgId));
        const QJsonArray configs = r.jsonArray();
        return configs.size() == 1 ? configs[0].toObject() : QJsonObject();
    }
    static QJsonArray projectQuota(const User &u, const QString &projectId)
    {
        return pfd()
            .client(u.token)
            ->get(u"/api/project/%1/vm_quota/"_s.arg(projectId))
            .jsonArray();
    }
    static QString localCode()
    {
        return u"local-cpu-%1c"_s.arg(std::max(1u, std::thread::hardware_concurrency()));
    }
};

// --- GET /api/group/{gid}/vm_config/ ----------------------------------------

TEST_F(Vm, DefaultConfigIsOneLocalCpuType)
{
    const World w = makeWorld();
    const User member = newUser(u"member"_s);
    ASSERT_TRUE(joinOrg(w.owner, member, w.orgId));
    const HttpReply r = pfd().client(member.token)->get(u"/api/group/%1/vm_config/"_s.arg(w.orgId));
    ASSERT_EQ(r.status, 200) << show(r);
    const QJsonArray configs = r.jsonArray();
    ASSERT_EQ(configs.size(), 1) << show(r);
    const QJsonObject config = configs[0].toObject();
    EXPECT_EQ(config.keys(), (QStringList{u"id"_s, u"vm_config_type"_s}));
    EXPECT_TRUE(config.value(u"id"_s).isDouble());
    EXPECT_GE(config.value(u"id"_s).toInteger(), 1);
    const QJsonObject type = config.value(u"vm_config_type"_s).toObject();
    EXPECT_EQ(type.keys(),
              (QStringList{u"code"_s, u"cpu_memory"_s, u"device_type"_s, u"is_spot"_s,
                           u"num_devices_per_vm"_s, u"per_gpu_memory"_s, u"vcpu"_s, u"vendor"_s}));
    const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
    EXPECT_EQ(type.value(u"code"_s).toString(), localCode());
    EXPECT_EQ(type.value(u"vendor"_s).toString(), u"local"_s);
    EXPECT_EQ(type.value(u"device_type"_s).toString(), u"cpu"_s);
    EXPECT_EQ(type.value(u"num_devices_per_vm"_s).toInt(), cores);
    EXPECT_EQ(type.value(u"vcpu"_s).toInt(), cores);
    EXPECT_EQ(type.value(u"per_gpu_memory"_s).toDouble(), 0.0);
    EXPECT_GE(type.value(u"cpu_memory"_s).toDouble(), 1.0);
    EXPECT_FALSE(type.value(u"is_spot"_s).toBool());
    EXPECT_TRUE(type.value(u"is_spot"_s).isBool());

    const User outsider = newUser(u"outsider"_s);
    EXPECT_API_ERROR(pfd().client(outsider.token)->get(u"/api/group/%1/vm_config/"_s.arg(w.orgId)),
                     404);
    EXPECT_API_ERROR(pfd().client()->get(u"/api/group/%1/vm_config/"_s.arg(w.orgId)), 401);
    // Without the trailing slash too.
    EXPECT_EQ(
        pfd().client(member.token)->get(u"/api/group/%1/vm_config"_s.arg(w.orgId)).jsonArray(),
        configs);
}

// --- GET /api/project/{pid}/vm_quota/ ---------------------------------------

TEST_F(Vm, ProjectQuotaDefaults)
{
    const World w = makeWorld();
    const User guest = projectMember(w, u"guest"_s);
    ASSERT_FALSE(guest.id.isEmpty());
    const QJsonObject config = onlyConfig(w);
    ASSERT_FALSE(config.isEmpty());
    const HttpReply r =
        pfd().client(guest.token)->get(u"/api/project/%1/vm_quota/"_s.arg(w.projectId));
    ASSERT_EQ(r.status, 200) << show(r);
    ASSERT_EQ(r.jsonArray().size(), 1) << show(r);
    const QJsonObject q = r.jsonArray()[0].toObject();
    EXPECT_EQ(q.keys(), (QStringList{u"global_quota"_s, u"quota"_s, u"vm_config_type"_s}));
    EXPECT_EQ(q.value(u"vm_config_type"_s).toObject(),
              config.value(u"vm_config_type"_s).toObject());
    EXPECT_EQ(q.value(u"quota"_s).toInt(-1), 1);
    EXPECT_EQ(q.value(u"global_quota"_s).toInt(-1), 1);

    const User orgOnly = newUser(u"orgonly"_s);
    ASSERT_TRUE(joinOrg(w.owner, orgOnly, w.orgId));
    EXPECT_API_ERROR(
        pfd().client(orgOnly.token)->get(u"/api/project/%1/vm_quota/"_s.arg(w.projectId)), 404);
}

// --- /api/group/{gid}/vm_quota/ ---------------------------------------------

TEST_F(Vm, GroupQuotaLifecycle)
{
    const World w = makeWorld();
    const User member = newUser(u"member"_s);
    ASSERT_TRUE(joinOrg(w.owner, member, w.orgId));
    ASSERT_TRUE(addToProject(w.owner, member, w.projectId, u"admin"_s));
    const World other = makeWorld();
    auto owner = pfd().client(w.owner.token);
    const QString base = u"/api/group/%1/vm_quota/"_s.arg(w.orgId);

    const HttpReply empty = owner->get(base);
    ASSERT_EQ(empty.status, 200) << show(empty);
    EXPECT_TRUE(empty.jsonArray().isEmpty());

    const QJsonObject body{
        {u"vm_config_type_code"_s, localCode()}, {u"project_id"_s, w.projectId}, {u"quota"_s, 3}};
    // Owner only: a member (even a project admin) may not; an outsider sees nothing.
    EXPECT_API_ERROR(pfd().client(member.token)->postJson(base, body), 403);
    EXPECT_API_ERROR(pfd().client(other.owner.token)->postJson(base, body), 404);

    const HttpReply made = owner->postJson(base, body);
    ASSERT_EQ(made.status, 201) << show(made);
    const qint64 id = made.json().value(u"id"_s).toInteger();
    EXPECT_TRUE(made.json().value(u"id"_s).isDouble());
    EXPECT_EQ(made.json().value(u"vm_config_type_code"_s).toString(), localCode());
    EXPECT_EQ(made.json().value(u"project_id"_s).toString(), w.projectId);
    EXPECT_EQ(made.json().value(u"quota"_s).toInt(), 3);

    // Members may read the org's quotas.
    const HttpReply listed = pfd().client(member.token)->get(base);
    ASSERT_EQ(listed.status, 200) << show(listed);
    ASSERT_EQ(listed.jsonArray().size(), 1);
    EXPECT_EQ(listed.jsonArray()[0].toObject(), made.json());
    // It is the project's quota now.
    ASSERT_EQ(projectQuota(member, w.projectId).size(), 1);
    EXPECT_EQ(projectQuota(member, w.projectId)[0].toObject().value(u"quota"_s).toInt(), 3);

    EXPECT_API_ERROR(owner->postJson(base, body), 409);
    QJsonObject badCode = body;
    badCode.insert(u"vm_config_type_code"_s, u"slurm-h100-8g"_s);
    EXPECT_FIELD_ERROR(owner->postJson(base, badCode), 400, u"vm_config_type_code"_s);
    QJsonObject foreign = body;
    foreign.insert(u"project_id"_s, other.projectId);
    EXPECT_FIELD_ERROR(owner->postJson(base, foreign), 400, u"project_id"_s);
    QJsonObject negative = body;
    negative.insert(u"quota"_s, -1);
    EXPECT_FIELD_ERROR(owner->postJson(base, negative), 400, u"quota"_s);
    EXPECT_FIELD_ERROR(owner->postJson(base, {{u"quota"_s, 1}}), 400, u"vm_config_type_code"_s);
    EXPECT_FIELD_ERROR(owner->postJson(base, {{u"quota"_s, 1}}), 400, u"project_id"_s);

    // PATCH
    const QString one = base + QString::number(id) + u'/';
    EXPECT_API_ERROR(pfd().client(member.token)->patchJson(one, {{u"quota"_s, 9}}), 403);
    EXPECT_FIELD_ERROR(owner->patchJson(one, {{u"quota"_s, u"many"_s}}), 400, u"quota"_s);
    EXPECT_FIELD_ERROR(owner->patchJson(one, {{u"quota"_s, 1}, {u"project_id"_s, other.projectId}}),
                       400, u"project_id"_s);
    const HttpReply patched = owner->patchJson(one, {{u"quota"_s, 5}});
    ASSERT_EQ(patched.status, 200) << show(patched);
    EXPECT_EQ(patched.json().value(u"quota"_s).toInt(), 5);
    EXPECT_EQ(patched.json().value(u"id"_s).toInteger(), id);
    EXPECT_EQ(projectQuota(w.owner, w.projectId)[0].toObject().value(u"quota"_s).toInt(), 5);
    // Another org's owner cannot reach it through their own org.
    const QString viaOther = u"/api/group/%1/vm_quota/%2/"_s.arg(other.orgId).arg(id);
    EXPECT_API_ERROR(pfd().client(other.owner.token)->patchJson(viaOther, {{u"quota"_s, 0}}), 404);
    EXPECT_API_ERROR(pfd().client(other.owner.token)->del(viaOther), 404);
    EXPECT_API_ERROR(owner->patchJson(base + u"999999/"_s, {{u"quota"_s, 1}}), 404);

    // DELETE
    EXPECT_API_ERROR(pfd().client(member.token)->del(one), 403);
    const HttpReply removed = owner->del(one);
    ASSERT_EQ(removed.status, 204) << show(removed);
    EXPECT_TRUE(owner->get(base).jsonArray().isEmpty());
    EXPECT_EQ(projectQuota(w.owner, w.projectId)[0].toObject().value(u"quota"_s).toInt(), 1);
    EXPECT_API_ERROR(owner->del(one), 404);
    EXPECT_API_ERROR(owner->del(base + u"abc/"_s), 400);
}

// --- vm_lock ----------------------------------------------------------------

TEST_F(Vm, LocksAreEmptyAndFiltersAreChecked)
{
    const World w = makeWorld();
    const User guest = projectMember(w, u"guest"_s);
    ASSERT_FALSE(guest.id.isEmpty());
    const qint64 configId = onlyConfig(w).value(u"id"_s).toInteger();
    ASSERT_GE(configId, 1);
    auto c = pfd().client(guest.token);
    const QString projectLocks = u"/api/project/%1/vm_lock/"_s.arg(w.projectId);
    const QString configLocks =
        u"/api/project/%1/vm_config/%2/vm_lock/"_s.arg(w.projectId).arg(configId);

    for (const QString &p : QStringList{projectLocks, projectLocks + u"?status=active,deleting"_s,
                                        configLocks, configLocks + u"?status=active,deleting"_s,
                                        configLocks + u"?status=deleted"_s}) {
        const HttpReply r = c->get(p);
        ASSERT_EQ(r.status, 200) << p.toStdString() << ' ' << show(r);
        EXPECT_TRUE(r.body.trimmed() == "[]") << p.toStdString() << ' ' << show(r);
    }
    EXPECT_API_ERROR(c->get(projectLocks + u"?status=running"_s), 400);
    EXPECT_API_ERROR(c->get(projectLocks + u"?status=active,bogus"_s), 400);
    EXPECT_API_ERROR(c->get(configLocks + u"?status=bogus"_s), 400);
    EXPECT_API_ERROR(c->get(u"/api/project/%1/vm_config/999999/vm_lock/"_s.arg(w.projectId)), 404);
    EXPECT_API_ERROR(c->get(u"/api/project/%1/vm_config/abc/vm_lock/"_s.arg(w.projectId)), 400);

    const User orgOnly = newUser(u"orgonly"_s);
    ASSERT_TRUE(joinOrg(w.owner, orgOnly, w.orgId));
    EXPECT_API_ERROR(pfd().client(orgOnly.token)->get(projectLocks), 404);
    EXPECT_API_ERROR(pfd().client(orgOnly.token)->get(configLocks), 404);
}

// --- configured VM types ----------------------------------------------------

TEST(VmConfigured, TwoConfiguredTypesAreServed)
{
    PfdProcess pfd(u"auth:\n"
                   "  password_hashing: minimal\n"
                   "vm_types:\n"
                   "  - code: slurm-a100-8g\n"
                   "    vendor: slurm\n"
                   "    device_type: a100\n"
                   "    devices_per_vm: 8\n"
                   "    per_device_memory_gib: 80\n"
                   "    vcpu: 64\n"
                   "    memory_gib: 512\n"
                   "    spot: true\n"
                   "    executor: slurm\n"
                   "    max_vms: 4\n"
                   "    default_quota: 2\n"
                   "  - code: local-cpu-2c\n"
                   "    devices_per_vm: 2\n"
                   "    vcpu: 2\n"
                   "    memory_gib: 4\n"_s);
    ASSERT_TRUE(pfd.start()) << pfd.lastError().toStdString();
    PfdProcess::User owner = pfd.createUser(u"vmowner"_s);
    ASSERT_FALSE(owner.id.isEmpty());
    auto c = pfd.client(owner.token);
    const HttpReply org = c->postJson(
        u"/auth/pf_group"_s, {{u"name"_s, u"gpu-org"_s}, {u"hosting_type"_s, u"hosted"_s}});
    ASSERT_EQ(org.status, 201) << show(org);
    const QString orgId = org.json().value(u"id"_s).toString();
    const HttpReply project =
        c->postJson(u"/auth/pf_group/%1/pf_project"_s.arg(orgId), {{u"name"_s, u"p"_s}});
    ASSERT_EQ(project.status, 201) << show(project);
    const QString projectId = project.json().value(u"id"_s).toString();

    const HttpReply r = c->get(u"/api/group/%1/vm_config/"_s.arg(orgId));
    ASSERT_EQ(r.status, 200) << show(r);
    const QJsonArray configs = r.jsonArray();
    ASSERT_EQ(configs.size(), 2) << show(r);
    const QJsonObject a100 = configs[0].toObject().value(u"vm_config_type"_s).toObject();
    const QJsonObject cpu = configs[1].toObject().value(u"vm_config_type"_s).toObject();
    EXPECT_NE(configs[0].toObject().value(u"id"_s).toInteger(),
              configs[1].toObject().value(u"id"_s).toInteger());
    EXPECT_EQ(a100, (QJsonObject{{u"code"_s, u"slurm-a100-8g"_s},
                                 {u"vendor"_s, u"slurm"_s},
                                 {u"device_type"_s, u"a100"_s},
                                 {u"num_devices_per_vm"_s, 8},
                                 {u"per_gpu_memory"_s, 80},
                                 {u"vcpu"_s, 64},
                                 {u"cpu_memory"_s, 512},
                                 {u"is_spot"_s, true}}));
    EXPECT_EQ(cpu, (QJsonObject{{u"code"_s, u"local-cpu-2c"_s},
                                {u"vendor"_s, u"local"_s},
                                {u"device_type"_s, u"cpu"_s},
                                {u"num_devices_per_vm"_s, 2},
                                {u"per_gpu_memory"_s, 0},
                                {u"vcpu"_s, 2},
                                {u"cpu_memory"_s, 4},
                                {u"is_spot"_s, false}}));

    const HttpReply quota = c->get(u"/api/project/%1/vm_quota/"_s.arg(projectId));
    ASSERT_EQ(quota.status, 200) << show(quota);
    const QJsonArray quotas = quota.jsonArray();
    ASSERT_EQ(quotas.size(), 2) << show(quota);
    EXPECT_EQ(quotas[0].toObject(),
              (QJsonObject{{u"vm_config_type"_s, a100}, {u"quota"_s, 2}, {u"global_quota"_s, 4}}));
    EXPECT_EQ(quotas[1].toObject(),
              (QJsonObject{{u"vm_config_type"_s, cpu}, {u"quota"_s, 1}, {u"global_quota"_s, 1}}));

    // A quota can be set for a configured code.
    const QString base = u"/api/group/%1/vm_quota/"_s.arg(orgId);
    EXPECT_EQ(c->postJson(base, {{u"vm_config_type_code"_s, u"slurm-a100-8g"_s},
                                 {u"project_id"_s, projectId},
                                 {u"quota"_s, 0}})
                  .status,
              201);
    EXPECT_EQ(c->get(u"/api/project/%1/vm_quota/"_s.arg(projectId))
                  .jsonArray()[0]
                  .toObject()
                  .value(u"quota"_s)
                  .toInt(-1),
              0);
    // Not for a code the configuration does not define.
    EXPECT_FIELD_ERROR(c->postJson(base, {{u"vm_config_type_code"_s, u"local-cpu-999c"_s},
                                          {u"project_id"_s, projectId},
                                          {u"quota"_s, 1}}),
                       400, u"vm_config_type_code"_s);
    EXPECT_EQ(pfd.stop(), 0);
}
