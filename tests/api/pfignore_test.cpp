// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// PfIgnore against git's gitignore rules: comments and escapes, negation and
// its limit under ignored folders, anchoring, folders only, wildcards and
// `**`, and input meant to make the matcher slow.

#include <chrono>

#include <gtest/gtest.h>

#include <QString>

#include "api/pfignore.h"

using namespace Qt::StringLiterals;
using pf::api::PfIgnore;

namespace {

bool ignoredFile(const char *rules, const QString &path)
{
    return PfIgnore::parse(QByteArray(rules)).ignored(path, false);
}

bool ignoredDir(const char *rules, const QString &path)
{
    return PfIgnore::parse(QByteArray(rules)).ignored(path, true);
}

} // namespace

TEST(PfIgnore, BlankLinesAndCommentsAreNoRules)
{
    const PfIgnore r = PfIgnore::parse("\n# a comment\n   \n\r\n#*.py\n");
    EXPECT_EQ(r.ruleCount(), 0);
    EXPECT_FALSE(r.ignored(u"main.py"_s, false));
    EXPECT_FALSE(r.ignored(u"# a comment"_s, false));
}

TEST(PfIgnore, EscapedHashAndBangAreLiteral)
{
    EXPECT_TRUE(ignoredFile("\\#notes", u"#notes"_s));
    EXPECT_TRUE(ignoredFile("\\!important", u"!important"_s));
    EXPECT_FALSE(ignoredFile("\\!important", u"important"_s));
    EXPECT_TRUE(ignoredFile("a\\*b", u"a*b"_s));
    EXPECT_FALSE(ignoredFile("a\\*b", u"axb"_s));
    EXPECT_FALSE(ignoredFile("trailing\\", u"trailing"_s)); // malformed: matches nothing
}

TEST(PfIgnore, TrailingSpacesAreDroppedUnlessEscaped)
{
    EXPECT_TRUE(ignoredFile("foo   ", u"foo"_s));
    EXPECT_FALSE(ignoredFile("foo   ", u"foo "_s));
    EXPECT_TRUE(ignoredFile("foo\\ ", u"foo "_s));
    EXPECT_FALSE(ignoredFile("foo\\ ", u"foo"_s));
    EXPECT_TRUE(ignoredFile("foo\r\nbar\r\n", u"bar"_s)); // CRLF files
    EXPECT_TRUE(ignoredFile("\xEF\xBB\xBF"
                            "foo",
                            u"foo"_s)); // a BOM
}

TEST(PfIgnore, NegationLaterRulesWin)
{
    const PfIgnore r = PfIgnore::parse("*.log\n!keep.log\n");
    EXPECT_TRUE(r.ignored(u"a.log"_s, false));
    EXPECT_TRUE(r.ignored(u"sub/a.log"_s, false));
    EXPECT_FALSE(r.ignored(u"keep.log"_s, false));
    EXPECT_FALSE(r.ignored(u"sub/keep.log"_s, false));
    // The other order: the broad rule comes last and wins.
    const PfIgnore s = PfIgnore::parse("!keep.log\n*.log\n");
    EXPECT_TRUE(s.ignored(u"keep.log"_s, false));
}

TEST(PfIgnore, NothingUnderAnIgnoredFolderComesBack)
{
    const PfIgnore r = PfIgnore::parse("build/\n!build/keep.txt\n");
    EXPECT_TRUE(r.ignored(u"build"_s, true));
    EXPECT_TRUE(r.ignored(u"build/keep.txt"_s, false));
    EXPECT_TRUE(r.ignored(u"build/x/y.o"_s, false));
    // matches() alone looks at the path, not its parents.
    EXPECT_FALSE(r.matches(u"build/keep.txt"_s, false));
    // The git way to keep one file: ignore the contents, not the folder.
    const PfIgnore s = PfIgnore::parse("build/*\n!build/keep.txt\n");
    EXPECT_FALSE(s.ignored(u"build"_s, true));
    EXPECT_FALSE(s.ignored(u"build/keep.txt"_s, false));
    EXPECT_TRUE(s.ignored(u"build/other.txt"_s, false));
}

