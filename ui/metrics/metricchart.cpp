// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "metricchart.h"

#include <cmath>
#include <deque>

#include <QBuffer>
#include <QGraphicsLineItem>
#include <QGraphicsSimpleTextItem>
#include <QLineSeries>
#include <QLocale>
#include <QLogValueAxis>
#include <QMouseEvent>
#include <QPointer>
#include <QSaveFile>
#include <QTimer>
#include <QValueAxis>

#include "ui/theme.h"

namespace pf::ui {

namespace {

constexpr int kMinIntervalMs = 66; // a chart redraws at most 15 times a second
constexpr int kSliceMs = 4;        // one chart's redraw per slice of the event loop

// Every chart's redraws go through one queue that redraws one chart per
// slice: twenty live charts then cost the GUI thread one chart's redraw at
// a time, never all twenty in one frame, and a chart's rate drops by itself
// when redraws cost more than the loop can give them.
class RedrawQueue final : public QObject
{
public:
    static RedrawQueue &instance()
    {
        static RedrawQueue queue;
        return queue;
    }

    void add(MetricChart *chart)
    {
        if (std::find(m_queue.begin(), m_queue.end(), chart) == m_queue.end())
            m_queue.emplace_back(chart);
        if (!m_timer.isActive())
            m_timer.start();
    }

private:
    RedrawQueue()
    {
        m_timer.setInterval(kSliceMs);
        connect(&m_timer, &QTimer::timeout, this, &RedrawQueue::next);
    }

    void next()
    {
        // The first chart whose last redraw is old enough; the others wait.
        for (qsizetype tries = qsizetype(m_queue.size()); tries > 0; --tries) {
            QPointer<MetricChart> chart = m_queue.front();
            m_queue.pop_front();
            if (!chart)
                continue;
            if (chart->msSinceRedraw() < kMinIntervalMs) {
                m_queue.push_back(chart);
                continue;
            }
            chart->redraw();
            break;
        }
        if (m_queue.empty())
            m_timer.stop();
    }

