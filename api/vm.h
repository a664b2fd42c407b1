// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QJsonObject>
#include <QString>

namespace pf::api {

// A kind of VM: {"code", "vendor", "device_type", "num_devices_per_vm",
// "per_gpu_memory", "vcpu", "cpu_memory", "is_spot"}. Codes read like
// "local-cpu-2c" or "slurm-a100-8g"; pfd's configuration defines them.
struct VmConfigType
{
    QString code;
    QString vendor;
    QString deviceType;
    int numDevicesPerVm = 0;
    double perGpuMemory = 0.0;
    int vcpu = 0;
    double cpuMemory = 0.0;
    bool isSpot = false;

    static VmConfigType fromJson(const QJsonObject &o);
    QJsonObject toJson() const;

    friend bool operator==(const VmConfigType &, const VmConfigType &) = default;
};

// One entry of GET /api/group/{gid}/vm_config/: {"id", "vm_config_type": {...}}.
struct VmConfig
{
    qint64 id = 0;
    VmConfigType vmConfigType;

    static VmConfig fromJson(const QJsonObject &o);
    QJsonObject toJson() const;

    friend bool operator==(const VmConfig &, const VmConfig &) = default;
};

// One entry of GET /api/project/{pid}/vm_quota/:
// {"vm_config_type": {...}, "quota", "global_quota"}.
struct VmQuota
{
    VmConfigType vmConfigType;
    int quota = 0;
    int globalQuota = 0;

    static VmQuota fromJson(const QJsonObject &o);
    QJsonObject toJson() const;

    friend bool operator==(const VmQuota &, const VmQuota &) = default;
};

// A quota an org owner manages under /api/group/{gid}/vm_quota/:
// {"id", "vm_config_type_code", "project_id", "quota"}.
struct GroupQuota
{
    qint64 id = 0;
    QString vmConfigTypeCode;
    QString projectId; // UUID
    int quota = 0;

    static GroupQuota fromJson(const QJsonObject &o);
    QJsonObject toJson() const;

    friend bool operator==(const GroupQuota &, const GroupQuota &) = default;
};

// A VM in use by a job: {"id", "vm_config_id", "job_id", "status"}, status
// e.g. "active" or "deleting".
struct VmLock
{
    qint64 id = 0;
    qint64 vmConfigId = 0;
    QString jobId; // UUID
    QString status;

    static VmLock fromJson(const QJsonObject &o);
    QJsonObject toJson() const;

    friend bool operator==(const VmLock &, const VmLock &) = default;
};

} // namespace pf::api
