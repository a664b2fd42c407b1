// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "connectionmonitor.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcConnection, "pf.network.connection")

namespace pf::network {

ConnectionMonitor::ConnectionMonitor(ApiSession *session, QObject *parent)
    : QObject(parent)
    , m_session(session)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &ConnectionMonitor::check);
}

void ConnectionMonitor::start()
{
    check();
}

void ConnectionMonitor::stop()
{
    m_timer.stop();
}

void ConnectionMonitor::checkNow()
{
    m_timer.stop();
    check();
}

void ConnectionMonitor::check()
{
    if (m_inFlight)
        return;
    m_inFlight = true;
    // Unauthenticated and cheap; a 401 still proves the server is there.
    m_session->probe([this](const ApiResult &r) { answered(r); });
}

void ConnectionMonitor::answered(const ApiResult &r)
{
    m_inFlight = false;
    const State next = r.status == 0 ? State::Lost : State::Connected;
    if (next == State::Lost) {
        m_lastError = r.message;
        m_backoffMs = m_backoffMs == 0 ? 1000 : qMin(m_backoffMs * 2, m_intervalMs);
    } else {
        m_lastError.clear();
        m_backoffMs = 0;
    }
    m_timer.start(next == State::Lost ? m_backoffMs : m_intervalMs);
    if (next != m_state) {
        qCInfo(lcConnection) << "server" << m_session->baseUrl().toString()
                             << (next == State::Lost ? "lost:" : "answers") << m_lastError;
        m_state = next;
        Q_EMIT stateChanged(m_state);
    }
}

} // namespace pf::network
