// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "yamledit.h"

#include <algorithm>
#include <utility>

#include <QHash>
#include <QJsonObject>
#include <QList>

#include "yamldocument.h"

using namespace Qt::StringLiterals;

namespace pf::api {
namespace {

// yaml-cpp's marks say where a key starts but not where its value ends, so
// the extents of nodes (yamledit.h) come from the text: its indentation,
// block scalar headers, quotes and brackets. That reading is simple enough
// to go wrong on forms it does not follow, and the JSON of the result is
// what the caller relies on; so every result is read back, and a wrong one
// is made again by writing a larger node anew.

bool isSpace(QChar c)
{
    return c == u' ' || c == u'\t';
}

bool isBlank(QStringView line)
{
    return std::all_of(line.cbegin(), line.cend(), isSpace);
}

qsizetype skipSpaces(QStringView line, qsizetype i)
{
    while (i < line.size() && isSpace(line[i]))
        ++i;
    return i;
}

// Leading spaces: YAML indents with spaces only (yaml-cpp refuses tabs).
qsizetype indentOf(QStringView line)
{
    qsizetype i = 0;
    while (i < line.size() && line[i] == u' ')
        ++i;
    return i;
}

bool isComment(QStringView line)
{
    const qsizetype i = skipSpaces(line, 0);
    return i < line.size() && line[i] == u'#';
}

// "- " (or a lone "-") at `i`: a block sequence entry.
bool isDash(QStringView line, qsizetype i)
{
    return i < line.size() && line[i] == u'-' && (i + 1 == line.size() || isSpace(line[i + 1]));
}

// "---" or "..." at the start of a line, alone or followed by white space.
bool isMarker(QStringView line, QStringView marker)
{
    return line.startsWith(marker) && (line.size() == 3 || isSpace(line[3]));
}

// Past the anchors (&a) and tags (!t, !!str) at `i`, and the spaces after.
qsizetype skipProperties(QStringView line, qsizetype i)
{
    while (i < line.size() && (line[i] == u'&' || line[i] == u'!')) {
        while (i < line.size() && !isSpace(line[i]))
            ++i;
        i = skipSpaces(line, i);
    }
    return i;
}

// The index of the closing quote of the quoted scalar opening at `open` on
// this line, or -1.
qsizetype closingQuote(QStringView line, qsizetype open)
{
    const QChar quote = line[open];
    for (qsizetype i = open + 1; i < line.size(); ++i) {
        if (quote == u'"' && line[i] == u'\\') {
            ++i;
        } else if (line[i] == quote) {
            if (quote == u'\'' && i + 1 < line.size() && line[i + 1] == u'\'')
                ++i;
            else
                return i;
        }
    }
    return -1;
}

// The ':' that ends the implicit key starting at `from` (its anchor or tag,
// a quoted or plain key), or -1 when the line has no key there.
qsizetype keyColon(QStringView line, qsizetype from)
{
    qsizetype i = skipProperties(line, from);
    if (i < line.size() && (line[i] == u'"' || line[i] == u'\'')) {
        const qsizetype close = closingQuote(line, i);
        if (close < 0)
            return -1;
        i = skipSpaces(line, close + 1);
        return i < line.size() && line[i] == u':' ? i : -1;
    }
    for (; i < line.size(); ++i) {
        if (line[i] == u':' && (i + 1 == line.size() || isSpace(line[i + 1])))
            return i;
        if (line[i] == u'#' && i > 0 && isSpace(line[i - 1]))
            return -1;
    }
    return -1;
}

// Where a comment starts on `line` at or after `from` (a value's start),
// skipping quoted scalars and flow collections; -1 when there is none, or
// when a quoted scalar goes on past the line's end.
qsizetype commentStart(QStringView line, qsizetype from)
{
    int depth = 0;           // of flow collections
    bool expectValue = true; // a quote here opens a quoted scalar
    for (qsizetype i = from; i < line.size(); ++i) {
        const QChar c = line[i];
        if (isSpace(c))
            continue;
        if (c == u'#' && (i == 0 || isSpace(line[i - 1])))
            return i;
        const bool start = expectValue;
        expectValue = false;
        if (start && (c == u'"' || c == u'\'')) {
            i = closingQuote(line, i);
            if (i < 0)
                return -1;
        } else if (start && (c == u'&' || c == u'!')) {
            while (i + 1 < line.size() && !isSpace(line[i + 1]))
                ++i;
            expectValue = true;
        } else if (c == u'[' || c == u'{') {
            ++depth;
            expectValue = true;
        } else if (depth > 0 && (c == u']' || c == u'}')) {
            --depth;
        } else if (depth > 0 && (c == u',' || c == u':')) {
            expectValue = true;
        }
    }
    return -1;
}

// The form of a value as its first line shows it (after its anchor or tag).
enum class Head {
    Empty,        // nothing after "key:" but maybe a comment: a block node below, or null
    Plain,        // a plain scalar (an alias too)
    SingleQuoted, // '...'
    DoubleQuoted, // "..."
    BlockScalar,  // | or >
    Flow,         // {...} or [...]
};

Head headAt(QStringView line, qsizetype i)
{
    if (i >= line.size() || line[i] == u'#')
        return Head::Empty;
    switch (line[i].unicode()) {
    case u'\'':
        return Head::SingleQuoted;
    case u'"':
        return Head::DoubleQuoted;
    case u'|':
    case u'>':
        return Head::BlockScalar;
    case u'{':
    case u'[':
        return Head::Flow;
    default:
        return Head::Plain;
    }
}

// The text of a file as lines, each with its own line break, so that the
// lines an edit does not touch are written back as they were.
class Lines
{
public:
    explicit Lines(QStringView text)
    {
        qsizetype start = 0;
        while (start < text.size()) {
            qsizetype end = text.indexOf(u'\n', start);
            const bool broken = end >= 0;
            if (!broken)
                end = text.size();
            QStringView line = text.sliced(start, end - start);
            QString eol = broken ? u"\n"_s : QString();
            if (line.endsWith(u'\r')) {
                line.chop(1);
                eol.prepend(u'\r');
            }
            m_lines.append(line.toString());
            m_eols.append(eol);
            start = end + 1;
        }
        if (!m_eols.isEmpty() && m_eols.first() == u"\r\n")
            m_newline = u"\r\n"_s;
    }

