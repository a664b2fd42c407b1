// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// CheckpointsPane offscreen against a real pfd: USER and JOB lists, a form's
// files as a tree, rename, a checkpoint deleted (Del, confirmed) then
// restored through the deleted filter, roles; a folder dropped on the pane
// uploaded as a USER checkpoint (the upload form's answers and refusals),
// files dragged out fetched into the cache. PF_SHOTS_DIR=dir saves
// screenshots.

#include <gtest/gtest.h>

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QDragEnterEvent>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPushButton>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

#include "models/checkpointsmodel.h"
#include "models/filetreemodel.h"
#include "network/transferqueue.h"
#include "tests/support/apiwait.h"
#include "tests/support/datafixture.h"
#include "ui/checkpoints/checkpointspane.h"
#include "ui/checkpoints/checkpointuploaddialog.h"
#include "ui/checkpoints/formfilefetcher.h"
#include "ui/theme.h"
#include "ui/widgets/messagebox.h"
#include "ui/widgets/statepage.h"

using namespace Qt::StringLiterals;
using pf::models::CheckpointsModel;
using pf::test::waitFor;
using pf::ui::CheckpointsPane;
using pf::ui::CheckpointUploadDialog;
using pf::ui::FormFileFetcher;
namespace api = pf::api;
namespace network = pf::network;
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

    // Bytes that differ from file to file and position to position.
    static QByteArray noise(qsizetype size, quint32 seed)
    {
        QByteArray out(size, Qt::Uninitialized);
        QRandomGenerator random(seed);
        random.fillRange(reinterpret_cast<quint32 *>(out.data()), size / 4);
        for (qsizetype i = size / 4 * 4; i < size; ++i)
            out[i] = char(i);
        return out;
    }

    // Writes `files` (path -> bytes) under `folder`.
    static void writeTree(const QString &folder, const std::map<QString, QByteArray> &files)
    {
        for (const auto &[path, bytes] : files) {
            QDir().mkpath(QFileInfo(folder + u'/' + path).path());
            QFile f(folder + u'/' + path);
            ASSERT_TRUE(f.open(QIODevice::WriteOnly)) << path.toStdString();
            f.write(bytes);
        }
    }

    static QByteArray contents(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
    }

    // Drops `paths` on `pane` as a file manager does.
    static bool drop(QWidget &pane, const QStringList &paths)
    {
        QMimeData mime;
        QList<QUrl> urls;
        for (const QString &path : paths)
            urls << QUrl::fromLocalFile(path);
        mime.setUrls(urls);
        const QPoint at(300, 300);
        QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&pane, &enter);
        if (!enter.isAccepted())
            return false;
        QDropEvent dropped(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&pane, &dropped);
        return dropped.isAccepted();
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

