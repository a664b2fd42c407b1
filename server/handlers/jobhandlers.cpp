// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// Jobs of a project: submit, list, read, stop, delete, and their logs,
// metrics, checkpoints and artifacts.

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>

#include "api/job.h"
#include "api/jobspec.h"
#include "api/json.h"
#include "server/handlers/access.h"
#include "server/handlers/bodyreader.h"
#include "server/handlers/routes.h"
#include "server/handlers/servercontext.h"
#include "server/jobs/jobservice.h"
#include "server/jobs/multipart.h"
#include "server/jobs/scheduler.h"
#include "server/jobs/workspacearchive.h"
#include "server/store/checkpointrepo.h"
#include "server/store/credentialrepo.h"
#include "server/store/database.h"
#include "server/store/datasetrepo.h"
#include "server/store/experimentrepo.h"
#include "server/store/jobrepo.h"
#include "server/store/logstore.h"
#include "server/store/metricrepo.h"
#include "server/store/vmrepo.h"

namespace pf::server {

using api::ApiError;
using api::FieldError;
using api::JobStatus;
using api::ProjectRole;
using http_verb = boost::beast::http::verb;

namespace {

constexpr std::size_t kMaxSubmitBytes = 110 * 1024 * 1024; // the 100 MB zip and the spec
constexpr qint64 kMaxSpecBytes = 1024 * 1024;

QDateTime fromMs(qint64 ms)
{
    return ms ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC) : QDateTime();
}

api::Job toApi(const JobRecord &r)
{
    api::Job j;
    j.id = r.id;
    j.number = r.number;
    j.name = r.name;
    j.status = r.status;
    j.experiment.id = r.experimentId;
    j.experiment.name = r.experimentName;
    j.vmConfig = r.vmConfig;
    j.numDesiredDevices = r.numDevices;
    j.user.id = r.userId;
    j.user.username = r.username;
    j.createdAt = fromMs(r.createdAtMs);
    j.startedAt = fromMs(r.startedAtMs);
    j.finishedAt = fromMs(r.finishedAtMs);
    j.progress = r.progress;
    j.errorMessage = r.errorMessage;
    j.config = r.config;
    // The dataset as submission resolved it (its id and the name it had then).
    const QJsonObject data = r.config.value(QStringLiteral("data")).toObject();
    if (const qint64 id = data.value(QStringLiteral("id")).toInteger(); id > 0)
        j.dataStore = api::JobDataStore{id, data.value(QStringLiteral("name")).toString()};
    return j;
}

ApiError invalidSpec(QList<FieldError> errors)
{
    return ApiError::unprocessable(
        QStringLiteral("The job spec is invalid: %1 problem(s).").arg(errors.size()),
        std::move(errors));
}

// The job, if the caller may see its project (404 otherwise).
JobRecord visibleJob(Access &access, const Request &req, ProjectRole minimum,
                     ProjectAccess *project = nullptr)
{
    const ProjectAccess p = access.project(req.param(QStringLiteral("pid")), minimum);
    const auto job =
        JobRepo(access.db()).byNumber(p.project.id, req.intParam(QStringLiteral("number")));
    if (!job)
        throw ApiError::notFound(
            QStringLiteral("The project has no job %1.").arg(req.param(QStringLiteral("number"))));
    if (project)
        *project = p;
    return *job;
}

// Everything the spec names must exist and be the caller's to use; fills in
// the ids (the server side of the client rewrites). Returns the errors.
QList<FieldError> resolve(QSqlDatabase &db, const ProjectAccess &p, const QString &userId,
                          api::JobSpec &spec, VmConfigRecord *vm, qint64 *inputIteration)
{
    QList<FieldError> errors;
    VmRepo vms(db);
    const auto found =
        spec.vmConfigId ? vms.config(spec.vmConfigId) : vms.configByCode(spec.vmCode);
    if (!found) {
        QStringList codes;
        for (const VmConfigRecord &c : vms.configs())
            codes << c.config.vmConfigType.code;
        errors.append({spec.vmConfigId ? QStringLiteral("vm_config_id") : QStringLiteral("vm"),
                       QStringLiteral("is not a VM type of this server; it offers %1")
                           .arg(codes.join(u", "))});
    } else {
        *vm = *found;
        spec.vmConfigId = found->config.id;
        spec.vmCode = found->config.vmConfigType.code;
        const int perVm = std::max(1, found->config.vmConfigType.numDevicesPerVm);
        const int nodes = (spec.numDevices + perVm - 1) / perVm;
        if (nodes > found->globalQuota)
            errors.append(
                {QStringLiteral("num_devices"),
                 QStringLiteral(
                     "%1 devices need %2 VMs of %3 (%4 devices each), but the server runs at "
                     "most %5 at once")
                     .arg(spec.numDevices)
                     .arg(nodes)
                     .arg(spec.vmCode)
                     .arg(perVm)
                     .arg(found->globalQuota)});
    }
    ExperimentRepo experiments(db);
    if (spec.experimentId) {
        const auto e = experiments.get(spec.experimentId);
        if (!e || e->projectId != p.project.id)
            errors.append({QStringLiteral("experiment_id"),
                           QStringLiteral("is not an experiment of this project")});
        else
            spec.experimentName = e->experiment.name;
    }
    if (spec.hasData()) {
        // By id when the client rewrote the name, else by name; stored as both.
        std::optional<DatasetRecord> found;
        DatasetRepo datasets(db);
        if (spec.dataId) {
            found = datasets.byId(spec.dataId);
        } else {
            for (const DatasetRecord &d : datasets.forProject(p.project.id))
                if (d.name == spec.dataName)
                    found = d;
        }
        const QString path = spec.dataId ? QStringLiteral("data.id") : QStringLiteral("data.name");
        if (!found || found->projectId != p.project.id)
            errors.append({path, QStringLiteral("names no dataset of this project")});
        else if (found->vendor != u"fai")
            errors.append({path, QStringLiteral("is linked to %1 storage; jobs on this server "
                                                "mount datasets stored on it (fai) only")
                                     .arg(found->vendor)});
        else if (!found->active)
            errors.append(
                {path, QStringLiteral("is not active yet (its upload has not finished)")});
        else {
            spec.dataId = found->id;
            spec.dataName = found->name;
        }
    }
    if (spec.hasInputCheckpoint()) {
        const auto c = CheckpointRepo(db).byId(spec.inputCheckpointId);
        if (!c || c->projectId != p.project.id || c->state != u"ready")
            errors.append({QStringLiteral("checkpoint.input.id"),
                           QStringLiteral("is not a checkpoint of this project")});
        else
            *inputIteration = c->iteration;
    }
    CredentialRepo credentials(db);
    const auto checkCredential = [&](const QString &id, const QString &type, const QString &path) {
        const auto c = credentials.get(id);
        if (!c || c->projectId != p.project.id || c->credential.type != type)
            errors.append(
                {path, QStringLiteral("is not a %1 credential of this project").arg(type)});
    };
    if (!spec.dockerCredentialId.isEmpty())
        checkCredential(spec.dockerCredentialId, QStringLiteral("docker"),
                        QStringLiteral("job_setting.docker.credential_id"));
    for (const QString &plugin : {QStringLiteral("wandb"), QStringLiteral("slack")}) {
        const QString id =
            spec.plugins.value(plugin).toObject().value(QStringLiteral("credential_id")).toString();
        if (!id.isEmpty())
            checkCredential(id, plugin, QStringLiteral("plugin.%1.credential_id").arg(plugin));
    }
    Q_UNUSED(userId)
    return errors;
}

qint64 experimentFor(QSqlDatabase &db, const QString &projectId, const QString &name,
                     const QString &userId)
{
    ExperimentRepo experiments(db);
    for (const api::Experiment &e : experiments.list(projectId)) {
        if (e.name == name)
            return e.id;
    }
    try {
        return experiments.create(projectId, name, userId).id;
    } catch (const UniqueViolation &) { // created meanwhile by another submit
        for (const api::Experiment &e : experiments.list(projectId)) {
            if (e.name == name)
                return e.id;
        }
        throw;
    }
}

Response submit(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const ProjectAccess p = access.project(req.param(QStringLiteral("pid")), ProjectRole::Develop);

    // JSON, or multipart with the spec in `data` and the workspace zip.
    QJsonObject specJson;
    QString zipPath;
    const QByteArray contentType = req.header("Content-Type");
    if (contentType.trimmed().toLower().startsWith("multipart/form-data")) {
        QString error;
        const auto parts =
            Multipart::parse(req.bodyFile(), contentType, ctx.spoolDir, kMaxSpecBytes, &error);
        if (!parts)
            throw ApiError::badRequest(
                QStringLiteral("The multipart body is malformed: %1").arg(error));
        bool haveData = false;
        for (const MultipartPart &part : *parts) {
            if (part.name == u"data" && part.filePath.isEmpty()) {
                QJsonParseError pe;
                const QJsonDocument doc = QJsonDocument::fromJson(part.data, &pe);
                if (pe.error != QJsonParseError::NoError || !doc.isObject())
                    throw ApiError::badRequest(QStringLiteral(
                        "The `data` field must hold the job spec as a JSON object."));
                specJson = doc.object();
                haveData = true;
            } else if (part.name == u"workspace_zip" && !part.filePath.isEmpty()) {
                zipPath = part.filePath;
            } else {
                if (!part.filePath.isEmpty())
                    QFile::remove(part.filePath);
                throw ApiError::badRequest(
                    QStringLiteral("Unexpected part '%1': a job takes `data` and `workspace_zip`.")
                        .arg(part.name.left(64)));
            }
        }
        if (!haveData)
            throw ApiError::badRequest(
                QStringLiteral("The multipart body has no `data` field with the job spec."));
    } else {
        specJson = req.jsonObject();
    }
    // Whatever happens below, the uploaded zip does not stay in the spool.
    const auto dropZip = qScopeGuard([&zipPath] {
        if (!zipPath.isEmpty())
            QFile::remove(zipPath);
    });

    QList<FieldError> errors;
    auto spec = api::JobSpec::fromJson(specJson, &errors);
    if (!spec)
        throw invalidSpec(errors);
    if (spec->isPredefined())
        throw invalidSpec({{QStringLiteral("job_setting.template_id"),
                            QStringLiteral("names no job template; this server offers none")}});
    QSqlDatabase db = access.db();
    VmConfigRecord vm;
    qint64 inputIteration = 0;
    errors = resolve(db, p, access.caller().userId, *spec, &vm, &inputIteration);
    if (!errors.isEmpty())
        throw invalidSpec(errors);

    // Extract before the job exists, so a bad zip creates nothing.
    QString extracted;
    const auto dropExtracted = qScopeGuard([&extracted] {
        if (!extracted.isEmpty())
            QDir(extracted).removeRecursively();
    });
    if (!zipPath.isEmpty()) {
        extracted = ctx.spoolDir + QStringLiteral("/workspace-") + newUuid();
        const ExtractResult result = WorkspaceArchive::extract(zipPath, extracted);
        if (!result.ok)
            throw ApiError::badRequest(
                QStringLiteral("The workspace zip was refused: %1").arg(result.error));
    }

    if (spec->experimentId == 0 && !spec->experimentName.isEmpty())
        spec->experimentId =
            experimentFor(db, p.project.id, spec->experimentName, access.caller().userId);
    QJsonObject config = spec->toJson();
    if (inputIteration) {
        QJsonObject checkpoint = config.value(QStringLiteral("checkpoint")).toObject();
        QJsonObject input = checkpoint.value(QStringLiteral("input")).toObject();
        input.insert(QStringLiteral("iteration"), inputIteration);
        checkpoint.insert(QStringLiteral("input"), input);
        config.insert(QStringLiteral("checkpoint"), checkpoint);
    }
    const int perVm = std::max(1, vm.config.vmConfigType.numDevicesPerVm);
    JobRecord job;
    {
        Transaction tx(db, ctx.db.isSqlite());
        JobRepo jobs(db);
        job = jobs.create({p.project.id, access.caller().userId, spec->name, spec->experimentId,
                           vm.config.id, spec->numDevices, (spec->numDevices + perVm - 1) / perVm,
                           config});
        jobs.addNodes(job.id, job.numNodes);
        tx.commit();
    }
    const QString dir = ctx.jobs.jobDir(job.id);
    QDir().mkpath(dir);
    if (!extracted.isEmpty()) {
        QDir().rename(extracted, dir + QStringLiteral("/workspace"));
        extracted.clear();
        QFile::rename(zipPath, dir + QStringLiteral("/workspace.zip"));
    } else {
        QDir().mkpath(dir + QStringLiteral("/workspace"));
    }
    ctx.jobs.platformLog(job.id, QStringLiteral("Job submitted: %1 device(s) of %2 on %3 node(s).")
                                     .arg(job.numDevices)
                                     .arg(vm.config.vmConfigType.code)
                                     .arg(job.numNodes));
    ctx.scheduler.wake();
    return Response::json(toApi(*JobRepo(db).byId(job.id)).toJson(), 201);
}

QList<JobStatus> statusFilter(const QString &text)
{
    QList<JobStatus> out;
    for (const QString &s : text.split(u',', Qt::SkipEmptyParts)) {
        const auto status = api::jobStatusFromString(s.trimmed());
        if (!status)
            throw ApiError::badRequest(
                QStringLiteral("`status` takes a comma list of job statuses; '%1' is not one.")
                    .arg(s.trimmed().left(32)));
        out << *status;
    }
    return out;
}

qint64 timeFilter(const Request &req, const QString &name)
{
    const auto text = req.query(name);
    if (!text || text->isEmpty())
        return 0;
    const QDateTime t = api::timeFromJson(*text);
    if (!t.isValid())
        throw ApiError::badRequest(
            QStringLiteral("`%1` must be an ISO 8601 time in UTC, like 2026-11-22T06:45:00Z.")
                .arg(name));
    return t.toMSecsSinceEpoch();
}

Response list(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const PageRequest page = pageRequest(req);
    const ProjectAccess p = access.project(req.param(QStringLiteral("pid")));
    JobFilter filter;
    filter.createdSinceMs = timeFilter(req, QStringLiteral("created_at.since"));
    filter.createdUntilMs = timeFilter(req, QStringLiteral("created_at.until"));
    filter.name = req.query(QStringLiteral("job_name")).value_or(QString()).left(256);
    filter.vmCode = req.query(QStringLiteral("vm_code")).value_or(QString()).left(64);
    filter.statuses = statusFilter(req.query(QStringLiteral("status")).value_or(QString()));
    for (const QString &id :
         req.query(QStringLiteral("user_ids")).value_or(QString()).split(u',', Qt::SkipEmptyParts))
        filter.userIds << id.trimmed().toLower();
    const api::Page<JobRecord> jobs = JobRepo(access.db()).list(p.project.id, filter, page);
    QJsonArray results;
    for (const JobRecord &j : jobs.results)
        results.append(toApi(j).toJson());
    return Response::json(
        QJsonObject{{QStringLiteral("results"), results},
                    {QStringLiteral("next_cursor"), api::stringOrNull(jobs.nextCursor)}});
}

Response get(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    return Response::json(toApi(visibleJob(access, req, ProjectRole::Guest)).toJson());
}

Response remove(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    ProjectAccess p;
    const JobRecord job = visibleJob(access, req, ProjectRole::Develop, &p);
    // Developers delete their own jobs; maintainers anyone's.
    if (job.userId != access.caller().userId && p.role < ProjectRole::Maintain)
        throw ApiError::forbidden(
            QStringLiteral("Only maintainers can delete other people's jobs."));
    if (!api::isTerminal(job.status))
        throw ApiError::conflict(QStringLiteral("The job is %1; stop it before deleting it.")
                                     .arg(api::toString(job.status)));
    JobRepo(access.db()).remove(job.id);
    ctx.logs.remove(job.id);
    QDir(ctx.jobs.jobDir(job.id)).removeRecursively();
    return Response::noContent();
}

Response stop(ServerContext &ctx, Request &req, bool cancel)
{
    Access access = Access::of(ctx, req);
    ProjectAccess p;
    const JobRecord job = visibleJob(access, req, ProjectRole::Develop, &p);
    if (job.userId != access.caller().userId && p.role < ProjectRole::Maintain)
        throw ApiError::forbidden(QStringLiteral("Only maintainers can stop other people's jobs."));
    if (cancel)
        ctx.jobs.cancel(job.id);
    else
        ctx.jobs.terminate(job.id);
    ctx.scheduler.wake();
    return Response::json(toApi(*JobRepo(access.db()).byId(job.id)).toJson());
}

Response cancelJob(ServerContext &ctx, Request &req)
{
    return stop(ctx, req, true);
}
Response terminateJob(ServerContext &ctx, Request &req)
{
    return stop(ctx, req, false);
}

Response textLog(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const JobRecord job = visibleJob(access, req, ProjectRole::Guest);
    LogQuery q;
    if (const auto limit = req.query(QStringLiteral("limit"))) {
        bool ok = false;
        q.limit = limit->toInt(&ok);
        if (!ok || q.limit < 1 || q.limit > LogQuery::MaxLimit)
            throw ApiError::badRequest(
                QStringLiteral("`limit` must be a whole number from 1 to %1.")
                    .arg(LogQuery::MaxLimit));
    }
    const QString ascending =
        req.query(QStringLiteral("ascending")).value_or(QStringLiteral("false")).toLower();
    if (ascending != u"true" && ascending != u"false" && ascending != u"1" && ascending != u"0")
        throw ApiError::badRequest(QStringLiteral("`ascending` must be true or false."));
    q.ascending = ascending == u"true" || ascending == u"1";
    q.content = req.query(QStringLiteral("content")).value_or(QString()).left(1024);
    for (const QString &t : req.query(QStringLiteral("log_types"))
                                .value_or(QString())
                                .split(u',', Qt::SkipEmptyParts)) {
        if (t != u"stdout" && t != u"stderr" && t != u"vmlog")
            throw ApiError::badRequest(
                QStringLiteral("`log_types` takes stdout, stderr and vmlog; '%1' is not one.")
                    .arg(t.left(32)));
        q.types << t;
    }
    for (const QString &r : req.query(QStringLiteral("node_ranks"))
                                .value_or(QString())
                                .split(u',', Qt::SkipEmptyParts)) {
        bool ok = false;
        const int rank = r.trimmed().toInt(&ok);
        if (!ok || rank < -1)
            throw ApiError::badRequest(
                QStringLiteral("`node_ranks` takes a comma list of node ranks; '%1' is not one.")
                    .arg(r.left(32)));
        q.nodeRanks << rank;
    }
    if (const auto cursor = req.query(QStringLiteral("cursor")); cursor && !cursor->isEmpty()) {
        const auto seq = decodeCursor(*cursor);
        if (!seq)
            throw ApiError::badRequest(
                QStringLiteral("`cursor` is not a cursor this server gave out."));
        q.cursor = *seq;
    }
    const LogPage page = ctx.logs.read(job.id, q);
    QJsonArray results;
    for (const StoredLogRecord &r : page.records)
        results.append(toApi(r).toJson());
    return Response::json(
        QJsonObject{{QStringLiteral("results"), results},
                    {QStringLiteral("next_cursor"),
                     page.nextCursor ? QJsonValue(encodeCursor(page.nextCursor)) : QJsonValue()}});
}

Response checkpoints(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const JobRecord job = visibleJob(access, req, ProjectRole::Guest);
    QJsonArray out;
    for (const CheckpointRecord &c : CheckpointRepo(access.db()).forJob(job.id))
        out.append(api::JobCheckpoint{c.id, QStringLiteral("fai"), QString(), c.iteration,
                                      fromMs(c.createdAtMs)}
                       .toJson());
    return Response::json(out);
}

Response artifacts(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    visibleJob(access, req, ProjectRole::Guest);
    return Response::json(QJsonArray()); // jobs do not publish artifacts yet
}

Response artifactDownload(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    visibleJob(access, req, ProjectRole::Guest);
    throw ApiError::notFound(QStringLiteral("The job has no such artifact."));
}

Response metricNames(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const JobRecord job = visibleJob(access, req, ProjectRole::Guest);
    QJsonArray out;
    for (const auto &[name, count] : MetricRepo(access.db()).names(job.id))
        out.append(QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("count"), count}});
    return Response::json(out);
}

