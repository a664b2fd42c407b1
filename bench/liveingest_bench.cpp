// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// Live metrics on screen: 20 MetricCharts (the studio's chart widget, in a
// shown window on the offscreen platform) get 1,000 new points a second
// between them, on top of a history already loaded, for a while. What the
// GUI thread pays is measured as the gaps between firings of a 1 ms timer
// (a gap is the time the thread was busy with something else, plus the
// timer's own millisecond): their 50th, 99th and 100th percentile, and the
// share of gaps over a 16 ms frame. Baseline in the same run: the same
// timer with the window shown and no points arriving (the idle cost of the
// loop and the offscreen platform). No assertions on time.
//
//   pf_liveingest_bench [--quick] [--seconds S] [--history N]

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include <QApplication>
#include <QElapsedTimer>
#include <QGridLayout>
#include <QTimer>
#include <QWidget>

#include "models/metricseries.h"
#include "ui/metrics/metricchart.h"

namespace {

constexpr int kCharts = 20;
constexpr int kPointsPerSecond = 1000;
constexpr int kFeedEveryMs = 10; // 10 points a tick, spread over the charts

struct Gaps
{
    double p50 = 0;
    double p99 = 0;
    double max = 0;
    double overFrame = 0; // share of gaps over 16 ms
    qsizetype count = 0;
};

Gaps measure(int seconds, const std::function<void()> &feed)
{
    std::vector<double> gaps;
    QElapsedTimer clock;
    clock.start();
    qint64 last = clock.nsecsElapsed();
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(1);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        gaps.push_back((now - last) / 1e6);
        last = now;
    });
    QTimer feeder;
    feeder.setTimerType(Qt::PreciseTimer);
    feeder.setInterval(kFeedEveryMs);
    if (feed)
        QObject::connect(&feeder, &QTimer::timeout, feed);
    QTimer stop;
    stop.setSingleShot(true);
    QEventLoop loop;
    QObject::connect(&stop, &QTimer::timeout, &loop, &QEventLoop::quit);
    probe.start();
    feeder.start();
    stop.start(seconds * 1000);
    loop.exec();
    Gaps g;
    if (gaps.empty())
        return g;
    std::sort(gaps.begin(), gaps.end());
    const auto at = [&gaps](double q) { return gaps[size_t(q * double(gaps.size() - 1))]; };
    g.p50 = at(0.50);
    g.p99 = at(0.99);
    g.max = gaps.back();
    g.overFrame = double(std::count_if(gaps.begin(), gaps.end(), [](double x) { return x > 16; })) /
                  double(gaps.size());
    g.count = qsizetype(gaps.size());
    return g;
}

void print(const char *what, const Gaps &g)
{
    std::printf(
        "  %-34s p50 %6.2f ms  p99 %6.2f ms  max %7.2f ms  over 16 ms %5.2f%%  (%lld gaps)\n", what,
        g.p50, g.p99, g.max, g.overFrame * 100, static_cast<long long>(g.count));
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    const bool quick = args.contains(QStringLiteral("--quick"));
    int seconds = quick ? 2 : 10;
    qsizetype history = quick ? 5'000 : 100'000;
    for (qsizetype i = 1; i + 1 < args.size(); ++i) {
        if (args.at(i) == u"--seconds")
            seconds = std::max(1, args.at(i + 1).toInt());
        else if (args.at(i) == u"--history")
            history = std::max<qsizetype>(0, args.at(i + 1).toLongLong());
    }

    // 20 series with a history, as a job that has trained for a while.
    std::mt19937_64 rng(42);
    std::normal_distribution<double> noise(0.0, 0.05);
    std::vector<pf::models::MetricSeries> series(kCharts);
    std::vector<qint64> nextStep(kCharts, 1);
    const qint64 t0 = 1'700'000'000'000;
    for (int c = 0; c < kCharts; ++c) {
        series[size_t(c)].reserve(history + qsizetype(seconds) * kPointsPerSecond / kCharts + 16);
        for (qsizetype i = 0; i < history; ++i) {
            const qint64 step = nextStep[size_t(c)]++;
            series[size_t(c)].append(step, std::exp(-double(step) / 20000.0) + noise(rng),
                                     t0 + step * 100);
        }
    }

    QWidget window;
    window.resize(1600, 1000);
    auto *grid = new QGridLayout(&window);
    std::vector<pf::ui::MetricChart *> charts;
    for (int c = 0; c < kCharts; ++c) {
        auto *chart = new pf::ui::MetricChart(QStringLiteral("metric %1").arg(c), &window);
        chart->setSmoothing(0.6);
        chart->addSeries(QStringLiteral("job"), &series[size_t(c)], QColor(0x42, 0x85, 0xf4));
        grid->addWidget(chart, c / 5, c % 5);
        charts.push_back(chart);
    }
    window.show();
    QElapsedTimer settle;
    settle.start();
    while (settle.elapsed() < 500)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);

    std::printf("live ingest: %d charts, %lld points of history each, %d points/s in all, "
                "smoothing on, %d s per run\n",
                kCharts, static_cast<long long>(history), kPointsPerSecond, seconds);
    const Gaps idle = measure(seconds, {});
    print("baseline (window shown, no points)", idle);

    qsizetype fed = 0;
    int next = 0;
    const int perTick = kPointsPerSecond * kFeedEveryMs / 1000;
    const Gaps live = measure(seconds, [&] {
        // What JobStream hands over: a few points of a few metrics at a time.
        for (int i = 0; i < perTick; ++i) {
            const int c = next++ % kCharts;
            const qint64 step = nextStep[size_t(c)]++;
            series[size_t(c)].append(step, std::exp(-double(step) / 20000.0) + noise(rng),
                                     t0 + step * 100);
            charts[size_t(c)]->dataChanged();
            ++fed;
        }
    });
    print("live (1,000 points/s into 20 charts)", live);
    std::printf(
        "  points fed: %lld; p99 ratio to baseline %.2f; p99 share of a 16 ms frame %.0f%%\n",
        static_cast<long long>(fed), idle.p99 > 0 ? live.p99 / idle.p99 : 0.0,
        live.p99 / 16.0 * 100);
    return 0;
}