TEST_F(CheckpointsPaneTest, AFolderDroppedOnThePaneBecomesAUserCheckpoint)
{
    QTemporaryDir work;
    const QString folder = work.filePath(u"llama-mini"_s);
    const std::map<QString, QByteArray> files{
        {u"config.json"_s, R"({"model_type": "llama"})"},
        {u"model.safetensors"_s, noise(17 * 1024 * 1024 + 5, 1)}, // over 16 MiB: in parts
        {u"tokenizer/tokenizer.json"_s, noise(70001, 2)},
        {u"added_tokens.json"_s, {}},
    };
    writeTree(folder, files);
    makeCheckpoint(u"from-a-job"_s, u"JOB"_s, 10, {}, u"7"_s);
    network::TransferQueue queue(m_api.get(), work.filePath(u"transfers"_s));
    pf::models::Workspace ws = m_ws;
    ws.transfers = &queue;
    CheckpointsPane pane;
    pane.resize(1000, 600);
    pane.setWorkspace(ws);
    pane.show();
    ASSERT_TRUE(loaded(pane));
    // Looking at job checkpoints: the new one is shown among USER ones.
    child<QAction>(pane, u"jobCheckpointsAction"_s)->trigger();
    ASSERT_TRUE(loaded(pane));
    ASSERT_EQ(pane.model()->rowCount(), 1);

    CheckpointUploadDialog::setNextAnswer(
        CheckpointUploadDialog::Answer{u"llama-mini-ft"_s, u"ORCA"_s, 1200});
    ASSERT_TRUE(drop(pane, {folder}));
    ASSERT_TRUE(pf::test::spinUntil(
        [&] {
            const int row = pane.model()->rowOf(pane.currentId());
            return row >= 0 && pane.model()->checkpoint(row).name == u"llama-mini-ft"_s;
        },
        20000));
    // Suggested: the folder's name, HF (config.json), iteration 0; the
    // empty file noted.
    EXPECT_EQ(CheckpointUploadDialog::lastSuggestion(),
              (CheckpointUploadDialog::Answer{u"llama-mini"_s, u"HF"_s, 0}));
    EXPECT_TRUE(CheckpointUploadDialog::lastSummary().contains(u"4 files"_s))
        << CheckpointUploadDialog::lastSummary().toStdString();
    EXPECT_TRUE(CheckpointUploadDialog::lastSummary().contains(u"added_tokens.json is empty"_s))
        << CheckpointUploadDialog::lastSummary().toStdString();
    EXPECT_TRUE(child<QAction>(pane, u"userCheckpointsAction"_s)->isChecked());
    EXPECT_EQ(pane.model()->category(), CheckpointsModel::Category::User);
    EXPECT_TRUE(child<QLabel>(pane, u"noFiles"_s)->text().contains(u"being uploaded"_s));

    // Registered as asked, without files yet.
    const QString id = pane.currentId();
    const auto registered = waitFor<api::Checkpoint>([&](auto d) { m_api->checkpoint(id, d); });
    ASSERT_API_OK(registered);
    EXPECT_EQ(registered.value.modelCategory, u"USER"_s);
    EXPECT_EQ(registered.value.iteration, 1200);
    ASSERT_EQ(registered.value.forms.size(), 1);
    EXPECT_EQ(registered.value.forms.first().formCategory, u"ORCA"_s);
    EXPECT_EQ(registered.value.forms.first().vendor, u"fai"_s);

    // The transfer fills its form; the pane shows the files when it is done.
    ASSERT_EQ(queue.transfers().size(), 1);
    const network::TransferQueue::Transfer &t = queue.transfers().first();
    EXPECT_EQ(t.target.formId, registered.value.forms.first().id);
    EXPECT_EQ(t.target.checkpointId, id);
    EXPECT_TRUE(t.deleteTargetOnCancel);
    const QString transfer = t.id;
    ASSERT_TRUE(pf::test::spinUntil(
        [&] { return queue.transfer(transfer)->state != network::TransferQueue::State::Running; },
        120000));
    ASSERT_EQ(queue.transfer(transfer)->state, network::TransferQueue::State::Done)
        << queue.transfer(transfer)->reason.toStdString();
    auto *tree = child<QTreeView>(pane, u"formFiles"_s);
    ASSERT_TRUE(pf::test::spinUntil(
        [&] {
            auto *files = qobject_cast<pf::models::FileTreeModel *>(tree->model());
            return pane.currentId() == id && files->fileCount() == 4;
        },
        20000));
    EXPECT_TRUE(tree->isVisible());

    // What pfd lists: every file at its size (pfd checked the stored
    // objects' sizes when the form was PATCHed).
    const auto back = waitFor<api::Checkpoint>([&](auto d) { m_api->checkpoint(id, d); });
    ASSERT_API_OK(back);
    ASSERT_EQ(back.value.forms.size(), 1);
    std::map<QString, qint64> listed;
    for (const api::StoredFile &f : back.value.forms.first().files)
        listed[f.path] = f.size;
    std::map<QString, qint64> expected;
    for (const auto &[path, bytes] : files)
        expected[path] = bytes.size();
    EXPECT_EQ(listed, expected);
}

