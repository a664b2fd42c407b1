// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <string>

#include <gtest/gtest.h>

#include <QStringList>

#include "server/http/router.h"
#include "tests/server/servertestutil.h"

using namespace Qt::StringLiterals;
using pf::server::Request;
using pf::server::Response;
using pf::server::Router;
using verb = boost::beast::http::verb;
using Kind = Router::Match::Kind;

namespace {

constexpr auto kUuid = "5f0c7b1e-1111-4a0f-9b7c-2f0e2d7c1a11";

pf::server::Handler handler()
{
    return [](Request &) { return Response::noContent(); };
}

// The pattern of the route that matched, or a description of the miss.
std::string matched(const Router::Match &m)
{
    switch (m.kind) {
    case Kind::Found:
        return m.route ? m.route->pattern.toStdString() : std::string("found without a route");
    case Kind::NotFound:
        return "404";
    case Kind::MethodNotAllowed:
        return "405 " + m.allow;
    case Kind::BadParameter:
        return "400 " + m.detail.toStdString();
    }
    return "?";
}

} // namespace

TEST(Router, LiteralRoute)
{
    Router r;
    r.add(verb::get, "/api/job_template/", handler());
    const auto m = r.match(verb::get, {u"api"_s, u"job_template"_s});
    EXPECT_EQ(m.kind, Kind::Found) << matched(m);
    ASSERT_NE(m.route, nullptr);
    EXPECT_EQ(m.route->pattern, u"/api/job_template/"_s);
    EXPECT_TRUE(m.params.isEmpty());
    EXPECT_EQ(r.match(verb::get, {u"api"_s, u"job_templates"_s}).kind, Kind::NotFound);
    EXPECT_EQ(r.match(verb::get, {u"api"_s}).kind, Kind::NotFound);
    EXPECT_EQ(r.match(verb::get, {u"api"_s, u"job_template"_s, u"x"_s}).kind, Kind::NotFound);
    // Literals compare exactly: no case folding.
    EXPECT_EQ(r.match(verb::get, {u"API"_s, u"job_template"_s}).kind, Kind::NotFound);
}

TEST(Router, RootRoute)
{
    Router r;
    r.add(verb::get, "/", handler());
    EXPECT_EQ(r.match(verb::get, {}).kind, Kind::Found);
    EXPECT_EQ(r.match(verb::get, {u"x"_s}).kind, Kind::NotFound);
}

TEST(Router, TrailingSlashOptionalOnBothSides)
{
    Router r;
    r.add(verb::get, "/with/slash/", handler());
    r.add(verb::get, "/without/slash", handler());
    QStringList segments;
    QString path;
    for (const char *target :
         {"/with/slash", "/with/slash/", "/without/slash", "/without/slash/"}) {
        ASSERT_TRUE(Router::splitPath(target, &segments, &path)) << target;
        EXPECT_EQ(r.match(verb::get, segments).kind, Kind::Found) << target;
    }
}

TEST(Router, TypedParameters)
{
    Router r;
    r.add(verb::get, "/g/{gid:uuid}", handler());
    r.add(verb::get, "/n/{id:int}", handler());
    r.add(verb::get, "/a/{name}", handler());
    r.add(verb::get, "/two/{gid:uuid}/x/{id:int}/", handler());

    auto m = r.match(verb::get, {u"g"_s, QString::fromLatin1(kUuid)});
    ASSERT_EQ(m.kind, Kind::Found) << matched(m);
    EXPECT_EQ(m.params.value(u"gid"_s), QString::fromLatin1(kUuid));

    // Upper-case hex is a UUID too.
    m = r.match(verb::get, {u"g"_s, QString::fromLatin1(kUuid).toUpper()});
    EXPECT_EQ(m.kind, Kind::Found) << matched(m);

    m = r.match(verb::get, {u"n"_s, u"42"_s});
    ASSERT_EQ(m.kind, Kind::Found) << matched(m);
    EXPECT_EQ(m.params.value(u"id"_s), u"42"_s);

    m = r.match(verb::get, {u"a"_s, u"anything goes/even this"_s});
    ASSERT_EQ(m.kind, Kind::Found) << matched(m);
    EXPECT_EQ(m.params.value(u"name"_s), u"anything goes/even this"_s);

    m = r.match(verb::get, {u"two"_s, QString::fromLatin1(kUuid), u"x"_s, u"7"_s});
    ASSERT_EQ(m.kind, Kind::Found) << matched(m);
    EXPECT_EQ(m.params.size(), 2);
    EXPECT_EQ(m.params.value(u"gid"_s), QString::fromLatin1(kUuid));
    EXPECT_EQ(m.params.value(u"id"_s), u"7"_s);
}

