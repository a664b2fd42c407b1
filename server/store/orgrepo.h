// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <optional>

#include <QSqlDatabase>

#include "api/org.h"
#include "api/page.h"
#include "api/roles.h"
#include "server/store/pagination.h"

namespace pf::server {

struct OrgInvite
{
    QString orgId;
    QString email;
    qint64 expiresAtMs = 0;
};

// Organizations ("pf_group"), their members and invitations.
class OrgRepo
{
public:
    explicit OrgRepo(QSqlDatabase db);

    // Creates the org with `ownerId` as its owner. Throws UniqueViolation
    // when the name is taken.
    api::Org create(const QString &name, const QString &ownerId);
    std::optional<api::Org> get(const QString &orgId);
    // Deletes the org with its projects and everything in them.
    void remove(const QString &orgId);
    std::optional<api::OrgRole> role(const QString &orgId, const QString &userId);
    QList<api::UserOrg> forUser(const QString &userId);
    // Members ordered by joining; `search` matches username, name or e-mail.
    api::Page<api::OrgMember> members(const QString &orgId, const QString &search,
                                      const PageRequest &page);
    void addMember(const QString &orgId, const QString &userId, api::OrgRole role);
    void setRole(const QString &orgId, const QString &userId, api::OrgRole role);
    // Also removes the user from every project of the org.
    void removeMember(const QString &orgId, const QString &userId);
    int ownerCount(const QString &orgId);

    void addInvite(const QString &emailToken, const QByteArray &keyHash, const QString &orgId,
                   const QString &email, const QString &inviterId, qint64 expiresAtMs);
    // Consumes a matching invite and returns it (expired ones included, so
    // the caller can say why it failed).
    std::optional<OrgInvite> takeInvite(const QString &emailToken, const QByteArray &keyHash);

private:
    QSqlDatabase m_db;
};

} // namespace pf::server
