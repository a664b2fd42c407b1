// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// The Transfers panel over a real queue and loopback pfd: an upload and a
// download in their rows (↑, ↓), the desktop notification when one ends or
// stops on a failure, Retry for a failed transfer, Show Files for a finished
// download, and the "at once" setting reaching the queue and the settings.
// With PF_SHOTS_DIR set, the panel is saved light and dark.

#include <gtest/gtest.h>

#include <QDir>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>

#include "models/transfersmodel.h"
#include "network/transferqueue.h"
#include "tests/support/apiwait.h"
#include "tests/support/workspacefixture.h"
#include "ui/theme.h"
#include "ui/transfers/transferspanel.h"

using namespace Qt::StringLiterals;
using pf::models::TransfersModel;
using pf::network::TransferQueue;
using pf::test::waitFor;
using pf::ui::TransfersPanel;

namespace {

class TransfersPanelTest : public pf::test::WorkspaceFixture
{
protected:
    TransfersPanelTest()
        : WorkspaceFixture(u"xferpanel"_s)
    {
        TransfersPanel::setLongTransferMs(0); // every transfer counts as long
    }
    ~TransfersPanelTest() override { TransfersPanel::setLongTransferMs(10000); }

    qint64 newDataset(const QString &name)
    {
        const auto d = waitFor<pf::api::Dataset>([&](auto done) {
            m_api->createDataset(m_ws.projectId,
                                 {{u"name"_s, name}, {u"vendor"_s, u"fai"_s}, {u"active"_s, false}},
                                 done);
        });
        EXPECT_API_OK(d);
        return d.value.id;
    }

    static void writeFile(const QString &path, const QByteArray &bytes)
    {
        QDir().mkpath(QFileInfo(path).path());
        QFile f(path);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write(bytes);
    }

    static bool ended(const TransferQueue &queue, const QString &id)
    {
        const TransferQueue::Transfer *t = queue.transfer(id);
        return t && t->state != TransferQueue::State::Running;
    }

    template <typename T>
    static T *child(const QObject &parent, const QString &name)
    {
        T *found = parent.findChild<T *>(name);
        EXPECT_NE(found, nullptr) << name.toStdString();
        return found;
    }

    static QPushButton *button(const TransfersPanel &panel, const QString &text)
    {
        for (QPushButton *b : panel.findChildren<QPushButton *>())
            if (b->text() == text)
                return b;
        return nullptr;
    }
};

} // namespace

