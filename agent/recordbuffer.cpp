// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "recordbuffer.h"

namespace pf::agent {
namespace {
constexpr QByteArrayView kPrefix = "{\"records\":[";
constexpr QByteArrayView kSuffix = "]}";
// Compact once this much acknowledged data sits before the head and it is
// at least half the buffer: each byte is moved at most about once.
constexpr qint64 kCompactBytes = 1 << 20;
} // namespace

qint64 RecordBuffer::appendLog(LogType type, QByteArrayView content, qint64 timeMs)
{
    const qint64 seq = m_nextSeq;
    appendLogRecord(m_data, seq, type, content, timeMs);
    recordAdded();
    return seq;
}

qint64 RecordBuffer::appendObject(const QJsonObject &record)
{
    const qint64 seq = m_nextSeq;
    appendObjectRecord(m_data, seq, record);
    recordAdded();
    return seq;
}

void RecordBuffer::recordAdded()
{
    m_data.append(',');
    m_end = m_base + m_data.size();
    m_ends.push_back(m_end);
    ++m_nextSeq;
}

RecordBuffer::Batch RecordBuffer::batch(qsizetype maxBodyBytes) const
{
    Batch b;
    qint64 stop = m_head;
    qsizetype count = 0;
    const qint64 budget = qint64(maxBodyBytes) - kPrefix.size() - kSuffix.size();
    for (const qint64 end : m_ends) {
        // Without the last record's ',': end - m_head - 1 bytes.
        if (count > 0 && end - m_head - 1 > budget)
            break;
        stop = end;
        ++count;
    }
    b.body.reserve(kPrefix.size() + (stop - m_head) + kSuffix.size());
    b.body.append(kPrefix);
    if (count > 0) {
        b.body.append(m_data.constData() + (m_head - m_base), stop - m_head - 1);
        b.firstSeq = ackedSeq() + 1;
        b.lastSeq = b.firstSeq + count - 1;
        b.count = count;
    }
    b.body.append(kSuffix);
    return b;
}

qsizetype RecordBuffer::acknowledge(qint64 ackedSeq)
{
    if (ackedSeq > lastSeq())
        ackedSeq = lastSeq();
    qsizetype dropped = 0;
    while (!m_ends.empty() && this->ackedSeq() < ackedSeq) {
        m_head = m_ends.front();
        m_ends.pop_front();
        ++dropped;
    }
    if (m_ends.empty() ||
        (m_head - m_base >= kCompactBytes && (m_head - m_base) * 2 >= m_data.size()))
        compact();
    return dropped;
}

void RecordBuffer::compact()
{
    const qint64 drop = m_head - m_base;
    if (drop <= 0)
        return;
    if (drop == m_data.size()) {
        // Keep a modest allocation for the next records, not a large one
        // left over from a burst.
        if (m_data.capacity() > 4 * kCompactBytes)
            m_data.clear();
        else
            m_data.resize(0);
    } else
        m_data.remove(0, drop);
    m_base = m_head;
}

} // namespace pf::agent
