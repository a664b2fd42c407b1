// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "metricspanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QScrollArea>
#include <QSlider>
#include <QVBoxLayout>

#include "ui/metrics/metricchart.h"
#include "ui/widgets/messagebox.h"

namespace pf::ui {

namespace {

QColor jobColor(int index)
{
    static const QList<QColor> colors{QColor(0x42, 0x85, 0xf4), QColor(0xea, 0x43, 0x35),
                                      QColor(0x34, 0xa8, 0x53), QColor(0xfb, 0xbc, 0x05),
                                      QColor(0xab, 0x47, 0xbc), QColor(0x00, 0xac, 0xc1),
                                      QColor(0xff, 0x70, 0x43), QColor(0x9e, 0x9d, 0x24)};
    return colors.at(index % colors.size());
}

constexpr double kDefaultSmoothing = 0.6;

} // namespace

MetricsPanel::MetricsPanel(QWidget *parent)
    : QWidget(parent)
    , m_axis(new QComboBox(this))
    , m_smoothing(new QSlider(Qt::Horizontal, this))
    , m_smoothingValue(new QLabel(this))
    , m_logY(new QCheckBox(tr("Log scale"), this))
    , m_legend(new QHBoxLayout)
    , m_grid(new QWidget)
    , m_gridLayout(new QGridLayout(m_grid))
    , m_empty(new QLabel(this))
{
    setObjectName(QStringLiteral("metricsPanel"));
    m_axis->setObjectName(QStringLiteral("metricsXAxis"));
    m_axis->addItem(tr("Step"), int(models::MetricSeries::XAxis::Step));
    m_axis->addItem(tr("Relative time"), int(models::MetricSeries::XAxis::RelativeSeconds));
    m_axis->addItem(tr("Wall time"), int(models::MetricSeries::XAxis::WallTimeMs));
    m_smoothing->setObjectName(QStringLiteral("metricsSmoothing"));
    m_smoothing->setRange(0, 99);
    m_smoothing->setValue(int(kDefaultSmoothing * 100));
    m_smoothing->setMaximumWidth(180);
    m_smoothing->setToolTip(tr("Exponential moving average; the raw values stay faint behind"));
    m_smoothingValue->setMinimumWidth(32);
    m_logY->setObjectName(QStringLiteral("metricsLogY"));
    auto *reset = new QPushButton(tr("Reset zoom"), this);
    reset->setObjectName(QStringLiteral("metricsResetZoom"));
    reset->setToolTip(tr("Show every point again (or double-click a chart)"));

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(6, 0, 6, 0);
    bar->addWidget(new QLabel(tr("X axis"), this));
    bar->addWidget(m_axis);
    bar->addSpacing(12);
    bar->addWidget(new QLabel(tr("Smoothing"), this));
    bar->addWidget(m_smoothing);
    bar->addWidget(m_smoothingValue);
    bar->addSpacing(12);
    bar->addWidget(m_logY);
    bar->addStretch(1);
    bar->addWidget(reset);

    m_legend->setContentsMargins(6, 0, 6, 0);
    m_legend->setSpacing(12);
    m_legend->addStretch(1);
    m_gridLayout->setContentsMargins(0, 0, 0, 0);
    m_gridLayout->setSpacing(8);
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(m_grid);
    m_empty->setObjectName(QStringLiteral("metricsEmpty"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addLayout(bar);
    layout->addLayout(m_legend);
    layout->addWidget(m_empty);
    layout->addWidget(scroll, 1);

    connect(m_axis, &QComboBox::currentIndexChanged, this,
            [this] { setXAxis(models::MetricSeries::XAxis(m_axis->currentData().toInt())); });
    // A new weight recomputes each whole series (O(n)): only once the slider rests.
    m_smoothingPause.setSingleShot(true);
    m_smoothingPause.setInterval(150);
    connect(&m_smoothingPause, &QTimer::timeout, this,
            [this] { setSmoothing(m_smoothing->value() / 100.0); });
    connect(m_smoothing, &QSlider::valueChanged, this, [this](int v) {
        m_smoothingValue->setText(v == 0 ? tr("off") : QString::number(v / 100.0, 'f', 2));
        m_smoothingPause.start();
    });
    connect(m_logY, &QCheckBox::toggled, this, &MetricsPanel::setLogY);
    connect(reset, &QPushButton::clicked, this, [this] {
        for (MetricChart *c : std::as_const(m_charts))
            c->resetZoom();
    });
    setSmoothing(kDefaultSmoothing);
    updateEmptyState();
}

MetricsPanel::~MetricsPanel() = default;

void MetricsPanel::setWorkspace(const models::Workspace &workspace)
{
    m_workspace = workspace;
    clear();
}

void MetricsPanel::clear()
{
    for (Followed &f : m_jobs)
        if (f.stream)
            f.stream->deleteLater();
    m_jobs.clear();
    qDeleteAll(m_charts);
    m_charts.clear();
    m_series.clear();
    while (m_legend->count() > 1)
        delete m_legend->takeAt(0)->widget();
    updateEmptyState();
}

void MetricsPanel::setJobs(const QList<api::Job> &jobs)
{
    QStringList now;
    for (const Followed &f : m_jobs)
        now << f.job.id;
    QStringList wanted;
    for (const api::Job &j : jobs)
        wanted << j.id;
    if (now == wanted && !m_jobs.empty())
        return;
    clear();
    if (!m_workspace.valid())
        return;
    for (const api::Job &job : jobs) {
        const int index = int(m_jobs.size());
        Followed f;
        f.job = job;
        f.color = jobColor(index);
        network::JobStreamOptions options;
        options.sources =
            network::JobSources(network::JobSource::Metric) | network::JobSource::Status;
        f.stream = new network::JobStream(m_workspace.api, m_workspace.projectId, job.number,
                                          options, this);
        connect(f.stream, &network::JobStream::metricPoints, this,
                [this, index](const QString &name, const QList<api::MetricPoint> &p) {
                    points(index, name, p);
                });
        connect(f.stream, &network::JobStream::stateChanged, this, &MetricsPanel::updateEmptyState);
        m_jobs.push_back(f);
        if (jobs.size() > 1) {
            auto *box = new QCheckBox(tr("#%1 %2").arg(job.number).arg(job.name), this);
            box->setObjectName(QStringLiteral("metricsJob_%1").arg(job.number));
            box->setChecked(true);
            QPalette pal = box->palette();
            pal.setColor(QPalette::WindowText, f.color);
            box->setPalette(pal);
            connect(box, &QCheckBox::toggled, this, [this, index](bool on) {
                m_jobs[size_t(index)].visible = on;
                for (auto &[key, series] : m_series)
                    if (key.first == index)
                        for (MetricChart *c : std::as_const(m_charts))
                            c->setSeriesVisible(series.get(), on);
            });
            m_legend->insertWidget(m_legend->count() - 1, box);
        }
    }
    for (Followed &f : m_jobs)
        f.stream->start();
    updateEmptyState();
}

void MetricsPanel::points(int job, const QString &name, const QList<api::MetricPoint> &points)
{
    auto &slot = m_series[{job, name}];
    MetricChart *chart = chartFor(name);
    if (!slot) {
        slot = std::make_unique<models::MetricSeries>();
        const Followed &f = m_jobs[size_t(job)];
        chart->addSeries(m_jobs.size() > 1 ? QStringLiteral("#%1").arg(f.job.number) : name,
                         slot.get(), f.color);
        if (!f.visible)
            chart->setSeriesVisible(slot.get(), false);
    }
    slot->append(points);
    chart->dataChanged();
    updateEmptyState();
}

MetricChart *MetricsPanel::chartFor(const QString &name)
{
    for (MetricChart *c : std::as_const(m_charts))
        if (c->metric() == name)
            return c;
    auto *c = new MetricChart(name, m_grid);
    c->setXAxis(models::MetricSeries::XAxis(m_axis->currentData().toInt()));
    c->setSmoothing(m_smoothing->value() / 100.0);
    c->setLogY(m_logY->isChecked());
    c->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(c, &QWidget::customContextMenuRequested, this,
            [this, c](const QPoint &at) { showChartMenu(c, at); });
    const auto at = std::lower_bound(m_charts.begin(), m_charts.end(), name,
                                     [](const MetricChart *x, const QString &n) {
                                         return x->metric().localeAwareCompare(n) < 0;
                                     });
    m_charts.insert(at, c);
    layoutCharts();
    return c;
}

void MetricsPanel::layoutCharts()
{
    const int columns = m_charts.size() > 4 ? 3 : 2;
    for (MetricChart *c : std::as_const(m_charts))
        m_gridLayout->removeWidget(c);
    for (int i = 0; i < m_charts.size(); ++i) {
        m_charts.at(i)->setMinimumHeight(260);
        m_gridLayout->addWidget(m_charts.at(i), i / columns, i % columns);
    }
}

void MetricsPanel::showChartMenu(MetricChart *chart, const QPoint &at)
{
    QMenu menu(this);
    menu.addAction(tr("Save as PNG…"), this, [this, chart] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save the chart"),
                                                          chart->metric() + QStringLiteral(".png"),
                                                          tr("PNG images (*.png)"));
        if (!path.isEmpty() && !chart->exportPng(path))
            MessageBox::error(this, tr("Save the chart"), tr("Could not write %1.").arg(path));
    });
    menu.addAction(tr("Export visible data as CSV…"), this, [this, chart] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export the data"),
                                                          chart->metric() + QStringLiteral(".csv"),
                                                          tr("CSV files (*.csv)"));
        if (!path.isEmpty() && !chart->exportCsv(path))
            MessageBox::error(this, tr("Export the data"), tr("Could not write %1.").arg(path));
    });
    menu.addSeparator();
    menu.addAction(tr("Reset zoom"), chart, &MetricChart::resetZoom);
    menu.exec(chart->mapToGlobal(at));
}

