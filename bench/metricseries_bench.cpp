// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// A metric chart at full resolution: a MetricSeries of ten million points
// redrawn by the studio's MetricChart (offscreen, 1,600 pixel columns)
// zoomed out (the whole range) and zoomed in (1% and 0.01% of it, at
// windows spread over the series), raw and with smoothing on. A redraw is
// MetricChart::redraw(): reduce() per line, the axes' ranges and one
// QXYSeries::replace() per line; the paint that follows is timed apart.
// Baseline in the same run: replace() with every point, what a chart
// without the pyramid would do. Printed: median and worst of each redraw,
// its share of a 16 ms frame and its ratio to the baseline; the pyramid's
// fanout compared (append rate, memory, reduce time); appending (points/s,
// against std::vector::push_back of the same points), memory per
// point, smoothing, CSV export. No assertions on time.
//
//   pf_metricseries_bench [--quick] [--points N] [--baseline-points N]

#include <algorithm>
#include <cstdio>
#include <functional>
#include <random>
#include <vector>

#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QElapsedTimer>
#include <QIODevice>
#include <QLineSeries>
#include <QPixmap>
#include <QValueAxis>

#include "models/metricseries.h"
#include "ui/metrics/metricchart.h"

using pf::models::MetricSeries;
using XAxis = MetricSeries::XAxis;

namespace {

constexpr int kColumns = 1600;
constexpr qint64 kT0 = 1'700'000'000'000;

struct Timing
{
    double median = 0;
    double worst = 0;
};

Timing summarise(QList<double> ms)
{
    std::sort(ms.begin(), ms.end());
    return {ms.at(ms.size() / 2), ms.last()};
}

double msSince(const QElapsedTimer &t)
{
    return double(t.nsecsElapsed()) / 1e6;
}

// A training loss: decaying, noisy, a spike now and then; a point every
// ~100 ms. Generated before the timing starts.
struct Points
{
    std::vector<qint64> steps;
    std::vector<double> values;
    std::vector<qint64> times;

