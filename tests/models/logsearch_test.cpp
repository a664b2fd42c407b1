// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <random>

#include <gtest/gtest.h>

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

#include "models/logsearch.h"

using namespace Qt::StringLiterals;
using namespace pf::models;

namespace {

constexpr int kTimeoutMs = 120000;

// Training-log-like lines from a seeded generator: words, numbers, some
// colour, some non-ASCII, ranks -1..3, all three streams.
void appendRandomLines(LogBuffer &buffer, qsizetype count, unsigned seed)
{
    static const char *const words[] = {
        "step",  "loss", "lr",    "epoch", "grad_norm", "tok/s", "LOSS", "Step",
        "größe", "ſtep", "😀",     "é",     "warning:",  "saved", "ckpt", "val",
        "a",     "aa",   "aaa",   "=",     "0.5",       "12",    "3.14", "[rank]",
        "GRÖßE", "x\ty", "Epoch", "done",  "progress",  "eta",   "s/it", "accuracy"};
    constexpr int kWords = sizeof(words) / sizeof(words[0]);
    std::mt19937 random(seed);
    QByteArray line;
    for (qsizetype i = 0; i < count; ++i) {
        line.resize(0);
        const int n = 3 + int(random() % 14);
        for (int w = 0; w < n; ++w) {
            if (w > 0)
                line += ' ';
            const unsigned roll = random() % 100;
            if (roll < 4)
                line += "\x1b[3" + QByteArray::number(random() % 8) + 'm';
            else if (roll < 6)
                line += "\x1b[0m";
            if (roll % 7 == 0)
                line += "loss=" + QByteArray::number(random() % 1000) + '.' +
                        QByteArray::number(random() % 100);
            else
                line += words[random() % kWords];
        }
        line += "\x1b[0m"; // no pen carries over: lines stay independent
        const int rank = int(random() % 5) - 1;
        buffer.appendLine(line, rank, LogType(random() % 3), 0, 0);
    }
}

// The definition, line by line over LogLine::text().
std::vector<LogMatch> bruteForce(const LogBuffer &buffer, const LogSearchQuery &query,
                                 const LogFilterSpec &spec = {})
{
    std::vector<LogMatch> out;
    const LogLineMatcher filter(spec);
    QRegularExpression regex;
    if (query.regex) {
        regex = QRegularExpression(query.pattern, query.caseSensitivity == Qt::CaseInsensitive
                                                      ? QRegularExpression::CaseInsensitiveOption
                                                      : QRegularExpression::NoPatternOption);
    }
    for (qsizetype i = 0; i < buffer.size(); ++i) {
        const LogLine line = buffer.line(i);
        if (!filter.accepts(line.rank, line.type))
            continue;
        const QString text = line.text();
        if (query.regex) {
            QRegularExpressionMatchIterator it = regex.globalMatch(text);
            while (it.hasNext()) {
                const QRegularExpressionMatch m = it.next();
                if (m.capturedLength() > 0)
                    out.push_back({i, int(m.capturedStart()), int(m.capturedLength())});
            }
        } else {
            for (qsizetype at = 0;
                 (at = text.indexOf(query.pattern, at, query.caseSensitivity)) >= 0;
                 at += query.pattern.size())
                out.push_back({i, int(at), int(query.pattern.size())});
        }
    }
    return out;
}

bool waitFinished(QSignalSpy &finished, qsizetype count = 1)
{
    return QTest::qWaitFor([&] { return finished.count() >= count; }, kTimeoutMs);
}

class LogSearchMillion : public ::testing::Test
{
protected:
    static void SetUpTestSuite()
    {
        s_buffer = new LogBuffer;
        appendRandomLines(*s_buffer, 1000000, 2026);
    }
    static void TearDownTestSuite()
    {
        delete s_buffer;
        s_buffer = nullptr;
    }

    static LogBuffer *s_buffer;
};

LogBuffer *LogSearchMillion::s_buffer = nullptr;

} // namespace

