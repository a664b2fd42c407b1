// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "models/metricseries.h"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <numeric>

#include <QByteArray>
#include <QDateTime>
#include <QIODevice>

#include "api/job.h"

namespace pf::models {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr qint64 kNoIndex = std::numeric_limits<qint64>::max();

// The first index in [from, to) at which before() turns false (it is true,
// then false), or `to`. Gallops from `from` before bisecting, so finding the
// next column's edge costs O(log(points in the column)), and the probes stay
// near each other in memory.
template <typename Before>
qsizetype partitionFrom(qsizetype from, qsizetype to, const Before &before)
{
    if (from >= to || !before(from))
        return from;
    qsizetype lo = from; // before(lo)
    for (qsizetype step = 1;; step *= 2) {
        const qsizetype probe = lo + step;
        if (probe >= to)
            break;
        if (!before(probe)) {
            to = probe;
            break;
        }
        lo = probe;
    }
    qsizetype first = lo + 1;
    qsizetype count = to - first;
    while (count > 0) {
        const qsizetype half = count / 2;
        if (before(first + half)) {
            first += half + 1;
            count -= half + 1;
        } else {
            count = half;
        }
    }
    return first;
}

// Entries of pyramid level `level` over n values (level 0: the values).
qsizetype entriesAt(qsizetype n, int level, int shift)
{
    if (n == 0)
        return 0;
    const int bits = level * shift;
    return bits >= 63 ? 1 : ((n - 1) >> bits) + 1;
}

int levelsNeeded(qsizetype n, int shift)
{
    int levels = 0;
    while (entriesAt(n, levels, shift) > 1)
        ++levels;
    return levels;
}

// Equal values keep the earliest index, whatever order groups are visited in,
// so incremental and rebuilt pyramids agree.
inline void takeMin(double &min, qint64 &minIndex, double v, qint64 index)
{
    if (v < min || (v == min && index < minIndex)) {
        min = v;
        minIndex = index;
    }
}

inline void takeMax(double &max, qint64 &maxIndex, double v, qint64 index)
{
    if (v > max || (v == max && index < maxIndex)) {
        max = v;
        maxIndex = index;
    }
}

template <typename Int>
void appendNumber(QByteArray &out, Int value)
{
    char buf[24];
    const auto res = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, res.ptr - buf);
}

// Shortest text that reads back to the same double (std::to_chars without a
// format: fixed or scientific, whichever is shorter).
void appendDouble(QByteArray &out, double value)
{
    char buf[32];
    const auto res = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, res.ptr - buf);
}

void appendDigits(char *at, int value, int width)
{
    for (int i = width - 1; i >= 0; --i) {
        at[i] = char('0' + value % 10);
        value /= 10;
    }
}

// "2023-11-14T22:13:20.123Z". QDateTime takes about a microsecond a point;
// this is the days-to-civil conversion of Howard Hinnant's date algorithms,
// for years 1970-9999. Other times go through QDateTime.
void appendIsoTime(QByteArray &out, qint64 ms)
{
    constexpr qint64 kMsPerDay = 86'400'000;
    constexpr qint64 kLastMs = 253'402'300'799'999; // 9999-12-31T23:59:59.999Z
    if (ms < 0 || ms > kLastMs) {
        out += QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs).toLatin1();
        return;
    }
    const qint64 days = ms / kMsPerDay;
    qint64 msOfDay = ms % kMsPerDay;
    const qint64 z = days + 719'468;
    const qint64 era = z / 146'097;
    const qint64 doe = z - era * 146'097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36'524 - doe / 146'096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    const int day = int(doy - (153 * mp + 2) / 5 + 1);
    const int month = int(mp < 10 ? mp + 3 : mp - 9);
    const int year = int(yoe + era * 400 + (month <= 2 ? 1 : 0));
    char buf[] = "0000-00-00T00:00:00.000Z";
    appendDigits(buf, year, 4);
    appendDigits(buf + 5, month, 2);
    appendDigits(buf + 8, day, 2);
    appendDigits(buf + 11, int(msOfDay / 3'600'000), 2);
    msOfDay %= 3'600'000;
    appendDigits(buf + 14, int(msOfDay / 60'000), 2);
    msOfDay %= 60'000;
    appendDigits(buf + 17, int(msOfDay / 1000), 2);
    appendDigits(buf + 20, int(msOfDay % 1000), 3);
    out.append(buf, 24);
}

int shiftFor(int fanout)
{
    const unsigned f = unsigned(std::clamp(fanout, 2, 256));
    return int(std::bit_width(f)) - 1;
}

} // namespace

