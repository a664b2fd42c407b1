// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "orgrepo.h"

#include "server/store/database.h"

namespace pf::server {

OrgRepo::OrgRepo(QSqlDatabase db)
    : m_db(std::move(db))
{}

api::Org OrgRepo::create(const QString &name, const QString &ownerId)
{
    const api::Org org{newUuid(), name, QStringLiteral("active")};
    runSql(m_db,
           QStringLiteral("INSERT INTO orgs (id, name, status, created_at) VALUES (?, ?, ?, ?)"),
           {org.id, org.name, org.status, nowMs()});
    addMember(org.id, ownerId, api::OrgRole::Owner);
    return org;
}

std::optional<api::Org> OrgRepo::get(const QString &orgId)
{
    QSqlQuery q =
        runSql(m_db, QStringLiteral("SELECT id, name, status FROM orgs WHERE id = ?"), {orgId});
    if (!q.next())
        return std::nullopt;
    return api::Org{q.value(0).toString(), q.value(1).toString(), q.value(2).toString()};
}

void OrgRepo::remove(const QString &orgId)
{
    runSql(m_db, QStringLiteral("DELETE FROM orgs WHERE id = ?"), {orgId});
}

std::optional<api::OrgRole> OrgRepo::role(const QString &orgId, const QString &userId)
{
    QSqlQuery q = runSql(
        m_db, QStringLiteral("SELECT role FROM org_members WHERE org_id = ? AND user_id = ?"),
        {orgId, userId});
    if (!q.next())
        return std::nullopt;
    return api::orgRoleFromString(q.value(0).toString());
}

QList<api::UserOrg> OrgRepo::forUser(const QString &userId)
{
    QSqlQuery q = runSql(m_db,
                         QStringLiteral("SELECT o.id, o.name, m.role FROM org_members m "
                                        "JOIN orgs o ON o.id = m.org_id WHERE m.user_id = ? "
                                        "ORDER BY o.name"),
                         {userId});
    QList<api::UserOrg> out;
    while (q.next())
        out.append({q.value(0).toString(), q.value(1).toString(),
                    api::orgRoleFromString(q.value(2).toString()).value_or(api::OrgRole::Member)});
    return out;
}

api::Page<api::OrgMember> OrgRepo::members(const QString &orgId, const QString &search,
                                           const PageRequest &page)
{
    QString sql = QStringLiteral("SELECT m.seq, u.id, u.username, u.name, u.email, m.role "
                                 "FROM org_members m JOIN users u ON u.id = m.user_id "
                                 "WHERE m.org_id = ? AND m.seq > ?");
    QVariantList binds{orgId, page.after};
    if (!search.isEmpty()) {
        // Matched in C++-escaped LIKE so '%' and '_' in the search are literal.
        QString pattern = search.toLower();
        pattern.replace(u'\\', QStringLiteral("\\\\"))
            .replace(u'%', QStringLiteral("\\%"))
            .replace(u'_', QStringLiteral("\\_"));
        pattern = u'%' + pattern + u'%';
        sql += QStringLiteral(" AND (LOWER(u.username) LIKE ? ESCAPE '\\' OR LOWER(u.name) LIKE ? "
                              "ESCAPE '\\' OR u.email LIKE ? ESCAPE '\\')");
        binds << pattern << pattern << pattern;
    }
    sql += QStringLiteral(" ORDER BY m.seq LIMIT ?");
    binds << page.limit + 1;
    QSqlQuery q = runSql(m_db, sql, binds);
    return readPage<api::OrgMember>(q, page, [](const QSqlQuery &r) {
        return api::OrgMember{
            r.value(1).toString(), r.value(2).toString(), r.value(3).toString(),
            r.value(4).toString(),
            api::orgRoleFromString(r.value(5).toString()).value_or(api::OrgRole::Member)};
    });
}

void OrgRepo::addMember(const QString &orgId, const QString &userId, api::OrgRole role)
{
    runSql(m_db,
           QStringLiteral(
               "INSERT INTO org_members (org_id, user_id, role, created_at) VALUES (?, ?, ?, ?)"),
           {orgId, userId, api::toString(role), nowMs()});
}

void OrgRepo::setRole(const QString &orgId, const QString &userId, api::OrgRole role)
{
    runSql(m_db, QStringLiteral("UPDATE org_members SET role = ? WHERE org_id = ? AND user_id = ?"),
           {api::toString(role), orgId, userId});
}

void OrgRepo::removeMember(const QString &orgId, const QString &userId)
{
    runSql(m_db,
           QStringLiteral("DELETE FROM project_members WHERE user_id = ? AND project_id IN "
                          "(SELECT id FROM projects WHERE org_id = ?)"),
           {userId, orgId});
    runSql(m_db, QStringLiteral("DELETE FROM org_members WHERE org_id = ? AND user_id = ?"),
           {orgId, userId});
}

int OrgRepo::ownerCount(const QString &orgId)
{
    QSqlQuery q = runSql(
        m_db, QStringLiteral("SELECT COUNT(*) FROM org_members WHERE org_id = ? AND role = ?"),
        {orgId, api::toString(api::OrgRole::Owner)});
    return q.next() ? q.value(0).toInt() : 0;
}

void OrgRepo::addInvite(const QString &emailToken, const QByteArray &keyHash, const QString &orgId,
                        const QString &email, const QString &inviterId, qint64 expiresAtMs)
{
    runSql(
        m_db,
        QStringLiteral("INSERT INTO org_invites (email_token, key_hash, org_id, email, inviter_id, "
                       "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)"),
        {emailToken, QString::fromLatin1(keyHash), orgId, email.toLower(), inviterId, nowMs(),
         expiresAtMs});
}

std::optional<OrgInvite> OrgRepo::takeInvite(const QString &emailToken, const QByteArray &keyHash)
{
    QSqlQuery q = runSql(m_db,
                         QStringLiteral("SELECT org_id, email, expires_at FROM org_invites "
                                        "WHERE email_token = ? AND key_hash = ?"),
                         {emailToken, QString::fromLatin1(keyHash)});
    if (!q.next())
        return std::nullopt;
    OrgInvite invite{q.value(0).toString(), q.value(1).toString(), q.value(2).toLongLong()};
    // Whoever deletes the row owns the invite (see UserRepo::takeSignupCode).
    QSqlQuery deleted =
        runSql(m_db, QStringLiteral("DELETE FROM org_invites WHERE email_token = ?"), {emailToken});
    if (deleted.numRowsAffected() != 1)
        return std::nullopt;
    return invite;
}

} // namespace pf::server
