// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "logfollower.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <vector>

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

#include "api/json.h"
#include "server/handlers/servercontext.h"
#include "server/store/database.h"
#include "server/store/jobrepo.h"
#include "server/store/logstore.h"

Q_LOGGING_CATEGORY(lcLogSocket, "pf.logsocket")

namespace pf::server {

using CloseCode = WebSocketLink::CloseCode;

namespace {

// Live events held while catching up from the store; a client that keeps
// us catching up for longer is too slow to follow the job.
constexpr std::size_t kMaxHeld = 100'000;
// Subscribe messages waiting for a catch-up to end.
constexpr std::size_t kMaxDeferred = 16;
// Catch-up pages are read while less than this is waiting to be written.
constexpr std::size_t kCatchUpQueueBytes = 4 * 1024 * 1024;
// A job seen ended whose closing record is not stored yet is finishing at
// this very moment: its last record and final status follow within this.
constexpr std::chrono::milliseconds kEndGrace{2000};

const QStringList kSources{QStringLiteral("process.stdout"), QStringLiteral("process.stderr"),
                           QStringLiteral("process.vmlog"), QStringLiteral("job.status"),
                           QStringLiteral("job.metric")};

std::optional<qint64> wholeNumber(const QJsonValue &v, double min, double max)
{
    if (!v.isDouble())
        return std::nullopt;
    const double d = v.toDouble();
    if (d != std::floor(d) || d < min || d > max)
        return std::nullopt;
    return qint64(d);
}

QJsonObject recordJson(const StoredLogRecord &r)
{
    return toApi(r).toJson();
}

qint64 seqOf(const JobEvent &e)
{
    return e.payload.value(QStringLiteral("seq")).toInteger();
}

} // namespace

std::optional<LogSubscription> LogSubscription::parse(std::string_view text, QString *error)
{
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(
        QByteArray::fromRawData(text.data(), qsizetype(text.size())), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        *error =
            QStringLiteral("A message must be a JSON object: "
                           "{\"type\": \"subscribe\", \"sources\": [...], \"node_ranks\": [...]}.");
        return std::nullopt;
    }
    const QJsonObject o = doc.object();
    const QString type = o.value(QStringLiteral("type")).toString();
    if (type != u"subscribe") {
        *error = QStringLiteral("Unknown message type '%1'; the only message is "
                                "{\"type\": \"subscribe\", ...}.")
                     .arg(type.left(32));
        return std::nullopt;
    }
    LogSubscription s;
    const QJsonValue sources = o.value(QStringLiteral("sources"));
    if (!sources.isArray()) {
        *error = QStringLiteral("`sources` must be a list of source names.");
        return std::nullopt;
    }
    for (const QJsonValue &v : sources.toArray()) {
        if (!v.isString()) {
            *error = QStringLiteral("`sources` must be a list of source names.");
            return std::nullopt;
        }
        const QString name = v.toString();
        if (!kSources.contains(name) || s.sources.contains(name))
            continue; // unknown names are left out of the accepted set
        s.sources << name;
        if (name == u"job.status")
            s.status = true;
        else if (name == u"job.metric")
            s.metric = true;
        else
            s.logTypes.insert(name.mid(8)); // process.stdout -> stdout
    }
    if (s.sources.isEmpty()) {
        *error = QStringLiteral("Subscribe to at least one of %1.").arg(kSources.join(u", "));
        return std::nullopt;
    }
    const QJsonValue ranks = o.value(QStringLiteral("node_ranks"));
    if (!ranks.isUndefined() && !ranks.isNull()) {
        const QJsonArray list = ranks.toArray();
        if (!ranks.isArray() || list.size() > 4096) {
            *error = QStringLiteral("`node_ranks` must be a list of node ranks.");
            return std::nullopt;
        }
        for (const QJsonValue &v : list) {
            const auto rank = wholeNumber(v, -1, 1 << 20);
            if (!rank) {
                *error = QStringLiteral("`node_ranks` must be a list of node ranks (whole "
                                        "numbers, -1 for platform records).");
                return std::nullopt;
            }
            s.nodeRanks.insert(int(*rank));
        }
    }
    const QJsonValue since = o.value(QStringLiteral("since_seq"));
    if (!since.isUndefined() && !since.isNull()) {
        s.sinceSeq = wholeNumber(since, 0, 9e15);
        if (!s.sinceSeq) {
            *error = QStringLiteral("`since_seq` must be a seq (a whole number, 0 or more).");
            return std::nullopt;
        }
    }
    return s;
}

bool LogSubscription::wantsRecord(const QString &type, int nodeRank) const
{
    return logTypes.contains(type) &&
           (nodeRanks.isEmpty() || nodeRank < 0 || nodeRanks.contains(nodeRank));
}

// One catch-up read, made on a worker.
struct LogFollower::Fetched
{
    bool failed = false;
    bool jobGone = false;
    bool ended = false;       // the job had ended when it was read
    bool endRecorded = false; // ... and its closing platform record is stored
    QJsonObject status;       // the job.status message for the job as read
    QList<StoredLogRecord> records;
    bool more = false; // records lie beyond this page

