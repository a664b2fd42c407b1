// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// MetricSeries: the reduction drawn for a random range keeps, in every pixel
// column, the minimum and the maximum that a scan of every point finds there
// (seeded random series and ranges, on every x axis, at several fanouts and
// sizes around the group boundaries); out-of-order appends end in the same
// series as ordered ones; TensorBoard's smoothing; the hover lookup; CSV.

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include <QBuffer>
#include <QDateTime>

#include "api/job.h"
#include "models/metricseries.h"

using namespace Qt::StringLiterals;
using pf::models::MetricSeries;
using XAxis = MetricSeries::XAxis;
using Values = MetricSeries::Values;
using AppendResult = MetricSeries::AppendResult;

namespace {

constexpr qint64 kT0 = 1'700'000'000'123; // 2023-11-14T22:13:20.123Z

// Steps with gaps (now and then a long one), a noisy random walk with spikes
// of up to a million, runs of equal values, and times that sometimes repeat.
MetricSeries randomSeries(qsizetype n, int fanout, std::mt19937_64 &rng)
{
    MetricSeries s(fanout);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::normal_distribution<double> noise(0.0, 1.0);
    qint64 step = qint64(rng() % 100);
    qint64 time = kT0;
    double walk = 0.0;
    double v = 0.0;
    for (qsizetype i = 0; i < n; ++i) {
        const double u = unit(rng);
        walk += noise(rng) * 0.1;
        if (u < 0.02)
            v = (unit(rng) < 0.5 ? -1.0 : 1.0) * std::pow(10.0, 3.0 + 3.0 * unit(rng));
        else if (u >= 0.12) // else the same value again
            v = walk + noise(rng);
        EXPECT_EQ(s.append(step, v, time), AppendResult::Appended);
        step += unit(rng) < 0.01 ? 1000 : 1 + qint64(rng() % 3);
        time += unit(rng) < 0.1 ? 0 : 1 + qint64(rng() % 5000);
    }
    return s;
}

// The column of x as MetricSeries::columnEdge() defines them, or -1 outside.
int columnOf(double x, double xFrom, double xTo, int columns)
{
    if (!(x >= xFrom && x <= xTo))
        return -1;
    const double span = xTo - xFrom;
    int c = span > 0 ? int(std::clamp((x - xFrom) / span * columns, 0.0, double(columns - 1))) : 0;
    while (c > 0 && MetricSeries::columnEdge(xFrom, xTo, columns, c) > x)
        --c;
    while (c + 1 < columns && MetricSeries::columnEdge(xFrom, xTo, columns, c + 1) <= x)
        ++c;
    return c;
}

struct Column
{
    double min = std::numeric_limits<double>::infinity();
    double max = -std::numeric_limits<double>::infinity();
    QPointF first;
    QPointF last;
    qsizetype count = 0;

    void add(QPointF p)
    {
        if (count == 0)
            first = p;
        last = p;
        min = std::min(min, p.y());
        max = std::max(max, p.y());
        ++count;
    }
};

// Checks reduce() against a scan of every point (the series' times are
// monotone, so a column's points are contiguous).
::testing::AssertionResult reducesLikeScan(const MetricSeries &s, double xFrom, double xTo,
                                           int columns, XAxis axis, Values values)
{
    const MetricSeries::Reduction r = s.reduce(xFrom, xTo, columns, axis, values);
    // Reused: a fresh 100 KB vector a view would make malloc grow and trim
    // the heap each time.
    static std::vector<Column> scan;
    static std::vector<Column> drawn;
    scan.assign(size_t(columns), Column());
    Column all;
    qsizetype begin = -1;
    qsizetype end = -1;
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QPointF p(s.x(i, axis),
                        values == Values::Raw ? s.point(i).value : s.smoothedValue(i));
        const int c = columnOf(p.x(), xFrom, xTo, columns);
        if (c < 0)
            continue;
        if (begin < 0)
            begin = i;
        end = i + 1;
        scan[size_t(c)].add(p);
        all.add(p);
    }
    auto failure = [&]() -> ::testing::AssertionResult {
        return ::testing::AssertionFailure()
               << "n=" << s.size() << " fanout=" << s.fanout() << " range [" << xFrom << ", " << xTo
               << "] columns=" << columns << " axis=" << int(axis) << " values=" << int(values)
               << ": ";
    };
    if (all.count > 0 && (r.begin != begin || r.end != end))
        return failure() << "indices [" << r.begin << ", " << r.end << ") instead of [" << begin
                         << ", " << end << ")";
    if (all.count == 0 && r.begin != r.end)
        return failure() << "points inside an empty range";
    if (r.y.valid != (all.count > 0) ||
        (all.count > 0 && (r.y.min != all.min || r.y.max != all.max)))
        return failure() << "y range " << r.y.min << ".." << r.y.max << " instead of " << all.min
                         << ".." << all.max;

