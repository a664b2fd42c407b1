// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <stdexcept>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QUuid>

#include "server/store/logstore.h"
#include "tests/server/servertestutil.h"

using namespace Qt::StringLiterals;
using pf::server::LogPage;
using pf::server::LogQuery;
using pf::server::LogRecordIn;
using pf::server::LogStore;
using pf::server::StoredLogRecord;

namespace {

QString newJobId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QString contentOf(qint64 i)
{
    return u"line "_s + QString::number(i);
}

QList<LogRecordIn> lines(qint64 from, qint64 count)
{
    QList<LogRecordIn> out;
    out.reserve(count);
    for (qint64 i = from; i < from + count; ++i)
        out.append({contentOf(i).toUtf8(), 1000 + i, u"stdout"_s, int(i % 3)});
    return out;
}

QList<qint64> seqsOf(const QList<StoredLogRecord> &records)
{
    QList<qint64> out;
    out.reserve(records.size());
    for (const StoredLogRecord &r : records)
        out.append(r.seq);
    return out;
}

QList<qint64> range(qint64 first, qint64 last)
{
    QList<qint64> out;
    for (qint64 s = first; first <= last ? s <= last : s >= last; first <= last ? ++s : --s)
        out.append(s);
    return out;
}

LogQuery query(bool ascending, int limit, qint64 cursor = 0)
{
    LogQuery q;
    q.ascending = ascending;
    q.limit = limit;
    q.cursor = cursor;
    return q;
}

// Every record `q` selects, page by page through the cursors. A page that
// hands out a cursor must be full.
QList<StoredLogRecord> readAll(const LogStore &store, const QString &job, LogQuery q)
{
    QList<StoredLogRecord> out;
    for (int pages = 0; pages < 1000000; ++pages) {
        const LogPage page = store.read(job, q);
        out.append(page.records);
        if (page.nextCursor == 0)
            break;
        EXPECT_EQ(page.records.size(), q.limit);
        EXPECT_EQ(page.nextCursor, page.records.constLast().seq);
        q.cursor = page.nextCursor;
    }
    return out;
}

// The bytes of a literal, NULs included.
template <size_t N>
QByteArray bytes(const char (&literal)[N])
{
    return QByteArray(literal, qsizetype(N - 1));
}

bool truncateFile(const QString &path, qint64 size)
{
    return QFile::resize(path, size);
}

bool appendBytes(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Append) && f.write(bytes) == bytes.size();
}

int openDescriptors()
{
    return int(QDir(u"/proc/self/fd"_s).entryList(QDir::Files | QDir::System).size());
}

class LogStoreTest : public ::testing::Test
{
protected:
    void SetUp() override { ASSERT_TRUE(m_tmp.isValid()); }
    QString root() const { return m_tmp.path() + u"/jobs"_s; }
    QString logPath(const QString &job) const { return root() + u'/' + job + u"/log"_s; }
    QString indexPath(const QString &job) const { return logPath(job) + u".idx"_s; }

    QTemporaryDir m_tmp;
};

} // namespace

TEST_F(LogStoreTest, PagesBothWaysWithoutGapsOrDuplicates)
{
    LogStore store(root());
    const QString job = newJobId();
    qint64 next = 1;
    for (int size = 1; next <= 1000; ++size) {
        const qint64 count = std::min<qint64>(size, 1001 - next);
        ASSERT_EQ(store.append(job, lines(next, count)), next + count - 1);
        next += count;
    }
    EXPECT_EQ(store.lastSeq(job), 1000);
    EXPECT_EQ(store.size(job), QFileInfo(logPath(job)).size());

    for (const int limit : {1, 7, 100, 256, 500, 999, 1000, 5000}) {
        SCOPED_TRACE(limit);
        const QList<StoredLogRecord> up = readAll(store, job, query(true, limit));
        ASSERT_EQ(seqsOf(up), range(1, 1000));
        for (const StoredLogRecord &r : up) {
            ASSERT_EQ(r.content, contentOf(r.seq));
            ASSERT_EQ(r.timeMs, 1000 + r.seq);
            ASSERT_EQ(r.type, u"stdout"_s);
            ASSERT_EQ(r.nodeRank, int(r.seq % 3));
        }
        const QList<StoredLogRecord> down = readAll(store, job, query(false, limit));
        ASSERT_EQ(seqsOf(down), range(1000, 1));
        for (const StoredLogRecord &r : down)
            ASSERT_EQ(r.content, contentOf(r.seq));
    }

    // The default query: the newest 100, newest first.
    const LogPage newest = store.read(job, LogQuery{});
    EXPECT_EQ(seqsOf(newest.records), range(1000, 901));
    EXPECT_EQ(newest.nextCursor, 901);
    // A page that ends on the last record says there is no more.
    EXPECT_EQ(store.read(job, query(true, 500, 500)).nextCursor, 0);
    EXPECT_EQ(store.read(job, query(false, 500, 501)).nextCursor, 0);
}

