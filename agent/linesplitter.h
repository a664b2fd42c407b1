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
//   splitter.releaseCarriageReturn(sink);                     // when the stream is idle
//   splitter.showUnfinishedLine(sink);                        // likewise
//   splitter.finish(sink);                                    // at end of stream
//
// A record ends at '\n', at "\r\n" (one end, also when the two bytes arrive in
// different chunks) or at a lone '\r'. A record ended by '\n' or "\r\n" is
// passed without its end; one ended by a lone '\r' keeps that '\r' as its last
// byte: the program is about to redraw the line (a progress bar), and the
// reader (LogBuffer) shows the redraws as one line. An empty piece ended by a
// lone '\r' is no record (tqdm starts every redraw with '\r'); an empty line
// ended by '\n' or "\r\n" is one. A line longer than maxRecord bytes is cut
// into records of at most maxRecord bytes, at a UTF-8 character boundary when
// the bytes there are valid UTF-8 (a kept '\r' comes on top: such a record
// may have maxRecord + 1 bytes). The bytes are passed on as they came;
// replacing invalid UTF-8 is the encoder's job.
//
// A '\r' that is the last byte of a chunk may be half of a "\r\n", so its line
// is held back until the next chunk or finish() says which it was; the same
// bytes give the same records however they are cut into chunks. A writer
// that ends each redraw with '\r' and then pauses would leave its bar one
// redraw behind, so the owner calls releaseCarriageReturn() once the stream
// has been idle for a moment: the held line is passed as ended by a lone
// '\r', and a '\n' that comes first in the next chunk then ends an empty
// record (a reader that replays '\r' still ends up with the same line).
//
// A line still being written (tqdm writes "\r 40%|####  |" and the next
// '\r' only with its next redraw) would likewise show one state behind, or
// a prompt not at all, so once the stream is idle the owner also calls
// showUnfinishedLine(): a short unfinished line is passed as if ended by a
// lone '\r' and kept, so the record that ends it later (a '\n', or the next
// redraw's '\r') holds the whole line; a reader that replays '\r' draws the
// whole line over the shown part. An end by a lone '\r' right after the
// line was shown whole passes nothing: that record was the one shown.
//
// The view given to the sink is valid only during the call. Lines that lie
// within one chunk are passed without copying; only a line that spans chunks
// (or is held back) is gathered in an internal buffer. Not thread-safe.
class LineSplitter
{
public:
    static constexpr qsizetype kDefaultMaxRecord = 64 * 1024;

    explicit LineSplitter(qsizetype maxRecord = kDefaultMaxRecord)
        : m_max(maxRecord > 4 ? maxRecord : 4)
    {}

    template <typename Sink>
    void feed(QByteArrayView chunk, Sink &&sink);

    // The stream ended: passes an unterminated last line, if any (a line
    // held back by a '\r' as ended by a lone '\r').
    template <typename Sink>
    void finish(Sink &&sink);

    // True while a line ended by a '\r' at the end of the last chunk is held
    // back (see above).
    bool holdsCarriageReturn() const { return m_lastWasCR && !m_partial.isEmpty(); }
    // Passes a held-back line as ended by a lone '\r'; nothing if none is held.
    template <typename Sink>
    void releaseCarriageReturn(Sink &&sink);

    // Unfinished lines longer than this are not shown before they end (a
    // line shown as it grows would be stored once per showing).
    static constexpr qsizetype kMaxShownUnfinished = 1024;
    // True while an unfinished line (no '\r' held) of at most
    // kMaxShownUnfinished bytes has bytes that were not shown yet.
    bool holdsUnfinishedLine() const
    {
        return !m_lastWasCR && !m_partial.isEmpty() && m_partial.size() <= kMaxShownUnfinished &&
               m_partial.size() != m_shown;
    }
    // Passes the unfinished line as ended by a lone '\r' and keeps it (see
    // above); nothing unless holdsUnfinishedLine().
    template <typename Sink>
    void showUnfinishedLine(Sink &&sink);

