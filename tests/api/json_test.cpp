// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <gtest/gtest.h>

#include <QDate>
#include <QDateTime>
#include <QJsonArray>
#include <QTime>
#include <QTimeZone>

#include "api/json.h"

using namespace Qt::StringLiterals;
using namespace pf::api;

namespace {

QDateTime utc(int y, int mo, int d, int h, int mi, int s, int ms = 0)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi, s, ms), Qt::UTC);
}

std::string iso(const QDateTime &t)
{
    return toIsoUtc(t).toStdString();
}

} // namespace

TEST(Json, ToIsoUtcFormatsSecondsWithZ)
{
    EXPECT_EQ(iso(utc(2026, 11, 22, 6, 45, 0)), "2026-11-22T06:45:00Z");
    EXPECT_EQ(iso(utc(2026, 1, 2, 3, 4, 5)), "2026-01-02T03:04:05Z");
}

TEST(Json, ToIsoUtcDropsMilliseconds)
{
    EXPECT_EQ(iso(utc(2026, 11, 22, 6, 45, 0, 999)), "2026-11-22T06:45:00Z");
}

TEST(Json, ToIsoUtcConvertsOtherZonesToUtc)
{
    const QDateTime plusTwo(QDate(2026, 11, 22), QTime(8, 45, 0), Qt::OffsetFromUTC, 2 * 3600);
    EXPECT_EQ(iso(plusTwo), "2026-11-22T06:45:00Z");
    const QDateTime tokyo(QDate(2026, 11, 22), QTime(15, 45, 0),
                          QTimeZone(QByteArrayLiteral("Asia/Tokyo")));
    ASSERT_TRUE(tokyo.isValid());
    EXPECT_EQ(iso(tokyo), "2026-11-22T06:45:00Z");
}

TEST(Json, NullTimeIsEmptyStringAndJsonNull)
{
    EXPECT_TRUE(toIsoUtc(QDateTime()).isEmpty());
    EXPECT_TRUE(timeToJson(QDateTime()).isNull());
    const QJsonValue v = timeToJson(utc(2026, 11, 22, 6, 45, 0));
    ASSERT_TRUE(v.isString());
    EXPECT_EQ(v.toString(), u"2026-11-22T06:45:00Z"_s);
}

TEST(Json, TimeFromJsonAcceptsTheApiForms)
{
    const QDateTime expected = utc(2026, 11, 22, 6, 45, 0);
    EXPECT_EQ(timeFromJson(u"2026-11-22T06:45:00Z"_s), expected);
    EXPECT_EQ(timeFromJson(u"2026-11-22T06:45:00+00:00"_s), expected);
    EXPECT_EQ(timeFromJson(u"2026-11-22T06:45:00.000Z"_s), expected);
    EXPECT_EQ(timeFromJson(u"2026-11-22T06:45:00.123Z"_s), utc(2026, 11, 22, 6, 45, 0, 123));
    EXPECT_EQ(timeFromJson(u"2026-11-22T06:45:00.5+00:00"_s), utc(2026, 11, 22, 6, 45, 0, 500));
    // Python's isoformat() gives microseconds.
    EXPECT_EQ(timeFromJson(u"2026-11-22T06:45:00.123456+00:00"_s),
              utc(2026, 11, 22, 6, 45, 0, 123));
    EXPECT_EQ(timeFromJson(u"2026-11-22T06:45:00Z"_s).timeSpec(), Qt::UTC);
}

TEST(Json, TimeFromJsonRejectsEverythingElse)
{
    const char *bad[] = {
        "",
        "2026-11-22",
        "2026-11-22T06:45:00",       // no offset: local time is ambiguous
        "2026-11-22T06:45:00+02:00", // only UTC
        "2026-11-22T06:45:00-00:00",
        "2026-11-22 06:45:00Z",
        "2026-11-22T06:45Z",
        "2026-11-22T06:45:00.Z",
        "2026-13-22T06:45:00Z",
        "2026-02-30T06:45:00Z",
        "2026-11-22T25:00:00Z",
        "2026-11-22T06:45:00ZZ",
        " 2026-11-22T06:45:00Z",
        "yesterday",
    };
    for (const char *s : bad)
        EXPECT_TRUE(timeFromJson(QString::fromLatin1(s)).isNull()) << s;
    EXPECT_TRUE(timeFromJson(QJsonValue()).isNull());
    EXPECT_TRUE(timeFromJson(QJsonValue(QJsonValue::Undefined)).isNull());
    EXPECT_TRUE(timeFromJson(QJsonValue(1763793900)).isNull());
    EXPECT_TRUE(timeFromJson(QJsonArray{u"2026-11-22T06:45:00Z"_s}).isNull());
}

