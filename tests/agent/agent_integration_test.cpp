// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// The real pf-agent binary against FakeAgentServer (pf_server's HttpServer
// and Router with the /agent/ routes), running real jobs under bubblewrap.

#include <memory>

#include <gtest/gtest.h>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>
#include <QUuid>

#include "tests/agent/agenttestutil.h"
#include "tests/agent/fakeagentserver.h"
#include "tests/support/pfdprocess.h"

using pf::agenttest::FakeAgentServer;
using State = FakeAgentServer::State;

namespace {

const QString kToken = QStringLiteral("test-job-token");

bool bwrapWorks()
{
    static const bool works = [] {
        QProcess p;
        p.start(QStringLiteral("/usr/bin/bwrap"),
                {QStringLiteral("--ro-bind"), QStringLiteral("/"), QStringLiteral("/"),
                 QStringLiteral("--unshare-pid"), QStringLiteral("true")});
        return p.waitForFinished(10000) && p.exitStatus() == QProcess::NormalExit &&
               p.exitCode() == 0;
    }();
    return works;
}

class AgentIntegration : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_root.isValid());
        m_job = QUuid::createUuid().toString(QUuid::WithoutBraces);
        m_serverFile = path(QStringLiteral("pfd.url"));
        for (const char *dir : {"ws", "ckpt", "data", "sdk", "work"})
            ASSERT_TRUE(QDir().mkpath(path(QString::fromLatin1(dir))));
        writeFile(QStringLiteral("sdk/marker.py"), "NAME = 'sdk-ok'\n");
        writeFile(QStringLiteral("data/input.txt"), "read me\n");
        m_server = std::make_unique<FakeAgentServer>(m_job, kToken, m_serverFile);
    }

    void TearDown() override
    {
        if (m_agent && m_agent->state() != QProcess::NotRunning) {
            m_agent->kill();
            m_agent->waitForFinished(5000);
        }
        if (HasFailure())
            std::printf("--- pf-agent's log ---\n%s\n", qPrintable(agentLog()));
    }

    QString path(const QString &relative) const { return m_root.path() + u'/' + relative; }

    void writeFile(const QString &relative, const QByteArray &content)
    {
        QFile f(path(relative));
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write(content);
    }

    QJsonObject spec(const QString &run, const QString &setup = {}) const
    {
        return {
            {QStringLiteral("job"), QJsonObject{{QStringLiteral("id"), m_job},
                                                {QStringLiteral("number"), 1},
                                                {QStringLiteral("name"), QStringLiteral("test")},
                                                {QStringLiteral("config"), QJsonObject{}}}},
            {QStringLiteral("node"),
             QJsonObject{{QStringLiteral("rank"), 0},
                         {QStringLiteral("num_nodes"), 1},
                         {QStringLiteral("nproc_per_node"), 2},
                         {QStringLiteral("world_size"), 2},
                         {QStringLiteral("master_addr"), QStringLiteral("127.0.0.1")},
                         {QStringLiteral("master_port"), 29500}}},
            {QStringLiteral("mounts"),
             QJsonArray{QJsonObject{{QStringLiteral("host"), path(QStringLiteral("ckpt"))},
                                    {QStringLiteral("target"), QStringLiteral("/workspace/ckpt")},
                                    {QStringLiteral("writable"), true}},
                        QJsonObject{{QStringLiteral("host"), path(QStringLiteral("ws"))},
                                    {QStringLiteral("target"), QStringLiteral("/workspace")},
                                    {QStringLiteral("writable"), true}},
                        QJsonObject{{QStringLiteral("host"), path(QStringLiteral("data"))},
                                    {QStringLiteral("target"), QStringLiteral("/data")},
                                    {QStringLiteral("writable"), false}}}},
            {QStringLiteral("workspace_dir"), QStringLiteral("/workspace")},
            {QStringLiteral("env"),
             QJsonObject{{QStringLiteral("FOO"), QStringLiteral("bar baz")}}},
            {QStringLiteral("setup"), setup},
            {QStringLiteral("run"), run},
            {QStringLiteral("processed_iters"), 0},
            {QStringLiteral("ckpt_dir"), QStringLiteral("/workspace/ckpt")},
            {QStringLiteral("sdk_path"), path(QStringLiteral("sdk"))},
            {QStringLiteral("sandbox"), QStringLiteral("bwrap")},
            {QStringLiteral("grace_s"), 1},
            {QStringLiteral("image"), QStringLiteral("friendliai/periflow:sdk")},
        };
    }

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env;
        env.insert(QStringLiteral("PF_AGENT_TOKEN"), kToken);
        env.insert(QStringLiteral("PATH"), QStringLiteral("/usr/bin:/bin"));
        return env;
    }

    void startAgent(const QProcessEnvironment &env)
    {
        m_agent = std::make_unique<QProcess>();
        m_agent->setProgram(pf::test::PfdProcess::binary(QStringLiteral("pf-agent")));
        m_agent->setArguments({QStringLiteral("--server-file"), m_serverFile,
                               QStringLiteral("--job"), m_job, QStringLiteral("--node-rank"),
                               QStringLiteral("0"), QStringLiteral("--work-dir"),
                               path(QStringLiteral("work"))});
        m_agent->setProcessEnvironment(env);
        m_agent->setStandardOutputFile(path(QStringLiteral("agent.log")), QIODevice::Append);
        m_agent->setStandardErrorFile(path(QStringLiteral("agent.log")), QIODevice::Append);
        m_agent->start();
        ASSERT_TRUE(m_agent->waitForStarted(10000)) << m_agent->errorString().toStdString();
    }
    void startAgent() { startAgent(environment()); }

    // The agent's exit code, or -1 when it did not finish in time.
    int waitAgent(int timeoutMs = 60000)
    {
        if (!m_agent->waitForFinished(timeoutMs))
            return -1;
        return m_agent->exitStatus() == QProcess::NormalExit ? m_agent->exitCode() : -2;
    }

    // Runs a job to its end; returns the agent's exit code.
    int runJob(const QJsonObject &jobSpec, const QProcessEnvironment &env)
    {
        m_server->setSpec(0, jobSpec);
        m_server->start();
        startAgent(env);
        return waitAgent();
    }
    int runJob(const QJsonObject &jobSpec) { return runJob(jobSpec, environment()); }

    QString agentLog() const
    {
        QFile f(path(QStringLiteral("agent.log")));
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
    }

    State state() const
    {
        return m_server->inspect([](const State &s) { return s; });
    }

    static QStringList statuses(const State &s)
    {
        QStringList out;
        for (const QJsonObject &r : s.of(0, QStringLiteral("status")))
            out.append(r.value(QStringLiteral("status")).toString());
        return out;
    }

    // The seq of the first record matching `pred`, or -1.
    static qint64 seqOf(const State &s, const std::function<bool(const QJsonObject &)> &pred)
    {
        for (const QJsonObject &r : s.nodes.at(0).records)
            if (pred(r))
                return r.value(QStringLiteral("seq")).toInteger();
        return -1;
    }

    static void expectSane(const State &s)
    {
        const auto &node = s.nodes.at(0);
        EXPECT_EQ(node.gaps, 0);
        EXPECT_EQ(s.unauthorized, 0);
        for (size_t i = 0; i < node.records.size(); ++i)
            ASSERT_EQ(node.records[i].value(QStringLiteral("seq")).toInteger(), qint64(i) + 1);
    }

    QTemporaryDir m_root;
    QString m_job;
    QString m_serverFile;
    std::unique_ptr<FakeAgentServer> m_server;
    std::unique_ptr<QProcess> m_agent;
};

