// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <limits>
#include <optional>
#include <vector>

#include <QList>
#include <QPointF>
#include <QtGlobal>

class QIODevice;

namespace pf::api {
struct MetricPoint;
}

namespace pf::models {

// Every point of one metric of one job, kept at full resolution, and what a
// chart needs to draw any part of it in time proportional to its width in
// pixels rather than to the number of points.
//
// Points are kept in step order, one per step. They usually arrive in
// increasing step order (the history pages, then the live stream), which
// costs amortised O(1) per point. A point whose step is already there
// replaces it, unless it is an exact repeat (history and stream overlap),
// which changes nothing. A point whose step is below the last one is
// inserted in place: correct, but O(n - index), as the points after it move
// (rare: a page of history that arrives after live points).
// NaN and infinite values are not stored; they are counted
// (skippedNonFinite()).
//
// Drawing: reduce() turns a visible x-range and a width in pixel columns into
// at most four points per column (the first, the minimum, the maximum and
// the last point of the column, in their order), so every spike shows at
// every zoom and the line joins columns as the raw line would; plus the
// nearest point outside each side, so the line runs to the edges. Column
// minima and maxima come from a level-of-detail pyramid (groups of fanout()
// points, groups of fanout() groups, ...), so a redraw costs
// O(columns * fanout * log_fanout(n)) whatever the zoom.
//
// X axes: the step, the seconds since the first point (by step), or the wall
// time in ms since the epoch. The step is strictly increasing by
// construction. Times are assumed non-decreasing in step order, as they are
// when one process logs them; where they are not (isTimeMonotone() false:
// a clock stepped back, or a job resumed with older steps), the time axes
// place each point by the latest time up to it (the running maximum), so
// every point lands in exactly one column and none is lost, but a point
// whose time went back is drawn, at its own time, from the column of the
// time before it.
//
// Smoothing (setSmoothing()) is TensorBoard's: an exponential moving average
// over the points in step order, debiased for its start. It is kept for the
// whole series, incrementally on append, with its own pyramid, so that it
// does not change with the zoom and a redraw costs the same as the raw line.
//
//   MetricSeries loss;
//   loss.append(points);                         // history, then live points
//   if (loss.revision() != drawnRevision) {      // on the chart's redraw timer
//       drawnRevision = loss.revision();
//       const auto r = loss.reduce(x0, x1, plotWidthPx, MetricSeries::XAxis::Step);
//       lineSeries->replace(r.points);           // never append() one by one
//       if (r.y.valid)
//           yAxis->setRange(r.y.min, r.y.max);
//   }
//
// A value type, not thread-safe: one thread (the GUI's) owns it.
class MetricSeries
{
public:
    enum class XAxis { Step, RelativeSeconds, WallTimeMs };
    enum class Values { Raw, Smoothed };
    enum class AppendResult {
        Appended,         // after the last step
        Inserted,         // before the last step, in place
        Replaced,         // same step, other value or time
        Unchanged,        // same step, value and time
        SkippedNonFinite, // NaN or infinite value; not stored
    };

    struct Point
    {
        qint64 step = 0;
        double value = 0.0;
        qint64 timeMs = 0; // ms since the epoch, UTC

        friend bool operator==(const Point &, const Point &) = default;
    };

    // A closed interval; !valid for an empty series or range.
    struct Range
    {
        double min = 0.0;
        double max = 0.0;
        bool valid = false;
    };

    struct Reduction
    {
        // In step order, ready for QXYSeries::replace(). x in the axis's unit;
        // y is the raw or the smoothed value.
        QList<QPointF> points;
        // Min and max y of the points inside [xFrom, xTo] (all of them, not
        // only the drawn ones; without the neighbours outside): for
        // auto-scaling the y axis.
        Range y;
        // The points inside [xFrom, xTo] are the indices [begin, end).
        qsizetype begin = 0;
        qsizetype end = 0;
    };

    // pf_metricseries_bench at ten million points: fanouts 8 to 64 reduce the
    // whole range in 0.6-0.9 ms and 1% of it in 0.23-0.32 ms (medians); 16
    // is among the fastest and needs 2.1 bytes a point over the 24 of the
    // point (8: 4.6, 32: 1.0).
    static constexpr int kDefaultFanout = 16;
    // TensorBoard's slider stops at 0.999 too: 1 would be a constant line.
    static constexpr double kMaxSmoothing = 0.999;

    // fanout: a power of two from 2 to 256 (others round down to one).
    explicit MetricSeries(int fanout = kDefaultFanout);

    AppendResult append(qint64 step, double value, qint64 timeMs);
    // An invalid time counts as 0 (the epoch).
    AppendResult append(const api::MetricPoint &point);
    // Returns how many points changed the series (Appended, Inserted or
    // Replaced).
    qsizetype append(const QList<api::MetricPoint> &points);
    void reserve(qsizetype points);
    void clear();

    qsizetype size() const { return qsizetype(m_steps.size()); }
    bool isEmpty() const { return m_steps.empty(); }
    // 0 <= index < size().
    Point point(qsizetype index) const;
    // The point's x on axis, as reduce() draws it.
    double x(qsizetype index, XAxis axis) const;
    // The smoothed value of the point; its raw value while smoothing is off.
    double smoothedValue(qsizetype index) const;

    // Changes whenever what reduce() returns may change (a point appended,
    // inserted or replaced; clear(); setSmoothing()); never otherwise (not
    // for a repeat or a skipped value). A chart redraws only when it differs
    // from the one it drew.
    quint64 revision() const { return m_revision; }
    qsizetype skippedNonFinite() const { return m_skipped; }
    bool isTimeMonotone() const { return m_timeKey.empty(); }
    int fanout() const { return 1 << m_shift; }
    // Pyramid levels above the points (0 for up to one point).
    int levelCount() const;
    // Heap bytes held: the points, the pyramids, the smoothed values.
    qint64 memoryBytes() const;

