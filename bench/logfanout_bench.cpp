// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// The log websocket's fan-out: how fast one job's records reach 50 followers
// at once, against 1 follower in the same run.
//
// pfd runs in this process (ServerApp) with a stand-in agent binary; the
// benchmark acts as the job's agent and reports N records of about 100
// bytes through /agent/ report calls of 500 records each, from one thread,
// as fast as pfd acknowledges them. Each follower is a websocket client on a
// thread of its own, subscribed to process.stdout before the first report,
// reading until it has all N records. A follower's rate is N over the time
// from the first report to its last record; the total is the records
// delivered to all followers over the time until the last follower is done.
// Rounds alternate 1 follower / 50 followers (a fresh job each) so that drift
// in machine speed hits both; the figures that matter are the ratios.
//
//   pf_logfanout_bench [--quick] [--records N] [--followers F] [--rounds R] [--io-threads T]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>
#include <vector>

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QTemporaryDir>

#include "server/auth/jwt.h"
#include "server/auth/passwordhasher.h"
#include "server/serverapp.h"
#include "server/store/database.h"
#include "server/store/userrepo.h"
#include "tests/support/httpclient.h"
#include "tests/support/wsclient.h"

using namespace pf::server;
using pf::test::HttpClient;
using pf::test::WsClient;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kBatch = 500;

struct Setup
{
    quint16 port = 0;
    QString token;
    QString projectId;
    QByteArray jwtKey;
};

struct Round
{
    double perFollower = 0; // records/s, the mean over followers
    double total = 0;       // records/s delivered to all followers together
    double ingest = 0;      // records/s acknowledged by the report calls
    bool ok = true;
};

std::unique_ptr<WsClient> follow(const Setup &s, const QString &jobId, const QStringList &sources)
{
    auto ws = std::make_unique<WsClient>("127.0.0.1", s.port);
    if (ws->connect(QStringLiteral("/ws/job/%1/?token=%2").arg(jobId, s.token).toStdString())
            .status != 101)
        return nullptr;
    ws->sendJson({{QStringLiteral("type"), QStringLiteral("subscribe")},
                  {QStringLiteral("sources"), QJsonArray::fromStringList(sources)}});
    const auto answer = ws->next();
    if (!answer || answer->value(QStringLiteral("response_type")) != QStringLiteral("subscribe"))
        return nullptr;
    return ws;
}

// Submits a job, waits for pfd to admit it, reports `running`; its id.
QString startJob(const Setup &s, QString *agentToken)
{
    HttpClient c("127.0.0.1", s.port);
    c.setToken(s.token);
    const auto r = c.postJson(
        QStringLiteral("/api/project/%1/job/").arg(s.projectId),
        {{QStringLiteral("experiment"), QStringLiteral("bench")},
         {QStringLiteral("vm"), QStringLiteral("bench-cpu")},
         {QStringLiteral("num_devices"), 1},
         {QStringLiteral("job_setting"),
          QJsonObject{{QStringLiteral("type"), QStringLiteral("custom")},
                      {QStringLiteral("docker"),
                       QJsonObject{{QStringLiteral("image"), QStringLiteral("x")},
                                   {QStringLiteral("command"), QStringLiteral("true")}}}}}});
    const QString id = r.json().value(QStringLiteral("id")).toString();
    const qint64 number = r.json().value(QStringLiteral("number")).toInteger();
    if (r.status != 201)
        return {};
    auto status = follow(s, id, {QStringLiteral("job.status")});
    if (!status)
        return {};
    QString now = c.get(QStringLiteral("/api/project/%1/job/%2/").arg(s.projectId).arg(number))
                      .json()
                      .value(QStringLiteral("status"))
                      .toString();
    while (now == u"waiting" || now == u"enqueued" || now == u"started") {
        const auto m = status->next();
        if (!m)
            return {};
        now = m->value(QStringLiteral("status")).toString();
    }
    const Jwt jwt(s.jwtKey);
    *agentToken = QString::fromLatin1(
        jwt.sign({{QStringLiteral("sub"), id},
                  {QStringLiteral("node_rank"), 0},
                  {QStringLiteral("typ"), QStringLiteral("agent")},
                  {QStringLiteral("exp"), QDateTime::currentSecsSinceEpoch() + 3600}}));
    HttpClient agent("127.0.0.1", s.port);
    agent.setToken(*agentToken);
    agent.postJson(
        QStringLiteral("/agent/job/%1/node/0/report").arg(id),
        {{QStringLiteral("records"),
          QJsonArray{QJsonObject{{QStringLiteral("seq"), 1},
                                 {QStringLiteral("kind"), QStringLiteral("status")},
                                 {QStringLiteral("status"), QStringLiteral("running")}}}}});
    return id;
}

