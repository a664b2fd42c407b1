// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "checkpointrepo.h"

#include <QJsonDocument>

#include "api/json.h"
#include "server/store/database.h"

namespace pf::server {

namespace {

const QString kSelect = QStringLiteral(
    "SELECT c.seq, c.id, c.project_id, c.name, c.category, c.job_id, c.iteration, c.created_at, "
    "c.state, f.id, f.files, c.attributes, c.dist_json, c.created_by, c.secret_type, "
    "c.secret_id, f.vendor, f.region, f.storage_name, f.form_category, c.deleted_at, "
    "c.hard_deleted_at "
    "FROM checkpoints c LEFT JOIN checkpoint_forms f ON f.checkpoint_id = c.id ");

QString compact(const QJsonValue &v)
{
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    return QStringLiteral("null");
}

QJsonValue parsed(const QString &text)
{
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8());
    if (doc.isObject())
        return doc.object();
    if (doc.isArray())
        return doc.array();
    return QJsonValue::Null;
}

CheckpointRecord read(const QSqlQuery &q)
{
    CheckpointRecord r;
    r.id = q.value(1).toString();
    r.projectId = q.value(2).toString();
    r.name = q.value(3).toString();
    r.category = q.value(4).toString();
    r.jobId = q.value(5).toString();
    r.iteration = q.value(6).toLongLong();
    r.createdAtMs = q.value(7).toLongLong();
    r.state = q.value(8).toString();
    r.formId = q.value(9).toString();
    r.files = parsed(q.value(10).toString()).toArray();
    r.attributes = parsed(q.value(11).toString()).toObject();
    r.distJson = parsed(q.value(12).toString());
    r.createdBy = q.value(13).toString();
    r.secretType = q.value(14).toString();
    r.secretId = q.value(15).toString();
    r.vendor = q.value(16).toString();
    r.region = q.value(17).toString();
    r.storageName = q.value(18).toString();
    r.formCategory = q.value(19).toString();
    r.deletedAtMs = q.value(20).toLongLong();
    r.hardDeletedAtMs = q.value(21).toLongLong();
    return r;
}

QList<CheckpointRecord> readAll(QSqlQuery &q)
{
    QList<CheckpointRecord> out;
    while (q.next())
        out.append(read(q));
    return out;
}

QJsonValue timeOrNull(qint64 ms)
{
    return ms ? api::timeToJson(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)) : QJsonValue();
}

} // namespace

QJsonObject CheckpointRecord::toJson() const
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("name"), name},
            {QStringLiteral("model_category"), category},
            {QStringLiteral("job_id"), api::stringOrNull(jobId)},
            {QStringLiteral("iteration"), iteration},
            {QStringLiteral("created_at"), timeOrNull(createdAtMs)},
            {QStringLiteral("attributes"), attributes},
            {QStringLiteral("dist_json"), distJson},
            {QStringLiteral("deleted"), deletedAtMs != 0},
            {QStringLiteral("deleted_at"), timeOrNull(deletedAtMs)},
            {QStringLiteral("hard_deleted"), hardDeletedAtMs != 0},
            {QStringLiteral("hard_deleted_at"), timeOrNull(hardDeletedAtMs)},
            {QStringLiteral("forms"),
             QJsonArray{QJsonObject{{QStringLiteral("id"), formId},
                                    {QStringLiteral("vendor"), vendor},
                                    {QStringLiteral("region"), region},
                                    {QStringLiteral("storage_name"), storageName},
                                    {QStringLiteral("form_category"), formCategory},
                                    {QStringLiteral("files"), files}}}}};
}

CheckpointRepo::CheckpointRepo(QSqlDatabase db)
    : m_db(std::move(db))
{}

CheckpointRecord CheckpointRepo::create(const QString &projectId, const QString &jobId,
                                        const QString &name, const QString &category,
                                        qint64 iteration)
{
    CheckpointRecord r;
    r.projectId = projectId;
    r.jobId = jobId;
    r.name = name;
    r.category = category;
    r.iteration = iteration;
    r.state = QStringLiteral("uploading");
    r.attributes = QJsonObject();
    r.distJson = QJsonObject();
    return create(r);
}

