// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <optional>

#include <QSqlDatabase>

#include "api/credential.h"

namespace pf::server {

struct CredentialRecord
{
    api::Credential credential; // without value
    QString projectId;
    QString ownerId;
    QByteArray sealedValue; // SecretBox output
};

// Project credentials. Values arrive and leave sealed; this layer never sees
// a secret in the clear.
class CredentialRepo
{
public:
    explicit CredentialRepo(QSqlDatabase db);

    api::Credential create(const QString &projectId, const QString &ownerId, const QString &name,
                           const QString &type, int typeVersion, const QByteArray &sealedValue);
    // Oldest first; `type` empty for every type.
    QList<api::Credential> list(const QString &projectId, const QString &type);
    std::optional<CredentialRecord> get(const QString &id);
    void update(const QString &id, const QString &name, int typeVersion,
                const QByteArray &sealedValue);
    void remove(const QString &id);

private:
    QSqlDatabase m_db;
};

} // namespace pf::server