#define REQUIRE_BWRAP()                                                                            \
    if (!bwrapWorks())                                                                             \
    GTEST_SKIP() << "bubblewrap cannot create namespaces here"

QStringList numbered(const QString &prefix, int count)
{
    QStringList out;
    for (int i = 1; i <= count; ++i)
        out.append(prefix + QString::number(i));
    return out;
}

} // namespace

TEST_F(AgentIntegration, BothStreamsInOrderAndTheExitCode)
{
    REQUIRE_BWRAP();
    const QString run = QStringLiteral(
        "i=1; while [ $i -le 2000 ]; do echo \"out $i\"; echo \"err $i\" >&2; i=$((i+1)); done; "
        "exit 1");
    ASSERT_EQ(runJob(spec(run)), 0);
    const State s = state();
    expectSane(s);
    EXPECT_EQ(s.logs(0, QStringLiteral("stdout")), numbered(QStringLiteral("out "), 2000));
    EXPECT_EQ(s.logs(0, QStringLiteral("stderr")), numbered(QStringLiteral("err "), 2000));
    EXPECT_EQ(statuses(s), (QStringList{QStringLiteral("preparing"), QStringLiteral("running"),
                                        QStringLiteral("exited")}));
    const QJsonObject exit = s.exitStatus(0);
    EXPECT_EQ(exit.value(QStringLiteral("exit_code")).toInt(), 1);
    EXPECT_EQ(exit.value(QStringLiteral("message")).toString(),
              QStringLiteral("the command exited with code 1"));
    // The exit is the last record.
    EXPECT_EQ(s.nodes.at(0).records.back(), exit);
    const QStringList vmlog = s.logs(0, QStringLiteral("vmlog"));
    ASSERT_FALSE(vmlog.isEmpty());
    EXPECT_TRUE(vmlog[0].contains(QStringLiteral("friendliai/periflow:sdk")))
        << vmlog[0].toStdString();
    EXPECT_TRUE(vmlog[0].contains(QStringLiteral("host"))) << vmlog[0].toStdString();
    EXPECT_TRUE(vmlog.contains(QStringLiteral("Preparing the sandbox.")));
    EXPECT_TRUE(vmlog.contains(QStringLiteral("Running the command.")));
    // Every log record carries a time.
    for (const QJsonObject &r : s.of(0, QStringLiteral("log")))
        ASSERT_GT(r.value(QStringLiteral("time_ms")).toInteger(), 1600000000000);
}

