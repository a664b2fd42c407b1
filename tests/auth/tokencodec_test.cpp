// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <gtest/gtest.h>

#include <QSet>

#include "server/auth/tokencodec.h"

using pf::server::TokenCodec;

namespace {

struct Vector
{
    QByteArray plain;
    QByteArray encoded;
};

// RFC 4648 section 10, without padding, plus inputs whose encodings use the
// two characters where the url-safe alphabet differs ('-' for '+', '_' for '/').
const Vector vectors[] = {
    {QByteArrayLiteral(""), QByteArrayLiteral("")},
    {QByteArrayLiteral("f"), QByteArrayLiteral("Zg")},
    {QByteArrayLiteral("fo"), QByteArrayLiteral("Zm8")},
    {QByteArrayLiteral("foo"), QByteArrayLiteral("Zm9v")},
    {QByteArrayLiteral("foob"), QByteArrayLiteral("Zm9vYg")},
    {QByteArrayLiteral("fooba"), QByteArrayLiteral("Zm9vYmE")},
    {QByteArrayLiteral("foobar"), QByteArrayLiteral("Zm9vYmFy")},
    {QByteArrayLiteral("\xfb\xff"), QByteArrayLiteral("-_8")},
    {QByteArrayLiteral("\xfb\xef\xbe"), QByteArrayLiteral("----")},
    {QByteArrayLiteral("\xff\xff\xff"), QByteArrayLiteral("____")},
    {QByteArray("\x00\x00\x00", 3), QByteArrayLiteral("AAAA")},
};

bool isUrlSafe(const QByteArray &text)
{
    for (const char c : text) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!ok)
            return false;
    }
    return true;
}

} // namespace

TEST(TokenCodec, EncodesKnownVectors)
{
    for (const Vector &v : vectors)
        EXPECT_EQ(TokenCodec::base64UrlEncode(v.plain), v.encoded) << v.encoded.constData();
}

TEST(TokenCodec, DecodesKnownVectors)
{
    for (const Vector &v : vectors) {
        const std::optional<QByteArray> decoded = TokenCodec::base64UrlDecode(v.encoded);
        ASSERT_TRUE(decoded.has_value()) << v.encoded.constData();
        EXPECT_EQ(*decoded, v.plain) << v.encoded.constData();
    }
}

TEST(TokenCodec, RoundTripsEveryByteValue)
{
    QByteArray all;
    for (int i = 0; i < 256; ++i)
        all.append(static_cast<char>(i));
    for (qsizetype n = 0; n <= all.size(); n += 37) {
        const QByteArray part = all.left(n);
        EXPECT_EQ(TokenCodec::base64UrlDecode(TokenCodec::base64UrlEncode(part)), part);
    }
}

TEST(TokenCodec, StrictDecodingRejectsForeignCharactersAndPadding)
{
    const QByteArray rejected[] = {
        QByteArrayLiteral("-_8="),     // padding
        QByteArrayLiteral("Zg=="),     // padding
        QByteArrayLiteral("+_8"),      // standard alphabet
        QByteArrayLiteral("-/8"),      // standard alphabet
        QByteArrayLiteral("Zm9v Yg"),  // space
        QByteArrayLiteral("Zm9v\nYg"), // newline
        QByteArrayLiteral("Zm9v\t"),   // tab
        QByteArrayLiteral(" Zm9v"),    // leading space
        QByteArrayLiteral("Zm9v."),    // a JWT separator
        QByteArray("Zm9v\0Yg", 7),     // embedded NUL
        QByteArrayLiteral("Z"),        // no encoding is 4n+1 characters long
        QByteArrayLiteral("Zm9vY"),    // likewise
        QByteArrayLiteral("Zh"),       // non-zero trailing bits ("Zg" is canonical)
        QByteArrayLiteral("Zm9"),      // non-zero trailing bits ("Zm8" is canonical)
        QByteArrayLiteral("\xc3\xa4"), // non-ASCII
    };
    for (const QByteArray &text : rejected)
        EXPECT_FALSE(TokenCodec::base64UrlDecode(text).has_value()) << text.toHex().constData();
}

TEST(TokenCodec, Sha256HexMatchesKnownDigests)
{
    EXPECT_EQ(
        TokenCodec::sha256Hex(QByteArrayLiteral("abc")),
        QByteArrayLiteral("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    EXPECT_EQ(
        TokenCodec::sha256Hex(QByteArray()),
        QByteArrayLiteral("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
}

TEST(TokenCodec, RandomTokensAreUrlSafeAndDistinct)
{
    QSet<QByteArray> seen;
    for (int i = 0; i < 100; ++i) {
        const QByteArray token = TokenCodec::randomToken();
        EXPECT_EQ(token.size(), 43);
        EXPECT_TRUE(isUrlSafe(token)) << token.constData();
        const std::optional<QByteArray> raw = TokenCodec::base64UrlDecode(token);
        ASSERT_TRUE(raw.has_value());
        EXPECT_EQ(raw->size(), 32);
        seen.insert(token);
    }
    EXPECT_EQ(seen.size(), 100);
}

TEST(TokenCodec, RandomTokenLengthFollowsByteCount)
{
    EXPECT_EQ(TokenCodec::randomToken(16).size(), 22);
    EXPECT_EQ(TokenCodec::randomToken(1).size(), 2);
    EXPECT_TRUE(TokenCodec::randomToken(0).isEmpty());
    EXPECT_TRUE(TokenCodec::randomToken(-5).isEmpty());
}

TEST(TokenCodec, ConstantTimeEquals)
{
    EXPECT_TRUE(
        TokenCodec::constantTimeEquals(QByteArrayLiteral("secret"), QByteArrayLiteral("secret")));
    EXPECT_FALSE(
        TokenCodec::constantTimeEquals(QByteArrayLiteral("secret"), QByteArrayLiteral("secreT")));
    EXPECT_FALSE(
        TokenCodec::constantTimeEquals(QByteArrayLiteral("secret"), QByteArrayLiteral("secret!")));
    EXPECT_FALSE(TokenCodec::constantTimeEquals(QByteArrayLiteral("secret"), QByteArray()));
    EXPECT_TRUE(TokenCodec::constantTimeEquals(QByteArray(), QByteArrayLiteral("")));
}
