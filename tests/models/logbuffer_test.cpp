// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include <QSignalSpy>

#include "models/logbuffer.h"

using namespace Qt::StringLiterals;
using namespace pf;
using namespace pf::models;

namespace {

api::LogRecord record(qint64 seq, const QString &content, int rank = 0,
                      const QString &type = u"stdout"_s, qint64 timeMs = 1795329900123)
{
    return {seq, content, QDateTime::fromMSecsSinceEpoch(timeMs, Qt::UTC), type, rank};
}

QStringList texts(const LogBuffer &buffer)
{
    QStringList out;
    for (qsizetype i = 0; i < buffer.size(); ++i)
        out << buffer.line(i).text();
    return out;
}

// The line text that a test appends as line `i`, of varying length.
QByteArray lineText(qsizetype i)
{
    return "line " + QByteArray::number(i) + ' ' + QByteArray(int(i % 97), char('a' + i % 26));
}

} // namespace

TEST(LogBuffer, AppendsRecordsWithTheirFields)
{
    LogBuffer buffer;
    QSignalSpy appended(&buffer, &LogBuffer::linesAppended);
    const qsizetype added =
        buffer.append({record(1, u"hello"_s, 0), record(2, u"oops"_s, 3, u"stderr"_s, 1000),
                       record(3, u"Job completed successfully."_s, kPlatformRank, u"vmlog"_s, 2000),
                       record(4, u"strange type"_s, 1, u"nonsense"_s, 3000)});
    EXPECT_EQ(added, 4);
    ASSERT_EQ(buffer.size(), 4);
    ASSERT_EQ(appended.count(), 1);
    EXPECT_EQ(appended[0][0].value<qsizetype>(), 0);
    EXPECT_EQ(appended[0][1].value<qsizetype>(), 4);

    const LogLine first = buffer.line(0);
    EXPECT_EQ(first.seq, 1);
    EXPECT_EQ(first.timeMs, 1795329900123);
    EXPECT_EQ(first.rank, 0);
    EXPECT_EQ(first.type, LogType::Stdout);
    EXPECT_TRUE(first.ascii);
    EXPECT_FALSE(first.hasEscapes);
    EXPECT_EQ(first.raw, QUtf8StringView("hello"));
    EXPECT_EQ(first.text(), u"hello"_s);

    EXPECT_EQ(buffer.line(1).type, LogType::Stderr);
    EXPECT_EQ(buffer.line(1).rank, 3);
    EXPECT_EQ(buffer.line(1).timeMs, 1000);
    EXPECT_EQ(buffer.line(2).type, LogType::Vmlog);
    EXPECT_EQ(buffer.line(2).rank, kPlatformRank);
    EXPECT_EQ(buffer.line(3).type, LogType::Stdout);
    EXPECT_EQ(buffer.lastSeq(), 4);
    EXPECT_EQ(buffer.textBytes(), 5 + 4 + 27 + 12);

    EXPECT_EQ(logTypeName(LogType::Stderr), u"stderr"_s);
    EXPECT_EQ(logTypeFromName(u"vmlog"), LogType::Vmlog);
}

TEST(LogBuffer, DropsRecordsAtOrBelowTheLastSeq)
{
    LogBuffer buffer;
    for (int seq = 1; seq <= 5; ++seq)
        buffer.append(record(seq, u"history "_s + QString::number(seq)));
    QSignalSpy appended(&buffer, &LogBuffer::linesAppended);
    // A reconnect replays 3..5 before the new 6..8.
    QList<api::LogRecord> live;
    for (int seq = 3; seq <= 8; ++seq)
        live << record(seq, u"live "_s + QString::number(seq));
    EXPECT_EQ(buffer.append(live), 3);
    EXPECT_EQ(buffer.droppedDuplicates(), 3);
    EXPECT_EQ(buffer.lastSeq(), 8);
    EXPECT_EQ(texts(buffer),
              (QStringList{u"history 1"_s, u"history 2"_s, u"history 3"_s, u"history 4"_s,
                           u"history 5"_s, u"live 6"_s, u"live 7"_s, u"live 8"_s}));
    ASSERT_EQ(appended.count(), 1);
    EXPECT_EQ(appended[0][0].value<qsizetype>(), 5);
    EXPECT_EQ(appended[0][1].value<qsizetype>(), 3);

    // Nothing new: no signal. Records without a seq always go in.
    EXPECT_EQ(buffer.append(record(2, u"old"_s)), 0);
    EXPECT_EQ(appended.count(), 1);
    EXPECT_EQ(buffer.append({record(0, u"a"_s), record(0, u"a"_s)}), 2);
    EXPECT_EQ(buffer.appendLine("b", 0, LogType::Stdout, 0, -1), 1);
    EXPECT_EQ(buffer.size(), 11);
    EXPECT_EQ(buffer.droppedDuplicates(), 4);
    EXPECT_EQ(buffer.lastSeq(), 8);
}

