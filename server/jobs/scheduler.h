// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

namespace pf::server {

class Database;
class JobService;

// The thread that runs JobService::tick(): every 200 ms, and at once after
// wake() (a job was submitted, stopped or reported an exit).
class JobScheduler
{
public:
    JobScheduler(JobService &service, Database &db);
    ~JobScheduler();
    JobScheduler(const JobScheduler &) = delete;
    JobScheduler &operator=(const JobScheduler &) = delete;

    // Recovers jobs from before a restart, then starts ticking.
    void start();
    void stop();
    void wake();

private:
    void run();

    JobService &m_service;
    Database &m_db;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_stopping = false;
    bool m_woken = false;
    std::thread m_thread;
};

} // namespace pf::server