    qsizetype size() const { return m_lines.size(); }
    const QString &newline() const { return m_newline; }
    const QString &at(qsizetype i) const { return m_lines.at(i); }
    void setLine(qsizetype i, const QString &text) { m_lines[i] = text; }

    // Lines [first, first + count) replaced by `with`, which get the file's
    // line break. A file without a line break at its end keeps it so when
    // its last line is replaced or removed, unless the new last line is
    // empty (it is there for its line break: a |+ block's); lines added
    // after that last line give it one.
    void replace(qsizetype first, qsizetype count, const QStringList &with)
    {
        const bool tail = count > 0 && first + count == size();
        const bool unbroken = tail && m_eols.at(first + count - 1).isEmpty();
        m_lines.remove(first, count);
        m_eols.remove(first, count);
        if (with.isEmpty()) {
            if (unbroken && first > 0 && !m_lines.at(first - 1).isEmpty())
                m_eols[first - 1].clear();
            return;
        }
        if (first == size() && first > 0 && m_eols.at(first - 1).isEmpty())
            m_eols[first - 1] = m_newline;
        for (qsizetype i = 0; i < with.size(); ++i) {
            m_lines.insert(first + i, with.at(i));
            m_eols.insert(first + i, m_newline);
        }
        if (unbroken && !with.last().isEmpty())
            m_eols[first + with.size() - 1].clear();
    }

    QString text() const
    {
        QString out;
        qsizetype length = 0;
        for (qsizetype i = 0; i < size(); ++i)
            length += m_lines.at(i).size() + m_eols.at(i).size();
        out.reserve(length);
        for (qsizetype i = 0; i < size(); ++i)
            out += m_lines.at(i) + m_eols.at(i);
        return out;
    }

