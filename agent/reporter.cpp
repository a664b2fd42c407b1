// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "reporter.h"

#include <QDateTime>
#include <QLoggingCategory>

namespace pf::agent {

Q_LOGGING_CATEGORY(lcReporter, "pf.agent.reporter")

Reporter::Reporter(ReportTransport *transport, QObject *parent)
    : Reporter(transport, Options{}, parent)
{}

Reporter::Reporter(ReportTransport *transport, Options options, QObject *parent)
    : QObject(parent)
    , m_transport(transport)
    , m_options(options)
    , m_backoff(options.backoffMinMs, options.backoffMaxMs)
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        m_wait = Wait::None;
        sendNow();
    });
}

Reporter::~Reporter()
{
    *m_alive = false;
}

void Reporter::start()
{
    if (m_started)
        return;
    m_started = true;
    schedule();
}

void Reporter::stop()
{
    m_stopped = true;
    m_timer.stop();
    m_wait = Wait::None;
}

void Reporter::log(LogType type, QByteArrayView content, qint64 timeMs)
{
    m_buffer.appendLog(type, content, timeMs);
    recordsAdded();
}

void Reporter::vmlog(const QString &text)
{
    qCInfo(lcReporter).noquote() << "vmlog:" << text;
    m_buffer.appendLog(LogType::Vmlog, text.toUtf8(), QDateTime::currentMSecsSinceEpoch());
    recordsAdded();
}

void Reporter::status(const QString &status, int exitCode, const QString &message)
{
    QJsonObject record{{QStringLiteral("kind"), QStringLiteral("status")},
                       {QStringLiteral("status"), status}};
    if (status == QLatin1String("exited")) {
        record.insert(QStringLiteral("exit_code"), exitCode);
        record.insert(QStringLiteral("message"), message);
    } else if (!message.isEmpty()) {
        record.insert(QStringLiteral("message"), message);
    }
    m_buffer.appendObject(record);
    recordsAdded();
}

void Reporter::progress(qint64 step, qint64 total)
{
    m_buffer.appendObject({{QStringLiteral("kind"), QStringLiteral("progress")},
                           {QStringLiteral("step"), step},
                           {QStringLiteral("total"), total}});
    recordsAdded();
}

void Reporter::metric(const QString &name, qint64 step, double value, qint64 timeMs)
{
    m_buffer.appendObject({{QStringLiteral("kind"), QStringLiteral("metric")},
                           {QStringLiteral("name"), name},
                           {QStringLiteral("step"), step},
                           {QStringLiteral("value"), value},
                           {QStringLiteral("time_ms"), timeMs}});
    recordsAdded();
}

void Reporter::flush()
{
    m_urgent = true;
    if (m_wait == Wait::Flush || m_wait == Wait::Heartbeat) {
        m_timer.stop();
        m_wait = Wait::None;
    }
    schedule();
}

void Reporter::recordsAdded()
{
    // Called per record, so it does as little as it can: only a heartbeat
    // wait (nothing was pending) or a full batch changes the plan.
    if (!m_backpressure && m_buffer.pendingBytes() > m_options.highWaterBytes)
        updateBackpressure();
    if (!m_started || m_stopped || m_inFlight || m_wait == Wait::Retry)
        return;
    if (m_wait == Wait::Flush && m_buffer.pendingBytes() < m_options.flushBytes && !m_urgent)
        return;
    schedule();
}

void Reporter::schedule()
{
    if (!m_started || m_stopped || m_inFlight || m_wait == Wait::Retry)
        return;
    const qint64 elapsed = m_sinceSend.isValid() ? m_sinceSend.elapsed() : qint64(1) << 40;
    qint64 delay;
    Wait wait;
    if (m_buffer.isEmpty()) {
        delay = m_options.heartbeatMs - elapsed;
        wait = Wait::Heartbeat;
    } else if (m_urgent || m_buffer.pendingBytes() >= m_options.flushBytes) {
        delay = 0;
        wait = Wait::Flush;
    } else {
        delay = m_options.flushIntervalMs - elapsed;
        wait = Wait::Flush;
    }
    if (delay <= 0) {
        m_timer.stop();
        m_wait = Wait::None;
        sendNow();
        return;
    }
    if (m_wait == wait && m_timer.isActive() && m_timer.remainingTime() <= delay)
        return;
    m_wait = wait;
    m_timer.start(int(delay));
}

void Reporter::sendNow()
{
    if (m_stopped || m_inFlight)
        return;
    const RecordBuffer::Batch batch = m_buffer.batch(m_options.maxBodyBytes);
    m_inFlight = true;
    m_sinceSend.start();
    std::weak_ptr<bool> alive = m_alive;
    m_transport->send(batch.body, [this, alive](const ReportReply &reply) {
        if (const auto a = alive.lock(); a && *a)
            onReply(reply);
    });
}

void Reporter::onReply(const ReportReply &reply)
{
    m_inFlight = false;
    switch (reply.outcome) {
    case ReportReply::Outcome::Ok: {
        m_backoff.reset();
        if (reply.ackedSeq > m_buffer.lastSeq())
            qCWarning(lcReporter) << "pfd acknowledged seq" << reply.ackedSeq
                                  << "but the last record sent is" << m_buffer.lastSeq();
        const bool hadRecords = !m_buffer.isEmpty();
        if (m_buffer.acknowledge(reply.ackedSeq) > 0)
            Q_EMIT acknowledged(m_buffer.ackedSeq());
        updateBackpressure();
        schedule();
        if (hadRecords && m_buffer.isEmpty())
            Q_EMIT drained();
        for (const QJsonValue &c : reply.commands)
            Q_EMIT command(c.toObject());
        return;
    }
    case ReportReply::Outcome::Retry: {
        if (m_stopped)
            return;
        const int delay = m_backoff.next();
        qCInfo(lcReporter).noquote()
            << "report failed (" << reply.error << "), retrying in" << delay << "ms";
        m_wait = Wait::Retry;
        m_timer.start(delay);
        Q_EMIT retrying(reply.error, delay);
        return;
    }
    case ReportReply::Outcome::Fatal:
        qCCritical(lcReporter).noquote() << "pfd refused the report:" << reply.error;
        stop();
        Q_EMIT fatal(reply.error);
        return;
    }
}

void Reporter::updateBackpressure()
{
    const qsizetype pending = m_buffer.pendingBytes();
    if (!m_backpressure && pending > m_options.highWaterBytes) {
        m_backpressure = true;
        qCInfo(lcReporter) << "pausing the output readers:" << pending << "bytes pending";
        Q_EMIT backpressure(true);
    } else if (m_backpressure && pending < m_options.lowWaterBytes) {
        m_backpressure = false;
        qCInfo(lcReporter) << "resuming the output readers";
        Q_EMIT backpressure(false);
    }
}

} // namespace pf::agent
