// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <deque>

#include <QByteArray>
#include <QJsonObject>

#include "agent/recordjson.h"

namespace pf::agent {

// The records of one node that pfd has not acknowledged yet, already encoded
// as JSON, numbered 1, 2, 3, ... in the order they were added.
//
//   RecordBuffer buffer;
//   buffer.appendLog(LogType::Stdout, "hello", nowMs);
//   const auto batch = buffer.batch(1 << 20);   // {"records":[...]} body
//   ... send batch.body, read acked_seq ...
//   buffer.acknowledge(ackedSeq);              // drops seq <= ackedSeq
//
// A batch always starts at the first unacknowledged record, so resending
// after a failure sends the same records again (pfd ignores the ones it
// has). Records are kept in one byte buffer with an end offset each; an
// acknowledgement moves a head offset and the buffer is compacted now and
// then, so the cost per record stays constant. Not thread-safe.
class RecordBuffer
{
public:
    struct Batch
    {
        QByteArray body;     // {"records":[...]}
        qint64 firstSeq = 0; // 0 when the batch is empty
        qint64 lastSeq = 0;  // 0 when the batch is empty
        qsizetype count = 0;
    };

    // Each returns the record's seq.
    qint64 appendLog(LogType type, QByteArrayView content, qint64 timeMs);
    qint64 appendObject(const QJsonObject &record);

    // The unacknowledged records from the first on, as many as fit in
    // `maxBodyBytes` (but at least one, whatever its size).
    Batch batch(qsizetype maxBodyBytes) const;

    // Drops every record with seq <= ackedSeq. Values at or below the
    // current acknowledgement change nothing; values above lastSeq() are
    // clamped to it. Returns the number of records dropped.
    qsizetype acknowledge(qint64 ackedSeq);

    qint64 lastSeq() const { return m_nextSeq - 1; }
    qint64 ackedSeq() const { return m_nextSeq - 1 - qint64(m_ends.size()); }
    qsizetype pendingCount() const { return qsizetype(m_ends.size()); }
    // Encoded bytes of the unacknowledged records.
    qsizetype pendingBytes() const { return qsizetype(m_end - m_head); }
    bool isEmpty() const { return m_ends.empty(); }

private:
    void recordAdded();
    void compact();

    QByteArray m_data;         // records, each followed by ','
    qint64 m_base = 0;         // absolute offset of m_data[0]
    qint64 m_head = 0;         // absolute offset of the first unacknowledged record
    qint64 m_end = 0;          // absolute offset of the end of the data
    std::deque<qint64> m_ends; // absolute end offset (after the ',') per record
    qint64 m_nextSeq = 1;
};

} // namespace pf::agent
