// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <limits>

#include <gtest/gtest.h>

#include <QByteArray>

#include "server/store/pagination.h"
#include "tests/server/servertestutil.h"

using namespace Qt::StringLiterals;
using pf::server::decodeCursor;
using pf::server::encodeCursor;

namespace {

QString base64Url(const QByteArray &raw)
{
    return QString::fromLatin1(
        raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

} // namespace

TEST(Cursor, RoundTrip)
{
    for (const qint64 seq : {qint64(1), qint64(2), qint64(20), qint64(12345), qint64(1) << 40,
                             std::numeric_limits<qint64>::max()}) {
        const QString cursor = encodeCursor(seq);
        EXPECT_FALSE(cursor.isEmpty());
        EXPECT_LE(cursor.size(), 64);
        EXPECT_EQ(decodeCursor(cursor), std::optional<qint64>(seq)) << cursor.toStdString();
        // URL-safe: usable in a query string without escaping.
        for (const QChar c : cursor)
            EXPECT_TRUE(c.isLetterOrNumber() || c == u'-' || c == u'_') << cursor.toStdString();
    }
    EXPECT_NE(encodeCursor(1), encodeCursor(2));
}

TEST(Cursor, RejectsTamperedCursors)
{
    const QString good = encodeCursor(12345);
    // Every single-character change either fails or decodes to the canonical
    // cursor of what it decodes to (never to a different, unrelated text).
    int rejected = 0;
    for (qsizetype i = 0; i < good.size(); ++i) {
        for (const QChar c : {u'A', u'z', u'-', u'_', u'=', u'.', u'+', u'/', u'!', u' '}) {
            if (good[i] == c)
                continue;
            QString tampered = good;
            tampered[i] = c;
            const auto seq = decodeCursor(tampered);
            if (!seq) {
                ++rejected;
                continue;
            }
            EXPECT_EQ(encodeCursor(*seq), tampered)
                << "accepted a non-canonical cursor " << tampered.toStdString();
        }
    }
    EXPECT_GT(rejected, 0);
    EXPECT_FALSE(decodeCursor(good + u'A'));
    EXPECT_FALSE(decodeCursor(good.left(good.size() - 1)));
    EXPECT_FALSE(decodeCursor(good + u"=="_s));
}

TEST(Cursor, RejectsForeignCursors)
{
    for (const QString &bad : {
             QString(),
             u"garbage"_s,
             u"12345"_s,
             u"!!!!"_s,
             u"c1.5"_s,                                          // not encoded
             QString::fromLatin1(QByteArray("c1.5").toBase64()), // standard alphabet, padded
             base64Url("c2.5"),                                  // another version
             base64Url("C1.5"),
             base64Url("x1.5"),
             base64Url("c1."),
             base64Url("c1.abc"),
             base64Url("c1.5x"),
             base64Url("c1.0x10"),
             base64Url("c1. 5"),
             base64Url("c1.5 "),
             base64Url("c1.+5"),
             base64Url("c1.05"),
             base64Url(QByteArray("c1.5\0", 5)),
             u"Yz\u00e9EuNQ"_s, // non-ASCII inside
         }) {
        EXPECT_FALSE(decodeCursor(bad)) << "accepted " << bad.toStdString();
    }
}

TEST(Cursor, RejectsNegativeZeroAndOversized)
{
    EXPECT_FALSE(decodeCursor(base64Url("c1.0")));
    EXPECT_FALSE(decodeCursor(base64Url("c1.-1")));
    EXPECT_FALSE(decodeCursor(base64Url("c1.-9223372036854775808")));
    // Past qint64.
    EXPECT_FALSE(decodeCursor(base64Url("c1.9223372036854775808")));
    EXPECT_FALSE(decodeCursor(base64Url("c1.99999999999999999999999")));
    // Longer than any cursor the server makes.
    EXPECT_FALSE(decodeCursor(QString(65, u'A')));
    EXPECT_FALSE(decodeCursor(QString(100000, u'A')));
    EXPECT_FALSE(decodeCursor(base64Url("c1." + QByteArray(60, '1'))));
}
