// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "api/jsonschemavalidator.h"

using pf::api::FieldError;
using pf::api::JsonSchemaValidator;

namespace {

QJsonValue json(const char *text)
{
    // Wrapped in an array so that scalars parse too.
    QJsonParseError error{};
    const QJsonDocument doc =
        QJsonDocument::fromJson(QByteArray("[") + QByteArray(text) + QByteArray("]"), &error);
    EXPECT_EQ(error.error, QJsonParseError::NoError) << text;
    return doc.array().at(0);
}

using Errors = std::vector<std::string>;

// "path: message" per error, so that failures print readably.
Errors errs(const QList<FieldError> &errors)
{
    Errors shown;
    for (const FieldError &e : errors)
        shown.push_back(QString(e.path + u": " + e.message).toStdString());
    return shown;
}

std::string fe(const char *path, const char *message)
{
    return std::string(path) + ": " + message;
}

const char *const kPersonSchema = R"({
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 8},
        "age": {"type": "integer", "minimum": 0, "maximum": 150},
        "nickname": {"type": ["string", "null"]},
        "role": {"enum": ["admin", "member"]},
        "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 3},
        "address": {
            "type": "object",
            "properties": {"city": {"type": "string"}, "zip": {"$ref": "#/definitions/zip"}},
            "required": ["city"],
            "additionalProperties": false
        },
        "files": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"path": {"type": "string", "minLength": 1}},
                "required": ["path"]
            }
        },
        "0": {"type": "boolean"}
    },
    "required": ["name"],
    "additionalProperties": false,
    "definitions": {"zip": {"type": "string", "pattern": "^[0-9]{5}$"}}
})";

JsonSchemaValidator person()
{
    QString error;
    std::optional<JsonSchemaValidator> v =
        JsonSchemaValidator::fromSchema(json(kPersonSchema).toObject(), &error);
    EXPECT_TRUE(v.has_value()) << error.toStdString();
    return *v;
}

} // namespace

TEST(JsonSchemaValidator, AcceptsAValidDocument)
{
    const QJsonValue doc = json(R"({"name": "Ada", "age": 36, "nickname": null, "role": "admin",
        "tags": ["a", "b"], "address": {"city": "London", "zip": "12345"},
        "files": [{"path": "x"}], "0": true})");
    EXPECT_EQ(errs(person().validate(doc)), Errors{});
    EXPECT_EQ(errs(person().validate(json(R"({"name": "A"})"), QStringLiteral("value"))), Errors{});
}

TEST(JsonSchemaValidator, MissingRequiredMemberIsReportedAtItsOwnPath)
{
    EXPECT_EQ(errs(person().validate(json("{}"))), Errors{"name: is required"});
    EXPECT_EQ(errs(person().validate(json("{}"), QStringLiteral("value"))),
              Errors{"value.name: is required"});
}

TEST(JsonSchemaValidator, WrongTypeNamesTheExpectedType)
{
    EXPECT_EQ(errs(person().validate(json(R"({"name": 5})"), QStringLiteral("value"))),
              Errors{"value.name: must be a string"});
    EXPECT_EQ(errs(person().validate(json(R"({"name": "a", "age": "old"})"))),
              Errors{"age: must be an integer"});
    EXPECT_EQ(errs(person().validate(json(R"({"name": "a", "nickname": 1})"))),
              Errors{"nickname: must be a string or null"});
    EXPECT_EQ(errs(person().validate(json(R"({"name": "a", "0": "yes"})"))),
              Errors{"0: must be true or false"});
}

TEST(JsonSchemaValidator, WrongTypeOfTheWholeDocument)
{
    EXPECT_EQ(errs(person().validate(json("[1]"))), Errors{": must be an object"});
    EXPECT_EQ(errs(person().validate(json("null"), QStringLiteral("value"))),
              Errors{"value: must be an object"});
}

