// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// The Metrics tab and the Compare view against real jobs that report
// metrics through periflow_sdk: every point arrives, each chart draws about
// two points a pixel column, smoothing and zoom, CSV and PNG export, a
// legend that hides a job; and screenshots, light and dark.

#include <gtest/gtest.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QProcess>
#include <QSettings>
#include <QSlider>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include "models/jobsmodel.h"
#include "tests/support/apiwait.h"
#include "tests/support/workspacefixture.h"
#include "ui/jobs/jobspane.h"
#include "ui/mainwindow.h"
#include "ui/metrics/metricchart.h"
#include "ui/metrics/metricspanel.h"
#include "ui/theme.h"

using namespace Qt::StringLiterals;
using pf::test::child;
using pf::test::waitFor;
using pf::ui::MetricChart;
using pf::ui::MetricsPanel;
namespace api = pf::api;

namespace {

const QString kMetricsConfig = uR"(auth:
  password_hashing: minimal
  login_failures_per_user: 10000
  login_failures_per_address: 100000
vm_types:
  - {code: test-cpu-1c, devices_per_vm: 1, vcpu: 1, memory_gib: 1, max_vms: 4, default_quota: 4}
jobs:
  sandbox: none
)"_s;

constexpr int kSteps = 600;

// A training loop's metrics through the SDK: a noisy falling loss (a spike
// at step 300), a rising accuracy and a decaying learning rate.
QString training(double lr)
{
    return uR"(python3 -c 'import math, random, periflow_sdk as pf
random.seed(7)
pf.init(total_train_steps=%1)
for i in range(%1):
    with pf.train_step():
        pass
    loss = 2.3 * math.exp(-i / (150 / %2)) + 0.1 + random.random() * 0.15 + (3.0 if i == 300 else 0)
    pf.metric({"loss": loss, "accuracy": 1 - loss / 3.0, "lr": %2 * 0.5 ** (i / 200)})
')"_s.arg(kSteps)
        .arg(lr);
}

class MetricsPanelTest : public pf::test::WorkspaceFixture
{
protected:
    MetricsPanelTest()
        : WorkspaceFixture(u"metrics"_s, u"p"_s, u"-org"_s)
    {}
    static void SetUpTestSuite() { startPfd(kMetricsConfig); }

    api::Job run(const QString &name, double lr)
    {
        const auto job = waitFor<api::Job>([&](auto d) {
            m_api->createJob(
                m_ws.projectId,
                pf::test::customJob(u"test-cpu-1c"_s, training(lr), u"lr-sweep"_s, name), d);
        });
        EXPECT_API_OK(job);
        return job.value;
    }

    static bool allIn(const MetricsPanel &panel, const QList<api::Job> &jobs)
    {
        for (const api::Job &j : jobs)
            for (const QString &name : {u"loss"_s, u"accuracy"_s, u"lr"_s}) {
                const pf::models::MetricSeries *s = panel.series(j.number, name);
                if (!s || s->size() < kSteps)
                    return false;
            }
        return true;
    }
};

} // namespace

