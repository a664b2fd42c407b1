// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "ansi.h"

#include <algorithm>
#include <vector>

#include <QStringDecoder>
#include <QVarLengthArray>

namespace pf::models {

namespace {

constexpr char kEsc = '\x1b';
// Cursor moves along the row go no further right than this (or the row's
// end, if longer), so that "\x1b[65535C" cannot make a huge row.
constexpr qsizetype kMaxMoveColumn = 4096;

bool isVisibleByte(char c)
{
    const auto u = uchar(c);
    return (u >= 0x20 && u != 0x7f) || c == '\t';
}

// "<=>?" first in a CSI marks a private sequence ("\x1b[?25l"), never SGR.
bool isPrivate(QByteArrayView params)
{
    return !params.isEmpty() && params.front() >= '<' && params.front() <= '?';
}

// Calls, in order, h.text(bytes) for each stretch of visible bytes,
// h.control(c) for each C0 control but ESC and '\t' (and DEL), and
// h.csi(params, final) for each complete CSI sequence without intermediate
// bytes. Every other escape sequence, and an unfinished one, is skipped.
// Follows ECMA-48: a byte that cannot continue a sequence ends it and is
// then read as itself, as terminals do.
template <typename Handler>
void walk(QByteArrayView line, Handler &h)
{
    const char *p = line.data();
    const char *const end = p + line.size();
    while (p < end) {
        const char *q = p;
        while (q < end && isVisibleByte(*q))
            ++q;
        if (q > p)
            h.text(QByteArrayView(p, q - p));
        if (q == end)
            return;
        if (*q != kEsc) {
            h.control(*q);
            p = q + 1;
            continue;
        }
        const char *s = q + 1;
        if (s == end)
            return;
        const auto c = uchar(*s);
        if (c == '[') {
            const char *params = ++s;
            while (s < end && uchar(*s) >= 0x30 && uchar(*s) <= 0x3f)
                ++s;
            const char *paramsEnd = s;
            while (s < end && uchar(*s) >= 0x20 && uchar(*s) <= 0x2f)
                ++s;
            if (s < end && uchar(*s) >= 0x40 && uchar(*s) <= 0x7e) {
                if (s == paramsEnd)
                    h.csi(QByteArrayView(params, paramsEnd - params), *s);
                ++s;
            }
            p = s;
        } else if (c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_') {
            // A control string: up to ST (ESC '\') or, as xterm allows, BEL.
            ++s;
            while (s < end && *s != '\a' && !(*s == kEsc && s + 1 < end && s[1] == '\\'))
                ++s;
            p = s == end ? end : s + (*s == '\a' ? 1 : 2);
        } else if (c >= 0x20 && c <= 0x2f) {
            // ESC, intermediates, final: "\x1b(B" and the like.
            while (s < end && uchar(*s) >= 0x20 && uchar(*s) <= 0x2f)
                ++s;
            if (s < end && uchar(*s) >= 0x30 && uchar(*s) <= 0x7e)
                ++s;
            p = s;
        } else if (c >= 0x30 && c <= 0x7e) {
            p = s + 1; // "\x1b7", "\x1bM", "\x1bc", ...
        } else {
            p = s; // ESC cancelled by a control or a non-ASCII byte
        }
    }
}

// A decimal parameter; empty is `empty`, values are capped at 65535.
int number(QByteArrayView digits, int empty = 0)
{
    if (digits.isEmpty())
        return empty;
    int n = 0;
    for (const char c : digits) {
        if (c < '0' || c > '9')
            return empty;
        n = std::min(n * 10 + (c - '0'), 65535);
    }
    return n;
}

template <qsizetype N>
void split(QByteArrayView text, char separator, QVarLengthArray<QByteArrayView, N> &out)
{
    qsizetype from = 0;
    for (;;) {
        const qsizetype at = text.indexOf(separator, from);
        if (at < 0) {
            out.append(text.sliced(from));
            return;
        }
        out.append(text.sliced(from, at - from));
        from = at + 1;
    }
}

AnsiColor rgbColor(int r, int g, int b)
{
    return AnsiColor::fromRgb(std::min(r, 255), std::min(g, 255), std::min(b, 255));
}

// 38/48/58 in the ':' form: "38:5:n", "38:2:r:g:b" or "38:2:id:r:g:b".
bool extendedColor(const QVarLengthArray<QByteArrayView, 8> &sub, AnsiColor &color)
{
    if (sub.size() < 2)
        return false;
    const int mode = number(sub[1]);
    if (mode == 5 && sub.size() >= 3) {
        color = AnsiColor::indexed(number(sub[2]));
        return true;
    }
    if (mode == 2 && sub.size() >= 5) {
        const qsizetype first = sub.size() >= 6 ? 3 : 2;
        color = rgbColor(number(sub[first]), number(sub[first + 1]), number(sub[first + 2]));
        return true;
    }
    return false;
}

void appendUtf8(QString &out, QByteArrayView bytes, QStringDecoder &decoder)
{
    const qsizetype old = out.size();
    out.resize(old + bytes.size());
    QChar *const end = decoder.appendToBuffer(out.data() + old, bytes);
    out.resize(end - out.constData());
}

QStringDecoder utf8Decoder()
{
    return QStringDecoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
}

struct StyledTextHandler
{
    explicit StyledTextHandler(QString &text, QList<AnsiRun> *styleRuns = nullptr)
        : out(text)
        , runs(styleRuns)
    {}

