// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "yamldocument.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <locale>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <QJsonArray>
#include <QJsonObject>
#include <QMap>
#include <QRegularExpression>
#include <QSet>
#include <QStringConverter>
#include <QStringDecoder>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace pf::api {
namespace {

// yaml-cpp counts columns in bytes of UTF-8; editors count UTF-16 code units.
// Knowing where each line starts in the bytes turns one into the other.
class LineIndex
{
public:
    explicit LineIndex(const QByteArray &utf8)
        : m_text(utf8)
    {
        m_starts.push_back(0);
        for (qsizetype i = 0; i < utf8.size(); ++i) {
            if (utf8.at(i) == '\n')
                m_starts.push_back(i + 1);
        }
    }

    YamlDocument::Position position(const YAML::Mark &mark) const
    {
        if (mark.is_null() || mark.line < 0 || mark.column < 0)
            return {};
        if (static_cast<size_t>(mark.line) >= m_starts.size())
            return {mark.line + 1, mark.column + 1};
        const qsizetype start = m_starts[static_cast<size_t>(mark.line)];
        const qsizetype bytes = std::min<qsizetype>(mark.column, m_text.size() - start);
        const int column = int(QString::fromUtf8(m_text.constData() + start, bytes).size());
        return {mark.line + 1, column + 1};
    }

private:
    QByteArray m_text;
    std::vector<qsizetype> m_starts;
};

// Input in UTF-16 or UTF-32 (with a byte order mark) as UTF-8, and without a
// UTF-8 byte order mark, so that byte offsets match what yaml-cpp counts.
QByteArray toUtf8(const QByteArray &yaml)
{
    if (yaml.startsWith("\xEF\xBB\xBF"))
        return yaml.mid(3);
    const std::optional<QStringConverter::Encoding> encoding =
        QStringConverter::encodingForData(yaml);
    if (!encoding || *encoding == QStringConverter::Utf8)
        return yaml;
    QStringDecoder decode(*encoding, QStringConverter::Flag::Stateless);
    QString text = decode(yaml);
    if (text.startsWith(QChar(0xFEFF)))
        text.remove(0, 1);
    return text.toUtf8();
}

const QString kCoreTag = u"tag:yaml.org,2002:"_s;

} // namespace

// Walks yaml-cpp's node graph once, building the JSON value and the places.
class YamlDocument::Converter
{
public:
    Converter(const LineIndex &lines, YamlDocument &doc, qint64 budget)
        : m_lines(lines)
        , m_doc(doc)
        , m_budget(budget)
    {}

    QJsonValue convert(const YAML::Node &node, const QString &path, Position key, int depth)
    {
        const Position at = m_lines.position(node.Mark());
        // These two are reported with the top-level key's path (the full path
        // is as long as the problem is deep), at the key where they happen.
        if (depth > kMaxDepth) {
            if (!m_reportedDepth) {
                m_reportedDepth = true;
                problem(topLevel(path), u"is nested more than %1 levels deep"_s.arg(kMaxDepth),
                        key);
            }
            return QJsonValue(QJsonValue::Null);
        }
        if (--m_budget < 0) {
            if (!m_reportedBudget) {
                m_reportedBudget = true;
                problem(topLevel(path),
                        u"repeats aliased values more often than a file of this size can hold "
                        "(write the values out instead of using *aliases)"_s,
                        key);
            }
            return QJsonValue(QJsonValue::Null);
        }

        const bool scalar = node.Type() == YAML::NodeType::Scalar;
        m_doc.m_places.insert(path, Place{key, scalar ? at : key});

        switch (node.Type()) {
        case YAML::NodeType::Map:
            checkCollectionTag(node, path, at, u"map"_s);
            return mapping(node, path, depth);
        case YAML::NodeType::Sequence:
            checkCollectionTag(node, path, at, u"seq"_s);
            return sequence(node, path, depth);
        case YAML::NodeType::Scalar:
            return scalarValue(node, path, at);
        case YAML::NodeType::Null:
        case YAML::NodeType::Undefined:
            break;
        }
        return QJsonValue(QJsonValue::Null);
    }

private:
    QJsonValue mapping(const YAML::Node &node, const QString &path, int depth)
    {
        // QJsonObject keeps its keys sorted, so inserting in file order
        // shifts its storage for each key; gathering first and inserting in
        // sorted order keeps a mapping of many keys linear.
        QMap<QString, QJsonValue> members;
        for (auto it = node.begin(); it != node.end(); ++it) {
            const YAML::Node keyNode = it->first; // a handle; a reference here dangles
            const Position keyAt = m_lines.position(keyNode.Mark());
            if (keyNode.Type() != YAML::NodeType::Scalar) {
                problem(path, u"has a key that is not plain text (a mapping, list or empty key)"_s,
                        keyAt);
                continue;
            }
            const QString key = QString::fromStdString(keyNode.Scalar());
            const QString child = path.isEmpty() ? key : path + u'.' + key;
            if (members.contains(key))
                problem(child, u"is given more than once in this mapping; the last one counts"_s,
                        keyAt);
            members.insert(key, convert(it->second, child, keyAt, depth + 1));
        }
        QJsonObject object;
        for (auto it = members.cbegin(); it != members.cend(); ++it)
            object.insert(it.key(), it.value());
        return object;
    }

