// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <cstdio>

#include <gtest/gtest.h>

#include <QElapsedTimer>

#include "agent/linesplitter.h"
#include "agent/recordbuffer.h"
#include "tests/agent/agenttestutil.h"

using namespace pf::agent;

// The agent's hot path without the network: chunks as read from a pipe,
// split into lines, encoded into the record buffer, cut into 1 MiB report
// bodies and acknowledged. Prints the rate; fails only far below the
// "hundreds of thousands of lines per second" the agent must sustain, even
// in a debug build.
TEST(Throughput, SplitterAndRecordBuffer)
{
    QByteArray data;
    const int lines = 1000000;
    data.reserve(lines * 64);
    for (int i = 0; i < lines; ++i) {
        data += "step ";
        data += QByteArray::number(i);
        data += i % 10 == 0 ? " loss=0.123456 lr=1e-4 \xE2\x9C\x93 progress\r"
                            : " loss=0.123456 lr=1e-4 tokens/s=12345.6 gpu=97%\n";
    }
    LineSplitter splitter;
    RecordBuffer buffer;
    qint64 records = 0;
    qint64 bodyBytes = 0;
    QElapsedTimer timer;
    timer.start();
    constexpr qsizetype chunk = 256 * 1024;
    for (qsizetype pos = 0; pos < data.size(); pos += chunk) {
        const QByteArrayView view =
            QByteArrayView(data).sliced(pos, qMin(chunk, data.size() - pos));
        splitter.feed(view, [&](QByteArrayView line) {
            buffer.appendLog(LogType::Stdout, line, 1700000000000);
            ++records;
        });
        while (buffer.pendingBytes() >= 1024 * 1024) {
            const auto batch = buffer.batch(1024 * 1024);
            bodyBytes += batch.body.size();
            buffer.acknowledge(batch.lastSeq);
        }
    }
    splitter.finish([&](QByteArrayView line) {
        buffer.appendLog(LogType::Stdout, line, 1700000000000);
        ++records;
    });
    while (!buffer.isEmpty()) {
        const auto batch = buffer.batch(1024 * 1024);
        bodyBytes += batch.body.size();
        buffer.acknowledge(batch.lastSeq);
    }
    const double seconds = qMax<qint64>(timer.nsecsElapsed(), 1) / 1e9;
    EXPECT_EQ(records, lines);
    const double rate = records / seconds;
    std::printf("[ rate     ] %lld lines (%.1f MiB in, %.1f MiB of JSON) in %.3f s: %.0f lines/s\n",
                static_cast<long long>(records), data.size() / 1048576.0, bodyBytes / 1048576.0,
                seconds, rate);
    RecordProperty("lines_per_second", int(rate));
    EXPECT_GT(rate, 100000.0);
}
