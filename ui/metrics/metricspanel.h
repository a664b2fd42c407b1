// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <map>
#include <memory>

#include <QHash>
#include <QList>
#include <QPointer>
#include <QTimer>
#include <QWidget>

#include "api/job.h"
#include "models/metricseries.h"
#include "models/workspace.h"
#include "network/jobstream.h"

class QCheckBox;
class QComboBox;
class QGridLayout;
class QHBoxLayout;
class QLabel;
class QSlider;

namespace pf::ui {

class MetricChart;

// A job's Metrics tab, or the Compare window for several jobs: one chart per
// metric name in a grid, every point of every job's series (history, then
// live from the log websocket's job.metric source). The bar above sets the
// x-axis (step, relative time, wall time), smoothing, a log y-axis and
// resets the zoom; with several jobs a legend of checkboxes shows and hides
// each job's lines. Each chart's context menu exports it as PNG or its
// visible data as CSV. objectName "metricsPanel".
class MetricsPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricsPanel)

public:
    explicit MetricsPanel(QWidget *parent = nullptr);
    ~MetricsPanel() override;

    void setWorkspace(const models::Workspace &workspace);
    // Follows these jobs' metrics (again from the start if the set changed).
    void setJobs(const QList<api::Job> &jobs);
    void setJob(const api::Job &job) { setJobs({job}); }
    void clear();

    QList<MetricChart *> charts() const;
    MetricChart *chart(const QString &metric) const;
    models::MetricSeries *series(qint64 jobNumber, const QString &metric) const;
    // True once every job's stream has read its history.
    bool isCaughtUp() const;

    void setSmoothing(double weight);
    void setXAxis(models::MetricSeries::XAxis axis);
    void setLogY(bool log);

private:
    struct Followed
    {
        api::Job job;
        QColor color;
        QPointer<network::JobStream> stream;
        bool visible = true;
    };
    void points(int job, const QString &name, const QList<api::MetricPoint> &points);
    MetricChart *chartFor(const QString &name);
    void layoutCharts();
    void showChartMenu(MetricChart *chart, const QPoint &at);
    void updateEmptyState();

    models::Workspace m_workspace;
    std::vector<Followed> m_jobs;
    // By (job index, metric name); stable addresses for the charts.
    std::map<std::pair<int, QString>, std::unique_ptr<models::MetricSeries>> m_series;
    QList<MetricChart *> m_charts; // in name order
    QComboBox *m_axis;
    QSlider *m_smoothing;
    QLabel *m_smoothingValue;
    QCheckBox *m_logY;
    QHBoxLayout *m_legend;
    QWidget *m_grid;
    QGridLayout *m_gridLayout;
    QLabel *m_empty;
    QTimer m_smoothingPause;
};

} // namespace pf::ui
