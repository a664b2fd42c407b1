// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// The model registry: checkpoints ("models") and their forms, under
// /registry/ and, as some PeriFlow clients call them, at the root.

#include <QDateTime>
#include <QJsonArray>

#include "api/json.h"
#include "server/handlers/access.h"
#include "server/handlers/bodyreader.h"
#include "server/handlers/routes.h"
#include "server/handlers/servercontext.h"
#include "server/handlers/storage.h"
#include "server/storage/housekeeper.h"
#include "server/storage/objectkeys.h"
#include "server/storage/objectstore.h"
#include "server/store/checkpointrepo.h"
#include "server/store/database.h"

namespace pf::server {

using api::ApiError;
using api::ProjectRole;
using http_verb = boost::beast::http::verb;

namespace {

const QStringList kCategories{QStringLiteral("USER"), QStringLiteral("JOB")};
const QStringList kFormCategories{QStringLiteral("MEGATRON"), QStringLiteral("ORCA"),
                                  QStringLiteral("HF"), QStringLiteral("ETC")};

QString objectsOf(const CheckpointRecord &c)
{
    return formObjects(c.projectId, c.formId);
}

// The project of a /registry/orgs/{gid}/prjs/{pid}/ route, checked to be in
// that org.
ProjectAccess registryProject(Access &access, const Request &req, ProjectRole minimum)
{
    const ProjectAccess p = access.project(req.param(QStringLiteral("pid")), minimum);
    if (p.project.pfGroupId != req.param(QStringLiteral("gid")))
        throw ApiError::notFound(QStringLiteral("No such project in this organization."));
    return p;
}

// The checkpoint, if the caller may act on it: `minimum` in its project;
// changing someone else's (or a job's) checkpoint needs maintain.
CheckpointRecord visibleCheckpoint(Access &access, const CheckpointRecord *found,
                                   ProjectRole minimum)
{
    if (!found || found->state != u"ready" || found->hardDeletedAtMs)
        throw ApiError::notFound(QStringLiteral("No such checkpoint."));
    access.projectItem(found->projectId, minimum, found->createdBy, QStringLiteral("checkpoint"));
    return *found;
}

CheckpointRecord checkpointById(Access &access, const Request &req, ProjectRole minimum)
{
    const auto c = CheckpointRepo(access.db()).byId(req.param(QStringLiteral("id")));
    return visibleCheckpoint(access, c ? &*c : nullptr, minimum);
}

// A form of a checkpoint that is not deleted.
CheckpointRecord formById(Access &access, const Request &req, ProjectRole minimum)
{
    const auto c = CheckpointRepo(access.db()).byFormId(req.param(QStringLiteral("form")));
    const CheckpointRecord r = visibleCheckpoint(access, c ? &*c : nullptr, minimum);
    if (r.deletedAtMs)
        throw ApiError::notFound(QStringLiteral("No such checkpoint form (it was deleted)."));
    return r;
}

CheckpointRecord fileTarget(Access &access, const Request &req)
{
    const CheckpointRecord c = formById(access, req, ProjectRole::Develop);
    if (c.vendor != u"fai")
        throw ApiError::conflict(
            QStringLiteral("This checkpoint's files are in %1 storage, not on pfd.").arg(c.vendor));
    return c;
}

Response list(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const ProjectAccess p = registryProject(access, req, ProjectRole::Guest);
    CheckpointFilter filter;
    filter.category = req.query(QStringLiteral("category")).value_or(QString());
    if (!filter.category.isEmpty() && !kCategories.contains(filter.category))
        throw ApiError::badRequest(QStringLiteral("`category` is USER or JOB."));
    const QString status = req.query(QStringLiteral("status")).value_or(QString());
    if (!status.isEmpty() && status != u"deleted" && status != u"active")
        throw ApiError::badRequest(QStringLiteral("`status` is `deleted` (or `active`)."));
    filter.deleted = status == u"deleted";
    const api::Page<CheckpointRecord> page =
        CheckpointRepo(access.db()).list(p.project.id, filter, pageRequest(req));
    QJsonArray results;
    for (const CheckpointRecord &c : page.results)
        results.append(c.toJson());
    return Response::json(
        QJsonObject{{QStringLiteral("results"), results},
                    {QStringLiteral("next_cursor"), api::stringOrNull(page.nextCursor)}});
}

Response create(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const ProjectAccess p = registryProject(access, req, ProjectRole::Develop);
    const QJsonObject json = req.jsonObject();
    BodyReader body(json);
    CheckpointRecord c;
    c.projectId = p.project.id;
    c.createdBy = access.caller().userId;
    c.state = QStringLiteral("ready");
    c.name = body.name(QStringLiteral("name"));
    c.category =
        body.optionalString(QStringLiteral("model_category"), 8).value_or(QStringLiteral("USER"));
    c.formCategory =
        body.optionalString(QStringLiteral("form_category"), 16).value_or(QStringLiteral("ETC"));
    c.vendor = body.optionalString(QStringLiteral("vendor"), 16).value_or(QStringLiteral("fai"));
    c.region = body.optionalString(QStringLiteral("region"), 64).value_or(QString());
    c.storageName = body.optionalString(QStringLiteral("storage_name"), 256).value_or(QString());
    c.iteration = body.optionalInteger(QStringLiteral("iteration"), 0, qint64(1) << 52).value_or(0);
    c.attributes = body.optionalObject(QStringLiteral("attributes")).value_or(QJsonObject());
    c.secretType = body.optionalString(QStringLiteral("secret_type"), 32).value_or(QString());
    c.secretId = body.optionalString(QStringLiteral("secret_id"), 64).value_or(QString());
    c.jobId = body.optionalString(QStringLiteral("job_id"), 64).value_or(QString());
    c.distJson = json.value(QStringLiteral("dist_json"));
    if (c.distJson.isUndefined())
        c.distJson = QJsonObject();
    body.finish({QStringLiteral("name"), QStringLiteral("model_category"),
                 QStringLiteral("form_category"), QStringLiteral("vendor"),
                 QStringLiteral("region"), QStringLiteral("storage_name"),
                 QStringLiteral("iteration"), QStringLiteral("attributes"), QStringLiteral("files"),
                 QStringLiteral("dist_json"), QStringLiteral("secret_type"),
                 QStringLiteral("secret_id"), QStringLiteral("job_id")});
    if (!kCategories.contains(c.category))
        throw ApiError::badRequest(QStringLiteral("`model_category` is USER or JOB."));
    if (!kFormCategories.contains(c.formCategory))
        throw ApiError::badRequest(
            QStringLiteral("`form_category` is one of %1.").arg(kFormCategories.join(u", ")));
    if (json.contains(QStringLiteral("files")))
        c.files = checkedFileList(json.value(QStringLiteral("files")));
    if (c.vendor == u"fai" && !c.files.isEmpty())
        throw ApiError::badRequest(
            QStringLiteral("A checkpoint stored on pfd (fai) gets its `files` after their upload "
                           "(PATCH model_forms/{id}/)."));
    return Response::json(CheckpointRepo(access.db()).create(c).toJson(), 201);
}

Response get(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    return Response::json(checkpointById(access, req, ProjectRole::Guest).toJson());
}

Response patch(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    CheckpointRecord c = checkpointById(access, req, ProjectRole::Develop);
    const QJsonObject json = req.jsonObject();
    BodyReader body(json);
    if (const auto name = body.optionalName(QStringLiteral("name")))
        c.name = *name;
    if (const auto iteration =
            body.optionalInteger(QStringLiteral("iteration"), 0, qint64(1) << 52))
        c.iteration = *iteration;
    if (const auto attributes = body.optionalObject(QStringLiteral("attributes")))
        c.attributes = *attributes;
    if (json.contains(QStringLiteral("dist_json")))
        c.distJson = json.value(QStringLiteral("dist_json"));
    body.finish({QStringLiteral("name"), QStringLiteral("iteration"), QStringLiteral("attributes"),
                 QStringLiteral("dist_json")});
    CheckpointRepo(access.db()).update(c);
    return Response::json(c.toJson());
}

Response remove(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const CheckpointRecord c = checkpointById(access, req, ProjectRole::Develop);
    if (!c.deletedAtMs)
        CheckpointRepo(access.db()).setDeleted(c.id, QDateTime::currentMSecsSinceEpoch());
    return Response::noContent();
}

Response restore(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    CheckpointRecord c = checkpointById(access, req, ProjectRole::Develop);
    if (!c.deletedAtMs)
        throw ApiError::conflict(QStringLiteral("The checkpoint is not deleted."));
    if (QDateTime::currentMSecsSinceEpoch() - c.deletedAtMs > Housekeeper::RestoreWindowMs)
        throw ApiError::conflict(
            QStringLiteral("The checkpoint was deleted more than 24 hours ago; it cannot be "
                           "restored."));
    CheckpointRepo(access.db()).setDeleted(c.id, 0);
    c.deletedAtMs = 0;
    return Response::json(c.toJson());
}

Response download(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const CheckpointRecord c = formById(access, req, ProjectRole::Guest);
    if (c.vendor != u"fai")
        throw ApiError::conflict(
            QStringLiteral("This checkpoint's files are in %1 storage; download them from there.")
                .arg(c.vendor));
    QJsonArray files;
    for (const QJsonValue &v : c.files) {
        QJsonObject f = v.toObject();
        f.insert(QStringLiteral("download_url"),
                 signedObjectUrl(ctx, req, "GET",
                                 objectsOf(c) + u'/' + f.value(QStringLiteral("path")).toString()));
        files.append(f);
    }
    return Response::json(QJsonObject{{QStringLiteral("files"), files}});
}

Response patchForm(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const CheckpointRecord c = formById(access, req, ProjectRole::Develop);
    const QJsonObject json = req.jsonObject();
    BodyReader body(json);
    body.finish({QStringLiteral("files")});
    const QJsonArray files = checkedFileList(json.value(QStringLiteral("files")));
    if (c.vendor == u"fai") {
        // Listed means stored: each file is there, at its size.
        for (const QJsonValue &v : files) {
            const QString path = v.toObject().value(QStringLiteral("path")).toString();
            const auto stored = ctx.objects.stat(objectsOf(c) + u'/' + path);
            if (!stored || stored->size != v.toObject().value(QStringLiteral("size")).toInteger())
                throw ApiError::badRequest(
                    QStringLiteral("'%1' is not stored at the size listed.").arg(path.left(128)));
        }
    }
    CheckpointRepo(access.db()).setFormFiles(c.formId, files);
    return Response::json(CheckpointRepo(access.db()).byId(c.id)->toJson());
}

// The form's upload routes: the shared contract (handlers/storage.h) on the
// form's folder.
template <Response (*Contract)(ServerContext &, Request &, const QString &)>
Response upload(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    return Contract(ctx, req, objectsOf(fileTarget(access, req)));
}

} // namespace

void addRegistryRoutes(Router &router, ServerContext &ctx)
{
    const auto bind = [&ctx](ContextHandler fn) { return bindRoute(ctx, fn); };
    // Every route under /registry/ and at the root (API.md).
    for (const std::string prefix : {"/registry", ""}) {
        const auto add = [&](http_verb verb, const std::string &path, ContextHandler fn) {
            router.add(verb, prefix + path, bind(fn));
        };
        add(http_verb::get, "/orgs/{gid:uuid}/prjs/{pid:uuid}/models/", list);
        add(http_verb::post, "/orgs/{gid:uuid}/prjs/{pid:uuid}/models/", create);
        add(http_verb::get, "/models/{id:uuid}/", get);
        add(http_verb::patch, "/models/{id:uuid}/", patch);
        add(http_verb::delete_, "/models/{id:uuid}/", remove);
        add(http_verb::post, "/models/{id:uuid}/restore/", restore);
        add(http_verb::get, "/model_forms/{form:uuid}/download/", download);
        add(http_verb::patch, "/model_forms/{form:uuid}/", patchForm);
        add(http_verb::post, "/model_forms/{form:uuid}/upload/", upload<uploadUrls>);
        add(http_verb::post, "/model_forms/{form:uuid}/start_mpu/", upload<startMultipart>);
        add(http_verb::post, "/model_forms/{form:uuid}/complete_mpu/", upload<completeMultipart>);
        add(http_verb::post, "/model_forms/{form:uuid}/abort_mpu/", upload<abortMultipart>);
    }
}

} // namespace pf::server