CheckpointRecord CheckpointRepo::create(const CheckpointRecord &r)
{
    const QString id = newUuid();
    runSql(m_db,
           QStringLiteral(
               "INSERT INTO checkpoints (id, project_id, name, category, job_id, iteration, "
               "attributes, dist_json, state, created_at, created_by, secret_type, secret_id) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
           {id, r.projectId, r.name, r.category, r.jobId.isEmpty() ? QVariant() : QVariant(r.jobId),
            r.iteration, compact(r.attributes), compact(r.distJson), r.state, nowMs(), r.createdBy,
            r.secretType, r.secretId});
    runSql(m_db,
           QStringLiteral(
               "INSERT INTO checkpoint_forms (id, checkpoint_id, vendor, region, storage_name, "
               "form_category, files) VALUES (?, ?, ?, ?, ?, ?, ?)"),
           {newUuid(), id, r.vendor, r.region, r.storageName, r.formCategory, compact(r.files)});
    return *byId(id);
}

std::optional<CheckpointRecord> CheckpointRepo::byId(const QString &id)
{
    QSqlQuery q = runSql(m_db, kSelect + QStringLiteral("WHERE c.id = ?"), {id});
    if (!q.next())
        return std::nullopt;
    return read(q);
}

std::optional<CheckpointRecord> CheckpointRepo::byFormId(const QString &formId)
{
    QSqlQuery q = runSql(m_db, kSelect + QStringLiteral("WHERE f.id = ?"), {formId});
    if (!q.next())
        return std::nullopt;
    return read(q);
}

api::Page<CheckpointRecord> CheckpointRepo::list(const QString &projectId,
                                                 const CheckpointFilter &filter,
                                                 const PageRequest &page)
{
    QSqlQuery q = runSql(
        m_db,
        kSelect + QStringLiteral("WHERE c.project_id = ? AND c.state = 'ready' "
                                 "AND (? = '' OR c.category = ?) "
                                 "AND (CASE WHEN c.deleted_at IS NULL THEN 0 ELSE 1 END) = ? "
                                 "AND c.hard_deleted_at IS NULL "
                                 "AND (? = 0 OR c.seq < ?) ORDER BY c.seq DESC LIMIT ?"),
        {projectId, filter.category, filter.category, filter.deleted ? 1 : 0, page.after,
         page.after, page.limit + 1});
    return readPage<CheckpointRecord>(q, page, read);
}

void CheckpointRepo::update(const CheckpointRecord &r)
{
    runSql(m_db,
           QStringLiteral("UPDATE checkpoints SET name = ?, iteration = ?, attributes = ?, "
                          "dist_json = ? WHERE id = ?"),
           {r.name, r.iteration, compact(r.attributes), compact(r.distJson), r.id});
}

void CheckpointRepo::setFormFiles(const QString &formId, const QJsonArray &files)
{
    runSql(m_db, QStringLiteral("UPDATE checkpoint_forms SET files = ? WHERE id = ?"),
           {compact(files), formId});
}

void CheckpointRepo::setReady(const QString &id, const QJsonArray &files)
{
    runSql(m_db, QStringLiteral("UPDATE checkpoints SET state = 'ready' WHERE id = ?"), {id});
    runSql(m_db, QStringLiteral("UPDATE checkpoint_forms SET files = ? WHERE checkpoint_id = ?"),
           {compact(files), id});
}

void CheckpointRepo::setDeleted(const QString &id, qint64 deletedAtMs)
{
    runSql(m_db, QStringLiteral("UPDATE checkpoints SET deleted_at = ? WHERE id = ?"),
           {deletedAtMs ? QVariant(deletedAtMs) : QVariant(QMetaType(QMetaType::LongLong)), id});
}

void CheckpointRepo::setHardDeleted(const QString &id, qint64 atMs)
{
    runSql(m_db, QStringLiteral("UPDATE checkpoints SET hard_deleted_at = ? WHERE id = ?"),
           {atMs, id});
}

QList<CheckpointRecord> CheckpointRepo::dueForHardDelete(qint64 beforeMs)
{
    QSqlQuery q = runSql(m_db,
                         kSelect + QStringLiteral("WHERE c.deleted_at IS NOT NULL AND "
                                                  "c.deleted_at < ? AND c.hard_deleted_at IS NULL"),
                         {beforeMs});
    return readAll(q);
}

QList<CheckpointRecord> CheckpointRepo::forJob(const QString &jobId)
{
    QSqlQuery q =
        runSql(m_db,
               kSelect + QStringLiteral(
                             "WHERE c.job_id = ? AND c.state = 'ready' AND c.deleted_at IS NULL "
                             "ORDER BY c.seq"),
               {jobId});
    return readAll(q);
}

} // namespace pf::server
