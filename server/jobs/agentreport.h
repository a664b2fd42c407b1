// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <optional>
#include <utility>

#include <QByteArray>
#include <QList>
#include <QString>

#include "server/store/logstore.h"
#include "server/store/metricrepo.h"

namespace pf::server {

// A node status an agent reports: "preparing", "running" or "exited".
struct AgentStatus
{
    QString status;
    std::optional<int> exitCode; // exited only
    QString message;
};

// An agent's report, {"records": [...]} (docs/jobs.md, "The agent
// protocol"), parsed. Reports are the bulk of what pfd reads: a job printing
// as fast as it can sends a million records in a few dozen bodies. So the
// body is parsed in place, and log contents are views into it (valid as long
// as this object lives), with no QJsonDocument and no UTF-16 in between.
//
//   const AgentReport report = AgentReport::parse(body, rank);  // throws ApiError 400
//   for (const AgentReport::Entry &e : report.entries) ...      // in seq order
//
// Each record's data sits in the list of its kind, in order; entries tell
// the kind, seq and index of each record. The parser refuses (ApiError 400,
// naming the record) what is not JSON or not valid UTF-8, a record that is
// not an object, a missing or mistyped field, an unknown kind, log type or
// status, and seqs that do not increase. Unknown fields are ignored (a newer
// agent may send more).
class AgentReport
{
public:
    enum class Kind { Log, Metric, Progress, Status };
    struct Entry
    {
        qint64 seq;
        Kind kind;
        qsizetype index; // into the list of its kind
    };

    static AgentReport parse(QByteArray body, int nodeRank);

    QList<Entry> entries;
    // node_rank is the reporting node's, or -1 for vmlog records.
    QList<LogRecordIn> logs;
    QList<MetricSample> metrics;
    QList<std::pair<qint64, qint64>> progress; // (step, total)
    QList<AgentStatus> statuses;

private:
    QByteArray m_text; // the body, parsed in place; logs point into it
};

} // namespace pf::server
