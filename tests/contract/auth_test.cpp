// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// Contract: sign-in, tokens, sign-up, password change, the caller's orgs and
// projects (API.md "Auth and users"; docs/api.md "Auth").

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QThread>

#include "tests/contract/contracthelpers.h"

using namespace pf::test;
using namespace Qt::StringLiterals;

namespace {

HttpReply signIn(HttpClient &c, const QString &username, const QString &password)
{
    return c.postForm(u"/api/token/"_s, {{u"username"_s, username}, {u"password"_s, password}});
}

HttpReply refresh(HttpClient &c, const QString &token, const QString &key = u"refresh_token"_s)
{
    return c.postForm(u"/api/token/refresh/"_s, {{key, token}});
}

QString str(const HttpReply &r, const QString &key)
{
    return r.json().value(key).toString();
}

} // namespace

class Auth : public ApiTest
{
protected:
    // The sign-up code pfd wrote to its log for `username`.
    static bool signupCode(const QString &username, QString *emailToken, QString *key)
    {
        static const QRegularExpression re(u"email_token=(\\S+) key=(\\S+)"_s);
        const QStringList lines = pfd().log().split(u'\n');
        for (const QString &line : lines) {
            if (!line.contains(u"sign-up confirmation for "_s + username + u" <"_s))
                continue;
            const QRegularExpressionMatch m = re.match(line);
            if (!m.hasMatch())
                continue;
            *emailToken = m.captured(1);
            *key = m.captured(2);
            return true;
        }
        return false;
    }

    static HttpReply signUp(const QString &username, const QString &email,
                            const QString &password = u"long-enough-pw"_s)
    {
        return pfd().client()->postJson(u"/auth/pf_user/self_signup"_s,
                                        {{u"username"_s, username},
                                         {u"name"_s, u"Sign Up"_s},
                                         {u"email"_s, email},
                                         {u"password"_s, password}});
    }
};

// --- POST /api/token/ -------------------------------------------------------

TEST_F(Auth, TokenAnswersAPairThatAuthenticates)
{
    const User u = newUser(u"tok"_s);
    ASSERT_FALSE(u.id.isEmpty());
    auto c = pfd().client();
    // The OAuth2 form fields some clients send are accepted and ignored.
    const HttpReply r = c->postForm(u"/api/token/"_s, {{u"username"_s, u.username},
                                                       {u"password"_s, u.password},
                                                       {u"grant_type"_s, u"password"_s},
                                                       {u"scope"_s, u""_s},
                                                       {u"client_id"_s, u"pf"_s}});
    ASSERT_EQ(r.status, 200) << show(r);
    const QString access = str(r, u"access_token"_s);
    const QString refreshToken = str(r, u"refresh_token"_s);
    EXPECT_EQ(access.count(u'.'), 2) << "not a JWT: " << access.toStdString();
    EXPECT_GE(refreshToken.size(), 32);
    EXPECT_NE(access, refreshToken);

    c->setToken(access);
    const HttpReply info = c->get(u"/auth/oauth2/userinfo"_s);
    ASSERT_EQ(info.status, 200) << show(info);
    EXPECT_EQ(str(info, u"sub"_s), u"pf|"_s + u.id);
    EXPECT_EQ(str(info, u"username"_s), u.username);
    EXPECT_EQ(str(info, u"name"_s), u.username + u" Tester"_s);
    EXPECT_EQ(str(info, u"email"_s), u.email);

    // Usernames are case-insensitive at sign-in.
    EXPECT_EQ(signIn(*pfd().client(), u.username.toUpper(), u.password).status, 200);
}

TEST_F(Auth, TokenRoutesAnswerWithAndWithoutTheTrailingSlash)
{
    const User u = newUser(u"slashless"_s);
    auto c = pfd().client();
    const HttpReply token =
        c->postForm(u"/api/token"_s, {{u"username"_s, u.username}, {u"password"_s, u.password}});
    ASSERT_EQ(token.status, 200) << show(token);
    const HttpReply refreshed = refresh(*c, str(token, u"refresh_token"_s), u"refresh_token"_s);
    ASSERT_EQ(refreshed.status, 200) << show(refreshed);
    const HttpReply again = c->postForm(u"/api/token/refresh"_s,
                                        {{u"refresh_token"_s, str(refreshed, u"refresh_token"_s)}});
    ASSERT_EQ(again.status, 200) << show(again);
    c->setToken(str(again, u"access_token"_s));
    const HttpReply info = c->get(u"/auth/oauth2/userinfo"_s);
    ASSERT_EQ(info.status, 200) << show(info);
    EXPECT_EQ(info.json().keys(), (QStringList{u"email"_s, u"name"_s, u"sub"_s, u"username"_s}));
    // /auth/ paths take a trailing slash too, on POST as well.
    const HttpReply org = c->postJson(u"/auth/pf_group/"_s, {{u"name"_s, unique(u"slash-org"_s)},
                                                             {u"hosting_type"_s, u"hosted"_s}});
    EXPECT_EQ(org.status, 201) << show(org);
}

