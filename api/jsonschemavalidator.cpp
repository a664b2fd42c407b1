// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "jsonschemavalidator.h"

#include <exception>
#include <regex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <valijson/adapters/qtjson_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QStringList>
#include <QUrl>

#include "api/json.h"

// Without exceptions valijson prints and aborts on a bad schema.
#if !VALIJSON_USE_EXCEPTIONS
#error "pf_api must be compiled with VALIJSON_USE_EXCEPTIONS=1"
#endif

namespace pf::api {
namespace {

// One step of a path through a document: a member name or an array index.
struct Step
{
    QString key;
    qsizetype index = -1;

    bool isIndex() const { return index >= 0; }
};
using Steps = QList<Step>;

QString joinPath(const QString &rootPath, const Steps &steps, qsizetype count = -1)
{
    if (count < 0)
        count = steps.size();
    QString path = rootPath;
    for (qsizetype i = 0; i < count; ++i) {
        const Step &step = steps.at(i);
        if (step.isIndex()) {
            path += u'[' + QString::number(step.index) + u']';
        } else {
            if (!path.isEmpty())
                path += u'.';
            path += step.key;
        }
    }
    return path;
}

Steps withKey(Steps steps, const QString &key)
{
    steps.append(Step{key, -1});
    return steps;
}

Steps withIndex(Steps steps, qsizetype index)
{
    steps.append(Step{{}, index});
    return steps;
}

bool hasPrefix(const Steps &steps, const Steps &prefix)
{
    if (prefix.size() > steps.size())
        return false;
    for (qsizetype i = 0; i < prefix.size(); ++i) {
        const Step &a = steps.at(i);
        const Step &b = prefix.at(i);
        if (a.index != b.index || a.key != b.key)
            return false;
    }
    return true;
}

// valijson names every step "[name]" or "[index]" after a "<root>", so a
// member called "0" and the first item of an array look alike; walking the
// document along tells them apart.
Steps resolveContext(const std::vector<std::string> &context, const QJsonValue &document)
{
    Steps steps;
    QJsonValue current = document;
    for (size_t i = 1; i < context.size(); ++i) {
        QString part = QString::fromStdString(context[i]);
        if (part.size() >= 2 && part.startsWith(u'[') && part.endsWith(u']'))
            part = part.mid(1, part.size() - 2);
        if (current.isArray()) {
            bool ok = false;
            const qsizetype index = part.toLongLong(&ok);
            if (ok && index >= 0) {
                steps.append(Step{{}, index});
                current = current.toArray().at(index);
                continue;
            }
        }
        steps.append(Step{part, -1});
        current = current.toObject().value(part);
    }
    return steps;
}

QJsonValue valueAt(const QJsonValue &document, const Steps &steps)
{
    QJsonValue current = document;
    for (const Step &step : steps)
        current =
            step.isIndex() ? current.toArray().at(step.index) : current.toObject().value(step.key);
    return current;
}

// The value a local "$ref" ("#", "#/definitions/zip") points at in `root`;
// undefined when it points nowhere.
QJsonValue resolveLocalRef(const QJsonObject &root, const QString &ref)
{
    const QString pointer = QUrl::fromPercentEncoding(ref.mid(1).toUtf8());
    QJsonValue current(root);
    const QStringList tokens = pointer.split(u'/');
    for (qsizetype i = 1; i < tokens.size(); ++i) {
        QString token = tokens.at(i);
        token.replace(QLatin1StringView("~1"), QLatin1StringView("/"));
        token.replace(QLatin1StringView("~0"), QLatin1StringView("~"));
        if (current.isArray()) {
            bool ok = false;
            const qsizetype index = token.toLongLong(&ok);
            current = ok ? current.toArray().at(index) : QJsonValue(QJsonValue::Undefined);
        } else {
            current = current.toObject().value(token);
        }
    }
    return current;
}

// Finds the subschema that applies at a path, for the details valijson leaves
// out of its messages (the expected type, the enum values, every unknown
// member). Follows properties, patternProperties, additionalProperties, items,
// additionalItems and local "$ref"s; anything else (allOf, if/then, ...) gives
// nullopt and the caller falls back to a plainer message.
class SchemaLookup
{
public:
    explicit SchemaLookup(const QJsonObject &root)
        : m_root(root)
    {}

