// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <optional>

#include <QByteArray>

namespace pf::server {

// Small encoding and comparison helpers for tokens: opaque random tokens
// (refresh, job and API tokens), their stored digests, and the base64url of
// JSON Web Tokens. Stateless and safe to call from any thread.
class TokenCodec
{
public:
    // `bytes` bytes from libsodium's CSPRNG, base64url-encoded without padding
    // (32 bytes give 43 characters). `bytes` must be positive; an empty
    // result is returned otherwise.
    static QByteArray randomToken(int bytes = 32);

    // The SHA-256 digest of `data` as 64 lower-case hex digits. Tokens are
    // stored as this digest so that a leaked database does not leak tokens.
    static QByteArray sha256Hex(const QByteArray &data);

    // RFC 4648 section 5 (alphabet A-Z a-z 0-9 - _), without '=' padding.
    static QByteArray base64UrlEncode(const QByteArray &data);

    // The strict inverse of base64UrlEncode: nullopt for any character outside
    // the url-safe alphabet (including '+', '/', '=' and whitespace), for a
    // length that no unpadded encoding has (4n+1), and for non-zero trailing
    // bits, so every byte string has exactly one accepted encoding. The empty
    // string decodes to an empty array.
    static std::optional<QByteArray> base64UrlDecode(const QByteArray &text);

    // Compares two byte strings in time that depends only on their lengths,
    // never on their contents. Strings of different lengths are unequal.
    static bool constantTimeEquals(const QByteArray &a, const QByteArray &b);

    TokenCodec() = delete;
};

} // namespace pf::server
