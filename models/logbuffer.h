// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <algorithm>
#include <memory>
#include <vector>

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QUtf8StringView>

#include "api/job.h"
#include "models/ansi.h"

namespace pf::models {

// The stream a log line came from (api::LogRecord::type).
enum class LogType : quint8 { Stdout, Stderr, Vmlog, Count };

// "stdout", "stderr", "vmlog" → the type; anything else is Stdout.
LogType logTypeFromName(QStringView name);
QString logTypeName(LogType type);

// Node rank -1 marks a platform line ("Job completed successfully."), shown
// as "PF".
inline constexpr int kPlatformRank = -1;

// One line of a LogBuffer, as a light view. `raw` points into the buffer's
// storage: valid while the LogBuffer or LogSnapshot it came from lives (a
// LogBuffer::clear() keeps it valid for snapshots taken before). It is UTF-8
// with SGR sequences and '\r' already resolved (see LogBuffer).
struct LogLine
{
    qint64 seq = 0;    // the server's record number; 0 for none
    qint64 timeMs = 0; // ms since the epoch (UTC); 0 for none
    int rank = 0;      // node rank, kept in 16 bits (-1..65534); kPlatformRank: the platform
    LogType type = LogType::Stdout;
    bool ascii = true;       // every byte of `raw` < 0x80
    bool hasEscapes = false; // `raw` holds ESC sequences or other controls but '\t'
    QUtf8StringView raw = {};

    // The visible text: escape sequences removed.
    QString text() const { return hasEscapes ? parseAnsi(raw).text : raw.toString(); }
    // The visible text and its style runs, for painting.
    AnsiText styledText() const { return parseAnsi(raw); }
};

// A line that a program is redrawing, as a terminal shows it now: the last
// record of its node and stream ended with '\r' (a progress bar). Owns its
// text; see LogBuffer, "Pending lines".
struct PendingLine
{
    qint64 seq = 0;    // the last record's
    qint64 timeMs = 0; // the last record's
    int rank = 0;
    LogType type = LogType::Stdout;
    QByteArray raw = {}; // UTF-8 with SGR sequences, '\r' resolved (as LogLine::raw)

    QString text() const { return line().text(); }
    AnsiText styledText() const { return parseAnsi(QUtf8StringView(raw)); }
    // As a LogLine, for code that draws lines; its `raw` points into this
    // PendingLine's, so it is valid while this object lives unchanged.
    LogLine line() const;

    friend bool operator==(const PendingLine &, const PendingLine &) = default;
};

namespace detail {

// Per-line metadata of LogBuffer, 32 bytes a line, in blocks that never move
// once allocated (columns rather than structs, so that a filter scan reads
// 4 bytes a line). Not for use outside logbuffer/logsearch/logfilter.
struct LogBlock
{
    static constexpr int kShift = 16; // 2 MiB a block
    static constexpr qsizetype kLines = qsizetype(1) << kShift;
    static constexpr qsizetype kMask = kLines - 1;

    enum Flag : quint32 { Ascii = 1u << 24, Escapes = 1u << 25 };

    qint64 seq[kLines];
    qint64 timeMs[kLines];
    quint64 position[kLines]; // text chunk << 32 | offset in it
    quint32 length[kLines];   // bytes of text
    quint32 key[kLines];      // rank + 1 (16 bits) | type << 16 | flags

    static int rankOf(quint32 key) { return int(key & 0xffff) - 1; }
    static LogType typeOf(quint32 key) { return LogType((key >> 16) & 0xff); }
};

struct FreeDeleter
{
    void operator()(void *memory) const;
};

struct LogStorage
{
    std::vector<std::unique_ptr<LogBlock, FreeDeleter>> blocks;
    std::vector<std::unique_ptr<char, FreeDeleter>> chunks;
    std::vector<quint32> chunkCapacity;
};

LogLine makeLine(const LogBlock *const *blocks, const char *const *chunks, qsizetype index);

} // namespace detail

// The lines [0, size()) of a LogBuffer as they were when snapshot() was
// called, for reading on any thread while the buffer goes on appending (or
// is cleared) on its own. Cheap to take (copies a pointer per 65,536 lines
// and per text chunk) and to copy; immutable, so any number of threads may
// read one at once.
class LogSnapshot
{
public:
    LogSnapshot() = default;