TEST_F(AgentIntegration, SetupThenRunAndSuccess)
{
    REQUIRE_BWRAP();
    ASSERT_EQ(runJob(spec(QStringLiteral("echo running"),
                          QStringLiteral("echo setting up; echo from setup >&2"))),
              0);
    const State s = state();
    expectSane(s);
    EXPECT_EQ(s.logs(0, QStringLiteral("stdout")),
              (QStringList{QStringLiteral("setting up"), QStringLiteral("running")}));
    EXPECT_EQ(s.exitStatus(0).value(QStringLiteral("exit_code")).toInt(), 0);
    auto vm = [](const QString &text) {
        return [text](const QJsonObject &r) {
            return r.value(QStringLiteral("content")).toString() == text;
        };
    };
    const qint64 setupMark = seqOf(s, vm(QStringLiteral("Running setup.")));
    const qint64 setupOut = seqOf(s, vm(QStringLiteral("setting up")));
    const qint64 runMark = seqOf(s, vm(QStringLiteral("Running the command.")));
    const qint64 runOut = seqOf(s, vm(QStringLiteral("running")));
    EXPECT_TRUE(setupMark > 0 && setupMark < setupOut && setupOut < runMark && runMark < runOut)
        << setupMark << " " << setupOut << " " << runMark << " " << runOut;
}

TEST_F(AgentIntegration, FailedSetupStopsTheJob)
{
    REQUIRE_BWRAP();
    ASSERT_EQ(runJob(spec(QStringLiteral("echo never"), QStringLiteral("echo trying; exit 4"))), 0);
    const State s = state();
    EXPECT_EQ(s.logs(0, QStringLiteral("stdout")), QStringList{QStringLiteral("trying")});
    const QJsonObject exit = s.exitStatus(0);
    EXPECT_EQ(exit.value(QStringLiteral("exit_code")).toInt(), 4);
    EXPECT_EQ(exit.value(QStringLiteral("message")).toString(),
              QStringLiteral("the setup command exited with code 4"));
}

TEST_F(AgentIntegration, CarriageReturnsLongLinesAndBadUtf8)
{
    REQUIRE_BWRAP();
    const QString run = QStringLiteral(
        "printf 'a\\rb\\rc\\n'; printf '\\r 10%%\\r 20%%\\r\\n'; printf 'x\\r\\ny\\n'; "
        "head -c 150000 /dev/zero | tr '\\0' z; echo; printf 'bad \\377 byte\\n'; printf tail");
    ASSERT_EQ(runJob(spec(run)), 0);
    const State s = state();
    expectSane(s);
    QStringList out = s.logs(0, QStringLiteral("stdout"));
    // "tail" is shown unfinished too if the agent sees the output pause
    // before the end of the stream (a loaded machine).
    out.removeOne(QStringLiteral("tail\r"));
    ASSERT_EQ(out.size(), 12) << out.join(u'|').left(300).toStdString();
    EXPECT_EQ(out.mid(0, 7),
              (QStringList{QStringLiteral("a\r"), QStringLiteral("b\r"), QStringLiteral("c"),
                           QStringLiteral(" 10%\r"), QStringLiteral(" 20%"), QStringLiteral("x"),
                           QStringLiteral("y")}));
    EXPECT_EQ(out[7], QString(65536, u'z'));
    EXPECT_EQ(out[8], QString(65536, u'z'));
    EXPECT_EQ(out[9], QString(150000 - 2 * 65536, u'z'));
    EXPECT_EQ(out[10], QStringLiteral("bad \uFFFD byte"));
    EXPECT_EQ(out[11], QStringLiteral("tail"));
}

