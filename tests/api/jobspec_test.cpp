// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStringList>
#include <QVariant>

#include "api/jobspec.h"
#include "api/yamldocument.h"
#include "tests/api/jsontestutil.h"

using namespace Qt::StringLiterals;
using namespace pf::api;
using namespace pf::apitest;

namespace {

using Errors = std::vector<std::string>;

// "path: message" per error, so that failures print readably.
Errors errs(const QList<FieldError> &errors)
{
    Errors shown;
    for (const FieldError &e : errors)
        shown.push_back(QString(e.path + u": "_s + e.message).toStdString());
    return shown;
}

std::string fe(const char *path, const char *message)
{
    return std::string(path) + ": " + message;
}

std::string show(const QList<SpecIssue> &issues)
{
    std::string out;
    for (const SpecIssue &i : issues)
        out += QStringLiteral("%1:%2 %3 %4\n")
                   .arg(i.line)
                   .arg(i.column)
                   .arg(i.severity == SpecIssue::Error ? u"error"_s : u"warning"_s, i.message)
                   .toStdString();
    return out;
}

QByteArray readData(const char *name)
{
    QFile file(QStringLiteral(PF_API_TEST_DATA "/") + QString::fromLatin1(name));
    EXPECT_TRUE(file.open(QIODevice::ReadOnly)) << name;
    return file.readAll();
}

// Sets the member at a dotted path, creating objects on the way.
void setAt(QJsonObject &o, QStringView path, const QJsonValue &value)
{
    const qsizetype dot = path.indexOf(u'.');
    if (dot < 0) {
        o.insert(path.toString(), value);
        return;
    }
    const QString key = path.left(dot).toString();
    QJsonObject child = o.value(key).toObject();
    setAt(child, path.mid(dot + 1), value);
    o.insert(key, child);
}

void removeAt(QJsonObject &o, QStringView path)
{
    const qsizetype dot = path.indexOf(u'.');
    if (dot < 0) {
        o.remove(path.toString());
        return;
    }
    const QString key = path.left(dot).toString();
    QJsonObject child = o.value(key).toObject();
    removeAt(child, path.mid(dot + 1));
    o.insert(key, child);
}

QJsonObject with(QJsonObject o, const char *path, const QJsonValue &value)
{
    setAt(o, QString::fromUtf8(path), value);
    return o;
}

QJsonObject without(QJsonObject o, const char *path)
{
    removeAt(o, QString::fromUtf8(path));
    return o;
}

// A custom job as written by hand: names, and the command as one string.
QJsonObject beforeRewrites()
{
    return parse(R"({
        "experiment": "computer-vision",
        "name": "cifar-job",
        "vm": "local-cpu-2c",
        "num_devices": 2,
        "job_setting": {
            "type": "custom",
            "docker": {
                "image": "friendliai/periflow:sdk",
                "command": "cd /workspace/cifar && python main.py",
                "credential_id": "0b7e2d55-3333-4a0f-9b7c-2f0e2d7c1a33",
                "env_var": {"LR": "0.1", "EPOCHS": "5"}
            },
            "workspace": {"mount_path": "/workspace"},
            "launch_mode": "node"
        },
        "checkpoint": {
            "input": {"id": "3e1e5a9c-2222-4a0f-9b7c-2f0e2d7c1a11", "mount_path": "/workspace/init"},
            "output_checkpoint_dir": "/workspace/ckpt"
        },
        "data": {"name": "my-cifar-100", "mount_path": "/workspace/data"},
        "dist": {"dp_degree": 2, "pp_degree": 1, "mp_degree": 1},
        "plugin": {
            "wandb": {"credential_id": "5f0c3b1e-1111-4a0f-9b7c-2f0e2d7c1a22"},
            "slack": {"credential_id": "5f0c3b1e-1111-4a0f-9b7c-2f0e2d7c1a22", "channel": "#ml"}
        }
    })");
}

// The same job as a client submits it: ids, and the command as {setup, run}.
QJsonObject afterRewrites()
{
    return parse(R"({
        "experiment_id": 4,
        "name": "cifar-job",
        "vm_config_id": 2,
        "num_devices": 2,
        "job_setting": {
            "type": "custom",
            "docker": {
                "image": "friendliai/periflow:sdk",
                "command": {"setup": "", "run": "cd /workspace/cifar && python main.py"},
                "credential_id": "0b7e2d55-3333-4a0f-9b7c-2f0e2d7c1a33",
                "env_var": {"LR": "0.1", "EPOCHS": "5"}
            },
            "workspace": {"mount_path": "/workspace"},
            "launch_mode": "node"
        },
        "checkpoint": {
            "input": {"id": "3e1e5a9c-2222-4a0f-9b7c-2f0e2d7c1a11", "mount_path": "/workspace/init"},
            "output_checkpoint_dir": "/workspace/ckpt"
        },
        "data": {"id": 9, "mount_path": "/workspace/data"},
        "dist": {"dp_degree": 2, "pp_degree": 1, "mp_degree": 1},
        "plugin": {
            "wandb": {"credential_id": "5f0c3b1e-1111-4a0f-9b7c-2f0e2d7c1a22"},
            "slack": {"credential_id": "5f0c3b1e-1111-4a0f-9b7c-2f0e2d7c1a22", "channel": "#ml"}
        }
    })");
}

QJsonObject minimalCustom()
{
    return parse(R"({"vm": "local-cpu-2c", "num_devices": 1,
        "job_setting": {"type": "custom",
                        "docker": {"image": "python:3.12", "command": "python -V"}}})");
}

QJsonObject predefined()
{
    return parse(R"({"experiment": "llm", "name": "gpt-small",
        "job_setting": {"type": "predefined", "template_id": "gpt-finetune",
                        "model_config": {"layers": 12, "hidden": 768}},
        "data": {"name": "wiki", "mount_path": "/data"},
        "dist": {"dp_degree": 1, "pp_degree": 2, "mp_degree": 2}})");
}

// The only error of `spec`, "path: message"; fails when there is not exactly one.
std::string onlyError(const QJsonObject &spec)
{
    const Errors e = errs(JobSpec::validate(spec));
    EXPECT_EQ(e.size(), 1u) << ::testing::PrintToString(e);
    return e.empty() ? std::string() : e.front();
}

bool startsWith(const std::string &text, const std::string &prefix)
{
    return text.compare(0, prefix.size(), prefix) == 0;
}

} // namespace

// --- the seed template and the two forms ------------------------------------

