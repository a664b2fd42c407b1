// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <functional>

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

namespace pf::api {

// A YAML file read into JSON, remembering where in the text each value was
// written, so that problems found in the JSON (by a JSON Schema, say) can be
// shown at their line in an editor.
//
//     const YamlDocument doc = YamlDocument::parse(bytes);
//     if (!doc.isParsed())
//         return show(doc.problems()); // the syntax error, with its position
//     for (const FieldError &e : validator.validate(doc.json()))
//         mark(doc.valuePosition(e.path), e.message);
//
// Paths are those of JsonSchemaValidator: member names joined with dots, array
// items in brackets ("job_setting.docker.image", "hosts[2]"), "" for the root.
//
// Reading follows the YAML 1.2 core schema, as JSON would have it: plain
// scalars become null (~, null, an empty value), true/false, integers (also
// 0x1F and 0o17; qint64, else a double), floats, or else strings; quoted and
// block scalars (| and >) are always strings; the tags !!str, !!int, !!float,
// !!bool and !!null are honoured, other tags are ignored with a warning.
// Mapping keys must be scalars and become strings; the key order of mappings
// is not kept (QJsonObject sorts its keys), that of sequences is.
//
// Problems the reading finds (problems(), errors unless `warning`):
//  - a syntax error: the only problem, with the parser's position, and the
//    document is not parsed;
//  - a second document in the file, a key that is not a scalar, a key given
//    twice in one mapping (the later value is kept), .inf/.nan (JSON has no
//    such numbers; read as null), nesting deeper than kMaxDepth, and values
//    multiplied by aliases beyond what the text itself could hold (the
//    "billion laughs"); values past the last two limits read as null;
//  - warnings: yes/no/on/off, which YAML 1.2 reads as strings but YAML 1.1
//    readers (PyYAML, and so PeriFlow's pf CLI) as booleans; unknown tags.
//
// Positions are 1-based lines and columns; columns count UTF-16 code units
// (QTextBlock positions), and a UTF-8 byte order mark is not counted. Input in
// UTF-16 or UTF-32 with a byte order mark is converted to UTF-8 first; other
// input is read as UTF-8.
//
// Threads: parse() is reentrant; a YamlDocument is an immutable value.
class YamlDocument
{
public:
    // Nesting deeper than this is refused (a job file nests four levels).
    static constexpr int kMaxDepth = 64;

    struct Position
    {
        int line = 0;   // 1-based; 0 when unknown
        int column = 0; // 1-based; 0 when unknown

        friend bool operator==(const Position &, const Position &) = default;
    };

    struct Problem
    {
        QString path;    // where it is in the JSON; "" for the file as a whole
        QString message; // with a path: reads after it ("is given more than once");
                         // without: a sentence of its own
        Position position;
        bool warning = false;

        friend bool operator==(const Problem &, const Problem &) = default;
    };

    static YamlDocument parse(const QByteArray &yaml);

    // False after a syntax error; json() is then undefined.
    bool isParsed() const { return m_parsed; }
    // The document as JSON: null for an empty file, usually an object.
    const QJsonValue &json() const { return m_json; }
    const QList<Problem> &problems() const { return m_problems; }

    // Whether `path` was written in the file.
    bool contains(const QString &path) const { return m_places.contains(path); }

    // Where the key of `path` was written (an item's start for array items,
    // the document's start for the root). For a path not in the file, the
    // key of its nearest ancestor that is: where a missing member belongs.
    Position keyPosition(const QString &path) const;
    // Where the value of `path` starts when it is a scalar written on its own
    // (`image: friendliai/periflow:sdk` gives the column of "friendliai");
    // for mappings, sequences, empty values and absent paths, keyPosition().
    Position valuePosition(const QString &path) const;

    // The path of the mapping or sequence holding `path` ("a.b[2]" -> "a.b",
    // "a.b" -> "a", "a" -> ""); "" for the root itself.
    static QString parentPath(const QString &path);

private:
    struct Place
    {
        Position key;
        Position value;
    };
    class Converter; // yamldocument.cpp

    const Place *nearest(const QString &path, bool *exact) const;

    bool m_parsed = false;
    QJsonValue m_json;
    QList<Problem> m_problems;
    QHash<QString, Place> m_places;
};

// `json` written as block-style YAML, for showing a job's stored spec:
// mappings (keys in QJsonObject's sorted order) and sequences as blocks,
// strings plain when YamlDocument would read them back as the same string,
// double-quoted otherwise, multi-line strings as literal blocks (|- without
// a final line break, | with one, |+ with more, and an indentation indicator
// when the first line starts with a space; double-quoted when a literal
// block cannot hold them, e.g. with a carriage return), whole numbers
// without a fraction. YamlDocument::parse() of the result gives `json` back.
QString toYaml(const QJsonValue &json);

// The pieces of toYaml() that YamlEdit writes values into a file with.

// Whether `text` written plain (unquoted) reads back as this string, in
// YamlDocument and in YAML 1.1 readers alike.
bool isPlainYamlString(const QString &text);

// `text` in double quotes, with YAML escapes for quotes, backslashes, line
// breaks and control characters.
QString doubleQuotedYaml(const QString &text);

// Where toYaml() puts a value that belongs inside a larger YAML text.
struct YamlLayout
{
    // The indentation of the key (or the sequence dash) the value is written
    // under; the value's own lines are `step` spaces deeper.
    int indent = 0;
    // Spaces more for each level below (1 to 9).
    int step = 2;
    // When set, the keys of the mapping at `path` (relative to the value,
    // as YamlDocument writes paths; "" for the value itself) in the order to
    // write them: `object`'s keys, each once. By default QJsonObject's order.
    std::function<QStringList(const QString &path, const QJsonObject &object)> keyOrder;
    // False: multi-line strings double-quoted, never as literal blocks.
    bool literalBlocks = true;
};

// A value as toYaml() writes it under a key: `head` goes after "key:" on the
// key's line (" 12", " \"a: b\"", " {}", " |-"; "" for a mapping or sequence
// that is not empty), `lines` below it, without line breaks.
struct YamlBlock
{
    QString head;
    QStringList lines;
};
YamlBlock toYamlBlock(const QJsonValue &value, const YamlLayout &layout = {});

} // namespace pf::api