    QString &out;
    QList<AnsiRun> *runs = nullptr;
    QStringDecoder decoder = utf8Decoder();
    AnsiStyle style;

    void text(QByteArrayView bytes)
    {
        const qsizetype start = out.size();
        appendUtf8(out, bytes, decoder);
        if (!runs || style.isDefault() || out.size() == start)
            return;
        if (!runs->isEmpty()) {
            AnsiRun &last = runs->last();
            if (last.start + last.length == start && last.style == style) {
                last.length = out.size() - last.start;
                return;
            }
        }
        runs->append({start, out.size() - start, style});
    }
    void control(char) {}
    void csi(QByteArrayView params, char final)
    {
        if (final == 'm' && !isPrivate(params))
            applySgr(params, style);
    }
};

struct PlainUtf8Handler
{
    QByteArray &out;

    void text(QByteArrayView bytes) { out.append(bytes); }
    void control(char) {}
    void csi(QByteArrayView, char) {}
};

struct PenHandler
{
    AnsiStyle &pen;
    bool simple = true;

    void text(QByteArrayView) {}
    void control(char c)
    {
        if (c == '\r' || c == '\b')
            simple = false;
    }
    void csi(QByteArrayView params, char final)
    {
        if (isPrivate(params))
            return;
        if (final == 'm')
            applySgr(params, pen);
        else if (QByteArrayView("KG`CDX@P").contains(final))
            simple = false;
    }
};

// One terminal row being played.
struct TerminalHandler
{
    struct Cell
    {
        char32_t codePoint = U' ';
        AnsiStyle style;
        bool blank = true; // erased or skipped: a space, trimmed at the end
    };

    explicit TerminalHandler(AnsiStyle &startPen)
        : pen(startPen)
    {}

    AnsiStyle &pen;
    std::vector<Cell> cells;
    qsizetype column = 0;

    qsizetype size() const { return qsizetype(cells.size()); }
    qsizetype moveLimit() const { return std::max(size(), kMaxMoveColumn); }

    void put(char32_t codePoint)
    {
        if (column > size())
            cells.resize(size_t(column));
        const Cell cell{codePoint, pen, false};
        if (column == size())
            cells.push_back(cell);
        else
            cells[size_t(column)] = cell;
        ++column;
    }
    void blank(qsizetype from, qsizetype to)
    {
        for (qsizetype i = std::max<qsizetype>(from, 0); i < std::min(to, size()); ++i)
            cells[size_t(i)] = Cell();
    }
    void text(QByteArrayView bytes)
    {
        const QList<uint> codePoints = QString::fromUtf8(bytes).toUcs4();
        for (const uint codePoint : codePoints) {
            if (codePoint == '\t')
                column = std::min((column / 8 + 1) * 8, moveLimit());
            else
                put(char32_t(codePoint));
        }
    }
    void control(char c)
    {
        if (c == '\r')
            column = 0;
        else if (c == '\b')
            column = std::max<qsizetype>(column - 1, 0);
    }
    void csi(QByteArrayView params, char final)
    {
        if (isPrivate(params))
            return;
        if (final == 'm') {
            applySgr(params, pen);
            return;
        }
        const qsizetype semicolon = params.indexOf(';');
        const QByteArrayView first = semicolon < 0 ? params : params.first(semicolon);
        const qsizetype n = std::max(number(first), 1); // a count: 0 means 1
        switch (final) {
        case 'K':
            switch (number(first)) {
            case 0:
                if (column < size())
                    cells.resize(size_t(column));
                break;
            case 1:
                blank(0, column + 1);
                break;
            case 2:
                cells.clear();
                break;
            default:
                break;
            }
            break;
        case 'G':
        case '`':
            column = std::min(n - 1, moveLimit());
            break;
        case 'C':
            column = std::min(column + n, moveLimit());
            break;
        case 'D':
            column = std::max<qsizetype>(column - n, 0);
            break;
        case 'X':
            blank(column, column + n);
            break;
        case '@':
            if (column < size())
                cells.insert(cells.begin() + column, size_t(std::min(n, moveLimit())), Cell());
            break;
        case 'P':
            if (column < size())
                cells.erase(cells.begin() + column, cells.begin() + std::min(column + n, size()));
            break;
        default:
            break;
        }
    }

