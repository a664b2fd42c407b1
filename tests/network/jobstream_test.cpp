// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// JobStream against a real pfd running real jobs (pf-agent, no sandbox):
// every line exactly once and in order whether following starts before,
// during or after the job; across pfd stopping, crashing and hanging; the
// metrics from the SDK each step once; status, the end, and failures.

#include <csignal>

#include <gtest/gtest.h>

#include <QFile>
#include <QHash>
#include <QTemporaryDir>
#include <QTest>

#include "network/jobstream.h"
#include "tests/support/apiwait.h"
#include "tests/support/pfdprocess.h"

using namespace Qt::StringLiterals;
using namespace pf::network;
using pf::test::PfdProcess;
using pf::test::waitFor;
namespace api = pf::api;

namespace {

const QString kConfig = uR"(auth:
  password_hashing: minimal
  login_failures_per_user: 10000
  login_failures_per_address: 100000
vm_types:
  - {code: test-cpu-1c, devices_per_vm: 1, vcpu: 1, memory_gib: 1, max_vms: 8, default_quota: 8}
jobs:
  sandbox: none
  grace_s: 1
)"_s;

constexpr int kWaitMs = 120000;

// A job printing "line 1" ... "line N", pausing `pauseS` after every
// `every` lines.
QString loopback(int lines, int every, double pauseS)
{
    return u"for i in $(seq 1 %1); do echo line $i; "
           "if [ $((i % %2)) = 0 ]; then sleep %3; fi; done"_s.arg(lines)
               .arg(every)
               .arg(pauseS);
}

// A training loop on the SDK: `steps` steps, after each the metrics loss =
// 1/step and acc = (step-1)/steps, a log line every 100 steps and a pause
// of `pauseS` after every 100.
QString training(int steps, double pauseS)
{
    return uR"(python3 -c 'import time, periflow_sdk as pf
pf.init(total_train_steps=%1)
for i in range(%1):
    with pf.train_step():
        pass
    pf.metric({"loss": 1.0 / (i + 1), "acc": i / %1.0})
    if i % 100 == 99:
        print("step", i + 1, flush=True)
        time.sleep(%2)
')"_s.arg(steps)
        .arg(pauseS);
}

// Everything a stream emitted.
struct Followed
{
    explicit Followed(JobStream *stream)
    {
        QObject::connect(stream, &JobStream::records, stream,
                         [this](const QList<api::LogRecord> &batch) {
                             ++batches;
                             EXPECT_FALSE(batch.isEmpty());
                             records.append(batch);
                         });
        QObject::connect(stream, &JobStream::metricPoints, stream,
                         [this](const QString &name, const QList<api::MetricPoint> &points) {
                             EXPECT_FALSE(points.isEmpty()) << name.toStdString();
                             metrics[name].append(points);
                         });
        QObject::connect(stream, &JobStream::statusChanged, stream,
                         [this](api::JobStatus status, double progress) {
                             statuses.append(status);
                             lastProgress = progress;
                         });
        QObject::connect(stream, &JobStream::stateChanged, stream,
                         [this](JobStream::State state, const QString &message) {
                             states.append(state);
                             messages.append(message);
                         });
        QObject::connect(stream, &JobStream::finished, stream, [this] { ++finished; });
    }

    QStringList lines(const QString &type = u"stdout"_s) const
    {
        QStringList out;
        for (const api::LogRecord &r : records) {
            if (r.type == type)
                out << r.content;
        }
        return out;
    }

    QList<api::LogRecord> records;
    int batches = 0;
    QHash<QString, QList<api::MetricPoint>> metrics;
    QList<api::JobStatus> statuses;
    double lastProgress = -1;
    QList<JobStream::State> states;
    QStringList messages;
    int finished = 0;
};

QStringList numbered(int n)
{
    QStringList out;
    for (int i = 1; i <= n; ++i)
        out << u"line %1"_s.arg(i);
    return out;
}

