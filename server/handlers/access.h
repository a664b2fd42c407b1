// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QSqlDatabase>

#include "api/org.h"
#include "api/project.h"
#include "api/roles.h"
#include "server/auth/authservice.h"
#include "server/handlers/servercontext.h"

namespace pf::server {

struct OrgAccess
{
    api::Org org;
    api::OrgRole role = api::OrgRole::Member;
};

struct ProjectAccess
{
    api::Project project;
    api::ProjectRole role = api::ProjectRole::Guest; // an org owner counts as admin
};

// The server's role checks, in one place. A resource in an org the caller is
// not in is "not found" (404), never "forbidden", so ids cannot be probed;
// a role too low for the action is 403.
class Access
{
public:
    Access(QSqlDatabase db, Caller caller);
    // Authenticates the request and opens this thread's connection.
    static Access of(ServerContext &ctx, Request &request);
    QSqlDatabase &db() { return m_db; }

    const Caller &caller() const { return m_caller; }

    OrgAccess org(const QString &orgId, api::OrgRole minimum = api::OrgRole::Member);
    ProjectAccess project(const QString &projectId,
                          api::ProjectRole minimum = api::ProjectRole::Guest);
    // An item of a project (a dataset, a checkpoint) made by `ownerId`
    // (empty: by the system, e.g. a job): `minimum` in the project to reach
    // it, and when `minimum` is develop or more, maintain to change another
    // member's item. An outsider gets "No such <what>." (404).
    ProjectAccess projectItem(const QString &projectId, api::ProjectRole minimum,
                              const QString &ownerId, const QString &what);
    // Only the caller may act on their own user record.
    void self(const QString &userId, const QString &what) const;

private:
    QSqlDatabase m_db;
    Caller m_caller;
};

} // namespace pf::server
