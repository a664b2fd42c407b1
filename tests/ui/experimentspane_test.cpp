// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// ExperimentsPane against a real pfd: create through the action, the count of
// jobs in the delete question, rename errors in words, and actions per role.

#include <gtest/gtest.h>

#include <QAction>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTableView>
#include <QTest>

#include "models/experimentsmodel.h"
#include "tests/support/apiwait.h"
#include "tests/support/workspacefixture.h"
#include "ui/experiments/experimentspane.h"
#include "ui/widgets/messagebox.h"
#include "ui/widgets/statepage.h"

using namespace Qt::StringLiterals;
using namespace pf::network;
using pf::models::Workspace;
using pf::test::child;
using pf::test::waitFor;
using pf::test::WorkspaceFixture;
using pf::ui::MessageBox::lastQuestion;
using pf::ui::MessageBox::setNextAnswer;
using pf::ui::MessageBox::setNextText;
namespace api = pf::api;
using pf::models::ExperimentsModel;
using pf::ui::ExperimentsPane;

namespace {

class ExperimentsPaneTest : public WorkspaceFixture
{
protected:
    ExperimentsPaneTest()
        : WorkspaceFixture(u"uiexp"_s)
    {}
};

void runJob(PfApi &api, const QString &projectId, const QString &experiment)
{
    ASSERT_API_OK(waitFor<api::Job>([&](auto d) {
        api.createJob(projectId, pf::test::customJob(u"local-cpu-2c"_s, u"true"_s, experiment), d);
    }));
}

TEST_F(ExperimentsPaneTest, CreateRenameAndDeleteWithJobCount)
{
    ExperimentsPane pane;
    pane.resize(700, 400);
    pane.show();
    pane.setWorkspace(m_ws);
    auto *state = child<pf::ui::StatePage>(&pane, u"statePage"_s);
    ASSERT_TRUE(QTest::qWaitFor([&] { return state->title() == u"No experiments yet"_s; }));
    EXPECT_TRUE(state->hint().contains(u"Ctrl+N"_s));

    // Every action is on the pane with a shortcut, for the command palette.
    auto *create = child<QAction>(&pane, u"newExperimentAction"_s);
    auto *remove = child<QAction>(&pane, u"deleteExperimentAction"_s);
    auto *rename = child<QAction>(&pane, u"renameExperimentAction"_s);
    ASSERT_TRUE(create && remove && rename);
    for (QAction *a : {create, remove, rename}) {
        EXPECT_TRUE(pane.actions().contains(a));
        EXPECT_FALSE(a->shortcut().isEmpty());
    }
    EXPECT_EQ(remove->shortcut(), QKeySequence(QKeySequence::Delete));

    setNextText(u"baseline"_s);
    create->trigger();
    auto *view = child<QTableView>(&pane, u"experimentsView"_s);
    ASSERT_TRUE(QTest::qWaitFor([&] { return view->model()->rowCount() == 1; }));
    EXPECT_TRUE(view->isVisible());
    EXPECT_EQ(view->model()->index(0, ExperimentsModel::Name).data().toString(), u"baseline"_s);

    // Two jobs land in it; the delete question says so, counted afresh.
    runJob(*m_api, m_ws.projectId, u"baseline"_s);
    runJob(*m_api, m_ws.projectId, u"baseline"_s);
    view->selectRow(0);
    ASSERT_TRUE(remove->isEnabled());
    setNextAnswer(false);
    remove->trigger();
    ASSERT_TRUE(QTest::qWaitFor([&] { return lastQuestion().contains(u"2 job"_s); }))
        << lastQuestion().toStdString();
    EXPECT_TRUE(lastQuestion().contains(u"baseline"_s));
    EXPECT_EQ(view->model()->rowCount(), 1); // said no

    // Renaming onto a name in use: the server's words, above the list.
    ASSERT_API_OK(waitFor<api::Experiment>(
        [&](auto d) { m_api->createExperiment(m_ws.projectId, u"other"_s, d); }));
    pane.refresh();
    ASSERT_TRUE(QTest::qWaitFor([&] { return view->model()->rowCount() == 2; }));
    const int row = pane.model()->rowOf(pane.model()->experiment(0).name == u"baseline"_s
                                            ? pane.model()->experiment(0).id
                                            : pane.model()->experiment(1).id);
    view->selectRow(row);
    setNextText(u"other"_s);
    rename->trigger();
    auto *message = child<pf::ui::InlineMessage>(&pane, u"inlineMessage"_s);
    ASSERT_TRUE(QTest::qWaitFor([&] { return message->isVisible(); }));
    EXPECT_TRUE(message->text().contains(u"already has an experiment named 'other'"_s))
        << message->text().toStdString();

    // Del, confirmed: gone, with its jobs.
    QSignalSpy status(&pane, &pf::ui::Pane::statusMessage);
    view->selectRow(row);
    view->setFocus();
    setNextAnswer(true);
    remove->trigger();
    ASSERT_TRUE(QTest::qWaitFor([&] { return view->model()->rowCount() == 1; }));
    ASSERT_TRUE(QTest::qWaitFor([&] { return !status.isEmpty(); }));
    EXPECT_TRUE(status.last().first().toString().contains(u"2 jobs"_s))
        << status.last().first().toString().toStdString();
    EXPECT_EQ(waitFor<api::Job>([&](auto d) { m_api->job(m_ws.projectId, 1, d); }).result.status,
              404);

    // The command palette lists it.
    ASSERT_EQ(pane.paletteItems().size(), 1);
    EXPECT_TRUE(pane.paletteItems().first().text.contains(u"other"_s));
}

TEST_F(ExperimentsPaneTest, ActionsFollowTheRole)
{
    ASSERT_API_OK(waitFor<api::Experiment>(
        [&](auto d) { m_api->createExperiment(m_ws.projectId, u"shared"_s, d); }));
    const Other guest = join(m_user.username + u"-guest"_s, api::ProjectRole::Guest);
    const Other dev = join(m_user.username + u"-dev"_s, api::ProjectRole::Develop);
    const Other maintainer = join(m_user.username + u"-maint"_s, api::ProjectRole::Maintain);

    struct Case
    {
        Workspace ws;
        bool create = false;
        bool remove = false;
    };
    const QList<Case> cases{{workspaceOf(guest, api::ProjectRole::Guest), false, false},
                            {workspaceOf(dev, api::ProjectRole::Develop), true, false},
                            {workspaceOf(maintainer, api::ProjectRole::Maintain), true, true},
                            {m_ws, true, true}};
    for (const Case &c : cases) {
        ExperimentsPane pane;
        pane.setWorkspace(c.ws);
        ASSERT_TRUE(QTest::qWaitFor([&] { return pane.model()->rowCount() == 1; }));
        child<QTableView>(&pane, u"experimentsView"_s)->selectRow(0);
        EXPECT_EQ(child<QAction>(&pane, u"newExperimentAction"_s)->isVisible(), c.create)
            << c.ws.username.toStdString();
        EXPECT_EQ(child<QAction>(&pane, u"renameExperimentAction"_s)->isEnabled(), c.create);
        EXPECT_EQ(child<QAction>(&pane, u"deleteExperimentAction"_s)->isVisible(), c.remove);
        EXPECT_EQ(child<QAction>(&pane, u"deleteExperimentAction"_s)->isEnabled(), c.remove);
    }

    // A guest's empty project says who can fill it; signed out says sign in.
    ExperimentsPane pane;
    pane.setWorkspace({});
    EXPECT_EQ(child<pf::ui::StatePage>(&pane, u"statePage"_s)->title(), u"No project"_s);
}

} // namespace
