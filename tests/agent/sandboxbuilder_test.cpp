// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <gtest/gtest.h>

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

#include "agent/sandboxbuilder.h"
#include "tests/agent/agenttestutil.h"

using namespace pf::agent;

namespace {

NodeSpec spec()
{
    NodeSpec s;
    s.jobId = QStringLiteral("5f0c7b1e-1111-4a0f-9b7c-2f0e2d7c1a11");
    s.rank = 1;
    s.numNodes = 2;
    s.nprocPerNode = 4;
    s.worldSize = 8;
    s.masterAddr = QStringLiteral("10.0.0.5");
    s.masterPort = 29500;
    // Children listed before their parent: the builder orders them.
    s.mounts = {
        {QStringLiteral("/data/sets/cifar"), QStringLiteral("/workspace/data"), false},
        {QStringLiteral("/srv/jobs/x/workspace"), QStringLiteral("/workspace"), true},
        {QStringLiteral("/srv/jobs/x/ckpt"), QStringLiteral("/workspace/ckpt"), true},
    };
    s.workspaceDir = QStringLiteral("/workspace/cifar");
    s.env = {{QStringLiteral("FOO"), QStringLiteral("bar baz")},
             {QStringLiteral("PYTHONPATH"), QStringLiteral("/workspace/lib")},
             {QStringLiteral("RANK"), QStringLiteral("99")}};
    s.setup = QStringLiteral("pip install -r requirements.txt");
    s.run = QStringLiteral("python train.py");
    s.processedIters = 120;
    s.ckptDir = QStringLiteral("/workspace/ckpt");
    s.sdkPath = QStringLiteral("/usr/share/pfstudio/sdk/python");
    s.sandbox = QStringLiteral("bwrap");
    return s;
}

HostLayout debian12()
{
    HostLayout l;
    l.rootSymlinks = {{QStringLiteral("/bin"), QStringLiteral("usr/bin")},
                      {QStringLiteral("/lib"), QStringLiteral("usr/lib")},
                      {QStringLiteral("/lib64"), QStringLiteral("usr/lib64")},
                      {QStringLiteral("/sbin"), QStringLiteral("usr/sbin")}};
    l.etcEntries = {QStringLiteral("/etc/passwd"), QStringLiteral("/etc/ssl")};
    return l;
}

} // namespace

TEST(SandboxBuilder, Environment)
{
    SandboxBuilder b(spec(), debian12());
    b.setHostTmpDir(QStringLiteral("/srv/jobs/x/tmp-node1"));
    const QMap<QString, QString> env = b.environment();
    const QMap<QString, QString> expected = {
        {QStringLiteral("CKPT_DIR"), QStringLiteral("/workspace/ckpt")},
        {QStringLiteral("FOO"), QStringLiteral("bar baz")},
        {QStringLiteral("HOME"), QStringLiteral("/tmp")},
        {QStringLiteral("LANG"), QStringLiteral("C.UTF-8")},
        {QStringLiteral("LOCAL_RANK"), QStringLiteral("0")},
        {QStringLiteral("MASTER_ADDR"), QStringLiteral("10.0.0.5")},
        {QStringLiteral("MASTER_PORT"), QStringLiteral("29500")},
        {QStringLiteral("NODE_RANK"), QStringLiteral("1")},
        {QStringLiteral("NPROC_PER_NODE"), QStringLiteral("4")},
        {QStringLiteral("NUM_NODES"), QStringLiteral("2")},
        {QStringLiteral("PATH"), SandboxBuilder::kDefaultPath},
        {QStringLiteral("PERIFLOW_ENABLED"), QStringLiteral("1")},
        {QStringLiteral("PERIFLOW_IPC_DIR"), QStringLiteral("/tmp")},
        {QStringLiteral("PROCESSED_ITERS"), QStringLiteral("120")},
        {QStringLiteral("PYTHONPATH"), QStringLiteral("/opt/periflow/sdk:/workspace/lib")},
        {QStringLiteral("PYTHONUNBUFFERED"), QStringLiteral("1")},
        {QStringLiteral("RANK"), QStringLiteral("4")}, // the platform's value wins
        {QStringLiteral("WORLD_SIZE"), QStringLiteral("8")},
    };
    EXPECT_EQ(env, expected);
}

