// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace pf::api {

// One file of a dataset or a checkpoint form: `path` is relative and
// "/"-separated; `name` is its last part.
struct StoredFile
{
    QString name;
    QString path;
    QDateTime mtime;
    qint64 size = 0;
    // Only in download answers: a signed URL for this file.
    QString downloadUrl;

    static StoredFile fromJson(const QJsonObject &o);
    QJsonObject toJson() const;
    friend bool operator==(const StoredFile &, const StoredFile &) = default;
};

// A dataset ("datastore"). `vendor` "fai" means stored by pfd itself; the
// others (aws, azure.blob, gcp) are linked buckets.
struct Dataset
{
    qint64 id = 0;
    QString name;
    QString vendor;
    QString region;
    QString storageName;
    QString credentialId; // UUID, empty for none
    QJsonObject metadata;
    QList<StoredFile> files;
    bool active = false;
    QDateTime createdAt;

    qint64 totalSize() const;
    bool isLinked() const { return vendor != QLatin1StringView("fai"); }

    static Dataset fromJson(const QJsonObject &o);
    QJsonObject toJson() const;
    friend bool operator==(const Dataset &, const Dataset &) = default;
};

} // namespace pf::api