QList<MetricChart *> MetricsPanel::charts() const
{
    return m_charts;
}

MetricChart *MetricsPanel::chart(const QString &metric) const
{
    for (MetricChart *c : m_charts)
        if (c->metric() == metric)
            return c;
    return nullptr;
}

models::MetricSeries *MetricsPanel::series(qint64 jobNumber, const QString &metric) const
{
    for (size_t i = 0; i < m_jobs.size(); ++i) {
        if (m_jobs[i].job.number != jobNumber)
            continue;
        const auto it = m_series.find({int(i), metric});
        return it == m_series.end() ? nullptr : it->second.get();
    }
    return nullptr;
}

bool MetricsPanel::isCaughtUp() const
{
    return std::all_of(m_jobs.begin(), m_jobs.end(), [](const Followed &f) {
        return f.stream && (f.stream->state() == network::JobStream::State::Live ||
                            f.stream->state() == network::JobStream::State::Ended);
    });
}

void MetricsPanel::setSmoothing(double weight)
{
    m_smoothingValue->setText(weight <= 0 ? tr("off") : QString::number(weight, 'f', 2));
    for (MetricChart *c : std::as_const(m_charts))
        c->setSmoothing(weight);
}

void MetricsPanel::setXAxis(models::MetricSeries::XAxis axis)
{
    const int i = m_axis->findData(int(axis));
    if (i >= 0 && i != m_axis->currentIndex())
        m_axis->setCurrentIndex(i);
    for (MetricChart *c : std::as_const(m_charts))
        c->setXAxis(axis);
}

void MetricsPanel::setLogY(bool log)
{
    if (m_logY->isChecked() != log)
        m_logY->setChecked(log);
    for (MetricChart *c : std::as_const(m_charts))
        c->setLogY(log);
}

void MetricsPanel::updateEmptyState()
{
    const bool empty = m_charts.isEmpty();
    m_empty->setVisible(empty);
    if (!empty)
        return;
    if (m_jobs.empty()) {
        m_empty->setText(tr("Select a job to see its metrics."));
        return;
    }
    const bool loading = std::any_of(m_jobs.begin(), m_jobs.end(), [](const Followed &f) {
        return f.stream && f.stream->state() == network::JobStream::State::LoadingHistory;
    });
    m_empty->setText(loading ? tr("Loading metrics…")
                             : tr("No metrics yet. A training script reports them with the "
                                  "SDK: pf.metric(\"loss\", value, step)."));
}

} // namespace pf::ui
