// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// The jobs table with many jobs: N finished jobs are written straight into a
// running pfd's SQLite database (submitting them would start N processes),
// then the real JobsModel and JobsPane read them over loopback.
//
// Baseline, in the same run: the raw round trip of one page through
// ApiSession (request, server, JSON parse), 100 jobs a page. Printed:
//  - first page: request to rows inserted, and the part after the response
//    arrived (decode + insert), as a ratio to the baseline (target: the
//    after-arrival part well under 300 ms);
//  - fetchMore: time per page over every page, the ratio to the baseline;
//  - scrolling: a JobsPane offscreen, its table scrolled to the end step by
//    step with the view triggering fetchMore, time per step (scroll +
//    repaint), then page-down steps through the fully loaded table.
// No assertions on time.
//
//   pf_jobsmodel_bench [--quick] [--jobs N]

#include <algorithm>
#include <cstdio>

#include <QApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QScrollBar>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTableView>
#include <QTest>
#include <QUuid>

#include "bench/benchserver.h"
#include "models/jobsmodel.h"
#include "network/apisession.h"
#include "network/pfapi.h"
#include "tests/support/httpclient.h"
#include "ui/jobs/jobspane.h"

using pf::models::JobsModel;

namespace {

constexpr int kPage = 100;

struct Stats
{
    double median = 0;
    double p95 = 0;
    double max = 0;
    qsizetype count = 0;
};

Stats stats(QList<double> ms)
{
    Stats s;
    if (ms.isEmpty())
        return s;
    std::sort(ms.begin(), ms.end());
    s.count = ms.size();
    s.median = ms.at(ms.size() / 2);
    s.p95 = ms.at(std::min(ms.size() - 1, qsizetype(double(ms.size()) * 0.95)));
    s.max = ms.last();
    return s;
}

bool seed(const QString &dbPath, const QString &projectId, const QString &userId, int count)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("seed"));
    db.setDatabaseName(dbPath);
    if (!db.open()) {
        std::fprintf(stderr, "cannot open %s\n", qPrintable(dbPath));
        return false;
    }
    bool ok = true;
    {
        QSqlQuery q(db);
        q.exec(QStringLiteral("PRAGMA busy_timeout = 10000"));
        q.exec(QStringLiteral("SELECT id FROM vm_config WHERE code = 'bench-1c'"));
        const qint64 vm = q.next() ? q.value(0).toLongLong() : 0;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        db.transaction();
        q.exec(QStringLiteral("INSERT INTO experiments (project_id, name, created_by, created_at) "
                              "VALUES ('%1', 'bench', '%2', %3)")
                   .arg(projectId, userId)
                   .arg(now));
        const qint64 experiment = q.lastInsertId().toLongLong();
        q.prepare(QStringLiteral(
            "INSERT INTO jobs (id, project_id, number, name, status, experiment_id, vm_config_id, "
            "num_desired_devices, data_store_id, user_id, created_at, started_at, finished_at, "
            "progress, error_message, config) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, 1, NULL, ?, ?, ?, ?, ?, '', ?)"));
        static const char *const statuses[] = {"success", "failed", "terminated", "cancelled"};
        for (int n = 1; n <= count && ok; ++n) {
            const qint64 created = now - qint64(count - n) * 60000;
            const QJsonObject config{
                {QStringLiteral("name"), QStringLiteral("run-%1").arg(n)},
                {QStringLiteral("vm"), QStringLiteral("bench-1c")},
                {QStringLiteral("job_setting"),
                 QJsonObject{{QStringLiteral("type"), QStringLiteral("custom")},
                             {QStringLiteral("docker"),
                              QJsonObject{{QStringLiteral("image"), QStringLiteral("bench")},
                                          {QStringLiteral("command"),
                                           QStringLiteral("python train.py --seed %1").arg(n)}}}}}};
            q.addBindValue(QUuid::createUuid().toString(QUuid::WithoutBraces));
            q.addBindValue(projectId);
            q.addBindValue(n);
            q.addBindValue(QStringLiteral("run-%1").arg(n));
            q.addBindValue(QString::fromLatin1(statuses[n % 4]));
            q.addBindValue(experiment);
            q.addBindValue(vm);
            q.addBindValue(userId);
            q.addBindValue(created);
            q.addBindValue(created + 1000);
            q.addBindValue(created + 1000 + (n % 3600) * 1000);
            q.addBindValue(double(n % 101));
            q.addBindValue(QString::fromUtf8(QJsonDocument(config).toJson(QJsonDocument::Compact)));
            ok = q.exec();
            if (!ok)
                std::fprintf(stderr, "seed: %s\n", qPrintable(q.lastError().text()));
        }
        ok = ok && db.commit();
    }
    db.close();
    db = {};
    QSqlDatabase::removeDatabase(QStringLiteral("seed"));
    return ok;
}