    qsizetype size() const { return m_size; }
    bool isEmpty() const { return m_size == 0; }
    LogLine line(qsizetype index) const
    {
        return detail::makeLine(m_blocks.data(), m_chunks.data(), index);
    }
    int rank(qsizetype index) const { return detail::LogBlock::rankOf(key(index)); }
    LogType type(qsizetype index) const { return detail::LogBlock::typeOf(key(index)); }
    quint32 key(qsizetype index) const
    {
        return m_blocks[size_t(index >> detail::LogBlock::kShift)]
            ->key[index & detail::LogBlock::kMask];
    }
    // Calls f(index, key) for each line in [from, to), a block at a time;
    // for scans that look at rank and type only (LogLineMatcher::accepts).
    template <typename F>
    void forEachKey(qsizetype from, qsizetype to, F &&f) const
    {
        using detail::LogBlock;
        while (from < to) {
            const quint32 *keys = m_blocks[size_t(from >> LogBlock::kShift)]->key;
            const qsizetype blockEnd = std::min(to, (from | LogBlock::kMask) + 1);
            for (; from < blockEnd; ++from)
                f(from, keys[from & LogBlock::kMask]);
        }
    }

private:
    friend class LogBuffer;

    std::shared_ptr<const detail::LogStorage> m_storage; // keeps the pointers below alive
    std::vector<const detail::LogBlock *> m_blocks;
    std::vector<const char *> m_chunks;
    qsizetype m_size = 0;
};

// Every line of one job's log, append-only, at about 32 bytes a line beyond
// the text (no QString per line: the text lives in large UTF-8 chunks, the
// metadata in fixed-size column blocks), appended at well over a million
// lines a second.
//
//   LogBuffer buffer;
//   buffer.append(historyPage);     // oldest first: reverse text_log's newest-first pages
//   buffer.append(liveRecords);     // then the websocket's; duplicates are dropped
//   const LogLine l = buffer.line(i);
//
// Lines: a record's content is cut at '\n' into lines that share its seq,
// rank, type and time; a trailing '\n' ends the last line rather than
// starting an empty one, and empty content is one empty line. Each line is
// kept as a terminal would finally show it (see playTerminalLine()): text
// after a '\r' overwrites the row cell by cell, "\x1b[K" and "\x1b[2K" erase,
// so a tqdm bar redrawn on one line keeps only its last state; a '\r' right
// before a line's '\n' just ends the line (a '\r' that ends a record's
// content makes a pending line, below). SGR sequences are kept for the view
// (LogLine::styledText()); the SGR pen carries over from one line to the
// next of the same node and stream, as on a terminal: a line that starts
// under a non-default pen is stored with the SGR sequence that sets it, so
// that every line renders on its own.
//
// Pending lines: pf-agent ends a record at a lone '\r' too and keeps the '\r'
// (docs/api.md), so a record whose content ends with '\r' is a line the
// program is about to redraw. Its last line (after its last '\n'; those
// before are lines as usual) does not become a line but the pending line of
// its node and stream, replacing the one before by overwriting it: the
// redraw starts at column 0, and a shorter redraw leaves the tail of a longer
// earlier one visible, as on a terminal (playTerminalLine()). The next record
// of that node and stream that does not end with '\r' is overwritten onto the
// pending line the same way, and its first line becomes a line, where that
// record comes in the log; the pending line is gone. So a tqdm bar of a
// thousand redraws is one line, shown as it goes through pendingLines() and
// kept in its final state. Records of other nodes and streams in between
// are not affected. Pending records count for seq like any (duplicates are
// dropped), so history and live records give the same lines and pending
// lines. A line still pending when the job ends is made a line by
// flushPending() (LogPanel calls it when its JobStream has ended).
//
// Duplicates: a record with seq > 0 is appended only if its seq is above
// lastSeq(); otherwise it is dropped and counted in droppedDuplicates(). So
// history, live records and the replay after a reconnect may overlap freely,
// but they must arrive in seq order (history first): a record older than one
// already appended is taken for a duplicate. Records with seq <= 0 are always
// appended.
//
// Threads: LogBuffer lives on one thread (the GUI's), which appends, clears
// and reads. Other threads read through snapshot(): taken on the owning
// thread and handed over (QThreadPool::start(), a queued call, a mutex...),
// it stays valid and unchanged whatever the buffer does next. This works
// because storage never moves once written: line metadata sits in blocks of
// 65,536 lines and text in chunks of up to 4 MiB, both allocated once and
// only ever appended to past the snapshot's size; the snapshot holds its own
// copy of the block and chunk pointers and a shared reference that keeps the
// storage alive across clear(). Nothing a reader touches is written after the
// hand-over, so no lock or atomic is needed on the append path.
//
// Signals: linesAppended(first, count) once per append call that added lines
// (a page of history is one signal), then pendingChanged() once if the call
// set, changed or ended a pending line; cleared() after clear(). Views
// coalesce their repaints themselves (QWidget::update()).
class LogBuffer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogBuffer)