// A redraw that ends with '\r' and then pauses goes out during the pause, as
// a redrawn line, not when the next write comes.
TEST_F(AgentIntegration, RedrawEndedByCarriageReturnGoesOutWhileTheJobPauses)
{
    REQUIRE_BWRAP();
    ASSERT_EQ(
        runJob(spec(QStringLiteral("printf 'bar 50%%\\r'; sleep 0.6; printf 'bar 100%%\\n'"))), 0);
    const State s = state();
    std::vector<QJsonObject> bar;
    for (const QJsonObject &r : s.of(0, QStringLiteral("log")))
        if (r.value(QStringLiteral("type")).toString() == u"stdout")
            bar.push_back(r);
    ASSERT_EQ(bar.size(), 2u);
    EXPECT_EQ(bar[0].value(QStringLiteral("content")).toString(), QStringLiteral("bar 50%\r"));
    EXPECT_EQ(bar[1].value(QStringLiteral("content")).toString(), QStringLiteral("bar 100%"));
    const qint64 gap = bar[1].value(QStringLiteral("time_ms")).toInteger() -
                       bar[0].value(QStringLiteral("time_ms")).toInteger();
    EXPECT_GE(gap, 300) << "the redraw waited for the next write";
}

// tqdm writes '\r' and then the bar: when it pauses, the bar so far goes
// out as a redrawn line, and the next redraw's '\r' sends nothing more.
TEST_F(AgentIntegration, UnfinishedBarGoesOutWhileTheJobPauses)
{
    REQUIRE_BWRAP();
    ASSERT_EQ(runJob(spec(QStringLiteral(
                  "printf '\\r 40%%|####'; sleep 0.6; printf '\\r100%%|##########|\\n'"))),
              0);
    const State s = state();
    std::vector<QJsonObject> bar;
    for (const QJsonObject &r : s.of(0, QStringLiteral("log")))
        if (r.value(QStringLiteral("type")).toString() == u"stdout")
            bar.push_back(r);
    ASSERT_EQ(bar.size(), 2u);
    EXPECT_EQ(bar[0].value(QStringLiteral("content")).toString(), QStringLiteral(" 40%|####\r"));
    EXPECT_EQ(bar[1].value(QStringLiteral("content")).toString(),
              QStringLiteral("100%|##########|"));
    const qint64 gap = bar[1].value(QStringLiteral("time_ms")).toInteger() -
                       bar[0].value(QStringLiteral("time_ms")).toInteger();
    EXPECT_GE(gap, 300) << "the bar waited for the next redraw";
}

TEST_F(AgentIntegration, EnvironmentMountsAndIsolation)
{
    REQUIRE_BWRAP();
    const QString run = QStringLiteral(
        "echo \"WS=$WORLD_SIZE NN=$NUM_NODES NR=$NODE_RANK NP=$NPROC_PER_NODE R=$RANK "
        "LR=$LOCAL_RANK MA=$MASTER_ADDR MP=$MASTER_PORT\"; "
        "echo \"CK=$CKPT_DIR PI=$PROCESSED_ITERS PE=$PERIFLOW_ENABLED FOO=$FOO\"; "
        "echo \"TOKEN=${PF_AGENT_TOKEN:-unset}\"; pwd; echo \"pid=$$\"; "
        "cat /data/input.txt; (echo x > /data/new) 2>/dev/null && echo data-writable || echo "
        "data-readonly; "
        "echo w > /workspace/written && echo ws-writable; "
        "echo c > /workspace/ckpt/c.txt && echo ckpt-writable; "
        "python3 -c 'import marker; print(marker.NAME)'; "
        "ls /tmp | sort | tr '\\n' ' '; echo; "
        "test -e /etc/shadow && echo shadow-visible || echo no-shadow");
    ASSERT_EQ(runJob(spec(run)), 0);
    const State s = state();
    const QStringList out = s.logs(0, QStringLiteral("stdout"));
    EXPECT_EQ(out.value(0), QStringLiteral("WS=2 NN=1 NR=0 NP=2 R=0 LR=0 MA=127.0.0.1 MP=29500"));
    EXPECT_EQ(out.value(1), QStringLiteral("CK=/workspace/ckpt PI=0 PE=1 FOO=bar baz"));
    EXPECT_EQ(out.value(2), QStringLiteral("TOKEN=unset"));
    EXPECT_EQ(out.value(3), QStringLiteral("/workspace"));
    // The sandbox's own pid namespace: bwrap's init is 1, the job 2.
    EXPECT_EQ(out.value(4), QStringLiteral("pid=2"));
    EXPECT_EQ(out.value(5), QStringLiteral("read me"));
    EXPECT_EQ(out.value(6), QStringLiteral("data-readonly"));
    EXPECT_EQ(out.value(7), QStringLiteral("ws-writable"));
    EXPECT_EQ(out.value(8), QStringLiteral("ckpt-writable"));
    EXPECT_EQ(out.value(9), QStringLiteral("sdk-ok"));
    EXPECT_EQ(out.value(10),
              QStringLiteral("periflow_ack_ipc_fifo_0 periflow_ckpt_ipc_fifo_0 "
                             "periflow_emergency_save_ipc_fifo_0 periflow_last_step_ipc_fifo_0 "
                             "periflow_metric_ipc_fifo_0 periflow_step_info_ipc_fifo_0 "));
    EXPECT_EQ(out.value(11), QStringLiteral("no-shadow"));
    EXPECT_TRUE(QFile::exists(path(QStringLiteral("ws/written"))));
    EXPECT_TRUE(QFile::exists(path(QStringLiteral("ckpt/c.txt"))));
    EXPECT_FALSE(QFile::exists(path(QStringLiteral("data/new"))));
}

