// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// TransferQueue against a loopback pfd: a folder of a thousand small files
// and a 1 GiB one, byte for byte; a queue killed (SIGKILL, in a process of
// its own) mid-upload and started again sends only the parts it had not
// finished; a pfd that fails every third part PUT; cancel leaves nothing on
// the server; a file that changes while it is sent pauses the upload.
// Downloads: a dataset byte for byte (whole GETs, ranges checked against a
// multipart ETag and against a plain MD5); a queue killed mid-download and
// started again fetches only the missing ranges; a damaged .part file is
// caught when the queue starts again; cancel leaves no .part files;
// hostile paths and damaged state files.

#include <csignal>
#include <random>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
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

// Parts (or ranges) done, of every file.
int rangesDone(const TransferQueue::Transfer &t)
{
    int n = 0;
    for (const TransferQueue::File &f : t.files)
        n += int(std::count_if(f.partEtags.begin(), f.partEtags.end(),
                               [](const QString &e) { return !e.isEmpty(); }));
    return n;
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

    // A dataset with `folder`'s files, uploaded through the queue.
    qint64 uploaded(const QString &name, const QString &folder, const QString &stateDir)
    {
        const qint64 id = newDataset(name);
        TransferQueue queue(m_api.get(), stateDir);
        const QString t = queue.upload(TransferQueue::Target::dataset(id), name, filesOf(folder),
                                       {{u"active"_s, true}});
        EXPECT_EQ(waitForEnd(queue, t, 300000), TransferQueue::State::Done)
            << queue.transfer(t)->reason.toStdString();
        return id;
    }

    // The dataset's files, to be downloaded under `folder`.
    QList<TransferQueue::File> filesToFetch(qint64 datasetId, const QString &folder)
    {
        const auto d = waitFor<api::Dataset>([&](auto done) { m_api->dataset(datasetId, done); });
        EXPECT_API_OK(d);
        QList<TransferQueue::File> files;
        for (const api::StoredFile &s : d.value.files) {
            TransferQueue::File f;
            f.remotePath = s.path;
            f.localPath = folder + u'/' + s.path;
            f.size = s.size;
            f.mtimeMs = s.mtime.toMSecsSinceEpoch();
            files.append(f);
        }
        return files;
    }

    // `got` holds `want`'s files byte for byte, and nothing else.
    static void expectSameFolder(const QString &want, const QString &got)
    {
        const auto wanted = filesOf(want);
        const auto have = filesOf(got);
        EXPECT_EQ(have.size(), wanted.size());
        for (const auto &[local, remote] : wanted) {
            const QString copy = got + u'/' + remote;
            EXPECT_EQ(QFileInfo(copy).size(), QFileInfo(local).size()) << remote.toStdString();
            EXPECT_EQ(md5Of(copy), md5Of(local)) << remote.toStdString();
        }
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
    // finished() once pfd has aborted the upload and deleted the dataset.
    ASSERT_TRUE(pf::test::spinUntil([&] { return finished.size() == 1; }, 30000));
    const auto d = waitFor<api::Dataset>([&](auto done) { m_api->dataset(id, done); });
    EXPECT_EQ(d.result.status, 404);
    EXPECT_EQ(bytesInUploads(), 0) << s_pfd->log().right(2500).toStdString();
    EXPECT_FALSE(QFileInfo::exists(storedPath(id, u"b.txt"_s)));
}

// Two uploads into one dataset at the same time (two studios, say): each
// records its files beside what the dataset has when it finishes, so
// neither drops the other's.
TEST_F(TransferQueueTest, TwoUploadsIntoOneDatasetKeepEachOthersFiles)
{
    QTemporaryDir work;
    writeFile(work.filePath(u"first/a.bin"_s), 1000, 51);
    writeFile(work.filePath(u"second/b.bin"_s), 40 * kMiB, 52);
    writeFile(work.filePath(u"third/c.bin"_s), 40 * kMiB, 53);
    const qint64 id = uploaded(u"shared"_s, work.filePath(u"first"_s), work.filePath(u"up"_s));
    TransferQueue one(m_api.get(), work.filePath(u"one"_s));
    TransferQueue two(m_api.get(), work.filePath(u"two"_s));
    const QString t1 = one.upload(TransferQueue::Target::dataset(id), u"b"_s,
                                  filesOf(work.filePath(u"second"_s)), {});
    const QString t2 = two.upload(TransferQueue::Target::dataset(id), u"c"_s,
                                  filesOf(work.filePath(u"third"_s)), {});
    ASSERT_EQ(waitForEnd(one, t1, 120000), TransferQueue::State::Done);
    ASSERT_EQ(waitForEnd(two, t2, 120000), TransferQueue::State::Done);
    const auto d = waitFor<api::Dataset>([&](auto done) { m_api->dataset(id, done); });
    ASSERT_API_OK(d);
    QStringList paths;
    for (const api::StoredFile &f : d.value.files)
        paths << u"%1 %2"_s.arg(f.path).arg(f.size);
    paths.sort();
    EXPECT_EQ(paths, (QStringList{u"a.bin 1000"_s, u"b.bin %1"_s.arg(40 * kMiB),
                                  u"c.bin %1"_s.arg(40 * kMiB)}));
}

// Cancelled while adding to a dataset that was there before: the dataset
// stays, listing the files that arrived (one replaced at its new size), and
// nothing of the rest is left on the server.
TEST_F(TransferQueueTest, CancelledAddKeepsTheDatasetAndListsWhatArrived)
{
    QTemporaryDir work;
    writeFile(work.filePath(u"first/a.bin"_s), 1000, 61);
    const qint64 id = uploaded(u"kept"_s, work.filePath(u"first"_s), work.filePath(u"up"_s));
    writeFile(work.filePath(u"more/a.bin"_s), 2000, 62);            // replaces a.bin
    writeFile(work.filePath(u"more/zz-big.bin"_s), 160 * kMiB, 63); // in parts, after it
    TransferQueue queue(m_api.get(), work.filePath(u"state"_s));
    queue.setMaxRequests(1);
    QList<std::pair<QString, QString>> files = filesOf(work.filePath(u"more"_s));
    std::sort(files.begin(), files.end(), [](auto &x, auto &y) { return x.second < y.second; });
    const QString t = queue.upload(TransferQueue::Target::dataset(id), u"more"_s, files, {});
    ASSERT_TRUE(pf::test::spinUntil([&] { return rangesDone(*queue.transfer(t)) >= 2; }, 120000));
    ASSERT_TRUE(queue.transfer(t)->files.first().done);
    QSignalSpy finished(&queue, &TransferQueue::finished);
    queue.cancel(t);
    ASSERT_TRUE(pf::test::spinUntil([&] { return finished.size() == 1; }, 30000));
    const auto d = waitFor<api::Dataset>([&](auto done) { m_api->dataset(id, done); });
    ASSERT_API_OK(d);
    EXPECT_TRUE(d.value.active);
    ASSERT_EQ(d.value.files.size(), 1);
    EXPECT_EQ(d.value.files.first().path, u"a.bin"_s);
    EXPECT_EQ(d.value.files.first().size, 2000);
    EXPECT_EQ(md5Of(storedPath(id, u"a.bin"_s)), md5Of(work.filePath(u"more/a.bin"_s)));
    EXPECT_FALSE(QFileInfo::exists(storedPath(id, u"zz-big.bin"_s)));
    EXPECT_EQ(bytesInUploads(), 0);
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

// -- downloads ----------------------------------------------------------------

TEST_F(TransferQueueTest, DownloadsADatasetByteForByte)
{
    QTemporaryDir work;
    const QString folder = work.filePath(u"mnist"_s);
    for (int i = 0; i < 30; ++i)
        writeFile(u"%1/digits/%2.bin"_s.arg(folder).arg(i), (i * 997) % 70000, quint32(100 + i));
    writeFile(folder + u"/weights.bin"_s, 100 * kMiB, 12); // 7 parts, 7 ranges
    const qint64 id = uploaded(u"mnist"_s, folder, work.filePath(u"up"_s));

    // One more file of 40 MiB sent in one PUT, as the pf CLI does: its ETag
    // is a plain MD5, checked on a worker thread after its 3 ranges.
    const QString whole = work.filePath(u"whole.bin"_s);
    writeFile(whole, 40 * kMiB, 13);
    const auto urls = waitFor<QList<pf::network::UploadUrl>>(
        [&](auto done) { m_api->datasetUploadUrls(id, {u"whole.bin"_s}, done); });
    ASSERT_API_OK(urls);
    ASSERT_EQ(urls.value.size(), 1);
    {
        QNetworkAccessManager nam;
        QFile body(whole);
        ASSERT_TRUE(body.open(QIODevice::ReadOnly));
        QNetworkRequest put{QUrl(urls.value.first().uploadUrl)};
        put.setHeader(QNetworkRequest::ContentTypeHeader, "application/octet-stream"_ba);
        QNetworkReply *reply = nam.put(put, &body);
        ASSERT_TRUE(pf::test::spinUntil([&] { return reply->isFinished(); }, 60000));
        ASSERT_EQ(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        EXPECT_EQ(reply->rawHeader("ETag"), '"' + md5Of(whole) + '"');
        delete reply;
    }
    const auto listed = filesToFetch(id, work.filePath(u"x"_s));
    QJsonArray files;
    for (const TransferQueue::File &f : listed)
        files.append(api::StoredFile{
            QFileInfo(f.remotePath).fileName(),
            f.remotePath,
            QDateTime::fromMSecsSinceEpoch(f.mtimeMs, Qt::UTC),
            f.size,
            {}}.toJson());
    files.append(api::StoredFile{
        u"whole.bin"_s,
        u"whole.bin"_s,
        QDateTime::fromSecsSinceEpoch(1700000000, Qt::UTC),
        40 * kMiB,
        {}}.toJson());
    ASSERT_API_OK(waitFor<api::Dataset>([&](auto done) {
        m_api->updateDataset(id, {{u"files"_s, files}}, done);
    }));
    ASSERT_TRUE(QFile::rename(whole, folder + u"/whole.bin"_s));

    const QString out = work.filePath(u"out"_s);
    TransferQueue queue(m_api.get(), work.filePath(u"down"_s));
    const QString t =
        queue.download(TransferQueue::Target::dataset(id), u"mnist"_s, filesToFetch(id, out));
    ASSERT_FALSE(t.isEmpty());
    EXPECT_EQ(
        queue.transfer(t)->totalBytes(), 140 * kMiB + [] {
            qint64 n = 0;
            for (int i = 0; i < 30; ++i)
                n += (i * 997) % 70000;
            return n;
        }());
    ASSERT_EQ(waitForEnd(queue, t, 300000), TransferQueue::State::Done)
        << queue.transfer(t)->reason.toStdString();
    EXPECT_EQ(queue.transfer(t)->bytesDone(), queue.transfer(t)->totalBytes());
    // 30 whole GETs, 7 + 3 ranges; nothing fetched twice.
    EXPECT_EQ(queue.getsSent(), 30 + 7 + 3);
    expectSameFolder(folder, out);
    // The server's modification times, and no .part file left.
    EXPECT_EQ(QFileInfo(out + u"/whole.bin"_s).lastModified().toSecsSinceEpoch(), 1700000000);
    QDirIterator parts(out, {u"*.part"_s}, QDir::Files, QDirIterator::Subdirectories);
    EXPECT_FALSE(parts.hasNext());
}

// The queue in a process of its own, killed once some of a 512 MiB file's
// ranges are in; a queue started on the same state fetches only the others,
// and the file's checksum is the original's.
TEST_F(TransferQueueTest, KilledMidDownloadResumesWithTheRightChecksum)
{
    QTemporaryDir work;
    const QString folder = work.filePath(u"ckpt"_s);
    writeFile(folder + u"/model.bin"_s, 512 * kMiB, 21);
    writeFile(folder + u"/config.json"_s, 1000, 22);
    const qint64 id = uploaded(u"ckpt"_s, folder, work.filePath(u"up"_s));
    const QString out = work.filePath(u"out"_s);
    const QString state = work.filePath(u"state"_s);
    QProcess helper;
    helper.setProcessChannelMode(QProcess::ForwardedChannels);
    helper.start(QStringLiteral(PF_TRANSFER_HELPER),
                 {u"http://127.0.0.1:%1"_s.arg(s_pfd->port()), m_user.token, m_user.refresh, state,
                  QString::number(id), out, u"download"_s});
    ASSERT_TRUE(helper.waitForStarted());
    const auto rangesJournalled = [&] {
        QFile j(state + u"/transfers.journal"_s);
        if (!j.open(QIODevice::ReadOnly))
            return 0;
        return int(j.readAll().count("\"p\":"));
    };
    ASSERT_TRUE(pf::test::spinUntil([&] { return rangesJournalled() >= 8; }, 120000));
    ::kill(pid_t(helper.processId()), SIGKILL);
    ASSERT_TRUE(helper.waitForFinished());
    ASSERT_LT(rangesJournalled(), 32) << "finished before it was killed";
    EXPECT_TRUE(QFileInfo::exists(out + u"/model.bin.part"_s));
    EXPECT_FALSE(QFileInfo::exists(out + u"/model.bin"_s));

    TransferQueue queue(m_api.get(), state);
    ASSERT_EQ(queue.transfers().size(), 1);
    const TransferQueue::Transfer before = queue.transfers().first();
    const int done = rangesDone(before);
    EXPECT_GE(done, 8);
    const bool configDone = std::any_of(before.files.begin(), before.files.end(), [](auto &f) {
        return f.remotePath == u"config.json"_s && f.done;
    });
    ASSERT_EQ(waitForEnd(queue, before.id, 300000), TransferQueue::State::Done)
        << queue.transfer(before.id)->reason.toStdString();
    EXPECT_EQ(queue.getsSent(), (32 - done) + (configDone ? 0 : 1));
    expectSameFolder(folder, out);
}

// Bytes of a finished range damaged on disk between two runs: the next run
// hashes the finished ranges again from disk and fetches the damaged one.
TEST_F(TransferQueueTest, ADamagedPartFileIsCaughtAndFetchedAgain)
{
    QTemporaryDir work;
    const QString folder = work.filePath(u"shards"_s);
    writeFile(folder + u"/shard.bin"_s, 160 * kMiB, 31); // 10 ranges
    const qint64 id = uploaded(u"shards"_s, folder, work.filePath(u"up"_s));
    const QString out = work.filePath(u"out"_s);
    const QString state = work.filePath(u"state"_s);
    int done = 0;
    int firstDone = -1;
    {
        TransferQueue queue(m_api.get(), state);
        const QString t =
            queue.download(TransferQueue::Target::dataset(id), u"shards"_s, filesToFetch(id, out));
        ASSERT_TRUE(
            pf::test::spinUntil([&] { return rangesDone(*queue.transfer(t)) >= 3; }, 120000));
        const TransferQueue::File &f = queue.transfer(t)->files.first();
        done = rangesDone(*queue.transfer(t));
        ASSERT_LT(done, 10);
        firstDone = int(std::find_if(f.partEtags.begin(), f.partEtags.end(),
                                     [](const QString &e) { return !e.isEmpty(); }) -
                        f.partEtags.begin());
    }
    {
        QFile part(out + u"/shard.bin.part"_s);
        ASSERT_TRUE(part.open(QIODevice::ReadWrite));
        ASSERT_TRUE(part.seek(qint64(firstDone) * 16 * kMiB + 12345));
        ASSERT_EQ(part.write("damage"), 6);
    }
    TransferQueue again(m_api.get(), state);
    const QString t = again.transfers().first().id;
    ASSERT_EQ(waitForEnd(again, t, 300000), TransferQueue::State::Done)
        << again.transfer(t)->reason.toStdString();
    EXPECT_EQ(again.getsSent(), (10 - done) + 1);
    expectSameFolder(folder, out);
}

TEST_F(TransferQueueTest, CancelledDownloadLeavesNoPartFiles)
{
    QTemporaryDir work;
    const QString folder = work.filePath(u"big"_s);
    writeFile(folder + u"/a.bin"_s, 256 * kMiB, 41);
    const qint64 id = uploaded(u"big"_s, folder, work.filePath(u"up"_s));
    const QString out = work.filePath(u"out"_s);
    TransferQueue queue(m_api.get(), work.filePath(u"state"_s));
    queue.setMaxRequests(1);
    const QString t =
        queue.download(TransferQueue::Target::dataset(id), u"big"_s, filesToFetch(id, out));
    ASSERT_TRUE(pf::test::spinUntil([&] { return rangesDone(*queue.transfer(t)) >= 2; }, 120000));
    EXPECT_TRUE(QFileInfo::exists(out + u"/a.bin.part"_s));
    queue.cancel(t);
    EXPECT_EQ(queue.transfer(t)->state, TransferQueue::State::Cancelled);
    EXPECT_FALSE(QFileInfo::exists(out + u"/a.bin.part"_s));
    EXPECT_FALSE(QFileInfo::exists(out + u"/a.bin"_s));
    // The queue stays quiet after: nothing comes back to life.
    const qint64 gets = queue.getsSent();
    QTest::qWait(300);
    EXPECT_FALSE(QFileInfo::exists(out + u"/a.bin.part"_s));
    EXPECT_LE(queue.getsSent(), gets + 1);
}

TEST(TransferQueueDownload, PathsThatWouldLeaveTheFolderAreRefused)
{
    QTemporaryDir work;
    pf::network::ApiSession session{QUrl(u"http://127.0.0.1:9"_s)};
    pf::network::PfApi api(&session);
    TransferQueue queue(&api, work.filePath(u"state"_s));
    for (const QString &remote : {u"../escape.bin"_s, u"/etc/passwd"_s, u"a/../../b"_s, u"a//b"_s,
                                  u"./a"_s, QString(), QString(u"a"_s + QChar(0) + u"b"_s)}) {
        TransferQueue::File f;
        f.remotePath = remote;
        f.localPath = work.filePath(u"out/"_s) + remote;
        f.size = 10;
        EXPECT_TRUE(queue.download(TransferQueue::Target::dataset(1), u"x"_s, {f}).isEmpty())
            << remote.toStdString();
    }
    TransferQueue::File relative;
    relative.remotePath = u"a.bin"_s;
    relative.localPath = u"out/a.bin"_s; // not absolute
    EXPECT_TRUE(queue.download(TransferQueue::Target::dataset(1), u"x"_s, {relative}).isEmpty());
    EXPECT_TRUE(queue.transfers().isEmpty());
}

TEST(TransferQueueState, DamagedStateFilesLoadWhatIsSoundAndNothingElse)
{
    QTemporaryDir work;
    const QString dir = work.filePath(u"state"_s);
    QDir().mkpath(dir);
    const auto file = [&](const QString &remote, const QString &local, qint64 size,
                          const QJsonArray &parts) {
        return QJsonObject{{u"remote"_s, remote}, {u"local"_s, local}, {u"size"_s, size},
                           {u"mtime_ms"_s, 0},    {u"done"_s, false},  {u"parts"_s, parts}};
    };
    const QString local = work.filePath(u"out/model.bin"_s);
    const QJsonArray transfers{
        // Sound, but its parts list does not fit its size: it starts over.
        QJsonObject{
            {u"id"_s, u"good"_s},
            {u"download"_s, true},
            {u"dataset_id"_s, 1},
            {u"state"_s, u"paused"_s},
            {u"files"_s, QJsonArray{file(u"model.bin"_s, local, 40 * kMiB, QJsonArray{u"abc"_s})}}},
        // A path out of its folder, a relative local path, a negative size.
        QJsonObject{{u"id"_s, u"escape"_s},
                    {u"download"_s, true},
                    {u"files"_s, QJsonArray{file(u"../../.bashrc"_s, local, 1, {})}}},
        QJsonObject{{u"id"_s, u"relative"_s},
                    {u"files"_s, QJsonArray{file(u"a"_s, u"a"_s, 1, {})}}},
        QJsonObject{{u"id"_s, u"negative"_s},
                    {u"files"_s, QJsonArray{file(u"a"_s, local, -5, {})}}},
        // Not an object, no id.
        u"nonsense"_s,
        QJsonObject{{u"files"_s, QJsonArray{}}},
    };
    {
        QFile snapshot(dir + u"/transfers.json"_s);
        ASSERT_TRUE(snapshot.open(QIODevice::WriteOnly));
        snapshot.write(
            QJsonDocument(QJsonObject{{u"version"_s, 1}, {u"transfers"_s, transfers}}).toJson());
        QFile journal(dir + u"/transfers.journal"_s);
        ASSERT_TRUE(journal.open(QIODevice::WriteOnly));
        // A range of a file that does not exist, of a part out of bounds, a
        // line cut short, then what follows it (ignored).
        journal.write(R"({"t":"good","f":7,"p":1,"e":"x"})"
                      "\n"
                      R"({"t":"good","f":0,"p":99,"e":"x"})"
                      "\n"
                      R"({"t":"good","f":0,"p":1,"e":)"
                      "\n"
                      R"({"t":"good","f":0,"done":true})"
                      "\n");
    }
    pf::network::ApiSession session{QUrl(u"http://127.0.0.1:9"_s)};
    pf::network::PfApi api(&session);
    TransferQueue queue(&api, dir);
    ASSERT_EQ(queue.transfers().size(), 1);
    const TransferQueue::Transfer &t = queue.transfers().first();
    EXPECT_EQ(t.id, u"good"_s);
    EXPECT_TRUE(t.download);
    EXPECT_EQ(t.state, TransferQueue::State::Paused);
    ASSERT_EQ(t.files.size(), 1);
    EXPECT_FALSE(t.files.first().done); // the line after the cut one is not applied
    EXPECT_EQ(t.files.first().partEtags.size(), 3);
    EXPECT_EQ(rangesDone(t), 0);

    // Garbage as the whole state: an empty queue, and the next save is sound.
    QFile snapshot(dir + u"/transfers.json"_s);
    ASSERT_TRUE(snapshot.open(QIODevice::WriteOnly | QIODevice::Truncate));
    snapshot.write(QByteArray(5000, '\xff'));
    snapshot.close();
    TransferQueue empty(&api, dir);
    EXPECT_TRUE(empty.transfers().isEmpty());
}

// What a drop turns into: links, special files and a second file for the
// same remote path are left out, each named; empty files go, each named.
TEST(TransferQueueFiles, EveryFileLeftOutOrEmptyIsNamed)
{
    QTemporaryDir work;
    const QString a = work.filePath(u"a/data"_s);
    const QString b = work.filePath(u"b/data"_s);
    writeFile(a + u"/x.bin"_s, 10, 1);
    writeFile(a + u"/empty.txt"_s, 0, 2);
    writeFile(b + u"/x.bin"_s, 20, 3); // the same remote path: data/x.bin
    ASSERT_TRUE(QFile::link(a + u"/x.bin"_s, a + u"/link.bin"_s));
    ASSERT_EQ(::mkfifo(QFile::encodeName(a + u"/pipe"_s).constData(), 0600), 0);
    QStringList problems;
    QStringList notes;
    const auto files = TransferQueue::filesToUpload({a, b}, &problems, &notes);
    QStringList remotes;
    for (const auto &[local, remote] : files)
        remotes << remote;
    remotes.sort();
    EXPECT_EQ(remotes, (QStringList{u"data/empty.txt"_s, u"data/x.bin"_s}));
    EXPECT_EQ(problems.size(), 3) << problems.join(u'\n').toStdString();
    EXPECT_TRUE(problems.join(u'\n').contains(u"link.bin is a symbolic link"_s));
    EXPECT_TRUE(problems.join(u'\n').contains(u"pipe is not a regular file"_s));
    EXPECT_TRUE(problems.join(u'\n').contains(u"would go to data/x.bin"_s));
    ASSERT_EQ(notes.size(), 1);
    EXPECT_TRUE(notes.first().contains(u"empty.txt is empty"_s));
}
