// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QColor>
#include <QList>
#include <QString>
#include <QUtf8StringView>

// ANSI escape sequences in log lines, as a terminal would show them.
//
// A log line is UTF-8 that may hold SGR sequences ("\x1b[1;31m": colours and
// attributes) and other escape sequences (cursor moves, erase, window titles,
// hyperlinks). parseAnsi() turns a line into its visible text plus style runs;
// everything that is not SGR is dropped cleanly, never shown as garbage.
// playTerminalLine() is what LogBuffer uses on a line with '\r', '\b' or
// cursor/erase sequences: it plays them on one terminal row and gives back the
// row as the terminal would finally show it.
//
//   const AnsiText t = parseAnsi(line.raw);
//   for (const AnsiRun &run : t.runs)          // only the styled stretches
//       ... QColor fg = ansiColor(run.style.fg, dark);   // invalid: palette's

namespace pf::models {

// One colour of an SGR sequence. Default leaves the choice to the view (its
// palette's text or base colour); Indexed is one of the 256 xterm colours
// (0-7 normal, 8-15 bright, 16-231 the 6x6x6 cube, 232-255 greys); Rgb is a
// 24-bit colour ("38;2;r;g;b").
struct AnsiColor
{
    enum class Kind : quint8 { Default, Indexed, Rgb };

    Kind kind = Kind::Default;
    quint8 index = 0; // Indexed
    QRgb rgb = 0;     // Rgb, 0xffRRGGBB

    static AnsiColor indexed(int index);
    static AnsiColor fromRgb(int red, int green, int blue);
    bool isDefault() const { return kind == Kind::Default; }

    friend bool operator==(const AnsiColor &, const AnsiColor &) = default;
};

// The pen of SGR: colours and attributes. A default-constructed style is
// what "\x1b[0m" sets.
struct AnsiStyle
{
    AnsiColor fg = {};
    AnsiColor bg = {};
    bool bold = false;
    bool dim = false;
    bool italic = false;
    bool underline = false;
    bool inverse = false; // the view swaps fg and bg (palette's when default)
    bool strikeout = false;

    bool isDefault() const { return *this == AnsiStyle(); }

    friend bool operator==(const AnsiStyle &, const AnsiStyle &) = default;
};

// A stretch of visible text in one non-default style. Positions are UTF-16
// code units of AnsiText::text (what QTextLayout and QString use).
struct AnsiRun
{
    qsizetype start = 0;
    qsizetype length = 0;
    AnsiStyle style = {};

    friend bool operator==(const AnsiRun &, const AnsiRun &) = default;
};

// A line's visible text and its styled runs: sorted, not overlapping,
// adjacent runs of equal style merged. Text outside every run has the
// default style; a line without SGR has no runs.
struct AnsiText
{
    QString text = {};
    QList<AnsiRun> runs = {};

    friend bool operator==(const AnsiText &, const AnsiText &) = default;
};

// The visible text and runs of one line (no '\n'), starting from the default
// style. Dropped: every escape sequence but SGR (CSI, OSC up to BEL or ST,
// DCS/SOS/PM/APC up to ST, two- and three-byte ESC sequences, an unfinished
// sequence at the end) and C0 control characters but '\t'. Understood SGR
// codes: 0, 1, 2, 3, 4 (4:0 off, 4:n on), 7, 9, 21, 22, 23, 24, 27, 29,
// 30-37, 38;5;n, 38;2;r;g;b (and the ':' forms, with or without a colour
// space id), 39, 40-47, 48;..., 49, 90-97, 100-107; others are ignored.
// Invalid UTF-8 becomes U+FFFD.
AnsiText parseAnsi(QUtf8StringView line);

// parseAnsi(line).text, appended to `out` (its capacity reused).
void appendAnsiPlainText(QUtf8StringView line, QString &out);
// The same visible text as UTF-8 bytes, appended to `out`.
void appendAnsiPlainUtf8(QUtf8StringView line, QByteArray &out);
// True when `line` holds an ESC or a C0 control character other than '\t'
// (then its visible text differs from its bytes).
bool hasAnsiControls(QUtf8StringView line);

// Applies the parameters of one SGR sequence ("1;38;5;208", "" = reset) to
// `style`.
void applySgr(QByteArrayView params, AnsiStyle &style);
// The SGR sequence that sets `style` whatever the pen was before:
// "\x1b[0m" for the default, else "\x1b[0;1;31;48;5;236m" and the like.
QByteArray sgrSequence(const AnsiStyle &style);

// Applies the SGR sequences of `line` to `pen` and says whether that is all a
// terminal would do with it: false when the line also holds '\r', '\b' or a
// CSI that moves the cursor along the row or erases (K, G, `, C, D, X, @, P),
// which playTerminalLine() must resolve. `pen` is only valid on true.
bool advancePen(QUtf8StringView line, AnsiStyle &pen);

// Plays `line` (no '\n') on an empty terminal row, starting with the pen
// `pen`, and returns the row as the terminal would show it: UTF-8 with SGR
// sequences, starting from the default style; `pen` becomes the pen at the
// end. Exact overwrite semantics: '\r' returns to column 0 and later text
// overwrites cell by cell (a shorter later segment leaves the tail of the
// longer one visible); "\x1b[K" / "\x1b[0K" erases to the end, "\x1b[1K" to
// the cursor, "\x1b[2K" the whole row (the cursor stays); '\b', "\x1b[nD",
// "\x1b[nC", "\x1b[nG" move; "\x1b[nX" erases, "\x1b[n@" inserts and
// "\x1b[nP" deletes cells; '\t' moves to the next multiple of 8. A cell is one
// code point (wide and combining characters are not measured). Erased or
// skipped cells show as spaces; erased cells at the end are trimmed. Moves off
// the row (up, down, home) and other sequences are dropped.
QByteArray playTerminalLine(QUtf8StringView line, AnsiStyle &pen);

// One of the 16 standard colours (0-7 normal, 8-15 bright) for a dark or a
// light background; 16-255 give the xterm cube and greys (same either way).
QColor ansiPaletteColor(int index, bool darkBackground);
// The colour to paint `color` with; an invalid QColor for a default colour,
// for which the view uses its palette.
QColor ansiColor(const AnsiColor &color, bool darkBackground);

} // namespace pf::models