// "line 1" ... "line n", each once and in order, and the seqs rising: the
// first difference is the message.
::testing::AssertionResult everyLineOnce(const Followed &f, int n)
{
    for (qsizetype i = 1; i < f.records.size(); ++i) {
        if (f.records[i].seq <= f.records[i - 1].seq)
            return ::testing::AssertionFailure()
                   << "seq " << f.records[i].seq << " after " << f.records[i - 1].seq;
    }
    const QStringList got = f.lines();
    const QStringList want = numbered(n);
    for (qsizetype i = 0; i < std::min(got.size(), want.size()); ++i) {
        if (got[i] != want[i])
            return ::testing::AssertionFailure() << "line " << i << " is '" << got[i].toStdString()
                                                 << "', not '" << want[i].toStdString() << "'";
    }
    if (got.size() != want.size())
        return ::testing::AssertionFailure()
               << got.size() << " lines instead of " << want.size() << "; the last is '"
               << got.value(got.size() - 1).toStdString() << "'";
    return ::testing::AssertionSuccess();
}

// Steps 1..n of `name`, each once, ascending, with `value(step)`.
template <typename F>
::testing::AssertionResult everyStepOnce(const Followed &f, const QString &name, int n, F value)
{
    const QList<api::MetricPoint> points = f.metrics.value(name);
    for (qsizetype i = 0; i < points.size(); ++i) {
        if (points[i].step != i + 1)
            return ::testing::AssertionFailure()
                   << name.toStdString() << ": point " << i << " is step " << points[i].step;
        if (qAbs(points[i].value - value(points[i].step)) > 1e-9)
            return ::testing::AssertionFailure() << name.toStdString() << ": step "
                                                 << points[i].step << " is " << points[i].value;
    }
    if (points.size() != n)
        return ::testing::AssertionFailure()
               << name.toStdString() << ": " << points.size() << " points instead of " << n;
    return ::testing::AssertionSuccess();
}

class JobStreamTest : public ::testing::Test
{
protected:
    static void SetUpTestSuite()
    {
        s_pfd = new PfdProcess(kConfig);
        ASSERT_TRUE(s_pfd->start()) << s_pfd->lastError().toStdString();
    }
    static void TearDownTestSuite()
    {
        delete s_pfd;
        s_pfd = nullptr;
        // Each stopped pfd owns the data folder its successor used: newest first.
        while (!s_stopped.empty()) {
            delete s_stopped.back();
            s_stopped.pop_back();
        }
    }

    void SetUp() override
    {
        static int n = 0;
        m_user = s_pfd->createUser(u"follower%1"_s.arg(++n));
        m_session = std::make_unique<ApiSession>(QUrl(u"http://127.0.0.1:%1"_s.arg(s_pfd->port())));
        m_session->setTokens(m_user.token, m_user.refresh);
        m_api = std::make_unique<PfApi>(m_session.get());
        const auto org =
            waitFor<api::Org>([&](auto d) { m_api->createOrg(m_user.username + u"-org"_s, d); });
        ASSERT_API_OK(org);
        const auto project =
            waitFor<api::Project>([&](auto d) { m_api->createProject(org.value.id, u"p"_s, d); });
        ASSERT_API_OK(project);
        m_projectId = project.value.id;
    }

    qint64 submit(const QString &command)
    {
        const QJsonObject spec{
            {u"name"_s, u"loopback"_s},
            {u"vm"_s, u"test-cpu-1c"_s},
            {u"num_devices"_s, 1},
            {u"job_setting"_s, QJsonObject{{u"type"_s, u"custom"_s},
                                           {u"docker"_s, QJsonObject{{u"image"_s, u"any"_s},
                                                                     {u"command"_s, command}}}}}};
        const auto job = waitFor<api::Job>([&](auto d) { m_api->createJob(m_projectId, spec, d); });
        EXPECT_API_OK(job);
        return job.value.number;
    }

    api::Job job(qint64 number)
    {
        return waitFor<api::Job>([&](auto d) { m_api->job(m_projectId, number, d); }).value;
    }

    // The highest seq the job's log holds.
    qint64 storedSeq(qint64 number)
    {
        LogQuery newest;
        newest.limit = 1;
        const auto page =
            waitFor<LogPage>([&](auto d) { m_api->jobLogs(m_projectId, number, newest, d); });
        return page.value.results.isEmpty() ? 0 : page.value.results.first().seq;
    }

    bool waitForEnd(qint64 number)
    {
        return QTest::qWaitFor([&] { return api::isTerminal(job(number).status); }, kWaitMs);
    }

