// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// /agent/: what pf-agent calls, with a job token (docs/jobs.md).

#include <limits>

#include <QDateTime>
#include <QJsonDocument>
#include <QUrl>

#include "api/json.h"
#include "server/auth/authservice.h"
#include "server/handlers/bodyreader.h"
#include "server/handlers/routes.h"
#include "server/handlers/servercontext.h"
#include "server/handlers/storage.h"
#include "server/jobs/jobservice.h"
#include "server/jobs/scheduler.h"
#include "server/storage/objectkeys.h"
#include "server/storage/objectstore.h"
#include "server/store/checkpointrepo.h"
#include "server/store/database.h"
#include "server/store/jobrepo.h"

namespace pf::server {

using api::ApiError;
using http_verb = boost::beast::http::verb;

namespace {

constexpr std::size_t kMaxReportBytes = 64 * 1024 * 1024;
constexpr std::size_t kMaxCheckpointFileBytes = 5ULL * 1024 * 1024 * 1024;

int rankParam(const Request &req)
{
    bool ok = false;
    const int rank = req.param(QStringLiteral("rank")).toInt(&ok);
    if (!ok || rank < 0 || rank > 4096)
        throw ApiError::badRequest(QStringLiteral("`rank` must be a node rank (0 or more)."));
    return rank;
}

CheckpointRecord jobCheckpoint(ServerContext &ctx, const QString &jobId, const QString &ckptId)
{
    const auto ckpt = CheckpointRepo(ctx.db.connection()).byId(ckptId);
    if (!ckpt || ckpt->jobId != jobId)
        throw ApiError::notFound(QStringLiteral("No such checkpoint of this job."));
    return *ckpt;
}

QString checkpointObjects(const CheckpointRecord &ckpt)
{
    return formObjects(ckpt.projectId, ckpt.formId);
}

Response spec(ServerContext &ctx, Request &req)
{
    const QString jobId = req.param(QStringLiteral("job"));
    const int rank = rankParam(req);
    ctx.auth.authenticateAgent(req, jobId, rank);
    return Response::json(ctx.jobs.nodeSpec(jobId, rank));
}

Response report(ServerContext &ctx, Request &req)
{
    const QString jobId = req.param(QStringLiteral("job"));
    const int rank = rankParam(req);
    ctx.auth.authenticateAgent(req, jobId, rank);
    req.requireJson();
    const QJsonObject answer = ctx.jobs.applyReport(
        jobId, rank, AgentReport::parse(QByteArray::fromStdString(req.rawBody()), rank));
    ctx.scheduler.wake();
    return Response::json(answer);
}

Response startCheckpoint(ServerContext &ctx, Request &req)
{
    const QString jobId = req.param(QStringLiteral("job"));
    ctx.auth.authenticateAgent(req, jobId, -1);
    const QJsonObject json = req.jsonObject();
    BodyReader body(json);
    const qint64 iteration =
        body.integer(QStringLiteral("iteration"), 0, std::numeric_limits<qint64>::max() / 2);
    if (!json.value(QStringLiteral("files")).isArray())
        body.fail(QStringLiteral("files"), QStringLiteral("must be a list of {path, size}"));
    body.finish({QStringLiteral("iteration"), QStringLiteral("files")});
    const QJsonArray listed = json.value(QStringLiteral("files")).toArray();
    QSqlDatabase db = ctx.db.connection();
    const auto job = JobRepo(db).byId(jobId);
    if (!job)
        throw ApiError::notFound(QStringLiteral("No such job."));
    const CheckpointRecord ckpt =
        CheckpointRepo(db).create(job->projectId, jobId,
                                  QStringLiteral("%1-%2")
                                      .arg(job->name.isEmpty() ? QStringLiteral("job") : job->name)
                                      .arg(iteration),
                                  QStringLiteral("JOB"), iteration);
    QJsonArray upload;
    for (const QJsonValue &f : listed) {
        const QString path = checkedFilePath(f.toObject().value(QStringLiteral("path")),
                                             QStringLiteral("files[].path"));
        upload.append(QJsonObject{
            {QStringLiteral("path"), path},
            {QStringLiteral("url"),
             QStringLiteral("/agent/job/%1/checkpoint/%2/file?path=%3")
                 .arg(jobId, ckpt.id, QString::fromLatin1(QUrl::toPercentEncoding(path)))}});
    }
    return Response::json(
        QJsonObject{{QStringLiteral("id"), ckpt.id}, {QStringLiteral("upload"), upload}}, 201);
}

Response putCheckpointFile(ServerContext &ctx, Request &req)
{
    const QString jobId = req.param(QStringLiteral("job"));
    ctx.auth.authenticateAgent(req, jobId, -1);
    const CheckpointRecord ckpt = jobCheckpoint(ctx, jobId, req.param(QStringLiteral("id")));
    if (ckpt.state != u"uploading")
        throw ApiError::conflict(
            QStringLiteral("The checkpoint is complete; it takes no more files."));
    const QString path = checkedFilePath(req.query(QStringLiteral("path")).value_or(QString()));
    // The body is already on disk in the spool folder: the store takes it over.
    const ObjectInfo stored =
        ctx.objects.put(checkpointObjects(ckpt) + u'/' + path, req.bodyFile(), req.bodyMd5());
    return Response::json(
        QJsonObject{{QStringLiteral("path"), path}, {QStringLiteral("size"), stored.size}});
}

Response completeCheckpoint(ServerContext &ctx, Request &req)
{
    const QString jobId = req.param(QStringLiteral("job"));
    ctx.auth.authenticateAgent(req, jobId, -1);
    const CheckpointRecord ckpt = jobCheckpoint(ctx, jobId, req.param(QStringLiteral("id")));
    QJsonArray files;
    for (const ObjectInfo &o : ctx.objects.list(checkpointObjects(ckpt)))
        files.append(
            QJsonObject{{QStringLiteral("name"), o.key.section(u'/', -1)},
                        {QStringLiteral("path"), o.key},
                        {QStringLiteral("mtime"),
                         api::toIsoUtc(QDateTime::fromMSecsSinceEpoch(o.mtimeMs, Qt::UTC))},
                        {QStringLiteral("size"), o.size}});
    CheckpointRepo(ctx.db.connection()).setReady(ckpt.id, files);
    ctx.jobs.platformLog(jobId, QStringLiteral("Checkpoint of iteration %1 saved (%2 files).")
                                    .arg(ckpt.iteration)
                                    .arg(files.size()));
    return Response::json(QJsonObject{{QStringLiteral("id"), ckpt.id},
                                      {QStringLiteral("iteration"), ckpt.iteration},
                                      {QStringLiteral("files"), files}});
}

} // namespace

void addAgentRoutes(Router &router, ServerContext &ctx)
{
    const auto bind = [&ctx](ContextHandler fn) { return bindRoute(ctx, fn); };
    router.add(http_verb::get, "/agent/job/{job:uuid}/node/{rank}/spec", bind(spec));
    router.add(http_verb::post, "/agent/job/{job:uuid}/node/{rank}/report", bind(report),
               {.maxBodyBytes = kMaxReportBytes});
    router.add(http_verb::post, "/agent/job/{job:uuid}/checkpoint/", bind(startCheckpoint));
    router.add(http_verb::put, "/agent/job/{job:uuid}/checkpoint/{id:uuid}/file",
               bind(putCheckpointFile),
               {.maxBodyBytes = kMaxCheckpointFileBytes, .spoolBody = true});
    router.add(http_verb::post, "/agent/job/{job:uuid}/checkpoint/{id:uuid}/complete/",
               bind(completeCheckpoint));
}

} // namespace pf::server
