// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <map>
#include <string>

#include <gtest/gtest.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "api/apierror.h"
#include "server/handlers/bodyreader.h"
#include "server/store/pagination.h"
#include "tests/server/servertestutil.h"

using namespace Qt::StringLiterals;
using pf::api::ApiError;
using pf::api::FieldError;
using pf::server::BodyReader;
using pf::server::PageRequest;
using pf::servertest::makeRequest;

namespace {

QJsonObject parse(const char *json)
{
    return QJsonDocument::fromJson(json).object();
}

// finish()'s verdict: path -> message of every error, or empty when it passed.
struct Verdict
{
    bool threw = false;
    int status = 0;
    QString detail;
    std::map<std::string, std::string> errors;
    int errorCount = 0;
};

Verdict finish(BodyReader &body, const QSet<QString> &known)
{
    Verdict v;
    try {
        body.finish(known);
    } catch (const ApiError &e) {
        v.threw = true;
        v.status = e.status();
        v.detail = e.detail();
        for (const FieldError &f : e.errors())
            v.errors[f.path.toStdString()] = f.message.toStdString();
        v.errorCount = int(e.errors().size());
    }
    return v;
}

// The single error `read` leaves on a reader over {"v": <json>}, or "" if none.
template <typename F>
std::string errorFor(const char *json, F read)
{
    BodyReader body(parse(json));
    read(body);
    const Verdict v = finish(body, {u"v"_s});
    if (!v.threw)
        return {};
    EXPECT_EQ(v.errorCount, 1) << json << ": " << v.detail.toStdString();
    return v.errors.count("v") ? v.errors.at("v") : "<error on another path>";
}

} // namespace

TEST(BodyReader, ValidBodyPasses)
{
    BodyReader body(parse(R"({"name": " Ada ", "count": 3, "email": "Ada@Example.org",
                             "note": "hi", "obj": {"k": 1}})"));
    EXPECT_EQ(body.name(u"name"_s), u"Ada"_s);
    EXPECT_EQ(body.integer(u"count"_s, 1, 10), 3);
    EXPECT_EQ(body.email(u"email"_s), u"ada@example.org"_s);
    EXPECT_EQ(body.optionalString(u"note"_s), std::optional<QString>(u"hi"_s));
    EXPECT_EQ(body.object(u"obj"_s).value(u"k"_s).toInt(), 1);
    EXPECT_FALSE(body.optionalString(u"absent"_s).has_value());
    EXPECT_FALSE(body.optionalInteger(u"absent"_s, 0, 1).has_value());
    EXPECT_FALSE(body.optionalObject(u"absent"_s).has_value());
    EXPECT_TRUE(body.has(u"note"_s));
    EXPECT_FALSE(body.has(u"absent"_s));
    const Verdict v = finish(body, {u"name"_s, u"count"_s, u"email"_s, u"note"_s, u"obj"_s});
    EXPECT_FALSE(v.threw) << v.detail.toStdString();
}

TEST(BodyReader, CollectsEveryErrorWithItsPath)
{
    BodyReader body(parse(R"({"name": 5, "count": "x", "email": "nope", "obj": [],
                             "extra": 1, "other": null})"));
    body.name(u"name"_s);
    body.integer(u"count"_s, 0, 10);
    body.email(u"email"_s);
    body.object(u"obj"_s);
    body.string(u"missing"_s);
    body.fail(u"custom.path"_s, u"is odd"_s);
    const Verdict v = finish(body, {u"name"_s, u"count"_s, u"email"_s, u"obj"_s, u"missing"_s});
    ASSERT_TRUE(v.threw);
    EXPECT_EQ(v.status, 400);
    const std::map<std::string, std::string> expected{
        {"name", "must be a string"},
        {"count", "must be a whole number"},
        {"email", "must be an e-mail address"},
        {"obj", "must be an object"},
        {"missing", "is required"},
        {"custom.path", "is odd"},
        {"extra", "is not a known field"},
        {"other", "is not a known field"},
    };
    EXPECT_EQ(v.errors, expected);
    EXPECT_EQ(v.errorCount, int(expected.size()));
    // The detail names every problem too, so a client showing only it is complete.
    for (const auto &[path, message] : expected) {
        const QString part =
            u"`%1` %2"_s.arg(QString::fromStdString(path), QString::fromStdString(message));
        EXPECT_TRUE(v.detail.contains(part)) << v.detail.toStdString() << " lacks " << path;
    }
}

