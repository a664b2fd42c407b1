// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// JobsPane offscreen against a seeded pfd: the table fills, the detail shows
// the selected job's config as YAML and its checkpoints, Del deletes after
// confirming, the empty states, the filter chips, roles, and palette items.

#include <memory>

#include <gtest/gtest.h>

#include <QAction>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QToolButton>
#include <QTreeWidget>

#include "api/yamldocument.h"
#include "models/jobsmodel.h"
#include "tests/support/apiwait.h"
#include "tests/support/pfdprocess.h"
#include "tests/support/workspacefixture.h"
#include "ui/jobs/jobdetail.h"
#include "ui/jobs/jobspane.h"
#include "ui/theme.h"
#include "ui/widgets/messagebox.h"
#include "ui/widgets/statepage.h"

using namespace Qt::StringLiterals;
using namespace pf::network;
using pf::models::JobsModel;
using pf::models::Workspace;
using pf::test::PfdProcess;
using pf::test::waitFor;
using pf::ui::JobDetail;
using pf::ui::JobsPane;
namespace api = pf::api;
namespace MessageBox = pf::ui::MessageBox;

namespace {

const QString kJobsConfig = uR"(auth:
  password_hashing: minimal
vm_types:
  - {code: test-cpu-1c, devices_per_vm: 1, vcpu: 1, memory_gib: 1, max_vms: 4, default_quota: 4}
jobs:
  sandbox: none
)"_s;

class JobsPaneTest : public pf::test::WorkspaceFixture
{
protected:
    JobsPaneTest()
        : WorkspaceFixture(u"jobspane"_s, u"p"_s, u"-org"_s)
    {}
    static void SetUpTestSuite() { startPfd(kJobsConfig); }

    api::Job submit(const QString &name, const QString &command = u"true"_s, bool wait = true)
    {
        const QJsonObject spec{
            {u"name"_s, name},
            {u"experiment"_s, u"baseline"_s},
            {u"vm"_s, u"test-cpu-1c"_s},
            {u"num_devices"_s, 1},
            {u"job_setting"_s, QJsonObject{{u"type"_s, u"custom"_s},
                                           {u"docker"_s, QJsonObject{{u"image"_s, u"any"_s},
                                                                     {u"command"_s, command}}}}}};
        const auto job =
            waitFor<api::Job>([&](auto d) { m_api->createJob(m_ws.projectId, spec, d); });
        EXPECT_API_OK(job);
        if (!wait)
            return job.value;
        EXPECT_TRUE(QTest::qWaitFor(
            [&] {
                return api::isTerminal(waitFor<api::Job>([&](auto d) {
                                           m_api->job(m_ws.projectId, job.value.number, d);
                                       }).value.status);
            },
            30000));
        return job.value;
    }

    bool waitTerminalOf(qint64 number)
    {
        return QTest::qWaitFor(
            [&] {
                return api::isTerminal(waitFor<api::Job>([&](auto d) {
                                           m_api->job(m_ws.projectId, number, d);
                                       }).value.status);
            },
            30000);
    }

    static std::unique_ptr<JobsPane> makePane()
    {
        auto pane = std::make_unique<JobsPane>();
        pane->model()->setPollInterval(0);
        pane->resize(1200, 700);
        return pane;
    }

    static void select(JobsPane &pane, int row)
    {
        QTableView *table = pane.findChild<QTableView *>(u"jobsTable"_s);
        table->selectionModel()->setCurrentIndex(table->model()->index(row, 0),
                                                 QItemSelectionModel::ClearAndSelect |
                                                     QItemSelectionModel::Rows);
    }
};