TEST(JsonSchemaValidator, EveryUnknownKeyIsReported)
{
    EXPECT_EQ(
        errs(person().validate(json(R"({"name": "a", "x": 1, "y": {}})"), QStringLiteral("value"))),
        (Errors{"value.x: is not allowed (unknown key)", "value.y: is not allowed (unknown key)"}));
}

TEST(JsonSchemaValidator, EveryFailingPatternMemberIsReported)
{
    QString error;
    const auto v = JsonSchemaValidator::fromSchema(
        json(R"({"type": "object", "properties": {"env": {"type": "object",
                 "patternProperties": {"^[A-Z]+$": {"type": "string"}},
                 "additionalProperties": false}}})")
            .toObject(),
        &error);
    ASSERT_TRUE(v.has_value()) << error.toStdString();
    EXPECT_EQ(errs(v->validate(json(R"({"env": {"A": 1, "B": "ok", "C": 2, "D": {}, "e": "x"}})"))),
              (Errors{"env.A: must be a string", "env.e: is not allowed (unknown key)",
                      "env.C: must be a string", "env.D: must be a string"}));
    EXPECT_TRUE(v->validate(json(R"({"env": {"A": "1", "B": "ok"}})")).isEmpty());
}

TEST(JsonSchemaValidator, StringLengths)
{
    EXPECT_EQ(errs(person().validate(json(R"({"name": "abcdefghi"})"))),
              Errors{"name: must be at most 8 characters"});
    // Characters, not bytes: eight two-byte letters fit.
    EXPECT_EQ(errs(person().validate(json(R"({"name": "ääääääää"})"))), Errors{});
    EXPECT_EQ(errs(person().validate(json(R"({"name": ""})"))), Errors{"name: must not be empty"});
}

TEST(JsonSchemaValidator, OtherChecksReadNaturally)
{
    EXPECT_EQ(errs(person().validate(json(R"({"name": "a", "age": -1})"))),
              Errors{"age: must be at least 0"});
    EXPECT_EQ(errs(person().validate(json(R"({"name": "a", "age": 151})"))),
              Errors{"age: must be at most 150"});
    EXPECT_EQ(errs(person().validate(json(R"({"name": "a", "role": "boss"})"))),
              Errors{fe("role", R"(must be one of "admin" or "member")")});
    EXPECT_EQ(errs(person().validate(json(R"({"name": "a", "tags": ["a", "b", "c", "d"]})"))),
              Errors{"tags: must have at most 3 items"});
    EXPECT_EQ(
        errs(person().validate(json(R"({"name": "a", "address": {"city": "x", "zip": "1"}})"))),
        Errors{"address.zip: is not in the expected format"});
}

TEST(JsonSchemaValidator, NestedObjectAndArrayPaths)
{
    const JsonSchemaValidator v = person();
    EXPECT_EQ(errs(v.validate(json(R"({"name": "a", "address": {}})"), QStringLiteral("value"))),
              Errors{"value.address.city: is required"});
    EXPECT_EQ(
        errs(v.validate(json(R"({"name": "a", "address": {"city": 5, "planet": "x"}})"))),
        (Errors{"address.city: must be a string", "address.planet: is not allowed (unknown key)"}));
    EXPECT_EQ(errs(v.validate(json(R"({"name": "a", "tags": ["x", 2, true]})"))),
              (Errors{"tags[1]: must be a string", "tags[2]: must be a string"}));
    EXPECT_EQ(
        errs(v.validate(json(R"({"name": "a", "files": [{"path": "a"}, {"path": ""}, {}]})"),
                        QStringLiteral("value"))),
        (Errors{"value.files[1].path: must not be empty", "value.files[2].path: is required"}));
}

TEST(JsonSchemaValidator, RootArrayPaths)
{
    QString error;
    const auto v = JsonSchemaValidator::fromSchema(
        json(R"({"type": "array", "items": {"type": "array", "items": {"type": "integer"}}})")
            .toObject(),
        &error);
    ASSERT_TRUE(v) << error.toStdString();
    EXPECT_EQ(errs(v->validate(json(R"([[1], [2, "x"]])"))), Errors{"[1][1]: must be an integer"});
    EXPECT_EQ(errs(v->validate(json(R"([[1], [2, "x"]])"), QStringLiteral("grid"))),
              Errors{"grid[1][1]: must be an integer"});
}