TEST_F(Auth, TokenWrongPasswordAndUnknownUserAre401)
{
    const User u = newUser(u"wrongpw"_s);
    auto c = pfd().client();
    const HttpReply wrong = signIn(*c, u.username, u"not-the-password"_s);
    EXPECT_API_ERROR(wrong, 401);
    EXPECT_EQ(wrong.header("www-authenticate"), "Bearer");
    EXPECT_FALSE(wrong.json().contains(u"access_token"_s));

    const HttpReply unknown = signIn(*c, unique(u"nobody"_s), u"whatever-password"_s);
    EXPECT_API_ERROR(unknown, 401);
    // The answer does not tell which usernames exist.
    EXPECT_EQ(unknown.detail(), wrong.detail());
}

TEST_F(Auth, TokenMissingFieldsAre400)
{
    auto c = pfd().client();
    const HttpReply none = c->postForm(u"/api/token/"_s, {});
    EXPECT_FIELD_ERROR(none, 400, u"username"_s);
    EXPECT_FIELD_ERROR(none, 400, u"password"_s);

    const HttpReply noPassword = c->postForm(u"/api/token/"_s, {{u"username"_s, u"someone"_s}});
    EXPECT_FIELD_ERROR(noPassword, 400, u"password"_s);
    EXPECT_FALSE(errorPaths(noPassword).contains(u"username"_s)) << show(noPassword);

    const HttpReply extra = c->postForm(u"/api/token/"_s, {{u"username"_s, u"someone"_s},
                                                           {u"password"_s, u"password1"_s},
                                                           {u"pasword"_s, u"typo"_s}});
    EXPECT_FIELD_ERROR(extra, 400, u"pasword"_s);
}

TEST_F(Auth, TokenForUnconfirmedUserIs403)
{
    const QString username = unique(u"unconfirmed"_s);
    int code = -1;
    const QString id =
        pfd().admin({u"create-user"_s, u"--username"_s, username, u"--email"_s,
                     username + u"@example.test"_s, u"--password-stdin"_s, u"--unconfirmed"_s},
                    &code, "unconfirmed-pw\n");
    ASSERT_EQ(code, 0) << id.toStdString();
    auto c = pfd().client();
    const HttpReply r = signIn(*c, username, u"unconfirmed-pw"_s);
    EXPECT_API_ERROR(r, 403);
    EXPECT_TRUE(r.detail().contains(u"confirm"_s, Qt::CaseInsensitive)) << show(r);
    // A wrong password is still a plain 401: a 403 would confirm the password.
    EXPECT_API_ERROR(signIn(*c, username, u"wrong-password"_s), 401);

    ASSERT_EQ(pfd().admin({u"confirm-user"_s, u"--username"_s, username}, &code).trimmed(),
              id.trimmed());
    EXPECT_EQ(signIn(*c, username, u"unconfirmed-pw"_s).status, 200);
}

TEST_F(Auth, AdminSetPasswordReplacesTheOldOne)
{
    User u = newUser(u"setpw"_s);
    int code = -1;
    const QString id =
        pfd().admin({u"set-password"_s, u"--username"_s, u.username, u"--password-stdin"_s}, &code,
                    "brand-new-pw\n");
    ASSERT_EQ(code, 0) << id.toStdString();
    EXPECT_EQ(id.trimmed(), u.id);
    auto c = pfd().client();
    EXPECT_API_ERROR(signIn(*c, u.username, u.password), 401);
    EXPECT_EQ(signIn(*c, u.username, u"brand-new-pw"_s).status, 200);

    // Too short, or nobody by that name: refused, nothing changed.
    pfd().admin({u"set-password"_s, u"--username"_s, u.username, u"--password-stdin"_s}, &code,
                "short\n");
    EXPECT_EQ(code, 2);
    pfd().admin({u"set-password"_s, u"--username"_s, u"nobody-here"_s, u"--password-stdin"_s},
                &code, "long-enough-pw\n");
    EXPECT_EQ(code, 1);
    EXPECT_EQ(signIn(*c, u.username, u"brand-new-pw"_s).status, 200);
}

