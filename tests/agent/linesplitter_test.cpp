// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <gtest/gtest.h>

#include <QByteArray>
#include <QList>

#include "agent/linesplitter.h"
#include "tests/agent/agenttestutil.h"

using pf::agent::LineSplitter;

namespace {

// Feeds `chunks` one after the other, then finishes; returns the records.
QList<QByteArray> split(const QList<QByteArray> &chunks, qsizetype max = 64 * 1024)
{
    LineSplitter splitter(max);
    QList<QByteArray> out;
    auto sink = [&out](QByteArrayView line) { out.append(line.toByteArray()); };
    for (const QByteArray &c : chunks)
        splitter.feed(c, sink);
    splitter.finish(sink);
    return out;
}

// Every way of cutting `text` into two chunks gives the same records.
void expectSameAtEveryCut(const QByteArray &text, const QList<QByteArray> &expected,
                          qsizetype max = 64 * 1024)
{
    EXPECT_EQ(split({text}, max), expected) << "whole";
    for (qsizetype i = 0; i <= text.size(); ++i)
        EXPECT_EQ(split({text.left(i), text.mid(i)}, max), expected) << "cut at " << i;
    QList<QByteArray> bytes;
    for (char c : text)
        bytes.append(QByteArray(1, c));
    EXPECT_EQ(split(bytes, max), expected) << "byte by byte";
}

} // namespace

TEST(LineSplitter, Newlines)
{
    expectSameAtEveryCut("one\ntwo\nthree\n", {"one", "two", "three"});
}

TEST(LineSplitter, EmptyLinesAreKept)
{
    expectSameAtEveryCut("a\n\n\nb\n", {"a", "", "", "b"});
}

TEST(LineSplitter, UnterminatedLastLineComesAtFinish)
{
    expectSameAtEveryCut("a\nlast", {"a", "last"});
    LineSplitter s;
    QList<QByteArray> out;
    s.feed("partial", [&](QByteArrayView l) { out.append(l.toByteArray()); });
    EXPECT_TRUE(out.isEmpty());
    EXPECT_EQ(s.pendingBytes(), 7);
}

TEST(LineSplitter, LoneCarriageReturnEndsARecordAndStaysInIt)
{
    // The '\r' says the line is about to be redrawn.
    expectSameAtEveryCut("10%\r20%\r30%\n", {"10%\r", "20%\r", "30%"});
    // Also at the end of the stream, where no '\n' can follow any more.
    expectSameAtEveryCut("a\nbar 50%\r", {"a", "bar 50%\r"});
    expectSameAtEveryCut("x\ry", {"x\r", "y"});
}

TEST(LineSplitter, CrLfIsOneEnd)
{
    expectSameAtEveryCut("a\r\nb\r\n", {"a", "b"});
    expectSameAtEveryCut("a\r\n\r\nb\r\n", {"a", "", "b"});
    // A lone '\r', then "\r\n" after nothing: an empty line (which ends the
    // redrawn one for a reader that replays '\r').
    expectSameAtEveryCut("a\r\r\nb\n", {"a\r", "", "b"});
}

TEST(LineSplitter, LoneCarriageReturnAfterNothingIsNoRecord)
{
    // tqdm: every redraw starts with '\r'.
    expectSameAtEveryCut("\r  0%|  |\r 50%|# |\r100%|##|\n",
                         {"  0%|  |\r", " 50%|# |\r", "100%|##|"});
    expectSameAtEveryCut("a\n\r\rb\n", {"a", "b"});
    expectSameAtEveryCut("\r", {});
}

TEST(LineSplitter, CarriageReturnAtAChunkEndWaitsForTheNextChunk)
{
    LineSplitter s;
    QList<QByteArray> out;
    auto sink = [&](QByteArrayView l) { out.append(l.toByteArray()); };
    s.feed("a\nbar 10%\r", sink);
    EXPECT_EQ(out, QList<QByteArray>{"a"});
    EXPECT_TRUE(s.holdsCarriageReturn());
    s.feed("bar 20%\r", sink);
    EXPECT_EQ(out, (QList<QByteArray>{"a", "bar 10%\r"}));
    s.feed("\ndone\n", sink);
    EXPECT_EQ(out, (QList<QByteArray>{"a", "bar 10%\r", "bar 20%", "done"}));
    EXPECT_FALSE(s.holdsCarriageReturn());
}

