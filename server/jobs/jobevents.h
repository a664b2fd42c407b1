// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <functional>
#include <mutex>
#include <unordered_map>

#include <QHash>
#include <QJsonObject>
#include <QString>

namespace pf::server {

// Something that happened to a job, for live followers (the log websocket).
struct JobEvent
{
    enum class Kind { Log, Status, Metric };
    Kind kind = Kind::Log;
    // Log: a REST log record {content, timestamp, type, node_rank, seq};
    // Status: {source: "job.status", status, progress}; Metric: {source:
    // "job.metric", name, step, value, time}.
    QJsonObject payload;
    bool final = false; // Status: the job has ended
};

// In-process publish/subscribe of job events. Listeners run on the
// publishing thread and must only hand the event on (post it to a socket's
// strand); they must not call back into JobEvents. Thread-safe.
class JobEvents
{
public:
    using Listener = std::function<void(const JobEvent &)>;

    quint64 subscribe(const QString &jobId, Listener listener);
    void unsubscribe(quint64 id);
    void publish(const QString &jobId, const JobEvent &event);
    int subscribers(const QString &jobId) const;

private:
    mutable std::mutex m_mutex;
    quint64 m_next = 0;
    QHash<QString, QHash<quint64, Listener>> m_byJob;
    QHash<quint64, QString> m_jobOf;
};

} // namespace pf::server
