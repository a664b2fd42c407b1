// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "vmrepo.h"

#include <QSet>

#include "server/store/database.h"
#include "server/store/pagination.h"

namespace pf::server {

namespace {

const QString kConfigColumns = QStringLiteral(
    "c.id, c.code, c.vendor, c.device_type, c.num_devices_per_vm, c.per_gpu_memory, c.vcpu, "
    "c.cpu_memory, c.is_spot, c.executor, c.global_quota, c.default_quota");

VmConfigRecord readConfig(const QSqlQuery &q, int at = 0)
{
    return {{q.value(at).toLongLong(),
             {q.value(at + 1).toString(), q.value(at + 2).toString(), q.value(at + 3).toString(),
              q.value(at + 4).toInt(), q.value(at + 5).toDouble(), q.value(at + 6).toInt(),
              q.value(at + 7).toDouble(), q.value(at + 8).toBool()}},
            q.value(at + 9).toString(),
            q.value(at + 10).toInt(),
            q.value(at + 11).toInt()};
}

} // namespace

VmRepo::VmRepo(QSqlDatabase db)
    : m_db(std::move(db))
{}

void VmRepo::syncTypes(const QList<VmTypeConfig> &types)
{
    QSet<QString> configured;
    for (const VmTypeConfig &t : types) {
        configured.insert(t.code);
        const QVariantList values{t.vendor, t.deviceType,  t.devicesPerVm, t.perDeviceMemoryGib,
                                  t.vcpu,   t.memoryGib,   t.spot,         t.executor,
                                  t.maxVms, t.defaultQuota};
        QSqlQuery q =
            runSql(m_db,
                   QStringLiteral("UPDATE vm_config SET vendor = ?, device_type = ?, "
                                  "num_devices_per_vm = ?, per_gpu_memory = ?, vcpu = ?, "
                                  "cpu_memory = ?, is_spot = ?, executor = ?, global_quota = ?, "
                                  "default_quota = ?, retired = ? WHERE code = ?"),
                   QVariantList(values) << false << t.code);
        if (q.numRowsAffected() == 0)
            runSql(m_db,
                   QStringLiteral(
                       "INSERT INTO vm_config (code, vendor, device_type, num_devices_per_vm, "
                       "per_gpu_memory, vcpu, cpu_memory, is_spot, executor, global_quota, "
                       "default_quota, retired) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                   QVariantList{t.code} << values << false);
    }
    QSqlQuery all =
        runSql(m_db, QStringLiteral("SELECT code FROM vm_config WHERE retired = ?"), {false});
    QStringList retire;
    while (all.next()) {
        if (!configured.contains(all.value(0).toString()))
            retire << all.value(0).toString();
    }
    for (const QString &code : std::as_const(retire))
        runSql(m_db, QStringLiteral("UPDATE vm_config SET retired = ? WHERE code = ?"),
               {true, code});
}

QList<VmConfigRecord> VmRepo::configs()
{
    QSqlQuery q = runSql(m_db,
                         QStringLiteral("SELECT ") + kConfigColumns +
                             QStringLiteral(" FROM vm_config c WHERE c.retired = ? ORDER BY c.id"),
                         {false});
    QList<VmConfigRecord> out;
    while (q.next())
        out.append(readConfig(q));
    return out;
}

std::optional<VmConfigRecord> VmRepo::config(qint64 id)
{
    QSqlQuery q = runSql(m_db,
                         QStringLiteral("SELECT ") + kConfigColumns +
                             QStringLiteral(" FROM vm_config c WHERE c.id = ? AND c.retired = ?"),
                         {id, false});
    if (!q.next())
        return std::nullopt;
    return readConfig(q);
}

std::optional<VmConfigRecord> VmRepo::configByCode(const QString &code)
{
    QSqlQuery q = runSql(m_db,
                         QStringLiteral("SELECT ") + kConfigColumns +
                             QStringLiteral(" FROM vm_config c WHERE c.code = ? AND c.retired = ?"),
                         {code, false});
    if (!q.next())
        return std::nullopt;
    return readConfig(q);
}

QList<api::VmQuota> VmRepo::projectQuotas(const QString &projectId)
{
    QSqlQuery q = runSql(m_db,
                         QStringLiteral("SELECT ") + kConfigColumns +
                             QStringLiteral(", q.quota FROM vm_config c LEFT JOIN vm_quota q "
                                            "ON q.vm_config_id = c.id AND q.project_id = ? "
                                            "WHERE c.retired = ? ORDER BY c.id"),
                         {projectId, false});
    QList<api::VmQuota> out;
    while (q.next()) {
        const VmConfigRecord r = readConfig(q);
        const int quota = q.value(12).isNull() ? r.defaultQuota : q.value(12).toInt();
        out.append({r.config.vmConfigType, quota, r.globalQuota});
    }
    return out;
}

QList<api::GroupQuota> VmRepo::groupQuotas(const QString &orgId)
{
    QSqlQuery q =
        runSql(m_db,
               QStringLiteral("SELECT q.id, c.code, q.project_id, q.quota FROM vm_quota q "
                              "JOIN vm_config c ON c.id = q.vm_config_id "
                              "WHERE q.org_id = ? ORDER BY q.id"),
               {orgId});
    QList<api::GroupQuota> out;
    while (q.next())
        out.append({q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
                    q.value(3).toInt()});
    return out;
}

std::optional<api::GroupQuota> VmRepo::groupQuota(const QString &orgId, qint64 quotaId)
{
    QSqlQuery q =
        runSql(m_db,
               QStringLiteral("SELECT q.id, c.code, q.project_id, q.quota FROM vm_quota q "
                              "JOIN vm_config c ON c.id = q.vm_config_id "
                              "WHERE q.org_id = ? AND q.id = ?"),
               {orgId, quotaId});
    if (!q.next())
        return std::nullopt;
    return api::GroupQuota{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
                           q.value(3).toInt()};
}

api::GroupQuota VmRepo::addGroupQuota(const QString &orgId, const QString &projectId,
                                      qint64 vmConfigId, int quota)
{
    runSql(
        m_db,
        QStringLiteral(
            "INSERT INTO vm_quota (org_id, project_id, vm_config_id, quota) VALUES (?, ?, ?, ?)"),
        {orgId, projectId, vmConfigId, quota});
    QSqlQuery q = runSql(
        m_db, QStringLiteral("SELECT id FROM vm_quota WHERE project_id = ? AND vm_config_id = ?"),
        {projectId, vmConfigId});
    q.next();
    return *groupQuota(orgId, q.value(0).toLongLong());
}

void VmRepo::setGroupQuota(qint64 quotaId, int quota)
{
    runSql(m_db, QStringLiteral("UPDATE vm_quota SET quota = ? WHERE id = ?"), {quota, quotaId});
}

void VmRepo::removeGroupQuota(qint64 quotaId)
{
    runSql(m_db, QStringLiteral("DELETE FROM vm_quota WHERE id = ?"), {quotaId});
}

QList<api::VmLock> VmRepo::locks(const QString &projectId, std::optional<qint64> vmConfigId,
                                 const QStringList &statuses)
{
    QString sql =
        QStringLiteral("SELECT id, vm_config_id, job_id, status FROM vm_lock WHERE project_id = ?");
    QVariantList binds{projectId};
    if (vmConfigId) {
        sql += QStringLiteral(" AND vm_config_id = ?");
        binds << *vmConfigId;
    }
    if (!statuses.isEmpty()) {
        sql += QStringLiteral(" AND status IN (");
        for (qsizetype i = 0; i < statuses.size(); ++i) {
            sql += i ? QStringLiteral(", ?") : QStringLiteral("?");
            binds << statuses[i];
        }
        sql += u')';
    }
    sql += QStringLiteral(" ORDER BY id");
    QSqlQuery q = runSql(m_db, sql, binds);
    QList<api::VmLock> out;
    while (q.next())
        out.append({q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toString(),
                    q.value(3).toString()});
    return out;
}

int VmRepo::activeLocks(qint64 vmConfigId)
{
    QSqlQuery q = runSql(
        m_db,
        QStringLiteral("SELECT COUNT(*) FROM vm_lock WHERE vm_config_id = ? AND status = 'active'"),
        {vmConfigId});
    return q.next() ? q.value(0).toInt() : 0;
}

int VmRepo::activeProjectLocks(qint64 vmConfigId, const QString &projectId)
{
    QSqlQuery q = runSql(
        m_db,
        QStringLiteral("SELECT COUNT(*) FROM vm_lock WHERE vm_config_id = ? AND project_id = ? "
                       "AND status = 'active'"),
        {vmConfigId, projectId});
    return q.next() ? q.value(0).toInt() : 0;
}

int VmRepo::projectQuota(const QString &projectId, qint64 vmConfigId)
{
    QSqlQuery q = runSql(
        m_db,
        QStringLiteral("SELECT c.default_quota, q.quota FROM vm_config c LEFT JOIN vm_quota q "
                       "ON q.vm_config_id = c.id AND q.project_id = ? WHERE c.id = ?"),
        {projectId, vmConfigId});
    if (!q.next())
        return 0;
    return q.value(1).isNull() ? q.value(0).toInt() : q.value(1).toInt();
}

void VmRepo::takeLocks(qint64 vmConfigId, const QString &projectId, const QString &jobId, int count)
{
    for (int i = 0; i < count; ++i)
        runSql(m_db,
               QStringLiteral(
                   "INSERT INTO vm_lock (vm_config_id, project_id, job_id, status, created_at) "
                   "VALUES (?, ?, ?, 'active', ?)"),
               {vmConfigId, projectId, jobId, nowMs()});
}

void VmRepo::releaseLocks(const QString &jobId)
{
    runSql(m_db,
           QStringLiteral(
               "UPDATE vm_lock SET status = 'deleted' WHERE job_id = ? AND status = 'active'"),
           {jobId});
}

} // namespace pf::server
