// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include "server/http/websockethandler.h"
#include "server/jobs/jobevents.h"

namespace pf::server {

struct ServerContext;

// What a follower asked for in its last subscribe message:
//   {"type": "subscribe", "sources": [...], "node_ranks": [...], "since_seq": N}
// `sources` among process.stdout, process.stderr, process.vmlog, job.status
// and job.metric; names this server does not know are left out of the
// accepted set (which the answer lists), so newer clients still work, but
// at least one must be known. `node_ranks` (optional, empty = every node)
// filters the records of nodes; platform records (node_rank -1) pass it
// always, since they belong to no node: `process.vmlog` is what selects
// them. `since_seq` (optional, a pfstudio addition) asks for the stored
// records after that seq before the live ones. Unknown keys are ignored.
struct LogSubscription
{
    QStringList sources;    // accepted, in the client's order, no repeats
    QSet<QString> logTypes; // stdout, stderr, vmlog
    bool status = false;
    bool metric = false;
    QSet<int> nodeRanks; // empty: every node
    std::optional<qint64> sinceSeq;

    // nullopt and a sentence in *error when the message is not a valid
    // subscribe message.
    static std::optional<LogSubscription> parse(std::string_view text, QString *error);
    bool wantsRecord(const QString &type, int nodeRank) const;
};

// One follower of one job's log on the log websocket (API.md, "Log records
// and the log websocket"; docs/api.md has the choices made here).
//
// The first subscribe subscribes to JobEvents, then (on a worker) reads the
// job's state and the stored records after the starting point: since_seq,
// or else the log's last seq when the upgrade was accepted, so that nothing
// appended between the upgrade and the subscribe is missed. Live events that
// arrive meanwhile are held and passed on afterwards, records deduplicated by
// seq, so the follower sees every record exactly once and in seq order. Long
// catch-ups go page by page, each page read once the client has taken the
// previous one. A live record whose seq skips ahead (records that were not
// published to followers) sends the follower back to the store for the gap.
//
// The socket closes with 1000 after the final job.status event (the job has
// ended; its closing platform record comes before it), or at once after the
// catch-up when the job had already ended. A malformed message gets
// {"response_type": "error", "detail"} and a 1008 close.
//
// Threads: a WebSocketHandler, so every member runs on the connection's
// strand; the JobEvents listener only posts there.
class LogFollower final : public WebSocketHandler
{
public:
    // `acceptedSeq`: the job log's last seq when the upgrade was accepted.
    LogFollower(ServerContext &ctx, QString jobId, qint64 acceptedSeq);
    ~LogFollower() override;
    LogFollower(const LogFollower &) = delete;
    LogFollower &operator=(const LogFollower &) = delete;

    void opened(WebSocketLink link) override;
    void received(std::string_view text) override;
    void drained() override;
    void closed() override;

    // How many stored records one catch-up read takes.
    static constexpr int PageSize = 256;

private:
    struct Fetched;
    struct Inbox;
    void subscribe(std::string_view text);
    void takeInbox();
    void fetch();
    void onFetched(const Fetched &fetched);
    void onEvent(const JobEvent &event);
    void deliver(const JobEvent &event);
    void send(const QJsonObject &message);
    void end();
    void refuse(const QString &detail);
    void stopListening();

    ServerContext &m_ctx;
    const QString m_jobId;
    const qint64 m_acceptedSeq;
    WebSocketLink m_link;
    quint64 m_listener = 0;
    std::shared_ptr<Inbox> m_inbox; // live events on their way to the strand
    std::optional<LogSubscription> m_sub;
    qint64 m_nextSeq = 1;       // the lowest log seq not yet passed on
    qint64 m_gapFetchedFor = 0; // the live record whose gap was last taken from the store
    bool m_catchingUp = false;  // a store read is under way or due
    bool m_waitingForDrain = false;
    bool m_ending = false;
    std::deque<JobEvent> m_held;        // live events that came while catching up
    std::deque<std::string> m_deferred; // subscribe messages that came meanwhile
};

} // namespace pf::server
