// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// CheckpointsPane offscreen against a real pfd: USER and JOB lists, a form's
// files as a tree, rename, a checkpoint deleted (Del, confirmed) then
// restored through the deleted filter, roles. PF_SHOTS_DIR=dir saves
// screenshots.

#include <gtest/gtest.h>

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QTest>
#include <QTreeView>

#include "models/checkpointsmodel.h"
#include "tests/support/datafixture.h"
#include "ui/checkpoints/checkpointspane.h"
#include "ui/theme.h"
#include "ui/widgets/messagebox.h"
#include "ui/widgets/statepage.h"

using namespace Qt::StringLiterals;
using pf::models::CheckpointsModel;
using pf::test::waitFor;
using pf::ui::CheckpointsPane;
namespace api = pf::api;
namespace MessageBox = pf::ui::MessageBox;

namespace {

class CheckpointsPaneTest : public pf::test::DataFixture
{
protected:
    template <typename T>
    T *child(const QObject &parent, const QString &name)
    {
        T *found = parent.findChild<T *>(name);
        EXPECT_NE(found, nullptr) << name.toStdString();
        return found;
    }
    static bool loaded(const CheckpointsPane &pane)
    {
        return QTest::qWaitFor(
            [&] { return pane.model()->state() == CheckpointsModel::State::Fetched; });
    }
};

} // namespace

TEST_F(CheckpointsPaneTest, DeleteThenRestoreThroughTheDeletedFilter)
{
    const api::Checkpoint first = makeCheckpoint(u"resnet-final"_s, u"USER"_s, 9000,
                                                 {{u"model/weights.pt"_s, QByteArray(4096, 'w')},
                                                  {u"model/config.json"_s, "{}"},
                                                  {u"tokenizer/vocab.txt"_s, "a\nb\n"}});
    makeCheckpoint(u"resnet-early"_s, u"USER"_s, 100);
    const api::Checkpoint fromJob = makeCheckpoint(u"job-ckpt"_s, u"JOB"_s, 500, {}, u"42"_s);

    CheckpointsPane pane;
    pane.resize(1000, 600);
    pane.setWorkspace(m_ws);
    pane.show();
    ASSERT_TRUE(loaded(pane));
    auto *list = child<QTreeView>(pane, u"checkpointList"_s);
    ASSERT_NE(list, nullptr);
    ASSERT_EQ(list->model()->rowCount(), 2);

    // The first one's form files, as a tree.
    pane.openItem(first.id);
    EXPECT_EQ(pane.currentId(), first.id);
    EXPECT_EQ(child<QLabel>(pane, u"checkpointTitle"_s)->text(), u"resnet-final"_s);
    EXPECT_TRUE(child<QLabel>(pane, u"checkpointSummary"_s)->text().contains(u"iteration 9000"_s));
    EXPECT_TRUE(child<QComboBox>(pane, u"formPicker"_s)->currentText().startsWith(u"ETC"_s));
    const QAbstractItemModel *files = child<QTreeView>(pane, u"formFiles"_s)->model();
    ASSERT_EQ(files->rowCount(), 2);
    EXPECT_EQ(files->index(0, 0).data().toString(), u"model"_s);
    EXPECT_EQ(files->rowCount(files->index(0, 0)), 2);

    // Rename through the seam.
    MessageBox::setNextText(u"resnet-best"_s);
    child<QAction>(pane, u"renameCheckpointAction"_s)->trigger();
    ASSERT_TRUE(QTest::qWaitFor(
        [&] { return child<QLabel>(pane, u"checkpointTitle"_s)->text() == u"resnet-best"_s; }));

    // Del, confirmed: the row leaves the list.
    QApplication::setActiveWindow(&pane);
    list->setFocus();
    MessageBox::setNextAnswer(true);
    QTest::keyClick(list, Qt::Key_Delete);
    ASSERT_TRUE(QTest::qWaitFor([&] { return list->model()->rowCount() == 1; }));
    EXPECT_TRUE(MessageBox::lastQuestion().contains(u"“resnet-best”"_s));
    EXPECT_EQ(pane.model()->rowOf(first.id), -1);

    // The deleted filter shows it; restore brings it back.
    auto *showDeleted = child<QAction>(pane, u"showDeletedAction"_s);
    auto *restore = child<QAction>(pane, u"restoreCheckpointAction"_s);
    EXPECT_FALSE(restore->isEnabled());
    showDeleted->trigger();
    ASSERT_TRUE(loaded(pane));
    ASSERT_EQ(list->model()->rowCount(), 1);
    EXPECT_EQ(pane.currentId(), first.id);
    EXPECT_TRUE(child<QLabel>(pane, u"checkpointSummary"_s)->text().contains(u"restorable"_s));
    EXPECT_FALSE(child<QAction>(pane, u"deleteCheckpointAction"_s)->isEnabled());
    ASSERT_TRUE(restore->isEnabled());
    restore->trigger();
    ASSERT_TRUE(QTest::qWaitFor([&] { return list->model()->rowCount() == 0; }));
    EXPECT_EQ(child<pf::ui::StatePage>(pane, u"statePage"_s)->title(), u"Nothing deleted"_s);
    const auto back = waitFor<api::Checkpoint>([&](auto d) { m_api->checkpoint(first.id, d); });
    ASSERT_API_OK(back);
    EXPECT_FALSE(back.value.deleted);

    showDeleted->trigger();
    ASSERT_TRUE(loaded(pane));
    EXPECT_EQ(list->model()->rowCount(), 2);

    // Job checkpoints: their own list, with the job.
    child<QAction>(pane, u"jobCheckpointsAction"_s)->trigger();
    ASSERT_TRUE(loaded(pane));
    ASSERT_EQ(list->model()->rowCount(), 1);
    EXPECT_EQ(pane.currentId(), fromJob.id);
    EXPECT_EQ(list->model()->index(0, CheckpointsModel::JobColumn).data().toString(), u"42"_s);
}

