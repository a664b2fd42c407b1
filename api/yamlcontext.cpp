// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "yamlcontext.h"

#include <algorithm>
#include <vector>

#include <QList>
#include <QRegularExpression>

#include "api/yamldocument.h"

using namespace Qt::StringLiterals;

namespace pf::api {
namespace {

bool isSpace(QChar c)
{
    return c == u' ' || c == u'\t';
}

// Lines as an editor counts them: ended by \n, \r\n or \r; text that ends
// with a line break has an empty last line.
QStringList splitLines(const QString &text)
{
    QStringList lines;
    qsizetype start = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c != u'\n' && c != u'\r')
            continue;
        lines.append(text.mid(start, i - start));
        if (c == u'\r' && i + 1 < text.size() && text.at(i + 1) == u'\n')
            ++i;
        start = i + 1;
    }
    lines.append(text.mid(start));
    return lines;
}

// Just past the closing quote of the quoted scalar that starts at `start`,
// or the end of the line when it is not closed there.
int quotedEnd(const QString &s, int start)
{
    const QChar quote = s.at(start);
    for (int i = start + 1; i < s.size(); ++i) {
        if (quote == u'"' && s.at(i) == u'\\') {
            ++i;
        } else if (s.at(i) == quote) {
            if (quote == u'\'' && i + 1 < s.size() && s.at(i + 1) == u'\'')
                ++i; // '' is a quote inside single quotes
            else
                return i + 1;
        }
    }
    return int(s.size());
}

QString unquote(const QString &token)
{
    if (token.isEmpty() || (token.front() != u'"' && token.front() != u'\''))
        return token;
    const QChar quote = token.front();
    QString inner = token.mid(1);
    if (inner.endsWith(quote))
        inner.chop(1);
    if (quote == u'\'')
        return inner.replace(u"''"_s, u"'"_s);
    QString out;
    for (qsizetype i = 0; i < inner.size(); ++i) {
        if (inner.at(i) == u'\\' && i + 1 < inner.size())
            ++i;
        out += inner.at(i);
    }
    return out;
}

// A comment starts with '#' at the start of a token or after a space.
int commentFrom(const QString &s, int from)
{
    for (int i = from; i < s.size(); ++i) {
        if (s.at(i) == u'#' && (i == from || isSpace(s.at(i - 1))))
            return i;
    }
    return -1;
}

int trimmedEnd(const QString &s, int from, int end)
{
    while (end > from && isSpace(s.at(end - 1)))
        --end;
    return end;
}

// One line, as far as the structure goes. Columns are 0-based indexes into `text`.
struct Line
{
    QString text;
    int indent = 0; // leading spaces
    bool blank = true;
    bool comment = false;  // nothing but a comment (or a % directive)
    bool document = false; // "---" or "..."
    QList<int> markers;    // where each "- " of a sequence item is
    int content = 0;       // after the indentation and the markers
    QString key;           // unquoted
    int keyStart = -1;     // the key token, quotes included
    int keyEnd = -1;
    int colon = -1; // -1: the line has no key
    // The value after "key:", or without a key the line's scalar (a partial
    // key, a sequence item, a continued value): -1 when there is none.
    int valueStart = -1;
    int valueEnd = -1;
    int commentStart = -1;
    bool blockHeader = false; // the value is | or > (with indicators)

    bool hasKey() const { return colon >= 0; }
};

bool isBlockHeader(const QString &value)
{
    static const QRegularExpression header(u"^[|>][-+1-9]{0,2}$"_s);
    return header.match(value).hasMatch();
}

