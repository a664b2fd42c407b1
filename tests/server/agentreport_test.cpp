// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// The parser of agent reports: what it keeps, and that every malformed body
// is a 400 naming the problem. (The route's behaviour with seqs already
// acknowledged or past a gap is in tests/contract/logsocket_test.cpp.)

#include <gtest/gtest.h>

#include "api/apierror.h"
#include "server/jobs/agentreport.h"

using namespace Qt::StringLiterals;
using pf::api::ApiError;
using pf::server::AgentReport;

namespace {

// The ApiError's detail, or "" when the body parses.
std::string refusal(const QByteArray &body)
{
    try {
        AgentReport::parse(body, 0);
    } catch (const ApiError &e) {
        EXPECT_EQ(e.status(), 400);
        return e.detail().toStdString();
    }
    return {};
}

TEST(AgentReport, KeepsEachKindInOrderWithContentsAsUtf8)
{
    const QByteArray body = R"({"records": [
        {"seq": 4, "kind": "log", "type": "stdout", "content": "tab\there \"q\" \u00e9 한", "time_ms": 17},
        {"seq": 5, "kind": "metric", "name": "loss", "step": 3, "value": 0.25, "time_ms": 18, "extra": {"a": [1]}},
        {"seq": 6, "kind": "log", "type": "vmlog", "content": "", "time_ms": 19},
        {"seq": 8, "kind": "progress", "step": 3, "total": 10},
        {"seq": 9, "kind": "status", "status": "exited", "exit_code": 2, "message": "bye"},
        {"seq": 10, "kind": "log", "type": "stderr", "content": "a\u0000b", "time_ms": -1}
    ]})";
    AgentReport report = AgentReport::parse(body, 3);
    // Contents are views into the report's own copy: moving it keeps them.
    const AgentReport moved = std::move(report);

    ASSERT_EQ(moved.entries.size(), 6);
    const std::vector<std::pair<qint64, AgentReport::Kind>> want{
        {4, AgentReport::Kind::Log},    {5, AgentReport::Kind::Metric},
        {6, AgentReport::Kind::Log},    {8, AgentReport::Kind::Progress},
        {9, AgentReport::Kind::Status}, {10, AgentReport::Kind::Log}};
    for (size_t i = 0; i < want.size(); ++i) {
        EXPECT_EQ(moved.entries[qsizetype(i)].seq, want[i].first) << i;
        EXPECT_EQ(moved.entries[qsizetype(i)].kind, want[i].second) << i;
    }
    EXPECT_EQ(moved.entries[2].index, 1);
    EXPECT_EQ(moved.entries[5].index, 2);

    ASSERT_EQ(moved.logs.size(), 3);
    EXPECT_EQ(moved.logs[0].content, QByteArray("tab\there \"q\" \xC3\xA9 \xED\x95\x9C"));
    EXPECT_EQ(moved.logs[0].type, u"stdout"_s);
    EXPECT_EQ(moved.logs[0].nodeRank, 3);
    EXPECT_EQ(moved.logs[0].timeMs, 17);
    EXPECT_EQ(moved.logs[1].content, QByteArray());
    EXPECT_EQ(moved.logs[1].nodeRank, -1); // platform records have no node
    EXPECT_EQ(moved.logs[2].content, QByteArray("a\0b", 3));
    EXPECT_EQ(moved.logs[2].timeMs, -1);

    ASSERT_EQ(moved.metrics.size(), 1);
    EXPECT_EQ(moved.metrics[0].name, u"loss"_s);
    EXPECT_EQ(moved.metrics[0].step, 3);
    EXPECT_EQ(moved.metrics[0].value, 0.25);
    ASSERT_EQ(moved.progress.size(), 1);
    EXPECT_EQ(moved.progress[0], std::make_pair(qint64(3), qint64(10)));
    ASSERT_EQ(moved.statuses.size(), 1);
    EXPECT_EQ(moved.statuses[0].status, u"exited"_s);
    EXPECT_EQ(moved.statuses[0].exitCode, 2);
    EXPECT_EQ(moved.statuses[0].message, u"bye"_s);
}

TEST(AgentReport, AnEmptyReportIsAHeartbeat)
{
    EXPECT_TRUE(AgentReport::parse(R"({"records": []})", 0).entries.isEmpty());
}

