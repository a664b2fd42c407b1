// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// /storage/: the object store's signed URLs (single PUT, part PUT, GET with
// ranges), and the upload contract datasets and checkpoint forms share.

#include <atomic>
#include <limits>

#include <QDateTime>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>

#include "api/json.h"
#include "server/auth/urlsigner.h"
#include "server/config.h"
#include "server/handlers/bodyreader.h"
#include "server/handlers/routes.h"
#include "server/handlers/servercontext.h"
#include "server/handlers/storage.h"
#include "server/storage/objectstore.h"

namespace pf::server {

using api::ApiError;
using http_verb = boost::beast::http::verb;

namespace {

constexpr std::size_t kMaxObjectBytes = 5ULL * 1024 * 1024 * 1024;
constexpr int kMaxParts = 10000;
constexpr int kMaxPathsPerCall = 10000;

QString objectResource(const QString &key)
{
    return QStringLiteral("object:") + key;
}

QString partResource(const QString &uploadId, int part)
{
    return QStringLiteral("part:%1:%2").arg(uploadId).arg(part);
}

QString baseUrl(ServerContext &ctx, const Request &req)
{
    if (!ctx.config.publicUrl.isEmpty())
        return ctx.config.publicUrl;
    // The Host the client used (checked, so that nothing else rides along).
    static const QRegularExpression hostRe(QStringLiteral("^[A-Za-z0-9.\\-\\[\\]:]{1,255}$"));
    const QString host = QString::fromLatin1(req.header("Host"));
    return QStringLiteral("http://") +
           (hostRe.match(host).hasMatch() ? host : QStringLiteral("localhost"));
}

QString signedUrl(ServerContext &ctx, const Request &req, const QByteArray &method,
                  const QString &path, const QString &query, const QString &resource)
{
    const qint64 expires = QDateTime::currentSecsSinceEpoch() + ctx.config.storageUrlTtlSecs;
    return baseUrl(ctx, req) + path + u'?' + query + u'&' +
           ctx.signer.sign(method, resource, expires);
}

QString encoded(const QString &s)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(s));
}

// Checks the signature of a /storage/ request. Throws 403 (401 would ask
// for a bearer token these URLs do not take).
void checkSignature(ServerContext &ctx, const Request &req, const QByteArray &method,
                    const QString &resource)
{
    switch (ctx.signer.check(
        method, resource, req.query(QStringLiteral("expires")).value_or(QString()),
        req.query(QStringLiteral("sig")).value_or(QString()), QDateTime::currentSecsSinceEpoch())) {
    case UrlSigner::Check::Ok:
        return;
    case UrlSigner::Check::Expired:
        throw ApiError::forbidden(
            QStringLiteral("This storage URL has expired; ask for a new one."));
    case UrlSigner::Check::Malformed:
    case UrlSigner::Check::BadSignature:
        break;
    }
    throw ApiError::forbidden(QStringLiteral("This storage URL is not valid."));
}

QString objectKey(const Request &req)
{
    const QString key = req.query(QStringLiteral("key")).value_or(QString());
    if (!ObjectStore::isValidKey(key))
        throw ApiError::badRequest(QStringLiteral("`key` is not a valid object key."));
    return key;
}

std::pair<QString, int> uploadPart(const Request &req)
{
    const QString upload = req.query(QStringLiteral("upload")).value_or(QString());
    bool ok = false;
    const int part = req.query(QStringLiteral("part")).value_or(QString()).toInt(&ok);
    if (upload.isEmpty() || upload.size() > 64 || !ok || part < 1 || part > kMaxParts)
        throw ApiError::badRequest(QStringLiteral("`upload` and `part` (1-10000) are required."));
    return {upload, part};
}

// Before a PUT's body: the signature, and room in the project's quota.
void admitPut(ServerContext &ctx, const Request &req, const QString &resource, const QString &key)
{
    checkSignature(ctx, req, "PUT", resource);
    const QByteArray length = req.header("Content-Length");
    if (length.isEmpty())
        throw ApiError(411, QStringLiteral("An upload needs a Content-Length."));
    checkStorageQuota(ctx, key, length.toLongLong());
}

void admitObjectPut(ServerContext &ctx, const Request &req)
{
    const QString key = objectKey(req);
    admitPut(ctx, req, objectResource(key), key);
}

void admitPartPut(ServerContext &ctx, const Request &req)
{
    const auto [upload, part] = uploadPart(req);
    const auto key = ctx.objects.uploadKey(upload);
    checkSignature(ctx, req, "PUT", partResource(upload, part));
    if (!key)
        throw ApiError::notFound(QStringLiteral("No such upload (completed, aborted or expired)."));
    admitPut(ctx, req, partResource(upload, part), *key);
}

