// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include <QByteArray>
#include <QList>
#include <QString>

namespace pf::server {

// What the object store refuses: the message is for the client (a 400).
class ObjectStoreError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

struct ObjectInfo
{
    QString key;
    qint64 size = 0;
    qint64 mtimeMs = 0;
    // A validator for GET (changes whenever the object does).
    QByteArray etag;
};

// An open object for reading; closes its descriptor when the last copy goes.
struct ObjectReader
{
    std::shared_ptr<int> fd;
    ObjectInfo info;
};

struct UploadPart
{
    int number = 0;
    QByteArray etag; // as the part PUT answered it (quotes optional)
};

// Where dataset files and checkpoint files live: flat keys
// ("datasets/7/images/a.png"), written whole or in parts, never visible
// half-written. Keys are relative '/'-separated paths without '.', '..' or
// empty segments (checked: ObjectStoreError).
//
// Bodies arrive spooled to a file by the transport (Request::bodyFile()),
// with their MD5; the store takes the file over (a rename on the same
// filesystem, after an fsync), so a put costs no copy.
//
// Thread-safe.
class ObjectStore
{
public:
    virtual ~ObjectStore() = default;

    // Publishes `spooledFile` (consumed) as `key`, replacing any object there.
    // Returns the object; its etag for a single put is the quoted MD5.
    virtual ObjectInfo put(const QString &key, const QString &spooledFile,
                           const QByteArray &md5Hex) = 0;
    virtual std::optional<ObjectInfo> stat(const QString &key) const = 0;
    virtual std::optional<ObjectReader> open(const QString &key) const = 0;
    virtual bool remove(const QString &key) = 0;
    // The objects whose keys start with `prefix` + '/', keys relative to it,
    // sorted.
    virtual QList<ObjectInfo> list(const QString &prefix) const = 0;
    // Removes every object whose key starts with `prefix` + '/'.
    virtual void removeAll(const QString &prefix) = 0;

    // Multipart uploads (S3's model): parts numbered 1..10000 arrive in any
    // order, each replaceable until the upload completes; complete checks
    // the client's list of part ETags against what was stored and assembles
    // the object in part order.
    virtual QString startUpload(const QString &key) = 0;
    // Throws ObjectStoreError for an unknown upload or bad part number.
    virtual QByteArray putPart(const QString &uploadId, int partNumber, const QString &spooledFile,
                               const QByteArray &md5Hex) = 0;
    // The key an upload will publish, or nullopt when there is no such upload.
    virtual std::optional<QString> uploadKey(const QString &uploadId) const = 0;
    virtual ObjectInfo completeUpload(const QString &uploadId, const QList<UploadPart> &parts) = 0;
    virtual bool abortUpload(const QString &uploadId) = 0;
    // Aborts uploads started more than `ageSecs` ago; returns how many.
    virtual int sweepUploads(qint64 ageSecs) = 0;
    // Bytes stored under `prefix` (objects and parts of open uploads).
    virtual qint64 usage(const QString &prefix) const = 0;

    // True when `key` is a key this store accepts.
    static bool isValidKey(const QString &key);
};

} // namespace pf::server