TEST_F(JobsPaneTest, DetailShowsConfigYamlAndCheckpoints)
{
    submit(u"first"_s);
    const api::Job second = submit(u"second"_s);

    auto pane = makePane();
    pane->show();
    pane->setWorkspace(m_ws);
    QTableView *table = pane->findChild<QTableView *>(u"jobsTable"_s);
    ASSERT_NE(table, nullptr);
    ASSERT_TRUE(QTest::qWaitFor([&] { return table->model()->rowCount() == 2; }, 10000));
    EXPECT_TRUE(table->isVisible());
    EXPECT_EQ(table->model()->index(0, JobsModel::NameColumn).data().toString(), u"second"_s);
    EXPECT_EQ(table->model()->index(0, JobsModel::StatusColumn).data().toString(), u"Success"_s);
    EXPECT_EQ(table->model()->index(0, JobsModel::ExperimentColumn).data().toString(),
              u"baseline"_s);

    auto *detail = pane->findChild<JobDetail *>(u"jobDetail"_s);
    ASSERT_NE(detail, nullptr);
    QSignalSpy checkpoints(detail, &JobDetail::checkpointsLoaded);
    select(*pane, 0);
    EXPECT_EQ(detail->job().id, second.id);
    EXPECT_TRUE(pane->findChild<QLabel *>(u"jobDetailTitle"_s)->text().contains(u"#2"_s));

    // The config as YAML, which reads back as the stored config.
    const auto *yaml = pane->findChild<QPlainTextEdit *>(u"jobConfigYaml"_s);
    ASSERT_NE(yaml, nullptr);
    const QString text = yaml->toPlainText();
    EXPECT_TRUE(text.contains(u"job_setting:"_s)) << text.toStdString();
    EXPECT_TRUE(text.contains(u"command:"_s)) << text.toStdString();
    const api::YamlDocument back = api::YamlDocument::parse(text.toUtf8());
    ASSERT_TRUE(back.isParsed());
    EXPECT_EQ(back.json().toObject(), detail->job().config);

    // Checkpoints: read for the job; it saved none.
    detail->setCurrentTab(JobDetail::CheckpointsTab);
    ASSERT_TRUE(checkpoints.count() > 0 || checkpoints.wait(10000));
    const auto *tree = pane->findChild<QTreeWidget *>(u"jobCheckpoints"_s);
    ASSERT_NE(tree, nullptr);
    EXPECT_TRUE(tree->isVisible());
    EXPECT_EQ(tree->topLevelItemCount(), 0);
    EXPECT_EQ(pane->findChild<QLabel *>(u"jobCheckpointsNote"_s)->text(),
              u"This job has saved no checkpoints."_s);

    // Palette items name every loaded job; opening one selects it.
    const QList<pf::ui::Pane::Item> items = pane->paletteItems();
    ASSERT_EQ(items.size(), 2);
    EXPECT_EQ(items.at(1).text, u"Job #1 first"_s);
    EXPECT_EQ(items.at(1).key, u"1"_s);
    pane->openItem(u"1"_s);
    EXPECT_EQ(detail->job().number, 1);
}

TEST_F(JobsPaneTest, DeleteAsksFirstAndRemovesTheRow)
{
    submit(u"keep"_s);
    submit(u"doomed"_s);
    auto pane = makePane();
    pane->show();
    pane->setWorkspace(m_ws);
    QTableView *table = pane->findChild<QTableView *>(u"jobsTable"_s);
    ASSERT_TRUE(QTest::qWaitFor([&] { return table->model()->rowCount() == 2; }, 10000));
    QAction *del = pane->findChild<QAction *>(u"actionDeleteJobs"_s);
    QAction *stop = pane->findChild<QAction *>(u"actionStopJobs"_s);
    ASSERT_NE(del, nullptr);
    ASSERT_NE(stop, nullptr);
    EXPECT_FALSE(del->isEnabled()); // nothing selected
    EXPECT_EQ(del->shortcut(), QKeySequence(QKeySequence::Delete));
    select(*pane, 0);
    EXPECT_TRUE(del->isEnabled());
    EXPECT_FALSE(stop->isEnabled()); // finished

    // Declined: nothing happens.
    MessageBox::setNextAnswer(false);
    del->trigger();
    EXPECT_TRUE(MessageBox::lastQuestion().contains(u"#2 doomed"_s));
    QTest::qWait(0);
    EXPECT_EQ(table->model()->rowCount(), 2);

    // Confirmed, through the Del key.
    MessageBox::setNextAnswer(true);
    pane->activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(pane.get()));
    table->setFocus();
    QTest::keyClick(table, Qt::Key_Delete);
    ASSERT_TRUE(QTest::qWaitFor([&] { return table->model()->rowCount() == 1; }, 10000));
    EXPECT_EQ(table->model()->index(0, JobsModel::NameColumn).data().toString(), u"keep"_s);
    EXPECT_EQ(waitFor<api::Job>([&](auto d) { m_api->job(m_ws.projectId, 2, d); }).result.status,
              404);

    // A guest may look but not delete.
    Workspace guest = m_ws;
    guest.orgRole = api::OrgRole::Member;
    guest.projectRole = api::ProjectRole::Guest;
    pane->setWorkspace(guest);
    ASSERT_TRUE(QTest::qWaitFor([&] { return table->model()->rowCount() == 1; }, 10000));
    select(*pane, 0);
    EXPECT_FALSE(del->isEnabled());
    EXPECT_TRUE(pane->findChild<QAction *>(u"actionCopyJobNumber"_s)->isEnabled());
}

