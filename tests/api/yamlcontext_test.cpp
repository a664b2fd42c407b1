// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// yamlContextAt() and yamlPathAt(): where a cursor is in a job file that is
// being typed, from its text alone. A '^' in the texts below marks the
// cursor and is taken out before asking.

#include <ostream>
#include <string>

#include <gtest/gtest.h>

#include <QStringList>

#include "api/yamlcontext.h"

using namespace Qt::StringLiterals;
using pf::api::YamlContext;
using pf::api::yamlContextAt;
using pf::api::yamlPathAt;

// Readable failures (internal linkage: other files of the binary may have their own).
[[maybe_unused]] static void PrintTo(const QString &s, std::ostream *os)
{
    *os << '"' << s.toStdString() << '"';
}
[[maybe_unused]] static void PrintTo(const QStringList &list, std::ostream *os)
{
    *os << '{' << list.join(u", "_s).toStdString() << '}';
}

namespace {

struct Cursor
{
    QString text;
    int line = 0;
    int column = 0;
};

// The text without its '^', and the line and column where it was.
Cursor cursorIn(const QString &marked)
{
    const qsizetype at = marked.indexOf(u'^');
    EXPECT_GE(at, 0) << "no cursor in " << marked.toStdString();
    const QString before = marked.left(at);
    const qsizetype lineStart = before.lastIndexOf(u'\n') + 1;
    return Cursor{QString(marked).remove(at, 1), int(before.count(u'\n')) + 1,
                  int(at - lineStart) + 1};
}

YamlContext contextAt(const QString &marked)
{
    const Cursor c = cursorIn(marked);
    return yamlContextAt(c.text, c.line, c.column);
}

std::string show(const QStringList &list)
{
    return list.join(u", "_s).toStdString();
}

const QString kJob = u"# A job.\n"
                     "experiment: vision\n"
                     "vm: local-cpu-2c   # two cores\n"
                     "num_devices: 2\n"
                     "job_setting:\n"
                     "  type: custom\n"
                     "\n"
                     "  docker:\n"
                     "    image: \"friendliai/periflow:sdk\"\n"
                     "    command: |\n"
                     "      pip install -r requirements.txt\n"
                     "\n"
                     "      python3 main.py: --flag\n"
                     "    env_var:\n"
                     "      HF_HOME: /cache\n"
                     "data:\n"
                     "  name: cifar\n"_s;

} // namespace

TEST(YamlContext, KeySideAtTheTopLevel)
{
    const YamlContext at = contextAt(u"experiment: vision\nnu^\njob_setting:\n  type: custom\n"_s);
    EXPECT_EQ(at.mappingPath, u""_s);
    EXPECT_FALSE(at.onValue);
    EXPECT_EQ(at.key, u"nu"_s);
    EXPECT_EQ(at.prefix, u"nu"_s);
    EXPECT_EQ(at.siblings, (QStringList{u"experiment"_s, u"job_setting"_s})) << show(at.siblings);
    EXPECT_FALSE(at.inScalarBlock);
    EXPECT_FALSE(at.inSequence);
    EXPECT_EQ(at.tokenStart, 1);
    EXPECT_EQ(at.tokenEnd, 3);
    EXPECT_EQ(at.indent, 0);
    EXPECT_EQ(at.childIndent, 2);
}

TEST(YamlContext, KeySideInANestedMapping)
{
    const YamlContext at =
        contextAt(QString(kJob).replace(u"    env_var:"_s, u"    cre^\n    env_var:"_s));
    EXPECT_EQ(at.mappingPath, u"job_setting.docker"_s);
    EXPECT_FALSE(at.onValue);
    EXPECT_EQ(at.prefix, u"cre"_s);
    EXPECT_EQ(at.siblings, (QStringList{u"image"_s, u"command"_s, u"env_var"_s}))
        << show(at.siblings);
    EXPECT_EQ(at.indent, 4);
    EXPECT_EQ(at.childIndent, 6);
}