// --- POST /api/token/refresh/ -----------------------------------------------

TEST_F(Auth, RefreshRotatesAndReuseRevokesTheFamily)
{
    User u = newUser(u"rotate"_s);
    auto c = pfd().client();
    const QString r1 = u.refresh;

    const HttpReply first = refresh(*c, r1);
    ASSERT_EQ(first.status, 200) << show(first);
    const QString r2 = str(first, u"refresh_token"_s);
    EXPECT_NE(r2, r1);
    // The new access token works.
    auto authed = pfd().client(str(first, u"access_token"_s));
    const HttpReply info = authed->get(u"/auth/oauth2/userinfo"_s);
    ASSERT_EQ(info.status, 200) << show(info);
    EXPECT_EQ(str(info, u"sub"_s), u"pf|"_s + u.id);

    // The new refresh token works too, and rotates again.
    const HttpReply second = refresh(*c, r2);
    ASSERT_EQ(second.status, 200) << show(second);
    const QString r3 = str(second, u"refresh_token"_s);
    EXPECT_NE(r3, r2);

    // A second sign-in is another family, unaffected by what follows.
    User other = u;
    ASSERT_EQ(pfd().login(other), 200);

    // The used token fails ...
    const HttpReply reused = refresh(*c, r1);
    EXPECT_API_ERROR(reused, 401);
    EXPECT_EQ(reused.header("www-authenticate"), "Bearer");
    // ... and presenting it revoked the whole family: the newest one fails too.
    EXPECT_API_ERROR(refresh(*c, r3), 401);
    EXPECT_API_ERROR(refresh(*c, r2), 401);

    // The other family still refreshes.
    const HttpReply otherFamily = refresh(*c, other.refresh);
    EXPECT_EQ(otherFamily.status, 200) << show(otherFamily);
}

TEST_F(Auth, RefreshAcceptsTheOlderFormKey)
{
    const User u = newUser(u"oldkey"_s);
    auto c = pfd().client();
    const HttpReply r = refresh(*c, u.refresh, u"refresh"_s);
    ASSERT_EQ(r.status, 200) << show(r);
    EXPECT_FALSE(str(r, u"access_token"_s).isEmpty());
    EXPECT_FALSE(str(r, u"refresh_token"_s).isEmpty());
    EXPECT_NE(str(r, u"refresh_token"_s), u.refresh);
    // Rotated: the token given under the old key is used up as well.
    EXPECT_API_ERROR(refresh(*c, u.refresh), 401);
}

TEST_F(Auth, RefreshErrors)
{
    const User u = newUser(u"refresherr"_s);
    auto c = pfd().client();
    EXPECT_FIELD_ERROR(c->postForm(u"/api/token/refresh/"_s, {}), 400, u"refresh_token"_s);
    EXPECT_API_ERROR(refresh(*c, u"not-a-refresh-token"_s), 401);
    // An access token is not a refresh token.
    EXPECT_API_ERROR(refresh(*c, u.token), 401);
    EXPECT_FIELD_ERROR(c->postForm(u"/api/token/refresh/"_s,
                                   {{u"refresh_token"_s, u.refresh}, {u"extra"_s, u"x"_s}}),
                       400, u"extra"_s);
    // That 400 did not use the token up.
    EXPECT_EQ(refresh(*c, u.refresh).status, 200);
}

// --- GET /auth/oauth2/userinfo ----------------------------------------------

