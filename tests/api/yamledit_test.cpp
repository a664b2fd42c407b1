// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// YamlEdit: exact results for the forms a job file is written in (comments
// after values, quoting styles, block scalars, flow collections, document
// markers, CRLF, no final line break), then random sequences of edits on the
// template and on files in odd styles, checked against the same edits made
// to a JSON model and for the comments they keep; hostile sizes last. The
// toYaml() literal blocks the edits write are checked here too.

#include <chrono>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include "api/yamldocument.h"
#include "api/yamledit.h"

using namespace Qt::StringLiterals;
using pf::api::YamlDocument;
using pf::api::YamlEdit;

namespace {

// As std::string, so that a failure prints the text; "<none>" for nullopt.
std::string str(const std::optional<QString> &yaml)
{
    return yaml ? yaml->toStdString() : std::string("<none>");
}

std::string set(const char *yaml, const QString &path, const QJsonValue &value,
                const QStringList &keyOrder = {})
{
    return str(YamlEdit::set(QString::fromUtf8(yaml), path, value, keyOrder));
}

std::string remove(const char *yaml, const QString &path)
{
    return str(YamlEdit::remove(QString::fromUtf8(yaml), path));
}

std::string compact(const QJsonValue &value)
{
    return QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact).toStdString();
}

// The document's JSON, {} for an empty one.
QJsonValue jsonOf(const QString &yaml)
{
    const YamlDocument doc = YamlDocument::parse(yaml.toUtf8());
    if (!doc.isParsed())
        return QJsonValue(QJsonValue::Undefined);
    return doc.json().isNull() ? QJsonValue(QJsonObject()) : doc.json();
}

// The job schema's top-level keys and members, in its order.
const QStringList kKeyOrder = {
    u"experiment"_s,
    u"name"_s,
    u"vm"_s,
    u"num_devices"_s,
    u"job_setting"_s,
    u"job_setting.type"_s,
    u"job_setting.docker"_s,
    u"job_setting.docker.image"_s,
    u"job_setting.docker.command"_s,
    u"job_setting.docker.command.setup"_s,
    u"job_setting.docker.command.run"_s,
    u"job_setting.docker.credential_id"_s,
    u"job_setting.docker.env_var"_s,
    u"job_setting.workspace"_s,
    u"job_setting.workspace.mount_path"_s,
    u"checkpoint"_s,
    u"checkpoint.input"_s,
    u"checkpoint.input.id"_s,
    u"checkpoint.input.mount_path"_s,
    u"checkpoint.output_checkpoint_dir"_s,
    u"data"_s,
    u"data.name"_s,
    u"data.mount_path"_s,
    u"dist"_s,
    u"dist.dp_degree"_s,
    u"plugin"_s,
    u"plugin.wandb"_s,
    u"plugin.wandb.credential_id"_s,
};

} // namespace

TEST(YamlEdit, ScalarIsReplacedKeepingItsComment)
{
    EXPECT_EQ(set("vm: local-cpu-2c   # the VM type\nname: x\n", u"vm"_s, u"local-cpu-4c"_s),
              "vm: local-cpu-4c   # the VM type\nname: x\n");
    EXPECT_EQ(set("num_devices: 2 # two\n", u"num_devices"_s, 8), "num_devices: 8 # two\n");
    EXPECT_EQ(set("a: \"x # not a comment\"  # a comment\n", u"a"_s, u"y"_s),
              "a: \"y\"  # a comment\n");
    EXPECT_EQ(set("a: b#c\n", u"a"_s, u"d"_s), "a: d\n");
    EXPECT_EQ(set("a: 1\nb: 2\n", u"a"_s, QJsonValue(QJsonValue::Null)), "a: null\nb: 2\n");
    EXPECT_EQ(set("a: 1\n", u"a"_s, true), "a: true\n");
    EXPECT_EQ(set("a: 1\n", u"a"_s, QJsonObject()), "a: {}\n");
    EXPECT_EQ(set("a:    # empty\nb: 2\n", u"a"_s, u"x"_s), "a: x    # empty\nb: 2\n");
    // Setting what is there changes nothing.
    EXPECT_EQ(set("a:   'x'  # c\n", u"a"_s, u"x"_s), "a:   'x'  # c\n");
}

TEST(YamlEdit, QuotingStyleIsKept)
{
    const char *yaml = "a: 'single'\nb: \"double\"\nc: plain\n";
    EXPECT_EQ(set(yaml, u"a"_s, u"it's"_s), "a: 'it''s'\nb: \"double\"\nc: plain\n");
    EXPECT_EQ(set(yaml, u"a"_s, u"12"_s), "a: '12'\nb: \"double\"\nc: plain\n");
    EXPECT_EQ(set(yaml, u"a"_s, u"tab\there"_s), "a: 'tab\there'\nb: \"double\"\nc: plain\n");
    EXPECT_EQ(set(yaml, u"a"_s, u"bell\u0007"_s), "a: \"bell\\x07\"\nb: \"double\"\nc: plain\n");
    EXPECT_EQ(set(yaml, u"a"_s, 12), "a: 12\nb: \"double\"\nc: plain\n");
    EXPECT_EQ(set(yaml, u"b"_s, u"say \"hi\"\\"_s),
              "a: 'single'\nb: \"say \\\"hi\\\"\\\\\"\nc: plain\n");
    EXPECT_EQ(set(yaml, u"b"_s, u"x"_s), "a: 'single'\nb: \"x\"\nc: plain\n");
    EXPECT_EQ(set(yaml, u"c"_s, u"still plain"_s), "a: 'single'\nb: \"double\"\nc: still plain\n");
    // Plain only where it reads back as the same string.
    for (const QString &s : {u"true"_s, u"12"_s, u"a: b"_s, u"#x"_s, u""_s, u"null"_s, u"~"_s,
                             u"- x"_s, u" lead"_s, u"yes"_s, u"y"_s, u"1e3"_s}) {
        const std::string out = set(yaml, u"c"_s, s);
        EXPECT_EQ(out.substr(out.find("c: ")),
                  "c: " + pf::api::doubleQuotedYaml(s).toStdString() + "\n")
            << s.toStdString();
        EXPECT_EQ(jsonOf(QString::fromStdString(out)).toObject().value("c"_L1), QJsonValue(s));
    }
}

