// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <gtest/gtest.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "agent/recordbuffer.h"
#include "agent/recordjson.h"
#include "tests/agent/agenttestutil.h"

using namespace pf::agent;

namespace {

QJsonArray records(const QByteArray &body)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    EXPECT_EQ(error.error, QJsonParseError::NoError) << body.left(200).toStdString();
    return doc.object().value(QStringLiteral("records")).toArray();
}

QString encoded(const QByteArray &text)
{
    QByteArray out;
    appendJsonString(out, text);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson("[" + out + "]", &error);
    EXPECT_EQ(error.error, QJsonParseError::NoError) << out.toStdString();
    EXPECT_TRUE(QString::fromUtf8(out).toUtf8() == out) << "output is not valid UTF-8";
    return doc.array().at(0).toString();
}

} // namespace

TEST(RecordJson, EscapesWhatJsonNeeds)
{
    EXPECT_EQ(encoded("plain text"), QStringLiteral("plain text"));
    EXPECT_EQ(encoded("q\"b\\s/"), QStringLiteral("q\"b\\s/"));
    EXPECT_EQ(encoded("t\tn\nr\rb\bf\f"), QStringLiteral("t\tn\nr\rb\bf\f"));
    EXPECT_EQ(encoded(QByteArray("nul\0x\x1b[0m\x7f", 10)),
              QString::fromUtf8(QByteArray("nul\0x\x1b[0m\x7f", 10)));
    QByteArray raw;
    appendJsonString(raw, "\x1b");
    EXPECT_EQ(raw, QByteArray("\"\\u001b\""));
}

TEST(RecordJson, ValidUtf8IsKept)
{
    const QByteArray text = "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xEF\xBF\xBF";
    EXPECT_EQ(encoded(text), QString::fromUtf8(text));
}

TEST(RecordJson, InvalidUtf8IsReplacedNotDropped)
{
    const QString r = QStringLiteral("\uFFFD");
    EXPECT_EQ(encoded("a\xFF"
                      "b"),
              QStringLiteral("a") + r + QStringLiteral("b"));
    // A truncated sequence is one replacement (its maximal subpart).
    EXPECT_EQ(encoded("a\xE2\x82"
                      "b"),
              QStringLiteral("a") + r + QStringLiteral("b"));
    EXPECT_EQ(encoded("\xF0\x9F\x98"), r);
    // Overlong forms, surrogates and code points above U+10FFFF.
    EXPECT_EQ(encoded("\xC0\xAF"), r + r);
    EXPECT_EQ(encoded("\xE0\x80\xAF"), r + r + r);
    EXPECT_EQ(encoded("\xED\xA0\x80"), r + r + r);
    EXPECT_EQ(encoded("\xF4\x90\x80\x80"), r + r + r + r);
    // A lone continuation byte, then valid text.
    EXPECT_EQ(encoded("\x80ok"), r + QStringLiteral("ok"));
    // Nothing is lost: every input byte shows up as a character.
    EXPECT_EQ(encoded("\xFF\xFE\xFD").size(), 3);
}

TEST(RecordJson, LogRecord)
{
    QByteArray out;
    appendLogRecord(out, 7, LogType::Stderr, "oops", 1700000000123);
    EXPECT_EQ(out,
              QByteArray("{\"seq\":7,\"kind\":\"log\",\"type\":\"stderr\",\"content\":\"oops\","
                         "\"time_ms\":1700000000123}"));
}

TEST(RecordBuffer, NumbersFromOne)
{
    RecordBuffer b;
    EXPECT_EQ(b.lastSeq(), 0);
    EXPECT_EQ(b.ackedSeq(), 0);
    EXPECT_TRUE(b.isEmpty());
    EXPECT_EQ(b.appendLog(LogType::Stdout, "a", 1), 1);
    EXPECT_EQ(b.appendObject({{QStringLiteral("kind"), QStringLiteral("status")},
                              {QStringLiteral("status"), QStringLiteral("running")}}),
              2);
    EXPECT_EQ(b.appendLog(LogType::Vmlog, "c", 3), 3);
    const auto batch = b.batch(1 << 20);
    EXPECT_EQ(batch.firstSeq, 1);
    EXPECT_EQ(batch.lastSeq, 3);
    const QJsonArray r = records(batch.body);
    ASSERT_EQ(r.size(), 3);
    EXPECT_EQ(r[0][QStringLiteral("seq")].toInteger(), 1);
    EXPECT_EQ(r[0][QStringLiteral("content")].toString(), QStringLiteral("a"));
    EXPECT_EQ(r[1][QStringLiteral("seq")].toInteger(), 2);
    EXPECT_EQ(r[1][QStringLiteral("status")].toString(), QStringLiteral("running"));
    EXPECT_EQ(r[2][QStringLiteral("type")].toString(), QStringLiteral("vmlog"));
}

