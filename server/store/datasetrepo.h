// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <optional>

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QSqlDatabase>

namespace pf::server {

// A dataset ("datastore" in API.md). `fai` datasets keep their files in
// pfd's object store under "datasets/<id>/"; linked ones (aws, azure.blob,
// gcp) only describe a bucket.
struct DatasetRecord
{
    qint64 id = 0;
    QString orgId;
    QString projectId;
    QString name;
    QString vendor;
    QString region;
    QString storageName;
    QString credentialId; // empty: none
    QJsonObject metadata;
    QJsonArray files; // [{name, path, mtime, size}]
    bool active = false;
    QString createdBy;
    QDateTime createdAt;

    // The API's Dataset object.
    QJsonObject toJson() const;
};

class DatasetRepo
{
public:
    explicit DatasetRepo(QSqlDatabase db);

    // Sets id and createdAt. Throws UniqueViolation when the org has the name.
    void create(DatasetRecord &record);
    std::optional<DatasetRecord> byId(qint64 id);
    // Oldest first.
    QList<DatasetRecord> forProject(const QString &projectId);
    // Writes every field but id, org, project, creator and creation time.
    // Throws UniqueViolation on a name the org has.
    void update(const DatasetRecord &record);
    // Inside a transaction: no other transaction writes the row until this
    // one ends (PostgreSQL: SELECT ... FOR UPDATE; SQLite's BEGIN IMMEDIATE
    // has locked every row already).
    void lockForUpdate(qint64 id);
    void remove(qint64 id);

private:
    QSqlDatabase m_db;
};

} // namespace pf::server
