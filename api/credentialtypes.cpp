// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "credentialtypes.h"

#include <algorithm>
#include <optional>

#include <QFile>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QtGlobal>

#include "api/resources.h"

namespace pf::api {
namespace {

struct SchemaFile
{
    const char *type;
    int version;
    const char *resource;
};

// The order of GET /api/credential_type/ and of typeNames(). A new version of a
// type adds a row here and a file next to the others, e.g. "aws.v2.json".
constexpr SchemaFile kSchemaFiles[] = {
    {"docker", 1, ":/schemas/credentials/docker.json"},
    {"aws", 1, ":/schemas/credentials/aws.json"},
    {"azure.blob", 1, ":/schemas/credentials/azure.blob.json"},
    {"gcp", 1, ":/schemas/credentials/gcp.json"},
    {"wandb", 1, ":/schemas/credentials/wandb.json"},
    {"slack", 1, ":/schemas/credentials/slack.json"},
};

JsonSchemaValidator loadSchema(const char *resource)
{
    QFile file(QString::fromLatin1(resource));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("Credential schema %s is missing from the resources: %s", resource,
               qPrintable(file.errorString()));
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!document.isObject())
        qFatal("Credential schema %s is not a JSON object: %s", resource,
               qPrintable(parseError.errorString()));
    QString error;
    std::optional<JsonSchemaValidator> validator =
        JsonSchemaValidator::fromSchema(document.object(), &error);
    if (!validator)
        qFatal("Credential schema %s is not a valid JSON Schema: %s", resource, qPrintable(error));
    return std::move(*validator);
}

} // namespace

const CredentialTypes &CredentialTypes::instance()
{
    static const CredentialTypes types;
    return types;
}

CredentialTypes::CredentialTypes()
{
    initResources();
    for (const SchemaFile &file : kSchemaFiles) {
        const QString name = QString::fromLatin1(file.type);
        auto type = std::find_if(m_types.begin(), m_types.end(),
                                 [&name](const Type &t) { return t.name == name; });
        if (type == m_types.end())
            type = m_types.insert(m_types.end(), Type{name, {}});
        type->versions.push_back(Version{file.version, loadSchema(file.resource)});
    }
    for (Type &type : m_types)
        std::sort(type.versions.begin(), type.versions.end(),
                  [](const Version &a, const Version &b) { return a.number < b.number; });
}

const CredentialTypes::Type *CredentialTypes::findType(const QString &type) const
{
    for (const Type &t : m_types) {
        if (t.name == type)
            return &t;
    }
    return nullptr;
}

const CredentialTypes::Version *CredentialTypes::find(const QString &type, int version) const
{
    const Type *t = findType(type);
    if (!t)
        return nullptr;
    for (const Version &v : t->versions) {
        if (v.number == version)
            return &v;
    }
    return nullptr;
}

QStringList CredentialTypes::typeNames() const
{
    QStringList names;
    for (const Type &t : m_types)
        names.append(t.name);
    return names;
}

bool CredentialTypes::contains(const QString &type, int version) const
{
    return find(type, version) != nullptr;
}

QJsonObject CredentialTypes::schema(const QString &type, int version) const
{
    const Version *v = find(type, version);
    return v ? v->validator.schema() : QJsonObject();
}

QList<FieldError> CredentialTypes::validate(const QString &type, int version,
                                            const QJsonObject &value) const
{
    const Type *t = findType(type);
    if (!t)
        return {FieldError{QStringLiteral("type"), QStringLiteral("must be one of ") +
                                                       typeNames().join(QLatin1StringView(", "))}};
    const Version *v = find(type, version);
    if (!v) {
        QStringList known;
        for (const Version &candidate : t->versions)
            known.append(QString::number(candidate.number));
        return {FieldError{QStringLiteral("type_version"),
                           QStringLiteral("is not a version of \"%1\" (known: %2)")
                               .arg(type, known.join(QLatin1StringView(", ")))}};
    }
    return v->validator.validate(value, QStringLiteral("value"));
}

QJsonArray CredentialTypes::toJson() const
{
    QJsonArray types;
    for (const Type &t : m_types) {
        QJsonArray versions;
        for (const Version &v : t.versions)
            versions.append(QJsonObject{{QStringLiteral("type_version"), v.number},
                                        {QStringLiteral("schema"), v.validator.schema()}});
        types.append(QJsonObject{{QStringLiteral("type_name"), t.name},
                                 {QStringLiteral("versions"), versions}});
    }
    return types;
}

} // namespace pf::api