TEST_F(Auth, UserinfoNeedsAValidBearerToken)
{
    const User u = newUser(u"info"_s);
    auto c = pfd().client();
    const HttpReply none = c->get(u"/auth/oauth2/userinfo"_s);
    EXPECT_API_ERROR(none, 401);
    EXPECT_EQ(none.header("www-authenticate"), "Bearer");

    c->setToken(u"garbage"_s);
    const HttpReply garbage = c->get(u"/auth/oauth2/userinfo"_s);
    EXPECT_API_ERROR(garbage, 401);
    EXPECT_EQ(garbage.header("www-authenticate"), "Bearer");

    // A token whose signature does not match.
    QString forged = u.token;
    forged[forged.size() - 2] = forged[forged.size() - 2] == u'A' ? u'B' : u'A';
    c->setToken(forged);
    EXPECT_API_ERROR(c->get(u"/auth/oauth2/userinfo"_s), 401);

    // A refresh token is not an access token.
    c->setToken(u.refresh);
    EXPECT_API_ERROR(c->get(u"/auth/oauth2/userinfo"_s), 401);

    // Not "Bearer".
    const HttpReply basic = c->request("GET", "/auth/oauth2/userinfo", "", "",
                                       {{"Authorization", "Basic dXNlcjpwYXNz"}});
    EXPECT_API_ERROR(basic, 401);

    // The trailing-slash form is the same route.
    c->setToken(u.token);
    const HttpReply slash = c->get(u"/auth/oauth2/userinfo/"_s);
    ASSERT_EQ(slash.status, 200) << show(slash);
    EXPECT_EQ(str(slash, u"sub"_s), u"pf|"_s + u.id);
}

TEST(AuthExpiry, ExpiredAccessTokenIs401AndRefreshRecovers)
{
    PfdProcess pfd(u"auth:\n  access_token_ttl_s: 1\n  password_hashing: minimal\n"_s);
    ASSERT_TRUE(pfd.start()) << pfd.lastError().toStdString();
    PfdProcess::User u = pfd.createUser(u"expiring"_s);
    ASSERT_FALSE(u.id.isEmpty());
    auto c = pfd.client();

    // A fresh token works (tokens live one second, so a sign-in may straddle
    // a second boundary: try a few).
    int fresh = 0;
    for (int attempt = 0; attempt < 5 && fresh != 200; ++attempt) {
        ASSERT_EQ(pfd.login(u), 200);
        c->setToken(u.token);
        fresh = c->get(u"/auth/oauth2/userinfo"_s).status;
    }
    ASSERT_EQ(fresh, 200);

    // Wait on the clock until it is refused; it must be within ~2 s.
    QElapsedTimer timer;
    timer.start();
    HttpReply r;
    while (timer.elapsed() < 5000) {
        r = c->get(u"/auth/oauth2/userinfo"_s);
        if (r.status != 200)
            break;
        QThread::msleep(50);
    }
    EXPECT_API_ERROR(r, 401);
    EXPECT_EQ(r.header("www-authenticate"), "Bearer");
    EXPECT_TRUE(r.detail().contains(u"expired"_s)) << show(r);

    // What clients do next: refresh once, retry.
    const HttpReply pair = refresh(*c, u.refresh);
    ASSERT_EQ(pair.status, 200) << show(pair);
    int retried = 0;
    QString next = str(pair, u"refresh_token"_s);
    for (int attempt = 0; attempt < 5 && retried != 200; ++attempt) {
        const HttpReply again = attempt == 0 ? pair : refresh(*c, next);
        ASSERT_EQ(again.status, 200) << show(again);
        next = str(again, u"refresh_token"_s);
        c->setToken(str(again, u"access_token"_s));
        retried = c->get(u"/auth/oauth2/userinfo"_s).status;
    }
    EXPECT_EQ(retried, 200);
    EXPECT_EQ(pfd.stop(), 0);
}

// --- sign-up ----------------------------------------------------------------

TEST_F(Auth, SignupConfirmThenSignIn)
{
    const QString username = unique(u"Signup"_s);
    const QString email = username + u"@Example.TEST"_s;
    auto c = pfd().client();
    const HttpReply r = signUp(username, email);
    ASSERT_EQ(r.status, 201) << show(r);
    EXPECT_TRUE(isUuid(str(r, u"id"_s))) << show(r);
    EXPECT_EQ(str(r, u"username"_s), username);
    EXPECT_EQ(str(r, u"name"_s), u"Sign Up"_s);
    EXPECT_EQ(str(r, u"email"_s), email.toLower());
    EXPECT_FALSE(r.json().contains(u"password"_s));
    EXPECT_FALSE(r.body.contains("long-enough-pw"));

    // Not confirmed yet.
    EXPECT_API_ERROR(signIn(*c, username, u"long-enough-pw"_s), 403);

    QString emailToken, key;
    ASSERT_TRUE(signupCode(username, &emailToken, &key)) << pfd().log().right(2000).toStdString();

    const auto confirm = [&](const QString &t, const QString &k) {
        return c->postJson(u"/auth/pf_user/self_signup/confirm"_s,
                           {{u"email_token"_s, t}, {u"key"_s, k}});
    };
    EXPECT_API_ERROR(confirm(emailToken, key + u"x"_s), 400);
    EXPECT_API_ERROR(confirm(u"no-such-token"_s, key), 400);
    EXPECT_API_ERROR(signIn(*c, username, u"long-enough-pw"_s), 403);

    const HttpReply ok = confirm(emailToken, key);
    ASSERT_EQ(ok.status, 200) << show(ok);
    // A code works once.
    EXPECT_API_ERROR(confirm(emailToken, key), 400);

    const HttpReply in = signIn(*c, username, u"long-enough-pw"_s);
    ASSERT_EQ(in.status, 200) << show(in);
    c->setToken(str(in, u"access_token"_s));
    const HttpReply info = c->get(u"/auth/oauth2/userinfo"_s);
    ASSERT_EQ(info.status, 200) << show(info);
    EXPECT_EQ(str(info, u"sub"_s), u"pf|"_s + str(r, u"id"_s));
    EXPECT_EQ(str(info, u"email"_s), email.toLower());
}

