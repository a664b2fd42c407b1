// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QJsonObject>
#include <QString>

#include "api/roles.h"

namespace pf::api {

// A project ("pf_project"): {"id", "name", "pf_group_id"}.
struct Project
{
    QString id; // UUID
    QString name;
    QString pfGroupId; // UUID of the org

    static Project fromJson(const QJsonObject &o);
    QJsonObject toJson() const;

    friend bool operator==(const Project &, const Project &) = default;
};

// One entry of GET /auth/pf_project/{pid}/pf_user:
// {"id", "username", "name", "email", "access_level"}.
// A missing or unknown access_level reads as Guest (the lowest role).
struct ProjectMember
{
    QString id; // UUID of the user
    QString username;
    QString name;
    QString email;
    ProjectRole accessLevel = ProjectRole::Guest;

    static ProjectMember fromJson(const QJsonObject &o);
    QJsonObject toJson() const;

    friend bool operator==(const ProjectMember &, const ProjectMember &) = default;
};

// GET /auth/pf_user/{uid}/pf_project/{pid}: {"user_id", "pf_project_id", "access_level"}.
// A missing or unknown access_level reads as Guest.
struct ProjectMembership
{
    QString userId;    // UUID
    QString projectId; // UUID
    ProjectRole accessLevel = ProjectRole::Guest;

    static ProjectMembership fromJson(const QJsonObject &o);
    QJsonObject toJson() const;

    friend bool operator==(const ProjectMembership &, const ProjectMembership &) = default;
};

} // namespace pf::api
