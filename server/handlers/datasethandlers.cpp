// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// Datasets ("datastore"): pfd-stored (`fai`) ones, whose files go through
// the object store's signed URLs, and linked ones that describe a bucket
// (pfd lists an `aws` one's bucket itself when its files are not given).

#include <optional>

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSet>
#include <QUrl>

#include "api/json.h"
#include "server/auth/secretbox.h"
#include "server/handlers/access.h"
#include "server/handlers/bodyreader.h"
#include "server/handlers/routes.h"
#include "server/handlers/servercontext.h"
#include "server/handlers/storage.h"
#include "server/storage/objectkeys.h"
#include "server/storage/objectstore.h"
#include "server/storage/s3client.h"
#include "server/store/credentialrepo.h"
#include "server/store/database.h"
#include "server/store/datasetrepo.h"

namespace pf::server {

Q_LOGGING_CATEGORY(lcDatasets, "pf.datasets")

using api::ApiError;
using api::ProjectRole;
using http_verb = boost::beast::http::verb;

namespace {

const QStringList kVendors{QStringLiteral("fai"), QStringLiteral("aws"),
                           QStringLiteral("azure.blob"), QStringLiteral("gcp")};

QString datasetPrefix(const DatasetRecord &d)
{
    return datasetObjects(d.projectId, d.id);
}

// The dataset, if the caller may act on it: reading needs `minimum` in its
// project; changing someone else's dataset needs maintain.
DatasetRecord visibleDataset(Access &access, qint64 id, ProjectRole minimum)
{
    const auto record = DatasetRepo(access.db()).byId(id);
    if (!record)
        throw ApiError::notFound(QStringLiteral("No such dataset."));
    access.projectItem(record->projectId, minimum, record->createdBy, QStringLiteral("dataset"));
    return *record;
}

// A credential of the project, named by `credential_id`. A linked dataset's
// credential must be of its vendor's type (the vendors are credential type
// names), since that is what reads its bucket.
QString checkedCredential(Access &access, const QJsonValue &value, const QString &projectId,
                          const QString &vendor)
{
    if (value.isNull() || value.isUndefined())
        return {};
    const QString id = value.toString();
    const auto credential = id.isEmpty() ? std::nullopt : CredentialRepo(access.db()).get(id);
    if (!credential || credential->projectId != projectId)
        throw ApiError::badRequest(
            QStringLiteral("`credential_id`: the project has no credential '%1'.")
                .arg(id.left(64)));
    if (vendor != u"fai" && credential->credential.type != vendor)
        throw ApiError::badRequest(
            QStringLiteral("`credential_id`: a %1 dataset needs a %1 credential; '%2' is a %3 "
                           "credential.")
                .arg(vendor, credential->credential.name, credential->credential.type));
    return id;
}

// An S3-compatible service's URL: `value` as a string, empty when absent or
// null. Throws 400, naming `field`, when it is no http(s) URL that the S3
// client can address.
QString checkedEndpoint(const QJsonValue &value, const QString &field)
{
    if (value.isUndefined() || value.isNull())
        return {};
    const QUrl url(value.toString(), QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!value.isString() || !url.isValid() || (scheme != u"http" && scheme != u"https") ||
        url.host().isEmpty() || url.hasQuery() || url.hasFragment())
        throw ApiError::badRequest(
            QStringLiteral("%1 must be the http:// or https:// URL of an S3-compatible service.")
                .arg(field));
    return value.toString();
}

// `metadata.endpoint_url` of an aws dataset, the S3-compatible service its
// bucket is on: empty when not given. Throws 400.
QString metadataEndpoint(const QJsonObject &metadata)
{
    return checkedEndpoint(metadata.value(QStringLiteral("endpoint_url")),
                           QStringLiteral("`metadata.endpoint_url`"));
}

// Where an aws dataset's files are: `storage_name` is "bucket" or
// "bucket/folder/inside"; the folder is listed as a folder ("data" lists
// "data/...", never "database/...").
S3Location s3LocationOf(const DatasetRecord &d)
{
    S3Location location;
    location.bucket = d.storageName.section(u'/', 0, 0);
    location.prefix = d.storageName.section(u'/', 1);
    if (location.bucket.isEmpty())
        throw ApiError::badRequest(
            QStringLiteral("`storage_name` must start with the bucket's name: \"bucket\" or "
                           "\"bucket/folder\"."));
    if (!location.prefix.isEmpty() && !location.prefix.endsWith(u'/'))
        location.prefix += u'/';
    return location;
}

// The files under a linked dataset's bucket and folder, listed from the
// store with the dataset's credential, as `files` entries with paths
// relative to the folder. Keys that end in '/' (folder markers) and keys that
// are no valid dataset path (see checkedFilePath) are left out. Throws
// ApiError: 501 for vendors pfd cannot list, 400 for what the caller can fix
// (no credential, a bad endpoint, a store that refuses the credential, the
// bucket or the region) and 502 when the store cannot be reached or fails.
// Blocks on the network: worker threads only.
QJsonArray listedFiles(ServerContext &ctx, Access &access, const DatasetRecord &d)
{
    if (d.vendor != u"aws")
        throw ApiError::notImplemented(
            QStringLiteral("pfd cannot list %1 storage yet; give the dataset's `files`.")
                .arg(d.vendor));
    if (d.credentialId.isEmpty())
        throw ApiError::badRequest(
            QStringLiteral("Listing the bucket needs `credential_id`, an aws credential of the "
                           "project; or give the dataset's `files`."));
    const auto credential = CredentialRepo(access.db()).get(d.credentialId);
    if (!credential) // deleted since checkedCredential()
        throw ApiError::badRequest(
            QStringLiteral("`credential_id`: the project has no credential '%1'.")
                .arg(d.credentialId));
    const auto plain = ctx.secrets.open(credential->sealedValue);
    if (!plain) // the data dir's secret key changed or the row was tampered with
        throw std::runtime_error("a stored credential cannot be decrypted with this server's key");
    const QJsonObject secret = QJsonDocument::fromJson(*plain).object();

    S3Location location = s3LocationOf(d);
    location.accessKeyId = secret.value(QStringLiteral("aws_access_key_id")).toString();
    location.secretAccessKey = secret.value(QStringLiteral("aws_secret_access_key")).toString();
    location.region = d.region.isEmpty()
                          ? secret.value(QStringLiteral("aws_default_region")).toString()
                          : d.region;
    location.endpoint = metadataEndpoint(d.metadata);
    if (location.endpoint.isEmpty())
        location.endpoint = checkedEndpoint(secret.value(QStringLiteral("endpoint_url")),
                                            QStringLiteral("The credential's `endpoint_url`"));

    S3Client s3(location);
    // One key first: a store that answers with a refusal (a 3xx or 4xx:
    // wrong key or secret, no such bucket, another region, no permission) is
    // the caller's to fix; no answer or a 5xx is the store's failure.
    S3Query probe{{"list-type", "2"}, {"max-keys", "1"}};
    if (!location.prefix.isEmpty())
        probe.append({"prefix", location.prefix.toUtf8()});
    const S3Response answer = s3.request("GET", {}, probe);
    if (answer.status != 200)
        throw ApiError(answer.status == 0 || answer.status >= 500 ? 502 : 400,
                       s3.describeFailure(answer));
    QString error;
    const QList<S3Object> objects = s3.listObjects(&error);
    if (!error.isEmpty())
        throw ApiError(502, error);

    QJsonArray files;
    qsizetype skipped = 0;
    for (const S3Object &o : objects) {
        if (o.key.endsWith(u'/'))
            continue;
        const QString path = o.key.mid(location.prefix.size());
        try {
            checkedFilePath(path);
        } catch (const ApiError &) {
            if (skipped++ == 0)
                qCWarning(lcDatasets).noquote()
                    << "dataset" << d.name << "leaves out the key" << o.key.left(128) << "of bucket"
                    << location.bucket << "(not a valid dataset path)";
            continue;
        }
        files.append(QJsonObject{{QStringLiteral("name"), path.section(u'/', -1)},
                                 {QStringLiteral("path"), path},
                                 {QStringLiteral("mtime"), api::timeToJson(o.lastModified)},
                                 {QStringLiteral("size"), o.size}});
    }
    if (skipped > 1)
        qCWarning(lcDatasets).noquote() << "dataset" << d.name << "leaves out" << skipped
                                        << "keys that are not valid dataset paths";
    return files;
}

// Checks of a linked dataset's location that do not need the network.
void checkLinkedLocation(const DatasetRecord &d)
{
    if (d.storageName.isEmpty())
        throw ApiError::badRequest(
            QStringLiteral("A linked dataset needs `storage_name`, its bucket."));
    if (d.vendor == u"aws") {
        s3LocationOf(d);
        metadataEndpoint(d.metadata);
    }
}

void conflictOnName(const QString &name)
{
    throw ApiError::conflict(
        QStringLiteral("The organization already has a dataset named '%1'.").arg(name));
}

Response list(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const ProjectAccess p = access.project(req.param(QStringLiteral("pid")));
    QJsonArray out;
    for (const DatasetRecord &d : DatasetRepo(access.db()).forProject(p.project.id))
        out.append(d.toJson());
    return Response::json(out);
}

Response create(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const ProjectAccess p = access.project(req.param(QStringLiteral("pid")), ProjectRole::Develop);
    const QJsonObject json = req.jsonObject();
    BodyReader body(json);
    DatasetRecord d;
    d.orgId = p.project.pfGroupId;
    d.projectId = p.project.id;
    d.createdBy = access.caller().userId;
    d.name = body.name(QStringLiteral("name"));
    d.vendor = body.string(QStringLiteral("vendor"), 16);
    d.region = body.optionalString(QStringLiteral("region"), 64).value_or(QString());
    d.storageName = body.optionalString(QStringLiteral("storage_name"), 256).value_or(QString());
    d.metadata = body.optionalObject(QStringLiteral("metadata")).value_or(QJsonObject());
    if (json.contains(QStringLiteral("active")) && !json.value(QStringLiteral("active")).isBool())
        body.fail(QStringLiteral("active"), QStringLiteral("must be true or false"));
    body.finish({QStringLiteral("name"), QStringLiteral("vendor"), QStringLiteral("region"),
                 QStringLiteral("storage_name"), QStringLiteral("credential_id"),
                 QStringLiteral("metadata"), QStringLiteral("files"), QStringLiteral("active")});
    if (!kVendors.contains(d.vendor))
        throw ApiError::badRequest(
            QStringLiteral("`vendor` must be one of %1.").arg(kVendors.join(QStringLiteral(", "))));
    const bool linked = d.vendor != u"fai";
    d.credentialId = checkedCredential(access, json.value(QStringLiteral("credential_id")),
                                       p.project.id, d.vendor);
    if (linked)
        checkLinkedLocation(d);
    // `files` null counts as not given.
    const QJsonValue files = json.value(QStringLiteral("files"));
    if (!files.isUndefined() && !files.isNull())
        d.files = checkedFileList(files);
    else if (linked)
        d.files = listedFiles(ctx, access, d);
    d.active = json.value(QStringLiteral("active")).toBool(linked);
    try {
        DatasetRepo(access.db()).create(d);
    } catch (const UniqueViolation &) {
        conflictOnName(d.name);
    }
    return Response::json(d.toJson(), 201);
}

Response get(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    return Response::json(
        visibleDataset(access, req.intParam(QStringLiteral("id")), ProjectRole::Guest).toJson());
}

Response patch(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const QJsonObject json = req.jsonObject();
    // `add_files` (pfstudio's addition) merges into the files as they are
    // when it is applied: the row is read and written in one transaction,
    // locked against another PATCH of it meanwhile (two uploads into one
    // dataset keep each other's files). Only then: a linked dataset's
    // listing must not hold the lock.
    std::optional<Transaction> tx;
    const qint64 id = req.intParam(QStringLiteral("id"));
    if (json.contains(QStringLiteral("add_files"))) {
        tx.emplace(access.db(), ctx.db.isSqlite());
        DatasetRepo(access.db()).lockForUpdate(id);
    }
    DatasetRecord d = visibleDataset(access, id, ProjectRole::Develop);
    const DatasetRecord before = d;
    BodyReader body(json);
    if (const auto name = body.optionalName(QStringLiteral("name")))
        d.name = *name;
    if (const auto region = body.optionalString(QStringLiteral("region"), 64))
        d.region = *region;
    if (const auto storage = body.optionalString(QStringLiteral("storage_name"), 256))
        d.storageName = *storage;
    if (const auto metadata = body.optionalObject(QStringLiteral("metadata")))
        d.metadata = *metadata;
    if (json.contains(QStringLiteral("active")) && !json.value(QStringLiteral("active")).isBool())
        body.fail(QStringLiteral("active"), QStringLiteral("must be true or false"));
    if (json.contains(QStringLiteral("vendor")) &&
        json.value(QStringLiteral("vendor")).toString() != d.vendor)
        body.fail(QStringLiteral("vendor"), QStringLiteral("cannot change"));
    body.finish({QStringLiteral("name"), QStringLiteral("vendor"), QStringLiteral("region"),
                 QStringLiteral("storage_name"), QStringLiteral("credential_id"),
                 QStringLiteral("metadata"), QStringLiteral("files"), QStringLiteral("add_files"),
                 QStringLiteral("active")});
    if (json.contains(QStringLiteral("credential_id")))
        d.credentialId = checkedCredential(access, json.value(QStringLiteral("credential_id")),
                                           d.projectId, d.vendor);
    const QJsonValue files = json.value(QStringLiteral("files"));
    if (json.contains(QStringLiteral("add_files"))) {
        if (d.vendor != u"fai")
            throw ApiError::badRequest(
                QStringLiteral("`add_files` is for datasets stored on pfd (fai)."));
        if (json.contains(QStringLiteral("files")))
            throw ApiError::badRequest(QStringLiteral("Give `files` or `add_files`, not both."));
        // Each added file takes the place of a listed one of its path.
        const QJsonArray added = checkedFileList(json.value(QStringLiteral("add_files")));
        QSet<QString> paths;
        for (const QJsonValue &v : added)
            paths.insert(v.toObject().value(QStringLiteral("path")).toString());
        QJsonArray merged;
        for (const QJsonValue &v : std::as_const(d.files))
            if (!paths.contains(v.toObject().value(QStringLiteral("path")).toString()))
                merged.append(v);
        for (const QJsonValue &v : added)
            merged.append(v);
        d.files = merged;
    } else if (d.vendor == u"fai") {
        if (json.contains(QStringLiteral("files")))
            d.files = checkedFileList(files);
    } else {
        // The listing follows the location: pointing the dataset elsewhere
        // (bucket, folder, credential, region or endpoint) without giving
        // `files` lists it anew, and so does `files: null`. Other changes
        // (name, metadata besides endpoint_url, active) keep the files.
        const bool moved = d.storageName != before.storageName ||
                           d.credentialId != before.credentialId || d.region != before.region ||
                           d.metadata.value(QStringLiteral("endpoint_url")) !=
                               before.metadata.value(QStringLiteral("endpoint_url"));
        if (moved)
            checkLinkedLocation(d);
        if (!files.isUndefined() && !files.isNull())
            d.files = checkedFileList(files);
        else if (files.isNull() || moved)
            d.files = listedFiles(ctx, access, d);
    }
    if (json.contains(QStringLiteral("active")))
        d.active = json.value(QStringLiteral("active")).toBool();
    if (d.vendor == u"fai" && d.active) {
        // Active means complete: every listed file is stored, at its size.
        for (const QJsonValue &v : std::as_const(d.files)) {
            const QJsonObject f = v.toObject();
            const QString path = f.value(QStringLiteral("path")).toString();
            const auto stored = ctx.objects.stat(datasetPrefix(d) + u'/' + path);
            if (!stored)
                throw ApiError::badRequest(
                    QStringLiteral("'%1' was never uploaded; the dataset cannot be active.")
                        .arg(path.left(128)));
            if (stored->size != f.value(QStringLiteral("size")).toInteger())
                throw ApiError::badRequest(QStringLiteral("'%1' is %2 bytes on the server, not %3.")
                                               .arg(path.left(128))
                                               .arg(stored->size)
                                               .arg(f.value(QStringLiteral("size")).toInteger()));
        }
    }
    try {
        DatasetRepo(access.db()).update(d);
    } catch (const UniqueViolation &) {
        conflictOnName(d.name);
    }
    if (tx)
        tx->commit();
    return Response::json(d.toJson());
}

Response remove(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const DatasetRecord d =
        visibleDataset(access, req.intParam(QStringLiteral("id")), ProjectRole::Develop);
    DatasetRepo(access.db()).remove(d.id);
    if (d.vendor == u"fai")
        ctx.objects.removeAll(datasetPrefix(d));
    return Response::noContent();
}

// The upload routes: fai datasets only, by whoever may change the dataset.
DatasetRecord uploadTarget(const Request &req, Access &access)
{
    DatasetRecord d =
        visibleDataset(access, req.intParam(QStringLiteral("id")), ProjectRole::Develop);
    if (d.vendor != u"fai")
        throw ApiError::conflict(QStringLiteral("Only `fai` datasets keep their files on pfd; "
                                                "this one is linked to %1.")
                                     .arg(d.vendor));
    return d;
}

// The upload routes: the shared contract (handlers/storage.h) on the
// dataset's folder.
template <Response (*Contract)(ServerContext &, Request &, const QString &)>
Response upload(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    return Contract(ctx, req, datasetPrefix(uploadTarget(req, access)));
}

// pfstudio's addition (docs/api.md): the files with signed GET URLs, like
// model_forms/{id}/download/; `path` picks one file.
Response download(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const DatasetRecord d =
        visibleDataset(access, req.intParam(QStringLiteral("id")), ProjectRole::Guest);
    if (d.vendor != u"fai")
        throw ApiError::conflict(
            QStringLiteral("This dataset is linked to %1; download its files from there.")
                .arg(d.vendor));
    const std::optional<QString> only = req.query(QStringLiteral("path"));
    QJsonArray files;
    for (const QJsonValue &v : d.files) {
        QJsonObject f = v.toObject();
        const QString path = f.value(QStringLiteral("path")).toString();
        if (only && *only != path)
            continue;
        f.insert(QStringLiteral("download_url"),
                 signedObjectUrl(ctx, req, "GET", datasetPrefix(d) + u'/' + path));
        files.append(f);
    }
    if (only && files.isEmpty())
        throw ApiError::notFound(
            QStringLiteral("The dataset has no file '%1'.").arg(only->left(128)));
    return Response::json(QJsonObject{{QStringLiteral("files"), files}});
}

} // namespace

void addDatasetRoutes(Router &router, ServerContext &ctx)
{
    const auto bind = [&ctx](ContextHandler fn) { return bindRoute(ctx, fn); };
    router.add(http_verb::get, "/api/project/{pid:uuid}/datastore/", bind(list));
    router.add(http_verb::post, "/api/project/{pid:uuid}/datastore/", bind(create));
    router.add(http_verb::get, "/api/datastore/{id:int}/", bind(get));
    router.add(http_verb::patch, "/api/datastore/{id:int}/", bind(patch));
    router.add(http_verb::delete_, "/api/datastore/{id:int}/", bind(remove));
    router.add(http_verb::get, "/api/datastore/{id:int}/download/", bind(download));
    router.add(http_verb::post, "/api/datastore/{id:int}/upload/", bind(upload<uploadUrls>));
    router.add(http_verb::post, "/api/datastore/{id:int}/start_mpu/", bind(upload<startMultipart>));
    router.add(http_verb::post, "/api/datastore/{id:int}/complete_mpu/",
               bind(upload<completeMultipart>));
    router.add(http_verb::post, "/api/datastore/{id:int}/abort_mpu/", bind(upload<abortMultipart>));
}

} // namespace pf::server