// ---- Pyramid

MetricSeries::Group MetricSeries::Pyramid::aggregate(const std::vector<double> &values, int level,
                                                     qsizetype group) const
{
    Group g{kInf, -kInf, kNoIndex, kNoIndex};
    const qsizetype first = group << m_shift;
    if (level == 1) {
        const qsizetype last =
            std::min<qsizetype>(first + (qsizetype(1) << m_shift), qsizetype(values.size()));
        for (qsizetype i = first; i < last; ++i) {
            takeMin(g.min, g.minIndex, values[size_t(i)], i);
            takeMax(g.max, g.maxIndex, values[size_t(i)], i);
        }
        return g;
    }
    const std::vector<Group> &below = m_levels[size_t(level - 2)];
    const qsizetype last =
        std::min<qsizetype>(first + (qsizetype(1) << m_shift), qsizetype(below.size()));
    for (qsizetype i = first; i < last; ++i) {
        const Group &c = below[size_t(i)];
        takeMin(g.min, g.minIndex, c.min, c.minIndex);
        takeMax(g.max, g.maxIndex, c.max, c.maxIndex);
    }
    return g;
}

// Amortised O(1): a new group opens at level L once every fanout^L points,
// and an existing group passes the point up only when it moved the group's
// min or max (a monotone series does so at every level: O(log_fanout n),
// six levels at ten million points).
void MetricSeries::Pyramid::push(const std::vector<double> &values)
{
    const qsizetype n = qsizetype(values.size());
    const qsizetype i = n - 1;
    const double v = values.back();
    for (int level = 1;; ++level) {
        if (entriesAt(n, level - 1, m_shift) <= 1)
            break;
        if (int(m_levels.size()) < level) {
            // The level below just got its second entry.
            m_levels.emplace_back();
            m_levels.back().reserve(size_t(entriesAt(m_reserved, level, m_shift)));
            m_levels.back().push_back(aggregate(values, level, 0));
            continue;
        }
        std::vector<Group> &groups = m_levels[size_t(level - 1)];
        const qsizetype g = i >> (level * m_shift);
        if (g == qsizetype(groups.size())) {
            groups.push_back({v, v, i, i}); // i opens the group
            continue;
        }
        Group &group = groups[size_t(g)];
        bool changed = false;
        if (v < group.min) {
            group.min = v;
            group.minIndex = i;
            changed = true;
        }
        if (v > group.max) {
            group.max = v;
            group.maxIndex = i;
            changed = true;
        }
        if (!changed)
            break;
    }
}

void MetricSeries::Pyramid::update(const std::vector<double> &values, qsizetype index)
{
    for (int level = 1; level <= levelCount(); ++level) {
        const qsizetype g = index >> (level * m_shift);
        m_levels[size_t(level - 1)][size_t(g)] = aggregate(values, level, g);
    }
}

void MetricSeries::Pyramid::rebuildFrom(const std::vector<double> &values, qsizetype index)
{
    const qsizetype n = qsizetype(values.size());
    m_levels.resize(size_t(levelsNeeded(n, m_shift)));
    for (int level = 1; level <= levelCount(); ++level) {
        std::vector<Group> &groups = m_levels[size_t(level - 1)];
        const qsizetype old = qsizetype(groups.size());
        const qsizetype count = entriesAt(n, level, m_shift);
        groups.reserve(size_t(entriesAt(std::max(n, m_reserved), level, m_shift)));
        groups.resize(size_t(count));
        for (qsizetype g = std::min(index >> (level * m_shift), old); g < count; ++g)
            groups[size_t(g)] = aggregate(values, level, g);
    }
}

