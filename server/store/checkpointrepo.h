// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <optional>

#include <QJsonArray>
#include <QSqlDatabase>

namespace pf::server {

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
};

// Checkpoints and their (single, for now) form. The model registry routes
// build on this; jobs create JOB checkpoints through their agents.
class CheckpointRepo
{
public:
    explicit CheckpointRepo(QSqlDatabase db);

    CheckpointRecord create(const QString &projectId, const QString &jobId, const QString &name,
                            const QString &category, qint64 iteration);
    std::optional<CheckpointRecord> byId(const QString &id);
    void setReady(const QString &id, const QJsonArray &files);
    // Ready, not deleted, oldest first.
    QList<CheckpointRecord> forJob(const QString &jobId);

private:
    QSqlDatabase m_db;
};

} // namespace pf::server
