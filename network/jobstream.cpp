// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "jobstream.h"

#include <algorithm>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QSslConfiguration>
#include <QWebSocket>

Q_LOGGING_CATEGORY(lcJobStream, "pf.network.jobstream")

using namespace Qt::StringLiterals;

namespace pf::network {

namespace {

// Live records gathered before they are emitted anyway.
constexpr qsizetype kMaxPendingRecords = 10000;

// Calls that may succeed when tried again later: no answer, the server
// failing or busy. Anything else (404: the job is gone; 401 after a refused
// refresh: signed out) will not get better by waiting.
bool transient(const ApiResult &r)
{
    return r.status == 0 || r.status >= 500 || r.status == 429;
}

// Qt words a refused upgrade for developers ("QWebSocketPrivate::
// processHandshake: Unhandled http status code: 401 (Unauthorized)."); the
// user reads the status. (A 401 needs nothing more: the job is read through
// the session before the next socket, which renews the token.)
QString describeError(const QString &error)
{
    static const QRegularExpression status(u"status code: (\\d+)"_s);
    const QRegularExpressionMatch m = status.match(error);
    return m.hasMatch() ? u"The server refused the connection (HTTP %1)."_s.arg(m.captured(1))
                        : error;
}

} // namespace

JobStream::JobStream(PfApi *api, QString projectId, qint64 number, JobStreamOptions options,
                     QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_projectId(std::move(projectId))
    , m_number(number)
    , m_options(std::move(options))
{
    m_options.logPageSize = std::clamp(m_options.logPageSize, 1, 10000);
    m_options.metricPageSize = std::clamp(m_options.metricPageSize, 1, 100000);
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &JobStream::readJob);
    connect(&m_keepAliveTimer, &QTimer::timeout, this, &JobStream::keepAlive);
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(0);
    connect(&m_flushTimer, &QTimer::timeout, this, [this] { flush(); });
}

JobStream::~JobStream()
{
    ++m_run;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

template <typename T, typename F>
Callback<T> JobStream::guarded(F f)
{
    return [self = Guard(this), run = m_run, f = std::move(f)](const Reply<T> &r) {
        if (self && self->m_run == run)
            f(r);
    };
}

bool JobStream::wantsLogs() const
{
    return m_options.sources &
           (JobSources(JobSource::Stdout) | JobSource::Stderr | JobSource::VmLog);
}

bool JobStream::wantsMetrics() const
{
    return m_options.sources.testFlag(JobSource::Metric);
}

void JobStream::setState(State state, const QString &message)
{
    if (state == m_state && message == m_stateMessage)
        return;
    m_state = state;
    m_stateMessage = message;
    Q_EMIT stateChanged(m_state, m_stateMessage);
}

void JobStream::start()
{
    if (m_state != State::Idle && m_state != State::Ended && m_state != State::Failed)
        return;
    ++m_run;
    m_finalStatusSeen = false;
    m_ended = false;
    m_serverError.clear();
    m_backoffMs = 0;
    m_heldMetrics.clear();
    m_metricsBehind = false;
    setState(State::LoadingHistory);
    readJob();
    // The series' history while the log's loads; read again once subscribed.
    syncMetrics();
}

void JobStream::stop()
{
    // What has arrived is passed on: the seqs and steps it holds count as
    // seen, and a later start() goes on after them.
    if (m_state == State::Idle || !flush())
        return;
    ++m_run;
    m_retryTimer.stop();
    m_keepAliveTimer.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->close();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    // Live points held for a metric read were not passed on: the next read
    // fetches them again.
    m_heldMetrics.clear();
    m_metricSyncing = false;
    m_metricSyncAgain = false;
    m_metricsBehind = false;
    setState(State::Idle);
}

void JobStream::fail(const QString &message)
{
    if (!flush())
        return;
    ++m_run;
    m_retryTimer.stop();
    m_keepAliveTimer.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    m_metricSyncing = false;
    m_metricSyncAgain = false;
    qCInfo(lcJobStream) << "job" << m_projectId << m_number << "not followed:" << message;
    setState(State::Failed, message);
}

void JobStream::readJob()
{
    // Also what renews an expired access token before a new socket needs
    // it: the session refreshes on the 401 and replays the call.
    m_api->job(m_projectId, m_number, guarded<api::Job>([this](const Reply<api::Job> &r) {
                   if (!r.ok()) {
                       if (transient(r.result))
                           scheduleReconnect(r.message());
                       else
                           fail(r.message());
                       return;
                   }
                   const quint64 run = m_run;
                   takeStatus(r.value.status, r.value.progress);
                   if (run != m_run)
                       return;
                   if (wantsLogs() && !m_historyDone) {
                       setState(State::LoadingHistory);
                       loadLogPage(m_historyCursor);
                   } else {
                       openSocket();
                   }
               }));
}

void JobStream::loadLogPage(const QString &cursor)
{
    LogQuery query;
    query.limit = m_options.logPageSize;
    query.ascending = true;
    query.cursor = cursor;
    if (m_options.sources.testFlag(JobSource::Stdout))
        query.logTypes << u"stdout"_s;
    if (m_options.sources.testFlag(JobSource::Stderr))
        query.logTypes << u"stderr"_s;
    if (m_options.sources.testFlag(JobSource::VmLog))
        query.logTypes << u"vmlog"_s;
    // text_log's node_ranks is strict; the socket's lets platform records
    // through: the same records take -1 here.
    query.nodeRanks = m_options.nodeRanks;
    if (!query.nodeRanks.isEmpty() && !query.nodeRanks.contains(-1))
        query.nodeRanks << -1;
    m_api->jobLogs(m_projectId, m_number, query,
                   guarded<LogPage>([this, cursor](const Reply<LogPage> &r) {
                       if (!r.ok()) {
                           // Resumed at this page once the job can be read again.
                           m_historyCursor = cursor;
                           if (transient(r.result))
                               scheduleReconnect(r.message());
                           else
                               fail(r.message());
                           return;
                       }
                       QList<api::LogRecord> fresh;
                       fresh.reserve(r.value.results.size());
                       for (const api::LogRecord &record : r.value.results) {
                           if (record.seq <= m_lastSeq)
                               continue;
                           m_lastSeq = record.seq;
                           fresh.append(record);
                       }
                       const quint64 run = m_run;
                       if (!fresh.isEmpty())
                           Q_EMIT records(fresh);
                       if (run != m_run)
                           return;
                       if (!r.value.nextCursor.isEmpty()) {
                           m_historyCursor = r.value.nextCursor;
                           loadLogPage(r.value.nextCursor);
                           return;
                       }
                       m_historyDone = true;
                       openSocket();
                   }));
}

void JobStream::openSocket()
{
    QUrl url = m_api->session()->baseUrl();
    url.setScheme(url.scheme() == u"https"_s ? u"wss"_s : u"ws"_s);
    url.setPath(url.path() + u"/ws/project/%1/job/%2/"_s.arg(m_projectId).arg(m_number));
    url.setQuery(QString());
    QNetworkRequest request(url);
    // The header rather than ?token=: a URL with a token ends up in logs.
    request.setRawHeader("Authorization", "Bearer " + m_api->session()->accessToken().toUtf8());

    auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket = socket;
    m_socketError.clear();
    m_pingOutstanding = false;
    connect(socket, &QWebSocket::connected, this, [this, socket] {
        if (socket != m_socket)
            return;
        m_pingOutstanding = false;
        subscribe();
    });
    connect(socket, &QWebSocket::textMessageReceived, this, [this, socket](const QString &text) {
        if (socket == m_socket)
            received(text);
    });
    connect(socket, &QWebSocket::pong, this, [this, socket] {
        if (socket == m_socket)
            m_pingOutstanding = false;
    });
    connect(socket, &QWebSocket::disconnected, this, [this, socket] { connectionLost(socket); });
    connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this, socket](QAbstractSocket::SocketError) {
                if (socket != m_socket)
                    return;
                if (m_socketError.isEmpty())
                    m_socketError = describeError(socket->errorString());
                // A refused upgrade or connection may end without a
                // disconnected(); look once the socket has settled.
                QTimer::singleShot(0, this, [this, socket = QPointer<QWebSocket>(socket)] {
                    if (socket && socket == m_socket &&
                        socket->state() != QAbstractSocket::ConnectedState)
                        connectionLost(socket);
                });
            });
    connect(socket, &QWebSocket::sslErrors, this, [this, socket](const QList<QSslError> &errors) {
        // The one certificate the user chose to trust for this server, as
        // the session accepts it.
        const QSslCertificate trusted = m_api->session()->trustedCertificate();
        if (!trusted.isNull() && socket->sslConfiguration().peerCertificate() == trusted)
            socket->ignoreSslErrors(errors);
    });
    socket->open(request);
    // Qt gives an upgrade no time limit of its own.
    if (m_options.keepAliveMs > 0)
        m_keepAliveTimer.start(m_options.keepAliveMs);
}

