// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <gtest/gtest.h>

#include "api/vm.h"
#include "tests/api/jsontestutil.h"

using namespace Qt::StringLiterals;
using namespace pf::api;
using namespace pf::apitest;

namespace {

VmConfigType a100()
{
    VmConfigType t;
    t.code = u"slurm-a100-8g"_s;
    t.vendor = u"slurm"_s;
    t.deviceType = u"A100"_s;
    t.numDevicesPerVm = 8;
    t.perGpuMemory = 40.5;
    t.vcpu = 96;
    t.cpuMemory = 1152.25;
    t.isSpot = true;
    return t;
}

const auto vmConfigTypeKeys = keys({"code", "vendor", "device_type", "num_devices_per_vm",
                                    "per_gpu_memory", "vcpu", "cpu_memory", "is_spot"});

} // namespace

TEST(VmConfigType, RoundTripAndKeys)
{
    const VmConfigType t = a100();
    EXPECT_EQ(roundTrip(t), t);
    const QJsonObject o = t.toJson();
    EXPECT_EQ(keysOf(o), vmConfigTypeKeys);
    EXPECT_EQ(o.value("device_type"_L1).toString(), u"A100"_s);
    EXPECT_EQ(o.value("num_devices_per_vm"_L1).toInt(), 8);
    EXPECT_EQ(o.value("per_gpu_memory"_L1).toDouble(), 40.5);
    EXPECT_EQ(o.value("vcpu"_L1).toInt(), 96);
    EXPECT_EQ(o.value("cpu_memory"_L1).toDouble(), 1152.25);
    EXPECT_TRUE(o.value("is_spot"_L1).isBool());
    EXPECT_TRUE(o.value("is_spot"_L1).toBool());
}

TEST(VmConfigType, LenientReading)
{
    // Integral memory sizes read as doubles.
    const VmConfigType t = VmConfigType::fromJson(
        parse(R"({"code": "local-cpu-2c", "vcpu": 2, "cpu_memory": 4, "gpu": null})"));
    VmConfigType expected;
    expected.code = u"local-cpu-2c"_s;
    expected.vcpu = 2;
    expected.cpuMemory = 4.0;
    EXPECT_EQ(t, expected);
    EXPECT_EQ(VmConfigType::fromJson({}), VmConfigType{});
    EXPECT_EQ(VmConfigType::fromJson(parse(R"({"code": 1, "vendor": [], "device_type": {},
        "num_devices_per_vm": "8", "per_gpu_memory": "40", "vcpu": 2.5, "cpu_memory": true,
        "is_spot": "true"})")),
              VmConfigType{});
}

TEST(VmConfig, RoundTripAndKeys)
{
    const VmConfig c{42, a100()};
    EXPECT_EQ(roundTrip(c), c);
    const QJsonObject o = c.toJson();
    EXPECT_EQ(keysOf(o), keys({"id", "vm_config_type"}));
    EXPECT_EQ(o.value("id"_L1).toInteger(), 42);
    EXPECT_EQ(keysOf(o.value("vm_config_type"_L1).toObject()), vmConfigTypeKeys);
}

TEST(VmConfig, LenientReading)
{
    EXPECT_EQ(VmConfig::fromJson(parse(R"({"id": 3, "name": "x"})")), (VmConfig{3, {}}));
    EXPECT_EQ(VmConfig::fromJson({}), VmConfig{});
    EXPECT_EQ(VmConfig::fromJson(parse(R"({"id": "3", "vm_config_type": "a100"})")), VmConfig{});
}

TEST(VmQuota, RoundTripAndKeys)
{
    const VmQuota q{a100(), 2, 10};
    EXPECT_EQ(roundTrip(q), q);
    const QJsonObject o = q.toJson();
    EXPECT_EQ(keysOf(o), keys({"vm_config_type", "quota", "global_quota"}));
    EXPECT_EQ(o.value("quota"_L1).toInt(), 2);
    EXPECT_EQ(o.value("global_quota"_L1).toInt(), 10);
    EXPECT_EQ(keysOf(o.value("vm_config_type"_L1).toObject()), vmConfigTypeKeys);
}

TEST(VmQuota, LenientReading)
{
    EXPECT_EQ(VmQuota::fromJson(parse(R"({"quota": 4, "used": 1})")), (VmQuota{{}, 4, 0}));
    EXPECT_EQ(VmQuota::fromJson({}), VmQuota{});
    EXPECT_EQ(VmQuota::fromJson(parse(R"({"vm_config_type": [], "quota": "4",
                                          "global_quota": null})")),
              VmQuota{});
}

TEST(GroupQuota, RoundTripAndKeys)
{
    const GroupQuota q{7, u"local-cpu-2c"_s, u"p1"_s, 3};
    EXPECT_EQ(roundTrip(q), q);
    const QJsonObject o = q.toJson();
    EXPECT_EQ(keysOf(o), keys({"id", "vm_config_type_code", "project_id", "quota"}));
    EXPECT_EQ(o.value("vm_config_type_code"_L1).toString(), u"local-cpu-2c"_s);
    EXPECT_EQ(o.value("project_id"_L1).toString(), u"p1"_s);
}

TEST(GroupQuota, LenientReading)
{
    EXPECT_EQ(GroupQuota::fromJson(parse(R"({"project_id": "p", "quota": 1, "z": []})")),
              (GroupQuota{0, {}, u"p"_s, 1}));
    EXPECT_EQ(GroupQuota::fromJson({}), GroupQuota{});
    EXPECT_EQ(GroupQuota::fromJson(parse(R"({"id": 1.5, "vm_config_type_code": 2,
                                             "project_id": 3, "quota": "1"})")),
              GroupQuota{});
}

TEST(VmLock, RoundTripAndKeys)
{
    const VmLock l{11, 42, u"3e1e5a9c-2222-4a0f-9b7c-2f0e2d7c1a11"_s, u"active"_s};
    EXPECT_EQ(roundTrip(l), l);
    const QJsonObject o = l.toJson();
    EXPECT_EQ(keysOf(o), keys({"id", "vm_config_id", "job_id", "status"}));
    EXPECT_EQ(o.value("vm_config_id"_L1).toInteger(), 42);
    EXPECT_EQ(o.value("job_id"_L1).toString(), l.jobId);
}

TEST(VmLock, LenientReading)
{
    EXPECT_EQ(VmLock::fromJson(parse(R"({"id": 1, "status": "deleting", "node": 0})")),
              (VmLock{1, 0, {}, u"deleting"_s}));
    EXPECT_EQ(VmLock::fromJson({}), VmLock{});
    EXPECT_EQ(VmLock::fromJson(parse(R"({"id": "1", "vm_config_id": {}, "job_id": 5,
                                         "status": false})")),
              VmLock{});
}
