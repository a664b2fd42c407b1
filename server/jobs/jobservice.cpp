// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "jobservice.h"

#include <sys/wait.h>

#include <QDateTime>
#include <QDir>
#include <QLoggingCategory>

#include "api/apierror.h"
#include "api/json.h"
#include "server/auth/authservice.h"
#include "server/config.h"
#include "server/jobs/executor.h"
#include "server/jobs/jobevents.h"
#include "server/storage/localobjectstore.h"
#include "server/storage/objectkeys.h"
#include "server/store/checkpointrepo.h"
#include "server/store/database.h"
#include "server/store/jobrepo.h"
#include "server/store/logstore.h"
#include "server/store/metricrepo.h"
#include "server/store/vmrepo.h"

Q_LOGGING_CATEGORY(lcJobs, "pf.jobs")

namespace pf::server {

using api::ApiError;
using api::JobStatus;

namespace {

const QList<JobStatus> kChain{JobStatus::Waiting,    JobStatus::Enqueued,  JobStatus::Started,
                              JobStatus::Allocating, JobStatus::Preparing, JobStatus::Running};

const QList<JobStatus> kActive{JobStatus::Allocating, JobStatus::Preparing, JobStatus::Running,
                               JobStatus::Terminating};

QJsonObject logJson(const StoredLogRecord &r)
{
    return toApi(r).toJson();
}

AgentHandle handleOf(const JobNode &n)
{
    return {n.rank, n.pid, n.pidStart};
}

} // namespace

JobService::JobService(Database &db, const ServerConfig &config, AuthService &auth, LogStore &logs,
                       JobEvents &events, Executor &executor, JobPaths paths)
    : m_db(db)
    , m_config(config)
    , m_auth(auth)
    , m_logs(logs)
    , m_events(events)
    , m_executor(executor)
    , m_paths(std::move(paths))
{}

QString JobService::jobDir(const QString &jobId) const
{
    return m_paths.jobsDir + u'/' + jobId;
}

std::mutex &JobService::jobLock(const QString &jobId)
{
    return m_jobLocks[qHash(jobId) % m_jobLocks.size()];
}

void JobService::platformLog(const QString &jobId, const QString &text)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 seq = m_logs.append(jobId, {{text.toUtf8(), now, QStringLiteral("vmlog"), -1}});
    m_events.publish(jobId, {JobEvent::Kind::Log,
                             logJson({seq, text, now, QStringLiteral("vmlog"), -1}), false});
}

void JobService::publishStatus(QSqlDatabase &db, const QString &jobId)
{
    const auto job = JobRepo(db).byId(jobId);
    if (!job)
        return;
    m_events.publish(jobId, {JobEvent::Kind::Status,
                             {{QStringLiteral("source"), QStringLiteral("job.status")},
                              {QStringLiteral("status"), api::toString(job->status)},
                              {QStringLiteral("progress"), job->progress}},
                             api::isTerminal(job->status)});
}

bool JobService::advance(QSqlDatabase &db, const QString &jobId, JobStatus to)
{
    JobRepo jobs(db);
    const auto job = jobs.byId(jobId);
    if (!job)
        return false;
    const qsizetype from = kChain.indexOf(job->status);
    const qsizetype target = kChain.indexOf(to);
    if (from < 0 || target < 0 || target <= from)
        return false;
    for (qsizetype i = from + 1; i <= target; ++i) {
        if (!jobs.transition(jobId, kChain[i]))
            return false;
        publishStatus(db, jobId);
    }
    return true;
}

void JobService::finish(QSqlDatabase &db, const QString &jobId, JobStatus status,
                        const QString &errorMessage, const QString &platformText)
{
    JobRepo jobs(db);
    if (status == JobStatus::Success)
        advance(db, jobId, JobStatus::Running);
    if (!jobs.transition(jobId, status, errorMessage))
        return;
    VmRepo(db).releaseLocks(jobId);
    jobs.setStopRequested(jobId);
    if (!platformText.isEmpty())
        platformLog(jobId, platformText);
    publishStatus(db, jobId);
    qCInfo(lcJobs) << "job" << jobId << api::toString(status) << errorMessage;
}

