// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <gtest/gtest.h>

#include <QJsonArray>

#include "api/experiment.h"
#include "api/org.h"
#include "api/page.h"
#include "tests/api/jsontestutil.h"

using namespace Qt::StringLiterals;
using namespace pf::api;
using namespace pf::apitest;

TEST(Page, RoundTripAndKeys)
{
    const Page<Org> page{{Org{u"g1"_s, u"one"_s, u"active"_s}, Org{u"g2"_s, u"two"_s, {}}},
                         u"b3BhcXVl"_s};
    EXPECT_EQ(roundTrip(page), page);
    const QJsonObject o = page.toJson();
    EXPECT_EQ(keysOf(o), keys({"results", "next_cursor"}));
    EXPECT_EQ(o.value("next_cursor"_L1).toString(), u"b3BhcXVl"_s);
    const QJsonArray results = o.value("results"_L1).toArray();
    ASSERT_EQ(results.size(), 2);
    EXPECT_EQ(results.at(1).toObject().value("name"_L1).toString(), u"two"_s);
}

TEST(Page, LastPageHasNullCursor)
{
    const Page<Experiment> page{{Experiment{1, u"a"_s}}, {}};
    const QJsonObject o = page.toJson();
    ASSERT_TRUE(o.contains("next_cursor"_L1));
    EXPECT_TRUE(o.value("next_cursor"_L1).isNull());
    EXPECT_EQ(roundTrip(page), page);
    EXPECT_TRUE(Page<Experiment>{}.toJson().value("results"_L1).isArray());
}

TEST(Page, LenientReading)
{
    // Experiment job lists answer {"results"} alone.
    const Page<Experiment> p = Page<Experiment>::fromJson(
        parse(R"({"results": [{"id": 1, "name": "a"}, 5, null, {"id": 2}], "count": 2})"));
    EXPECT_EQ(p.results, (QList<Experiment>{{1, u"a"_s}, {2, {}}}));
    EXPECT_TRUE(p.nextCursor.isEmpty());
    EXPECT_EQ(Page<Experiment>::fromJson({}), Page<Experiment>{});
    EXPECT_EQ(Page<Experiment>::fromJson(parse(R"({"results": {}, "next_cursor": 3})")),
              Page<Experiment>{});
}

TEST(PlainList, RoundTrip)
{
    const QList<Experiment> list{{1, u"a"_s}, {2, u"b"_s}, {3, u"c"_s}};
    const QJsonArray array = toJsonArray(list);
    ASSERT_EQ(array.size(), 3);
    EXPECT_EQ(keysOf(array.at(2).toObject()), keys({"id", "name"}));
    EXPECT_EQ(array.at(2).toObject().value("name"_L1).toString(), u"c"_s);
    EXPECT_EQ(listFromJson<Experiment>(array), list);
    EXPECT_TRUE(toJsonArray(QList<Experiment>{}).isEmpty());
    EXPECT_TRUE(listFromJson<Experiment>(QJsonArray{}).isEmpty());
}

TEST(PlainList, SkipsNonObjects)
{
    const QJsonArray array{QJsonObject{{u"id"_s, u"g"_s}}, 1, u"x"_s, QJsonArray{}, QJsonValue()};
    const QList<Org> orgs = listFromJson<Org>(array);
    ASSERT_EQ(orgs.size(), 1);
    EXPECT_EQ(orgs.front().id, u"g"_s);
}
