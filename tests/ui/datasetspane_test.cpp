// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// DatasetsPane offscreen against a real pfd: the list, the selected
// dataset's file tree and metadata, rename (F2), metadata edit with
// validation, delete a dataset with Del after confirming, roles, the empty
// state, palette items, the link dialog (credentials of the vendor, the
// server's refusal shown in the dialog), and uploads by drag and drop: a new
// dataset, files added to a dataset's row (name clashes: Replace, Skip, Keep
// Both), a linked dataset's row refusing, empty files named.
// PF_SHOTS_DIR=dir saves screenshots.

#include <gtest/gtest.h>

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDragEnterEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>
#include <QTreeView>

#include "models/datasetsmodel.h"
#include "models/filetreemodel.h"
#include "network/transferqueue.h"
#include "tests/support/apiwait.h"
#include "tests/support/datafixture.h"
#include "ui/datasets/datasetspane.h"
#include "ui/datasets/linkeddatasetdialog.h"
#include "ui/theme.h"
#include "ui/transfers/transferspanel.h"
#include "ui/widgets/messagebox.h"
#include "ui/widgets/statepage.h"

using namespace Qt::StringLiterals;
using pf::models::DatasetsModel;
using pf::models::FileTreeModel;
using pf::test::waitFor;
using pf::ui::DatasetsPane;
using pf::ui::LinkedDatasetDialog;
namespace api = pf::api;
namespace network = pf::network;
namespace MessageBox = pf::ui::MessageBox;

namespace {

class DatasetsPaneTest : public pf::test::DataFixture
{
protected:
    template <typename T>
    T *child(const QObject &parent, const QString &name)
    {
        T *found = parent.findChild<T *>(name);
        EXPECT_NE(found, nullptr) << name.toStdString();
        return found;
    }
    static bool loaded(const DatasetsPane &pane)
    {
        return QTest::qWaitFor(
            [&] { return pane.model()->state() == DatasetsModel::State::Fetched; });
    }
    std::map<QString, QByteArray> cifarFiles()
    {
        return {{u"train/cats/1.png"_s, QByteArray(300, 'c')},
                {u"train/cats/2.png"_s, QByteArray(200, 'c')},
                {u"train/dogs/1.png"_s, QByteArray(500, 'd')},
                {u"test/batch.bin"_s, QByteArray(1024, 'b')},
                {u"labels.csv"_s, "id,label\n"},
                {u"README.md"_s, "# CIFAR\n"}};
    }
    static void writeFile(const QString &path, const QByteArray &bytes)
    {
        ASSERT_TRUE(QDir().mkpath(QFileInfo(path).path()));
        QFile f(path);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly)) << path.toStdString();
        ASSERT_EQ(f.write(bytes), bytes.size());
    }
    // The centre of a dataset's row, in the pane's coordinates.
    QPoint rowPoint(const DatasetsPane &pane, qint64 id)
    {
        auto *list = child<QTreeView>(pane, u"datasetList"_s);
        const QAbstractItemModel *rows = list->model();
        for (int r = 0; r < rows->rowCount(); ++r) {
            const QModelIndex index = rows->index(r, 0);
            if (index.data(DatasetsModel::IdRole).toLongLong() == id)
                return list->viewport()->mapTo(&pane, list->visualRect(index).center());
        }
        ADD_FAILURE() << "no row for dataset " << id;
        return {};
    }
    // In the list, below its rows.
    QPoint besideRows(const DatasetsPane &pane)
    {
        auto *list = child<QTreeView>(pane, u"datasetList"_s);
        const QPoint at(20, list->viewport()->height() - 10);
        EXPECT_FALSE(list->indexAt(at).isValid());
        return list->viewport()->mapTo(&pane, at);
    }
    // What a file manager's drag sends: enter and a move at `moveAt`, then
    // the drop at `dropAt`; whether each was accepted.
    struct Drag
    {
        bool enter = false;
        bool move = false;
        bool drop = false;
    };
    static Drag drag(DatasetsPane &pane, const QStringList &paths, const QPoint &moveAt,
                     const QPoint &dropAt)
    {
        QMimeData mime;
        QList<QUrl> urls;
        for (const QString &p : paths)
            urls << QUrl::fromLocalFile(p);
        mime.setUrls(urls);
        Drag out;
        QDragEnterEvent enter(moveAt, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&pane, &enter);
        out.enter = enter.isAccepted();
        QDragMoveEvent move(moveAt, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&pane, &move);
        out.move = move.isAccepted();
        QDropEvent drop(QPointF(dropAt), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&pane, &drop);
        out.drop = drop.isAccepted();
        return out;
    }
    // The dataset's files as the server lists them: "path size", sorted.
    QStringList listing(qint64 id)
    {
        const auto d = waitFor<api::Dataset>([&](auto done) { m_api->dataset(id, done); });
        EXPECT_API_OK(d);
        QStringList out;
        for (const api::StoredFile &f : d.value.files)
            out << u"%1 %2"_s.arg(f.path).arg(f.size);
        out.sort();
        return out;
    }
    static QStringList sorted(QStringList list)
    {
        list.sort();
        return list;
    }
    // Waits for the queue's transfer into `datasetId` to end; its id.
    static QString waitForUpload(network::TransferQueue &queue, qint64 datasetId)
    {
        const auto find = [&]() -> const network::TransferQueue::Transfer * {
            for (const network::TransferQueue::Transfer &t : queue.transfers())
                if (t.target.datasetId == datasetId)
                    return &t;
            return nullptr;
        };
        EXPECT_TRUE(pf::test::spinUntil([&] { return find() != nullptr; }, 20000))
            << "nothing queued for dataset " << datasetId;
        if (!find())
            return {};
        QString id = find()->id;
        EXPECT_TRUE(pf::test::spinUntil(
            [&] { return queue.transfer(id)->state != network::TransferQueue::State::Running; },
            120000));
        EXPECT_EQ(queue.transfer(id)->state, network::TransferQueue::State::Done)
            << queue.transfer(id)->reason.toStdString();
        return id;
    }
};

} // namespace

