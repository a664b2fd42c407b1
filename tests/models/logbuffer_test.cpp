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

// The records pf-agent makes of a program's output (agent/linesplitter.h):
// cut at '\n', "\r\n" and a lone '\r', which stays in its record; an empty
// piece ended by a lone '\r' is none. Numbered from `seq` on.
QList<api::LogRecord> agentRecords(const QString &output, qint64 seq, int rank = 0,
                                   const QString &type = u"stdout"_s)
{
    QList<api::LogRecord> out;
    QString line;
    for (qsizetype i = 0; i < output.size(); ++i) {
        const QChar c = output.at(i);
        if (c == u'\n' || (c == u'\r' && i + 1 < output.size() && output.at(i + 1) == u'\n')) {
            i += c == u'\r';
            out << record(seq++, line, rank, type);
            line.clear();
        } else if (c == u'\r') {
            if (!line.isEmpty())
                out << record(seq++, line + u'\r', rank, type);
            line.clear();
        } else {
            line += c;
        }
    }
    if (!line.isEmpty())
        out << record(seq++, line, rank, type);
    return out;
}

// What the test job of tests/ui/logpanel_test.cpp prints: a tqdm-like bar
// redrawn ten times, then " 50/50" and the end of the line.
QString epochBar()
{
    QString out;
    for (int i = 1; i <= 10; ++i)
        out += u"\rEpoch 1: %1%|%2|"_s.arg(i * 10, 3).arg(QString(i, u'#'), -10);
    return out + u" 50/50\n"_s;
}

