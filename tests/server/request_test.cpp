// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <string>

#include <gtest/gtest.h>

#include "api/apierror.h"
#include "server/http/request.h"
#include "tests/server/servertestutil.h"

using namespace Qt::StringLiterals;
using pf::api::ApiError;
using pf::server::parseUrlEncoded;
using pf::server::QueryItems;
using pf::servertest::makeRequest;

namespace {

// "k=v|k=v" for readable comparisons; nullopt prints as "<rejected>".
std::string show(const std::optional<QueryItems> &items)
{
    if (!items)
        return "<rejected>";
    QStringList parts;
    for (const auto &[k, v] : *items)
        parts << k + u'=' + v;
    return parts.join(u'|').toStdString();
}

// The status and detail of the ApiError `f` throws; 0 when it throws none.
template <typename F>
std::pair<int, QString> apiErrorOf(F f)
{
    try {
        f();
    } catch (const ApiError &e) {
        return {e.status(), e.detail()};
    }
    return {0, {}};
}

} // namespace

TEST(ParseUrlEncoded, Basics)
{
    EXPECT_EQ(show(parseUrlEncoded("a=1&b=2")), "a=1|b=2");
    EXPECT_EQ(show(parseUrlEncoded("")), "");
    EXPECT_EQ(show(parseUrlEncoded("a=")), "a=");
    EXPECT_EQ(show(parseUrlEncoded("=v")), "=v");
    // Only the first '=' separates.
    EXPECT_EQ(show(parseUrlEncoded("a=b=c")), "a=b=c");
}

TEST(ParseUrlEncoded, PlusIsSpaceAndEscapesDecode)
{
    EXPECT_EQ(show(parseUrlEncoded("q=a+b+c")), "q=a b c");
    EXPECT_EQ(show(parseUrlEncoded("q=a%2Bb")), "q=a+b");
    EXPECT_EQ(show(parseUrlEncoded("a%20key=x%26y%3Dz")), "a key=x&y=z");
    EXPECT_EQ(show(parseUrlEncoded("q=%c3%a9%E2%82%AC")), "q=é€");
    EXPECT_EQ(show(parseUrlEncoded("q=%25")), "q=%");
    EXPECT_EQ(show(parseUrlEncoded("first+name=Ada+Lovelace")), "first name=Ada Lovelace");
}

TEST(ParseUrlEncoded, RepeatedKeysKeptInOrder)
{
    const auto items = parseUrlEncoded("tag=b&x=1&tag=a&tag=c");
    ASSERT_TRUE(items);
    ASSERT_EQ(items->size(), 4);
    EXPECT_EQ(show(items), "tag=b|x=1|tag=a|tag=c");
}

TEST(ParseUrlEncoded, KeysWithoutValueAndEmptyPairs)
{
    EXPECT_EQ(show(parseUrlEncoded("flag")), "flag=");
    EXPECT_EQ(show(parseUrlEncoded("flag&a=1")), "flag=|a=1");
    EXPECT_EQ(show(parseUrlEncoded("&&a=1&&b=2&")), "a=1|b=2");
    EXPECT_EQ(show(parseUrlEncoded("&")), "");
}

TEST(ParseUrlEncoded, RejectsBadEscapesAndInvalidUtf8)
{
    for (const std::string_view bad :
         {std::string_view("a=%"), std::string_view("a=%4"), std::string_view("a=%4g"),
          std::string_view("a=%zz"), std::string_view("%=1"), std::string_view("ok=1&b=%G0"),
          std::string_view("a=%FF"), std::string_view("a=%C3"), std::string_view("a=%C0%AF"),
          std::string_view("%FF=1"), std::string_view("a=\xff")}) {
        EXPECT_EQ(show(parseUrlEncoded(bad)), "<rejected>") << std::string(bad);
    }
}

