// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <vector>

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include "api/apierror.h"
#include "api/jsonschemavalidator.h"

namespace pf::api {

// The credential types the API knows ("docker", "aws", "azure.blob", "gcp",
// "wandb", "slack"), each with the JSON Schemas of its versions. The schemas
// are compiled in from resources/schemas/credentials/<type>.json (version 1).
//
// The server checks a credential's `value` with validate() and answers
// GET /api/credential_type/ with toJson(); the studio builds its credential
// form from schema() (each property has a "title" and a "description").
//
// Threads: instance() builds the table once on first use (thread-safe); the
// table never changes afterwards, so every const member may run on any thread.
// A missing or broken schema resource is a build defect and ends the program.
class CredentialTypes
{
public:
    static const CredentialTypes &instance();

    CredentialTypes(const CredentialTypes &) = delete;
    CredentialTypes &operator=(const CredentialTypes &) = delete;

    // In a fixed order: docker, aws, azure.blob, gcp, wandb, slack.
    QStringList typeNames() const;
    bool contains(const QString &type, int version) const;
    // The schema of a type's version; an empty object when there is none.
    QJsonObject schema(const QString &type, int version) const;

    // Problems of `value` as a credential of `type` version `version`, paths
    // prefixed "value." ("value.username" / "is required"); empty when valid.
    // An unknown type gives one error at "type", an unknown version of a known
    // type one at "type_version".
    QList<FieldError> validate(const QString &type, int version, const QJsonObject &value) const;

    // The body of GET /api/credential_type/:
    // [{"type_name": "docker", "versions": [{"type_version": 1, "schema": {...}}]}, ...]
    QJsonArray toJson() const;

private:
    CredentialTypes();

    struct Version
    {
        int number;
        JsonSchemaValidator validator;
    };
    struct Type
    {
        QString name;
        std::vector<Version> versions; // ascending
    };

    const Type *findType(const QString &type) const;
    const Version *find(const QString &type, int version) const;

    std::vector<Type> m_types;
};

} // namespace pf::api