TEST(YamlEdit, KeysMayBeQuoted)
{
    EXPECT_EQ(set("\"vm\": a\n'name': b # c\n", u"vm"_s, u"z"_s), "\"vm\": z\n'name': b # c\n");
    EXPECT_EQ(set("\"vm\": a\n'name': b # c\n", u"name"_s, u"z"_s), "\"vm\": a\n'name': z # c\n");
    EXPECT_EQ(set("\"a b\":\n  'c: d': 1\n", u"a b.c: d"_s, 2), "\"a b\":\n  'c: d': 2\n");
}

TEST(YamlEdit, FoldedBlockIsReplacedUpToTheNextKeysComment)
{
    const char *yaml = "job_setting:\n"
                       "  docker:\n"
                       "    image: x\n"
                       "    # Bash shell command to run the job\n"
                       "    command: >\n"
                       "      cd /workspace/cifar && torchrun --nnodes $NUM_NODES \\\n"
                       "        --model resnet50 \\\n"
                       "\n"
                       "        --save /workspace/ckpt\n"
                       "  # Path to mount your workspace volume\n"
                       "  workspace:\n"
                       "    mount_path: /workspace\n";
    EXPECT_EQ(set(yaml, u"job_setting.docker.command"_s, u"python main.py"_s),
              "job_setting:\n"
              "  docker:\n"
              "    image: x\n"
              "    # Bash shell command to run the job\n"
              "    command: python main.py\n"
              "  # Path to mount your workspace volume\n"
              "  workspace:\n"
              "    mount_path: /workspace\n");
    EXPECT_EQ(set(yaml, u"job_setting.docker.command"_s, u"pip install -r r.txt\npython main.py"_s),
              "job_setting:\n"
              "  docker:\n"
              "    image: x\n"
              "    # Bash shell command to run the job\n"
              "    command: |-\n"
              "      pip install -r r.txt\n"
              "      python main.py\n"
              "  # Path to mount your workspace volume\n"
              "  workspace:\n"
              "    mount_path: /workspace\n");
    // A block's line that looks like a comment is its text, and goes with it.
    EXPECT_EQ(set("run: |2-\n    echo\n   # done\n\n# about b\nb: 1\n", u"run"_s, u"x"_s),
              "run: x\n\n# about b\nb: 1\n");
    // |+ keeps the blank lines after it, so they go with it too.
    EXPECT_EQ(set("run: |+\n  echo\n\n\nb: 1\n", u"run"_s, u"x"_s), "run: x\nb: 1\n");
}

TEST(YamlEdit, MultiLineStringsBecomeLiteralBlocks)
{
    EXPECT_EQ(set("a: 1\nb: 2\n", u"a"_s, u"x\ny"_s), "a: |-\n  x\n  y\nb: 2\n");
    EXPECT_EQ(set("a: 1\nb: 2\n", u"a"_s, u"x\ny\n"_s), "a: |\n  x\n  y\nb: 2\n");
    EXPECT_EQ(set("a: 1\nb: 2\n", u"a"_s, u"x\n\ny\n\n"_s), "a: |+\n  x\n\n  y\n\nb: 2\n");
    EXPECT_EQ(set("a: 1\nb: 2\n", u"a"_s, u"  x\ny"_s), "a: |2-\n    x\n  y\nb: 2\n");
    EXPECT_EQ(set("a:\n    b: 1\n", u"a.c"_s, u"x\ny"_s),
              "a:\n    b: 1\n    c: |-\n        x\n        y\n");
    // A comment after the value, indented as deep as the block's text would
    // be, would become its text: then the string is double-quoted.
    EXPECT_EQ(set("a: 1\n  # about a\nb: 2\n", u"a"_s, u"x\ny"_s),
              "a: \"x\\ny\"\n  # about a\nb: 2\n");
    // A carriage return cannot be in a literal block.
    EXPECT_EQ(set("a: 1\n", u"a"_s, u"x\r\ny"_s), "a: \"x\\r\\ny\"\n");
}

TEST(YamlEdit, MemberIsAddedWithItsSiblingsIndentation)
{
    const char *yaml = "data:\n"
                       "    name: my-cifar-100  # the dataset\n"
                       "checkpoint:\n"
                       "    output_checkpoint_dir: /ckpt\n";
    EXPECT_EQ(set(yaml, u"data.mount_path"_s, u"/workspace/data"_s, kKeyOrder),
              "data:\n"
              "    name: my-cifar-100  # the dataset\n"
              "    mount_path: /workspace/data\n"
              "checkpoint:\n"
              "    output_checkpoint_dir: /ckpt\n");
    // Before the sibling the key order puts after it; nested levels as deep
    // as the file's.
    EXPECT_EQ(set(yaml, u"checkpoint.input.id"_s, 7, kKeyOrder),
              "data:\n"
              "    name: my-cifar-100  # the dataset\n"
              "checkpoint:\n"
              "    input:\n"
              "        id: 7\n"
              "    output_checkpoint_dir: /ckpt\n");
    // Not in the key order: after the last sibling.
    EXPECT_EQ(set(yaml, u"data.zzz"_s, 1, kKeyOrder), "data:\n"
                                                      "    name: my-cifar-100  # the dataset\n"
                                                      "    zzz: 1\n"
                                                      "checkpoint:\n"
                                                      "    output_checkpoint_dir: /ckpt\n");
}

