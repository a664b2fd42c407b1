// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <csignal>

#include <gtest/gtest.h>

#include <QFile>
#include <QTemporaryDir>

#include "agent/childprocess.h"
#include "agent/sandboxbuilder.h"
#include "tests/agent/agenttestutil.h"

using namespace pf::agent;
using pf::agenttest::processEventsUntil;

namespace {

// A job without a sandbox, as the agent would start it.
LaunchPlan plan(const QString &run, const QString &setup = {})
{
    NodeSpec spec;
    spec.sandbox = QStringLiteral("none");
    spec.setup = setup;
    spec.run = run;
    SandboxBuilder builder(spec, HostLayout{});
    builder.setHostTmpDir(QStringLiteral("/tmp"));
    return builder.build({});
}

struct JobRun
{
    ChildProcess child;
    QByteArray out, err;
    QList<QByteArray> markers;
    bool finished = false;
    int exitCode = -1;
    int signal = -1;

    JobRun()
    {
        child.setOutputHandler([this](ChildProcess::Stream s, QByteArrayView bytes, qint64) {
            (s == ChildProcess::Stream::Stdout ? out : err).append(bytes.data(), bytes.size());
        });
        QObject::connect(&child, &ChildProcess::marker, [this](const QByteArray &m) {
            markers.append(m);
            child.acknowledgeMarker();
        });
        QObject::connect(&child, &ChildProcess::finished, [this](int code, int sig) {
            finished = true;
            exitCode = code;
            signal = sig;
        });
    }
};

} // namespace

TEST(ChildProcess, SeparateStreamsMarkersAndExitCode)
{
    JobRun r;
    QString error;
    ASSERT_TRUE(r.child.start(
        plan(QStringLiteral("echo out; echo err >&2; exit 7"), QStringLiteral("echo prepared")),
        &error))
        << error.toStdString();
    ASSERT_TRUE(processEventsUntil([&] { return r.finished; }, 10000));
    EXPECT_EQ(r.out, QByteArray("prepared\nout\n"));
    EXPECT_EQ(r.err, QByteArray("err\n"));
    EXPECT_EQ(r.markers, (QList<QByteArray>{"start", "setup", "run"}));
    EXPECT_EQ(r.exitCode, 7);
    EXPECT_EQ(r.signal, 0);
}

TEST(ChildProcess, MissingProgram)
{
    ChildProcess child;
    LaunchPlan p = plan(QStringLiteral("true"));
    p.program = QStringLiteral("/nonexistent/program");
    QString error;
    EXPECT_FALSE(child.start(p, &error));
    EXPECT_TRUE(error.contains(QStringLiteral("/nonexistent/program"))) << error.toStdString();
}

TEST(ChildProcess, PausedOutputBlocksTheJobAndLosesNothing)
{
    QTemporaryDir dir;
    const QString done = dir.path() + QStringLiteral("/done");
    JobRun r;
    r.child.setPaused(true);
    QString error;
    // 8 MiB: far more than the pipe holds.
    ASSERT_TRUE(r.child.start(
        plan(QStringLiteral("head -c 8388608 /dev/zero; echo > '%1'").arg(done)), &error));
    // While paused the writer cannot finish.
    processEventsUntil([] { return false; }, 300);
    EXPECT_FALSE(QFile::exists(done));
    EXPECT_TRUE(r.out.isEmpty());
    r.child.setPaused(false);
    ASSERT_TRUE(processEventsUntil([&] { return r.finished; }, 10000));
    EXPECT_EQ(r.out.size(), 8388608);
    EXPECT_TRUE(QFile::exists(done));
}

TEST(ChildProcess, SignalReachesTheWholeGroup)
{
    JobRun r;
    QString error;
    // A background child and a foreground one; SIGKILL to the group ends both.
    ASSERT_TRUE(r.child.start(plan(QStringLiteral("sleep 60 & echo started; sleep 60")), &error));
    ASSERT_TRUE(processEventsUntil([&] { return r.out.contains("started"); }, 10000));
    EXPECT_TRUE(r.child.signalJob(SIGKILL));
    ASSERT_TRUE(processEventsUntil([&] { return r.finished; }, 10000));
    EXPECT_EQ(r.signal, SIGKILL);
    EXPECT_EQ(r.exitCode, 128 + SIGKILL);
}
