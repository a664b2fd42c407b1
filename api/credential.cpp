// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "credential.h"

#include "api/json.h"
#include "api/page.h"

using namespace Qt::StringLiterals;

namespace pf::api {

Credential Credential::fromJson(const QJsonObject &o)
{
    Credential c;
    c.id = readString(o, "id"_L1);
    c.name = readString(o, "name"_L1);
    c.type = readString(o, "type"_L1);
    c.typeVersion = readInt(o, "type_version"_L1);
    c.createdAt = readTime(o, "created_at"_L1);
    c.ownerType = readString(o, "owner_type"_L1);
    const QJsonValue value = o.value("value"_L1);
    if (value.isObject())
        c.value = value.toObject();
    return c;
}

QJsonObject Credential::toJson() const
{
    QJsonObject o{{u"id"_s, id},
                  {u"name"_s, name},
                  {u"type"_s, type},
                  {u"type_version"_s, typeVersion},
                  {u"created_at"_s, timeToJson(createdAt)},
                  {u"owner_type"_s, ownerType}};
    if (value)
        o.insert(u"value"_s, *value);
    return o;
}

CredentialTypeVersion CredentialTypeVersion::fromJson(const QJsonObject &o)
{
    return {readInt(o, "type_version"_L1), readObject(o, "schema"_L1)};
}

QJsonObject CredentialTypeVersion::toJson() const
{
    return {{u"type_version"_s, typeVersion}, {u"schema"_s, schema}};
}

CredentialType CredentialType::fromJson(const QJsonObject &o)
{
    return {readString(o, "type_name"_L1),
            listFromJson<CredentialTypeVersion>(readArray(o, "versions"_L1))};
}

QJsonObject CredentialType::toJson() const
{
    return {{u"type_name"_s, typeName}, {u"versions"_s, toJsonArray(versions)}};
}

} // namespace pf::api
