// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "server/http/workerpool.h"

using pf::server::WorkerPool;

namespace {
constexpr auto kTimeout = std::chrono::seconds(20);
} // namespace

TEST(WorkerPool, EveryPostedTaskRuns)
{
    std::atomic<int> ran{0};
    std::mutex mutex;
    std::set<std::thread::id> threads;
    WorkerPool pool(4, nullptr, nullptr);
    for (int i = 0; i < 2000; ++i) {
        pool.post([&] {
            ++ran;
            std::lock_guard lock(mutex);
            threads.insert(std::this_thread::get_id());
        });
    }
    pool.stop();
    EXPECT_EQ(ran.load(), 2000);
    EXPECT_EQ(pool.queued(), 0u);
    EXPECT_GE(threads.size(), 1u);
    EXPECT_LE(threads.size(), 4u);
    EXPECT_EQ(threads.count(std::this_thread::get_id()), 0u) << "tasks run on the pool's threads";
}

TEST(WorkerPool, InitAndExitRunOncePerThread)
{
    std::mutex mutex;
    std::map<std::thread::id, int> inits;
    std::map<std::thread::id, int> exits;
    std::map<std::thread::id, int> tasksBeforeInit;
    std::atomic<int> ran{0};
    {
        WorkerPool pool(
            3,
            [&] {
                std::lock_guard lock(mutex);
                ++inits[std::this_thread::get_id()];
            },
            [&] {
                std::lock_guard lock(mutex);
                ++exits[std::this_thread::get_id()];
            });
        for (int i = 0; i < 300; ++i) {
            pool.post([&] {
                std::lock_guard lock(mutex);
                if (!inits.count(std::this_thread::get_id()))
                    ++tasksBeforeInit[std::this_thread::get_id()];
                ++ran;
            });
        }
        pool.stop();
        std::lock_guard lock(mutex);
        EXPECT_EQ(inits.size(), 3u);
        EXPECT_EQ(exits.size(), 3u);
    } // the destructor must not run the hooks again
    EXPECT_EQ(ran.load(), 300);
    EXPECT_TRUE(tasksBeforeInit.empty());
    for (const auto &[id, n] : inits) {
        EXPECT_EQ(n, 1);
        EXPECT_EQ(exits.count(id), 1u);
    }
    for (const auto &[id, n] : exits)
        EXPECT_EQ(n, 1);
}

TEST(WorkerPool, StopDrainsQueuedTasks)
{
    WorkerPool pool(1, nullptr, nullptr);
    std::promise<void> gate;
    std::shared_future<void> opened = gate.get_future().share();
    std::promise<void> blocking;
    std::atomic<int> ran{0};
    // The only worker waits at the gate, so everything after it stays queued.
    pool.post([&] {
        blocking.set_value();
        opened.wait_for(kTimeout);
    });
    ASSERT_EQ(blocking.get_future().wait_for(kTimeout), std::future_status::ready);
    for (int i = 0; i < 100; ++i)
        pool.post([&] { ++ran; });
    EXPECT_EQ(pool.queued(), 100u);

    // stop() from another thread; it must not return before the queue is empty.
    std::thread stopper([&] { pool.stop(); });
    // Wait (bounded) until stop() has begun: from then on posts are dropped.
    int accepted = 0;
    const auto deadline = std::chrono::steady_clock::now() + kTimeout;
    for (;;) {
        const std::size_t before = pool.queued();
        pool.post([&] { ++ran; });
        if (pool.queued() == before)
            break; // dropped: stopping
        ++accepted;
        if (std::chrono::steady_clock::now() > deadline) {
            ADD_FAILURE() << "stop() never began";
            break;
        }
        std::this_thread::yield();
    }
    EXPECT_EQ(ran.load(), 0) << "nothing ran while the worker was blocked";
    gate.set_value();
    stopper.join();
    EXPECT_EQ(ran.load(), 100 + accepted);
    EXPECT_EQ(pool.queued(), 0u);
}

TEST(WorkerPool, StopIsIdempotent)
{
    std::atomic<int> exits{0};
    std::atomic<int> ran{0};
    WorkerPool pool(2, nullptr, [&] { ++exits; });
    pool.post([&] { ++ran; });
    pool.stop();
    pool.stop();
    EXPECT_EQ(ran.load(), 1);
    EXPECT_EQ(exits.load(), 2);
    pool.stop();
    EXPECT_EQ(exits.load(), 2);
}

TEST(WorkerPool, TasksAfterStopAreDropped)
{
    std::atomic<int> ran{0};
    WorkerPool pool(2, nullptr, nullptr);
    pool.stop();
    pool.post([&] { ++ran; });
    EXPECT_EQ(pool.queued(), 0u);
    pool.stop();
    EXPECT_EQ(ran.load(), 0);
}

TEST(WorkerPool, DestructorStops)
{
    std::atomic<int> ran{0};
    std::atomic<int> exits{0};
    {
        WorkerPool pool(2, nullptr, [&] { ++exits; });
        for (int i = 0; i < 50; ++i)
            pool.post([&] { ++ran; });
    }
    EXPECT_EQ(ran.load(), 50);
    EXPECT_EQ(exits.load(), 2);
}

TEST(WorkerPool, TasksMayPostMoreTasks)
{
    std::atomic<int> ran{0};
    WorkerPool pool(2, nullptr, nullptr);
    std::promise<void> done;
    pool.post([&] {
        ++ran;
        pool.post([&] {
            ++ran;
            done.set_value();
        });
    });
    ASSERT_EQ(done.get_future().wait_for(kTimeout), std::future_status::ready);
    pool.stop();
    EXPECT_EQ(ran.load(), 2);
}