Round run(const Setup &s, int followers, int records)
{
    Round round;
    QString agentToken;
    const QString jobId = startJob(s, &agentToken);
    if (jobId.isEmpty()) {
        std::fprintf(stderr, "could not start a job\n");
        round.ok = false;
        return round;
    }
    std::vector<std::unique_ptr<WsClient>> clients;
    for (int i = 0; i < followers; ++i) {
        clients.push_back(follow(s, jobId, {QStringLiteral("process.stdout")}));
        if (!clients.back()) {
            std::fprintf(stderr, "follower %d could not subscribe\n", i);
            round.ok = false;
            return round;
        }
    }
    // The report bodies, built beforehand: only pfd's work is timed.
    std::vector<QJsonObject> bodies;
    const QString line =
        QStringLiteral("step %1 loss=0.%2 lr=3.0e-4 tokens/s=48213 ") + QString(40, u'.');
    qint64 seq = 1;
    for (int i = 0; i < records; i += kBatch) {
        QJsonArray batch;
        for (int j = i; j < std::min(records, i + kBatch); ++j)
            batch.append(QJsonObject{{QStringLiteral("seq"), ++seq},
                                     {QStringLiteral("kind"), QStringLiteral("log")},
                                     {QStringLiteral("type"), QStringLiteral("stdout")},
                                     {QStringLiteral("content"), line.arg(j).arg(j % 997)},
                                     {QStringLiteral("time_ms"), qint64(j)}});
        bodies.push_back({{QStringLiteral("records"), batch}});
    }

    std::vector<double> seconds(std::size_t(followers), 0);
    std::vector<int> got(std::size_t(followers), 0);
    const auto start = Clock::now();
    std::vector<std::thread> readers;
    for (int i = 0; i < followers; ++i) {
        readers.emplace_back([&, i] {
            WsClient &ws = *clients[std::size_t(i)];
            int n = 0;
            while (n < records) {
                if (!ws.nextText(std::chrono::milliseconds(60'000)))
                    break;
                ++n;
            }
            got[std::size_t(i)] = n;
            seconds[std::size_t(i)] = std::chrono::duration<double>(Clock::now() - start).count();
        });
    }
    HttpClient agent("127.0.0.1", s.port);
    agent.setToken(agentToken);
    const QString target = QStringLiteral("/agent/job/%1/node/0/report").arg(jobId);
    for (const QJsonObject &body : bodies) {
        if (agent.postJson(target, body).status != 200)
            round.ok = false;
    }
    const double ingestSeconds = std::chrono::duration<double>(Clock::now() - start).count();
    for (std::thread &t : readers)
        t.join();
    // End the job, so that its followers are closed.
    agent.postJson(target,
                   {{QStringLiteral("records"),
                     QJsonArray{QJsonObject{{QStringLiteral("seq"), ++seq},
                                            {QStringLiteral("kind"), QStringLiteral("status")},
                                            {QStringLiteral("status"), QStringLiteral("exited")},
                                            {QStringLiteral("exit_code"), 0}}}}});

    double sum = 0;
    double slowest = 0;
    for (int i = 0; i < followers; ++i) {
        if (got[std::size_t(i)] != records) {
            std::fprintf(stderr, "follower %d got %d of %d records\n", i, got[std::size_t(i)],
                         records);
            round.ok = false;
        }
        sum += records / seconds[std::size_t(i)];
        slowest = std::max(slowest, seconds[std::size_t(i)]);
    }
    round.perFollower = sum / followers;
    round.total = double(records) * followers / slowest;
    round.ingest = records / ingestSeconds;
    return round;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("pf.*.info=false"));
    const QStringList args = app.arguments();
    const bool quick = args.contains(QStringLiteral("--quick"));
    const auto option = [&](const char *name, int fallback) {
        const qsizetype i = args.indexOf(QString::fromLatin1(name));
        return i > 0 && i + 1 < args.size() ? args.at(i + 1).toInt() : fallback;
    };
    const int records = option("--records", quick ? 2000 : 20000);
    const int many = option("--followers", 50);
    const int rounds = option("--rounds", quick ? 1 : 2);
    const int ioThreads = option("--io-threads", 1);

    QTemporaryDir dir;
    const QString agent = dir.filePath(QStringLiteral("fake-agent.sh"));
    {
        QFile script(agent);
        if (!script.open(QIODevice::WriteOnly))
            return 1;
        script.write("#!/bin/sh\nwhile kill -0 \"$PPID\" 2>/dev/null; do sleep 1; done\n");
        script.close();
        script.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }
    const QString dataDir = dir.filePath(QStringLiteral("data"));
    ServerConfig config = ServerConfig::defaults();
    config.passwordHashing = QStringLiteral("minimal");
    config.accessLog = false;
    config.ioThreads = ioThreads;
    config.jobSandbox = QStringLiteral("none");
    config.agentBinary = agent;
    VmTypeConfig vm;
    vm.code = QStringLiteral("bench-cpu");
    vm.maxVms = 100;
    vm.defaultQuota = 100;
    config.vmTypes = {vm};
    {
        DataDir{dataDir}.prepare();
        Database db(*DatabaseConfig::parse(DataDir{dataDir}.database(), nullptr));
        db.migrate();
        UserRepo(db.connection())
            .create(QStringLiteral("bench"), QStringLiteral("Bench"),
                    QStringLiteral("bench@example.test"),
                    PasswordHasher(PasswordHasher::Strength::Minimal).hash("bench-password"), true);
    }
    ServerApp pfd({dataDir, QStringLiteral("127.0.0.1"), 0, config, nullptr});
    Setup s;
    s.port = pfd.listen();
    std::thread pfdThread([&] { pfd.run(); });
    {
        QFile key(DataDir{dataDir}.jwtKey());
        if (key.open(QIODevice::ReadOnly))
            s.jwtKey = key.readAll();
    }
    HttpClient setup("127.0.0.1", s.port);
    s.token = setup
                  .postForm(QStringLiteral("/api/token/"),
                            {{QStringLiteral("username"), QStringLiteral("bench")},
                             {QStringLiteral("password"), QStringLiteral("bench-password")}})
                  .json()
                  .value(QStringLiteral("access_token"))
                  .toString();
    setup.setToken(s.token);
    const QString orgId = setup
                              .postJson(QStringLiteral("/auth/pf_group"),
                                        {{QStringLiteral("name"), QStringLiteral("bench-org")}})
                              .json()
                              .value(QStringLiteral("id"))
                              .toString();
    s.projectId = setup
                      .postJson(QStringLiteral("/auth/pf_group/%1/pf_project").arg(orgId),
                                {{QStringLiteral("name"), QStringLiteral("bench")}})
                      .json()
                      .value(QStringLiteral("id"))
                      .toString();
    if (s.token.isEmpty() || s.projectId.isEmpty() || s.jwtKey.size() != Jwt::KeyBytes) {
        std::fprintf(stderr, "setup failed\n");
        pfd.stop();
        pfdThread.join();
        return 1;
    }

    std::printf("pfd log fan-out: %d records of ~100 bytes in reports of %d, 1 vs %d websocket "
                "followers\n%u cores, %d I/O thread(s), %d round(s)\n\n",
                records, kBatch, many, std::thread::hardware_concurrency(), ioThreads, rounds);
    Round one;
    Round fan;
    bool ok = true;
    for (int r = 0; r < rounds; ++r) {
        const Round a = run(s, 1, records);
        const Round b = run(s, many, records);
        ok = ok && a.ok && b.ok;
        one.perFollower += a.perFollower / rounds;
        one.total += a.total / rounds;
        one.ingest += a.ingest / rounds;
        fan.perFollower += b.perFollower / rounds;
        fan.total += b.total / rounds;
        fan.ingest += b.ingest / rounds;
    }
    std::printf("%-10s %18s %18s %18s\n", "followers", "per follower rec/s", "total rec/s",
                "ingest rec/s");
    std::printf("%-10d %18.0f %18.0f %18.0f\n", 1, one.perFollower, one.total, one.ingest);
    std::printf("%-10d %18.0f %18.0f %18.0f\n", many, fan.perFollower, fan.total, fan.ingest);
    std::printf("ratio      %18.2f %18.2f %18.2f\n", fan.perFollower / one.perFollower,
                fan.total / one.total, fan.ingest / one.ingest);

    pfd.stop();
    pfdThread.join();
    return ok ? 0 : 1;
}
