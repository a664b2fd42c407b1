// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "datasetrepo.h"

#include <QJsonDocument>

#include "api/json.h"
#include "server/store/database.h"
#include "server/store/pagination.h"

namespace pf::server {

namespace {

const QString kColumns = QStringLiteral(
    "id, org_id, project_id, name, vendor, region, storage_name, credential_id, metadata, files, "
    "active, created_by, created_at");

QString compact(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QString compact(const QJsonArray &a)
{
    return QString::fromUtf8(QJsonDocument(a).toJson(QJsonDocument::Compact));
}

DatasetRecord fromRow(const QSqlQuery &q)
{
    DatasetRecord r;
    r.id = q.value(0).toLongLong();
    r.orgId = q.value(1).toString();
    r.projectId = q.value(2).toString();
    r.name = q.value(3).toString();
    r.vendor = q.value(4).toString();
    r.region = q.value(5).toString();
    r.storageName = q.value(6).toString();
    r.credentialId = q.value(7).toString();
    r.metadata = QJsonDocument::fromJson(q.value(8).toString().toUtf8()).object();
    r.files = QJsonDocument::fromJson(q.value(9).toString().toUtf8()).array();
    r.active = q.value(10).toBool();
    r.createdBy = q.value(11).toString();
    r.createdAt = fromStoreTime(q.value(12));
    return r;
}

} // namespace

QJsonObject DatasetRecord::toJson() const
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("name"), name},
            {QStringLiteral("vendor"), vendor},
            {QStringLiteral("region"), region},
            {QStringLiteral("storage_name"), storageName},
            {QStringLiteral("credential_id"), api::stringOrNull(credentialId)},
            {QStringLiteral("metadata"), metadata},
            {QStringLiteral("files"), files},
            {QStringLiteral("active"), active},
            {QStringLiteral("created_at"), api::timeToJson(createdAt)}};
}

DatasetRepo::DatasetRepo(QSqlDatabase db)
    : m_db(std::move(db))
{}

void DatasetRepo::create(DatasetRecord &r)
{
    const qint64 now = nowMs();
    runSql(m_db,
           QStringLiteral("INSERT INTO datasets (org_id, project_id, name, vendor, region, "
                          "storage_name, credential_id, metadata, files, active, created_by, "
                          "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
           {r.orgId, r.projectId, r.name, r.vendor, r.region, r.storageName,
            r.credentialId.isEmpty() ? QVariant() : QVariant(r.credentialId), compact(r.metadata),
            compact(r.files), r.active, r.createdBy, now});
    QSqlQuery q =
        runSql(m_db, QStringLiteral("SELECT id FROM datasets WHERE org_id = ? AND name = ?"),
               {r.orgId, r.name});
    q.next();
    r.id = q.value(0).toLongLong();
    r.createdAt = QDateTime::fromMSecsSinceEpoch(now, Qt::UTC);
}

std::optional<DatasetRecord> DatasetRepo::byId(qint64 id)
{
    QSqlQuery q =
        runSql(m_db, QStringLiteral("SELECT %1 FROM datasets WHERE id = ?").arg(kColumns), {id});
    if (!q.next())
        return std::nullopt;
    return fromRow(q);
}

void DatasetRepo::lockForUpdate(qint64 id)
{
    if (m_db.driverName() != QLatin1String("QSQLITE"))
        runSql(m_db, QStringLiteral("SELECT id FROM datasets WHERE id = ? FOR UPDATE"), {id});
}

QList<DatasetRecord> DatasetRepo::forProject(const QString &projectId)
{
    QSqlQuery q = runSql(
        m_db,
        QStringLiteral("SELECT %1 FROM datasets WHERE project_id = ? ORDER BY id").arg(kColumns),
        {projectId});
    QList<DatasetRecord> out;
    while (q.next())
        out.append(fromRow(q));
    return out;
}

void DatasetRepo::update(const DatasetRecord &r)
{
    runSql(m_db,
           QStringLiteral("UPDATE datasets SET name = ?, vendor = ?, region = ?, storage_name = ?, "
                          "credential_id = ?, metadata = ?, files = ?, active = ? WHERE id = ?"),
           {r.name, r.vendor, r.region, r.storageName,
            r.credentialId.isEmpty() ? QVariant() : QVariant(r.credentialId), compact(r.metadata),
            compact(r.files), r.active, r.id});
}

void DatasetRepo::remove(qint64 id)
{
    runSql(m_db, QStringLiteral("DELETE FROM datasets WHERE id = ?"), {id});
}

} // namespace pf::server