TEST_F(LogSearchMillion, ResultsEqualABruteForceScan)
{
    const QList<LogSearchQuery> queries = {
        {u"loss"_s, false, Qt::CaseSensitive},
        {u"LOSS"_s, false, Qt::CaseInsensitive},
        {u"aa"_s, false, Qt::CaseSensitive},      // overlapping candidates
        {u"GRÖßE"_s, false, Qt::CaseInsensitive}, // non-ASCII needle and text
        {u"ſtep"_s, false, Qt::CaseInsensitive},  // folds onto ASCII "step"
        {u"😀 é"_s, false, Qt::CaseSensitive},
        {u"loss=\\d+\\.\\d{2}\\b"_s, true, Qt::CaseSensitive},
        {u"^(step|epoch) \\S+"_s, true, Qt::CaseInsensitive},
        {u"s?(?=tep)"_s, true, Qt::CaseSensitive}, // empty matches (before "ſtep") left out
    };
    for (const LogSearchQuery &query : queries) {
        LogSearch search(s_buffer);
        QSignalSpy finished(&search, &LogSearch::finished);
        qsizetype announced = 0;
        QObject::connect(&search, &LogSearch::matchesAdded, &search,
                         [&](qsizetype first, qsizetype count) {
                             EXPECT_EQ(first, announced);
                             announced += count;
                         });
        search.start(query);
        ASSERT_TRUE(waitFinished(finished)) << query.pattern.toStdString();
        const std::vector<LogMatch> expected = bruteForce(*s_buffer, query);
        EXPECT_FALSE(expected.empty()) << query.pattern.toStdString();
        EXPECT_EQ(search.matchCount(), qsizetype(expected.size()));
        EXPECT_TRUE(search.matches() == expected) << query.pattern.toStdString();
        EXPECT_EQ(announced, qsizetype(expected.size()));
        EXPECT_FALSE(search.isRunning());
        EXPECT_EQ(search.scannedLines(), s_buffer->size());
    }
}

TEST_F(LogSearchMillion, HonoursTheFilterAndRestartsWhenItChanges)
{
    LogFilter filter(s_buffer);
    filter.setSpec({{1, kPlatformRank}, {LogType::Stdout, LogType::Stderr}});
    LogSearch search(s_buffer, &filter);
    QSignalSpy finished(&search, &LogSearch::finished);
    QSignalSpy reset(&search, &LogSearch::reset);
    const LogSearchQuery query{u"loss=\\d+"_s, true, Qt::CaseSensitive};
    search.start(query);
    ASSERT_TRUE(waitFinished(finished));
    EXPECT_TRUE(search.matches() == bruteForce(*s_buffer, query, filter.spec()));

    // A new spec while the old results stand: they are dropped, the scan
    // starts over, and the results follow the new spec.
    filter.setRanks({2});
    EXPECT_EQ(reset.count(), 2);
    EXPECT_TRUE(search.matches().empty());
    ASSERT_TRUE(waitFinished(finished, 2));
    EXPECT_TRUE(search.matches() == bruteForce(*s_buffer, query, filter.spec()));
}

TEST_F(LogSearchMillion, ANewQueryCancelsTheRunningOne)
{
    LogSearch search(s_buffer);
    QSignalSpy finished(&search, &LogSearch::finished);
    search.start({u"step"_s, false, Qt::CaseInsensitive});
    EXPECT_TRUE(search.isRunning());
    const LogSearchQuery second{u"grad_norm"_s, false, Qt::CaseSensitive};
    search.start(second);
    ASSERT_TRUE(waitFinished(finished));
    EXPECT_EQ(finished.count(), 1); // the first never finished
    EXPECT_TRUE(search.matches() == bruteForce(*s_buffer, second));
}

