// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <optional>

#include <QJsonValue>
#include <QString>
#include <QStringList>

namespace pf::api {

// Changes to the text of a YAML file that keep everything else the user
// wrote: comments, blank lines, key order, indentation, line endings and the
// style of every value not changed. The launcher's form edits the YAML view
// through these, one field at a time.
//
//     // The user picked another VM in the form:
//     if (const auto text = YamlEdit::set(editor.text(), u"vm"_s, u"local-cpu-4c"_s))
//         editor.replaceText(*text);
//
// Paths are YamlDocument's ("job_setting.docker.image"); every segment names
// a mapping member (no array items: a job file's form never edits those).
//
// Where a node ends is read from the indentation: a member's node is its
// key's line and the lines after it indented more than the key (for a value
// on the next lines, also "- " items at the key's indentation), with the
// blank and comment lines among them whatever their indentation; the blank
// and comment lines after its last line are not part of it, so the comments
// above a key stay with that key. A block scalar (| >) ends where a line is
// indented less than its text (a line of it that looks like a comment is
// text), with |+ after the blank lines that follow; a quoted scalar or flow
// collection ends at its closing quote or bracket.
//
// Line breaks: new lines get the file's (CRLF when its first line ends so).
// A file without a line break at its end keeps it so, unless lines are added
// after its last line or a block scalar ends the file. A byte order mark at
// the start stays.
//
// Every result is read back with YamlDocument::parse(), and must give the
// expected JSON. When it does not (a form this does not follow: an alias
// that shares the changed value, a complex "? " key, ...), the same change
// is made by writing the parent anew in block style, then the grandparent,
// and so on, and at last the whole document below its leading comments and
// "---": correct, but the comments inside what is written anew are lost.
//
// Both return std::nullopt when `yaml` is not a YAML document YamlDocument
// parses (tabs do not indent), when its root is neither a mapping nor empty
// (comments, blank lines, "---" and "..." only), or when no text gives the
// expected JSON (a value nested deeper than YamlDocument::kMaxDepth); the
// caller keeps the text as it is.
//
// Threads: reentrant.
class YamlEdit
{
public:
    // `yaml` with the value at `path` set to `value` (not undefined), such that
    // YamlDocument::parse(result).json() is the old JSON with that one value
    // set (parents that are missing, or not mappings, become mappings), and
    // every line outside the changed node is kept byte for byte. `yaml`
    // unchanged when the value is already that.
    //  - An existing scalar written on the key's line has just its text
    //    replaced; a comment after it on that line stays. A new single-line
    //    string keeps the old quoting style (plain, '...' or "...") where that
    //    style can hold it and reads back as the same string.
    //  - Any other existing value (a mapping, a sequence, a block scalar, a
    //    multi-line scalar, an alias) is replaced with the new value's block
    //    YAML, from after "key:" to the node's last line; a comment on the
    //    key's line stays there. An anchor or tag of the old value goes.
    //  - A missing member is added to its parent mapping with the indentation
    //    of its siblings; missing parents are added along the way, and a
    //    parent that is a scalar or null becomes a mapping (it is replaced as
    //    above). It goes after the sibling (full paths) that `keyOrder` (e.g.
    //    {"experiment", "name", "vm", ...}) places closest before it, else
    //    before the one it places closest after it (and the comment lines
    //    right above that one), else after the last sibling. An empty
    //    document gets it at its end (before a "..." end marker).
    //  - A flow-style ancestor ({a: 1}) that must change is rewritten in
    //    block style, its keys in their old order.
    // Values are written as toYaml() writes them: strings plain when they read
    // back unchanged, double-quoted otherwise, multi-line strings as literal
    // blocks (|-, |, |+; an indentation indicator when the text starts with
    // white space), mappings and sequences in block style, new keys of a new
    // mapping in `keyOrder`'s order. Nested levels are indented by the file's
    // step (that of its first nested mapping; 2 when it has none). A literal
    // block that would take the comment or blank lines after it into its text
    // is double-quoted instead.
    static std::optional<QString> set(const QString &yaml, const QString &path,
                                      const QJsonValue &value, const QStringList &keyOrder = {});

    // `yaml` without the member at `path`: its key line and the rest of its
    // node (comment lines inside the node go with it; those above the key
    // stay, and so do those below it, unless a block scalar above would take
    // them into its text once the member is gone). A parent mapping left
    // empty goes too, up to the root (an emptied document reads as null).
    // `yaml` unchanged when `path` is not in it.
    static std::optional<QString> remove(const QString &yaml, const QString &path);
};

} // namespace pf::api