TEST(Router, BadUuidNamesTheParameter)
{
    Router r;
    r.add(verb::get, "/g/{gid:uuid}", handler());
    for (const QString &bad :
         {u"not-a-uuid"_s, u"5f0c7b1e-1111-4a0f-9b7c-2f0e2d7c1a1"_s,
          u"5f0c7b1e11114a0f9b7c2f0e2d7c1a11"_s, u"{5f0c7b1e-1111-4a0f-9b7c-2f0e2d7c1a11}"_s,
          u"5f0c7b1e-1111-4a0f-9b7c-2f0e2d7c1a1g"_s, u"5f0c7b1e-1111-4a0f-9b7c-2f0e2d7c1a11\n"_s}) {
        const auto m = r.match(verb::get, {u"g"_s, bad});
        EXPECT_EQ(m.kind, Kind::BadParameter) << bad.toStdString() << ": " << matched(m);
        EXPECT_TRUE(m.detail.contains(u"`gid`"_s)) << m.detail.toStdString();
        EXPECT_TRUE(m.detail.contains(u"UUID"_s)) << m.detail.toStdString();
    }
}

TEST(Router, IntParameterIsAPositive63BitNumber)
{
    Router r;
    r.add(verb::get, "/n/{id:int}", handler());
    for (const QString &good : {u"1"_s, u"42"_s, u"999999999999999999"_s /* 18 digits */}) {
        const auto m = r.match(verb::get, {u"n"_s, good});
        EXPECT_EQ(m.kind, Kind::Found) << good.toStdString() << ": " << matched(m);
    }
    for (const QString &bad : {u"0"_s, u"-1"_s, u"+1"_s, u"1.0"_s, u"1e3"_s, u"abc"_s, u" 1"_s,
                               u"1 "_s, u"0x10"_s, u"1000000000000000000"_s /* 19 digits */,
                               u"99999999999999999999999"_s, u"\u0661"_s /* Arabic-Indic 1 */}) {
        const auto m = r.match(verb::get, {u"n"_s, bad});
        EXPECT_EQ(m.kind, Kind::BadParameter) << bad.toStdString() << ": " << matched(m);
        EXPECT_TRUE(m.detail.contains(u"`id`"_s)) << m.detail.toStdString();
    }
}

TEST(Router, LongBadParameterIsCutInTheDetail)
{
    Router r;
    r.add(verb::get, "/n/{id:int}", handler());
    const auto m = r.match(verb::get, {u"n"_s, QString(10000, u'x')});
    ASSERT_EQ(m.kind, Kind::BadParameter);
    EXPECT_LT(m.detail.size(), 200);
}

TEST(Router, NotFound)
{
    Router r;
    r.add(verb::get, "/auth/pf_group/{gid:uuid}", handler());
    const auto m = r.match(verb::get, {u"auth"_s, u"nothing"_s});
    EXPECT_EQ(m.kind, Kind::NotFound);
    EXPECT_EQ(m.route, nullptr);
    EXPECT_TRUE(m.allow.empty());
    EXPECT_EQ(Router().match(verb::get, {}).kind, Kind::NotFound);
}

TEST(Router, MethodNotAllowedListsEachMethodOnce)
{
    Router r;
    r.add(verb::get, "/auth/credential/{id:uuid}", handler());
    r.add(verb::patch, "/auth/credential/{id:uuid}", handler());
    r.add(verb::delete_, "/auth/credential/{id:uuid}", handler());
    // A second route with the same method and shape must not repeat it.
    r.add(verb::get, "/auth/credential/{other}", handler());

    const auto m = r.match(verb::post, {u"auth"_s, u"credential"_s, QString::fromLatin1(kUuid)});
    ASSERT_EQ(m.kind, Kind::MethodNotAllowed) << matched(m);
    EXPECT_EQ(m.allow, "GET, PATCH, DELETE");
    EXPECT_EQ(m.route, nullptr);
}

