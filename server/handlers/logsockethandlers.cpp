// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// /ws/: the live log websocket of a job (API.md, "Log records and the log
// websocket"). The upgrade is refused with an ordinary JSON error (401, 404)
// before any websocket exists; once accepted, LogFollower does the rest.

#include "api/apierror.h"
#include "server/auth/authservice.h"
#include "server/handlers/access.h"
#include "server/handlers/logfollower.h"
#include "server/handlers/routes.h"
#include "server/handlers/servercontext.h"
#include "server/http/websocketrouter.h"
#include "server/store/database.h"
#include "server/store/jobrepo.h"
#include "server/store/logstore.h"

namespace pf::server {

using api::ApiError;
using api::ProjectRole;

namespace {

// Browsers cannot set headers on a websocket, so the access token comes as
// ?token=; an Authorization header works too.
Access accessOf(ServerContext &ctx, Request &req)
{
    const auto token = req.query(QStringLiteral("token"));
    if (!token)
        return Access::of(ctx, req);
    Caller caller = ctx.auth.authenticateToken(token->toUtf8());
    req.setUserForLog(caller.userId);
    return Access(ctx.db.connection(), std::move(caller));
}

std::shared_ptr<WebSocketHandler> follow(ServerContext &ctx, const JobRecord &job)
{
    return std::make_shared<LogFollower>(ctx, job.id, ctx.logs.lastSeq(job.id));
}

// /ws/job/{job_uuid}/
std::shared_ptr<WebSocketHandler> followJob(ServerContext &ctx, Request &req)
{
    Access access = accessOf(ctx, req);
    const auto job = JobRepo(access.db()).byId(req.param(QStringLiteral("job")));
    if (!job)
        throw ApiError::notFound(QStringLiteral("No such job."));
    try {
        access.project(job->projectId, ProjectRole::Guest);
    } catch (const ApiError &e) {
        // Outsiders get the answer for a job that does not exist.
        if (e.status() == 404)
            throw ApiError::notFound(QStringLiteral("No such job."));
        throw;
    }
    return follow(ctx, *job);
}

// /ws/project/{pid}/job/{number}/
std::shared_ptr<WebSocketHandler> followProjectJob(ServerContext &ctx, Request &req)
{
    Access access = accessOf(ctx, req);
    const ProjectAccess p = access.project(req.param(QStringLiteral("pid")), ProjectRole::Guest);
    const auto job =
        JobRepo(access.db()).byNumber(p.project.id, req.intParam(QStringLiteral("number")));
    if (!job)
        throw ApiError::notFound(
            QStringLiteral("The project has no job %1.").arg(req.param(QStringLiteral("number"))));
    return follow(ctx, *job);
}

} // namespace

void addLogSocketRoutes(WebSocketRouter &router, ServerContext &ctx)
{
    router.add("/ws/job/{job:uuid}", [&ctx](Request &req) { return followJob(ctx, req); });
    router.add("/ws/project/{pid:uuid}/job/{number:int}",
               [&ctx](Request &req) { return followProjectJob(ctx, req); });
}

} // namespace pf::server