TEST(YamlEdit, MissingParentIsAddedInKeyOrder)
{
    const char *yaml = "# pf-template.yml\n"
                       "\n"
                       "# The name of experiment\n"
                       "experiment: computer-vision\n"
                       "\n"
                       "# The name of vm type\n"
                       "vm: local-cpu-2c\n"
                       "\n"
                       "# Checkpoint config\n"
                       "checkpoint:\n"
                       "  output_checkpoint_dir: /workspace/ckpt\n"
                       "\n"
                       "# Distributed\n"
                       "dist:\n"
                       "  dp_degree: 2\n";
    EXPECT_EQ(set(yaml, u"data.name"_s, u"my-data"_s, kKeyOrder),
              "# pf-template.yml\n"
              "\n"
              "# The name of experiment\n"
              "experiment: computer-vision\n"
              "\n"
              "# The name of vm type\n"
              "vm: local-cpu-2c\n"
              "\n"
              "# Checkpoint config\n"
              "checkpoint:\n"
              "  output_checkpoint_dir: /workspace/ckpt\n"
              "data:\n"
              "  name: my-data\n"
              "\n"
              "# Distributed\n"
              "dist:\n"
              "  dp_degree: 2\n");
    EXPECT_EQ(set(yaml, u"name"_s, u"job"_s, kKeyOrder),
              "# pf-template.yml\n"
              "\n"
              "# The name of experiment\n"
              "experiment: computer-vision\n"
              "name: job\n"
              "\n"
              "# The name of vm type\n"
              "vm: local-cpu-2c\n"
              "\n"
              "# Checkpoint config\n"
              "checkpoint:\n"
              "  output_checkpoint_dir: /workspace/ckpt\n"
              "\n"
              "# Distributed\n"
              "dist:\n"
              "  dp_degree: 2\n");
    // Before the first key: above the comment that is about it.
    EXPECT_EQ(set("# top\n\n# about b\nb: 1\n", u"a"_s, 0, {u"a"_s, u"b"_s}),
              "# top\n\na: 0\n# about b\nb: 1\n");
}

TEST(YamlEdit, ScalarOrNullParentBecomesMapping)
{
    EXPECT_EQ(set("docker:\n  command: python main.py  # run it\n  image: x\n",
                  u"docker.command.setup"_s, u"pip install x"_s),
              "docker:\n  command:  # run it\n    setup: pip install x\n  image: x\n");
    EXPECT_EQ(set("data:\nvm: x\n", u"data.name"_s, u"d"_s), "data:\n  name: d\nvm: x\n");
    EXPECT_EQ(set("data: ~ # none yet\nvm: x\n", u"data.name"_s, u"d"_s),
              "data: # none yet\n  name: d\nvm: x\n");
    EXPECT_EQ(set("hosts:\n- a\n- b\nvm: x\n", u"hosts.x"_s, 1), "hosts:\n  x: 1\nvm: x\n");
}

TEST(YamlEdit, FlowAncestorIsRewrittenInBlockStyle)
{
    EXPECT_EQ(
        set("docker: {image: x, command: 'a b'}  # flow\nvm: y\n", u"docker.env_var.A"_s, u"1"_s),
        "docker:  # flow\n  image: x\n  command: a b\n  env_var:\n    A: \"1\"\nvm: y\n");
    EXPECT_EQ(set("docker: {\n  image: x,\n  command: c\n}\nvm: z\n", u"docker.image"_s, u"w"_s),
              "docker:\n  image: w\n  command: c\nvm: z\n");
    EXPECT_EQ(set("a: {b: {c: 1, d: [1, 2]}}\n", u"a.b.c"_s, 2),
              "a:\n  b:\n    c: 2\n    d:\n      - 1\n      - 2\n");
    EXPECT_EQ(remove("a: {b: 1, c: 2}\nz: 0\n", u"a.b"_s), "a:\n  c: 2\nz: 0\n");
    EXPECT_EQ(remove("a: {b: 1}\nz: 0\n", u"a.b"_s), "z: 0\n");
    // A flow mapping at the root: the whole document.
    EXPECT_EQ(set("# c\n{a: 1, b: 2}\n", u"b"_s, 3), "# c\na: 1\nb: 3\n");
}

TEST(YamlEdit, LineBreaksAreKept)
{
    EXPECT_EQ(set("a: 1\r\nb:\r\n  c: 2\r\n", u"b.d"_s, 3), "a: 1\r\nb:\r\n  c: 2\r\n  d: 3\r\n");
    EXPECT_EQ(set("a: 1\r\nb: 2\r\n", u"a"_s, u"x\ny"_s), "a: |-\r\n  x\r\n  y\r\nb: 2\r\n");
    EXPECT_EQ(remove("a: 1\r\nb:\r\n  c: 2\r\n", u"b.c"_s), "a: 1\r\n");
    // Without a final line break.
    EXPECT_EQ(set("a: 1\nb: 2", u"b"_s, 3), "a: 1\nb: 3");
    EXPECT_EQ(set("a: 1\nb: 2", u"b"_s, QJsonObject{{u"x"_s, 1}}), "a: 1\nb:\n  x: 1");
    EXPECT_EQ(set("a: 1\nb: 2", u"c"_s, 4), "a: 1\nb: 2\nc: 4\n");
    EXPECT_EQ(remove("a: 1\nb: 2", u"b"_s), "a: 1");
    EXPECT_EQ(set("a: 1\r\nb: 2", u"c"_s, 4), "a: 1\r\nb: 2\r\nc: 4\r\n");
    // A byte order mark stays.
    EXPECT_EQ(str(YamlEdit::set(u"\uFEFFa: 1\n"_s, u"a"_s, 2)), "\xEF\xBB\xBF"
                                                                "a: 2\n");
}

