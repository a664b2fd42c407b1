// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <cstddef>
#include <optional>

#include <QByteArray>
#include <QString>

namespace pf::server {

// Argon2id password hashes in the encoded form "$argon2id$v=19$m=..,t=..,p=..$salt$hash"
// (libsodium's crypto_pwhash_str), which carries its own salt and cost, so a
// stored hash stays verifiable after the configured strength changes.
//
//   const PasswordHasher hasher;               // Interactive
//   const QByteArray stored = hasher.hash(password);
//   ...
//   if (hasher.verify(stored, attempt) && hasher.needsRehash(stored))
//       store(hasher.hash(attempt));
//
// Hashing and verifying take tens of milliseconds and the strength's memory
// (64 MiB for Interactive): run them off the I/O threads. All members are
// const and the object holds no mutable state, so one hasher may be shared by
// any number of threads.
class PasswordHasher
{
public:
    // Minimal: libsodium's lowest limits (1 pass, 8 KiB); for tests only.
    // Interactive: the INTERACTIVE limits (2 passes, 64 MiB); the default.
    // Moderate: the MODERATE limits (3 passes, 256 MiB).
    enum class Strength { Minimal, Interactive, Moderate };

    explicit PasswordHasher(Strength strength = Strength::Interactive);

    Strength strength() const { return m_strength; }

    // A fresh random salt each call, so two hashes of one password differ.
    // `password` is taken as bytes (UTF-8 by convention) and may be empty or
    // contain NUL bytes. Returns an empty array if libsodium fails (out of
    // memory).
    QByteArray hash(const QByteArray &password) const;

    // True when `password` matches `encodedHash`; the comparison is constant
    // time. False, never a crash, for anything malformed: empty, too long,
    // embedded NUL, not an argon2id/argon2i hash, and also for hashes whose
    // cost exceeds libsodium's SENSITIVE limits (1 GiB, 4 passes), which a
    // planted hash could use to tie up the server. Independent of this
    // hasher's strength.
    bool verify(const QByteArray &encodedHash, const QByteArray &password) const;

    // True when `encodedHash` was not made with this hasher's algorithm and
    // limits, and also when it is malformed; call it after a successful
    // verify() and store a fresh hash if it says so.
    bool needsRehash(const QByteArray &encodedHash) const;

    // "minimal", "interactive" or "moderate", in any letter case; nullopt for
    // anything else.
    static std::optional<Strength> strengthFromString(const QString &name);

private:
    Strength m_strength;
    unsigned long long m_opsLimit;
    size_t m_memLimit;
};

} // namespace pf::server