TEST_F(MetricsPanelTest, EveryPointDrawnAtAboutTwoAColumnWithSmoothingZoomAndExport)
{
    const api::Job job = run(u"lr-0.1"_s, 0.1);
    MetricsPanel panel;
    panel.resize(1200, 700);
    panel.show();
    panel.setWorkspace(m_ws);
    panel.setJob(job);
    ASSERT_TRUE(QTest::qWaitFor([&] { return allIn(panel, {job}); }, 60000));
    ASSERT_EQ(panel.charts().size(), 3);
    EXPECT_EQ(panel.charts().at(0)->metric(), u"accuracy"_s); // by name
    MetricChart *loss = panel.chart(u"loss"_s);
    ASSERT_NE(loss, nullptr);
    loss->redraw();
    // About two points a pixel column, never every point, and the spike drawn.
    const int columns = int(loss->chart()->plotArea().width());
    EXPECT_GT(loss->drawnPoints(), 0);
    EXPECT_LE(loss->drawnPoints(), 2 * 4 * columns + 4); // raw and smoothed, ≤ 4 a column each
    const QLineSeries *raw = nullptr;
    for (QAbstractSeries *line : loss->chart()->series())
        if (line->name() == u"loss"_s)
            raw = qobject_cast<QLineSeries *>(line);
    ASSERT_NE(raw, nullptr);
    double highest = 0;
    for (const QPointF &p : raw->points())
        highest = std::max(highest, p.y());
    const pf::models::MetricSeries *series = panel.series(job.number, u"loss"_s);
    EXPECT_DOUBLE_EQ(highest, series->valueRange().max);
    EXPECT_GT(highest, 3.0);
    // The title has the last value and step.
    EXPECT_TRUE(loss->title().contains(u"at step 600"_s)) << loss->title().toStdString();
    // Smoothing is on by default; the hover says both values.
    EXPECT_TRUE(loss->valuesAt(300).contains(u"smoothed"_s)) << loss->valuesAt(300).toStdString();
    EXPECT_TRUE(loss->valuesAt(300).contains(u"at step 300"_s));

    // Zoom to steps 100-200: the range holds, and the CSV has exactly those points.
    loss->zoomTo(100, 200);
    loss->redraw();
    EXPECT_EQ(loss->xRange(), (std::pair<double, double>{100, 200}));
    QTemporaryDir dir;
    const QString csv = dir.filePath(u"loss.csv"_s);
    ASSERT_TRUE(loss->exportCsv(csv));
    QFile file(csv);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> rows = file.readAll().trimmed().split('\n');
    EXPECT_EQ(rows.first(), "step,value,time");
    EXPECT_EQ(rows.size(), 1 + 101);
    EXPECT_TRUE(rows.at(1).startsWith("100,"));
    EXPECT_TRUE(rows.last().startsWith("200,"));
    const QString png = dir.filePath(u"loss.png"_s);
    ASSERT_TRUE(loss->exportPng(png));
    EXPECT_FALSE(QImage(png).isNull());
    loss->resetZoom();
    loss->redraw();
    EXPECT_EQ(loss->xRange(), (std::pair<double, double>{1, kSteps}));
}

TEST_F(MetricsPanelTest, CompareThreeJobsAndHideOne)
{
    const QList<api::Job> jobs{run(u"lr-0.05"_s, 0.05), run(u"lr-0.1"_s, 0.1),
                               run(u"lr-0.2"_s, 0.2)};
    MetricsPanel panel;
    panel.resize(1200, 700);
    panel.show();
    panel.setWorkspace(m_ws);
    panel.setJobs(jobs);
    ASSERT_TRUE(QTest::qWaitFor([&] { return allIn(panel, jobs); }, 90000));
    MetricChart *lr = panel.chart(u"lr"_s);
    ASSERT_NE(lr, nullptr);
    EXPECT_EQ(lr->seriesCount(), 3);
    lr->redraw();
    const qsizetype all = lr->drawnPoints();
    child<QCheckBox>(&panel, u"metricsJob_%1"_s.arg(jobs.at(1).number))->click();
    lr->redraw();
    EXPECT_LT(lr->drawnPoints(), all);
    EXPECT_FALSE(lr->valuesAt(10).contains(u"#%1"_s.arg(jobs.at(1).number)));
    EXPECT_TRUE(lr->valuesAt(10).contains(u"#%1"_s.arg(jobs.at(2).number)));
}