TEST_F(LogStoreTest, CursorEdges)
{
    LogStore store(root());
    const QString job = newJobId();
    store.append(job, lines(1, 10));
    EXPECT_TRUE(store.read(job, query(true, 5, 10)).records.isEmpty());
    EXPECT_TRUE(store.read(job, query(true, 5, 1000)).records.isEmpty());
    EXPECT_TRUE(store.read(job, query(false, 5, 1)).records.isEmpty());
    EXPECT_EQ(seqsOf(store.read(job, query(false, 10, 5)).records), range(4, 1));
    EXPECT_EQ(seqsOf(store.read(job, query(false, 3, 1000)).records), range(10, 8));
    EXPECT_EQ(seqsOf(store.read(job, query(true, 3, -7)).records), range(1, 3));
    EXPECT_EQ(seqsOf(store.read(job, query(false, 3, -7)).records), range(10, 8));
    EXPECT_EQ(seqsOf(store.read(job, query(true, 0)).records), range(1, 1)); // clamped to 1
    EXPECT_EQ(store.read(job, query(true, 20)).nextCursor, 0);
    EXPECT_EQ(store.read(job, query(true, 10)).nextCursor, 0);
    EXPECT_EQ(store.read(job, query(true, 9)).nextCursor, 9);
}

TEST_F(LogStoreTest, FiltersByContentNodeRankAndType)
{
    LogStore store(root());
    const QString job = newJobId();
    QList<LogRecordIn> all;
    for (int i = 1; i <= 3000; ++i) {
        QString content = u"step "_s + QString::number(i);
        if (i % 7 == 0)
            content += u" ERROR disk"_s;
        if (i % 11 == 0)
            content += u" error 한국어"_s;
        const QString type = i % 10 == 0 ? u"vmlog"_s : i % 3 == 0 ? u"stderr"_s : u"stdout"_s;
        all.append({content.toUtf8(), i, type, type == u"vmlog"_s ? -1 : i % 4});
    }
    for (qsizetype at = 0; at < all.size(); at += 250)
        store.append(job, all.mid(at, 250));

    struct Case
    {
        const char *name;
        QString content;
        QList<int> ranks;
        QStringList types;
    };
    const QList<Case> cases{
        {"content", u"ERROR"_s, {}, {}},
        {"content is case-sensitive", u"error"_s, {}, {}},
        {"multibyte content", u"한국"_s, {}, {}},
        {"content matching once", u"step 2999"_s, {}, {}},
        {"content matching nothing", u"no such text"_s, {}, {}},
        {"ranks", {}, {1, 3}, {}},
        {"platform rank", {}, {-1}, {}},
        {"types", {}, {}, {u"stderr"_s}},
        {"two types", {}, {}, {u"vmlog"_s, u"stdout"_s}},
        {"unknown type with a known one", {}, {}, {u"bogus"_s, u"stderr"_s}},
        {"unknown type only", {}, {}, {u"bogus"_s}},
        {"combined", u"ERROR"_s, {2}, {u"stdout"_s}},
        {"combined, all filters", u"1"_s, {0, 1, 2}, {u"stderr"_s, u"stdout"_s}},
    };
    for (const Case &c : cases) {
        SCOPED_TRACE(c.name);
        QList<qint64> expected;
        for (qsizetype i = 0; i < all.size(); ++i) {
            const LogRecordIn &r = all[i];
            if ((c.content.isEmpty() || QString::fromUtf8(r.content).contains(c.content)) &&
                (c.ranks.isEmpty() || c.ranks.contains(r.nodeRank)) &&
                (c.types.isEmpty() || c.types.contains(r.type)))
                expected.append(i + 1);
        }
        for (const int limit : {1, 13, 100, 10000}) {
            SCOPED_TRACE(limit);
            for (const bool ascending : {true, false}) {
                LogQuery q = query(ascending, limit);
                q.content = c.content;
                q.nodeRanks = c.ranks;
                q.types = c.types;
                const QList<StoredLogRecord> got = readAll(store, job, q);
                QList<qint64> want = expected;
                if (!ascending)
                    std::reverse(want.begin(), want.end());
                ASSERT_EQ(seqsOf(got), want) << (ascending ? "ascending" : "descending");
                for (const StoredLogRecord &r : got) {
                    const LogRecordIn &in = all[r.seq - 1];
                    ASSERT_EQ(r.content, QString::fromUtf8(in.content));
                    ASSERT_EQ(r.type, in.type);
                    ASSERT_EQ(r.nodeRank, in.nodeRank);
                    ASSERT_EQ(r.timeMs, in.timeMs);
                }
            }
        }
    }
}