TEST_F(DatasetsPaneTest, ShowsFilesTreeAndMetadataThenRenamesEditsAndDeletes)
{
    const api::Dataset cifar = makeDataset(u"cifar"_s, cifarFiles(), {{u"classes"_s, 100}});
    DatasetsPane pane;
    pane.resize(1000, 600);
    pane.setWorkspace(m_ws);
    pane.show();
    ASSERT_TRUE(loaded(pane));
    auto *list = child<QTreeView>(pane, u"datasetList"_s);
    auto *tree = child<QTreeView>(pane, u"fileTree"_s);
    ASSERT_TRUE(list && tree);
    ASSERT_EQ(list->model()->rowCount(), 1);
    EXPECT_EQ(pane.currentId(), cifar.id); // the first row is picked

    EXPECT_EQ(child<QLabel>(pane, u"datasetTitle"_s)->text(), u"cifar"_s);
    const QString summary = child<QLabel>(pane, u"datasetSummary"_s)->text();
    EXPECT_TRUE(summary.contains(u"Stored by pfd"_s)) << summary.toStdString();
    EXPECT_TRUE(summary.contains(u"active"_s)) << summary.toStdString();
    EXPECT_TRUE(summary.contains(u"6 files"_s)) << summary.toStdString();

    // The tree: folders first, sizes summed per folder.
    const QAbstractItemModel *files = tree->model();
    ASSERT_EQ(files->rowCount(), 4);
    EXPECT_EQ(files->index(0, 0).data().toString(), u"test"_s);
    EXPECT_EQ(files->index(1, 0).data().toString(), u"train"_s);
    EXPECT_EQ(files->index(1, 0).data(FileTreeModel::SizeRole).toLongLong(), 1000);
    EXPECT_EQ(files->index(2, 0).data().toString(), u"labels.csv"_s);

    // Metadata: shown, validated, saved.
    auto *text = child<QPlainTextEdit>(pane, u"metadataText"_s);
    auto *apply = child<QPushButton>(pane, u"applyMetadata"_s);
    auto *status = child<QLabel>(pane, u"metadataStatus"_s);
    EXPECT_TRUE(text->toPlainText().contains(u"\"classes\": 100"_s));
    EXPECT_FALSE(apply->isEnabled());
    text->setPlainText(u"{\n  \"classes\": 100,\n  \"source\" \"web\"\n}"_s);
    EXPECT_FALSE(apply->isEnabled());
    EXPECT_TRUE(status->text().startsWith(u"Line 3"_s)) << status->text().toStdString();
    text->setPlainText(u"[1, 2]"_s);
    EXPECT_FALSE(apply->isEnabled());
    text->setPlainText(u"{\"classes\": 100, \"source\": \"web\"}"_s);
    ASSERT_TRUE(apply->isEnabled());
    QTest::mouseClick(apply, Qt::LeftButton);
    ASSERT_TRUE(QTest::qWaitFor([&] { return !apply->isEnabled(); }));
    const auto saved = waitFor<api::Dataset>([&](auto d) { m_api->dataset(cifar.id, d); });
    ASSERT_API_OK(saved);
    EXPECT_EQ(saved.value.metadata.value(u"source"_s).toString(), u"web"_s);

    // Rename with F2, answered through the seam.
    list->setFocus();
    MessageBox::setNextText(u"cifar-100"_s);
    child<QAction>(pane, u"renameDatasetAction"_s)->trigger();
    ASSERT_TRUE(QTest::qWaitFor(
        [&] { return child<QLabel>(pane, u"datasetTitle"_s)->text() == u"cifar-100"_s; }));
    EXPECT_EQ(MessageBox::lastQuestion(), u"New name for “cifar”:"_s);

    // Delete a dataset: Del, confirmed.
    QApplication::setActiveWindow(&pane);
    list->setFocus();
    MessageBox::setNextAnswer(true);
    QTest::keyClick(list, Qt::Key_Delete);
    ASSERT_TRUE(QTest::qWaitFor([&] { return list->model()->rowCount() == 0; }));
    EXPECT_TRUE(MessageBox::lastQuestion().contains(u"“cifar-100” and its 6 files"_s))
        << MessageBox::lastQuestion().toStdString();
    const auto gone = waitFor<api::Dataset>([&](auto d) { m_api->dataset(cifar.id, d); });
    EXPECT_EQ(gone.result.status, 404);
    auto *state = child<pf::ui::StatePage>(pane, u"statePage"_s);
    EXPECT_TRUE(state->isVisible());
    EXPECT_EQ(state->title(), u"No datasets yet"_s);
    // No transfer queue in this workspace: linking, or the CLI.
    EXPECT_TRUE(state->hint().contains(u"Link a bucket"_s)) << state->hint().toStdString();
    EXPECT_FALSE(state->hint().contains(u"Drag"_s)) << state->hint().toStdString();
}

