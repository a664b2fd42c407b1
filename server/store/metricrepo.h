// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QList>
#include <QPair>
#include <QSqlDatabase>

namespace pf::server {

struct MetricSample
{
    QString name;
    qint64 step = 0;
    double value = 0;
    qint64 timeMs = 0;
};

struct MetricBucketRow
{
    qint64 fromStep = 0;
    qint64 toStep = 0;
    double first = 0;
    double last = 0;
    double min = 0;
    double max = 0;
    qint64 count = 0;
};

// Job metrics, one value per job, name and step (a step reported again
// replaces the value).
class MetricRepo
{
public:
    explicit MetricRepo(QSqlDatabase db);

    void put(const QString &jobId, const QList<MetricSample> &samples);
    // Names with their point counts, by name.
    QList<QPair<QString, qint64>> names(const QString &jobId);
    // Points with step > sinceStep, by step, at most `limit`.
    QList<MetricSample> points(const QString &jobId, const QString &name, qint64 sinceStep,
                               int limit);
    // `buckets` equal step ranges over [fromStep, toStep]; empty buckets are left out.
    QList<MetricBucketRow> buckets(const QString &jobId, const QString &name, int buckets,
                                   qint64 fromStep, qint64 toStep);
    // The step range of a series, or {0, -1} when it has no points.
    QPair<qint64, qint64> range(const QString &jobId, const QString &name);

private:
    QSqlDatabase m_db;
};

} // namespace pf::server