TEST(YamlEdit, MemberGoesWithItsBlockAndEmptyParents)
{
    const char *yaml = "# top\n"
                       "experiment: cv\n"
                       "\n"
                       "# Docker config\n"
                       "job_setting:\n"
                       "  docker:\n"
                       "    # the image\n"
                       "    image: x\n"
                       "    command: |\n"
                       "      echo hi\n"
                       "      # not a comment\n"
                       "  # workspace comment\n"
                       "  workspace:\n"
                       "    mount_path: /w\n"
                       "# Checkpoint config\n"
                       "checkpoint:\n"
                       "  output_checkpoint_dir: /c\n";
    EXPECT_EQ(remove(yaml, u"job_setting.docker"_s), "# top\n"
                                                     "experiment: cv\n"
                                                     "\n"
                                                     "# Docker config\n"
                                                     "job_setting:\n"
                                                     "  # workspace comment\n"
                                                     "  workspace:\n"
                                                     "    mount_path: /w\n"
                                                     "# Checkpoint config\n"
                                                     "checkpoint:\n"
                                                     "  output_checkpoint_dir: /c\n");
    EXPECT_EQ(remove(yaml, u"checkpoint.output_checkpoint_dir"_s), "# top\n"
                                                                   "experiment: cv\n"
                                                                   "\n"
                                                                   "# Docker config\n"
                                                                   "job_setting:\n"
                                                                   "  docker:\n"
                                                                   "    # the image\n"
                                                                   "    image: x\n"
                                                                   "    command: |\n"
                                                                   "      echo hi\n"
                                                                   "      # not a comment\n"
                                                                   "  # workspace comment\n"
                                                                   "  workspace:\n"
                                                                   "    mount_path: /w\n"
                                                                   "# Checkpoint config\n");
    EXPECT_EQ(remove(yaml, u"job_setting.workspace.mount_path"_s), "# top\n"
                                                                   "experiment: cv\n"
                                                                   "\n"
                                                                   "# Docker config\n"
                                                                   "job_setting:\n"
                                                                   "  docker:\n"
                                                                   "    # the image\n"
                                                                   "    image: x\n"
                                                                   "    command: |\n"
                                                                   "      echo hi\n"
                                                                   "      # not a comment\n"
                                                                   "  # workspace comment\n"
                                                                   "# Checkpoint config\n"
                                                                   "checkpoint:\n"
                                                                   "  output_checkpoint_dir: /c\n");
    EXPECT_EQ(remove("a:\n  b:\n    c: 1\n", u"a.b.c"_s), "");
    EXPECT_EQ(remove("hosts:\n- a: 1\n  b: 2\n- c\nvm: x\n", u"hosts"_s), "vm: x\n");
}

TEST(YamlEdit, PathNotThereLeavesTheTextAsItIs)
{
    const char *yaml = "a: 1  # c\nb:\n  c: x\n";
    EXPECT_EQ(remove(yaml, u"z"_s), yaml);
    EXPECT_EQ(remove(yaml, u"a.x"_s), yaml);
    EXPECT_EQ(remove(yaml, u"b.c.d"_s), yaml);
    EXPECT_EQ(remove("# nothing\n", u"a"_s), "# nothing\n");
}

TEST(YamlEdit, WhatCannotBeEditedGivesNothing)
{
    EXPECT_EQ(set("a: [1\n", u"a"_s, 1), "<none>");
    EXPECT_EQ(set("a:\n\tb: 1\n", u"a.b"_s, 2), "<none>"); // tabs do not indent
    EXPECT_EQ(set("- a\n- b\n", u"a"_s, 1), "<none>");
    EXPECT_EQ(remove("- a\n- b\n", u"a"_s), "<none>");
    EXPECT_EQ(set("just text\n", u"a"_s, 1), "<none>");
    EXPECT_EQ(set("~\n", u"a"_s, 1), "<none>");
    EXPECT_EQ(set("a: 1\n", QString(), 1), "<none>");
}

TEST(YamlEdit, EmptyDocumentsGetTheMemberAtTheirEnd)
{
    EXPECT_EQ(set("", u"a"_s, 1), "a: 1\n");
    EXPECT_EQ(set("# only a comment", u"a.b"_s, 1), "# only a comment\na:\n  b: 1\n");
    EXPECT_EQ(set("---\n# c\n...\n", u"a"_s, 1), "---\n# c\na: 1\n...\n");
    EXPECT_EQ(set("# head\n---\na: 1\n...\n", u"b"_s, 2), "# head\n---\na: 1\nb: 2\n...\n");
    EXPECT_EQ(set("%YAML 1.2\n--- # doc\na: 1\n", u"a"_s, 2), "%YAML 1.2\n--- # doc\na: 2\n");
}