public:
    // Line indices fit in 32 bits (LogFilter's row table); lines past this
    // are dropped and counted in droppedLines().
    static constexpr qsizetype kMaxLines = qsizetype(0xffffffffu) - 1;

    explicit LogBuffer(QObject *parent = nullptr);
    ~LogBuffer() override;

    // Appends records in the order given; returns the number of lines added.
    qsizetype append(const QList<api::LogRecord> &records);
    qsizetype append(const api::LogRecord &record);
    // One record's content as UTF-8 (for tests, benchmarks and sources other
    // than the API); same rules as append().
    qsizetype appendLine(QByteArrayView utf8, int rank, LogType type, qint64 timeMs,
                         qint64 seq = 0);

    qsizetype size() const { return m_size; }
    bool isEmpty() const { return m_size == 0; }
    // 0 <= index < size()
    LogLine line(qsizetype index) const;
    // The highest seq appended, 0 before any.
    qint64 lastSeq() const { return m_lastSeq; }
    qsizetype droppedDuplicates() const { return m_duplicates; }
    qsizetype droppedLines() const { return m_droppedLines; }

    // Bytes of line text stored (after '\r' resolution, with SGR sequences).
    qint64 textBytes() const { return m_textBytes; }
    // Bytes allocated beyond textBytes(): metadata blocks (whole, including
    // the unused tail of the last one), unused chunk space, the pointer
    // tables. Untouched pages of the last block and chunk count here but not
    // in the process's RSS.
    qint64 overheadBytes() const;

    LogSnapshot snapshot() const;

    // The pending lines (see above), ordered by rank, then type. Not in
    // snapshots: they are no lines yet.
    QList<PendingLine> pendingLines() const;
    bool hasPendingLines() const { return !m_pending.isEmpty(); }
    // Makes every pending line a line, in seq order, as if a '\n' had ended
    // it (the stream ended with a redraw); returns the number of lines added.
    qsizetype flushPending();

    // Drops every line, the pending lines, lastSeq() and the pens; snapshots
    // keep their lines.
    void clear();

Q_SIGNALS:
    void linesAppended(qsizetype first, qsizetype count);
    void pendingChanged();
    void cleared();

private:
    // A pending line, with the SGR pen at its end.
    struct Pending
    {
        PendingLine line;
        AnsiStyle pen;
    };

    void appendPiece(QByteArrayView text, int rank, LogType type, qint64 timeMs, qint64 seq);
    void redrawPiece(QByteArrayView text, int rank, LogType type, qint64 timeMs, qint64 seq,
                     bool pending);
    void storePlayed(QByteArrayView row, quint32 key, qint64 timeMs, qint64 seq);
    void emitAppended(qsizetype first);
    void store(QByteArrayView prefix, QByteArrayView text, quint32 key, qint64 timeMs, qint64 seq);
    char *reserveText(qsizetype bytes, quint64 *position);
    qsizetype appendContent(QByteArrayView utf8, int rank, LogType type, qint64 timeMs, qint64 seq);

    std::shared_ptr<detail::LogStorage> m_storage; // owns what the two tables point to
    std::vector<detail::LogBlock *> m_blocks;
    std::vector<const char *> m_chunks;
    qsizetype m_size = 0;
    qint64 m_lastSeq = 0;
    qsizetype m_duplicates = 0;
    qsizetype m_droppedLines = 0;
    qint64 m_textBytes = 0;
    // The chunk lines are packed into, and its free space.
    qsizetype m_currentChunk = 0;
    char *m_chunkFree = nullptr;
    qsizetype m_chunkLeft = 0;
    // The SGR pens that are not the default, by rank + 1 | type << 16; a
    // stream with a pending line has its pen there instead.
    QHash<quint32, AnsiStyle> m_pens;
    // The pending lines, by the same key.
    QHash<quint32, Pending> m_pending;
    bool m_pendingChanged = false;
    // Scratch for append(records): the content as UTF-8.
    QByteArray m_utf8;
};

} // namespace pf::models