    // Bytes of an unfinished line held back.
    qsizetype pendingBytes() const { return m_partial.size(); }

    // Where to cut `size` (> max) bytes so that the first record is at most
    // `max` bytes and does not end inside a UTF-8 sequence.
    static qsizetype cutPosition(const char *data, qsizetype size, qsizetype max);

private:
    template <typename Sink>
    void emitPartialOverflow(Sink &sink);

    void clearPartial()
    {
        m_partial.clear();
        m_shown = 0;
    }

    QByteArray m_partial;
    qsizetype m_max;
    // Bytes of m_partial that showUnfinishedLine() passed (0: none).
    qsizetype m_shown = 0;
    // The previous chunk ended with '\r': a '\n' first in the next chunk
    // belongs to it. The line before that '\r' is in m_partial (empty when
    // there was none, or when it has been released).
    bool m_lastWasCR = false;
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
    if (start > 0) {
        m_partial.remove(0, start);
        m_shown = 0;
    }
}

template <typename Sink>
void LineSplitter::feed(QByteArrayView chunk, Sink &&sink)
{
    const char *p = chunk.data();
    const char *const end = p + chunk.size();
    if (p == end)
        return;
    if (m_lastWasCR) {
        // The '\r' that ended the last chunk: half of "\r\n", or a lone one.
        m_lastWasCR = false;
        if (*p == '\n') {
            ++p;
            sink(QByteArrayView(m_partial)); // after nothing: an empty line
        } else if (!m_partial.isEmpty() && m_shown != m_partial.size()) {
            m_partial.append('\r');
            sink(QByteArrayView(m_partial));
        }
        clearPartial();
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
        const char *next = q + 1;
        if (*q == '\r' && next == end) {
            // Maybe half of "\r\n": the next chunk (or finish()) decides.
            m_partial.append(p, q - p);
            emitPartialOverflow(sink);
            m_lastWasCR = true;
            return;
        }
        const bool loneCR = *q == '\r' && *next != '\n';
        if (*q == '\r' && !loneCR)
            ++next;
        if (m_partial.isEmpty()) {
            qsizetype size = q - p;
            const char *start = p;
            while (size > m_max) {
                const qsizetype cut = cutPosition(start, size, m_max);
                sink(QByteArrayView(start, cut));
                start += cut;
                size -= cut;
            }
            // A lone '\r' stays with its line (start + size is that '\r');
            // after nothing it ends no record.
            if (!loneCR)
                sink(QByteArrayView(start, size));
            else if (size > 0)
                sink(QByteArrayView(start, size + 1));
        } else {
            const bool shownWhole = q == p && m_shown == m_partial.size();
            m_partial.append(p, q - p);
            emitPartialOverflow(sink);
            if (loneCR)
                m_partial.append('\r');
            if (!(loneCR && shownWhole)) // else it is the record shown last
                sink(QByteArrayView(m_partial));
            clearPartial();
        }
        p = next;
    }
}

template <typename Sink>
void LineSplitter::releaseCarriageReturn(Sink &&sink)
{
    if (!holdsCarriageReturn())
        return;
    // m_lastWasCR stays: a '\n' first in the next chunk ends an empty record.
    if (m_shown != m_partial.size()) {
        m_partial.append('\r');
        sink(QByteArrayView(m_partial));
    }
    clearPartial();
}

template <typename Sink>
void LineSplitter::showUnfinishedLine(Sink &&sink)
{
    if (!holdsUnfinishedLine())
        return;
    m_partial.append('\r');
    sink(QByteArrayView(m_partial));
    m_partial.chop(1);
    m_shown = m_partial.size();
}

template <typename Sink>
void LineSplitter::finish(Sink &&sink)
{
    const bool cr = m_lastWasCR;
    m_lastWasCR = false;
    if (m_partial.isEmpty())
        return;
    emitPartialOverflow(sink);
    if (cr)
        m_partial.append('\r'); // the stream ended: it was a lone '\r'
    sink(QByteArrayView(m_partial));
    clearPartial();
}

} // namespace pf::agent
