// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "json.h"

#include <QDate>
#include <QHash>
#include <QRegularExpression>
#include <QTime>

using namespace Qt::StringLiterals;

namespace pf::api {

QString toIsoUtc(const QDateTime &time)
{
    if (!time.isValid())
        return {};
    // An explicit format rather than Qt::ISODate: ISODate would add
    // milliseconds when the time has them, and the API promises seconds.
    return time.toUTC().toString(u"yyyy-MM-dd'T'HH:mm:ss'Z'"_s);
}

QJsonValue timeToJson(const QDateTime &time)
{
    if (!time.isValid())
        return QJsonValue(QJsonValue::Null);
    return toIsoUtc(time);
}

QDateTime timeFromJson(const QJsonValue &value)
{
    if (!value.isString())
        return {};
    // Hand-parsed: QDateTime::fromString(Qt::ISODate) also accepts local
    // times without an offset and other offsets, which the API never sends
    // and which would silently shift the instant.
    static const QRegularExpression re(
        uR"(^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?(?:Z|\+00:00)$)"_s);
    const QRegularExpressionMatch m = re.match(value.toString());
    if (!m.hasMatch())
        return {};
    const QDate date(m.capturedView(1).toInt(), m.capturedView(2).toInt(),
                     m.capturedView(3).toInt());
    int ms = 0;
    if (m.hasCaptured(7)) {
        // Python servers send microseconds; keep the first three digits.
        QString frac = m.captured(7).left(3);
        while (frac.size() < 3)
            frac.append(u'0');
        ms = frac.toInt();
    }
    const QTime time(m.capturedView(4).toInt(), m.capturedView(5).toInt(),
                     m.capturedView(6).toInt(), ms);
    if (!date.isValid() || !time.isValid())
        return {};
    return QDateTime(date, time, Qt::UTC);
}

QJsonValue stringOrNull(const QString &s)
{
    if (s.isEmpty())
        return QJsonValue(QJsonValue::Null);
    return s;
}

QString readString(const QJsonObject &o, QLatin1StringView key)
{
    return o.value(key).toString();
}

qint64 readInt64(const QJsonObject &o, QLatin1StringView key)
{
    return o.value(key).toInteger();
}

int readInt(const QJsonObject &o, QLatin1StringView key)
{
    return o.value(key).toInt();
}

double readDouble(const QJsonObject &o, QLatin1StringView key)
{
    return o.value(key).toDouble();
}

bool readBool(const QJsonObject &o, QLatin1StringView key)
{
    return o.value(key).toBool();
}

QJsonObject readObject(const QJsonObject &o, QLatin1StringView key)
{
    return o.value(key).toObject();
}

QJsonArray readArray(const QJsonObject &o, QLatin1StringView key)
{
    return o.value(key).toArray();
}

QDateTime readTime(const QJsonObject &o, QLatin1StringView key)
{
    return timeFromJson(o.value(key));
}

QJsonValue valueAtPath(const QJsonObject &object, QStringView path)
{
    QJsonValue v = object;
    for (const QStringView key : path.tokenize(u'.')) {
        if (!v.isObject())
            return QJsonValue::Undefined;
        v = v.toObject().value(key);
    }
    return v;
}

const QRegularExpression &cachedRegularExpression(const QString &pattern)
{
    thread_local QHash<QString, QRegularExpression> cache;
    if (cache.size() > 256) // a schema has a handful; this is a bound, not a tuning
        cache.clear();
    auto it = cache.find(pattern);
    if (it == cache.end())
        it = cache.insert(pattern, QRegularExpression(pattern));
    return *it;
}

} // namespace pf::api
