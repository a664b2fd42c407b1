// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <gtest/gtest.h>
#include <sodium.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QList>
#include <QSet>

#include "server/auth/jwt.h"
#include "server/auth/sodium.h"
#include "server/auth/tokencodec.h"

using pf::server::Jwt;
using pf::server::TokenCodec;
using Error = pf::server::Jwt::Error;

namespace {

constexpr qint64 Now = 1'700'000'000;

const QByteArray &testKey()
{
    static const QByteArray key = QByteArrayLiteral("0123456789abcdef0123456789abcdef");
    return key;
}

QByteArray b64(const QByteArray &data)
{
    return TokenCodec::base64UrlEncode(data);
}

QByteArray hmacSha256(const QByteArray &key, const QByteArray &input)
{
    pf::server::Sodium::ensureInitialised();
    QByteArray out(crypto_auth_hmacsha256_BYTES, Qt::Uninitialized);
    crypto_auth_hmacsha256(reinterpret_cast<unsigned char *>(out.data()),
                           reinterpret_cast<const unsigned char *>(input.constData()),
                           static_cast<unsigned long long>(input.size()),
                           reinterpret_cast<const unsigned char *>(key.constData()));
    return out;
}

QByteArray hmacSha512(const QByteArray &key, const QByteArray &input)
{
    pf::server::Sodium::ensureInitialised();
    QByteArray out(crypto_auth_hmacsha512_BYTES, Qt::Uninitialized);
    crypto_auth_hmacsha512(reinterpret_cast<unsigned char *>(out.data()),
                           reinterpret_cast<const unsigned char *>(input.constData()),
                           static_cast<unsigned long long>(input.size()),
                           reinterpret_cast<const unsigned char *>(key.constData()));
    return out;
}

// A token with any header and payload bytes, correctly HS256-signed with
// `key`: only the content, not the signature, can make these fail.
QByteArray craft(const QByteArray &headerJson, const QByteArray &payload,
                 const QByteArray &key = testKey())
{
    const QByteArray input = b64(headerJson) + '.' + b64(payload);
    return input + '.' + b64(hmacSha256(key, input));
}

QByteArray hs256Header()
{
    return QByteArrayLiteral(R"({"alg":"HS256","typ":"JWT"})");
}

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QJsonObject liveClaims()
{
    return {{QStringLiteral("sub"), QStringLiteral("alice")},
            {QStringLiteral("exp"), static_cast<double>(Now + 60)}};
}

class JwtTest : public ::testing::Test
{
protected:
    const Jwt m_jwt{testKey()};
};

} // namespace

TEST_F(JwtTest, RoundTrip)
{
    QJsonObject claims = liveClaims();
    claims.insert(QStringLiteral("roles"), QJsonArray{QStringLiteral("admin")});
    const Jwt::Verified v = m_jwt.verify(m_jwt.sign(claims), Now);
    EXPECT_EQ(v.error, Error::None) << qPrintable(Jwt::errorString(v.error));
    EXPECT_EQ(v.claims, claims);
}

TEST_F(JwtTest, TokenShapeAndHeader)
{
    const QByteArray token = m_jwt.sign(liveClaims());
    const QList<QByteArray> parts = token.split('.');
    ASSERT_EQ(parts.size(), 3);
    EXPECT_FALSE(token.contains('='));
    EXPECT_EQ(TokenCodec::base64UrlDecode(parts.at(0)), hs256Header());
    EXPECT_EQ(TokenCodec::base64UrlDecode(parts.at(2))->size(), 32);
}

// Produced by Python's hmac and base64 modules, independently of libsodium and Qt.
TEST_F(JwtTest, InteroperatesWithAnotherImplementation)
{
    const QByteArray reference = QByteArrayLiteral(
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjIwMDAwMDAwMDAsInN1YiI6ImFsaWNlIn0."
        "XwJjhAlZda2ERjhOmNNvNI71T5KcEuKa9TRNFLTERW4");
    const Jwt::Verified v = m_jwt.verify(reference, Now);
    ASSERT_EQ(v.error, Error::None);
    EXPECT_EQ(v.claims.value(QStringLiteral("sub")).toString(), QStringLiteral("alice"));
    EXPECT_EQ(m_jwt.sign({{QStringLiteral("sub"), QStringLiteral("alice")},
                          {QStringLiteral("exp"), 2000000000.0}}),
              reference);
}

TEST_F(JwtTest, TamperedPayloadIsABadSignature)
{
    const QList<QByteArray> parts = m_jwt.sign(liveClaims()).split('.');
    QJsonObject forged = liveClaims();
    forged.insert(QStringLiteral("sub"), QStringLiteral("admin"));
    const QByteArray token = parts.at(0) + '.' + b64(json(forged)) + '.' + parts.at(2);
    EXPECT_EQ(m_jwt.verify(token, Now).error, Error::BadSignature);
}