TEST(BodyReader, UnknownMemberNameIsCut)
{
    const QString longKey(500, u'k');
    BodyReader body(QJsonObject{{longKey, 1}});
    const Verdict v = finish(body, {});
    ASSERT_TRUE(v.threw);
    ASSERT_EQ(v.errorCount, 1);
    EXPECT_EQ(v.errors.begin()->first.size(), 64u);
}

TEST(BodyReader, RequiredAccessorsTreatNullAsMissing)
{
    EXPECT_EQ(errorFor(R"({"v": null})", [](BodyReader &b) { b.string(u"v"_s); }), "is required");
    EXPECT_EQ(errorFor(R"({"v": null})", [](BodyReader &b) { b.name(u"v"_s); }), "is required");
    EXPECT_EQ(errorFor(R"({"v": null})", [](BodyReader &b) { b.integer(u"v"_s, 0, 1); }),
              "is required");
    EXPECT_EQ(errorFor(R"({"v": null})", [](BodyReader &b) { b.object(u"v"_s); }), "is required");
    EXPECT_EQ(errorFor(R"({})", [](BodyReader &b) { b.email(u"v"_s); }), "is required");
    // Optional accessors accept null as "not given".
    EXPECT_EQ(errorFor(R"({"v": null})", [](BodyReader &b) { b.optionalName(u"v"_s); }), "");
}

TEST(BodyReader, StringLength)
{
    EXPECT_EQ(errorFor(R"({"v": "abcd"})", [](BodyReader &b) { b.string(u"v"_s, 4); }), "");
    EXPECT_EQ(errorFor(R"({"v": "abcde"})", [](BodyReader &b) { b.string(u"v"_s, 4); }),
              "must be at most 4 characters, got 5");
    EXPECT_EQ(errorFor(R"({"v": ["a"]})", [](BodyReader &b) { b.string(u"v"_s); }),
              "must be a string");
    EXPECT_EQ(errorFor(R"({"v": true})", [](BodyReader &b) { b.optionalString(u"v"_s); }),
              "must be a string");
}

TEST(BodyReader, NameIsTrimmedAndClean)
{
    BodyReader body(parse(R"({"a": "  Ada Lovelace\t ", "b": "Zoë 🙂"})"));
    EXPECT_EQ(body.name(u"a"_s), u"Ada Lovelace"_s);
    EXPECT_EQ(body.name(u"b"_s), u"Zoë 🙂"_s);
    EXPECT_FALSE(finish(body, {u"a"_s, u"b"_s}).threw);

    const auto name = [](BodyReader &b) { b.name(u"v"_s); };
    EXPECT_EQ(errorFor(R"({"v": ""})", name), "must not be empty");
    EXPECT_EQ(errorFor(R"({"v": "   \t\n "})", name), "must not be empty");
    EXPECT_EQ(errorFor(R"({"v": "a\u0007b"})", name), "must not contain control characters");
    EXPECT_EQ(errorFor(R"({"v": "a\nb"})", name), "must not contain control characters");
    EXPECT_EQ(errorFor(R"({"v": "a\u0000b"})", name), "must not contain control characters");
    EXPECT_EQ(errorFor(R"({"v": "a\u007fb"})", name), "must not contain control characters");
    EXPECT_EQ(errorFor(R"({"v": "a\u009bb"})", name), "must not contain control characters");
    EXPECT_EQ(errorFor(R"({"v": 12})", name), "must be a string");

    const QByteArray ok128 = "{\"v\": \"" + QByteArray(128, 'x') + "\"}";
    const QByteArray long129 = "{\"v\": \"" + QByteArray(129, 'x') + "\"}";
    EXPECT_EQ(errorFor(ok128.constData(), name), "");
    EXPECT_EQ(errorFor(long129.constData(), name), "must be at most 128 characters, got 129");
}