TEST(JobSpec, SeedTemplateValidatesAndNormalises)
{
    const QByteArray yaml = readData("pf-template.yml");
    ASSERT_FALSE(yaml.isEmpty());
    EXPECT_EQ(show(JobSpec::validateYaml(yaml)), "");

    QList<SpecIssue> issues;
    const QJsonObject json = JobSpec::fromYaml(yaml, &issues);
    EXPECT_TRUE(issues.isEmpty()) << show(issues);
    EXPECT_TRUE(json.value("num_devices"_L1).isDouble()); // a YAML int is a JSON number
    EXPECT_EQ(json.value("num_devices"_L1).toInt(), 2);

    QList<FieldError> errors{{u"stale"_s, u"error"_s}};
    const std::optional<JobSpec> spec = JobSpec::fromJson(json, &errors);
    ASSERT_TRUE(spec.has_value()) << ::testing::PrintToString(errs(errors));
    EXPECT_TRUE(errors.isEmpty());
    EXPECT_EQ(spec->experimentName, u"computer-vision"_s);
    EXPECT_EQ(spec->experimentId, 0);
    EXPECT_EQ(spec->name, u"cifar-job"_s);
    EXPECT_EQ(spec->vmCode, u"local-cpu-2c"_s);
    EXPECT_EQ(spec->vmConfigId, 0);
    EXPECT_EQ(spec->numDevices, 2);
    EXPECT_EQ(spec->type, u"custom"_s);
    EXPECT_EQ(spec->image, u"friendliai/periflow:sdk"_s);
    EXPECT_EQ(spec->setup, QString());
    // A folded scalar: one line, except where lines are more indented.
    EXPECT_TRUE(spec->run.startsWith(u"cd /workspace/cifar && torchrun --nnodes $NUM_NODES "
                                     "--node_rank $NODE_RANK --master_addr $MASTER_ADDR"_s))
        << spec->run.toStdString();
    EXPECT_TRUE(spec->run.contains(u"main.py \\\n  --model resnet50 \\\n"_s));
    EXPECT_TRUE(spec->run.endsWith(u"--load /workspace/ckpt\n"_s));
    EXPECT_EQ(spec->workspaceMountPath, u"/workspace"_s);
    EXPECT_EQ(spec->launchMode, u"node"_s);
    EXPECT_EQ(spec->outputCheckpointDir, u"/workspace/ckpt"_s);
    EXPECT_FALSE(spec->hasInputCheckpoint());
    EXPECT_EQ(spec->dataName, u"my-cifar-100"_s);
    EXPECT_EQ(spec->dataId, 0);
    EXPECT_EQ(spec->dataMountPath, u"/workspace/data"_s);
    EXPECT_FALSE(spec->hasDist());
    EXPECT_TRUE(spec->plugins.isEmpty());
    EXPECT_TRUE(spec->env.isEmpty());

    const QJsonObject canonical = spec->toJson();
    EXPECT_EQ(errs(JobSpec::validate(canonical)), Errors{});
    EXPECT_EQ(JobSpec::fromJson(canonical, nullptr), spec);
    EXPECT_EQ(keysOf(canonical), keys({"experiment", "name", "vm", "num_devices", "job_setting",
                                       "checkpoint", "data"}));
    const QJsonObject command = canonical.value("job_setting"_L1)
                                    .toObject()
                                    .value("docker"_L1)
                                    .toObject()
                                    .value("command"_L1)
                                    .toObject();
    EXPECT_EQ(keysOf(command), keys({"setup", "run"}));
    EXPECT_EQ(command.value("run"_L1).toString(), spec->run);
}

TEST(JobSpec, BothFormsAreValidAndNormaliseAlike)
{
    EXPECT_EQ(errs(JobSpec::validate(beforeRewrites())), Errors{});
    EXPECT_EQ(errs(JobSpec::validate(afterRewrites())), Errors{});
    EXPECT_EQ(errs(JobSpec::validate(minimalCustom())), Errors{});

    const std::optional<JobSpec> before = JobSpec::fromJson(beforeRewrites(), nullptr);
    const std::optional<JobSpec> after = JobSpec::fromJson(afterRewrites(), nullptr);
    ASSERT_TRUE(before && after);
    JobSpec rewritten = *before;
    rewritten.experimentName.clear();
    rewritten.experimentId = 4;
    rewritten.vmCode.clear();
    rewritten.vmConfigId = 2;
    rewritten.dataName.clear();
    rewritten.dataId = 9;
    EXPECT_EQ(rewritten, *after);

    EXPECT_EQ(after->setup, QString());
    EXPECT_EQ(after->run, u"cd /workspace/cifar && python main.py"_s);
    EXPECT_EQ(after->env,
              (QList<QPair<QString, QString>>{{u"EPOCHS"_s, u"5"_s}, {u"LR"_s, u"0.1"_s}}));
    EXPECT_EQ(after->inputCheckpointId, u"3e1e5a9c-2222-4a0f-9b7c-2f0e2d7c1a11"_s);
    EXPECT_EQ(after->inputCheckpointMountPath, u"/workspace/init"_s);
    EXPECT_EQ(after->distDp, 2);
    EXPECT_EQ(after->distPp, 1);
    EXPECT_EQ(after->distMp, 1);
    EXPECT_EQ(keysOf(after->plugins), keys({"wandb", "slack"}));
}

TEST(JobSpec, MixedFormsKeepNamesWithIds)
{
    // Names next to their ids are labels; both survive the canonical form.
    QJsonObject spec = afterRewrites();
    spec.insert("experiment"_L1, u"computer-vision"_s);
    setAt(spec, u"data.name", u"my-cifar-100"_s);
    setAt(spec, u"job_setting.docker.command", u"python main.py"_s);
    const std::optional<JobSpec> s = JobSpec::fromJson(spec, nullptr);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->experimentName, u"computer-vision"_s);
    EXPECT_EQ(s->experimentId, 4);
    EXPECT_EQ(s->dataName, u"my-cifar-100"_s);
    EXPECT_EQ(s->dataId, 9);
    const QJsonObject o = s->toJson();
    EXPECT_EQ(o.value("experiment"_L1).toString(), u"computer-vision"_s);
    EXPECT_EQ(o.value("experiment_id"_L1).toInteger(), 4);
    EXPECT_EQ(keysOf(o.value("data"_L1).toObject()), keys({"id", "name", "mount_path"}));
}

TEST(JobSpec, DefaultsAreFilledIn)
{
    const std::optional<JobSpec> s = JobSpec::fromJson(minimalCustom(), nullptr);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->workspaceMountPath, u"/workspace"_s);
    EXPECT_EQ(s->launchMode, u"node"_s);
    EXPECT_EQ(s->setup, QString());
    EXPECT_EQ(s->run, u"python -V"_s);
    EXPECT_FALSE(s->hasData());
    const QJsonObject setting = s->toJson().value("job_setting"_L1).toObject();
    EXPECT_EQ(keysOf(setting), keys({"type", "docker", "workspace", "launch_mode"}));
    EXPECT_EQ(setting.value("workspace"_L1).toObject().value("mount_path"_L1).toString(),
              u"/workspace"_s);
    EXPECT_EQ(setting.value("launch_mode"_L1).toString(), u"node"_s);
    EXPECT_EQ(keysOf(setting.value("docker"_L1).toObject()), keys({"image", "command"}));

    const std::optional<JobSpec> process =
        JobSpec::fromJson(with(minimalCustom(), "job_setting.launch_mode", u"process"_s), nullptr);
    ASSERT_TRUE(process);
    EXPECT_EQ(process->launchMode, u"process"_s);
}

TEST(JobSpec, CanonicalFormKeysAndRoundTrip)
{
    const std::optional<JobSpec> s = JobSpec::fromJson(afterRewrites(), nullptr);
    ASSERT_TRUE(s);
    const QJsonObject o = s->toJson();
    EXPECT_EQ(keysOf(o), keys({"experiment_id", "name", "vm_config_id", "num_devices",
                               "job_setting", "checkpoint", "data", "dist", "plugin"}));
    const QJsonObject setting = o.value("job_setting"_L1).toObject();
    EXPECT_EQ(keysOf(setting.value("docker"_L1).toObject()),
              keys({"image", "command", "credential_id", "env_var"}));
    const QJsonObject checkpoint = o.value("checkpoint"_L1).toObject();
    EXPECT_EQ(keysOf(checkpoint), keys({"input", "output_checkpoint_dir"}));
    EXPECT_EQ(keysOf(checkpoint.value("input"_L1).toObject()), keys({"id", "mount_path"}));
    EXPECT_EQ(keysOf(o.value("data"_L1).toObject()), keys({"id", "mount_path"}));
    EXPECT_EQ(keysOf(o.value("dist"_L1).toObject()), keys({"dp_degree", "pp_degree", "mp_degree"}));
    EXPECT_EQ(o.value("plugin"_L1).toObject(), afterRewrites().value("plugin"_L1).toObject());
    EXPECT_EQ(errs(JobSpec::validate(o)), Errors{});
    EXPECT_EQ(JobSpec::fromJson(throughText(o), nullptr), s);

    // A struct with both a VM code and its id writes only the id.
    JobSpec both = *s;
    both.vmCode = u"local-cpu-2c"_s;
    EXPECT_FALSE(both.toJson().contains("vm"_L1));
    EXPECT_EQ(errs(JobSpec::validate(both.toJson())), Errors{});
}