void JobStream::subscribe()
{
    QJsonArray sources;
    if (m_options.sources.testFlag(JobSource::Stdout))
        sources << u"process.stdout"_s;
    if (m_options.sources.testFlag(JobSource::Stderr))
        sources << u"process.stderr"_s;
    if (m_options.sources.testFlag(JobSource::VmLog))
        sources << u"process.vmlog"_s;
    // Always: the final status is what tells the end of the job from a
    // dropped connection.
    sources << u"job.status"_s;
    if (wantsMetrics())
        sources << u"job.metric"_s;
    QJsonObject message{{u"type"_s, u"subscribe"_s}, {u"sources"_s, sources}};
    if (!m_options.nodeRanks.isEmpty()) {
        QJsonArray ranks;
        for (int rank : std::as_const(m_options.nodeRanks))
            ranks << rank;
        message.insert(u"node_ranks"_s, ranks);
    }
    // Without log sources the server need not read the log back at all.
    if (wantsLogs())
        message.insert(u"since_seq"_s, m_lastSeq);
    m_socket->sendTextMessage(
        QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
}

void JobStream::received(const QString &text)
{
    m_pingOutstanding = false;
    const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
    const QString responseType = o.value(u"response_type"_s).toString();
    if (responseType == u"subscribe"_s) {
        if (m_subscribedOnce)
            ++m_reconnects;
        m_subscribedOnce = true;
        m_backoffMs = 0;
        qCInfo(lcJobStream) << "job" << m_projectId << m_number << "followed live from seq"
                            << m_lastSeq;
        setState(State::Live);
        // Points reported while no socket listened are in the store.
        syncMetrics();
        return;
    }
    if (responseType == u"error"_s) {
        // The close (1008) follows; the stream fails with this then.
        m_serverError = o.value(u"detail"_s).toString();
        if (m_serverError.isEmpty())
            m_serverError = u"The server refused to follow the job."_s;
        return;
    }
    const QString source = o.value(u"source"_s).toString();
    if (source == u"job.status"_s) {
        const auto status = api::jobStatusFromString(o.value(u"status"_s).toString());
        if (!status)
            return;
        // The records before a status change come before it.
        if (!flush())
            return;
        if (api::isTerminal(*status))
            m_finalStatusSeen = true;
        takeStatus(*status, o.value(u"progress"_s).toDouble());
        return;
    }
    if (source == u"job.metric"_s) {
        takeLiveMetric(o.value(u"name"_s).toString(), api::MetricPoint::fromJson(o));
        return;
    }
    if (o.contains(u"seq"_s))
        takeRecord(api::LogRecord::fromJson(o));
}

void JobStream::connectionLost(QWebSocket *socket)
{
    if (socket != m_socket)
        return; // already handled, or a socket of a past run
    m_socket = nullptr;
    socket->disconnect(this);
    socket->deleteLater();
    m_keepAliveTimer.stop();
    if (!flush())
        return;
    if (!m_serverError.isEmpty()) {
        fail(m_serverError);
        return;
    }
    if (m_finalStatusSeen) {
        // The final status comes after the job's last record: all is here,
        // whether or not the close itself arrived.
        m_ended = true;
        maybeFinish();
        return;
    }
    // The server's reason for a close (1001 "The server is shutting down.",
    // 1008 "Too slow: ..."), else the network's.
    QString reason = socket->closeReason();
    if (reason.isEmpty())
        reason = m_socketError;
    if (reason.isEmpty() && socket->error() != QAbstractSocket::UnknownSocketError)
        reason = socket->errorString();
    if (reason.isEmpty())
        reason = u"The connection to the server was closed."_s;
    scheduleReconnect(reason);
}

void JobStream::keepAlive()
{
    if (!m_socket)
        return;
    if (m_pingOutstanding) {
        QWebSocket *socket = m_socket;
        m_socketError = u"The server stopped answering."_s;
        socket->abort();
        connectionLost(socket);
        return;
    }
    // Each tick asks for a sign of life by the next: a message, a pong, or
    // (still connecting) the upgrade's answer.
    m_pingOutstanding = true;
    if (m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->ping();
}

void JobStream::scheduleReconnect(const QString &reason)
{
    m_backoffMs = m_backoffMs == 0 ? m_options.minBackoffMs
                                   : std::min(m_backoffMs * 2, m_options.maxBackoffMs);
    qCInfo(lcJobStream) << "job" << m_projectId << m_number << "connection lost:" << reason
                        << "- trying again in" << m_backoffMs << "ms";
    setState(State::Reconnecting, reason);
    m_retryTimer.start(m_backoffMs);
}

void JobStream::takeRecord(const api::LogRecord &record)
{
    if (record.seq <= m_lastSeq)
        return;
    m_lastSeq = record.seq;
    m_pendingRecords.append(record);
    if (m_pendingRecords.size() >= kMaxPendingRecords)
        flush();
    else if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void JobStream::takeStatus(api::JobStatus status, double progress)
{
    if (m_haveStatus && status == m_status && progress == m_progress)
        return;
    m_haveStatus = true;
    m_status = status;
    m_progress = progress;
    if (m_options.sources.testFlag(JobSource::Status))
        Q_EMIT statusChanged(m_status, m_progress);
}

void JobStream::syncMetrics()
{
    if (!wantsMetrics())
        return;
    // From now until a read is complete, live points wait for it: passing
    // one on would move the series' last step past points not read yet.
    m_metricsBehind = true;
    if (m_metricSyncing) {
        m_metricSyncAgain = true;
        return;
    }
    m_metricSyncing = true;
    m_metricSyncAgain = false;
    m_api->jobMetrics(m_projectId, m_number,
                      guarded<QList<MetricInfo>>([this](const Reply<QList<MetricInfo>> &r) {
                          if (!r.ok()) {
                              metricSyncFailed(r.result);
                              return;
                          }
                          m_metricQueue.clear();
                          for (const MetricInfo &info : r.value)
                              m_metricQueue << info.name;
                          pageMetric();
                      }));
}

void JobStream::pageMetric()
{
    if (m_metricQueue.isEmpty()) {
        metricSyncDone();
        return;
    }
    const QString name = m_metricQueue.first();
    const auto last = m_lastStep.constFind(name);
    const bool known = last != m_lastStep.constEnd();
    // metricPoints() leaves since_step out unless it is above 0: from the
    // start, and the points already passed on are dropped below.
    const qint64 since = known ? *last : 0;
    m_api->metricPoints(
        m_projectId, m_number, name, since, m_options.metricPageSize,
        guarded<QList<api::MetricPoint>>([this, name](const Reply<QList<api::MetricPoint>> &r) {
            if (!r.ok()) {
                metricSyncFailed(r.result);
                return;
            }
            // Live points gathered before this read began go first.
            if (!flush())
                return;
            const quint64 run = m_run;
            QList<api::MetricPoint> fresh;
            auto last = m_lastStep.find(name);
            for (const api::MetricPoint &p : r.value) {
                if (last != m_lastStep.end() && p.step <= *last)
                    continue;
                last = m_lastStep.insert(name, p.step);
                fresh.append(p);
            }
            if (!fresh.isEmpty())
                Q_EMIT metricPoints(name, fresh);
            if (run != m_run)
                return;
            // A full page that moved on: there may be more. (One that did
            // not, say a series of steps at or below 0, is all there is to
            // have.)
            if (r.value.size() < m_options.metricPageSize || fresh.isEmpty())
                m_metricQueue.removeFirst();
            pageMetric();
        }));
}

void JobStream::metricSyncFailed(const ApiResult &result)
{
    m_metricSyncing = false;
    if (!transient(result)) {
        fail(result.message);
        return;
    }
    // Live points keep waiting; the read is tried again, or (the socket
    // having dropped) by the next subscription.
    m_metricSyncAgain = false;
    QTimer::singleShot(std::max(m_options.minBackoffMs, 1) * 2, this,
                       [this, self = Guard(this), run = m_run] {
                           if (self && m_run == run && !m_metricSyncing)
                               syncMetrics();
                       });
}

void JobStream::metricSyncDone()
{
    m_metricSyncing = false;
    if (m_metricSyncAgain) {
        m_metricSyncAgain = false;
        syncMetrics();
        return;
    }
    m_metricsBehind = false;
    const QList<std::pair<QString, api::MetricPoint>> held = std::exchange(m_heldMetrics, {});
    for (const auto &[name, point] : held)
        takeLiveMetric(name, point);
    if (flush())
        maybeFinish();
}

void JobStream::takeLiveMetric(const QString &name, const api::MetricPoint &point)
{
    if (m_metricsBehind) {
        m_heldMetrics.append({name, point});
        return;
    }
    auto last = m_lastStep.find(name);
    if (last != m_lastStep.end() && point.step <= *last)
        return;
    m_lastStep.insert(name, point.step);
    auto pending = m_pendingMetrics.find(name);
    if (pending == m_pendingMetrics.end()) {
        m_pendingMetricOrder << name;
        pending = m_pendingMetrics.insert(name, {});
    }
    pending->append(point);
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

bool JobStream::flush()
{
    m_flushTimer.stop();
    const quint64 run = m_run;
    if (!m_pendingRecords.isEmpty()) {
        const QList<api::LogRecord> batch = std::exchange(m_pendingRecords, {});
        Q_EMIT records(batch);
        if (run != m_run)
            return false;
    }
    const QStringList order = std::exchange(m_pendingMetricOrder, {});
    const QHash<QString, QList<api::MetricPoint>> points = std::exchange(m_pendingMetrics, {});
    for (const QString &name : order) {
        Q_EMIT metricPoints(name, points.value(name));
        if (run != m_run)
            return false;
    }
    return true;
}

void JobStream::maybeFinish()
{
    if (!m_ended || m_metricsBehind || !flush())
        return;
    ++m_run;
    m_retryTimer.stop();
    m_ended = false;
    qCInfo(lcJobStream) << "job" << m_projectId << m_number << "has ended; followed to seq"
                        << m_lastSeq;
    setState(State::Ended);
    Q_EMIT finished();
}

} // namespace pf::network