TEST(BodyReader, IntegerBoundsAndForms)
{
    const auto between = [](BodyReader &b) { b.integer(u"v"_s, -5, 10); };
    EXPECT_EQ(errorFor(R"({"v": -5})", between), "");
    EXPECT_EQ(errorFor(R"({"v": 10})", between), "");
    EXPECT_EQ(errorFor(R"({"v": 0})", between), "");
    EXPECT_EQ(errorFor(R"({"v": 2.0})", between), "");
    EXPECT_EQ(errorFor(R"({"v": -6})", between), "must be between -5 and 10, got -6");
    EXPECT_EQ(errorFor(R"({"v": 11})", between), "must be between -5 and 10, got 11");
    for (const char *json :
         {R"({"v": 1.5})", R"({"v": "abc"})", R"({"v": 1e300})", R"({"v": -1e300})",
          R"({"v": true})", R"({"v": [1]})", R"({"v": {}})", R"({"v": "1.5"})", R"({"v": ""})"}) {
        EXPECT_EQ(errorFor(json, between), "must be a whole number") << json;
    }
    // Only form bodies carry numbers as text (see FormBody); in JSON a
    // number in quotes is a type error.
    EXPECT_EQ(errorFor(R"({"v": "7"})", between), "must be a whole number");

    BodyReader body(parse(R"({"a": 9007199254740991, "b": 42, "c": 1e15})"));
    EXPECT_EQ(body.integer(u"a"_s, 0, 1), 0); // out of range: an error, 0 returned
    EXPECT_EQ(body.integer(u"b"_s, 0, 100), 42);
    EXPECT_EQ(body.optionalInteger(u"c"_s, 0, qint64(1e16)),
              std::optional<qint64>(1000000000000000));
    const Verdict v = finish(body, {u"a"_s, u"b"_s, u"c"_s});
    ASSERT_TRUE(v.threw);
    EXPECT_EQ(v.errorCount, 1);
}

TEST(BodyReader, Email)
{
    BodyReader body(parse(R"({"a": "  Ada@Example.ORG ", "b": "x.y+tag@sub.example.co.uk"})"));
    EXPECT_EQ(body.email(u"a"_s), u"ada@example.org"_s);
    EXPECT_EQ(body.email(u"b"_s), u"x.y+tag@sub.example.co.uk"_s);
    EXPECT_FALSE(finish(body, {u"a"_s, u"b"_s}).threw);

    const auto email = [](BodyReader &b) { b.email(u"v"_s); };
    for (const char *json :
         {R"({"v": "no-at-sign"})", R"({"v": "a@b"})", R"({"v": "a@@b.c"})", R"({"v": "a b@c.d"})",
          R"({"v": "@example.org"})", R"({"v": "ada@"})", R"({"v": ""})", R"({"v": "   "})"}) {
        EXPECT_EQ(errorFor(json, email), "must be an e-mail address") << json;
    }
    EXPECT_EQ(errorFor(R"({"v": 5})", email), "must be a string");
    const QByteArray tooLong = "{\"v\": \"" + QByteArray(250, 'a') + "@example.org\"}";
    EXPECT_EQ(errorFor(tooLong.constData(), email), "must be at most 254 characters, got 262");
}

TEST(BodyReader, Password)
{
    const auto password = [](BodyReader &b) { b.password(u"v"_s); };
    EXPECT_EQ(errorFor(R"({"v": "12345678"})", password), "");
    EXPECT_EQ(errorFor(R"({"v": "1234567"})", password), "must be at least 8 characters");
    EXPECT_EQ(errorFor(R"({"v": 12345678})", password), "must be a string");
    const QByteArray tooLong = "{\"v\": \"" + QByteArray(1025, 'p') + "\"}";
    EXPECT_EQ(errorFor(tooLong.constData(), password), "must be at most 1024 characters, got 1025");
}