    std::optional<QJsonObject> at(const Steps &steps) const
    {
        std::optional<QJsonObject> current = resolve(QJsonValue(m_root));
        for (const Step &step : steps) {
            if (!current)
                return std::nullopt;
            current = step.isIndex() ? item(*current, step.index) : member(*current, step.key);
        }
        return current;
    }

    static bool matchesPattern(const QJsonObject &schema, const QString &key)
    {
        const QJsonObject patterns =
            schema.value(QLatin1StringView("patternProperties")).toObject();
        for (auto it = patterns.constBegin(); it != patterns.constEnd(); ++it) {
            if (cachedRegularExpression(it.key()).match(key).hasMatch())
                return true;
        }
        return false;
    }

private:
    std::optional<QJsonObject> member(const QJsonObject &schema, const QString &key) const
    {
        const QJsonObject properties = schema.value(QLatin1StringView("properties")).toObject();
        if (properties.contains(key))
            return resolve(properties.value(key));
        const QJsonObject patterns =
            schema.value(QLatin1StringView("patternProperties")).toObject();
        for (auto it = patterns.constBegin(); it != patterns.constEnd(); ++it) {
            if (cachedRegularExpression(it.key()).match(key).hasMatch())
                return resolve(it.value());
        }
        return resolve(schema.value(QLatin1StringView("additionalProperties")));
    }

    std::optional<QJsonObject> item(const QJsonObject &schema, qsizetype index) const
    {
        const QJsonValue items = schema.value(QLatin1StringView("items"));
        if (!items.isArray())
            return resolve(items);
        const QJsonArray list = items.toArray();
        if (index < list.size())
            return resolve(list.at(index));
        return resolve(schema.value(QLatin1StringView("additionalItems")));
    }

    // A subschema with its local "$ref"s followed; `true` reads as {}, and
    // `false`, a missing schema or a reference that leads nowhere as nullopt.
    std::optional<QJsonObject> resolve(const QJsonValue &value) const
    {
        QJsonValue current = value;
        for (int hops = 0; hops < 32; ++hops) {
            if (current.isBool() && current.toBool())
                return QJsonObject{};
            if (!current.isObject())
                return std::nullopt;
            const QJsonObject schema = current.toObject();
            const QString ref = schema.value(QLatin1StringView("$ref")).toString();
            if (ref.isEmpty())
                return schema;
            if (!ref.startsWith(u'#'))
                return std::nullopt;
            current = resolveLocalRef(m_root, ref);
        }
        return std::nullopt;
    }

