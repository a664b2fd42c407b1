// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// ConnectionMonitor against a real pfd that stops and comes back on another
// port (as the studio's local server does after a restart).

#include <gtest/gtest.h>

#include <QSignalSpy>
#include <QTest>

#include "network/connectionmonitor.h"
#include "tests/support/pfdprocess.h"

using namespace Qt::StringLiterals;
using pf::network::ApiSession;
using pf::network::ConnectionMonitor;
using pf::test::PfdProcess;

namespace {

QUrl urlOf(const PfdProcess &pfd)
{
    return QUrl(u"http://127.0.0.1:%1"_s.arg(pfd.port()));
}

} // namespace

TEST(ConnectionMonitor, LosesTheServerAndFindsItAgain)
{
    PfdProcess first;
    ASSERT_TRUE(first.start()) << first.lastError().toStdString();
    ApiSession session(urlOf(first));
    ConnectionMonitor monitor(&session);
    monitor.setIntervalMs(200);
    QSignalSpy changes(&monitor, &ConnectionMonitor::stateChanged);
    monitor.start();
    ASSERT_TRUE(QTest::qWaitFor(
        [&] { return monitor.state() == ConnectionMonitor::State::Connected; }, 10000));

    ASSERT_EQ(first.stop(), 0);
    ASSERT_TRUE(
        QTest::qWaitFor([&] { return monitor.state() == ConnectionMonitor::State::Lost; }, 10000));
    EXPECT_FALSE(monitor.lastError().isEmpty());

    PfdProcess second(PfdProcess::defaultConfig(), first);
    ASSERT_TRUE(second.start()) << second.lastError().toStdString();
    session.setBaseUrl(urlOf(second));
    monitor.checkNow();
    ASSERT_TRUE(QTest::qWaitFor(
        [&] { return monitor.state() == ConnectionMonitor::State::Connected; }, 10000));
    EXPECT_TRUE(monitor.lastError().isEmpty());
    // Unknown -> Connected -> Lost -> Connected, each change once.
    EXPECT_EQ(changes.size(), 3);
}

TEST(ConnectionMonitor, NoServerAtAllIsLost)
{
    // A port nobody listens on: bind-and-release is racy, port 1 is not.
    ApiSession session(QUrl(u"http://127.0.0.1:1"_s));
    ConnectionMonitor monitor(&session);
    monitor.start();
    ASSERT_TRUE(
        QTest::qWaitFor([&] { return monitor.state() == ConnectionMonitor::State::Lost; }, 10000));
    EXPECT_TRUE(monitor.lastError().startsWith(u"The server did not answer"_s))
        << monitor.lastError().toStdString();
}
