// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// The studio's log core with ten million lines: LogBuffer's append rate and
// memory per line against plain containers of the same lines, and the time
// to rebuild a filter and to search the whole log.
//
// Lines: training-log-like text of 60-120 bytes (step lines, coloured INFO
// and WARNING lines, tqdm bars with '\r' and block characters, traceback
// lines), ranks 0-7, from a pool of distinct lines made beforehand so that
// only appending is timed. Appending: LogBuffer::appendLine() line by line,
// and LogBuffer::append() with pages of 1,000 api::LogRecord (the studio's
// path: QString content) against the same lines pushed into a
// std::vector<std::string> and a QStringList (QString::fromUtf8). Memory:
// bytes per line beyond the text, from LogBuffer's own accounting and from
// the process's resident size before and after (the baselines' likewise).
// The best of R rounds (2) is kept: which container comes first after
// another's memory was freed changes its time by up to 3x on a VM (fresh
// pages and huge pages), so every round runs them all. Then a LogFilter
// rebuild (rank 3 of 0-7, stderr only), and LogSearch over every line with
// plain strings and regexes, start() to finished(). --quick: 200,000 lines.
//
//   pf_logbuffer_bench [--lines N] [--rounds R] [--quick]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <malloc.h>
#include <unistd.h>

#include <QCoreApplication>
#include <QEventLoop>
#include <QStringList>
#include <QTimer>

#include "logpool.h"
#include "models/logbuffer.h"
#include "models/logfilter.h"
#include "models/logsearch.h"

using namespace Qt::StringLiterals;
using namespace pf;
using namespace pf::models;
using Clock = std::chrono::steady_clock;
using pf::bench::kPage;
using pf::bench::kPool;
using pf::bench::makePages;
using pf::bench::makePool;
using pf::bench::PoolLine;

namespace {

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Resident bytes of this process, after handing freed heap pages back, so
// that what one phase freed does not hide what the next one allocates.
qint64 residentBytes()
{
    ::malloc_trim(0);
    FILE *f = std::fopen("/proc/self/statm", "r");
    long pages = 0;
    long resident = 0;
    if (f) {
        if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        std::fclose(f);
    }
    return qint64(resident) * ::sysconf(_SC_PAGESIZE);
}

// Runs `search` to its finished().
double timeSearch(LogSearch &search, const LogSearchQuery &query)
{
    QEventLoop loop;
    QObject::connect(&search, &LogSearch::finished, &loop, &QEventLoop::quit);
    const auto start = Clock::now();
    search.start(query);
    if (search.isRunning())
        loop.exec();
    return secondsSince(start);
}

struct Figures
{
    double seconds = 1e9; // the best round's
    qint64 rss = 0;       // resident bytes added (the last round's)

    void add(double roundSeconds, qint64 roundRss)
    {
        seconds = std::min(seconds, roundSeconds);
        rss = roundRss;
    }
};

// Times `fill(container)` into a fresh container; the container is then
// handed to `after` (if any) before it is destroyed.
template <typename Container, typename Fill, typename After>
void measure(Figures &figures, Fill fill, After after)
{
    Container container;
    const qint64 before = residentBytes();
    const auto start = Clock::now();
    fill(container);
    const double seconds = secondsSince(start);
    figures.add(seconds, residentBytes() - before);
    after(container);
}

// A filter rebuilt over every line, and searches over every line.
void filterAndSearch(LogBuffer &log)
{
    const qsizetype lines = log.size();
    LogFilter filter(&log);
    auto t = Clock::now();
    filter.setRanks({3});
    const double rankRebuild = secondsSince(t);
    const qsizetype rankRows = filter.rowCount();
    t = Clock::now();
    filter.setSpec({{}, {LogType::Stderr}});
    const double typeRebuild = secondsSince(t);
    const qsizetype typeRows = filter.rowCount();
    filter.setSpec({});
    std::printf("filter rebuild over %lld lines: rank 3 of 0-7 %.1f ms (%lld rows), stderr "
                "%.1f ms (%lld rows)\n",
                lines, rankRebuild * 1e3, rankRows, typeRebuild * 1e3, typeRows);

    LogSearch search(&log, &filter);
    std::printf("search over %lld lines, start() to finished():\n", lines);
    const auto report = [&](const char *what, const LogSearchQuery &query) {
        const double seconds = timeSearch(search, query);
        std::printf("  %-30s %7.0f ms  %9lld matches  %5.1f M lines/s\n", what, seconds * 1e3,
                    search.matchCount(), double(lines) / seconds / 1e6);
    };
    report("plain \"saving checkpoint\"", {u"saving checkpoint"_s, false, Qt::CaseSensitive});
    report("plain \"WARNING\", any case", {u"WARNING"_s, false, Qt::CaseInsensitive});
    report("regex \"tok/s 11\\d{4}\\b\"", {u"tok/s 11\\d{4}\\b"_s, true, Qt::CaseSensitive});
    report("regex \"nan|inf\", any case", {u"nan|inf"_s, true, Qt::CaseInsensitive});
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    qsizetype lines = 10'000'000;
    int rounds = 2;
    const QStringList args = app.arguments();
    for (qsizetype i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--lines") && i + 1 < args.size()) {
            lines = std::max<qsizetype>(kPage, args[++i].toLongLong());
        } else if (args[i] == QLatin1String("--rounds") && i + 1 < args.size()) {
            rounds = std::max(1, args[++i].toInt());
        } else if (args[i] == QLatin1String("--quick")) {
            lines = 200'000;
        } else {
            std::fprintf(stderr, "usage: pf_logbuffer_bench [--lines N] [--rounds R] [--quick]\n");
            return 2;
        }
    }
    lines = (lines + kPage - 1) / kPage * kPage;