    explicit Points(qsizetype n)
    {
        std::mt19937_64 rng(42);
        std::normal_distribution<double> noise(0.0, 0.05);
        qint64 time = kT0;
        for (qsizetype s = 0; s < n; ++s) {
            steps.push_back(s);
            values.push_back(2.0 / (1.0 + double(s) * 1e-6) + noise(rng) +
                             (rng() % 100'000 == 0 ? 50.0 : 0.0));
            time += 90 + qint64(rng() % 20);
            times.push_back(time);
        }
    }
    qsizetype size() const { return qsizetype(steps.size()); }
};

struct Built
{
    double appendMs = 0;
    qint64 bytes = 0;
};

Built build(MetricSeries &series, const Points &points, bool reserve)
{
    QElapsedTimer t;
    t.start();
    if (reserve)
        series.reserve(points.size());
    for (size_t i = 0; i < points.steps.size(); ++i)
        series.append(points.steps[i], points.values[i], points.times[i]);
    return {msSince(t), series.memoryBytes()};
}

struct Zoom
{
    const char *name;
    double fraction;
};

constexpr Zoom kZooms[] = {{"whole", 1.0}, {"1%", 0.01}, {"0.01%", 0.0001}};

// The k-th of `runs` windows of a zoom, spread from the start to the end.
std::pair<double, double> window(const MetricSeries &s, double fraction, int k, int runs)
{
    const MetricSeries::Range r = s.xRange(XAxis::Step);
    const double width = (r.max - r.min) * fraction;
    const double start = r.min + (r.max - r.min - width) * (runs > 1 ? double(k) / (runs - 1) : 0);
    return {start, start + width};
}

Timing timeReduce(const MetricSeries &s, double fraction, int runs)
{
    QList<double> ms;
    qsizetype sink = 0;
    for (int k = 0; k < runs; ++k) {
        const auto [x0, x1] = window(s, fraction, k, runs);
        QElapsedTimer t;
        t.start();
        sink += s.reduce(x0, x1, kColumns, XAxis::Step).points.size();
        ms.append(msSince(t));
    }
    if (sink < 0)
        std::abort();
    return summarise(ms);
}

// Discards what is written: the CSV export without the disk.
class NullDevice final : public QIODevice
{
public:
    NullDevice() { open(QIODevice::WriteOnly); }
    qint64 written = 0;

protected:
    qint64 readData(char *, qint64) override { return -1; }
    qint64 writeData(const char *, qint64 len) override
    {
        written += len;
        return len;
    }
};

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    const bool quick = args.contains(QStringLiteral("--quick"));
    const auto option = [&](const QString &name, qsizetype fallback) {
        const qsizetype i = args.indexOf(name);
        return i > 0 && i + 1 < args.size() ? args.at(i + 1).toLongLong() : fallback;
    };
    const qsizetype n = option(QStringLiteral("--points"), quick ? 200'000 : 10'000'000);
    const qsizetype baselineN = option(QStringLiteral("--baseline-points"), n);
    const int runs = quick ? 5 : 41;

    std::printf("MetricSeries: %lld points, %d pixel columns, %d windows per zoom\n\n",
                static_cast<long long>(n), kColumns, runs);

    const Points points(n);

    // Appending, against the plain array of the same points. Both write to
    // fresh memory, so both pay its page faults.
    {
        struct Raw
        {
            qint64 step = 0;
            double value = 0;
            qint64 time = 0;
        };
        QElapsedTimer t;
        t.start();
        std::vector<Raw> raw;
        for (size_t i = 0; i < points.steps.size(); ++i)
            raw.push_back({points.steps[i], points.values[i], points.times[i]});
        const double baseMs = msSince(t);
        if (raw.size() != size_t(n))
            std::abort();
        raw = {};
        MetricSeries s;
        const Built b = build(s, points, false);
        // clear() keeps the memory: appending again shows the cost without
        // the page faults of fresh memory.
        s.clear();
        const Built again = build(s, points, false);
        s = MetricSeries();
        MetricSeries reserved;
        const Built r = build(reserved, points, true);
        std::printf("append (baseline: std::vector<{step,value,time}>::push_back, %.0f ms, "
                    "%.1f M points/s)\n",
                    baseMs, double(n) / baseMs / 1e3);
        std::printf("  MetricSeries::append:              %7.0f ms, %5.1f M points/s, "
                    "ratio %.2f; %.1f bytes/point held\n",
                    b.appendMs, double(n) / b.appendMs / 1e3, b.appendMs / baseMs,
                    double(b.bytes) / double(n));
        std::printf("  after reserve(n):                  %7.0f ms, %5.1f M points/s, "
                    "ratio %.2f; %.1f bytes/point (24 of them the point)\n",
                    r.appendMs, double(n) / r.appendMs / 1e3, r.appendMs / baseMs,
                    double(r.bytes) / double(n));
        std::printf("  again after clear() (memory kept): %7.0f ms, %5.1f M points/s\n\n",
                    again.appendMs, double(n) / again.appendMs / 1e3);
    }

    // History that arrives after the live stream started: every history
    // point is inserted before the live ones (O(live points) each).
    {
        const qsizetype history = std::min<qsizetype>(n, quick ? 20'000 : 1'000'000);
        const qsizetype live = 1000;
        MetricSeries s;
        for (qsizetype i = 0; i < live; ++i)
            s.append(history + i, 1.0, kT0 + (history + i) * 100);
        QElapsedTimer t;
        t.start();
        for (qsizetype i = 0; i < history; ++i) {
            if (s.append(points.steps[size_t(i)], points.values[size_t(i)],
                         points.times[size_t(i)]) != MetricSeries::AppendResult::Inserted)
                std::abort();
        }
        const double ms = msSince(t);
        std::printf(
            "history after %lld live points: %lld inserted in %.0f ms (%.2f M points/s)\n\n",
            static_cast<long long>(live), static_cast<long long>(history), ms,
            double(history) / ms / 1e3);
    }

    // The fanout: append rate, memory, reduce at each zoom.
    std::printf("fanout  append M pts/s  bytes/point  levels   reduce median / worst ms:");
    for (const Zoom &z : kZooms)
        std::printf("  %-14s", z.name);
    std::printf("\n");
    for (const int fanout : {8, 16, 32, 64}) {
        MetricSeries s(fanout);
        const Built b = build(s, points, true);
        std::printf("%6d  %14.1f  %11.2f  %6d  %25s", fanout, double(n) / b.appendMs / 1e3,
                    double(b.bytes) / double(n), s.levelCount(), "");
        for (const Zoom &z : kZooms) {
            const Timing t = timeReduce(s, z.fraction, runs);
            std::printf("  %5.3f / %5.3f", t.median, t.worst);
        }
        std::printf("\n");
    }
    std::printf("\n");

    MetricSeries series;
    build(series, points, true);

    // Smoothing: computed once for the whole series when the weight changes;
    // a redraw of the smoothed line then costs what the raw one does.
    {
        QElapsedTimer t;
        t.start();
        series.setSmoothing(0.9);
        const double setMs = msSince(t);
        t.start();
        series.setSmoothing(0.95);
        const double changeMs = msSince(t);
        std::printf("smoothing, %lld points: on (0.9) %.0f ms, to 0.95 %.0f ms (once per "
                    "weight); %.1f bytes/point with it\n\n",
                    static_cast<long long>(n), setMs, changeMs,
                    double(series.memoryBytes()) / double(n));
        series.setSmoothing(0.0);
    }

    // The studio's chart, offscreen, its plot area kColumns wide.
    pf::ui::MetricChart view(QStringLiteral("loss"));
    view.addSeries(QStringLiteral("loss"), &series, QColor(0x1f, 0x77, 0xb4));
    view.resize(kColumns + 160, 600);
    view.show();
    QApplication::processEvents();
    view.resize(view.width() - int(view.chart()->plotArea().width()) + kColumns, view.height());
    QApplication::processEvents();

    // Redraws, zoomed out and in, raw and smoothed (two lines: the smoothed
    // one over the faint raw one).
    std::printf("redraw = MetricChart::redraw(): reduce() per line, the axes' ranges, one "
                "QLineSeries::replace() per line; plot area %.0f px wide\n",
                view.chart()->plotArea().width());
    std::printf("  zoom    smoothing  points drawn  redraw ms (med/worst)  of 16 ms   paint ms "
                "(med)\n");
    QList<double> redrawMedians;
    for (const double smoothing : {0.0, 0.9}) {
        view.setSmoothing(smoothing);
        for (const Zoom &z : kZooms) {
            QList<double> totalMs;
            QList<double> paintMs;
            qsizetype drawn = 0;
            // One redraw untimed: the first after a change of zoom allocates
            // (and the first with smoothing computes it).
            const auto first = window(series, z.fraction, 0, runs);
            view.zoomTo(first.first, first.second);
            view.redraw();
            for (int k = 0; k < runs; ++k) {
                const auto [x0, x1] = window(series, z.fraction, k, runs);
                QElapsedTimer t;
                t.start();
                view.zoomTo(x0, x1);
                view.redraw();
                totalMs.append(msSince(t));
                drawn = std::max(drawn, view.drawnPoints());
                QElapsedTimer p;
                p.start();
                const QPixmap pixels = view.grab();
                paintMs.append(msSince(p));
                if (pixels.isNull())
                    std::abort();
            }
            const Timing tt = summarise(totalMs);
            if (smoothing == 0.0)
                redrawMedians.append(tt.median);
            std::printf("  %-6s  %9s  %12lld  %9.3f / %-9.3f  %6.0f%%   %8.1f\n", z.name,
                        smoothing > 0 ? "0.9" : "off", static_cast<long long>(drawn), tt.median,
                        tt.worst, 100.0 * tt.worst / 16.0, summarise(paintMs).median);
        }
    }
    std::printf("\n");

    // CSV export of the whole series and of 1% of it.
    {
        NullDevice out;
        QElapsedTimer t;
        t.start();
        const qint64 rows = series.writeCsv(&out);
        const double ms = msSince(t);
        const auto [x0, x1] = window(series, 0.01, 1, 2);
        NullDevice part;
        QElapsedTimer p;
        p.start();
        const qint64 partRows = series.writeCsv(&part, x0, x1, XAxis::Step);
        std::printf("csv: %lld rows, %.0f MB in %.0f ms (%.1f M rows/s); 1%% of it: %lld rows in "
                    "%.1f ms\n",
                    static_cast<long long>(rows), double(out.written) / 1e6, ms,
                    double(rows) / ms / 1e3, static_cast<long long>(partRows), msSince(p));
    }

    // Baseline: every point into the QLineSeries.
    {
        MetricSeries base;
        const MetricSeries *src = &series;
        if (baselineN != n) {
            build(base, Points(baselineN), true);
            src = &base;
        }
        QList<QPointF> all;
        all.reserve(src->size());
        for (qsizetype i = 0; i < src->size(); ++i)
            all.append(QPointF(src->x(i, XAxis::Step), src->point(i).value));
        QChart *chart = view.chart();
        chart->removeAllSeries();
        auto *line = new QLineSeries;
        chart->addSeries(line);
        for (QAbstractAxis *axis : chart->axes())
            line->attachAxis(axis);
        auto *ax = static_cast<QValueAxis *>(chart->axes(Qt::Horizontal).first());
        auto *ay = static_cast<QValueAxis *>(chart->axes(Qt::Vertical).first());
        // Plain axes: the studio's chart left a tick interval for its last
        // (deep) zoom, which over the whole range would be a graphics item
        // per tick for hundreds of thousands of ticks.
        for (QValueAxis *axis : {ax, ay})
            axis->setTickType(QValueAxis::TicksFixed);
        const MetricSeries::Range xr = src->xRange(XAxis::Step);
        const MetricSeries::Range yr = src->valueRange();
        ax->setRange(xr.min, xr.max);
        ay->setRange(yr.min, yr.max);
        line->replace(QList<QPointF>{});
        const int baseRuns = quick ? 3 : 1;
        QList<double> ms;
        for (int k = 0; k < baseRuns; ++k) {
            line->replace(QList<QPointF>{});
            QElapsedTimer t;
            t.start();
            line->replace(all);
            ms.append(msSince(t));
        }
        const double baseMs = summarise(ms).median;
        std::printf("\nbaseline: QLineSeries::replace() with all %lld points: %.0f ms%s\n",
                    static_cast<long long>(all.size()), baseMs,
                    baselineN != n ? " (fewer points than the series: see --baseline-points)" : "");
        std::printf("  redraw median as a share of it:");
        for (qsizetype i = 0; i < redrawMedians.size(); ++i)
            std::printf("  %s %.5f (1/%.0f)", kZooms[i].name, redrawMedians.at(i) / baseMs,
                        baseMs / redrawMedians.at(i));
        std::printf("\n");
    }
    return 0;
}