TEST_F(LogStoreTest, MillionRecordsPageFastAtBothEndsAndInTheMiddle)
{
    constexpr qint64 kTotal = 1000000;
    constexpr qint64 kBatch = 1000;
    const QString job = newJobId();
    const auto content = [](qint64 i) -> QString {
        return u"step "_s + QString::number(i) + u" loss 0.2500 lr 0.00030 tokens/s 123456"_s;
    };
    QElapsedTimer timer;
    timer.start();
    {
        LogStore store(root());
        QList<LogRecordIn> batch;
        batch.reserve(kBatch);
        for (qint64 first = 1; first <= kTotal; first += kBatch) {
            batch.clear();
            for (qint64 i = first; i < first + kBatch; ++i)
                batch.append(
                    {content(i).toUtf8(), i, i % 5 == 0 ? u"stderr"_s : u"stdout"_s, int(i % 8)});
            ASSERT_EQ(store.append(job, batch), first + kBatch - 1);
        }
    }
    RecordProperty("append_ms", int(timer.restart()));

    const auto check = [&](const LogStore &store, const LogQuery &q, const QList<qint64> &want) {
        const LogPage page = store.read(job, q);
        ASSERT_EQ(seqsOf(page.records), want);
        for (const StoredLogRecord &r : page.records) {
            ASSERT_EQ(r.content, content(r.seq));
            ASSERT_EQ(r.timeMs, r.seq);
            ASSERT_EQ(r.nodeRank, int(r.seq % 8));
        }
        const qint64 last = want.constLast();
        ASSERT_EQ(page.nextCursor, last == 1 || last == kTotal ? 0 : last);
    };
    const auto checkAll = [&](const LogStore &store) {
        EXPECT_EQ(store.lastSeq(job), kTotal);
        check(store, query(false, 100), range(kTotal, kTotal - 99));
        check(store, query(true, 100), range(1, 100));
        check(store, query(false, 100, 500001), range(500000, 499901));
        check(store, query(true, 100, 500000), range(500001, 500100));
        // Across several index blocks, both ways.
        check(store, query(true, 1000, 777000), range(777001, 778000));
        check(store, query(false, 1000, 777001), range(777000, 776001));
        check(store, query(false, 10, 11), range(10, 1));
    };

    {
        LogStore store(root()); // opened from the persisted index
        checkAll(store);
        RecordProperty("reopen_and_pages_ms", int(timer.restart()));

        // A filter that matches only near the far end scans the whole log.
        LogQuery rare = query(false, 10);
        rare.content = u"step 17 "_s;
        EXPECT_EQ(seqsOf(store.read(job, rare).records), QList<qint64>{17});
        RecordProperty("full_scan_ms", int(timer.restart()));
    }

    ASSERT_TRUE(QFile::remove(indexPath(job)));
    {
        LogStore store(root()); // rebuilds the index by a scan
        checkAll(store);
    }
    EXPECT_TRUE(QFileInfo::exists(indexPath(job)));
    RecordProperty("rebuild_ms", int(timer.restart()));
}