TEST_F(DatasetsPaneTest, CancelledDeleteKeepsTheDatasetAndPaletteOpensOne)
{
    const api::Dataset a = makeDataset(u"alpha"_s, {{u"a.txt"_s, "a"}});
    const api::Dataset b = makeDataset(u"beta"_s, {{u"b.txt"_s, "b"}});
    DatasetsPane pane;
    pane.setWorkspace(m_ws);
    pane.show();
    ASSERT_TRUE(loaded(pane));

    const QList<pf::ui::Pane::Item> items = pane.paletteItems();
    ASSERT_EQ(items.size(), 2);
    QStringList texts;
    for (const auto &item : items)
        texts << item.text;
    texts.sort();
    EXPECT_EQ(texts, (QStringList{u"Dataset alpha"_s, u"Dataset beta"_s}));
    pane.openItem(QString::number(b.id));
    EXPECT_EQ(pane.currentId(), b.id);
    EXPECT_EQ(child<QLabel>(pane, u"datasetTitle"_s)->text(), u"beta"_s);

    MessageBox::setNextAnswer(false);
    child<QAction>(pane, u"deleteDatasetAction"_s)->trigger();
    EXPECT_EQ(pane.model()->rowCount(), 2);
    ASSERT_API_OK(waitFor<api::Dataset>([&](auto d) { m_api->dataset(b.id, d); }));
    pane.openItem(QString::number(a.id));
    EXPECT_EQ(pane.currentId(), a.id);
}

TEST_F(DatasetsPaneTest, GuestsSeeButCannotChange)
{
    makeDataset(u"ro"_s, {{u"x"_s, "x"}}, {{u"k"_s, u"v"_s}});
    pf::models::Workspace guest = m_ws;
    guest.orgRole = api::OrgRole::Member;
    guest.projectRole = api::ProjectRole::Guest;
    DatasetsPane pane;
    pane.setWorkspace(guest);
    pane.show();
    ASSERT_TRUE(loaded(pane));
    auto *toolbar = child<QToolBar>(pane, u"datasetsToolbar"_s);
    for (const QString &name :
         {u"uploadDatasetAction"_s, u"uploadFilesAction"_s, u"addFilesAction"_s,
          u"linkDatasetAction"_s, u"renameDatasetAction"_s, u"editMetadataAction"_s,
          u"deleteDatasetAction"_s}) {
        auto *action = child<QAction>(pane, name);
        ASSERT_NE(action, nullptr);
        EXPECT_FALSE(action->isEnabled()) << name.toStdString();
        EXPECT_FALSE(action->shortcut().isEmpty()) << name.toStdString();
        EXPECT_TRUE(pane.actions().contains(action)) << name.toStdString();
        EXPECT_TRUE(toolbar->actions().contains(action)) << name.toStdString();
    }
    // No two of the pane's actions share a shortcut.
    QList<QKeySequence> shortcuts;
    for (const QAction *a : pane.actions()) {
        EXPECT_FALSE(shortcuts.contains(a->shortcut())) << a->objectName().toStdString();
        shortcuts << a->shortcut();
    }
    EXPECT_TRUE(child<QPlainTextEdit>(pane, u"metadataText"_s)->isReadOnly());
    EXPECT_FALSE(child<QPushButton>(pane, u"applyMetadata"_s)->isVisible());

    pf::models::Workspace developer = m_ws;
    developer.orgRole = api::OrgRole::Member;
    developer.projectRole = api::ProjectRole::Develop;
    pane.setWorkspace(developer);
    ASSERT_TRUE(loaded(pane));
    EXPECT_TRUE(child<QAction>(pane, u"deleteDatasetAction"_s)->isEnabled());
}

