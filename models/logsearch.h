// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <atomic>
#include <memory>
#include <utility>
#include <vector>

#include <QObject>
#include <QString>
#include <QThreadPool>

#include "models/logbuffer.h"
#include "models/logfilter.h"

namespace pf::models {

// What to find: a plain string or a QRegularExpression (Perl syntax), with or
// without case. An empty pattern finds nothing.
struct LogSearchQuery
{
    QString pattern = {};
    bool regex = false;
    Qt::CaseSensitivity caseSensitivity = Qt::CaseInsensitive;

    friend bool operator==(const LogSearchQuery &, const LogSearchQuery &) = default;
};

// One match: a stretch of a line's visible text (LogLine::text(), ANSI
// sequences removed), in UTF-16 code units as the view lays text out.
struct LogMatch
{
    qsizetype line = 0; // buffer line index (LogFilter::rowOfLine() gives the row)
    int start = 0;
    int length = 0;

    friend bool operator==(const LogMatch &, const LogMatch &) = default;
};

// Every match of a query in a LogBuffer (only lines the LogFilter shows, if
// one is given), found on a worker thread and reported as it goes.
//
//   LogSearch search(&buffer, &filter);
//   connect(&search, &LogSearch::matchesAdded, view, ...);  // count, highlights
//   search.start({u"loss"_s});                               // cancels a running one
//   const qsizetype i = search.nextMatch(line, column);      // F3
//
// A line matches as it reads on screen: the query runs on each line's
// visible text, one line at a time (a match never spans lines). A plain
// string finds its non-overlapping occurrences left to right; a regex finds
// what QRegularExpression::globalMatch() finds, empty matches left out. Case
// folding is Qt's (QString::indexOf, QRegularExpression::CaseInsensitiveOption).
//
// Results: matches() is sorted by (line, start) and only ever grows until the
// next reset(); matchesAdded(first, count) says which entries are new,
// progressChanged() how far the scan is, finished() that it has caught up
// with the buffer. Lines appended later are searched as they come (a worker
// task at a time, so bursts coalesce) and finished() follows again. A new
// query, a new filter spec or the buffer's clear() drops the results
// (reset()) and starts over; the worker's stale results are discarded.
// Beyond kMaxStoredMatches matches, matchCount() goes on counting but
// matches() stops growing (isTruncated()).
//
// Threads: the object lives on the buffer's thread; the scan reads a
// LogSnapshot on a thread of its own pool and hands results back by queued
// calls. The destructor cancels the scan and waits for it (a few ms).
// The buffer (and filter) must outlive the search.
class LogSearch final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogSearch)

public:
    static constexpr qsizetype kMaxStoredMatches = 10'000'000;

    explicit LogSearch(LogBuffer *buffer, LogFilter *filter = nullptr, QObject *parent = nullptr);
    ~LogSearch() override;

    // Starts over with `query` (the same query again also restarts). An
    // invalid regex finds nothing: errorString() says why and
    // errorOccurred() is emitted.
    void start(const LogSearchQuery &query);
    // Stops and drops the results.
    void clear();

    const LogSearchQuery &query() const { return m_query; }
    QString errorString() const { return m_error; }
    // The worker has lines left to scan.
    bool isRunning() const { return m_running; }
    // Lines [0, scannedLines()) of the buffer have been searched.
    qsizetype scannedLines() const { return m_scanned; }

    qsizetype matchCount() const { return m_count; }
    bool isTruncated() const { return m_count > qsizetype(m_matches.size()); }
    const std::vector<LogMatch> &matches() const { return m_matches; }
    // The matches of one line, as indices [first, second) into matches().
    std::pair<qsizetype, qsizetype> matchesInLine(qsizetype line) const;
    // The first match that starts at or after `column` of `line` or on a
    // later line; with `wrap`, the first match if there is none after. -1
    // when there is none.
    qsizetype nextMatch(qsizetype line, qsizetype column = 0, bool wrap = true) const;
    // The last match that starts before `column` of `line` or on an earlier
    // line; with `wrap`, the last match if there is none before.
    qsizetype previousMatch(qsizetype line, qsizetype column, bool wrap = true) const;

Q_SIGNALS:
    void matchesAdded(qsizetype first, qsizetype count);
    void progressChanged(qsizetype scanned, qsizetype total);
    void finished();
    void reset();
    void errorOccurred(const QString &message);

private:
    void restart();
    void stopWorker();
    void startTask();
    void deliver(quint64 generation, std::vector<LogMatch> &matches, qsizetype found,
                 qsizetype scannedTo, bool done);

    LogBuffer *const m_buffer;
    LogFilter *const m_filter;
    LogSearchQuery m_query;
    LogFilterSpec m_spec; // the filter's spec the results are for
    QString m_error;
    bool m_active = false;
    bool m_running = false;
    quint64 m_generation = 0;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    qsizetype m_scanned = 0;
    qsizetype m_count = 0;
    std::vector<LogMatch> m_matches;
    QThreadPool m_pool;
};

} // namespace pf::models
