// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <sodium.h>

#include "server/auth/sodium.h"

using pf::server::Sodium;

TEST(Sodium, InitialisesOnceFromManyThreads)
{
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i)
        threads.emplace_back([] { Sodium::ensureInitialised(); });
    for (std::thread &t : threads)
        t.join();
    // sodium_init() answers 1 when the library is already initialised.
    EXPECT_EQ(sodium_init(), 1);
}
