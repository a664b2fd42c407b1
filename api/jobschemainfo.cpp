// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "jobschemainfo.h"

#include <utility>
#include <vector>

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QRegularExpression>
#include <QSet>

#include "api/jobspec.h"
#include "api/resources.h"

using namespace Qt::StringLiterals;

namespace pf::api {
namespace {

// Deeper than this, a chain of $refs is a cycle.
constexpr int kMaxDepth = 32;

// The ids that clients fill in from names before they submit (JobSpec).
const QSet<QString> &clientFilledPaths()
{
    static const QSet<QString> paths = {u"experiment_id"_s, u"vm_config_id"_s, u"data.id"_s};
    return paths;
}

QString escapePointer(const QString &name)
{
    QString escaped = name;
    escaped.replace(u'~', u"~0"_s);
    escaped.replace(u'/', u"~1"_s);
    return escaped;
}

// The order in which each object of a JSON text lists its members, by the
// object's JSON pointer ("" for the root, "/properties/job_setting/properties").
// QJsonObject sorts its keys; the schema's own order (experiment, name, vm,
// ...) is the one a person expects in a completion list.
class KeyOrder
{
public:
    explicit KeyOrder(const QString &json) { scan(json); }

    QStringList keys(const QString &pointer) const { return m_keys.value(pointer); }

private:
    struct Frame
    {
        bool object = false;
        QString pointer;
        int index = 0; // arrays: the item being read
        QString key;   // objects: the member being read
        bool expectKey = false;
    };

    static QString readString(const QString &json, qsizetype &i)
    {
        QString out;
        for (++i; i < json.size() && json.at(i) != u'"'; ++i) {
            if (json.at(i) != u'\\' || i + 1 >= json.size()) {
                out += json.at(i);
                continue;
            }
            const QChar c = json.at(++i);
            switch (c.unicode()) {
            case 'b':
                out += u'\b';
                break;
            case 'f':
                out += u'\f';
                break;
            case 'n':
                out += u'\n';
                break;
            case 'r':
                out += u'\r';
                break;
            case 't':
                out += u'\t';
                break;
            case 'u':
                out += QChar(json.mid(i + 1, 4).toUShort(nullptr, 16));
                i += 4;
                break;
            default:
                out += c;
            }
        }
        return out;
    }

    void scan(const QString &json)
    {
        std::vector<Frame> stack;
        const auto childPointer = [&]() -> QString {
            if (stack.empty())
                return QString();
            const Frame &top = stack.back();
            return top.pointer + u'/' +
                   (top.object ? escapePointer(top.key) : QString::number(top.index));
        };
        for (qsizetype i = 0; i < json.size(); ++i) {
            const QChar c = json.at(i);
            if (c == u'{' || c == u'[') {
                stack.push_back(Frame{c == u'{', childPointer(), 0, {}, c == u'{'});
            } else if (c == u'}' || c == u']') {
                if (!stack.empty())
                    stack.pop_back();
            } else if (c == u',') {
                if (!stack.empty()) {
                    Frame &top = stack.back();
                    top.expectKey = top.object;
                    ++top.index;
                }
            } else if (c == u'"') {
                const QString text = readString(json, i);
                if (!stack.empty() && stack.back().expectKey) {
                    Frame &top = stack.back();
                    top.key = text;
                    top.expectKey = false;
                    m_keys[top.pointer].append(text);
                }
            }
        }
    }

    QHash<QString, QStringList> m_keys;
};

// A member of the schema with everything the subschemas say about it.
struct Node
{
    QString title;
    QString description;
    QStringList types;
    QStringList enumValues;
    QStringList order;                                        // member names, in schema order
    QHash<QString, int> members;                              // name -> node
    std::vector<std::pair<QRegularExpression, int>> patterns; // patternProperties
    int additional = -1; // additionalProperties given as a schema
    int items = -1;
};

QString asText(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::String:
        return v.toString();
    case QJsonValue::Bool:
        return v.toBool() ? u"true"_s : u"false"_s;
    case QJsonValue::Double:
        return QString::number(v.toDouble(), 'g', 15);
    case QJsonValue::Null:
        return u"null"_s;
    case QJsonValue::Array:
    case QJsonValue::Object:
    case QJsonValue::Undefined:
        break;
    }
    return {};
}

// A subschema that no value passes: the member is forbidden there, not described.
bool forbids(const QJsonValue &schema)
{
    if (schema.isBool())
        return !schema.toBool();
    const QJsonObject o = schema.toObject();
    if (o.size() != 1 || !o.contains("not"_L1))
        return false;
    const QJsonValue n = o.value("not"_L1);
    return (n.isBool() && n.toBool()) || (n.isObject() && n.toObject().isEmpty());
}

class Table
{
public:
    Table()
        : m_root(JobSpec::schema())
        , m_order(schemaText())
    {
        m_nodes.emplace_back();
        absorb(0, m_root, QString(), 0);
    }