TEST_F(AgentIntegration, WithoutSandbox)
{
    QJsonObject j = spec(QStringLiteral("pwd; echo \"$CKPT_DIR\"; echo \"$PERIFLOW_IPC_DIR\"; "
                                        "ls \"$PERIFLOW_IPC_DIR\" | wc -l"));
    j.insert(QStringLiteral("sandbox"), QStringLiteral("none"));
    QProcessEnvironment env = environment();
    env.insert(QStringLiteral("PF_BWRAP"), QStringLiteral("/nonexistent/bwrap")); // not used
    ASSERT_EQ(runJob(j, env), 0);
    const State s = state();
    const QStringList out = s.logs(0, QStringLiteral("stdout"));
    ASSERT_EQ(out.size(), 4);
    EXPECT_EQ(out[0], QDir(path(QStringLiteral("ws"))).canonicalPath());
    EXPECT_EQ(out[1], path(QStringLiteral("ckpt")));
    EXPECT_EQ(out[2], path(QStringLiteral("work/tmp-node0")));
    EXPECT_EQ(out[3].trimmed(), QStringLiteral("6"));
    EXPECT_EQ(s.exitStatus(0).value(QStringLiteral("exit_code")).toInt(), 0);
    EXPECT_TRUE(
        s.logs(0, QStringLiteral("vmlog")).value(0).contains(QStringLiteral("without a sandbox")));
}

TEST_F(AgentIntegration, ServerRestartOnANewPortLosesAndRepeatsNothing)
{
    REQUIRE_BWRAP();
    const int lines = 3000;
    m_server->setSpec(
        0, spec(QStringLiteral("i=1; while [ $i -le 3000 ]; do echo \"line $i\"; "
                               "[ $((i % 100)) -eq 0 ] && sleep 0.05; i=$((i+1)); done")));
    const quint16 firstPort = m_server->start();
    startAgent();
    ASSERT_TRUE(m_server->waitFor(
        [](const State &s) { return s.logs(0, QStringLiteral("stdout")).size() >= 300; }, 30000));
    m_server->stop();
    // Wait until the agent has noticed (its log says so), then come back
    // elsewhere.
    QElapsedTimer t;
    t.start();
    while (!agentLog().contains(QStringLiteral("report failed")) && t.elapsed() < 20000)
        pf::agenttest::processEventsUntil([] { return false; }, 20);
    ASSERT_TRUE(agentLog().contains(QStringLiteral("report failed")));
    const quint16 secondPort = m_server->start();
    EXPECT_NE(firstPort, secondPort);
    ASSERT_EQ(waitAgent(), 0);
    const State s = state();
    expectSane(s);
    EXPECT_EQ(s.logs(0, QStringLiteral("stdout")), numbered(QStringLiteral("line "), lines));
    EXPECT_EQ(s.exitStatus(0).value(QStringLiteral("exit_code")).toInt(), 0);
}

TEST_F(AgentIntegration, FailingAndLostAnswersLoseAndRepeatNothing)
{
    REQUIRE_BWRAP();
    const int lines = 100000; // several 1 MiB reports
    m_server->setSpec(0, spec(QStringLiteral("seq 1 100000 | sed 's/^/n /'")));
    m_server->modify([](State &st) {
        st.failReports = 1;    // not applied
        st.failAfterApply = 1; // applied, but the answer says 503
    });
    m_server->start();
    startAgent();
    // After each successful answer, fail again: 503s and lost answers all
    // along the way (and the backoff starts small again each time).
    int ok = 0;
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(m_server->waitFor(
            [ok](const State &st) {
                return st.failReports == 0 && st.failAfterApply == 0 && st.nodes.count(0) &&
                       st.nodes.at(0).okAnswers > ok;
            },
            20000));
        m_server->modify([&ok](State &st) {
            ok = st.nodes[0].okAnswers;
            st.failReports = 1;
            st.failAfterApply = 1;
        });
    }
    ASSERT_EQ(waitAgent(), 0);
    const State s = state();
    expectSane(s);
    EXPECT_EQ(s.logs(0, QStringLiteral("stdout")), numbered(QStringLiteral("n "), lines));
    EXPECT_GT(s.nodes.at(0).resent, 0) << "lost answers make the agent resend";
}

