// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <cstring>

#include <gtest/gtest.h>
#include <sodium.h>

#include <QString>

#include "server/auth/passwordhasher.h"

using pf::server::PasswordHasher;
using Strength = pf::server::PasswordHasher::Strength;

namespace {

class PasswordHasherTest : public ::testing::Test
{
protected:
    const PasswordHasher m_hasher{Strength::Minimal};
};

} // namespace

TEST_F(PasswordHasherTest, VerifiesTheRightPasswordOnly)
{
    const QByteArray stored = m_hasher.hash(QByteArrayLiteral("correct horse"));
    ASSERT_TRUE(stored.startsWith("$argon2id$v=19$")) << stored.constData();
    EXPECT_TRUE(m_hasher.verify(stored, QByteArrayLiteral("correct horse")));
    EXPECT_FALSE(m_hasher.verify(stored, QByteArrayLiteral("correct horsE")));
    EXPECT_FALSE(m_hasher.verify(stored, QByteArrayLiteral("correct hors")));
    EXPECT_FALSE(m_hasher.verify(stored, QByteArrayLiteral("correct horse ")));
    EXPECT_FALSE(m_hasher.verify(stored, QByteArray()));
}

TEST_F(PasswordHasherTest, MinimalUsesTheLowestLimits)
{
    EXPECT_TRUE(m_hasher.hash(QByteArrayLiteral("pw")).startsWith("$argon2id$v=19$m=8,t=1,p=1$"));
}

TEST_F(PasswordHasherTest, TwoHashesOfOnePasswordDiffer)
{
    const QByteArray a = m_hasher.hash(QByteArrayLiteral("same"));
    const QByteArray b = m_hasher.hash(QByteArrayLiteral("same"));
    EXPECT_NE(a, b);
    EXPECT_TRUE(m_hasher.verify(a, QByteArrayLiteral("same")));
    EXPECT_TRUE(m_hasher.verify(b, QByteArrayLiteral("same")));
}

TEST_F(PasswordHasherTest, EmptyPassword)
{
    const QByteArray stored = m_hasher.hash(QByteArray());
    ASSERT_FALSE(stored.isEmpty());
    EXPECT_TRUE(m_hasher.verify(stored, QByteArray()));
    EXPECT_FALSE(m_hasher.verify(stored, QByteArrayLiteral(" ")));
}

TEST_F(PasswordHasherTest, OneMebibytePassword)
{
    QByteArray password(1024 * 1024, 'p');
    const QByteArray stored = m_hasher.hash(password);
    ASSERT_FALSE(stored.isEmpty());
    EXPECT_TRUE(m_hasher.verify(stored, password));
    password[password.size() - 1] = 'q';
    EXPECT_FALSE(m_hasher.verify(stored, password));
}

TEST_F(PasswordHasherTest, PasswordsAreBytes)
{
    // Precomposed U+00E4 and U+006F U+0308 look alike but are other bytes.
    const QByteArray composed = QStringLiteral(u"p\u00e4ssw\u00f6rd \U0001F511").toUtf8();
    const QByteArray decomposed = QStringLiteral(u"pa\u0308ssw\u00f6rd \U0001F511").toUtf8();
    const QByteArray stored = m_hasher.hash(composed);
    EXPECT_TRUE(m_hasher.verify(stored, composed));
    EXPECT_FALSE(m_hasher.verify(stored, decomposed));

    // A NUL byte does not end the password.
    const QByteArray withNul("abc\0def", 7);
    const QByteArray nulStored = m_hasher.hash(withNul);
    EXPECT_TRUE(m_hasher.verify(nulStored, withNul));
    EXPECT_FALSE(m_hasher.verify(nulStored, QByteArrayLiteral("abc")));
}

TEST_F(PasswordHasherTest, GarbageHashesAreRejected)
{
    const QByteArray good = m_hasher.hash(QByteArrayLiteral("pw"));
    QByteArray flipped = good;
    flipped[flipped.size() - 2] = flipped.at(flipped.size() - 2) == 'A' ? 'B' : 'A';
    QByteArray binary;
    for (int i = 0; i < 100; ++i)
        binary.append(static_cast<char>((i * 37 + 11) & 0xff));

    const QByteArray garbage[] = {
        QByteArray(),
        QByteArrayLiteral("garbage"),
        QByteArrayLiteral("$argon2id$"),
        QByteArrayLiteral("$argon2id$v=19$m=8,t=1,p=1$$"),
        QByteArrayLiteral("$argon2id$v=19$m=8,t=1,p=1$c2FsdA"),
        QByteArrayLiteral("$argon2id$v=19$m=x,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA"),
        QByteArrayLiteral("$argon2id$v=19$m=-8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA"),
        QByteArrayLiteral("$argon2id$v=19$t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA"),
        QByteArrayLiteral("$2b$12$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234"),
        QByteArrayLiteral("$scrypt$ln=1,r=8,p=1$c2FsdA$aGFzaA"),
        good.left(good.size() - 5),
        good.mid(1),
        good + '$',
        good + QByteArray(200, 'A'),
        QByteArray(500, '$'),
        good + QByteArray("\0junk", 5),
        flipped,
        binary,
    };
    for (const QByteArray &stored : garbage)
        EXPECT_FALSE(m_hasher.verify(stored, QByteArrayLiteral("pw")))
            << stored.toHex().constData();

    // Nothing that cannot be parsed counts as current.
    for (const QByteArray &stored :
         {QByteArray(), QByteArrayLiteral("garbage"), binary,
          QByteArray(good + QByteArray("\0junk", 5)), QByteArray(good + QByteArray(200, 'A'))})
        EXPECT_TRUE(m_hasher.needsRehash(stored)) << stored.toHex().constData();
}

