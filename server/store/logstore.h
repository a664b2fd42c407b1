// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <list>
#include <memory>
#include <mutex>

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include "api/job.h"

namespace pf::server {

// One log record as the agent reports it. `type` is "stdout", "stderr" or
// "vmlog" (platform records, node_rank -1).
struct LogRecordIn
{
    QByteArray content; // UTF-8
    qint64 timeMs = 0;
    QString type;
    int nodeRank = 0;
};

struct StoredLogRecord
{
    qint64 seq = 0;
    QString content;
    qint64 timeMs = 0;
    QString type;
    int nodeRank = 0;
};

// A page request. `cursor` is the seq of the last record of the previous page
// (0 = from the start when ascending, from the newest record otherwise).
// Filters combine with AND; an empty list does not filter.
// The record as the API shows it (REST text_log and the log websocket).
api::LogRecord toApi(const StoredLogRecord &record);

struct LogQuery
{
    static constexpr int MaxLimit = 10000;
    bool ascending = false;
    int limit = 100; // clamped to 1..MaxLimit
    qint64 cursor = 0;
    // Case-sensitive substring of the record's content (compared as UTF-8
    // bytes, so "Error" does not match "error"); empty = no filter.
    QString content;
    QList<int> nodeRanks;
    QStringList types; // unknown names match nothing
};

// `nextCursor` is the seq of the last record in `records` when the scan
// stopped because the page was full and records lie beyond it, else 0. With
// filters, the page after a full one may turn out empty.
struct LogPage
{
    QList<StoredLogRecord> records;
    qint64 nextCursor = 0;
};

// The job log records: one append-only file per job, `<root>/<job uuid>/log`,
// with a sparse index `<root>/<job uuid>/log.idx`, numbered per job by `seq`
// from 1. Not SQL, so that ingestion runs at disk speed.
//
// File format (integers little-endian), see logstore.cpp for the details:
//   log:     "PFLOG\0\0\1", then records:
//            u32 len | i64 seq | i64 time_ms | i32 node_rank | u8 type |
//            content (len - 21 bytes of UTF-8) | u32 CRC-32C of len..content
//   log.idx: "PFIDX\0\0\1", then (i64 seq, i64 offset) of the first record of
//            every block of about 256 records or 32 KiB.
// A torn tail (the process killed mid-append) fails its length or CRC check
// and is cut off when the job's log is next opened; the index is a cache,
// checked against the log and rebuilt from it where it falls short.
//
// Durability: writes reach the page cache with write(2), unsynced, so records
// survive the death of the process, not of the machine.
//
// Threads: every member is thread-safe. Appends to one job are serialised
// (their seqs never interleave); appends to different jobs and reads run in
// parallel, and a read never waits for an append's write to finish. A read
// sees the records appended before it started.
//
// Jobs are opened on first use and kept in an LRU cache of at most
// `maxOpenJobs` jobs (two descriptors each); a job in use by a call is never
// closed under it, so the bound is exceeded only while more jobs than that
// are in use at once. One LogStore per root: two processes (or two stores)
// appending to one job corrupt it.
//
// Job ids must be UUIDs in canonical lowercase form (QUuid::WithoutBraces),
// which keeps every path under the root; any other id throws
// std::invalid_argument from every member.
//
//   LogStore logs(dataDir + u"/jobs"_s);
//   const qint64 last = logs.append(jobId, {{u"hello"_s, nowMs(), u"stdout"_s, 0}});
//   LogPage newest = logs.read(jobId, LogQuery{}); // the newest 100, newest first
class LogStore
{
public:
    static constexpr int DefaultMaxOpenJobs = 64;
    // Content beyond this many UTF-8 bytes is cut (at a character boundary).
    static constexpr qsizetype MaxContentBytes = 1 << 20;

    explicit LogStore(const QString &root, int maxOpenJobs = DefaultMaxOpenJobs);
    ~LogStore();
    LogStore(const LogStore &) = delete;
    LogStore &operator=(const LogStore &) = delete;

    // Appends `records` in order, numbering them last + 1, ...; returns the
    // seq of the last one (the current last seq when `records` is empty).
    // Creates the job's folder and files on the first append. Throws
    // std::invalid_argument on an unknown type (nothing is written) and
    // StoreError on I/O failure (nothing is kept).
    qint64 append(const QString &jobId, const QList<LogRecordIn> &records);

    // A page of records. A job without a log reads as empty. Throws
    // StoreError on I/O failure or a corrupt record before the tail.
    LogPage read(const QString &jobId, const LogQuery &query) const;

    // The seq of the newest record, 0 when there is none.
    qint64 lastSeq(const QString &jobId) const;
    // The size of the job's log file in bytes (0 when it has none).
    qint64 size(const QString &jobId) const;

    // Deletes the job's log and index (and its folder when that is left
    // empty). Appends already under way on another thread fail with
    // StoreError; later appends start a new log at seq 1.
    void remove(const QString &jobId);

    // Jobs currently held open (for tests).
    int openJobs() const;

    static bool isValidJobId(const QString &jobId);

private:
    class JobLog;
    struct Slot
    {
        std::shared_ptr<JobLog> job;
        std::list<QString>::iterator lru;
    };

    std::shared_ptr<JobLog> acquire(const QString &jobId) const;

    const QString m_root;
    const int m_maxOpenJobs;
    mutable std::mutex m_mutex; // guards m_jobs and m_lru
    mutable QHash<QString, Slot> m_jobs;
    mutable std::list<QString> m_lru; // most recently used first
};

} // namespace pf::server