TEST_F(LogStoreTest, ConcurrentAppendsToOneJobGetDenseSeqs)
{
    constexpr int kThreads = 4;
    constexpr int kBatches = 200;
    constexpr int kPerBatch = 50;
    LogStore store(root());
    const QString job = newJobId();
    std::vector<std::vector<qint64>> lastSeqs(kThreads);
    std::vector<std::thread> threads;
    threads.reserve(kThreads);
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int b = 0; b < kBatches; ++b) {
                QList<LogRecordIn> batch;
                for (int r = 0; r < kPerBatch; ++r)
                    batch.append({u"%1 %2 %3"_s.arg(t).arg(b).arg(r).toUtf8(), b, u"stdout"_s, t});
                lastSeqs[size_t(t)].push_back(store.append(job, batch));
            }
        });
    }
    for (auto &t : threads)
        t.join();

    const QList<StoredLogRecord> all = readAll(store, job, query(true, 10000));
    ASSERT_EQ(seqsOf(all), range(1, qint64(kThreads) * kBatches * kPerBatch));
    for (int t = 0; t < kThreads; ++t) {
        const std::vector<qint64> &seqs = lastSeqs[size_t(t)];
        ASSERT_TRUE(std::is_sorted(seqs.begin(), seqs.end()));
        for (int b = 0; b < kBatches; ++b) {
            // Each batch is contiguous and in order.
            for (int r = 0; r < kPerBatch; ++r) {
                const qint64 seq = seqs[size_t(b)] - kPerBatch + 1 + r;
                ASSERT_EQ(all[seq - 1].content, u"%1 %2 %3"_s.arg(t).arg(b).arg(r));
            }
        }
    }
}

TEST_F(LogStoreTest, ManyJobsBeyondTheOpenBound)
{
    constexpr int kMaxOpen = 8;
    constexpr int kJobs = 40;
    constexpr int kThreads = 4;
    constexpr int kRounds = 20;
    const int descriptorsBefore = openDescriptors();
    LogStore store(root(), kMaxOpen);
    QStringList jobs;
    for (int j = 0; j < kJobs; ++j)
        jobs << newJobId();
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    threads.reserve(kThreads);
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int round = 0; round < kRounds; ++round) {
                for (int j = t; j < kJobs; j += kThreads) {
                    QList<LogRecordIn> batch;
                    for (int k = 0; k < 10; ++k)
                        batch.append(
                            {u"%1/%2/%3"_s.arg(j).arg(round).arg(k).toUtf8(), k, u"stderr"_s, j});
                    if (store.append(jobs[j], batch) != qint64(round + 1) * 10)
                        ++failures;
                    if (store.read(jobs[(j + 1) % kJobs], query(false, 5)).records.size() > 5)
                        ++failures;
                }
            }
        });
    }
    for (auto &t : threads)
        t.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_LE(store.openJobs(), kMaxOpen);
    EXPECT_LE(openDescriptors() - descriptorsBefore, 2 * kMaxOpen);

    for (int j = 0; j < kJobs; ++j) {
        ASSERT_EQ(store.lastSeq(jobs[j]), kRounds * 10);
        const QList<StoredLogRecord> all = readAll(store, jobs[j], query(true, 33));
        ASSERT_EQ(all.size(), kRounds * 10);
        for (const StoredLogRecord &r : all) {
            const qint64 round = (r.seq - 1) / 10;
            const qint64 k = (r.seq - 1) % 10;
            ASSERT_EQ(r.content, u"%1/%2/%3"_s.arg(j).arg(round).arg(k));
        }
    }
    EXPECT_LE(store.openJobs(), kMaxOpen);
}