// The cifar example (numpy softmax on a synthetic CIFAR-100) run as a job:
// its metrics grid with smoothing on; and the compare view of three jobs.
TEST_F(MetricsPanelTest, Screenshots)
{
    const QString dir = QStringLiteral(PF_SCREENSHOT_DIR);
    QDir().mkpath(dir);
    const QString python = u"/usr/bin/python3"_s;
    const QString example = QStringLiteral(PF_SOURCE_DIR) + u"/examples/cifar"_s;
    QTemporaryDir data;
    QProcess gen;
    gen.start(python,
              {example + u"/make_synthetic_cifar.py"_s, u"--out"_s, data.path(), u"--train"_s,
               u"20000"_s, u"--test"_s, u"500"_s, u"--noise"_s, u"160"_s, u"--seed"_s, u"3"_s});
    ASSERT_TRUE(gen.waitForFinished(120000));
    ASSERT_EQ(gen.exitCode(), 0) << gen.readAllStandardError().toStdString();
    constexpr int kCifarSteps = 600;
    const auto cifar = waitFor<api::Job>([&](auto d) {
        m_api->createJob(
            m_ws.projectId,
            pf::test::customJob(
                u"test-cpu-1c"_s,
                u"%1 %2/main.py --model softmax --batch-size 32 --total-steps %3 "
                u"--log-interval 1 --test-interval 50 --data-path %4"_s.arg(python, example)
                    .arg(kCifarSteps)
                    .arg(data.path()),
                u"computer-vision"_s, u"cifar-job"_s),
            d);
    });
    ASSERT_API_OK(cifar);
    const QList<api::Job> jobs{run(u"lr-0.05"_s, 0.05), run(u"lr-0.1"_s, 0.1),
                               run(u"lr-0.2"_s, 0.2)};
    const QStringList cifarMetrics{u"accuracy"_s, u"epoch"_s,         u"learning_rate"_s,
                                   u"loss"_s,     u"test_accuracy"_s, u"test_loss"_s};
    for (const pf::ui::Theme theme : {pf::ui::Theme::Light, pf::ui::Theme::Dark}) {
        pf::ui::applyTheme(theme);
        const QString suffix = theme == pf::ui::Theme::Dark ? u"dark"_s : u"light"_s;
        {
            MetricsPanel panel;
            panel.resize(1200, 760);
            panel.show();
            panel.setWorkspace(m_ws);
            panel.setJob(cifar.value);
            ASSERT_TRUE(QTest::qWaitFor(
                [&] {
                    const pf::models::MetricSeries *loss =
                        panel.series(cifar.value.number, u"loss"_s);
                    return loss && loss->size() == kCifarSteps && panel.charts().size() == 6;
                },
                180000));
            QStringList shown;
            for (MetricChart *c : panel.charts())
                shown << c->metric();
            EXPECT_EQ(shown, cifarMetrics);
            child<QSlider>(&panel, u"metricsSmoothing"_s)->setValue(80);
            QTest::qWait(300); // the slider applies its weight once it rests
            for (MetricChart *c : panel.charts())
                c->redraw();
            // Smoothed and raw both drawn.
            EXPECT_GT(panel.chart(u"loss"_s)->drawnPoints(), kCifarSteps);
            QTest::qWait(100);
            const QString file = u"%1/metrics-%2.png"_s.arg(dir, suffix);
            EXPECT_TRUE(panel.grab().save(file)) << file.toStdString();
        }
        MetricsPanel panel;
        panel.resize(1200, 620);
        panel.show();
        panel.setWorkspace(m_ws);
        panel.setJobs(jobs);
        ASSERT_TRUE(QTest::qWaitFor([&] { return allIn(panel, jobs); }, 90000));
        for (MetricChart *c : panel.charts())
            c->redraw();
        QTest::qWait(100);
        const QString file = u"%1/compare-%2.png"_s.arg(dir, suffix);
        EXPECT_TRUE(panel.grab().save(file)) << file.toStdString();
    }
    pf::ui::applyTheme(pf::ui::Theme::Light);
}

// Jobs › Compare on three selected jobs opens a window with their metrics.
TEST_F(MetricsPanelTest, CompareFromTheJobsPane)
{
    const QList<api::Job> jobs{run(u"a"_s, 0.05), run(u"b"_s, 0.1), run(u"c"_s, 0.2)};
    const auto me = waitFor<api::UserInfo>([&](auto d) { m_api->userInfo(d); });
    ASSERT_API_OK(me);
    QTemporaryDir home;
    QSettings settings(home.filePath(u"studio.ini"_s), QSettings::IniFormat);
    pf::ui::MainWindow window;
    window.setSession(m_api.get(), me.value, &settings, u"test"_s);
    ASSERT_TRUE(QTest::qWaitFor([&] { return window.workspace().valid(); }, 10000));
    auto *pane = qobject_cast<pf::ui::JobsPane *>(window.pane(pf::ui::MainWindow::Jobs));
    ASSERT_NE(pane, nullptr);
    ASSERT_TRUE(QTest::qWaitFor([&] { return pane->model()->rowCount() == 3; }, 10000));
    pane->table()->selectRow(0);
    EXPECT_FALSE(pane->compareAction()->isEnabled()); // one job is no comparison
    pane->table()->selectAll();
    ASSERT_TRUE(pane->compareAction()->isEnabled());
    pane->compareAction()->trigger();
    auto *panel = window.findChild<MetricsPanel *>();
    ASSERT_NE(panel, nullptr);
    ASSERT_TRUE(QTest::qWaitFor([&] { return allIn(*panel, jobs); }, 90000));
    EXPECT_EQ(panel->chart(u"loss"_s)->seriesCount(), 3);
    panel->close();
}

