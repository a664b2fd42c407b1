// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QJsonArray>
#include <QString>

#include "server/http/request.h"
#include "server/http/response.h"

namespace pf::server {

struct ServerContext;

// Throws ApiError 413 when `incoming` more bytes under `key` would take the
// key's project over its storage quota (pfd.yaml `storage.project_quota_gib`).
void checkStorageQuota(ServerContext &ctx, const QString &key, qint64 incoming);

// Signed URLs of the object store's routes under /storage/ (docs/api.md,
// "Storage"): absolute, on `public_url` or else the request's own host.
QString signedObjectUrl(ServerContext &ctx, const Request &req, const QByteArray &method,
                        const QString &key);

// A relative file path inside a dataset or checkpoint form, as API.md
// allows them: '/'-separated, no '..', '.', empty segments, absolute paths,
// backslashes or NUL, at most 1024 characters. Throws ApiError 400.
QString checkedFilePath(const QJsonValue &path, const QString &field = QStringLiteral("path"));

// The upload contract datasets and checkpoint forms share (API.md): files go
// to the object store under `prefix` ("datasets/7"). Bodies and answers:
//   upload       {paths}                       -> [{path, upload_url}]
//   start_mpu    {path, num_parts}             -> {path, upload_id, upload_urls}
//   complete_mpu {path, upload_id, parts}      -> {path, size, etag}
//   abort_mpu    {path, upload_id}             -> {}
Response uploadUrls(ServerContext &ctx, Request &req, const QString &prefix);
Response startMultipart(ServerContext &ctx, Request &req, const QString &prefix);
Response completeMultipart(ServerContext &ctx, Request &req, const QString &prefix);
Response abortMultipart(ServerContext &ctx, Request &req, const QString &prefix);

// `files` entries [{name, path, mtime, size}] checked: paths valid and
// unique, sizes whole numbers >= 0, mtime a time or absent. Throws 400.
QJsonArray checkedFileList(const QJsonValue &files);

} // namespace pf::server
