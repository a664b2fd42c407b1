// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <optional>

#include <QSqlDatabase>
#include <QStringList>

#include "api/vm.h"
#include "server/config.h"

namespace pf::server {

struct VmConfigRecord
{
    api::VmConfig config;
    QString executor;
    int globalQuota = 0;
    int defaultQuota = 0;
};

// VM types (from the configuration), per-project quotas and the locks jobs
// hold while they use machines.
class VmRepo
{
public:
    explicit VmRepo(QSqlDatabase db);

    // Makes the vm_config table match the configuration: new codes are
    // added, known ones updated in place (ids stay stable), codes no longer
    // configured are retired (hidden, kept for old jobs).
    void syncTypes(const QList<VmTypeConfig> &types);
    QList<VmConfigRecord> configs();
    std::optional<VmConfigRecord> config(qint64 id);
    std::optional<VmConfigRecord> configByCode(const QString &code);

    // The quota of each active VM type for one project: the org's explicit
    // quota where one is set, otherwise the type's default.
    QList<api::VmQuota> projectQuotas(const QString &projectId);
    QList<api::GroupQuota> groupQuotas(const QString &orgId);
    std::optional<api::GroupQuota> groupQuota(const QString &orgId, qint64 quotaId);
    // Throws UniqueViolation if the project already has a quota for the type.
    api::GroupQuota addGroupQuota(const QString &orgId, const QString &projectId, qint64 vmConfigId,
                                  int quota);
    void setGroupQuota(qint64 quotaId, int quota);
    void removeGroupQuota(qint64 quotaId);

    // Locks of a project, optionally of one VM config, with a status in `statuses`
    // (every status when empty).
    QList<api::VmLock> locks(const QString &projectId, std::optional<qint64> vmConfigId,
                             const QStringList &statuses);

    // Locks in use (status active) of a VM config: on the whole server, and
    // within one project.
    int activeLocks(qint64 vmConfigId);
    int activeProjectLocks(qint64 vmConfigId, const QString &projectId);
    // The quota of one project for one VM config (explicit or default).
    int projectQuota(const QString &projectId, qint64 vmConfigId);
    void takeLocks(qint64 vmConfigId, const QString &projectId, const QString &jobId, int count);
    // Marks the job's active locks deleted.
    void releaseLocks(const QString &jobId);

private:
    QSqlDatabase m_db;
};

} // namespace pf::server