    QByteArray row() const
    {
        qsizetype end = size();
        while (end > 0 && cells[size_t(end - 1)].blank)
            --end;
        QString out;
        out.reserve(end + 16);
        AnsiStyle current;
        for (qsizetype i = 0; i < end; ++i) {
            const Cell &cell = cells[size_t(i)];
            if (cell.style != current) {
                current = cell.style;
                out += QLatin1StringView(sgrSequence(current));
            }
            const char32_t c = cell.codePoint;
            if (QChar::requiresSurrogates(c)) {
                out += QChar(QChar::highSurrogate(c));
                out += QChar(QChar::lowSurrogate(c));
            } else {
                out += QChar(char16_t(c));
            }
        }
        return out.toUtf8();
    }
};

void appendColorCode(QByteArray &out, const AnsiColor &color, int base, int brightBase)
{
    switch (color.kind) {
    case AnsiColor::Kind::Default:
        return;
    case AnsiColor::Kind::Indexed:
        if (color.index < 8)
            out += ';' + QByteArray::number(base + color.index);
        else if (color.index < 16)
            out += ';' + QByteArray::number(brightBase + color.index - 8);
        else
            out += ';' + QByteArray::number(base + 8) + ";5;" + QByteArray::number(color.index);
        return;
    case AnsiColor::Kind::Rgb:
        out += ';' + QByteArray::number(base + 8) + ";2;" + QByteArray::number(qRed(color.rgb)) +
               ';' + QByteArray::number(qGreen(color.rgb)) + ';' +
               QByteArray::number(qBlue(color.rgb));
        return;
    }
}

// VS Code's terminal colours, which read well on its dark and light themes.
constexpr QRgb kDarkPalette[16] = {
    0xff000000, 0xffcd3131, 0xff0dbc79, 0xffe5e510, 0xff2472c8, 0xffbc3fbc, 0xff11a8cd, 0xffe5e5e5,
    0xff666666, 0xfff14c4c, 0xff23d18b, 0xfff5f543, 0xff3b8eea, 0xffd670d6, 0xff29b8db, 0xffffffff};
constexpr QRgb kLightPalette[16] = {
    0xff000000, 0xffcd3131, 0xff00bc00, 0xff949800, 0xff0451a5, 0xffbc05bc, 0xff0598bc, 0xff555555,
    0xff666666, 0xffcd3131, 0xff14ce14, 0xffb5ba00, 0xff0451a5, 0xffbc05bc, 0xff0598bc, 0xffa5a5a5};

} // namespace

AnsiColor AnsiColor::indexed(int index)
{
    return {Kind::Indexed, quint8(std::clamp(index, 0, 255)), 0};
}

AnsiColor AnsiColor::fromRgb(int red, int green, int blue)
{
    return {Kind::Rgb, 0, qRgb(red, green, blue)};
}

void applySgr(QByteArrayView params, AnsiStyle &style)
{
    QVarLengthArray<QByteArrayView, 16> items;
    split(params, ';', items);
    for (qsizetype k = 0; k < items.size(); ++k) {
        const QByteArrayView item = items[k];
        if (item.contains(':')) {
            QVarLengthArray<QByteArrayView, 8> sub;
            split(item, ':', sub);
            const int code = number(sub[0]);
            AnsiColor color;
            if (code == 4)
                style.underline = sub.size() < 2 || number(sub[1]) != 0;
            else if (code == 38 && extendedColor(sub, color))
                style.fg = color;
            else if (code == 48 && extendedColor(sub, color))
                style.bg = color;
            continue; // other codes take no sub-parameters
        }
        const int code = number(item);
        switch (code) {
        case 0:
            style = AnsiStyle();
            break;
        case 1:
            style.bold = true;
            break;
        case 2:
            style.dim = true;
            break;
        case 3:
            style.italic = true;
            break;
        case 4:
        case 21:
            style.underline = true;
            break;
        case 7:
            style.inverse = true;
            break;
        case 9:
            style.strikeout = true;
            break;
        case 22:
            style.bold = false;
            style.dim = false;
            break;
        case 23:
            style.italic = false;
            break;
        case 24:
            style.underline = false;
            break;
        case 27:
            style.inverse = false;
            break;
        case 29:
            style.strikeout = false;
            break;
        case 38:
        case 48:
        case 58: { // 58: underline colour, read to skip its arguments
            const int mode = k + 1 < items.size() ? number(items[k + 1]) : -1;
            AnsiColor color;
            if (mode == 5 && k + 2 < items.size()) {
                color = AnsiColor::indexed(number(items[k + 2]));
                k += 2;
            } else if (mode == 2 && k + 4 < items.size()) {
                color = rgbColor(number(items[k + 2]), number(items[k + 3]), number(items[k + 4]));
                k += 4;
            } else {
                return; // malformed: the rest cannot be read reliably
            }
            if (code == 38)
                style.fg = color;
            else if (code == 48)
                style.bg = color;
            break;
        }
        case 39:
            style.fg = AnsiColor();
            break;
        case 49:
            style.bg = AnsiColor();
            break;
        default:
            if (code >= 30 && code <= 37)
                style.fg = AnsiColor::indexed(code - 30);
            else if (code >= 40 && code <= 47)
                style.bg = AnsiColor::indexed(code - 40);
            else if (code >= 90 && code <= 97)
                style.fg = AnsiColor::indexed(code - 90 + 8);
            else if (code >= 100 && code <= 107)
                style.bg = AnsiColor::indexed(code - 100 + 8);
            break;
        }
    }
}

QByteArray sgrSequence(const AnsiStyle &style)
{
    QByteArray out("\x1b[0");
    if (style.bold)
        out += ";1";
    if (style.dim)
        out += ";2";
    if (style.italic)
        out += ";3";
    if (style.underline)
        out += ";4";
    if (style.inverse)
        out += ";7";
    if (style.strikeout)
        out += ";9";
    appendColorCode(out, style.fg, 30, 90);
    appendColorCode(out, style.bg, 40, 100);
    out += 'm';
    return out;
}

AnsiText parseAnsi(QUtf8StringView line)
{
    AnsiText result;
    const QByteArrayView bytes(line.data(), line.size());
    if (!hasAnsiControls(line)) {
        result.text = QString::fromUtf8(bytes);
        return result;
    }
    result.text.reserve(line.size());
    StyledTextHandler handler(result.text, &result.runs);
    walk(bytes, handler);
    return result;
}

void appendAnsiPlainText(QUtf8StringView line, QString &out)
{
    StyledTextHandler handler(out);
    walk(QByteArrayView(line.data(), line.size()), handler);
}

void appendAnsiPlainUtf8(QUtf8StringView line, QByteArray &out)
{
    PlainUtf8Handler handler{out};
    walk(QByteArrayView(line.data(), line.size()), handler);
}

bool hasAnsiControls(QUtf8StringView line)
{
    return std::any_of(line.begin(), line.end(), [](char c) { return !isVisibleByte(c); });
}

bool advancePen(QUtf8StringView line, AnsiStyle &pen)
{
    PenHandler handler{pen};
    walk(QByteArrayView(line.data(), line.size()), handler);
    return handler.simple;
}

QByteArray playTerminalLine(QUtf8StringView line, AnsiStyle &pen)
{
    TerminalHandler handler(pen);
    walk(QByteArrayView(line.data(), line.size()), handler);
    return handler.row();
}

QColor ansiPaletteColor(int index, bool darkBackground)
{
    index = std::clamp(index, 0, 255);
    if (index < 16)
        return QColor::fromRgb(darkBackground ? kDarkPalette[index] : kLightPalette[index]);
    if (index < 232) {
        const int i = index - 16;
        const auto level = [](int v) { return v == 0 ? 0 : 55 + 40 * v; };
        return QColor(level(i / 36), level(i / 6 % 6), level(i % 6));
    }
    const int grey = 8 + 10 * (index - 232);
    return QColor(grey, grey, grey);
}

QColor ansiColor(const AnsiColor &color, bool darkBackground)
{
    switch (color.kind) {
    case AnsiColor::Kind::Indexed:
        return ansiPaletteColor(color.index, darkBackground);
    case AnsiColor::Kind::Rgb:
        return QColor::fromRgb(color.rgb);
    case AnsiColor::Kind::Default:
        break;
    }
    return QColor();
}

} // namespace pf::models
