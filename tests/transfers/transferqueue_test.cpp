// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// TransferQueue against a loopback pfd: a folder of a thousand small files
// and a 1 GiB one, byte for byte; a queue killed (SIGKILL, in a process of
// its own) mid-upload and started again sends only the parts it had not
// finished; a pfd that fails every third part PUT; cancel leaves nothing on
// the server; a file that changes while it is sent pauses the upload.

#include <csignal>
#include <random>

#include <gtest/gtest.h>

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "network/transferqueue.h"
#include "tests/support/apiwait.h"
#include "tests/support/workspacefixture.h"

using namespace Qt::StringLiterals;
using pf::network::TransferQueue;
using pf::test::waitFor;
namespace api = pf::api;

namespace {

constexpr qint64 kMiB = 1024 * 1024;

// Writes `size` bytes of a pattern that differs by `seed` (and by position,
// so that misplaced parts show), in 1 MiB writes.
void writeFile(const QString &path, qint64 size, quint32 seed)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    std::mt19937_64 random(seed);
    QByteArray block(kMiB, Qt::Uninitialized);
    for (qint64 done = 0; done < size;) {
        auto *words = reinterpret_cast<quint64 *>(block.data());
        for (qsizetype i = 0; i < block.size() / 8; ++i)
            words[i] = random();
        const qint64 n = std::min<qint64>(block.size(), size - done);
        ASSERT_EQ(f.write(block.constData(), n), n);
        done += n;
    }
}

QByteArray md5Of(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash h(QCryptographicHash::Md5);
    h.addData(&f);
    return h.result().toHex();
}

QList<std::pair<QString, QString>> filesOf(const QString &folder)
{
    QList<std::pair<QString, QString>> files;
    const QDir dir(folder);
    QDirIterator it(folder, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        files.append({it.next(), dir.relativeFilePath(it.filePath())});
    return files;
}

class TransferQueueTest : public pf::test::WorkspaceFixture
{
protected:
    TransferQueueTest()
        : WorkspaceFixture(u"xfer"_s)
    {}

    qint64 newDataset(const QString &name)
    {
        const auto d = waitFor<api::Dataset>([&](auto done) {
            m_api->createDataset(m_ws.projectId,
                                 {{u"name"_s, name}, {u"vendor"_s, u"fai"_s}, {u"active"_s, false}},
                                 done);
        });
        EXPECT_API_OK(d);
        return d.value.id;
    }

    QString storedPath(qint64 datasetId, const QString &path) const
    {
        return s_pfd->dataDir() + u"/objects/data/projects/"_s + m_ws.projectId +
               u"/datasets/%1/"_s.arg(datasetId) + path;
    }

    static qint64 bytesInUploads()
    {
        qint64 total = 0;
        QDirIterator it(s_pfd->dataDir() + u"/objects/uploads"_s, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            it.next();
            total += it.fileInfo().size();
        }
        return total;
    }

    // Every file of `folder` is in the dataset, active, byte for byte.
    void expectUploaded(qint64 datasetId, const QString &folder)
    {
        const auto d = waitFor<api::Dataset>([&](auto done) { m_api->dataset(datasetId, done); });
        ASSERT_API_OK(d);
        EXPECT_TRUE(d.value.active);
        const auto files = filesOf(folder);
        ASSERT_EQ(d.value.files.size(), files.size());
        QHash<QString, qint64> listed;
        for (const api::StoredFile &f : d.value.files)
            listed.insert(f.path, f.size);
        for (const auto &[local, remote] : files) {
            EXPECT_EQ(listed.value(remote, -1), QFileInfo(local).size()) << remote.toStdString();
            EXPECT_EQ(md5Of(storedPath(datasetId, remote)), md5Of(local)) << remote.toStdString();
        }
        EXPECT_EQ(bytesInUploads(), 0);
    }

    static TransferQueue::State waitForEnd(TransferQueue &queue, const QString &id, int ms)
    {
        (void)pf::test::spinUntil(
            [&] {
                const TransferQueue::Transfer *t = queue.transfer(id);
                return t && t->state != TransferQueue::State::Running;
            },
            ms);
        return queue.transfer(id)->state;
    }
};

} // namespace

