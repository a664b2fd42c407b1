// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <gtest/gtest.h>

#include <QUuid>

#include "server/store/database.h"
#include "server/store/pagination.h"
#include "server/store/tokenrepo.h"
#include "server/store/userrepo.h"
#include "tests/server/servertestutil.h"
#include "tests/server/storefixture.h"

using namespace Qt::StringLiterals;
using pf::server::nowMs;
using pf::server::TokenRepo;
using pf::server::UniqueViolation;
using pf::server::UserRepo;
using pf::servertest::StoreTest;

namespace {
class UserRepoTest : public StoreTest
{
};
class TokenRepoTest : public StoreTest
{
};
} // namespace

PF_INSTANTIATE_STORE_TEST(UserRepoTest);
PF_INSTANTIATE_STORE_TEST(TokenRepoTest);

TEST_P(UserRepoTest, CreateAndFind)
{
    UserRepo users(conn());
    const auto ada =
        users.create(u"Ada"_s, u"Ada Lovelace"_s, u"Ada@Example.ORG"_s, "$argon2id$h", false);
    EXPECT_EQ(QUuid::fromString(ada.id).isNull(), false) << ada.id.toStdString();
    EXPECT_EQ(ada.username, u"Ada"_s); // shown as typed
    EXPECT_EQ(ada.name, u"Ada Lovelace"_s);
    EXPECT_EQ(ada.email, u"ada@example.org"_s);

    const auto byId = users.byId(ada.id);
    ASSERT_TRUE(byId);
    EXPECT_EQ(byId->user, ada);
    EXPECT_EQ(byId->passwordHash, QByteArray("$argon2id$h"));
    EXPECT_FALSE(byId->confirmed);

    for (const QString &spelling : {u"Ada"_s, u"ada"_s, u"ADA"_s, u"aDa"_s}) {
        const auto r = users.byUsername(spelling);
        ASSERT_TRUE(r) << spelling.toStdString();
        EXPECT_EQ(r->user.id, ada.id);
    }
    for (const QString &spelling : {u"ada@example.org"_s, u"ADA@EXAMPLE.ORG"_s}) {
        const auto r = users.byEmail(spelling);
        ASSERT_TRUE(r) << spelling.toStdString();
        EXPECT_EQ(r->user.id, ada.id);
    }
    EXPECT_FALSE(users.byUsername(u"ad"_s));
    EXPECT_FALSE(users.byUsername(u"ada%"_s));
    EXPECT_FALSE(users.byId(u"00000000-0000-0000-0000-000000000000"_s));
    EXPECT_FALSE(users.byEmail(u"other@example.org"_s));
}

TEST_P(UserRepoTest, UsernamesAreUniqueWithoutRegardToCase)
{
    UserRepo users(conn());
    users.create(u"Ada"_s, u"A"_s, u"ada@example.org"_s, "h", true);
    EXPECT_THROW(users.create(u"ada"_s, u"B"_s, u"other@example.org"_s, "h", true),
                 UniqueViolation);
    EXPECT_THROW(users.create(u"ADA"_s, u"B"_s, u"other2@example.org"_s, "h", true),
                 UniqueViolation);
    // E-mail addresses are unique after lower-casing too.
    EXPECT_THROW(users.create(u"bob"_s, u"B"_s, u"ADA@example.org"_s, "h", true), UniqueViolation);
    EXPECT_EQ(count(u"users"_s), 1);

    EXPECT_TRUE(users.usernameOrEmailTaken(u"aDA"_s, u"free@example.org"_s));
    EXPECT_TRUE(users.usernameOrEmailTaken(u"free"_s, u"Ada@Example.org"_s));
    EXPECT_FALSE(users.usernameOrEmailTaken(u"free"_s, u"free@example.org"_s));
}

TEST_P(UserRepoTest, NonAsciiUsernamesFoldCase)
{
    UserRepo users(conn());
    const auto u = users.create(u"Zoë"_s, u"Z"_s, u"zoe@example.org"_s, "h", true);
    const auto r = users.byUsername(u"ZOË"_s);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->user.id, u.id);
    EXPECT_THROW(users.create(u"zoË"_s, u"Z"_s, u"zoe2@example.org"_s, "h", true), UniqueViolation);
}

TEST_P(UserRepoTest, PasswordAndConfirmation)
{
    UserRepo users(conn());
    const auto u = users.create(u"ada"_s, u"A"_s, u"ada@example.org"_s, "old", false);
    const auto other = users.create(u"bob"_s, u"B"_s, u"bob@example.org"_s, "bobs", false);
    users.setPasswordHash(u.id, "new");
    users.setConfirmed(u.id);
    const auto r = users.byId(u.id);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->passwordHash, QByteArray("new"));
    EXPECT_TRUE(r->confirmed);
    const auto b = users.byId(other.id);
    ASSERT_TRUE(b);
    EXPECT_EQ(b->passwordHash, QByteArray("bobs"));
    EXPECT_FALSE(b->confirmed);
}

