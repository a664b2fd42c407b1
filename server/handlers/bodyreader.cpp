// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "bodyreader.h"

#include <limits>

#include <QRegularExpression>

#include "server/http/request.h"

namespace pf::server {

using api::ApiError;

namespace {

bool hasControl(const QString &s)
{
    for (const QChar c : s) {
        if (c.category() == QChar::Other_Control)
            return true;
    }
    return false;
}

} // namespace

BodyReader::BodyReader(QJsonObject object)
    : m_object(std::move(object))
{}

BodyReader BodyReader::fromForm(const Request &request)
{
    QJsonObject o;
    const QueryItems items = request.formBody();
    for (const auto &[key, value] : items)
        o.insert(key, value);
    BodyReader reader(o);
    reader.m_form = true;
    return reader;
}

void BodyReader::fail(const QString &key, const QString &message)
{
    m_errors.append({key, message});
}

std::optional<QString> BodyReader::optionalString(const QString &key, int maxLength)
{
    const QJsonValue v = m_object.value(key);
    if (v.isUndefined() || v.isNull())
        return std::nullopt;
    if (!v.isString()) {
        fail(key, QStringLiteral("must be a string"));
        return std::nullopt;
    }
    const QString s = v.toString();
    if (s.size() > maxLength) {
        fail(key,
             QStringLiteral("must be at most %1 characters, got %2").arg(maxLength).arg(s.size()));
        return std::nullopt;
    }
    return s;
}

QString BodyReader::string(const QString &key, int maxLength)
{
    if (!m_object.contains(key) || m_object.value(key).isNull()) {
        fail(key, QStringLiteral("is required"));
        return {};
    }
    return optionalString(key, maxLength).value_or(QString());
}

std::optional<QString> BodyReader::optionalName(const QString &key)
{
    // 128 characters (code points: an emoji is one, not two UTF-16 units),
    // counted after trimming. The body limit bounds the raw string.
    constexpr qsizetype maxCharacters = 128;
    const auto raw = optionalString(key, std::numeric_limits<int>::max());
    if (!raw)
        return std::nullopt;
    const QString s = raw->trimmed();
    if (s.isEmpty()) {
        fail(key, QStringLiteral("must not be empty"));
        return std::nullopt;
    }
    if (const qsizetype n = s.toUcs4().size(); n > maxCharacters) {
        fail(key,
             QStringLiteral("must be at most %1 characters, got %2").arg(maxCharacters).arg(n));
        return std::nullopt;
    }
    if (hasControl(s)) {
        fail(key, QStringLiteral("must not contain control characters"));
        return std::nullopt;
    }
    if (!s.isValidUtf16()) { // a lone surrogate ("\ud800"): stored, it would become U+FFFD
        fail(key, QStringLiteral("must be valid Unicode text"));
        return std::nullopt;
    }
    return s;
}

QString BodyReader::name(const QString &key)
{
    if (!m_object.contains(key) || m_object.value(key).isNull()) {
        fail(key, QStringLiteral("is required"));
        return {};
    }
    return optionalName(key).value_or(QString());
}

QString BodyReader::email(const QString &key)
{
    static const QRegularExpression re(QStringLiteral("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"));
    // Checked whenever string() accepted the value, so "" and "  " fail too.
    const qsizetype errorsBefore = m_errors.size();
    const QString s = string(key, 254).trimmed();
    if (m_errors.size() == errorsBefore && !re.match(s).hasMatch())
        fail(key, QStringLiteral("must be an e-mail address"));
    return s.toLower();
}

QString BodyReader::password(const QString &key)
{
    // Only when string() accepted it: a too-long password is not also "too short".
    const qsizetype errorsBefore = m_errors.size();
    const QString s = string(key, 1024);
    if (m_errors.size() == errorsBefore && s.size() < 8)
        fail(key, QStringLiteral("must be at least 8 characters"));
    return s;
}

std::optional<qint64> BodyReader::optionalInteger(const QString &key, qint64 min, qint64 max)
{
    const QJsonValue v = m_object.value(key);
    if (v.isUndefined() || v.isNull())
        return std::nullopt;
    bool ok = false;
    qint64 n = 0;
    if (v.isDouble()) {
        const double d = v.toDouble();
        ok = d == std::floor(d) && std::abs(d) < 9.0e15;
        n = qint64(d);
    } else if (v.isString() && m_form) { // form bodies carry numbers as text
        n = v.toString().toLongLong(&ok);
    }
    if (!ok) {
        fail(key, QStringLiteral("must be a whole number"));
        return std::nullopt;
    }
    if (n < min || n > max) {
        fail(key, QStringLiteral("must be between %1 and %2, got %3").arg(min).arg(max).arg(n));
        return std::nullopt;
    }
    return n;
}

qint64 BodyReader::integer(const QString &key, qint64 min, qint64 max)
{
    if (!m_object.contains(key) || m_object.value(key).isNull()) {
        fail(key, QStringLiteral("is required"));
        return 0;
    }
    return optionalInteger(key, min, max).value_or(0);
}

std::optional<QJsonObject> BodyReader::optionalObject(const QString &key)
{
    const QJsonValue v = m_object.value(key);
    if (v.isUndefined() || v.isNull())
        return std::nullopt;
    if (!v.isObject()) {
        fail(key, QStringLiteral("must be an object"));
        return std::nullopt;
    }
    return v.toObject();
}

QJsonObject BodyReader::object(const QString &key)
{
    if (!m_object.contains(key) || m_object.value(key).isNull()) {
        fail(key, QStringLiteral("is required"));
        return {};
    }
    return optionalObject(key).value_or(QJsonObject());
}

void BodyReader::finish(const QSet<QString> &known)
{
    for (auto it = m_object.constBegin(); it != m_object.constEnd(); ++it) {
        if (!known.contains(it.key()))
            fail(it.key().left(64), QStringLiteral("is not a known field"));
    }
    if (m_errors.isEmpty())
        return;
    QStringList parts;
    for (const api::FieldError &e : std::as_const(m_errors))
        parts << QStringLiteral("`%1` %2").arg(e.path, e.message);
    throw ApiError::badRequest(parts.join(QStringLiteral("; ")) + u'.', m_errors);
}

PageRequest pageRequest(const Request &request)
{
    PageRequest page;
    if (const auto limit = request.query(QStringLiteral("limit"))) {
        bool ok = false;
        const int n = limit->toInt(&ok);
        if (!ok || n < 1 || n > PageRequest::MaxLimit)
            throw ApiError::badRequest(
                QStringLiteral("`limit` must be a whole number from 1 to %1.")
                    .arg(PageRequest::MaxLimit));
        page.limit = n;
    }
    if (const auto cursor = request.query(QStringLiteral("cursor")); cursor && !cursor->isEmpty()) {
        const auto seq = decodeCursor(*cursor);
        if (!seq)
            throw ApiError::badRequest(
                QStringLiteral("`cursor` is not a cursor this server gave out."));
        page.after = *seq;
    }
    return page;
}

} // namespace pf::server