    QJsonObject m_root;
};

QString typePhrase(const QString &type)
{
    if (type == QLatin1StringView("string"))
        return QStringLiteral("a string");
    if (type == QLatin1StringView("integer"))
        return QStringLiteral("an integer");
    if (type == QLatin1StringView("number"))
        return QStringLiteral("a number");
    if (type == QLatin1StringView("boolean"))
        return QStringLiteral("true or false");
    if (type == QLatin1StringView("object"))
        return QStringLiteral("an object");
    if (type == QLatin1StringView("array"))
        return QStringLiteral("an array");
    if (type == QLatin1StringView("null"))
        return QStringLiteral("null");
    return type;
}

// "a string", "a string or null", "a string, a number or null"
QString joinAlternatives(const QStringList &phrases)
{
    if (phrases.size() <= 1)
        return phrases.value(0);
    return QStringList(phrases.mid(0, phrases.size() - 1)).join(QLatin1StringView(", ")) +
           QLatin1StringView(" or ") + phrases.last();
}

QString typeMessage(const std::optional<QJsonObject> &schema)
{
    if (!schema)
        return QStringLiteral("has the wrong type");
    const QJsonValue type = schema->value(QLatin1StringView("type"));
    QStringList phrases;
    if (type.isString()) {
        phrases.append(typePhrase(type.toString()));
    } else {
        const QJsonArray types = type.toArray();
        for (const QJsonValue &t : types)
            phrases.append(typePhrase(t.toString()));
    }
    if (phrases.isEmpty())
        return QStringLiteral("has the wrong type");
    return QStringLiteral("must be ") + joinAlternatives(phrases);
}

QString compactJson(const QJsonValue &value)
{
    // QJsonDocument holds only objects and arrays: wrap, then strip the brackets.
    const QByteArray json = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(json.mid(1, json.size() - 2));
}

QString enumMessage(const std::optional<QJsonObject> &schema)
{
    const QJsonArray values =
        schema ? schema->value(QLatin1StringView("enum")).toArray() : QJsonArray();
    if (values.isEmpty())
        return QStringLiteral("is not one of the allowed values");
    QStringList shown;
    for (const QJsonValue &v : values)
        shown.append(compactJson(v));
    return QStringLiteral("must be one of ") + joinAlternatives(shown);
}

QString constMessage(const std::optional<QJsonObject> &schema)
{
    if (!schema || !schema->contains(QLatin1StringView("const")))
        return QStringLiteral("does not have the required value");
    return QStringLiteral("must be ") + compactJson(schema->value(QLatin1StringView("const")));
}

bool startsWith(const std::string &text, std::string_view prefix)
{
    return std::string_view(text).substr(0, prefix.size()) == prefix;
}

// The text from the end of `marker` to the last quote, which is how valijson
// quotes member names ("Missing required property 'x'.").
QString quotedAfter(const std::string &text, std::string_view marker)
{
    const size_t found = text.find(marker);
    const size_t close = text.rfind('\'');
    if (found == std::string::npos || close == std::string::npos || close < found + marker.size())
        return {};
    const size_t start = found + marker.size();
    return QString::fromStdString(text.substr(start, close - start));
}

// The first number after `prefix` ("... no more than 4096 characters ...").
double numberAfter(const std::string &text, std::string_view prefix)
{
    try {
        return std::stod(text.substr(prefix.size()));
    } catch (const std::exception &) {
        return 0;
    }
}

QString formatNumber(double value)
{
    if (value == static_cast<double>(static_cast<qint64>(value)))
        return QString::number(static_cast<qint64>(value));
    return QString::number(value, 'g', 15);
}

// How telling an error is; the lowest rank at a path wins.
enum class Rank {
    Member,  // missing or unknown member
    Type,    // wrong JSON type
    Empty,   // empty string
    Other,   // any other check
    Format,  // "pattern": vaguer than a length or a range
    Summary, // anyOf/oneOf found nothing that fits
    Wrapper, // "failed to validate item #2": only when nothing under it says more
};

struct Problem
{
    Steps steps;
    QString message;
    Rank rank;
};

class Translator
{
public:
    Translator(const QJsonObject &schema, const QJsonValue &document)
        : m_lookup(schema)
        , m_document(document)
    {}

