// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// The Logs tab with ten million lines: appending to LogBuffer alone against
// appending to it with its view model (a LogFilter showing ranks 0-3) and a
// LogView following the end, on screen (offscreen platform), the event loop
// run whenever 16 ms have passed as a live stream would; then scrolling the
// view over every line: wheel steps, pages, jumps to random places (a
// dragged thumb), and jumps with wrapping on. Each scroll is the scroll bar's
// setValue() plus a synchronous repaint of the viewport, timed together.
// Baseline in the same run: the same scrolls over a log of 1,000 lines, so
// the ratio says what ten million lines add. Printed: lines/s and bytes per
// line beyond the text; per scroll median, 99th percentile and worst, in ms
// and as a share of a 16 ms frame. No assertions on time.
//
//   pf_logview_bench [--lines N] [--quick]

#include <algorithm>
#include <cstdio>
#include <memory>
#include <random>

#include <QApplication>
#include <QElapsedTimer>
#include <QScrollBar>

#include "logpool.h"
#include "models/logbuffer.h"
#include "models/logfilter.h"
#include "ui/logs/logview.h"

using namespace pf;
using pf::bench::kPage;

namespace {

constexpr int kSteps = 300;

struct Timing
{
    double median = 0;
    double p99 = 0;
    double worst = 0;
};

Timing summarise(QList<double> ms)
{
    std::sort(ms.begin(), ms.end());
    return {ms.at(ms.size() / 2), ms.at(std::min<qsizetype>(ms.size() - 1, ms.size() * 99 / 100)),
            ms.last()};
}

double msSince(const QElapsedTimer &t)
{
    return double(t.nsecsElapsed()) / 1e6;
}

// Appends `lines` lines in pages of kPage records; with `live`, runs the
// event loop (the view's repaints) whenever 16 ms have passed. Seconds.
double appendAll(models::LogBuffer &buffer, const std::vector<QList<api::LogRecord>> &pages,
                 qsizetype lines, bool live)
{
    QElapsedTimer total;
    total.start();
    QElapsedTimer frame;
    frame.start();
    for (qsizetype i = 0; i < lines / kPage; ++i) {
        buffer.append(pages[size_t(i) % pages.size()]);
        if (live && frame.elapsed() >= 16) {
            QApplication::processEvents();
            frame.restart();
        }
    }
    if (live)
        QApplication::processEvents();
    return msSince(total) / 1e3;
}

// The scrolls, each setValue() + repaint(); per scroll ms.
struct Scrolls
{
    Timing wheel;
    Timing page;
    Timing jump;
    Timing jumpWrapped;
};

Scrolls scroll(ui::LogView &view)
{
    QScrollBar *bar = view.verticalScrollBar();
    std::mt19937 random(7);
    const auto run = [&](auto next) {
        QList<double> ms;
        for (int i = 0; i < kSteps; ++i) {
            QElapsedTimer t;
            t.start();
            bar->setValue(next());
            view.viewport()->repaint();
            ms.append(msSince(t));
        }
        return summarise(ms);
    };
    Scrolls s;
    view.setFollowing(false);
    bar->setValue(bar->maximum() / 3);
    s.wheel = run([&] { return bar->value() + 3; });
    s.page = run([&] { return bar->value() + bar->pageStep(); });
    const auto anywhere = [&] { return int(random() % unsigned(bar->maximum() + 1)); };
    s.jump = run(anywhere);
    view.setWrap(true);
    QApplication::processEvents();
    s.jumpWrapped = run(anywhere);
    view.setWrap(false);
    return s;
}

void printScroll(const char *what, const Timing &big, const Timing &small)
{
    std::printf("  %-22s %6.2f / %6.2f / %6.2f   %6.0f%%     %7.2f / %-14.2f %5.2f\n", what,
                big.median, big.p99, big.worst, 100.0 * big.p99 / 16.0, small.median, small.p99,
                big.median / small.median);
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    const bool quick = args.contains(QStringLiteral("--quick"));
    const qsizetype i = args.indexOf(QStringLiteral("--lines"));
    const qsizetype lines =
        std::max<qsizetype>(kPage, i > 0 && i + 1 < args.size() ? args.at(i + 1).toLongLong()
                                                                : (quick ? 200'000 : 10'000'000));

    const std::vector<bench::PoolLine> pool = bench::makePool();
    const std::vector<QList<api::LogRecord>> pages = bench::makePages(pool);
    std::printf("%lld lines in pages of %lld records\n\n", static_cast<long long>(lines),
                static_cast<long long>(kPage));

    // Appending: the buffer alone, and the buffer with its view model and a
    // view following it, in alternating rounds, the best of each kept (which
    // one runs in fresh memory changes its time by up to 2x on a VM, so each
    // starts with the other's freed). The last round's log stays for the
    // scrolling below.
    const int rounds = quick ? 2 : 3;
    double aloneSeconds = 1e300;
    double liveSeconds = 1e300;
    auto buffer = std::make_unique<models::LogBuffer>();
    auto filter = std::make_unique<models::LogFilter>(buffer.get());
    ui::LogView view;
    view.resize(1000, 700);
    view.show();
    for (int round = 0; round < rounds; ++round) {
        // Each run starts with the other's memory just freed.
        view.setFilter(nullptr);
        filter.reset();
        buffer.reset();
        {
            models::LogBuffer alone;
            aloneSeconds = std::min(aloneSeconds, appendAll(alone, pages, lines, false));
        }
        buffer = std::make_unique<models::LogBuffer>();
        filter = std::make_unique<models::LogFilter>(buffer.get());
        filter->setRanks({0, 1, 2, 3});
        view.setFilter(filter.get());
        view.setFollowing(true);
        QApplication::processEvents();
        liveSeconds = std::min(liveSeconds, appendAll(*buffer, pages, lines, true));
    }
    const double perLine = double(buffer->overheadBytes()) / double(buffer->size());
    std::printf("appending (LogBuffer::append of pages of records), best of %d rounds:\n", rounds);
    std::printf("  baseline: LogBuffer alone               %10.0f lines/s\n",
                double(lines) / aloneSeconds);
    std::printf("  with LogFilter (ranks 0-3) and LogView  %10.0f lines/s  ratio %.2f; "
                "%lld rows shown\n",
                double(lines) / liveSeconds, aloneSeconds / liveSeconds,
                static_cast<long long>(filter->rowCount()));
    std::printf("  memory beyond the text: %.1f bytes/line (LogBuffer's accounting)\n", perLine);
    std::printf("  targets: >= 1,000,000 lines/s: %s; <= 64 bytes/line: %s\n\n",
                double(lines) / liveSeconds >= 1e6 ? "met" : "MISSED",
                perLine <= 64 ? "met" : "MISSED");

    // Scrolling over every line (the filter off), against 1,000 lines.
    filter->setRanks({});
    QApplication::processEvents();
    const Scrolls big = scroll(view);
    models::LogBuffer smallBuffer;
    smallBuffer.append(pages.front());
    models::LogFilter smallFilter(&smallBuffer);
    ui::LogView smallView;
    smallView.setFilter(&smallFilter);
    smallView.resize(1000, 700);
    smallView.show();
    QApplication::processEvents();
    const Scrolls small = scroll(smallView);
    std::printf("scrolling, %d scrolls each (setValue + repaint), 1000x700 view:\n", kSteps);
    std::printf("  %-22s %-26s %-11s %-24s %s\n", "", "ms median / p99 / worst", "p99 of 16",
                "1,000 lines: median/p99", "ratio (median)");
    printScroll("wheel (3 lines)", big.wheel, small.wheel);
    printScroll("page down", big.page, small.page);
    printScroll("jump (random place)", big.jump, small.jump);
    printScroll("jump, wrapped lines", big.jumpWrapped, small.jumpWrapped);
    return 0;
}