    // The last line of the quoted scalar or flow collection opening at
    // `column` of line `at`, or -1.
    qsizetype closingLine(qsizetype at, qsizetype column) const
    {
        int depth = 0;
        bool expectValue = true;
        QChar quote; // inside a quoted scalar: its quote
        for (qsizetype l = at; l < size(); ++l) {
            const QString &line = m_lines.at(l);
            for (qsizetype i = l == at ? column : 0; i < line.size(); ++i) {
                const QChar c = line.at(i);
                if (!quote.isNull()) {
                    if (quote == u'"' && c == u'\\') {
                        ++i;
                    } else if (c == quote) {
                        if (quote == u'\'' && i + 1 < line.size() && line.at(i + 1) == u'\'') {
                            ++i;
                        } else {
                            quote = QChar();
                            if (depth == 0)
                                return l;
                        }
                    }
                    continue;
                }
                if (isSpace(c))
                    continue;
                if (c == u'#' && (i == 0 || isSpace(line.at(i - 1))))
                    break; // a comment, to the line's end
                const bool start = expectValue;
                expectValue = false;
                if (start && (c == u'"' || c == u'\'')) {
                    quote = c;
                } else if (c == u'[' || c == u'{') {
                    ++depth;
                    expectValue = true;
                } else if (c == u']' || c == u'}') {
                    if (--depth <= 0)
                        return l;
                } else if (c == u',' || c == u':') {
                    expectValue = true;
                } else if (start && (c == u'&' || c == u'!')) {
                    while (i + 1 < line.size() && !isSpace(line.at(i + 1)))
                        ++i;
                    expectValue = true;
                }
            }
        }
        return -1;
    }

    // The last line of the block scalar whose header is at `header` of line
    // `at`, under a key or dash at column `base`.
    qsizetype blockScalarEnd(qsizetype at, qsizetype base, qsizetype header) const
    {
        const QString &line = m_lines.at(at);
        qsizetype content = -1; // its indentation, when known
        bool keep = false;
        for (qsizetype i = header + 1; i < line.size() && i <= header + 2; ++i) {
            const QChar c = line.at(i);
            if (c >= u'1' && c <= u'9')
                content = base + c.digitValue();
            else if (c == u'+')
                keep = true;
            else if (c != u'-')
                break;
        }
        qsizetype last = at;
        qsizetype l = at + 1;
        for (; l < size(); ++l) {
            const QString &text = m_lines.at(l);
            if (isBlank(text))
                continue;
            const qsizetype indent = indentOf(text);
            if (content < 0) {
                if (indent <= base)
                    break;
                content = indent;
            }
            if (indent < content)
                break;
            last = l;
        }
        // With |+ the blank lines after the text are part of it.
        return keep ? l - 1 : last;
    }

    // The last line of what starts on content line `at`: `at` itself, unless
    // its value (after "key:" or "- ") is a block scalar, or a quoted scalar
    // or flow collection that goes on over the next lines.
    qsizetype entryEnd(qsizetype at) const
    {
        const QString &line = m_lines.at(at);
        qsizetype pos = indentOf(line);
        qsizetype base = pos;
        while (isDash(line, pos)) {
            base = pos;
            pos = skipSpaces(line, pos + 1);
        }
        const qsizetype colon = keyColon(line, pos);
        if (colon >= 0) {
            base = pos;
            pos = skipSpaces(line, colon + 1);
        }
        pos = skipProperties(line, pos);
        switch (headAt(line, pos)) {
        case Head::BlockScalar:
            return blockScalarEnd(at, base, pos);
        case Head::SingleQuoted:
        case Head::DoubleQuoted:
        case Head::Flow:
            return std::max(at, closingLine(at, pos));
        case Head::Empty:
        case Head::Plain:
            break;
        }
        return at;
    }

    // The last line of a block node whose key (or dash) is on line `at` at
    // column `indent`: the lines below indented more, and with `dashes`
    // "- " entries at `indent` too. With `nested`, entries on those lines
    // may hold block scalars and the like (not so in a plain scalar's
    // continuation lines).
    qsizetype blockEnd(qsizetype at, qsizetype indent, bool dashes, bool nested) const
    {
        qsizetype last = at;
        for (qsizetype l = at + 1; l < size(); ++l) {
            const QString &text = m_lines.at(l);
            if (isBlank(text) || isComment(text))
                continue;
            const qsizetype i = indentOf(text);
            if (i < indent || (i == indent && !(dashes && isDash(text, i))))
                break;
            last = nested ? entryEnd(l) : l;
            l = last;
        }
        return last;
    }