    void add(const valijson::ValidationResults::Error &error)
    {
        const Steps steps = resolveContext(error.context, m_document);
        const std::string &text = error.description;

        if (startsWith(text, "Missing required property '")) {
            push(withKey(steps, quotedAfter(text, "Missing required property '")),
                 QStringLiteral("is required"), Rank::Member);
        } else if (startsWith(text, "Missing dependency '")) {
            push(withKey(steps, quotedAfter(text, "Missing dependency '")),
                 QStringLiteral("is required"), Rank::Member);
        } else if (startsWith(text, "Object contains a property that could not be validated")) {
            addUnknownMembers(steps, quotedAfter(text, "constraints: '"));
        } else if (startsWith(text, "Value type not permitted")) {
            push(steps, typeMessage(m_lookup.at(steps)), Rank::Type);
        } else if (startsWith(text, "String should be no fewer than ")) {
            const double n = numberAfter(text, "String should be no fewer than ");
            if (n <= 1)
                push(steps, QStringLiteral("must not be empty"), Rank::Empty);
            else
                push(steps, QStringLiteral("must be at least %1 characters").arg(formatNumber(n)),
                     Rank::Other);
        } else if (startsWith(text, "String should be no more than ")) {
            const double n = numberAfter(text, "String should be no more than ");
            push(steps, QStringLiteral("must be at most %1 characters").arg(formatNumber(n)),
                 Rank::Other);
        } else if (startsWith(text, "String should be a valid ")) {
            push(steps,
                 QStringLiteral("must be a valid ") +
                     QString::fromStdString(
                         text.substr(std::string_view("String should be a valid ").size())),
                 Rank::Other);
        } else if (startsWith(text, "Failed to match regex")) {
            push(steps, QStringLiteral("is not in the expected format"), Rank::Format);
        } else if (startsWith(text, "Failed to match against any enum values")) {
            push(steps, enumMessage(m_lookup.at(steps)), Rank::Other);
        } else if (startsWith(text, "Failed to match expected value set by 'const'")) {
            push(steps, constMessage(m_lookup.at(steps)), Rank::Other);
        } else if (startsWith(text, "Expected number greater than or equal to ")) {
            push(steps,
                 QStringLiteral("must be at least ") +
                     formatNumber(numberAfter(text, "Expected number greater than or equal to ")),
                 Rank::Other);
        } else if (startsWith(text, "Expected number greater than ")) {
            push(steps,
                 QStringLiteral("must be greater than ") +
                     formatNumber(numberAfter(text, "Expected number greater than ")),
                 Rank::Other);
        } else if (startsWith(text, "Expected number less than or equal to ")) {
            push(steps,
                 QStringLiteral("must be at most ") +
                     formatNumber(numberAfter(text, "Expected number less than or equal to ")),
                 Rank::Other);
        } else if (startsWith(text, "Expected number less than ")) {
            push(steps,
                 QStringLiteral("must be less than ") +
                     formatNumber(numberAfter(text, "Expected number less than ")),
                 Rank::Other);
        } else if (startsWith(text, "Value should be a multiple of ")) {
            push(steps,
                 QStringLiteral("must be a multiple of ") +
                     formatNumber(numberAfter(text, "Value should be a multiple of ")),
                 Rank::Other);
        } else if (startsWith(text, "Array should contain no more than ")) {
            push(steps,
                 QStringLiteral("must have at most %1 items")
                     .arg(formatNumber(numberAfter(text, "Array should contain no more than "))),
                 Rank::Other);
        } else if (startsWith(text, "Array should contain no fewer than ")) {
            const double n = numberAfter(text, "Array should contain no fewer than ");
            push(steps,
                 n <= 1 ? QStringLiteral("must not be empty")
                        : QStringLiteral("must have at least %1 items").arg(formatNumber(n)),
                 n <= 1 ? Rank::Empty : Rank::Other);
        } else if (startsWith(text, "Object should have no more than ")) {
            push(steps,
                 QStringLiteral("must have at most %1 members")
                     .arg(formatNumber(numberAfter(text, "Object should have no more than "))),
                 Rank::Other);
        } else if (startsWith(text, "Object should have no fewer than ")) {
            const double n = numberAfter(text, "Object should have no fewer than ");
            push(steps,
                 n <= 1 ? QStringLiteral("must not be empty")
                        : QStringLiteral("must have at least %1 members").arg(formatNumber(n)),
                 n <= 1 ? Rank::Empty : Rank::Other);
        } else if (startsWith(text, "Elements at indexes #")) {
            addDuplicate(steps, text);
        } else if (startsWith(text, "Array contains more items than allowed")) {
            push(steps, QStringLiteral("has too many items"), Rank::Other);
        } else if (startsWith(text,
                              "Target should not validate against schema specified in 'not'")) {
            push(steps, QStringLiteral("has a value that is not allowed here"), Rank::Other);
        } else if (startsWith(text, "Failed to any values against subschema in 'contains'")) {
            push(steps, QStringLiteral("must contain at least one matching item"), Rank::Other);
        } else if (startsWith(text, "Failed to validate against any schemas allowed by anyOf") ||
                   startsWith(text,
                              "Failed to validate against any child schemas allowed by oneOf")) {
            addSummary(steps, QStringLiteral("does not match any of the allowed forms"));
        } else if (startsWith(text, "Failed to validate against exactly one child schema")) {
            addSummary(steps, QStringLiteral("matches more than one of the allowed forms"));
        } else if (startsWith(text, "Failed to validate item #")) {
            addItemWrapper(steps, text);
        } else if (startsWith(
                       text, "Failed to validate against schema associated with property name '")) {
            push(withKey(steps, quotedAfter(text, "property name '")),
                 QStringLiteral("is not allowed"), Rank::Wrapper);
        } else if (startsWith(text, "Failed to validate against")) {
            // child schema #n, additional properties schema, dependent schema,
            // a conditional schema, schema associated with pattern '...'
            push(steps, QStringLiteral("is invalid"), Rank::Wrapper);
        } else {
            push(steps, QString::fromStdString(text), Rank::Other);
        }
    }

