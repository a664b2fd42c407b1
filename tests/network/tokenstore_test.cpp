// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// The token stores: the desktop keychain (a real Secret Service, started by
// the test command) and the in-memory one, held to the same contract.

#include <memory>
#include <ostream>

#include <gtest/gtest.h>

#include <QTest>
#include <QUuid>

#include "network/tokenstore.h"

// Readable QString values in failure messages.
QT_BEGIN_NAMESPACE
inline void PrintTo(const QString &s, std::ostream *os)
{
    *os << '"' << s.toStdString() << '"';
}
QT_END_NAMESPACE

using namespace Qt::StringLiterals;
using pf::network::KeychainTokenStore;
using pf::network::MemoryTokenStore;
using pf::network::TokenStore;

namespace {

struct ReadResult
{
    bool answered = false;
    std::optional<QString> secret;
    QString error;
};

// Waits for one asynchronous answer; fails the test on a timeout.
ReadResult read(TokenStore &store, const QString &key)
{
    ReadResult r;
    bool inside = true;
    store.read(key, [&r, &inside](std::optional<QString> secret, const QString &error) {
        EXPECT_FALSE(inside) << "answered inside the call";
        r = {true, std::move(secret), error};
    });
    inside = false;
    EXPECT_TRUE(QTest::qWaitFor([&r] { return r.answered; }, 10000)) << "no answer to a read";
    return r;
}

QString write(TokenStore &store, const QString &key, const QString &secret)
{
    bool answered = false;
    QString error = u"no answer"_s;
    store.write(key, secret, [&](const QString &e) {
        answered = true;
        error = e;
    });
    EXPECT_TRUE(QTest::qWaitFor([&answered] { return answered; }, 10000));
    return error;
}

QString remove(TokenStore &store, const QString &key)
{
    bool answered = false;
    QString error = u"no answer"_s;
    store.remove(key, [&](const QString &e) {
        answered = true;
        error = e;
    });
    EXPECT_TRUE(QTest::qWaitFor([&answered] { return answered; }, 10000));
    return error;
}

template <class Store>
class TokenStoreTest : public ::testing::Test
{
protected:
    std::unique_ptr<TokenStore> make()
    {
        if constexpr (std::is_same_v<Store, KeychainTokenStore>)
            return std::make_unique<KeychainTokenStore>(u"pfstudio-tests"_s);
        else
            return std::make_unique<MemoryTokenStore>();
    }
    // A key no other run uses.
    QString key(const QString &stem)
    {
        return stem + u'|' + QUuid::createUuid().toString(QUuid::WithoutBraces);
    }
};

using Stores = ::testing::Types<KeychainTokenStore, MemoryTokenStore>;
TYPED_TEST_SUITE(TokenStoreTest, Stores);

TYPED_TEST(TokenStoreTest, WriteReadReplaceRemove)
{
    auto store = this->make();
    const QString key = this->key(u"https://pf.example.org|alice"_s);
    ASSERT_EQ(write(*store, key, u"refresh-1"_s), QString());
    ReadResult r = read(*store, key);
    EXPECT_TRUE(r.error.isEmpty()) << r.error.toStdString();
    EXPECT_EQ(r.secret, std::optional<QString>(u"refresh-1"_s));

    ASSERT_EQ(write(*store, key, u"refresh-2"_s), QString());
    EXPECT_EQ(read(*store, key).secret, std::optional<QString>(u"refresh-2"_s));

    ASSERT_EQ(remove(*store, key), QString());
    r = read(*store, key);
    EXPECT_FALSE(r.secret.has_value());
    EXPECT_TRUE(r.error.isEmpty()) << r.error.toStdString();
    // Removing again, or a key never written: not an error.
    EXPECT_EQ(remove(*store, key), QString());
}

TYPED_TEST(TokenStoreTest, KeysAreSeparateAndSecretsKeptExactly)
{
    auto store = this->make();
    const QString a = this->key(u"http://127.0.0.1:8000|bob"_s);
    const QString b = this->key(u"http://127.0.0.1:8000|bób 한국"_s);
    const QString odd = u"  spaces, \"quotes\", ü, 😀, and a newline\nat the end\n"_s;
    const QString long_ = QString(8000, u'x');
    ASSERT_EQ(write(*store, a, odd), QString());
    ASSERT_EQ(write(*store, b, long_), QString());
    EXPECT_EQ(read(*store, a).secret, std::optional<QString>(odd));
    EXPECT_EQ(read(*store, b).secret, std::optional<QString>(long_));
    EXPECT_FALSE(read(*store, this->key(u"never written"_s)).secret.has_value());
    remove(*store, a);
    EXPECT_EQ(read(*store, b).secret, std::optional<QString>(long_));
    remove(*store, b);
}

TEST(KeychainTokenStore, SecretsOutliveTheStoreObject)
{
    const QString key = u"survives|"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
    {
        KeychainTokenStore first(u"pfstudio-tests"_s);
        ASSERT_EQ(write(first, key, u"kept"_s), QString());
    }
    KeychainTokenStore second(u"pfstudio-tests"_s);
    EXPECT_EQ(read(second, key).secret, std::optional<QString>(u"kept"_s));
    // Another service name is another place.
    KeychainTokenStore other(u"pfstudio-other-tests"_s);
    EXPECT_FALSE(read(other, key).secret.has_value());
    remove(second, key);
}

} // namespace