    // The first line of the root node: the lines before it are blank,
    // comments, directives (%YAML) or "---" and "..." markers with nothing
    // but a comment after them. size() when there is no such line.
    qsizetype rootStart() const
    {
        for (qsizetype l = 0; l < size(); ++l) {
            const QString &text = m_lines.at(l);
            if (isBlank(text) || isComment(text) || text.startsWith(u'%'))
                continue;
            if (isMarker(text, u"---") || isMarker(text, u"...")) {
                const qsizetype rest = skipSpaces(text, 3);
                if (rest == text.size() || text.at(rest) == u'#')
                    continue;
            }
            return l;
        }
        return size();
    }

    // The indentation step the file uses: that of its first nested block
    // mapping under a key ("key:" followed by a line indented more); 2 when
    // it has none.
    int step() const
    {
        qsizetype previous = -1; // the previous content line
        for (qsizetype l = 0; l < size(); ++l) {
            const QString &text = m_lines.at(l);
            if (isBlank(text) || isComment(text))
                continue;
            if (previous >= 0) {
                const QString &above = m_lines.at(previous);
                const qsizetype indent = indentOf(text);
                const qsizetype outer = indentOf(above);
                const qsizetype comment = commentStart(above, 0);
                const QStringView head =
                    QStringView(above).first(comment < 0 ? above.size() : comment).trimmed();
                if (indent > outer && head.endsWith(u':') && !isDash(text, indent) &&
                    !isDash(above, outer))
                    return int(std::clamp<qsizetype>(indent - outer, 1, 8));
            }
            previous = entryEnd(l);
            l = previous;
        }
        return 2;
    }

private:
    QList<QString> m_lines;
    QList<QString> m_eols;
    QString m_newline = u"\n"_s;
};

// A member of a block mapping as written: its key's line and the lines of
// its value.
struct Node
{
    QString path;
    qsizetype line = 0;   // of the key
    qsizetype indent = 0; // the key's column
    qsizetype colon = 0;  // after the key
    // Where the value starts on the key's line (its anchor or tag first);
    // the line's length when it is not there.
    qsizetype value = 0;
    qsizetype comment = -1; // where a comment starts on the key's line
    Head head = Head::Empty;
    qsizetype last = 0; // the value's last line
};

QString joinPath(const QStringList &segments, qsizetype count)
{
    return QStringList(segments.first(count)).join(u'.');
}

QJsonValue valueAt(const QJsonValue &root, const QStringList &segments, qsizetype count)
{
    QJsonValue value = root;
    for (qsizetype i = 0; i < count; ++i)
        value = value.toObject().value(segments.at(i));
    return value;
}

// `node` with the value at segments[i..] set; a missing or non-mapping
// parent becomes a mapping.
QJsonValue withSet(const QJsonValue &node, const QStringList &segments, qsizetype i,
                   const QJsonValue &value)
{
    if (i == segments.size())
        return value;
    QJsonObject object = node.toObject();
    const QString &key = segments.at(i);
    object.insert(key, withSet(object.value(key), segments, i + 1, value));
    return object;
}

// `node` without the member at segments[i..] (which is there), and without
// the mappings that leaves empty below `node`.
QJsonValue withRemoved(const QJsonValue &node, const QStringList &segments, qsizetype i)
{
    QJsonObject object = node.toObject();
    const QString &key = segments.at(i);
    if (i + 1 == segments.size()) {
        object.remove(key);
        return object;
    }
    const QJsonValue child = withRemoved(object.value(key), segments, i + 1);
    if (child.toObject().isEmpty())
        object.remove(key);
    else
        object.insert(key, child);
    return object;
}

bool contains(const QJsonValue &root, const QStringList &segments)
{
    QJsonValue value = root;
    for (const QString &key : segments) {
        const QJsonObject object = value.toObject();
        if (!value.isObject() || !object.contains(key))
            return false;
        value = object.value(key);
    }
    return true;
}

// `text` in single quotes, or a null QString when that cannot hold it: when
// double quotes would need more escapes than for quotes, backslashes and
// tabs.
QString singleQuoted(const QString &text)
{
    QString escaped = text;
    escaped.replace(u"\\"_s, u"\\\\"_s).replace(u"\""_s, u"\\\""_s).replace(u"\t"_s, u"\\t"_s);
    if (doubleQuotedYaml(text) != u'"' + escaped + u'"')
        return {};
    QString out = text;
    out.replace(u"'"_s, u"''"_s);
    return u'\'' + out + u'\'';
}

class Editor
{
public:
    Editor(const QString &yaml, const QStringList &keyOrder)
        : m_bom(yaml.startsWith(QChar(0xFEFF)) ? yaml.first(1) : QString())
        , m_lines(QStringView(yaml).sliced(m_bom.size()))
        , m_doc(YamlDocument::parse(yaml.sliced(m_bom.size()).toUtf8()))
    {
        for (qsizetype i = 0; i < keyOrder.size(); ++i)
            m_rank.insert(keyOrder.at(i), i);
        if (!m_doc.isParsed())
            return;
        const qsizetype start = m_lines.rootStart();
        if (m_doc.json().isNull() && start == m_lines.size()) {
            m_usable = true; // comments and blank lines only
            m_json = QJsonObject();
        } else if (m_doc.json().isObject()) {
            m_usable = true;
            m_json = m_doc.json();
            const QString &first = m_lines.at(start);
            const qsizetype i = indentOf(first);
            m_blockRoot = !isMarker(first, u"---") && !isDash(first, i) &&
                          !QStringView(u"{[?*").contains(first.at(i));
        }
    }

