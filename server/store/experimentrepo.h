// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <optional>

#include <QJsonObject>
#include <QSqlDatabase>

#include "api/experiment.h"
#include "server/store/pagination.h"

namespace pf::server {

struct ExperimentRecord
{
    api::Experiment experiment;
    QString projectId;
    QString createdBy;
};

// Experiments: named tags that group a project's jobs.
class ExperimentRepo
{
public:
    explicit ExperimentRepo(QSqlDatabase db);

    // Throws UniqueViolation when the project already has the name.
    api::Experiment create(const QString &projectId, const QString &name, const QString &userId);
    QList<api::Experiment> list(const QString &projectId);
    std::optional<ExperimentRecord> get(qint64 id);
    void rename(qint64 id, const QString &name);
    // Deletes the experiment and its jobs.
    void remove(qint64 id);
    // The experiment's jobs, newest first: {id, number, name, status,
    // created_at}.
    api::Page<QJsonObject> jobs(qint64 id, const PageRequest &page);

private:
    QSqlDatabase m_db;
};

} // namespace pf::server
