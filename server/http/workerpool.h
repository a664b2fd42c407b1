// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace pf::server {

// A fixed set of threads that run the handlers, so that SQL and disk work
// never block the I/O threads. Each thread calls `threadInit` once before its
// first task and `threadExit` once after its last (the store opens and closes
// its per-thread connection there).
class WorkerPool
{
public:
    WorkerPool(int threads, std::function<void()> threadInit, std::function<void()> threadExit);
    ~WorkerPool();
    WorkerPool(const WorkerPool &) = delete;
    WorkerPool &operator=(const WorkerPool &) = delete;

    // Queues a task; tasks posted after stop() are dropped.
    void post(std::function<void()> task);
    // Lets queued tasks finish, then joins every thread. Idempotent.
    void stop();

    std::size_t queued() const;

private:
    void run();

    std::function<void()> m_init;
    std::function<void()> m_exit;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<std::function<void()>> m_tasks;
    bool m_stopping = false;
    std::vector<std::thread> m_threads;
};

} // namespace pf::server