TEST(YamlContext, CursorInsideAKeyAndBeforeIt)
{
    YamlContext at = contextAt(u"job_setting:\n  ty^pe: custom\n"_s);
    EXPECT_EQ(at.mappingPath, u"job_setting"_s);
    EXPECT_FALSE(at.onValue);
    EXPECT_EQ(at.key, u"type"_s);
    EXPECT_EQ(at.prefix, u"ty"_s);
    EXPECT_EQ(at.tokenStart, 3);
    EXPECT_EQ(at.tokenEnd, 7);
    EXPECT_TRUE(at.siblings.isEmpty()) << show(at.siblings); // its own line does not count

    at = contextAt(u"job_setting:\n^  type: custom\n"_s);
    EXPECT_EQ(at.mappingPath, u"job_setting"_s);
    EXPECT_EQ(at.prefix, u""_s);
}

TEST(YamlContext, ValueSide)
{
    YamlContext at = contextAt(u"vm: loc^al-cpu  # a comment\n"_s);
    EXPECT_EQ(at.mappingPath, u""_s);
    EXPECT_TRUE(at.onValue);
    EXPECT_EQ(at.key, u"vm"_s);
    EXPECT_EQ(at.prefix, u"loc"_s);
    EXPECT_EQ(at.tokenStart, 5);
    EXPECT_EQ(at.tokenEnd, 14); // "local-cpu", not the spaces or the comment

    at = contextAt(u"job_setting:\n  type: ^\n"_s);
    EXPECT_EQ(at.mappingPath, u"job_setting"_s);
    EXPECT_TRUE(at.onValue);
    EXPECT_EQ(at.key, u"type"_s);
    EXPECT_EQ(at.prefix, u""_s);
    EXPECT_EQ(at.tokenStart, 9);
    EXPECT_EQ(at.tokenEnd, 9);

    // Right after the colon.
    at = contextAt(u"vm:^\n"_s);
    EXPECT_TRUE(at.onValue);
    EXPECT_EQ(at.key, u"vm"_s);
    EXPECT_EQ(at.tokenStart, 4);

    // Quoted: the prefix without the quote, the token with it.
    at = contextAt(u"experiment: \"vis^ion\"\n"_s);
    EXPECT_TRUE(at.onValue);
    EXPECT_EQ(at.prefix, u"vis"_s);
    EXPECT_EQ(at.tokenStart, 13);
    EXPECT_EQ(at.tokenEnd, 21);
}

TEST(YamlContext, CommentsAreNotCompleted)
{
    YamlContext at = contextAt(u"vm: local  # pick ^one\n"_s);
    EXPECT_TRUE(at.inScalarBlock);
    at = contextAt(u"job_setting:\n  # the ty^pe\n  type: custom\n"_s);
    EXPECT_TRUE(at.inScalarBlock);
    EXPECT_EQ(at.mappingPath, u"job_setting"_s);
    // A '#' inside a word or quotes is not a comment.
    at = contextAt(u"channel: \"#ml^\"\n"_s);
    EXPECT_FALSE(at.inScalarBlock);
    EXPECT_EQ(at.prefix, u"#ml"_s);
    at = contextAt(u"name: run#2^\n"_s);
    EXPECT_FALSE(at.inScalarBlock);
    EXPECT_EQ(at.prefix, u"run#2"_s);
}

TEST(YamlContext, BlockScalars)
{
    // Inside the block, blank lines in it included, and lines that look like keys.
    for (const QString &marker : {u"pip in^stall"_s, u"python3 main^.py"_s}) {
        QString marked = kJob;
        marked.replace(marker.left(marker.indexOf(u'^')) + marker.mid(marker.indexOf(u'^') + 1),
                       marker);
        const YamlContext at = contextAt(marked);
        EXPECT_TRUE(at.inScalarBlock) << marker.toStdString();
        EXPECT_TRUE(at.onValue);
        EXPECT_EQ(at.mappingPath, u"job_setting.docker"_s);
        EXPECT_EQ(at.key, u"command"_s);
    }
    // The blank line inside the block, at the block's indentation.
    QStringList lines = kJob.split(u'\n');
    lines[11] = u"      ^"_s;
    EXPECT_TRUE(contextAt(lines.join(u'\n')).inScalarBlock);
    // After the block, its sibling.
    const YamlContext at = contextAt(QString(kJob).replace(u"    env_var:"_s, u"    e^nv_var:"_s));
    EXPECT_FALSE(at.inScalarBlock);
    EXPECT_EQ(at.mappingPath, u"job_setting.docker"_s);
    EXPECT_EQ(at.key, u"env_var"_s);
    // Folded (>) and with indicators (^-) too.
    EXPECT_TRUE(contextAt(u"command: >-\n  python3 ^main.py\nvm: x\n"_s).inScalarBlock);
    EXPECT_FALSE(contextAt(u"command: >-\n  python3 main.py\nv^m: x\n"_s).inScalarBlock);
}

