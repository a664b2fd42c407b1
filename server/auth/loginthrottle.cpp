// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "loginthrottle.h"

namespace pf::server {

LoginThrottle::LoginThrottle(int limit, int windowSecs)
    : m_limit(limit)
    , m_windowMs(qint64(windowSecs) * 1000)
{}

void LoginThrottle::prune(std::deque<qint64> &times, qint64 nowMs) const
{
    while (!times.empty() && times.front() <= nowMs - m_windowMs)
        times.pop_front();
}

int LoginThrottle::blockedFor(const QString &key, qint64 nowMs)
{
    std::lock_guard lock(m_mutex);
    const auto it = m_failures.find(key);
    if (it == m_failures.end())
        return 0;
    prune(*it, nowMs);
    if (it->empty()) {
        m_failures.erase(it);
        return 0;
    }
    if (int(it->size()) < m_limit)
        return 0;
    const qint64 waitMs = it->front() + m_windowMs - nowMs;
    return int(std::max<qint64>(1, (waitMs + 999) / 1000));
}

void LoginThrottle::recordFailure(const QString &key, qint64 nowMs)
{
    std::lock_guard lock(m_mutex);
    auto &times = m_failures[key];
    prune(times, nowMs);
    times.push_back(nowMs);
    // Bound memory per key: only the newest `limit` failures matter.
    while (int(times.size()) > m_limit)
        times.pop_front();
}

void LoginThrottle::reset(const QString &key)
{
    std::lock_guard lock(m_mutex);
    m_failures.remove(key);
}

} // namespace pf::server
