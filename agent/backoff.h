// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

namespace pf::agent {

// Capped exponential backoff: min, 2*min, 4*min, ... up to max, then max
// again until reset() (after a success).
class Backoff
{
public:
    Backoff(int minMs = 100, int maxMs = 2000)
        : m_min(minMs > 0 ? minMs : 1)
        , m_max(maxMs > m_min ? maxMs : m_min)
        , m_next(m_min)
    {}

    // The delay before the next attempt; each call doubles the one after.
    int next()
    {
        const int delay = m_next;
        m_next = delay > m_max / 2 ? m_max : delay * 2;
        ++m_failures;
        return delay;
    }
    void reset()
    {
        m_next = m_min;
        m_failures = 0;
    }
    // Failures since the last reset().
    int failures() const { return m_failures; }

private:
    int m_min;
    int m_max;
    int m_next;
    int m_failures = 0;
};

} // namespace pf::agent
