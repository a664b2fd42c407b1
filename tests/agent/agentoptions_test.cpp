// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <gtest/gtest.h>

#include "agent/agentoptions.h"
#include "agent/serverclient.h"
#include "tests/agent/agenttestutil.h"

using namespace pf::agent;

namespace {
const QString kJob = QStringLiteral("5f0c7b1e-1111-4a0f-9b7c-2f0e2d7c1a11");

QProcessEnvironment env(bool token = true)
{
    QProcessEnvironment e;
    if (token)
        e.insert(QStringLiteral("PF_AGENT_TOKEN"), QStringLiteral("tok"));
    e.insert(QStringLiteral("PATH"), QStringLiteral("/usr/bin:/bin"));
    return e;
}
} // namespace

TEST(AgentOptions, Parses)
{
    QString error;
    auto env2 = env();
    env2.insert(QStringLiteral("PF_BWRAP"), QStringLiteral("/opt/bwrap"));
    const auto o =
        AgentOptions::parse({QStringLiteral("pf-agent"), QStringLiteral("--server-file"),
                             QStringLiteral("/d/run/pfd.url"), QStringLiteral("--job"),
                             kJob.toUpper(), QStringLiteral("--node-rank"), QStringLiteral("0"),
                             QStringLiteral("--work-dir"), QStringLiteral("/w")},
                            env2, &error);
    ASSERT_TRUE(o) << error.toStdString();
    EXPECT_EQ(o->serverFile, QStringLiteral("/d/run/pfd.url"));
    EXPECT_EQ(o->jobId, kJob);
    EXPECT_EQ(o->nodeRank, 0);
    EXPECT_EQ(o->workDir, QStringLiteral("/w"));
    EXPECT_EQ(o->token, QByteArray("tok"));
    EXPECT_EQ(o->bwrapPath, QStringLiteral("/opt/bwrap"));
}

TEST(AgentOptions, Mistakes)
{
    QString error;
    const QStringList good = {QStringLiteral("pf-agent"),
                              QStringLiteral("--server-file"),
                              QStringLiteral("f"),
                              QStringLiteral("--job"),
                              kJob,
                              QStringLiteral("--node-rank"),
                              QStringLiteral("2")};
    EXPECT_TRUE(AgentOptions::parse(good, env(), &error));
    EXPECT_FALSE(AgentOptions::parse(good, env(false), &error));
    EXPECT_TRUE(error.contains(QStringLiteral("PF_AGENT_TOKEN")));
    QStringList badRank = good;
    badRank[6] = QStringLiteral("-1");
    EXPECT_FALSE(AgentOptions::parse(badRank, env(), &error));
    QStringList badJob = good;
    badJob[4] = QStringLiteral("../etc");
    EXPECT_FALSE(AgentOptions::parse(badJob, env(), &error));
    EXPECT_FALSE(AgentOptions::parse(good.mid(0, 5), env(), &error));
    EXPECT_FALSE(AgentOptions::parse(good + QStringList{QStringLiteral("extra")}, env(), &error));
}

TEST(ServerClient, ParsesTheServerFile)
{
    EXPECT_EQ(ServerClient::parseServerFile("http://127.0.0.1:8000\n"),
              QUrl(QStringLiteral("http://127.0.0.1:8000")));
    EXPECT_EQ(ServerClient::parseServerFile("  https://pfd.example:443/prefix/ \n junk"),
              QUrl(QStringLiteral("https://pfd.example:443/prefix")));
    EXPECT_EQ(ServerClient::parseServerFile("127.0.0.1:9000"),
              QUrl(QStringLiteral("http://127.0.0.1:9000")));
    EXPECT_TRUE(ServerClient::parseServerFile("").isEmpty());
    EXPECT_TRUE(ServerClient::parseServerFile("ftp://x:1").isEmpty());
}
