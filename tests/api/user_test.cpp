// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <gtest/gtest.h>

#include <QJsonArray>

#include "api/tokenpair.h"
#include "api/user.h"
#include "tests/api/jsontestutil.h"

using namespace Qt::StringLiterals;
using namespace pf::api;
using namespace pf::apitest;

TEST(TokenPair, RoundTrip)
{
    const TokenPair t{u"access.jwt"_s, u"refresh.jwt"_s};
    const TokenPair back = roundTrip(t);
    EXPECT_EQ(back, t);
    EXPECT_EQ(back.accessToken, u"access.jwt"_s);
    EXPECT_EQ(back.refreshToken, u"refresh.jwt"_s);
}

TEST(TokenPair, KeyNames)
{
    const QJsonObject o = TokenPair{u"a"_s, u"r"_s}.toJson();
    EXPECT_EQ(keysOf(o), keys({"access_token", "refresh_token"}));
    EXPECT_EQ(o.value("access_token"_L1).toString(), u"a"_s);
    EXPECT_EQ(o.value("refresh_token"_L1).toString(), u"r"_s);
}

TEST(TokenPair, LenientReading)
{
    const TokenPair t = TokenPair::fromJson(
        parse(R"({"access_token": "a", "refresh_token": "r", "token_type": "bearer"})"));
    EXPECT_EQ(t, (TokenPair{u"a"_s, u"r"_s}));
    EXPECT_EQ(TokenPair::fromJson({}), TokenPair{});
    EXPECT_EQ(TokenPair::fromJson(parse(R"({"access_token": 1, "refresh_token": null})")),
              TokenPair{});
}

TEST(User, RoundTripAndKeys)
{
    const User u{u"0b5cbd5c-8d1c-4a0f-9b7c-2f0e2d7c1a11"_s, u"alice"_s, u"Alice Liddell"_s,
                 u"alice@example.org"_s};
    EXPECT_EQ(roundTrip(u), u);
    const QJsonObject o = u.toJson();
    EXPECT_EQ(keysOf(o), keys({"id", "username", "name", "email"}));
    EXPECT_EQ(o.value("username"_L1).toString(), u"alice"_s);
    EXPECT_EQ(o.value("name"_L1).toString(), u"Alice Liddell"_s);
}

TEST(User, LenientReading)
{
    // A job's "user" carries only id and username.
    const User partial = User::fromJson(parse(R"({"id": "u1", "username": "bob", "extra": 3})"));
    EXPECT_EQ(partial, (User{u"u1"_s, u"bob"_s, {}, {}}));
    EXPECT_EQ(User::fromJson({}), User{});
    EXPECT_EQ(User::fromJson(parse(R"({"id": 5, "username": [], "name": {}, "email": false})")),
              User{});
}

TEST(UserInfo, RoundTripAndKeys)
{
    const UserInfo info{u"pf|0b5cbd5c-8d1c-4a0f-9b7c-2f0e2d7c1a11"_s, u"Alice"_s, u"alice"_s,
                        u"alice@example.org"_s};
    EXPECT_EQ(roundTrip(info), info);
    const QJsonObject o = info.toJson();
    EXPECT_EQ(keysOf(o), keys({"sub", "name", "username", "email"}));
    EXPECT_EQ(o.value("sub"_L1).toString(), info.sub);
    EXPECT_EQ(o.value("email"_L1).toString(), u"alice@example.org"_s);
}

TEST(UserInfo, LenientReading)
{
    EXPECT_EQ(UserInfo::fromJson(parse(R"({"sub": "pf|x", "email": "e", "iss": "pfd"})")),
              (UserInfo{u"pf|x"_s, {}, {}, u"e"_s}));
    EXPECT_EQ(UserInfo::fromJson({}), UserInfo{});
    EXPECT_EQ(UserInfo::fromJson(parse(R"({"sub": 1, "name": null, "username": 2.5})")),
              UserInfo{});
}

TEST(UserInfo, UserIdStripsThePrefix)
{
    EXPECT_EQ((UserInfo{u"pf|0b5cbd5c-8d1c-4a0f-9b7c-2f0e2d7c1a11"_s, {}, {}, {}}).userId(),
              u"0b5cbd5c-8d1c-4a0f-9b7c-2f0e2d7c1a11"_s);
    EXPECT_TRUE((UserInfo{u"auth0|abc"_s, {}, {}, {}}).userId().isEmpty());
    EXPECT_TRUE(UserInfo{}.userId().isEmpty());
}
