// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "logfilter.h"

#include <algorithm>

namespace pf::models {

LogLineMatcher::LogLineMatcher(const LogFilterSpec &spec)
    : m_allRanks(spec.ranks.isEmpty())
    , m_all(spec.showsEverything())
{
    if (spec.types.isEmpty()) {
        m_types = (1u << int(LogType::Count)) - 1;
    } else {
        for (const LogType type : spec.types)
            m_types |= 1u << int(type);
    }
    for (const int rank : spec.ranks) {
        if (rank < kPlatformRank || rank > 0xfffe)
            continue; // no line has it
        const auto slot = size_t(rank + 1);
        if (slot >= m_ranks.size())
            m_ranks.resize(slot + 1);
        m_ranks[slot] = 1;
    }
}

bool LogLineMatcher::accepts(int rank, LogType type) const
{
    if (!(m_types >> int(type) & 1))
        return false;
    if (m_allRanks)
        return true;
    const qsizetype slot = qsizetype(rank) + 1;
    return slot >= 0 && slot < qsizetype(m_ranks.size()) && m_ranks[size_t(slot)];
}

LogFilter::LogFilter(LogBuffer *buffer, QObject *parent)
    : QObject(parent)
    , m_buffer(buffer)
{
    Q_ASSERT(buffer);
    connect(m_buffer, &LogBuffer::linesAppended, this, &LogFilter::onLinesAppended);
    connect(m_buffer, &LogBuffer::cleared, this, [this] {
        m_rows = {};
        Q_EMIT rowsReset();
    });
}

LogFilter::~LogFilter() = default;

void LogFilter::setSpec(const LogFilterSpec &spec)
{
    if (spec == m_spec)
        return;
    m_spec = spec;
    rebuild();
    Q_EMIT rowsReset();
}

void LogFilter::setRanks(const QList<int> &ranks)
{
    LogFilterSpec spec = m_spec;
    spec.ranks = ranks;
    setSpec(spec);
}

void LogFilter::setTypes(const QList<LogType> &types)
{
    LogFilterSpec spec = m_spec;
    spec.types = types;
    setSpec(spec);
}

qsizetype LogFilter::rowCount() const
{
    return m_identity ? m_buffer->size() : qsizetype(m_rows.size());
}

qsizetype LogFilter::rowOfLine(qsizetype line) const
{
    if (m_identity)
        return std::clamp<qsizetype>(line, 0, m_buffer->size());
    const auto key = quint32(std::clamp<qsizetype>(line, 0, LogBuffer::kMaxLines));
    return std::lower_bound(m_rows.begin(), m_rows.end(), key) - m_rows.begin();
}

bool LogFilter::showsLine(qsizetype line) const
{
    if (line < 0 || line >= m_buffer->size())
        return false;
    if (m_identity)
        return true;
    const qsizetype row = rowOfLine(line);
    return row < qsizetype(m_rows.size()) && m_rows[size_t(row)] == quint32(line);
}

void LogFilter::onLinesAppended(qsizetype first, qsizetype count)
{
    if (m_identity) {
        Q_EMIT rowsAppended(first, count);
        return;
    }
    const qsizetype firstRow = qsizetype(m_rows.size());
    for (qsizetype i = first; i < first + count; ++i) {
        const LogLine line = m_buffer->line(i);
        if (m_matcher.accepts(line.rank, line.type))
            m_rows.push_back(quint32(i));
    }
    if (qsizetype(m_rows.size()) > firstRow)
        Q_EMIT rowsAppended(firstRow, qsizetype(m_rows.size()) - firstRow);
}

void LogFilter::rebuild()
{
    m_matcher = LogLineMatcher(m_spec);
    m_identity = m_matcher.acceptsAll();
    m_rows = {};
    if (m_identity)
        return;
    // Two passes over the 4-byte keys (cheap, in cache order): the count
    // first, so that the table is allocated once at its size.
    const LogSnapshot lines = m_buffer->snapshot();
    qsizetype shown = 0;
    lines.forEachKey(0, lines.size(),
                     [&](qsizetype, quint32 key) { shown += m_matcher.accepts(key); });
    m_rows.resize(size_t(shown));
    quint32 *out = m_rows.data();
    lines.forEachKey(0, lines.size(), [&](qsizetype line, quint32 key) {
        if (m_matcher.accepts(key))
            *out++ = quint32(line);
    });
}

} // namespace pf::models