    bool usable() const { return m_usable; }

    std::optional<QString> set(const QStringList &segments, const QJsonValue &value)
    {
        m_expected = withSet(m_json, segments, 0, value);
        if (m_expected == m_json)
            return text(m_lines);
        const QList<Node> chain = this->chain(segments, segments.size());
        for (const bool literal : {true, false}) {
            Lines lines = m_lines;
            if (setIn(lines, chain, segments, value, literal))
                if (std::optional<QString> out = accept(lines))
                    return out;
        }
        return rewrite(chain, chain.size());
    }

    std::optional<QString> remove(const QStringList &segments)
    {
        if (!contains(m_json, segments))
            return text(m_lines);
        m_expected = withRemoved(m_json, segments, 0);
        // The topmost member that goes: the path, or the parent it leaves
        // empty, and so on up to a top-level key.
        qsizetype depth = segments.size();
        while (depth > 1 && valueAt(m_json, segments, depth - 1).toObject().size() == 1)
            --depth;
        const QList<Node> chain = this->chain(segments, depth);
        if (chain.size() == depth) {
            // When that does not read back right, with the blank lines after
            // it, then with the comment lines too: a block scalar above
            // (|+, or one indented as deep as they are) would take them.
            const Node &gone = chain.last();
            qsizetype end = gone.last + 1;
            for (const int more : {0, 1, 2}) {
                const qsizetype from = end;
                while (more > 0 && end < m_lines.size() &&
                       (isBlank(m_lines.at(end)) || (more == 2 && isComment(m_lines.at(end)))))
                    ++end;
                if (more > 0 && end == from)
                    continue;
                Lines lines = m_lines;
                lines.replace(gone.line, end - gone.line, {});
                if (std::optional<QString> out = accept(lines))
                    return out;
            }
        }
        // Else it is inside a flow collection (or an alias, ...): the
        // nearest ancestor written in block style is written anew.
        return rewrite(chain, std::min(chain.size(), depth - 1));
    }

private:
    std::optional<QString> text(const Lines &lines) const { return m_bom + lines.text(); }

    // The result, when it reads back as the expected JSON.
    std::optional<QString> accept(const Lines &lines) const
    {
        QString out = m_bom + lines.text();
        if (readsAsExpected(out))
            return out;
        // A block scalar that now ends the file needs the line break the
        // file did not end with.
        if (!out.isEmpty() && !out.endsWith(u'\n')) {
            out += lines.newline();
            if (readsAsExpected(out))
                return out;
        }
        return std::nullopt;
    }

    bool readsAsExpected(const QString &text) const
    {
        const YamlDocument doc = YamlDocument::parse(text.toUtf8());
        if (!doc.isParsed())
            return false;
        return (doc.json().isNull() ? QJsonValue(QJsonObject()) : doc.json()) == m_expected;
    }

    // The nodes of the first members of `segments`, as long as each is in a
    // block mapping: chain[i] is that of segments[0..i].
    QList<Node> chain(const QStringList &segments, qsizetype count) const
    {
        QList<Node> out;
        if (!m_blockRoot)
            return out;
        QJsonValue parent = m_json;
        for (qsizetype i = 0; i < count; ++i) {
            const QJsonObject object = parent.toObject();
            if (!object.contains(segments.at(i)))
                break;
            const std::optional<Node> n = node(joinPath(segments, i + 1));
            if (!n)
                break;
            out.append(*n);
            parent = object.value(segments.at(i));
            if (!blockMapping(*n))
                break;
        }
        return out;
    }

