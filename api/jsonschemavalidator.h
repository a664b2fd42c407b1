// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <memory>
#include <optional>

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

#include "api/apierror.h"

namespace valijson {
class Schema;
}

namespace pf::api {

// A JSON Schema (draft 7) parsed once, validating Qt JSON documents and
// reporting problems as FieldErrors a person can read.
//
//     QString error;
//     const auto validator = JsonSchemaValidator::fromSchema(schema, &error);
//     if (!validator)
//         return fail(error);
//     const QList<FieldError> problems = validator->validate(body, QStringLiteral("value"));
//     // e.g. {"value.username", "is required"}
//
// Paths are dotted member names below rootPath, array indices in brackets
// ("value.files[2].name"); an empty path means the document itself. Each path
// gets at most one error, the most telling one: a missing or unknown member,
// then a wrong type, then an empty string, then the other checks, "pattern"
// last. valijson's summary errors ("failed to validate item #2") are folded
// into the specific errors under them, and a failed anyOf/oneOf gives one
// error at its own path instead of the errors of every alternative.
//
// Threads: validate() is const and may run on many threads at once; copies
// share the parsed schema.
//
// Limits: valijson checks "pattern" (and the formats date, time and date-time)
// with std::regex, which recurses once per character and overflows the stack
// on long strings. So these checks run only on strings of at most 4096
// characters, and a longer string where one applies fails with "must be at
// most 4096 characters" (or the schema's own smaller maxLength). Other
// "format"s are annotations and accept anything. Remote "$ref"s are not
// fetched (the schema is rejected). "integer" means a number that fits in 32
// bits (valijson's Qt adapter).
class JsonSchemaValidator
{
public:
    // Parses `schema`. An invalid schema gives std::nullopt and, when `error`
    // is not null, a description of what is wrong with it.
    static std::optional<JsonSchemaValidator> fromSchema(const QJsonObject &schema, QString *error);

    // An empty list when `document` is valid, else one FieldError per problem,
    // each path prefixed by `rootPath` (joined with a dot).
    QList<FieldError> validate(const QJsonValue &document, const QString &rootPath = {}) const;

    const QJsonObject &schema() const { return m_schema; }

private:
    JsonSchemaValidator(QJsonObject schema, std::shared_ptr<const valijson::Schema> parsed);

    QJsonObject m_schema;
    std::shared_ptr<const valijson::Schema> m_parsed;
};

} // namespace pf::api