TEST_F(Auth, SignupDuplicateUsernameOrEmailIs409)
{
    const QString username = unique(u"dup"_s);
    ASSERT_EQ(signUp(username, username + u"@example.test"_s).status, 201);
    // The same username in another case.
    EXPECT_API_ERROR(signUp(username.toUpper(), unique(u"other"_s) + u"@example.test"_s), 409);
    // The same e-mail in another case.
    EXPECT_API_ERROR(signUp(unique(u"other"_s), username.toUpper() + u"@EXAMPLE.test"_s), 409);
    // Taken by an admin-made user, too.
    const User existing = newUser(u"existing"_s);
    EXPECT_API_ERROR(signUp(existing.username, unique(u"x"_s) + u"@example.test"_s), 409);
}

TEST_F(Auth, SignupValidationErrorsNameTheirFields)
{
    const HttpReply bad = signUp(unique(u"bad"_s), u"not-an-email"_s, u"short"_s);
    EXPECT_FIELD_ERROR(bad, 400, u"email"_s);
    EXPECT_FIELD_ERROR(bad, 400, u"password"_s);
    EXPECT_EQ(errorPaths(bad).size(), 2) << show(bad);

    const HttpReply badName = signUp(u"has space"_s, u"a@example.test"_s);
    EXPECT_FIELD_ERROR(badName, 400, u"username"_s);

    auto c = pfd().client();
    const HttpReply empty = c->postJson(u"/auth/pf_user/self_signup"_s, {{u"role"_s, u"admin"_s}});
    for (const QString &f : {u"username"_s, u"name"_s, u"email"_s, u"password"_s, u"role"_s})
        EXPECT_FIELD_ERROR(empty, 400, f);

    const HttpReply notJson =
        c->request("POST", "/auth/pf_user/self_signup", "{not json", "application/json");
    EXPECT_API_ERROR(notJson, 400);

    const HttpReply confirmEmpty = c->postJson(u"/auth/pf_user/self_signup/confirm"_s, {});
    EXPECT_FIELD_ERROR(confirmEmpty, 400, u"email_token"_s);
    EXPECT_FIELD_ERROR(confirmEmpty, 400, u"key"_s);
}

// --- PUT /auth/pf_user/{uid}/password ---------------------------------------

