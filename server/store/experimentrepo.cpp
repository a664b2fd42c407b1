// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "experimentrepo.h"

#include <QJsonObject>

#include "api/json.h"
#include "server/store/database.h"

namespace pf::server {

ExperimentRepo::ExperimentRepo(QSqlDatabase db)
    : m_db(std::move(db))
{}

api::Experiment ExperimentRepo::create(const QString &projectId, const QString &name,
                                       const QString &userId)
{
    runSql(m_db,
           QStringLiteral("INSERT INTO experiments (project_id, name, created_by, created_at) "
                          "VALUES (?, ?, ?, ?)"),
           {projectId, name, userId, nowMs()});
    QSqlQuery q =
        runSql(m_db, QStringLiteral("SELECT id FROM experiments WHERE project_id = ? AND name = ?"),
               {projectId, name});
    q.next();
    return {q.value(0).toLongLong(), name};
}

QList<api::Experiment> ExperimentRepo::list(const QString &projectId)
{
    QSqlQuery q = runSql(
        m_db, QStringLiteral("SELECT id, name FROM experiments WHERE project_id = ? ORDER BY id"),
        {projectId});
    QList<api::Experiment> out;
    while (q.next())
        out.append({q.value(0).toLongLong(), q.value(1).toString()});
    return out;
}

std::optional<ExperimentRecord> ExperimentRepo::get(qint64 id)
{
    QSqlQuery q = runSql(
        m_db,
        QStringLiteral("SELECT id, name, project_id, created_by FROM experiments WHERE id = ?"),
        {id});
    if (!q.next())
        return std::nullopt;
    return ExperimentRecord{{q.value(0).toLongLong(), q.value(1).toString()},
                            q.value(2).toString(),
                            q.value(3).toString()};
}

void ExperimentRepo::rename(qint64 id, const QString &name)
{
    runSql(m_db, QStringLiteral("UPDATE experiments SET name = ? WHERE id = ?"), {name, id});
}

void ExperimentRepo::remove(qint64 id)
{
    runSql(m_db, QStringLiteral("DELETE FROM jobs WHERE experiment_id = ?"), {id});
    runSql(m_db, QStringLiteral("DELETE FROM experiments WHERE id = ?"), {id});
}

api::Page<QJsonObject> ExperimentRepo::jobs(qint64 id, const PageRequest &page)
{
    // Newest first, so the keyset runs downwards from the cursor.
    QSqlQuery q =
        runSql(m_db,
               QStringLiteral("SELECT seq, id, number, name, status, created_at FROM jobs "
                              "WHERE experiment_id = ? AND (? = 0 OR seq < ?) "
                              "ORDER BY seq DESC LIMIT ?"),
               {id, page.after, page.after, page.limit + 1});
    return readPage<QJsonObject>(q, page, [](const QSqlQuery &r) {
        return QJsonObject{
            {QStringLiteral("id"), r.value(1).toString()},
            {QStringLiteral("number"), r.value(2).toLongLong()},
            {QStringLiteral("name"), r.value(3).toString()},
            {QStringLiteral("status"), r.value(4).toString()},
            {QStringLiteral("created_at"), api::timeToJson(fromStoreTime(r.value(5)))}};
    });
}

} // namespace pf::server