    static bool waitUntilDone(const JobStream &stream, const Followed &f)
    {
        return QTest::qWaitFor(
            [&] { return f.finished > 0 || stream.state() == JobStream::State::Failed; }, kWaitMs);
    }

    // A pfd on the same data folder and port as the one that stopped.
    static void startAgain(quint16 port)
    {
        s_pfd = new PfdProcess(kConfig, *s_stopped.back());
        s_pfd->setListenPort(port);
        ASSERT_TRUE(s_pfd->start()) << s_pfd->lastError().toStdString();
        ASSERT_EQ(s_pfd->port(), port);
    }
    // Stops (SIGTERM) or kills pfd; returns its port.
    static quint16 takeDown(bool crash)
    {
        const quint16 port = s_pfd->port();
        if (crash)
            s_pfd->kill();
        else
            EXPECT_EQ(s_pfd->stop(), 0);
        s_stopped.push_back(s_pfd);
        s_pfd = nullptr;
        return port;
    }

    void followThroughARestart(bool crash);

    static inline PfdProcess *s_pfd = nullptr;
    static inline std::vector<PfdProcess *> s_stopped;
    PfdProcess::User m_user;
    std::unique_ptr<ApiSession> m_session;
    std::unique_ptr<PfApi> m_api;
    QString m_projectId;
};

TEST_F(JobStreamTest, FollowingFromBeforeTheJobRunsGetsEveryLineOnce)
{
    // The job prints nothing until the stream is live.
    QTemporaryDir gate;
    const QString go = gate.filePath(u"go"_s);
    const qint64 n =
        submit(u"while [ ! -e %1 ]; do sleep 0.05; done; "_s.arg(go) + loopback(3000, 500, 0.3));
    ASSERT_GT(n, 0);
    JobStream stream(m_api.get(), m_projectId, n);
    Followed f(&stream);
    stream.start();
    EXPECT_EQ(stream.state(), JobStream::State::LoadingHistory);
    ASSERT_TRUE(QTest::qWaitFor([&] { return stream.state() == JobStream::State::Live; }, kWaitMs));
    EXPECT_TRUE(f.lines().isEmpty());
    ASSERT_TRUE(QFile(go).open(QIODevice::WriteOnly));
    ASSERT_TRUE(waitUntilDone(stream, f)) << stream.stateMessage().toStdString();
    ASSERT_EQ(stream.state(), JobStream::State::Ended) << stream.stateMessage().toStdString();
    EXPECT_TRUE(everyLineOnce(f, 3000));
    EXPECT_EQ(f.finished, 1);
    EXPECT_EQ(stream.lastSeq(), f.records.last().seq);
    ASSERT_FALSE(f.statuses.isEmpty());
    EXPECT_FALSE(api::isTerminal(f.statuses.first()));
    EXPECT_EQ(f.statuses.last(), api::JobStatus::Success);
    EXPECT_EQ(f.lines(u"vmlog"_s).last(), u"Job completed successfully."_s);
    EXPECT_EQ(f.states, (QList<JobStream::State>{JobStream::State::LoadingHistory,
                                                 JobStream::State::Live, JobStream::State::Ended}));
    EXPECT_EQ(stream.reconnects(), 0);
}

TEST_F(JobStreamTest, FollowingFromTheMiddleGetsEveryLineOnce)
{
    const qint64 n = submit(loopback(3000, 500, 0.5));
    ASSERT_GT(n, 0);
    ASSERT_TRUE(QTest::qWaitFor([&] { return storedSeq(n) >= 1000; }, kWaitMs));
    JobStreamOptions options;
    options.logPageSize = 300; // the history in several pages
    JobStream stream(m_api.get(), m_projectId, n, options);
    Followed f(&stream);
    stream.start();
    ASSERT_TRUE(waitUntilDone(stream, f)) << stream.stateMessage().toStdString();
    ASSERT_EQ(stream.state(), JobStream::State::Ended) << stream.stateMessage().toStdString();
    // It was still running when following began.
    ASSERT_FALSE(f.statuses.isEmpty());
    EXPECT_EQ(f.statuses.first(), api::JobStatus::Running);
    EXPECT_EQ(f.statuses.last(), api::JobStatus::Success);
    EXPECT_TRUE(everyLineOnce(f, 3000));
    EXPECT_GE(f.batches, 4);
    EXPECT_EQ(f.finished, 1);
}