    QJsonValue sequence(const YAML::Node &node, const QString &path, int depth)
    {
        QJsonArray array;
        qsizetype index = 0;
        for (auto it = node.begin(); it != node.end(); ++it, ++index) {
            const YAML::Node &item = *it;
            const QString child = path + u'[' + QString::number(index) + u']';
            array.append(convert(item, child, m_lines.position(item.Mark()), depth + 1));
        }
        return array;
    }

    QJsonValue scalarValue(const YAML::Node &node, const QString &path, Position at)
    {
        const QString tag = QString::fromStdString(node.Tag());
        const QString text = QString::fromStdString(node.Scalar());
        if (tag == u"!" || tag == kCoreTag + u"str" || tag == kCoreTag + u"binary" ||
            tag == kCoreTag + u"timestamp")
            return text; // quoted, block, or explicitly text
        if (tag == u"?")
            return plain(text, path, at);
        if (tag == kCoreTag + u"null")
            return QJsonValue(QJsonValue::Null);
        if (tag == kCoreTag + u"bool") {
            if (const std::optional<bool> b = coreBool(text))
                return *b;
            problem(path, u"is tagged !!bool but is not true or false"_s, at);
            return text;
        }
        if (tag == kCoreTag + u"int") {
            if (const std::optional<QJsonValue> n = coreInt(text))
                return *n;
            problem(path, u"is tagged !!int but is not a whole number"_s, at);
            return text;
        }
        if (tag == kCoreTag + u"float") {
            if (const std::optional<QJsonValue> n = coreInt(text))
                return n->toDouble();
            if (const std::optional<QJsonValue> n = coreFloat(text, path, at))
                return *n;
            problem(path, u"is tagged !!float but is not a number"_s, at);
            return text;
        }
        problem(path, u"has the tag %1, which is ignored"_s.arg(tag), at, true);
        return plain(text, path, at);
    }

    void checkCollectionTag(const YAML::Node &node, const QString &path, Position at,
                            const QString &kind)
    {
        const QString tag = QString::fromStdString(node.Tag());
        if (tag.isEmpty() || tag == u"?" || tag == u"!" || tag == kCoreTag + kind)
            return;
        problem(path, u"has the tag %1, which is ignored"_s.arg(tag), at, true);
    }