TEST(JobSpec, LargeIdsAreAccepted)
{
    const qint64 big = (qint64(1) << 40) + 3;
    QJsonObject spec = afterRewrites();
    spec.insert("experiment_id"_L1, big);
    spec.insert("vm_config_id"_L1, big + 1);
    setAt(spec, u"data.id", big + 2);
    const std::optional<JobSpec> s = JobSpec::fromJson(throughText(spec), nullptr);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->experimentId, big);
    EXPECT_EQ(s->vmConfigId, big + 1);
    EXPECT_EQ(s->dataId, big + 2);
    EXPECT_EQ(onlyError(with(spec, "vm_config_id", 2.5)),
              fe("vm_config_id", "must be the id of a VM config, a whole number ≥ 1, got 2.5"));
}

// --- required keys -------------------------------------------------------------

TEST(JobSpec, EveryRequiredKeyMissingIsReportedAtItsPath)
{
    struct Case
    {
        QJsonObject spec;
        const char *path;
    };
    const QJsonObject full = beforeRewrites();
    const QJsonObject objectCommand =
        with(full, "job_setting.docker.command",
             QJsonObject{{u"setup"_s, u"pip install -r requirements.txt"_s}, {u"run"_s, u"x"_s}});
    const std::vector<Case> cases = {
        {without(full, "job_setting"), "job_setting"},
        {without(full, "num_devices"), "num_devices"},
        {without(full, "vm"), "vm"},
        {without(full, "job_setting.type"), "job_setting.type"},
        {without(full, "job_setting.docker"), "job_setting.docker"},
        {without(full, "job_setting.docker.image"), "job_setting.docker.image"},
        {without(full, "job_setting.docker.command"), "job_setting.docker.command"},
        {without(objectCommand, "job_setting.docker.command.run"),
         "job_setting.docker.command.run"},
        {without(full, "job_setting.workspace.mount_path"), "job_setting.workspace.mount_path"},
        {without(full, "checkpoint.input.id"), "checkpoint.input.id"},
        {without(full, "checkpoint.input.mount_path"), "checkpoint.input.mount_path"},
        {without(full, "data.name"), "data.name"},
        {without(full, "data.mount_path"), "data.mount_path"},
        {without(full, "dist.dp_degree"), "dist.dp_degree"},
        {without(full, "dist.pp_degree"), "dist.pp_degree"},
        {without(full, "dist.mp_degree"), "dist.mp_degree"},
        {without(full, "plugin.wandb.credential_id"), "plugin.wandb.credential_id"},
        {without(full, "plugin.slack.credential_id"), "plugin.slack.credential_id"},
        {without(full, "plugin.slack.channel"), "plugin.slack.channel"},
        {without(predefined(), "job_setting.template_id"), "job_setting.template_id"},
        {without(predefined(), "job_setting.model_config"), "job_setting.model_config"},
    };
    for (const Case &c : cases) {
        const std::string error = onlyError(c.spec);
        EXPECT_TRUE(startsWith(error, std::string(c.path) + ": is required")) << error;
    }
    // Ids stand in for the names they replace.
    EXPECT_EQ(errs(JobSpec::validate(with(without(full, "vm"), "vm_config_id", 2))), Errors{});
    EXPECT_EQ(errs(JobSpec::validate(with(without(full, "data.name"), "data.id", 9))), Errors{});
    // The optional parts may go.
    QJsonObject bare = full;
    for (const char *optional : {"experiment", "name", "checkpoint", "data", "dist", "plugin"})
        bare = without(bare, optional);
    for (const char *optional : {"job_setting.workspace", "job_setting.launch_mode",
                                 "job_setting.docker.credential_id", "job_setting.docker.env_var"})
        bare = without(bare, optional);
    EXPECT_EQ(errs(JobSpec::validate(bare)), Errors{});
    EXPECT_EQ(errs(JobSpec::validate(with(full, "checkpoint", QJsonObject{}))), Errors{});
}

TEST(JobSpec, RequiredMessagesSayWhatIsMissing)
{
    EXPECT_EQ(onlyError(without(minimalCustom(), "vm")),
              fe("vm", "is required: the VM type to run on, such as local-cpu-2c (or give "
                       "`vm_config_id`)"));
    EXPECT_EQ(onlyError(without(minimalCustom(), "num_devices")),
              fe("num_devices", "is required: how many devices the job uses in total"));
    EXPECT_EQ(errs(JobSpec::validate({})), Errors{fe("job_setting", "is required")});
}

// --- wrong values ----------------------------------------------------------------

TEST(JobSpec, WrongTypesAndValuesSayWhatWasGiven)
{
    struct Case
    {
        const char *path;
        QJsonValue value;
        const char *message;
    };
    const std::vector<Case> cases = {
        {"num_devices", u"two"_s, "must be a whole number ≥ 1, got 'two'"},
        {"num_devices", 0, "must be a whole number ≥ 1, got 0"},
        {"num_devices", -3, "must be a whole number ≥ 1, got -3"},
        {"num_devices", 1.5, "must be a whole number ≥ 1, got 1.5"},
        {"num_devices", QJsonValue(QJsonValue::Null), "must be a whole number ≥ 1, got nothing"},
        {"num_devices", u"2"_s, "must be a whole number ≥ 1, got '2'"},
        {"experiment", 7, "must be the name of an experiment (text), got 7"},
        {"experiment_id", u"4"_s, "must be the id of an experiment, a whole number ≥ 1, got '4'"},
        {"name", true, "must be text, got true"},
        {"vm", u"local cpu"_s, "must be a VM code such as local-cpu-2c, got 'local cpu'"},
        {"vm", QJsonArray{1}, "must be a VM code such as local-cpu-2c, got a list"},
        {"job_setting", u"custom"_s, "must be an object, got 'custom'"},
        {"job_setting.type", u"Custom"_s, "must be custom or predefined, got 'Custom'"},
        {"job_setting.docker.image", 5,
         "must be an image name such as friendliai/periflow:sdk, got 5"},
        {"job_setting.docker.image", u""_s, "must not be empty"},
        {"job_setting.docker.command", 5,
         "must be a shell command (text), or `setup` and `run` commands, got 5"},
        {"job_setting.docker.command", u""_s, "must not be empty"},
        {"job_setting.docker.command", QJsonObject{{u"run"_s, QJsonArray{}}},
         nullptr}, // reported at command.run, below
        {"job_setting.docker.credential_id", u"abc"_s,
         "must be the id of a docker credential, a UUID such as "
         "3e1e5a9c-2222-4a0f-9b7c-2f0e2d7c1a11, got 'abc'"},
        {"job_setting.docker.env_var", QJsonArray{},
         "must be an object of NAME: value, got a list"},
        {"job_setting.workspace.mount_path", u"workspace"_s,
         "must be an absolute path such as /workspace, got 'workspace'"},
        {"job_setting.launch_mode", u"nodes"_s, "must be node or process, got 'nodes'"},
        {"checkpoint.input.mount_path", u"init"_s,
         "must be an absolute path such as /workspace/init, got 'init'"},
        {"checkpoint.output_checkpoint_dir", 1,
         "must be an absolute path such as /workspace/ckpt, got 1"},
        {"data.id", u"x"_s, "must be the id of a dataset, a whole number ≥ 1, got 'x'"},
        {"data.mount_path", u"data"_s,
         "must be an absolute path such as /workspace/data, got 'data'"},
        {"dist.dp_degree", 0, "must be a whole number ≥ 1, got 0"},
        {"plugin.slack.channel", 5, "must be a Slack channel such as \"#ml\", got 5"},
        {"plugin", u"wandb"_s, "must be an object, got 'wandb'"},
    };
    for (const Case &c : cases) {
        if (!c.message)
            continue;
        EXPECT_EQ(onlyError(with(beforeRewrites(), c.path, c.value)), fe(c.path, c.message))
            << c.path;
    }
    EXPECT_EQ(onlyError(with(beforeRewrites(), "job_setting.docker.command",
                             QJsonObject{{u"run"_s, QJsonArray{}}})),
              fe("job_setting.docker.command.run", "must be a shell command (text), got a list"));
    EXPECT_EQ(onlyError(with(beforeRewrites(), "job_setting.docker.env_var.DEBUG", 1)),
              fe("job_setting.docker.env_var.DEBUG",
                 "must be text; in YAML, quote numbers and true/false (\"1\"), got 1"));
    // Too long: the length, not the value.
    const std::string longName = onlyError(with(beforeRewrites(), "vm", QString(300, u'x')));
    EXPECT_EQ(longName, fe("vm", "must be at most 128 characters"));
}