TEST(BodyReader, FromForm)
{
    const auto req =
        makeRequest("/x", "name=+Ada+Lovelace+&count=3&email=ADA%40example.org&junk=1",
                    boost::beast::http::verb::post, "application/x-www-form-urlencoded");
    BodyReader body = BodyReader::fromForm(req);
    EXPECT_EQ(body.name(u"name"_s), u"Ada Lovelace"_s);
    EXPECT_EQ(body.integer(u"count"_s, 1, 5), 3);
    EXPECT_EQ(body.email(u"email"_s), u"ada@example.org"_s);
    const Verdict v = finish(body, {u"name"_s, u"count"_s, u"email"_s});
    ASSERT_TRUE(v.threw);
    EXPECT_EQ(v.errors, (std::map<std::string, std::string>{{"junk", "is not a known field"}}));

    const auto bad = makeRequest("/x", "count=x%4", boost::beast::http::verb::post,
                                 "application/x-www-form-urlencoded");
    EXPECT_THROW(BodyReader::fromForm(bad), ApiError);

    const auto notNumber = makeRequest("/x", "count=3x", boost::beast::http::verb::post,
                                       "application/x-www-form-urlencoded");
    BodyReader form = BodyReader::fromForm(notNumber);
    form.integer(u"count"_s, 1, 5);
    EXPECT_EQ(finish(form, {u"count"_s}).errors.at("count"), "must be a whole number");
}

// --- pageRequest -------------------------------------------------------------

namespace {

int pageError(const char *target)
{
    try {
        (void)pf::server::pageRequest(makeRequest(target, {}, boost::beast::http::verb::get));
    } catch (const ApiError &e) {
        return e.status();
    }
    return 0;
}

} // namespace

TEST(PageRequest, Defaults)
{
    const PageRequest p =
        pf::server::pageRequest(makeRequest("/x", {}, boost::beast::http::verb::get));
    EXPECT_EQ(p.limit, PageRequest::DefaultLimit);
    EXPECT_EQ(p.after, 0);
    // An empty cursor is the first page.
    const PageRequest q =
        pf::server::pageRequest(makeRequest("/x?cursor=", {}, boost::beast::http::verb::get));
    EXPECT_EQ(q.after, 0);
}

TEST(PageRequest, LimitBounds)
{
    const auto limitOf = [](const char *target) {
        return pf::server::pageRequest(makeRequest(target, {}, boost::beast::http::verb::get))
            .limit;
    };
    EXPECT_EQ(limitOf("/x?limit=1"), 1);
    EXPECT_EQ(limitOf("/x?limit=100"), PageRequest::MaxLimit);
    EXPECT_EQ(limitOf("/x?limit=50&limit=7"), 7);
    for (const char *bad :
         {"/x?limit=0", "/x?limit=101", "/x?limit=-1", "/x?limit=abc", "/x?limit=", "/x?limit=1.5",
          "/x?limit=99999999999999999999", "/x?limit=7&limit=0"}) {
        EXPECT_EQ(pageError(bad), 400) << bad;
    }
}

TEST(PageRequest, Cursor)
{
    const std::string target = "/x?limit=3&cursor=" + pf::server::encodeCursor(77).toStdString();
    const PageRequest p =
        pf::server::pageRequest(makeRequest(target, {}, boost::beast::http::verb::get));
    EXPECT_EQ(p.after, 77);
    EXPECT_EQ(p.limit, 3);
    for (const char *bad : {"/x?cursor=garbage", "/x?cursor=%3D%3D%3D", "/x?cursor=77",
                            "/x?cursor=YzEuLTU" /* c1.-5 */}) {
        EXPECT_EQ(pageError(bad), 400) << bad;
    }
}
