// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>

namespace pf::agent {

// The framing of the SDK pipes (API.md, "The training SDK channel"): a
// 4-byte little-endian unsigned length, then that many bytes of UTF-8 JSON.
//
//   FrameDecoder decoder;
//   QList<QByteArray> frames; QStringList errors;
//   decoder.feed(bytesReadFromThePipe, &frames, &errors);
//
// A frame whose header announces more than maxFrame bytes is rejected: its
// payload is skipped as it arrives (never buffered) and an error is added,
// so the frames after it still decode. Not thread-safe.
class FrameDecoder
{
public:
    static constexpr quint32 kMaxFrame = 1024 * 1024;

    explicit FrameDecoder(quint32 maxFrame = kMaxFrame)
        : m_max(maxFrame)
    {}

    void feed(QByteArrayView data, QList<QByteArray> *frames, QStringList *errors);

    // Bytes of an incomplete frame held back.
    qsizetype pendingBytes() const { return m_buffer.size(); }

private:
    QByteArray m_buffer;
    quint64 m_skip = 0; // bytes of a rejected frame still to discard
    quint32 m_max;
};

// One frame: the header and the payload.
QByteArray encodeFrame(QByteArrayView payload);

} // namespace pf::agent
