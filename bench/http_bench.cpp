// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// pfd's request rate for a real route, against the transport's own ceiling.
//
// Two servers run in this process on 127.0.0.1 with the same transport,
// worker and I/O thread settings: pfd (ServerApp: auth, SQL, JSON) and a
// bare HttpServer whose only route returns a constant body of the same size.
// Each is driven with keep-alive GETs from 1 client and from 16 concurrent
// clients; the figure that matters is pfd's rate as a fraction of the bare
// one, since both share the machine's noise. It also times pfd's cold start
// (exec to the port on stdout, fresh data dir) against `pfd --version`
// (process start and Qt initialisation alone).
//
//   pf_http_bench [--quick] [--seconds S]

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>

#include "server/auth/passwordhasher.h"
#include "server/http/accesslog.h"
#include "server/http/httpserver.h"
#include "server/http/router.h"
#include "server/http/workerpool.h"
#include "server/serverapp.h"
#include "server/store/database.h"
#include "server/store/userrepo.h"
#include "tests/support/httpclient.h"

using namespace pf::server;
using pf::test::HttpClient;
using Clock = std::chrono::steady_clock;

namespace {

struct Rate
{
    double perSecond = 0;
    long requests = 0;
    long failures = 0;
};

// `clients` threads, each with its own keep-alive connection, GET `target`
// as fast as answers come for `seconds`.
Rate drive(quint16 port, const QString &target, const QString &token, int clients, double seconds)
{
    std::atomic<long> done{0};
    std::atomic<long> failed{0};
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    const auto start = Clock::now();
    for (int i = 0; i < clients; ++i) {
        threads.emplace_back([&] {
            HttpClient c("127.0.0.1", port);
            c.setToken(token);
            long n = 0;
            long bad = 0;
            while (!stop.load(std::memory_order_relaxed)) {
                if (c.get(target).status != 200)
                    ++bad;
                ++n;
            }
            done += n;
            failed += bad;
        });
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds)); // the measuring window
    stop = true;
    for (auto &t : threads)
        t.join();
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    return {double(done) / elapsed, done, failed};
}

