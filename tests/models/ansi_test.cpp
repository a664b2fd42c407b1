// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <ostream>
#include <random>

#include <gtest/gtest.h>

#include "models/ansi.h"

using namespace Qt::StringLiterals;
using namespace pf::models;

namespace pf::models {

// Readable failures.
void PrintTo(const AnsiStyle &s, std::ostream *os)
{
    *os << QString::fromLatin1(sgrSequence(s).mid(1)).toStdString();
}

void PrintTo(const AnsiRun &run, std::ostream *os)
{
    *os << '{' << run.start << ", " << run.length << ", ";
    PrintTo(run.style, os);
    *os << '}';
}

void PrintTo(const AnsiText &t, std::ostream *os)
{
    *os << '"' << t.text.toStdString() << "\" [";
    for (const AnsiRun &run : t.runs)
        PrintTo(run, os);
    *os << ']';
}

} // namespace pf::models

namespace {

AnsiStyle fg(int index)
{
    AnsiStyle s;
    s.fg = AnsiColor::indexed(index);
    return s;
}

QByteArray play(QByteArrayView line)
{
    AnsiStyle pen;
    return playTerminalLine(QUtf8StringView(line.data(), line.size()), pen);
}

// playTerminalLine()'s row as the view gets it.
AnsiText playParsed(QByteArrayView line)
{
    const QByteArray row = play(line);
    return parseAnsi(QUtf8StringView(row));
}

} // namespace

TEST(Ansi, PlainTextHasNoRuns)
{
    EXPECT_EQ(parseAnsi("step 1 loss 2.5\twith a tab"),
              (AnsiText{u"step 1 loss 2.5\twith a tab"_s, {}}));
    EXPECT_EQ(parseAnsi(""), AnsiText());
}

TEST(Ansi, BasicColoursAndReset)
{
    const AnsiText t = parseAnsi("\x1b[31mred\x1b[0m plain");
    EXPECT_EQ(t.text, u"red plain"_s);
    ASSERT_EQ(t.runs.size(), 1);
    EXPECT_EQ(t.runs[0], (AnsiRun{0, 3, fg(1)}));
}

TEST(Ansi, AttributesBrightColoursAndTheirResets)
{
    const AnsiText t = parseAnsi("a\x1b[1;4;92;44mb\x1b[22mc\x1b[39;49;24md");
    EXPECT_EQ(t.text, u"abcd"_s);
    AnsiStyle b = fg(10);
    b.bg = AnsiColor::indexed(4);
    b.bold = true;
    b.underline = true;
    AnsiStyle c = b;
    c.bold = false;
    EXPECT_EQ(t.runs, (QList<AnsiRun>{{1, 1, b}, {2, 1, c}}));

    const AnsiText u = parseAnsi("\x1b[2;3;7;9mA\x1b[23;27;29mB\x1b[0mC\x1b[1;2mD\x1b[22mE");
    EXPECT_EQ(u.text, u"ABCDE"_s);
    AnsiStyle a;
    a.dim = a.italic = a.inverse = a.strikeout = true;
    AnsiStyle dim;
    dim.dim = true;
    AnsiStyle boldDim = dim;
    boldDim.bold = true;
    EXPECT_EQ(u.runs, (QList<AnsiRun>{{0, 1, a}, {1, 1, dim}, {3, 1, boldDim}}));

    const AnsiText bright = parseAnsi("\x1b[97;101mx\x1b[21my");
    AnsiStyle x = fg(15);
    x.bg = AnsiColor::indexed(9);
    AnsiStyle y = x;
    y.underline = true;
    EXPECT_EQ(bright.runs, (QList<AnsiRun>{{0, 1, x}, {1, 1, y}}));
}

TEST(Ansi, ExtendedColoursInBothForms)
{
    const AnsiText t = parseAnsi(
        "\x1b[38;5;208mx\x1b[48;2;10;20;30my\x1b[38:2::1:2:3mz\x1b[38:5:17mw\x1b[38:2:4:5:6mv");
    EXPECT_EQ(t.text, u"xyzwv"_s);
    const AnsiColor bg = AnsiColor::fromRgb(10, 20, 30);
    AnsiStyle x = fg(208);
    AnsiStyle y = x;
    y.bg = bg;
    AnsiStyle z;
    z.fg = AnsiColor::fromRgb(1, 2, 3);
    z.bg = bg;
    AnsiStyle w = fg(17);
    w.bg = bg;
    AnsiStyle v;
    v.fg = AnsiColor::fromRgb(4, 5, 6);
    v.bg = bg;
    EXPECT_EQ(t.runs, (QList<AnsiRun>{{0, 1, x}, {1, 1, y}, {2, 1, z}, {3, 1, w}, {4, 1, v}}));
    EXPECT_EQ(x.fg.kind, AnsiColor::Kind::Indexed);
    EXPECT_EQ(z.fg.rgb, qRgb(1, 2, 3));
}