TEST_F(JobStreamTest, FollowingAFinishedJobReadsItsHistoryInPages)
{
    const qint64 n = submit(loopback(3000, 1000, 0.1));
    ASSERT_GT(n, 0);
    ASSERT_TRUE(waitForEnd(n));
    JobStreamOptions options;
    options.logPageSize = 1000;
    JobStream stream(m_api.get(), m_projectId, n, options);
    Followed f(&stream);
    stream.start();
    ASSERT_TRUE(waitUntilDone(stream, f)) << stream.stateMessage().toStdString();
    ASSERT_EQ(stream.state(), JobStream::State::Ended) << stream.stateMessage().toStdString();
    EXPECT_TRUE(everyLineOnce(f, 3000));
    // 3000 lines and the platform's records, a page at a time.
    EXPECT_GE(f.batches, 3);
    EXPECT_EQ(f.statuses, QList<api::JobStatus>{api::JobStatus::Success});
    EXPECT_EQ(f.finished, 1);
}

// Lines go on while pfd is away; the stream reconnects and resumes by seq.
void JobStreamTest::followThroughARestart(bool crash)
{
    const qint64 n = submit(loopback(3000, 250, 0.5));
    ASSERT_GT(n, 0);
    JobStreamOptions options;
    options.logPageSize = 500;
    JobStream stream(m_api.get(), m_projectId, n, options);
    Followed f(&stream);
    stream.start();
    ASSERT_TRUE(QTest::qWaitFor(
        [&] { return stream.state() == JobStream::State::Live && f.lines().size() >= 500; },
        kWaitMs));
    ASSERT_LT(f.lines().size(), 3000) << "the job ended before pfd went away";
    const quint16 port = takeDown(crash);
    ASSERT_TRUE(
        QTest::qWaitFor([&] { return stream.state() == JobStream::State::Reconnecting; }, kWaitMs));
    EXPECT_FALSE(stream.stateMessage().isEmpty());
    if (!crash) {
        EXPECT_EQ(stream.stateMessage(), u"The server is shutting down."_s);
    }
    ASSERT_NO_FATAL_FAILURE(startAgain(port));
    ASSERT_TRUE(waitUntilDone(stream, f)) << stream.stateMessage().toStdString();
    ASSERT_EQ(stream.state(), JobStream::State::Ended) << stream.stateMessage().toStdString();
    EXPECT_TRUE(everyLineOnce(f, 3000));
    EXPECT_GE(stream.reconnects(), 1);
    EXPECT_EQ(f.statuses.last(), api::JobStatus::Success);
    EXPECT_EQ(f.finished, 1);
}

TEST_F(JobStreamTest, PfdStoppedAndStartedAgainMidStreamLosesAndRepeatsNothing)
{
    followThroughARestart(false);
}

TEST_F(JobStreamTest, PfdKilledAndStartedAgainMidStreamLosesAndRepeatsNothing)
{
    followThroughARestart(true);
}

TEST_F(JobStreamTest, AServerThatStopsAnsweringIsDroppedAndFollowedAgain)
{
    const qint64 n = submit(loopback(3000, 250, 0.5));
    ASSERT_GT(n, 0);
    m_session->setTimeoutMs(2000);
    JobStreamOptions options;
    options.keepAliveMs = 300;
    JobStream stream(m_api.get(), m_projectId, n, options);
    Followed f(&stream);
    stream.start();
    ASSERT_TRUE(QTest::qWaitFor(
        [&] { return stream.state() == JobStream::State::Live && f.lines().size() >= 250; },
        kWaitMs));
    // Hung, not gone: the connection stays open and nothing answers a ping.
    ASSERT_EQ(::kill(pid_t(s_pfd->pid()), SIGSTOP), 0);
    const bool dropped =
        QTest::qWaitFor([&] { return stream.state() == JobStream::State::Reconnecting; }, kWaitMs);
    ASSERT_EQ(::kill(pid_t(s_pfd->pid()), SIGCONT), 0);
    ASSERT_TRUE(dropped);
    EXPECT_EQ(stream.stateMessage(), u"The server stopped answering."_s);
    ASSERT_TRUE(waitUntilDone(stream, f)) << stream.stateMessage().toStdString();
    ASSERT_EQ(stream.state(), JobStream::State::Ended) << stream.stateMessage().toStdString();
    EXPECT_TRUE(everyLineOnce(f, 3000));
    EXPECT_GE(stream.reconnects(), 1);
}