TEST(TransferQueuePartSize, AFileOf5GiBHasAFewHundredParts)
{
    EXPECT_EQ(TransferQueue::partCount(16 * kMiB), 0); // one PUT
    EXPECT_EQ(TransferQueue::partCount(16 * kMiB + 1), 2);
    EXPECT_EQ(TransferQueue::partSizeFor(1024 * kMiB), 16 * kMiB);
    EXPECT_EQ(TransferQueue::partCount(5 * 1024 * kMiB), 320);
    // Larger files get larger parts, never more than 320 nor over 200 MiB.
    EXPECT_LE(TransferQueue::partCount(50 * 1024 * kMiB), 320);
    EXPECT_EQ(TransferQueue::partSizeFor(500 * 1024 * kMiB), 200 * kMiB);
}

TEST_F(TransferQueueTest, AThousandSmallFilesAndOneOf1GiB)
{
    QTemporaryDir work;
    const QString folder = work.filePath(u"cifar"_s);
    for (int i = 0; i < 1000; ++i)
        writeFile(u"%1/train/%2/img-%3.bin"_s.arg(folder).arg(i % 10).arg(i), (i * 37) % 4096,
                  quint32(i)); // 0 to 4 KiB, empty ones among them
    writeFile(folder + u"/big.bin"_s, 1024 * kMiB, 7);
    const qint64 id = newDataset(u"cifar"_s);
    TransferQueue queue(m_api.get(), work.filePath(u"state"_s));
    const QString t = queue.upload(TransferQueue::Target::dataset(id), u"cifar"_s, filesOf(folder),
                                   {{u"active"_s, true}});
    EXPECT_EQ(
        queue.transfer(t)->totalBytes(), QFileInfo(folder + u"/big.bin"_s).size() + [&] {
            qint64 n = 0;
            for (int i = 0; i < 1000; ++i)
                n += (i * 37) % 4096;
            return n;
        }());
    ASSERT_EQ(waitForEnd(queue, t, 300000), TransferQueue::State::Done)
        << queue.transfer(t)->reason.toStdString();
    EXPECT_EQ(queue.transfer(t)->filesDone(), 1001);
    EXPECT_EQ(queue.transfer(t)->bytesDone(), queue.transfer(t)->totalBytes());
    // 1000 single PUTs and the big file's 64 parts, nothing sent twice.
    EXPECT_EQ(queue.putsSent(), 1000 + 64);
    expectUploaded(id, folder);
}