TEST(AgentReport, RefusesMalformedBodiesNamingTheProblem)
{
    const std::vector<std::pair<QByteArray, std::string>> cases{
        {"", "not valid JSON"},
        {"{\"records\": [", "not valid JSON"},
        {"{\"records\": []} trailing", "not valid JSON"},
        {QByteArray(1 << 20, '['), "not valid JSON"}, // deep nesting: no stack overflow
        {"{\"records\": [{\"seq\": 1, \"kind\": \"log\", \"type\": \"stdout\", \"content\": "
         "\"\xC3\x28\"}]}",
         "not valid JSON"}, // invalid UTF-8
        {"{\"records\": [{\"seq\": 1, \"kind\": \"log\", \"type\": \"stdout\", \"content\": "
         "\"\\uD800\"}]}",
         "not valid JSON"}, // a lone surrogate
        {"[]", "`records`"},
        {"{\"records\": null}", "`records`"},
        {"{\"other\": []}", "`records`"},
        {"{\"records\": [[]]}", "Record 0: a record must be an object"},
        {"{\"records\": [{\"seq\": 1, \"kind\": \"progress\"}, 5]}", "Record 1:"},
        {"{\"records\": [{\"kind\": \"progress\"}]}", "`seq`"},
        {"{\"records\": [{\"seq\": 1.5, \"kind\": \"progress\"}]}", "`seq`"},
        {"{\"records\": [{\"seq\": 99999999999999999999, \"kind\": \"progress\"}]}", "`seq`"},
        {"{\"records\": [{\"seq\": 2, \"kind\": \"progress\"}, {\"seq\": 2, \"kind\": "
         "\"progress\"}]}",
         "increase"},
        {"{\"records\": [{\"seq\": 1}]}", "`kind`"},
        {"{\"records\": [{\"seq\": 1, \"kind\": 3}]}", "`kind`"},
        {"{\"records\": [{\"seq\": 1, \"kind\": \"LOG\"}]}", "unknown kind 'LOG'"},
        {"{\"records\": [{\"seq\": 1, \"kind\": \"log\", \"content\": \"x\"}]}", "`type`"},
        {"{\"records\": [{\"seq\": 1, \"kind\": \"log\", \"type\": \"stdin\", \"content\": "
         "\"x\"}]}",
         "unknown log type 'stdin'"},
        {"{\"records\": [{\"seq\": 1, \"kind\": \"log\", \"type\": \"stdout\"}]}", "`content`"},
        {"{\"records\": [{\"seq\": 1, \"kind\": \"log\", \"type\": \"stdout\", \"content\": "
         "\"x\", \"time_ms\": \"now\"}]}",
         "`time_ms`"},
        {"{\"records\": [{\"seq\": 1, \"kind\": \"metric\", \"name\": \"loss\"}]}",
         "needs a number"},
        {"{\"records\": [{\"seq\": 1, \"kind\": \"metric\", \"name\": 1, \"value\": 1}]}",
         "`name`"},
        {"{\"records\": [{\"seq\": 1, \"kind\": \"progress\", \"step\": \"3\"}]}", "`step`"},
        {"{\"records\": [{\"seq\": 1, \"kind\": \"status\", \"status\": \"done\"}]}",
         "unknown node status"},
    };
    for (const auto &[body, reason] : cases) {
        const std::string why = refusal(body);
        EXPECT_NE(why.find(reason), std::string::npos)
            << body.left(100).toStdString() << " -> " << why;
    }
}

TEST(AgentReport, CutsOverlongNamesAndMessages)
{
    const QByteArray name(1000, 'n');
    const QByteArray message(10000, 'm');
    const AgentReport report =
        AgentReport::parse("{\"records\": [{\"seq\": 1, \"kind\": \"metric\", \"name\": \"" + name +
                               "\", \"value\": 1}, {\"seq\": 2, \"kind\": \"status\", \"status\": "
                               "\"exited\", \"message\": \"" +
                               message + "\"}]}",
                           0);
    EXPECT_EQ(report.metrics[0].name.size(), 256);
    EXPECT_EQ(report.statuses[0].message.size(), 4000);
    EXPECT_FALSE(report.statuses[0].exitCode.has_value());
}

} // namespace
