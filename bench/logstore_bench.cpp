// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// LogStore's ingestion rate against the disk's own ceiling for the pattern,
// and the time to page through a log of a million records.
//
// Ingestion: N records of about 60 bytes of content, appended to one job in
// batches of 1,000 (the batches are built beforehand: only append() is
// timed). The baseline writes the same number of bytes, in as many write(2)
// calls of the same size, to a plain file in the same folder. Both go to the
// page cache unsynced, as LogStore does; the best of a few alternating rounds
// of each is kept, and the figure that matters is the ratio.
//
// Reading: a log of 1,000,000 records, then the newest page (100 records,
// newest first) from a freshly opened store (index load and tail check
// included) and warm, a page in the middle both ways, a content filter that
// matches nothing (a scan of the whole log) and an open whose index is gone.
//
//   pf_logstore_bench [--records N] [--rounds R] [--dir FOLDER]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QUuid>

#include "server/store/logstore.h"

using namespace pf::server;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kBatch = 1000;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

QString newJobId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

// 16 distinct batches of training-log-like lines of about 60 characters.
std::vector<QList<LogRecordIn>> makeBatches()
{
    std::vector<QList<LogRecordIn>> batches(16);
    qint64 n = 0;
    for (auto &batch : batches) {
        batch.reserve(kBatch);
        for (int i = 0; i < kBatch; ++i, ++n) {
            const QString content =
                QStringLiteral("step %1 loss %2 lr 0.000300 grad_norm %3 tok/s %4")
                    .arg(n)
                    .arg(2.0 / double(n + 1), 0, 'f', 5)
                    .arg(double(n % 1000) / 300.0, 0, 'f', 4)
                    .arg(90000 + n % 9999);
            batch.append({content.toUtf8(), 1767225600000 + n,
                          i % 10 == 0 ? QStringLiteral("stderr") : QStringLiteral("stdout"),
                          int(n % 8)});
        }
    }
    return batches;
}

// Seconds to append `records` records to a new job; `bytes` gets the log size.
double timeStore(const QString &root, const std::vector<QList<LogRecordIn>> &batches,
                 qint64 records, qint64 *bytes)
{
    LogStore store(root);
    const QString job = newJobId();
    const auto start = Clock::now();
    for (qint64 done = 0, b = 0; done < records; done += kBatch, ++b)
        store.append(job, batches[size_t(b) % batches.size()]);
    const double seconds = secondsSince(start);
    *bytes = store.size(job);
    store.remove(job);
    return seconds;
}

// Seconds to write `bytes` bytes in `calls` write(2) calls to a new file.
double timeBaseline(const QString &root, qint64 bytes, qint64 calls)
{
    const QString path = root + QStringLiteral("/baseline");
    const QByteArray native = QFile::encodeName(path);
    const qint64 chunk = (bytes + calls - 1) / calls;
    std::vector<char> buffer(size_t(chunk), 'x');
    const int fd = ::open(native.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        std::perror("open");
        std::exit(1);
    }
    const auto start = Clock::now();
    for (qint64 left = bytes; left > 0;) {
        const ssize_t n = ::write(fd, buffer.data(), size_t(std::min(left, chunk)));
        if (n <= 0) {
            std::perror("write");
            std::exit(1);
        }
        left -= n;
    }
    const double seconds = secondsSince(start);
    ::close(fd);
    QFile::remove(path);
    return seconds;
}