TEST_F(Auth, PasswordChange)
{
    User u = newUser(u"pwchange"_s);
    User secondSession = u;
    ASSERT_EQ(pfd().login(secondSession), 200);
    const User other = newUser(u"pwother"_s);
    auto c = pfd().client(u.token);
    const QString path = u"/auth/pf_user/%1/password"_s.arg(u.id);

    const HttpReply wrongOld = c->putJson(
        path, {{u"old_password"_s, u"not-it-at-all"_s}, {u"new_password"_s, u"brand-new-pw"_s}});
    EXPECT_FIELD_ERROR(wrongOld, 400, u"old_password"_s);

    const HttpReply shortNew =
        c->putJson(path, {{u"old_password"_s, u.password}, {u"new_password"_s, u"short"_s}});
    EXPECT_FIELD_ERROR(shortNew, 400, u"new_password"_s);

    // Only for oneself.
    const HttpReply forOther =
        c->putJson(u"/auth/pf_user/%1/password"_s.arg(other.id),
                   {{u"old_password"_s, other.password}, {u"new_password"_s, u"brand-new-pw"_s}});
    EXPECT_API_ERROR(forOther, 403);
    User otherAgain = other; // their password is unchanged
    EXPECT_EQ(pfd().login(otherAgain), 200);

    EXPECT_API_ERROR(pfd().client()->putJson(path, {{u"old_password"_s, u.password},
                                                    {u"new_password"_s, u"brand-new-pw"_s}}),
                     401);

    // None of the failures above changed it.
    EXPECT_EQ(signIn(*pfd().client(), u.username, u.password).status, 200);

    const HttpReply ok =
        c->putJson(path, {{u"old_password"_s, u.password}, {u"new_password"_s, u"brand-new-pw"_s}});
    ASSERT_EQ(ok.status, 204) << show(ok);
    EXPECT_TRUE(ok.body.isEmpty());

    auto anon = pfd().client();
    EXPECT_API_ERROR(signIn(*anon, u.username, u.password), 401);
    EXPECT_EQ(signIn(*anon, u.username, u"brand-new-pw"_s).status, 200);
    // Every refresh token issued before is revoked, in every session.
    EXPECT_API_ERROR(refresh(*anon, u.refresh), 401);
    EXPECT_API_ERROR(refresh(*anon, secondSession.refresh), 401);
}

// --- rate limiting ----------------------------------------------------------

TEST(AuthRateLimit, FourthFailureIs429PerUser)
{
    PfdProcess pfd(u"auth:\n  password_hashing: minimal\n  login_failures_per_user: 3\n"
                   "  login_window_s: 300\n"_s);
    ASSERT_TRUE(pfd.start()) << pfd.lastError().toStdString();
    const PfdProcess::User victim = pfd.createUser(u"victim"_s);
    const PfdProcess::User bystander = pfd.createUser(u"bystander"_s);
    ASSERT_FALSE(victim.id.isEmpty());
    ASSERT_FALSE(bystander.id.isEmpty());
    auto c = pfd.client();

    for (int i = 0; i < 3; ++i)
        EXPECT_API_ERROR(signIn(*c, victim.username, u"wrong-password"_s), 401);
    const HttpReply blocked = signIn(*c, victim.username, u"wrong-password"_s);
    EXPECT_API_ERROR(blocked, 429);
    const std::string retryAfter = blocked.header("retry-after");
    ASSERT_FALSE(retryAfter.empty()) << show(blocked);
    const int secs = std::stoi(retryAfter);
    EXPECT_GT(secs, 0);
    EXPECT_LE(secs, 300);
    // Blocked even with the right password, and in any case of the name.
    EXPECT_API_ERROR(signIn(*c, victim.username, victim.password), 429);
    EXPECT_API_ERROR(signIn(*c, victim.username.toUpper(), victim.password), 429);

    // Another user from the same address is not blocked by the per-user limit.
    EXPECT_API_ERROR(signIn(*c, bystander.username, u"wrong-password"_s), 401);
    const HttpReply ok = signIn(*c, bystander.username, bystander.password);
    EXPECT_EQ(ok.status, 200) << show(ok);
    EXPECT_EQ(pfd.stop(), 0);
}

TEST(AuthRateLimit, PerAddressLimitBlocksEveryUsernameFromThatAddress)
{
    PfdProcess pfd(u"auth:\n  password_hashing: minimal\n  login_failures_per_user: 100\n"
                   "  login_failures_per_address: 4\n"_s);
    ASSERT_TRUE(pfd.start()) << pfd.lastError().toStdString();
    const PfdProcess::User u = pfd.createUser(u"addressed"_s);
    ASSERT_FALSE(u.id.isEmpty());
    auto c = pfd.client();
    // Guessing across many usernames trips the per-address limit.
    for (int i = 0; i < 4; ++i)
        EXPECT_API_ERROR(signIn(*c, u"guess%1"_s.arg(i), u"wrong-password"_s), 401);
    const HttpReply blocked = signIn(*c, u.username, u.password);
    EXPECT_API_ERROR(blocked, 429);
    EXPECT_FALSE(blocked.header("retry-after").empty()) << show(blocked);
    EXPECT_EQ(pfd.stop(), 0);
}

// --- GET /auth/pf_user/{uid}/pf_group[/{gid}/pf_project] --------------------

