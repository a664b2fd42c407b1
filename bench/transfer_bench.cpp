// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// The studio's transfers: a 2 GiB folder (four files of 448 MiB and 256 of
// 1 MiB) uploaded into a new dataset through TransferQueue to a loopback
// pfd, and downloaded back, with the Transfers panel showing both, next to
// `cp -r` of the same folder on the same disk in the same run (timed before
// and after; the faster is the baseline; also `cp -r` then `sync`, as pfd
// makes what it stores durable, and `openssl md5` of the folder: the
// checksums every byte goes through each way). Also the process's RSS while
// it transfers, against its RSS just before. Targets: at least 0.5 of `cp`
// both ways; under 100 MB above idle.
//
//   pf_transfer_bench [--quick] [--mib N] [--at-once N]

#include <cstdio>

#include <fcntl.h>
#include <unistd.h>

#include <QApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QProcess>
#include <QTimer>

#include "bench/benchserver.h"
#include "network/apisession.h"
#include "network/pfapi.h"
#include "network/transferqueue.h"
#include "tests/support/streamtransfer.h"
#include "ui/transfers/transferspanel.h"

using pf::bench::timeCommand;
using pf::network::TransferQueue;

namespace {

constexpr qint64 kMiB = 1024 * 1024;

// This process's resident set, in bytes (VmRSS).
qint64 rssBytes()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong() * 1024;
    return 0;
}

bool writeFile(const QString &path, qint64 size, std::uint32_t seed)
{
    QDir().mkpath(QFileInfo(path).path());
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::vector<char> buffer(kMiB);
    for (qint64 at = 0; at < size; at += kMiB) {
        const std::size_t n = std::size_t(std::min(kMiB, size - at));
        pf::test::fillPattern(buffer.data(), std::uint64_t(at), n, seed);
        if (::write(fd, buffer.data(), n) != ssize_t(n))
            return false;
    }
    ::fsync(fd);
    ::close(fd);
    return true;
}