TEST(YamlEdit, OtherForms)
{
    // Multi-line plain and quoted scalars go whole.
    const char *yaml = "a: this is\n  plain text\nb: \"quoted\n  text\" # c\nc: 1\n";
    EXPECT_EQ(set(yaml, u"a"_s, 1), "a: 1\nb: \"quoted\n  text\" # c\nc: 1\n");
    EXPECT_EQ(set(yaml, u"b"_s, u"x"_s), "a: this is\n  plain text\nb: x\nc: 1\n");
    // A sequence at the key's indentation, then a sibling.
    EXPECT_EQ(set("hosts:\n- a: 1\n  b: 2\n- c\nvm: x\n", u"vm"_s, u"z"_s),
              "hosts:\n- a: 1\n  b: 2\n- c\nvm: z\n");
    EXPECT_EQ(set("hosts:\n- a: 1\n  b: 2\n- c\nvm: x\n", u"hosts"_s, u"z"_s), "hosts: z\nvm: x\n");
    // Tags and anchors: a replaced value loses them.
    EXPECT_EQ(set("a: !!str 12\nb: &x 1\n", u"a"_s, u"13"_s), "a: \"13\"\nb: &x 1\n");
    EXPECT_EQ(set("a: !!str 12\nb: &x 1\n", u"b"_s, 2), "a: !!str 12\nb: 2\n");
    EXPECT_EQ(set("base: &b\n  image: x\n", u"base.image"_s, u"z"_s), "base: &b\n  image: z\n");
    // An alias stands for its anchor's value: it is written out when changed.
    EXPECT_EQ(set("base: &b\n  image: x\nother: *b\n", u"other.image"_s, u"z"_s),
              "base: &b\n  image: x\nother:\n  image: z\n");
    // Changing an anchored value its alias shares: the file is written anew.
    const std::string shared = set("base: &b\n  image: x\nother: *b\n", u"base.image"_s, u"y"_s);
    EXPECT_EQ(compact(jsonOf(QString::fromStdString(shared))),
              R"([{"base":{"image":"y"},"other":{"image":"x"}}])");
    // Mixed indentation per level.
    EXPECT_EQ(set("a:\n     b:\n       c: 1\n", u"a.b.d"_s, 2),
              "a:\n     b:\n       c: 1\n       d: 2\n");
}

TEST(YamlEditToYaml, LiteralBlocksKeepTheirEnds)
{
    using pf::api::toYaml;
    EXPECT_EQ(toYaml(QJsonObject{{u"a"_s, u"x\ny"_s}}).toStdString(), "a: |-\n  x\n  y\n");
    EXPECT_EQ(toYaml(QJsonObject{{u"a"_s, u"x\ny\n"_s}}).toStdString(), "a: |\n  x\n  y\n");
    EXPECT_EQ(toYaml(QJsonObject{{u"a"_s, u"x\n\n"_s}}).toStdString(), "a: |+\n  x\n\n");
    EXPECT_EQ(toYaml(QJsonObject{{u"a"_s, u"  x\ny"_s}}).toStdString(), "a: |2-\n    x\n  y\n");
    EXPECT_EQ(toYaml(QJsonObject{{u"a"_s, u"\n  x"_s}}).toStdString(), "a: |2-\n\n    x\n");
    EXPECT_EQ(toYaml(QJsonArray{u"x\ny"_s, QJsonObject{{u"k"_s, u" a\nb\n"_s}}}).toStdString(),
              "- |-\n  x\n  y\n- k: |2\n     a\n    b\n");
    EXPECT_EQ(toYaml(u"x\ny"_s).toStdString(), "|-\n  x\n  y\n");
    EXPECT_EQ(toYaml(u" x\ny"_s).toStdString(), "\" x\\ny\"\n");
    EXPECT_EQ(toYaml(QJsonObject{{u"a"_s, u"x\r\ny"_s}}).toStdString(), "a: \"x\\r\\ny\"\n");
    EXPECT_EQ(toYaml(QJsonObject{{u"a"_s, u"\n\n"_s}}).toStdString(), "a: \"\\n\\n\"\n");
    // Each reads back as the same string.
    for (const QString &s : {u"x\ny"_s, u"x\ny\n"_s, u"x\n\n\n"_s, u"  x\n y\n"_s, u"\n\tx\n"_s,
                             u"a\n \n"_s, u"a\n  "_s, u"# no\n#comment\n"_s, u"\n\nx"_s}) {
        const QJsonObject o{{u"a"_s, s}, {u"b"_s, 1}};
        EXPECT_EQ(compact(jsonOf(toYaml(o))), compact(o)) << toYaml(o).toStdString();
    }
}