TEST(Ansi, UnderlineSubParametersAndMalformedColour)
{
    AnsiStyle underline;
    underline.underline = true;
    EXPECT_EQ(parseAnsi("\x1b[4:0mx\x1b[4:3my").runs, (QList<AnsiRun>{{1, 1, underline}}));
    // "38;5" lacks its index: the rest of the sequence is not trusted.
    EXPECT_EQ(parseAnsi("\x1b[38;5mx\x1b[38;5;1my"), (AnsiText{u"xy"_s, {{1, 1, fg(1)}}}));
    // 58 (underline colour) takes its arguments with it.
    EXPECT_EQ(parseAnsi("\x1b[58;5;196;1mx").runs, (QList<AnsiRun>{{0, 1, [] {
                                                                        AnsiStyle s;
                                                                        s.bold = true;
                                                                        return s;
                                                                    }()}}));
}

TEST(Ansi, AdjacentEqualRunsMerge)
{
    AnsiStyle bold;
    bold.bold = true;
    EXPECT_EQ(parseAnsi("\x1b[1ma\x1b[1mb\x1b[0m\x1b[0mc"), (AnsiText{u"abc"_s, {{0, 2, bold}}}));
    // A style change with no text in between leaves no empty run.
    EXPECT_EQ(parseAnsi("\x1b[31m\x1b[32mg"), (AnsiText{u"g"_s, {{0, 1, fg(2)}}}));
}

TEST(Ansi, OtherSequencesAndControlsAreDropped)
{
    const char *line = "\x1b[2J\x1b[Hstart\x1b[?25l \x1b]0;title\x07mid "
                       "\x1b]8;;https://x.org\x1b\\link\x1b]8;;\x1b\\ \x1b(Bend\a\x1b[3";
    EXPECT_EQ(parseAnsi(line), (AnsiText{u"start mid link end"_s, {}}));
    EXPECT_EQ(parseAnsi("a\x1b\tb\x1b"), (AnsiText{u"a\tb"_s, {}})); // ESC cancelled
    EXPECT_EQ(parseAnsi("x\x1b[>4;2my\x1b[0 qz"),
              (AnsiText{u"xyz"_s, {}})); // private, intermediate
    EXPECT_EQ(parseAnsi("k\x1b"
                        "7l\x1bMm\x7f\x01n"),
              (AnsiText{u"klmn"_s, {}}));
    EXPECT_EQ(parseAnsi("\x1bPq#0;2;0;0;0\x1b\\done\x1b]unterminated"), (AnsiText{u"done"_s, {}}));
    QString plain;
    appendAnsiPlainText(line, plain);
    EXPECT_EQ(plain, u"start mid link end"_s);
    QByteArray bytes;
    appendAnsiPlainUtf8(line, bytes);
    EXPECT_EQ(bytes, "start mid link end");
    EXPECT_TRUE(hasAnsiControls("a\x01"));
    EXPECT_FALSE(hasAnsiControls("a\tb é"));
}

TEST(Ansi, PositionsAreUtf16)
{
    const AnsiText t = parseAnsi("é\x1b[31m😀x\x1b[0mü");
    EXPECT_EQ(t.text, u"é😀xü"_s);
    EXPECT_EQ(t.runs, (QList<AnsiRun>{{1, 3, fg(1)}}));
}

TEST(Ansi, SgrSequenceRoundTrips)
{
    EXPECT_EQ(sgrSequence(AnsiStyle()), "\x1b[0m");
    EXPECT_EQ(sgrSequence(fg(1)), "\x1b[0;31m");
    std::mt19937 random(7);
    const auto color = [&] {
        switch (random() % 3) {
        case 0:
            return AnsiColor();
        case 1:
            return AnsiColor::indexed(int(random() % 256));
        default:
            return AnsiColor::fromRgb(int(random() % 256), int(random() % 256),
                                      int(random() % 256));
        }
    };
    for (int i = 0; i < 500; ++i) {
        AnsiStyle s;
        s.fg = color();
        s.bg = color();
        s.bold = random() % 2;
        s.dim = random() % 2;
        s.italic = random() % 2;
        s.underline = random() % 2;
        s.inverse = random() % 2;
        s.strikeout = random() % 2;
        AnsiStyle parsed = fg(3); // any pen: the sequence resets first
        const QByteArray sequence = sgrSequence(s);
        applySgr(QByteArrayView(sequence).sliced(2).chopped(1), parsed);
        EXPECT_EQ(parsed, s) << sequence.toStdString();
    }
}

