// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include "api/dataset.h"

namespace pf::api {

// One stored form of a checkpoint (MEGATRON, ORCA, HF or ETC) and its files.
struct CheckpointForm
{
    QString id; // UUID
    QString vendor;
    QString region;
    QString storageName;
    QString formCategory;
    QList<StoredFile> files;

    static CheckpointForm fromJson(const QJsonObject &o);
    QJsonObject toJson() const;
    friend bool operator==(const CheckpointForm &, const CheckpointForm &) = default;
};

// A checkpoint of the model registry. `modelCategory` is USER (uploaded by
// hand) or JOB (saved by a job, `jobId` set). Deleted ones can be restored
// until `hardDeleted`.
struct Checkpoint
{
    QString id; // UUID
    QString name;
    QString modelCategory;
    QString jobId;
    qint64 iteration = 0;
    QDateTime createdAt;
    QJsonObject attributes;
    bool deleted = false;
    QDateTime deletedAt;
    bool hardDeleted = false;
    QList<CheckpointForm> forms;

    qint64 totalSize() const;

    static Checkpoint fromJson(const QJsonObject &o);
    QJsonObject toJson() const;
    friend bool operator==(const Checkpoint &, const Checkpoint &) = default;
};

} // namespace pf::api