TEST_F(DatasetsPaneTest, LinkDialogListsTheVendorsCredentialsAndShowsTheServersRefusal)
{
    // Nothing listens on this port: pfd cannot reach the "bucket".
    QTcpServer closed;
    ASSERT_TRUE(closed.listen(QHostAddress::LocalHost, 0));
    const quint16 port = closed.serverPort();
    closed.close();
    const auto cred = waitFor<api::Credential>([&](auto d) {
        m_api->createCredential(m_ws.projectId, u"aws"_s, u"minio key"_s, 1,
                                {{u"aws_access_key_id"_s, u"AK"_s},
                                 {u"aws_secret_access_key"_s, u"SK"_s},
                                 {u"aws_default_region"_s, u"us-east-1"_s}},
                                d);
    });
    ASSERT_API_OK(cred);

    DatasetsPane pane;
    pane.setWorkspace(m_ws);
    pane.show();
    ASSERT_TRUE(loaded(pane));
    EXPECT_EQ(child<pf::ui::StatePage>(pane, u"statePage"_s)->title(), u"No datasets yet"_s);
    child<QAction>(pane, u"linkDatasetAction"_s)->trigger();
    LinkedDatasetDialog *dialog = pane.linkDialog();
    ASSERT_NE(dialog, nullptr);
    ASSERT_TRUE(QTest::qWaitFor([&] { return dialog->credentialsLoaded(); }));
    auto *credential = child<QComboBox>(*dialog, u"credential"_s);
    ASSERT_EQ(credential->count(), 1);
    EXPECT_EQ(credential->currentText(), u"minio key"_s);
    auto *link = child<QPushButton>(*dialog, u"linkButton"_s);
    EXPECT_FALSE(link->isEnabled()); // no name, no bucket yet

    child<QLineEdit>(*dialog, u"datasetName"_s)->setText(u"remote"_s);
    child<QLineEdit>(*dialog, u"storageName"_s)->setText(u"bucket/data"_s);
    child<QLineEdit>(*dialog, u"endpointUrl"_s)->setText(u"http://127.0.0.1:%1"_s.arg(port));
    ASSERT_TRUE(link->isEnabled());
    EXPECT_EQ(dialog->request(),
              QJsonObject({{u"name"_s, u"remote"_s},
                           {u"vendor"_s, u"aws"_s},
                           {u"storage_name"_s, u"bucket/data"_s},
                           {u"credential_id"_s, cred.value.id},
                           {u"metadata"_s, QJsonObject{{u"endpoint_url"_s,
                                                        u"http://127.0.0.1:%1"_s.arg(port)}}}}));
    QTest::mouseClick(link, Qt::LeftButton);
    auto *error = child<QLabel>(*dialog, u"linkError"_s);
    ASSERT_TRUE(QTest::qWaitFor([&] { return error->isVisible(); }, 30000));
    EXPECT_FALSE(error->text().isEmpty());
    EXPECT_TRUE(dialog->isVisible()); // stays open to fix and retry
    EXPECT_EQ(pane.model()->rowCount(), 0);

    // Another vendor: its own credentials (none), and the honest hint.
    auto *vendor = child<QComboBox>(*dialog, u"vendor"_s);
    vendor->setCurrentIndex(vendor->findData(u"gcp"_s));
    ASSERT_TRUE(QTest::qWaitFor([&] { return dialog->credentialsLoaded(); }));
    EXPECT_TRUE(credential->currentText().startsWith(u"No gcp credential"_s));
    EXPECT_FALSE(credential->isEnabled());
    EXPECT_FALSE(link->isEnabled());
    EXPECT_TRUE(child<QLabel>(*dialog, u"vendorHint"_s)->text().contains(u"cannot list"_s));
    dialog->reject();
}

