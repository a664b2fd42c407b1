// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <optional>

#include <QByteArray>
#include <QList>
#include <QString>

namespace pf::server {

// One part of a multipart/form-data body. A part is a file part exactly when
// its Content-Disposition had a `filename` parameter (even an empty one):
// then `filePath` names the spooled copy of its content and `data` is empty;
// otherwise `data` holds the value and `filePath` is empty.
struct MultipartPart
{
    QString name;
    // As the client sent it: informational only, never a path to write to.
    QString filename;
    QString contentType; // empty when the part had no Content-Type
    QByteArray data;
    QString filePath;
    qint64 size = 0; // bytes of the value or of the file
};

// A streaming multipart/form-data parser (RFC 7578 over RFC 2046) for a
// request body that the transport spooled to a file.
//
//   QString error;
//   const auto parts = Multipart::parse(bodyFile, request.contentType(), spoolDir,
//                                       1024 * 1024, &error);
//   if (!parts)
//       throw ApiError::badRequest(error);
//
// The body is read in chunks of `chunkBytes` (tests pass tiny ones to split
// boundaries across reads); nothing but small fields is held in memory. File
// parts are written to new files in `spoolDir`, which the caller owns and
// removes once done; on failure every file this call created is removed.
// At most MaxParts parts, MaxHeaderBytes of headers per part; a field over
// `maxFieldBytes` is an error. Errors are sentences for the client.
// Blocking file I/O; reentrant.
class Multipart
{
public:
    static constexpr int MaxParts = 16;
    static constexpr qsizetype MaxHeaderBytes = 8LL * 1024;
    static constexpr qint64 DefaultChunkBytes = 64LL * 1024;

    static std::optional<QList<MultipartPart>>
    parse(const QString &bodyPath, const QByteArray &contentTypeHeader, const QString &spoolDir,
          qint64 maxFieldBytes, QString *error, qint64 chunkBytes = DefaultChunkBytes);

    // The boundary of a `multipart/form-data` Content-Type value (token or
    // quoted string, 1 to 70 characters of RFC 2046's set), or nullopt with
    // `*error` set.
    static std::optional<QByteArray> boundary(const QByteArray &contentTypeHeader, QString *error);
};

} // namespace pf::server
