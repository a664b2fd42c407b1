// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// Experiments (named groups of a project's jobs) and job templates.

#include "api/json.h"
#include "api/page.h"
#include "server/config.h"
#include "server/handlers/access.h"
#include "server/handlers/bodyreader.h"
#include "server/handlers/routes.h"
#include "server/handlers/servercontext.h"
#include "server/store/database.h"
#include "server/store/experimentrepo.h"

namespace pf::server {

using api::ApiError;
using api::ProjectRole;
using http_verb = boost::beast::http::verb;

namespace {

// The experiment, if the caller's role in its project is at least `minimum`.
ExperimentRecord visibleExperiment(Access &access, qint64 id, ProjectRole minimum)
{
    const auto record = ExperimentRepo(access.db()).get(id);
    if (!record)
        throw ApiError::notFound(QStringLiteral("No such experiment."));
    try {
        access.project(record->projectId, minimum);
    } catch (const ApiError &e) {
        if (e.status() == 404)
            throw ApiError::notFound(QStringLiteral("No such experiment."));
        throw;
    }
    return *record;
}

Response list(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const ProjectAccess p = access.project(req.param(QStringLiteral("pid")));
    return Response::json(api::toJsonArray(ExperimentRepo(access.db()).list(p.project.id)));
}

Response create(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const ProjectAccess p = access.project(req.param(QStringLiteral("pid")), ProjectRole::Develop);
    // PeriFlow's CLI posts a form; the studio posts JSON.
    const bool form = req.header("Content-Type").startsWith("application/x-www-form-urlencoded");
    BodyReader body = form ? BodyReader::fromForm(req) : BodyReader(req.jsonObject());
    const QString name = body.name(QStringLiteral("name"));
    body.finish({QStringLiteral("name")});
    try {
        return Response::json(
            ExperimentRepo(access.db()).create(p.project.id, name, access.caller().userId).toJson(),
            201);
    } catch (const UniqueViolation &) {
        throw ApiError::conflict(
            QStringLiteral("The project already has an experiment named '%1'.").arg(name));
    }
}

Response jobs(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const PageRequest request = pageRequest(req);
    const ExperimentRecord e =
        visibleExperiment(access, req.intParam(QStringLiteral("id")), ProjectRole::Guest);
    const api::Page<QJsonObject> page = ExperimentRepo(access.db()).jobs(e.experiment.id, request);
    QJsonArray results;
    for (const QJsonObject &job : page.results)
        results.append(job);
    return Response::json(
        QJsonObject{{QStringLiteral("results"), results},
                    {QStringLiteral("next_cursor"), api::stringOrNull(page.nextCursor)}});
}

Response rename(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const ExperimentRecord e =
        visibleExperiment(access, req.intParam(QStringLiteral("id")), ProjectRole::Develop);
    BodyReader body(req.jsonObject());
    const QString name = body.name(QStringLiteral("name"));
    body.finish({QStringLiteral("name")});
    try {
        ExperimentRepo(access.db()).rename(e.experiment.id, name);
    } catch (const UniqueViolation &) {
        throw ApiError::conflict(
            QStringLiteral("The project already has an experiment named '%1'.").arg(name));
    }
    return Response::json(api::Experiment{e.experiment.id, name}.toJson());
}

Response remove(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const ExperimentRecord e =
        visibleExperiment(access, req.intParam(QStringLiteral("id")), ProjectRole::Maintain);
    ExperimentRepo(access.db()).remove(e.experiment.id);
    return Response::noContent();
}

Response templates(ServerContext &ctx, Request &req)
{
    ctx.auth.authenticate(req);
    return Response::json(ctx.config.jobTemplates);
}

} // namespace

void addExperimentRoutes(Router &router, ServerContext &ctx)
{
    const auto bind = [&ctx](ContextHandler fn) { return bindRoute(ctx, fn); };
    router.add(http_verb::get, "/api/project/{pid:uuid}/experiment/", bind(list));
    router.add(http_verb::post, "/api/project/{pid:uuid}/experiment/", bind(create));
    router.add(http_verb::get, "/api/experiment/{id:int}/job/", bind(jobs));
    router.add(http_verb::patch, "/api/experiment/{id:int}/", bind(rename));
    router.add(http_verb::delete_, "/api/experiment/{id:int}/", bind(remove));
    router.add(http_verb::get, "/api/job_template/", bind(templates));
}

} // namespace pf::server
