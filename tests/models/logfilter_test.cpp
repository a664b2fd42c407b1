// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <random>

#include <gtest/gtest.h>

#include <QSignalSpy>

#include "models/logfilter.h"

using namespace Qt::StringLiterals;
using namespace pf::models;

namespace {

std::vector<qsizetype> rows(const LogFilter &filter)
{
    std::vector<qsizetype> out;
    for (qsizetype row = 0; row < filter.rowCount(); ++row)
        out.push_back(filter.lineAt(row));
    return out;
}

// The rows by definition: every line the spec passes, in order.
std::vector<qsizetype> expectedRows(const LogBuffer &buffer, const LogFilterSpec &spec)
{
    std::vector<qsizetype> out;
    for (qsizetype i = 0; i < buffer.size(); ++i) {
        const LogLine line = buffer.line(i);
        if ((spec.ranks.isEmpty() || spec.ranks.contains(line.rank)) &&
            (spec.types.isEmpty() || spec.types.contains(line.type)))
            out.push_back(i);
    }
    return out;
}

void appendRandom(LogBuffer &buffer, std::mt19937 &random, int lines)
{
    for (int i = 0; i < lines; ++i) {
        const int rank = int(random() % 9) - 1; // -1 (platform) .. 7
        const auto type = LogType(random() % 3);
        buffer.appendLine(QByteArray("line " + QByteArray::number(buffer.size())), rank, type, 0);
    }
}

} // namespace

TEST(LogFilter, ShowsEverythingWithoutATable)
{
    LogBuffer buffer;
    LogFilter filter(&buffer);
    QSignalSpy appended(&filter, &LogFilter::rowsAppended);
    buffer.appendLine("a\nb\nc", 0, LogType::Stdout, 0);
    EXPECT_EQ(filter.rowCount(), 3);
    EXPECT_EQ(filter.lineAt(2), 2);
    EXPECT_EQ(filter.rowLine(1).text(), u"b"_s);
    EXPECT_EQ(filter.rowOfLine(1), 1);
    EXPECT_EQ(filter.rowOfLine(7), 3);
    EXPECT_TRUE(filter.showsLine(2));
    EXPECT_FALSE(filter.showsLine(3));
    ASSERT_EQ(appended.count(), 1);
    EXPECT_EQ(appended[0][0].value<qsizetype>(), 0);
    EXPECT_EQ(appended[0][1].value<qsizetype>(), 3);
}

TEST(LogFilter, ByRankAndType)
{
    LogBuffer buffer;
    buffer.appendLine("r0 out", 0, LogType::Stdout, 0);
    buffer.appendLine("r1 err", 1, LogType::Stderr, 0);
    buffer.appendLine("pf", kPlatformRank, LogType::Vmlog, 0);
    buffer.appendLine("r1 out", 1, LogType::Stdout, 0);
    buffer.appendLine("r2 out", 2, LogType::Stdout, 0);
    LogFilter filter(&buffer);
    QSignalSpy reset(&filter, &LogFilter::rowsReset);

    filter.setRanks({1, kPlatformRank});
    EXPECT_EQ(rows(filter), (std::vector<qsizetype>{1, 2, 3}));
    filter.setTypes({LogType::Stdout});
    EXPECT_EQ(rows(filter), (std::vector<qsizetype>{3}));
    EXPECT_EQ(filter.rowOfLine(0), 0);
    EXPECT_EQ(filter.rowOfLine(3), 0);
    EXPECT_EQ(filter.rowOfLine(4), 1);
    EXPECT_TRUE(filter.showsLine(3));
    EXPECT_FALSE(filter.showsLine(2));
    filter.setRanks({});
    EXPECT_EQ(rows(filter), (std::vector<qsizetype>{0, 3, 4}));
    filter.setSpec({{5000, -7}, {}}); // ranks no line has
    EXPECT_EQ(filter.rowCount(), 0);
    filter.setSpec({});
    EXPECT_EQ(filter.rowCount(), 5);
    EXPECT_EQ(reset.count(), 5);
    filter.setSpec({}); // unchanged: nothing
    EXPECT_EQ(reset.count(), 5);

    filter.setRanks({2});
    buffer.clear();
    EXPECT_EQ(reset.count(), 7);
    EXPECT_EQ(filter.rowCount(), 0);
    buffer.appendLine("again", 2, LogType::Stdout, 0);
    EXPECT_EQ(rows(filter), (std::vector<qsizetype>{0}));
}

TEST(LogFilter, IncrementalRowsEqualARebuild)
{
    std::mt19937 random(42);
    const QList<LogFilterSpec> specs = {
        {{0}, {}},
        {{kPlatformRank, 3, 7}, {}},
        {{}, {LogType::Stderr}},
        {{1, 2}, {LogType::Stdout, LogType::Vmlog}},
    };
    for (const LogFilterSpec &spec : specs) {
        LogBuffer buffer;
        LogFilter live(&buffer);
        live.setSpec(spec);
        QSignalSpy appended(&live, &LogFilter::rowsAppended);
        qsizetype announced = 0;
        QObject::connect(&live, &LogFilter::rowsAppended, &live,
                         [&](qsizetype first, qsizetype count) {
                             EXPECT_EQ(first, announced);
                             announced += count;
                         });
        // Batches of many sizes, as history pages and single live records.
        for (int batch = 0; batch < 400; ++batch)
            appendRandom(buffer, random, batch % 10 == 0 ? 500 : int(random() % 4));
        EXPECT_EQ(announced, live.rowCount());
        LogFilter rebuilt(&buffer);
        rebuilt.setSpec(spec);
        EXPECT_EQ(rows(live), rows(rebuilt));
        EXPECT_EQ(rows(live), expectedRows(buffer, spec));
        EXPECT_GT(live.rowCount(), 0);
        EXPECT_LT(live.rowCount(), buffer.size());
    }
}

TEST(LogFilter, MatcherAcceptsWhatTheSpecSays)
{
    const LogLineMatcher all;
    EXPECT_TRUE(all.acceptsAll());
    EXPECT_TRUE(all.accepts(kPlatformRank, LogType::Vmlog));
    const LogLineMatcher some(LogFilterSpec{{kPlatformRank, 4}, {LogType::Stderr}});
    EXPECT_FALSE(some.acceptsAll());
    EXPECT_TRUE(some.accepts(4, LogType::Stderr));
    EXPECT_TRUE(some.accepts(kPlatformRank, LogType::Stderr));
    EXPECT_FALSE(some.accepts(4, LogType::Stdout));
    EXPECT_FALSE(some.accepts(3, LogType::Stderr));
    EXPECT_FALSE(some.accepts(70000, LogType::Stderr));
}