TEST_F(LogStoreTest, ReadsDuringAppendsSeeWholeRecords)
{
    LogStore store(root());
    const QString job = newJobId();
    std::atomic<bool> done{false};
    std::atomic<int> failures{0};
    std::thread reader([&] {
        while (!done.load()) {
            const qint64 last = store.lastSeq(job);
            const LogPage newest = store.read(job, query(false, 50));
            const LogPage middle = store.read(job, query(true, 50, last / 2));
            for (const LogPage *page : {&newest, &middle}) {
                for (qsizetype i = 0; i < page->records.size(); ++i) {
                    const StoredLogRecord &r = page->records[i];
                    if (r.content != contentOf(r.seq) ||
                        (i > 0 && std::abs(r.seq - page->records[i - 1].seq) != 1))
                        ++failures;
                }
            }
            if (newest.records.size() < std::min<qint64>(50, last))
                ++failures;
        }
    });
    for (qint64 first = 1; first <= 20000; first += 100)
        store.append(job, lines(first, 100));
    done = true;
    reader.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(store.lastSeq(job), 20000);
}

namespace {
enum class Damage { CutLastRecord, CutInsideLength, Garbage, HugeLength, Zeros, FlippedByte };
}

class LogStoreTornTail : public LogStoreTest, public ::testing::WithParamInterface<Damage>
{
};

TEST_P(LogStoreTornTail, KeepsTheIntactRecordsAndContinues)
{
    const QString job = newJobId();
    qint64 intact = 0;
    {
        LogStore store(root());
        store.append(job, lines(1, 1000));
        store.append(job, lines(1001, 5));
        const qint64 size = store.size(job);
        ASSERT_EQ(QFileInfo(logPath(job)).size(), size);
        switch (GetParam()) {
        case Damage::CutLastRecord:
            ASSERT_TRUE(truncateFile(logPath(job), size - 3));
            intact = 1004;
            break;
        case Damage::CutInsideLength: {
            // The last record is "line 1005" (9 bytes) plus 29 bytes of framing.
            const qint64 lastRecord = 9 + 29;
            ASSERT_TRUE(truncateFile(logPath(job), size - lastRecord + 2));
            intact = 1004;
            break;
        }
        case Damage::Garbage:
            ASSERT_TRUE(appendBytes(logPath(job), bytes("\x17\x00\x00\x00 not a record")));
            intact = 1005;
            break;
        case Damage::HugeLength:
            ASSERT_TRUE(appendBytes(logPath(job), bytes("\xff\xff\xff\x7f\x01\x02")));
            intact = 1005;
            break;
        case Damage::Zeros:
            ASSERT_TRUE(appendBytes(logPath(job), QByteArray(4096, '\0')));
            intact = 1005;
            break;
        case Damage::FlippedByte: {
            QFile f(logPath(job));
            ASSERT_TRUE(f.open(QIODevice::ReadWrite));
            ASSERT_TRUE(f.seek(size - 6));
            ASSERT_TRUE(f.write("?", 1) == 1);
            intact = 1004;
            break;
        }
        }
    }

    LogStore store(root());
    EXPECT_EQ(store.lastSeq(job), intact);
    EXPECT_EQ(QFileInfo(logPath(job)).size(), store.size(job)) << "the tail is cut off";
    EXPECT_EQ(store.append(job, {{"after", 1, u"stdout"_s, 0}}), intact + 1);
    const QList<StoredLogRecord> all = readAll(store, job, query(true, 300));
    ASSERT_EQ(seqsOf(all), range(1, intact + 1));
    for (qint64 s = 1; s <= intact; ++s)
        ASSERT_EQ(all[s - 1].content, contentOf(s));
    EXPECT_EQ(all.constLast().content, u"after"_s);

    LogStore again(root());
    EXPECT_EQ(again.lastSeq(job), intact + 1);
    EXPECT_EQ(seqsOf(readAll(again, job, query(false, 77))), range(intact + 1, 1));
}