namespace {

// The same edits on a JSON model.
QJsonValue modelSet(const QJsonValue &node, const QStringList &path, qsizetype i,
                    const QJsonValue &value)
{
    if (i == path.size())
        return value;
    QJsonObject o = node.toObject();
    o.insert(path.at(i), modelSet(o.value(path.at(i)), path, i + 1, value));
    return o;
}

bool modelHas(const QJsonValue &root, const QStringList &path)
{
    QJsonValue v = root;
    for (const QString &key : path) {
        if (!v.isObject() || !v.toObject().contains(key))
            return false;
        v = v.toObject().value(key);
    }
    return true;
}

QJsonValue modelRemove(const QJsonValue &node, const QStringList &path, qsizetype i)
{
    QJsonObject o = node.toObject();
    if (i + 1 == path.size()) {
        o.remove(path.at(i));
        return o;
    }
    const QJsonValue child = modelRemove(o.value(path.at(i)), path, i + 1);
    if (child.toObject().isEmpty())
        o.remove(path.at(i));
    else
        o.insert(path.at(i), child);
    return o;
}

// A comment line of the starting document and the path of the node it is
// inside ("" for none): it may go when that node is replaced or removed.
struct Comment
{
    QString line;
    QString inside;
    bool alive = true;
};

bool within(const QString &path, const QString &node)
{
    return !node.isEmpty() && (path == node || path.startsWith(node + u'.'));
}

// The starting documents: their comments are written "#@path words" (the
// node they are inside), except the template's, listed in the test.
const char *const kOddDocuments[] = {
    // Four spaces, quoted keys and values, comments after values, a flow
    // mapping, a block scalar with comment-like text, a sequence at its key's
    // indentation, an end marker.
    "#@ header\n"
    "\"experiment\": 'computer-vision'   # after a value\n"
    "\n"
    "name: \"cifar # job\"\n"
    "#@ above vm\n"
    "vm:    local-cpu-2c\n"
    "num_devices: 2\n"
    "job_setting:\n"
    "    #@job_setting first\n"
    "    type: custom\n"
    "    docker: {image: \"friendliai/periflow:sdk\", command: \"python main.py\"}\n"
    "    #@job_setting between\n"
    "    workspace:\n"
    "        mount_path: /workspace\n"
    "#@ after job_setting\n"
    "checkpoint:\n"
    "    input:\n"
    "        id: 3\n"
    "        #@checkpoint.input inner\n"
    "        mount_path: /ckpt\n"
    "    output_checkpoint_dir: |-\n"
    "        /out\n"
    "        # block text, not a comment\n"
    "#@ before data\n"
    "data:\n"
    "- not a mapping at first\n"
    "- 2\n"
    "dist: null\n"
    "plugin:\n"
    "  wandb:\n"
    "    credential_id: ~\n"
    "...\n",
    // Directives and a start marker, folded and multi-line scalars, tags, an
    // anchor, nested block scalars with |+, no final line break.
    "%YAML 1.2\n"
    "--- #@ marker\n"
    "experiment: >-\n"
    "  folded\n"
    "  text\n"
    "name: plain words\n"
    "  continued here\n"
    "vm: 'multi\n"
    "  line'\n"
    "job_setting:\n"
    "  type: !!str custom\n"
    "  docker: &docker\n"
    "    #@job_setting.docker image next\n"
    "    image: x\n"
    "    command:\n"
    "      setup: pip install -r requirements.txt\n"
    "      run: |+\n"
    "        python main.py \\\n"
    "          --flag\n"
    "\n"
    "    env_var: {A: \"1\", B: '2'}\n"
    "  #@ trailing at two spaces\n"
    "hosts:\n"
    "  - a\n"
    "  - b: [1, 2]\n"
    "    c: d\n"
    "#@ last\n"
    "dist:\n"
    "      dp_degree: 4",
    // Three and five spaces, comment-like lines in block scalars, a
    // sequence of mappings at its key's indentation, flow collections over
    // several lines, a tag on a mapping.
    "#@ three\n"
    "experiment:   \"exp # not a comment\"   #  spaced comment\n"
    "job_setting:\n"
    "   type: custom\n"
    "   docker:\n"
    "        image: 'img:1'\n"
    "        #@job_setting.docker before command\n"
    "        command: |\n"
    "          # comment-like first line\n"
    "          python main.py\n"
    "\n"
    "        env_var:\n"
    "             SOME_NAME: \"1\"\n"
    "             OTHER: >-\n"
    "               folded\n"
    "               value\n"
    "   #@job_setting before workspace\n"
    "   workspace: {mount_path: /ws}\n"
    "hosts:\n"
    "- name: a\n"
    "  script: |\n"
    "    # setup\n"
    "    echo hi\n"
    "- |\n"
    "  # item text\n"
    "#@ before checkpoint\n"
    "checkpoint:\n"
    "     input:\n"
    "       id: 12\n"
    "     output_checkpoint_dir: [\n"
    "       /a,\n"
    "       /b ]\n"
    "\"data\": {name: d, mount_path: \"/d # x\"}\n"
    "plugin: !!map\n"
    "  wandb:\n"
    "    credential_id: 'c'\n",
    // Nothing but comments.
    "#@ only\n#@ comments\n",
    // Empty.
    "",
};

// The template's comment lines and the nodes they are inside.
const std::pair<const char *, const char *> kTemplateComments[] = {
    {"# pf-template.yml", ""},
    {"# The name of experiment", ""},
    {"# The name of job", ""},
    {"# The name of vm type", ""},
    {"# The number of devices", ""},
    {"# Configure your job!", ""},
    {"  # Docker config", "job_setting"},
    {"    # Docker image you want to use in the job", "job_setting.docker"},
    {"    # Bash shell command to run the job", "job_setting.docker"},
    {"    # NOTE: PeriFlow automatically sets the following environment variables for PyTorch "
     "DDP.",
     "job_setting.docker"},
    {"    #   - MASTER_ADDR: Address of rank 0 node.", "job_setting.docker"},
    {"    #   - WORLD_SIZE: The total number of GPUs participating in the task.",
     "job_setting.docker"},
    {"    #   - NODE_RANK: Index of the current node.", "job_setting.docker"},
    {"    #   - NPROC_PER_NODE: The number of processes in the current node.",
     "job_setting.docker"},
    {"  # Path to mount your workspace volume", "job_setting"},
    {"# Checkpoint config", ""},
    {"  # Path to output checkpoint", "checkpoint"},
    {"# Configure dataset", ""},
};

QStringList linesOf(const QString &text)
{
    QStringList lines = text.split(u'\n');
    for (QString &line : lines) {
        if (line.endsWith(u'\r'))
            line.chop(1);
    }
    return lines;
}

class Fuzzer
{
public:
    explicit Fuzzer(unsigned seed)
        : m_random(seed)
    {}

