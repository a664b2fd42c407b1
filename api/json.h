// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QLatin1StringView>
#include <QRegularExpression>
#include <QString>

// Shared helpers of the JSON codecs in this library.
//
// Every fromJson() of the API types is lenient: unknown members are ignored,
// and a missing member or one of the wrong type reads as the default (empty
// string, 0, false, null QDateTime, empty object/array). The read* helpers
// below implement exactly that and never throw.

namespace pf::api {

// "2026-11-22T06:45:00Z": UTC, seconds precision (milliseconds are dropped).
// A null or invalid QDateTime gives an empty string.
QString toIsoUtc(const QDateTime &time);

// A time as the API writes it: toIsoUtc(), or JSON null for a null/invalid time.
QJsonValue timeToJson(const QDateTime &time);

// Reads an ISO 8601 UTC time: "YYYY-MM-DDTHH:MM:SS", optionally with a fraction
// of a second (any number of digits, kept to milliseconds), then "Z" or
// "+00:00". Anything else (other offsets, no offset, JSON null, non-strings,
// out-of-range fields) gives a null QDateTime. Valid results have Qt::UTC.
QDateTime timeFromJson(const QJsonValue &value);

// A string, or JSON null when it is empty (e.g. "next_cursor").
QJsonValue stringOrNull(const QString &s);

// Lenient member readers: the member's value when it has the right JSON type,
// else the default. Integers must be integral numbers that fit the result type.
QString readString(const QJsonObject &o, QLatin1StringView key);
qint64 readInt64(const QJsonObject &o, QLatin1StringView key);

// The value at a dotted member path ("job_setting.docker.image"); undefined
// when a member on the way is missing or not an object.
QJsonValue valueAtPath(const QJsonObject &object, QStringView path);

// `pattern` compiled once per thread (JSON Schema patterns are checked over
// and over; compiling one costs more than matching it).
const QRegularExpression &cachedRegularExpression(const QString &pattern);
int readInt(const QJsonObject &o, QLatin1StringView key);
double readDouble(const QJsonObject &o, QLatin1StringView key);
bool readBool(const QJsonObject &o, QLatin1StringView key);
QJsonObject readObject(const QJsonObject &o, QLatin1StringView key);
QJsonArray readArray(const QJsonObject &o, QLatin1StringView key);
QDateTime readTime(const QJsonObject &o, QLatin1StringView key);

} // namespace pf::api