TEST_F(JobsPaneTest, EmptyStatesAndStatusChips)
{
    auto pane = makePane();
    pane->show();
    pane->setWorkspace(m_ws);
    auto *state = pane->findChild<pf::ui::StatePage *>(u"statePage"_s);
    ASSERT_NE(state, nullptr);
    ASSERT_TRUE(QTest::qWaitFor([&] { return state->title() == u"No jobs yet"_s; }, 10000));
    EXPECT_TRUE(state->isVisible());

    submit(u"done"_s);
    pane->refresh();
    QTableView *table = pane->findChild<QTableView *>(u"jobsTable"_s);
    ASSERT_TRUE(QTest::qWaitFor([&] { return table->model()->rowCount() == 1; }, 10000));
    EXPECT_TRUE(table->isVisible());

    // Only running jobs: none, and the empty state says why.
    auto *running = pane->findChild<QToolButton *>(u"statusChip_running"_s);
    ASSERT_NE(running, nullptr);
    running->click();
    EXPECT_EQ(pane->model()->query().statuses, QStringList{u"running"_s});
    ASSERT_TRUE(
        QTest::qWaitFor([&] { return state->title() == u"No jobs match these filters"_s; }, 10000));
    auto *success = pane->findChild<QToolButton *>(u"statusChip_success"_s);
    success->click();
    ASSERT_TRUE(QTest::qWaitFor([&] { return table->model()->rowCount() == 1; }, 10000));

    // The server's error, in words.
    Workspace missing = m_ws;
    missing.projectId = u"11111111-2222-4333-8444-555555555555"_s;
    pane->setWorkspace(missing);
    ASSERT_TRUE(
        QTest::qWaitFor([&] { return pane->model()->state() == JobsModel::State::Error; }, 10000));
    EXPECT_EQ(state->hint(), pane->model()->errorString());
}

// Renders the pane with jobs in several states, light and dark, to
// $PF_SHOTS_DIR (for looking at it; skipped when unset).
TEST_F(JobsPaneTest, Screenshots)
{
    const QString dir = qEnvironmentVariable("PF_SHOTS_DIR");
    if (dir.isEmpty())
        GTEST_SKIP() << "PF_SHOTS_DIR not set";
    submit(u"resnet50-baseline"_s);
    submit(u"resnet50-lr-sweep"_s, u"false"_s);
    const api::Job stopped = submit(u"bert-finetune"_s, u"sleep 30"_s, false);
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            return waitFor<api::Job>([&](auto d) {
                       m_api->job(m_ws.projectId, stopped.number, d);
                   }).value.status == api::JobStatus::Running;
        },
        10000));
    ASSERT_API_OK(
        waitFor<api::Job>([&](auto d) { m_api->terminateJob(m_ws.projectId, stopped.number, d); }));
    ASSERT_TRUE(waitTerminalOf(stopped.number));
    for (int i = 0; i < 4; ++i)
        submit(u"gpt-small-%1"_s.arg(i), u"sleep 30"_s, false);
    submit(u"queued-eval"_s, u"sleep 30"_s, false);

    for (const auto theme : {pf::ui::Theme::Light, pf::ui::Theme::Dark}) {
        pf::ui::applyTheme(theme);
        auto pane = makePane();
        pane->resize(1500, 640);
        pane->show();
        pane->setWorkspace(m_ws);
        QTableView *table = pane->findChild<QTableView *>(u"jobsTable"_s);
        ASSERT_TRUE(QTest::qWaitFor([&] { return table->model()->rowCount() == 8; }, 10000));
        select(*pane, 6);
        auto *note = pane->findChild<QLabel *>(u"jobArtifactsNote"_s);
        ASSERT_TRUE(QTest::qWaitFor([&] { return !note->text().startsWith(u"Loading"_s); }));
        const QString name = theme == pf::ui::Theme::Light ? u"light"_s : u"dark"_s;
        pane->grab().save(dir + u"/jobs-"_s + name + u".png"_s);
        pane->findChild<QToolButton *>(u"statusChip_running"_s)->click();
        pane->findChild<QToolButton *>(u"statusChip_running"_s)->click();
        auto empty = makePane();
        empty->resize(900, 500);
        empty->show();
        Workspace none = m_ws;
        const auto project = waitFor<api::Project>(
            [&](auto d) { m_api->createProject(m_ws.orgId, u"empty-"_s + name, d); });
        none.projectId = project.value.id;
        empty->setWorkspace(none);
        auto *state = empty->findChild<pf::ui::StatePage *>(u"statePage"_s);
        ASSERT_TRUE(QTest::qWaitFor([&] { return state->title() == u"No jobs yet"_s; }));
        empty->grab().save(dir + u"/jobs-empty-"_s + name + u".png"_s);
    }
}

} // namespace