TEST_F(Auth, UserOrgsListsEveryMembershipWithItsLevel)
{
    const User alice = newUser(u"alice"_s);
    const User bob = newUser(u"bob"_s);
    const QString ownOrg = createOrg(alice);
    const QString bobsOrg = createOrg(bob);
    ASSERT_FALSE(ownOrg.isEmpty());
    ASSERT_FALSE(bobsOrg.isEmpty());
    ASSERT_TRUE(joinOrg(bob, alice, bobsOrg));

    auto c = pfd().client(alice.token);
    const HttpReply r = c->get(u"/auth/pf_user/%1/pf_group"_s.arg(alice.id));
    ASSERT_EQ(r.status, 200) << show(r);
    const QJsonArray orgs = r.jsonArray();
    ASSERT_EQ(orgs.size(), 2) << show(r);
    const QJsonObject own = findBy(orgs, u"id"_s, ownOrg);
    const QJsonObject joined = findBy(orgs, u"id"_s, bobsOrg);
    EXPECT_EQ(own.value(u"privilege_level"_s).toString(), u"owner"_s);
    EXPECT_EQ(joined.value(u"privilege_level"_s).toString(), u"member"_s);
    EXPECT_FALSE(own.value(u"name"_s).toString().isEmpty());
    EXPECT_EQ(own.keys(), (QStringList{u"id"_s, u"name"_s, u"privilege_level"_s}));

    // Only the user themself.
    EXPECT_API_ERROR(c->get(u"/auth/pf_user/%1/pf_group"_s.arg(bob.id)), 403);
    EXPECT_API_ERROR(pfd().client()->get(u"/auth/pf_user/%1/pf_group"_s.arg(alice.id)), 401);
    EXPECT_API_ERROR(c->get(u"/auth/pf_user/not-a-uuid/pf_group"_s), 400);

    // A user in no org gets an empty list.
    const User loner = newUser(u"loner"_s);
    const HttpReply none =
        pfd().client(loner.token)->get(u"/auth/pf_user/%1/pf_group/"_s.arg(loner.id));
    ASSERT_EQ(none.status, 200) << show(none);
    EXPECT_TRUE(none.jsonArray().isEmpty()) << show(none);
}

TEST_F(Auth, UserProjectsOwnerSeesAllMemberOnlyTheirs)
{
    const World w = makeWorld();
    const QString p2 = createProject(w.owner, w.orgId);
    const QString p3 = createProject(w.owner, w.orgId);
    ASSERT_FALSE(p3.isEmpty());
    const User member = newUser(u"member"_s);
    ASSERT_TRUE(joinOrg(w.owner, member, w.orgId));
    ASSERT_TRUE(addToProject(w.owner, member, p2, u"guest"_s));

    auto owner = pfd().client(w.owner.token);
    const QString ownerPath = u"/auth/pf_user/%1/pf_group/%2/pf_project"_s.arg(w.owner.id, w.orgId);
    const HttpReply all = owner->get(ownerPath);
    ASSERT_EQ(all.status, 200) << show(all);
    EXPECT_EQ(ids(results(all)), (QStringList{w.projectId, p2, p3}));
    EXPECT_TRUE(all.json().value(u"next_cursor"_s).isNull());
    const QJsonObject first = results(all)[0].toObject();
    EXPECT_EQ(first.value(u"pf_group_id"_s).toString(), w.orgId);
    EXPECT_EQ(first.value(u"name"_s).toString(), u"default"_s);

    int pages = 0;
    EXPECT_EQ(allPages(*owner, ownerPath, 2, &pages), (QStringList{w.projectId, p2, p3}));
    EXPECT_EQ(pages, 2);

    auto m = pfd().client(member.token);
    const QString memberPath = u"/auth/pf_user/%1/pf_group/%2/pf_project"_s.arg(member.id, w.orgId);
    const HttpReply mine = m->get(memberPath);
    ASSERT_EQ(mine.status, 200) << show(mine);
    EXPECT_EQ(ids(results(mine)), QStringList{p2});

    // Someone else's list: 403; an org one is not in: 404.
    EXPECT_API_ERROR(m->get(ownerPath), 403);
    const User outsider = newUser(u"outsider"_s);
    EXPECT_API_ERROR(
        pfd()
            .client(outsider.token)
            ->get(u"/auth/pf_user/%1/pf_group/%2/pf_project"_s.arg(outsider.id, w.orgId)),
        404);
    EXPECT_API_ERROR(m->get(memberPath + u"?limit=0"_s), 400);
}
