// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <array>
#include <optional>

#include <QString>

namespace pf::api {

// Role of a user in an organization ("privilege_level"). Declared lowest
// privilege first, so `role >= OrgRole::Owner` reads as "at least owner".
enum class OrgRole { Member, Owner };

// Role of a user in a project ("access_level"), lowest privilege first, so
// `role >= ProjectRole::Develop` reads as "may run jobs". An org owner acts as
// Admin in every project of the org (the server applies that rule).
enum class ProjectRole { Guest, Develop, Maintain, Admin };

inline constexpr std::array<OrgRole, 2> allOrgRoles{OrgRole::Member, OrgRole::Owner};
inline constexpr std::array<ProjectRole, 4> allProjectRoles{
    ProjectRole::Guest, ProjectRole::Develop, ProjectRole::Maintain, ProjectRole::Admin};

// The API strings: "member", "owner"; "guest", "develop", "maintain", "admin".
QString toString(OrgRole role);
QString toString(ProjectRole role);

// Exact (case-sensitive) inverse of toString(); anything else gives nullopt.
std::optional<OrgRole> orgRoleFromString(const QString &s);
std::optional<ProjectRole> projectRoleFromString(const QString &s);

} // namespace pf::api
