// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <vector>

#include <QList>
#include <QObject>

#include "models/logbuffer.h"

namespace pf::models {

// Which lines of a log to show, by node rank and stream.
struct LogFilterSpec
{
    QList<int> ranks = {};     // empty: every rank (kPlatformRank: platform lines)
    QList<LogType> types = {}; // empty: every type

    bool showsEverything() const { return ranks.isEmpty() && types.isEmpty(); }

    friend bool operator==(const LogFilterSpec &, const LogFilterSpec &) = default;
};

// A LogFilterSpec compiled for scans: accepts() is a few loads and no branch
// on the lists. A value; use on any thread.
class LogLineMatcher
{
public:
    explicit LogLineMatcher(const LogFilterSpec &spec = {});

    bool acceptsAll() const { return m_all; }
    bool accepts(int rank, LogType type) const;
    // `key` as LogSnapshot::key() gives it.
    bool accepts(quint32 key) const
    {
        const quint32 rankSlot = key & 0xffff;
        return (m_types >> ((key >> 16) & 0xff) & 1) &&
               (m_allRanks || (rankSlot < m_ranks.size() && m_ranks[rankSlot]));
    }

private:
    std::vector<quint8> m_ranks; // by rank + 1
    quint32 m_types = 0;         // a bit per LogType
    bool m_allRanks = true;
    bool m_all = true;
};

// The rows of a log view: the lines of a LogBuffer that a LogFilterSpec
// passes, in order, as a table from row to line index (4 bytes a shown
// line; none while the spec shows everything, when row == line).
//
//   LogFilter filter(&buffer);
//   filter.setSpec({{0, 1}, {LogType::Stdout}});   // rebuilt: rowsReset()
//   for (row in visible rows) paint(filter.lineAt(row)) ...
//
// Kept up to date as lines arrive: on the buffer's linesAppended the new
// lines that pass are added to the table and rowsAppended(firstRow, count)
// follows at once (nothing when none passes). A new spec, or the buffer's
// clear(), rebuilds the table (3-5 ns a line: 10 million lines in 30-50
// ms) and emits rowsReset(). The view coalesces its repaints itself.
//
// Lives on the buffer's thread; the buffer must outlive the filter.
class LogFilter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogFilter)

public:
    explicit LogFilter(LogBuffer *buffer, QObject *parent = nullptr);
    ~LogFilter() override;

    LogBuffer *buffer() const { return m_buffer; }
    const LogFilterSpec &spec() const { return m_spec; }
    void setSpec(const LogFilterSpec &spec);
    void setRanks(const QList<int> &ranks);
    void setTypes(const QList<LogType> &types);

    qsizetype rowCount() const;
    // 0 <= row < rowCount()
    qsizetype lineAt(qsizetype row) const
    {
        return m_identity ? row : qsizetype(m_rows[size_t(row)]);
    }
    LogLine rowLine(qsizetype row) const { return m_buffer->line(lineAt(row)); }
    // The row that shows `line`, else that of the first shown line after it
    // (rowCount() if there is none): where the view goes for a search match.
    qsizetype rowOfLine(qsizetype line) const;
    bool showsLine(qsizetype line) const;

Q_SIGNALS:
    void rowsAppended(qsizetype first, qsizetype count);
    void rowsReset();

private:
    void onLinesAppended(qsizetype first, qsizetype count);
    void rebuild();

    LogBuffer *const m_buffer;
    LogFilterSpec m_spec;
    LogLineMatcher m_matcher;
    bool m_identity = true;
    std::vector<quint32> m_rows;
};

} // namespace pf::models
