// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace pf::server {

class Database;
class ObjectStore;
struct ServerConfig;

// The object store's background sweep, on a thread of its own, every
// `storage.sweep_interval_s` (and once at start):
// - multipart uploads left unfinished for `storage.upload_max_age_s` are
//   aborted (their parts removed);
// - checkpoints soft-deleted more than 24 hours ago lose their files and
//   are marked hard-deleted.
class Housekeeper
{
public:
    Housekeeper(Database &db, ObjectStore &objects, const ServerConfig &config);
    ~Housekeeper();
    Housekeeper(const Housekeeper &) = delete;
    Housekeeper &operator=(const Housekeeper &) = delete;

    void start();
    void stop();
    // One sweep now, on the calling thread.
    void sweep();

    static constexpr std::int64_t RestoreWindowMs = 24LL * 3600 * 1000;

private:
    void run();

    Database &m_db;
    ObjectStore &m_objects;
    const ServerConfig &m_config;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace pf::server