TEST(LogSearch, SearchesLinesAsTheyArrive)
{
    LogBuffer buffer;
    appendRandomLines(buffer, 50000, 1);
    LogSearch search(&buffer);
    QSignalSpy finished(&search, &LogSearch::finished);
    const LogSearchQuery query{u"epoch"_s, false, Qt::CaseInsensitive};
    search.start(query);
    // Lines keep coming while the first scan runs and after it ended.
    for (int i = 0; i < 20; ++i)
        appendRandomLines(buffer, 100, 100 + i);
    ASSERT_TRUE(waitFinished(finished));
    appendRandomLines(buffer, 5000, 7);
    ASSERT_TRUE(waitFinished(finished, 2));
    EXPECT_EQ(search.scannedLines(), buffer.size());
    EXPECT_TRUE(search.matches() == bruteForce(buffer, query));

    QSignalSpy reset(&search, &LogSearch::reset);
    buffer.clear();
    EXPECT_EQ(reset.count(), 1);
    EXPECT_EQ(search.matchCount(), 0);
    buffer.appendLine("Epoch 3 epoch", 0, LogType::Stdout, 0);
    ASSERT_TRUE(waitFinished(finished, 4));
    EXPECT_TRUE(search.matches() == (std::vector<LogMatch>{{0, 0, 5}, {0, 8, 5}}));
}

TEST(LogSearch, NextAndPreviousWrap)
{
    LogBuffer buffer;
    buffer.appendLine("a x x", 0, LogType::Stdout, 0); // 0: x at 2, 4
    buffer.appendLine("none", 0, LogType::Stdout, 0);  // 1
    buffer.appendLine("x", 0, LogType::Stdout, 0);     // 2: x at 0
    LogSearch search(&buffer);
    QSignalSpy finished(&search, &LogSearch::finished);
    search.start({u"x"_s});
    ASSERT_TRUE(waitFinished(finished));
    ASSERT_EQ(search.matchCount(), 3);
    EXPECT_EQ(search.matchesInLine(0), std::make_pair(qsizetype(0), qsizetype(2)));
    EXPECT_EQ(search.matchesInLine(1), std::make_pair(qsizetype(2), qsizetype(2)));
    EXPECT_EQ(search.nextMatch(0, 0), 0);
    EXPECT_EQ(search.nextMatch(0, 3), 1);
    EXPECT_EQ(search.nextMatch(1), 2);
    EXPECT_EQ(search.nextMatch(2, 1), 0);
    EXPECT_EQ(search.nextMatch(2, 1, false), -1);
    EXPECT_EQ(search.previousMatch(2, 0), 1);
    EXPECT_EQ(search.previousMatch(0, 4), 0);
    EXPECT_EQ(search.previousMatch(0, 2), 2);
    EXPECT_EQ(search.previousMatch(0, 2, false), -1);
}

TEST(LogSearch, InvalidRegexAndEmptyPattern)
{
    LogBuffer buffer;
    buffer.appendLine("(", 0, LogType::Stdout, 0);
    LogSearch search(&buffer);
    QSignalSpy error(&search, &LogSearch::errorOccurred);
    search.start({u"("_s, true});
    ASSERT_EQ(error.count(), 1);
    EXPECT_FALSE(search.errorString().isEmpty());
    EXPECT_EQ(error[0][0].toString(), search.errorString());
    EXPECT_FALSE(search.isRunning());
    EXPECT_EQ(search.matchCount(), 0);

    QSignalSpy finished(&search, &LogSearch::finished);
    search.start({u"("_s});
    ASSERT_TRUE(waitFinished(finished));
    EXPECT_TRUE(search.errorString().isEmpty());
    EXPECT_EQ(search.matchCount(), 1);
    search.start({});
    EXPECT_EQ(search.matchCount(), 0);
    EXPECT_FALSE(search.isRunning());
}

TEST(LogSearch, MatchesAreInVisibleText)
{
    LogBuffer buffer;
    buffer.appendLine("\x1b[32mlo\x1b[1mss\x1b[0m é loss", 0, LogType::Stdout, 0);
    LogSearch search(&buffer);
    QSignalSpy finished(&search, &LogSearch::finished);
    search.start({u"LOSS"_s});
    ASSERT_TRUE(waitFinished(finished));
    EXPECT_TRUE(search.matches() == (std::vector<LogMatch>{{0, 0, 4}, {0, 7, 4}}));
}
