// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "server/auth/loginthrottle.h"

using namespace Qt::StringLiterals;
using pf::server::LoginThrottle;

namespace {
// An arbitrary fixed clock origin; the throttle only sees the values we pass.
constexpr qint64 T0 = 1'700'000'000'000;
} // namespace

TEST(LoginThrottle, UnknownKeyIsFree)
{
    LoginThrottle t(3, 60);
    EXPECT_EQ(t.blockedFor(u"alice"_s, T0), 0);
}

TEST(LoginThrottle, BlocksAfterLimitFailuresInTheWindow)
{
    LoginThrottle t(3, 60);
    t.recordFailure(u"alice"_s, T0);
    t.recordFailure(u"alice"_s, T0 + 1000);
    EXPECT_EQ(t.blockedFor(u"alice"_s, T0 + 1500), 0);
    t.recordFailure(u"alice"_s, T0 + 2000);
    // Blocked until the oldest failure (T0) leaves the 60 s window.
    EXPECT_EQ(t.blockedFor(u"alice"_s, T0 + 2000), 58);
    EXPECT_EQ(t.blockedFor(u"alice"_s, T0 + 30'000), 30);
    // Rounded up: 0.5 s left is "1 second", never 0 while blocked.
    EXPECT_EQ(t.blockedFor(u"alice"_s, T0 + 59'500), 1);
    EXPECT_EQ(t.blockedFor(u"alice"_s, T0 + 59'999), 1);
    // Keys are independent.
    EXPECT_EQ(t.blockedFor(u"bob"_s, T0 + 2000), 0);
    EXPECT_EQ(t.blockedFor(u"Alice"_s, T0 + 2000), 0);
}

TEST(LoginThrottle, UnblocksWhenTheOldestFailureLeavesTheWindow)
{
    LoginThrottle t(3, 60);
    t.recordFailure(u"k"_s, T0);
    t.recordFailure(u"k"_s, T0 + 10'000);
    t.recordFailure(u"k"_s, T0 + 20'000);
    EXPECT_GT(t.blockedFor(u"k"_s, T0 + 59'999), 0);
    EXPECT_EQ(t.blockedFor(u"k"_s, T0 + 60'000), 0);
    // One more failure re-blocks until the next-oldest (T0 + 10 s) expires.
    t.recordFailure(u"k"_s, T0 + 60'000);
    EXPECT_EQ(t.blockedFor(u"k"_s, T0 + 60'000), 10);
    EXPECT_EQ(t.blockedFor(u"k"_s, T0 + 70'000), 0);
    // Long after every failure the key is free again.
    EXPECT_EQ(t.blockedFor(u"k"_s, T0 + 10 * 60'000), 0);
}

TEST(LoginThrottle, FailuresSpreadBeyondTheWindowNeverBlock)
{
    LoginThrottle t(3, 60);
    for (int i = 0; i < 20; ++i) {
        const qint64 now = T0 + qint64(i) * 30'001;
        t.recordFailure(u"slow"_s, now);
        EXPECT_EQ(t.blockedFor(u"slow"_s, now), 0) << i;
    }
}

TEST(LoginThrottle, RetryAfterUsesTheNewestLimitFailures)
{
    // More failures than the limit: only the newest `limit` matter.
    LoginThrottle t(2, 100);
    for (int i = 0; i < 10; ++i)
        t.recordFailure(u"k"_s, T0 + qint64(i) * 1000);
    // Newest two: T0+8 s and T0+9 s; blocked until T0+108 s.
    EXPECT_EQ(t.blockedFor(u"k"_s, T0 + 9000), 99);
    EXPECT_EQ(t.blockedFor(u"k"_s, T0 + 107'000), 1);
    EXPECT_EQ(t.blockedFor(u"k"_s, T0 + 108'000), 0);
}

TEST(LoginThrottle, ResetForgetsTheKey)
{
    LoginThrottle t(2, 60);
    t.recordFailure(u"k"_s, T0);
    t.recordFailure(u"k"_s, T0);
    t.recordFailure(u"other"_s, T0);
    t.recordFailure(u"other"_s, T0);
    ASSERT_GT(t.blockedFor(u"k"_s, T0), 0);
    t.reset(u"k"_s);
    EXPECT_EQ(t.blockedFor(u"k"_s, T0), 0);
    EXPECT_GT(t.blockedFor(u"other"_s, T0), 0);
    // After a reset it takes `limit` new failures to block again.
    t.recordFailure(u"k"_s, T0 + 1);
    EXPECT_EQ(t.blockedFor(u"k"_s, T0 + 1), 0);
    t.recordFailure(u"k"_s, T0 + 2);
    EXPECT_EQ(t.blockedFor(u"k"_s, T0 + 2), 60);
    t.reset(u"never-seen"_s);
}

TEST(LoginThrottle, LimitOfOne)
{
    LoginThrottle t(1, 5);
    t.recordFailure(u"k"_s, T0);
    EXPECT_EQ(t.blockedFor(u"k"_s, T0), 5);
    EXPECT_EQ(t.blockedFor(u"k"_s, T0 + 5000), 0);
}

TEST(LoginThrottle, ConcurrentFailuresAreAllCounted)
{
    LoginThrottle t(1000, 3600);
    std::vector<std::thread> threads;
    for (int n = 0; n < 4; ++n) {
        threads.emplace_back([&t] {
            for (int i = 0; i < 250; ++i)
                t.recordFailure(u"shared"_s, T0 + i);
        });
    }
    for (std::thread &th : threads)
        th.join();
    // 1000 failures recorded: exactly at the limit, so blocked.
    EXPECT_GT(t.blockedFor(u"shared"_s, T0 + 1000), 0);
}