TEST(PfIgnore, APatternWithoutSlashMatchesAtAnyDepth)
{
    EXPECT_TRUE(ignoredFile("data", u"data"_s));
    EXPECT_TRUE(ignoredFile("data", u"a/b/data"_s));
    EXPECT_TRUE(ignoredFile("data", u"a/data/file.bin"_s)); // through its folder
    EXPECT_FALSE(ignoredFile("data", u"database"_s));
    EXPECT_TRUE(ignoredFile("*.pyc", u"pkg/__pycache__/m.pyc"_s));
}

TEST(PfIgnore, ASlashAnchorsToTheRoot)
{
    EXPECT_TRUE(ignoredFile("/todo.txt", u"todo.txt"_s));
    EXPECT_FALSE(ignoredFile("/todo.txt", u"sub/todo.txt"_s));
    EXPECT_TRUE(ignoredFile("doc/frotz", u"doc/frotz"_s));
    EXPECT_FALSE(ignoredFile("doc/frotz", u"a/doc/frotz"_s));
    EXPECT_TRUE(ignoredFile("doc/frotz/", u"doc/frotz/x.txt"_s));
    EXPECT_TRUE(ignoredFile("/doc/*.txt", u"doc/a.txt"_s));
    EXPECT_FALSE(ignoredFile("/doc/*.txt", u"doc/sub/a.txt"_s)); // `*` stops at `/`
}

TEST(PfIgnore, TrailingSlashMeansFoldersOnly)
{
    EXPECT_TRUE(ignoredDir("logs/", u"logs"_s));
    EXPECT_FALSE(ignoredFile("logs/", u"logs"_s));
    EXPECT_TRUE(ignoredFile("logs/", u"logs/today.txt"_s));
    EXPECT_TRUE(ignoredFile("logs/", u"a/logs/today.txt"_s));
    EXPECT_FALSE(ignoredFile("logs/", u"a/logs"_s));
}

TEST(PfIgnore, StarsQuestionMarksAndClasses)
{
    EXPECT_TRUE(ignoredFile("*.o", u".o"_s));
    EXPECT_TRUE(ignoredFile("a?c", u"abc"_s));
    EXPECT_FALSE(ignoredFile("a?c", u"ac"_s));
    EXPECT_FALSE(ignoredFile("a?c", u"a/c"_s));
    EXPECT_TRUE(ignoredFile("file[0-9].txt", u"file7.txt"_s));
    EXPECT_FALSE(ignoredFile("file[0-9].txt", u"filex.txt"_s));
    EXPECT_TRUE(ignoredFile("file[!0-9].txt", u"filex.txt"_s));
    EXPECT_TRUE(ignoredFile("file[^0-9].txt", u"filex.txt"_s));
    EXPECT_FALSE(ignoredFile("file[!0-9].txt", u"file1.txt"_s));
    EXPECT_TRUE(ignoredFile("[]]x", u"]x"_s));
    EXPECT_TRUE(ignoredFile("[[:digit:]][[:alpha:]]", u"1a"_s));
    EXPECT_FALSE(ignoredFile("[[:digit:]][[:alpha:]]", u"a1"_s));
    EXPECT_FALSE(ignoredFile("[abc", u"[abc"_s)); // unterminated: matches nothing
    EXPECT_FALSE(ignoredFile("[[:nosuch:]]", u"a"_s));
    EXPECT_TRUE(ignoredFile("Ünï*", u"Ünïcode"_s));
    EXPECT_FALSE(ignoredFile("*.PY", u"main.py"_s)); // case matters, as on Linux
}

