// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <gtest/gtest.h>

#include <QDate>
#include <QJsonArray>
#include <QTime>

#include "api/credential.h"
#include "tests/api/jsontestutil.h"

using namespace Qt::StringLiterals;
using namespace pf::api;
using namespace pf::apitest;

namespace {

Credential dockerCredential()
{
    Credential c;
    c.id = u"c0ffee00-1111-4a0f-9b7c-2f0e2d7c1a11"_s;
    c.name = u"my-registry"_s;
    c.type = u"docker"_s;
    c.typeVersion = 2;
    c.createdAt = QDateTime(QDate(2026, 11, 22), QTime(6, 45, 0), Qt::UTC);
    c.ownerType = u"user"_s;
    c.value = QJsonObject{{u"username"_s, u"bob"_s}, {u"password"_s, u"s3cret"_s}};
    return c;
}

} // namespace

TEST(Credential, RoundTripWithValue)
{
    const Credential c = dockerCredential();
    EXPECT_EQ(roundTrip(c), c);
}

TEST(Credential, KeysAndFormats)
{
    const QJsonObject o = dockerCredential().toJson();
    EXPECT_EQ(keysOf(o),
              keys({"id", "name", "type", "type_version", "created_at", "owner_type", "value"}));
    EXPECT_EQ(o.value("created_at"_L1).toString(), u"2026-11-22T06:45:00Z"_s);
    EXPECT_EQ(o.value("type_version"_L1).toInt(-1), 2);
    EXPECT_EQ(o.value("owner_type"_L1).toString(), u"user"_s);
    EXPECT_EQ(o.value("value"_L1).toObject().value("password"_L1).toString(), u"s3cret"_s);
}

TEST(Credential, ValueKeyOnlyWhenSet)
{
    Credential c = dockerCredential();
    c.value.reset();
    const QJsonObject o = c.toJson();
    EXPECT_FALSE(o.contains("value"_L1));
    EXPECT_EQ(keysOf(o), keys({"id", "name", "type", "type_version", "created_at", "owner_type"}));
    const Credential back = roundTrip(c);
    EXPECT_FALSE(back.value.has_value());
    EXPECT_EQ(back, c);

    // An empty object is a value, distinct from no value.
    c.value = QJsonObject();
    EXPECT_TRUE(c.toJson().contains("value"_L1));
    ASSERT_TRUE(roundTrip(c).value.has_value());
    EXPECT_NE(roundTrip(c), roundTrip(dockerCredential()));
}

TEST(Credential, NullCreatedAtIsJsonNull)
{
    Credential c = dockerCredential();
    c.createdAt = QDateTime();
    EXPECT_TRUE(c.toJson().value("created_at"_L1).isNull());
    EXPECT_TRUE(roundTrip(c).createdAt.isNull());
}

TEST(Credential, ReadsServerTimesWithFractions)
{
    const Credential c = Credential::fromJson(
        parse(R"({"id": "c", "created_at": "2026-11-22T06:45:00.250+00:00"})"));
    EXPECT_EQ(c.createdAt, QDateTime(QDate(2026, 11, 22), QTime(6, 45, 0, 250), Qt::UTC));
}

TEST(Credential, LenientReading)
{
    const Credential c = Credential::fromJson(parse(R"({"id": "c", "type": "wandb",
        "type_version": 1, "secret_hint": "x"})"));
    Credential expected;
    expected.id = u"c"_s;
    expected.type = u"wandb"_s;
    expected.typeVersion = 1;
    EXPECT_EQ(c, expected);
    EXPECT_EQ(Credential::fromJson({}), Credential{});

    const Credential wrong = Credential::fromJson(parse(R"({"id": 1, "name": [], "type": {},
        "type_version": "1", "created_at": 1763793900, "owner_type": false,
        "value": "secret"})"));
    EXPECT_EQ(wrong, Credential{});
    EXPECT_FALSE(wrong.value.has_value());
    EXPECT_FALSE(Credential::fromJson(parse(R"({"value": null})")).value.has_value());
    EXPECT_TRUE(Credential::fromJson(parse(R"({"created_at": "22/11/2026"})")).createdAt.isNull());
}

TEST(CredentialType, RoundTripAndKeys)
{
    const QJsonObject schema{
        {u"$schema"_s, u"http://json-schema.org/draft-07/schema#"_s},
        {u"type"_s, u"object"_s},
        {u"required"_s, QJsonArray{u"token"_s}},
        {u"properties"_s, QJsonObject{{u"token"_s, QJsonObject{{u"type"_s, u"string"_s}}}}}};
    const CredentialType t{u"wandb"_s,
                           {CredentialTypeVersion{1, schema}, CredentialTypeVersion{2, {}}}};
    EXPECT_EQ(roundTrip(t), t);

    const QJsonObject o = t.toJson();
    EXPECT_EQ(keysOf(o), keys({"type_name", "versions"}));
    const QJsonArray versions = o.value("versions"_L1).toArray();
    ASSERT_EQ(versions.size(), 2);
    EXPECT_EQ(keysOf(versions.at(0).toObject()), keys({"type_version", "schema"}));
    EXPECT_EQ(versions.at(0).toObject().value("schema"_L1).toObject(), schema);
    EXPECT_EQ(versions.at(1).toObject().value("type_version"_L1).toInt(), 2);
}

TEST(CredentialType, LenientReading)
{
    const CredentialType t = CredentialType::fromJson(parse(R"({"type_name": "aws",
        "versions": [{"type_version": 1, "schema": {"type": "object"}, "x": 0}, 7, "v2",
                     {"type_version": "2", "schema": []}]})"));
    ASSERT_EQ(t.versions.size(), 2); // non-objects are skipped
    EXPECT_EQ(t.typeName, u"aws"_s);
    EXPECT_EQ(t.versions.at(0), (CredentialTypeVersion{1, QJsonObject{{u"type"_s, u"object"_s}}}));
    EXPECT_EQ(t.versions.at(1), CredentialTypeVersion{});
    EXPECT_EQ(CredentialType::fromJson({}), CredentialType{});
    EXPECT_EQ(CredentialType::fromJson(parse(R"({"type_name": 1, "versions": {}})")),
              CredentialType{});
    EXPECT_EQ(CredentialTypeVersion::fromJson({}), CredentialTypeVersion{});
}
