// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <optional>

#include <QSqlDatabase>

#include "api/page.h"
#include "api/project.h"
#include "api/roles.h"
#include "server/store/pagination.h"

namespace pf::server {

// Projects ("pf_project") and their members.
class ProjectRepo
{
public:
    explicit ProjectRepo(QSqlDatabase db);

    // Throws UniqueViolation when the org already has a project of that name.
    api::Project create(const QString &orgId, const QString &name);
    std::optional<api::Project> get(const QString &projectId);
    void remove(const QString &projectId);
    // Every project of the org, or (when `memberId` is set) those the user
    // is a member of.
    api::Page<api::Project> list(const QString &orgId, const QString &memberId,
                                 const PageRequest &page);
    std::optional<api::ProjectRole> role(const QString &projectId, const QString &userId);
    api::Page<api::ProjectMember> members(const QString &projectId, const PageRequest &page);
    void addMember(const QString &projectId, const QString &userId, api::ProjectRole role);
    void setRole(const QString &projectId, const QString &userId, api::ProjectRole role);
    void removeMember(const QString &projectId, const QString &userId);

private:
    QSqlDatabase m_db;
};

} // namespace pf::server