TEST(PfIgnore, DoubleStars)
{
    // Leading: in every folder.
    EXPECT_TRUE(ignoredFile("**/foo", u"foo"_s));
    EXPECT_TRUE(ignoredFile("**/foo", u"a/b/foo"_s));
    EXPECT_TRUE(ignoredFile("**/foo/bar", u"x/foo/bar"_s));
    EXPECT_TRUE(ignoredFile("**/foo/bar", u"foo/bar"_s));
    EXPECT_FALSE(ignoredFile("**/foo/bar", u"foo/x/bar"_s));
    // Trailing: everything inside, not the folder itself.
    EXPECT_TRUE(ignoredFile("abc/**", u"abc/x"_s));
    EXPECT_TRUE(ignoredFile("abc/**", u"abc/x/y/z"_s));
    EXPECT_FALSE(ignoredDir("abc/**", u"abc"_s));
    EXPECT_FALSE(ignoredFile("abc/**", u"x/abc/y"_s));
    // Middle: zero or more folders.
    EXPECT_TRUE(ignoredFile("a/**/b", u"a/b"_s));
    EXPECT_TRUE(ignoredFile("a/**/b", u"a/x/b"_s));
    EXPECT_TRUE(ignoredFile("a/**/b", u"a/x/y/b"_s));
    EXPECT_FALSE(ignoredFile("a/**/b", u"a/xb"_s));
    EXPECT_FALSE(ignoredFile("a/**/b", u"b"_s));
    // Elsewhere `**` is a plain `*`.
    EXPECT_TRUE(ignoredFile("foo**bar", u"fooxbar"_s));
    EXPECT_FALSE(ignoredFile("/foo**bar", u"foo/bar"_s));
    // Everything, then something back.
    const PfIgnore r = PfIgnore::parse("**\n!*.py\n");
    EXPECT_FALSE(r.ignored(u"main.py"_s, false));
    EXPECT_TRUE(r.ignored(u"data.bin"_s, false));
}

TEST(PfIgnore, VeryLongLinesAreHandled)
{
    const QByteArray longName(200000, 'x');
    const PfIgnore r = PfIgnore::parse(longName + "\n" + QByteArray(100000, '*') + "y\n");
    EXPECT_EQ(r.ruleCount(), 2);
    EXPECT_TRUE(r.ignored(QString::fromLatin1(longName), false));
    EXPECT_TRUE(r.ignored(u"ay"_s, false));
    EXPECT_FALSE(r.ignored(u"xyz"_s, false));
}

TEST(PfIgnore, ManyStarsStayFast)
{
    // A backtracking matcher takes exponential time on these.
    const auto start = std::chrono::steady_clock::now();
    QByteArray stars;
    for (int i = 0; i < 2000; ++i)
        stars += "*a";
    const PfIgnore r = PfIgnore::parse(stars + "b\n" + "a/**/**/**/**/**/**/**/**/**/**/c\n" +
                                       "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b\n");
    const QString as(4000, u'a');
    EXPECT_FALSE(r.ignored(as, false));
    EXPECT_TRUE(r.ignored(as + u'b', false));
    QString deep = u"a"_s;
    for (int i = 0; i < 500; ++i)
        deep += u"/a"_s;
    EXPECT_FALSE(r.ignored(deep + u"/d"_s, false));
    EXPECT_TRUE(r.ignored(deep + u"/c"_s, false));
    const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
    EXPECT_LT(seconds.count(), 5.0);
}

TEST(PfIgnore, TenThousandRules)
{
    QByteArray text;
    for (int i = 0; i < 10000; ++i)
        text += "dir" + QByteArray::number(i) + "/*.tmp\n!keep" + QByteArray::number(i) + "\n";
    const auto start = std::chrono::steady_clock::now();
    const PfIgnore r = PfIgnore::parse(text);
    EXPECT_EQ(r.ruleCount(), 20000);
    int ignored = 0;
    for (int i = 0; i < 200; ++i)
        ignored += r.ignored(u"dir%1/x.tmp"_s.arg(i * 37), false) ? 1 : 0;
    EXPECT_EQ(ignored, 200);
    EXPECT_FALSE(r.ignored(u"dir1/x.txt"_s, false));
    EXPECT_FALSE(r.ignored(u"keep5"_s, false));
    const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
    EXPECT_LT(seconds.count(), 5.0);
}