    std::deque<QPointer<MetricChart>> m_queue;
    QTimer m_timer;
};

double niceStep(double rough)
{
    if (!(rough > 0))
        return 1;
    const double power = std::pow(10.0, std::floor(std::log10(rough)));
    for (const double m : {1.0, 2.0, 5.0})
        if (m * power >= rough)
            return m * power;
    return 10 * power;
}

// The exact range, with ticks on round numbers (1, 2 or 5 times a power of
// ten) inside it: no room lost to widening the range to round ends.
void setRoundTicks(QValueAxis *axis, double from, double to)
{
    if (axis->tickType() != QValueAxis::TicksDynamic) {
        axis->setTickType(QValueAxis::TicksDynamic);
        axis->setTickAnchor(0);
    }
    // Qt Charts makes a graphics item per tick at once: a wider range with
    // the old, finer interval (zoom reset after a deep zoom) would make
    // millions. The coarser of the two settings goes first.
    const double interval = niceStep((to - from) / 5);
    if (interval > axis->tickInterval()) {
        axis->setTickInterval(interval);
        axis->setRange(from, to);
    } else {
        axis->setRange(from, to);
        axis->setTickInterval(interval);
    }
}

QString formatValue(double v)
{
    return QLocale().toString(v, 'g', 6);
}

} // namespace

MetricChart::MetricChart(const QString &metric, QWidget *parent)
    : QChartView(new QChart, parent)
    , m_metric(metric)
    , m_x(new QValueAxis(this))
    , m_y(new QValueAxis(this))
{
    setObjectName(QStringLiteral("metricChart"));
    setRubberBand(QChartView::HorizontalRubberBand);
    setMouseTracking(true);
    QChart *c = chart();
    c->legend()->hide();
    c->setBackgroundRoundness(4);
    c->setTheme(isDark() ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    c->setBackgroundBrush(palette().color(QPalette::Base));
    c->addAxis(m_x, Qt::AlignBottom);
    c->addAxis(m_y, Qt::AlignLeft);
    m_x->setLabelFormat(QStringLiteral("%g"));
    static_cast<QValueAxis *>(m_y)->setLabelFormat(QStringLiteral("%g"));
    m_sinceRedraw.start();
    m_crosshair = new QGraphicsLineItem(c);
    m_crosshair->setPen(QPen(palette().color(QPalette::PlaceholderText), 1, Qt::DashLine));
    m_crosshair->setZValue(10);
    m_crosshair->hide();
    m_hoverText = new QGraphicsSimpleTextItem(c);
    m_hoverText->setBrush(palette().color(QPalette::Text));
    m_hoverText->setZValue(11);
    m_hoverText->hide();
    m_title = new QGraphicsSimpleTextItem(c);
    QFont titleFont = font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setBrush(palette().color(QPalette::Text));
    c->setMargins(QMargins(4, QFontMetrics(titleFont).height() + 6, 4, 4));
    setMinimumSize(280, 200);
    updateTitle();
}

MetricChart::~MetricChart() = default;

void MetricChart::attach(QLineSeries *line)
{
    chart()->addSeries(line);
    line->attachAxis(m_x);
    line->attachAxis(m_y);
    line->setUseOpenGL(false);
}

void MetricChart::addSeries(const QString &label, models::MetricSeries *series, const QColor &color)
{
    Line l;
    l.label = label;
    l.series = series;
    l.color = color;
    l.raw = new QLineSeries(this);
    l.raw->setName(label);
    l.raw->setPen(QPen(color, 1.5));
    attach(l.raw);
    l.smooth = new QLineSeries(this);
    l.smooth->setName(label + tr(" (smoothed)"));
    l.smooth->setPen(QPen(color, 2));
    attach(l.smooth);
    m_lines.push_back(l);
    dataChanged();
}

void MetricChart::removeSeries(const models::MetricSeries *series)
{
    for (auto it = m_lines.begin(); it != m_lines.end(); ++it) {
        if (it->series != series)
            continue;
        chart()->removeSeries(it->raw);
        chart()->removeSeries(it->smooth);
        delete it->raw;
        delete it->smooth;
        m_lines.erase(it);
        dataChanged();
        return;
    }
}

void MetricChart::setSeriesVisible(const models::MetricSeries *series, bool visible)
{
    for (Line &l : m_lines)
        if (l.series == series)
            l.visible = visible;
    dataChanged();
}

void MetricChart::setXAxis(models::MetricSeries::XAxis axis)
{
    m_axis = axis;
    m_zoomed = false;
    m_x->setTitleText(axis == models::MetricSeries::XAxis::Step              ? QString()
                      : axis == models::MetricSeries::XAxis::RelativeSeconds ? tr("seconds")
                                                                             : tr("time"));
    dataChanged();
}

void MetricChart::setLogY(bool log)
{
    if (log == m_logY)
        return;
    m_logY = log;
    replaceYAxis();
    dataChanged();
}

void MetricChart::replaceYAxis()
{
    QChart *c = chart();
    for (const Line &l : m_lines) {
        // Emptied first: a log axis must not meet the values at or below
        // zero a linear one showed (the next redraw fills them again).
        l.raw->clear();
        l.smooth->clear();
        l.raw->detachAxis(m_y);
        l.smooth->detachAxis(m_y);
    }
    c->removeAxis(m_y);
    delete m_y;
    if (m_logY) {
        auto *axis = new QLogValueAxis(this);
        axis->setLabelFormat(QStringLiteral("%g"));
        axis->setBase(10);
        m_y = axis;
    } else {
        auto *axis = new QValueAxis(this);
        axis->setLabelFormat(QStringLiteral("%g"));
        m_y = axis;
    }
    c->addAxis(m_y, Qt::AlignLeft);
    m_yFrom = m_yTo = std::numeric_limits<double>::quiet_NaN(); // set it at the next redraw
    for (const Line &l : m_lines) {
        l.raw->attachAxis(m_y);
        l.smooth->attachAxis(m_y);
    }
}

void MetricChart::setSmoothing(double weight)
{
    m_smoothing = std::clamp(weight, 0.0, models::MetricSeries::kMaxSmoothing);
    dataChanged();
}

void MetricChart::resetZoom()
{
    m_zoomed = false;
    dataChanged();
}

void MetricChart::zoomTo(double xFrom, double xTo)
{
    if (!(xTo > xFrom))
        return;
    m_zoomed = true;
    m_xFrom = xFrom;
    m_xTo = xTo;
    dataChanged();
}

void MetricChart::dataChanged()
{
    m_dirty = true;
    scheduleRedraw();
}

void MetricChart::scheduleRedraw()
{
    m_dirty = true;
    RedrawQueue::instance().add(this);
}

void MetricChart::redraw()
{
    if (!m_dirty)
        return;
    m_dirty = false;
    m_sinceRedraw.restart();
    using models::MetricSeries;
    if (!m_zoomed) {
        bool any = false;
        double from = 0;
        double to = 0;
        for (const Line &l : m_lines) {
            const MetricSeries::Range r = l.series->xRange(m_axis);
            if (!l.visible || !r.valid)
                continue;
            from = any ? std::min(from, r.min) : r.min;
            to = any ? std::max(to, r.max) : r.max;
            any = true;
        }
        if (to <= from)
            to = from + 1;
        m_xFrom = from;
        m_xTo = to;
    }
    const int columns = std::max(1, int(chart()->plotArea().width()));
    double yMin = 0;
    double yMax = 0;
    bool haveY = false;
    m_drawnPoints = 0;
    // Reduce first, hand the points over last: Qt Charts lays a series out
    // again (mapping every point and stroking its outline for hit tests) on
    // each replace() and on each change of an axis' range, so setting the
    // axes while the old points are in would cost a layout per axis.
    struct Pending
    {
        QLineSeries *line;
        QList<QPointF> points;
    };
    std::vector<Pending> pending;
    const auto take = [&](const MetricSeries::Reduction &r, QLineSeries *line) {
        QList<QPointF> points = r.points;
        if (m_logY)
            points.removeIf([](const QPointF &p) { return p.y() <= 0; });
        if (r.y.valid) {
            const double lo = m_logY ? std::max(r.y.min, 1e-12) : r.y.min;
            yMin = haveY ? std::min(yMin, lo) : lo;
            yMax = haveY ? std::max(yMax, r.y.max) : r.y.max;
            haveY = true;
        }
        m_drawnPoints += points.size();
        pending.push_back({line, std::move(points)});
    };
    for (Line &l : m_lines) {
        if (!l.visible) {
            pending.push_back({l.raw, {}});
            pending.push_back({l.smooth, {}});
            continue;
        }
        if (m_smoothing > 0) {
            l.series->setSmoothing(m_smoothing);
            take(l.series->reduce(m_xFrom, m_xTo, columns, m_axis, MetricSeries::Values::Smoothed),
                 l.smooth);
        } else {
            pending.push_back({l.smooth, {}});
        }
        take(l.series->reduce(m_xFrom, m_xTo, columns, m_axis, MetricSeries::Values::Raw), l.raw);
    }

    // The axes' ranges: x exactly the visible range, y the values' with a
    // margin (a factor on a log scale).
    double yFrom = 0;
    double yTo = 0;
    if (haveY) {
        if (m_logY) {
            yFrom = yMin / 1.2;
            yTo = std::max(yMax, yMin) * 1.2;
        } else {
            // A constant shows in the middle: ±10% of it, or ±1 around 0.
            const double pad = yMax > yMin ? (yMax - yMin) * 0.05
                               : yMax != 0 ? std::abs(yMax) * 0.1
                                           : 1.0;
            yFrom = yMin - pad;
            yTo = yMax + pad;
        }
    }
    const bool axesChange = m_x->min() != m_xFrom || m_x->max() != m_xTo ||
                            (haveY && (yFrom != m_yFrom || yTo != m_yTo));
    if (axesChange) {
        for (const Line &l : m_lines) {
            l.raw->clear();
            l.smooth->clear();
        }
        setRoundTicks(m_x, m_xFrom, m_xTo);
        if (haveY) {
            m_yFrom = yFrom;
            m_yTo = yTo;
            if (m_logY)
                m_y->setRange(yFrom, yTo);
            else
                setRoundTicks(static_cast<QValueAxis *>(m_y), yFrom, yTo);
        }
    }
    for (Line &l : m_lines) {
        // Smoothing dims the raw line behind the smoothed one (a new pen
        // lays the series out again: only when it changes).
        // The faint colour is mixed with the background rather than drawn
        // translucent: the raster engine strokes a translucent line several
        // times slower.
        QColor rawColor = l.color;
        if (m_smoothing > 0) {
            const QColor base = chart()->backgroundBrush().color();
            constexpr double kRawShare = 0.3;
            rawColor = QColor::fromRgbF(
                float(kRawShare * l.color.redF() + (1 - kRawShare) * base.redF()),
                float(kRawShare * l.color.greenF() + (1 - kRawShare) * base.greenF()),
                float(kRawShare * l.color.blueF() + (1 - kRawShare) * base.blueF()));
        }
        if (l.raw->pen().color() != rawColor)
            l.raw->setPen(QPen(rawColor, 1.5));
    }
    // Antialiasing costs about eight times the paint of a dense line, where
    // it shows least: only sparse lines get it.
    setRenderHint(QPainter::Antialiasing, m_drawnPoints <= 2 * columns);
    for (Pending &p : pending) {
        if (!p.points.isEmpty() || p.line->count() > 0)
            p.line->replace(p.points);
    }
    updateTitle();
}

void MetricChart::updateTitle()
{
    QString title = m_metric;
    if (m_lines.size() == 1 && !m_lines.front().series->isEmpty()) {
        const models::MetricSeries *s = m_lines.front().series;
        const models::MetricSeries::Point last = s->point(s->size() - 1);
        title = tr("%1 — %2 at step %3")
                    .arg(m_metric, formatValue(last.value), QLocale().toString(last.step));
    }
    // Drawn as an item: QChart::setTitle() would lay the whole chart out
    // again on every new value.
    if (m_title->text() != title) {
        m_title->setText(title);
        placeTitle();
    }
}

double MetricChart::xAt(const QPointF &viewPos) const
{
    const QRectF plot = chart()->plotArea();
    const QPointF scene = mapToScene(viewPos.toPoint());
    const QPointF inChart = chart()->mapFromScene(scene);
    if (plot.width() <= 0)
        return m_xFrom;
    return m_xFrom + (inChart.x() - plot.left()) / plot.width() * (m_xTo - m_xFrom);
}

QString MetricChart::title() const
{
    return m_title->text();
}

QString MetricChart::valuesAt(double x) const
{
    QStringList lines;
    for (const Line &l : m_lines) {
        if (!l.visible)
            continue;
        const auto p = l.series->valueAt(x, m_axis);
        if (!p)
            continue;
        QString text = m_lines.size() > 1 ? l.label + QStringLiteral(": ") : QString();
        text += formatValue(p->value);
        if (m_smoothing > 0) {
            const qsizetype i = l.series->nearestIndex(x, m_axis);
            if (i >= 0)
                text += tr(" (smoothed %1)").arg(formatValue(l.series->smoothedValue(i)));
        }
        text += tr(" at step %1").arg(QLocale().toString(p->step));
        lines << text;
    }
    return lines.join(u'\n');
}

void MetricChart::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::MiddleButton ||
        (event->button() == Qt::LeftButton && event->modifiers() & Qt::ShiftModifier)) {
        m_panning = true;
        m_panFrom = event->position();
        setCursor(Qt::ClosedHandCursor);
        return;
    }
    QChartView::mousePressEvent(event);
}