    std::optional<Node> node(const QString &path) const
    {
        if (!m_doc.contains(path))
            return std::nullopt;
        const YamlDocument::Position at = m_doc.keyPosition(path);
        Node n;
        n.path = path;
        n.line = at.line - 1;
        n.indent = at.column - 1;
        if (n.line < 0 || n.line >= m_lines.size())
            return std::nullopt;
        const QString &line = m_lines.at(n.line);
        // Only a key at the start of its line is a block mapping's key.
        if (n.indent != indentOf(line))
            return std::nullopt;
        n.colon = keyColon(line, n.indent);
        if (n.colon < 0)
            return std::nullopt;
        n.comment = commentStart(line, n.colon + 1);
        n.value = skipSpaces(line, n.colon + 1);
        if (n.value == n.comment)
            n.value = line.size();
        const qsizetype head = skipProperties(line, n.value);
        n.head = headAt(line, head == n.comment ? line.size() : head);
        switch (n.head) {
        case Head::Empty:
            n.last = m_lines.blockEnd(n.line, n.indent, true, true);
            break;
        case Head::Plain:
            n.last = m_lines.blockEnd(n.line, n.indent, false, false);
            break;
        case Head::BlockScalar:
            n.last = m_lines.blockScalarEnd(n.line, n.indent, head);
            break;
        case Head::SingleQuoted:
        case Head::DoubleQuoted:
        case Head::Flow:
            n.last = m_lines.closingLine(n.line, head);
            if (n.last < 0)
                return std::nullopt;
            break;
        }
        return n;
    }

    // Whether the value of `n` is a block mapping, whose members can be
    // edited on their own.
    bool blockMapping(const Node &n) const
    {
        if (n.head != Head::Empty || n.last == n.line)
            return false;
        const QStringList segments = n.path.split(u'.');
        if (!valueAt(m_json, segments, segments.size()).isObject())
            return false;
        for (qsizetype l = n.line + 1; l <= n.last; ++l) {
            const QString &text = m_lines.at(l);
            if (isBlank(text) || isComment(text))
                continue;
            const qsizetype i = indentOf(text);
            return !QStringView(u"{[?*").contains(text.at(i)) && !isDash(text, i);
        }
        return false;
    }

    bool setIn(Lines &lines, const QList<Node> &chain, const QStringList &segments,
               const QJsonValue &value, bool literal) const
    {
        const qsizetype known = chain.size();
        if (known == segments.size())
            return replaceValue(lines, chain.last(), value, literal);
        if (known > 0 && !blockMapping(chain.last())) {
            // A scalar, null, flow collection, ... becomes the new mapping.
            return replaceValue(lines, chain.last(), valueAt(m_expected, segments, known), literal);
        }
        if (known == 0 && !m_blockRoot && !m_json.toObject().isEmpty())
            return false; // a flow mapping at the root
        if (valueAt(m_json, segments, known).toObject().contains(segments.at(known)))
            return false; // there, but not where this can edit it
        return insertMember(lines, known > 0 ? &chain.last() : nullptr, segments, known,
                            withSet({}, segments, known + 1, value), literal);
    }

    // The same change made by writing one of the chain's nodes anew, from
    // chain[count - 1] up to the top-level key, and at last the whole root.
    std::optional<QString> rewrite(const QList<Node> &chain, qsizetype count) const
    {
        for (qsizetype i = count - 1; i >= 0; --i) {
            const QStringList segments = chain.at(i).path.split(u'.');
            for (const bool literal : {true, false}) {
                Lines lines = m_lines;
                if (replaceValue(lines, chain.at(i), valueAt(m_expected, segments, i + 1), literal))
                    if (std::optional<QString> out = accept(lines))
                        return out;
            }
        }
        for (const bool literal : {true, false}) {
            Lines lines = m_lines;
            const qsizetype start = lines.rootStart();
            const QJsonObject root = m_expected.toObject();
            QStringList with;
            if (!root.isEmpty())
                with = toYamlBlock(root, layout({}, -step(), literal)).lines;
            lines.replace(start, lines.size() - start, with);
            if (std::optional<QString> out = accept(lines))
                return out;
        }
        return std::nullopt;
    }