TEST_F(CheckpointsPaneTest, TheUploadFormRefusesAnEmptyName)
{
    // The dialog itself: OK with a blank name stays open and says why.
    {
        CheckpointUploadDialog dialog({u"run-1"_s, u"HF"_s, 0}, u"3 files"_s);
        dialog.show();
        child<QLineEdit>(dialog, u"checkpointName"_s)->setText(u"   "_s);
        child<QPushButton>(dialog, u"uploadButton"_s)->click();
        EXPECT_NE(dialog.result(), QDialog::Accepted);
        EXPECT_TRUE(dialog.isVisible());
        auto *error = child<QLabel>(dialog, u"checkpointUploadError"_s);
        EXPECT_TRUE(error->isVisible());
        EXPECT_EQ(error->text(), u"The checkpoint needs a name."_s);
        // Fixed, the complaint goes and OK accepts.
        child<QLineEdit>(dialog, u"checkpointName"_s)->setText(u" run-2 "_s);
        EXPECT_FALSE(error->isVisible());
        child<QLineEdit>(dialog, u"checkpointIteration"_s)->setText(u"99999999999999999"_s);
        child<QPushButton>(dialog, u"uploadButton"_s)->click();
        EXPECT_NE(dialog.result(), QDialog::Accepted) << "iteration over 2^52";
        child<QLineEdit>(dialog, u"checkpointIteration"_s)->setText(u"300"_s);
        child<QPushButton>(dialog, u"uploadButton"_s)->click();
        EXPECT_EQ(dialog.result(), QDialog::Accepted);
        EXPECT_EQ(dialog.answer(), (CheckpointUploadDialog::Answer{u"run-2"_s, u"HF"_s, 300}));
    }

    // Through the pane: a drop answered with a blank name registers nothing.
    QTemporaryDir work;
    const QString folder = work.filePath(u"weights"_s);
    writeTree(folder, {{u"model.bin"_s, "abc"}});
    network::TransferQueue queue(m_api.get(), work.filePath(u"transfers"_s));
    pf::models::Workspace ws = m_ws;
    ws.transfers = &queue;
    CheckpointsPane pane;
    pane.setWorkspace(ws);
    pane.show();
    ASSERT_TRUE(loaded(pane));
    EXPECT_EQ(child<pf::ui::StatePage>(pane, u"statePage"_s)->hint().contains(u"Drop"_s), true);
    CheckpointUploadDialog::setNextAnswer(CheckpointUploadDialog::Answer{u" "_s, u"ETC"_s, 0});
    ASSERT_TRUE(drop(pane, {folder}));
    ASSERT_TRUE(pf::test::spinUntil(
        [&] { return !CheckpointUploadDialog::lastProblem().isEmpty(); }, 5000));
    EXPECT_EQ(CheckpointUploadDialog::lastProblem(), u"The checkpoint needs a name."_s);
    EXPECT_EQ(CheckpointUploadDialog::lastSuggestion().name, u"weights"_s);
    EXPECT_EQ(CheckpointUploadDialog::lastSuggestion().formCategory, u"ETC"_s);
    EXPECT_TRUE(queue.transfers().isEmpty());
    const auto listed = waitFor<api::Page<api::Checkpoint>>(
        [&](auto d) { m_api->checkpoints(m_ws.orgId, m_ws.projectId, u"USER"_s, false, {}, d); });
    ASSERT_API_OK(listed);
    EXPECT_TRUE(listed.value.results.isEmpty());
}