    QList<FieldError> result(const QString &rootPath) const
    {
        // Every path at or above a specific problem: a wrapper there adds nothing.
        QSet<QString> covered;
        for (const Problem &p : m_problems) {
            if (p.rank == Rank::Wrapper)
                continue;
            for (qsizetype n = p.steps.size(); n >= 0; --n) {
                const QString path = joinPath({}, p.steps, n);
                if (covered.contains(path))
                    break; // its ancestors are in already
                covered.insert(path);
            }
        }

        QList<FieldError> errors;
        QList<Rank> ranks;
        QHash<QString, qsizetype> rowOfPath;
        for (const Problem &p : m_problems) {
            if (p.rank == Rank::Wrapper && covered.contains(joinPath({}, p.steps)))
                continue;
            const QString path = joinPath(rootPath, p.steps);
            const auto it = rowOfPath.constFind(path);
            if (it == rowOfPath.constEnd()) {
                rowOfPath.insert(path, errors.size());
                errors.append(FieldError{path, p.message});
                ranks.append(p.rank);
            } else if (p.rank < ranks.at(*it)) {
                errors[*it].message = p.message;
                ranks[*it] = p.rank;
            }
        }
        return errors;
    }

private:
    void push(Steps steps, QString message, Rank rank)
    {
        m_problems.append(Problem{std::move(steps), std::move(message), rank});
    }

    // valijson names only the first unknown member; name them all when the
    // schema says which members are known.
    void addUnknownMembers(const Steps &steps, const QString &first)
    {
        const std::optional<QJsonObject> schema = m_lookup.at(steps);
        const QJsonObject object = valueAt(m_document, steps).toObject();
        const QJsonObject properties =
            schema ? schema->value(QLatin1StringView("properties")).toObject() : QJsonObject();
        // The error may come from a subschema (allOf, then, ...) with other
        // properties than the one found here; then trust valijson's one name.
        if (!schema || schema->value(QLatin1StringView("additionalProperties")).isObject() ||
            !object.contains(first) || properties.contains(first)) {
            push(withKey(steps, first), QStringLiteral("is not allowed (unknown key)"),
                 Rank::Member);
            return;
        }
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            if (!properties.contains(it.key()) && !SchemaLookup::matchesPattern(*schema, it.key()))
                push(withKey(steps, it.key()), QStringLiteral("is not allowed (unknown key)"),
                     Rank::Member);
        }
    }

    // "Elements at indexes #1 and #3 violate uniqueness constraint."
    void addDuplicate(const Steps &steps, const std::string &text)
    {
        static const std::regex numbers("#([0-9]+) and #([0-9]+)");
        std::smatch m;
        if (!std::regex_search(text, m, numbers)) {
            push(steps, QStringLiteral("must not contain the same item twice"), Rank::Other);
            return;
        }
        push(withIndex(steps, std::stoll(m[2].str())),
             QStringLiteral("is the same as item %1 (items must be unique)")
                 .arg(QString::fromStdString(m[1].str())),
             Rank::Other);
    }