qint64 intQuery(const Request &req, const QString &name, qint64 fallback, qint64 min, qint64 max)
{
    const auto text = req.query(name);
    if (!text || text->isEmpty())
        return fallback;
    bool ok = false;
    const qint64 v = text->toLongLong(&ok);
    if (!ok || v < min || v > max)
        throw ApiError::badRequest(QStringLiteral("`%1` must be a whole number from %2 to %3.")
                                       .arg(name)
                                       .arg(min)
                                       .arg(max));
    return v;
}

Response metricPoints(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const JobRecord job = visibleJob(access, req, ProjectRole::Guest);
    const QString name = req.param(QStringLiteral("name"));
    MetricRepo metrics(access.db());
    constexpr qint64 maxStep = std::numeric_limits<qint64>::max() / 4;
    QJsonArray out;
    if (req.query(QStringLiteral("buckets"))) {
        const int buckets = int(intQuery(req, QStringLiteral("buckets"), 0, 1, 10000));
        const auto [first, last] = metrics.range(job.id, name);
        const qint64 from = intQuery(req, QStringLiteral("from_step"), first, -maxStep, maxStep);
        const qint64 to = intQuery(req, QStringLiteral("to_step"), last, -maxStep, maxStep);
        for (const MetricBucketRow &b : metrics.buckets(job.id, name, buckets, from, to))
            out.append(
                api::MetricBucket{b.fromStep, b.toStep, b.first, b.last, b.min, b.max, b.count}
                    .toJson());
        return Response::json(out);
    }
    const qint64 since = intQuery(req, QStringLiteral("since_step"),
                                  std::numeric_limits<qint64>::min() / 4, -maxStep, maxStep);
    const int limit = int(intQuery(req, QStringLiteral("limit"), 10000, 1, 100000));
    for (const MetricSample &s : metrics.points(job.id, name, since, limit))
        out.append(api::MetricPoint{s.step, s.value, fromMs(s.timeMs)}.toJson());
    return Response::json(out);
}

} // namespace