TEST_F(CheckpointsPaneTest, TheFormatAndIterationAreSuggestedFromTheFiles)
{
    QTemporaryDir work;
    writeTree(work.path(), {{u"megatron/latest_checkpointed_iteration.txt"_s, "4000\n"},
                            {u"hf/trainer_state.json"_s, R"({"global_step": 750})"}});
    using Answer = CheckpointUploadDialog::Answer;
    const auto suggest = [&](const QString &name, const QStringList &remote) {
        QList<std::pair<QString, QString>> files;
        for (const QString &r : remote)
            files.append({work.filePath(name + u'/' + r), r});
        return CheckpointUploadDialog::suggest(name, files);
    };
    EXPECT_EQ(suggest(u"megatron"_s, {u"latest_checkpointed_iteration.txt"_s,
                                      u"iter_0002000/mp_rank_00/model_optim_rng.pt"_s,
                                      u"iter_0004000/mp_rank_00/model_optim_rng.pt"_s}),
              (Answer{u"megatron"_s, u"MEGATRON"_s, 4000}));
    // Without the file, the newest iter_ folder.
    EXPECT_EQ(suggest(u"gpt"_s, {u"iter_0000500/mp_rank_00/model_optim_rng.pt"_s,
                                 u"iter_0001500/mp_rank_00/model_optim_rng.pt"_s}),
              (Answer{u"gpt"_s, u"MEGATRON"_s, 1500}));
    EXPECT_EQ(suggest(u"checkpoint-500"_s, {u"config.json"_s, u"model.safetensors"_s}),
              (Answer{u"checkpoint-500"_s, u"HF"_s, 500}));
    EXPECT_EQ(suggest(u"hf"_s, {u"config.json"_s, u"trainer_state.json"_s}),
              (Answer{u"hf"_s, u"HF"_s, 750}));
    // config.json below the top is not a Hugging Face model's.
    EXPECT_EQ(suggest(u"misc"_s, {u"sub/config.json"_s, u"weights.pt"_s}),
              (Answer{u"misc"_s, u"ETC"_s, 0}));
}

TEST_F(CheckpointsPaneTest, DraggedOutFilesAreFetchedIntoTheCache)
{
    QStandardPaths::setTestModeEnabled(true);
    const std::map<QString, QByteArray> files{
        {u"model/weights.pt"_s, noise(300001, 3)},
        {u"model/config.json"_s, R"({"layers": 2})"},
        {u"tokenizer/vocab.txt"_s, "a\nb\n"},
        {u"README.md"_s, "# not dragged\n"},
    };
    const api::Checkpoint c = makeCheckpoint(u"drag-me"_s, u"USER"_s, 5, files);
    ASSERT_EQ(c.forms.size(), 1);
    const api::CheckpointForm form = c.forms.first();
    const QString cache = FormFileFetcher::dragFolder(form.id);
    ASSERT_TRUE(cache.contains(u"/drag/"_s)) << cache.toStdString();
    QDir(cache).removeRecursively();

    // A folder and a file: three files fetched, two URLs.
    QString error;
    int fetched = -1;
    std::unique_ptr<QMimeData> mime = FormFileFetcher::mimeDataForDrag(
        m_api.get(), form.id, form.files, {u"model"_s, u"tokenizer/vocab.txt"_s}, 20000, &error,
        &fetched);
    ASSERT_NE(mime, nullptr) << error.toStdString();
    EXPECT_EQ(fetched, 3);
    const QList<QUrl> urls = mime->urls();
    ASSERT_EQ(urls.size(), 2);
    ASSERT_TRUE(urls.at(0).isLocalFile());
    const QString model = urls.at(0).toLocalFile();
    EXPECT_EQ(model, cache + u"/model"_s);
    EXPECT_TRUE(QFileInfo(model).isDir());
    EXPECT_EQ(QDir(model).entryList(QDir::Files, QDir::Name),
              (QStringList{u"config.json"_s, u"weights.pt"_s}));
    EXPECT_TRUE(contents(model + u"/weights.pt"_s) == files.at(u"model/weights.pt"_s));
    EXPECT_TRUE(contents(model + u"/config.json"_s) == files.at(u"model/config.json"_s));
    EXPECT_TRUE(contents(urls.at(1).toLocalFile()) == files.at(u"tokenizer/vocab.txt"_s));
    EXPECT_FALSE(QFileInfo::exists(cache + u"/README.md"_s));

    // Again: what is there at its size is not fetched again.
    mime = FormFileFetcher::mimeDataForDrag(m_api.get(), form.id, form.files, {u"model"_s}, 20000,
                                            &error, &fetched);
    ASSERT_NE(mime, nullptr) << error.toStdString();
    EXPECT_EQ(fetched, 0);

    // A copy of the wrong size is fetched again; a file the form does not
    // list is not dragged along.
    {
        QFile damaged(model + u"/config.json"_s);
        ASSERT_TRUE(damaged.open(QIODevice::WriteOnly | QIODevice::Truncate));
        damaged.write("{");
        QFile stale(model + u"/old.bin"_s);
        ASSERT_TRUE(stale.open(QIODevice::WriteOnly));
        stale.write("old");
    }
    mime = FormFileFetcher::mimeDataForDrag(m_api.get(), form.id, form.files, {u"model"_s}, 20000,
                                            &error, &fetched);
    ASSERT_NE(mime, nullptr) << error.toStdString();
    EXPECT_EQ(fetched, 1);
    EXPECT_TRUE(contents(model + u"/config.json"_s) == files.at(u"model/config.json"_s));
    EXPECT_FALSE(QFileInfo::exists(model + u"/old.bin"_s));

    // Paths that would leave the folder are refused, not fetched.
    FormFileFetcher fetcher(m_api.get(), form.id, cache);
    EXPECT_TRUE(fetcher.localPath(u"../elsewhere"_s).isEmpty());
    EXPECT_TRUE(fetcher.localPath(u"/etc/passwd"_s).isEmpty());
    EXPECT_EQ(fetcher.localPath(u"a/b.txt"_s), cache + u"/a/b.txt"_s);
    QDir(cache).removeRecursively();
}