    const std::vector<PoolLine> pool = makePool();
    qint64 textBytes = 0;
    for (qsizetype i = 0; i < lines; ++i)
        textBytes += pool[size_t(i % kPool)].text.size();
    std::printf("%lld lines, %.1f bytes of text a line on average (pool of %lld distinct "
                "lines)\n",
                lines, double(textBytes) / double(lines), kPool);

    // Each round appends the lines to a fresh LogBuffer (line by line, then
    // in pages of records) and to the baselines; the best time of each is
    // kept, as the first touch of memory in a fresh process (and on a VM)
    // costs more than the appending. The last round's LogBuffer is then
    // filtered and searched.
    const auto pages = makePages(pool);
    Figures buffer;
    Figures records;
    Figures strings;
    Figures qstrings;
    double accountedPerLine = 0;
    qint64 storedText = 0;
    for (int round = 0; round < rounds; ++round) {
        const bool last = round == rounds - 1;
        measure<LogBuffer>(
            buffer,
            [&](LogBuffer &log) {
                for (qsizetype i = 0; i < lines; ++i) {
                    const PoolLine &line = pool[size_t(i % kPool)];
                    log.appendLine(line.text, line.rank, line.type, 1795329900123 + i, i + 1);
                }
            },
            [&](LogBuffer &log) {
                accountedPerLine = double(log.overheadBytes()) / double(log.size());
                storedText = log.textBytes();
                if (last)
                    filterAndSearch(log);
            });
        measure<LogBuffer>(
            records,
            [&](LogBuffer &log) {
                for (qsizetype done = 0, p = 0; done < lines; done += kPage, ++p)
                    log.append(pages[size_t(p) % pages.size()]);
            },
            [](LogBuffer &) {});
        measure<std::vector<std::string>>(
            strings,
            [&](std::vector<std::string> &v) {
                for (qsizetype i = 0; i < lines; ++i) {
                    const QByteArray &text = pool[size_t(i % kPool)].text;
                    v.emplace_back(text.constData(), size_t(text.size()));
                }
            },
            [](std::vector<std::string> &) {});
        measure<QStringList>(
            qstrings,
            [&](QStringList &list) {
                for (qsizetype i = 0; i < lines; ++i)
                    list.append(QString::fromUtf8(pool[size_t(i % kPool)].text));
            },
            [](QStringList &) {});
    }

    const auto overhead = [&](const Figures &f, qint64 text) {
        return double(f.rss - text) / double(lines);
    };
    std::printf("appending, best of %d rounds:\n", rounds);
    std::printf("  LogBuffer::appendLine()           %10.0f lines/s  (%.3f s)\n",
                double(lines) / buffer.seconds, buffer.seconds);
    std::printf("  LogBuffer::append(1,000 records)  %10.0f lines/s  (%.3f s)\n",
                double(lines) / records.seconds, records.seconds);
    std::printf("  baseline std::vector<std::string> %10.0f lines/s  (%.3f s)\n",
                double(lines) / strings.seconds, strings.seconds);
    std::printf("  baseline QStringList (fromUtf8)   %10.0f lines/s  (%.3f s)\n",
                double(lines) / qstrings.seconds, qstrings.seconds);
    std::printf("memory beyond the text, bytes per line:\n");
    std::printf("  LogBuffer          %6.1f by RSS, %.1f by its accounting (text stored: %.1f "
                "bytes/line, '\\r' resolved)\n",
                overhead(buffer, storedText), accountedPerLine, double(storedText) / double(lines));
    std::printf("  std::vector<string> %5.1f by RSS\n", overhead(strings, textBytes));
    std::printf("  QStringList        %6.1f by RSS (beyond the UTF-8 text; UTF-16 doubles it)\n",
                overhead(qstrings, textBytes));
    std::printf("ratios: LogBuffer appends at %.2fx std::vector<std::string>'s rate and %.2fx "
                "QStringList's; its overhead is %.2fx vector's\n",
                strings.seconds / buffer.seconds, qstrings.seconds / buffer.seconds,
                overhead(buffer, storedText) / overhead(strings, textBytes));

    const double rate = double(lines) / buffer.seconds;
    const double rssPerLine = overhead(buffer, storedText);
    std::printf("targets: >= 1,000,000 lines/s: %s; <= 64 bytes/line beyond the text: %s\n",
                rate >= 1e6 ? "met" : "MISSED",
                std::max(accountedPerLine, rssPerLine) <= 64 ? "met" : "MISSED");
    return 0;
}
