// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <optional>

#include <QJsonObject>
#include <QSqlDatabase>
#include <QStringList>

#include "api/jobstatus.h"
#include "api/page.h"
#include "api/vm.h"
#include "server/store/pagination.h"

namespace pf::server {

// A job as stored, with the names the API shows next to its ids.
struct JobRecord
{
    QString id;
    QString projectId;
    qint64 number = 0;
    QString name;
    api::JobStatus status = api::JobStatus::Waiting;
    qint64 experimentId = 0;
    QString experimentName;
    api::VmConfig vmConfig;
    int numDevices = 1;
    int numNodes = 1;
    QString userId;
    QString username;
    qint64 createdAtMs = 0;
    qint64 startedAtMs = 0;  // 0: not yet
    qint64 finishedAtMs = 0; // 0: not yet
    double progress = 0;
    qint64 step = 0;
    qint64 totalSteps = 0;
    QString errorMessage;
    QJsonObject config;
    qint64 stopRequestedAtMs = 0;
    qint64 seq = 0;
};

struct NewJob
{
    QString projectId;
    QString userId;
    QString name;
    qint64 experimentId = 0;
    qint64 vmConfigId = 0;
    int numDevices = 1;
    int numNodes = 1;
    QJsonObject config;
};

// The filters of GET /api/project/{pid}/job/.
struct JobFilter
{
    qint64 createdSinceMs = 0; // 0: no bound
    qint64 createdUntilMs = 0;
    QString name; // exact job name
    QString vmCode;
    QList<api::JobStatus> statuses;
    QStringList userIds;
};

struct JobNode
{
    int rank = 0;
    QString status; // pending | launched | preparing | running | exited
    qint64 pid = 0;
    QString pidStart; // the process's start time, to tell a reused pid apart
    std::optional<int> exitCode;
    QString message;
    qint64 ackedSeq = 0;
    qint64 lastReportMs = 0;
};

// Jobs, their nodes and their status changes. Status changes are
// compare-and-set: a change that is not legal from the stored status (API.md's
// lifecycle, api::isLegalTransition) does nothing and says so.
class JobRepo
{
public:
    explicit JobRepo(QSqlDatabase db);

    // Numbers the job within its project (1, 2, ...). Call inside a transaction.
    JobRecord create(const NewJob &job);
    std::optional<JobRecord> byNumber(const QString &projectId, qint64 number);
    std::optional<JobRecord> byId(const QString &jobId);
    // Newest first.
    api::Page<JobRecord> list(const QString &projectId, const JobFilter &filter,
                              const PageRequest &page);
    QList<JobRecord> withStatus(const QList<api::JobStatus> &statuses);
    void remove(const QString &jobId);

    // Moves the job to `to` if that is legal from its stored status; sets
    // started_at on `started`, finished_at on a terminal status, and the
    // error message when one is given. Returns false when it was not legal.
    bool transition(const QString &jobId, api::JobStatus to, const QString &errorMessage = {});
    void setStopRequested(const QString &jobId);
    void setProgress(const QString &jobId, qint64 step, qint64 totalSteps);

    void addNodes(const QString &jobId, int count);
    QList<JobNode> nodes(const QString &jobId);
    void setNodeLaunched(const QString &jobId, int rank, qint64 pid, const QString &pidStart);
    void setNodeStatus(const QString &jobId, int rank, const QString &status,
                       std::optional<int> exitCode, const QString &message);
    void setNodeAcked(const QString &jobId, int rank, qint64 ackedSeq, qint64 nowMs);

private:
    QSqlDatabase m_db;
};

} // namespace pf::server