TEST(LineSplitter, ReleasedCarriageReturn)
{
    LineSplitter s;
    QList<QByteArray> out;
    auto sink = [&](QByteArrayView l) { out.append(l.toByteArray()); };
    // Idle after a redraw: the line goes out as redrawn.
    s.feed("bar 10%\r", sink);
    s.releaseCarriageReturn(sink);
    EXPECT_EQ(out, QList<QByteArray>{"bar 10%\r"});
    EXPECT_FALSE(s.holdsCarriageReturn());
    s.releaseCarriageReturn(sink); // nothing held: nothing
    EXPECT_EQ(out.size(), 1);
    // The '\n' of a "\r\n" that comes after the release ends an empty record.
    s.feed("\nnext\n", sink);
    EXPECT_EQ(out, (QList<QByteArray>{"bar 10%\r", "", "next"}));
    // A redraw goes on as usual.
    out.clear();
    s.feed("bar 20%\r", sink);
    s.releaseCarriageReturn(sink);
    s.feed("bar 30%\r", sink);
    s.finish(sink);
    EXPECT_EQ(out, (QList<QByteArray>{"bar 20%\r", "bar 30%\r"}));
    // Nothing before the '\r': nothing to release.
    out.clear();
    s.feed("\r", sink);
    EXPECT_FALSE(s.holdsCarriageReturn());
    s.releaseCarriageReturn(sink);
    s.feed("x\n", sink);
    EXPECT_EQ(out, QList<QByteArray>{"x"});
}

TEST(LineSplitter, LongLinesAreCut)
{
    const QByteArray line(10, 'x');
    expectSameAtEveryCut(line + "\n", {QByteArray(4, 'x'), QByteArray(4, 'x'), QByteArray(2, 'x')},
                         4);
    // Exactly the limit: one record.
    expectSameAtEveryCut(QByteArray(8, 'y') + "\nz\n",
                         {QByteArray(4, 'y'), QByteArray(4, 'y'), "z"}, 4);
    expectSameAtEveryCut("abcd\n", {"abcd"}, 4);
    // A kept '\r' comes on top of the limit.
    expectSameAtEveryCut(line + "\r", {QByteArray(4, 'x'), QByteArray(4, 'x'), "xx\r"}, 4);
    expectSameAtEveryCut("abcd\rz\n", {"abcd\r", "z"}, 4);
}

TEST(LineSplitter, LongLineWithoutEndIsCutAsItGrows)
{
    LineSplitter s(64 * 1024);
    QList<QByteArray> out;
    auto sink = [&](QByteArrayView l) { out.append(l.toByteArray()); };
    const QByteArray chunk(100 * 1024, 'a');
    for (int i = 0; i < 10; ++i)
        s.feed(chunk, sink);
    // 1000 KiB: 15 full records so far, the rest held back (at most 64 KiB).
    EXPECT_EQ(out.size(), 15);
    EXPECT_LE(s.pendingBytes(), 64 * 1024);
    s.finish(sink);
    qsizetype total = 0;
    for (const QByteArray &r : out) {
        EXPECT_LE(r.size(), 64 * 1024);
        total += r.size();
    }
    EXPECT_EQ(total, 1000 * 1024);
}

TEST(LineSplitter, CutsKeepUtf8CharactersWhole)
{
    // "é" is two bytes; a cut after 5 bytes would split the third one.
    const QByteArray text = QByteArray("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9") + "\n";
    expectSameAtEveryCut(text, {"\xC3\xA9\xC3\xA9", "\xC3\xA9\xC3\xA9"}, 5);
    // A four-byte character (U+1F600) with a limit of 6.
    const QByteArray emoji = "ab\xF0\x9F\x98\x80\xF0\x9F\x98\x80\n";
    expectSameAtEveryCut(emoji, {"ab\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80"}, 6);
}