TEST(Ansi, PaletteAndColours)
{
    EXPECT_FALSE(ansiColor(AnsiColor(), true).isValid());
    EXPECT_NE(ansiPaletteColor(2, true), ansiPaletteColor(2, false));
    EXPECT_EQ(ansiColor(AnsiColor::indexed(2), false), ansiPaletteColor(2, false));
    EXPECT_EQ(ansiPaletteColor(16, true), QColor(0, 0, 0));
    EXPECT_EQ(ansiPaletteColor(196, true), QColor(255, 0, 0));
    EXPECT_EQ(ansiPaletteColor(110, false), QColor(135, 175, 215));
    EXPECT_EQ(ansiPaletteColor(232, true), QColor(8, 8, 8));
    EXPECT_EQ(ansiPaletteColor(255, true), QColor(238, 238, 238));
    EXPECT_EQ(ansiColor(AnsiColor::fromRgb(1, 2, 3), true), QColor(1, 2, 3));
}

TEST(Ansi, CarriageReturnOverwritesCellByCell)
{
    EXPECT_EQ(play("downloading 10%\rdone"), "doneloading 10%");
    EXPECT_EQ(play(" 10%\r 20%\r100%"), "100%");
    EXPECT_EQ(play("abc\r"), "abc");
    EXPECT_EQ(play("\r"), "");
    EXPECT_EQ(play("  0%|          | 0/3 [00:00<?, ?it/s]\r 33%|███▎      | 1/3 "
                   "[00:01<00:02,  1.00s/it]\r100%|██████████| 3/3 [00:03<00:00,  1.00s/it]"),
              QByteArray("100%|██████████| 3/3 [00:03<00:00,  1.00s/it]"));
    // A wide overwrite of non-ASCII cells keeps whole code points.
    EXPECT_EQ(play("ééé\rx"), QByteArray("xéé"));
}

TEST(Ansi, EraseAndCursorMoves)
{
    EXPECT_EQ(play("abcdef\rXY\x1b[K"), "XY");
    EXPECT_EQ(play("abcdef\rXY\x1b[0K"), "XY");
    EXPECT_EQ(play("abc\r\x1b[2K12"), "12");
    EXPECT_EQ(play("abc\x1b[2Kxy"), "   xy"); // the cursor stays where it was
    EXPECT_EQ(play("abcdef\r\x1b[3C\x1b[1K"), "    ef");
    EXPECT_EQ(play("abc\b\bX"), "aXc");
    EXPECT_EQ(play("\b\bab"), "ab");
    EXPECT_EQ(play("12345\x1b[2G\x1b[2P"), "145");
    EXPECT_EQ(play("12345\x1b[2G\x1b[2@"), "1  2345");
    EXPECT_EQ(play("12345\x1b[2G\x1b[2X"), "1  45");
    EXPECT_EQ(play("12345\x1b[3D!"), "12!45");
    EXPECT_EQ(play("ab\x1b[3Cc"), "ab   c");
    EXPECT_EQ(play("a\tb"), "a       b");
    EXPECT_EQ(play("abc\x1b[1A\x1b[Hd\x1b]0;t\x07"), "abcd"); // moves off the row: dropped
    EXPECT_EQ(play("x\x1b[999999C"), "x");                    // a far move writes nothing
}

TEST(Ansi, TerminalRowKeepsStyles)
{
    AnsiStyle red = fg(1);
    EXPECT_EQ(playParsed("\x1b[31mabcdef\x1b[0m\rXY"), (AnsiText{u"XYcdef"_s, {{2, 4, red}}}));
    EXPECT_EQ(playParsed("plain\r\x1b[1;31mST\x1b[0m"), (AnsiText{u"STain"_s, {{0, 2, [&] {
                                                                                    AnsiStyle s =
                                                                                        red;
                                                                                    s.bold = true;
                                                                                    return s;
                                                                                }()}}}));
    // The pen comes in and goes out.
    AnsiStyle pen = red;
    const QByteArray row = playTerminalLine("ab\rA\x1b[32m", pen);
    EXPECT_EQ(parseAnsi(QUtf8StringView(row)), (AnsiText{u"Ab"_s, {{0, 2, red}}}));
    EXPECT_EQ(pen, fg(2));
}

TEST(Ansi, AdvancePenSaysWhenTheRowMustBePlayed)
{
    AnsiStyle pen;
    EXPECT_TRUE(advancePen("\x1b[1mbold\x1b[?25l", pen));
    AnsiStyle bold;
    bold.bold = true;
    EXPECT_EQ(pen, bold);
    EXPECT_FALSE(advancePen("x\ry", pen));
    EXPECT_FALSE(advancePen("x\by", pen));
    EXPECT_FALSE(advancePen("x\x1b[K", pen));
    EXPECT_FALSE(advancePen("x\x1b[5G", pen));
    EXPECT_TRUE(advancePen("x\x1b[2J\x1b[A\x07", pen));
}