TEST_F(JwtTest, TamperedSignatureIsABadSignature)
{
    const QByteArray token = m_jwt.sign(liveClaims());
    const qsizetype sigStart = token.lastIndexOf('.') + 1;
    QByteArray flipped = token;
    flipped[sigStart] = flipped.at(sigStart) == 'A' ? 'B' : 'A';
    EXPECT_EQ(m_jwt.verify(flipped, Now).error, Error::BadSignature);

    const QByteArray sig = *TokenCodec::base64UrlDecode(token.mid(sigStart));
    const QByteArray head = token.left(sigStart);
    EXPECT_EQ(m_jwt.verify(head + b64(sig.left(31)), Now).error, Error::BadSignature);
    EXPECT_EQ(m_jwt.verify(head + b64(sig + 'x'), Now).error, Error::BadSignature);
    EXPECT_EQ(m_jwt.verify(head + b64(QByteArray(32, '\0')), Now).error, Error::BadSignature);
    EXPECT_EQ(m_jwt.verify(head, Now).error, Error::BadSignature);
}

TEST_F(JwtTest, WrongKeyIsABadSignature)
{
    const Jwt other(QByteArray(32, 'z'));
    EXPECT_EQ(m_jwt.verify(other.sign(liveClaims()), Now).error, Error::BadSignature);
    EXPECT_EQ(other.verify(m_jwt.sign(liveClaims()), Now).error, Error::BadSignature);
}

TEST_F(JwtTest, AlgNoneIsRefused)
{
    const QByteArray header = QByteArrayLiteral(R"({"alg":"none","typ":"JWT"})");
    const QByteArray payload = json(liveClaims());
    // The classic attack: no signature at all.
    EXPECT_EQ(m_jwt.verify(b64(header) + '.' + b64(payload) + '.', Now).error,
              Error::WrongAlgorithm);
    // And with a signature that is valid HS256 under the right key.
    EXPECT_EQ(m_jwt.verify(craft(header, payload), Now).error, Error::WrongAlgorithm);
}

TEST_F(JwtTest, OtherAlgorithmsAreRefused)
{
    const QByteArray payload = json(liveClaims());
    const QByteArray hs512Header = QByteArrayLiteral(R"({"alg":"HS512","typ":"JWT"})");
    const QByteArray input = b64(hs512Header) + '.' + b64(payload);
    EXPECT_EQ(m_jwt.verify(input + '.' + b64(hmacSha512(testKey(), input)), Now).error,
              Error::WrongAlgorithm);

    const QByteArray headers[] = {
        hs512Header,
        QByteArrayLiteral(R"({"alg":"hs256"})"),
        QByteArrayLiteral(R"({"alg":"HS256 "})"),
        QByteArrayLiteral(R"({"alg":"RS256"})"),
        QByteArrayLiteral(R"({"alg":null})"),
        QByteArrayLiteral(R"({"alg":256})"),
        QByteArrayLiteral(R"({"alg":["HS256"]})"),
        QByteArrayLiteral(R"({"typ":"JWT"})"),
        QByteArrayLiteral(R"({})"),
    };
    for (const QByteArray &header : headers)
        EXPECT_EQ(m_jwt.verify(craft(header, payload), Now).error, Error::WrongAlgorithm)
            << header.constData();
}

TEST_F(JwtTest, AcceptsOtherwiseEqualHeaders)
{
    // Only "alg" matters; "typ" may be absent and other members are ignored.
    EXPECT_EQ(
        m_jwt.verify(craft(QByteArrayLiteral(R"({"alg":"HS256"})"), json(liveClaims())), Now).error,
        Error::None);
    EXPECT_EQ(m_jwt
                  .verify(craft(QByteArrayLiteral(R"({"typ":"JWT","kid":"1","alg":"HS256"})"),
                                json(liveClaims())),
                          Now)
                  .error,
              Error::None);
}

TEST_F(JwtTest, CriticalHeaderExtensionsAreRefused)
{
    EXPECT_EQ(m_jwt
                  .verify(craft(QByteArrayLiteral(R"({"alg":"HS256","crit":["exp"]})"),
                                json(liveClaims())),
                          Now)
                  .error,
              Error::Malformed);
}

TEST_F(JwtTest, Expiry)
{
    const auto withExp = [](const QJsonValue &exp) {
        QJsonObject claims{{QStringLiteral("sub"), QStringLiteral("alice")}};
        if (!exp.isUndefined())
            claims.insert(QStringLiteral("exp"), exp);
        return claims;
    };
    EXPECT_EQ(m_jwt.verify(m_jwt.sign(withExp(double(Now + 1))), Now).error, Error::None);
    EXPECT_EQ(m_jwt.verify(m_jwt.sign(withExp(double(Now))), Now).error, Error::Expired);
    EXPECT_EQ(m_jwt.verify(m_jwt.sign(withExp(double(Now - 1))), Now).error, Error::Expired);
    EXPECT_EQ(m_jwt.verify(m_jwt.sign(withExp(QJsonValue())), Now).error, Error::Expired);
    EXPECT_EQ(m_jwt.verify(m_jwt.sign(withExp(QJsonValue::Undefined)), Now).error, Error::Expired);
    EXPECT_EQ(m_jwt.verify(m_jwt.sign(withExp(QStringLiteral("2000000000"))), Now).error,
              Error::Expired);
    EXPECT_EQ(m_jwt.verify(m_jwt.sign(withExp(true)), Now).error, Error::Expired);
    // JSON can spell numbers no double holds; they must not mean "forever".
    EXPECT_NE(m_jwt.verify(craft(hs256Header(), QByteArrayLiteral(R"({"exp":1e400})")), Now).error,
              Error::None);
}