TEST(JobSpec, UnknownKeysAreErrorsAtEveryLevel)
{
    const QJsonObject objectCommand =
        with(beforeRewrites(), "job_setting.docker.command", QJsonObject{{u"run"_s, u"x"_s}});
    for (const char *parent :
         {"", "job_setting", "job_setting.docker", "job_setting.docker.command",
          "job_setting.workspace", "checkpoint", "checkpoint.input", "data", "dist", "plugin",
          "plugin.wandb", "plugin.slack"}) {
        const std::string path = *parent ? std::string(parent) + ".colour" : "colour";
        const std::string error = onlyError(with(objectCommand, path.c_str(), 1));
        EXPECT_TRUE(startsWith(error, path + ": is not a known key")) << error;
    }
    // Close misspellings get a suggestion; others the list of keys.
    const Errors typo = errs(JobSpec::validate(with(without(beforeRewrites(), "data.mount_path"),
                                                    "data.mount_paht", u"/workspace/data"_s)));
    EXPECT_EQ(typo.size(), 2u) << ::testing::PrintToString(typo);
    EXPECT_NE(std::find(typo.begin(), typo.end(),
                        fe("data.mount_paht", "is not a known key; did you mean `mount_path`?")),
              typo.end())
        << ::testing::PrintToString(typo);
    EXPECT_NE(std::find(typo.begin(), typo.end(), fe("data.mount_path", "is required")),
              typo.end());
    EXPECT_EQ(onlyError(with(minimalCustom(), "nmae", u"x"_s)),
              fe("nmae", "is not a known key; did you mean `name`?"));
    EXPECT_EQ(onlyError(with(minimalCustom(), "num-devices", 1)),
              fe("num-devices", "is not a known key; did you mean `num_devices`?"));
    EXPECT_EQ(onlyError(with(beforeRewrites(), "dist.zz", 1)),
              fe("dist.zz", "is not a known key here (known keys: dp_degree, mp_degree, "
                            "pp_degree)"));
    // Two unknown keys in one object: both named.
    EXPECT_EQ(JobSpec::validate(with(with(minimalCustom(), "a", 1), "b", 2)).size(), 2);
    // Environment variable names.
    EXPECT_EQ(onlyError(with(beforeRewrites(), "job_setting.docker.env_var.1ST", u"x"_s)),
              fe("job_setting.docker.env_var.1ST",
                 "is not a valid environment variable name: use letters, digits and _, not "
                 "starting with a digit"));
}

TEST(JobSpec, VmAndVmConfigIdExcludeEachOther)
{
    EXPECT_EQ(onlyError(with(minimalCustom(), "vm_config_id", 2)),
              fe("vm_config_id", "cannot be given together with `vm`; give one of them"));
}

TEST(JobSpec, PlatformVariablesCannotBeOverridden)
{
    EXPECT_EQ(onlyError(with(beforeRewrites(), "job_setting.docker.env_var.WORLD_SIZE", u"8"_s)),
              fe("job_setting.docker.env_var.WORLD_SIZE",
                 "is set by PeriFlow in every job and cannot be overridden"));
    EXPECT_EQ(errs(JobSpec::validate(
                  with(beforeRewrites(), "job_setting.docker.env_var.world_size", u"8"_s))),
              Errors{});
}

TEST(JobSpec, ControlCharactersInNames)
{
    EXPECT_EQ(onlyError(with(minimalCustom(), "name", u"a\nb"_s)),
              fe("name", "must not contain control characters such as line breaks"));
}

// --- predefined jobs -------------------------------------------------------------

TEST(JobSpec, PredefinedJobs)
{
    EXPECT_EQ(errs(JobSpec::validate(predefined())), Errors{});
    const std::optional<JobSpec> s = JobSpec::fromJson(predefined(), nullptr);
    ASSERT_TRUE(s);
    EXPECT_TRUE(s->isPredefined());
    EXPECT_EQ(s->templateId, u"gpt-finetune"_s);
    EXPECT_EQ(s->modelConfig, parse(R"({"layers": 12, "hidden": 768})"));
    EXPECT_EQ(s->numDevices, 0);
    EXPECT_EQ(s->dataName, u"wiki"_s);
    EXPECT_EQ(s->distPp, 2);

    const QJsonObject o = s->toJson();
    EXPECT_EQ(keysOf(o), keys({"experiment", "name", "job_setting", "data", "dist"}));
    EXPECT_EQ(keysOf(o.value("job_setting"_L1).toObject()),
              keys({"type", "template_id", "model_config"}));
    EXPECT_EQ(JobSpec::fromJson(o, nullptr), s);

    // What the template decides is not the job's to give.
    for (const char *key : {"vm", "vm_config_id", "num_devices"}) {
        const QJsonValue value = QString::fromLatin1(key) == u"vm" ? QJsonValue(u"x"_s) : 2;
        EXPECT_EQ(onlyError(with(predefined(), key, value)),
                  fe(key, "is not used by predefined jobs: the template decides where they run"));
    }
    EXPECT_EQ(onlyError(with(predefined(), "job_setting.launch_mode", u"node"_s)),
              fe("job_setting.launch_mode", "is not used by predefined jobs"));
    EXPECT_EQ(onlyError(with(predefined(), "job_setting.workspace",
                             QJsonObject{{u"mount_path"_s, u"/w"_s}})),
              fe("job_setting.workspace", "is not used by predefined jobs"));
    EXPECT_EQ(onlyError(with(minimalCustom(), "job_setting.template_id", u"t"_s)),
              fe("job_setting.template_id",
                 "is only used by predefined jobs (job_setting.type: predefined)"));
    EXPECT_EQ(
        onlyError(with(predefined(), "job_setting.model_config", u"big"_s)),
        fe("job_setting.model_config", "must be an object of the template's settings, got 'big'"));
}

// --- mount paths -------------------------------------------------------------------