INSTANTIATE_TEST_SUITE_P(LogStore, LogStoreTornTail,
                         ::testing::Values(Damage::CutLastRecord, Damage::CutInsideLength,
                                           Damage::Garbage, Damage::HugeLength, Damage::Zeros,
                                           Damage::FlippedByte));

// A process killed while it appends: the next store finds whole records only,
// numbered without gaps, and carries on.
TEST_F(LogStoreTest, SurvivesSigkillDuringAppends)
{
    constexpr int kBatch = 1000;
    const QString job = newJobId();
    const auto content = [](qint64 seq) -> QString {
        return QString::number(seq) + u' ' + QString(200, QChar(char16_t(u'a' + seq % 26)));
    };
    int ready[2];
    ASSERT_EQ(::pipe(ready), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        // Appends until killed; says so once a few batches are in.
        LogStore store(root());
        QList<LogRecordIn> batch;
        for (qint64 first = 1;; first += kBatch) {
            batch.clear();
            for (qint64 seq = first; seq < first + kBatch; ++seq)
                batch.append({content(seq).toUtf8(), seq, u"stdout"_s, 0});
            store.append(job, batch);
            if (first == 10 * kBatch + 1 && ::write(ready[1], "x", 1) != 1)
                ::_exit(1);
        }
    }
    ::close(ready[1]);
    char byte = 0;
    ASSERT_EQ(::read(ready[0], &byte, 1), 1);
    ::close(ready[0]);
    ASSERT_EQ(::kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status));

    const qint64 sizeAtDeath = QFileInfo(logPath(job)).size();
    LogStore store(root());
    const qint64 last = store.lastSeq(job);
    RecordProperty("torn_bytes", int(sizeAtDeath - store.size(job)));
    EXPECT_GE(last, 11 * kBatch);
    const QList<StoredLogRecord> all = readAll(store, job, query(true, 5000));
    ASSERT_EQ(seqsOf(all), range(1, last));
    for (const StoredLogRecord &r : all)
        ASSERT_EQ(r.content, content(r.seq));
    EXPECT_EQ(store.append(job, {{"after", 1, u"stdout"_s, 0}}), last + 1);
    EXPECT_EQ(store.read(job, query(false, 1)).records.constFirst().content, u"after"_s);
}

TEST_F(LogStoreTest, IndexPastATruncatedLogIsDropped)
{
    const QString job = newJobId();
    qint64 firstBatchEnd = 0;
    {
        LogStore store(root());
        store.append(job, lines(1, 1000));
        firstBatchEnd = store.size(job);
        store.append(job, lines(1001, 2000)); // index entries far past the cut
    }
    ASSERT_TRUE(truncateFile(logPath(job), firstBatchEnd + 10));
    const qint64 indexSize = QFileInfo(indexPath(job)).size();
    {
        LogStore store(root());
        EXPECT_EQ(store.lastSeq(job), 1000);
        EXPECT_LT(QFileInfo(indexPath(job)).size(), indexSize);
        EXPECT_EQ(seqsOf(readAll(store, job, query(false, 64))), range(1000, 1));
        EXPECT_EQ(store.append(job, lines(1001, 500)), 1500);
    }
    LogStore store(root());
    EXPECT_EQ(store.lastSeq(job), 1500);
    const QList<StoredLogRecord> all = readAll(store, job, query(true, 128));
    ASSERT_EQ(seqsOf(all), range(1, 1500));
    for (const StoredLogRecord &r : all)
        ASSERT_EQ(r.content, contentOf(r.seq));
}