// The queue in a process of its own, killed once it has finished some of a
// 512 MiB file's parts; a queue started on the same state sends only the
// parts it had not finished.
TEST_F(TransferQueueTest, KilledMidUploadResumesWithoutResendingFinishedParts)
{
    QTemporaryDir work;
    const QString folder = work.filePath(u"ckpt"_s);
    writeFile(folder + u"/model.bin"_s, 512 * kMiB, 3);
    writeFile(folder + u"/config.json"_s, 1000, 4);
    const qint64 id = newDataset(u"ckpt"_s);
    const QString state = work.filePath(u"state"_s);
    QProcess helper;
    helper.setProcessChannelMode(QProcess::ForwardedChannels);
    helper.start(QStringLiteral(PF_TRANSFER_HELPER),
                 {u"http://127.0.0.1:%1"_s.arg(s_pfd->port()), m_user.token, m_user.refresh, state,
                  QString::number(id), folder});
    ASSERT_TRUE(helper.waitForStarted());
    // Killed once the journal says that at least 8 of the 32 parts are done.
    const auto partsJournalled = [&] {
        QFile j(state + u"/transfers.journal"_s);
        if (!j.open(QIODevice::ReadOnly))
            return 0;
        return int(j.readAll().count("\"p\":"));
    };
    ASSERT_TRUE(pf::test::spinUntil([&] { return partsJournalled() >= 8; }, 120000));
    ::kill(pid_t(helper.processId()), SIGKILL);
    ASSERT_TRUE(helper.waitForFinished());
    ASSERT_LT(partsJournalled(), 32) << "finished before it was killed";

    TransferQueue queue(m_api.get(), state);
    ASSERT_EQ(queue.transfers().size(), 1);
    const TransferQueue::Transfer before = queue.transfers().first();
    int partsDone = 0;
    int filesLeft = 0;
    for (const TransferQueue::File &f : before.files) {
        for (const QString &etag : f.partEtags)
            partsDone += !etag.isEmpty();
        filesLeft += !f.done;
    }
    EXPECT_GE(partsDone, 8);
    ASSERT_EQ(waitForEnd(queue, before.id, 300000), TransferQueue::State::Done)
        << queue.transfer(before.id)->reason.toStdString();
    // The missing parts, and config.json if it was not done: no more.
    const bool configDone = std::any_of(before.files.begin(), before.files.end(), [](auto &f) {
        return f.remotePath == u"config.json"_s && f.done;
    });
    EXPECT_EQ(queue.putsSent(), (32 - partsDone) + (configDone ? 0 : 1));
    EXPECT_GE(filesLeft, 1);
    expectUploaded(id, folder);
}

// The studio closed mid-upload (the queue destroyed with PUTs in flight):
// the next start goes on from the parts that were done.
TEST_F(TransferQueueTest, ClosedMidUploadGoesOnAtTheNextStart)
{
    QTemporaryDir work;
    const QString folder = work.filePath(u"closed"_s);
    writeFile(folder + u"/shard.bin"_s, 160 * kMiB, 11); // 10 parts
    const qint64 id = newDataset(u"closed"_s);
    const QString state = work.filePath(u"state"_s);
    int partsDone = 0;
    {
        TransferQueue queue(m_api.get(), state);
        const QString t = queue.upload(TransferQueue::Target::dataset(id), u"closed"_s,
                                       filesOf(folder), {{u"active"_s, true}});
        const auto done = [&] {
            const auto &etags = queue.transfer(t)->files.first().partEtags;
            return int(std::count_if(etags.begin(), etags.end(),
                                     [](const QString &e) { return !e.isEmpty(); }));
        };
        ASSERT_TRUE(pf::test::spinUntil([&] { return done() >= 3; }, 120000));
        partsDone = done();
        ASSERT_LT(partsDone, 10);
    }
    TransferQueue again(m_api.get(), state);
    ASSERT_EQ(again.transfers().size(), 1);
    const QString t = again.transfers().first().id;
    ASSERT_EQ(waitForEnd(again, t, 120000), TransferQueue::State::Done)
        << again.transfer(t)->reason.toStdString();
    EXPECT_EQ(again.putsSent(), 10 - partsDone);
    expectUploaded(id, folder);
}

TEST_F(TransferQueueTest, CancelLeavesNothingOnTheServer)
{
    QTemporaryDir work;
    const QString folder = work.filePath(u"gone"_s);
    writeFile(folder + u"/a.bin"_s, 256 * kMiB, 5);
    writeFile(folder + u"/b.txt"_s, 10, 6);
    const qint64 id = newDataset(u"gone"_s);
    TransferQueue queue(m_api.get(), work.filePath(u"state"_s));
    queue.setMaxRequests(1);
    const QString t = queue.upload(TransferQueue::Target::dataset(id), u"gone"_s, filesOf(folder),
                                   {{u"active"_s, true}}, true);
    // Some parts in: an open upload with bytes on the server.
    ASSERT_TRUE(pf::test::spinUntil(
        [&] {
            for (const auto &f : queue.transfer(t)->files)
                if (std::count_if(f.partEtags.begin(), f.partEtags.end(),
                                  [](const QString &e) { return !e.isEmpty(); }) >= 2)
                    return true;
            return false;
        },
        120000));
    EXPECT_GT(bytesInUploads(), 0);
    QSignalSpy finished(&queue, &TransferQueue::finished);
    queue.cancel(t);
    EXPECT_EQ(queue.transfer(t)->state, TransferQueue::State::Cancelled);
    EXPECT_EQ(finished.size(), 1);
    // The abort and the dataset's deletion reach pfd.
    ASSERT_TRUE(pf::test::spinUntil(
        [&] {
            const auto d = waitFor<api::Dataset>([&](auto done) { m_api->dataset(id, done); });
            return d.result.status == 404 && bytesInUploads() == 0;
        },
        30000))
        << bytesInUploads() << s_pfd->log().right(2500).toStdString();
    EXPECT_FALSE(QFileInfo::exists(storedPath(id, u"b.txt"_s)));
}