TEST(JobSpec, MountPathsMustNotCollide)
{
    const QJsonObject full = beforeRewrites();
    struct Case
    {
        const char *path;
        const char *value;
        const char *message;
    };
    const std::vector<Case> cases = {
        {"data.mount_path", "/workspace",
         "is the same folder as `job_setting.workspace.mount_path` (/workspace); each mount "
         "needs a folder of its own"},
        {"data.mount_path", "/workspace/", // cleaned before comparing
         "is the same folder as `job_setting.workspace.mount_path` (/workspace); each mount "
         "needs a folder of its own"},
        {"checkpoint.output_checkpoint_dir", "/workspace/data",
         "is the same folder as `data.mount_path` (/workspace/data); each mount needs a folder "
         "of its own"},
        {"checkpoint.output_checkpoint_dir", "/workspace/data/out",
         "is inside `data.mount_path` (/workspace/data); mounts must not be nested (only the "
         "workspace mount may hold the others)"},
        {"checkpoint.output_checkpoint_dir", "/workspace/init",
         "is the same folder as `checkpoint.input.mount_path` (/workspace/init); each mount "
         "needs a folder of its own"},
        {"checkpoint.input.mount_path", "/workspace/data/init",
         "is inside `data.mount_path` (/workspace/data); mounts must not be nested (only the "
         "workspace mount may hold the others)"},
        {"data.mount_path", "/work",
         "contains `job_setting.workspace.mount_path` (/work/space); mounts must not be nested"},
        {"data.mount_path", "/",
         "cannot be / (the whole file system of the job); use a folder "
         "such as /workspace/data"},
        {"data.mount_path", "/usr",
         "cannot be /usr, a folder the job's system needs; use a "
         "folder such as /workspace/data"},
        {"data.mount_path", "/proc/self",
         "cannot be /proc/self, a folder the job's system "
         "needs; use a folder such as /workspace/data"},
        {"data.mount_path", "/workspace/../etc", "must not contain `..`, got '/workspace/../etc'"},
    };
    for (const Case &c : cases) {
        QJsonObject spec = with(full, c.path, QString::fromUtf8(c.value));
        if (QByteArray(c.value) == "/work")
            spec = with(spec, "job_setting.workspace.mount_path", u"/work/space"_s);
        EXPECT_EQ(onlyError(spec), fe(c.path, c.message)) << c.value;
    }

    // The data, input and output folders may lie inside the workspace mount,
    // as in the seed template; and elsewhere.
    EXPECT_EQ(errs(JobSpec::validate(full)), Errors{});
    EXPECT_EQ(errs(JobSpec::validate(with(full, "data.mount_path", u"/data"_s))), Errors{});
    EXPECT_EQ(errs(JobSpec::validate(with(full, "data.mount_path", u"/workspace/data2"_s))),
              Errors{});

    // Without a workspace key the default /workspace counts.
    const QJsonObject noWorkspace = without(full, "job_setting.workspace");
    EXPECT_EQ(onlyError(with(noWorkspace, "data.mount_path", u"/workspace"_s)),
              fe("data.mount_path", "is the same folder as the workspace mount (/workspace, the "
                                    "default); each mount needs a folder of its own"));
    // Predefined jobs have no workspace.
    EXPECT_EQ(errs(JobSpec::validate(with(predefined(), "data.mount_path", u"/workspace"_s))),
              Errors{});

    // Cleaned in the normalised spec.
    const std::optional<JobSpec> s =
        JobSpec::fromJson(with(full, "data.mount_path", u"/workspace//data/"_s), nullptr);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->dataMountPath, u"/workspace/data"_s);
}

// --- warnings ------------------------------------------------------------------------

TEST(JobSpec, Warnings)
{
    EXPECT_EQ(errs(JobSpec::warnings(beforeRewrites())), Errors{});
    const QJsonObject spec = with(beforeRewrites(), "dist.mp_degree", 3);
    EXPECT_EQ(errs(JobSpec::validate(spec)), Errors{});
    EXPECT_EQ(errs(JobSpec::warnings(spec)),
              Errors{fe("dist", "asks for dp × pp × mp = 2 × 1 × 3 = 6 devices, but "
                                "`num_devices` is 2")});
}

// --- the schema --------------------------------------------------------------------

namespace {

void expectDocumented(const QJsonObject &schema, const std::string &where)
{
    for (const char *map : {"properties", "patternProperties"}) {
        const QJsonObject members = schema.value(QLatin1StringView(map)).toObject();
        for (auto it = members.constBegin(); it != members.constEnd(); ++it) {
            const QJsonObject member = it.value().toObject();
            const std::string path = where + "/" + it.key().toStdString();
            EXPECT_FALSE(member.value("title"_L1).toString().isEmpty()) << path;
            EXPECT_GE(member.value("description"_L1).toString().size(), 20) << path;
            expectDocumented(member, path);
        }
    }
}

} // namespace

TEST(JobSpec, SchemaDocumentsEveryProperty)
{
    const QJsonObject &schema = JobSpec::schema();
    EXPECT_EQ(schema.value("$schema"_L1).toString(), u"http://json-schema.org/draft-07/schema#"_s);
    EXPECT_FALSE(schema.value("description"_L1).toString().isEmpty());
    expectDocumented(schema, "");
    EXPECT_EQ(keysOf(schema.value("properties"_L1).toObject()),
              keys({"experiment", "experiment_id", "name", "vm", "vm_config_id", "num_devices",
                    "job_setting", "checkpoint", "data", "dist", "plugin"}));
}

TEST(JobSpec, ValidatesOnManyThreads)
{
    std::vector<std::thread> threads;
    std::vector<int> failures(8, 0);
    for (size_t t = 0; t < failures.size(); ++t) {
        threads.emplace_back([t, &failures] {
            for (int i = 0; i < 20; ++i) {
                if (!JobSpec::validate(beforeRewrites()).isEmpty() ||
                    JobSpec::validate(with(minimalCustom(), "num_devices", 0)).size() != 1)
                    ++failures[t];
            }
        });
    }
    for (std::thread &t : threads)
        t.join();
    EXPECT_EQ(failures, std::vector<int>(8, 0));
}

// --- YAML ----------------------------------------------------------------------------

namespace {

const char *const kYaml = "experiment: cv\n"                 // 1
                          "name: job\n"                      // 2
                          "vm: local-cpu-2c\n"               // 3
                          "num_devices: 2\n"                 // 4
                          "job_setting:\n"                   // 5
                          "  type: custom\n"                 // 6
                          "  docker:\n"                      // 7
                          "    image: python:3.12\n"         // 8
                          "    command: python -V\n"         // 9
                          "data:\n"                          // 10
                          "  name: my-data\n"                // 11
                          "  mount_path: /workspace/data\n"; // 12

// kYaml with line `line` (1-based) replaced by `text` (which may hold several lines).
QByteArray replaceLine(int line, const char *text)
{
    QList<QByteArray> lines = QByteArray(kYaml).split('\n');
    lines[line - 1] = QByteArray(text);
    return lines.join('\n');
}

// The issues as "line:column message".
std::vector<std::string> placed(const QList<SpecIssue> &issues)
{
    std::vector<std::string> out;
    for (const SpecIssue &i : issues)
        out.push_back(
            QStringLiteral("%1:%2 %3").arg(i.line).arg(i.column).arg(i.message).toStdString());
    return out;
}

} // namespace

TEST(JobSpecYaml, ValidFileHasNoIssues)
{
    EXPECT_EQ(show(JobSpec::validateYaml(kYaml)), "");
}

TEST(JobSpecYaml, EveryBadEnvironmentValueIsReported)
{
    // valijson stops at the first failing patternProperties member; every
    // one of them must still reach the editor, each at its own line.
    using V = std::vector<std::string>;
    const QByteArray yaml = replaceLine(9, "    command: python -V\n"
                                           "    env_var:\n"
                                           "      A: 1\n"
                                           "      B: \"fine\"\n"
                                           "      C: true\n"
                                           "      D: [x]");
    EXPECT_EQ(placed(JobSpec::validateYaml(yaml)),
              (V{"11:10 `job_setting.docker.env_var.A` must be text; in YAML, quote numbers and "
                 "true/false (\"1\"), got 1",
                 "13:10 `job_setting.docker.env_var.C` must be text; in YAML, quote numbers and "
                 "true/false (\"1\"), got true",
                 // A collection value is placed at its key.
                 "14:7 `job_setting.docker.env_var.D` must be text; in YAML, quote numbers and "
                 "true/false (\"1\"), got a list"}));
}