TEST(SandboxBuilder, ExactBwrapArguments)
{
    SandboxBuilder b(spec(), debian12());
    b.setHostTmpDir(QStringLiteral("/srv/jobs/x/tmp-node1"));
    const QStringList options = b.bwrapOptions();
    QStringList expected = {
        QStringLiteral("--die-with-parent"),
        QStringLiteral("--unshare-pid"),
        QStringLiteral("--new-session"),
        QStringLiteral("--proc"),
        QStringLiteral("/proc"),
        QStringLiteral("--dev"),
        QStringLiteral("/dev"),
        QStringLiteral("--perms"),
        QStringLiteral("1777"),
        QStringLiteral("--tmpfs"),
        QStringLiteral("/dev/shm"),
        QStringLiteral("--ro-bind"),
        QStringLiteral("/usr"),
        QStringLiteral("/usr"),
        QStringLiteral("--symlink"),
        QStringLiteral("usr/bin"),
        QStringLiteral("/bin"),
        QStringLiteral("--symlink"),
        QStringLiteral("usr/lib"),
        QStringLiteral("/lib"),
        QStringLiteral("--symlink"),
        QStringLiteral("usr/lib64"),
        QStringLiteral("/lib64"),
        QStringLiteral("--symlink"),
        QStringLiteral("usr/sbin"),
        QStringLiteral("/sbin"),
        QStringLiteral("--ro-bind-try"),
        QStringLiteral("/etc/passwd"),
        QStringLiteral("/etc/passwd"),
        QStringLiteral("--ro-bind-try"),
        QStringLiteral("/etc/ssl"),
        QStringLiteral("/etc/ssl"),
        QStringLiteral("--bind"),
        QStringLiteral("/srv/jobs/x/tmp-node1"),
        QStringLiteral("/tmp"),
        QStringLiteral("--ro-bind"),
        QStringLiteral("/usr/share/pfstudio/sdk/python"),
        QStringLiteral("/opt/periflow/sdk"),
        // Parents first; read-only unless writable.
        QStringLiteral("--bind"),
        QStringLiteral("/srv/jobs/x/workspace"),
        QStringLiteral("/workspace"),
        QStringLiteral("--ro-bind"),
        QStringLiteral("/data/sets/cifar"),
        QStringLiteral("/workspace/data"),
        QStringLiteral("--bind"),
        QStringLiteral("/srv/jobs/x/ckpt"),
        QStringLiteral("/workspace/ckpt"),
        QStringLiteral("--chdir"),
        QStringLiteral("/workspace/cifar"),
        QStringLiteral("--clearenv"),
    };
    const QMap<QString, QString> env = b.environment();
    for (auto it = env.cbegin(); it != env.cend(); ++it)
        expected << QStringLiteral("--setenv") << it.key() << it.value();
    EXPECT_EQ(options, expected);
}

TEST(SandboxBuilder, RealDirectoriesAtTheRootAreBound)
{
    HostLayout l;
    l.rootDirs = {QStringLiteral("/lib64")};
    SandboxBuilder b(spec(), l);
    b.setHostTmpDir(QStringLiteral("/t"));
    const QStringList options = b.bwrapOptions();
    const qsizetype i = options.indexOf(QStringLiteral("/lib64"));
    ASSERT_GT(i, 0);
    EXPECT_EQ(options[i - 1], QStringLiteral("--ro-bind"));
    EXPECT_EQ(options[i + 1], QStringLiteral("/lib64"));
}

TEST(SandboxBuilder, LaunchPlanWithBwrap)
{
    SandboxBuilder b(spec(), debian12());
    b.setHostTmpDir(QStringLiteral("/t"));
    const LaunchPlan plan = b.build(QStringLiteral("/usr/bin/bwrap"));
    EXPECT_EQ(plan.program, QStringLiteral("/usr/bin/bwrap"));
    const QStringList expected = {QStringLiteral("--args"),
                                  QStringLiteral("4"),
                                  QStringLiteral("--"),
                                  QStringLiteral("/bin/sh"),
                                  QStringLiteral("-c"),
                                  SandboxBuilder::wrapperScript(),
                                  QStringLiteral("pf-job"),
                                  QStringLiteral("pip install -r requirements.txt"),
                                  QStringLiteral("python train.py"),
                                  QStringLiteral("1")};
    EXPECT_EQ(plan.arguments, expected);
    EXPECT_EQ(plan.sandboxOptions, b.bwrapOptions());
    // Environment values travel on the --args descriptor only.
    EXPECT_TRUE(plan.environment.isEmpty());
    EXPECT_TRUE(plan.workingDirectory.isEmpty());
    EXPECT_FALSE(plan.arguments.join(u' ').contains(QStringLiteral("bar baz")));
}

TEST(SandboxBuilder, LaunchPlanWithoutSandbox)
{
    NodeSpec s = spec();
    s.sandbox = QStringLiteral("none");
    SandboxBuilder b(s, debian12());
    b.setHostTmpDir(QStringLiteral("/srv/jobs/x/tmp-node1"));
    const LaunchPlan plan = b.build({});
    EXPECT_EQ(plan.program, QStringLiteral("/bin/sh"));
    EXPECT_EQ(plan.arguments.first(), QStringLiteral("-c"));
    EXPECT_EQ(plan.arguments.last(), QStringLiteral("0")); // no sandbox to wait for
    EXPECT_TRUE(plan.sandboxOptions.isEmpty());
    // Paths of the job become host paths.
    EXPECT_EQ(plan.workingDirectory, QStringLiteral("/srv/jobs/x/workspace/cifar"));
    EXPECT_TRUE(plan.environment.contains(QStringLiteral("CKPT_DIR=/srv/jobs/x/ckpt")));
    EXPECT_TRUE(
        plan.environment.contains(QStringLiteral("PERIFLOW_IPC_DIR=/srv/jobs/x/tmp-node1")));
    EXPECT_TRUE(plan.environment.contains(
        QStringLiteral("PYTHONPATH=/usr/share/pfstudio/sdk/python:/workspace/lib")));
    EXPECT_TRUE(plan.environment.contains(QStringLiteral("FOO=bar baz")));
}