    // The node at `path`, or -1.
    int find(const QString &path) const
    {
        int node = 0;
        if (path.isEmpty())
            return node;
        const QStringList parts = path.split(u'.');
        for (const QString &part : parts) {
            node = member(node, part);
            if (node < 0)
                return -1;
        }
        return node;
    }

    const Node &node(int index) const { return m_nodes[size_t(index)]; }

private:
    static QString schemaText()
    {
        initResources();
        QFile file(u":/schemas/job.schema.json"_s);
        if (!file.open(QIODevice::ReadOnly))
            return {}; // JobSpec::schema() has already refused to go on
        return QString::fromUtf8(file.readAll());
    }

    int member(int index, const QString &name) const
    {
        const Node &n = node(index);
        if (const auto it = n.members.constFind(name); it != n.members.constEnd())
            return *it;
        for (const auto &[pattern, child] : n.patterns) {
            if (pattern.match(name).hasMatch())
                return child;
        }
        if (n.additional >= 0)
            return n.additional;
        if (n.items >= 0)
            return member(n.items, name); // lists are stepped through without an index
        return -1;
    }

    int add()
    {
        m_nodes.emplace_back();
        return int(m_nodes.size() - 1);
    }

    // `m_nodes` grows while this runs, so nodes are held by index, never by
    // reference across a call.
    void absorb(int index, const QJsonObject &schema, const QString &pointer, int depth)
    {
        if (depth > kMaxDepth)
            return;
        if (const QString ref = schema.value("$ref"_L1).toString(); ref.startsWith(u'#'))
            resolve(index, ref.mid(1), depth);

        {
            Node &n = m_nodes[size_t(index)];
            if (n.title.isEmpty())
                n.title = schema.value("title"_L1).toString();
            if (n.description.isEmpty())
                n.description = schema.value("description"_L1).toString();
            const QJsonValue type = schema.value("type"_L1);
            const QJsonArray types = type.isArray() ? type.toArray() : QJsonArray{type};
            for (const QJsonValue &t : types) {
                if (t.isString() && !n.types.contains(t.toString()))
                    n.types.append(t.toString());
            }
            QJsonArray values = schema.value("enum"_L1).toArray();
            if (schema.contains("const"_L1))
                values.append(schema.value("const"_L1));
            for (const QJsonValue &v : std::as_const(values)) {
                const QString text = asText(v);
                if (!text.isNull() && !n.enumValues.contains(text))
                    n.enumValues.append(text);
            }
        }

        const QJsonObject properties = schema.value("properties"_L1).toObject();
        QStringList names = m_order.keys(pointer + u"/properties"_s);
        for (const QString &name : properties.keys()) {
            if (!names.contains(name))
                names.append(name);
        }
        for (const QString &name : std::as_const(names)) {
            const QJsonValue sub = properties.value(name);
            if (sub.isUndefined() || forbids(sub))
                continue;
            int child = m_nodes[size_t(index)].members.value(name, -1);
            if (child < 0) {
                child = add();
                m_nodes[size_t(index)].members.insert(name, child);
                m_nodes[size_t(index)].order.append(name);
            }
            absorb(child, sub.toObject(), pointer + u"/properties/"_s + escapePointer(name),
                   depth + 1);
        }

        const QJsonObject patterns = schema.value("patternProperties"_L1).toObject();
        for (auto it = patterns.constBegin(); it != patterns.constEnd(); ++it) {
            if (forbids(it.value()))
                continue;
            int child = -1;
            for (const auto &[pattern, existing] : m_nodes[size_t(index)].patterns) {
                if (pattern.pattern() == it.key())
                    child = existing;
            }
            if (child < 0) {
                child = add();
                m_nodes[size_t(index)].patterns.emplace_back(QRegularExpression(it.key()), child);
            }
            absorb(child, it.value().toObject(),
                   pointer + u"/patternProperties/"_s + escapePointer(it.key()), depth + 1);
        }

        const auto single = [&](QLatin1StringView keyword, int Node::*slot) {
            const QJsonValue sub = schema.value(keyword);
            if (!sub.isObject())
                return;
            int child = m_nodes[size_t(index)].*slot;
            if (child < 0) {
                child = add();
                m_nodes[size_t(index)].*slot = child;
            }
            absorb(child, sub.toObject(), pointer + u'/' + keyword, depth + 1);
        };
        single("additionalProperties"_L1, &Node::additional);
        single("items"_L1, &Node::items);

        // The branches of a combination or a condition describe the same
        // value; "if" only asks a question and "not" describes what it is not.
        for (const QLatin1StringView keyword : {"allOf"_L1, "anyOf"_L1, "oneOf"_L1}) {
            const QJsonArray branches = schema.value(keyword).toArray();
            for (qsizetype i = 0; i < branches.size(); ++i)
                absorb(index, branches.at(i).toObject(),
                       pointer + u'/' + keyword + u'/' + QString::number(i), depth + 1);
        }
        for (const QLatin1StringView keyword : {"then"_L1, "else"_L1}) {
            if (schema.value(keyword).isObject())
                absorb(index, schema.value(keyword).toObject(), pointer + u'/' + keyword,
                       depth + 1);
        }
    }