TEST(JobSpecYaml, ErrorsPointAtTheirLine)
{
    using V = std::vector<std::string>;
    EXPECT_EQ(placed(JobSpec::validateYaml(replaceLine(4, "num_devices: two"))),
              V{"4:14 `num_devices` must be a whole number ≥ 1, got 'two'"});
    EXPECT_EQ(placed(JobSpec::validateYaml(replaceLine(8, "    image: 5"))),
              V{"8:12 `job_setting.docker.image` must be an image name such as "
                "friendliai/periflow:sdk, got 5"});
    // An unknown key: at the key.
    EXPECT_EQ(placed(JobSpec::validateYaml(replaceLine(11, "  nmae: my-data"))),
              (V{"10:1 `data.name` is required (or `data.id`): the dataset to mount",
                 "11:3 `data.nmae` is not a known key; did you mean `name`?"}));
    // A missing key: at the mapping that lacks it.
    EXPECT_EQ(placed(JobSpec::validateYaml(replaceLine(8, "    # no image"))),
              V{"7:3 `job_setting.docker.image` is required"});
    EXPECT_EQ(placed(JobSpec::validateYaml(replaceLine(4, "# no devices"))),
              V{"1:1 `num_devices` is required: how many devices the job uses in total"});
    // Several, sorted by line.
    const QByteArray two = replaceLine(12, "  mount_path: data").replace("type: custom", "type: x");
    EXPECT_EQ(placed(JobSpec::validateYaml(two)),
              (V{"6:9 `job_setting.type` must be custom or predefined, got 'x'",
                 "12:15 `data.mount_path` must be an absolute path such as /workspace/data, "
                 "got 'data'"}));
    // A value on its own line (a block scalar) and a nested flow mapping.
    EXPECT_EQ(placed(JobSpec::validateYaml(replaceLine(9, "    command: {run: 5}"))),
              V{"9:20 `job_setting.docker.command.run` must be a shell command (text), got 5"});
    // An empty value is reported at its key.
    EXPECT_EQ(placed(JobSpec::validateYaml(replaceLine(4, "num_devices:"))),
              V{"4:1 `num_devices` must be a whole number ≥ 1, got nothing"});
}

TEST(JobSpecYaml, ColumnsCountCharactersNotBytes)
{
    // 日本語 is 3 characters in 9 bytes of UTF-8.
    QByteArray yaml = kYaml;
    yaml.replace("data:\n  name: my-data\n  mount_path: /workspace/data\n",
                 "data: {name: \"日本語\", mount_path: rel}\n");
    const QList<SpecIssue> issues = JobSpec::validateYaml(yaml);
    ASSERT_EQ(issues.size(), 1) << show(issues);
    EXPECT_EQ(issues[0].path, u"data.mount_path"_s);
    EXPECT_EQ(issues[0].line, 10);
    EXPECT_EQ(issues[0].column, 33); // "rel", after 32 characters
}

TEST(JobSpecYaml, ScalarsBecomeJsonTypes)
{
    QList<SpecIssue> issues;
    const QJsonObject o = JobSpec::fromYaml("a: 12\nb: -3\nc: 1.5\nd: true\ne: ~\nf: '12'\n"
                                            "g: 0x1F\nh: 1e3\ni: [1, two]\nj: 99999999999\n"
                                            "k: |\n  line\nl:\n",
                                            &issues);
    EXPECT_TRUE(issues.isEmpty()) << show(issues);
    EXPECT_EQ(o.value("a"_L1), QJsonValue(12));
    EXPECT_TRUE(o.value("a"_L1).isDouble());
    EXPECT_EQ(o.value("b"_L1), QJsonValue(-3));
    EXPECT_EQ(o.value("c"_L1), QJsonValue(1.5));
    EXPECT_EQ(o.value("d"_L1), QJsonValue(true));
    EXPECT_TRUE(o.value("e"_L1).isNull());
    EXPECT_EQ(o.value("f"_L1), QJsonValue(u"12"_s));
    EXPECT_EQ(o.value("g"_L1), QJsonValue(31));
    EXPECT_EQ(o.value("h"_L1), QJsonValue(1000.0));
    EXPECT_EQ(o.value("i"_L1), QJsonValue(QJsonArray{1, u"two"_s}));
    EXPECT_EQ(o.value("j"_L1).toInteger(), 99999999999);
    EXPECT_EQ(o.value("k"_L1), QJsonValue(u"line\n"_s));
    EXPECT_TRUE(o.value("l"_L1).isNull());
}

TEST(JobSpecYaml, ReadingProblems)
{
    // A key given twice.
    const QList<SpecIssue> twice = JobSpec::validateYaml(QByteArray(kYaml) + "num_devices: 3\n");
    EXPECT_EQ(placed(twice),
              std::vector<std::string>{"13:1 `num_devices` is given more than once in this "
                                       "mapping; the last one counts"});
    // yes/no: a warning, read as text.
    QByteArray yes = QByteArray(kYaml) + "    env_var:\n      DEBUG: yes\n";
    yes.replace("data:\n  name: my-data\n  mount_path: /workspace/data\n", "");
    const QList<SpecIssue> warned = JobSpec::validateYaml(yes);
    ASSERT_EQ(warned.size(), 1) << show(warned);
    EXPECT_EQ(warned[0].severity, SpecIssue::Warning);
    EXPECT_EQ(warned[0].line, 11);
    EXPECT_EQ(warned[0].column, 14);
    EXPECT_EQ(warned[0].path, u"job_setting.docker.env_var.DEBUG"_s);
    // Not a mapping.
    EXPECT_EQ(placed(JobSpec::validateYaml("- vm: x\n")),
              std::vector<std::string>{"1:1 A job file must be a mapping of keys and values, "
                                       "such as `vm: local-cpu-2c`, not a single value or a "
                                       "list."});
    QList<SpecIssue> issues;
    EXPECT_EQ(JobSpec::fromYaml("just text", &issues), QJsonObject());
    EXPECT_EQ(issues.size(), 1);
    // An empty file lacks everything; reported at the start.
    EXPECT_EQ(placed(JobSpec::validateYaml("")),
              std::vector<std::string>{"1:1 `job_setting` is required"});
    EXPECT_EQ(placed(JobSpec::validateYaml("# only a comment\n")),
              std::vector<std::string>{"1:1 `job_setting` is required"});
    // A second document.
    const QList<SpecIssue> two = JobSpec::validateYaml(QByteArray(kYaml) + "---\nvm: x\n");
    ASSERT_FALSE(two.isEmpty());
    EXPECT_TRUE(two.last().message.startsWith(u"The file holds more than one YAML document"_s))
        << show(two);
    EXPECT_EQ(two.last().line, 14);
    // A trailing document marker is fine.
    EXPECT_EQ(show(JobSpec::validateYaml(QByteArray(kYaml) + "---\n")), "");
    // A byte order mark does not shift the columns.
    EXPECT_EQ(placed(JobSpec::validateYaml(QByteArray("\xEF\xBB\xBF") +
                                           replaceLine(4, "num_devices: two"))),
              std::vector<std::string>{"4:14 `num_devices` must be a whole number ≥ 1, got 'two'"});
}