TEST_F(CheckpointsPaneTest, GuestsCannotDeleteAndEmptyStatesSayWhatNext)
{
    pf::models::Workspace guest = m_ws;
    guest.orgRole = api::OrgRole::Member;
    guest.projectRole = api::ProjectRole::Guest;
    makeCheckpoint(u"only"_s, u"USER"_s, 1);
    CheckpointsPane pane;
    pane.setWorkspace(guest);
    pane.show();
    ASSERT_TRUE(loaded(pane));
    ASSERT_EQ(pane.model()->rowCount(), 1);
    for (const QString &name :
         {u"renameCheckpointAction"_s, u"deleteCheckpointAction"_s, u"restoreCheckpointAction"_s}) {
        auto *action = child<QAction>(pane, name);
        ASSERT_NE(action, nullptr);
        EXPECT_FALSE(action->isEnabled()) << name.toStdString();
        EXPECT_FALSE(action->shortcut().isEmpty());
    }
    EXPECT_TRUE(child<QAction>(pane, u"jobCheckpointsAction"_s)->isEnabled());
    child<QAction>(pane, u"jobCheckpointsAction"_s)->trigger();
    ASSERT_TRUE(loaded(pane));
    EXPECT_EQ(child<pf::ui::StatePage>(pane, u"statePage"_s)->title(),
              u"No checkpoints from jobs yet"_s);
}

TEST_F(CheckpointsPaneTest, Screenshots)
{
    const QString dir = qEnvironmentVariable("PF_SHOTS_DIR");
    if (dir.isEmpty())
        GTEST_SKIP() << "set PF_SHOTS_DIR to save screenshots";
    QDir().mkpath(dir);
    const api::Checkpoint shown =
        makeCheckpoint(u"llama-ft-step-9000"_s, u"USER"_s, 9000,
                       {{u"model/pytorch_model-00001.bin"_s, QByteArray(300000, 'w')},
                        {u"model/pytorch_model-00002.bin"_s, QByteArray(200000, 'w')},
                        {u"model/config.json"_s, "{}"},
                        {u"tokenizer/tokenizer.json"_s, "{}"},
                        {u"README.md"_s, "# model\n"}});
    makeCheckpoint(u"llama-ft-step-3000"_s, u"USER"_s, 3000, {{u"model.safetensors"_s, "x"}});
    makeCheckpoint(u"baseline"_s, u"USER"_s, 0);
    CheckpointsPane pane;
    pane.resize(1100, 600);
    pane.setWorkspace(m_ws);
    pane.show();
    ASSERT_TRUE(loaded(pane));
    pane.openItem(shown.id);
    child<QTreeView>(pane, u"formFiles"_s)->expandAll();
    for (const auto theme : {pf::ui::Theme::Light, pf::ui::Theme::Dark}) {
        pf::ui::applyTheme(theme);
        QCoreApplication::processEvents();
        pane.grab().save(dir + (theme == pf::ui::Theme::Light ? u"/checkpoints-light.png"_s
                                                              : u"/checkpoints-dark.png"_s));
    }
    child<QAction>(pane, u"showDeletedAction"_s)->trigger();
    ASSERT_TRUE(loaded(pane));
    pane.grab().save(dir + u"/checkpoints-deleted-empty-dark.png"_s);
    pf::ui::applyTheme(pf::ui::Theme::Light);
}