    // A plain (unquoted) scalar, resolved by the YAML 1.2 core schema.
    QJsonValue plain(const QString &text, const QString &path, Position at)
    {
        if (text.isEmpty() || text == u"~" || text == u"null" || text == u"Null" || text == u"NULL")
            return QJsonValue(QJsonValue::Null);
        if (const std::optional<bool> b = coreBool(text))
            return *b;
        if (const std::optional<QJsonValue> n = coreInt(text))
            return *n;
        if (const std::optional<QJsonValue> n = coreFloat(text, path, at))
            return *n;
        static const QSet<QString> yaml11Bools = {u"yes"_s, u"Yes"_s, u"YES"_s, u"no"_s,
                                                  u"No"_s,  u"NO"_s,  u"on"_s,  u"On"_s,
                                                  u"ON"_s,  u"off"_s, u"Off"_s, u"OFF"_s};
        if (yaml11Bools.contains(text)) {
            const bool meansTrue = text.compare(u"yes"_s, Qt::CaseInsensitive) == 0 ||
                                   text.compare(u"on"_s, Qt::CaseInsensitive) == 0;
            problem(path,
                    u"is read as the text '%1', but older YAML readers (the pf CLI) read it as "
                    "%2: write %2, or quote it (\"%1\") to mean the text"_s.arg(
                        text, meansTrue ? u"true"_s : u"false"_s),
                    at, true);
        }
        return text;
    }

    static std::optional<bool> coreBool(const QString &text)
    {
        if (text == u"true" || text == u"True" || text == u"TRUE")
            return true;
        if (text == u"false" || text == u"False" || text == u"FALSE")
            return false;
        return std::nullopt;
    }

    static std::optional<QJsonValue> coreInt(const QString &text)
    {
        static const QRegularExpression decimal(u"^[-+]?[0-9]+$"_s);
        static const QRegularExpression octal(u"^0o[0-7]+$"_s);
        static const QRegularExpression hex(u"^0x[0-9a-fA-F]+$"_s);
        bool ok = false;
        if (decimal.match(text).hasMatch()) {
            const qint64 n = text.toLongLong(&ok);
            if (ok)
                return QJsonValue(n);
            return QJsonValue(text.toDouble()); // beyond 64 bits
        }
        if (octal.match(text).hasMatch() || hex.match(text).hasMatch()) {
            const qint64 n = text.mid(2).toLongLong(&ok, text.at(1) == u'o' ? 8 : 16);
            if (ok)
                return QJsonValue(n);
        }
        return std::nullopt;
    }

    std::optional<QJsonValue> coreFloat(const QString &text, const QString &path, Position at)
    {
        static const QRegularExpression number(
            u"^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$"_s);
        static const QRegularExpression special(u"^[-+]?\\.(inf|Inf|INF)$|^\\.(nan|NaN|NAN)$"_s);
        if (number.match(text).hasMatch()) {
            const double d = text.toDouble();
            if (std::isfinite(d))
                return QJsonValue(d);
        } else if (!special.match(text).hasMatch()) {
            return std::nullopt;
        }
        problem(path, u"is %1, which JSON cannot hold; write a finite number"_s.arg(text), at);
        return QJsonValue(QJsonValue::Null);
    }

    // "a" for "a.b[2].c"
    static QString topLevel(const QString &path)
    {
        for (qsizetype i = 0; i < path.size(); ++i) {
            if (path.at(i) == u'.' || path.at(i) == u'[')
                return path.left(i);
        }
        return path;
    }

    void problem(const QString &path, const QString &message, Position at, bool warning = false)
    {
        m_doc.m_problems.append(Problem{path, message, at, warning});
    }

    const LineIndex &m_lines;
    YamlDocument &m_doc;
    qint64 m_budget;
    bool m_reportedDepth = false;
    bool m_reportedBudget = false;
};