TEST(JobSpecYaml, SyntaxErrorIsOneIssueAtTheParsersPosition)
{
    const QList<SpecIssue> issues =
        JobSpec::validateYaml(replaceLine(9, "    command: [python, -V"));
    ASSERT_EQ(issues.size(), 1) << show(issues);
    EXPECT_EQ(issues[0].severity, SpecIssue::Error);
    EXPECT_TRUE(issues[0].path.isEmpty());
    EXPECT_TRUE(issues[0].message.startsWith(u"This is not valid YAML: "_s))
        << issues[0].message.toStdString();
    EXPECT_GE(issues[0].line, 9);

    const QList<SpecIssue> bad = JobSpec::validateYaml("vm: x\n  bad: : :\n");
    ASSERT_EQ(bad.size(), 1) << show(bad);
    EXPECT_EQ(bad[0].message, u"This is not valid YAML: illegal map value."_s);
    EXPECT_EQ(bad[0].line, 2);
    EXPECT_EQ(bad[0].column, 6);

    QList<SpecIssue> fromIssues;
    EXPECT_EQ(JobSpec::fromYaml("a: [", &fromIssues), QJsonObject());
    EXPECT_EQ(fromIssues.size(), 1);
}

TEST(JobSpecYaml, HugeFileDoesNotCrash)
{
    // 1 MB in one command, and 1 MB of environment variables.
    QByteArray big = QByteArray(kYaml).replace(
        "command: python -V", QByteArray("command: \"" + QByteArray(1 << 20, 'x') + "\""));
    const QList<SpecIssue> issues = JobSpec::validateYaml(big);
    EXPECT_EQ(placed(issues), std::vector<std::string>{"9:14 `job_setting.docker.command` must "
                                                       "be at most 65536 characters"});

    QByteArray vars = "    env_var:\n";
    for (int i = 0; vars.size() < (1 << 20); ++i)
        vars += "      VAR_" + QByteArray::number(i) + ": value\n";
    const QByteArray env = QByteArray(kYaml).replace("data:\n", QByteArray(vars + "data:\n"));
    const QList<SpecIssue> many = JobSpec::validateYaml(env);
    ASSERT_EQ(many.size(), 1);
    EXPECT_EQ(many[0].path, u"job_setting.docker.env_var"_s);
    EXPECT_EQ(many[0].line, 10);
}

TEST(JobSpecYaml, DeepNestingDoesNotCrash)
{
    // Within yaml-cpp's limits, beyond ours.
    QByteArray nested = "vm: x\nextra:\n";
    for (int i = 1; i < 200; ++i)
        nested += QByteArray(2 * i, ' ') + "k" + QByteArray::number(i) + ":\n";
    const QList<SpecIssue> issues = JobSpec::validateYaml(nested);
    EXPECT_TRUE(std::any_of(issues.cbegin(), issues.cend(), [](const SpecIssue &i) {
        return i.message == u"`extra` is nested more than 64 levels deep"_s && i.line == 66;
    })) << show(issues);

    // Beyond yaml-cpp's limits: flow and block style.
    const QByteArray flow = "a: " + QByteArray(100000, '[') + QByteArray(100000, ']') + "\n";
    const QList<SpecIssue> deepFlow = JobSpec::validateYaml(flow);
    ASSERT_EQ(deepFlow.size(), 1);
    EXPECT_TRUE(deepFlow[0].message.startsWith(u"This is nested too deeply to be read"_s))
        << show(deepFlow);

    QByteArray block;
    for (int i = 0; i < 2500; ++i)
        block += QByteArray(i, ' ') + "k:\n";
    const QList<SpecIssue> deepBlock = JobSpec::validateYaml(block);
    ASSERT_EQ(deepBlock.size(), 1);
    EXPECT_TRUE(deepBlock[0].message.startsWith(u"This is nested too deeply to be read"_s))
        << show(deepBlock);
}

TEST(JobSpecYaml, AliasesCannotExplode)
{
    // The "billion laughs": nine levels of nine aliases.
    QByteArray bomb = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
    char prev = 'a';
    for (char c = 'b'; c <= 'j'; ++c, ++prev) {
        bomb += QByteArray(1, c) + ": &" + QByteArray(1, c) + " [";
        for (int i = 0; i < 9; ++i)
            bomb += QByteArray(i ? ",*" : "*") + QByteArray(1, prev);
        bomb += "]\n";
    }
    const QList<SpecIssue> issues = JobSpec::validateYaml(bomb);
    EXPECT_TRUE(std::any_of(issues.cbegin(), issues.cend(), [](const SpecIssue &i) {
        return i.message.contains(u"aliased values"_s);
    })) << show(issues);

    // An alias inside its own anchor: endless nesting.
    const QList<SpecIssue> loop = JobSpec::validateYaml("a: &a [*a]\n");
    EXPECT_TRUE(std::any_of(loop.cbegin(), loop.cend(), [](const SpecIssue &i) {
        return i.message == u"`a` is nested more than 64 levels deep"_s;
    })) << show(loop);
    // A complex key.
    EXPECT_TRUE(JobSpec::validateYaml("? [a]\n: 1\n")
                    .contains(SpecIssue{{},
                                        u"The file has a key that is not plain text (a mapping, "
                                        "list or empty key)"_s,
                                        1,
                                        3,
                                        SpecIssue::Error}));
    // Plain aliases work.
    const QByteArray reuse = "x: &path /workspace/data\n";
    QList<SpecIssue> readIssues;
    const QJsonObject o = JobSpec::fromYaml(reuse + "y: *path\n", &readIssues);
    EXPECT_TRUE(readIssues.isEmpty()) << show(readIssues);
    EXPECT_EQ(o.value("y"_L1).toString(), u"/workspace/data"_s);
}

TEST(YamlDocument, PathsAndPositions)
{
    const YamlDocument doc = YamlDocument::parse("a:\n  b: [x, {c: 1}]\n  \"d.e\": 2\n");
    ASSERT_TRUE(doc.isParsed());
    EXPECT_TRUE(doc.contains(u"a.b[1].c"_s));
    EXPECT_TRUE(doc.contains(u"a.d.e"_s));
    EXPECT_EQ(doc.keyPosition(u"a.b[1].c"_s), (YamlDocument::Position{2, 11}));
    EXPECT_EQ(doc.valuePosition(u"a.b[1].c"_s), (YamlDocument::Position{2, 14}));
    EXPECT_EQ(doc.valuePosition(u"a.b[0]"_s), (YamlDocument::Position{2, 7}));
    EXPECT_EQ(doc.keyPosition(u"a.missing"_s), (YamlDocument::Position{1, 1}));
    EXPECT_EQ(doc.keyPosition(u"a.b[1].missing"_s), (YamlDocument::Position{2, 10}));
    EXPECT_EQ(YamlDocument::parentPath(u"a.b[2]"_s), u"a.b"_s);
    EXPECT_EQ(YamlDocument::parentPath(u"a.b"_s), u"a"_s);
    EXPECT_EQ(YamlDocument::parentPath(u"a"_s), QString());
}

// ---- Every rule of the schema, from the schema itself

namespace {

// The line of every key in block YAML as toYaml() writes it, found from the
// indentation alone (not through YamlDocument, whose positions are on trial).
QHash<QString, int> keyLines(const QString &yaml)
{
    QHash<QString, int> lines;
    QList<std::pair<qsizetype, QString>> open; // indentation, path
    qsizetype blockIndent = -1;                // inside a | block deeper than this
    const QStringList text = yaml.split(u'\n');
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QString &line = text.at(i);
        qsizetype indent = 0;
        while (indent < line.size() && line.at(indent) == u' ')
            ++indent;
        if (line.trimmed().isEmpty())
            continue;
        if (blockIndent >= 0 && indent > blockIndent)
            continue;
        blockIndent = -1;
        const qsizetype colon = line.indexOf(u':', indent);
        if (colon < 0)
            continue;
        const QString key = line.mid(indent, colon - indent);
        while (!open.isEmpty() && open.last().first >= indent)
            open.removeLast();
        const QString path = open.isEmpty() ? key : open.last().second + u'.' + key;
        lines.insert(path, int(i) + 1);
        open.append({indent, path});
        const QString rest = line.mid(colon + 1).trimmed();
        if (rest.startsWith(u'|') || rest.startsWith(u'>'))
            blockIndent = indent;
    }
    return lines;
}