TEST_F(LogStoreTest, RebuildsAMissingOrDamagedIndex)
{
    const QString job = newJobId();
    {
        LogStore store(root());
        for (qint64 first = 1; first <= 5000; first += 500)
            store.append(job, lines(first, 500));
    }
    QFile index(indexPath(job));
    ASSERT_TRUE(index.open(QIODevice::ReadOnly));
    const QByteArray good = index.readAll();
    index.close();
    ASSERT_GT(good.size(), 8 + 16 * 10);

    QByteArray wrongOffset = good;
    wrongOffset[wrongOffset.size() - 8] = char(wrongOffset[wrongOffset.size() - 8] + 1);
    QByteArray wrongSeq = good;
    wrongSeq[wrongSeq.size() - 16] = char(wrongSeq[wrongSeq.size() - 16] + 1);
    const QList<std::pair<const char *, QByteArray>> damages{
        {"missing", {}},
        {"garbage", QByteArray(300, 'x')},
        {"header only", good.left(8)},
        {"torn entry", good.left(good.size() - 5)},
        {"last entry off by one byte", wrongOffset},
        {"last entry with the wrong seq", wrongSeq},
        {"entries out of order", good.left(8) + good.mid(24, 16) + good.mid(8, 16)},
    };
    for (const auto &[name, damaged] : damages) {
        SCOPED_TRACE(name);
        QFile::remove(indexPath(job));
        if (!damaged.isNull()) {
            ASSERT_TRUE(pf::servertest::writeFile(indexPath(job), damaged));
        }
        {
            LogStore store(root());
            EXPECT_EQ(store.lastSeq(job), 5000);
            EXPECT_EQ(seqsOf(store.read(job, query(false, 300, 2600)).records), range(2599, 2300));
        }
        QFile rebuilt(indexPath(job));
        ASSERT_TRUE(rebuilt.open(QIODevice::ReadOnly));
        EXPECT_EQ(rebuilt.readAll(), good) << "the same index as the one written while appending";
    }
}

TEST_F(LogStoreTest, RemoveDeletesTheLogAndStartsOver)
{
    LogStore store(root());
    const QString job = newJobId();
    store.append(job, lines(1, 300));
    store.remove(job);
    EXPECT_FALSE(QFileInfo::exists(logPath(job)));
    EXPECT_FALSE(QFileInfo::exists(indexPath(job)));
    EXPECT_FALSE(QFileInfo::exists(root() + u'/' + job)) << "the emptied folder goes too";
    EXPECT_EQ(store.lastSeq(job), 0);
    EXPECT_TRUE(store.read(job, LogQuery{}).records.isEmpty());
    EXPECT_EQ(store.append(job, lines(1, 2)), 2);
    EXPECT_EQ(seqsOf(readAll(store, job, query(true, 10))), range(1, 2));

    // A folder that holds more than the log stays; a job without a log is fine.
    ASSERT_TRUE(pf::servertest::writeFile(root() + u'/' + job + u"/workspace.zip"_s, "zip"));
    store.remove(job);
    EXPECT_FALSE(QFileInfo::exists(logPath(job)));
    EXPECT_TRUE(QFileInfo::exists(root() + u'/' + job + u"/workspace.zip"_s));
    store.remove(newJobId());

    // Another store on the same root sees the removal.
    LogStore other(root());
    EXPECT_EQ(other.lastSeq(job), 0);
}

TEST_F(LogStoreTest, JobWithoutALogReadsEmpty)
{
    LogStore store(root());
    const QString job = newJobId();
    for (const bool ascending : {true, false}) {
        const LogPage page = store.read(job, query(ascending, 10));
        EXPECT_TRUE(page.records.isEmpty());
        EXPECT_EQ(page.nextCursor, 0);
    }
    EXPECT_EQ(store.lastSeq(job), 0);
    EXPECT_EQ(store.size(job), 0);
    EXPECT_EQ(store.append(job, {}), 0);
    EXPECT_FALSE(QFileInfo::exists(root() + u'/' + job)) << "reading creates nothing";
}

