// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <gtest/gtest.h>

#include "server/auth/secretbox.h"

using pf::server::SecretBox;

namespace {

class SecretBoxTest : public ::testing::Test
{
protected:
    const SecretBox m_box{QByteArray(32, '\x42')};
};

} // namespace

TEST_F(SecretBoxTest, RoundTrip)
{
    const QByteArray plain = QByteArrayLiteral("aws_secret_access_key=abc123");
    const QByteArray sealed = m_box.seal(plain);
    EXPECT_EQ(sealed.size(), plain.size() + SecretBox::OverheadBytes);
    EXPECT_FALSE(sealed.contains(plain));
    EXPECT_EQ(m_box.open(sealed), plain);
}

TEST_F(SecretBoxTest, RoundTripsEmptyAndLargeValues)
{
    EXPECT_EQ(m_box.open(m_box.seal(QByteArray())), QByteArray());
    QByteArray large(1024 * 1024, Qt::Uninitialized);
    for (qsizetype i = 0; i < large.size(); ++i)
        large[i] = static_cast<char>(i * 131);
    EXPECT_EQ(m_box.open(m_box.seal(large)), large);
}

TEST_F(SecretBoxTest, AnyTamperedByteIsRejected)
{
    const QByteArray sealed = m_box.seal(QByteArrayLiteral("registry password"));
    for (qsizetype i = 0; i < sealed.size(); ++i) {
        QByteArray tampered = sealed;
        tampered[i] = static_cast<char>(tampered.at(i) ^ 0x01);
        EXPECT_FALSE(m_box.open(tampered).has_value()) << "byte " << i;
    }
    EXPECT_FALSE(m_box.open(sealed.chopped(1)).has_value());
    QByteArray extended = sealed;
    extended.append('\0');
    EXPECT_FALSE(m_box.open(extended).has_value());
}

TEST_F(SecretBoxTest, WrongKeyIsRejected)
{
    const SecretBox other(QByteArray(32, '\x43'));
    EXPECT_FALSE(other.open(m_box.seal(QByteArrayLiteral("secret"))).has_value());
}

TEST_F(SecretBoxTest, ShortInputIsRejected)
{
    EXPECT_FALSE(m_box.open(QByteArray()).has_value());
    EXPECT_FALSE(m_box.open(QByteArray(1, 'x')).has_value());
    EXPECT_FALSE(m_box.open(QByteArray(SecretBox::OverheadBytes - 1, 'x')).has_value());
    // Exactly the overhead is the shape of an empty plaintext, but not a valid one.
    EXPECT_FALSE(m_box.open(QByteArray(SecretBox::OverheadBytes, '\0')).has_value());
}

TEST_F(SecretBoxTest, TwoSealsOfOneValueDiffer)
{
    const QByteArray plain = QByteArrayLiteral("same");
    const QByteArray a = m_box.seal(plain);
    const QByteArray b = m_box.seal(plain);
    EXPECT_NE(a, b);
    EXPECT_NE(a.left(SecretBox::NonceBytes), b.left(SecretBox::NonceBytes));
    EXPECT_EQ(m_box.open(a), plain);
    EXPECT_EQ(m_box.open(b), plain);
}

TEST(SecretBoxDeathTest, KeyOfTheWrongSizeAborts)
{
    EXPECT_DEATH((void)SecretBox(QByteArray(31, 'k')), "");
    EXPECT_DEATH((void)SecretBox(QByteArray(33, 'k')), "");
}