// A custom job that sets every property the schema has (but the ids that
// exclude the names).
QJsonObject everyProperty()
{
    const QString uuid = u"3e1e5a9c-2222-4a0f-9b7c-2f0e2d7c1a11"_s;
    return QJsonObject{
        {u"experiment"_s, u"vision"_s},
        {u"name"_s, u"resnet"_s},
        {u"vm"_s, u"local-cpu-2c"_s},
        {u"num_devices"_s, 2},
        {u"job_setting"_s,
         QJsonObject{{u"type"_s, u"custom"_s},
                     {u"docker"_s,
                      QJsonObject{{u"image"_s, u"friendliai/periflow:sdk"_s},
                                  {u"command"_s, QJsonObject{{u"setup"_s, u"pip install -e ."_s},
                                                             {u"run"_s, u"python3 main.py"_s}}},
                                  {u"credential_id"_s, uuid},
                                  {u"env_var"_s, QJsonObject{{u"LR"_s, u"0.1"_s}}}}},
                     {u"workspace"_s, QJsonObject{{u"mount_path"_s, u"/workspace"_s}}},
                     {u"launch_mode"_s, u"node"_s}}},
        {u"checkpoint"_s,
         QJsonObject{
             {u"input"_s, QJsonObject{{u"id"_s, uuid}, {u"mount_path"_s, u"/workspace/input"_s}}},
             {u"output_checkpoint_dir"_s, u"/workspace/ckpt"_s}}},
        {u"data"_s, QJsonObject{{u"name"_s, u"cifar"_s}, {u"mount_path"_s, u"/workspace/data"_s}}},
        {u"dist"_s, QJsonObject{{u"dp_degree"_s, 2}, {u"pp_degree"_s, 1}, {u"mp_degree"_s, 1}}},
        {u"plugin"_s, QJsonObject{{u"wandb"_s, QJsonObject{{u"credential_id"_s, uuid}}},
                                  {u"slack"_s, QJsonObject{{u"credential_id"_s, uuid},
                                                           {u"channel"_s, u"#ml"_s}}}}},
    };
}

struct Violation
{
    QString rule;
    QString path;     // the path the issue must name
    QString linePath; // the key whose line it must be on ("" for line 1)
    QJsonObject spec;
};

// One spec per rule the schema states for `path` (a property `schema` of
// the base spec), each breaking that rule alone.
void violationsOf(const QJsonObject &base, const QString &path, const QJsonObject &schema,
                  QList<Violation> &out)
{
    const auto broken = [&](const QString &rule, const QJsonValue &value) {
        out.append({rule, path, path, with(base, path.toUtf8().constData(), value)});
    };
    const QJsonValue type = schema.value(u"type");
    const QStringList types = type.isArray()
                                  ? QVariant(type.toArray().toVariantList()).toStringList()
                                  : QStringList{type.toString()};
    if (types.contains(u"integer"_s))
        broken(u"type integer"_s, u"two"_s);
    else if (types.contains(u"string"_s))
        broken(u"type string"_s, 12345);
    else if (types.contains(u"object"_s))
        broken(u"type object"_s, u"text"_s);
    if (schema.contains(u"enum"))
        broken(u"enum"_s, u"no-such-value"_s);
    if (schema.contains(u"minimum"))
        broken(u"minimum"_s, schema.value(u"minimum").toInt() - 1);
    if (schema.value(u"minLength").toInt() > 0 && types.contains(u"string"_s))
        broken(u"minLength"_s, u""_s);
    if (schema.contains(u"maxLength"))
        broken(u"maxLength"_s, QString(schema.value(u"maxLength").toInt() + 1, u'x'));
    if (schema.contains(u"pattern")) {
        const QRegularExpression pattern(schema.value(u"pattern").toString());
        for (const QString &candidate : {u"a b"_s, u"relative/path"_s, u"x"_s}) {
            if (!pattern.match(candidate).hasMatch()) {
                broken(u"pattern"_s, candidate);
                break;
            }
        }
    }
    if (schema.value(u"additionalProperties") == QJsonValue(false)) {
        QJsonObject spec = base;
        setAt(spec, QString(path + u".bogus_key"_s), 1);
        out.append(
            {u"additionalProperties"_s, path + u".bogus_key"_s, path + u".bogus_key"_s, spec});
    }
    for (const QJsonValue &required : schema.value(u"required").toArray()) {
        const QString member = path + u'.' + required.toString();
        QJsonObject spec = base;
        removeAt(spec, member);
        out.append({u"required"_s, member, path, spec});
    }
    const QJsonObject properties = schema.value(u"properties").toObject();
    for (auto it = properties.begin(); it != properties.end(); ++it) {
        const QString child = path + u'.' + it.key();
        const QStringList keys = child.split(u'.');
        QJsonValue v = base;
        for (const QString &k : keys)
            v = v.toObject().value(k);
        if (!v.isUndefined())
            violationsOf(base, child, it.value().toObject(), out);
    }
}

} // namespace

// Every rule written in job.schema.json, broken one at a time in a file that
// has every property: each is reported as an error naming its path, on the
// line of the key concerned (the mapping's key for a missing member).
TEST(JobSpecYaml, EverySchemaRuleIsReportedAtItsPathAndLine)
{
    const QJsonObject base = everyProperty();
    ASSERT_EQ(show(JobSpec::validateYaml(toYaml(base).toUtf8())), "");

    QList<Violation> violations;
    const QJsonObject schema = JobSpec::schema();
    const QJsonObject properties = schema.value(u"properties").toObject();
    for (auto it = properties.begin(); it != properties.end(); ++it)
        if (base.contains(it.key()))
            violationsOf(base, it.key(), it.value().toObject(), violations);
    for (const QJsonValue &required : schema.value(u"required").toArray()) {
        QJsonObject spec = base;
        spec.remove(required.toString());
        violations.append({u"required"_s, required.toString(), QString(), spec});
    }
    {
        QJsonObject spec = base;
        spec.insert(u"bogus_key"_s, 1);
        violations.append({u"additionalProperties"_s, u"bogus_key"_s, u"bogus_key"_s, spec});
    }
    // The conditional rules: a custom job needs a VM and devices.
    for (const char *key : {"vm", "num_devices"}) {
        QJsonObject spec = base;
        spec.remove(QString::fromLatin1(key));
        violations.append({u"custom needs"_s, QString::fromLatin1(key), QString(), spec});
    }
    // Each of these kinds of rule is in the schema more than once.
    QHash<QString, int> rules;
    for (const Violation &v : violations)
        ++rules[v.rule];
    for (const char *rule :
         {"type integer", "type string", "type object", "enum", "minimum", "minLength", "maxLength",
          "pattern", "additionalProperties", "required"})
        EXPECT_GE(rules.value(QString::fromLatin1(rule)), 1) << rule;
    EXPECT_GE(violations.size(), 60);

    for (const Violation &v : violations) {
        const QString yaml = toYaml(v.spec);
        const QHash<QString, int> lines = keyLines(yaml);
        const int line = v.linePath.isEmpty() ? 1 : lines.value(v.linePath, -1);
        ASSERT_GT(line, 0) << v.linePath.toStdString();
        const QList<SpecIssue> issues = JobSpec::validateYaml(yaml.toUtf8());
        const bool found = std::any_of(issues.begin(), issues.end(), [&](const SpecIssue &i) {
            return i.path == v.path && i.line == line && i.severity == SpecIssue::Error;
        });
        EXPECT_TRUE(found) << v.rule.toStdString() << " at " << v.path.toStdString()
                           << ", expected on line " << line << "; got:\n"
                           << show(issues) << "in:\n"
                           << yaml.left(2000).toStdString();
    }
}