TEST(Json, TimeRoundTrips)
{
    const QDateTime t = utc(1999, 12, 31, 23, 59, 59);
    EXPECT_EQ(timeFromJson(timeToJson(t)), t);
    EXPECT_TRUE(timeFromJson(timeToJson(QDateTime())).isNull());
}

TEST(Json, StringOrNull)
{
    EXPECT_TRUE(stringOrNull(QString()).isNull());
    EXPECT_TRUE(stringOrNull(u""_s).isNull());
    EXPECT_EQ(stringOrNull(u"abc"_s).toString(), u"abc"_s);
}

TEST(Json, ReadersReturnValuesOfTheRightType)
{
    const QJsonObject o{{u"s"_s, u"text"_s},
                        {u"i"_s, 42},
                        {u"big"_s, qint64(1) << 40},
                        {u"d"_s, 2.5},
                        {u"b"_s, true},
                        {u"o"_s, QJsonObject{{u"k"_s, 1}}},
                        {u"a"_s, QJsonArray{1, 2}},
                        {u"t"_s, u"2026-11-22T06:45:00Z"_s}};
    EXPECT_EQ(readString(o, "s"_L1), u"text"_s);
    EXPECT_EQ(readInt(o, "i"_L1), 42);
    EXPECT_EQ(readInt64(o, "big"_L1), qint64(1) << 40);
    EXPECT_EQ(readDouble(o, "d"_L1), 2.5);
    EXPECT_EQ(readDouble(o, "i"_L1), 42.0);
    EXPECT_TRUE(readBool(o, "b"_L1));
    EXPECT_EQ(readObject(o, "o"_L1), (QJsonObject{{u"k"_s, 1}}));
    EXPECT_EQ(readArray(o, "a"_L1), (QJsonArray{1, 2}));
    EXPECT_EQ(readTime(o, "t"_L1), utc(2026, 11, 22, 6, 45, 0));
}

TEST(Json, ReadersGiveDefaultsForMissingAndWrongTypes)
{
    const QJsonObject o{{u"s"_s, 7},
                        {u"i"_s, u"42"_s},
                        {u"frac"_s, 1.5},
                        {u"big"_s, qint64(1) << 40},
                        {u"d"_s, u"2.5"_s},
                        {u"b"_s, 1},
                        {u"o"_s, QJsonArray{1}},
                        {u"a"_s, QJsonObject{}},
                        {u"t"_s, 5},
                        {u"n"_s, QJsonValue::Null}};
    EXPECT_TRUE(readString(o, "s"_L1).isEmpty());
    EXPECT_TRUE(readString(o, "missing"_L1).isEmpty());
    EXPECT_TRUE(readString(o, "n"_L1).isEmpty());
    EXPECT_EQ(readInt(o, "i"_L1), 0);
    EXPECT_EQ(readInt(o, "frac"_L1), 0);
    EXPECT_EQ(readInt(o, "big"_L1), 0); // does not fit an int
    EXPECT_EQ(readInt64(o, "i"_L1), 0);
    EXPECT_EQ(readInt64(o, "frac"_L1), 0);
    EXPECT_EQ(readInt64(o, "missing"_L1), 0);
    EXPECT_EQ(readDouble(o, "d"_L1), 0.0);
    EXPECT_FALSE(readBool(o, "b"_L1));
    EXPECT_FALSE(readBool(o, "missing"_L1));
    EXPECT_TRUE(readObject(o, "o"_L1).isEmpty());
    EXPECT_TRUE(readArray(o, "a"_L1).isEmpty());
    EXPECT_TRUE(readTime(o, "t"_L1).isNull());
    EXPECT_TRUE(readTime(o, "n"_L1).isNull());
}