// Screenshots for review, light and dark: PF_SHOTS_DIR=/tmp/shots-data.
TEST_F(DatasetsPaneTest, Screenshots)
{
    const QString dir = qEnvironmentVariable("PF_SHOTS_DIR");
    if (dir.isEmpty())
        GTEST_SKIP() << "set PF_SHOTS_DIR to save screenshots";
    QDir().mkpath(dir);
    {
        DatasetsPane empty;
        empty.resize(1100, 640);
        empty.setWorkspace(m_ws);
        empty.show();
        ASSERT_TRUE(loaded(empty));
        pf::ui::applyTheme(pf::ui::Theme::Light);
        QCoreApplication::processEvents();
        empty.grab().save(dir + u"/datasets-empty-light.png"_s);
    }
    makeDataset(u"cifar-100"_s, cifarFiles(), {{u"classes"_s, 100}, {u"source"_s, u"toronto"_s}});
    makeDataset(u"imagenet-mini"_s, {{u"train/n01440764/a.JPEG"_s, QByteArray(120000, 'x')},
                                     {u"val/n01440764/b.JPEG"_s, QByteArray(80000, 'y')},
                                     {u"meta/classes.json"_s, "{}"}});
    DatasetsPane pane;
    pane.resize(1100, 640);
    pane.setWorkspace(m_ws);
    pane.show();
    ASSERT_TRUE(loaded(pane));
    pane.openItem(QString::number(pane.model()->dataset(0).id));
    child<QTreeView>(pane, u"fileTree"_s)->expandAll();
    for (const auto theme : {pf::ui::Theme::Light, pf::ui::Theme::Dark}) {
        pf::ui::applyTheme(theme);
        QCoreApplication::processEvents();
        pane.grab().save(dir + (theme == pf::ui::Theme::Light ? u"/datasets-light.png"_s
                                                              : u"/datasets-dark.png"_s));
    }
    child<QAction>(pane, u"linkDatasetAction"_s)->trigger();
    LinkedDatasetDialog *dialog = pane.linkDialog();
    ASSERT_NE(dialog, nullptr);
    ASSERT_TRUE(QTest::qWaitFor([&] { return dialog->credentialsLoaded(); }));
    dialog->grab().save(dir + u"/link-dialog-dark.png"_s);
    dialog->reject();
    pf::ui::applyTheme(pf::ui::Theme::Light);
}

// A folder dropped from the file manager (a QDropEvent with its URL) becomes
// a new dataset named after it: created, its files sent by the transfer
// queue (one of them in parts), then active with every file listed.
TEST_F(DatasetsPaneTest, AFolderDroppedOnThePaneBecomesADataset)
{
    QTemporaryDir work;
    const QString folder = work.filePath(u"imagenet-mini"_s);
    for (const auto &[path, bytes] : cifarFiles()) {
        QDir().mkpath(QFileInfo(folder + u'/' + path).path());
        QFile f(folder + u'/' + path);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write(bytes);
    }
    {
        QFile big(folder + u"/weights.bin"_s); // over 16 MiB: sent in parts
        ASSERT_TRUE(big.open(QIODevice::WriteOnly));
        big.write(QByteArray(qsizetype(17) * 1024 * 1024, 'w'));
    }
    network::TransferQueue queue(m_api.get(), work.filePath(u"transfers"_s));
    pf::models::Workspace ws = m_ws;
    ws.transfers = &queue;
    DatasetsPane pane;
    pane.resize(1000, 600);
    pane.setWorkspace(ws);
    pane.show();
    ASSERT_TRUE(loaded(pane));

    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(folder)});
    const QPoint at(300, 300);
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&pane, &enter);
    ASSERT_TRUE(enter.isAccepted());
    QDropEvent drop(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    MessageBox::setNextText(u"imagenet-mini"_s); // the name asked: the folder's
    QApplication::sendEvent(&pane, &drop);
    EXPECT_TRUE(drop.isAccepted());

    // The dataset appears at once (uploading), then active with its files.
    ASSERT_TRUE(pf::test::spinUntil(
        [&] {
            const int row = pane.model()->rowOf(pane.currentId());
            return row >= 0 && pane.model()->dataset(row).name == u"imagenet-mini"_s;
        },
        20000));
    EXPECT_TRUE(MessageBox::lastQuestion().contains(u"7 files"_s))
        << MessageBox::lastQuestion().toStdString();
    ASSERT_EQ(queue.transfers().size(), 1);
    const QString id = queue.transfers().first().id;
    ASSERT_TRUE(pf::test::spinUntil(
        [&] { return queue.transfer(id)->state != network::TransferQueue::State::Running; },
        120000));
    EXPECT_EQ(queue.transfer(id)->state, network::TransferQueue::State::Done)
        << queue.transfer(id)->reason.toStdString();
    pane.refresh();
    ASSERT_TRUE(pf::test::spinUntil(
        [&] {
            const int row = pane.model()->rowOf(pane.currentId());
            return row >= 0 && pane.model()->dataset(row).active;
        },
        20000));
    const api::Dataset d = pane.model()->dataset(pane.model()->rowOf(pane.currentId()));
    QStringList paths;
    for (const api::StoredFile &f : d.files)
        paths << f.path;
    paths.sort();
    EXPECT_EQ(paths, (QStringList{u"README.md"_s, u"labels.csv"_s, u"test/batch.bin"_s,
                                  u"train/cats/1.png"_s, u"train/cats/2.png"_s,
                                  u"train/dogs/1.png"_s, u"weights.bin"_s}));

    // The Transfers dock's panel, for review (PF_SHOTS_DIR=dir).
    if (const QString dir = qEnvironmentVariable("PF_SHOTS_DIR"); !dir.isEmpty()) {
        pf::ui::TransfersPanel panel;
        panel.resize(900, 180);
        panel.setQueue(&queue);
        panel.show();
        QTest::qWait(50);
        EXPECT_TRUE(panel.grab().save(dir + u"/transfers-light.png"_s));
    }
}