Response withEtag(const QByteArray &etag)
{
    Response r = Response::empty(200);
    r.contentType.clear();
    r.headers.emplace_back("ETag", etag.toStdString());
    return r;
}

Response putObject(ServerContext &ctx, Request &req)
{
    const QString key = objectKey(req);
    try {
        return withEtag(ctx.objects.put(key, req.bodyFile(), req.bodyMd5()).etag);
    } catch (const ObjectStoreError &e) {
        throw ApiError::badRequest(QString::fromStdString(e.what()));
    }
}

Response putPart(ServerContext &ctx, Request &req)
{
    const auto [upload, part] = uploadPart(req);
    if (const int every = ctx.config.failPartPutsEvery; every > 0) {
        static std::atomic<qint64> partPuts{0};
        if (++partPuts % every == 0)
            throw ApiError(503,
                           QStringLiteral("Failed on purpose (testing.fail_part_puts_every)."));
    }
    try {
        return withEtag(ctx.objects.putPart(upload, part, req.bodyFile(), req.bodyMd5()));
    } catch (const ObjectStoreError &e) {
        throw ApiError::notFound(QString::fromStdString(e.what()));
    }
}

// "bytes=a-b", "bytes=a-" or "bytes=-n" against `size`: {offset, length};
// nullopt when the header should be ignored (absent, several ranges, not
// bytes); throws 416 when it cannot be satisfied.
std::optional<std::pair<qint64, qint64>> byteRange(const QByteArray &header, qint64 size)
{
    if (header.isEmpty())
        return std::nullopt;
    static const QRegularExpression re(QStringLiteral("^bytes=(\\d{0,19})-(\\d{0,19})$"));
    const auto m = re.match(QString::fromLatin1(header).trimmed());
    if (!m.hasMatch())
        return std::nullopt; // several ranges or another unit: the whole object
    const QString first = m.captured(1);
    const QString last = m.captured(2);
    qint64 from;
    qint64 to;
    if (first.isEmpty()) {
        const qint64 suffix = last.toLongLong();
        if (last.isEmpty() || suffix == 0 || size == 0)
            throw ApiError(416, QStringLiteral("The requested range is empty."));
        from = std::max<qint64>(0, size - suffix);
        to = size - 1;
    } else {
        bool ok = false;
        from = first.toLongLong(&ok);
        if (!ok || from >= size)
            throw ApiError(
                416, QStringLiteral("The range starts beyond the object's %1 bytes.").arg(size));
        to = last.isEmpty() ? size - 1 : std::min(last.toLongLong(&ok), size - 1);
        if (!ok || to < from)
            throw ApiError(416, QStringLiteral("The requested range is empty."));
    }
    return std::make_pair(from, to - from + 1);
}

Response getObject(ServerContext &ctx, Request &req)
{
    const QString key = objectKey(req);
    checkSignature(ctx, req, "GET", objectResource(key));
    const auto object = ctx.objects.open(key);
    if (!object)
        throw ApiError::notFound(QStringLiteral("No such object."));
    const ObjectInfo &info = object->info;
    Response r = Response::empty(200);
    r.headers.emplace_back("ETag", info.etag.toStdString());
    r.headers.emplace_back("Accept-Ranges", "bytes");
    r.headers.emplace_back("Last-Modified", QDateTime::fromMSecsSinceEpoch(info.mtimeMs, Qt::UTC)
                                                .toString(u"ddd, dd MMM yyyy hh:mm:ss 'GMT'")
                                                .toStdString());
    // If-Match: the object must still be the version the client started
    // fetching (its ranges are of one version), else 412.
    if (const QByteArray ifMatch = req.header("If-Match"); !ifMatch.isEmpty()) {
        bool matches = false;
        for (const QByteArray &tag : ifMatch.split(',')) {
            const QByteArray t = tag.trimmed();
            matches = matches || t == "*" || t == info.etag || info.etag == '"' + t + '"';
        }
        if (!matches)
            throw ApiError(412, QStringLiteral("The object changed: its ETag is no longer the one "
                                               "given in If-Match."));
    }
    const QByteArray ifNoneMatch = req.header("If-None-Match");
    if (!ifNoneMatch.isEmpty()) {
        for (const QByteArray &tag : ifNoneMatch.split(',')) {
            const QByteArray t = tag.trimmed();
            if (t == "*" || t == info.etag || t == "W/" + info.etag) {
                r.status = 304;
                r.contentType.clear();
                return r;
            }
        }
    }
    r.contentType = QByteArrayLiteral("application/octet-stream");
    r.file = object->fd;
    r.fileLength = info.size;
    if (const auto range = byteRange(req.header("Range"), info.size)) {
        r.status = 206;
        r.fileOffset = range->first;
        r.fileLength = range->second;
        r.headers.emplace_back("Content-Range", QStringLiteral("bytes %1-%2/%3")
                                                    .arg(range->first)
                                                    .arg(range->first + range->second - 1)
                                                    .arg(info.size)
                                                    .toStdString());
    }
    return r;
}