TEST(JsonSchemaValidator, FailedAnyOfGivesOneError)
{
    QString error;
    const auto v = JsonSchemaValidator::fromSchema(
        json(R"({"type": "object", "properties": {"port": {"anyOf": [
                {"type": "integer", "minimum": 1}, {"type": "string", "pattern": "^[0-9]{1,5}$"}]}}})")
            .toObject(),
        &error);
    ASSERT_TRUE(v) << error.toStdString();
    EXPECT_EQ(errs(v->validate(json(R"({"port": 8080})"))), Errors{});
    EXPECT_EQ(errs(v->validate(json(R"({"port": "8080"})"))), Errors{});
    EXPECT_EQ(errs(v->validate(json(R"({"port": true})"))),
              Errors{"port: does not match any of the allowed forms"});
}

TEST(JsonSchemaValidator, FalseSubschemaRejectsTheMember)
{
    QString error;
    const auto v = JsonSchemaValidator::fromSchema(
        json(R"({"properties": {"legacy": false}})").toObject(), &error);
    ASSERT_TRUE(v) << error.toStdString();
    EXPECT_EQ(errs(v->validate(json(R"({"other": 1})"))), Errors{});
    EXPECT_EQ(errs(v->validate(json(R"({"legacy": 1})"))), Errors{"legacy: is not allowed"});
}

TEST(JsonSchemaValidator, RejectsAnInvalidSchema)
{
    for (
        const char *bad :
        {R"({"type": "strnig"})", R"({"properties": 5})", R"({"required": "name"})",
         R"({"$ref": "http://example.invalid/x.json"})",
         R"({"properties": {"a": {"pattern": "(unclosed"}}})",
         R"({"patternProperties": {"[": {}}})",
         R"({"definitions": {"a": {"$ref": "#/definitions/b"}, "b": {"$ref": "#/definitions/a"}}, "$ref": "#/definitions/a"})"}) {
        QString error;
        EXPECT_FALSE(JsonSchemaValidator::fromSchema(json(bad).toObject(), &error)) << bad;
        EXPECT_FALSE(error.isEmpty()) << bad;
    }
    // A null error pointer is allowed.
    EXPECT_FALSE(JsonSchemaValidator::fromSchema(json(R"({"type": 5})").toObject(), nullptr));
}

TEST(JsonSchemaValidator, LargeArray)
{
    QString error;
    const auto v =
        JsonSchemaValidator::fromSchema(json(R"({"type": "array", "items": {"type": "object",
                "properties": {"n": {"type": "integer"}}, "required": ["n"]}})")
                                            .toObject(),
                                        &error);
    ASSERT_TRUE(v) << error.toStdString();

    QJsonArray valid;
    QJsonArray invalid;
    for (int i = 0; i < 10000; ++i) {
        valid.append(QJsonObject{{QStringLiteral("n"), i}});
        invalid.append(QJsonObject{{QStringLiteral("n"), QString::number(i)}});
    }
    EXPECT_EQ(errs(v->validate(valid)), Errors{});

    const QList<FieldError> errors = v->validate(invalid, QStringLiteral("items"));
    ASSERT_EQ(errors.size(), 10000);
    EXPECT_EQ(errs({errors.front()}), Errors{"items[0].n: must be an integer"});
    EXPECT_EQ(errs({errors.back()}), Errors{"items[9999].n: must be an integer"});
}

TEST(JsonSchemaValidator, CopiesValidateConcurrently)
{
    const JsonSchemaValidator v = person();
    const QJsonValue good = json(R"({"name": "a", "tags": ["x"]})");
    const QJsonValue bad = json(R"({"tags": [1]})");
    std::vector<std::thread> threads;
    std::vector<int> failures(4, 0);
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([copy = v, &good, &bad, &failures, t] {
            for (int i = 0; i < 200; ++i) {
                if (!copy.validate(good).isEmpty() || copy.validate(bad).size() != 2)
                    ++failures[t];
            }
        });
    }
    for (std::thread &thread : threads)
        thread.join();
    EXPECT_EQ(failures, std::vector<int>(4, 0));
}