TEST(YamlContext, BlankLinesBelongToTheKeyAboveTheCursorsColumn)
{
    // Indented under docker's keys: docker's mapping.
    QStringList lines = kJob.split(u'\n');
    lines.insert(15, u"    ^"_s); // after "      HF_HOME: /cache"
    YamlContext at = contextAt(lines.join(u'\n'));
    EXPECT_EQ(at.mappingPath, u"job_setting.docker"_s);
    EXPECT_FALSE(at.onValue);
    EXPECT_EQ(at.prefix, u""_s);
    EXPECT_EQ(at.siblings, (QStringList{u"image"_s, u"command"_s, u"env_var"_s}));
    EXPECT_EQ(at.indent, 4);

    // Two columns in: job_setting's.
    lines[15] = u"  ^"_s;
    at = contextAt(lines.join(u'\n'));
    EXPECT_EQ(at.mappingPath, u"job_setting"_s);
    EXPECT_EQ(at.siblings, (QStringList{u"type"_s, u"docker"_s}));

    // At the start of the line: the top level, with every top-level key.
    lines[15] = u"^"_s;
    at = contextAt(lines.join(u'\n'));
    EXPECT_EQ(at.mappingPath, u""_s);
    EXPECT_EQ(at.siblings, (QStringList{u"experiment"_s, u"vm"_s, u"num_devices"_s,
                                        u"job_setting"_s, u"data"_s}));

    // Right under a key that opens a mapping.
    at = contextAt(u"job_setting:\n  docker:\n    ^\n"_s);
    EXPECT_EQ(at.mappingPath, u"job_setting.docker"_s);
    EXPECT_TRUE(at.siblings.isEmpty());
}

TEST(YamlContext, FourSpaceIndentation)
{
    const QString text = u"job_setting:\n"
                         "    type: custom\n"
                         "    docker:\n"
                         "        image: x\n"
                         "        ^\n"_s;
    const YamlContext at = contextAt(text);
    EXPECT_EQ(at.mappingPath, u"job_setting.docker"_s);
    EXPECT_EQ(at.siblings, QStringList{u"image"_s});
    EXPECT_EQ(at.indent, 8);
    EXPECT_EQ(at.childIndent, 12);
    EXPECT_EQ(contextAt(u"job_setting:\n    docker:\n    ^\n"_s).mappingPath, u"job_setting"_s);
}

TEST(YamlContext, Sequences)
{
    const QString text = u"hosts:\n"
                         "  - name: a\n"
                         "    port: 1\n"
                         "  - name: b\n"
                         "    p^\n"
                         "tags:\n"
                         "- one\n"
                         "- two\n"
                         "after: 1\n"_s;
    YamlContext at = contextAt(text);
    EXPECT_EQ(at.mappingPath, u"hosts"_s);
    EXPECT_TRUE(at.inSequence);
    EXPECT_EQ(at.prefix, u"p"_s);

    // A sequence at its key's own indentation, and the key after it.
    QString plain = QString(text).remove(u'^');
    at = yamlContextAt(plain, 8, 4); // "- tw^o"
    EXPECT_TRUE(at.inSequence);
    EXPECT_EQ(at.mappingPath, u"tags"_s);
    at = yamlContextAt(plain, 9, 3); // "af^ter: 1"
    EXPECT_FALSE(at.inSequence);
    EXPECT_EQ(at.mappingPath, u""_s);
    EXPECT_EQ(at.siblings, (QStringList{u"hosts"_s, u"tags"_s}));

    EXPECT_EQ(yamlPathAt(plain, 2, 7), u"hosts.name"_s); // "n" of name
    EXPECT_EQ(yamlPathAt(plain, 3, 11), u"hosts.port"_s);
    EXPECT_EQ(yamlPathAt(plain, 7, 3), u"tags"_s); // the item "one"
    EXPECT_EQ(yamlPathAt(plain, 9, 1), u"after"_s);
}