// A folder dragged over the list: beside the rows nothing is selected for
// it; over a dataset's row that row is selected; dropped there, its files go
// into that dataset (under the folder's name), which stays active, and the
// pane shows them when the upload ends. No dataset is made.
TEST_F(DatasetsPaneTest, AFolderDroppedOnADatasetsRowIsAddedToThatDataset)
{
    const api::Dataset alpha = makeDataset(u"alpha"_s, {{u"a.txt"_s, "alpha"}});
    const api::Dataset beta = makeDataset(
        u"beta"_s, {{u"train/x.bin"_s, QByteArray(100, 'x')}, {u"README.md"_s, "# beta\n"}});
    QTemporaryDir work;
    const QString folder = work.filePath(u"more"_s);
    writeFile(folder + u"/1.bin"_s, QByteArray(300, 'm'));
    writeFile(folder + u"/sub/2.bin"_s, QByteArray(qsizetype(17) * 1024 * 1024, 'n')); // in parts
    network::TransferQueue queue(m_api.get(), work.filePath(u"transfers"_s));
    pf::models::Workspace ws = m_ws;
    ws.transfers = &queue;
    DatasetsPane pane;
    pane.resize(1000, 600);
    pane.setWorkspace(ws);
    pane.show();
    ASSERT_TRUE(loaded(pane));
    ASSERT_EQ(pane.currentId(), alpha.id);

    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(folder)});
    const auto send = [&](QDragMoveEvent &e) {
        QApplication::sendEvent(&pane, &e);
        return e.isAccepted();
    };
    QDragEnterEvent enter(besideRows(pane), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    EXPECT_TRUE(send(enter));
    EXPECT_EQ(pane.currentId(), alpha.id);
    QDragMoveEvent overBeta(rowPoint(pane, beta.id), Qt::CopyAction, &mime, Qt::LeftButton,
                            Qt::NoModifier);
    EXPECT_TRUE(send(overBeta));
    EXPECT_EQ(pane.currentId(), beta.id); // the target, selected
    QDragMoveEvent away(besideRows(pane), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    EXPECT_TRUE(send(away));
    EXPECT_EQ(pane.currentId(), alpha.id); // back: no row is the target
    QDragMoveEvent back(rowPoint(pane, beta.id), Qt::CopyAction, &mime, Qt::LeftButton,
                        Qt::NoModifier);
    EXPECT_TRUE(send(back));
    QDropEvent drop(QPointF(rowPoint(pane, beta.id)), Qt::CopyAction, &mime, Qt::LeftButton,
                    Qt::NoModifier);
    QApplication::sendEvent(&pane, &drop);
    EXPECT_TRUE(drop.isAccepted());
    EXPECT_EQ(pane.currentId(), beta.id);

    ASSERT_TRUE(pf::test::spinUntil([&] { return !queue.transfers().isEmpty(); }, 20000));
    const network::TransferQueue::Transfer added = queue.transfers().first();
    EXPECT_EQ(added.target.datasetId, beta.id);
    EXPECT_FALSE(added.deleteTargetOnCancel);
    // Active while its files go.
    const auto during = waitFor<api::Dataset>([&](auto d) { m_api->dataset(beta.id, d); });
    ASSERT_API_OK(during);
    EXPECT_TRUE(during.value.active);

    waitForUpload(queue, beta.id);
    EXPECT_EQ(listing(beta.id), (QStringList{u"README.md 7"_s, u"more/1.bin 300"_s,
                                             u"more/sub/2.bin 17825792"_s, u"train/x.bin 100"_s}));
    EXPECT_EQ(listing(alpha.id), QStringList{u"a.txt 5"_s});
    const auto after = waitFor<api::Dataset>([&](auto d) { m_api->dataset(beta.id, d); });
    ASSERT_API_OK(after);
    EXPECT_TRUE(after.value.active);
    const auto all =
        waitFor<QList<api::Dataset>>([&](auto d) { m_api->datasets(m_ws.projectId, d); });
    ASSERT_API_OK(all);
    EXPECT_EQ(all.value.size(), 2);
    // The pane reads the dataset again when its upload ends: no F5.
    EXPECT_TRUE(pf::test::spinUntil(
        [&] { return pane.model()->dataset(pane.model()->rowOf(beta.id)).files.size() == 4; },
        20000));
}

// Files dropped on a dataset's row whose names it has: asked once, naming
// the clashing ones; Replace leaves one entry per path at the new size, Skip
// keeps the old file, Keep Both adds "a (1).txt" beside it, cancel adds
// nothing. The other file is added each time.
TEST_F(DatasetsPaneTest, NameClashesAreAskedOnceReplaceSkipKeepBothOrCancel)
{
    const std::map<QString, QByteArray> old{{u"a.txt"_s, "old"}, {u"b.txt"_s, "bbb"}};
    const api::Dataset both = makeDataset(u"both"_s, old);
    const api::Dataset cancel = makeDataset(u"cancel"_s, old);
    const api::Dataset replace = makeDataset(u"replace"_s, old);
    const api::Dataset skip = makeDataset(u"skip"_s, old);
    QTemporaryDir work;
    writeFile(work.filePath(u"a.txt"_s), "new a file");
    writeFile(work.filePath(u"c.txt"_s), "c");
    const QStringList dropped{work.filePath(u"a.txt"_s), work.filePath(u"c.txt"_s)};
    network::TransferQueue queue(m_api.get(), work.filePath(u"transfers"_s));
    pf::models::Workspace ws = m_ws;
    ws.transfers = &queue;
    DatasetsPane pane;
    pane.resize(1000, 600);
    pane.setWorkspace(ws);
    pane.show();
    ASSERT_TRUE(loaded(pane));

    const auto dropOn = [&](const api::Dataset &d, std::optional<MessageBox::Clash> answer) {
        MessageBox::setNextClash(answer);
        const Drag result = drag(pane, dropped, rowPoint(pane, d.id), rowPoint(pane, d.id));
        EXPECT_TRUE(result.enter && result.move && result.drop);
        // Asked once, about a.txt only.
        EXPECT_TRUE(pf::test::spinUntil(
            [&] { return MessageBox::lastQuestion().contains(u"“%1”"_s.arg(d.name)); }, 20000));
        EXPECT_EQ(MessageBox::lastQuestion(),
                  u"1 of the 2 files is already in “%1”.\n\na.txt"_s.arg(d.name));
    };

    dropOn(replace, MessageBox::Clash::Replace);
    waitForUpload(queue, replace.id);
    EXPECT_EQ(listing(replace.id), sorted({u"a.txt 10"_s, u"b.txt 3"_s, u"c.txt 1"_s}));

    dropOn(skip, MessageBox::Clash::Skip);
    waitForUpload(queue, skip.id);
    EXPECT_EQ(listing(skip.id), sorted({u"a.txt 3"_s, u"b.txt 3"_s, u"c.txt 1"_s}));

    dropOn(both, MessageBox::Clash::KeepBoth);
    waitForUpload(queue, both.id);
    EXPECT_EQ(listing(both.id),
              sorted({u"a (1).txt 10"_s, u"a.txt 3"_s, u"b.txt 3"_s, u"c.txt 1"_s}));

    const qsizetype queued = queue.transfers().size();
    dropOn(cancel, std::nullopt);
    // A round trip to the server, for anything the pane would still send.
    EXPECT_EQ(listing(cancel.id), sorted({u"a.txt 3"_s, u"b.txt 3"_s}));
    EXPECT_EQ(queue.transfers().size(), queued);
}

// A linked dataset's files stay in its bucket: a drag over its row is
// refused (the status bar says why, once), the selection stays, a drop there
// adds nothing and says why; dropped beside the rows, the same file still
// becomes a new dataset. Add Files is off while the linked one is selected.
TEST_F(DatasetsPaneTest, ALinkedDatasetsRowRefusesADropAndSaysWhy)
{
    api::StoredFile listed;
    listed.name = listed.path = u"x.csv"_s;
    listed.size = 5;
    listed.mtime = QDateTime(QDate(2026, 11, 22), QTime(6, 45), Qt::UTC);
    const auto remote = waitFor<api::Dataset>([&](auto d) {
        m_api->createDataset(m_ws.projectId,
                             {{u"name"_s, u"remote"_s},
                              {u"vendor"_s, u"gcp"_s},
                              {u"storage_name"_s, u"bucket"_s},
                              {u"files"_s, QJsonArray{listed.toJson()}}},
                             d);
    });
    ASSERT_API_OK(remote);
    ASSERT_TRUE(remote.value.isLinked());
    const api::Dataset stored = makeDataset(u"stored"_s, {{u"s.txt"_s, "s"}});
    QTemporaryDir work;
    writeFile(work.filePath(u"new.csv"_s), "a,b\n");
    network::TransferQueue queue(m_api.get(), work.filePath(u"transfers"_s));
    pf::models::Workspace ws = m_ws;
    ws.transfers = &queue;
    DatasetsPane pane;
    pane.resize(1000, 600);
    pane.setWorkspace(ws);
    pane.show();
    ASSERT_TRUE(loaded(pane));
    auto *addFiles = child<QAction>(pane, u"addFilesAction"_s);
    pane.openItem(QString::number(remote.value.id));
    EXPECT_FALSE(addFiles->isEnabled());
    pane.openItem(QString::number(stored.id));
    EXPECT_TRUE(addFiles->isEnabled());

    QSignalSpy status(&pane, &DatasetsPane::statusMessage);
    const QPoint onRemote = rowPoint(pane, remote.value.id);
    const Drag refused = drag(pane, {work.filePath(u"new.csv"_s)}, onRemote, onRemote);
    // The pane takes the drag (or no move would reach it); the move over
    // the row answers no.
    EXPECT_TRUE(refused.enter);
    EXPECT_FALSE(refused.move);
    EXPECT_FALSE(refused.drop);
    EXPECT_EQ(pane.currentId(), stored.id);
    ASSERT_EQ(status.size(), 1); // once for the row, not per move
    const QString why = status.at(0).at(0).toString();
    EXPECT_TRUE(why.contains(u"“remote” is linked to Google Cloud"_s)) << why.toStdString();
    auto *message = child<pf::ui::InlineMessage>(pane, u"inlineMessage"_s);
    EXPECT_TRUE(message->isVisible());
    EXPECT_EQ(message->text(), why);

    // A round trip to the server, for anything the pane would still send.
    EXPECT_EQ(listing(remote.value.id), QStringList{u"x.csv 5"_s});
    EXPECT_TRUE(queue.transfers().isEmpty());
    const auto two =
        waitFor<QList<api::Dataset>>([&](auto d) { m_api->datasets(m_ws.projectId, d); });
    ASSERT_API_OK(two);
    EXPECT_EQ(two.value.size(), 2);

    // Beside the rows: a new dataset, as on an empty pane.
    MessageBox::setNextText(u"from-beside"_s);
    const Drag beside =
        drag(pane, {work.filePath(u"new.csv"_s)}, besideRows(pane), besideRows(pane));
    EXPECT_TRUE(beside.enter && beside.move && beside.drop);
    ASSERT_TRUE(pf::test::spinUntil([&] { return queue.transfers().size() == 1; }, 20000));
    const qint64 made = queue.transfers().first().target.datasetId;
    EXPECT_NE(made, remote.value.id);
    EXPECT_NE(made, stored.id);
    waitForUpload(queue, made);
    EXPECT_EQ(listing(made), QStringList{u"new.csv 4"_s});
    EXPECT_EQ(listing(remote.value.id), QStringList{u"x.csv 5"_s});
}

// Empty files in a dropped folder are uploaded (listed at 0 bytes, the
// dataset active), and each is named to the user in the inline message.
TEST_F(DatasetsPaneTest, EmptyFilesAreUploadedAndEachIsNamed)
{
    QTemporaryDir work;
    const QString folder = work.filePath(u"with-empty"_s);
    writeFile(folder + u"/data.bin"_s, QByteArray(64, 'd'));
    writeFile(folder + u"/empty.txt"_s, {});
    writeFile(folder + u"/sub/also-empty.dat"_s, {});
    network::TransferQueue queue(m_api.get(), work.filePath(u"transfers"_s));
    pf::models::Workspace ws = m_ws;
    ws.transfers = &queue;
    DatasetsPane pane;
    pane.resize(1000, 600);
    pane.setWorkspace(ws);
    pane.show();
    ASSERT_TRUE(loaded(pane));
    auto *state = child<pf::ui::StatePage>(pane, u"statePage"_s);
    EXPECT_TRUE(state->hint().contains(u"Drag a folder or files here"_s))
        << state->hint().toStdString();

    MessageBox::setNextText(u"with-empty"_s);
    const QPoint at(300, 300);
    const Drag dropped = drag(pane, {folder}, at, at);
    EXPECT_TRUE(dropped.enter && dropped.move && dropped.drop);
    ASSERT_TRUE(pf::test::spinUntil([&] { return queue.transfers().size() == 1; }, 20000));
    auto *message = child<pf::ui::InlineMessage>(pane, u"inlineMessage"_s);
    EXPECT_TRUE(message->isVisible());
    EXPECT_TRUE(message->text().contains(folder + u"/empty.txt is empty"_s))
        << message->text().toStdString();
    EXPECT_TRUE(message->text().contains(folder + u"/sub/also-empty.dat is empty"_s))
        << message->text().toStdString();
    EXPECT_FALSE(message->text().contains(u"data.bin"_s)) << message->text().toStdString();

    const qint64 id = queue.transfers().first().target.datasetId;
    waitForUpload(queue, id);
    EXPECT_EQ(listing(id), sorted({u"data.bin 64"_s, u"empty.txt 0"_s, u"sub/also-empty.dat 0"_s}));
    const auto d = waitFor<api::Dataset>([&](auto done) { m_api->dataset(id, done); });
    ASSERT_API_OK(d);
    EXPECT_TRUE(d.value.active);
    EXPECT_EQ(d.value.name, u"with-empty"_s);
}
