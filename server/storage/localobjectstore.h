// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include "server/storage/objectstore.h"

namespace pf::server {

// The object store in a folder (DATA_DIR/objects):
//   data/<key>                 the objects
//   uploads/<id>/key           an open multipart upload: the key it publishes
//   uploads/<id>/part-00001    its parts
// An object or part appears by rename(2) of a file already fsync'ed, and
// the folder is fsync'ed after, so a crash leaves either the old object or
// the new one, never a torn one. Each file's MD5 travels with it in an
// extended attribute (user.pf.md5), set before the rename; where the
// filesystem has none, GET's ETag falls back to size and mtime, and
// completing a multipart upload reads the parts to check them.
class LocalObjectStore final : public ObjectStore
{
public:
    // `root` is created if missing. `spoolDir` must be on the same filesystem.
    explicit LocalObjectStore(QString root);

    ObjectInfo put(const QString &key, const QString &spooledFile,
                   const QByteArray &md5Hex) override;
    std::optional<ObjectInfo> stat(const QString &key) const override;
    std::optional<ObjectReader> open(const QString &key) const override;
    bool remove(const QString &key) override;
    QList<ObjectInfo> list(const QString &prefix) const override;
    void removeAll(const QString &prefix) override;

    QString startUpload(const QString &key) override;
    QByteArray putPart(const QString &uploadId, int partNumber, const QString &spooledFile,
                       const QByteArray &md5Hex) override;
    std::optional<QString> uploadKey(const QString &uploadId) const override;
    ObjectInfo completeUpload(const QString &uploadId, const QList<UploadPart> &parts) override;
    bool abortUpload(const QString &uploadId) override;
    int sweepUploads(qint64 ageSecs) override;
    qint64 usage(const QString &prefix) const override;

    QString root() const { return m_root; }
    // The folder holding the objects under `prefix` in a store at `root`
    // (for mounting a dataset into a job's sandbox).
    static QString folderOf(const QString &root, const QString &prefix)
    {
        return root + QStringLiteral("/data/") + prefix;
    }

private:
    QString dataPath(const QString &key) const;
    QString uploadDir(const QString &uploadId) const;

    QString m_root;
};

} // namespace pf::server