    // The neighbours outside, then what lies inside by column.
    qsizetype from = 0;
    qsizetype to = r.points.size();
    const auto pointAt = [&](qsizetype i) {
        return QPointF(s.x(i, axis), values == Values::Raw ? s.point(i).value : s.smoothedValue(i));
    };
    if (r.begin > 0) {
        if (to == 0 || r.points.first() != pointAt(r.begin - 1))
            return failure() << "no left neighbour";
        ++from;
    }
    if (r.end < s.size()) {
        if (to == from || r.points.last() != pointAt(r.end))
            return failure() << "no right neighbour";
        --to;
    }
    if (to - from > 4 * qsizetype(columns))
        return failure() << to - from << " points drawn";
    drawn.assign(size_t(columns), Column());
    for (qsizetype i = from; i < to; ++i) {
        const QPointF p = r.points.at(i);
        if (i > from && p.x() < r.points.at(i - 1).x())
            return failure() << "x goes back at " << i;
        const int c = columnOf(p.x(), xFrom, xTo, columns);
        if (c < 0)
            return failure() << "drawn point " << p.x() << " outside the range";
        drawn[size_t(c)].add(p);
    }
    for (int c = 0; c < columns; ++c) {
        const Column &want = scan[size_t(c)];
        const Column &got = drawn[size_t(c)];
        if (want.count == 0 && got.count == 0)
            continue;
        if (want.count == 0 || got.count == 0)
            return failure() << "column " << c << ": " << got.count << " drawn of " << want.count;
        if (got.min != want.min || got.max != want.max)
            return failure() << "column " << c << ": min/max " << got.min << "/" << got.max
                             << " instead of " << want.min << "/" << want.max;
        if (got.first != want.first || got.last != want.last)
            return failure() << "column " << c << ": first or last point missing";
    }
    return ::testing::AssertionSuccess();
}

// A random visible range: anywhere around the series, sometimes on a point,
// empty, a single x, or a handful of points; and a random width.
void randomView(const MetricSeries &s, XAxis axis, std::mt19937_64 &rng, double &xFrom, double &xTo,
                int &columns)
{
    const MetricSeries::Range xr = s.xRange(axis);
    const double span = std::max(xr.max - xr.min, 1.0);
    std::uniform_real_distribution<double> around(xr.min - 0.1 * span, xr.max + 0.1 * span);
    const auto pointX = [&] { return s.x(qsizetype(rng() % quint64(s.size())), axis); };
    switch (rng() % 6) {
    case 0:
        xFrom = pointX();
        xTo = pointX();
        break;
    case 1:
        xFrom = xTo = pointX();
        break;
    case 2: {
        const qsizetype i = qsizetype(rng() % quint64(s.size()));
        const qsizetype j = std::min(s.size() - 1, i + qsizetype(rng() % 64));
        xFrom = s.x(i, axis);
        xTo = s.x(j, axis);
        break;
    }
    case 3:
        xFrom = xr.min;
        xTo = xr.max;
        break;
    default:
        xFrom = around(rng);
        xTo = around(rng);
        break;
    }
    if (xFrom > xTo)
        std::swap(xFrom, xTo);
    switch (rng() % 4) {
    case 0:
        columns = 1 + int(rng() % 3);
        break;
    case 1:
        columns = 1600;
        break;
    default:
        columns = 1 + int(rng() % 2000);
        break;
    }
}

struct Shape
{
    int fanout = 16;
    qsizetype size = 0;
    int views = 0;
};

} // namespace

