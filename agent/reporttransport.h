// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <functional>

#include <QByteArray>
#include <QJsonArray>
#include <QString>

namespace pf::agent {

// What became of one POST .../report.
struct ReportReply
{
    enum class Outcome {
        Ok,    // pfd answered 2xx with acked_seq
        Retry, // no answer, a timeout, 5xx, 408 or 429: send again later
        Fatal, // pfd refused the agent (401, 403, 404, ...): stop reporting
    };
    Outcome outcome = Outcome::Retry;
    qint64 ackedSeq = 0;
    QJsonArray commands;
    QString error; // for Retry and Fatal: what went wrong, for the agent's log
};

// Carries report bodies to pfd. The Reporter has at most one send() in
// flight; `done` is called exactly once, later, from the event loop (never
// from inside send()).
class ReportTransport
{
public:
    virtual ~ReportTransport() = default;
    virtual void send(const QByteArray &body, std::function<void(const ReportReply &)> done) = 0;
};

} // namespace pf::agent