TEST(Router, MethodNotAllowedKeepsMethodsWhoseNamesContainOthers)
{
    // UNLOCK contains LOCK and UNLINK contains LINK: both must be listed.
    Router r;
    r.add(verb::unlock, "/x", handler());
    r.add(verb::lock, "/x", handler());
    r.add(verb::unlink, "/x", handler());
    r.add(verb::link, "/x", handler());
    const auto m = r.match(verb::get, {u"x"_s});
    ASSERT_EQ(m.kind, Kind::MethodNotAllowed) << matched(m);
    EXPECT_EQ(m.allow, "UNLOCK, LOCK, UNLINK, LINK");
}

TEST(Router, MethodMatchOnAnotherRouteWins)
{
    Router r;
    r.add(verb::get, "/a/{x}", handler());
    r.add(verb::post, "/a/b", handler());
    auto m = r.match(verb::get, {u"a"_s, u"b"_s});
    ASSERT_EQ(m.kind, Kind::Found) << matched(m);
    EXPECT_EQ(m.route->pattern, u"/a/{x}"_s);
    m = r.match(verb::post, {u"a"_s, u"b"_s});
    ASSERT_EQ(m.kind, Kind::Found) << matched(m);
    EXPECT_EQ(m.route->pattern, u"/a/b"_s);
    m = r.match(verb::put, {u"a"_s, u"b"_s});
    ASSERT_EQ(m.kind, Kind::MethodNotAllowed);
    EXPECT_EQ(m.allow, "GET, POST");
}

TEST(Router, LiteralBeatsParameter)
{
    Router r;
    // Registered parameter-first, so the literal has to win on merit.
    r.add(verb::post, "/auth/pf_group/{gid}/invite", handler());
    r.add(verb::post, "/auth/pf_group/invite/confirm", handler());
    r.add(verb::post, "/auth/pf_user/{uid}/{what}", handler());
    r.add(verb::post, "/auth/pf_user/self_signup/confirm", handler());
    r.add(verb::put, "/auth/pf_user/{uid:uuid}/password", handler());

    auto m = r.match(verb::post, {u"auth"_s, u"pf_user"_s, u"self_signup"_s, u"confirm"_s});
    ASSERT_EQ(m.kind, Kind::Found) << matched(m);
    EXPECT_EQ(m.route->pattern, u"/auth/pf_user/self_signup/confirm"_s);
    EXPECT_TRUE(m.params.isEmpty());

    m = r.match(verb::post, {u"auth"_s, u"pf_user"_s, u"someone"_s, u"confirm"_s});
    ASSERT_EQ(m.kind, Kind::Found) << matched(m);
    EXPECT_EQ(m.route->pattern, u"/auth/pf_user/{uid}/{what}"_s);
    EXPECT_EQ(m.params.value(u"uid"_s), u"someone"_s);
    EXPECT_EQ(m.params.value(u"what"_s), u"confirm"_s);

    m = r.match(verb::put, {u"auth"_s, u"pf_user"_s, QString::fromLatin1(kUuid), u"password"_s});
    ASSERT_EQ(m.kind, Kind::Found) << matched(m);
    EXPECT_EQ(m.route->pattern, u"/auth/pf_user/{uid:uuid}/password"_s);

    m = r.match(verb::post, {u"auth"_s, u"pf_group"_s, u"invite"_s, u"confirm"_s});
    ASSERT_EQ(m.kind, Kind::Found) << matched(m);
    EXPECT_EQ(m.route->pattern, u"/auth/pf_group/invite/confirm"_s);
}

TEST(Router, LiteralBeatsTypedParameterOfTheServer)
{
    // The server's own pair: the confirm route must not be read as a user id.
    Router r;
    r.add(verb::post, "/auth/pf_user/self_signup", handler());
    r.add(verb::post, "/auth/pf_user/self_signup/confirm", handler());
    r.add(verb::put, "/auth/pf_user/{uid:uuid}/password", handler());
    r.add(verb::get, "/auth/pf_user/{uid:uuid}/pf_group", handler());

    auto m = r.match(verb::post, {u"auth"_s, u"pf_user"_s, u"self_signup"_s, u"confirm"_s});
    ASSERT_EQ(m.kind, Kind::Found) << matched(m);
    EXPECT_EQ(m.route->pattern, u"/auth/pf_user/self_signup/confirm"_s);

    m = r.match(verb::get, {u"auth"_s, u"pf_user"_s, u"self_signup"_s, u"confirm"_s});
    EXPECT_EQ(m.kind, Kind::MethodNotAllowed) << matched(m);
    EXPECT_EQ(m.allow, "POST");

    m = r.match(verb::put, {u"auth"_s, u"pf_user"_s, u"self_signup"_s, u"password"_s});
    ASSERT_EQ(m.kind, Kind::BadParameter) << matched(m);
    EXPECT_TRUE(m.detail.contains(u"`uid`"_s)) << m.detail.toStdString();
}