// A file written to while it is sent: the transfer pauses and says which;
// resumed, the file goes again, as it is now.
TEST_F(TransferQueueTest, AFileThatChangesWhileSentPausesTheTransfer)
{
    QTemporaryDir work;
    const QString folder = work.filePath(u"live"_s);
    const QString growing = folder + u"/growing.bin"_s;
    writeFile(growing, 64 * kMiB, 8);
    const qint64 id = newDataset(u"live"_s);
    TransferQueue queue(m_api.get(), work.filePath(u"state"_s));
    queue.setMaxRequests(1);
    const QString t = queue.upload(TransferQueue::Target::dataset(id), u"live"_s, filesOf(folder),
                                   {{u"active"_s, true}});
    bool appended = false;
    QObject::connect(&queue, &TransferQueue::changed, &queue, [&] {
        if (appended)
            return;
        appended = true;
        QFile f(growing);
        ASSERT_TRUE(f.open(QIODevice::Append));
        f.write(QByteArray(1000, 'x'));
    });
    ASSERT_EQ(waitForEnd(queue, t, 120000), TransferQueue::State::Paused);
    EXPECT_TRUE(queue.transfer(t)->reason.contains(growing))
        << queue.transfer(t)->reason.toStdString();
    EXPECT_TRUE(queue.transfer(t)->reason.contains(u"changed"_s));
    queue.resume(t);
    ASSERT_EQ(waitForEnd(queue, t, 120000), TransferQueue::State::Done)
        << queue.transfer(t)->reason.toStdString();
    expectUploaded(id, folder);
    EXPECT_EQ(QFileInfo(storedPath(id, u"growing.bin"_s)).size(), 64 * kMiB + 1000);
}

// A pfd that answers every third part PUT with 503: each is tried again
// and the upload completes, the file whole.
class FailingServerTest : public TransferQueueTest
{
protected:
    static void SetUpTestSuite() { startPfd(kConfig + u"testing:\n  fail_part_puts_every: 3\n"_s); }
};

TEST_F(FailingServerTest, EveryThirdPartPutFailsAndTheUploadStillCompletes)
{
    QTemporaryDir work;
    const QString folder = work.filePath(u"flaky"_s);
    writeFile(folder + u"/weights.bin"_s, 200 * kMiB, 9); // 13 parts
    const qint64 id = newDataset(u"flaky"_s);
    TransferQueue queue(m_api.get(), work.filePath(u"state"_s));
    const QString t = queue.upload(TransferQueue::Target::dataset(id), u"flaky"_s, filesOf(folder),
                                   {{u"active"_s, true}});
    ASSERT_EQ(waitForEnd(queue, t, 300000), TransferQueue::State::Done)
        << queue.transfer(t)->reason.toStdString() << " puts " << queue.putsSent() << " done "
        << queue.transfer(t)->bytesDone() << "\n"
        << s_pfd->log().right(3000).toStdString();
    // 13 parts succeeded; every third PUT failed and was sent again.
    EXPECT_GE(queue.putsSent(), 13 + 13 / 2);
    expectUploaded(id, folder);
}
