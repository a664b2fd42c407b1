// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "fakeagentserver.h"

#include <chrono>

#include <QFile>
#include <QJsonDocument>
#include <QSaveFile>
#include <QUrl>
#include <QUuid>

#include "api/apierror.h"

namespace pf::agenttest {

using server::Request;
using server::Response;
using verb = boost::beast::http::verb;

std::vector<QJsonObject> FakeAgentServer::State::of(int rank, const QString &kind) const
{
    std::vector<QJsonObject> out;
    const auto it = nodes.find(rank);
    if (it == nodes.end())
        return out;
    for (const QJsonObject &r : it->second.records)
        if (r.value(QStringLiteral("kind")).toString() == kind)
            out.push_back(r);
    return out;
}

QStringList FakeAgentServer::State::logs(int rank, const QString &type) const
{
    QStringList out;
    for (const QJsonObject &r : of(rank, QStringLiteral("log")))
        if (r.value(QStringLiteral("type")).toString() == type)
            out.append(r.value(QStringLiteral("content")).toString());
    return out;
}

QJsonObject FakeAgentServer::State::exitStatus(int rank) const
{
    for (const QJsonObject &r : of(rank, QStringLiteral("status")))
        if (r.value(QStringLiteral("status")).toString() == QLatin1String("exited"))
            return r;
    return {};
}

FakeAgentServer::FakeAgentServer(QString jobId, QString token, QString serverFile)
    : m_jobId(std::move(jobId))
    , m_auth("Bearer " + token.toUtf8())
    , m_serverFile(std::move(serverFile))
{
    addRoutes();
}

FakeAgentServer::~FakeAgentServer()
{
    stop();
}

void FakeAgentServer::setSpec(int rank, const QJsonObject &spec)
{
    modify([&](State &s) { s.nodes[rank].spec = spec; });
}

void FakeAgentServer::modify(const std::function<void(State &)> &f)
{
    {
        std::lock_guard lock(m_mutex);
        f(m_state);
    }
    m_changed.notify_all();
}

bool FakeAgentServer::waitFor(const std::function<bool(const State &)> &pred, int timeoutMs) const
{
    std::unique_lock lock(m_mutex);
    return m_changed.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                              [&] { return pred(m_state); });
}

quint16 FakeAgentServer::start()
{
    stop();
    server::HttpServerOptions options;
    options.address = "127.0.0.1";
    options.port = 0;
    options.shutdownGrace = std::chrono::milliseconds(200);
    m_workers = std::make_unique<server::WorkerPool>(
        2, [] {}, [] {});
    m_http = std::make_unique<server::HttpServer>(options, m_router, *m_workers, m_accessLog);
    m_port = m_http->listen();
    m_thread = std::thread([this] { m_http->run(); });
    // Written whole or not at all, as pfd does.
    QSaveFile f(m_serverFile);
    if (f.open(QIODevice::WriteOnly)) {
        f.write("http://127.0.0.1:" + QByteArray::number(m_port) + "\n");
        f.commit();
    }
    return m_port;
}

void FakeAgentServer::stop()
{
    if (!m_http)
        return;
    m_http->stop();
    m_thread.join();
    m_workers->stop();
    m_http.reset();
    m_workers.reset();
}

bool FakeAgentServer::authorized(Request &request)
{
    if (request.header("Authorization") == m_auth)
        return true;
    modify([](State &s) { ++s.unauthorized; });
    return false;
}

