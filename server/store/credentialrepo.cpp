// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "credentialrepo.h"

#include "server/store/database.h"
#include "server/store/pagination.h"

namespace pf::server {

namespace {
const QString kOwnerType = QStringLiteral("user");
}

CredentialRepo::CredentialRepo(QSqlDatabase db)
    : m_db(std::move(db))
{}

api::Credential CredentialRepo::create(const QString &projectId, const QString &ownerId,
                                       const QString &name, const QString &type, int typeVersion,
                                       const QByteArray &sealedValue)
{
    const qint64 now = nowMs();
    api::Credential c{newUuid(),          name,       type,        typeVersion,
                      fromStoreTime(now), kOwnerType, std::nullopt};
    runSql(m_db,
           QStringLiteral(
               "INSERT INTO credentials (id, project_id, owner_id, name, type, type_version, "
               "sealed_value, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
           {c.id, projectId, ownerId, name, type, typeVersion,
            QString::fromLatin1(sealedValue.toBase64()), now, now});
    return c;
}

QList<api::Credential> CredentialRepo::list(const QString &projectId, const QString &type)
{
    QString sql = QStringLiteral("SELECT id, name, type, type_version, created_at FROM credentials "
                                 "WHERE project_id = ?");
    QVariantList binds{projectId};
    if (!type.isEmpty()) {
        sql += QStringLiteral(" AND type = ?");
        binds << type;
    }
    sql += QStringLiteral(" ORDER BY seq");
    QSqlQuery q = runSql(m_db, sql, binds);
    QList<api::Credential> out;
    while (q.next())
        out.append({q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                    q.value(3).toInt(), fromStoreTime(q.value(4)), kOwnerType, std::nullopt});
    return out;
}

std::optional<CredentialRecord> CredentialRepo::get(const QString &id)
{
    QSqlQuery q =
        runSql(m_db,
               QStringLiteral("SELECT id, name, type, type_version, created_at, project_id, "
                              "owner_id, sealed_value FROM credentials WHERE id = ?"),
               {id});
    if (!q.next())
        return std::nullopt;
    return CredentialRecord{{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                             q.value(3).toInt(), fromStoreTime(q.value(4)), kOwnerType,
                             std::nullopt},
                            q.value(5).toString(),
                            q.value(6).toString(),
                            QByteArray::fromBase64(q.value(7).toString().toLatin1())};
}

void CredentialRepo::update(const QString &id, const QString &name, int typeVersion,
                            const QByteArray &sealedValue)
{
    runSql(m_db,
           QStringLiteral("UPDATE credentials SET name = ?, type_version = ?, sealed_value = ?, "
                          "updated_at = ? WHERE id = ?"),
           {name, typeVersion, QString::fromLatin1(sealedValue.toBase64()), nowMs(), id});
}

void CredentialRepo::remove(const QString &id)
{
    runSql(m_db, QStringLiteral("DELETE FROM credentials WHERE id = ?"), {id});
}

} // namespace pf::server