TEST_F(JobStreamTest, AnExpiredAccessTokenIsRefreshedBeforeReconnecting)
{
    const qint64 n = submit(loopback(3000, 250, 0.5));
    ASSERT_GT(n, 0);
    JobStream stream(m_api.get(), m_projectId, n);
    Followed f(&stream);
    stream.start();
    ASSERT_TRUE(QTest::qWaitFor(
        [&] { return stream.state() == JobStream::State::Live && f.lines().size() >= 250; },
        kWaitMs));
    // The access token stops being valid while the socket is up (as one
    // that expires does); the connection then drops.
    m_session->setTokens(u"expired"_s, m_user.refresh);
    ASSERT_NO_FATAL_FAILURE(startAgain(takeDown(true)));
    ASSERT_TRUE(waitUntilDone(stream, f)) << stream.stateMessage().toStdString();
    ASSERT_EQ(stream.state(), JobStream::State::Ended) << stream.stateMessage().toStdString();
    EXPECT_TRUE(everyLineOnce(f, 3000));
    EXPECT_EQ(m_session->refreshes(), 1);
    EXPECT_NE(m_session->accessToken(), u"expired"_s);
}

TEST_F(JobStreamTest, MetricsFromHistoryAndLiveEachStepOnce)
{
    const qint64 n = submit(training(1500, 0.3));
    ASSERT_GT(n, 0);
    // Following starts with part of each series stored.
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            const auto metrics =
                waitFor<QList<MetricInfo>>([&](auto d) { m_api->jobMetrics(m_projectId, n, d); });
            return !metrics.value.isEmpty() && metrics.value.first().count >= 300;
        },
        kWaitMs));
    JobStreamOptions options;
    options.metricPageSize = 100;
    JobStream stream(m_api.get(), m_projectId, n, options);
    Followed f(&stream);
    stream.start();
    ASSERT_TRUE(waitUntilDone(stream, f)) << stream.stateMessage().toStdString();
    ASSERT_EQ(stream.state(), JobStream::State::Ended) << stream.stateMessage().toStdString();
    ASSERT_FALSE(f.statuses.isEmpty());
    EXPECT_EQ(f.statuses.first(), api::JobStatus::Running);
    EXPECT_TRUE(everyStepOnce(f, u"loss"_s, 1500, [](qint64 s) { return 1.0 / double(s); }));
    EXPECT_TRUE(everyStepOnce(f, u"acc"_s, 1500, [](qint64 s) { return double(s - 1) / 1500.0; }));
    EXPECT_EQ(f.metrics.size(), 2);
    EXPECT_EQ(f.lines().size(), 15);
    EXPECT_EQ(f.lastProgress, 100.0);
}

TEST_F(JobStreamTest, MetricsReportedWhilePfdIsAwayArriveOnce)
{
    const qint64 n = submit(training(1500, 0.5));
    ASSERT_GT(n, 0);
    JobStream stream(m_api.get(), m_projectId, n);
    Followed f(&stream);
    stream.start();
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            return stream.state() == JobStream::State::Live &&
                   f.metrics.value(u"loss"_s).size() >= 200;
        },
        kWaitMs));
    ASSERT_LT(f.metrics.value(u"loss"_s).size(), 1500) << "the job ended before pfd went away";
    ASSERT_NO_FATAL_FAILURE(startAgain(takeDown(true)));
    ASSERT_TRUE(waitUntilDone(stream, f)) << stream.stateMessage().toStdString();
    ASSERT_EQ(stream.state(), JobStream::State::Ended) << stream.stateMessage().toStdString();
    EXPECT_TRUE(everyStepOnce(f, u"loss"_s, 1500, [](qint64 s) { return 1.0 / double(s); }));
    EXPECT_TRUE(everyStepOnce(f, u"acc"_s, 1500, [](qint64 s) { return double(s - 1) / 1500.0; }));
    EXPECT_GE(stream.reconnects(), 1);
}

