// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "router.h"

#include <stdexcept>

#include <QRegularExpression>
#include <QStringDecoder>

namespace pf::server {

namespace http = boost::beast::http;

namespace {

bool isUuid(const QString &s)
{
    static const QRegularExpression re(QStringLiteral(
        "\\A[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\z"));
    return re.match(s).hasMatch();
}

bool isId(const QString &s)
{
    if (s.isEmpty() || s.size() > 18)
        return false;
    for (const QChar c : s) {
        if (c < u'0' || c > u'9')
            return false;
    }
    return s.toLongLong() > 0;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

} // namespace

void Router::add(http::verb method, std::string_view pattern, Handler handler, RouteOptions options)
{
    Compiled compiled;
    const QString text = QString::fromUtf8(pattern.data(), qsizetype(pattern.size()));
    const QStringList parts = text.split(u'/', Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        if (part.startsWith(u'{') && part.endsWith(u'}')) {
            const QString inner = part.mid(1, part.size() - 2);
            const qsizetype colon = inner.indexOf(u':');
            const QString name = colon < 0 ? inner : inner.left(colon);
            const QString type = colon < 0 ? QString() : inner.mid(colon + 1);
            SegmentKind kind = SegmentKind::Any;
            if (type == u"uuid")
                kind = SegmentKind::Uuid;
            else if (type == u"int")
                kind = SegmentKind::Int;
            else if (!type.isEmpty())
                throw std::invalid_argument("unknown parameter type in route pattern");
            compiled.segments.push_back({kind, name});
        } else {
            compiled.segments.push_back({SegmentKind::Literal, part});
        }
    }
    m_routes.push_back({method, text, std::move(handler), options});
    m_compiled.push_back(std::move(compiled));
}

Router::Match Router::match(http::verb method, const QStringList &segments) const
{
    Match best;
    int bestLiterals = -1;
    std::string allow;
    QString paramProblem;

    for (size_t r = 0; r < m_routes.size(); ++r) {
        const Compiled &c = m_compiled[r];
        if (c.segments.size() != size_t(segments.size()))
            continue;
        int literals = 0;
        bool shape = true;
        QString problem;
        for (size_t i = 0; i < c.segments.size() && shape; ++i) {
            const Segment &seg = c.segments[i];
            const QString &value = segments[qsizetype(i)];
            switch (seg.kind) {
            case SegmentKind::Literal:
                shape = value == seg.text;
                ++literals;
                break;
            case SegmentKind::Uuid:
                if (problem.isEmpty() && !isUuid(value))
                    problem = QStringLiteral("`%1` must be a UUID, got '%2'.")
                                  .arg(seg.text, value.left(64));
                break;
            case SegmentKind::Int:
                if (problem.isEmpty() && !isId(value))
                    problem = QStringLiteral("`%1` must be a positive whole number, got '%2'.")
                                  .arg(seg.text, value.left(64));
                break;
            case SegmentKind::Any:
                break;
            }
        }
        if (!shape)
            continue;
        if (!problem.isEmpty()) {
            if (paramProblem.isEmpty())
                paramProblem = problem;
            continue;
        }
        if (m_routes[r].method != method) {
            const auto name = http::to_string(m_routes[r].method);
            // Whole names only: "LOCK" must not count as listed because of "UNLOCK".
            const std::string listed = ", " + allow + ", ";
            if (listed.find(", " + std::string(name) + ", ") == std::string::npos) {
                if (!allow.empty())
                    allow += ", ";
                allow.append(name.data(), name.size());
            }
            continue;
        }
        if (literals > bestLiterals) {
            bestLiterals = literals;
            best.kind = Match::Kind::Found;
            best.route = &m_routes[r];
            best.params.clear();
            for (size_t i = 0; i < c.segments.size(); ++i) {
                // UUIDs are stored lower-case; an upper-case one names the same thing.
                if (c.segments[i].kind == SegmentKind::Uuid)
                    best.params.insert(c.segments[i].text, segments[qsizetype(i)].toLower());
                else if (c.segments[i].kind != SegmentKind::Literal)
                    best.params.insert(c.segments[i].text, segments[qsizetype(i)]);
            }
        }
    }
    if (best.kind == Match::Kind::Found)
        return best;
    if (!allow.empty()) {
        best.kind = Match::Kind::MethodNotAllowed;
        best.allow = std::move(allow);
    } else if (!paramProblem.isEmpty()) {
        best.kind = Match::Kind::BadParameter;
        best.detail = paramProblem;
    }
    return best;
}

bool Router::splitPath(std::string_view rawPath, QStringList *segments, QString *decodedPath)
{
    segments->clear();
    if (rawPath.empty() || rawPath.front() != '/')
        return false;
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    size_t pos = 1;
    QString path = QStringLiteral("/");
    while (pos <= rawPath.size()) {
        size_t slash = rawPath.find('/', pos);
        if (slash == std::string_view::npos)
            slash = rawPath.size();
        const std::string_view raw = rawPath.substr(pos, slash - pos);
        const bool last = slash == rawPath.size();
        if (raw.empty()) {
            // Only the final segment may be empty: the optional trailing slash.
            if (!last)
                return false;
            break;
        }
        QByteArray bytes;
        bytes.reserve(qsizetype(raw.size()));
        for (size_t i = 0; i < raw.size(); ++i) {
            if (raw[i] == '%') {
                const int hi = i + 1 < raw.size() ? hexValue(raw[i + 1]) : -1;
                const int lo = i + 2 < raw.size() ? hexValue(raw[i + 2]) : -1;
                if (hi < 0 || lo < 0)
                    return false;
                bytes.append(char(hi * 16 + lo));
                i += 2;
            } else {
                bytes.append(raw[i]);
            }
        }
        if (bytes.contains('\0'))
            return false;
        const QString segment = decoder(bytes);
        if (decoder.hasError())
            return false;
        segments->append(segment);
        if (path.size() > 1)
            path += u'/';
        path += segment;
        pos = slash + 1;
    }
    *decodedPath = path;
    return true;
}

} // namespace pf::server
