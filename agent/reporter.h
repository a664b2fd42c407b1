// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <memory>

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QTimer>

#include "agent/backoff.h"
#include "agent/recordbuffer.h"
#include "agent/reporttransport.h"

namespace pf::agent {

// Sends a node's records to pfd, in order, each exactly once as far as pfd
// is concerned (docs/jobs.md, "The agent protocol").
//
//   Reporter reporter(&transport);
//   reporter.start();
//   reporter.log(LogType::Stdout, line, timeMs);   // from the output readers
//   ...
//   reporter.flush();  // at the end: send without delay; drained() follows
//
// Timing: a batch goes out at most every flushIntervalMs after the previous
// one started, or at once when flushBytes are pending; one request at a
// time. With nothing to send, an empty report goes out every heartbeatMs.
// A failed request is retried with capped exponential backoff and the same
// records (everything unacknowledged); the transport re-reads the server
// file. Records up to each answer's acked_seq are dropped.
//
// Memory: when more than highWaterBytes are pending, backpressure(true) asks
// the producers to stop reading; backpressure(false) follows once pending
// bytes fall below lowWaterBytes. Nothing is ever dropped.
//
// Lives in one thread (the agent's event loop).
class Reporter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Reporter)

public:
    struct Options
    {
        int flushIntervalMs = 100;
        int heartbeatMs = 1000;
        qsizetype flushBytes = 1024 * 1024;
        qsizetype maxBodyBytes = 1024 * 1024;
        int backoffMinMs = 100;
        int backoffMaxMs = 2000;
        qsizetype highWaterBytes = qsizetype(256) * 1024 * 1024;
        qsizetype lowWaterBytes = qsizetype(128) * 1024 * 1024;
    };

    explicit Reporter(ReportTransport *transport, QObject *parent = nullptr);
    Reporter(ReportTransport *transport, Options options, QObject *parent = nullptr);
    ~Reporter() override;

    // Starts the heartbeat (and sends what is already queued).
    void start();
    // Stops sending; nothing is dropped.
    void stop();

    void log(LogType type, QByteArrayView content, qint64 timeMs);
    void vmlog(const QString &text);
    // status: preparing | running | exited; exitCode and message for exited.
    void status(const QString &status, int exitCode = 0, const QString &message = {});
    void progress(qint64 step, qint64 total);
    void metric(const QString &name, qint64 step, double value, qint64 timeMs);

    // From now on send without waiting for the flush interval.
    void flush();

    const RecordBuffer &buffer() const { return m_buffer; }
    bool allAcknowledged() const { return m_buffer.isEmpty(); }
    bool backpressured() const { return m_backpressure; }
    bool inFlight() const { return m_inFlight; }
    int consecutiveFailures() const { return m_backoff.failures(); }

Q_SIGNALS:
    // A command from pfd's answer ({"type": "terminate", "grace_s": N}).
    void command(const QJsonObject &command);
    // Every record up to this seq is acknowledged.
    void acknowledged(qint64 seq);
    // Nothing is pending any more (emitted after each ack that empties the buffer).
    void drained();
    void backpressure(bool paused);
    // A send failed and will be retried after delayMs.
    void retrying(const QString &error, int delayMs);
    // pfd refused the agent; reporting has stopped.
    void fatal(const QString &error);

private:
    enum class Wait { None, Flush, Heartbeat, Retry };

    void recordsAdded();
    void schedule();
    void sendNow();
    void onReply(const ReportReply &reply);
    void updateBackpressure();

    ReportTransport *m_transport;
    Options m_options;
    RecordBuffer m_buffer;
    Backoff m_backoff;
    QTimer m_timer;
    QElapsedTimer m_sinceSend; // started when the last request went out
    bool m_started = false;
    bool m_stopped = false;
    bool m_inFlight = false;
    Wait m_wait = Wait::None; // what the timer is waiting for
    bool m_urgent = false;
    bool m_backpressure = false;
    // Guards against a reply arriving after this object is gone.
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

} // namespace pf::agent