TEST(Router, UnknownParameterTypeInPatternThrows)
{
    Router r;
    EXPECT_THROW(r.add(verb::get, "/x/{id:float}", handler()), std::invalid_argument);
}

TEST(Router, RouteOptionsAreKept)
{
    Router r;
    r.add(verb::post, "/upload", handler(), {.maxBodyBytes = 4096});
    const auto m = r.match(verb::post, {u"upload"_s});
    ASSERT_EQ(m.kind, Kind::Found);
    EXPECT_EQ(m.route->options.maxBodyBytes, 4096u);
    ASSERT_EQ(r.routes().size(), 1u);
    EXPECT_EQ(r.routes().front().method, verb::post);
}

// --- splitPath ------------------------------------------------------------

namespace {

struct Split
{
    bool ok = false;
    QStringList segments;
    QString path;
};

Split split(std::string_view raw)
{
    Split s;
    s.ok = Router::splitPath(raw, &s.segments, &s.path);
    return s;
}

} // namespace

TEST(RouterSplitPath, PlainPaths)
{
    auto s = split("/");
    ASSERT_TRUE(s.ok);
    EXPECT_TRUE(s.segments.isEmpty());
    EXPECT_EQ(s.path, u"/"_s);

    s = split("/api/token");
    ASSERT_TRUE(s.ok);
    EXPECT_EQ(s.segments, (QStringList{u"api"_s, u"token"_s}));
    EXPECT_EQ(s.path, u"/api/token"_s);

    s = split("/api/token/");
    ASSERT_TRUE(s.ok);
    EXPECT_EQ(s.segments, (QStringList{u"api"_s, u"token"_s}));
    EXPECT_EQ(s.path, u"/api/token"_s);
}

TEST(RouterSplitPath, PercentDecodingPerSegment)
{
    auto s = split("/a%20b/%41%62c");
    ASSERT_TRUE(s.ok);
    EXPECT_EQ(s.segments, (QStringList{u"a b"_s, u"Abc"_s}));

    // An encoded '/' is data inside one segment, not a separator.
    s = split("/files/a%2Fb%2fc/x");
    ASSERT_TRUE(s.ok);
    EXPECT_EQ(s.segments, (QStringList{u"files"_s, u"a/b/c"_s, u"x"_s}));

    // UTF-8 decodes to the characters.
    s = split("/caf%C3%A9/%E2%82%AC");
    ASSERT_TRUE(s.ok);
    EXPECT_EQ(s.segments, (QStringList{u"café"_s, u"€"_s}));

    // '+' is not a space in a path.
    s = split("/a+b");
    ASSERT_TRUE(s.ok);
    EXPECT_EQ(s.segments, (QStringList{u"a+b"_s}));

    // Escapes decode once: %25 is a literal '%', not the start of another escape.
    s = split("/%2541");
    ASSERT_TRUE(s.ok);
    EXPECT_EQ(s.segments, (QStringList{u"%41"_s}));
}

TEST(RouterSplitPath, RejectsMalformedPaths)
{
    const std::string nulByte("/a\0b", 4);
    for (const std::string_view bad : {
             std::string_view(""),
             std::string_view("api/token"),  // not starting with '/'
             std::string_view("*"),          // asterisk form
             std::string_view("http://x/a"), // absolute form
             std::string_view("/a%"),        // truncated escapes
             std::string_view("/a%4"),
             std::string_view("/a%zz"), // not hex
             std::string_view("/a%4g/b"),
             std::string_view("/a%00b"), // NUL
             std::string_view(nulByte),
             std::string_view("/%FF"),       // not UTF-8
             std::string_view("/%C3"),       // truncated sequence
             std::string_view("/%C0%AF"),    // overlong '/'
             std::string_view("/%ED%A0%80"), // UTF-16 surrogate
             std::string_view("/a\xff"),     // raw invalid byte
             std::string_view("//"),         // empty middle segments
             std::string_view("//a"),        std::string_view("/a//b"), std::string_view("/a/b//"),
         }) {
        const Split s = split(bad);
        EXPECT_FALSE(s.ok) << "accepted: " << std::string(bad);
    }
}