bool waitSettled(JobsModel &model)
{
    return QTest::qWaitFor([&] { return model.state() != JobsModel::State::Fetching; }, 60000);
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("pf.*.debug=false"));
    const QStringList args = app.arguments();
    const bool quick = args.contains(QStringLiteral("--quick"));
    int count = quick ? 3000 : 100000;
    if (const qsizetype i = args.indexOf(QStringLiteral("--jobs")); i > 0 && i + 1 < args.size())
        count = args.at(i + 1).toInt();

    pf::bench::BenchServer server(
        "vm_types:\n  - {code: bench-1c, devices_per_vm: 1, max_vms: 1, default_quota: 1}\n");
    if (!server.start())
        return 1;
    const QString projectId = server.projectId();
    const QString sub = server.client()
                            .get(QStringLiteral("/auth/oauth2/userinfo"))
                            .json()
                            .value(QStringLiteral("sub"))
                            .toString();
    const QString userId = sub.mid(sub.indexOf(u'|') + 1);

    QElapsedTimer t;
    t.start();
    const QString db = QFileInfo(server.scratch()).path() + QStringLiteral("/data/pfd.db");
    if (!seed(db, projectId, userId, count))
        return 1;
    std::printf("seeded %d jobs into %s in %.1f s\n", count, qPrintable(db),
                double(t.elapsed()) / 1000.0);

    pf::network::ApiSession session(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(server.port())));
    session.setTokens(server.accessToken(), server.refreshToken());
    pf::network::PfApi api(&session);
    pf::models::Workspace ws;
    ws.api = &api;
    ws.userId = userId;
    ws.username = QStringLiteral("bench");
    ws.projectId = projectId;
    ws.orgRole = pf::api::OrgRole::Owner;

    // Baseline: one page's raw round trip (request, server, JSON parse).
    QList<double> rtMs;
    const QString pagePath =
        QStringLiteral("/api/project/%1/job/?limit=%2").arg(projectId).arg(kPage);
    // Three untimed rounds warm the server's caches first.
    for (int i = 0; i < 10; ++i) {
        bool done = false;
        t.restart();
        session.get(pagePath, [&](const pf::network::ApiResult &r) {
            done = r.ok();
            if (i >= 3)
                rtMs << double(t.nsecsElapsed()) / 1e6;
        });
        if (!QTest::qWaitFor([&] { return done; }, 30000)) {
            std::fprintf(stderr, "baseline request failed\n");
            return 1;
        }
    }
    const double baseline = stats(rtMs).median;
    std::printf("baseline: one page of %d jobs, raw round trip + JSON parse: %.2f ms (median of "
                "%lld)\n",
                kPage, baseline, qlonglong(rtMs.size()));

    // First page through the model.
    {
        QList<double> firstMs;
        QList<double> applyMs;
        JobsModel model;
        model.setPollInterval(0);
        model.setPageSize(kPage);
        for (int i = 0; i < 7; ++i) {
            t.restart();
            if (i == 0)
                model.setWorkspace(ws);
            else
                model.reload();
            if (!waitSettled(model) || model.rowCount() != std::min(kPage, count)) {
                std::fprintf(stderr, "first page failed: %s\n", qPrintable(model.errorString()));
                return 1;
            }
            firstMs << double(t.nsecsElapsed()) / 1e6;
            applyMs << double(model.lastPageApplyNs()) / 1e6;
        }
        const Stats first = stats(firstMs);
        const Stats apply = stats(applyMs);
        std::printf("first page: request to rows inserted %.2f ms = %.2fx baseline; after the "
                    "response arrived (decode + insert) ~%.2f ms; insert alone %.3f ms "
                    "(medians of %lld)\n",
                    first.median, first.median / baseline, std::max(0.0, first.median - baseline),
                    apply.median, qlonglong(first.count));
    }

    // Every page through fetchMore, no view.
    {
        JobsModel model;
        model.setPollInterval(0);
        model.setPageSize(kPage);
        model.setWorkspace(ws);
        waitSettled(model);
        QList<double> pageMs;
        QList<double> applyMs;
        QElapsedTimer all;
        all.start();
        while (model.canFetchMore({})) {
            t.restart();
            model.fetchMore({});
            if (!waitSettled(model))
                return 1;
            pageMs << double(t.nsecsElapsed()) / 1e6;
            applyMs << double(model.lastPageApplyNs()) / 1e6;
        }
        const Stats s = stats(pageMs);
        const Stats a = stats(applyMs);
        std::printf("fetchMore: %lld pages to %d rows in %.1f s; per page median %.2f ms "
                    "(%.2fx baseline), p95 %.2f ms, max %.2f ms; insert alone median %.3f ms, "
                    "max %.3f ms\n",
                    qlonglong(s.count), model.rowCount(), double(all.elapsed()) / 1000.0, s.median,
                    s.median / baseline, s.p95, s.max, a.median, a.max);
        if (model.rowCount() != count)
            std::fprintf(stderr, "expected %d rows, have %d\n", count, model.rowCount());
    }

    // The pane, offscreen: scroll to the end, the view fetching as it goes.
    {
        pf::ui::JobsPane pane;
        pane.model()->setPollInterval(0);
        pane.model()->setPageSize(kPage);
        pane.resize(1400, 900);
        pane.show();
        t.restart();
        pane.setWorkspace(ws);
        JobsModel &model = *pane.model();
        waitSettled(model);
        QTableView *table = pane.table();
        QScrollBar *bar = table->verticalScrollBar();
        table->viewport()->repaint();
        std::printf("pane: first page painted %.2f ms after setWorkspace (%.2fx baseline)\n",
                    double(t.nsecsElapsed()) / 1e6, double(t.nsecsElapsed()) / 1e6 / baseline);

        QList<double> stepMs;
        QList<double> waitMs;
        QElapsedTimer all;
        all.start();
        while (model.state() != JobsModel::State::Fetched || bar->value() != bar->maximum()) {
            t.restart();
            bar->setValue(bar->maximum()); // the view calls fetchMore()
            table->viewport()->repaint();
            stepMs << double(t.nsecsElapsed()) / 1e6;
            t.restart();
            if (!waitSettled(model))
                return 1;
            QCoreApplication::processEvents();
            waitMs << double(t.nsecsElapsed()) / 1e6;
            if (model.state() == JobsModel::State::Error)
                return 1;
        }
        const Stats s = stats(stepMs);
        const Stats w = stats(waitMs);
        std::printf("scroll to end: %lld steps to %d rows in %.1f s; per step (scroll + repaint) "
                    "median %.2f ms (%.2fx baseline), p95 %.2f ms, max %.2f ms; waiting for the "
                    "page median %.2f ms\n",
                    qlonglong(s.count), model.rowCount(), double(all.elapsed()) / 1000.0, s.median,
                    s.median / baseline, s.p95, s.max, w.median);

        // Page up through the loaded table.
        QList<double> pgMs;
        for (int i = 0; i < 300 && bar->value() > 0; ++i) {
            t.restart();
            bar->triggerAction(QAbstractSlider::SliderPageStepSub);
            table->viewport()->repaint();
            pgMs << double(t.nsecsElapsed()) / 1e6;
        }
        // Jumps across the whole range.
        for (int i = 0; i < 100; ++i) {
            t.restart();
            bar->setValue(int(qint64(bar->maximum()) * ((i * 37) % 100) / 100));
            table->viewport()->repaint();
            pgMs << double(t.nsecsElapsed()) / 1e6;
        }
        const Stats p = stats(pgMs);
        std::printf("loaded table, %lld page-up steps and jumps: median %.2f ms (%.2fx baseline), "
                    "p95 %.2f ms, max %.2f ms\n",
                    qlonglong(p.count), p.median, p.median / baseline, p.p95, p.max);
    }
    return 0;
}