TEST(YamlContext, QuotedKeys)
{
    YamlContext at = contextAt(u"env_var:\n  \"MY KEY\": 1\n  'it''s': x^\n"_s);
    EXPECT_EQ(at.key, u"it's"_s);
    EXPECT_TRUE(at.onValue);
    EXPECT_EQ(at.mappingPath, u"env_var"_s);
    EXPECT_EQ(at.siblings, QStringList{u"MY KEY"_s});
    EXPECT_EQ(yamlPathAt(u"env_var:\n  \"MY KEY\": 1\n"_s, 2, 4), u"env_var.MY KEY"_s);
}

TEST(YamlContext, CrLfLineEndings)
{
    QString text = kJob;
    text.replace(u"\n"_s, u"\r\n"_s);
    EXPECT_EQ(yamlPathAt(text, 9, 6), u"job_setting.docker.image"_s);
    EXPECT_EQ(yamlPathAt(text, 11, 8), u"job_setting.docker.command"_s);
    const YamlContext at = yamlContextAt(text, 4, 15); // the end of "num_devices: 2"
    EXPECT_TRUE(at.onValue);
    EXPECT_EQ(at.key, u"num_devices"_s);
    EXPECT_EQ(at.prefix, u"2"_s);
    EXPECT_EQ(at.tokenEnd, 15);
}

TEST(YamlContext, PathsUnderPositions)
{
    EXPECT_EQ(yamlPathAt(kJob, 4, 1), u"num_devices"_s);
    EXPECT_EQ(yamlPathAt(kJob, 4, 11), u"num_devices"_s);
    EXPECT_EQ(yamlPathAt(kJob, 4, 12), u"num_devices"_s); // the colon
    EXPECT_EQ(yamlPathAt(kJob, 4, 14), u"num_devices"_s); // the value
    EXPECT_EQ(yamlPathAt(kJob, 4, 15), u""_s);            // past the end
    EXPECT_EQ(yamlPathAt(kJob, 3, 6), u"vm"_s);
    EXPECT_EQ(yamlPathAt(kJob, 3, 18), u""_s); // spaces before the comment
    EXPECT_EQ(yamlPathAt(kJob, 3, 22), u""_s); // the comment
    EXPECT_EQ(yamlPathAt(kJob, 1, 3), u""_s);  // a comment line
    EXPECT_EQ(yamlPathAt(kJob, 7, 1), u""_s);  // a blank line
    EXPECT_EQ(yamlPathAt(kJob, 6, 1), u""_s);  // indentation
    EXPECT_EQ(yamlPathAt(kJob, 6, 3), u"job_setting.type"_s);
    EXPECT_EQ(yamlPathAt(kJob, 9, 12), u"job_setting.docker.image"_s);
    EXPECT_EQ(yamlPathAt(kJob, 13, 9), u"job_setting.docker.command"_s); // in the block
    EXPECT_EQ(yamlPathAt(kJob, 15, 7), u"job_setting.docker.env_var.HF_HOME"_s);
    EXPECT_EQ(yamlPathAt(kJob, 17, 3), u"data.name"_s);
    EXPECT_EQ(yamlPathAt(kJob, 0, 1), u""_s);
    EXPECT_EQ(yamlPathAt(kJob, 99, 1), u""_s);
}

TEST(YamlContext, IncompleteAndOddText)
{
    // Nothing at all, out-of-range positions, unterminated quotes, a tab.
    EXPECT_EQ(yamlContextAt({}, 1, 1).mappingPath, u""_s);
    EXPECT_EQ(yamlContextAt(u"a:\n  b: 1\n"_s, 40, 3).mappingPath, u""_s);
    EXPECT_EQ(yamlContextAt(u"a:\n  b: 1\n"_s, -2, -5).key, u"a"_s);
    YamlContext at = contextAt(u"a:\n  \"b: ^\n"_s);
    EXPECT_EQ(at.mappingPath, u"a"_s);
    EXPECT_FALSE(at.onValue);
    at = contextAt(u"a:\n\tb^\n"_s);
    EXPECT_EQ(at.mappingPath, u""_s);
    // A second document starts again at the top.
    at = contextAt(u"a:\n  b: 1\n---\n  ^\n"_s);
    EXPECT_EQ(at.mappingPath, u""_s);
    EXPECT_TRUE(at.siblings.isEmpty()) << show(at.siblings);
}