    // "Failed to validate item #2 in array." is reported at the array,
    // "... against corresponding item schema." at the item itself.
    void addItemWrapper(const Steps &steps, const std::string &text)
    {
        const qsizetype index =
            static_cast<qsizetype>(numberAfter(text, "Failed to validate item #"));
        const bool atItem = !steps.isEmpty() && steps.last().isIndex() &&
                            steps.last().index == index &&
                            text.find("corresponding item schema") != std::string::npos;
        push(atItem ? steps : withIndex(steps, index), QStringLiteral("is not allowed"),
             Rank::Wrapper);
    }

    // anyOf/oneOf: valijson first copies the errors of every alternative, then
    // its summary. Errors of alternatives contradict each other ("must be a
    // string", "must be an object"), so the summary replaces them.
    void addSummary(const Steps &steps, QString message)
    {
        while (!m_problems.isEmpty() && hasPrefix(m_problems.last().steps, steps))
            m_problems.removeLast();
        push(steps, std::move(message), Rank::Summary);
    }

    SchemaLookup m_lookup;
    QJsonValue m_document;
    QList<Problem> m_problems;
};

// Longest string that valijson runs a regular expression on (see the header).
constexpr int kMaxRegexInput = 4096;

bool compiles(const QString &pattern, QString *error)
{
    try {
        std::regex(pattern.toStdString());
        return true;
    } catch (const std::regex_error &e) {
        *error = QStringLiteral("invalid pattern \"%1\": %2")
                     .arg(pattern, QString::fromLocal8Bit(e.what()));
        return false;
    }
}

bool prepareSchema(QJsonObject &schema, QString *error);

// A subschema, or an array of them; anything else is left alone.
bool prepareValue(QJsonValue &value, QString *error)
{
    if (value.isObject()) {
        QJsonObject schema = value.toObject();
        if (!prepareSchema(schema, error))
            return false;
        value = schema;
    } else if (value.isArray()) {
        QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            QJsonValue item = array.at(i);
            if (!prepareValue(item, error))
                return false;
            array.replace(i, item);
        }
        value = array;
    }
    return true;
}