void FakeAgentServer::addRoutes()
{
    const auto jobOk = [this](Request &r) {
        if (!authorized(r))
            throw api::ApiError(401, QStringLiteral("bad token"));
        if (r.param(QStringLiteral("job")) != m_jobId)
            throw api::ApiError(404, QStringLiteral("no such job"));
    };

    m_router.add(verb::get, "/agent/job/{job:uuid}/node/{rank}/spec", [this, jobOk](Request &r) {
        jobOk(r);
        const int rank = r.param(QStringLiteral("rank")).toInt();
        QJsonObject spec;
        modify([&](State &s) {
            auto it = s.nodes.find(rank);
            if (it != s.nodes.end()) {
                ++it->second.specFetches;
                spec = it->second.spec;
            }
        });
        if (spec.isEmpty())
            throw api::ApiError(404, QStringLiteral("no such node"));
        return Response::json(spec);
    });

    m_router.add(verb::post, "/agent/job/{job:uuid}/node/{rank}/report",
                 [this, jobOk](Request &r) {
                     jobOk(r);
                     const int rank = r.param(QStringLiteral("rank")).toInt();
                     const QJsonArray records =
                         r.jsonObject().value(QStringLiteral("records")).toArray();
                     bool fail = false;
                     QJsonObject answer;
                     modify([&](State &s) {
                         if (s.failReports > 0) {
                             --s.failReports;
                             fail = true;
                             return;
                         }
                         Node &node = s.nodes[rank];
                         ++node.reports;
                         if (records.isEmpty())
                             ++node.emptyReports;
                         for (const QJsonValue &v : records) {
                             const QJsonObject record = v.toObject();
                             const qint64 seq = record.value(QStringLiteral("seq")).toInteger();
                             if (seq <= node.acked) {
                                 ++node.resent;
                             } else if (seq == node.acked + 1) {
                                 node.records.push_back(record);
                                 node.acked = seq;
                             } else {
                                 ++node.gaps;
                                 break;
                             }
                         }
                         if (s.failAfterApply > 0) {
                             --s.failAfterApply;
                             fail = true;
                             return;
                         }
                         ++node.okAnswers;
                         answer.insert(QStringLiteral("acked_seq"), node.acked);
                         answer.insert(QStringLiteral("commands"), node.commands);
                         node.commands = {};
                     });
                     if (fail)
                         throw api::ApiError(503, QStringLiteral("try again"));
                     return Response::json(answer);
                 },
                 {8 * 1024 * 1024});

    m_router.add(verb::post, "/agent/job/{job:uuid}/checkpoint", [this, jobOk](Request &r) {
        jobOk(r);
        const QJsonObject body = r.jsonObject();
        Checkpoint c;
        c.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        c.iteration = body.value(QStringLiteral("iteration")).toInteger();
        c.declared = body.value(QStringLiteral("files")).toArray();
        QJsonArray upload;
        for (const QJsonValue &f : std::as_const(c.declared)) {
            const QString path = f[QStringLiteral("path")].toString();
            upload.append(QJsonObject{
                {QStringLiteral("path"), path},
                {QStringLiteral("url"),
                 QString(QStringLiteral("/agent/job/") + m_jobId + QStringLiteral("/checkpoint/") +
                         c.id + QStringLiteral("/file?path=") +
                         QString::fromLatin1(QUrl::toPercentEncoding(path)))}});
        }
        modify([&](State &s) { s.checkpoints.push_back(c); });
        return Response::json(
            QJsonObject{{QStringLiteral("id"), c.id}, {QStringLiteral("upload"), upload}}, 201);
    });

    m_router.add(verb::put, "/agent/job/{job:uuid}/checkpoint/{id:uuid}/file",
                 [this, jobOk](Request &r) {
                     jobOk(r);
                     const QString id = r.param(QStringLiteral("id"));
                     const QString path = r.query(QStringLiteral("path")).value_or(QString());
                     const QByteArray bytes = QByteArray::fromStdString(r.rawBody());
                     bool found = false;
                     modify([&](State &s) {
                         for (Checkpoint &c : s.checkpoints)
                             if (c.id == id) {
                                 c.files[path] = bytes;
                                 found = true;
                             }
                     });
                     if (!found)
                         throw api::ApiError(404, QStringLiteral("no such checkpoint"));
                     return Response::json(QJsonObject{});
                 },
                 {64 * 1024 * 1024});

    m_router.add(verb::post, "/agent/job/{job:uuid}/checkpoint/{id:uuid}/complete",
                 [this, jobOk](Request &r) {
                     jobOk(r);
                     const QString id = r.param(QStringLiteral("id"));
                     QJsonObject answer;
                     modify([&](State &s) {
                         for (Checkpoint &c : s.checkpoints)
                             if (c.id == id) {
                                 c.completed = true;
                                 answer = {{QStringLiteral("id"), c.id},
                                           {QStringLiteral("iteration"), c.iteration}};
                             }
                     });
                     if (answer.isEmpty())
                         throw api::ApiError(404, QStringLiteral("no such checkpoint"));
                     return Response::json(answer);
                 });
}

} // namespace pf::agenttest