YamlDocument YamlDocument::parse(const QByteArray &yaml)
{
    YamlDocument doc;
    const QByteArray utf8 = toUtf8(yaml);
    const LineIndex lines(utf8);

    std::vector<YAML::Node> documents;
    try {
        documents = YAML::LoadAll(std::string(utf8.constData(), size_t(utf8.size())));
    } catch (const YAML::DeepRecursion &e) {
        // yaml-cpp's own message for this is "bad file".
        doc.m_problems.append(Problem{
            {},
            u"This is nested too deeply to be read (more than %1 levels)."_s.arg(e.depth() - 1),
            lines.position(e.mark)});
        return doc;
    } catch (const YAML::Exception &e) {
        doc.m_problems.append(
            Problem{{},
                    u"This is not valid YAML: %1."_s.arg(QString::fromStdString(e.msg)),
                    lines.position(e.mark)});
        return doc;
    } catch (const std::exception &e) {
        doc.m_problems.append(
            Problem{{},
                    u"This could not be read as YAML: %1."_s.arg(QString::fromLocal8Bit(e.what())),
                    Position{1, 1}});
        return doc;
    }

    doc.m_parsed = true;
    doc.m_json = QJsonValue(QJsonValue::Null);
    if (documents.empty()) {
        doc.m_places.insert({}, Place{{1, 1}, {1, 1}});
        return doc;
    }
    for (size_t i = 1; i < documents.size(); ++i) {
        if (documents[i].IsNull())
            continue; // a trailing "---" with nothing after it
        doc.m_problems.append(Problem{
            {},
            u"The file holds more than one YAML document (separated by ---); only the first "
            "is read."_s,
            lines.position(documents[i].Mark())});
        break;
    }

    // Without aliases a value takes at least one byte of text (and usually
    // more), so more values than bytes means aliases are multiplying them.
    const qint64 budget = qint64(utf8.size()) + 64;
    Converter converter(lines, doc, budget);
    Position start = lines.position(documents[0].Mark());
    if (start.line == 0)
        start = Position{1, 1};
    doc.m_json = converter.convert(documents[0], {}, start, 0);
    return doc;
}

QString YamlDocument::parentPath(const QString &path)
{
    if (path.endsWith(u']')) {
        const qsizetype open = path.lastIndexOf(u'[');
        if (open >= 0)
            return path.left(open);
    }
    const qsizetype dot = path.lastIndexOf(u'.');
    return dot < 0 ? QString() : path.left(dot);
}

const YamlDocument::Place *YamlDocument::nearest(const QString &path, bool *exact) const
{
    *exact = true;
    QString current = path;
    for (;;) {
        const auto it = m_places.constFind(current);
        if (it != m_places.constEnd())
            return &*it;
        *exact = false;
        if (current.isEmpty())
            return nullptr;
        current = parentPath(current);
    }
}

YamlDocument::Position YamlDocument::keyPosition(const QString &path) const
{
    bool exact = false;
    const Place *place = nearest(path, &exact);
    return place ? place->key : Position{};
}

YamlDocument::Position YamlDocument::valuePosition(const QString &path) const
{
    bool exact = false;
    const Place *place = nearest(path, &exact);
    if (!place)
        return {};
    return exact ? place->value : place->key;
}