// Rewrites a schema for valijson, in place (the caller keeps the original):
//  - a bad "pattern" or "patternProperties" key is an error now, not an
//    exception from std::regex in the middle of a validation;
//  - "pattern" and the "format"s valijson checks (date, time, date-time, all
//    regexes) run only on strings of at most kMaxRegexInput characters, as
//    std::regex recurses per character and a long string overflows the stack;
//    a longer string fails a maxLength instead, unless the schema's own
//    maxLength already rejects it;
//  - "format" goes only to strings (valijson throws on other values), and
//    formats valijson does not know are dropped (it would accept them anyway).
// Keywords are walked by meaning, so data ("enum", "default", ...) and member
// names that look like keywords are never touched.
bool prepareSchema(QJsonObject &schema, QString *error)
{
    static const QLatin1StringView schemaMaps[] = {
        QLatin1StringView("properties"), QLatin1StringView("patternProperties"),
        QLatin1StringView("definitions"), QLatin1StringView("$defs"),
        QLatin1StringView("dependencies")};
    static const QLatin1StringView schemaValues[] = {QLatin1StringView("additionalProperties"),
                                                     QLatin1StringView("items"),
                                                     QLatin1StringView("additionalItems"),
                                                     QLatin1StringView("contains"),
                                                     QLatin1StringView("propertyNames"),
                                                     QLatin1StringView("if"),
                                                     QLatin1StringView("then"),
                                                     QLatin1StringView("else"),
                                                     QLatin1StringView("not"),
                                                     QLatin1StringView("allOf"),
                                                     QLatin1StringView("anyOf"),
                                                     QLatin1StringView("oneOf")};

    for (const QLatin1StringView key : schemaMaps) {
        if (!schema.value(key).isObject())
            continue;
        QJsonObject map = schema.value(key).toObject();
        for (auto it = map.begin(); it != map.end(); ++it) {
            if (key == QLatin1StringView("patternProperties") && !compiles(it.key(), error))
                return false;
            QJsonValue sub = it.value();
            if (!prepareValue(sub, error))
                return false;
            it.value() = sub;
        }
        schema.insert(key, map);
    }
    for (const QLatin1StringView key : schemaValues) {
        if (!schema.contains(key))
            continue;
        QJsonValue sub = schema.value(key);
        if (!prepareValue(sub, error))
            return false;
        schema.insert(key, sub);
    }

    QJsonObject guarded;
    const QJsonValue pattern = schema.value(QLatin1StringView("pattern"));
    if (pattern.isString()) {
        if (!compiles(pattern.toString(), error))
            return false;
        guarded.insert(QLatin1StringView("pattern"), pattern);
        schema.remove(QLatin1StringView("pattern"));
    }
    const QJsonValue format = schema.value(QLatin1StringView("format"));
    if (format.isString()) {
        const QString name = format.toString();
        if (name == QLatin1StringView("date") || name == QLatin1StringView("time") ||
            name == QLatin1StringView("date-time"))
            guarded.insert(QLatin1StringView("format"), format);
        schema.remove(QLatin1StringView("format"));
    }
    if (guarded.isEmpty())
        return true;

    const QJsonObject isString{{QLatin1StringView("type"), QLatin1StringView("string")}};
    QJsonObject isShortString = isString;
    isShortString.insert(QLatin1StringView("maxLength"), kMaxRegexInput);
    QJsonArray allOf = schema.value(QLatin1StringView("allOf")).toArray();
    const QJsonValue ownMax = schema.value(QLatin1StringView("maxLength"));
    if (!ownMax.isDouble() || ownMax.toDouble() > kMaxRegexInput)
        allOf.append(QJsonObject{{QLatin1StringView("if"), isString},
                                 {QLatin1StringView("then"),
                                  QJsonObject{{QLatin1StringView("maxLength"), kMaxRegexInput}}}});
    allOf.append(QJsonObject{{QLatin1StringView("if"), isShortString},
                             {QLatin1StringView("then"), guarded}});
    schema.insert(QLatin1StringView("allOf"), allOf);
    return true;
}

// A "$ref" to a schema that is itself only a "$ref", and so on back to the
// start, sends valijson's parser into endless recursion; find such loops first.
// (Recursion through properties or items, as in a tree, is fine.)
bool checkRefLoops(const QJsonObject &root, const QJsonValue &node, QString *error)
{
    if (node.isArray()) {
        const QJsonArray array = node.toArray();
        for (const QJsonValue &v : array) {
            if (!checkRefLoops(root, v, error))
                return false;
        }
        return true;
    }
    if (!node.isObject())
        return true;
    const QJsonObject object = node.toObject();
    QString ref = object.value(QLatin1StringView("$ref")).toString();
    QSet<QString> seen;
    while (ref.startsWith(u'#')) {
        if (seen.contains(ref)) {
            *error = QStringLiteral("\"$ref\": \"%1\" refers to itself").arg(ref);
            return false;
        }
        seen.insert(ref);
        ref = resolveLocalRef(root, ref).toObject().value(QLatin1StringView("$ref")).toString();
    }
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (!checkRefLoops(root, it.value(), error))
            return false;
    }
    return true;
}

} // namespace

JsonSchemaValidator::JsonSchemaValidator(QJsonObject schema,
                                         std::shared_ptr<const valijson::Schema> parsed)
    : m_schema(std::move(schema))
    , m_parsed(std::move(parsed))
{}

