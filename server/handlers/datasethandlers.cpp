// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// Datasets ("datastore"): pfd-stored (`fai`) ones, whose files go through
// the object store's signed URLs, and linked ones that describe a bucket.

#include <QJsonArray>

#include "api/json.h"
#include "server/handlers/access.h"
#include "server/handlers/bodyreader.h"
#include "server/handlers/routes.h"
#include "server/handlers/servercontext.h"
#include "server/handlers/storage.h"
#include "server/storage/objectstore.h"
#include "server/store/credentialrepo.h"
#include "server/store/database.h"
#include "server/store/datasetrepo.h"

namespace pf::server {

using api::ApiError;
using api::ProjectRole;
using http_verb = boost::beast::http::verb;

namespace {

const QStringList kVendors{QStringLiteral("fai"), QStringLiteral("aws"),
                           QStringLiteral("azure.blob"), QStringLiteral("gcp")};

QString datasetPrefix(const DatasetRecord &d)
{
    return projectStoragePrefix(d.projectId) + QStringLiteral("/datasets/") + QString::number(d.id);
}

// The dataset, if the caller may act on it: reading needs `minimum` in its
// project; changing someone else's dataset needs maintain.
DatasetRecord visibleDataset(Access &access, qint64 id, ProjectRole minimum)
{
    const auto record = DatasetRepo(access.db()).byId(id);
    if (!record)
        throw ApiError::notFound(QStringLiteral("No such dataset."));
    ProjectAccess p;
    try {
        p = access.project(record->projectId, minimum);
    } catch (const ApiError &e) {
        if (e.status() == 404)
            throw ApiError::notFound(QStringLiteral("No such dataset."));
        throw;
    }
    if (minimum >= ProjectRole::Develop && record->createdBy != access.caller().userId &&
        p.role < ProjectRole::Maintain)
        throw ApiError::forbidden(
            QStringLiteral("Changing another member's dataset needs the maintain role."));
    return *record;
}

// A credential of the project, named by `credential_id`.
QString checkedCredential(Access &access, const QJsonValue &value, const QString &projectId)
{
    if (value.isNull() || value.isUndefined())
        return {};
    const QString id = value.toString();
    const auto credential = id.isEmpty() ? std::nullopt : CredentialRepo(access.db()).get(id);
    if (!credential || credential->projectId != projectId)
        throw ApiError::badRequest(
            QStringLiteral("`credential_id`: the project has no credential '%1'.")
                .arg(id.left(64)));
    return id;
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
    d.credentialId =
        checkedCredential(access, json.value(QStringLiteral("credential_id")), p.project.id);
    if (linked && d.storageName.isEmpty())
        throw ApiError::badRequest(
            QStringLiteral("A linked dataset needs `storage_name`, its bucket."));
    if (json.contains(QStringLiteral("files")))
        d.files = checkedFileList(json.value(QStringLiteral("files")));
    else if (linked)
        throw ApiError(501, QStringLiteral("Listing %1 storage from pfd is not available yet; "
                                           "give the dataset's `files`.")
                                .arg(d.vendor));
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
    DatasetRecord d =
        visibleDataset(access, req.intParam(QStringLiteral("id")), ProjectRole::Develop);
    const QJsonObject json = req.jsonObject();
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
                 QStringLiteral("metadata"), QStringLiteral("files"), QStringLiteral("active")});
    if (json.contains(QStringLiteral("credential_id")))
        d.credentialId =
            checkedCredential(access, json.value(QStringLiteral("credential_id")), d.projectId);
    if (json.contains(QStringLiteral("files")))
        d.files = checkedFileList(json.value(QStringLiteral("files")));
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
DatasetRecord uploadTarget(ServerContext &ctx, Request &req, Access &access)
{
    DatasetRecord d =
        visibleDataset(access, req.intParam(QStringLiteral("id")), ProjectRole::Develop);
    if (d.vendor != u"fai")
        throw ApiError::conflict(QStringLiteral("Only `fai` datasets keep their files on pfd; "
                                                "this one is linked to %1.")
                                     .arg(d.vendor));
    (void)ctx;
    return d;
}

Response upload(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    return uploadUrls(ctx, req, datasetPrefix(uploadTarget(ctx, req, access)));
}

Response startMpu(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    return startMultipart(ctx, req, datasetPrefix(uploadTarget(ctx, req, access)));
}

Response completeMpu(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    return completeMultipart(ctx, req, datasetPrefix(uploadTarget(ctx, req, access)));
}

Response abortMpu(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    return abortMultipart(ctx, req, datasetPrefix(uploadTarget(ctx, req, access)));
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
    router.add(http_verb::post, "/api/datastore/{id:int}/upload/", bind(upload));
    router.add(http_verb::post, "/api/datastore/{id:int}/start_mpu/", bind(startMpu));
    router.add(http_verb::post, "/api/datastore/{id:int}/complete_mpu/", bind(completeMpu));
    router.add(http_verb::post, "/api/datastore/{id:int}/abort_mpu/", bind(abortMpu));
}

} // namespace pf::server
