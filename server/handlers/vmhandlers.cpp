// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// VM types, quotas and locks.

#include "api/page.h"
#include "server/handlers/access.h"
#include "server/handlers/bodyreader.h"
#include "server/handlers/routes.h"
#include "server/handlers/servercontext.h"
#include "server/store/database.h"
#include "server/store/projectrepo.h"
#include "server/store/vmrepo.h"

namespace pf::server {

using api::ApiError;
using api::OrgRole;
using http_verb = boost::beast::http::verb;

namespace {

constexpr qint64 kMaxQuota = 1'000'000;

QStringList lockStatuses(const Request &req)
{
    static const QStringList known{QStringLiteral("active"), QStringLiteral("deleting"),
                                   QStringLiteral("deleted")};
    const QString raw = req.query(QStringLiteral("status")).value_or(QString());
    QStringList out;
    for (const QString &s : raw.split(u',', Qt::SkipEmptyParts)) {
        const QString t = s.trimmed();
        if (!known.contains(t))
            throw ApiError::badRequest(
                QStringLiteral("`status` takes a comma list of %1; got '%2'.")
                    .arg(known.join(u", "), t.left(32)));
        out << t;
    }
    return out;
}

Response listConfigs(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    access.org(req.param(QStringLiteral("gid")));
    QJsonArray out;
    const QList<VmConfigRecord> configs = VmRepo(access.db()).configs();
    for (const VmConfigRecord &r : configs)
        out.append(r.config.toJson());
    return Response::json(out);
}

Response projectQuotas(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const ProjectAccess p = access.project(req.param(QStringLiteral("pid")));
    return Response::json(api::toJsonArray(VmRepo(access.db()).projectQuotas(p.project.id)));
}

Response configLocks(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const ProjectAccess p = access.project(req.param(QStringLiteral("pid")));
    const QStringList statuses = lockStatuses(req);
    VmRepo vms(access.db());
    const qint64 configId = req.intParam(QStringLiteral("id"));
    if (!vms.config(configId))
        throw ApiError::notFound(QStringLiteral("No such VM config."));
    return Response::json(api::toJsonArray(vms.locks(p.project.id, configId, statuses)));
}

Response projectLocks(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const ProjectAccess p = access.project(req.param(QStringLiteral("pid")));
    const QStringList statuses = lockStatuses(req);
    return Response::json(
        api::toJsonArray(VmRepo(access.db()).locks(p.project.id, std::nullopt, statuses)));
}

Response groupQuotas(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const OrgAccess org = access.org(req.param(QStringLiteral("gid")));
    return Response::json(api::toJsonArray(VmRepo(access.db()).groupQuotas(org.org.id)));
}

Response addGroupQuota(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const OrgAccess org = access.org(req.param(QStringLiteral("gid")), OrgRole::Owner);
    BodyReader body(req.jsonObject());
    const QString code = body.string(QStringLiteral("vm_config_type_code"), 64);
    const QString projectId = body.string(QStringLiteral("project_id"), 64).toLower();
    const int quota = int(body.integer(QStringLiteral("quota"), 0, kMaxQuota));
    body.finish({QStringLiteral("vm_config_type_code"), QStringLiteral("project_id"),
                 QStringLiteral("quota")});
    VmRepo vms(access.db());
    const auto config = vms.configByCode(code);
    if (!config)
        throw ApiError::badRequest(
            QStringLiteral("No VM type has the code '%1'.").arg(code.left(64)),
            {{QStringLiteral("vm_config_type_code"), QStringLiteral("is not a VM code")}});
    const auto project = ProjectRepo(access.db()).get(projectId);
    if (!project || project->pfGroupId != org.org.id)
        throw ApiError::badRequest(QStringLiteral("The organization has no such project."),
                                   {{QStringLiteral("project_id"),
                                     QStringLiteral("is not a project of the organization")}});
    try {
        return Response::json(
            vms.addGroupQuota(org.org.id, project->id, config->config.id, quota).toJson(), 201);
    } catch (const UniqueViolation &) {
        throw ApiError::conflict(
            QStringLiteral("The project already has a quota for %1; change that one.").arg(code));
    }
}

Response setGroupQuota(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const OrgAccess org = access.org(req.param(QStringLiteral("gid")), OrgRole::Owner);
    BodyReader body(req.jsonObject());
    const int quota = int(body.integer(QStringLiteral("quota"), 0, kMaxQuota));
    body.finish({QStringLiteral("quota")});
    VmRepo vms(access.db());
    const qint64 id = req.intParam(QStringLiteral("id"));
    if (!vms.groupQuota(org.org.id, id))
        throw ApiError::notFound(QStringLiteral("No such quota."));
    vms.setGroupQuota(id, quota);
    return Response::json(vms.groupQuota(org.org.id, id)->toJson());
}

Response removeGroupQuota(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const OrgAccess org = access.org(req.param(QStringLiteral("gid")), OrgRole::Owner);
    VmRepo vms(access.db());
    const qint64 id = req.intParam(QStringLiteral("id"));
    if (!vms.groupQuota(org.org.id, id))
        throw ApiError::notFound(QStringLiteral("No such quota."));
    vms.removeGroupQuota(id);
    return Response::noContent();
}

} // namespace

void addVmRoutes(Router &router, ServerContext &ctx)
{
    const auto bind = [&ctx](ContextHandler fn) { return bindRoute(ctx, fn); };
    router.add(http_verb::get, "/api/group/{gid:uuid}/vm_config/", bind(listConfigs));
    router.add(http_verb::get, "/api/project/{pid:uuid}/vm_quota/", bind(projectQuotas));
    router.add(http_verb::get, "/api/project/{pid:uuid}/vm_config/{id:int}/vm_lock/",
               bind(configLocks));
    router.add(http_verb::get, "/api/project/{pid:uuid}/vm_lock/", bind(projectLocks));
    router.add(http_verb::get, "/api/group/{gid:uuid}/vm_quota/", bind(groupQuotas));
    router.add(http_verb::post, "/api/group/{gid:uuid}/vm_quota/", bind(addGroupQuota));
    router.add(http_verb::patch, "/api/group/{gid:uuid}/vm_quota/{id:int}/", bind(setGroupQuota));
    router.add(http_verb::delete_, "/api/group/{gid:uuid}/vm_quota/{id:int}/",
               bind(removeGroupQuota));
}

} // namespace pf::server
