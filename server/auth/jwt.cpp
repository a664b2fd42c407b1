// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "jwt.h"

#include <cmath>
#include <optional>
#include <utility>

#include <sodium.h>

#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>
#include <QList>

#include "server/auth/sodium.h"
#include "server/auth/tokencodec.h"

namespace pf::server {

namespace {

static_assert(Jwt::KeyBytes == crypto_auth_hmacsha256_KEYBYTES);

// The base64url of {"alg":"HS256","typ":"JWT"}, fixed so every token pfd
// issues has byte-identical headers.
const QByteArray &encodedHeader()
{
    static const QByteArray header =
        TokenCodec::base64UrlEncode(QByteArrayLiteral(R"({"alg":"HS256","typ":"JWT"})"));
    return header;
}

std::optional<QJsonObject> decodeObject(const QByteArray &part)
{
    const std::optional<QByteArray> json = TokenCodec::base64UrlDecode(part);
    if (!json)
        return std::nullopt;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(*json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

Jwt::Verified failed(Jwt::Error error)
{
    return Jwt::Verified{error, {}};
}

} // namespace

Jwt::Jwt(QByteArray key)
    : m_key(std::move(key))
{
    Sodium::ensureInitialised();
    if (m_key.size() != KeyBytes)
        qFatal("pf::server::Jwt: the signing key must be %d bytes, got %lld", KeyBytes,
               static_cast<long long>(m_key.size()));
}

QByteArray Jwt::mac(const QByteArray &signingInput) const
{
    QByteArray out(crypto_auth_hmacsha256_BYTES, Qt::Uninitialized);
    crypto_auth_hmacsha256(reinterpret_cast<unsigned char *>(out.data()),
                           reinterpret_cast<const unsigned char *>(signingInput.constData()),
                           static_cast<unsigned long long>(signingInput.size()),
                           reinterpret_cast<const unsigned char *>(m_key.constData()));
    return out;
}

QByteArray Jwt::sign(const QJsonObject &claims) const
{
    const QByteArray signingInput =
        encodedHeader() + '.' +
        TokenCodec::base64UrlEncode(QJsonDocument(claims).toJson(QJsonDocument::Compact));
    return signingInput + '.' + TokenCodec::base64UrlEncode(mac(signingInput));
}

Jwt::Verified Jwt::verify(const QByteArray &token, qint64 nowSecs) const
{
    if (token.isEmpty() || token.size() > MaxTokenBytes)
        return failed(Error::Malformed);
    const QList<QByteArray> parts = token.split('.');
    if (parts.size() != 3 || parts.at(0).isEmpty() || parts.at(1).isEmpty())
        return failed(Error::Malformed);

    // The header has to be read before the signature is checked, to learn the
    // algorithm; it is refused unless it names the only one pfd signs with,
    // so a token cannot choose "none" or another key's algorithm.
    const std::optional<QJsonObject> header = decodeObject(parts.at(0));
    // "crit" lists extensions the reader must understand; pfd knows none.
    if (!header || header->contains(QStringLiteral("crit")))
        return failed(Error::Malformed);
    const QJsonValue alg = header->value(QStringLiteral("alg"));
    if (!alg.isString() || alg.toString() != QStringLiteral("HS256"))
        return failed(Error::WrongAlgorithm);

    const std::optional<QByteArray> signature = TokenCodec::base64UrlDecode(parts.at(2));
    if (!signature)
        return failed(Error::Malformed);
    // The signature covers the parts exactly as received, not a re-encoding.
    const QByteArray signingInput = token.left(parts.at(0).size() + 1 + parts.at(1).size());
    if (signature->size() != crypto_auth_hmacsha256_BYTES ||
        crypto_auth_hmacsha256_verify(
            reinterpret_cast<const unsigned char *>(signature->constData()),
            reinterpret_cast<const unsigned char *>(signingInput.constData()),
            static_cast<unsigned long long>(signingInput.size()),
            reinterpret_cast<const unsigned char *>(m_key.constData())) != 0)
        return failed(Error::BadSignature);

    // Only now, with the payload known to be ours, is it parsed.
    const std::optional<QJsonObject> claims = decodeObject(parts.at(1));
    if (!claims)
        return failed(Error::Malformed);

    const auto now = static_cast<double>(nowSecs);
    const QJsonValue exp = claims->value(QStringLiteral("exp"));
    if (!exp.isDouble() || !std::isfinite(exp.toDouble()) || exp.toDouble() <= now)
        return failed(Error::Expired);
    const QJsonValue nbf = claims->value(QStringLiteral("nbf"));
    if (!nbf.isUndefined()) {
        if (!nbf.isDouble() || !std::isfinite(nbf.toDouble()))
            return failed(Error::Malformed);
        if (nbf.toDouble() > now)
            return failed(Error::NotYetValid);
    }
    return Verified{Error::None, *claims};
}

QString Jwt::errorString(Error error)
{
    switch (error) {
    case Error::None:
        return QStringLiteral("token valid");
    case Error::Malformed:
        return QStringLiteral("malformed token");
    case Error::BadSignature:
        return QStringLiteral("bad token signature");
    case Error::WrongAlgorithm:
        return QStringLiteral("unsupported token algorithm");
    case Error::Expired:
        return QStringLiteral("token expired");
    case Error::NotYetValid:
        return QStringLiteral("token not yet valid");
    }
    return QStringLiteral("invalid token");
}

} // namespace pf::server
