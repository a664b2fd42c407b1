// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <utility>

#include <QFlags>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include "api/job.h"
#include "network/pfapi.h"

class QWebSocket;

namespace pf::network {

// What a JobStream follows: the log websocket's sources.
enum class JobSource {
    Stdout = 0x01, // process.stdout
    Stderr = 0x02, // process.stderr
    VmLog = 0x04,  // process.vmlog: the platform's and the agents' records
    Status = 0x08, // job.status
    Metric = 0x10, // job.metric
};
Q_DECLARE_FLAGS(JobSources, JobSource)
Q_DECLARE_OPERATORS_FOR_FLAGS(JobSources)

struct JobStreamOptions
{
    JobSources sources = JobSources(JobSource::Stdout) | JobSource::Stderr | JobSource::VmLog |
                         JobSource::Status | JobSource::Metric;
    // Records of these nodes only (empty: every node). Platform records
    // (node_rank -1) pass always, as on the websocket.
    QList<int> nodeRanks = {};
    // Log records per history page (1-10,000) and metric points per page
    // (1-100,000).
    int logPageSize = 10000;
    int metricPageSize = 10000;
    // Reconnect pauses: first, doubled after each failed attempt, at most.
    int minBackoffMs = 500;
    int maxBackoffMs = 10000;
    // A connection silent this long is pinged; one that answers nothing for
    // as long again is dropped and reconnected (0: never ping).
    int keepAliveMs = 30000;
};

// Follows one job live: its log, status and metrics, from the REST history
// and then the log websocket (docs/api.md "Jobs", "The log websocket"),
// across dropped connections and server restarts.
//
// Logs: the history in ascending pages (text_log, by cursor), each page
// emitted as one records() batch as it comes, then the websocket from the
// highest seq seen (since_seq). records() carries every record the options
// select in seq order, each seq at most once, however often the connection
// drops: the stream drops what it has already passed on.
//
// Metrics: every series of the job (metric/), each paged by since_step, then
// job.metric messages. Each time a connection is subscribed the series are
// read again from the last step passed on, so points reported while the
// stream was away are not lost; live points that come during such a read
// wait for it. metricPoints() carries each series in ascending step order,
// each (name, step) at most once: a point whose step is not above the last
// one passed on for its name is dropped (a step reported again replaces the
// value on the server, not here).
//
// Status: statusChanged() with the job as read when following starts and on
// each reconnect, and with every job.status message, whenever the status
// or the progress differs from the last one emitted.
//
// Connections: the websocket authenticates with the session's access token
// in an Authorization header (never in the URL). When it drops (network
// error, pfd restarting: 1001, a client too slow: 1008, no answer to a
// ping) the state becomes Reconnecting with the reason, and after a pause
// (0.5 s, 1 s, 2 s, ... up to 10 s, reset once subscribed) the job is read
// through the session, which refreshes an expired access token on the 401,
// and a new socket resumes from the last seq. The socket is subscribed to
// job.status whatever the options say: the job's final status, after which
// pfd closes with 1000, is what tells the end from a dropped connection
// (Qt reports a connection that merely broke as a 1000 close too). Once the
// connection ends after it, and the metric reads under way are done, the
// state becomes Ended and finished() follows. A job that is gone (404), a
// refused refresh (401) or an error message from the server fail the
// stream: Failed with the message. Nothing is emitted after Ended, Failed
// or stop().
//
//   JobStream stream(&api, projectId, number);
//   connect(&stream, &JobStream::records, this, [](const QList<api::LogRecord> &batch) {...});
//   connect(&stream, &JobStream::metricPoints, ...);
//   connect(&stream, &JobStream::stateChanged, ...);
//   stream.start();
//
// Lives on the session's thread; `api` (and its session) must outlive it.
// start() and stop() emit stateChanged() (stop() first emits what has
// arrived); everything else comes from the event loop. To delete the stream
// from one of its own signals, use deleteLater().
class JobStream final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobStream)