TEST_F(AgentIntegration, SdkChannelProgressMetricsAndCheckpoint)
{
    REQUIRE_BWRAP();
    writeFile(QStringLiteral("ws/train.py"), R"PY(
import json, os, struct

def send(name, obj):
    data = json.dumps(obj).encode()
    fd = os.open("/tmp/periflow_%s_ipc_fifo_0" % name, os.O_WRONLY)
    os.write(fd, struct.pack("<I", len(data)) + data)
    os.close(fd)

def read_exact(fd, n):
    buf = b""
    while len(buf) < n:
        chunk = os.read(fd, n - len(buf))
        if not chunk:
            raise EOFError
        buf += chunk
    return buf

ack = os.open("/tmp/periflow_ack_ipc_fifo_0", os.O_RDONLY)
start = int(os.environ["PROCESSED_ITERS"])
send("last_step", {"step": 5})
for step in range(start + 1, 6):
    send("step_info", {"step": step, "step_time": 0.01})
    (n,) = struct.unpack("<I", read_exact(ack, 4))
    reply = json.loads(read_exact(ack, n))
    print("step", step, reply["status"], flush=True)
    send("metric", {"loss": 1.0 / step, "acc": 0.5, "note": "text", "flag": True,
                    "step": step, "rank": 0, "local_rank": 0})
ckpt = os.environ["CKPT_DIR"]
os.makedirs(ckpt + "/sub", exist_ok=True)
with open(ckpt + "/model.bin", "wb") as f:
    f.write(bytes(range(256)) * 4096)
with open(ckpt + "/sub/meta.json", "w") as f:
    f.write('{"a": 1}')
send("ckpt", {"step": 5, "save_type": "NORMAL", "trigger_time": "2026-01-01T00:00:00Z"})
print("done", flush=True)
)PY");
    ASSERT_EQ(runJob(spec(QStringLiteral("python3 train.py"))), 0);
    const State s = state();
    expectSane(s);
    EXPECT_EQ(s.logs(0, QStringLiteral("stdout")),
              (QStringList{QStringLiteral("step 1 SUCCESS"), QStringLiteral("step 2 SUCCESS"),
                           QStringLiteral("step 3 SUCCESS"), QStringLiteral("step 4 SUCCESS"),
                           QStringLiteral("step 5 SUCCESS"), QStringLiteral("done")}));
    const auto progress = s.of(0, QStringLiteral("progress"));
    ASSERT_FALSE(progress.empty());
    EXPECT_EQ(progress.back().value(QStringLiteral("step")).toInteger(), 5);
    EXPECT_EQ(progress.back().value(QStringLiteral("total")).toInteger(), 5);
    const auto metrics = s.of(0, QStringLiteral("metric"));
    ASSERT_EQ(metrics.size(), 10u) << "loss and acc for 5 steps; not note, flag, step or ranks";
    QStringList names;
    for (const QJsonObject &m : metrics)
        names.append(m.value(QStringLiteral("name")).toString());
    names.removeDuplicates();
    names.sort();
    EXPECT_EQ(names, (QStringList{QStringLiteral("acc"), QStringLiteral("loss")}));
    for (const QJsonObject &m : metrics) {
        if (m.value(QStringLiteral("name")).toString() == QLatin1String("loss")) {
            EXPECT_DOUBLE_EQ(m.value(QStringLiteral("value")).toDouble(),
                             1.0 / m.value(QStringLiteral("step")).toDouble());
        }
    }
    ASSERT_EQ(s.checkpoints.size(), 1u);
    const auto &c = s.checkpoints[0];
    EXPECT_EQ(c.iteration, 5);
    EXPECT_TRUE(c.completed);
    ASSERT_EQ(c.files.size(), 2u);
    EXPECT_EQ(c.files.at(QStringLiteral("model.bin")),
              QByteArray(reinterpret_cast<const char *>([] {
                             static unsigned char b[256];
                             for (int i = 0; i < 256; ++i)
                                 b[i] = static_cast<unsigned char>(i);
                             return b;
                         }()),
                         256)
                  .repeated(4096));
    EXPECT_EQ(c.files.at(QStringLiteral("sub/meta.json")), QByteArray("{\"a\": 1}"));
    // The upload finished before the exit was reported.
    const qint64 uploaded = seqOf(s, [](const QJsonObject &r) {
        return r.value(QStringLiteral("content"))
            .toString()
            .contains(QStringLiteral("is uploaded"));
    });
    const qint64 exited = s.exitStatus(0).value(QStringLiteral("seq")).toInteger();
    EXPECT_TRUE(uploaded > 0 && uploaded < exited) << uploaded << " " << exited;
}