TEST_P(UserRepoTest, SignupCodesAreSingleUse)
{
    UserRepo users(conn());
    const auto u = users.create(u"ada"_s, u"A"_s, u"ada@example.org"_s, "h", false);
    users.addSignupCode(u"token-1"_s, "keyhash", u.id, nowMs() + 60'000);

    // A wrong key does not match and does not consume the code.
    EXPECT_FALSE(users.takeSignupCode(u"token-1"_s, "wrong"));
    EXPECT_FALSE(users.takeSignupCode(u"token-2"_s, "keyhash"));
    EXPECT_EQ(count(u"signup_codes"_s), 1);

    EXPECT_EQ(users.takeSignupCode(u"token-1"_s, "keyhash"), std::optional<QString>(u.id));
    EXPECT_FALSE(users.takeSignupCode(u"token-1"_s, "keyhash"));
    EXPECT_EQ(count(u"signup_codes"_s), 0);

    EXPECT_THROW(users.addSignupCode(u"token-3"_s, "k", u"no-such-user"_s, nowMs() + 60'000),
                 pf::server::StoreError);
}

TEST_P(UserRepoTest, ExpiredSignupCodesFailAndAreConsumed)
{
    UserRepo users(conn());
    const auto u = users.create(u"ada"_s, u"A"_s, u"ada@example.org"_s, "h", false);
    users.addSignupCode(u"old"_s, "k", u.id, nowMs() - 1);
    EXPECT_FALSE(users.takeSignupCode(u"old"_s, "k"));
    EXPECT_EQ(count(u"signup_codes"_s), 0);
    // Deleting the user deletes its codes.
    users.addSignupCode(u"fresh"_s, "k", u.id, nowMs() + 60'000);
    QSqlDatabase c = conn();
    pf::server::runSql(c, u"DELETE FROM users WHERE id = ?"_s, {u.id});
    EXPECT_EQ(count(u"signup_codes"_s), 0);
}

TEST_P(TokenRepoTest, AddFindMarkUsedOnce)
{
    UserRepo users(conn());
    TokenRepo tokens(conn());
    const auto u = users.create(u"ada"_s, u"A"_s, u"ada@example.org"_s, "h", true);
    const qint64 expires = nowMs() + 3'600'000;
    tokens.add("hash-1", u"fam-1"_s, u.id, expires);

    auto r = tokens.find("hash-1");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->familyId, u"fam-1"_s);
    EXPECT_EQ(r->userId, u.id);
    EXPECT_EQ(r->expiresAtMs, expires);
    EXPECT_FALSE(r->used);
    EXPECT_FALSE(r->revoked);
    EXPECT_FALSE(tokens.find("hash-2"));

    EXPECT_TRUE(tokens.markUsed("hash-1"));
    EXPECT_FALSE(tokens.markUsed("hash-1")) << "a token can be used only once";
    EXPECT_FALSE(tokens.markUsed("no-such-hash"));
    r = tokens.find("hash-1");
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->used);

    EXPECT_THROW(tokens.add("hash-1", u"fam-1"_s, u.id, expires), UniqueViolation);
}

TEST_P(TokenRepoTest, RevokeFamilyAndUser)
{
    UserRepo users(conn());
    TokenRepo tokens(conn());
    const auto ada = users.create(u"ada"_s, u"A"_s, u"ada@example.org"_s, "h", true);
    const auto bob = users.create(u"bob"_s, u"B"_s, u"bob@example.org"_s, "h", true);
    const qint64 expires = nowMs() + 3'600'000;
    tokens.add("a1", u"fam-a"_s, ada.id, expires);
    tokens.add("a2", u"fam-a"_s, ada.id, expires);
    tokens.add("a3", u"fam-a2"_s, ada.id, expires);
    tokens.add("b1", u"fam-b"_s, bob.id, expires);

    tokens.revokeFamily(u"fam-a"_s);
    EXPECT_TRUE(tokens.find("a1")->revoked);
    EXPECT_TRUE(tokens.find("a2")->revoked);
    EXPECT_FALSE(tokens.find("a3")->revoked);
    EXPECT_FALSE(tokens.find("b1")->revoked);

    tokens.revokeUser(ada.id);
    EXPECT_TRUE(tokens.find("a3")->revoked);
    EXPECT_FALSE(tokens.find("b1")->revoked);
}

TEST_P(TokenRepoTest, PurgeExpired)
{
    UserRepo users(conn());
    TokenRepo tokens(conn());
    const auto ada = users.create(u"ada"_s, u"A"_s, u"ada@example.org"_s, "h", true);
    tokens.add("old", u"f"_s, ada.id, 1000);
    tokens.add("edge", u"f"_s, ada.id, 2000);
    tokens.add("new", u"f"_s, ada.id, 3000);
    tokens.purgeExpired(2000);
    EXPECT_FALSE(tokens.find("old"));
    EXPECT_TRUE(tokens.find("edge"));
    EXPECT_TRUE(tokens.find("new"));
}
