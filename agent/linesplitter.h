// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace pf::agent {

// Cuts one output stream (a child's stdout or stderr) into log records.
//
//   LineSplitter splitter;
//   splitter.feed(chunk, [&](QByteArrayView line) { ... });  // any number of times
//   splitter.finish(sink);                                    // at end of stream
//
// A record ends at '\n', at '\r' (progress bars redraw with it) or at "\r\n"
// (one end, also when the two bytes arrive in different chunks). An empty
// piece ended by a lone '\r' is no record (tqdm starts every redraw with
// '\r'); an empty line ended by '\n' is one. A line longer than maxRecord
// bytes is cut into records of at most maxRecord bytes, at a UTF-8 character
// boundary when the bytes there are valid UTF-8. The bytes are passed on as
// they came; replacing invalid UTF-8 is the encoder's job.
//
// The view given to the sink is valid only during the call. Lines that lie
// within one chunk are passed without copying; only a line that spans chunks
// is gathered in an internal buffer. Not thread-safe.
class LineSplitter
{
public:
    static constexpr qsizetype kDefaultMaxRecord = 64 * 1024;

    explicit LineSplitter(qsizetype maxRecord = kDefaultMaxRecord)
        : m_max(maxRecord > 4 ? maxRecord : 4)
    {}

    template <typename Sink>
    void feed(QByteArrayView chunk, Sink &&sink);

    // The stream ended: passes an unterminated last line, if any.
    template <typename Sink>
    void finish(Sink &&sink);

    // Bytes of an unfinished line held back.
    qsizetype pendingBytes() const { return m_partial.size(); }

    // Where to cut `size` (> max) bytes so that the first record is at most
    // `max` bytes and does not end inside a UTF-8 sequence.
    static qsizetype cutPosition(const char *data, qsizetype size, qsizetype max);

private:
    template <typename Sink>
    void emitPartialOverflow(Sink &sink);

    QByteArray m_partial;
    qsizetype m_max;
    // The previous chunk ended with '\r': a '\n' first in the next chunk
    // belongs to it.
    bool m_lastWasCR = false;
    // ... and nothing came before that '\r' on its line.
    bool m_emptyBeforeCR = false;
};

template <typename Sink>
void LineSplitter::emitPartialOverflow(Sink &sink)
{
    qsizetype start = 0;
    while (m_partial.size() - start > m_max) {
        const qsizetype cut =
            cutPosition(m_partial.constData() + start, m_partial.size() - start, m_max);
        sink(QByteArrayView(m_partial.constData() + start, cut));
        start += cut;
    }
    if (start > 0)
        m_partial.remove(0, start);
}

template <typename Sink>
void LineSplitter::feed(QByteArrayView chunk, Sink &&sink)
{
    const char *p = chunk.data();
    const char *const end = p + chunk.size();
    if (p == end)
        return;
    if (m_lastWasCR) {
        const bool emptyBefore = m_emptyBeforeCR;
        m_lastWasCR = false;
        m_emptyBeforeCR = false;
        if (*p == '\n') {
            ++p;
            if (emptyBefore)
                sink(QByteArrayView()); // "\r\n" after nothing: an empty line
        }
    }
    while (p < end) {
        const char *q = p;
        while (q < end && *q != '\n' && *q != '\r')
            ++q;
        if (q == end) {
            // No end in the rest of the chunk: keep it for the next one.
            m_partial.append(p, end - p);
            if (m_partial.size() > m_max)
                emitPartialOverflow(sink);
            return;
        }
        const bool cr = *q == '\r';
        bool crlf = false;
        const char *next = q + 1;
        if (cr) {
            if (next < end) {
                if (*next == '\n') {
                    crlf = true;
                    ++next;
                }
            } else {
                m_lastWasCR = true;
            }
        }
        if (m_partial.isEmpty()) {
            qsizetype size = q - p;
            const char *start = p;
            while (size > m_max) {
                const qsizetype cut = cutPosition(start, size, m_max);
                sink(QByteArrayView(start, cut));
                start += cut;
                size -= cut;
            }
            // A lone '\r' after nothing ends no record. At a chunk end the
            // '\r' may still turn out to be half of "\r\n": the next chunk
            // decides.
            if (size > 0 || !cr || crlf)
                sink(QByteArrayView(start, size));
            else if (m_lastWasCR)
                m_emptyBeforeCR = true;
        } else {
            m_partial.append(p, q - p);
            emitPartialOverflow(sink);
            sink(QByteArrayView(m_partial));
            m_partial.clear();
        }
        p = next;
    }
}

template <typename Sink>
void LineSplitter::finish(Sink &&sink)
{
    m_lastWasCR = false;
    m_emptyBeforeCR = false;
    if (m_partial.isEmpty())
        return;
    emitPartialOverflow(sink);
    sink(QByteArrayView(m_partial));
    m_partial.clear();
}

} // namespace pf::agent