void addJobRoutes(Router &router, ServerContext &ctx)
{
    const auto bind = [&ctx](ContextHandler fn) { return bindRoute(ctx, fn); };
    router.add(http_verb::post, "/api/project/{pid:uuid}/job/", bind(submit),
               {.maxBodyBytes = kMaxSubmitBytes, .spoolBody = true});
    router.add(http_verb::get, "/api/project/{pid:uuid}/job/", bind(list));
    router.add(http_verb::get, "/api/project/{pid:uuid}/job/{number:int}/", bind(get));
    router.add(http_verb::delete_, "/api/project/{pid:uuid}/job/{number:int}/", bind(remove));
    router.add(http_verb::post, "/api/project/{pid:uuid}/job/{number:int}/cancel/",
               bind(cancelJob));
    router.add(http_verb::post, "/api/project/{pid:uuid}/job/{number:int}/terminate/",
               bind(terminateJob));
    router.add(http_verb::get, "/api/project/{pid:uuid}/job/{number:int}/text_log/", bind(textLog));
    router.add(http_verb::get, "/api/project/{pid:uuid}/job/{number:int}/checkpoint/",
               bind(checkpoints));
    router.add(http_verb::get, "/api/project/{pid:uuid}/job/{number:int}/artifact/",
               bind(artifacts));
    router.add(http_verb::get, "/api/project/{pid:uuid}/job/{number:int}/artifact/{id}/download/",
               bind(artifactDownload));
    router.add(http_verb::get, "/api/project/{pid:uuid}/job/{number:int}/metric/",
               bind(metricNames));
    router.add(http_verb::get, "/api/project/{pid:uuid}/job/{number:int}/metric/{name}/",
               bind(metricPoints));
}

} // namespace pf::server
