// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "tokencodec.h"

#include <sodium.h>

#include "server/auth/sodium.h"

namespace pf::server {

namespace {
constexpr int Variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
}

QByteArray TokenCodec::randomToken(int bytes)
{
    if (bytes <= 0)
        return {};
    Sodium::ensureInitialised();
    QByteArray raw(bytes, Qt::Uninitialized);
    randombytes_buf(raw.data(), static_cast<size_t>(raw.size()));
    QByteArray token = base64UrlEncode(raw);
    sodium_memzero(raw.data(), static_cast<size_t>(raw.size()));
    return token;
}

QByteArray TokenCodec::sha256Hex(const QByteArray &data)
{
    Sodium::ensureInitialised();
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char *>(data.constData()),
                       static_cast<unsigned long long>(data.size()));
    return QByteArray(reinterpret_cast<const char *>(digest), sizeof digest).toHex();
}

QByteArray TokenCodec::base64UrlEncode(const QByteArray &data)
{
    Sodium::ensureInitialised();
    const size_t binLen = static_cast<size_t>(data.size());
    // The encoded length includes the terminating NUL that sodium writes.
    const size_t encodedLen = sodium_base64_ENCODED_LEN(binLen, Variant);
    QByteArray out(static_cast<qsizetype>(encodedLen), Qt::Uninitialized);
    sodium_bin2base64(out.data(), encodedLen,
                      reinterpret_cast<const unsigned char *>(data.constData()), binLen, Variant);
    out.chop(1);
    return out;
}

std::optional<QByteArray> TokenCodec::base64UrlDecode(const QByteArray &text)
{
    Sodium::ensureInitialised();
    const size_t textLen = static_cast<size_t>(text.size());
    QByteArray out(static_cast<qsizetype>(textLen / 4 * 3 + 3), Qt::Uninitialized);
    size_t binLen = 0;
    // With no `ignore` set and no `b64_end`, libsodium fails unless it consumed
    // every character, and it rejects leftover bits, so this is strict.
    if (sodium_base642bin(reinterpret_cast<unsigned char *>(out.data()),
                          static_cast<size_t>(out.size()), text.constData(), textLen, nullptr,
                          &binLen, nullptr, Variant) != 0)
        return std::nullopt;
    out.truncate(static_cast<qsizetype>(binLen));
    return out;
}

bool TokenCodec::constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    Sodium::ensureInitialised();
    return sodium_memcmp(a.constData(), b.constData(), static_cast<size_t>(a.size())) == 0;
}

} // namespace pf::server
