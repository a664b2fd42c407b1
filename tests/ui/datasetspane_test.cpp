// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// DatasetsPane offscreen against a real pfd: the list, the selected
// dataset's file tree and metadata, rename (F2), metadata edit with
// validation, delete a dataset with Del after confirming, roles, the empty
// state, palette items, and the link dialog (credentials of the vendor, the
// server's refusal shown in the dialog). PF_SHOTS_DIR=dir saves screenshots.

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
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
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
    EXPECT_TRUE(state->hint().contains(u"comes with transfers"_s));
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
    for (const QString &name : {u"linkDatasetAction"_s, u"renameDatasetAction"_s,
                                u"editMetadataAction"_s, u"deleteDatasetAction"_s}) {
        auto *action = child<QAction>(pane, name);
        ASSERT_NE(action, nullptr);
        EXPECT_FALSE(action->isEnabled()) << name.toStdString();
        EXPECT_FALSE(action->shortcut().isEmpty()) << name.toStdString();
        EXPECT_TRUE(pane.actions().contains(action)) << name.toStdString();
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
        big.write(QByteArray(17 * 1024 * 1024, 'w'));
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