QString keyIn(const QString &prefix, const QString &path)
{
    return prefix + u'/' + path;
}

} // namespace

void checkStorageQuota(ServerContext &ctx, const QString &key, qint64 incoming)
{
    const qint64 quota = ctx.config.storageProjectQuotaBytes;
    if (quota <= 0 || !key.startsWith(QLatin1String("projects/")))
        return;
    const QString prefix = key.section(u'/', 0, 1);
    const qint64 used = ctx.objects.usage(prefix);
    if (incoming > quota - used)
        throw ApiError::payloadTooLarge(
            QStringLiteral(
                "The project's storage quota is %1 bytes, %2 are in use: %3 more do not fit.")
                .arg(quota)
                .arg(used)
                .arg(incoming));
}

QString signedObjectUrl(ServerContext &ctx, const Request &req, const QByteArray &method,
                        const QString &key)
{
    return signedUrl(ctx, req, method, QStringLiteral("/storage/object"),
                     QStringLiteral("key=") + encoded(key), objectResource(key));
}

QString checkedFilePath(const QJsonValue &value, const QString &field)
{
    if (!value.isString())
        throw ApiError::badRequest(QStringLiteral("`%1` must be a relative file path.").arg(field));
    const QString path = value.toString();
    if (path.isEmpty() || path.size() > 1024 || path.startsWith(u'/') || path.contains(u'\\') ||
        path.contains(QChar(0)) || !ObjectStore::isValidKey(path))
        throw ApiError::badRequest(
            QStringLiteral("`%1`: '%2' is not a relative path inside the dataset (no '..', '.', "
                           "empty segments, leading '/', '\\' or NUL; at most 1024 characters).")
                .arg(field, path.left(128)));
    return path;
}

QJsonArray checkedFileList(const QJsonValue &value)
{
    if (!value.isArray())
        throw ApiError::badRequest(
            QStringLiteral("`files` must be a list of {name, path, mtime, size}."));
    QJsonArray out;
    QSet<QString> seen;
    for (const QJsonValue &v : value.toArray()) {
        const QJsonObject f = v.toObject();
        const QString path =
            checkedFilePath(f.value(QStringLiteral("path")), QStringLiteral("files[].path"));
        if (seen.contains(path))
            throw ApiError::badRequest(
                QStringLiteral("`files` lists '%1' twice.").arg(path.left(128)));
        seen.insert(path);
        const QJsonValue size = f.value(QStringLiteral("size"));
        if (!size.isDouble() || size.toDouble() < 0 || size.toDouble() != double(size.toInteger()))
            throw ApiError::badRequest(
                QStringLiteral("`files[].size` of '%1' must be a whole number of bytes.")
                    .arg(path.left(128)));
        const QJsonValue mtime = f.value(QStringLiteral("mtime"));
        if (!mtime.isUndefined() && !mtime.isNull() && api::timeFromJson(mtime).isNull())
            throw ApiError::badRequest(
                QStringLiteral("`files[].mtime` of '%1' must be an ISO 8601 time.")
                    .arg(path.left(128)));
        out.append(QJsonObject{{QStringLiteral("name"), path.section(u'/', -1)},
                               {QStringLiteral("path"), path},
                               {QStringLiteral("mtime"), mtime.isString() ? mtime : QJsonValue()},
                               {QStringLiteral("size"), size.toInteger()}});
    }
    return out;
}

Response uploadUrls(ServerContext &ctx, Request &req, const QString &prefix)
{
    const QJsonObject body = req.jsonObject();
    const QJsonValue paths = body.value(QStringLiteral("paths"));
    if (!paths.isArray() || paths.toArray().isEmpty() || paths.toArray().size() > kMaxPathsPerCall)
        throw ApiError::badRequest(
            QStringLiteral("`paths` must be a list of 1 to %1 relative file paths.")
                .arg(kMaxPathsPerCall));
    QJsonArray out;
    for (const QJsonValue &p : paths.toArray()) {
        const QString path = checkedFilePath(p, QStringLiteral("paths[]"));
        out.append(QJsonObject{
            {QStringLiteral("path"), path},
            {QStringLiteral("upload_url"), signedObjectUrl(ctx, req, "PUT", keyIn(prefix, path))}});
    }
    return Response::json(out);
}