    // `value` in place of the value of `n`.
    bool replaceValue(Lines &lines, const Node &n, const QJsonValue &value, bool literal) const
    {
        const QString line = lines.at(n.line);
        const YamlBlock block = toYamlBlock(value, layout(n.path, n.indent, literal));
        const bool oneLine =
            n.head == Head::Plain || n.head == Head::SingleQuoted || n.head == Head::DoubleQuoted;
        if (oneLine && n.last == n.line && block.lines.isEmpty()) {
            // Just the scalar's text, in the style it was written in.
            qsizetype end = n.comment >= 0 ? n.comment : line.size();
            while (end > n.value && isSpace(line.at(end - 1)))
                --end;
            lines.setLine(n.line, line.first(n.value) + scalarText(value, n.head, block.head) +
                                      line.sliced(end));
            return true;
        }
        // A comment on the key's line stays there.
        QString trailer;
        if (n.comment >= 0) {
            qsizetype from = n.comment;
            while (from > n.colon + 1 && isSpace(line.at(from - 1)))
                --from;
            trailer = line.sliced(from);
        }
        QStringList with = block.lines;
        with.prepend(line.first(n.colon + 1) + block.head + trailer);
        lines.replace(n.line, n.last - n.line + 1, with);
        return true;
    }

    // A new scalar for one written as `head`: strings keep its quoting where
    // they can; `fallback` is toYaml()'s text (with a leading space).
    static QString scalarText(const QJsonValue &value, Head head, const QString &fallback)
    {
        if (value.isString()) {
            const QString s = value.toString();
            if (head == Head::SingleQuoted) {
                QString quoted = singleQuoted(s);
                if (!quoted.isNull())
                    return quoted;
            }
            if (head == Head::DoubleQuoted)
                return doubleQuotedYaml(s);
        }
        return fallback.sliced(1);
    }

    // Member segments[index] (not there yet) with `value`, added to the
    // block mapping of `parent` (the root when null).
    bool insertMember(Lines &lines, const Node *parent, const QStringList &segments,
                      qsizetype index, const QJsonValue &value, bool literal) const
    {
        const QString parentPath = joinPath(segments, index);
        const QString &key = segments.at(index);
        const QString path = parentPath.isEmpty() ? key : parentPath + u'.' + key;

        // The siblings in the order written.
        struct Sibling
        {
            QString path;
            YamlDocument::Position at;
        };
        QList<Sibling> siblings;
        const QJsonObject object = valueAt(m_json, segments, index).toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QString sibling = parentPath.isEmpty() ? it.key() : parentPath + u'.' + it.key();
            if (!m_doc.contains(sibling))
                return false;
            siblings.append(Sibling{sibling, m_doc.keyPosition(sibling)});
        }
        std::sort(siblings.begin(), siblings.end(), [](const Sibling &a, const Sibling &b) {
            return a.at.line != b.at.line ? a.at.line < b.at.line : a.at.column < b.at.column;
        });
        QStringList paths;
        paths.reserve(siblings.size());
        for (const Sibling &s : std::as_const(siblings))
            paths.append(s.path);

        qsizetype at = 0; // the line the member goes before
        qsizetype indent = 0;
        if (siblings.isEmpty()) {
            // An empty document: at its end, before a "..." end marker.
            at = lines.size();
            for (qsizetype l = 0; l < lines.size(); ++l) {
                if (isMarker(lines.at(l), u"...")) {
                    at = l;
                    break;
                }
            }
        } else {
            const Place place = placeAmong(paths, path);
            const std::optional<Node> next = node(paths.at(place.sibling));
            if (!next)
                return false;
            indent = next->indent;
            if (place.after) {
                at = next->last + 1;
            } else {
                // Before the sibling's comment lines, which are about it.
                at = next->line;
                const qsizetype top = parent ? parent->line + 1 : 0;
                while (at > top && isComment(lines.at(at - 1)))
                    --at;
            }
        }
        const QJsonObject member{{key, value}};
        lines.replace(at, 0,
                      toYamlBlock(member, layout(parentPath, indent - step(), literal)).lines);
        return true;
    }