    QString pick(const QStringList &from) { return from.at(below(from.size())); }

    qsizetype below(qsizetype n)
    {
        return std::uniform_int_distribution<qsizetype>(0, n - 1)(m_random);
    }

    QJsonValue value()
    {
        static const QStringList strings = {
            u""_s,
            u"plain"_s,
            u"two words"_s,
            u"with: colon"_s,
            u"#hash"_s,
            u"a # b"_s,
            u"it's"_s,
            u"say \"hi\""_s,
            u"üñí 日本 😀"_s,
            u"  leading"_s,
            u"trailing  "_s,
            u"multi\nline"_s,
            u"multi\nline\n"_s,
            u"kept\n\n"_s,
            u"  indented\nfirst"_s,
            u"# looks like\n# comments\n"_s,
            u"true"_s,
            u"12"_s,
            u"null"_s,
            u"~"_s,
            u"- dash"_s,
            u"{not: flow}"_s,
            u"back\\slash"_s,
            u"tab\there"_s,
            u"cr\r\nlf"_s,
            u"friendliai/periflow:sdk"_s,
            u"/workspace/data"_s,
        };
        switch (below(9)) {
        case 0:
            return QJsonValue(QJsonValue::Null);
        case 1:
            return below(2) == 0;
        case 2:
            return qint64(below(2000)) - 1000;
        case 3:
            return 0.25 * double(below(100));
        case 4: {
            QJsonObject o;
            const qsizetype n = below(3) + 1;
            for (qsizetype i = 0; i < n; ++i)
                o.insert(pick({u"setup"_s, u"run"_s, u"A"_s, u"id"_s, u"x y"_s}),
                         below(3) == 0 ? value() : QJsonValue(pick(strings)));
            return o;
        }
        case 5:
            return QJsonArray{pick(strings), qint64(below(10))};
        default:
            return pick(strings);
        }
    }

private:
    std::mt19937 m_random;
};

const QStringList kPaths = {
    u"experiment"_s,
    u"name"_s,
    u"vm"_s,
    u"num_devices"_s,
    u"job_setting"_s,
    u"job_setting.type"_s,
    u"job_setting.docker"_s,
    u"job_setting.docker.image"_s,
    u"job_setting.docker.command"_s,
    u"job_setting.docker.command.setup"_s,
    u"job_setting.docker.command.run"_s,
    u"job_setting.docker.env_var"_s,
    u"job_setting.docker.env_var.SOME_NAME"_s,
    u"job_setting.docker.env_var.OTHER"_s,
    u"job_setting.workspace.mount_path"_s,
    u"checkpoint"_s,
    u"checkpoint.input.id"_s,
    u"checkpoint.input.mount_path"_s,
    u"checkpoint.output_checkpoint_dir"_s,
    u"data"_s,
    u"data.name"_s,
    u"data.mount_path"_s,
    u"dist.dp_degree"_s,
    u"plugin.wandb.credential_id"_s,
};

// `steps` random edits from `start`, each checked against the model and
// for the comments it keeps.
void fuzz(const QString &start, std::vector<Comment> comments, unsigned seed, int steps)
{
    Fuzzer fuzzer(seed);
    QString text = start;
    QJsonValue model = jsonOf(start);
    ASSERT_TRUE(model.isObject()) << start.toStdString();
    for (int step = 0; step < steps; ++step) {
        const QString path = fuzzer.pick(kPaths);
        const QStringList segments = path.split(u'.');
        const bool removing = fuzzer.below(3) == 0;
        const QJsonValue value = fuzzer.value();
        const QString what =
            removing ? u"remove %1"_s.arg(path)
                     : u"set %1 to %2"_s.arg(path, QString::fromStdString(compact(value)));
        SCOPED_TRACE("seed " + std::to_string(seed) + ", step " + std::to_string(step) + ": " +
                     what.toStdString() + "\nin:\n" + text.toStdString());

        std::optional<QString> out;
        if (removing) {
            if (modelHas(model, segments)) {
                qsizetype depth = segments.size();
                while (depth > 1 && modelHas(model, segments.first(depth - 1)) && [&] {
                    QJsonValue v = model;
                    for (qsizetype i = 0; i < depth - 1; ++i)
                        v = v.toObject().value(segments.at(i));
                    return v.toObject().size() == 1;
                }())
                    --depth;
                const QString gone = QStringList(segments.first(depth)).join(u'.');
                for (Comment &c : comments)
                    c.alive = c.alive && !within(c.inside, gone);
                model = modelRemove(model, segments, 0);
                out = YamlEdit::remove(text, path);
            } else {
                out = YamlEdit::remove(text, path);
                ASSERT_TRUE(out.has_value());
                EXPECT_EQ(out->toStdString(), text.toStdString()) << "not there: unchanged";
            }
        } else {
            // The node replaced: the path's, or that of the nearest ancestor
            // that is there when it is not a mapping (an insertion replaces
            // nothing).
            QString replaced;
            if (modelHas(model, segments)) {
                replaced = path;
            } else {
                for (qsizetype depth = segments.size() - 1; depth > 0; --depth) {
                    if (!modelHas(model, segments.first(depth)))
                        continue;
                    QJsonValue v = model;
                    for (qsizetype i = 0; i < depth; ++i)
                        v = v.toObject().value(segments.at(i));
                    if (!v.isObject())
                        replaced = QStringList(segments.first(depth)).join(u'.');
                    break;
                }
            }
            for (Comment &c : comments)
                c.alive = c.alive && !within(c.inside, replaced);
            model = modelSet(model, segments, 0, value);
            out = YamlEdit::set(text, path, value, kKeyOrder);
        }
        ASSERT_TRUE(out.has_value());
        text = *out;
        const QJsonValue json = jsonOf(text);
        ASSERT_EQ(compact(json), compact(model)) << "got:\n" << text.toStdString();

        // The comments that may not go are there, in their order.
        const QStringList lines = linesOf(text);
        qsizetype at = 0;
        for (const Comment &c : comments) {
            if (!c.alive)
                continue;
            while (at < lines.size() && lines.at(at) != c.line)
                ++at;
            ASSERT_LT(at, lines.size())
                << "lost the comment \"" << c.line.toStdString() << "\"; got:\n"
                << text.toStdString();
            ++at;
        }
    }
}

std::vector<Comment> taggedComments(const QString &yaml)
{
    std::vector<Comment> comments;
    for (const QString &line : linesOf(yaml)) {
        const qsizetype at = line.indexOf(u"#@"_s);
        if (at < 0)
            continue;
        const qsizetype end = line.indexOf(u' ', at);
        comments.push_back(
            Comment{line, line.mid(at + 2, end < 0 ? -1 : end - at - 2).trimmed(), true});
    }
    return comments;
}

QString readTemplate()
{
    QFile file(QStringLiteral(PF_API_TEST_DATA "/pf-template.yml"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

} // namespace

TEST(YamlEdit, RandomEditsOnTheTemplate)
{
    const QString yaml = readTemplate();
    ASSERT_FALSE(yaml.isEmpty());
    std::vector<Comment> comments;
    for (const auto &[line, inside] : kTemplateComments)
        comments.push_back(Comment{QString::fromUtf8(line), QString::fromUtf8(inside), true});
    // Every comment line of the file is in the list.
    qsizetype count = 0;
    for (const QString &line : linesOf(yaml))
        count += line.trimmed().startsWith(u'#') ? 1 : 0;
    ASSERT_EQ(count, qsizetype(std::size(kTemplateComments)));

    for (const unsigned seed : {1u, 2u, 3u, 4u, 5u}) {
        fuzz(yaml, comments, seed, 300);
        if (HasFatalFailure())
            return;
    }
    QString crlf = yaml;
    crlf.replace(u"\n"_s, u"\r\n"_s);
    fuzz(crlf, comments, 6, 300);
}

TEST(YamlEdit, RandomEditsOnOddStyles)
{
    unsigned seed = 100;
    for (const char *doc : kOddDocuments) {
        const QString yaml = QString::fromUtf8(doc);
        for (int round = 0; round < 4; ++round) {
            fuzz(yaml, taggedComments(yaml), ++seed, 300);
            if (HasFatalFailure())
                return;
        }
    }
}

TEST(YamlEdit, HostileInput)
{
    // A line of a megabyte.
    const QString big(1 << 20, u'x');
    const QString longLine = u"a: "_s + big + u"  # c\nb: 1\n"_s;
    EXPECT_TRUE(YamlEdit::set(longLine, u"b"_s, 2) == QString(u"a: "_s + big + u"  # c\nb: 2\n"_s));
    EXPECT_EQ(str(YamlEdit::set(longLine, u"a"_s, u"short"_s)), "a: short  # c\nb: 1\n");

    // 10,000 keys.
    QString many;
    for (int i = 0; i < 10000; ++i)
        many += u"key%1: %1\n"_s.arg(i);
    const auto start = std::chrono::steady_clock::now();
    const std::optional<QString> changed = YamlEdit::set(many, u"key5000"_s, u"x"_s);
    const std::optional<QString> added = YamlEdit::set(many, u"zzz.a"_s, 1);
    const std::optional<QString> removed = YamlEdit::remove(many, u"key9999"_s);
    const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
    EXPECT_LT(seconds.count(), 5.0);
    ASSERT_TRUE(changed && added && removed);
    EXPECT_TRUE(changed->contains(u"\nkey5000: x\nkey5001: 5001\n"_s));
    EXPECT_TRUE(added->endsWith(u"key9999: 9999\nzzz:\n  a: 1\n"_s));
    EXPECT_TRUE(removed->endsWith(u"key9998: 9998\n"_s));

    // Nesting as deep as YamlDocument reads, and one level more.
    QString deep;
    QStringList path;
    for (int i = 1; i <= YamlDocument::kMaxDepth; ++i) {
        deep += QString(qsizetype(2) * (i - 1), u' ') + u"l%1:"_s.arg(i) +
                (i == YamlDocument::kMaxDepth ? u" leaf\n"_s : u"\n"_s);
        path.append(u"l%1"_s.arg(i));
    }
    const QString leaf = path.join(u'.');
    const std::optional<QString> deeper = YamlEdit::set(deep, leaf, u"changed"_s);
    ASSERT_TRUE(deeper.has_value());
    EXPECT_TRUE(deeper->endsWith(u"l64: changed\n"_s));
    const std::optional<QString> sibling =
        YamlEdit::set(deep, QStringList(path.first(path.size() - 1)).join(u'.') + u".s"_s, 1);
    ASSERT_TRUE(sibling.has_value());
    EXPECT_TRUE(
        sibling->endsWith(u"l64: leaf\n"_s + QString(qsizetype(2) * 63, u' ') + u"s: 1\n"_s));
    EXPECT_EQ(str(YamlEdit::set(deep, leaf + u".more"_s, 1)), "<none>");
    EXPECT_EQ(str(YamlEdit::remove(deep, leaf)), "");
}