TEST(LogBuffer, ContentIsCutAtNewlines)
{
    LogBuffer buffer;
    EXPECT_EQ(buffer.append(record(1, u"a\nb\n"_s)), 2);
    EXPECT_EQ(buffer.append(record(2, u""_s)), 1);
    EXPECT_EQ(buffer.append(record(3, u"\n"_s)), 1);
    EXPECT_EQ(buffer.append(record(4, u"c\n\nd"_s)), 3);
    EXPECT_EQ(buffer.append(record(5, u"progress 10%\r\nnext"_s)), 2);
    EXPECT_EQ(texts(buffer), (QStringList{u"a"_s, u"b"_s, u""_s, u""_s, u"c"_s, u""_s, u"d"_s,
                                          u"progress 10%"_s, u"next"_s}));
    EXPECT_EQ(buffer.line(1).seq, 1);
    EXPECT_EQ(buffer.line(6).seq, 4);
    EXPECT_TRUE(buffer.line(2).raw.isEmpty());
}

TEST(LogBuffer, CarriageReturnsResolveAsOnATerminal)
{
    LogBuffer buffer;
    buffer.append(
        {record(1, u"downloading 10%\rdone"_s),
         record(2, u"  0%|          | 0/3\r 33%|███▎      | 1/3\r100%|██████████| 3/3\r"_s),
         record(3, u"epoch 1: 50%\r\x1b[2Kepoch 1 done"_s), record(4, u"abcdef\rXY\x1b[K"_s)});
    EXPECT_EQ(texts(buffer), (QStringList{u"doneloading 10%"_s, u"100%|██████████| 3/3"_s,
                                          u"epoch 1 done"_s, u"XY"_s}));
    EXPECT_FALSE(buffer.line(1).ascii);
    EXPECT_FALSE(buffer.line(0).hasEscapes); // played rows keep only SGR
}

TEST(LogBuffer, ColoursCarryOverLinesOfOneStream)
{
    LogBuffer buffer;
    buffer.append({record(1, u"\x1b[31merror: starts red"_s, 0),
                   record(2, u"rank 1 is not red"_s, 1),
                   record(3, u"stderr is not red"_s, 0, u"stderr"_s),
                   record(4, u"still red\x1b[0m, then not"_s, 0), record(5, u"plain"_s, 0),
                   record(6, u"\x1b[1mbold\nand bold\rAND"_s, 0)});
    AnsiStyle red;
    red.fg = AnsiColor::indexed(1);
    AnsiStyle bold;
    bold.bold = true;
    EXPECT_EQ(buffer.line(0).styledText(), (AnsiText{u"error: starts red"_s, {{0, 17, red}}}));
    EXPECT_EQ(buffer.line(1).styledText(), (AnsiText{u"rank 1 is not red"_s, {}}));
    EXPECT_EQ(buffer.line(2).styledText(), (AnsiText{u"stderr is not red"_s, {}}));
    EXPECT_EQ(buffer.line(3).styledText(), (AnsiText{u"still red, then not"_s, {{0, 9, red}}}));
    EXPECT_TRUE(buffer.line(3).hasEscapes);
    EXPECT_EQ(buffer.line(4).styledText(), (AnsiText{u"plain"_s, {}}));
    EXPECT_FALSE(buffer.line(4).hasEscapes);
    EXPECT_EQ(buffer.line(5).styledText(), (AnsiText{u"bold"_s, {{0, 4, bold}}}));
    EXPECT_EQ(buffer.line(6).styledText(), (AnsiText{u"AND bold"_s, {{0, 8, bold}}}));
}