TEST_F(JobStreamTest, AFailingJobEndsWithItsStatus)
{
    const qint64 n = submit(u"echo before; echo oops >&2; exit 3"_s);
    ASSERT_GT(n, 0);
    JobStream stream(m_api.get(), m_projectId, n);
    Followed f(&stream);
    stream.start();
    ASSERT_TRUE(waitUntilDone(stream, f)) << stream.stateMessage().toStdString();
    ASSERT_EQ(stream.state(), JobStream::State::Ended) << stream.stateMessage().toStdString();
    EXPECT_EQ(f.finished, 1);
    EXPECT_EQ(f.statuses.last(), api::JobStatus::Failed);
    EXPECT_EQ(stream.status(), api::JobStatus::Failed);
    EXPECT_EQ(f.lines(), QStringList{u"before"_s});
    EXPECT_EQ(f.lines(u"stderr"_s), QStringList{u"oops"_s});
    EXPECT_EQ(f.lines(u"vmlog"_s).last(), u"Job failed."_s);
    // Statuses only move forward, each change once.
    for (qsizetype i = 1; i < f.statuses.size(); ++i)
        EXPECT_LT(int(f.statuses[i - 1]), int(f.statuses[i]));
}

TEST_F(JobStreamTest, SourcesAndNodeRanksFilterHistoryAndLive)
{
    const qint64 n = submit(u"echo out; echo err >&2; sleep 1; echo out2; echo err2 >&2"_s);
    ASSERT_GT(n, 0);
    ASSERT_TRUE(QTest::qWaitFor([&] { return storedSeq(n) > 0; }, kWaitMs));
    JobStreamOptions options;
    options.sources = JobSource::Stderr;
    options.nodeRanks = {0};
    JobStream stream(m_api.get(), m_projectId, n, options);
    Followed f(&stream);
    stream.start();
    ASSERT_TRUE(waitUntilDone(stream, f)) << stream.stateMessage().toStdString();
    ASSERT_EQ(stream.state(), JobStream::State::Ended) << stream.stateMessage().toStdString();
    EXPECT_EQ(f.lines(u"stderr"_s), (QStringList{u"err"_s, u"err2"_s}));
    EXPECT_EQ(f.records.size(), 2);
    EXPECT_TRUE(f.statuses.isEmpty()); // job.status was not asked for
    EXPECT_TRUE(f.metrics.isEmpty());
    EXPECT_EQ(f.finished, 1);
}

TEST_F(JobStreamTest, AJobThatDoesNotExistFails)
{
    JobStream stream(m_api.get(), m_projectId, 999);
    Followed f(&stream);
    stream.start();
    ASSERT_TRUE(waitUntilDone(stream, f));
    EXPECT_EQ(stream.state(), JobStream::State::Failed);
    EXPECT_FALSE(stream.stateMessage().isEmpty());
    EXPECT_EQ(f.finished, 0);
    EXPECT_TRUE(f.records.isEmpty());
}

TEST_F(JobStreamTest, StopAndStartAgainGoesOnWhereItStopped)
{
    const qint64 n = submit(loopback(3000, 250, 0.5));
    ASSERT_GT(n, 0);
    JobStream stream(m_api.get(), m_projectId, n);
    Followed f(&stream);
    stream.start();
    ASSERT_TRUE(QTest::qWaitFor(
        [&] { return stream.state() == JobStream::State::Live && f.lines().size() >= 250; },
        kWaitMs));
    stream.stop();
    EXPECT_EQ(stream.state(), JobStream::State::Idle);
    const qsizetype seen = f.records.size();
    // Nothing comes while stopped.
    ASSERT_TRUE(QTest::qWaitFor([&] { return storedSeq(n) > stream.lastSeq() + 250; }, kWaitMs));
    EXPECT_EQ(f.records.size(), seen);
    stream.start();
    ASSERT_TRUE(waitUntilDone(stream, f)) << stream.stateMessage().toStdString();
    ASSERT_EQ(stream.state(), JobStream::State::Ended) << stream.stateMessage().toStdString();
    EXPECT_TRUE(everyLineOnce(f, 3000));
}

} // namespace