    // A "$ref" of this schema: "/definitions/name" (the part after '#').
    void resolve(int index, const QString &pointer, int depth)
    {
        QJsonValue target = m_root;
        const QStringList parts = pointer.split(u'/', Qt::SkipEmptyParts);
        for (QString part : parts) {
            part.replace(u"~1"_s, u"/"_s);
            part.replace(u"~0"_s, u"~"_s);
            target = target.isArray() ? target.toArray().at(part.toInt())
                                      : target.toObject().value(part);
        }
        if (target.isObject())
            absorb(index, target.toObject(), pointer, depth + 1);
    }

    QJsonObject m_root;
    KeyOrder m_order;
    std::vector<Node> m_nodes;
};

const Table &table()
{
    static const Table instance;
    return instance;
}

// The node at `path`, or null.
const Node *nodeAt(const QString &path)
{
    const int index = table().find(path);
    return index < 0 ? nullptr : &table().node(index);
}

bool writtenAsMapping(const Node &n)
{
    if (n.types.isEmpty())
        return !n.members.isEmpty() || !n.patterns.empty();
    return n.types == QStringList{u"object"_s};
}

} // namespace

QList<JobSchemaInfo::Property> JobSchemaInfo::properties(const QString &mappingPath)
{
    const int index = table().find(mappingPath);
    if (index < 0)
        return {};
    const Node *mapping = &table().node(index);
    if (mapping->members.isEmpty() && mapping->items >= 0)
        mapping = &table().node(mapping->items); // a list of mappings
    const QString prefix = mappingPath.isEmpty() ? QString() : mappingPath + u'.';
    QList<Property> out;
    out.reserve(mapping->order.size());
    for (const QString &name : mapping->order) {
        const Node &member = table().node(mapping->members.value(name));
        out.append(Property{name, member.title, member.description, writtenAsMapping(member),
                            clientFilledPaths().contains(prefix + name)});
    }
    return out;
}

bool JobSchemaInfo::contains(const QString &path)
{
    return nodeAt(path) != nullptr;
}

QString JobSchemaInfo::title(const QString &path)
{
    const Node *n = nodeAt(path);
    return n ? n->title : QString();
}

QString JobSchemaInfo::description(const QString &path)
{
    const Node *n = nodeAt(path);
    return n ? n->description : QString();
}

QStringList JobSchemaInfo::enumValues(const QString &path)
{
    const Node *n = nodeAt(path);
    return n ? n->enumValues : QStringList();
}

QString JobSchemaInfo::typeName(const QString &path)
{
    const Node *n = nodeAt(path);
    if (!n || n->types.isEmpty())
        return {};
    if (n->types.size() == 1)
        return n->types.first();
    return n->types.mid(0, n->types.size() - 1).join(u", "_s) + u" or "_s + n->types.last();
}

} // namespace pf::api