TEST(LogBuffer, NonAsciiAndLongLines)
{
    LogBuffer buffer;
    const QString utf = u"größe 😀 ſtep"_s;
    const QString huge = QString(5 * 1024 * 1024, u'x') + u"end"_s;
    buffer.append({record(1, utf), record(2, huge), record(3, u"after"_s)});
    EXPECT_EQ(buffer.line(0).text(), utf);
    EXPECT_FALSE(buffer.line(0).ascii);
    EXPECT_EQ(buffer.line(1).text(), huge);
    EXPECT_EQ(buffer.line(2).text(), u"after"_s);
}

TEST(LogBuffer, SnapshotsStayAsTakenThroughAppendsAndClear)
{
    LogBuffer buffer;
    for (qsizetype i = 0; i < 20000; ++i)
        buffer.appendLine(lineText(i), int(i % 8), LogType::Stdout, i, i + 1);
    const LogSnapshot snapshot = buffer.snapshot();
    for (qsizetype i = 20000; i < 60000; ++i)
        buffer.appendLine(lineText(i), int(i % 8), LogType::Stdout, i, i + 1);
    QSignalSpy cleared(&buffer, &LogBuffer::cleared);
    buffer.clear();
    EXPECT_EQ(cleared.count(), 1);
    EXPECT_EQ(buffer.size(), 0);
    EXPECT_EQ(buffer.lastSeq(), 0);
    buffer.appendLine("new", 0, LogType::Stdout, 0, 1);
    ASSERT_EQ(snapshot.size(), 20000);
    for (qsizetype i = 0; i < snapshot.size(); ++i) {
        const LogLine line = snapshot.line(i);
        ASSERT_EQ(QByteArrayView(line.raw.data(), line.raw.size()), lineText(i)) << i;
        ASSERT_EQ(line.seq, i + 1);
        ASSERT_EQ(snapshot.rank(i), int(i % 8));
    }
    EXPECT_EQ(buffer.line(0).text(), u"new"_s);
}

// A worker reads snapshots while the owning thread appends: every line it
// sees is complete and right (run under TSan to see the absence of races).
TEST(LogBuffer, WorkerReadsSnapshotsWhileLinesArrive)
{
    LogBuffer buffer;
    constexpr qsizetype kLines = 200000;
    std::atomic<bool> failed = false;
    std::atomic<qsizetype> checked = 0;
    std::vector<std::thread> workers;
    for (qsizetype i = 0; i < kLines; ++i) {
        buffer.appendLine(lineText(i), int(i % 8), LogType::Stderr, i, i + 1);
        if (i % 25000 == 24999) {
            workers.emplace_back([snapshot = buffer.snapshot(), &failed, &checked] {
                for (qsizetype j = 0; j < snapshot.size(); ++j) {
                    const LogLine line = snapshot.line(j);
                    if (QByteArrayView(line.raw.data(), line.raw.size()) != lineText(j) ||
                        line.seq != j + 1 || line.type != LogType::Stderr)
                        failed = true;
                }
                checked += snapshot.size();
            });
        }
    }
    for (std::thread &worker : workers)
        worker.join();
    EXPECT_FALSE(failed);
    EXPECT_EQ(checked, 25000 * (1 + 2 + 3 + 4 + 5 + 6 + 7 + 8));
}

TEST(LogBuffer, OverheadIsUnder64BytesALine)
{
    LogBuffer buffer;
    constexpr qsizetype kLines = 300000;
    QList<api::LogRecord> batch;
    for (qsizetype i = 0; i < kLines; ++i) {
        batch << record(i + 1, QString::fromLatin1(lineText(i)), int(i % 8));
        if (batch.size() == 1000) {
            buffer.append(batch);
            batch.clear();
        }
    }
    ASSERT_EQ(buffer.size(), kLines);
    const double perLine = double(buffer.overheadBytes()) / double(kLines);
    EXPECT_LE(perLine, 64.0);
    EXPECT_GE(perLine, 32.0); // the metadata alone
    qint64 text = 0;
    for (qsizetype i = 0; i < kLines; ++i)
        text += lineText(i).size();
    EXPECT_EQ(buffer.textBytes(), text);
}