TEST_F(TransfersPanelTest, UploadsAndDownloadsWithTheirNotificationsAndButtons)
{
    QTemporaryDir work;
    const QString folder = work.filePath(u"cifar"_s);
    writeFile(folder + u"/labels.csv"_s, "cat,0\ndog,1\n");
    writeFile(folder + u"/train/batch.bin"_s, QByteArray(300000, 'b'));
    const qint64 id = newDataset(u"cifar"_s);
    TransferQueue queue(m_api.get(), work.filePath(u"state"_s));
    TransfersPanel panel;
    panel.resize(1000, 220);
    panel.setQueue(&queue);
    panel.show();

    // "At once" reaches the queue and the settings.
    auto *atOnce = child<QSpinBox>(panel, u"concurrency"_s);
    ASSERT_NE(atOnce, nullptr);
    const int saved = atOnce->value();
    atOnce->setValue(saved == 3 ? 5 : 3);
    const int chosen = atOnce->value();
    EXPECT_EQ(queue.maxRequests(), chosen);
    EXPECT_EQ(QSettings().value(u"transfers/maxRequests"_s).toInt(), chosen);

    QStringList problems;
    const QString up =
        queue.upload(TransferQueue::Target::dataset(id), u"cifar"_s,
                     TransferQueue::filesToUpload({folder}, &problems), {{u"active"_s, true}});
    ASSERT_TRUE(pf::test::spinUntil([&] { return ended(queue, up); }, 60000));
    ASSERT_EQ(queue.transfer(up)->state, TransferQueue::State::Done);
    EXPECT_EQ(TransfersPanel::lastNotification(),
              u"Upload of cifar finished\n2 files, 293.0 KiB"_s);
    const TransfersModel *model = panel.model();
    ASSERT_EQ(model->rowCount(), 1);
    EXPECT_EQ(model->index(0, TransfersModel::Name).data().toString(), u"\u2191 cifar"_s);

    // Down again into another folder: ↓, and Show Files once it is done.
    QList<TransferQueue::File> files;
    for (const auto &[local, remote] : TransferQueue::filesToUpload({folder}, &problems)) {
        TransferQueue::File f;
        f.remotePath = remote;
        f.localPath = work.filePath(u"out/"_s) + remote;
        f.size = QFileInfo(local).size();
        files.append(f);
    }
    const QString down = queue.download(TransferQueue::Target::dataset(id), u"cifar"_s, files);
    ASSERT_TRUE(pf::test::spinUntil([&] { return ended(queue, down); }, 60000));
    ASSERT_EQ(queue.transfer(down)->state, TransferQueue::State::Done)
        << queue.transfer(down)->reason.toStdString();
    EXPECT_EQ(TransfersPanel::lastNotification(),
              u"Download of cifar finished\n2 files, 293.0 KiB"_s);
    ASSERT_EQ(model->rowCount(), 2);
    EXPECT_EQ(model->index(1, TransfersModel::Name).data().toString(), u"\u2193 cifar"_s);
    EXPECT_TRUE(model->index(1, TransfersModel::Name)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(work.filePath(u"out"_s)));
    panel.view()->selectRow(1);
    QPushButton *show = button(panel, u"Show Files"_s);
    ASSERT_NE(show, nullptr);
    EXPECT_TRUE(show->isVisible());
    EXPECT_TRUE(show->isEnabled());
    panel.view()->selectRow(0); // an upload has no files here to show
    EXPECT_FALSE(show->isVisible());

    // A file gone before it is sent: the transfer stops with the reason,
    // the desktop is told, and Resume reads Retry.
    const QString gone = work.filePath(u"gone/weights.bin"_s);
    writeFile(gone, QByteArray(1000, 'w'));
    const QString failing = queue.upload(TransferQueue::Target::dataset(id), u"weights"_s,
                                         {{gone, u"weights.bin"_s}}, {});
    QFile::remove(gone);
    ASSERT_TRUE(pf::test::spinUntil([&] { return ended(queue, failing); }, 60000));
    EXPECT_EQ(queue.transfer(failing)->state, TransferQueue::State::Paused);
    EXPECT_TRUE(TransfersPanel::lastNotification().startsWith(
        u"Upload of weights stopped: Cannot read %1"_s.arg(gone)))
        << TransfersPanel::lastNotification().toStdString();
    panel.view()->selectRow(2);
    EXPECT_NE(button(panel, u"Retry"_s), nullptr);
    EXPECT_EQ(button(panel, u"Resume"_s), nullptr);
    EXPECT_EQ(model->index(2, TransfersModel::State).data().toString(),
              u"Paused: Cannot read %1 (no such file or directory): it was moved, deleted or made "
              "unreadable."_s.arg(gone));
    // Paused by the user, it is Resume again.
    writeFile(gone, QByteArray(1000, 'w'));
    queue.resume(failing);
    queue.pause(failing);
    EXPECT_NE(button(panel, u"Resume"_s), nullptr);

    if (const QString dir = qEnvironmentVariable("PF_SHOTS_DIR"); !dir.isEmpty()) {
        QDir().mkpath(dir);
        for (const auto theme : {pf::ui::Theme::Light, pf::ui::Theme::Dark}) {
            pf::ui::applyTheme(theme);
            QCoreApplication::processEvents();
            panel.grab().save(dir + (theme == pf::ui::Theme::Light
                                         ? u"/transfers-panel-light.png"_s
                                         : u"/transfers-panel-dark.png"_s));
        }
        pf::ui::applyTheme(pf::ui::Theme::Light);
    }
    queue.cancel(failing);
    atOnce->setValue(saved); // the setting as it was, for the tests after this one
}