    // The x-range in which reduce() finds every point: [first, last] x.
    Range xRange(XAxis axis) const;
    // Min and max of every value (raw or smoothed), O(fanout * levels).
    Range valueRange(Values values = Values::Raw) const;

    // weight in [0, kMaxSmoothing] (clamped); 0 switches smoothing off and
    // frees its memory. O(n) when the weight changes (about 45 ms at ten
    // million points; switching it on costs more, as its 10 bytes a point
    // are new memory), then O(1) per appended point.
    void setSmoothing(double weight);
    double smoothing() const { return m_smoothWeight; }

    // reduce()'s pixel columns: column c of `columns` holds the points with
    // columnEdge(c) <= x < columnEdge(c + 1); the last one also those at
    // x == xTo. Edges are non-decreasing in c; columnEdge(0) == xFrom.
    static double columnEdge(double xFrom, double xTo, int columns, int column);

    // The points to draw for [xFrom, xTo] at `columns` pixel columns (see the
    // class comment). When the range holds at most 2 * columns points, all
    // of them. Empty for an empty series, columns < 1, xFrom > xTo or a bound
    // that is not finite; y is then !valid, as it is for a range without
    // points (the neighbours are drawn then still, so a line crosses it).
    Reduction reduce(double xFrom, double xTo, int columns, XAxis axis,
                     Values values = Values::Raw) const;

    // For a hover crosshair: the last point at or before x (-1: x is before
    // the first point), and the one of it and its successor nearest to x
    // (-1 only for an empty series). O(log n).
    qsizetype indexAt(double x, XAxis axis) const;
    qsizetype nearestIndex(double x, XAxis axis) const;
    std::optional<Point> valueAt(double x, XAxis axis) const;

    // Every point with xFrom <= x <= xTo (not the reduced ones) as CSV, header
    // `step,value,time`, one line each ending in "\n", the value in the
    // shortest form that reads back to the same double, the time ISO 8601 UTC
    // with ms ("2023-11-14T22:13:20.123Z"). Streamed in 64 KiB writes.
    // The range is found as reduce() finds it (on a time axis whose times
    // are not monotone: by their running maximum). Returns the number of
    // points written, -1 if the device failed a write.
    qint64 writeCsv(QIODevice *device, double xFrom = -std::numeric_limits<double>::infinity(),
                    double xTo = std::numeric_limits<double>::infinity(),
                    XAxis axis = XAxis::Step) const;

private:
    // Min and max (with their index, the earliest of equal values) of each
    // group of fanout entries of the level below; level 0 is the values.
    // A group's first and last point and count follow from its position.
    struct Group
    {
        double min = 0.0;
        double max = 0.0;
        qint64 minIndex = 0;
        qint64 maxIndex = 0;
    };
    class Pyramid
    {
    public:
        explicit Pyramid(int shift)
            : m_shift(shift)
        {}
        // values.back() was just appended.
        void push(const std::vector<double> &values);
        // values[index] changed; the size did not.
        void update(const std::vector<double> &values, qsizetype index);
        // Every value from index on may have changed, and the size too.
        void rebuildFrom(const std::vector<double> &values, qsizetype index);
        void clear() { m_levels.clear(); }
        // Room for the groups over `values` values.
        void reserve(qsizetype values);
        // begin < end <= values.size().
        Group query(const std::vector<double> &values, qsizetype begin, qsizetype end) const;
        int levelCount() const { return int(m_levels.size()); }
        qint64 memoryBytes() const;

    private:
        Group aggregate(const std::vector<double> &values, int level, qsizetype group) const;
        int m_shift;
        qsizetype m_reserved = 0;                 // values that reserve() made room for
        std::vector<std::vector<Group>> m_levels; // m_levels[0] is level 1
    };

    template <typename Key>
    Reduction reduceBy(const Key &key, XAxis axis, double xFrom, double xTo, int columns,
                       const std::vector<double> &values, const Pyramid &pyramid) const;
    template <typename Fn>
    decltype(auto) withKey(XAxis axis, Fn &&fn) const;
    void changedFrom(qsizetype index, bool sizeChanged);
    // Smoothed values from `from` on (0: all, from scratch).
    void recomputeSmoothing(qsizetype from);

    int m_shift;
    std::vector<qint64> m_steps;
    std::vector<double> m_values;
    std::vector<qint64> m_times;
    // The running maximum of m_times, only while they are not monotone.
    std::vector<qint64> m_timeKey;
    Pyramid m_pyramid;

    double m_smoothWeight = 0.0;
    std::vector<double> m_smoothed; // empty while smoothing is off
    Pyramid m_smoothPyramid;
    // TensorBoard's smoothing, one point at a time (see the .cpp).
    struct Ema
    {
        double weight = 0.0;
        double last = 0.0;
        double power = 1.0; // weight^(points so far)
        double first = 0.0;
        bool allEqual = true; // every value so far equals the first
        bool started = false;

        double next(double value);
    };
    Ema m_ema;
    // m_ema's state before point k * kEmaStride: where recomputeSmoothing()
    // restarts after an insert or a replace, so that costs O(n - index), not
    // O(n), and gives the very bits a run from the first point would.
    static constexpr qsizetype kEmaStride = 4096;
    std::vector<Ema> m_emaCheckpoints;

    quint64 m_revision = 0;
    qsizetype m_skipped = 0;
};

} // namespace pf::models