    struct Place
    {
        qsizetype sibling = 0; // an index into the siblings
        bool after = true;     // after it, or before it
    };

    // Where `path` goes among the sibling `paths` (in their written order):
    // after the one that the caller's key order places closest before it,
    // else before the one it places closest after it, else after the last.
    Place placeAmong(const QStringList &paths, const QString &path) const
    {
        const qsizetype rank = m_rank.value(path, -1);
        qsizetype before = -1;
        qsizetype after = -1;
        if (rank >= 0) {
            for (qsizetype i = 0; i < paths.size(); ++i) {
                const qsizetype r = m_rank.value(paths.at(i), -1);
                if (r < 0)
                    continue;
                if (r < rank && (before < 0 || r > m_rank.value(paths.at(before))))
                    before = i;
                if (r > rank && (after < 0 || r < m_rank.value(paths.at(after))))
                    after = i;
            }
        }
        if (before >= 0)
            return {before, true};
        if (after >= 0)
            return {after, false};
        return {paths.size() - 1, true};
    }

    // How new values under the key of `path` at `indent` are written: the
    // file's indentation step, the keys that were in the file in their old
    // order, new ones where placeAmong() puts them.
    YamlLayout layout(const QString &path, qsizetype indent, bool literal) const
    {
        YamlLayout layout;
        layout.indent = int(indent);
        layout.step = step();
        layout.literalBlocks = literal;
        layout.keyOrder = [this, path](const QString &relative, const QJsonObject &object) {
            QString base = path;
            if (!relative.isEmpty())
                base = base.isEmpty() ? relative : base + u'.' + relative;
            const auto full = [&base](const QString &key) {
                return base.isEmpty() ? key : base + u'.' + key;
            };
            QList<std::pair<YamlDocument::Position, QString>> written;
            QStringList added;
            for (auto it = object.begin(); it != object.end(); ++it) {
                if (m_doc.contains(full(it.key())))
                    written.append({m_doc.keyPosition(full(it.key())), it.key()});
                else
                    added.append(it.key());
            }
            std::sort(written.begin(), written.end(), [](const auto &a, const auto &b) {
                return a.first.line != b.first.line ? a.first.line < b.first.line
                                                    : a.first.column < b.first.column;
            });
            std::stable_sort(added.begin(), added.end(), [&](const QString &a, const QString &b) {
                const qsizetype ra = m_rank.value(full(a), m_rank.size());
                const qsizetype rb = m_rank.value(full(b), m_rank.size());
                return ra < rb;
            });
            QStringList paths;
            for (const auto &w : std::as_const(written))
                paths.append(full(w.second));
            for (const QString &key : std::as_const(added)) {
                if (paths.isEmpty()) {
                    paths.append(full(key));
                    continue;
                }
                const Place place = placeAmong(paths, full(key));
                paths.insert(place.sibling + (place.after ? 1 : 0), full(key));
            }
            QStringList keys;
            keys.reserve(paths.size());
            for (const QString &p : std::as_const(paths))
                keys.append(p.sliced(base.isEmpty() ? 0 : base.size() + 1));
            return keys;
        };
        return layout;
    }

    int step() const
    {
        if (m_step == 0)
            m_step = m_lines.step();
        return m_step;
    }

    QString m_bom;
    Lines m_lines;
    YamlDocument m_doc;
    QHash<QString, qsizetype> m_rank; // of the caller's key order
    QJsonValue m_json;                // the document's, {} when empty
    QJsonValue m_expected;            // after the change
    bool m_usable = false;
    bool m_blockRoot = false; // a block mapping at the root
    mutable int m_step = 0;
};

} // namespace

std::optional<QString> YamlEdit::set(const QString &yaml, const QString &path,
                                     const QJsonValue &value, const QStringList &keyOrder)
{
    if (path.isEmpty() || value.isUndefined())
        return std::nullopt;
    Editor editor(yaml, keyOrder);
    if (!editor.usable())
        return std::nullopt;
    return editor.set(path.split(u'.'), value);
}

std::optional<QString> YamlEdit::remove(const QString &yaml, const QString &path)
{
    if (path.isEmpty())
        return std::nullopt;
    Editor editor(yaml, {});
    if (!editor.usable())
        return std::nullopt;
    return editor.remove(path.split(u'.'));
}

} // namespace pf::api
