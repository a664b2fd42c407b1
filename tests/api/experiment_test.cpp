// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <gtest/gtest.h>

#include "api/experiment.h"
#include "tests/api/jsontestutil.h"

using namespace Qt::StringLiterals;
using namespace pf::api;
using namespace pf::apitest;

TEST(Experiment, RoundTripAndKeys)
{
    const Experiment e{12, u"computer-vision"_s};
    EXPECT_EQ(roundTrip(e), e);
    const QJsonObject o = e.toJson();
    EXPECT_EQ(keysOf(o), keys({"id", "name"}));
    EXPECT_EQ(o.value("id"_L1).toInteger(), 12);
    EXPECT_EQ(o.value("name"_L1).toString(), u"computer-vision"_s);
}

TEST(Experiment, LargeIdsSurviveText)
{
    // Beyond 2^53 a double would lose the last digit.
    const Experiment e{(qint64(1) << 53) + 1, u"x"_s};
    EXPECT_EQ(roundTrip(e).id, (qint64(1) << 53) + 1);
}

TEST(Experiment, LenientReading)
{
    EXPECT_EQ(Experiment::fromJson(parse(R"({"id": 3, "job_count": 9})")), (Experiment{3, {}}));
    EXPECT_EQ(Experiment::fromJson({}), Experiment{});
    EXPECT_EQ(Experiment::fromJson(parse(R"({"id": "3", "name": 4})")), Experiment{});
}