namespace {

// Plain scalars that a YAML 1.2 (or 1.1) reader would not read as this string.
bool needsQuotes(const QString &s)
{
    static const QRegularExpression special(QStringLiteral(
        "^(|~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|"
        "Off|OFF|y|Y|n|N|[-+]?(\\.[0-9]+|[0-9][0-9_]*(\\.[0-9_]*)?)([eE][-+]?[0-9]+)?|"
        "0x[0-9a-fA-F]+|0o[0-7]+|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN))$"));
    if (special.match(s).hasMatch())
        return true;
    if (s.front().isSpace() || s.back().isSpace())
        return true;
    static const QString leading = QStringLiteral("-?:,[]{}#&*!|>'\"%@`");
    if (leading.contains(s.front()))
        return true;
    return s.contains(QStringLiteral(": ")) || s.contains(QStringLiteral(" #")) ||
           s.endsWith(u':') || s.contains(u'\t');
}

// Characters that only an escape in double quotes keeps: control characters
// (a tab and a line feed aside), the byte order mark, and those that YAML 1.1
// readers take for line breaks.
bool unprintable(char16_t c)
{
    return (c < 0x20 && c != u'\t' && c != u'\n') || (c >= 0x7F && c <= 0x9F) || c == 0xFEFF ||
           c == 0x2028 || c == 0x2029;
}

bool hasUnprintable(const QString &s)
{
    return std::any_of(s.cbegin(), s.cend(), [](QChar c) { return unprintable(c.unicode()); });
}

bool blank(QStringView line)
{
    return std::all_of(line.cbegin(), line.cend(), [](QChar c) { return c == u' ' || c == u'\t'; });
}

// A multi-line string as the content of a literal block: its header ("|-",
// "|", "|+", with an indentation indicator of `step` when the text's first
// line starts with white space) and its lines, not yet indented.
struct Literal
{
    QString header;
    QStringList lines;
    bool indicator = false;
};

std::optional<Literal> literal(const QString &s, int step)
{
    // A carriage return is a line break to a reader; the others cannot be
    // written without an escape.
    if (hasUnprintable(s))
        return std::nullopt;
    qsizetype breaks = 0; // at the end
    while (breaks < s.size() && s.at(s.size() - 1 - breaks) == u'\n')
        ++breaks;
    Literal l;
    l.lines = s.split(u'\n');
    if (breaks > 0)
        l.lines.removeLast();
    // The first line with text sets the block's indentation: white space
    // before it (on it, or on blank lines above it) needs the indicator.
    qsizetype first = 0;
    while (first < l.lines.size() && blank(l.lines.at(first)))
        ++first;
    if (first == l.lines.size())
        return std::nullopt; // nothing but blank lines: chomping would lose them
    for (qsizetype i = 0; i < first; ++i)
        l.indicator = l.indicator || !l.lines.at(i).isEmpty();
    const QChar lead = l.lines.at(first).front();
    l.indicator = l.indicator || lead == u' ' || lead == u'\t';
    l.header = u"|"_s;
    if (l.indicator)
        l.header += QString::number(step);
    if (breaks == 0)
        l.header += u'-';
    else if (breaks > 1)
        l.header += u'+';
    return l;
}

QString numberText(const QJsonValue &v)
{
    // QJsonValue holds whole numbers up to 2^53, and those read from text
    // as integers, as qint64.
    if (v.toVariant().typeId() == QMetaType::LongLong)
        return QString::number(v.toInteger());
    const double d = v.toDouble();
    if (std::isnan(d))
        return u".nan"_s;
    if (std::isinf(d))
        return d > 0 ? u".inf"_s : u"-.inf"_s;
    if (std::floor(d) == d && std::abs(d) < 9.0e15)
        return QString::number(static_cast<long long>(d));
    // As many digits as it takes to read back the same double, and a
    // fraction if it has none, so that it reads back as a double.
    // (yaml-cpp's own way, in the C locale.)
    std::ostringstream stream;
    stream.imbue(std::locale::classic());
    stream.precision(17);
    stream << d;
    QString text = QString::fromStdString(stream.str());
    if (!text.contains(u'.') && !text.contains(u'e'))
        text += u".0";
    return text;
}

QString keyText(const QString &key)
{
    return isPlainYamlString(key) ? key : doubleQuotedYaml(key);
}

QString joinPath(const QString &path, const QString &key)
{
    return path.isEmpty() ? key : path + u'.' + key;
}

class BlockWriter
{
public:
    explicit BlockWriter(const YamlLayout &layout)
        : m_layout(layout)
    {}