public:
    enum class State {
        Idle,           // not started, or stopped
        LoadingHistory, // reading the history; no socket yet
        Live,           // subscribed on the websocket
        Reconnecting,   // the connection is down; stateMessage() says why
        Ended,          // the job has ended and everything has been passed on
        Failed,         // gave up; stateMessage() says why
    };
    Q_ENUM(State)

    JobStream(PfApi *api, QString projectId, qint64 number, JobStreamOptions options = {},
              QObject *parent = nullptr);
    ~JobStream() override;

    const QString &projectId() const { return m_projectId; }
    qint64 number() const { return m_number; }
    const JobStreamOptions &options() const { return m_options; }

    // Starts following (from Idle; a stream that has ended, failed or been
    // stopped starts over from the beginning of the history).
    void start();
    // Stops following and closes the socket; state Idle. Nothing more is
    // emitted.
    void stop();

    State state() const { return m_state; }
    // Why the stream is Reconnecting or Failed; empty otherwise.
    const QString &stateMessage() const { return m_stateMessage; }
    // The highest log seq passed on (0: none yet).
    qint64 lastSeq() const { return m_lastSeq; }
    // The job's status and progress as last seen (meaningful once
    // statusChanged() has come).
    api::JobStatus status() const { return m_status; }
    double progress() const { return m_progress; }
    // Connections subscribed after the first (for tests and a status line).
    int reconnects() const { return m_reconnects; }

Q_SIGNALS:
    // Log records in seq order, each seq once, history and live alike.
    void records(const QList<pf::api::LogRecord> &records);
    // Points of one series in ascending step order, each step once.
    void metricPoints(const QString &name, const QList<pf::api::MetricPoint> &points);
    void statusChanged(pf::api::JobStatus status, double progress);
    void stateChanged(pf::network::JobStream::State state, const QString &message);
    // The job has ended and all of it has been passed on (state Ended).
    void finished();

private:
    using Guard = QPointer<JobStream>;

    bool wantsLogs() const;
    bool wantsMetrics() const;
    void setState(State state, const QString &message = {});
    void fail(const QString &message);
    // Reads the job (status; refreshes an expired token), then goes on.
    void readJob();
    void loadLogPage(const QString &cursor);
    void openSocket();
    void subscribe();
    void received(const QString &text);
    void connectionLost(QWebSocket *socket);
    void keepAlive();
    void scheduleReconnect(const QString &reason);
    void takeRecord(const api::LogRecord &record);
    void takeStatus(api::JobStatus status, double progress);
    // Metric reads: one under way at a time; asked again meanwhile, it runs
    // once more afterwards.
    void syncMetrics();
    void pageMetric();
    void metricSyncFailed(const ApiResult &result);
    void metricSyncDone();
    void takeLiveMetric(const QString &name, const api::MetricPoint &point);
    // Emits what live messages have gathered: records, then metric points.
    // False when a slot stopped the stream meanwhile: the caller returns.
    bool flush();
    void maybeFinish();
    // A callback that runs only while this stream is alive and on the same run.
    template <typename T, typename F>
    Callback<T> guarded(F f);

    PfApi *m_api;
    QString m_projectId;
    qint64 m_number;
    JobStreamOptions m_options;

    State m_state = State::Idle;
    QString m_stateMessage;
    quint64 m_run = 0; // bumped by start() and stop(): late callbacks of a past run are dropped
    QWebSocket *m_socket = nullptr;
    QString m_socketError; // why the current socket failed, if it did
    bool m_subscribedOnce = false;
    bool m_finalStatusSeen = false;
    bool m_ended = false; // closed after the final status; finishing
    QString m_serverError;
    int m_reconnects = 0;
    int m_backoffMs = 0;
    QTimer m_retryTimer;
    QTimer m_keepAliveTimer;
    bool m_pingOutstanding = false;

    qint64 m_lastSeq = 0;
    bool m_historyDone = false;
    QString m_historyCursor; // the history page to read next
    QList<api::LogRecord> m_pendingRecords;
    QTimer m_flushTimer;

    bool m_haveStatus = false;
    api::JobStatus m_status = api::JobStatus::Waiting;
    double m_progress = 0.0;

    QHash<QString, qint64> m_lastStep; // per series: the highest step passed on
    bool m_metricsBehind = false;      // from a read's request until one completes
    bool m_metricSyncing = false;
    bool m_metricSyncAgain = false;
    QStringList m_metricQueue;                                 // series still to read in this sync
    QList<std::pair<QString, api::MetricPoint>> m_heldMetrics; // live, during a sync
    QHash<QString, QList<api::MetricPoint>> m_pendingMetrics;  // live, to flush
    QStringList m_pendingMetricOrder;
};

} // namespace pf::network
