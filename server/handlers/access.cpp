// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "access.h"

#include "api/apierror.h"
#include "server/store/database.h"
#include "server/store/orgrepo.h"
#include "server/store/projectrepo.h"

namespace pf::server {

using api::ApiError;

Access::Access(QSqlDatabase db, Caller caller)
    : m_db(std::move(db))
    , m_caller(std::move(caller))
{}

Access Access::of(ServerContext &ctx, Request &request)
{
    Caller caller = ctx.auth.authenticate(request);
    return Access(ctx.db.connection(), std::move(caller));
}

OrgAccess Access::org(const QString &orgId, api::OrgRole minimum)
{
    OrgRepo orgs(m_db);
    const auto role = orgs.role(orgId, m_caller.userId);
    const auto org = role ? orgs.get(orgId) : std::nullopt;
    if (!org)
        throw ApiError::notFound(QStringLiteral("No such organization."));
    if (*role < minimum)
        throw ApiError::forbidden(QStringLiteral("Only an owner of the organization can do this."));
    return {*org, *role};
}

ProjectAccess Access::project(const QString &projectId, api::ProjectRole minimum)
{
    const auto project = ProjectRepo(m_db).get(projectId);
    if (!project)
        throw ApiError::notFound(QStringLiteral("No such project."));
    std::optional<api::ProjectRole> role;
    if (OrgRepo(m_db).role(project->pfGroupId, m_caller.userId) == api::OrgRole::Owner)
        role = api::ProjectRole::Admin;
    else
        role = ProjectRepo(m_db).role(projectId, m_caller.userId);
    if (!role)
        throw ApiError::notFound(QStringLiteral("No such project."));
    if (*role < minimum)
        throw ApiError::forbidden(
            QStringLiteral("This needs the %1 role in the project; you have %2.")
                .arg(api::toString(minimum), api::toString(*role)));
    return {*project, *role};
}

ProjectAccess Access::projectItem(const QString &projectId, api::ProjectRole minimum,
                                  const QString &ownerId, const QString &what)
{
    ProjectAccess p;
    try {
        p = project(projectId, minimum);
    } catch (const ApiError &e) {
        if (e.status() == 404)
            throw ApiError::notFound(QStringLiteral("No such %1.").arg(what));
        throw;
    }
    if (minimum >= api::ProjectRole::Develop && ownerId != m_caller.userId &&
        p.role < api::ProjectRole::Maintain)
        throw ApiError::forbidden(
            QStringLiteral("Changing a %1 you did not make needs the maintain role.").arg(what));
    return p;
}

void Access::self(const QString &userId, const QString &what) const
{
    if (userId != m_caller.userId)
        throw ApiError::forbidden(QStringLiteral("You can only %1 for yourself.").arg(what));
}

} // namespace pf::server
