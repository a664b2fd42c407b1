// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <optional>

#include <QJsonArray>
#include <QJsonObject>
#include <QSqlDatabase>

#include "api/page.h"
#include "server/store/pagination.h"

namespace pf::server {

// A checkpoint of the model registry with its (one) form: where its files
// are and what they are. `fai` forms keep their files in pfd's object store
// under formObjects(projectId, formId).
struct CheckpointRecord
{
    QString id;
    QString projectId;
    QString name;
    QString category; // USER | JOB
    QString jobId;
    qint64 iteration = 0;
    qint64 createdAtMs = 0;
    QString state; // uploading | ready
    QString formId;
    QJsonArray files; // [{name, path, mtime, size}]
    QJsonObject attributes;
    QJsonValue distJson;
    QString createdBy; // empty for JOB checkpoints
    QString secretType;
    QString secretId;
    QString vendor = QStringLiteral("fai");
    QString region;
    QString storageName;
    QString formCategory = QStringLiteral("ETC");
    qint64 deletedAtMs = 0;     // 0: not deleted
    qint64 hardDeletedAtMs = 0; // 0: files still kept

    // The API's Checkpoint object.
    QJsonObject toJson() const;
};

struct CheckpointFilter
{
    QString category;     // empty: both
    bool deleted = false; // soft-deleted (and not yet hard-deleted) ones instead
};

// Checkpoints and their form. Jobs create JOB checkpoints through their
// agents; the registry routes create USER ones and manage both.
class CheckpointRepo
{
public:
    explicit CheckpointRepo(QSqlDatabase db);

    // A JOB checkpoint (state uploading, fai form) of `jobId`.
    CheckpointRecord create(const QString &projectId, const QString &jobId, const QString &name,
                            const QString &category, qint64 iteration);
    // Any checkpoint: every field of `record` but id, formId, createdAtMs
    // and the deletion times is stored. Returns it as stored.
    CheckpointRecord create(const CheckpointRecord &record);
    std::optional<CheckpointRecord> byId(const QString &id);
    std::optional<CheckpointRecord> byFormId(const QString &formId);
    // Newest first.
    api::Page<CheckpointRecord> list(const QString &projectId, const CheckpointFilter &filter,
                                     const PageRequest &page);
    // Name, iteration, attributes and dist_json.
    void update(const CheckpointRecord &record);
    void setFormFiles(const QString &formId, const QJsonArray &files);
    void setReady(const QString &id, const QJsonArray &files);
    void setDeleted(const QString &id, qint64 deletedAtMs); // 0 restores
    void setHardDeleted(const QString &id, qint64 atMs);
    // Soft-deleted before `beforeMs` and not hard-deleted yet.
    QList<CheckpointRecord> dueForHardDelete(qint64 beforeMs);
    // Ready, not deleted, oldest first.
    QList<CheckpointRecord> forJob(const QString &jobId);

private:
    QSqlDatabase m_db;
};

} // namespace pf::server