TEST(SandboxBuilder, ProbeFindsThisHost)
{
    const HostLayout l = HostLayout::probe();
    EXPECT_TRUE(l.etcEntries.contains(QStringLiteral("/etc/passwd")));
    EXPECT_TRUE(l.etcEntries.contains(QStringLiteral("/etc/alternatives")));
    EXPECT_FALSE(l.etcEntries.contains(QStringLiteral("/etc/shadow")));
    // Debian 12 has a merged /usr.
    if (QFileInfo(QStringLiteral("/bin")).isSymLink()) {
        EXPECT_EQ(l.rootSymlinks.value(QStringLiteral("/bin")), QStringLiteral("usr/bin"));
    }
}

TEST(NodeSpec, ReadsTheDocumentedShape)
{
    const QJsonObject json{
        {QStringLiteral("job"), QJsonObject{{QStringLiteral("id"), QStringLiteral("j")},
                                            {QStringLiteral("number"), 3},
                                            {QStringLiteral("name"), QStringLiteral("n")},
                                            {QStringLiteral("config"), QJsonObject{}}}},
        {QStringLiteral("node"), QJsonObject{{QStringLiteral("rank"), 1},
                                             {QStringLiteral("num_nodes"), 2},
                                             {QStringLiteral("nproc_per_node"), 4},
                                             {QStringLiteral("world_size"), 8},
                                             {QStringLiteral("master_addr"), QStringLiteral("h")},
                                             {QStringLiteral("master_port"), 29500}}},
        {QStringLiteral("mounts"),
         QJsonArray{QJsonObject{{QStringLiteral("host"), QStringLiteral("/a/ws")},
                                {QStringLiteral("target"), QStringLiteral("/workspace")},
                                {QStringLiteral("writable"), true}}}},
        {QStringLiteral("workspace_dir"), QStringLiteral("/workspace/cifar")},
        {QStringLiteral("env"),
         QJsonObject{{QStringLiteral("A"), QStringLiteral("1")}, {QStringLiteral("B"), 2}}},
        {QStringLiteral("setup"), QStringLiteral("s")},
        {QStringLiteral("run"), QStringLiteral("r")},
        {QStringLiteral("processed_iters"), 7},
        {QStringLiteral("ckpt_dir"), QStringLiteral("/workspace/ckpt")},
        {QStringLiteral("sdk_path"), QStringLiteral("/sdk")},
        {QStringLiteral("sandbox"), QStringLiteral("none")},
        {QStringLiteral("grace_s"), 5},
        {QStringLiteral("image"), QStringLiteral("friendliai/periflow:sdk")},
    };
    QString error;
    const auto s = NodeSpec::fromJson(json, &error);
    ASSERT_TRUE(s) << error.toStdString();
    EXPECT_EQ(s->jobNumber, 3);
    EXPECT_EQ(s->rank, 1);
    EXPECT_EQ(s->worldSize, 8);
    EXPECT_EQ(s->masterPort, 29500);
    ASSERT_EQ(s->mounts.size(), 1);
    EXPECT_TRUE(s->mounts[0].writable);
    EXPECT_EQ(s->env.value(QStringLiteral("B")), QStringLiteral("2"));
    EXPECT_EQ(s->processedIters, 7);
    EXPECT_EQ(s->sandbox, QStringLiteral("none"));
    EXPECT_EQ(s->graceS, 5);
    EXPECT_EQ(s->hostPath(QStringLiteral("/workspace/ckpt")), QStringLiteral("/a/ws/ckpt"));
    EXPECT_EQ(s->hostPath(QStringLiteral("/workspacex")), QStringLiteral("/workspacex"));
}

TEST(NodeSpec, RejectsWhatCannotRun)
{
    QString error;
    EXPECT_FALSE(NodeSpec::fromJson({}, &error));
    EXPECT_TRUE(error.contains(QStringLiteral("command")));
    const QJsonObject base{{QStringLiteral("run"), QStringLiteral("true")}};
    for (const QString &bad : {QStringLiteral("relative"), QStringLiteral("/a/../etc"),
                               QStringLiteral("/"), QStringLiteral("/a//b")}) {
        QJsonObject j = base;
        j.insert(QStringLiteral("mounts"),
                 QJsonArray{QJsonObject{{QStringLiteral("host"), bad},
                                        {QStringLiteral("target"), QStringLiteral("/w")}}});
        EXPECT_FALSE(NodeSpec::fromJson(j, &error)) << bad.toStdString();
    }
    QJsonObject j = base;
    j.insert(QStringLiteral("sandbox"), QStringLiteral("docker"));
    EXPECT_FALSE(NodeSpec::fromJson(j, &error));
    EXPECT_TRUE(NodeSpec::fromJson(base, &error));
}
