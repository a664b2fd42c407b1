// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QString>
#include <QStringList>

namespace pf::api {

// Where a cursor is in a block-style YAML file, read from the text alone
// (indentation, "key:", "- ", quotes, comments, | and > blocks), so that it
// works while the file is being typed and does not parse: the editor's
// completion and hover help ask it.
//
//     const YamlContext at = yamlContextAt(text, line, column);
//     if (!at.inScalarBlock && !at.inSequence && !at.onValue)
//         offer(JobSchemaInfo::properties(at.mappingPath), at.siblings, at.prefix);
//
// Paths are YamlDocument's, without array items: the keys of mappings inside
// a sequence ("hosts:\n  - name: a") have the path of the sequence's key
// ("hosts.name"), and inSequence is set.
//
// Not understood (the context is then that of the line as plain text): flow
// collections ({a: 1}, [1, 2]) and quoted or plain scalars that go on over
// several lines, anchors and aliases, tags, complex keys ("? ").
struct YamlContext
{
    // The mapping the cursor is in: "" for the top level, "job_setting.docker".
    QString mappingPath;
    // On the value side, the key of the line ("image" in "  image: ubu|");
    // on the key side, the key token under the cursor ("ima" in "  ima|"),
    // without quotes. "" on a blank line.
    QString key;
    // After "key:" on that key's line (or inside its block scalar).
    bool onValue = false;
    // What is typed of the current token before the cursor: "ima" in
    // "  ima|ge", "ubu" in "  image: ubu|", without an opening quote.
    QString prefix;
    // The keys of the mapping at mappingPath, except the one on the cursor's
    // line, in the order written.
    QStringList siblings;
    // Inside a | or > block scalar, or a comment: nothing to complete.
    bool inScalarBlock = false;
    // On an item of a sequence ("- "), or in a mapping inside one.
    bool inSequence = false;
    // The current token on the cursor's line: 1-based columns (UTF-16 code
    // units), from its start to just after its end; an opening quote is
    // inside. On the key side the key (not the ':'); on the value side the
    // value up to a comment, without trailing spaces. 0 when there is none
    // (a comment, a block scalar's content).
    int tokenStart = 0;
    int tokenEnd = 0;
    // The indentation (spaces) of the keys of mappingPath, and that of a
    // mapping nested one level deeper, as this file indents (2 or 4 ...).
    int indent = 0;
    int childIndent = 2;
};

// The context at `line` (1-based) and `column` (1-based, in UTF-16 code
// units: the cursor stands before that character; one past the end of the
// line is its end). Lines end with \n, \r\n or \r. A cursor on a blank (or
// only spaces) line belongs to the innermost key above it that is indented
// less than the cursor's column. Out-of-range positions give the context of
// the nearest position in the text.
YamlContext yamlContextAt(const QString &text, int line, int column);

// The path of the key, or of the value, under the character at `line` and
// `column` (for hover help): "job_setting.docker.image" on either "image" or
// its value; a block scalar's content gives its key's path and a sequence
// item the sequence's. "" on blank space, a comment or a line that is neither.
QString yamlPathAt(const QString &text, int line, int column);

} // namespace pf::api