namespace {

// The upload named in the body, checked to be one for `prefix`/`path`.
std::pair<QString, QString> namedUpload(ServerContext &ctx, const QJsonObject &json,
                                        const QString &prefix)
{
    const QString path = checkedFilePath(json.value(QStringLiteral("path")));
    const QString upload = json.value(QStringLiteral("upload_id")).toString();
    const auto key = upload.isEmpty() ? std::nullopt : ctx.objects.uploadKey(upload);
    if (!key || *key != keyIn(prefix, path))
        throw ApiError::notFound(QStringLiteral("No upload '%1' of '%2' is open here.")
                                     .arg(upload.left(64), path.left(128)));
    return {upload, path};
}

} // namespace

Response startMultipart(ServerContext &ctx, Request &req, const QString &prefix)
{
    BodyReader body(req.jsonObject());
    const QJsonValue pathValue = req.jsonObject().value(QStringLiteral("path"));
    const qint64 parts = body.integer(QStringLiteral("num_parts"), 1, kMaxParts);
    body.string(QStringLiteral("path"), 1024);
    body.optionalString(QStringLiteral("upload_id"), 128);
    body.finish({QStringLiteral("path"), QStringLiteral("num_parts"), QStringLiteral("upload_id")});
    const QString path = checkedFilePath(pathValue);
    // With an `upload_id`: new URLs for that open upload of the same file
    // (a client resuming after its URLs expired); else a new upload.
    QString upload;
    if (req.jsonObject().contains(QStringLiteral("upload_id")))
        upload = namedUpload(ctx, req.jsonObject(), prefix).first;
    else
        upload = ctx.objects.startUpload(keyIn(prefix, path));
    QJsonArray urls;
    for (int n = 1; n <= parts; ++n)
        urls.append(QJsonObject{{QStringLiteral("part_number"), n},
                                {QStringLiteral("upload_url"),
                                 signedUrl(ctx, req, "PUT", QStringLiteral("/storage/part"),
                                           QStringLiteral("upload=%1&part=%2").arg(upload).arg(n),
                                           partResource(upload, n))}});
    return Response::json(QJsonObject{{QStringLiteral("path"), path},
                                      {QStringLiteral("upload_id"), upload},
                                      {QStringLiteral("upload_urls"), urls}});
}

Response completeMultipart(ServerContext &ctx, Request &req, const QString &prefix)
{
    const QJsonObject json = req.jsonObject();
    const auto [upload, path] = namedUpload(ctx, json, prefix);
    const QJsonValue partsValue = json.value(QStringLiteral("parts"));
    if (!partsValue.isArray() || partsValue.toArray().isEmpty() ||
        partsValue.toArray().size() > kMaxParts)
        throw ApiError::badRequest(
            QStringLiteral("`parts` must list {etag, part_number} of every part."));
    QList<UploadPart> parts;
    for (const QJsonValue &v : partsValue.toArray()) {
        const QJsonObject p = v.toObject();
        const QJsonValue number = p.value(QStringLiteral("part_number"));
        const QJsonValue etag = p.value(QStringLiteral("etag"));
        if (!number.isDouble() || number.toInteger() < 1 || number.toInteger() > kMaxParts ||
            !etag.isString() || etag.toString().size() > 80)
            throw ApiError::badRequest(QStringLiteral(
                "Each of `parts` needs `part_number` (1-10000) and the `etag` its PUT answered."));
        parts.append({int(number.toInteger()), etag.toString().toLatin1()});
    }
    try {
        const ObjectInfo info = ctx.objects.completeUpload(upload, parts);
        return Response::json(
            QJsonObject{{QStringLiteral("path"), path},
                        {QStringLiteral("size"), info.size},
                        {QStringLiteral("etag"), QString::fromLatin1(info.etag)}});
    } catch (const ObjectStoreError &e) {
        throw ApiError::badRequest(QString::fromStdString(e.what()));
    }
}

Response abortMultipart(ServerContext &ctx, Request &req, const QString &prefix)
{
    const auto [upload, path] = namedUpload(ctx, req.jsonObject(), prefix);
    ctx.objects.abortUpload(upload);
    return Response::json(QJsonObject{});
}

void addStorageRoutes(Router &router, ServerContext &ctx)
{
    const auto bind = [&ctx](ContextHandler fn) { return bindRoute(ctx, fn); };
    const RouteOptions objectPut{.maxBodyBytes = kMaxObjectBytes,
                                 .spoolBody = true,
                                 .admit = [&ctx](const Request &req) { admitObjectPut(ctx, req); }};
    const RouteOptions partPut{.maxBodyBytes = kMaxObjectBytes,
                               .spoolBody = true,
                               .admit = [&ctx](const Request &req) { admitPartPut(ctx, req); }};
    router.add(http_verb::put, "/storage/object", bind(putObject), objectPut);
    router.add(http_verb::put, "/storage/part", bind(putPart), partPut);
    router.add(http_verb::get, "/storage/object", bind(getObject));
}

} // namespace pf::server