TEST_F(JwtTest, NotBefore)
{
    QJsonObject claims = liveClaims();
    claims.insert(QStringLiteral("nbf"), double(Now + 1));
    EXPECT_EQ(m_jwt.verify(m_jwt.sign(claims), Now).error, Error::NotYetValid);
    claims.insert(QStringLiteral("nbf"), double(Now));
    EXPECT_EQ(m_jwt.verify(m_jwt.sign(claims), Now).error, Error::None);
    claims.insert(QStringLiteral("nbf"), QStringLiteral("soon"));
    EXPECT_EQ(m_jwt.verify(m_jwt.sign(claims), Now).error, Error::Malformed);
}

TEST_F(JwtTest, MalformedShapes)
{
    const QByteArray good = m_jwt.sign(liveClaims());
    const QList<QByteArray> parts = good.split('.');
    const QByteArray tokens[] = {
        QByteArray(),
        QByteArrayLiteral("."),
        QByteArrayLiteral(".."),
        QByteArrayLiteral("..."),
        parts.at(0) + '.' + parts.at(1),
        good + QByteArrayLiteral(".") + parts.at(2),
        good + '.',
        '.' + parts.at(1) + '.' + parts.at(2),
        parts.at(0) + ".." + parts.at(2),
        QByteArrayLiteral("!!!.@@@.###"),
        parts.at(0) + '=' + '.' + parts.at(1) + '.' + parts.at(2),
        parts.at(0) + '.' + parts.at(1) + '.' + parts.at(2) + '=',
        parts.at(0) + '.' + parts.at(1) + '.' + parts.at(2) + '+',
        ' ' + good,
        good + '\n',
        b64(QByteArrayLiteral("not json")) + '.' + parts.at(1) + '.' + parts.at(2),
        b64(QByteArrayLiteral(R"(["HS256"])")) + '.' + parts.at(1) + '.' + parts.at(2),
    };
    for (const QByteArray &token : tokens)
        EXPECT_EQ(m_jwt.verify(token, Now).error, Error::Malformed) << token.constData();
}

TEST_F(JwtTest, MalformedPayloadsWithValidSignatures)
{
    const QByteArray payloads[] = {
        QByteArrayLiteral("not json"),
        QByteArrayLiteral(R"([{"exp":2000000000}])"),
        QByteArrayLiteral(R"("a string")"),
        QByteArrayLiteral("42"),
        QByteArrayLiteral("null"),
        QByteArrayLiteral(R"({"exp":2000000000)"),
        QByteArrayLiteral(R"({"exp":2000000000} trailing)"),
        QByteArray(),
    };
    for (const QByteArray &payload : payloads) {
        const Jwt::Verified v = m_jwt.verify(craft(hs256Header(), payload), Now);
        EXPECT_EQ(v.error, Error::Malformed) << payload.constData();
        EXPECT_TRUE(v.claims.isEmpty());
    }
}

TEST_F(JwtTest, SignatureIsCheckedBeforeThePayload)
{
    // Garbage payload under a wrong key: the signature verdict comes first.
    EXPECT_EQ(
        m_jwt.verify(craft(hs256Header(), QByteArrayLiteral("not json"), QByteArray(32, 'z')), Now)
            .error,
        Error::BadSignature);
}

TEST_F(JwtTest, OversizedTokensAreMalformed)
{
    QJsonObject claims = liveClaims();
    claims.insert(QStringLiteral("pad"), QString(7000, QLatin1Char('x')));
    const QByteArray big = m_jwt.sign(claims);
    ASSERT_GT(big.size(), 9 * 1024);
    EXPECT_EQ(m_jwt.verify(big, Now).error, Error::Malformed);

    // Just under the limit still verifies.
    claims.insert(QStringLiteral("pad"), QString(6000, QLatin1Char('x')));
    const QByteArray fits = m_jwt.sign(claims);
    ASSERT_GT(fits.size(), 8000);
    ASSERT_LE(fits.size(), Jwt::MaxTokenBytes);
    EXPECT_EQ(m_jwt.verify(fits, Now).error, Error::None);
}

TEST(JwtErrorString, NamesEveryError)
{
    EXPECT_EQ(Jwt::errorString(Error::Expired), QStringLiteral("token expired"));
    QSet<QString> seen;
    for (const Error e : {Error::None, Error::Malformed, Error::BadSignature, Error::WrongAlgorithm,
                          Error::Expired, Error::NotYetValid}) {
        EXPECT_FALSE(Jwt::errorString(e).isEmpty());
        seen.insert(Jwt::errorString(e));
    }
    EXPECT_EQ(seen.size(), 6);
}

TEST(JwtDeathTest, KeyOfTheWrongSizeAborts)
{
    EXPECT_DEATH((void)Jwt(QByteArray(16, 'k')), "");
    EXPECT_DEATH((void)Jwt(QByteArray()), "");
}