QStringList pendingTexts(const LogBuffer &buffer)
{
    QStringList out;
    for (const PendingLine &p : buffer.pendingLines())
        out << p.text();
    return out;
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
         record(2, u"  0%|          | 0/3\r 33%|███▎      | 1/3\r100%|██████████| 3/3\r\n"_s),
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

TEST(LogBuffer, ARedrawnBarIsOneLine)
{
    LogBuffer buffer;
    QSignalSpy appended(&buffer, &LogBuffer::linesAppended);
    QSignalSpy pending(&buffer, &LogBuffer::pendingChanged);
    const QList<api::LogRecord> records = agentRecords(epochBar(), 1);
    ASSERT_EQ(records.size(), 10); // nine redraws ended by '\r', then the last state
    EXPECT_EQ(records.first().content, u"Epoch 1:  10%|#         |\r"_s);
    EXPECT_EQ(records.last().content, u"Epoch 1: 100%|##########| 50/50"_s);

    // Redraws: no line, a pending one that follows them.
    for (qsizetype i = 0; i < 9; ++i) {
        EXPECT_EQ(buffer.append(records.at(i)), 0);
        const QList<PendingLine> lines = buffer.pendingLines();
        ASSERT_EQ(lines.size(), 1);
        EXPECT_EQ(lines.first().text(), records.at(i).content.chopped(1));
        EXPECT_EQ(lines.first().seq, i + 1);
        EXPECT_EQ(lines.first().rank, 0);
        EXPECT_EQ(lines.first().type, LogType::Stdout);
    }
    EXPECT_EQ(buffer.size(), 0);
    EXPECT_EQ(appended.count(), 0);
    EXPECT_EQ(pending.count(), 9);
    EXPECT_TRUE(buffer.hasPendingLines());

    // The end of the line: one line, the bar's last state.
    EXPECT_EQ(buffer.append(records.last()), 1);
    EXPECT_EQ(texts(buffer), QStringList{u"Epoch 1: 100%|##########| 50/50"_s});
    EXPECT_EQ(buffer.line(0).seq, 10);
    EXPECT_FALSE(buffer.hasPendingLines());
    EXPECT_TRUE(buffer.pendingLines().isEmpty());
    EXPECT_EQ(appended.count(), 1);
    EXPECT_EQ(pending.count(), 10);
    EXPECT_EQ(buffer.lastSeq(), 10);
}

TEST(LogBuffer, RedrawsOverwriteAsOnATerminal)
{
    LogBuffer buffer;
    // A shorter redraw leaves the tail of the longer one; so does the line
    // that ends it, which starts at column 0 too.
    buffer.append({record(1, u"downloading 100%\r"_s), record(2, u"done\r"_s)});
    EXPECT_EQ(pendingTexts(buffer), QStringList{u"doneloading 100%"_s});
    buffer.append(record(3, u"ok"_s));
    EXPECT_EQ(texts(buffer), QStringList{u"okneloading 100%"_s});
    // Erasing the row, as rich and tqdm's ascii mode do, leaves just the end.
    buffer.append({record(4, u"epoch 2: 50%\r"_s), record(5, u"\x1b[2Kepoch 2 done"_s)});
    EXPECT_EQ(texts(buffer).last(), u"epoch 2 done"_s);
    // A record of several lines: the first ends the pending line, the last
    // starts the next; those between are lines.
    buffer.append({record(6, u"step 1\r"_s), record(7, u"step 2\nloss 0.5\nstep 3\r"_s)});
    EXPECT_EQ(texts(buffer).mid(2), (QStringList{u"step 2"_s, u"loss 0.5"_s}));
    EXPECT_EQ(pendingTexts(buffer), QStringList{u"step 3"_s});
    // An empty record (an empty line) ends it as it is; "\r\n" is no redraw.
    buffer.append({record(8, QString()), record(9, u"x 10%\r\n"_s)});
    EXPECT_EQ(texts(buffer).mid(4), (QStringList{u"step 3"_s, u"x 10%"_s}));
    EXPECT_FALSE(buffer.hasPendingLines());
}

TEST(LogBuffer, RedrawsKeepTheirColours)
{
    LogBuffer buffer;
    AnsiStyle green;
    green.fg = AnsiColor::indexed(2);
    AnsiStyle red;
    red.fg = AnsiColor::indexed(1);
    buffer.append(
        {record(1, u"\x1b[32mtrain\x1b[0m  10%\r"_s), record(2, u"\x1b[32mtrain\x1b[0m  20%\r"_s)});
    ASSERT_EQ(buffer.pendingLines().size(), 1);
    EXPECT_EQ(buffer.pendingLines().first().styledText(),
              (AnsiText{u"train  20%"_s, {{0, 5, green}}}));
    EXPECT_TRUE(buffer.pendingLines().first().line().hasEscapes);
    // The pen at the end of a redraw carries on into the line that ends it
    // and past it.
    buffer.append({record(3, u"\x1b[31mtrain 100%\r"_s), record(4, u"train done"_s),
                   record(5, u"still red\x1b[0m"_s)});
    EXPECT_EQ(buffer.line(0).styledText(), (AnsiText{u"train done"_s, {{0, 10, red}}}));
    EXPECT_EQ(buffer.line(1).styledText(), (AnsiText{u"still red"_s, {{0, 9, red}}}));
}

TEST(LogBuffer, OtherStreamsKeepTheirOrderAroundARedrawnBar)
{
    LogBuffer buffer;
    QList<api::LogRecord> bar = agentRecords(epochBar(), 0);
    QList<api::LogRecord> records;
    qint64 seq = 0;
    // Rank 0's bar, with rank 1's stdout, rank 0's stderr and the
    // platform's lines between its redraws.
    for (qsizetype i = 0; i < bar.size(); ++i) {
        api::LogRecord r = bar.at(i);
        r.seq = ++seq;
        records << r;
        if (i % 3 == 0)
            records << record(++seq, u"rank 1 line %1"_s.arg(i), 1);
        if (i % 4 == 1)
            records << record(++seq, u"warning %1"_s.arg(i), 0, u"stderr"_s);
        if (i == 5)
            records << record(++seq, u"platform"_s, kPlatformRank, u"vmlog"_s);
    }
    records << record(++seq, u"rank 1 after"_s, 1);
    buffer.append(records);
    EXPECT_EQ(texts(buffer),
              (QStringList{u"rank 1 line 0"_s, u"warning 1"_s, u"rank 1 line 3"_s, u"warning 5"_s,
                           u"platform"_s, u"rank 1 line 6"_s, u"Epoch 1: 100%|##########| 50/50"_s,
                           u"rank 1 line 9"_s, u"warning 9"_s, u"rank 1 after"_s}));
    // The bar's line is where its last record came, with that record's seq.
    qint64 barEnd = 0;
    for (const api::LogRecord &r : std::as_const(records))
        if (r.content == bar.last().content)
            barEnd = r.seq;
    const LogLine barLine = buffer.line(6);
    EXPECT_EQ(barLine.rank, 0);
    EXPECT_EQ(barLine.type, LogType::Stdout);
    EXPECT_EQ(barLine.seq, barEnd);
    EXPECT_FALSE(buffer.hasPendingLines());
}

TEST(LogBuffer, BarsOfSeveralStreamsArePendingAtOnce)
{
    LogBuffer buffer;
    buffer.append({record(1, u"rank 1 10%\r"_s, 1), record(2, u"rank 0 10%\r"_s, 0),
                   record(3, u"rank 0 err 10%\r"_s, 0, u"stderr"_s), record(4, u"line"_s, 0),
                   record(5, u"rank 1 20%\r"_s, 1)});
    // Rank 0's stdout bar was ended by "line" (a line of its stream).
    EXPECT_EQ(texts(buffer), QStringList{u"line 0 10%"_s});
    const QList<PendingLine> lines = buffer.pendingLines();
    ASSERT_EQ(lines.size(), 2);
    EXPECT_EQ(lines.at(0).rank, 0);
    EXPECT_EQ(lines.at(0).type, LogType::Stderr);
    EXPECT_EQ(lines.at(0).text(), u"rank 0 err 10%"_s);
    EXPECT_EQ(lines.at(0).seq, 3);
    EXPECT_EQ(lines.at(1).rank, 1);
    EXPECT_EQ(lines.at(1).text(), u"rank 1 20%"_s);
    EXPECT_EQ(lines.at(1).seq, 5);
    EXPECT_EQ(lines.at(1).timeMs, 1795329900123);
}

TEST(LogBuffer, APendingLineStaysPendingUntilFlushed)
{
    LogBuffer buffer;
    buffer.append({record(1, u"start"_s), record(2, u"eval  40%\r"_s),
                   record(3, u"eval  80%\r"_s, 0, u"stdout"_s, 2000),
                   record(4, u"other rank 50%\r"_s, 2)});
    EXPECT_EQ(texts(buffer), QStringList{u"start"_s});
    EXPECT_EQ(pendingTexts(buffer), (QStringList{u"eval  80%"_s, u"other rank 50%"_s}));
    QSignalSpy appended(&buffer, &LogBuffer::linesAppended);
    QSignalSpy pending(&buffer, &LogBuffer::pendingChanged);
    // The job ended with them: they become lines, in seq order.
    EXPECT_EQ(buffer.flushPending(), 2);
    EXPECT_EQ(texts(buffer), (QStringList{u"start"_s, u"eval  80%"_s, u"other rank 50%"_s}));
    EXPECT_EQ(buffer.line(1).seq, 3);
    EXPECT_EQ(buffer.line(1).timeMs, 2000);
    EXPECT_EQ(buffer.line(2).rank, 2);
    EXPECT_FALSE(buffer.hasPendingLines());
    EXPECT_EQ(appended.count(), 1);
    EXPECT_EQ(pending.count(), 1);
    EXPECT_EQ(buffer.flushPending(), 0);
    EXPECT_EQ(pending.count(), 1);

    // clear() drops pending lines too.
    buffer.append(record(5, u"again 10%\r"_s));
    EXPECT_TRUE(buffer.hasPendingLines());
    buffer.clear();
    EXPECT_FALSE(buffer.hasPendingLines());
    EXPECT_EQ(pending.count(), 3);
    buffer.append(record(1, u"fresh"_s));
    EXPECT_EQ(texts(buffer), QStringList{u"fresh"_s});
}

TEST(LogBuffer, DuplicateRedrawsAreDropped)
{
    LogBuffer buffer;
    buffer.append({record(1, u"long line 1\r"_s), record(2, u"x\r"_s)});
    EXPECT_EQ(pendingTexts(buffer), QStringList{u"xong line 1"_s});
    // A reconnect replays 1 and 2: applying 1 again would show "long line 1".
    buffer.append({record(1, u"long line 1\r"_s), record(2, u"x\r"_s), record(3, u"y"_s)});
    EXPECT_EQ(buffer.droppedDuplicates(), 2);
    EXPECT_EQ(texts(buffer), QStringList{u"yong line 1"_s});
}

// The studio reads text_log (pages, oldest first once reversed), then the
// websocket from the highest seq, replaying some records after reconnects:
// however the records are cut, the lines and pending lines are the same.
TEST(LogBuffer, HistoryAndLiveGiveTheSameLines)
{
    QList<api::LogRecord> records;
    qint64 seq = 0;
    const auto add = [&](const QList<api::LogRecord> &more) {
        for (api::LogRecord r : more) {
            r.seq = ++seq;
            r.timestamp = QDateTime::fromMSecsSinceEpoch(1795329900000 + seq, Qt::UTC);
            records << r;
        }
    };
    for (int epoch = 1; epoch <= 3; ++epoch) {
        add(agentRecords(u"\x1b[1mepoch %1\x1b[0m\n"_s.arg(epoch), 0));
        QString bar = epochBar();
        bar.replace(u"Epoch 1"_s, u"Epoch %1"_s.arg(epoch));
        const QList<api::LogRecord> rank0 = agentRecords(bar, 0);
        const QList<api::LogRecord> rank1 = agentRecords(bar, 0, 1);
        for (qsizetype i = 0; i < rank0.size(); ++i) {
            add({rank0.at(i), rank1.at(i)});
            if (i % 4 == 0)
                add(agentRecords(u"\x1b[33mwarn %1\n"_s.arg(i), 0, 0, u"stderr"_s));
        }
    }
    add(agentRecords(u"\rvalidating  30%\rvalidating  60%\r"_s, 0));
    add(agentRecords(u"tokens 12%\r"_s, 0, 1));

    LogBuffer whole;
    whole.append(records);
    EXPECT_EQ(whole.size(), 3 * (1 + 2 + 3)); // headers, two bars, warnings
    EXPECT_EQ(pendingTexts(whole), (QStringList{u"validating  60%"_s, u"tokens 12%"_s}));

    const auto lines = [](const LogBuffer &b) {
        QList<std::tuple<qint64, int, int, QString>> out;
        for (qsizetype i = 0; i < b.size(); ++i) {
            const LogLine l = b.line(i);
            out.append({l.seq, l.rank, int(l.type), QString::fromUtf8(l.raw.data(), l.raw.size())});
        }
        return out;
    };
    for (int pageSize : {1, 2, 3, 7, 100}) {
        LogBuffer live;
        for (qsizetype from = 0; from < records.size(); from += pageSize) {
            // Each page, and again the last two records before it (a replay).
            live.append(records.mid(std::max<qsizetype>(0, from - 2), pageSize + 2));
        }
        EXPECT_EQ(lines(live), lines(whole)) << pageSize;
        EXPECT_EQ(live.pendingLines(), whole.pendingLines()) << pageSize;
    }
}
