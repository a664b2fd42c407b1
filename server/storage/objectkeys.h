// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QString>

namespace pf::server {

// Where things live in the object store. Every key of a project starts with
// its prefix, so that a project's usage (its quota) is one prefix.
inline QString projectObjects(const QString &projectId)
{
    return QStringLiteral("projects/") + projectId;
}

// A dataset's files: "<project prefix>/datasets/<id>/<path>".
inline QString datasetObjects(const QString &projectId, qint64 datasetId)
{
    return projectObjects(projectId) + QStringLiteral("/datasets/") + QString::number(datasetId);
}

// A checkpoint form's files: "<project prefix>/forms/<form id>/<path>".
inline QString formObjects(const QString &projectId, const QString &formId)
{
    return projectObjects(projectId) + QStringLiteral("/forms/") + formId;
}

} // namespace pf::server