TEST(MetricSeries, ReductionKeepsEveryColumnsMinAndMax)
{
    std::vector<Shape> shapes;
    for (const int k : {2, 4, 16, 32}) {
        for (const qsizetype n :
             {qsizetype(1), qsizetype(2), qsizetype(k - 1), qsizetype(k), qsizetype(k + 1),
              qsizetype(k * k - 1), qsizetype(k * k), qsizetype(k * k + 1), qsizetype(1000)}) {
            if (n >= 1)
                shapes.push_back({k, n, 1500});
        }
    }
    shapes.push_back({16, 100'003, 600});
    shapes.push_back({32, 100'003, 300});
    shapes.push_back({2, 100'003, 300});

    std::mt19937_64 rng(20261122);
    int checked = 0;
    for (const Shape &shape : shapes) {
        const MetricSeries s = randomSeries(shape.size, shape.fanout, rng);
        ASSERT_TRUE(s.isTimeMonotone());
        for (int v = 0; v < shape.views; ++v) {
            const XAxis axis =
                std::array{XAxis::Step, XAxis::RelativeSeconds, XAxis::WallTimeMs}[size_t(v % 3)];
            double xFrom = 0;
            double xTo = 0;
            int columns = 1;
            randomView(s, axis, rng, xFrom, xTo, columns);
            ASSERT_TRUE(reducesLikeScan(s, xFrom, xTo, columns, axis, Values::Raw));
            ++checked;
        }
    }
    EXPECT_GT(checked, 50'000);
}

TEST(MetricSeries, SmoothedReductionKeepsEveryColumnsMinAndMax)
{
    std::mt19937_64 rng(7);
    for (const qsizetype n : {qsizetype(1), qsizetype(17), qsizetype(5000)}) {
        MetricSeries s = randomSeries(n, 16, rng);
        s.setSmoothing(0.9);
        for (int v = 0; v < 500; ++v) {
            double xFrom = 0;
            double xTo = 0;
            int columns = 1;
            randomView(s, XAxis::Step, rng, xFrom, xTo, columns);
            ASSERT_TRUE(reducesLikeScan(s, xFrom, xTo, columns, XAxis::Step, Values::Smoothed));
        }
    }
}

TEST(MetricSeries, PyramidLevelsFollowTheSize)
{
    MetricSeries s(4);
    EXPECT_EQ(s.fanout(), 4);
    EXPECT_EQ(s.levelCount(), 0);
    const std::vector<std::pair<int, int>> sizeLevels{{1, 0},  {2, 1},  {4, 1},  {5, 2},
                                                      {16, 2}, {17, 3}, {64, 3}, {65, 4}};
    int n = 0;
    for (const auto &[size, levels] : sizeLevels) {
        for (; n < size; ++n)
            s.append(n, double(n % 7), kT0 + n);
        EXPECT_EQ(s.levelCount(), levels) << size << " points";
    }
    EXPECT_EQ(MetricSeries(24).fanout(), 16);
    EXPECT_EQ(MetricSeries(1).fanout(), 2);
    EXPECT_EQ(MetricSeries(4096).fanout(), 256);
    EXPECT_GE(s.memoryBytes(), 24 * s.size());
}

TEST(MetricSeries, OutOfOrderAppendsEndInTheOrderedSeries)
{
    std::mt19937_64 rng(11);
    for (const int fanout : {2, 16}) {
        const int n = 3000;
        std::vector<int> order(n);
        std::iota(order.begin(), order.end(), 0);
        // Mostly in order: late pages of history, some points far back.
        for (int i = 0; i < n; ++i) {
            if (rng() % 10 == 0)
                std::swap(order[size_t(i)], order[rng() % size_t(n)]);
        }
        const auto valueOf = [](int step) { return std::sin(step * 0.37) * 100.0 + step % 13; };
        MetricSeries ordered(fanout);
        MetricSeries shuffled(fanout);
        for (int step = 0; step < n; ++step)
            ordered.append(step * qint64(2), valueOf(step), kT0 + step * qint64(1000));
        int inserted = 0;
        for (const int step : order) {
            const AppendResult r =
                shuffled.append(step * qint64(2), valueOf(step), kT0 + step * qint64(1000));
            EXPECT_TRUE(r == AppendResult::Appended || r == AppendResult::Inserted);
            inserted += r == AppendResult::Inserted ? 1 : 0;
        }
        EXPECT_GT(inserted, 100);
        ASSERT_EQ(shuffled.size(), ordered.size());
        for (qsizetype i = 0; i < n; ++i)
            ASSERT_EQ(shuffled.point(i), ordered.point(i)) << i;
        EXPECT_EQ(shuffled.levelCount(), ordered.levelCount());
        EXPECT_TRUE(shuffled.isTimeMonotone());
        for (int v = 0; v < 300; ++v) {
            double xFrom = 0;
            double xTo = 0;
            int columns = 1;
            randomView(ordered, XAxis::Step, rng, xFrom, xTo, columns);
            const auto a = ordered.reduce(xFrom, xTo, columns, XAxis::Step);
            const auto b = shuffled.reduce(xFrom, xTo, columns, XAxis::Step);
            ASSERT_EQ(a.points, b.points);
            ASSERT_TRUE(reducesLikeScan(shuffled, xFrom, xTo, columns, XAxis::Step, Values::Raw));
        }
    }
}

TEST(MetricSeries, InsertInTheMiddleOfAGroupUpdatesTheSpike)
{
    MetricSeries s(4);
    for (int i = 0; i < 100; ++i)
        s.append(i * qint64(10), 1.0, kT0 + i * qint64(10));
    const quint64 before = s.revision();
    EXPECT_EQ(s.append(505, 1e9, kT0 + 505), AppendResult::Inserted);
    EXPECT_NE(s.revision(), before);
    EXPECT_EQ(s.size(), 101);
    EXPECT_EQ(s.point(51).step, 505);
    const auto r = s.reduce(0, 990, 3, XAxis::Step);
    EXPECT_EQ(r.y.max, 1e9);
    EXPECT_TRUE(r.points.contains(QPointF(505, 1e9)));
    EXPECT_EQ(s.valueRange().max, 1e9);
    EXPECT_TRUE(reducesLikeScan(s, 0, 990, 7, XAxis::Step, Values::Raw));
}

TEST(MetricSeries, RepeatedStepIsDedupedOrReplaced)
{
    MetricSeries s(4);
    for (int i = 0; i < 50; ++i)
        s.append(i, double(i), kT0 + i);
    const quint64 rev = s.revision();
    // History and live stream overlap: exact repeats change nothing.
    EXPECT_EQ(s.append(49, 49.0, kT0 + 49), AppendResult::Unchanged);
    EXPECT_EQ(s.append(10, 10.0, kT0 + 10), AppendResult::Unchanged);
    EXPECT_EQ(s.revision(), rev);
    EXPECT_EQ(s.size(), 50);
    // The same step with another value: the later report wins.
    EXPECT_EQ(s.append(10, -500.0, kT0 + 10), AppendResult::Replaced);
    EXPECT_NE(s.revision(), rev);
    EXPECT_EQ(s.size(), 50);
    EXPECT_EQ(s.point(10).value, -500.0);
    EXPECT_EQ(s.valueRange().min, -500.0);
    EXPECT_EQ(s.append(49, 3.0, kT0 + 49), AppendResult::Replaced);
    EXPECT_EQ(s.valueRange().max, 48.0);
    EXPECT_TRUE(reducesLikeScan(s, 0, 49, 5, XAxis::Step, Values::Raw));
    // The batch form counts what changed.
    pf::api::MetricPoint p;
    p.step = 60;
    p.value = 1.5;
    p.time = QDateTime::fromMSecsSinceEpoch(kT0 + 60, Qt::UTC);
    pf::api::MetricPoint same = p;
    same.step = 10;
    same.value = -500.0;
    same.time = QDateTime::fromMSecsSinceEpoch(kT0 + 10, Qt::UTC);
    EXPECT_EQ(s.append(QList<pf::api::MetricPoint>{p, same, p}), 1);
    EXPECT_EQ(s.point(50), (MetricSeries::Point{60, 1.5, kT0 + 60}));
}

TEST(MetricSeries, NonFiniteValuesAreSkippedAndCounted)
{
    MetricSeries s;
    s.append(1, 1.0, kT0);
    const quint64 rev = s.revision();
    EXPECT_EQ(s.append(2, std::numeric_limits<double>::quiet_NaN(), kT0),
              AppendResult::SkippedNonFinite);
    EXPECT_EQ(s.append(3, std::numeric_limits<double>::infinity(), kT0),
              AppendResult::SkippedNonFinite);
    EXPECT_EQ(s.append(4, -std::numeric_limits<double>::infinity(), kT0),
              AppendResult::SkippedNonFinite);
    EXPECT_EQ(s.size(), 1);
    EXPECT_EQ(s.skippedNonFinite(), 3);
    EXPECT_EQ(s.revision(), rev);
    s.clear();
    EXPECT_EQ(s.skippedNonFinite(), 0);
    EXPECT_TRUE(s.isEmpty());
    EXPECT_NE(s.revision(), rev);
}

TEST(MetricSeries, SmoothingIsTensorBoardsDebiasedAverage)
{
    MetricSeries s;
    for (const double v : {1.0, 2.0, 3.0, 10.0})
        s.append(qint64(v * 10), v, kT0);
    // Smoothing off: the raw values.
    EXPECT_EQ(s.smoothedValue(3), 10.0);
    const quint64 rev = s.revision();
    s.setSmoothing(0.5);
    EXPECT_NE(s.revision(), rev);
    // By hand, weight 0.5: accumulators 0.5, 1.25, 2.125, 6.0625 divided by
    // 1 - 0.5^k = 0.5, 0.75, 0.875, 0.9375.
    EXPECT_DOUBLE_EQ(s.smoothedValue(0), 1.0);
    EXPECT_DOUBLE_EQ(s.smoothedValue(1), 5.0 / 3.0);
    EXPECT_DOUBLE_EQ(s.smoothedValue(2), 17.0 / 7.0);
    EXPECT_DOUBLE_EQ(s.smoothedValue(3), 97.0 / 15.0);
    // Appended points continue the average.
    s.append(200, 0.0, kT0);
    EXPECT_DOUBLE_EQ(s.smoothedValue(4), (6.0625 * 0.5) / (1.0 - 1.0 / 32.0));
    // The reduction draws the smoothed values.
    const auto r = s.reduce(0, 100, 100, XAxis::Step, Values::Smoothed);
    ASSERT_EQ(r.points.size(), 5);
    EXPECT_DOUBLE_EQ(r.points.at(1).y(), 5.0 / 3.0);
    EXPECT_EQ(s.reduce(0, 100, 100, XAxis::Step, Values::Raw).points.at(1).y(), 2.0);
    EXPECT_DOUBLE_EQ(s.valueRange(Values::Smoothed).max, 97.0 / 15.0);
    // Clamped to TensorBoard's range; 0 switches it off.
    s.setSmoothing(5.0);
    EXPECT_EQ(s.smoothing(), MetricSeries::kMaxSmoothing);
    s.setSmoothing(0.0);
    EXPECT_EQ(s.smoothedValue(1), 2.0);
    EXPECT_EQ(s.valueRange(Values::Smoothed).max, 10.0);
}

TEST(MetricSeries, SmoothingMatchesAReferenceIncrementallyAndAfterInserts)
{
    std::mt19937_64 rng(3);
    std::normal_distribution<double> noise(0.0, 1.0);
    std::vector<double> values;
    values.reserve(2000);
    for (int i = 0; i < 2000; ++i)
        values.push_back(std::exp(-i / 500.0) + noise(rng) * 0.1);
    const double w = 0.6;
    // TensorBoard's loop, with pow().
    std::vector<double> reference;
    reference.reserve(values.size());
    double last = 0.0;
    for (size_t i = 0; i < values.size(); ++i) {
        last = last * w + (1 - w) * values[i];
        reference.push_back(last / (1 - std::pow(w, double(i + 1))));
    }
    MetricSeries incremental;
    incremental.setSmoothing(w);
    MetricSeries after;
    MetricSeries shuffled;
    shuffled.setSmoothing(w);
    for (size_t i = 0; i < values.size(); ++i) {
        incremental.append(qint64(i), values[i], kT0);
        after.append(qint64(i), values[i], kT0);
    }
    after.setSmoothing(w);
    for (size_t i = values.size(); i-- > 0;)
        shuffled.append(qint64(i), values[i], kT0);
    for (qsizetype i = 0; i < qsizetype(values.size()); ++i) {
        ASSERT_NEAR(incremental.smoothedValue(i), reference[size_t(i)],
                    1e-12 * std::abs(reference[size_t(i)]))
            << i;
        ASSERT_EQ(after.smoothedValue(i), incremental.smoothedValue(i)) << i;
        ASSERT_EQ(shuffled.smoothedValue(i), incremental.smoothedValue(i)) << i;
    }
}

TEST(MetricSeries, SmoothingAfterInsertsAcrossCheckpoints)
{
    // More points than the smoothing's checkpoint stride (4096), inserted
    // late at random places, while smoothing is on: the same bits as a
    // series that got them in order.
    std::mt19937_64 rng(17);
    std::uniform_real_distribution<double> value(-1.0, 1.0);
    const int n = 20'000;
    std::vector<double> values;
    values.reserve(n);
    for (int i = 0; i < n; ++i)
        values.push_back(value(rng));
    std::vector<bool> late(n);
    for (int i = 0; i < 300; ++i)
        late[rng() % n] = true;
    MetricSeries ordered;
    ordered.setSmoothing(0.8);
    MetricSeries shuffled;
    shuffled.setSmoothing(0.8);
    for (int i = 0; i < n; ++i) {
        ordered.append(i, values[size_t(i)], kT0 + i);
        if (!late[size_t(i)])
            shuffled.append(i, values[size_t(i)], kT0 + i);
    }
    for (int i = n; i-- > 0;) {
        if (late[size_t(i)]) {
            ASSERT_EQ(shuffled.append(i, values[size_t(i)], kT0 + i), AppendResult::Inserted);
        }
    }
    // A replace in the middle and back.
    EXPECT_EQ(shuffled.append(9000, 5.0, kT0 + 9000), AppendResult::Replaced);
    EXPECT_EQ(shuffled.append(9000, values[9000], kT0 + 9000), AppendResult::Replaced);
    ASSERT_EQ(shuffled.size(), n);
    for (qsizetype i = 0; i < n; ++i)
        ASSERT_EQ(shuffled.smoothedValue(i), ordered.smoothedValue(i)) << i;
    // Appending goes on from the same state.
    ordered.append(n, 3.0, kT0 + n);
    shuffled.append(n, 3.0, kT0 + n);
    EXPECT_EQ(shuffled.smoothedValue(n), ordered.smoothedValue(n));
    EXPECT_TRUE(reducesLikeScan(shuffled, 0, n, 333, XAxis::Step, Values::Smoothed));
}

TEST(MetricSeries, AnInsertedOldTimeBreaksMonotonyUntilMended)
{
    MetricSeries s(4);
    for (int i = 0; i < 100; ++i)
        s.append(i * qint64(2), double(i), kT0 + i * qint64(1000));
    EXPECT_TRUE(s.isTimeMonotone());
    // Between steps 40 and 42 (times +20 s and +21 s) a point from +5 s.
    EXPECT_EQ(s.append(41, -1.0, kT0 + 5000), AppendResult::Inserted);
    EXPECT_FALSE(s.isTimeMonotone());
    const auto r = s.reduce(double(kT0), double(kT0 + 99'000), 10, XAxis::WallTimeMs);
    EXPECT_EQ(r.begin, 0);
    EXPECT_EQ(r.end, 101);
    EXPECT_EQ(r.y.min, -1.0);
    EXPECT_EQ(s.valueAt(double(kT0 + 20'500), XAxis::WallTimeMs)->step, 41);
    EXPECT_EQ(s.append(41, -1.0, kT0 + 20'500), AppendResult::Replaced);
    EXPECT_TRUE(s.isTimeMonotone());
    EXPECT_TRUE(
        reducesLikeScan(s, double(kT0), double(kT0 + 99'000), 10, XAxis::WallTimeMs, Values::Raw));
    // Appending a time that goes back, then mending it by a replace.
    s.append(500, 1.0, kT0);
    EXPECT_FALSE(s.isTimeMonotone());
    s.append(500, 1.0, kT0 + 200'000);
    EXPECT_TRUE(s.isTimeMonotone());
}

TEST(MetricSeries, ConstantSeriesStaysExactWhenSmoothed)
{
    MetricSeries s;
    s.setSmoothing(0.95);
    for (int i = 0; i < 1000; ++i)
        s.append(i, 0.1, kT0);
    for (qsizetype i = 0; i < s.size(); ++i)
        ASSERT_EQ(s.smoothedValue(i), 0.1) << i;
    s.append(1000, 1.1, kT0);
    EXPECT_NEAR(s.smoothedValue(1000), 0.1 + 0.05, 1e-12);
}

TEST(MetricSeries, ValueAtFindsThePointAtOrBefore)
{
    MetricSeries s;
    EXPECT_EQ(s.indexAt(1, XAxis::Step), -1);
    EXPECT_EQ(s.nearestIndex(1, XAxis::Step), -1);
    EXPECT_FALSE(s.valueAt(1, XAxis::Step));
    s.append(10, 1.0, kT0);
    s.append(20, 2.0, kT0 + 1000);
    s.append(30, 3.0, kT0 + 1000);
    s.append(40, 4.0, kT0 + 4000);
    EXPECT_FALSE(s.valueAt(9.99, XAxis::Step));
    EXPECT_EQ(s.valueAt(10, XAxis::Step), (MetricSeries::Point{10, 1.0, kT0}));
    EXPECT_EQ(s.valueAt(29.9, XAxis::Step)->step, 20);
    EXPECT_EQ(s.valueAt(1e18, XAxis::Step)->step, 40);
    EXPECT_EQ(s.nearestIndex(24, XAxis::Step), 1);
    EXPECT_EQ(s.nearestIndex(26, XAxis::Step), 2);
    EXPECT_EQ(s.nearestIndex(-5, XAxis::Step), 0);
    EXPECT_EQ(s.nearestIndex(99, XAxis::Step), 3);
    // Equal times: the last of them.
    EXPECT_EQ(s.valueAt(1.5, XAxis::RelativeSeconds)->step, 30);
    EXPECT_EQ(s.valueAt(double(kT0 + 3999), XAxis::WallTimeMs)->step, 30);
    EXPECT_EQ(s.nearestIndex(double(kT0 + 3999), XAxis::WallTimeMs), 3);
    EXPECT_EQ(s.x(3, XAxis::RelativeSeconds), 4.0);
    EXPECT_EQ(s.x(3, XAxis::WallTimeMs), double(kT0 + 4000));
    EXPECT_EQ(s.x(3, XAxis::Step), 40.0);
}

TEST(MetricSeries, RangesForTheAxes)
{
    MetricSeries s;
    EXPECT_FALSE(s.xRange(XAxis::Step).valid);
    EXPECT_FALSE(s.valueRange().valid);
    s.append(5, -2.0, kT0 + 500);
    s.append(7, 3.0, kT0 + 2500);
    s.append(9, 1.0, kT0 + 3500);
    const auto step = s.xRange(XAxis::Step);
    EXPECT_TRUE(step.valid);
    EXPECT_EQ(step.min, 5.0);
    EXPECT_EQ(step.max, 9.0);
    EXPECT_EQ(s.xRange(XAxis::RelativeSeconds).max, 3.0);
    EXPECT_EQ(s.xRange(XAxis::WallTimeMs).min, double(kT0 + 500));
    EXPECT_EQ(s.valueRange().min, -2.0);
    EXPECT_EQ(s.valueRange().max, 3.0);
}

TEST(MetricSeries, DegenerateViews)
{
    MetricSeries s;
    EXPECT_TRUE(s.reduce(0, 10, 100, XAxis::Step).points.isEmpty());
    for (int i = 0; i < 10; ++i)
        s.append(i * qint64(10), double(i), kT0 + i);
    EXPECT_TRUE(s.reduce(0, 10, 0, XAxis::Step).points.isEmpty());
    EXPECT_TRUE(s.reduce(10, 0, 10, XAxis::Step).points.isEmpty());
    EXPECT_TRUE(
        s.reduce(0, std::numeric_limits<double>::quiet_NaN(), 10, XAxis::Step).points.isEmpty());
    // Between two points: the line across, no y range.
    const auto between = s.reduce(41, 49, 100, XAxis::Step);
    EXPECT_EQ(between.points, (QList<QPointF>{{40, 4}, {50, 5}}));
    EXPECT_FALSE(between.y.valid);
    EXPECT_EQ(between.begin, between.end);
    // Before and after everything: the one neighbour.
    EXPECT_EQ(s.reduce(-10, -1, 5, XAxis::Step).points, (QList<QPointF>{{0, 0}}));
    EXPECT_EQ(s.reduce(100, 200, 5, XAxis::Step).points, (QList<QPointF>{{90, 9}}));
    // A single x.
    const auto one = s.reduce(30, 30, 5, XAxis::Step);
    EXPECT_EQ(one.points, (QList<QPointF>{{20, 2}, {30, 3}, {40, 4}}));
    EXPECT_EQ(one.y.min, 3.0);
}

TEST(MetricSeries, ZoomedOutDrawsAtMostFourPointsAColumn)
{
    MetricSeries s;
    for (int i = 0; i < 100'000; ++i)
        s.append(i, i == 77'777 ? 1e6 : std::sin(i * 0.01), kT0 + i);
    const auto r = s.reduce(0, 99'999, 500, XAxis::Step);
    EXPECT_LE(r.points.size(), 2000);
    EXPECT_GE(r.points.size(), 1000);
    EXPECT_TRUE(r.points.contains(QPointF(77'777, 1e6)));
    EXPECT_EQ(r.y.max, 1e6);
    EXPECT_EQ(r.points.first(), QPointF(0, 0));
    EXPECT_EQ(r.points.last(), QPointF(99'999, std::sin(99'999 * 0.01)));
}

TEST(MetricSeries, TimesThatGoBackStillPlaceEveryPoint)
{
    MetricSeries s(4);
    // A clock stepped back by a minute at step 50.
    for (int i = 0; i < 100; ++i)
        s.append(i, double(i % 10), kT0 + i * qint64(1000) - (i >= 50 ? 60'000 : 0));
    EXPECT_FALSE(s.isTimeMonotone());
    const auto whole = s.xRange(XAxis::WallTimeMs);
    EXPECT_EQ(whole.min, double(kT0));
    EXPECT_EQ(whole.max, double(kT0 + 49'000));
    for (const XAxis axis : {XAxis::WallTimeMs, XAxis::RelativeSeconds}) {
        const auto xr = s.xRange(axis);
        const auto r = s.reduce(xr.min, xr.max, 7, axis);
        EXPECT_EQ(r.begin, 0);
        EXPECT_EQ(r.end, 100);
        EXPECT_EQ(r.y.min, 0.0);
        EXPECT_EQ(r.y.max, 9.0);
    }
    // Points keep their own time; a replace that mends the clock makes the
    // times monotone again.
    EXPECT_EQ(s.x(50, XAxis::WallTimeMs), double(kT0 - 10'000));
    for (int i = 50; i < 100; ++i)
        s.append(i, double(i % 10), kT0 + i * qint64(1000));
    EXPECT_TRUE(s.isTimeMonotone());
    EXPECT_TRUE(
        reducesLikeScan(s, double(kT0), double(kT0 + 99'000), 9, XAxis::WallTimeMs, Values::Raw));
}

TEST(MetricSeries, CsvOfTheVisibleRange)
{
    MetricSeries s;
    s.append(1, 0.5, kT0);
    s.append(2, -1e-7, kT0 + 1);
    s.append(3, 3.0, 0);
    s.append(4, 1234567.25, 253'402'300'799'999);
    s.append(5, 0.1, -1);
    QBuffer all;
    all.open(QIODevice::WriteOnly);
    EXPECT_EQ(s.writeCsv(&all), 5);
    EXPECT_EQ(all.data(), QByteArray("step,value,time\n"
                                     "1,0.5,2023-11-14T22:13:20.123Z\n"
                                     "2,-1e-07,2023-11-14T22:13:20.124Z\n"
                                     "3,3,1970-01-01T00:00:00.000Z\n"
                                     "4,1234567.25,9999-12-31T23:59:59.999Z\n"
                                     "5,0.1,1969-12-31T23:59:59.999Z\n"));
    QBuffer part;
    part.open(QIODevice::WriteOnly);
    EXPECT_EQ(s.writeCsv(&part, 1.5, 3, XAxis::Step), 2);
    EXPECT_EQ(part.data(), QByteArray("step,value,time\n"
                                      "2,-1e-07,2023-11-14T22:13:20.124Z\n"
                                      "3,3,1970-01-01T00:00:00.000Z\n"));
    QBuffer none;
    none.open(QIODevice::WriteOnly);
    EXPECT_EQ(s.writeCsv(&none, 10, 20), 0);
    EXPECT_EQ(none.data(), QByteArray("step,value,time\n"));
}

TEST(MetricSeries, CsvTimesMatchQDateTimeAndValuesReadBack)
{
    std::mt19937_64 rng(5);
    MetricSeries s;
    std::vector<qint64> times;
    std::uniform_int_distribution<qint64> anyTime(0, 253'402'300'799'999);
    std::uniform_int_distribution<qint64> recent(1'500'000'000'000, 2'000'000'000'000);
    std::uniform_real_distribution<double> value(-1e6, 1e6);
    for (int i = 0; i < 20'000; ++i) {
        times.push_back(i % 2 ? anyTime(rng) : recent(rng));
        s.append(i, value(rng) * std::pow(10.0, double(i % 40) - 20.0), times.back());
    }
    QBuffer buf;
    buf.open(QIODevice::WriteOnly);
    // Several 64 KiB chunks.
    ASSERT_EQ(s.writeCsv(&buf), 20'000);
    ASSERT_GT(buf.data().size(), 3 * 64 * 1024);
    const QList<QByteArray> lines = buf.data().split('\n');
    ASSERT_EQ(lines.size(), 20'002);
    EXPECT_EQ(lines.last(), QByteArray());
    for (int i = 0; i < 20'000; ++i) {
        const QList<QByteArray> fields = lines.at(i + 1).split(',');
        ASSERT_EQ(fields.size(), 3);
        ASSERT_EQ(fields.at(0).toLongLong(), i);
        bool ok = false;
        ASSERT_EQ(fields.at(1).toDouble(&ok), s.point(i).value) << fields.at(1).constData();
        ASSERT_TRUE(ok);
        ASSERT_EQ(
            QString::fromLatin1(fields.at(2)),
            QDateTime::fromMSecsSinceEpoch(times[size_t(i)], Qt::UTC).toString(Qt::ISODateWithMs));
    }
}

namespace {

class FailingDevice final : public QIODevice
{
public:
    FailingDevice() { open(QIODevice::WriteOnly); }

protected:
    qint64 readData(char *, qint64) override { return -1; }
    qint64 writeData(const char *, qint64) override { return -1; }
};

} // namespace

TEST(MetricSeries, CsvReportsAFailedWrite)
{
    MetricSeries s;
    s.append(1, 1.0, kT0);
    FailingDevice device;
    EXPECT_EQ(s.writeCsv(&device), -1);
}