// The median time of `runs` calls of `f`, in microseconds.
template <typename F>
double medianMicros(int runs, F f)
{
    std::vector<double> times;
    for (int i = 0; i < runs; ++i) {
        const auto start = Clock::now();
        f();
        times.push_back(secondsSince(start) * 1e6);
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

LogQuery page(bool ascending, qint64 cursor)
{
    LogQuery q;
    q.ascending = ascending;
    q.limit = 100;
    q.cursor = cursor;
    return q;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    qint64 records = 1000000;
    int rounds = 3;
    QString dir = QDir::tempPath();
    const QStringList args = app.arguments();
    for (qsizetype i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--records") && i + 1 < args.size())
            records = std::max<qint64>(kBatch, args[++i].toLongLong());
        else if (args[i] == QLatin1String("--rounds") && i + 1 < args.size())
            rounds = std::max(1, args[++i].toInt());
        else if (args[i] == QLatin1String("--dir") && i + 1 < args.size())
            dir = args[++i];
        else {
            std::fprintf(stderr, "usage: pf_logstore_bench [--records N] [--rounds R] [--dir D]\n");
            return 2;
        }
    }
    records = (records + kBatch - 1) / kBatch * kBatch;
    QTemporaryDir tmp(dir + QStringLiteral("/pf_logstore_bench-XXXXXX"));
    if (!tmp.isValid()) {
        std::fprintf(stderr, "cannot create a folder in %s\n", qPrintable(dir));
        return 1;
    }
    const QString root = tmp.path();
    const auto batches = makeBatches();
    const qint64 calls = records / kBatch;

    double bestStore = 1e9;
    double bestBase = 1e9;
    qint64 bytes = 0;
    for (int r = 0; r < rounds; ++r) {
        // Alternate the order so that neither always meets the other's writeback.
        if (r % 2 == 0) {
            bestStore = std::min(bestStore, timeStore(root, batches, records, &bytes));
            bestBase = std::min(bestBase, timeBaseline(root, bytes, calls));
        } else {
            bestBase = std::min(bestBase, timeBaseline(root, bytes, calls));
            bestStore = std::min(bestStore, timeStore(root, batches, records, &bytes));
        }
    }
    const double mb = double(bytes) / 1e6;
    std::printf("folder: %s\n", qPrintable(root));
    std::printf("ingestion: %lld records of ~60 bytes in batches of %d, %.1f bytes per record "
                "on disk, best of %d\n",
                records, kBatch, double(bytes) / double(records), rounds);
    std::printf("  LogStore::append  %10.0f records/s  %8.1f MB/s  (%.3f s)\n",
                double(records) / bestStore, mb / bestStore, bestStore);
    std::printf("  write(2) baseline %10.0f records/s  %8.1f MB/s  (%.3f s)\n",
                double(records) / bestBase, mb / bestBase, bestBase);
    const double ratio = bestBase / bestStore;
    const double target = std::min(500000.0, 0.5 * double(records) / bestBase);
    std::printf("  ratio %.2f of the baseline; target %.0f records/s: %s\n", ratio, target,
                double(records) / bestStore >= target ? "met" : "MISSED");

    // Reading a log of a million records.
    constexpr qint64 kReadLog = 1000000;
    const QString job = newJobId();
    {
        LogStore store(root);
        for (qint64 b = 0; b < kReadLog / kBatch; ++b)
            store.append(job, batches[size_t(b) % batches.size()]);
    }
    std::printf("reading a log of %lld records:\n", kReadLog);
    {
        LogStore store(root);
        const auto start = Clock::now();
        const LogPage newest = store.read(job, page(false, 0));
        std::printf("  open + newest page         %9.1f us (%lld records)\n",
                    secondsSince(start) * 1e6, qint64(newest.records.size()));
        std::printf("  newest page                %9.1f us\n",
                    medianMicros(1000, [&] { store.read(job, page(false, 0)); }));
        std::printf("  oldest page                %9.1f us\n",
                    medianMicros(1000, [&] { store.read(job, page(true, 0)); }));
        std::printf("  middle page, newest first  %9.1f us\n",
                    medianMicros(1000, [&] { store.read(job, page(false, kReadLog / 2)); }));
        std::printf("  middle page, oldest first  %9.1f us\n",
                    medianMicros(1000, [&] { store.read(job, page(true, kReadLog / 2)); }));
        LogQuery none = page(false, 0);
        none.content = QStringLiteral("no such text");
        std::printf("  filter matching nothing    %9.1f ms (scans every record)\n",
                    medianMicros(3, [&] { store.read(job, none); }) / 1000);
    }
    QFile::remove(root + QLatin1Char('/') + job + QStringLiteral("/log.idx"));
    {
        LogStore store(root);
        const auto start = Clock::now();
        store.read(job, page(false, kReadLog / 2));
        std::printf("  open without index + page  %9.1f ms (rebuilds it by a scan)\n",
                    secondsSince(start) * 1e3);
    }
    return 0;
}
