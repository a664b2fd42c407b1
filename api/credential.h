// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <optional>

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace pf::api {

// A project credential: {"id", "name", "type", "type_version", "created_at",
// "owner_type", "value"?}. `type` is a credential type name ("docker", "aws",
// "azure.blob", "gcp", "wandb", "slack"). Lists leave the secret out: `value`
// is nullopt then, and toJson() writes the "value" key only when it is set.
// A "value" that is not a JSON object (including null) reads as nullopt.
struct Credential
{
    QString id; // UUID
    QString name;
    QString type;
    int typeVersion = 0;
    QDateTime createdAt;
    QString ownerType; // e.g. "user"
    std::optional<QJsonObject> value;

    static Credential fromJson(const QJsonObject &o);
    QJsonObject toJson() const;

    friend bool operator==(const Credential &, const Credential &) = default;
};

// One version of a credential type: {"type_version", "schema"}, `schema` a
// JSON Schema (draft 7) for the credential's value.
struct CredentialTypeVersion
{
    int typeVersion = 0;
    QJsonObject schema;

    static CredentialTypeVersion fromJson(const QJsonObject &o);
    QJsonObject toJson() const;

    friend bool operator==(const CredentialTypeVersion &, const CredentialTypeVersion &) = default;
};

// One entry of GET /api/credential_type/: {"type_name", "versions": [...]}.
struct CredentialType
{
    QString typeName;
    QList<CredentialTypeVersion> versions;

    static CredentialType fromJson(const QJsonObject &o);
    QJsonObject toJson() const;

    friend bool operator==(const CredentialType &, const CredentialType &) = default;
};

} // namespace pf::api