TEST_F(CheckpointsPaneTest, DownloadTheWholeCheckpointOrTheSelectedFiles)
{
    const std::map<QString, QByteArray> files{
        {u"model/weights.pt"_s, noise(300001, 4)},
        {u"model/config.json"_s, R"({"layers": 2})"},
        {u"tokenizer/vocab.txt"_s, "a\nb\n"},
        {u"README.md"_s, "# from pfd\n"},
    };
    const api::Checkpoint c = makeCheckpoint(u"dl"_s, u"USER"_s, 3, files);
    QTemporaryDir work;
    network::TransferQueue queue(m_api.get(), work.filePath(u"transfers"_s));
    pf::models::Workspace ws = m_ws;
    ws.transfers = &queue;
    CheckpointsPane pane;
    pane.resize(1000, 600);
    pane.setWorkspace(ws);
    pane.show();
    ASSERT_TRUE(loaded(pane));
    pane.openItem(c.id);
    ASSERT_EQ(pane.currentId(), c.id);
    auto *download = child<QAction>(pane, u"downloadCheckpointAction"_s);
    ASSERT_TRUE(download->isEnabled()) << download->toolTip().toStdString();
    EXPECT_EQ(download->shortcut(), QKeySequence(QKeySequence::Save));
    auto *tree = child<QTreeView>(pane, u"formFiles"_s);
    auto *model = qobject_cast<pf::models::FileTreeModel *>(tree->model());
    ASSERT_NE(model, nullptr);
    const auto select = [&](const QStringList &paths) {
        tree->selectionModel()->clearSelection();
        for (const QString &path : paths)
            tree->selectionModel()->select(model->indexOfPath(path),
                                           QItemSelectionModel::Select | QItemSelectionModel::Rows);
    };
    const auto run = [&](const QString &folder) -> bool {
        const qsizetype before = queue.transfers().size();
        CheckpointsPane::setNextFolder(folder);
        download->trigger();
        if (queue.transfers().size() != before + 1)
            return false;
        const QString id = queue.transfers().last().id;
        EXPECT_TRUE(queue.transfer(id)->download);
        if (!pf::test::spinUntil(
                [&] { return queue.transfer(id)->state != network::TransferQueue::State::Running; },
                60000))
            return false;
        EXPECT_EQ(queue.transfer(id)->state, network::TransferQueue::State::Done)
            << queue.transfer(id)->reason.toStdString();
        return queue.transfer(id)->state == network::TransferQueue::State::Done;
    };
    const auto filesIn = [](const QString &folder) {
        QStringList out;
        QDirIterator it(folder, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext())
            out << QDir(folder).relativeFilePath(it.next());
        out.sort();
        return out;
    };

    // Nothing selected: the whole checkpoint, under its name, byte for byte.
    const QString all = work.filePath(u"all"_s);
    QDir().mkpath(all);
    ASSERT_TRUE(run(all));
    EXPECT_EQ(filesIn(all), (QStringList{u"dl/README.md"_s, u"dl/model/config.json"_s,
                                         u"dl/model/weights.pt"_s, u"dl/tokenizer/vocab.txt"_s}));
    for (const auto &[path, bytes] : files)
        EXPECT_TRUE(contents(all + u"/dl/"_s + path) == bytes) << path.toStdString();

    // A folder and a file selected: only their files.
    const QString some = work.filePath(u"some"_s);
    QDir().mkpath(some);
    select({u"tokenizer"_s, u"README.md"_s});
    EXPECT_EQ(pane.selectedItems(), (QStringList{u"README.md"_s, u"tokenizer"_s}));
    ASSERT_TRUE(run(some));
    EXPECT_EQ(filesIn(some), (QStringList{u"dl/README.md"_s, u"dl/tokenizer/vocab.txt"_s}));
    EXPECT_TRUE(contents(some + u"/dl/tokenizer/vocab.txt"_s) ==
                files.at(u"tokenizer/vocab.txt"_s));

    // Skip: the local README stays; the file that was not there arrives.
    {
        QFile mine(all + u"/dl/README.md"_s);
        ASSERT_TRUE(mine.open(QIODevice::WriteOnly | QIODevice::Truncate));
        mine.write("mine");
    }
    ASSERT_TRUE(QFile::remove(all + u"/dl/model/config.json"_s));
    select({u"README.md"_s, u"model/config.json"_s});
    MessageBox::setNextClash(MessageBox::Clash::Skip);
    ASSERT_TRUE(run(all));
    EXPECT_TRUE(MessageBox::lastQuestion().contains(u"1 of the files is already in"_s))
        << MessageBox::lastQuestion().toStdString();
    EXPECT_TRUE(MessageBox::lastQuestion().contains(u"dl/README.md"_s));
    EXPECT_EQ(contents(all + u"/dl/README.md"_s), QByteArray("mine"));
    EXPECT_TRUE(contents(all + u"/dl/model/config.json"_s) == files.at(u"model/config.json"_s));

    // Keep Both: a free name next to it ("(1)" is taken too).
    {
        QFile taken(all + u"/dl/README (1).md"_s);
        ASSERT_TRUE(taken.open(QIODevice::WriteOnly));
        taken.write("taken");
    }
    select({u"README.md"_s});
    MessageBox::setNextClash(MessageBox::Clash::KeepBoth);
    ASSERT_TRUE(run(all));
    EXPECT_EQ(contents(all + u"/dl/README.md"_s), QByteArray("mine"));
    EXPECT_EQ(contents(all + u"/dl/README (1).md"_s), QByteArray("taken"));
    EXPECT_TRUE(contents(all + u"/dl/README (2).md"_s) == files.at(u"README.md"_s));

    // Replace: the server's bytes over the local ones.
    MessageBox::setNextClash(MessageBox::Clash::Replace);
    ASSERT_TRUE(run(all));
    EXPECT_TRUE(contents(all + u"/dl/README.md"_s) == files.at(u"README.md"_s));

    // Cancelled at the question: nothing starts.
    const qsizetype transfers = queue.transfers().size();
    MessageBox::setNextClash(std::nullopt);
    CheckpointsPane::setNextFolder(all);
    download->trigger();
    EXPECT_EQ(queue.transfers().size(), transfers);

    // A form whose files are in a bucket is not downloaded from pfd.
    QJsonArray listed{api::StoredFile{u"w.bin"_s, u"w.bin"_s, {}, 10, {}}.toJson()};
    const auto linked = waitFor<api::Checkpoint>([&](auto d) {
        m_api->createCheckpoint(m_ws.orgId, m_ws.projectId,
                                {{u"name"_s, u"in-s3"_s},
                                 {u"model_category"_s, u"USER"_s},
                                 {u"vendor"_s, u"aws"_s},
                                 {u"storage_name"_s, u"bucket"_s},
                                 {u"files"_s, listed}},
                                d);
    });
    ASSERT_API_OK(linked);
    pane.refresh();
    ASSERT_TRUE(loaded(pane));
    pane.openItem(linked.value.id);
    ASSERT_EQ(pane.currentId(), linked.value.id);
    EXPECT_FALSE(download->isEnabled());
    EXPECT_TRUE(download->toolTip().contains(u"aws storage"_s))
        << download->toolTip().toStdString();
}