// Climbs while a full group of the next level fits inside what is left,
// taking the partial groups at both ends on the way: at most
// 2 * (fanout - 1) entries a level, then at most 2 * fanout at the top.
MetricSeries::Group MetricSeries::Pyramid::query(const std::vector<double> &values, qsizetype begin,
                                                 qsizetype end) const
{
    Group acc{kInf, -kInf, kNoIndex, kNoIndex};
    const auto take = [&](int level, qsizetype from, qsizetype to) {
        if (level == 0) {
            for (qsizetype i = from; i < to; ++i) {
                takeMin(acc.min, acc.minIndex, values[size_t(i)], i);
                takeMax(acc.max, acc.maxIndex, values[size_t(i)], i);
            }
            return;
        }
        const std::vector<Group> &groups = m_levels[size_t(level - 1)];
        for (qsizetype i = from; i < to; ++i) {
            const Group &g = groups[size_t(i)];
            takeMin(acc.min, acc.minIndex, g.min, g.minIndex);
            takeMax(acc.max, acc.maxIndex, g.max, g.maxIndex);
        }
    };
    const qsizetype mask = (qsizetype(1) << m_shift) - 1;
    qsizetype lo = begin;
    qsizetype hi = end;
    for (int level = 0;; ++level) {
        const qsizetype upLo = (lo + mask) >> m_shift;
        const qsizetype upHi = hi >> m_shift;
        if (level >= levelCount() || upLo >= upHi) {
            take(level, lo, hi);
            break;
        }
        take(level, lo, upLo << m_shift);
        take(level, upHi << m_shift, hi);
        lo = upLo;
        hi = upHi;
    }
    return acc;
}

void MetricSeries::Pyramid::reserve(qsizetype values)
{
    // Levels that do not exist yet reserve when push() opens them.
    m_reserved = values;
    m_levels.reserve(size_t(levelsNeeded(values, m_shift)));
    for (int level = 1; level <= levelCount(); ++level)
        m_levels[size_t(level - 1)].reserve(size_t(entriesAt(values, level, m_shift)));
}

qint64 MetricSeries::Pyramid::memoryBytes() const
{
    qint64 bytes = qint64(m_levels.capacity()) * qint64(sizeof(std::vector<Group>));
    for (const std::vector<Group> &groups : m_levels)
        bytes += qint64(groups.capacity()) * qint64(sizeof(Group));
    return bytes;
}

// ---- MetricSeries

// TensorBoard's smoothing: an accumulator that starts at 0 and moves by
// (1 - weight) towards each value; since it starts at 0 rather than at the
// first value, it is divided by 1 - weight^k after k points, which is the
// total weight the k values have in it (the "debiasing"). So the first
// smoothed value is the first raw value, and a constant series stays
// constant.
//
// weight^k is kept as a running product instead of a pow() per point; the
// two differ in the last bits only. Like TensorBoard, which leaves a series
// of one repeated value unsmoothed to avoid rounding noise, the smoothed
// value is the raw one while every value so far equals the first; the
// accumulator runs all the same, so the points after continue the formula.
inline double MetricSeries::Ema::next(double value)
{
    if (!started) {
        first = value;
        started = true;
    }
    last = last * weight + (1.0 - weight) * value;
    power *= weight;
    allEqual = allEqual && value == first;
    return allEqual ? value : last / (1.0 - power);
}

MetricSeries::MetricSeries(int fanout)
    : m_shift(shiftFor(fanout))
    , m_pyramid(m_shift)
    , m_smoothPyramid(m_shift)
{}

MetricSeries::AppendResult MetricSeries::append(qint64 step, double value, qint64 timeMs)
{
    if (!std::isfinite(value)) {
        ++m_skipped;
        return AppendResult::SkippedNonFinite;
    }
    if (m_steps.empty() || step > m_steps.back()) {
        m_steps.push_back(step);
        m_values.push_back(value);
        m_times.push_back(timeMs);
        if (!m_timeKey.empty()) {
            m_timeKey.push_back(std::max(m_timeKey.back(), timeMs));
        } else if (m_times.size() > 1 && timeMs < m_times[m_times.size() - 2]) {
            // The first time that goes back: from now on the time axes search
            // the running maximum (the times before were monotone).
            m_timeKey.assign(m_times.begin(), m_times.end() - 1);
            m_timeKey.push_back(m_timeKey.back());
        }
        m_pyramid.push(m_values);
        if (m_smoothWeight > 0) {
            if ((size() - 1) % kEmaStride == 0)
                m_emaCheckpoints.push_back(m_ema);
            m_smoothed.push_back(m_ema.next(value));
            m_smoothPyramid.push(m_smoothed);
        }
        ++m_revision;
        return AppendResult::Appended;
    }
    const auto it = std::lower_bound(m_steps.begin(), m_steps.end(), step);
    const qsizetype index = it - m_steps.begin();
    if (*it == step) {
        if (m_values[size_t(index)] == value && m_times[size_t(index)] == timeMs)
            return AppendResult::Unchanged;
        m_values[size_t(index)] = value;
        m_times[size_t(index)] = timeMs;
        changedFrom(index, false);
        return AppendResult::Replaced;
    }
    m_steps.insert(it, step);
    m_values.insert(m_values.begin() + index, value);
    m_times.insert(m_times.begin() + index, timeMs);
    changedFrom(index, true);
    return AppendResult::Inserted;
}

