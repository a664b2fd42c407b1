// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "jobrepo.h"

#include <QJsonDocument>

#include "server/store/database.h"

namespace pf::server {

namespace {

const QString kSelect = QStringLiteral(
    "SELECT j.seq, j.id, j.project_id, j.number, j.name, j.status, j.experiment_id, e.name, "
    "j.num_desired_devices, j.num_nodes, j.user_id, u.username, j.created_at, j.started_at, "
    "j.finished_at, j.progress, j.step, j.total_steps, j.error_message, j.config, "
    "j.stop_requested_at, "
    "c.id, c.code, c.vendor, c.device_type, c.num_devices_per_vm, c.per_gpu_memory, c.vcpu, "
    "c.cpu_memory, c.is_spot "
    "FROM jobs j LEFT JOIN experiments e ON e.id = j.experiment_id "
    "LEFT JOIN users u ON u.id = j.user_id LEFT JOIN vm_config c ON c.id = j.vm_config_id ");

JobRecord readJob(const QSqlQuery &q)
{
    JobRecord r;
    r.seq = q.value(0).toLongLong();
    r.id = q.value(1).toString();
    r.projectId = q.value(2).toString();
    r.number = q.value(3).toLongLong();
    r.name = q.value(4).toString();
    r.status = api::jobStatusFromString(q.value(5).toString()).value_or(api::JobStatus::Failed);
    r.experimentId = q.value(6).toLongLong();
    r.experimentName = q.value(7).toString();
    r.numDevices = q.value(8).toInt();
    r.numNodes = q.value(9).toInt();
    r.userId = q.value(10).toString();
    r.username = q.value(11).toString();
    r.createdAtMs = q.value(12).toLongLong();
    r.startedAtMs = q.value(13).toLongLong();
    r.finishedAtMs = q.value(14).toLongLong();
    r.progress = q.value(15).toDouble();
    r.step = q.value(16).toLongLong();
    r.totalSteps = q.value(17).toLongLong();
    r.errorMessage = q.value(18).toString();
    r.config = QJsonDocument::fromJson(q.value(19).toString().toUtf8()).object();
    r.stopRequestedAtMs = q.value(20).toLongLong();
    r.vmConfig = {q.value(21).toLongLong(),
                  {q.value(22).toString(), q.value(23).toString(), q.value(24).toString(),
                   q.value(25).toInt(), q.value(26).toDouble(), q.value(27).toInt(),
                   q.value(28).toDouble(), q.value(29).toBool()}};
    return r;
}

void addIn(QString &sql, QVariantList &binds, const QString &column, const QStringList &values)
{
    sql += QStringLiteral(" AND ") + column + QStringLiteral(" IN (");
    for (qsizetype i = 0; i < values.size(); ++i) {
        sql += i ? QStringLiteral(", ?") : QStringLiteral("?");
        binds << values[i];
    }
    sql += u')';
}

} // namespace

JobRepo::JobRepo(QSqlDatabase db)
    : m_db(std::move(db))
{}

JobRecord JobRepo::create(const NewJob &job)
{
    QSqlQuery n = runSql(
        m_db, QStringLiteral("SELECT COALESCE(MAX(number), 0) + 1 FROM jobs WHERE project_id = ?"),
        {job.projectId});
    n.next();
    const qint64 number = n.value(0).toLongLong();
    const QString id = newUuid();
    const qint64 now = nowMs();
    runSql(
        m_db,
        QStringLiteral(
            "INSERT INTO jobs (id, project_id, number, name, status, experiment_id, vm_config_id, "
            "num_desired_devices, num_nodes, data_store_id, user_id, created_at, progress, "
            "error_message, config, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, 0, '', ?, ?)"),
        {id, job.projectId, number, job.name, api::toString(api::JobStatus::Waiting),
         job.experimentId ? QVariant(job.experimentId) : QVariant(QMetaType(QMetaType::LongLong)),
         job.vmConfigId ? QVariant(job.vmConfigId) : QVariant(QMetaType(QMetaType::LongLong)),
         job.numDevices, job.numNodes, job.userId, now,
         QString::fromUtf8(QJsonDocument(job.config).toJson(QJsonDocument::Compact)), now});
    return *byId(id);
}

std::optional<JobRecord> JobRepo::byNumber(const QString &projectId, qint64 number)
{
    QSqlQuery q = runSql(m_db, kSelect + QStringLiteral("WHERE j.project_id = ? AND j.number = ?"),
                         {projectId, number});
    if (!q.next())
        return std::nullopt;
    return readJob(q);
}

std::optional<JobRecord> JobRepo::byId(const QString &jobId)
{
    QSqlQuery q = runSql(m_db, kSelect + QStringLiteral("WHERE j.id = ?"), {jobId});
    if (!q.next())
        return std::nullopt;
    return readJob(q);
}

api::Page<JobRecord> JobRepo::list(const QString &projectId, const JobFilter &filter,
                                   const PageRequest &page)
{
    QString sql = kSelect + QStringLiteral("WHERE j.project_id = ?");
    QVariantList binds{projectId};
    if (page.after) {
        sql += QStringLiteral(" AND j.seq < ?");
        binds << page.after;
    }
    if (filter.createdSinceMs) {
        sql += QStringLiteral(" AND j.created_at >= ?");
        binds << filter.createdSinceMs;
    }
    if (filter.createdUntilMs) {
        sql += QStringLiteral(" AND j.created_at <= ?");
        binds << filter.createdUntilMs;
    }
    if (!filter.name.isEmpty()) {
        sql += QStringLiteral(" AND j.name = ?");
        binds << filter.name;
    }
    if (!filter.vmCode.isEmpty()) {
        sql += QStringLiteral(" AND c.code = ?");
        binds << filter.vmCode;
    }
    if (!filter.statuses.isEmpty()) {
        QStringList names;
        for (const api::JobStatus s : filter.statuses)
            names << api::toString(s);
        addIn(sql, binds, QStringLiteral("j.status"), names);
    }
    if (!filter.userIds.isEmpty())
        addIn(sql, binds, QStringLiteral("j.user_id"), filter.userIds);
    sql += QStringLiteral(" ORDER BY j.seq DESC LIMIT ?");
    binds << page.limit + 1;
    QSqlQuery q = runSql(m_db, sql, binds);
    return readPage<JobRecord>(q, page, readJob);
}

QList<JobRecord> JobRepo::withStatus(const QList<api::JobStatus> &statuses)
{
    QString sql = kSelect + QStringLiteral("WHERE 1 = 1");
    QVariantList binds;
    QStringList names;
    for (const api::JobStatus s : statuses)
        names << api::toString(s);
    addIn(sql, binds, QStringLiteral("j.status"), names);
    sql += QStringLiteral(" ORDER BY j.seq");
    QSqlQuery q = runSql(m_db, sql, binds);
    QList<JobRecord> out;
    while (q.next())
        out.append(readJob(q));
    return out;
}

void JobRepo::remove(const QString &jobId)
{
    runSql(m_db, QStringLiteral("DELETE FROM jobs WHERE id = ?"), {jobId});
}

bool JobRepo::transition(const QString &jobId, api::JobStatus to, const QString &errorMessage)
{
    QSqlQuery q = runSql(m_db, QStringLiteral("SELECT status FROM jobs WHERE id = ?"), {jobId});
    if (!q.next())
        return false;
    const QString fromText = q.value(0).toString();
    const auto from = api::jobStatusFromString(fromText);
    if (!from || !api::isLegalTransition(*from, to))
        return false;
    const qint64 now = nowMs();
    QString sql = QStringLiteral("UPDATE jobs SET status = ?, updated_at = ?");
    QVariantList binds{api::toString(to), now};
    if (to == api::JobStatus::Started) {
        sql += QStringLiteral(", started_at = ?");
        binds << now;
    }
    if (api::isTerminal(to)) {
        sql += QStringLiteral(", finished_at = ?");
        binds << now;
    }
    if (to == api::JobStatus::Success) {
        sql += QStringLiteral(", progress = 100");
    }
    if (!errorMessage.isEmpty()) {
        sql += QStringLiteral(", error_message = ?");
        binds << errorMessage;
    }
    // Compare-and-set: another thread may have moved the job meanwhile.
    sql += QStringLiteral(" WHERE id = ? AND status = ?");
    binds << jobId << fromText;
    return runSql(m_db, sql, binds).numRowsAffected() == 1;
}

void JobRepo::setStopRequested(const QString &jobId)
{
    runSql(m_db, QStringLiteral("UPDATE jobs SET stop_requested_at = ? WHERE id = ?"),
           {nowMs(), jobId});
}

void JobRepo::setProgress(const QString &jobId, qint64 step, qint64 totalSteps)
{
    const double progress =
        totalSteps > 0 ? std::min(100.0, 100.0 * double(step) / double(totalSteps)) : 0.0;
    runSql(
        m_db,
        QStringLiteral(
            "UPDATE jobs SET step = ?, total_steps = ?, progress = ?, updated_at = ? WHERE id = ?"),
        {step, totalSteps, progress, nowMs(), jobId});
}

void JobRepo::addNodes(const QString &jobId, int count)
{
    for (int rank = 0; rank < count; ++rank)
        runSql(
            m_db,
            QStringLiteral(
                "INSERT INTO job_nodes (job_id, node_rank, status, pid_start, message, acked_seq, "
                "last_report_ms) VALUES (?, ?, 'pending', '', '', 0, 0)"),
            {jobId, rank});
}

QList<JobNode> JobRepo::nodes(const QString &jobId)
{
    QSqlQuery q = runSql(
        m_db,
        QStringLiteral("SELECT node_rank, status, pid, pid_start, exit_code, message, acked_seq, "
                       "last_report_ms FROM job_nodes WHERE job_id = ? ORDER BY node_rank"),
        {jobId});
    QList<JobNode> out;
    while (q.next()) {
        JobNode n;
        n.rank = q.value(0).toInt();
        n.status = q.value(1).toString();
        n.pid = q.value(2).toLongLong();
        n.pidStart = q.value(3).toString();
        if (!q.value(4).isNull())
            n.exitCode = q.value(4).toInt();
        n.message = q.value(5).toString();
        n.ackedSeq = q.value(6).toLongLong();
        n.lastReportMs = q.value(7).toLongLong();
        out.append(n);
    }
    return out;
}

void JobRepo::setNodeLaunched(const QString &jobId, int rank, qint64 pid, const QString &pidStart)
{
    runSql(
        m_db,
        QStringLiteral(
            "UPDATE job_nodes SET status = 'launched', pid = ?, pid_start = ?, last_report_ms = ? "
            "WHERE job_id = ? AND node_rank = ?"),
        {pid, pidStart, nowMs(), jobId, rank});
}

void JobRepo::setNodeStatus(const QString &jobId, int rank, const QString &status,
                            std::optional<int> exitCode, const QString &message)
{
    runSql(m_db,
           QStringLiteral("UPDATE job_nodes SET status = ?, exit_code = ?, message = ? WHERE "
                          "job_id = ? AND node_rank = ?"),
           {status, exitCode ? QVariant(*exitCode) : QVariant(QMetaType(QMetaType::Int)), message,
            jobId, rank});
}

void JobRepo::setNodeAcked(const QString &jobId, int rank, qint64 ackedSeq, qint64 nowMs)
{
    runSql(m_db,
           QStringLiteral("UPDATE job_nodes SET acked_seq = ?, last_report_ms = ? WHERE job_id = ? "
                          "AND node_rank = ?"),
           {ackedSeq, nowMs, jobId, rank});
}

} // namespace pf::server