Line parseLine(const QString &text)
{
    Line l;
    l.text = text;
    const int n = int(text.size());
    int i = 0;
    while (i < n && text.at(i) == u' ')
        ++i;
    l.indent = i;
    int j = i;
    while (j < n && isSpace(text.at(j)))
        ++j;
    if (j == n)
        return l;
    l.blank = false;
    if (i == 0 && (text.startsWith(u"---"_s) || text.startsWith(u"..."_s)) &&
        (n == 3 || isSpace(text.at(3)))) {
        l.document = true;
        return l;
    }
    if (i == 0 && text.at(0) == u'%') {
        l.comment = true;
        return l;
    }

    int pos = i;
    while (pos < n && text.at(pos) == u'-' && (pos + 1 == n || isSpace(text.at(pos + 1)))) {
        l.markers.append(pos);
        ++pos;
        while (pos < n && isSpace(text.at(pos)))
            ++pos;
    }
    l.content = pos;
    if (pos == n)
        return l;
    if (text.at(pos) == u'#') {
        l.comment = l.markers.isEmpty();
        l.commentStart = pos;
        return l;
    }

    // The key, or the line's only scalar.
    if (text.at(pos) == u'"' || text.at(pos) == u'\'') {
        const int end = quotedEnd(text, pos);
        int k = end;
        while (k < n && isSpace(text.at(k)))
            ++k;
        if (k < n && text.at(k) == u':' && (k + 1 == n || isSpace(text.at(k + 1)))) {
            l.keyStart = pos;
            l.keyEnd = end;
            l.colon = k;
        } else {
            l.valueStart = pos;
            l.valueEnd = end;
            l.commentStart = commentFrom(text, end);
            l.blockHeader = false;
            return l;
        }
    } else {
        for (int k = pos; k < n; ++k) {
            if (text.at(k) == u'#' && k > pos && isSpace(text.at(k - 1))) {
                l.commentStart = k;
                break;
            }
            if (text.at(k) == u':' && (k + 1 == n || isSpace(text.at(k + 1)))) {
                l.colon = k;
                break;
            }
        }
        if (l.colon < 0) {
            l.valueStart = pos;
            l.valueEnd = trimmedEnd(text, pos, l.commentStart < 0 ? n : l.commentStart);
            l.blockHeader = !l.markers.isEmpty() && isBlockHeader(text.mid(pos, l.valueEnd - pos));
            return l;
        }
        l.keyStart = pos;
        l.keyEnd = trimmedEnd(text, pos, l.colon);
    }
    l.key = unquote(text.mid(l.keyStart, l.keyEnd - l.keyStart));

    // The value.
    int v = l.colon + 1;
    while (v < n && isSpace(text.at(v)))
        ++v;
    if (v == n)
        return l;
    if (text.at(v) == u'#') {
        l.commentStart = v;
        return l;
    }
    l.valueStart = v;
    if (text.at(v) == u'"' || text.at(v) == u'\'') {
        l.valueEnd = quotedEnd(text, v);
        l.commentStart = commentFrom(text, l.valueEnd);
    } else {
        l.commentStart = commentFrom(text, v);
        l.valueEnd = trimmedEnd(text, v, l.commentStart < 0 ? n : l.commentStart);
        l.blockHeader = isBlockHeader(text.mid(v, l.valueEnd - v));
    }
    return l;
}

// An open node above the current line: a key, or a sequence item.
struct Entry
{
    int indent = 0; // the key's column, or the "- "'s
    QString key;
    bool item = false; // a sequence item
    bool open = false; // a key with nothing after its ':' (a nested block may follow)
};

// A | or > block scalar that lines indented more than `indent` belong to.
struct Block
{
    bool active = false;
    int indent = 0;
    QString path;
    bool inSequence = false;
};

struct State
{
    std::vector<Entry> stack;
    Block block;
};

QString pathOf(const std::vector<Entry> &stack)
{
    QString path;
    for (const Entry &e : stack) {
        if (e.item)
            continue;
        path += path.isEmpty() ? e.key : u'.' + e.key;
    }
    return path;
}

QString join(const QString &path, const QString &key)
{
    return path.isEmpty() ? key : path + u'.' + key;
}