MetricSeries::AppendResult MetricSeries::append(const api::MetricPoint &point)
{
    return append(point.step, point.value,
                  point.time.isValid() ? point.time.toMSecsSinceEpoch() : 0);
}

qsizetype MetricSeries::append(const QList<api::MetricPoint> &points)
{
    qsizetype changed = 0;
    for (const api::MetricPoint &p : points) {
        const AppendResult r = append(p);
        if (r == AppendResult::Appended || r == AppendResult::Inserted ||
            r == AppendResult::Replaced)
            ++changed;
    }
    return changed;
}

// The slow path of an insert or a replace at index: O(n - index) for the
// pyramids and the smoothing (restarting at the checkpoint before index).
// Times that were monotone can only stop being so at the changed point's
// neighbours; the first time they do, the running maximum is built, O(n)
// once. While they are not monotone (rare), a change costs O(n).
void MetricSeries::changedFrom(qsizetype index, bool sizeChanged)
{
    if (sizeChanged)
        m_pyramid.rebuildFrom(m_values, index);
    else
        m_pyramid.update(m_values, index);
    const auto time = [this](qsizetype i) { return m_times[size_t(i)]; };
    if (m_timeKey.empty()) {
        const bool monotone = (index == 0 || time(index - 1) <= time(index)) &&
                              (index + 1 >= size() || time(index) <= time(index + 1));
        if (!monotone) {
            m_timeKey.resize(m_times.size());
            std::inclusive_scan(m_times.begin(), m_times.end(), m_timeKey.begin(),
                                [](qint64 a, qint64 b) { return std::max(a, b); });
        }
    } else if (std::is_sorted(m_times.begin(), m_times.end())) {
        m_timeKey.clear();
        m_timeKey.shrink_to_fit();
    } else {
        m_timeKey.resize(m_times.size());
        qint64 running = index > 0 ? m_timeKey[size_t(index - 1)] : time(index);
        for (qsizetype i = index; i < size(); ++i) {
            running = std::max(running, time(i));
            m_timeKey[size_t(i)] = running;
        }
    }
    if (m_smoothWeight > 0)
        recomputeSmoothing(index);
    ++m_revision;
}

void MetricSeries::reserve(qsizetype points)
{
    m_steps.reserve(size_t(points));
    m_values.reserve(size_t(points));
    m_times.reserve(size_t(points));
    m_pyramid.reserve(points);
    if (m_smoothWeight > 0) {
        m_smoothed.reserve(size_t(points));
        m_smoothPyramid.reserve(points);
    }
}

void MetricSeries::clear()
{
    m_steps.clear();
    m_values.clear();
    m_times.clear();
    m_timeKey.clear();
    m_pyramid.clear();
    m_skipped = 0;
    m_emaCheckpoints.clear();
    recomputeSmoothing(0);
    ++m_revision;
}

MetricSeries::Point MetricSeries::point(qsizetype index) const
{
    Q_ASSERT(index >= 0 && index < size());
    const size_t i = size_t(index);
    return {m_steps[i], m_values[i], m_times[i]};
}

double MetricSeries::x(qsizetype index, XAxis axis) const
{
    Q_ASSERT(index >= 0 && index < size());
    const size_t i = size_t(index);
    switch (axis) {
    case XAxis::Step:
        return double(m_steps[i]);
    case XAxis::RelativeSeconds:
        return double(m_times[i] - m_times.front()) / 1000.0;
    case XAxis::WallTimeMs:
        break;
    }
    return double(m_times[i]);
}

double MetricSeries::smoothedValue(qsizetype index) const
{
    Q_ASSERT(index >= 0 && index < size());
    return m_smoothWeight > 0 ? m_smoothed[size_t(index)] : m_values[size_t(index)];
}

int MetricSeries::levelCount() const
{
    return m_pyramid.levelCount();
}

qint64 MetricSeries::memoryBytes() const
{
    return qint64((m_steps.capacity() + m_times.capacity() + m_timeKey.capacity()) *
                      sizeof(qint64) +
                  (m_values.capacity() + m_smoothed.capacity()) * sizeof(double) +
                  m_emaCheckpoints.capacity() * sizeof(Ema)) +
           m_pyramid.memoryBytes() + m_smoothPyramid.memoryBytes();
}

