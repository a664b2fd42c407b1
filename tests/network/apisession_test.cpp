// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// ApiSession against a real pfd: signing in, the server's messages, one
// refresh for many calls that find the access token expired, signing out
// when the refresh is refused, and a server that does not answer.

#include <thread>

#include <gtest/gtest.h>

#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include "network/apisession.h"
#include "tests/support/pfdprocess.h"

using namespace Qt::StringLiterals;
using pf::network::ApiResult;
using pf::network::ApiSession;
using pf::test::PfdProcess;

namespace {

// Waits for the answer of one call.
ApiResult wait(const std::function<void(ApiSession::Done)> &call)
{
    ApiResult out;
    bool answered = false;
    call([&](const ApiResult &r) {
        out = r;
        answered = true;
    });
    EXPECT_TRUE(QTest::qWaitFor([&] { return answered; }, 20000)) << "no answer";
    return out;
}

class ApiSessionTest : public ::testing::Test
{
protected:
    static void SetUpTestSuite()
    {
        s_pfd = new PfdProcess(PfdProcess::defaultConfig() + u"  access_token_ttl_s: 2\n"_s);
        ASSERT_TRUE(s_pfd->start()) << s_pfd->lastError().toStdString();
        s_user = new PfdProcess::User(s_pfd->createUser(u"studio"_s));
    }
    static void TearDownTestSuite()
    {
        delete s_user;
        delete s_pfd;
    }
    static QUrl base() { return QUrl(u"http://127.0.0.1:%1"_s.arg(s_pfd->port())); }

    static inline PfdProcess *s_pfd = nullptr;
    static inline PfdProcess::User *s_user = nullptr;
};

TEST_F(ApiSessionTest, SignsInAndCallsCarryTheToken)
{
    ApiSession s(base());
    const ApiResult in =
        wait([&](auto done) { s.signIn(s_user->username, s_user->password, done); });
    ASSERT_TRUE(in.ok()) << in.message.toStdString();
    EXPECT_TRUE(s.signedIn());
    EXPECT_FALSE(s.refreshToken().isEmpty());
    const ApiResult me = wait([&](auto done) { s.get(u"/auth/oauth2/userinfo"_s, done); });
    ASSERT_TRUE(me.ok()) << me.message.toStdString();
    EXPECT_EQ(me.json.object().value(u"username"_s).toString(), s_user->username);
}

TEST_F(ApiSessionTest, TheServersDetailIsTheMessage)
{
    ApiSession s(base());
    const ApiResult wrong = wait([&](auto done) { s.signIn(s_user->username, u"nope"_s, done); });
    EXPECT_EQ(wrong.status, 401);
    EXPECT_FALSE(wrong.message.isEmpty());
    EXPECT_FALSE(s.signedIn());

    ASSERT_TRUE(wait([&](auto done) { s.signIn(s_user->username, s_user->password, done); }).ok());
    const ApiResult bad =
        wait([&](auto done) { s.post(u"/auth/pf_group"_s, QJsonDocument(QJsonObject{}), done); });
    EXPECT_EQ(bad.status, 400);
    EXPECT_TRUE(bad.message.contains(u"name"_s)) << bad.message.toStdString();
}

TEST_F(ApiSessionTest, ManyCallsWithAnExpiredTokenShareOneRefresh)
{
    ApiSession s(base());
    ASSERT_TRUE(wait([&](auto done) { s.signIn(s_user->username, s_user->password, done); }).ok());
    QSignalSpy changed(&s, &ApiSession::tokensChanged);
    const QString firstRefresh = s.refreshToken();
    const QString firstAccess = s.accessToken();
    EXPECT_FALSE(firstAccess.isEmpty());
    std::this_thread::sleep_for(std::chrono::milliseconds(3100)); // past the 2 s lifetime

    int answered = 0;
    QList<ApiResult> results;
    for (int i = 0; i < 5; ++i)
        s.get(u"/auth/oauth2/userinfo"_s, [&](const ApiResult &r) {
            results.append(r);
            ++answered;
        });
    ASSERT_TRUE(QTest::qWaitFor([&] { return answered == 5; }, 20000));
    for (const ApiResult &r : results)
        EXPECT_TRUE(r.ok()) << r.status << ' ' << r.message.toStdString();
    EXPECT_EQ(s.refreshes(), 1);
    EXPECT_EQ(changed.count(), 1);
    EXPECT_NE(s.refreshToken(), firstRefresh);
    // The renewed access token, for connections the session does not make.
    EXPECT_NE(s.accessToken(), firstAccess);
    EXPECT_FALSE(s.accessToken().isEmpty());
    // pfd's access log (written in batches) shows one refresh call.
    const auto refreshCalls = [] {
        return s_pfd->log().count(u"\"path\":\"/api/token/refresh\""_s);
    };
    EXPECT_TRUE(QTest::qWaitFor([&] { return refreshCalls() >= 1; }, 5000));
    EXPECT_EQ(refreshCalls(), 1) << s_pfd->log().right(1500).toStdString();
}

TEST_F(ApiSessionTest, ARefusedRefreshSignsOut)
{
    ApiSession s(base());
    s.setTokens(u"not-a-token"_s, u"not-a-refresh-token"_s);
    QSignalSpy out(&s, &ApiSession::signedOut);
    const ApiResult r = wait([&](auto done) { s.get(u"/auth/oauth2/userinfo"_s, done); });
    EXPECT_EQ(r.status, 401);
    EXPECT_TRUE(r.message.startsWith(u"You have been signed out"_s)) << r.message.toStdString();
    EXPECT_EQ(out.count(), 1);
    EXPECT_FALSE(s.signedIn());
    EXPECT_TRUE(s.accessToken().isEmpty());
}

TEST_F(ApiSessionTest, NoServerIsAClearMessageAfterRetries)
{
    // A port nothing listens on: the GET is tried three times, then fails.
    ApiSession s(QUrl(u"http://127.0.0.1:1"_s));
    QElapsedTimer t;
    t.start();
    const ApiResult r = wait([&](auto done) { s.get(u"/auth/oauth2/userinfo"_s, done); });
    EXPECT_EQ(r.status, 0);
    EXPECT_TRUE(r.message.startsWith(u"The server did not answer"_s)) << r.message.toStdString();
    EXPECT_GE(t.elapsed(), 1000); // waited 200 ms and 800 ms between the attempts
    // A POST is not repeated.
    t.restart();
    const ApiResult post =
        wait([&](auto done) { s.post(u"/auth/pf_group"_s, QJsonDocument(QJsonObject{}), done); });
    EXPECT_EQ(post.status, 0);
    EXPECT_LT(t.elapsed(), 1000);
}

} // namespace