TEST_F(PasswordHasherTest, UnterminatedBufferIsReadOnlyToItsSize)
{
    const QByteArray good = m_hasher.hash(QByteArrayLiteral("pw"));
    // A view into memory with no NUL after the hash: only `good.size()` bytes
    // may be read.
    char buffer[256];
    std::memset(buffer, 'X', sizeof buffer);
    std::memcpy(buffer, good.constData(), static_cast<size_t>(good.size()));
    const QByteArray view = QByteArray::fromRawData(buffer, good.size());
    EXPECT_TRUE(m_hasher.verify(view, QByteArrayLiteral("pw")));
    EXPECT_FALSE(
        m_hasher.verify(QByteArray::fromRawData(buffer, sizeof buffer), QByteArrayLiteral("pw")));
}

TEST_F(PasswordHasherTest, RefusesHashesThatDemandExcessiveCost)
{
    // Well-formed, but verifying them would allocate 4 TiB or run 2^32 passes.
    const QByteArray tail =
        QByteArrayLiteral("$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g");
    EXPECT_FALSE(m_hasher.verify(QByteArrayLiteral("$argon2id$v=19$m=4294967295,t=1,p=1") + tail,
                                 QByteArrayLiteral("pw")));
    EXPECT_FALSE(m_hasher.verify(QByteArrayLiteral("$argon2id$v=19$m=8,t=4294967295,p=1") + tail,
                                 QByteArrayLiteral("pw")));
    EXPECT_FALSE(m_hasher.verify(
        QByteArrayLiteral("$argon2id$v=19$m=8,t=99999999999999999999999,p=1") + tail,
        QByteArrayLiteral("pw")));
}

TEST_F(PasswordHasherTest, VerifyIgnoresTheHashersOwnStrength)
{
    const QByteArray stored = m_hasher.hash(QByteArrayLiteral("pw"));
    const PasswordHasher interactive;
    EXPECT_EQ(interactive.strength(), Strength::Interactive);
    EXPECT_TRUE(interactive.verify(stored, QByteArrayLiteral("pw")));
}

TEST_F(PasswordHasherTest, AcceptsArgon2iHashesButAsksForARehash)
{
    char out[crypto_pwhash_STRBYTES];
    ASSERT_EQ(crypto_pwhash_str_alg(out, "pw", 2, crypto_pwhash_argon2i_OPSLIMIT_MIN,
                                    crypto_pwhash_argon2i_MEMLIMIT_MIN,
                                    crypto_pwhash_ALG_ARGON2I13),
              0);
    const QByteArray stored(out);
    ASSERT_TRUE(stored.startsWith("$argon2i$"));
    EXPECT_TRUE(m_hasher.verify(stored, QByteArrayLiteral("pw")));
    EXPECT_FALSE(m_hasher.verify(stored, QByteArrayLiteral("pW")));
    EXPECT_TRUE(m_hasher.needsRehash(stored));
}

TEST_F(PasswordHasherTest, NeedsRehashComparesLimits)
{
    const QByteArray stored = m_hasher.hash(QByteArrayLiteral("pw"));
    EXPECT_FALSE(m_hasher.needsRehash(stored));
    EXPECT_TRUE(PasswordHasher(Strength::Interactive).needsRehash(stored));
    EXPECT_TRUE(PasswordHasher(Strength::Moderate).needsRehash(stored));
}

TEST(PasswordHasherStrength, ParsesNames)
{
    EXPECT_EQ(PasswordHasher::strengthFromString(QStringLiteral("minimal")), Strength::Minimal);
    EXPECT_EQ(PasswordHasher::strengthFromString(QStringLiteral("interactive")),
              Strength::Interactive);
    EXPECT_EQ(PasswordHasher::strengthFromString(QStringLiteral("moderate")), Strength::Moderate);
    EXPECT_EQ(PasswordHasher::strengthFromString(QStringLiteral("Moderate")), Strength::Moderate);
    EXPECT_FALSE(PasswordHasher::strengthFromString(QString()).has_value());
    EXPECT_FALSE(PasswordHasher::strengthFromString(QStringLiteral("sensitive")).has_value());
    EXPECT_FALSE(PasswordHasher::strengthFromString(QStringLiteral(" minimal")).has_value());
}

TEST(PasswordHasherStrength, DefaultIsInteractive)
{
    EXPECT_EQ(PasswordHasher().strength(), Strength::Interactive);
}