    // `value` under a key (or dash) at `indent`.
    YamlBlock write(const QJsonValue &value, int indent, const QString &path) const
    {
        const int inner = indent + m_layout.step;
        YamlBlock block;
        switch (value.type()) {
        case QJsonValue::Object: {
            const QJsonObject o = value.toObject();
            if (o.isEmpty()) {
                block.head = u" {}"_s;
                break;
            }
            const QStringList keys = m_layout.keyOrder ? m_layout.keyOrder(path, o) : o.keys();
            for (const QString &key : keys)
                member(block.lines, key, o.value(key), inner, joinPath(path, key));
            break;
        }
        case QJsonValue::Array: {
            const QJsonArray a = value.toArray();
            if (a.isEmpty()) {
                block.head = u" []"_s;
                break;
            }
            for (qsizetype i = 0; i < a.size(); ++i)
                item(block.lines, a.at(i), inner, path + u'[' + QString::number(i) + u']');
            break;
        }
        case QJsonValue::String: {
            const QString s = value.toString();
            if (m_layout.literalBlocks && s.contains(u'\n')) {
                if (std::optional<Literal> l = literal(s, m_layout.step)) {
                    block.head = u' ' + l->header;
                    const QString pad(inner, u' ');
                    for (const QString &line : std::as_const(l->lines))
                        block.lines.append(line.isEmpty() ? line : pad + line);
                    break;
                }
            }
            block.head = u' ' + (isPlainYamlString(s) ? s : doubleQuotedYaml(s));
            break;
        }
        case QJsonValue::Double:
            block.head = u' ' + numberText(value);
            break;
        case QJsonValue::Bool:
            block.head = value.toBool() ? u" true"_s : u" false"_s;
            break;
        case QJsonValue::Null:
        case QJsonValue::Undefined:
            block.head = u" null"_s;
            break;
        }
        return block;
    }

private:
    void member(QStringList &lines, const QString &key, const QJsonValue &value, int indent,
                const QString &path) const
    {
        YamlBlock block = write(value, indent, path);
        lines.append(QString(indent, u' ') + keyText(key) + u':' + block.head);
        lines.append(std::move(block.lines));
    }

    void item(QStringList &lines, const QJsonValue &value, int indent, const QString &path) const
    {
        const QString dash = QString(indent, u' ') + u'-';
        if (value.isObject() && !value.toObject().isEmpty()) {
            // "- key: value", the mapping's other keys below the first.
            YamlBlock block = write(value, indent + 2 - m_layout.step, path);
            block.lines.first().replace(0, indent + 2, dash + u' ');
            lines.append(std::move(block.lines));
            return;
        }
        YamlBlock block = write(value, indent, path);
        lines.append(dash + block.head);
        lines.append(std::move(block.lines));
    }

    const YamlLayout &m_layout;
};

} // namespace

bool isPlainYamlString(const QString &text)
{
    return !text.contains(u'\n') && !hasUnprintable(text) && !needsQuotes(text);
}

QString doubleQuotedYaml(const QString &text)
{
    QString out;
    out.reserve(text.size() + 2);
    out += u'"';
    for (const QChar ch : text) {
        const char16_t c = ch.unicode();
        switch (c) {
        case u'"':
            out += u"\\\"";
            break;
        case u'\\':
            out += u"\\\\";
            break;
        case u'\n':
            out += u"\\n";
            break;
        case u'\t':
            out += u"\\t";
            break;
        case u'\r':
            out += u"\\r";
            break;
        case u'\b':
            out += u"\\b";
            break;
        case u'\f':
            out += u"\\f";
            break;
        default:
            if (c < 0x20 || (c >= 0x7F && c <= 0xA0))
                out += u"\\x" + QString::number(c, 16).rightJustified(2, u'0');
            else if (c == 0xFEFF || c == 0x2028 || c == 0x2029)
                out += u"\\u" + QString::number(c, 16);
            else
                out += ch;
        }
    }
    out += u'"';
    return out;
}

YamlBlock toYamlBlock(const QJsonValue &value, const YamlLayout &layout)
{
    return BlockWriter(layout).write(value, layout.indent, {});
}

QString toYaml(const QJsonValue &json)
{
    YamlLayout layout;
    const bool block = (json.isObject() && !json.toObject().isEmpty()) ||
                       (json.isArray() && !json.toArray().isEmpty());
    if (block)
        layout.indent = -layout.step; // the root's keys at column 0
    YamlBlock out = toYamlBlock(json, layout);
    if (json.isString() && !out.lines.isEmpty()) {
        // A literal block at the root: readers disagree on where an
        // indentation indicator counts from there.
        const std::optional<Literal> l = literal(json.toString(), layout.step);
        if (l && l->indicator)
            out = YamlBlock{u' ' + doubleQuotedYaml(json.toString()), {}};
    }
    QString text = block ? QString() : out.head.mid(1) + u'\n';
    for (const QString &line : std::as_const(out.lines))
        text += line + u'\n';
    return text;
}

} // namespace pf::api
