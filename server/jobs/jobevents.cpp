// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "jobevents.h"

#include <vector>

namespace pf::server {

quint64 JobEvents::subscribe(const QString &jobId, Listener listener)
{
    std::lock_guard lock(m_mutex);
    const quint64 id = ++m_next;
    m_byJob[jobId].insert(id, std::move(listener));
    m_jobOf.insert(id, jobId);
    return id;
}

void JobEvents::unsubscribe(quint64 id)
{
    std::lock_guard lock(m_mutex);
    const QString job = m_jobOf.take(id);
    auto it = m_byJob.find(job);
    if (it == m_byJob.end())
        return;
    it->remove(id);
    if (it->isEmpty())
        m_byJob.erase(it);
}

void JobEvents::publish(const QString &jobId, const JobEvent &event)
{
    std::vector<Listener> listeners;
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_byJob.constFind(jobId);
        if (it == m_byJob.constEnd())
            return;
        for (const Listener &l : *it)
            listeners.push_back(l);
    }
    for (const Listener &l : listeners)
        l(event);
}

int JobEvents::subscribers(const QString &jobId) const
{
    std::lock_guard lock(m_mutex);
    return int(m_byJob.value(jobId).size());
}

} // namespace pf::server
