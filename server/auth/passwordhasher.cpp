// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "passwordhasher.h"

#include <cstring>

#include <sodium.h>

#include <QList>

#include "server/auth/sodium.h"

namespace pf::server {

namespace {

unsigned long long opsLimitFor(PasswordHasher::Strength strength)
{
    switch (strength) {
    case PasswordHasher::Strength::Minimal:
        return crypto_pwhash_argon2id_OPSLIMIT_MIN;
    case PasswordHasher::Strength::Interactive:
        return crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
    case PasswordHasher::Strength::Moderate:
        return crypto_pwhash_argon2id_OPSLIMIT_MODERATE;
    }
    return crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
}

size_t memLimitFor(PasswordHasher::Strength strength)
{
    switch (strength) {
    case PasswordHasher::Strength::Minimal:
        return crypto_pwhash_argon2id_MEMLIMIT_MIN;
    case PasswordHasher::Strength::Interactive:
        return crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;
    case PasswordHasher::Strength::Moderate:
        return crypto_pwhash_argon2id_MEMLIMIT_MODERATE;
    }
    return crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;
}

// libsodium's str functions read a NUL-terminated string of at most
// crypto_pwhash_STRBYTES bytes. A QByteArray need not end in NUL within that
// (or at all, for a raw view), and one with an embedded NUL would be verified
// by its prefix alone, so both are refused before libsodium sees them.
bool toCString(const QByteArray &encoded, char (&out)[crypto_pwhash_STRBYTES])
{
    if (encoded.isEmpty() || encoded.size() >= static_cast<qsizetype>(crypto_pwhash_STRBYTES) ||
        encoded.contains('\0'))
        return false;
    std::memset(out, 0, sizeof out);
    std::memcpy(out, encoded.constData(), static_cast<size_t>(encoded.size()));
    return true;
}

bool hasKnownPrefix(const QByteArray &encoded)
{
    return encoded.startsWith(crypto_pwhash_argon2id_STRPREFIX) ||
           encoded.startsWith(crypto_pwhash_argon2i_STRPREFIX);
}

// libsodium verifies with whatever cost the stored hash names. A hash planted
// in the database with m=4 TiB or t=2^32 would make one login attempt fail
// slowly or run for hours, so the cost is checked first against the highest
// limits libsodium recommends. The full syntax check is libsodium's.
bool costWithinLimits(const QByteArray &encoded)
{
    // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
    const QList<QByteArray> fields = encoded.split('$');
    if (fields.size() != 6)
        return false;
    bool haveMemory = false;
    bool havePasses = false;
    for (const QByteArray &param : fields.at(3).split(',')) {
        bool ok = false;
        const qulonglong value = param.mid(2).toULongLong(&ok);
        if (param.startsWith("m=")) {
            // Argon2 counts memory in KiB.
            haveMemory = ok && value <= crypto_pwhash_argon2id_MEMLIMIT_SENSITIVE / 1024U;
            if (!haveMemory)
                return false;
        } else if (param.startsWith("t=")) {
            havePasses = ok && value <= crypto_pwhash_argon2id_OPSLIMIT_SENSITIVE;
            if (!havePasses)
                return false;
        }
    }
    return haveMemory && havePasses;
}

} // namespace

PasswordHasher::PasswordHasher(Strength strength)
    : m_strength(strength)
    , m_opsLimit(opsLimitFor(strength))
    , m_memLimit(memLimitFor(strength))
{
    Sodium::ensureInitialised();
}

QByteArray PasswordHasher::hash(const QByteArray &password) const
{
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password.constData(),
                              static_cast<unsigned long long>(password.size()), m_opsLimit,
                              m_memLimit, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return {};
    return QByteArray(out);
}

bool PasswordHasher::verify(const QByteArray &encodedHash, const QByteArray &password) const
{
    char stored[crypto_pwhash_STRBYTES];
    if (!toCString(encodedHash, stored) || !hasKnownPrefix(encodedHash) ||
        !costWithinLimits(encodedHash))
        return false;
    return crypto_pwhash_str_verify(stored, password.constData(),
                                    static_cast<unsigned long long>(password.size())) == 0;
}

bool PasswordHasher::needsRehash(const QByteArray &encodedHash) const
{
    char stored[crypto_pwhash_STRBYTES];
    if (!toCString(encodedHash, stored))
        return true;
    // 0: same algorithm and limits; 1: different; -1: malformed.
    return crypto_pwhash_str_needs_rehash(stored, m_opsLimit, m_memLimit) != 0;
}

std::optional<PasswordHasher::Strength> PasswordHasher::strengthFromString(const QString &name)
{
    if (name.compare(QStringLiteral("minimal"), Qt::CaseInsensitive) == 0)
        return Strength::Minimal;
    if (name.compare(QStringLiteral("interactive"), Qt::CaseInsensitive) == 0)
        return Strength::Interactive;
    if (name.compare(QStringLiteral("moderate"), Qt::CaseInsensitive) == 0)
        return Strength::Moderate;
    return std::nullopt;
}

} // namespace pf::server