void JobService::cancel(const QString &jobId)
{
    std::lock_guard lock(jobLock(jobId));
    QSqlDatabase db = m_db.connection();
    JobRepo jobs(db);
    const auto job = jobs.byId(jobId);
    if (!job)
        throw ApiError::notFound(QStringLiteral("No such job."));
    if (job->status != JobStatus::Waiting && job->status != JobStatus::Enqueued)
        throw ApiError::conflict(QStringLiteral("Only a job that has not started can be cancelled; "
                                                "this one is %1. Terminate it instead.")
                                     .arg(api::toString(job->status)));
    // Straight through cancelling: nothing runs yet.
    if (!jobs.transition(jobId, JobStatus::Cancelling))
        throw ApiError::conflict(
            QStringLiteral("The job started meanwhile; terminate it instead."));
    publishStatus(db, jobId);
    finish(db, jobId, JobStatus::Cancelled, {}, QStringLiteral("Job cancelled."));
}

void JobService::terminate(const QString &jobId)
{
    std::lock_guard lock(jobLock(jobId));
    QSqlDatabase db = m_db.connection();
    JobRepo jobs(db);
    const auto job = jobs.byId(jobId);
    if (!job)
        throw ApiError::notFound(QStringLiteral("No such job."));
    if (!kActive.contains(job->status) && job->status != JobStatus::Started)
        throw ApiError::conflict(
            job->status == JobStatus::Waiting || job->status == JobStatus::Enqueued
                ? QStringLiteral("The job has not started; cancel it instead.")
                : QStringLiteral("The job is %1; there is nothing to terminate.")
                      .arg(api::toString(job->status)));
    if (job->status == JobStatus::Terminating)
        return; // already on its way
    if (!jobs.transition(jobId, JobStatus::Terminating))
        throw ApiError::conflict(QStringLiteral("The job changed meanwhile; try again."));
    jobs.setStopRequested(jobId);
    platformLog(jobId, QStringLiteral("Termination requested; the job gets %1 seconds to save.")
                           .arg(m_config.jobGraceSecs));
    publishStatus(db, jobId);
    // A job whose agents have not reported yet has nothing to save.
    bool anyStarted = false;
    for (const JobNode &n : jobs.nodes(jobId))
        anyStarted = anyStarted || (n.status != u"pending" && n.status != u"exited");
    if (!anyStarted)
        finish(db, jobId, JobStatus::Terminated, {}, QStringLiteral("Job terminated."));
}