double medianMs(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// Milliseconds from exec to the first line on stdout (or to exit).
double timeToFirstLine(const QStringList &args)
{
    QProcess p;
    p.setProgram(QCoreApplication::applicationDirPath() + QStringLiteral("/pfd"));
    p.setArguments(args);
    p.setStandardErrorFile(QProcess::nullDevice());
    QElapsedTimer t;
    t.start();
    p.start();
    p.waitForStarted();
    while (!p.canReadLine() && p.state() == QProcess::Running)
        p.waitForReadyRead(10000);
    const double ms = double(t.nsecsElapsed()) / 1e6;
    p.terminate();
    p.waitForFinished(10000);
    return ms;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const bool quick = args.contains(QStringLiteral("--quick"));
    double seconds = quick ? 0.5 : 3.0;
    if (const qsizetype i = args.indexOf(QStringLiteral("--seconds")); i > 0 && i + 1 < args.size())
        seconds = args.at(i + 1).toDouble();

    QTemporaryDir dir;
    ServerConfig config = ServerConfig::defaults();
    config.passwordHashing = QStringLiteral("minimal");
    config.accessLog = false;

    // A user made straight in the store, then the org and project over HTTP.
    {
        DataDir{dir.path()}.prepare();
        Database db(*DatabaseConfig::parse(DataDir{dir.path()}.database(), nullptr));
        db.migrate();
        UserRepo(db.connection())
            .create(QStringLiteral("bench"), QStringLiteral("Bench"),
                    QStringLiteral("bench@example.test"),
                    PasswordHasher(PasswordHasher::Strength::Minimal).hash("bench-password"), true);
    }
    ServerApp pfd({dir.path(), QStringLiteral("127.0.0.1"), 0, config, nullptr});
    const quint16 pfdPort = pfd.listen();
    std::thread pfdThread([&] { pfd.run(); });

    HttpClient setup("127.0.0.1", pfdPort);
    const auto login =
        setup.postForm(QStringLiteral("/api/token/"),
                       {{QStringLiteral("username"), QStringLiteral("bench")},
                        {QStringLiteral("password"), QStringLiteral("bench-password")}});
    const QString token = login.json().value(QStringLiteral("access_token")).toString();
    setup.setToken(token);
    const QString orgId = setup
                              .postJson(QStringLiteral("/auth/pf_group"),
                                        {{QStringLiteral("name"), QStringLiteral("bench-org")}})
                              .json()
                              .value(QStringLiteral("id"))
                              .toString();
    for (int i = 0; i < 10; ++i)
        setup.postJson(QStringLiteral("/auth/pf_group/%1/pf_project").arg(orgId),
                       {{QStringLiteral("name"), QStringLiteral("project-%1").arg(i)}});
    const QString target = QStringLiteral("/auth/pf_group/%1/pf_project/").arg(orgId);
    const auto sample = setup.get(target);
    if (sample.status != 200 || token.isEmpty()) {
        std::fprintf(stderr, "setup failed: %d %s\n", sample.status, sample.body.constData());
        return 1;
    }

    // The baseline: the same transport and thread counts, a constant answer
    // of the same size, no auth, no SQL.
    Router constRouter;
    const QByteArray constant = sample.body;
    constRouter.add(boost::beast::http::verb::get, "/const", [&constant](Request &) {
        return Response{200, constant, QByteArrayLiteral("application/json"), {}};
    });
    AccessLog noLog(nullptr);
    WorkerPool constWorkers(config.workerThreads, nullptr, nullptr);
    HttpServerOptions options;
    options.port = 0;
    options.ioThreads = config.ioThreads;
    HttpServer bare(options, constRouter, constWorkers, noLog);
    const quint16 barePort = bare.listen();
    std::thread bareThread([&] { bare.run(); });

    std::printf("pfd HTTP benchmark: GET %s (10 projects, %lld bytes) vs a constant handler\n",
                "/auth/pf_group/{gid}/pf_project/", qint64(constant.size()));
    std::printf("%d I/O thread(s), %d worker threads, %.1f s per measurement, %u cores\n\n",
                config.ioThreads, config.workerThreads, seconds,
                std::thread::hardware_concurrency());
    std::printf("%-10s %14s %14s %8s\n", "clients", "pfd req/s", "baseline req/s", "ratio");
    int status = 0;
    for (int clients : {1, 16}) {
        // Alternate so drift in machine speed hits both sides alike.
        const Rate base1 = drive(barePort, QStringLiteral("/const"), {}, clients, seconds / 2);
        const Rate real1 = drive(pfdPort, target, token, clients, seconds / 2);
        const Rate base2 = drive(barePort, QStringLiteral("/const"), {}, clients, seconds / 2);
        const Rate real2 = drive(pfdPort, target, token, clients, seconds / 2);
        const double real = (real1.perSecond + real2.perSecond) / 2;
        const double base = (base1.perSecond + base2.perSecond) / 2;
        std::printf("%-10d %14.0f %14.0f %8.2f\n", clients, real, base, real / base);
        if (real1.failures + real2.failures + base1.failures + base2.failures > 0) {
            std::printf("  %ld failed requests\n",
                        real1.failures + real2.failures + base1.failures + base2.failures);
            status = 1;
        }
    }

    pfd.stop();
    bare.stop();
    pfdThread.join();
    bareThread.join();
    constWorkers.stop();

    const int runs = quick ? 3 : 9;
    std::vector<double> cold;
    std::vector<double> version;
    for (int i = 0; i < runs; ++i) {
        QTemporaryDir fresh;
        cold.push_back(
            timeToFirstLine({QStringLiteral("--data-dir"), fresh.path(), QStringLiteral("--listen"),
                             QStringLiteral("127.0.0.1:0")}));
        version.push_back(timeToFirstLine({QStringLiteral("--version")}));
    }
    const double coldMs = medianMs(cold);
    const double versionMs = medianMs(version);
    std::printf("\npfd cold start to port (fresh data dir, median of %d): %.1f ms; `pfd "
                "--version`: %.1f ms; "
                "ratio %.2f\n",
                runs, coldMs, versionMs, coldMs / versionMs);
    return status;
}