// The key reduce() and the searches use for an axis: non-decreasing in the
// index. For the time axes it is the time, or its running maximum while the
// times are not monotone; the relative axis counts from the first point's
// own time.
template <typename Fn>
decltype(auto) MetricSeries::withKey(XAxis axis, Fn &&fn) const
{
    const qint64 *times = m_timeKey.empty() ? m_times.data() : m_timeKey.data();
    switch (axis) {
    case XAxis::Step: {
        const qint64 *steps = m_steps.data();
        return fn([steps](qsizetype i) { return double(steps[i]); });
    }
    case XAxis::RelativeSeconds: {
        const qint64 t0 = m_times.empty() ? 0 : m_times.front();
        return fn([times, t0](qsizetype i) { return double(times[i] - t0) / 1000.0; });
    }
    case XAxis::WallTimeMs:
        break;
    }
    return fn([times](qsizetype i) { return double(times[i]); });
}

MetricSeries::Range MetricSeries::xRange(XAxis axis) const
{
    if (isEmpty())
        return {};
    return withKey(axis, [this](const auto &key) { return Range{key(0), key(size() - 1), true}; });
}

MetricSeries::Range MetricSeries::valueRange(Values values) const
{
    if (isEmpty())
        return {};
    const bool smoothed = values == Values::Smoothed && m_smoothWeight > 0;
    const Group g = smoothed ? m_smoothPyramid.query(m_smoothed, 0, size())
                             : m_pyramid.query(m_values, 0, size());
    return {g.min, g.max, true};
}

void MetricSeries::setSmoothing(double weight)
{
    const double w = std::isnan(weight) ? 0.0 : std::clamp(weight, 0.0, kMaxSmoothing);
    if (w == m_smoothWeight)
        return;
    m_smoothWeight = w;
    m_emaCheckpoints.clear();
    recomputeSmoothing(0);
    ++m_revision;
}

// The state is a local copy while it runs: stores into m_smoothed could
// alias members, which would keep the accumulator out of registers.
void MetricSeries::recomputeSmoothing(qsizetype from)
{
    if (m_smoothWeight <= 0) {
        m_ema = Ema{};
        m_emaCheckpoints.clear();
        m_emaCheckpoints.shrink_to_fit();
        m_smoothPyramid.clear();
        m_smoothed.clear();
        m_smoothed.shrink_to_fit();
        return;
    }
    // Restart at the last checkpoint at or before `from` (none: the start).
    const qsizetype k = std::min(from / kEmaStride, qsizetype(m_emaCheckpoints.size()) - 1);
    Ema ema = k >= 0 ? m_emaCheckpoints[size_t(k)] : Ema{m_smoothWeight};
    m_emaCheckpoints.resize(size_t(std::max<qsizetype>(k, 0)));
    const size_t start = size_t(std::max<qsizetype>(k, 0) * kEmaStride);
    const size_t n = m_values.size();
    m_smoothed.reserve(m_values.capacity());
    m_smoothed.resize(n);
    const double *in = m_values.data();
    double *out = m_smoothed.data();
    for (size_t i = start; i < n; ++i) {
        if (i % size_t(kEmaStride) == 0)
            m_emaCheckpoints.push_back(ema);
        out[i] = ema.next(in[i]);
    }
    m_ema = ema;
    m_smoothPyramid.reserve(qsizetype(m_values.capacity()));
    m_smoothPyramid.rebuildFrom(m_smoothed, qsizetype(start));
}

double MetricSeries::columnEdge(double xFrom, double xTo, int columns, int column)
{
    return xFrom + (xTo - xFrom) * double(column) / double(columns);
}

MetricSeries::Reduction MetricSeries::reduce(double xFrom, double xTo, int columns, XAxis axis,
                                             Values values) const
{
    if (isEmpty() || columns < 1 || !std::isfinite(xFrom) || !std::isfinite(xTo) || xFrom > xTo)
        return {};
    const bool smoothed = values == Values::Smoothed && m_smoothWeight > 0;
    const std::vector<double> &v = smoothed ? m_smoothed : m_values;
    const Pyramid &pyramid = smoothed ? m_smoothPyramid : m_pyramid;
    return withKey(axis, [&](const auto &key) {
        return reduceBy(key, axis, xFrom, xTo, columns, v, pyramid);
    });
}