QJsonObject JobService::nodeSpec(const QString &jobId, int rank)
{
    QSqlDatabase db = m_db.connection();
    const auto job = JobRepo(db).byId(jobId);
    if (!job)
        throw ApiError::notFound(QStringLiteral("No such job."));
    if (rank < 0 || rank >= job->numNodes)
        throw ApiError::notFound(QStringLiteral("The job has no node %1.").arg(rank));
    const QJsonObject config = job->config;
    const QJsonObject setting = config.value(QStringLiteral("job_setting")).toObject();
    const QJsonObject docker = setting.value(QStringLiteral("docker")).toObject();
    const QJsonObject command = docker.value(QStringLiteral("command")).toObject();
    const QString workspaceMount = setting.value(QStringLiteral("workspace"))
                                       .toObject()
                                       .value(QStringLiteral("mount_path"))
                                       .toString(QStringLiteral("/workspace"));
    const QJsonObject checkpoint = config.value(QStringLiteral("checkpoint")).toObject();
    const QString outputDir = checkpoint.value(QStringLiteral("output_checkpoint_dir")).toString();

    const QString dir = jobDir(jobId);
    QJsonArray mounts{
        QJsonObject{{QStringLiteral("host"), QString(dir + QStringLiteral("/workspace"))},
                    {QStringLiteral("target"), workspaceMount},
                    {QStringLiteral("writable"), true}}};
    if (!outputDir.isEmpty()) {
        QDir().mkpath(dir + QStringLiteral("/ckpt"));
        mounts.append(QJsonObject{{QStringLiteral("host"), QString(dir + QStringLiteral("/ckpt"))},
                                  {QStringLiteral("target"), outputDir},
                                  {QStringLiteral("writable"), true}});
    }
    const QJsonObject data = config.value(QStringLiteral("data")).toObject();
    if (const qint64 datasetId = data.value(QStringLiteral("id")).toInteger(); datasetId > 0) {
        // The dataset's files as the object store keeps them, read-only.
        const QString host = LocalObjectStore::folderOf(m_paths.objectsDir,
                                                        datasetObjects(job->projectId, datasetId));
        QDir().mkpath(host); // a dataset of empty files only has no folder yet
        mounts.append(QJsonObject{
            {QStringLiteral("host"), host},
            {QStringLiteral("target"), data.value(QStringLiteral("mount_path")).toString()},
            {QStringLiteral("writable"), false}});
    }
    qint64 processedIters = 0;
    const QJsonObject input = checkpoint.value(QStringLiteral("input")).toObject();
    if (!input.isEmpty()) {
        const auto ckpt = CheckpointRepo(db).byId(input.value(QStringLiteral("id")).toString());
        if (!ckpt)
            throw ApiError::notFound(QStringLiteral("The job's input checkpoint is gone."));
        const QString host = LocalObjectStore::folderOf(m_paths.objectsDir,
                                                        formObjects(ckpt->projectId, ckpt->formId));
        QDir().mkpath(host);
        mounts.append(QJsonObject{
            {QStringLiteral("host"), host},
            {QStringLiteral("target"), input.value(QStringLiteral("mount_path")).toString()},
            {QStringLiteral("writable"), false}});
        processedIters = input.value(QStringLiteral("iteration")).toInteger();
    }
    const int perVm = std::max(1, job->vmConfig.vmConfigType.numDevicesPerVm);
    return {
        {QStringLiteral("job"), QJsonObject{{QStringLiteral("id"), job->id},
                                            {QStringLiteral("number"), job->number},
                                            {QStringLiteral("name"), job->name},
                                            {QStringLiteral("config"), config}}},
        {QStringLiteral("node"),
         QJsonObject{{QStringLiteral("rank"), rank},
                     {QStringLiteral("num_nodes"), job->numNodes},
                     {QStringLiteral("nproc_per_node"), std::min(job->numDevices, perVm)},
                     {QStringLiteral("world_size"), job->numDevices},
                     {QStringLiteral("master_addr"), QStringLiteral("127.0.0.1")},
                     {QStringLiteral("master_port"), 20000 + int(qHash(job->id) % 30000)}}},
        {QStringLiteral("mounts"), mounts},
        {QStringLiteral("workspace_dir"), workspaceMount},
        {QStringLiteral("env"), docker.value(QStringLiteral("env_var")).toObject()},
        {QStringLiteral("setup"), command.value(QStringLiteral("setup")).toString()},
        {QStringLiteral("run"), command.value(QStringLiteral("run")).toString()},
        {QStringLiteral("processed_iters"), processedIters},
        {QStringLiteral("ckpt_dir"), outputDir},
        {QStringLiteral("sdk_path"), m_paths.sdkPath},
        {QStringLiteral("sandbox"), m_config.jobSandbox},
        {QStringLiteral("grace_s"), m_config.jobGraceSecs},
        {QStringLiteral("image"), docker.value(QStringLiteral("image")).toString()},
    };
}

