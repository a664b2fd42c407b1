// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "projectrepo.h"

#include "server/store/database.h"

namespace pf::server {

ProjectRepo::ProjectRepo(QSqlDatabase db)
    : m_db(std::move(db))
{}

api::Project ProjectRepo::create(const QString &orgId, const QString &name)
{
    const api::Project p{newUuid(), name, orgId};
    runSql(
        m_db,
        QStringLiteral("INSERT INTO projects (id, org_id, name, created_at) VALUES (?, ?, ?, ?)"),
        {p.id, orgId, name, nowMs()});
    return p;
}

std::optional<api::Project> ProjectRepo::get(const QString &projectId)
{
    QSqlQuery q = runSql(m_db, QStringLiteral("SELECT id, name, org_id FROM projects WHERE id = ?"),
                         {projectId});
    if (!q.next())
        return std::nullopt;
    return api::Project{q.value(0).toString(), q.value(1).toString(), q.value(2).toString()};
}

void ProjectRepo::remove(const QString &projectId)
{
    runSql(m_db, QStringLiteral("DELETE FROM projects WHERE id = ?"), {projectId});
}

api::Page<api::Project> ProjectRepo::list(const QString &orgId, const QString &memberId,
                                          const PageRequest &page)
{
    QString sql = QStringLiteral("SELECT p.seq, p.id, p.name, p.org_id FROM projects p ");
    QVariantList binds;
    if (!memberId.isEmpty()) {
        sql += QStringLiteral("JOIN project_members m ON m.project_id = p.id AND m.user_id = ? ");
        binds << memberId;
    }
    sql += QStringLiteral("WHERE p.org_id = ? AND p.seq > ? ORDER BY p.seq LIMIT ?");
    binds << orgId << page.after << page.limit + 1;
    QSqlQuery q = runSql(m_db, sql, binds);
    return readPage<api::Project>(q, page, [](const QSqlQuery &r) {
        return api::Project{r.value(1).toString(), r.value(2).toString(), r.value(3).toString()};
    });
}

std::optional<api::ProjectRole> ProjectRepo::role(const QString &projectId, const QString &userId)
{
    QSqlQuery q = runSql(
        m_db,
        QStringLiteral("SELECT role FROM project_members WHERE project_id = ? AND user_id = ?"),
        {projectId, userId});
    if (!q.next())
        return std::nullopt;
    return api::projectRoleFromString(q.value(0).toString());
}

api::Page<api::ProjectMember> ProjectRepo::members(const QString &projectId,
                                                   const PageRequest &page)
{
    QSqlQuery q =
        runSql(m_db,
               QStringLiteral("SELECT m.seq, u.id, u.username, u.name, u.email, m.role "
                              "FROM project_members m JOIN users u ON u.id = m.user_id "
                              "WHERE m.project_id = ? AND m.seq > ? ORDER BY m.seq LIMIT ?"),
               {projectId, page.after, page.limit + 1});
    return readPage<api::ProjectMember>(q, page, [](const QSqlQuery &r) {
        return api::ProjectMember{
            r.value(1).toString(), r.value(2).toString(), r.value(3).toString(),
            r.value(4).toString(),
            api::projectRoleFromString(r.value(5).toString()).value_or(api::ProjectRole::Guest)};
    });
}

void ProjectRepo::addMember(const QString &projectId, const QString &userId, api::ProjectRole role)
{
    runSql(m_db,
           QStringLiteral("INSERT INTO project_members (project_id, user_id, role, created_at) "
                          "VALUES (?, ?, ?, ?)"),
           {projectId, userId, api::toString(role), nowMs()});
}

void ProjectRepo::setRole(const QString &projectId, const QString &userId, api::ProjectRole role)
{
    runSql(
        m_db,
        QStringLiteral("UPDATE project_members SET role = ? WHERE project_id = ? AND user_id = ?"),
        {api::toString(role), projectId, userId});
}

void ProjectRepo::removeMember(const QString &projectId, const QString &userId)
{
    runSql(m_db, QStringLiteral("DELETE FROM project_members WHERE project_id = ? AND user_id = ?"),
           {projectId, userId});
}

} // namespace pf::server
