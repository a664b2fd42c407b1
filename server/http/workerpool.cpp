// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "workerpool.h"

namespace pf::server {

WorkerPool::WorkerPool(int threads, std::function<void()> threadInit,
                       std::function<void()> threadExit)
    : m_init(std::move(threadInit))
    , m_exit(std::move(threadExit))
{
    for (int i = 0; i < threads; ++i)
        m_threads.emplace_back([this] { run(); });
}

WorkerPool::~WorkerPool()
{
    stop();
}

void WorkerPool::post(std::function<void()> task)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping)
            return;
        m_tasks.push_back(std::move(task));
    }
    m_cv.notify_one();
}

void WorkerPool::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_cv.notify_all();
    for (std::thread &t : m_threads) {
        if (t.joinable())
            t.join();
    }
    m_threads.clear();
}

std::size_t WorkerPool::queued() const
{
    std::lock_guard lock(m_mutex);
    return m_tasks.size();
}

void WorkerPool::run()
{
    if (m_init)
        m_init();
    for (;;) {
        std::function<void()> task;
        {
            std::unique_lock lock(m_mutex);
            m_cv.wait(lock, [this] { return m_stopping || !m_tasks.empty(); });
            if (m_tasks.empty())
                break;
            task = std::move(m_tasks.front());
            m_tasks.pop_front();
        }
        task();
    }
    if (m_exit)
        m_exit();
}

} // namespace pf::server