template <typename Key>
MetricSeries::Reduction MetricSeries::reduceBy(const Key &key, XAxis axis, double xFrom, double xTo,
                                               int columns, const std::vector<double> &values,
                                               const Pyramid &pyramid) const
{
    Reduction r;
    const qsizetype n = size();
    r.begin = partitionFrom(0, n, [&](qsizetype i) { return key(i) < xFrom; });
    r.end = partitionFrom(r.begin, n, [&](qsizetype i) { return key(i) <= xTo; });
    const auto draw = [&](qsizetype i) { r.points.append(QPointF(x(i, axis), values[size_t(i)])); };
    const auto widen = [&](double min, double max) {
        r.y.min = r.y.valid ? std::min(r.y.min, min) : min;
        r.y.max = r.y.valid ? std::max(r.y.max, max) : max;
        r.y.valid = true;
    };
    const qsizetype inside = r.end - r.begin;
    r.points.reserve(std::min(inside, 4 * qsizetype(columns)) + 2);
    if (r.begin > 0)
        draw(r.begin - 1);
    if (inside <= 2 * qsizetype(columns)) {
        for (qsizetype i = r.begin; i < r.end; ++i) {
            draw(i);
            widen(values[size_t(i)], values[size_t(i)]);
        }
    } else {
        qsizetype lo = r.begin;
        for (int c = 0; c < columns && lo < r.end; ++c) {
            qsizetype hi = r.end;
            if (c + 1 < columns) {
                const double edge = columnEdge(xFrom, xTo, columns, c + 1);
                hi = partitionFrom(lo, r.end, [&](qsizetype i) { return key(i) < edge; });
            }
            if (lo == hi)
                continue;
            const Group g = pyramid.query(values, lo, hi);
            std::array<qsizetype, 4> picks{lo, qsizetype(g.minIndex), qsizetype(g.maxIndex),
                                           hi - 1};
            std::sort(picks.begin(), picks.end());
            for (size_t k = 0; k < picks.size(); ++k) {
                if (k == 0 || picks[k] != picks[k - 1])
                    draw(picks[k]);
            }
            widen(g.min, g.max);
            lo = hi;
        }
    }
    if (r.end < n)
        draw(r.end);
    return r;
}

qsizetype MetricSeries::indexAt(double x, XAxis axis) const
{
    return withKey(axis,
                   [&](const auto &key) {
                       return partitionFrom(0, size(), [&](qsizetype i) { return key(i) <= x; });
                   }) -
           1;
}

qsizetype MetricSeries::nearestIndex(double x, XAxis axis) const
{
    if (isEmpty())
        return -1;
    const qsizetype i = indexAt(x, axis);
    if (i < 0)
        return 0;
    if (i + 1 >= size())
        return i;
    return withKey(axis, [&](const auto &key) { return key(i + 1) - x < x - key(i) ? i + 1 : i; });
}

std::optional<MetricSeries::Point> MetricSeries::valueAt(double x, XAxis axis) const
{
    const qsizetype i = indexAt(x, axis);
    if (i < 0)
        return std::nullopt;
    return point(i);
}

qint64 MetricSeries::writeCsv(QIODevice *device, double xFrom, double xTo, XAxis axis) const
{
    Q_ASSERT(device);
    constexpr qsizetype kChunk = qsizetype(64) * 1024;
    const auto [begin, end] = withKey(axis, [&](const auto &key) {
        const qsizetype b = partitionFrom(0, size(), [&](qsizetype i) { return key(i) < xFrom; });
        const qsizetype e = partitionFrom(b, size(), [&](qsizetype i) { return key(i) <= xTo; });
        return std::pair{b, e};
    });
    QByteArray buf;
    buf.reserve(kChunk + 128);
    buf += "step,value,time\n";
    const auto flush = [&] {
        const bool ok = device->write(buf) == buf.size();
        buf.clear();
        return ok;
    };
    for (qsizetype i = begin; i < end; ++i) {
        appendNumber(buf, m_steps[size_t(i)]);
        buf += ',';
        appendDouble(buf, m_values[size_t(i)]);
        buf += ',';
        appendIsoTime(buf, m_times[size_t(i)]);
        buf += '\n';
        if (buf.size() >= kChunk && !flush())
            return -1;
    }
    if (!buf.isEmpty() && !flush())
        return -1;
    return end - begin;
}

} // namespace pf::models