TEST_F(LogStoreTest, KeepsAnyContent)
{
    LogStore store(root());
    const QString job = newJobId();
    QString big;
    for (int i = 0; big.size() < 65536; ++i)
        big += QChar(u'a' + i % 26);
    big.truncate(65536);
    const QList<QString> contents{
        QString(),
        u"a\0b\0"_s,
        QString(1000, QChar(u'\0')),
        u"two\nlines\r\n"_s,
        u"\ttab \x1b[31mred\x1b[0m \r progress"_s,
        u"한국어 😀 ünïcödé"_s,
        big,
        QString(65536, QChar(u'\n')),
    };
    QList<LogRecordIn> batch;
    for (const QString &c : contents)
        batch.append({c.toUtf8(), -5, u"vmlog"_s, -1});
    ASSERT_EQ(store.append(job, batch), contents.size());
    const QList<StoredLogRecord> got = readAll(store, job, query(true, 3));
    ASSERT_EQ(got.size(), contents.size());
    for (qsizetype i = 0; i < got.size(); ++i) {
        EXPECT_EQ(got[i].content, contents[i]) << i;
        EXPECT_EQ(got[i].type, u"vmlog"_s);
        EXPECT_EQ(got[i].nodeRank, -1);
        EXPECT_EQ(got[i].timeMs, -5);
    }

    // Beyond MaxContentBytes the content is cut at a character boundary.
    const QString huge(LogStore::MaxContentBytes, QChar(u'é')); // two bytes each
    const QString hugeAscii(LogStore::MaxContentBytes + 10, QChar(u'x'));
    store.append(job,
                 {{huge.toUtf8(), 1, u"stdout"_s, 0}, {hugeAscii.toUtf8(), 2, u"stdout"_s, 0}});
    const LogPage last = store.read(job, query(false, 2));
    ASSERT_EQ(last.records.size(), 2);
    EXPECT_EQ(last.records[1].content, huge.left(LogStore::MaxContentBytes / 2));
    EXPECT_EQ(last.records[0].content, hugeAscii.left(LogStore::MaxContentBytes));
}

TEST_F(LogStoreTest, RejectsUnknownTypesWithoutWriting)
{
    LogStore store(root());
    const QString job = newJobId();
    QList<LogRecordIn> batch = lines(1, 3);
    batch[2].type = u"STDOUT"_s;
    EXPECT_THROW(store.append(job, batch), std::invalid_argument);
    EXPECT_EQ(store.lastSeq(job), 0);
    EXPECT_EQ(store.append(job, lines(1, 2)), 2);
    batch[2].type = u"stdin"_s;
    EXPECT_THROW(store.append(job, batch), std::invalid_argument);
    EXPECT_EQ(store.append(job, lines(3, 1)), 3);
    EXPECT_EQ(seqsOf(readAll(store, job, query(true, 10))), range(1, 3));
}

TEST_F(LogStoreTest, RejectsJobIdsThatAreNotUuids)
{
    LogStore store(root());
    const QString uuid = newJobId();
    const QStringList bad{
        QString(),
        u".."_s,
        u"../escape"_s,
        u"/etc"_s,
        u"a/b"_s,
        uuid.toUpper(),
        u'{' + uuid + u'}',
        uuid + u"/.."_s,
        uuid.left(35) + u'/',
        u"../../../../../../../../../../../../../../../../../../../../tmp/x"_s,
        u"00000000-0000-0000-0000-000000000000"_s,
        uuid.left(35) + QChar(u'\0'),
    };
    for (const QString &id : bad) {
        SCOPED_TRACE(id.toStdString());
        EXPECT_FALSE(LogStore::isValidJobId(id));
        EXPECT_THROW(store.append(id, lines(1, 1)), std::invalid_argument);
        EXPECT_THROW(store.read(id, LogQuery{}), std::invalid_argument);
        EXPECT_THROW(store.lastSeq(id), std::invalid_argument);
        EXPECT_THROW(store.size(id), std::invalid_argument);
        EXPECT_THROW(store.remove(id), std::invalid_argument);
    }
    EXPECT_TRUE(LogStore::isValidJobId(uuid));
    EXPECT_TRUE(QDir(m_tmp.path()).isEmpty()) << "nothing was created, not even the root";
}