QJsonObject JobService::applyReport(const QString &jobId, int rank, const AgentReport &report)
{
    std::lock_guard lock(jobLock(jobId));
    QSqlDatabase db = m_db.connection();
    JobRepo jobs(db);
    const auto job = jobs.byId(jobId);
    if (!job)
        throw ApiError::notFound(QStringLiteral("No such job."));
    const QList<JobNode> nodes = jobs.nodes(jobId);
    if (rank < 0 || rank >= nodes.size())
        throw ApiError::notFound(QStringLiteral("The job has no node %1.").arg(rank));
    const JobNode node = nodes[rank];

    // Take records in sequence after the last acknowledged one; stop at a
    // gap (the agent resends from acked_seq + 1). Seqs increase (the parser
    // saw to it), so what is taken is one run of entries, and of each kind's
    // list one run too: [first, end).
    qint64 acked = node.ackedSeq;
    std::array<std::pair<qsizetype, qsizetype>, 4> taken{};
    for (const AgentReport::Entry &e : report.entries) {
        if (e.seq <= acked)
            continue;
        if (e.seq != acked + 1)
            break;
        auto &[first, end] = taken[size_t(e.kind)];
        if (first == end)
            first = e.index;
        end = e.index + 1;
        acked = e.seq;
    }
    const auto slice = [&taken](const auto &list, AgentReport::Kind kind) {
        using List = std::decay_t<decltype(list)>;
        const auto [first, end] = taken[size_t(kind)];
        if (first == 0 && end == list.size())
            return List(list); // the usual case: all of it, shared
        return end > first ? list.mid(first, end - first) : List();
    };
    const QList<LogRecordIn> logs = slice(report.logs, AgentReport::Kind::Log);
    const QList<MetricSample> metrics = slice(report.metrics, AgentReport::Kind::Metric);
    const QList<AgentStatus> changes = slice(report.statuses, AgentReport::Kind::Status);
    std::optional<std::pair<qint64, qint64>> progress;
    if (const auto [first, end] = taken[size_t(AgentReport::Kind::Progress)]; end > first)
        progress = report.progress[end - 1];

    // Followers are rare and records many: build their messages only when
    // someone listens. Asked after the append, so that a follower arriving
    // meanwhile either reads these records from the store or gets them here.
    bool followed = false;
    if (!logs.isEmpty()) {
        const qint64 last = m_logs.append(jobId, logs);
        followed = m_events.subscribers(jobId) > 0;
        qint64 seq = last - logs.size() + 1;
        for (const LogRecordIn &l : std::as_const(logs)) {
            if (followed)
                m_events.publish(jobId, {JobEvent::Kind::Log,
                                         logJson({seq, QString::fromUtf8(l.content), l.timeMs,
                                                  l.type, l.nodeRank}),
                                         false});
            ++seq;
        }
    }
    {
        Transaction tx(db, m_db.isSqlite());
        if (!metrics.isEmpty())
            MetricRepo(db).put(jobId, metrics);
        if (progress)
            jobs.setProgress(jobId, progress->first, progress->second);
        jobs.setNodeAcked(jobId, rank, acked, QDateTime::currentMSecsSinceEpoch());
        tx.commit();
    }
    if (!metrics.isEmpty() && !followed)
        followed = m_events.subscribers(jobId) > 0;
    for (const MetricSample &m : followed ? std::as_const(metrics) : QList<MetricSample>())
        m_events.publish(jobId,
                         {JobEvent::Kind::Metric,
                          {{QStringLiteral("source"), QStringLiteral("job.metric")},
                           {QStringLiteral("name"), m.name},
                           {QStringLiteral("step"), m.step},
                           {QStringLiteral("value"), m.value},
                           {QStringLiteral("time"),
                            api::toIsoUtc(QDateTime::fromMSecsSinceEpoch(m.timeMs, Qt::UTC))}},
                          false});
    if (progress)
        publishStatus(db, jobId);

    for (const AgentStatus &c : changes) {
        // The parser let only "preparing", "running" and "exited" through.
        const bool exited = c.status == u"exited";
        jobs.setNodeStatus(jobId, rank, c.status, exited ? c.exitCode : std::nullopt, c.message);
        const QList<JobNode> now = jobs.nodes(jobId);
        const auto current = jobs.byId(jobId);
        const JobStatus status = current->status;
        if (api::isTerminal(status))
            continue;
        bool allRunning = true;
        bool allExited = true;
        bool allZero = true;
        for (const JobNode &n : now) {
            allRunning = allRunning && (n.status == u"running" || n.status == u"exited");
            allExited = allExited && n.status == u"exited";
            allZero = allZero && n.status == u"exited" && n.exitCode == 0;
        }
        if (c.status == u"preparing" || c.status == u"running")
            advance(db, jobId, JobStatus::Preparing);
        if (allRunning && !allExited)
            advance(db, jobId, JobStatus::Running);
        if (c.status != u"exited")
            continue;
        if (status == JobStatus::Terminating) {
            if (allExited)
                finish(db, jobId, JobStatus::Terminated, {}, QStringLiteral("Job terminated."));
        } else if (c.exitCode != 0) {
            const QString why = !c.message.isEmpty()
                                    ? c.message
                                    : QStringLiteral("The command on node %1 exited with code %2.")
                                          .arg(rank)
                                          .arg(c.exitCode.value_or(-1));
            finish(db, jobId, JobStatus::Failed, why, QStringLiteral("Job failed."));
        } else if (allZero) {
            finish(db, jobId, JobStatus::Success, {},
                   QStringLiteral("Job completed successfully."));
        }
    }

    QJsonArray commands;
    const auto after = jobs.byId(jobId);
    const JobNode mine = jobs.nodes(jobId).value(rank);
    if (after && mine.status != u"exited" &&
        (after->status == JobStatus::Terminating || api::isTerminal(after->status)))
        commands.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("terminate")},
                                    {QStringLiteral("grace_s"), m_config.jobGraceSecs}});
    return {{QStringLiteral("acked_seq"), acked}, {QStringLiteral("commands"), commands}};
}

