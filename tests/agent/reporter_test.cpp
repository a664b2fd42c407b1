// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <deque>
#include <random>

#include <gtest/gtest.h>

#include <QElapsedTimer>
#include <QJsonDocument>

#include "agent/backoff.h"
#include "agent/reporter.h"
#include "tests/agent/agenttestutil.h"
#include "tests/support/qtwarnings.h"

using namespace pf::agent;
using pf::agenttest::processEventsUntil;

namespace {

// Holds each send until the test answers it.
class FakeTransport final : public ReportTransport
{
public:
    struct Sent
    {
        QJsonArray records;
        std::function<void(const ReportReply &)> done;
        qint64 atMs;
    };

    FakeTransport() { m_clock.start(); }

    void send(const QByteArray &body, std::function<void(const ReportReply &)> done) override
    {
        ++sends;
        const QJsonDocument doc = QJsonDocument::fromJson(body);
        EXPECT_TRUE(doc.isObject()) << body.left(200).toStdString();
        pending.push_back({doc.object().value(QStringLiteral("records")).toArray(), std::move(done),
                           m_clock.elapsed()});
    }

    bool waitForSend(int timeoutMs = 3000)
    {
        return processEventsUntil([this] { return !pending.empty(); }, timeoutMs);
    }
    Sent take()
    {
        Sent s = std::move(pending.front());
        pending.pop_front();
        return s;
    }
    static void ok(Sent &s, qint64 acked, QJsonArray commands = {})
    {
        ReportReply r;
        r.outcome = ReportReply::Outcome::Ok;
        r.ackedSeq = acked;
        r.commands = commands;
        s.done(r);
    }
    static void fail(Sent &s, ReportReply::Outcome outcome = ReportReply::Outcome::Retry)
    {
        ReportReply r;
        r.outcome = outcome;
        r.error = QStringLiteral("connection refused");
        s.done(r);
    }

    std::deque<Sent> pending;
    int sends = 0;

private:
    QElapsedTimer m_clock;
};

qint64 seqOf(const QJsonValue &record)
{
    return record[QStringLiteral("seq")].toInteger();
}

Reporter::Options fast()
{
    Reporter::Options o;
    o.flushIntervalMs = 20;
    o.heartbeatMs = 5000;
    o.backoffMinMs = 10;
    o.backoffMaxMs = 80;
    return o;
}

} // namespace

TEST(Backoff, DoublesUpToTheCapAndResets)
{
    Backoff b(100, 2000);
    std::vector<int> delays;
    for (int i = 0; i < 8; ++i)
        delays.push_back(b.next());
    EXPECT_EQ(delays, (std::vector<int>{100, 200, 400, 800, 1600, 2000, 2000, 2000}));
    EXPECT_EQ(b.failures(), 8);
    b.reset();
    EXPECT_EQ(b.next(), 100);
    EXPECT_EQ(b.failures(), 1);
}

TEST(Reporter, FirstBatchGoesAtOnceWithSeqFromOne)
{
    FakeTransport t;
    Reporter r(&t, fast());
    r.log(LogType::Stdout, "a", 1);
    r.log(LogType::Stderr, "b", 2);
    r.vmlog(QStringLiteral("c"));
    EXPECT_EQ(t.sends, 0) << "nothing before start()";
    r.start();
    ASSERT_EQ(t.sends, 1);
    auto s = t.take();
    ASSERT_EQ(s.records.size(), 3);
    EXPECT_EQ(seqOf(s.records[0]), 1);
    EXPECT_EQ(seqOf(s.records[2]), 3);
    int drained = 0;
    QObject::connect(&r, &Reporter::drained, [&] { ++drained; });
    FakeTransport::ok(s, 3);
    EXPECT_TRUE(r.allAcknowledged());
    EXPECT_EQ(drained, 1);
}