// Runs the event loop until `id` ends, sampling the RSS every 20 ms; the
// highest sample.
qint64 runTransfer(TransferQueue &queue, const QString &id)
{
    qint64 peak = rssBytes();
    QEventLoop loop;
    QTimer sample;
    QObject::connect(&sample, &QTimer::timeout, &loop, [&] { peak = std::max(peak, rssBytes()); });
    QObject::connect(&queue, &TransferQueue::finished, &loop, [&](const QString &which) {
        if (which == id)
            loop.quit();
    });
    sample.start(20);
    if (queue.transfer(id)->state == TransferQueue::State::Running)
        loop.exec();
    return std::max(peak, rssBytes());
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("pf.*.debug=false"));
    const QStringList args = app.arguments();
    qint64 total = args.contains(QStringLiteral("--quick")) ? 128 * kMiB : 2048 * kMiB;
    if (const qsizetype i = args.indexOf(QStringLiteral("--mib")); i > 0 && i + 1 < args.size())
        total = args.at(i + 1).toLongLong() * kMiB;

    int atOnce = 4; // the studio's default
    if (const qsizetype i = args.indexOf(QStringLiteral("--at-once")); i > 0 && i + 1 < args.size())
        atOnce = args.at(i + 1).toInt();

    pf::bench::BenchServer server;
    if (!server.start())
        return 1;
    // Seven eighths in four large files (multipart up, ranges down), the
    // rest in 1 MiB files (one PUT or GET each).
    const QString source = server.scratch() + QStringLiteral("/folder");
    const qint64 large = total * 7 / 8 / 4 / kMiB * kMiB;
    const int small = int((total - 4 * large) / kMiB);
    for (int i = 0; i < 4; ++i)
        if (!writeFile(QStringLiteral("%1/shard-%2.bin").arg(source).arg(i), large, 100 + i))
            return 1;
    for (int i = 0; i < small; ++i)
        if (!writeFile(QStringLiteral("%1/small/%2.bin").arg(source).arg(i, 4, 10, QChar(u'0')),
                       kMiB, 1000 + i))
            return 1;
    const double mib = double(4 * large + small * kMiB) / double(kMiB);
    const QString copy = server.scratch() + QStringLiteral("/copy");
    const auto cpOnce = [&] {
        const double s = timeCommand(QStringLiteral("cp -r %1 %2").arg(source, copy));
        QDir(copy).removeRecursively();
        return s;
    };
    const double cpBefore = cpOnce();
    const double cpSync = timeCommand(QStringLiteral("cp -r %1 %2 && sync").arg(source, copy));
    QDir(copy).removeRecursively();
    const double md5 = timeCommand(
        QStringLiteral("find %1 -type f -exec openssl md5 {} + > /dev/null").arg(source));

    pf::network::ApiSession session(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(server.port())));
    session.setTokens(server.accessToken(), server.refreshToken());
    pf::network::PfApi api(&session);
    TransferQueue queue(&api, server.scratch() + QStringLiteral("/state"));
    pf::ui::TransfersPanel panel;
    panel.resize(900, 200);
    panel.setQueue(&queue);
    queue.setMaxRequests(atOnce); // after the panel, which applies the saved setting
    panel.show();
    const qint64 id =
        server.client()
            .postJson(QStringLiteral("/api/project/%1/datastore/").arg(server.projectId()),
                      {{QStringLiteral("name"), QStringLiteral("bench")},
                       {QStringLiteral("vendor"), QStringLiteral("fai")},
                       {QStringLiteral("active"), false}})
            .json()
            .value(QStringLiteral("id"))
            .toInteger();
    QStringList problems;
    const auto files = TransferQueue::filesToUpload({source}, &problems);
    QElapsedTimer settle;
    settle.start();
    while (settle.elapsed() < 500)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    const qint64 idle = rssBytes();

    QElapsedTimer t;
    t.start();
    const QString up = queue.upload(TransferQueue::Target::dataset(id), QStringLiteral("bench"),
                                    files, {{QStringLiteral("active"), true}});
    const qint64 upPeak = runTransfer(queue, up);
    const double upSeconds = double(t.nsecsElapsed()) / 1e9;
    const bool upDone = queue.transfer(up)->state == TransferQueue::State::Done;
    const qint64 upPuts = queue.putsSent();

    // Down: every file of the dataset, as listed.
    QList<TransferQueue::File> fetch;
    const QString target = server.scratch() + QStringLiteral("/downloaded");
    for (const auto &[local, remote] : files) {
        TransferQueue::File f;
        f.remotePath = remote;
        f.localPath = target + u'/' + remote;
        f.size = QFileInfo(local).size();
        fetch.append(f);
    }
    t.restart();
    const QString down =
        queue.download(TransferQueue::Target::dataset(id), QStringLiteral("bench"), fetch);
    const qint64 downPeak = runTransfer(queue, down);
    const double downSeconds = double(t.nsecsElapsed()) / 1e9;
    const bool downDone = queue.transfer(down)->state == TransferQueue::State::Done;
    const bool same =
        QProcess::execute(QStringLiteral("diff"), {QStringLiteral("-rq"), source, target}) == 0;
    const double cpAfter = cpOnce();
    const double cp = std::min(cpBefore, cpAfter);

    std::printf("transfers: a %.0f MiB folder (4 x %lld MiB, %d x 1 MiB) through TransferQueue "
                "and a loopback pfd\n",
                mib, large / kMiB, small);
    std::printf("  %-34s %7.2f s %8.0f MiB/s\n", "cp -r (before)", cpBefore, mib / cpBefore);
    std::printf("  %-34s %7.2f s %8.0f MiB/s\n", "cp -r (after)", cpAfter, mib / cpAfter);
    std::printf("  %-34s %7.2f s %8.0f MiB/s\n", "cp -r, then sync", cpSync, mib / cpSync);
    std::printf("  %-34s %7.2f s %8.0f MiB/s\n", "openssl md5 of every file", md5, mib / md5);
    std::printf("  %-34s %7.2f s %8.0f MiB/s  %s, %lld PUTs\n", "upload (new dataset)", upSeconds,
                mib / upSeconds, upDone ? "done" : "NOT DONE", upPuts);
    std::printf("  %-34s %7.2f s %8.0f MiB/s  %s, %lld GETs, %s\n", "download (checked, renamed)",
                downSeconds, mib / downSeconds, downDone ? "done" : "NOT DONE", queue.getsSent(),
                same ? "identical" : "DIFFERENT");
    const double upRatio = cp / upSeconds;
    const double downRatio = cp / downSeconds;
    std::printf("  ratio to the faster cp: upload %.2f, download %.2f (target 0.5): %s\n", upRatio,
                downRatio, upRatio >= 0.5 && downRatio >= 0.5 ? "met" : "NOT met");
    std::printf("  ratio to cp + sync: upload %.2f, download %.2f\n", cpSync / upSeconds,
                cpSync / downSeconds);
    std::printf("  ratio to the MD5 of every file: upload %.2f, download %.2f\n", md5 / upSeconds,
                md5 / downSeconds);
    const double idleMb = double(idle) / 1e6;
    const double upMb = double(upPeak - idle) / 1e6;
    const double downMb = double(downPeak - idle) / 1e6;
    std::printf("  RSS: idle %.1f MB; peak above idle: upload %.1f MB, download %.1f MB "
                "(target < 100): %s\n",
                idleMb, upMb, downMb, upMb < 100 && downMb < 100 ? "met" : "NOT met");
    return upDone && downDone && same ? 0 : 1;
}