void JobService::admit(QSqlDatabase &db, const JobRecord &job)
{
    VmRepo vms(db);
    JobRepo jobs(db);
    const auto vm = vms.config(job.vmConfig.id);
    if (!vm) {
        finish(db, job.id, JobStatus::Failed,
               QStringLiteral("The VM type of this job is no longer offered by the server."),
               QStringLiteral("Job failed."));
        return;
    }
    {
        Transaction tx(db, m_db.isSqlite());
        const int need = job.numNodes;
        if (vms.activeProjectLocks(vm->config.id, job.projectId) + need >
                vms.projectQuota(job.projectId, vm->config.id) ||
            vms.activeLocks(vm->config.id) + need > vm->globalQuota)
            return; // over quota: stays enqueued
        vms.takeLocks(vm->config.id, job.projectId, job.id, need);
        if (!jobs.transition(job.id, JobStatus::Started) ||
            !jobs.transition(job.id, JobStatus::Allocating))
            return; // cancelled meanwhile; the transaction rolls back
        tx.commit();
    }
    publishStatus(db, job.id);
    platformLog(job.id, QStringLiteral("VM allocation is in progress."));

    LaunchRequest launch{job.id, job.numNodes, {}, m_paths.serverFile, jobDir(job.id)};
    for (int rank = 0; rank < job.numNodes; ++rank)
        launch.tokens.append(m_auth.agentToken(job.id, rank));
    try {
        const QList<AgentHandle> agents = m_executor.launch(launch);
        for (const AgentHandle &a : agents)
            jobs.setNodeLaunched(job.id, a.rank, a.pid, a.pidStart);
    } catch (const std::exception &e) {
        finish(db, job.id, JobStatus::Failed, QString::fromUtf8(e.what()),
               QStringLiteral("Job failed."));
    }
}