// The x-axis modes and the log scale, through the panel's controls.
TEST_F(MetricsPanelTest, AxesAndLogScale)
{
    const api::Job job = run(u"axes"_s, 0.1);
    MetricsPanel panel;
    panel.resize(1200, 700);
    panel.show();
    panel.setWorkspace(m_ws);
    panel.setJob(job);
    ASSERT_TRUE(QTest::qWaitFor([&] { return allIn(panel, {job}); }, 60000));
    MetricChart *lr = panel.chart(u"lr"_s);
    const pf::models::MetricSeries *series = panel.series(job.number, u"lr"_s);
    using XAxis = pf::models::MetricSeries::XAxis;

    auto *axis = child<QComboBox>(&panel, u"metricsXAxis"_s);
    axis->setCurrentIndex(axis->findData(int(XAxis::RelativeSeconds)));
    lr->redraw();
    const double seconds =
        (series->point(series->size() - 1).timeMs - series->point(0).timeMs) / 1000.0;
    EXPECT_DOUBLE_EQ(lr->xRange().first, 0.0);
    // (A range of no width is drawn one unit wide.)
    EXPECT_NEAR(lr->xRange().second, seconds > 0 ? seconds : 1.0, 1e-9);
    axis->setCurrentIndex(axis->findData(int(XAxis::WallTimeMs)));
    lr->redraw();
    EXPECT_DOUBLE_EQ(lr->xRange().first, double(series->point(0).timeMs));

    // Log scale: a log axis, and every drawn value above zero.
    child<QCheckBox>(&panel, u"metricsLogY"_s)->click();
    lr->redraw();
    EXPECT_NE(qobject_cast<QLogValueAxis *>(lr->chart()->axes(Qt::Vertical).value(0)), nullptr);
    for (QAbstractSeries *line : lr->chart()->series())
        for (const QPointF &p : qobject_cast<QLineSeries *>(line)->points())
            EXPECT_GT(p.y(), 0);
    // The smoothing slider applies once it rests.
    axis->setCurrentIndex(axis->findData(int(XAxis::Step)));
    auto *slider = child<QSlider>(&panel, u"metricsSmoothing"_s);
    slider->setValue(0);
    EXPECT_TRUE(lr->valuesAt(300).contains(u"smoothed"_s)); // not yet
    EXPECT_TRUE(QTest::qWaitFor([&] { return !lr->valuesAt(300).contains(u"smoothed"_s); }, 3000))
        << lr->valuesAt(300).toStdString();
}

// Qt Charts makes a graphics item per axis tick: a reset after a deep zoom
// must not ask for a million ticks on the way (the wide range with the
// narrow interval).
TEST(MetricChartTicks, ResetAfterADeepZoomKeepsTheTicksFew)
{
    pf::models::MetricSeries series;
    for (int s = 0; s < 1'000'000; ++s)
        series.append(s, (s % 100) * 0.01, 1'700'000'000'000 + s * 100LL);
    MetricChart chart(u"loss"_s);
    chart.resize(600, 400);
    chart.show();
    chart.addSeries(u"loss"_s, &series, Qt::blue);
    chart.zoomTo(500'000, 500'010);
    chart.redraw();
    const qsizetype zoomedItems = chart.scene()->items().size();
    chart.resetZoom();
    chart.redraw();
    EXPECT_EQ(chart.xRange(), std::make_pair(0.0, 999'999.0));
    EXPECT_LT(chart.scene()->items().size(), zoomedItems + 100);
}