TEST(Reporter, OneRequestInFlightAndAtMostEveryInterval)
{
    FakeTransport t;
    Reporter r(&t, fast());
    r.start();
    ASSERT_TRUE(t.waitForSend()); // the first (empty) report goes at once
    auto first = t.take();
    EXPECT_TRUE(first.records.isEmpty());
    for (int i = 0; i < 10; ++i)
        r.log(LogType::Stdout, "x", i);
    // Still in flight: nothing else goes.
    processEventsUntil([] { return false; }, 60);
    EXPECT_EQ(t.sends, 1);
    FakeTransport::ok(first, 0);
    ASSERT_TRUE(t.waitForSend());
    auto second = t.take();
    EXPECT_GE(second.atMs - first.atMs, 18) << "the interval is measured from the previous send";
    ASSERT_EQ(second.records.size(), 10);
    EXPECT_EQ(seqOf(second.records[0]), 1);
    FakeTransport::ok(second, 10);
    EXPECT_TRUE(r.allAcknowledged());
}

TEST(Reporter, FullBatchGoesWithoutWaiting)
{
    FakeTransport t;
    Reporter::Options o = fast();
    o.flushIntervalMs = 10000; // only the size can trigger a send
    o.flushBytes = 1000;
    Reporter r(&t, o);
    r.start();
    ASSERT_TRUE(t.waitForSend());
    auto first = t.take();
    FakeTransport::ok(first, 0);
    r.log(LogType::Stdout, QByteArray(100, 'a'), 1);
    EXPECT_EQ(t.sends, 1);
    for (int i = 0; i < 10; ++i)
        r.log(LogType::Stdout, QByteArray(100, 'a'), 1);
    EXPECT_EQ(t.sends, 2) << "1000 bytes pending: sent at once";
}

TEST(Reporter, FailuresKeepEverythingAndBackOff)
{
    FakeTransport t;
    Reporter r(&t, fast());
    std::vector<int> delays;
    QObject::connect(&r, &Reporter::retrying,
                     [&](const QString &, int ms) { delays.push_back(ms); });
    r.log(LogType::Stdout, "1", 1);
    r.start();
    for (int attempt = 0; attempt < 5; ++attempt) {
        ASSERT_TRUE(t.waitForSend()) << attempt;
        auto s = t.take();
        // Everything unacknowledged, every time, from seq 1.
        ASSERT_EQ(s.records.size(), attempt + 1);
        EXPECT_EQ(seqOf(s.records[0]), 1);
        r.log(LogType::Stdout, QByteArray::number(attempt + 2), 1);
        FakeTransport::fail(s);
    }
    EXPECT_EQ(delays, (std::vector<int>{10, 20, 40, 80, 80}));
    ASSERT_TRUE(t.waitForSend());
    auto s = t.take();
    EXPECT_EQ(s.records.size(), 6);
    FakeTransport::ok(s, 6);
    EXPECT_TRUE(r.allAcknowledged());
    EXPECT_EQ(r.consecutiveFailures(), 0);
    // After a success the backoff starts small again.
    r.log(LogType::Stdout, "7", 1);
    ASSERT_TRUE(t.waitForSend());
    auto again = t.take();
    FakeTransport::fail(again);
    EXPECT_EQ(delays.back(), 10);
}

TEST(Reporter, PartialAcknowledgementResendsTheRest)
{
    FakeTransport t;
    Reporter r(&t, fast());
    for (int i = 1; i <= 5; ++i)
        r.log(LogType::Stdout, QByteArray::number(i), i);
    r.start();
    auto s = t.take();
    FakeTransport::ok(s, 2);
    EXPECT_EQ(r.buffer().ackedSeq(), 2);
    ASSERT_TRUE(t.waitForSend());
    auto next = t.take();
    ASSERT_EQ(next.records.size(), 3);
    EXPECT_EQ(seqOf(next.records[0]), 3);
}

TEST(Reporter, HeartbeatWhenIdle)
{
    FakeTransport t;
    Reporter::Options o = fast();
    o.heartbeatMs = 30;
    Reporter r(&t, o);
    r.start();
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(t.waitForSend());
        auto s = t.take();
        EXPECT_TRUE(s.records.isEmpty());
        FakeTransport::ok(s, 0);
    }
}