    static Fetched read(ServerContext &ctx, const QString &jobId, qint64 after)
    {
        Fetched f;
        try {
            // The job first, then its records: a job read as ended has
            // appended everything but its closing record, which finish()
            // writes after the status change.
            const auto job = JobRepo(ctx.db.connection()).byId(jobId);
            if (!job) {
                f.jobGone = true;
                return f;
            }
            f.ended = api::isTerminal(job->status);
            f.status = {{QStringLiteral("source"), QStringLiteral("job.status")},
                        {QStringLiteral("status"), api::toString(job->status)},
                        {QStringLiteral("progress"), job->progress}};
            LogQuery page;
            page.ascending = true;
            page.limit = PageSize;
            page.cursor = after;
            LogPage read = ctx.logs.read(jobId, page);
            f.records = std::move(read.records);
            f.more = read.nextCursor != 0;
            if (f.ended && !f.more) {
                LogQuery closing; // the newest platform record
                closing.limit = 1;
                closing.types = {QStringLiteral("vmlog")};
                closing.nodeRanks = {-1};
                const LogPage last = ctx.logs.read(jobId, closing);
                f.endRecorded =
                    !last.records.isEmpty() && last.records.front().timeMs >= job->finishedAtMs;
            }
        } catch (const std::exception &e) {
            qCWarning(lcLogSocket) << "cannot read the log of job" << jobId << e.what();
            f.failed = true;
        }
        return f;
    }
};

// Events cross from the publishing thread to the strand in batches: one
// post per burst (a report's records), not one per event.
struct LogFollower::Inbox
{
    std::mutex mutex;
    std::vector<JobEvent> events;
    bool posted = false;
};

LogFollower::LogFollower(ServerContext &ctx, QString jobId, qint64 acceptedSeq)
    : m_ctx(ctx)
    , m_jobId(std::move(jobId))
    , m_acceptedSeq(acceptedSeq)
    , m_inbox(std::make_shared<Inbox>())
{}

LogFollower::~LogFollower()
{
    stopListening();
}

void LogFollower::opened(WebSocketLink link)
{
    m_link = std::move(link);
}

void LogFollower::received(std::string_view text)
{
    if (m_ending)
        return;
    if (m_catchingUp) {
        if (m_deferred.size() >= kMaxDeferred) {
            refuse(QStringLiteral("Too many subscribe messages at once."));
            return;
        }
        m_deferred.emplace_back(text);
        return;
    }
    subscribe(text);
}

void LogFollower::subscribe(std::string_view text)
{
    QString error;
    auto sub = LogSubscription::parse(text, &error);
    if (!sub) {
        refuse(error);
        return;
    }
    const bool first = !m_sub;
    m_sub = std::move(*sub);
    send({{QStringLiteral("response_type"), QStringLiteral("subscribe")},
          {QStringLiteral("sources"), QJsonArray::fromStringList(m_sub->sources)}});
    if (first) {
        // Listen before reading anything, so that nothing published from now
        // on can fall between the read and the live events.
        m_listener = m_ctx.events.subscribe(
            m_jobId, [this, link = m_link, inbox = m_inbox](const JobEvent &e) {
                {
                    std::lock_guard lock(inbox->mutex);
                    inbox->events.push_back(e);
                    if (inbox->posted)
                        return;
                    inbox->posted = true;
                }
                link.post([this] { takeInbox(); });
            });
        m_nextSeq = m_sub->sinceSeq.value_or(m_acceptedSeq) + 1;
        fetch();
    } else if (m_sub->sinceSeq) {
        m_nextSeq = *m_sub->sinceSeq + 1;
        fetch();
    }
}

void LogFollower::fetch()
{
    m_catchingUp = true;
    m_link.runOnWorker([&ctx = m_ctx, jobId = m_jobId, after = m_nextSeq - 1, link = m_link, this] {
        Fetched f = Fetched::read(ctx, jobId, after);
        // `this` is touched only on the strand, and only while it lives.
        link.post([this, f = std::move(f)] { onFetched(f); });
    });
}

void LogFollower::onFetched(const Fetched &f)
{
    if (m_ending)
        return;
    if (f.failed) {
        m_ending = true;
        stopListening();
        m_link.close(CloseCode::internal_error, "The job's log cannot be read right now.");
        return;
    }
    if (f.jobGone) {
        m_ending = true;
        stopListening();
        m_link.close(CloseCode::normal, "The job was deleted.");
        return;
    }
    for (const StoredLogRecord &r : f.records) {
        if (r.seq < m_nextSeq)
            continue;
        m_nextSeq = r.seq + 1;
        if (m_sub->wantsRecord(r.type, r.nodeRank))
            send(recordJson(r));
    }
    if (f.more) {
        // Held records the store has now given are not needed any more.
        m_held.erase(std::remove_if(m_held.begin(), m_held.end(),
                                    [this](const JobEvent &e) {
                                        return e.kind == JobEvent::Kind::Log &&
                                               seqOf(e) < m_nextSeq;
                                    }),
                     m_held.end());
        if (m_link.queuedBytes() > kCatchUpQueueBytes)
            m_waitingForDrain = true;
        else
            fetch();
        return;
    }
    // Caught up: what came meanwhile, then live.
    m_catchingUp = false;
    std::deque<JobEvent> held;
    held.swap(m_held);
    for (const JobEvent &e : held) {
        if (m_catchingUp) { // a gap sent us back to the store
            m_held.push_back(e);
            continue;
        }
        deliver(e);
        if (m_ending)
            return;
    }
    if (m_catchingUp)
        return;
    if (f.ended) {
        const auto finalStatus = [this, status = f.status] {
            if (m_ending)
                return;
            if (m_sub->status)
                send(status);
            end();
        };
        if (f.endRecorded)
            finalStatus();
        else
            m_link.postAfter(kEndGrace, finalStatus);
        if (m_ending)
            return;
    }
    while (!m_deferred.empty() && !m_catchingUp && !m_ending) {
        const std::string next = std::move(m_deferred.front());
        m_deferred.pop_front();
        subscribe(next);
    }
}

void LogFollower::drained()
{
    if (m_waitingForDrain && !m_ending) {
        m_waitingForDrain = false;
        fetch();
    }
}

void LogFollower::takeInbox()
{
    std::vector<JobEvent> events;
    {
        std::lock_guard lock(m_inbox->mutex);
        events.swap(m_inbox->events);
        m_inbox->posted = false;
    }
    for (const JobEvent &e : events)
        onEvent(e);
}

void LogFollower::onEvent(const JobEvent &event)
{
    if (m_ending)
        return;
    if (!m_catchingUp) {
        deliver(event);
        return;
    }
    if (m_held.size() >= kMaxHeld) {
        m_ending = true;
        stopListening();
        m_link.close(CloseCode::policy_error,
                     "Too slow: the client fell too far behind the job's log. Reconnect and "
                     "resume by seq.");
        return;
    }
    m_held.push_back(event);
}

void LogFollower::deliver(const JobEvent &event)
{
    switch (event.kind) {
    case JobEvent::Kind::Log: {
        const qint64 seq = seqOf(event);
        if (seq < m_nextSeq)
            return; // already passed on from the store
        if (seq > m_nextSeq && m_gapFetchedFor != seq) {
            // Records before this one did not come live (published before
            // this follower listened, or not published at all): take them
            // from the store first. Once per record: if the store has not
            // got them either, they are gone.
            m_gapFetchedFor = seq;
            m_held.push_back(event);
            fetch();
            return;
        }
        m_nextSeq = seq + 1;
        if (m_sub->wantsRecord(event.payload.value(QStringLiteral("type")).toString(),
                               event.payload.value(QStringLiteral("node_rank")).toInt()))
            send(event.payload);
        return;
    }
    case JobEvent::Kind::Status:
        if (m_sub->status)
            send(event.payload);
        if (event.final)
            end();
        return;
    case JobEvent::Kind::Metric:
        if (m_sub->metric)
            send(event.payload);
        return;
    }
}

void LogFollower::send(const QJsonObject &message)
{
    const QByteArray json = QJsonDocument(message).toJson(QJsonDocument::Compact);
    m_link.send(std::string(json.constData(), std::size_t(json.size())));
}

void LogFollower::end()
{
    m_ending = true;
    stopListening();
    m_link.close(CloseCode::normal, "The job has ended.");
}

void LogFollower::refuse(const QString &detail)
{
    send({{QStringLiteral("response_type"), QStringLiteral("error")},
          {QStringLiteral("detail"), detail}});
    m_ending = true;
    stopListening();
    m_link.close(CloseCode::policy_error, "Not a valid subscribe message.");
}

void LogFollower::closed()
{
    m_ending = true;
    stopListening();
    m_held.clear();
    m_deferred.clear();
}

void LogFollower::stopListening()
{
    if (m_listener) {
        m_ctx.events.unsubscribe(m_listener);
        m_listener = 0;
    }
}

} // namespace pf::server
