// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "metricrepo.h"

#include "server/store/database.h"

namespace pf::server {

MetricRepo::MetricRepo(QSqlDatabase db)
    : m_db(std::move(db))
{}

void MetricRepo::put(const QString &jobId, const QList<MetricSample> &samples)
{
    for (const MetricSample &s : samples)
        runSql(
            m_db,
            QStringLiteral("INSERT INTO job_metrics (job_id, name, step, value, time_ms) VALUES "
                           "(?, ?, ?, ?, ?) "
                           "ON CONFLICT (job_id, name, step) DO UPDATE SET value = excluded.value, "
                           "time_ms = excluded.time_ms"),
            {jobId, s.name, s.step, s.value, s.timeMs});
}

QList<QPair<QString, qint64>> MetricRepo::names(const QString &jobId)
{
    QSqlQuery q = runSql(
        m_db,
        QStringLiteral(
            "SELECT name, COUNT(*) FROM job_metrics WHERE job_id = ? GROUP BY name ORDER BY name"),
        {jobId});
    QList<QPair<QString, qint64>> out;
    while (q.next())
        out.append({q.value(0).toString(), q.value(1).toLongLong()});
    return out;
}

QList<MetricSample> MetricRepo::points(const QString &jobId, const QString &name, qint64 sinceStep,
                                       int limit)
{
    QSqlQuery q = runSql(
        m_db,
        QStringLiteral("SELECT step, value, time_ms FROM job_metrics WHERE job_id = ? AND name = ? "
                       "AND step > ? ORDER BY step LIMIT ?"),
        {jobId, name, sinceStep, limit});
    QList<MetricSample> out;
    while (q.next())
        out.append({name, q.value(0).toLongLong(), q.value(1).toDouble(), q.value(2).toLongLong()});
    return out;
}

QPair<qint64, qint64> MetricRepo::range(const QString &jobId, const QString &name)
{
    QSqlQuery q = runSql(
        m_db,
        QStringLiteral(
            "SELECT MIN(step), MAX(step), COUNT(*) FROM job_metrics WHERE job_id = ? AND name = ?"),
        {jobId, name});
    if (!q.next() || q.value(2).toLongLong() == 0)
        return {0, -1};
    return {q.value(0).toLongLong(), q.value(1).toLongLong()};
}

QList<MetricBucketRow> MetricRepo::buckets(const QString &jobId, const QString &name, int buckets,
                                           qint64 fromStep, qint64 toStep)
{
    QList<MetricBucketRow> out;
    if (buckets <= 0 || toStep < fromStep)
        return out;
    const qint64 span = toStep - fromStep + 1;
    // Min, max and count come from SQL per bucket; first and last are the
    // values at each bucket's smallest and largest step.
    QSqlQuery q = runSql(
        m_db,
        QStringLiteral("SELECT b, MIN(step), MAX(step), MIN(value), MAX(value), COUNT(*) FROM "
                       "(SELECT ((step - ?) * ?) / ? AS b, step, value FROM job_metrics "
                       "WHERE job_id = ? AND name = ? AND step >= ? AND step <= ?) t "
                       "GROUP BY b ORDER BY b"),
        {fromStep, qint64(buckets), span, jobId, name, fromStep, toStep});
    while (q.next()) {
        const qint64 b = q.value(0).toLongLong();
        MetricBucketRow r;
        r.fromStep = fromStep + (b * span + buckets - 1) / buckets;
        r.toStep = fromStep + ((b + 1) * span + buckets - 1) / buckets - 1;
        r.min = q.value(3).toDouble();
        r.max = q.value(4).toDouble();
        r.count = q.value(5).toLongLong();
        const qint64 firstStep = q.value(1).toLongLong();
        const qint64 lastStep = q.value(2).toLongLong();
        QSqlQuery v = runSql(
            m_db,
            QStringLiteral("SELECT step, value FROM job_metrics WHERE job_id = ? AND name = ? AND "
                           "step IN (?, ?)"),
            {jobId, name, firstStep, lastStep});
        while (v.next()) {
            if (v.value(0).toLongLong() == firstStep)
                r.first = v.value(1).toDouble();
            if (v.value(0).toLongLong() == lastStep)
                r.last = v.value(1).toDouble();
        }
        out.append(r);
    }
    return out;
}

} // namespace pf::server