bool anyItem(const std::vector<Entry> &stack)
{
    return std::any_of(stack.cbegin(), stack.cend(), [](const Entry &e) { return e.item; });
}

// Closes what a line at `indent` ends: deeper nodes, and siblings at the
// same indentation, except the key of a sequence written at its own
// indentation ("key:\n- item").
void closeFor(std::vector<Entry> &stack, int indent, bool item)
{
    while (!stack.empty()) {
        const Entry &top = stack.back();
        if (top.indent < indent)
            break;
        if (top.indent == indent && item && !top.item && top.open)
            break;
        stack.pop_back();
    }
}

// Opens the sequence items a line starts with.
void openItems(std::vector<Entry> &stack, const Line &l)
{
    for (const int marker : l.markers)
        stack.push_back(Entry{marker, {}, true, true});
}

struct KeyLine
{
    int line = 0;
    int document = 0;
    QString mappingPath;
    QString key;
};

// One pass over the text, keeping the state just before the target line.
class Reader
{
public:
    Reader(const QString &text, int line, int column)
    {
        const QStringList texts = splitLines(text);
        m_lines.reserve(texts.size());
        for (const QString &t : texts)
            m_lines.append(parseLine(t));
        if (line < 1) {
            line = 1;
            column = 1;
        } else if (line > m_lines.size()) {
            line = int(m_lines.size());
            column = int(m_lines.last().text.size()) + 1;
        }
        m_target = line - 1;
        m_col = std::clamp(column - 1, 0, int(m_lines.at(m_target).text.size()));
        for (int i = 0; i < m_lines.size(); ++i) {
            if (i == m_target) {
                m_before = m_state;
                m_targetDocument = m_document;
            }
            process(i);
        }
    }

    const Line &line() const { return m_lines.at(m_target); }
    int target() const { return m_target; }
    int col() const { return m_col; }
    const State &before() const { return m_before; }
    int step() const { return m_step > 0 ? m_step : 2; }

    QStringList siblings(const QString &mappingPath) const
    {
        QStringList keys;
        for (const KeyLine &k : m_keys) {
            if (k.line != m_target && k.document == m_targetDocument &&
                k.mappingPath == mappingPath && !keys.contains(k.key))
                keys.append(k.key);
        }
        return keys;
    }

    // Whether the target line is the content of a block scalar.
    bool inBlock() const
    {
        const Block &b = m_before.block;
        if (!b.active)
            return false;
        const Line &l = line();
        return l.blank ? m_col > b.indent : l.indent > b.indent;
    }

private:
    void process(int index)
    {
        const Line &l = m_lines.at(index);
        Block &block = m_state.block;
        if (block.active) {
            if (l.blank || l.indent > block.indent)
                return;
            block.active = false;
        }
        if (l.blank || l.comment)
            return;
        std::vector<Entry> &stack = m_state.stack;
        if (l.document) {
            stack.clear();
            ++m_document;
            return;
        }
        closeFor(stack, l.indent, !l.markers.isEmpty());
        openItems(stack, l);
        if (l.hasKey()) {
            m_keys.append(KeyLine{index, m_document, pathOf(stack), l.key});
            if (m_step == 0 && !stack.empty() && !stack.back().item &&
                l.keyStart > stack.back().indent)
                m_step = l.keyStart - stack.back().indent;
            stack.push_back(Entry{l.keyStart, l.key, false, l.valueStart < 0});
            if (l.blockHeader)
                block = Block{true, l.keyStart, pathOf(stack), anyItem(stack)};
        } else if (l.blockHeader) {
            block = Block{true, l.markers.last(), pathOf(stack), anyItem(stack)};
        }
    }

    QList<Line> m_lines;
    int m_target = 0;
    int m_col = 0;
    State m_state;
    State m_before;
    QList<KeyLine> m_keys;
    int m_document = 0; // "---" lines so far
    int m_targetDocument = 0;
    int m_step = 0;
};

