// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <vector>

#include <QByteArray>
#include <QString>

namespace pf::api {

// The rules of a workspace's `.pfignore`, in gitignore syntax: which files
// the workspace zip leaves out (shared/API.md, "Jobs").
//
// Only the `.pfignore` at the workspace's root is read; files of that name
// in sub-folders are ordinary files (sent unless a rule says otherwise).
// The `.pfignore` itself is sent, as git tracks its `.gitignore`; a rule may
// exclude it.
//
// Syntax, as git's:
// - blank lines and lines starting with `#` are skipped; `\#` and `\!` start
//   a pattern with a literal `#` or `!`;
// - trailing spaces are dropped unless escaped (`foo\ `); a trailing `\r`
//   (CRLF files) and a leading UTF-8 BOM are dropped;
// - `!` negates: the last matching rule wins, but a path under an ignored
//   folder stays ignored (git does not look into ignored folders);
// - a pattern with a `/` at its start or middle is anchored to the root;
//   one without matches the name at any depth; a trailing `/` matches
//   folders only;
// - `*` and `?` match within one path segment, `[...]` is a class (`[!...]`
//   or `[^...]` negates, ranges, `[:alpha:]`-style names); `\` escapes;
// - `**/` leading, `/**/` in the middle match zero or more folders, `/**`
//   at the end everything inside; other `**` are plain `*`.
// A pattern with an unterminated `[` or a lone trailing `\` matches nothing
// (as in git).
//
// Matching is a set-of-states simulation: time O(pattern × path) at worst
// per rule, never exponential, memory O(pattern).
//
//   const PfIgnore rules = PfIgnore::parse(file.readAll());
//   if (rules.ignored(u"build/out.o"_s, false)) ...
//
// A value type; const methods are safe from any thread.
class PfIgnore
{
public:
    // Rules of one `.pfignore` file's content (UTF-8).
    static PfIgnore parse(const QByteArray &text);

    // Whether `relativePath` (relative to the workspace root, `/`-separated,
    // no leading `/`) is left out: it, or one of its parent folders, is
    // ignored. `isDir` says whether the path is a folder.
    bool ignored(const QString &relativePath, bool isDir) const;

    // The verdict of the rules on this path alone, not looking at its
    // parents: for a walker that never descends into ignored folders.
    bool matches(const QString &relativePath, bool isDir) const;

    int ruleCount() const { return int(m_rules.size()); }

private:
    enum class Kind : unsigned char {
        Literal, // the character `c`
        AnyChar, // `?`: any but `/`
        Class,   // `[...]`: classes[index], never `/`
        Star,    // `*`: any run without `/`
        AnyDirs, // `**/`: empty, or any run ending in `/`
        AnyAll,  // trailing `**`: any run
    };
    struct Token
    {
        Kind kind = Kind::Literal;
        char16_t c = 0;
        int index = 0;
    };
    struct CharClass
    {
        bool negated = false;
        std::vector<std::pair<char16_t, char16_t>> ranges;
        std::vector<int> named; // the [:name:] classes, as indexes
    };
    struct Rule
    {
        std::vector<Token> tokens;
        std::vector<CharClass> classes;
        bool negated = false;
        bool dirOnly = false;
        bool anchored = false; // matched against the whole path, else the name
    };

    static bool compile(const QString &pattern, Rule *rule);
    static bool classMatches(const CharClass &cls, char16_t ch);
    static bool match(const Rule &rule, QStringView text);

    std::vector<Rule> m_rules;
};

} // namespace pf::api