TEST_F(AgentIntegration, TerminateAsksForAnEmergencySaveThenSigterm)
{
    REQUIRE_BWRAP();
    writeFile(QStringLiteral("ws/loop.py"), R"PY(
import json, os, signal, struct, sys, time

def on_term(*_):
    print("got SIGTERM", flush=True)
    time.sleep(0.5)  # a save that takes a while
    with open("/workspace/saved", "w") as f:
        f.write("ok")
    sys.exit(3)

signal.signal(signal.SIGTERM, on_term)
fd = os.open("/tmp/periflow_emergency_save_ipc_fifo_0", os.O_RDONLY | os.O_NONBLOCK)
print("ready", flush=True)
buf = b""
while True:
    try:
        buf += os.read(fd, 4096)
    except BlockingIOError:
        pass
    if len(buf) >= 4:
        (n,) = struct.unpack("<I", buf[:4])
        if len(buf) >= 4 + n:
            print("emergency", json.loads(buf[4:4 + n])["emergency_save_step"], flush=True)
            break
    time.sleep(0.01)
time.sleep(60)
)PY");
    // A compound command: its shell must not end before python has saved.
    m_server->setSpec(0, spec(QStringLiteral("cd /workspace && python3 loop.py")));
    m_server->start();
    startAgent();
    ASSERT_TRUE(m_server->waitFor(
        [](const State &s) {
            return s.logs(0, QStringLiteral("stdout")).contains(QStringLiteral("ready"));
        },
        30000));
    m_server->modify([](State &s) {
        s.nodes[0].commands.append(QJsonObject{
            {QStringLiteral("type"), QStringLiteral("terminate")}, {QStringLiteral("grace_s"), 1}});
    });
    ASSERT_EQ(waitAgent(), 0);
    const State s = state();
    expectSane(s);
    EXPECT_EQ(s.logs(0, QStringLiteral("stdout")),
              (QStringList{QStringLiteral("ready"), QStringLiteral("emergency -1"),
                           QStringLiteral("got SIGTERM")}));
    const QJsonObject exit = s.exitStatus(0);
    EXPECT_EQ(exit.value(QStringLiteral("exit_code")).toInt(), 3);
    EXPECT_TRUE(exit.value(QStringLiteral("message"))
                    .toString()
                    .startsWith(QStringLiteral("terminated on request")))
        << exit.value(QStringLiteral("message")).toString().toStdString();
    EXPECT_TRUE(
        s.logs(0, QStringLiteral("vmlog")).contains(QStringLiteral("Sending SIGTERM to the job.")));
    EXPECT_TRUE(QFile::exists(path(QStringLiteral("ws/saved"))));
}

TEST_F(AgentIntegration, TerminateWaitsForEveryProcessOfTheSandbox)
{
    REQUIRE_BWRAP();
    writeFile(QStringLiteral("ws/saver.py"), R"PY(
import os, signal, sys, time

def on_term(*_):
    time.sleep(0.5)  # still saving after the shell that started it is gone
    with open("/workspace/saved", "w") as f:
        f.write("ok")
    print("saved", flush=True)
    sys.exit(0)

signal.signal(signal.SIGTERM, on_term)
print("ready", flush=True)
time.sleep(60)
)PY");
    // `wait` is interrupted by the TERM trap at once; the sandbox must stay
    // up until the background python has finished its handler.
    m_server->setSpec(0, spec(QStringLiteral("python3 saver.py & wait")));
    m_server->start();
    startAgent();
    ASSERT_TRUE(m_server->waitFor(
        [](const State &s) {
            return s.logs(0, QStringLiteral("stdout")).contains(QStringLiteral("ready"));
        },
        30000));
    m_server->modify([](State &s) {
        s.nodes[0].commands.append(QJsonObject{
            {QStringLiteral("type"), QStringLiteral("terminate")}, {QStringLiteral("grace_s"), 0}});
    });
    ASSERT_EQ(waitAgent(), 0);
    const State s = state();
    EXPECT_EQ(s.logs(0, QStringLiteral("stdout")),
              (QStringList{QStringLiteral("ready"), QStringLiteral("saved")}));
    EXPECT_TRUE(QFile::exists(path(QStringLiteral("ws/saved"))));
    EXPECT_EQ(s.exitStatus(0).value(QStringLiteral("exit_code")).toInt(), 128 + 15);
}