void MetricChart::mouseMoveEvent(QMouseEvent *event)
{
    const QRectF plot = chart()->plotArea();
    if (m_panning && plot.width() > 0) {
        const double dx =
            (event->position().x() - m_panFrom.x()) / plot.width() * (m_xTo - m_xFrom);
        m_panFrom = event->position();
        zoomTo(m_xFrom - dx, m_xTo - dx);
        redraw();
        return;
    }
    const QPointF inChart = chart()->mapFromScene(mapToScene(event->position().toPoint()));
    if (plot.contains(inChart) && !m_lines.empty()) {
        m_crosshair->setLine(inChart.x(), plot.top(), inChart.x(), plot.bottom());
        m_crosshair->show();
        m_hoverText->setText(valuesAt(xAt(event->position())));
        const QRectF box = m_hoverText->boundingRect();
        const double left = inChart.x() + 8 + box.width() > plot.right()
                                ? inChart.x() - 8 - box.width()
                                : inChart.x() + 8;
        m_hoverText->setPos(left, plot.top() + 4);
        m_hoverText->show();
    } else {
        m_crosshair->hide();
        m_hoverText->hide();
    }
    QChartView::mouseMoveEvent(event);
}

void MetricChart::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_panning) {
        m_panning = false;
        unsetCursor();
        return;
    }
    if (event->button() == Qt::RightButton)
        return; // QChartView zooms out on a right click; the context menu is the panel's
    QChartView::mouseReleaseEvent(event);
    // The rubber band zooms the axis itself; take its range as the view's.
    if (!qFuzzyCompare(m_x->min(), m_xFrom) || !qFuzzyCompare(m_x->max(), m_xTo))
        zoomTo(m_x->min(), m_x->max());
}

