// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// Projects ("pf_project") and their members.

#include "server/handlers/access.h"
#include "server/handlers/bodyreader.h"
#include "server/handlers/routes.h"
#include "server/handlers/servercontext.h"
#include "server/store/database.h"
#include "server/store/orgrepo.h"
#include "server/store/projectrepo.h"

namespace pf::server {

using api::ApiError;
using api::OrgRole;
using api::ProjectRole;
using http_verb = boost::beast::http::verb;

namespace {

ProjectRole readAccessLevel(BodyReader &body)
{
    const QString level = body.string(QStringLiteral("access_level"), 16);
    const auto role = api::projectRoleFromString(level);
    if (!level.isEmpty() && !role)
        body.fail(QStringLiteral("access_level"),
                  QStringLiteral("must be admin, maintain, develop or guest"));
    body.finish({QStringLiteral("access_level")});
    if (!role) // an empty string: not caught above
        throw ApiError::badRequest(
            QStringLiteral("`access_level` must be admin, maintain, develop or guest."),
            {{QStringLiteral("access_level"),
              QStringLiteral("must be admin, maintain, develop or guest")}});
    return *role;
}

Response createProject(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const OrgAccess org = access.org(req.param(QStringLiteral("gid")), OrgRole::Owner);
    BodyReader body(req.jsonObject());
    const QString name = body.name(QStringLiteral("name"));
    body.finish({QStringLiteral("name")});
    try {
        return Response::json(ProjectRepo(access.db()).create(org.org.id, name).toJson(), 201);
    } catch (const UniqueViolation &) {
        throw ApiError::conflict(
            QStringLiteral("The organization already has a project named '%1'.").arg(name));
    }
}

Response listProjects(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const PageRequest page = pageRequest(req);
    const OrgAccess org = access.org(req.param(QStringLiteral("gid")));
    return Response::json(ProjectRepo(access.db()).list(org.org.id, {}, page).toJson());
}

Response getProject(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    return Response::json(access.project(req.param(QStringLiteral("pid"))).project.toJson());
}

Response deleteProject(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const ProjectAccess p = access.project(req.param(QStringLiteral("pid")), ProjectRole::Admin);
    ProjectRepo(access.db()).remove(p.project.id);
    return Response::noContent();
}

Response listMembers(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const PageRequest page = pageRequest(req);
    const ProjectAccess p = access.project(req.param(QStringLiteral("pid")));
    return Response::json(ProjectRepo(access.db()).members(p.project.id, page).toJson());
}

Response addMember(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const ProjectAccess p = access.project(req.param(QStringLiteral("pid")), ProjectRole::Admin);
    BodyReader body(req.jsonObject());
    const ProjectRole role = readAccessLevel(body);
    const QString userId = req.param(QStringLiteral("uid"));
    ProjectRepo projects(access.db());
    Transaction tx(access.db(), ctx.db.isSqlite());
    if (!OrgRepo(access.db()).role(p.project.pfGroupId, userId))
        throw ApiError::notFound(
            QStringLiteral("That user is not a member of the project's organization."));
    if (projects.role(p.project.id, userId))
        throw ApiError::conflict(QStringLiteral("That user is already a member of the project."));
    projects.addMember(p.project.id, userId, role);
    tx.commit();
    return Response::json(api::ProjectMembership{userId, p.project.id, role}.toJson(), 201);
}

Response setAccessLevel(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const ProjectAccess p = access.project(req.param(QStringLiteral("pid")), ProjectRole::Admin);
    BodyReader body(req.jsonObject());
    const ProjectRole role = readAccessLevel(body);
    const QString userId = req.param(QStringLiteral("uid"));
    ProjectRepo projects(access.db());
    if (!projects.role(p.project.id, userId))
        throw ApiError::notFound(QStringLiteral("That user is not a member of the project."));
    projects.setRole(p.project.id, userId, role);
    return Response::json(api::ProjectMembership{userId, p.project.id, role}.toJson());
}

Response getMembership(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const ProjectAccess p = access.project(req.param(QStringLiteral("pid")));
    const QString userId = req.param(QStringLiteral("uid"));
    const auto role = ProjectRepo(access.db()).role(p.project.id, userId);
    if (!role)
        throw ApiError::notFound(QStringLiteral("That user is not a member of the project."));
    return Response::json(api::ProjectMembership{userId, p.project.id, *role}.toJson());
}

Response removeMember(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const QString userId = req.param(QStringLiteral("uid"));
    const bool leaving = userId == access.caller().userId;
    // Admins remove anyone; members may leave on their own.
    const ProjectAccess p = access.project(req.param(QStringLiteral("pid")),
                                           leaving ? ProjectRole::Guest : ProjectRole::Admin);
    ProjectRepo projects(access.db());
    if (!projects.role(p.project.id, userId))
        throw ApiError::notFound(QStringLiteral("That user is not a member of the project."));
    projects.removeMember(p.project.id, userId);
    return Response::noContent();
}

} // namespace

void addProjectRoutes(Router &router, ServerContext &ctx)
{
    const auto bind = [&ctx](ContextHandler fn) { return bindRoute(ctx, fn); };
    router.add(http_verb::post, "/auth/pf_group/{gid:uuid}/pf_project", bind(createProject));
    router.add(http_verb::get, "/auth/pf_group/{gid:uuid}/pf_project", bind(listProjects));
    router.add(http_verb::get, "/auth/pf_project/{pid:uuid}", bind(getProject));
    router.add(http_verb::delete_, "/auth/pf_project/{pid:uuid}", bind(deleteProject));
    router.add(http_verb::get, "/auth/pf_project/{pid:uuid}/pf_user", bind(listMembers));
    router.add(http_verb::post, "/auth/pf_user/{uid:uuid}/pf_project/{pid:uuid}", bind(addMember));
    router.add(http_verb::patch, "/auth/pf_user/{uid:uuid}/pf_project/{pid:uuid}/access_level",
               bind(setAccessLevel));
    router.add(http_verb::get, "/auth/pf_user/{uid:uuid}/pf_project/{pid:uuid}",
               bind(getMembership));
    router.add(http_verb::delete_, "/auth/pf_user/{uid:uuid}/pf_project/{pid:uuid}",
               bind(removeMember));
}

} // namespace pf::server
