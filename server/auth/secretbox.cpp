// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "secretbox.h"

#include <utility>

#include <sodium.h>

#include "server/auth/sodium.h"

namespace pf::server {

namespace {
static_assert(SecretBox::KeyBytes == crypto_secretbox_KEYBYTES);
static_assert(SecretBox::NonceBytes == crypto_secretbox_NONCEBYTES);
static_assert(SecretBox::MacBytes == crypto_secretbox_MACBYTES);

const unsigned char *bytes(const QByteArray &data)
{
    return reinterpret_cast<const unsigned char *>(data.constData());
}
} // namespace

SecretBox::SecretBox(QByteArray key)
    : m_key(std::move(key))
{
    Sodium::ensureInitialised();
    if (m_key.size() != KeyBytes)
        qFatal("pf::server::SecretBox: the key must be %d bytes, got %lld", KeyBytes,
               static_cast<long long>(m_key.size()));
}

QByteArray SecretBox::seal(const QByteArray &plain) const
{
    QByteArray sealed(OverheadBytes + plain.size(), Qt::Uninitialized);
    auto *nonce = reinterpret_cast<unsigned char *>(sealed.data());
    randombytes_buf(nonce, NonceBytes);
    // The ciphertext is written straight after the nonce, so no plaintext is
    // ever copied into a temporary buffer here.
    crypto_secretbox_easy(nonce + NonceBytes, bytes(plain),
                          static_cast<unsigned long long>(plain.size()), nonce, bytes(m_key));
    return sealed;
}

std::optional<QByteArray> SecretBox::open(const QByteArray &sealed) const
{
    if (sealed.size() < OverheadBytes)
        return std::nullopt;
    const auto *nonce = bytes(sealed);
    QByteArray plain(sealed.size() - OverheadBytes, Qt::Uninitialized);
    // crypto_secretbox_open_easy checks the tag before it decrypts, but the
    // buffer is wiped on failure anyway, so a rejected input leaves nothing.
    if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char *>(plain.data()),
                                   nonce + NonceBytes,
                                   static_cast<unsigned long long>(sealed.size() - NonceBytes),
                                   nonce, bytes(m_key)) != 0) {
        sodium_memzero(plain.data(), static_cast<size_t>(plain.size()));
        return std::nullopt;
    }
    return plain;
}

} // namespace pf::server
