// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QObject>
#include <QTimer>

#include "network/apisession.h"

namespace pf::network {

// Watches whether the session's server answers: a light call every
// `intervalMs` while connected; once a call gets no answer (status 0) the
// state becomes Lost and the checks continue with a growing pause (1 s, 2 s,
// 4 s, up to the interval) until the server answers again (Connected).
// Any answer counts, a 401 too: the server is there.
//
//   ConnectionMonitor monitor(&session);
//   connect(&monitor, &ConnectionMonitor::stateChanged, ...);
//   monitor.start();
//
// Lives on the session's thread; the session must outlive it.
class ConnectionMonitor final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionMonitor)

public:
    enum class State { Unknown, Connected, Lost };
    Q_ENUM(State)

    explicit ConnectionMonitor(ApiSession *session, QObject *parent = nullptr);

    void setIntervalMs(int ms) { m_intervalMs = ms; }
    void start();
    void stop();
    // Check now (e.g. after a call elsewhere got no answer).
    void checkNow();

    State state() const { return m_state; }
    // Why the last check failed, in words.
    const QString &lastError() const { return m_lastError; }

Q_SIGNALS:
    void stateChanged(pf::network::ConnectionMonitor::State state);

private:
    void check();
    void answered(const ApiResult &r);

    ApiSession *m_session;
    QTimer m_timer;
    int m_intervalMs = 5000;
    int m_backoffMs = 0;
    bool m_inFlight = false;
    State m_state = State::Unknown;
    QString m_lastError;
};

} // namespace pf::network