TEST_F(AgentIntegration, TerminateEscalatesToSigkill)
{
    REQUIRE_BWRAP();
    m_server->setSpec(0, spec(QStringLiteral("trap '' TERM; echo ready; sleep 60; echo survived")));
    m_server->start();
    startAgent();
    ASSERT_TRUE(m_server->waitFor(
        [](const State &s) {
            return s.logs(0, QStringLiteral("stdout")).contains(QStringLiteral("ready"));
        },
        30000));
    m_server->modify([](State &s) {
        s.nodes[0].commands.append(QJsonObject{
            {QStringLiteral("type"), QStringLiteral("terminate")}, {QStringLiteral("grace_s"), 0}});
    });
    ASSERT_EQ(waitAgent(), 0);
    const State s = state();
    EXPECT_EQ(s.logs(0, QStringLiteral("stdout")), QStringList{QStringLiteral("ready")});
    const QJsonObject exit = s.exitStatus(0);
    EXPECT_EQ(exit.value(QStringLiteral("exit_code")).toInt(), 128 + 9);
    EXPECT_TRUE(
        exit.value(QStringLiteral("message")).toString().contains(QStringLiteral("SIGKILL")))
        << exit.value(QStringLiteral("message")).toString().toStdString();
}

TEST_F(AgentIntegration, MissingBwrapBinaryFailsClearly)
{
    QProcessEnvironment env = environment();
    env.insert(QStringLiteral("PF_BWRAP"), QStringLiteral("/nonexistent/bwrap"));
    ASSERT_EQ(runJob(spec(QStringLiteral("echo hi")), env), 0);
    const State s = state();
    const QJsonObject exit = s.exitStatus(0);
    EXPECT_EQ(exit.value(QStringLiteral("exit_code")).toInt(), -1);
    const QString message = exit.value(QStringLiteral("message")).toString();
    EXPECT_TRUE(message.startsWith(QStringLiteral("the sandbox could not start: ")))
        << message.toStdString();
    EXPECT_TRUE(message.contains(QStringLiteral("/nonexistent/bwrap"))) << message.toStdString();
    EXPECT_TRUE(s.logs(0, QStringLiteral("stdout")).isEmpty());
    EXPECT_EQ(statuses(s), (QStringList{QStringLiteral("preparing"), QStringLiteral("exited")}));
}

TEST_F(AgentIntegration, BwrapNotInPathFailsClearly)
{
    QProcessEnvironment env = environment();
    env.insert(QStringLiteral("PATH"), path(QStringLiteral("work")));
    ASSERT_EQ(runJob(spec(QStringLiteral("echo hi")), env), 0);
    const QString message = state().exitStatus(0).value(QStringLiteral("message")).toString();
    EXPECT_EQ(message, QStringLiteral("the sandbox could not start: bwrap (bubblewrap) was not "
                                      "found in PATH; install bubblewrap or set PF_BWRAP"));
}

TEST_F(AgentIntegration, BwrapSetupFailureFailsClearly)
{
    REQUIRE_BWRAP();
    QJsonObject j = spec(QStringLiteral("echo hi"));
    j.insert(QStringLiteral("workspace_dir"), QStringLiteral("/workspace/missing"));
    ASSERT_EQ(runJob(j), 0);
    const State s = state();
    const QJsonObject exit = s.exitStatus(0);
    EXPECT_EQ(exit.value(QStringLiteral("exit_code")).toInt(), -1);
    const QString message = exit.value(QStringLiteral("message")).toString();
    EXPECT_TRUE(message.startsWith(QStringLiteral("the sandbox could not start: bwrap: ")))
        << message.toStdString();
    EXPECT_TRUE(message.contains(QStringLiteral("/workspace/missing"))) << message.toStdString();
    EXPECT_FALSE(statuses(s).contains(QStringLiteral("running")));
}

TEST_F(AgentIntegration, ManyLinesEndToEnd)
{
    REQUIRE_BWRAP();
    const int lines = 300000;
    m_server->setSpec(0, spec(QStringLiteral("seq 1 300000")));
    m_server->start();
    QElapsedTimer t;
    t.start();
    startAgent();
    ASSERT_EQ(waitAgent(120000), 0);
    const qint64 ms = t.elapsed();
    const State s = state();
    expectSane(s);
    const QStringList out = s.logs(0, QStringLiteral("stdout"));
    ASSERT_EQ(out.size(), lines);
    EXPECT_EQ(out.first(), QStringLiteral("1"));
    EXPECT_EQ(out.last(), QStringLiteral("300000"));
    std::printf("[ rate     ] %d lines through pf-agent, bwrap and HTTP in %lld ms: %.0f lines/s\n",
                lines, static_cast<long long>(ms), lines * 1000.0 / qMax<qint64>(ms, 1));
}