TEST(Reporter, CommandsAreEmitted)
{
    FakeTransport t;
    Reporter r(&t, fast());
    QList<QJsonObject> commands;
    QObject::connect(&r, &Reporter::command, [&](const QJsonObject &c) { commands.append(c); });
    r.start();
    auto s = t.take();
    FakeTransport::ok(s, 0,
                      QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("terminate")},
                                             {QStringLiteral("grace_s"), 5}}});
    ASSERT_EQ(commands.size(), 1);
    EXPECT_EQ(commands[0][QStringLiteral("grace_s")].toInt(), 5);
}

TEST(Reporter, FatalStopsReporting)
{
    FakeTransport t;
    Reporter r(&t, fast());
    QString fatal;
    QObject::connect(&r, &Reporter::fatal, [&](const QString &e) { fatal = e; });
    r.log(LogType::Stdout, "a", 1);
    r.start();
    auto s = t.take();
    pf::test::ExpectQtWarning refused(QStringLiteral("refused"));
    FakeTransport::fail(s, ReportReply::Outcome::Fatal);
    EXPECT_EQ(refused.seen(), 1);
    EXPECT_FALSE(fatal.isEmpty());
    r.log(LogType::Stdout, "b", 1);
    processEventsUntil([] { return false; }, 60);
    EXPECT_EQ(t.sends, 1);
    EXPECT_EQ(r.buffer().pendingCount(), 2) << "nothing is dropped";
}

TEST(Reporter, BackpressureAboveTheHighWaterMark)
{
    FakeTransport t;
    Reporter::Options o = fast();
    o.highWaterBytes = 2000;
    o.lowWaterBytes = 1000;
    Reporter r(&t, o);
    QList<bool> states;
    QObject::connect(&r, &Reporter::backpressure, [&](bool p) { states.append(p); });
    r.start();
    auto s = t.take(); // empty, in flight
    for (int i = 0; i < 30; ++i)
        r.log(LogType::Stdout, QByteArray(100, 'x'), 1);
    EXPECT_EQ(states, QList<bool>{true});
    EXPECT_TRUE(r.backpressured());
    FakeTransport::ok(s, 0);
    ASSERT_TRUE(t.waitForSend());
    auto all = t.take();
    FakeTransport::ok(all, 10); // still above the low mark
    EXPECT_TRUE(r.backpressured());
    ASSERT_TRUE(t.waitForSend());
    auto rest = t.take();
    FakeTransport::ok(rest, 30);
    EXPECT_EQ(states, (QList<bool>{true, false}));
}

// pfd's rule, applied to a flaky link: answers get lost after the records
// were applied, or before. Every record arrives exactly once, in order.
TEST(Reporter, NeitherLossNorDuplicationOverAFlakyLink)
{
    FakeTransport t;
    Reporter::Options o = fast();
    o.flushIntervalMs = 1;
    o.backoffMinMs = 1;
    o.backoffMaxMs = 4;
    o.maxBodyBytes = 2000;
    Reporter r(&t, o);
    std::mt19937 rng(42);
    qint64 serverAcked = 0;
    std::vector<qint64> applied;
    int produced = 0;
    const int total = 3000;
    r.start();
    while (applied.size() < size_t(total)) {
        for (int i = 0; i < 37 && produced < total; ++i, ++produced)
            r.log(LogType::Stdout, QByteArray::number(produced + 1), produced);
        if (produced == total)
            r.flush();
        ASSERT_TRUE(t.waitForSend()) << applied.size();
        auto s = t.take();
        const int roll = int(rng() % 10);
        if (roll < 2) { // lost before pfd saw it
            FakeTransport::fail(s);
            continue;
        }
        for (const QJsonValue &rec : std::as_const(s.records)) {
            const qint64 seq = seqOf(rec);
            if (seq == serverAcked + 1) {
                applied.push_back(rec[QStringLiteral("content")].toString().toLongLong());
                serverAcked = seq;
            } else {
                ASSERT_LE(seq, serverAcked) << "a gap";
            }
        }
        if (roll < 4) // applied, but the answer is lost
            FakeTransport::fail(s);
        else
            FakeTransport::ok(s, serverAcked);
    }
    ASSERT_EQ(applied.size(), size_t(total));
    for (int i = 0; i < total; ++i)
        ASSERT_EQ(applied[size_t(i)], i + 1);
}
