// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <deque>
#include <mutex>

#include <QHash>
#include <QString>

namespace pf::server {

// Counts failed logins per key (a username, an address) in a sliding window.
// Once a key has `limit` failures in the window it is blocked until the oldest
// of them leaves the window. In memory only: a restart forgets. Thread-safe.
class LoginThrottle
{
public:
    LoginThrottle(int limit, int windowSecs);

    // Seconds until `key` may try again, or 0 when it may now.
    int blockedFor(const QString &key, qint64 nowMs);
    void recordFailure(const QString &key, qint64 nowMs);
    void reset(const QString &key);

private:
    void prune(std::deque<qint64> &times, qint64 nowMs) const;

    int m_limit;
    qint64 m_windowMs;
    std::mutex m_mutex;
    QHash<QString, std::deque<qint64>> m_failures;
};

} // namespace pf::server
