// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// The log lines the log benchmarks append: a pool of distinct lines in the
// mix of a real training log, made before any timing starts.
#pragma once

#include <random>
#include <vector>

#include <QByteArray>
#include <QDateTime>
#include <QList>

#include "api/job.h"
#include "models/logbuffer.h"

namespace pf::bench {

constexpr qsizetype kPool = 1 << 18;
constexpr qsizetype kPage = 1000;

struct PoolLine
{
    QByteArray text;
    int rank = 0;
    models::LogType type = models::LogType::Stdout;
};

// Distinct lines of 60-120 bytes in the mix of a real training log.
inline std::vector<PoolLine> makePool()
{
    std::mt19937 random(2026);
    std::vector<PoolLine> pool;
    pool.reserve(size_t(kPool));
    const auto num = [&](int n) { return QByteArray::number(qint64(random() % n)); };
    const auto real = [&](double scale, int decimals) {
        return QByteArray::number(double(random() % 100000) / 100000.0 * scale, 'f', decimals);
    };
    for (qsizetype i = 0; i < kPool; ++i) {
        const unsigned kind = random() % 200;
        PoolLine line;
        line.rank = int(i % 8);
        if (kind < 130) {
            line.text = "step " + QByteArray::number(i) + " | loss " + real(4, 5) +
                        " | lr 3.0e-04 | grad_norm " + real(3, 4) + " | tok/s " + num(120000) +
                        (kind % 2 ? " | mem 23.4GB" : "");
        } else if (kind < 160) {
            line.text = "\x1b[32mINFO\x1b[0m 2026-11-22 06:45:" + num(60) + "," + num(1000) +
                        " trainer.py:" + num(900) + "] saving checkpoint to /ckpt/step_" +
                        QByteArray::number(i) + (kind % 3 ? " (async)" : "");
        } else if (kind < 170) {
            line.text = "\x1b[33mWARNING\x1b[0m torch/distributed: rank " + num(8) + " waited " +
                        real(90, 1) + " s for the all-reduce of bucket " + num(64);
            line.type = models::LogType::Stderr;
        } else if (kind < 185) {
            const int done = int(random() % 11);
            line.text = "Epoch " + num(90) + ": " + QByteArray::number(done * 10) + "%|" +
                        QByteArray("\xe2\x96\x88").repeated(done) + QByteArray(10 - done, ' ') +
                        "| " + num(1000) + "/1000 [01:23<01:41,  5.42it/s, loss=" + real(4, 3) +
                        "]";
        } else if (kind < 199) {
            line.text = "  File \"/usr/lib/python3/dist-packages/torch/nn/modules/module.py\", "
                        "line " +
                        num(2000) + ", in _call_impl";
            line.type = models::LogType::Stderr;
        } else {
            // A tqdm bar as a process writes it, redraws and all.
            line.text = "  0%|          | 0/10 [00:00<?, ?it/s]\r 50%|#####     | 5/10 "
                        "[00:02<00:02,  2.1it/s]\r100%|##########| 10/10 [00:04<00:00,  2.2it/s]";
        }
        pool.push_back(std::move(line));
    }
    return pool;
}

// Pages of records for LogBuffer::append(), as the network layer hands them.
inline std::vector<QList<api::LogRecord>> makePages(const std::vector<PoolLine> &pool)
{
    std::vector<QList<api::LogRecord>> pages(64);
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(1795329900123, Qt::UTC);
    size_t next = 0;
    for (auto &page : pages) {
        page.reserve(kPage);
        for (qsizetype i = 0; i < kPage; ++i, ++next) {
            const PoolLine &line = pool[next % pool.size()];
            page.append({0, QString::fromUtf8(line.text), time.addMSecs(qint64(next)),
                         models::logTypeName(line.type), line.rank});
        }
    }
    return pages;
}

} // namespace pf::bench
