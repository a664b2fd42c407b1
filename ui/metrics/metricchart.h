// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <limits>
#include <memory>

#include <QChartView>
#include <QColor>
#include <QElapsedTimer>
#include <QList>

#include "models/metricseries.h"

class QAbstractAxis;
class QGraphicsLineItem;
class QGraphicsSimpleTextItem;
class QLineSeries;
class QValueAxis;

namespace pf::ui {

// One metric on a chart, every point kept: each series (one per job when
// comparing) is reduced to about two points per pixel column of the visible
// x-range (MetricSeries::reduce: each column's min and max, so spikes show
// at every zoom) and handed to Qt Charts with one replace() per redraw.
// Redraws are coalesced: at most 15 a second a chart, one chart at a time
// over all charts (so the GUI thread pays for one chart's redraw per slice
// of its event loop), and none when neither the data nor the view changed.
//
// Drag a box to zoom, wheel to zoom around the mouse, Shift+drag or the
// middle button to pan, double-click to reset. With smoothing on, the
// exponential moving average is drawn over the raw series, which stays
// faint behind it. Hovering shows a crosshair and every series' value at
// that x. objectName "metricChart".
class MetricChart final : public QChartView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricChart)

public:
    explicit MetricChart(const QString &metric, QWidget *parent = nullptr);
    ~MetricChart() override;

    const QString &metric() const { return m_metric; }

    // `series` must outlive the chart (or be removed first).
    void addSeries(const QString &label, models::MetricSeries *series, const QColor &color);
    void removeSeries(const models::MetricSeries *series);
    void setSeriesVisible(const models::MetricSeries *series, bool visible);
    int seriesCount() const { return int(m_lines.size()); }

    void setXAxis(models::MetricSeries::XAxis axis);
    void setLogY(bool log);
    void setSmoothing(double weight); // 0 = off
    void resetZoom();
    bool isZoomed() const { return m_zoomed; }
    // The visible x-range ({} until the first redraw).
    std::pair<double, double> xRange() const { return {m_xFrom, m_xTo}; }
    void zoomTo(double xFrom, double xTo);

    // Data changed (points appended): redraw at the next tick.
    void dataChanged();
    // Redraw now (tests, export).
    void redraw();
    qint64 msSinceRedraw() const { return m_sinceRedraw.elapsed(); }
    // Points handed to Qt Charts in the last redraw, over all series.
    qsizetype drawnPoints() const { return m_drawnPoints; }
    QString title() const;
    // The text of the hover label at `x` (what a user reads there).
    QString valuesAt(double x) const;

    bool exportPng(const QString &path);
    // The visible points of every series, all of them (not the reduced ones).
    bool exportCsv(const QString &path) const;

protected:
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    struct Line
    {
        QString label;
        models::MetricSeries *series = nullptr;
        QColor color;
        QLineSeries *raw = nullptr;
        QLineSeries *smooth = nullptr;
        bool visible = true;
    };
    void scheduleRedraw();
    void updateTitle();
    void placeTitle();
    void attach(QLineSeries *line);
    void replaceYAxis();
    double xAt(const QPointF &viewPos) const;

    QString m_metric;
    std::vector<Line> m_lines;
    QValueAxis *m_x;
    QAbstractAxis *m_y;
    models::MetricSeries::XAxis m_axis = models::MetricSeries::XAxis::Step;
    bool m_logY = false;
    double m_smoothing = 0.0;
    bool m_zoomed = false;
    double m_xFrom = 0.0;
    double m_xTo = 0.0;
    // The y-range last asked of the axis (before its nice numbers).
    double m_yFrom = std::numeric_limits<double>::quiet_NaN();
    double m_yTo = std::numeric_limits<double>::quiet_NaN();
    bool m_dirty = true;
    QElapsedTimer m_sinceRedraw;
    qsizetype m_drawnPoints = 0;
    bool m_panning = false;
    QPointF m_panFrom;
    QGraphicsLineItem *m_crosshair = nullptr;
    QGraphicsSimpleTextItem *m_hoverText = nullptr;
    QGraphicsSimpleTextItem *m_title = nullptr;
};

} // namespace pf::ui