TEST(JsonSchemaValidator, LongStringsNeverReachTheRegexEngine)
{
    // std::regex recurses per character: a megabyte against "^[a-z]+$" would
    // overflow the stack, so such strings fail on their length first.
    QString error;
    const auto v = JsonSchemaValidator::fromSchema(json(R"({"properties": {
                "word": {"type": "string", "pattern": "^[a-z]+$"},
                "code": {"type": "string", "pattern": "^[a-z]+$", "maxLength": 10},
                "day": {"type": "string", "format": "date"}}})")
                                                       .toObject(),
                                                   &error);
    ASSERT_TRUE(v) << error.toStdString();
    const QString huge(1 << 20, u'a');
    const auto doc = [](const char *key, const QString &value) {
        return QJsonObject{{QString::fromUtf8(key), value}};
    };
    EXPECT_EQ(errs(v->validate(doc("word", huge))),
              Errors{"word: must be at most 4096 characters"});
    EXPECT_EQ(errs(v->validate(doc("code", huge))), Errors{"code: must be at most 10 characters"});
    EXPECT_EQ(errs(v->validate(doc("day", QString(1 << 20, u'1')))),
              Errors{"day: must be at most 4096 characters"});

    EXPECT_EQ(errs(v->validate(doc("word", QString(4096, u'a')))), Errors{});
    EXPECT_EQ(errs(v->validate(doc("word", QStringLiteral("Abc")))),
              Errors{"word: is not in the expected format"});
    EXPECT_EQ(errs(v->validate(doc("day", QStringLiteral("2026-11-22")))), Errors{});
    EXPECT_EQ(errs(v->validate(doc("day", QStringLiteral("2026-13-01")))),
              Errors{"day: must be a valid date"});
}

TEST(JsonSchemaValidator, FormatAppliesOnlyToStrings)
{
    QString error;
    const auto v = JsonSchemaValidator::fromSchema(
        json(R"({"properties": {"when": {"type": ["string", "integer"], "format": "date-time"},
                                "site": {"format": "uri"}}})")
            .toObject(),
        &error);
    ASSERT_TRUE(v) << error.toStdString();
    EXPECT_EQ(errs(v->validate(json(R"({"when": 5, "site": 7})"))), Errors{});
    EXPECT_EQ(errs(v->validate(json(R"({"when": "2026-11-22T06:45:00Z"})"))), Errors{});
    EXPECT_EQ(errs(v->validate(json(R"({"when": "yesterday"})"))),
              Errors{"when: must be a valid date-time"});
    // The schema handed back is the one given, not valijson's rewrite of it.
    EXPECT_EQ(
        v->schema(),
        json(R"({"properties": {"when": {"type": ["string", "integer"], "format": "date-time"},
                                      "site": {"format": "uri"}}})")
            .toObject());
}

TEST(JsonSchemaValidator, RecursiveSchemaThroughProperties)
{
    QString error;
    const auto v = JsonSchemaValidator::fromSchema(json(R"({"type": "object", "properties": {
                "name": {"type": "string"},
                "children": {"type": "array", "items": {"$ref": "#"}}},
                "additionalProperties": false})")
                                                       .toObject(),
                                                   &error);
    ASSERT_TRUE(v) << error.toStdString();
    EXPECT_EQ(errs(v->validate(json(R"({"name": "root", "children": [{"name": "a"},
                {"children": [{"name": 1}, {"nmae": "typo"}]}]})"))),
              (Errors{"children[1].children[0].name: must be a string",
                      "children[1].children[1].nmae: is not allowed (unknown key)"}));
}