void MetricChart::mouseDoubleClickEvent(QMouseEvent *)
{
    resetZoom();
}

void MetricChart::wheelEvent(QWheelEvent *event)
{
    const double factor = event->angleDelta().y() > 0 ? 0.8 : 1.25;
    const double at = xAt(event->position());
    zoomTo(at - (at - m_xFrom) * factor, at + (m_xTo - at) * factor);
    event->accept();
}

void MetricChart::leaveEvent(QEvent *event)
{
    m_crosshair->hide();
    m_hoverText->hide();
    QChartView::leaveEvent(event);
}

void MetricChart::placeTitle()
{
    const QRectF box = m_title->boundingRect();
    m_title->setPos((chart()->size().width() - box.width()) / 2, 4);
}

void MetricChart::resizeEvent(QResizeEvent *event)
{
    QChartView::resizeEvent(event);
    placeTitle();
    dataChanged(); // more or fewer pixel columns
}

bool MetricChart::exportPng(const QString &path)
{
    redraw();
    m_crosshair->hide();
    m_hoverText->hide();
    return grab().save(path, "PNG");
}

bool MetricChart::exportCsv(const QString &path) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    if (m_lines.size() == 1) {
        m_lines.front().series->writeCsv(&file, m_xFrom, m_xTo, m_axis);
        return file.commit();
    }
    // Several series: a first column says which.
    file.write("series,step,value,time\n");
    for (const Line &l : m_lines) {
        QBuffer one;
        one.open(QIODevice::ReadWrite);
        l.series->writeCsv(&one, m_xFrom, m_xTo, m_axis);
        const QList<QByteArray> rows = one.data().split('\n');
        QByteArray label = l.label.toUtf8();
        if (label.contains(',') || label.contains('"'))
            label = '"' + label.replace("\"", "\"\"") + '"';
        for (qsizetype i = 1; i < rows.size(); ++i)
            if (!rows.at(i).isEmpty())
                file.write(label + ',' + rows.at(i) + '\n');
    }
    return file.commit();
}

} // namespace pf::ui
