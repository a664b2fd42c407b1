// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <gtest/gtest.h>

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "app/embeddedserver.h"
#include "tests/support/httpclient.h"

using pf::app::EmbeddedServer;

TEST(EmbeddedServer, StartsRealPfdOnAFreePortAndStopsIt)
{
    QTemporaryDir dir;
    EmbeddedServer server(dir.path() + QStringLiteral("/server"));
    QSignalSpy ready(&server, &EmbeddedServer::ready);
    QSignalSpy failed(&server, &EmbeddedServer::failed);
    server.start();
    ASSERT_TRUE(ready.wait(30000)) << "no ready signal; failed: " << failed.size();
    const QUrl url = ready.first().first().toUrl();
    EXPECT_EQ(url.host(), QStringLiteral("127.0.0.1"));
    ASSERT_GT(url.port(), 0);
    EXPECT_EQ(server.baseUrl(), url);

    // It is a real pfd: an unauthenticated call gets the API's 401.
    pf::test::HttpClient client("127.0.0.1", quint16(url.port()));
    const auto reply = client.get(QStringLiteral("/auth/oauth2/userinfo"));
    EXPECT_EQ(reply.status, 401);
    client.disconnect();

    server.stop();
    EXPECT_TRUE(failed.isEmpty()) << "a requested stop is not a failure";
    const auto after =
        pf::test::HttpClient("127.0.0.1", quint16(url.port())).get(QStringLiteral("/"));
    EXPECT_EQ(after.status, 0) << "the server still answers after stop()";
}

TEST(EmbeddedServer, ReportsAServerThatCannotStart)
{
    // A data dir below a regular file cannot be created: pfd exits at once.
    QTemporaryDir dir;
    QFile blocker(dir.path() + QStringLiteral("/file"));
    ASSERT_TRUE(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    EmbeddedServer server(blocker.fileName() + QStringLiteral("/server"));
    QSignalSpy failed(&server, &EmbeddedServer::failed);
    server.start();
    // FailedToStart may be reported inside start() already.
    ASSERT_TRUE(QTest::qWaitFor([&] { return !failed.isEmpty(); }, 30000));
    EXPECT_EQ(failed.size(), 1);
    EXPECT_EQ(failed.first().first().toString(),
              QStringLiteral("Cannot create the local server's folder %1.")
                  .arg(blocker.fileName() + QStringLiteral("/server")));
}
