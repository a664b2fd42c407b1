// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <array>
#include <mutex>

#include <QJsonArray>
#include <QJsonObject>
#include <QSqlDatabase>

#include "api/jobstatus.h"
#include "server/jobs/agentreport.h"

namespace pf::server {

class AuthService;
class Database;
class Executor;
class JobEvents;
class LogStore;
struct JobRecord;
struct ServerConfig;

struct JobPaths
{
    QString jobsDir;    // DATA_DIR/jobs
    QString objectsDir; // DATA_DIR/objects
    QString serverFile; // DATA_DIR/run/pfd.url, read by agents
    QString sdkPath;    // sdk/python, mounted into every job
};

// The life of jobs, in one place: admission under quotas and VM locks,
// launching agents through the executor, applying what agents report (in
// sequence, exactly once), stopping, and picking jobs up again after a pfd
// restart. Used by the job and agent handlers (worker threads) and the
// scheduler thread; thread-safe, with one lock per job for report handling.
class JobService
{
public:
    JobService(Database &db, const ServerConfig &config, AuthService &auth, LogStore &logs,
               JobEvents &events, Executor &executor, JobPaths paths);

    const JobPaths &paths() const { return m_paths; }
    QString jobDir(const QString &jobId) const;

    // Appends a platform record (node_rank -1) and tells followers.
    void platformLog(const QString &jobId, const QString &text);

    // cancel: a job not yet started; terminate: a started one. Throw
    // ApiError 409 when the job is in another state.
    void cancel(const QString &jobId);
    void terminate(const QString &jobId);

    // /agent/: the node's spec, and applying a report. Throw ApiError.
    QJsonObject nodeSpec(const QString &jobId, int rank);
    QJsonObject applyReport(const QString &jobId, int rank, const AgentReport &report);

    // One scheduling pass (the scheduler thread calls it).
    void tick();
    // After a restart: reattach to live agents, fail jobs whose agents are gone.
    void recover();

private:
    std::mutex &jobLock(const QString &jobId);
    // Walks the lifecycle from the stored status to `to` through the legal
    // steps (waiting -> enqueued -> started -> allocating -> preparing ->
    // running), publishing each change.
    bool advance(QSqlDatabase &db, const QString &jobId, api::JobStatus to);
    // Moves a job to a terminal status, releases its locks, writes the
    // closing platform record and asks its agents to stop.
    void finish(QSqlDatabase &db, const QString &jobId, api::JobStatus status,
                const QString &errorMessage, const QString &platformText);
    void publishStatus(QSqlDatabase &db, const QString &jobId);
    void admit(QSqlDatabase &db, const JobRecord &job);
    void checkAgents(QSqlDatabase &db, const JobRecord &job, qint64 now);
    void killAgents(QSqlDatabase &db, const QString &jobId);

    Database &m_db;
    const ServerConfig &m_config;
    AuthService &m_auth;
    LogStore &m_logs;
    JobEvents &m_events;
    Executor &m_executor;
    JobPaths m_paths;
    std::array<std::mutex, 64> m_jobLocks;
    std::mutex m_tickMutex;
};

} // namespace pf::server