TEST_F(CheckpointsPaneTest, CancellingTheUploadDeletesTheNewCheckpoint)
{
    QTemporaryDir work;
    const QString folder = work.filePath(u"half"_s);
    writeTree(folder, {{u"weights.bin"_s, noise(40 * 1024 * 1024, 5)}});
    network::TransferQueue queue(m_api.get(), work.filePath(u"transfers"_s));
    queue.setMaxRequests(1);
    pf::models::Workspace ws = m_ws;
    ws.transfers = &queue;
    CheckpointsPane pane;
    pane.setWorkspace(ws);
    pane.show();
    ASSERT_TRUE(loaded(pane));
    CheckpointUploadDialog::setNextAnswer(CheckpointUploadDialog::Answer{u"half"_s, u"ETC"_s, 0});
    ASSERT_TRUE(drop(pane, {folder}));
    ASSERT_TRUE(pf::test::spinUntil([&] { return !pane.currentId().isEmpty(); }, 20000));
    const QString id = pane.currentId();
    ASSERT_EQ(queue.transfers().size(), 1);
    // Cancelled with a multipart upload open: the queue aborts it first and
    // deletes the checkpoint after, so the list waits for that.
    ASSERT_TRUE(pf::test::spinUntil(
        [&] { return !queue.transfers().first().files.first().uploadId.isEmpty(); }, 20000));
    queue.cancel(queue.transfers().first().id);

    // The queue deletes it; the list, refreshed, no longer has it.
    ASSERT_TRUE(pf::test::spinUntil(
        [&] {
            return pane.model()->state() == CheckpointsModel::State::Fetched &&
                   pane.model()->rowOf(id) < 0;
        },
        20000));
    const auto back = waitFor<api::Checkpoint>([&](auto d) { m_api->checkpoint(id, d); });
    ASSERT_API_OK(back);
    EXPECT_TRUE(back.value.deleted);
}

TEST(FormFileFetcherCache, CopiesNotTouchedForADayArePruned)
{
    const QString root = pf::ui::FormFileFetcher::dragFolder(u"prune-test"_s);
    QDir(root).removeRecursively();
    const auto write = [&](const QString &path, qint64 ageSecs) {
        QDir().mkpath(QFileInfo(path).path());
        QFile f(path);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write("x");
        ASSERT_TRUE(f.flush()); // written before the time is set, or the write sets it
        ASSERT_TRUE(f.setFileTime(QDateTime::currentDateTimeUtc().addSecs(-ageSecs),
                                  QFileDevice::FileModificationTime));
    };
    write(root + u"/old/model.bin"_s, 2 * 24 * 3600);
    write(root + u"/fresh.json"_s, 60);
    EXPECT_GE(pf::ui::FormFileFetcher::pruneDragCache(), 1);
    EXPECT_FALSE(QFileInfo::exists(root + u"/old/model.bin"_s));
    EXPECT_FALSE(QFileInfo::exists(root + u"/old"_s)); // emptied, so gone
    EXPECT_TRUE(QFileInfo::exists(root + u"/fresh.json"_s));
    QDir(root).removeRecursively();
}