QString withoutOpeningQuote(const QString &s)
{
    return s.startsWith(u'"') || s.startsWith(u'\'') ? s.mid(1) : s;
}

} // namespace

YamlContext yamlContextAt(const QString &text, int line, int column)
{
    const Reader r(text, line, column);
    const Line &l = r.line();
    const int col = r.col();
    YamlContext at;
    std::vector<Entry> stack = r.before().stack;
    const auto finish = [&](int indent) {
        at.mappingPath = pathOf(stack);
        at.inSequence = at.inSequence || anyItem(stack);
        at.siblings = r.siblings(at.mappingPath);
        at.indent = indent;
        at.childIndent = indent + r.step();
        return at;
    };

    if (r.inBlock()) {
        const Block &b = r.before().block;
        at.inScalarBlock = true;
        at.onValue = true;
        at.mappingPath = YamlDocument::parentPath(b.path);
        at.key = at.mappingPath.isEmpty() ? b.path : b.path.mid(at.mappingPath.size() + 1);
        at.inSequence = b.inSequence;
        at.siblings = r.siblings(at.mappingPath);
        at.indent = b.indent;
        at.childIndent = b.indent + r.step();
        return at;
    }
    if (l.blank) {
        closeFor(stack, col, false);
        return finish(col);
    }
    if (l.document) {
        stack.clear();
        at.inScalarBlock = true;
        return finish(0);
    }
    closeFor(stack, l.indent, !l.markers.isEmpty());
    openItems(stack, l);
    at.inSequence = !l.markers.isEmpty();
    if (l.comment || (l.commentStart >= 0 && col > l.commentStart)) {
        at.inScalarBlock = true;
        return finish(l.content);
    }

    if (l.hasKey() && col > l.keyEnd && col > l.colon) {
        at.key = l.key;
        at.onValue = true;
        if (l.valueStart >= 0) {
            at.tokenStart = l.valueStart + 1;
            at.tokenEnd = l.valueEnd + 1;
            if (col > l.valueStart)
                at.prefix = withoutOpeningQuote(l.text.mid(l.valueStart, col - l.valueStart));
        } else {
            at.tokenStart = at.tokenEnd = std::max(col, l.colon + 1) + 1;
        }
        return finish(l.keyStart);
    }
    // The key side: the key of the line, or the scalar that may become one.
    const int start = l.hasKey() ? l.keyStart : l.valueStart;
    const int end = l.hasKey() ? l.keyEnd : l.valueEnd;
    if (start >= 0) {
        at.key = l.hasKey() ? l.key : unquote(l.text.mid(start, end - start));
        at.tokenStart = start + 1;
        at.tokenEnd = end + 1;
        if (col > start)
            at.prefix = withoutOpeningQuote(l.text.mid(start, std::min(col, end) - start));
    }
    return finish(l.content);
}

QString yamlPathAt(const QString &text, int line, int column)
{
    const Reader r(text, line, column);
    const Line &l = r.line();
    const int col = column - 1;
    if (line < 1 || col < 0 || col >= l.text.size() || r.target() != line - 1)
        return {};
    if (r.inBlock())
        return isSpace(l.text.at(col)) && col < l.indent ? QString() : r.before().block.path;
    if (l.blank || l.comment || l.document)
        return {};
    if (col < l.content || (l.commentStart >= 0 && col >= l.commentStart))
        return {};
    std::vector<Entry> stack = r.before().stack;
    closeFor(stack, l.indent, !l.markers.isEmpty());
    openItems(stack, l);
    if (l.hasKey()) {
        const int end = l.valueStart >= 0 ? l.valueEnd : l.colon + 1;
        return col < end ? join(pathOf(stack), l.key) : QString();
    }
    return l.valueStart >= 0 && col < l.valueEnd ? pathOf(stack) : QString();
}

} // namespace pf::api
