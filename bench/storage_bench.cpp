// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// Object store throughput: a file of N bytes (2 GiB by default) uploaded to
// a dataset through its signed URL and downloaded back, on loopback, next to
// `cp` of the same file on the same disk in the same run. pfd fsyncs what
// it stores, so `cp` is timed both alone and followed by `sync` of the
// copy. Target: at least 0.6 of `cp` both ways.
//
//   pf_storage_bench [--quick] [--bytes N]

#include <cstdio>

#include <fcntl.h>
#include <unistd.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QUrl>

#include "bench/benchserver.h"
#include "tests/support/streamtransfer.h"

using pf::bench::BenchServer;
using pf::bench::timeCommand;

namespace {} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    std::uint64_t size = args.contains(QStringLiteral("--quick")) ? 128ull << 20 : 2048ull << 20;
    if (const qsizetype i = args.indexOf(QStringLiteral("--bytes")); i > 0 && i + 1 < args.size())
        size = args.at(i + 1).toULongLong();

    BenchServer server;
    if (!server.start())
        return 1;
    const QString source = server.scratch() + QStringLiteral("/source.bin");
    {
        const int fd =
            ::open(QFile::encodeName(source).constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        std::vector<char> buffer(1 << 20);
        for (std::uint64_t at = 0; at < size; at += buffer.size()) {
            const std::size_t n = std::size_t(std::min<std::uint64_t>(buffer.size(), size - at));
            pf::test::fillPattern(buffer.data(), at, n);
            if (::write(fd, buffer.data(), n) != ssize_t(n))
                return 1;
        }
        ::fsync(fd);
        ::close(fd);
    }

    // The baselines, on the same disk.
    // What an upload answering an S3-style ETag cannot beat: MD5 of the
    // file (OpenSSL's, as pfd uses), from the page cache, on one core.
    const double md5Seconds = timeCommand(QStringLiteral("openssl md5 %1 > /dev/null").arg(source));
    const QString copy = server.scratch() + QStringLiteral("/copy.bin");
    const double cp = timeCommand(QStringLiteral("cp %1 %2").arg(source, copy));
    QFile::remove(copy);
    const double cpSync = timeCommand(QStringLiteral("cp %1 %2 && sync %2").arg(source, copy));
    QFile::remove(copy);

    pf::test::HttpClient &c = server.client();
    const qint64 id =
        c.postJson(QStringLiteral("/api/project/%1/datastore/").arg(server.projectId()),
                   {{QStringLiteral("name"), QStringLiteral("bench")},
                    {QStringLiteral("vendor"), QStringLiteral("fai")}})
            .json()
            .value(QStringLiteral("id"))
            .toInteger();
    const QString uploadUrl =
        c.postJson(QStringLiteral("/api/datastore/%1/upload/").arg(id),
                   {{QStringLiteral("paths"), QJsonArray{QStringLiteral("f")}}})
            .jsonArray()
            .at(0)
            .toObject()
            .value(QStringLiteral("upload_url"))
            .toString();

    const int in = ::open(QFile::encodeName(source).constData(), O_RDONLY);
    const auto up = pf::test::streamPut(server.port(), pf::test::targetOf(uploadUrl), size,
                                        [in](std::uint64_t at, char *out, std::size_t n) {
                                            if (::pread(in, out, n, off_t(at)) != ssize_t(n))
                                                std::abort();
                                        });
    ::close(in);
    c.patchJson(QStringLiteral("/api/datastore/%1/").arg(id),
                {{QStringLiteral("files"),
                  QJsonArray{QJsonObject{{QStringLiteral("path"), QStringLiteral("f")},
                                         {QStringLiteral("size"), qint64(size)}}}},
                 {QStringLiteral("active"), true}});
    const QString downloadUrl = c.get(QStringLiteral("/api/datastore/%1/download/").arg(id))
                                    .json()
                                    .value(QStringLiteral("files"))
                                    .toArray()
                                    .at(0)
                                    .toObject()
                                    .value(QStringLiteral("download_url"))
                                    .toString();
    const QString target = server.scratch() + QStringLiteral("/downloaded.bin");
    const int out =
        ::open(QFile::encodeName(target).constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    QElapsedTimer t;
    t.start();
    const auto down =
        pf::test::streamGet(server.port(), pf::test::targetOf(downloadUrl), std::nullopt,
                            [out](std::uint64_t at, const char *data, std::size_t n) {
                                if (::pwrite(out, data, n, off_t(at)) != ssize_t(n))
                                    std::abort();
                            });
    ::fsync(out);
    ::close(out);
    const double downSeconds = double(t.nsecsElapsed()) / 1e9;
    const bool same =
        QProcess::execute(QStringLiteral("cmp"), {QStringLiteral("-s"), source, target}) == 0;

    const double mib = double(size) / double(1 << 20);
    std::printf("object store throughput: a %.0f MiB file through pfd on loopback\n", mib);
    std::printf("  %-28s %8.2f s %9.0f MiB/s\n", "cp", cp, mib / cp);
    std::printf("  %-28s %8.2f s %9.0f MiB/s\n", "cp + sync of the copy", cpSync, mib / cpSync);
    std::printf("  %-28s %8.2f s %9.0f MiB/s\n", "openssl md5 of the file", md5Seconds,
                mib / md5Seconds);
    std::printf("  %-28s %8.2f s %9.0f MiB/s  HTTP %d, ETag %s\n", "upload (PUT, fsync'ed)",
                up.seconds, mib / up.seconds, up.status, up.header("etag").c_str());
    std::printf("  %-28s %8.2f s %9.0f MiB/s  HTTP %d, %s\n", "download (GET, fsync'ed)",
                downSeconds, mib / downSeconds, down.status, same ? "identical" : "DIFFERENT");
    std::printf("  %-28s %8.2f s %9.0f MiB/s\n", "  of which the last byte at", down.seconds,
                mib / down.seconds);
    const double upRatio = cp / up.seconds;
    const double downRatio = cp / downSeconds;
    std::printf("  ratio to cp: upload %.2f, download %.2f (target 0.6): %s\n", upRatio, downRatio,
                upRatio >= 0.6 && downRatio >= 0.6 ? "met" : "NOT met");
    std::printf("  ratio to cp + sync: upload %.2f, download %.2f\n", cpSync / up.seconds,
                cpSync / downSeconds);
    std::printf("  upload against its MD5 ceiling: %.2f\n", md5Seconds / up.seconds);
    return up.status == 200 && down.status == 200 && same ? 0 : 1;
}