std::optional<JsonSchemaValidator> JsonSchemaValidator::fromSchema(const QJsonObject &schema,
                                                                   QString *error)
{
    QString problem;
    try {
        auto parsed = std::make_shared<valijson::Schema>();
        valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
        QJsonObject prepared = schema;
        if (checkRefLoops(schema, QJsonValue(schema), &problem) &&
            prepareSchema(prepared, &problem)) {
            parser.populateSchema(valijson::adapters::QtJsonAdapter(QJsonValue(prepared)), *parsed);
            return JsonSchemaValidator(schema, std::move(parsed));
        }
    } catch (const std::exception &e) {
        problem = QString::fromLocal8Bit(e.what());
    }
    if (error)
        *error = QStringLiteral("Invalid JSON Schema: ") + problem;
    return std::nullopt;
}

namespace {

QString joinPath(const QString &base, const QString &key)
{
    return base.isEmpty() ? key : base + u'.' + key;
}

// valijson checks the members of an object that match "patternProperties"
// only until the first one fails, so a document with many bad members (every
// value of `env_var`) would be reported one at a time. This walks the schema
// and the document together (through "properties", "patternProperties" and
// "items") and checks each such member on its own.
void checkPatternMembers(const QJsonObject &schema, const QJsonValue &value, const QString &path,
                         QList<FieldError> *errors)
{
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        const QJsonObject properties = schema.value(QLatin1StringView("properties")).toObject();
        // Each pattern compiled and its subschema parsed once per object.
        struct Pattern
        {
            QRegularExpression re;
            std::optional<JsonSchemaValidator> validator;
        };
        QList<Pattern> patterns;
        const QJsonObject patternSchemas =
            schema.value(QLatin1StringView("patternProperties")).toObject();
        for (auto it = patternSchemas.constBegin(); it != patternSchemas.constEnd(); ++it) {
            if (it.value().isObject())
                patterns.append({QRegularExpression(it.key()),
                                 JsonSchemaValidator::fromSchema(it.value().toObject(), nullptr)});
        }
        for (auto member = object.constBegin(); member != object.constEnd(); ++member) {
            const QString memberPath = joinPath(path, member.key());
            if (properties.contains(member.key())) {
                checkPatternMembers(properties.value(member.key()).toObject(), member.value(),
                                    memberPath, errors);
                continue;
            }
            for (const Pattern &pattern : std::as_const(patterns)) {
                if (pattern.validator && pattern.re.match(member.key()).hasMatch())
                    errors->append(pattern.validator->validate(member.value(), memberPath));
            }
        }
    } else if (value.isArray()) {
        const QJsonObject items = schema.value(QLatin1StringView("items")).toObject();
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size() && !items.isEmpty(); ++i)
            checkPatternMembers(items, array.at(i), path + QStringLiteral("[%1]").arg(i), errors);
    }
}

} // namespace

QList<FieldError> JsonSchemaValidator::validate(const QJsonValue &document,
                                                const QString &rootPath) const
{
    // A Validator caches compiled regexes and is cheap to make: one per call
    // keeps validate() free of locks.
    valijson::Validator validator;
    valijson::ValidationResults results;
    try {
        if (validator.validate(*m_parsed, valijson::adapters::QtJsonAdapter(document), &results))
            return {};
    } catch (const std::exception &e) {
        // Fail closed: a value that cannot be checked is not accepted.
        return {FieldError{rootPath, QStringLiteral("could not be validated: ") +
                                         QString::fromLocal8Bit(e.what())}};
    }

    Translator translator(m_schema, document);
    for (const valijson::ValidationResults::Error &error : results)
        translator.add(error);
    QList<FieldError> errors = translator.result(rootPath);
    // Only on this path, so valid documents pay nothing for it.
    QList<FieldError> more;
    checkPatternMembers(m_schema, document, rootPath, &more);
    QSet<QString> reported;
    for (const FieldError &e : std::as_const(errors))
        reported.insert(e.path);
    for (const FieldError &e : std::as_const(more)) {
        if (!reported.contains(e.path)) {
            reported.insert(e.path);
            errors.append(e);
        }
    }
    if (errors.isEmpty()) // cannot happen, but never report "invalid" without a reason
        errors.append(FieldError{rootPath, QStringLiteral("is invalid")});
    return errors;
}

} // namespace pf::api