void JobService::killAgents(QSqlDatabase &db, const QString &jobId)
{
    JobRepo jobs(db);
    for (const JobNode &n : jobs.nodes(jobId)) {
        if (n.status == u"exited" || n.pid <= 0)
            continue;
        m_executor.kill(handleOf(n));
        jobs.setNodeStatus(jobId, n.rank, QStringLiteral("exited"), std::nullopt,
                           QStringLiteral("killed by pfd"));
    }
}

void JobService::checkAgents(QSqlDatabase &db, const JobRecord &job, qint64 now)
{
    const QList<JobNode> nodes = JobRepo(db).nodes(job.id);
    for (const JobNode &n : nodes) {
        if (n.status == u"exited" || n.status == u"pending")
            continue;
        const bool silent =
            now - n.lastReportMs > qint64(m_config.agentHeartbeatTimeoutSecs) * 1000;
        if (silent && !m_executor.alive(handleOf(n))) {
            killAgents(db, job.id);
            finish(db, job.id, JobStatus::Failed,
                   QStringLiteral("The agent of node %1 stopped without reporting (see "
                                  "agent-%1.log in the job's folder).")
                       .arg(n.rank),
                   QStringLiteral("Job failed."));
            return;
        }
    }
    // Terminating too long: the agents did not stop by themselves.
    if (job.status == JobStatus::Terminating && job.stopRequestedAtMs &&
        now - job.stopRequestedAtMs > qint64(m_config.jobGraceSecs + 30) * 1000) {
        killAgents(db, job.id);
        finish(
            db, job.id, JobStatus::Terminated, {},
            QStringLiteral("Job terminated (its processes did not stop in time and were killed)."));
    }
}

void JobService::tick()
{
    std::lock_guard tickLock(m_tickMutex);
    QSqlDatabase db = m_db.connection();
    JobRepo jobs(db);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const JobRecord &job : jobs.withStatus({JobStatus::Waiting})) {
        std::lock_guard lock(jobLock(job.id));
        advance(db, job.id, JobStatus::Enqueued);
    }
    for (const JobRecord &job : jobs.withStatus({JobStatus::Enqueued})) {
        std::lock_guard lock(jobLock(job.id));
        admit(db, job);
    }
    for (const JobRecord &job : jobs.withStatus(kActive)) {
        std::lock_guard lock(jobLock(job.id));
        if (const auto fresh = jobs.byId(job.id); fresh && kActive.contains(fresh->status))
            checkAgents(db, *fresh, now);
    }
    // Reap agents that exited (they are our children while this pfd runs).
    while (::waitpid(-1, nullptr, WNOHANG) > 0) {
    }
}

void JobService::recover()
{
    QSqlDatabase db = m_db.connection();
    JobRepo jobs(db);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const JobRecord &job : jobs.withStatus({JobStatus::Started})) {
        std::lock_guard lock(jobLock(job.id));
        finish(db, job.id, JobStatus::Failed,
               QStringLiteral("pfd stopped before the job's agents were started."),
               QStringLiteral("Job failed."));
    }
    for (const JobRecord &job : jobs.withStatus(kActive)) {
        std::lock_guard lock(jobLock(job.id));
        bool lost = false;
        for (const JobNode &n : jobs.nodes(job.id)) {
            if (n.status == u"exited")
                continue;
            if (n.pid <= 0 || !m_executor.alive(handleOf(n))) {
                killAgents(db, job.id);
                finish(
                    db, job.id, JobStatus::Failed,
                    QStringLiteral("pfd restarted and the agent of node %1 was no longer running.")
                        .arg(n.rank),
                    QStringLiteral("Job failed."));
                lost = true;
                break;
            }
        }
        if (lost)
            continue;
        // Reattached: the agents keep reporting; give them a fresh clock.
        for (const JobNode &n : jobs.nodes(job.id))
            jobs.setNodeAcked(job.id, n.rank, n.ackedSeq, now);
        qCInfo(lcJobs) << "reattached to the agents of job" << job.id;
    }
}

} // namespace pf::server
