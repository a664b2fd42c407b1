// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <optional>

#include <QByteArray>

namespace pf::server {

// Authenticated symmetric encryption (libsodium's crypto_secretbox:
// XSalsa20-Poly1305) under one 32-byte key, for secrets pfd keeps at rest
// (cloud credentials, registry passwords).
//
//   const SecretBox box(KeyFile::loadOrCreate(dataDir + "/secrets.key", SecretBox::KeyBytes, &e));
//   store(box.seal(secret));
//   if (const auto plain = box.open(load()))
//       use(*plain);
//
// All members are const: one SecretBox may be shared by any number of threads.
class SecretBox
{
public:
    static constexpr int KeyBytes = 32;
    // What seal() adds to the plaintext: a 24-byte nonce and a 16-byte tag.
    static constexpr int NonceBytes = 24;
    static constexpr int MacBytes = 16;
    static constexpr int OverheadBytes = NonceBytes + MacBytes;

    // `key` must hold exactly KeyBytes bytes; any other size is a programming
    // error and aborts the process (qFatal).
    explicit SecretBox(QByteArray key);

    // nonce || ciphertext-with-tag, OverheadBytes longer than `plain`. The
    // nonce is random for every call (192 bits, so collisions are not a
    // concern), so sealing the same plaintext twice gives different results.
    QByteArray seal(const QByteArray &plain) const;

    // The plaintext of a value made by seal() under the same key; nullopt if
    // `sealed` is shorter than OverheadBytes, was altered in any byte, or was
    // sealed under another key. Nothing of a rejected input's plaintext is
    // returned or left in memory.
    std::optional<QByteArray> open(const QByteArray &sealed) const;

private:
    QByteArray m_key;
};

} // namespace pf::server
