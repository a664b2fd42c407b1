// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "scheduler.h"

#include <chrono>

#include <QLoggingCategory>

#include "server/jobs/jobservice.h"
#include "server/store/database.h"

Q_DECLARE_LOGGING_CATEGORY(lcJobs)

namespace pf::server {

JobScheduler::JobScheduler(JobService &service, Database &db)
    : m_service(service)
    , m_db(db)
{}

JobScheduler::~JobScheduler()
{
    stop();
}

void JobScheduler::start()
{
    m_service.recover();
    m_thread = std::thread([this] { run(); });
}

void JobScheduler::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_cv.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void JobScheduler::wake()
{
    {
        std::lock_guard lock(m_mutex);
        m_woken = true;
    }
    m_cv.notify_all();
}

void JobScheduler::run()
{
    for (;;) {
        {
            std::unique_lock lock(m_mutex);
            m_cv.wait_for(lock, std::chrono::milliseconds(200),
                          [this] { return m_stopping || m_woken; });
            if (m_stopping)
                break;
            m_woken = false;
        }
        try {
            m_service.tick();
        } catch (const std::exception &e) {
            qCWarning(lcJobs) << "scheduling pass failed:" << e.what();
        }
    }
    m_db.closeThisThread();
}

} // namespace pf::server
