// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "vm.h"

#include "api/json.h"

using namespace Qt::StringLiterals;

namespace pf::api {

VmConfigType VmConfigType::fromJson(const QJsonObject &o)
{
    VmConfigType t;
    t.code = readString(o, "code"_L1);
    t.vendor = readString(o, "vendor"_L1);
    t.deviceType = readString(o, "device_type"_L1);
    t.numDevicesPerVm = readInt(o, "num_devices_per_vm"_L1);
    t.perGpuMemory = readDouble(o, "per_gpu_memory"_L1);
    t.vcpu = readInt(o, "vcpu"_L1);
    t.cpuMemory = readDouble(o, "cpu_memory"_L1);
    t.isSpot = readBool(o, "is_spot"_L1);
    return t;
}

QJsonObject VmConfigType::toJson() const
{
    return {{u"code"_s, code},
            {u"vendor"_s, vendor},
            {u"device_type"_s, deviceType},
            {u"num_devices_per_vm"_s, numDevicesPerVm},
            {u"per_gpu_memory"_s, perGpuMemory},
            {u"vcpu"_s, vcpu},
            {u"cpu_memory"_s, cpuMemory},
            {u"is_spot"_s, isSpot}};
}

VmConfig VmConfig::fromJson(const QJsonObject &o)
{
    return {readInt64(o, "id"_L1), VmConfigType::fromJson(readObject(o, "vm_config_type"_L1))};
}

QJsonObject VmConfig::toJson() const
{
    return {{u"id"_s, id}, {u"vm_config_type"_s, vmConfigType.toJson()}};
}

VmQuota VmQuota::fromJson(const QJsonObject &o)
{
    return {VmConfigType::fromJson(readObject(o, "vm_config_type"_L1)), readInt(o, "quota"_L1),
            readInt(o, "global_quota"_L1)};
}

QJsonObject VmQuota::toJson() const
{
    return {{u"vm_config_type"_s, vmConfigType.toJson()},
            {u"quota"_s, quota},
            {u"global_quota"_s, globalQuota}};
}

GroupQuota GroupQuota::fromJson(const QJsonObject &o)
{
    return {readInt64(o, "id"_L1), readString(o, "vm_config_type_code"_L1),
            readString(o, "project_id"_L1), readInt(o, "quota"_L1)};
}

QJsonObject GroupQuota::toJson() const
{
    return {{u"id"_s, id},
            {u"vm_config_type_code"_s, vmConfigTypeCode},
            {u"project_id"_s, projectId},
            {u"quota"_s, quota}};
}

VmLock VmLock::fromJson(const QJsonObject &o)
{
    return {readInt64(o, "id"_L1), readInt64(o, "vm_config_id"_L1), readString(o, "job_id"_L1),
            readString(o, "status"_L1)};
}

QJsonObject VmLock::toJson() const
{
    return {{u"id"_s, id},
            {u"vm_config_id"_s, vmConfigId},
            {u"job_id"_s, jobId},
            {u"status"_s, status}};
}

} // namespace pf::api