TEST(RecordBuffer, EmptyBatchIsAHeartbeat)
{
    RecordBuffer b;
    const auto batch = b.batch(1 << 20);
    EXPECT_EQ(batch.body, QByteArray("{\"records\":[]}"));
    EXPECT_EQ(batch.count, 0);
}

TEST(RecordBuffer, AcknowledgeDropsAPrefix)
{
    RecordBuffer b;
    for (int i = 1; i <= 5; ++i)
        b.appendLog(LogType::Stdout, QByteArray::number(i), i);
    EXPECT_EQ(b.acknowledge(2), 2);
    EXPECT_EQ(b.ackedSeq(), 2);
    EXPECT_EQ(b.pendingCount(), 3);
    auto r = records(b.batch(1 << 20).body);
    ASSERT_EQ(r.size(), 3);
    EXPECT_EQ(r[0][QStringLiteral("seq")].toInteger(), 3);
    // Old or repeated acknowledgements change nothing.
    EXPECT_EQ(b.acknowledge(1), 0);
    EXPECT_EQ(b.acknowledge(2), 0);
    EXPECT_EQ(b.ackedSeq(), 2);
    // More than was ever added is clamped.
    EXPECT_EQ(b.acknowledge(99), 3);
    EXPECT_TRUE(b.isEmpty());
    EXPECT_EQ(b.pendingBytes(), 0);
    EXPECT_EQ(b.appendLog(LogType::Stdout, "6", 6), 6);
    r = records(b.batch(1 << 20).body);
    ASSERT_EQ(r.size(), 1);
    EXPECT_EQ(r[0][QStringLiteral("seq")].toInteger(), 6);
}

TEST(RecordBuffer, BatchesRespectTheSizeLimit)
{
    RecordBuffer b;
    for (int i = 0; i < 100; ++i)
        b.appendLog(LogType::Stdout, QByteArray(100, 'x'), i);
    const auto batch = b.batch(1000);
    EXPECT_LE(batch.body.size(), 1000);
    EXPECT_GT(batch.count, 3);
    EXPECT_EQ(records(batch.body).size(), batch.count);
    // One record larger than the limit still goes, alone.
    RecordBuffer big;
    big.appendLog(LogType::Stdout, QByteArray(5000, 'y'), 0);
    big.appendLog(LogType::Stdout, "z", 0);
    const auto one = big.batch(1000);
    EXPECT_EQ(one.count, 1);
    EXPECT_EQ(records(one.body).size(), 1);
}

TEST(RecordBuffer, ManyRecordsThroughCompaction)
{
    RecordBuffer b;
    qint64 expectNext = 1;
    for (int round = 0; round < 50; ++round) {
        for (int i = 0; i < 2000; ++i)
            b.appendLog(LogType::Stdout, QByteArray(50, char('a' + round % 26)), i);
        // Take and acknowledge batches, leaving some records pending.
        while (b.pendingCount() > 500) {
            const auto batch = b.batch(64 * 1024);
            const QJsonArray r = records(batch.body);
            ASSERT_EQ(r.size(), batch.count);
            ASSERT_EQ(r[0][QStringLiteral("seq")].toInteger(), expectNext);
            ASSERT_EQ(r[r.size() - 1][QStringLiteral("seq")].toInteger(), batch.lastSeq);
            b.acknowledge(batch.lastSeq);
            expectNext = batch.lastSeq + 1;
        }
    }
    EXPECT_EQ(b.lastSeq(), 100000);
    EXPECT_EQ(b.ackedSeq() + b.pendingCount(), 100000);
}