TEST(Request, QueryReturnsTheLastValue)
{
    const auto req =
        makeRequest("/x?limit=5&cursor=&limit=7&name=a+b", {}, boost::beast::http::verb::get);
    EXPECT_EQ(req.query(u"limit"_s), std::optional<QString>(u"7"_s));
    EXPECT_EQ(req.query(u"cursor"_s), std::optional<QString>(QString()));
    EXPECT_TRUE(req.query(u"cursor"_s).has_value());
    EXPECT_EQ(req.query(u"name"_s), std::optional<QString>(u"a b"_s));
    EXPECT_FALSE(req.query(u"missing"_s).has_value());
    // Names are case-sensitive.
    EXPECT_FALSE(req.query(u"LIMIT"_s).has_value());
}

TEST(Request, BasicAccessors)
{
    auto req = makeRequest("/a/b?x=1", "{}", boost::beast::http::verb::patch);
    EXPECT_EQ(req.method(), boost::beast::http::verb::patch);
    EXPECT_EQ(req.methodString(), u"PATCH"_s);
    EXPECT_EQ(req.path(), u"/a/b"_s);
    EXPECT_EQ(req.header("content-type"), QByteArrayLiteral("application/json"));
    EXPECT_TRUE(req.header("x-missing").isEmpty());
    req.setParams({{u"id"_s, u"42"_s}});
    EXPECT_EQ(req.param(u"id"_s), u"42"_s);
    EXPECT_EQ(req.intParam(u"id"_s), 42);
    EXPECT_TRUE(req.param(u"other"_s).isEmpty());
}

TEST(Request, JsonObject)
{
    const auto req = makeRequest("/x", R"({"a": 1, "b": "two"})");
    const QJsonObject o = req.jsonObject();
    EXPECT_EQ(o.value(u"a"_s).toInt(), 1);
    EXPECT_EQ(o.value(u"b"_s).toString(), u"two"_s);
}

TEST(Request, JsonObjectErrorsAre400)
{
    auto [status, detail] = apiErrorOf([] { (void)makeRequest("/x", "").jsonObject(); });
    EXPECT_EQ(status, 400);
    EXPECT_TRUE(detail.contains(u"JSON object"_s)) << detail.toStdString();

    std::tie(status, detail) = apiErrorOf([] { (void)makeRequest("/x", "{\"a\": ").jsonObject(); });
    EXPECT_EQ(status, 400);
    EXPECT_TRUE(detail.contains(u"not valid JSON"_s)) << detail.toStdString();
    EXPECT_TRUE(detail.contains(u"offset"_s)) << detail.toStdString();

    std::tie(status, detail) = apiErrorOf([] { (void)makeRequest("/x", "not json").jsonObject(); });
    EXPECT_EQ(status, 400);
    EXPECT_TRUE(detail.contains(u"not valid JSON"_s)) << detail.toStdString();

    std::tie(status, detail) = apiErrorOf([] { (void)makeRequest("/x", "[1, 2]").jsonObject(); });
    EXPECT_EQ(status, 400);
    EXPECT_TRUE(detail.contains(u"must be a JSON object"_s)) << detail.toStdString();

    std::tie(status, detail) = apiErrorOf([] { (void)makeRequest("/x", "\"str\"").jsonObject(); });
    EXPECT_EQ(status, 400) << detail.toStdString();
}

TEST(Request, FormBody)
{
    const auto req =
        makeRequest("/x", "username=ada&password=p%40ss+word", boost::beast::http::verb::post,
                    "application/x-www-form-urlencoded");
    const QueryItems items = req.formBody();
    ASSERT_EQ(items.size(), 2);
    EXPECT_EQ(items[0].second, u"ada"_s);
    EXPECT_EQ(items[1].second, u"p@ss word"_s);

    const auto [status, detail] = apiErrorOf([] {
        (void)makeRequest("/x", "a=%ZZ", boost::beast::http::verb::post,
                          "application/x-www-form-urlencoded")
            .formBody();
    });
    EXPECT_EQ(status, 400);
    EXPECT_TRUE(detail.contains(u"malformed"_s)) << detail.toStdString();
}
