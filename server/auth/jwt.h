// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace pf::server {

// HS256 JSON Web Tokens (RFC 7519 / RFC 7515 compact form) signed with
// HMAC-SHA-256 under one 32-byte key. Only HS256 is ever accepted, whatever
// a token's header asks for.
//
//   const Jwt jwt(KeyFile::loadOrCreate(dataDir + "/jwt.key", Jwt::KeyBytes, &error));
//   const QByteArray token = jwt.sign({{"sub", userId}, {"exp", now + 3600}});
//   const Jwt::Verified v = jwt.verify(token, QDateTime::currentSecsSinceEpoch());
//   if (v.error != Jwt::Error::None)
//       throw ApiError::unauthorized(Jwt::errorString(v.error));
//
// All members are const: one Jwt may be shared by any number of threads.
class Jwt
{
public:
    static constexpr int KeyBytes = 32;
    // Longer tokens are Malformed without further work.
    static constexpr int MaxTokenBytes = 8 * 1024;

    enum class Error { None, Malformed, BadSignature, WrongAlgorithm, Expired, NotYetValid };

    // `claims` is empty unless `error` is None.
    struct Verified
    {
        Error error = Error::Malformed;
        QJsonObject claims;
    };

    // `key` must hold exactly KeyBytes bytes; any other size is a programming
    // error and aborts the process (qFatal).
    explicit Jwt(QByteArray key);

    // header.payload.signature, each base64url without padding; the header is
    // exactly {"alg":"HS256","typ":"JWT"} and the payload the compact JSON of
    // `claims`. Claims are signed as given: the caller sets "exp" (verify()
    // refuses tokens without it) and any "nbf".
    QByteArray sign(const QJsonObject &claims) const;

    // Checks, in this order: size (at most MaxTokenBytes) and shape (three
    // strict base64url parts) -> Malformed; a header that is a JSON object
    // with no "crit" member -> Malformed; its "alg" exactly "HS256" ->
    // WrongAlgorithm (so "none", "HS512", "hs256" are refused); the signature,
    // in constant time, before the payload is parsed -> BadSignature; the
    // payload a JSON object -> Malformed; "exp" present, a finite number and
    // greater than `nowSecs` -> Expired otherwise (a token without a usable
    // expiry never counts as live); "nbf", if present, a finite number
    // (Malformed otherwise) not greater than `nowSecs` -> NotYetValid.
    // `nowSecs` is seconds since the Unix epoch, passed in so tests and callers
    // control the clock.
    Verified verify(const QByteArray &token, qint64 nowSecs) const;

    // A short lower-case phrase for API error details ("token expired").
    static QString errorString(Error error);

private:
    QByteArray mac(const QByteArray &signingInput) const;

    QByteArray m_key;
};

} // namespace pf::server