TEST(LineSplitter, InvalidUtf8PassesThrough)
{
    // Replacement is the encoder's job; the splitter keeps every byte.
    expectSameAtEveryCut("a\xFF\xFE"
                         "b\n\x80\n",
                         {"a\xFF\xFE"
                          "b",
                          "\x80"});
    // Continuation bytes only: a cut at the limit anyway.
    expectSameAtEveryCut("\x80\x80\x80\x80\x80\x80\n", {"\x80\x80\x80\x80", "\x80\x80"}, 4);
}

TEST(LineSplitter, CutPosition)
{
    EXPECT_EQ(LineSplitter::cutPosition("abcdef", 6, 4), 4);
    EXPECT_EQ(LineSplitter::cutPosition("abc\xC3\xA9z", 6, 4), 3);
    EXPECT_EQ(LineSplitter::cutPosition("abcd", 4, 4), 4);
}

// tqdm writes "\r" and then the bar, the next '\r' only with its next
// redraw: when the stream pauses, the bar written so far is shown (as a
// redraw), and the redraw's end passes nothing more.
TEST(LineSplitter, UnfinishedLineIsShownWhenIdle)
{
    LineSplitter s;
    QList<QByteArray> out;
    auto sink = [&](QByteArrayView l) { out.append(l.toByteArray()); };
    s.feed("\r 40%|####", sink);
    EXPECT_TRUE(out.isEmpty());
    EXPECT_TRUE(s.holdsUnfinishedLine());
    s.showUnfinishedLine(sink);
    EXPECT_EQ(out, QList<QByteArray>{" 40%|####\r"});
    // Shown as it is: nothing more to show, and its lone '\r' passes nothing.
    EXPECT_FALSE(s.holdsUnfinishedLine());
    s.showUnfinishedLine(sink);
    s.feed("\r 50%|#####", sink);
    EXPECT_EQ(out, QList<QByteArray>{" 40%|####\r"});
    // More of a shown line: the record that ends it holds it whole.
    s.showUnfinishedLine(sink);
    s.feed("| 5/10", sink);
    EXPECT_TRUE(s.holdsUnfinishedLine());
    s.feed("\n", sink);
    EXPECT_EQ(out, (QList<QByteArray>{" 40%|####\r", " 50%|#####\r", " 50%|#####| 5/10"}));
    EXPECT_FALSE(s.holdsUnfinishedLine());
    // A shown line ended by a '\r' at a chunk's end, then released or ended
    // by the next chunk, passes nothing more; "\r\n" still ends it as a line.
    out.clear();
    s.feed("a", sink);
    s.showUnfinishedLine(sink);
    s.feed("\r", sink);
    EXPECT_FALSE(s.holdsUnfinishedLine());
    s.releaseCarriageReturn(sink);
    s.feed("b", sink);
    s.showUnfinishedLine(sink);
    s.feed("\r", sink);
    s.feed("c", sink);
    s.showUnfinishedLine(sink);
    s.feed("\r\n", sink);
    EXPECT_EQ(out, (QList<QByteArray>{"a\r", "b\r", "c\r", "c"}));
    // The next line of the same length is new: shown again.
    out.clear();
    s.feed("d", sink);
    EXPECT_TRUE(s.holdsUnfinishedLine());
    s.showUnfinishedLine(sink);
    s.finish(sink);
    EXPECT_EQ(out, (QList<QByteArray>{"d\r", "d"}));
}

// A long line being written is not shown as it grows (each showing would be
// stored); it comes when it ends, as before.
TEST(LineSplitter, LongUnfinishedLineIsNotShown)
{
    LineSplitter s;
    QList<QByteArray> out;
    auto sink = [&](QByteArrayView l) { out.append(l.toByteArray()); };
    const QByteArray line(LineSplitter::kMaxShownUnfinished + 1, 'x');
    s.feed(line.left(LineSplitter::kMaxShownUnfinished), sink);
    EXPECT_TRUE(s.holdsUnfinishedLine());
    s.feed("x", sink);
    EXPECT_FALSE(s.holdsUnfinishedLine());
    s.showUnfinishedLine(sink);
    EXPECT_TRUE(out.isEmpty());
    s.feed("\n", sink);
    EXPECT_EQ(out, QList<QByteArray>{line});
}
