// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "checkpointrepo.h"

#include <QJsonDocument>

#include "server/store/database.h"
#include "server/store/pagination.h"

namespace pf::server {

namespace {

const QString kSelect =
    QStringLiteral("SELECT c.id, c.project_id, c.name, c.category, c.job_id, c.iteration, "
                   "c.created_at, c.state, f.id, f.files "
                   "FROM checkpoints c LEFT JOIN checkpoint_forms f ON f.checkpoint_id = c.id ");

CheckpointRecord read(const QSqlQuery &q)
{
    return {
        q.value(0).toString(),   q.value(1).toString(),
        q.value(2).toString(),   q.value(3).toString(),
        q.value(4).toString(),   q.value(5).toLongLong(),
        q.value(6).toLongLong(), q.value(7).toString(),
        q.value(8).toString(),   QJsonDocument::fromJson(q.value(9).toString().toUtf8()).array()};
}

} // namespace

CheckpointRepo::CheckpointRepo(QSqlDatabase db)
    : m_db(std::move(db))
{}

CheckpointRecord CheckpointRepo::create(const QString &projectId, const QString &jobId,
                                        const QString &name, const QString &category,
                                        qint64 iteration)
{
    const QString id = newUuid();
    runSql(
        m_db,
        QStringLiteral(
            "INSERT INTO checkpoints (id, project_id, name, category, job_id, iteration, "
            "attributes, "
            "dist_json, state, created_at) VALUES (?, ?, ?, ?, ?, ?, '{}', '{}', 'uploading', ?)"),
        {id, projectId, name, category, jobId, iteration, nowMs()});
    runSql(m_db,
           QStringLiteral(
               "INSERT INTO checkpoint_forms (id, checkpoint_id, vendor, region, storage_name, "
               "form_category, files) VALUES (?, ?, 'fai', '', '', 'ETC', '[]')"),
           {newUuid(), id});
    return *byId(id);
}

std::optional<CheckpointRecord> CheckpointRepo::byId(const QString &id)
{
    QSqlQuery q = runSql(m_db, kSelect + QStringLiteral("WHERE c.id = ?"), {id});
    if (!q.next())
        return std::nullopt;
    return read(q);
}

void CheckpointRepo::setReady(const QString &id, const QJsonArray &files)
{
    runSql(m_db, QStringLiteral("UPDATE checkpoints SET state = 'ready' WHERE id = ?"), {id});
    runSql(m_db, QStringLiteral("UPDATE checkpoint_forms SET files = ? WHERE checkpoint_id = ?"),
           {QString::fromUtf8(QJsonDocument(files).toJson(QJsonDocument::Compact)), id});
}

QList<CheckpointRecord> CheckpointRepo::forJob(const QString &jobId)
{
    QSqlQuery q =
        runSql(m_db,
               kSelect + QStringLiteral(
                             "WHERE c.job_id = ? AND c.state = 'ready' AND c.deleted_at IS NULL "
                             "ORDER BY c.seq"),
               {jobId});
    QList<CheckpointRecord> out;
    while (q.next())
        out.append(read(q));
    return out;
}

} // namespace pf::server
