// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "logbuffer.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

#include <QStringEncoder>
#include <QtGlobal>

#ifdef Q_OS_LINUX
#include <sys/mman.h>
#endif

namespace pf::models {

namespace {

using detail::LogBlock;

// Text chunks start small (a job of ten lines should not cost megabytes)
// and double up to kMaxChunk. A line of at least kOwnChunk bytes gets a chunk
// of its own, so that the current chunk's free space is not thrown away.
constexpr qsizetype kFirstChunk = 64 * 1024;
constexpr qsizetype kMaxChunk = 4 * 1024 * 1024;
constexpr qsizetype kOwnChunk = kMaxChunk / 4;
constexpr qsizetype kMaxLineBytes = 0xffffffffu;

// Full-size chunks and metadata blocks are 2 MiB aligned and, on Linux,
// advised to be backed by transparent huge pages: a long log then costs a
// page fault per 2 MiB instead of one per 4 KiB (on a VM, faults were half
// the time spent appending). A small log never gets there, so it never
// holds a huge page: its memory is touched 4 KiB at a time.
constexpr qsizetype kHugePage = 2 * 1024 * 1024;
constexpr size_t kSmallLogBlocks = 2;

void *allocate(qsizetype bytes, bool huge)
{
    void *memory = nullptr;
    if (huge && bytes % kHugePage == 0) {
        memory = std::aligned_alloc(size_t(kHugePage), size_t(bytes));
#if defined(Q_OS_LINUX) && defined(MADV_HUGEPAGE)
        if (memory)
            ::madvise(memory, size_t(bytes), MADV_HUGEPAGE);
#endif
    } else {
        memory = std::malloc(size_t(bytes));
    }
    if (!memory)
        throw std::bad_alloc();
    return memory;
}

quint32 streamKey(int rank, LogType type)
{
    return quint32(std::clamp(rank, kPlatformRank, 0xfffe) + 1) | quint32(type) << 16;
}

// LogBlock::Ascii and LogBlock::Escapes for `text`. Eight bytes at a time:
// the common line is plain ASCII without controls, so it pays one pass of
// word operations; only a word that may hold a control byte (< 0x20 or DEL)
// sends the line to the exact check, where a '\t' alone does not count.
quint32 scanFlags(QByteArrayView text)
{
    constexpr quint64 kOnes = 0x0101010101010101ull;
    constexpr quint64 kHighs = 0x8080808080808080ull;
    const char *p = text.data();
    const qsizetype n = text.size();
    quint64 high = 0;
    quint64 control = 0;
    qsizetype i = 0;
    for (; i + 8 <= n; i += 8) {
        quint64 x;
        std::memcpy(&x, p + i, 8);
        high |= x;
        const quint64 del = x ^ (0x7f * kOnes);
        control |= ((x - 0x20 * kOnes) & ~x) | ((del - kOnes) & ~del);
    }
    for (; i < n; ++i) {
        const auto c = uchar(p[i]);
        high |= c;
        control |= (c < 0x20 || c == 0x7f) ? 0x80 : 0;
    }
    quint32 flags = (high & kHighs) ? 0 : quint32(LogBlock::Ascii);
    if ((control & kHighs) && hasAnsiControls(QUtf8StringView(p, n)))
        flags |= LogBlock::Escapes;
    return flags;
}

} // namespace

namespace detail {

void FreeDeleter::operator()(void *memory) const
{
    std::free(memory);
}

LogLine makeLine(const LogBlock *const *blocks, const char *const *chunks, qsizetype index)
{
    const LogBlock *b = blocks[size_t(index >> LogBlock::kShift)];
    const qsizetype i = index & LogBlock::kMask;
    const quint64 position = b->position[i];
    const quint32 key = b->key[i];
    LogLine line;
    line.seq = b->seq[i];
    line.timeMs = b->timeMs[i];
    line.rank = LogBlock::rankOf(key);
    line.type = LogBlock::typeOf(key);
    line.ascii = key & LogBlock::Ascii;
    line.hasEscapes = key & LogBlock::Escapes;
    if (const qsizetype length = b->length[i])
        line.raw =
            QUtf8StringView(chunks[size_t(position >> 32)] + (position & 0xffffffffu), length);
    return line;
}

} // namespace detail

LogLine PendingLine::line() const
{
    const quint32 flags = scanFlags(raw);
    LogLine l;
    l.seq = seq;
    l.timeMs = timeMs;
    l.rank = rank;
    l.type = type;
    l.ascii = flags & LogBlock::Ascii;
    l.hasEscapes = flags & LogBlock::Escapes;
    l.raw = QUtf8StringView(raw);
    return l;
}

LogType logTypeFromName(QStringView name)
{
    if (name == u"stderr")
        return LogType::Stderr;
    if (name == u"vmlog")
        return LogType::Vmlog;
    return LogType::Stdout;
}

QString logTypeName(LogType type)
{
    switch (type) {
    case LogType::Stderr:
        return QStringLiteral("stderr");
    case LogType::Vmlog:
        return QStringLiteral("vmlog");
    case LogType::Stdout:
    case LogType::Count:
        break;
    }
    return QStringLiteral("stdout");
}

LogBuffer::LogBuffer(QObject *parent)
    : QObject(parent)
    , m_storage(std::make_shared<detail::LogStorage>())
{}

LogBuffer::~LogBuffer() = default;

qsizetype LogBuffer::append(const QList<api::LogRecord> &records)
{
    const qsizetype first = m_size;
    QStringEncoder encoder(QStringEncoder::Utf8, QStringEncoder::Flag::Stateless);
    for (const api::LogRecord &record : records) {
        // Encoded into one reused buffer: no allocation per record.
        m_utf8.resize(encoder.requiredSpace(record.content.size()));
        char *const end = encoder.appendToBuffer(m_utf8.data(), record.content);
        appendContent(QByteArrayView(m_utf8.constData(), end - m_utf8.constData()), record.nodeRank,
                      logTypeFromName(record.type),
                      record.timestamp.isValid() ? record.timestamp.toMSecsSinceEpoch() : 0,
                      record.seq);
    }
    emitAppended(first);
    return m_size - first;
}

qsizetype LogBuffer::append(const api::LogRecord &record)
{
    return append(QList<api::LogRecord>{record});
}

qsizetype LogBuffer::appendLine(QByteArrayView utf8, int rank, LogType type, qint64 timeMs,
                                qint64 seq)
{
    const qsizetype first = m_size;
    appendContent(utf8, rank, type, timeMs, seq);
    emitAppended(first);
    return m_size - first;
}

void LogBuffer::emitAppended(qsizetype first)
{
    if (m_size > first)
        Q_EMIT linesAppended(first, m_size - first);
    if (m_pendingChanged) {
        m_pendingChanged = false;
        Q_EMIT pendingChanged();
    }
}

qsizetype LogBuffer::appendContent(QByteArrayView utf8, int rank, LogType type, qint64 timeMs,
                                   qint64 seq)
{
    if (seq > 0) {
        if (seq <= m_lastSeq) {
            ++m_duplicates;
            return 0;
        }
        m_lastSeq = seq;
    }
    const qsizetype before = m_size;
    const char *p = utf8.data();
    const char *const end = p + utf8.size();
    // Content that ends with '\r' leaves its last line to be redrawn.
    const bool redraws = p != end && end[-1] == '\r';
    if (!redraws && m_pending.isEmpty()) {
        if (p == end) {
            appendPiece(QByteArrayView(), rank, type, timeMs, seq);
            return m_size - before;
        }
        while (p < end) {
            const auto *nl = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p)));
            const char *const lineEnd = nl ? nl : end;
            appendPiece(QByteArrayView(p, lineEnd - p), rank, type, timeMs, seq);
            p = nl ? nl + 1 : end; // a '\n' last ends the line; it starts none
        }
        return m_size - before;
    }
    // A pending line meets only the first line of a record of its stream; only
    // the last line of a record can become one.
    const bool continues = m_pending.contains(streamKey(rank, type));
    bool first = true;
    do {
        const auto *nl =
            p < end ? static_cast<const char *>(std::memchr(p, '\n', size_t(end - p))) : nullptr;
        const QByteArrayView piece(p, (nl ? nl : end) - p);
        p = nl ? nl + 1 : end;
        const bool pending = redraws && p == end;
        if (pending || (first && continues))
            redrawPiece(piece, rank, type, timeMs, seq, pending);
        else
            appendPiece(piece, rank, type, timeMs, seq);
        first = false;
    } while (p < end);
    return m_size - before;
}

void LogBuffer::redrawPiece(QByteArrayView text, int rank, LogType type, qint64 timeMs, qint64 seq,
                            bool pending)
{
    const quint32 key = streamKey(rank, type);
    AnsiStyle pen;
    QByteArray row;
    if (const auto it = m_pending.constFind(key); it != m_pending.cend()) {
        // The new text starts at column 0 of the pending row. The row sets
        // its cells' styles itself, from the default pen; the stream's real
        // pen follows, then the return to column 0.
        QByteArray replay = it->line.raw;
        replay += sgrSequence(it->pen);
        replay += '\r';
        replay += text;
        row = playTerminalLine(QUtf8StringView(replay), pen);
    } else {
        pen = m_pens.take(key);
        row = playTerminalLine(QUtf8StringView(text), pen);
    }
    m_pendingChanged = true;
    if (pending) {
        Pending &p = m_pending[key];
        p.line = {seq, timeMs, LogBlock::rankOf(key), type, std::move(row)};
        p.pen = pen;
        return;
    }
    m_pending.remove(key);
    if (!pen.isDefault())
        m_pens.insert(key, pen);
    storePlayed(row, key, timeMs, seq);
}

void LogBuffer::storePlayed(QByteArrayView row, quint32 key, qint64 timeMs, qint64 seq)
{
    if (m_size >= kMaxLines) {
        ++m_droppedLines;
        return;
    }
    store(QByteArrayView(), row, key | scanFlags(row), timeMs, seq);
}

QList<PendingLine> LogBuffer::pendingLines() const
{
    QList<PendingLine> lines;
    lines.reserve(m_pending.size());
    for (const Pending &p : m_pending)
        lines.append(p.line);
    std::sort(lines.begin(), lines.end(), [](const PendingLine &a, const PendingLine &b) {
        return std::pair(a.rank, a.type) < std::pair(b.rank, b.type);
    });
    return lines;
}

qsizetype LogBuffer::flushPending()
{
    if (m_pending.isEmpty())
        return 0;
    std::vector<std::pair<quint32, Pending>> pending(m_pending.keyValueBegin(),
                                                     m_pending.keyValueEnd());
    std::sort(pending.begin(), pending.end(), [](const auto &a, const auto &b) {
        return std::pair(a.second.line.seq, a.first) < std::pair(b.second.line.seq, b.first);
    });
    m_pending.clear();
    m_pendingChanged = true;
    const qsizetype first = m_size;
    for (const auto &[key, p] : pending) {
        if (!p.pen.isDefault())
            m_pens.insert(key, p.pen);
        storePlayed(p.line.raw, key, p.line.timeMs, p.line.seq);
    }
    emitAppended(first);
    return m_size - first;
}

void LogBuffer::appendPiece(QByteArrayView text, int rank, LogType type, qint64 timeMs, qint64 seq)
{
    if (m_size >= kMaxLines) {
        ++m_droppedLines;
        return;
    }
    const quint32 key = streamKey(rank, type);
    quint32 flags = scanFlags(text);
    if (!(flags & LogBlock::Escapes) && m_pens.isEmpty()) {
        store(QByteArrayView(), text, key | flags, timeMs, seq);
        return;
    }
    // The slow path: a line with escapes or controls, or a stream whose pen
    // is not the default.
    const AnsiStyle start = m_pens.value(key);
    AnsiStyle pen = start;
    QByteArray played;
    if ((flags & LogBlock::Escapes) && !advancePen(QUtf8StringView(text), pen)) {
        pen = start;
        played = playTerminalLine(QUtf8StringView(text), pen);
        text = played;
        flags = scanFlags(text);
    }
    QByteArray prefix;
    if (!start.isDefault() && played.isNull()) {
        prefix = sgrSequence(start);
        flags |= LogBlock::Escapes;
    }
    if (pen.isDefault())
        m_pens.remove(key);
    else
        m_pens.insert(key, pen);
    store(prefix, text, key | flags, timeMs, seq);
}

void LogBuffer::store(QByteArrayView prefix, QByteArrayView text, quint32 key, qint64 timeMs,
                      qint64 seq)
{
    if (prefix.size() + text.size() > kMaxLineBytes)
        text.truncate(kMaxLineBytes - prefix.size()); // 4 GiB in one line: keep what fits
    const qsizetype bytes = prefix.size() + text.size();
    quint64 position = 0;
    char *const out = reserveText(bytes, &position);
    if (!prefix.isEmpty())
        std::memcpy(out, prefix.data(), size_t(prefix.size()));
    if (!text.isEmpty())
        std::memcpy(out + prefix.size(), text.data(), size_t(text.size()));

    const qsizetype i = m_size & LogBlock::kMask;
    if (i == 0) {
        // Uninitialised (LogBlock is plain arrays of integers): pages are
        // touched as lines are written.
        const bool huge = m_blocks.size() >= kSmallLogBlocks;
        m_storage->blocks.emplace_back(static_cast<LogBlock *>(allocate(sizeof(LogBlock), huge)));
        m_blocks.push_back(m_storage->blocks.back().get());
    }
    LogBlock *const b = m_blocks.back();
    b->seq[i] = seq;
    b->timeMs[i] = timeMs;
    b->position[i] = position;
    b->length[i] = quint32(bytes);
    b->key[i] = key;
    ++m_size;
    m_textBytes += bytes;
}

char *LogBuffer::reserveText(qsizetype bytes, quint64 *position)
{
    if (bytes == 0) {
        *position = 0; // never read: makeLine() looks at no chunk for an empty line
        return nullptr;
    }
    detail::LogStorage &s = *m_storage;
    const auto newChunk = [&](qsizetype capacity) {
        s.chunks.emplace_back(static_cast<char *>(allocate(capacity, capacity == kMaxChunk)));
        s.chunkCapacity.push_back(quint32(capacity));
        m_chunks.push_back(s.chunks.back().get());
        return s.chunks.back().get();
    };
    if (bytes > m_chunkLeft) {
        if (bytes >= kOwnChunk) {
            char *const own = newChunk(std::max<qsizetype>(bytes, 1));
            *position = quint64(m_chunks.size() - 1) << 32;
            return own;
        }
        const int doublings = int(std::min<size_t>(s.chunks.size(), 6));
        const qsizetype capacity = std::min(kMaxChunk, kFirstChunk << doublings);
        m_chunkFree = newChunk(capacity);
        m_chunkLeft = capacity;
        m_currentChunk = m_chunks.size() - 1;
    }
    const qsizetype offset = qsizetype(s.chunkCapacity[size_t(m_currentChunk)]) - m_chunkLeft;
    *position = quint64(m_currentChunk) << 32 | quint64(offset);
    char *const out = m_chunkFree;
    m_chunkFree += bytes;
    m_chunkLeft -= bytes;
    return out;
}

LogLine LogBuffer::line(qsizetype index) const
{
    Q_ASSERT(index >= 0 && index < m_size);
    return detail::makeLine(m_blocks.data(), m_chunks.data(), index);
}

qint64 LogBuffer::overheadBytes() const
{
    qint64 pendingBytes = 0;
    for (const Pending &p : m_pending)
        pendingBytes += qint64(sizeof(Pending)) + p.line.raw.capacity();
    const detail::LogStorage &s = *m_storage;
    qint64 chunkBytes = 0;
    for (const quint32 capacity : s.chunkCapacity)
        chunkBytes += capacity;
    return qint64(s.blocks.size() * sizeof(LogBlock)) + chunkBytes - m_textBytes +
           qint64((s.blocks.capacity() + s.chunks.capacity() + m_blocks.capacity() +
                   m_chunks.capacity()) *
                      sizeof(void *) +
                  s.chunkCapacity.capacity() * sizeof(quint32)) +
           m_utf8.capacity() + m_pens.size() * qint64(sizeof(AnsiStyle) + 2 * sizeof(void *)) +
           pendingBytes;
}

LogSnapshot LogBuffer::snapshot() const
{
    LogSnapshot s;
    s.m_storage = m_storage;
    s.m_blocks.assign(m_blocks.begin(), m_blocks.end());
    s.m_chunks = m_chunks;
    s.m_size = m_size;
    return s;
}

void LogBuffer::clear()
{
    m_storage = std::make_shared<detail::LogStorage>();
    m_blocks = {};
    m_chunks = {};
    m_size = 0;
    m_lastSeq = 0;
    m_duplicates = 0;
    m_droppedLines = 0;
    m_textBytes = 0;
    m_chunkFree = nullptr;
    m_chunkLeft = 0;
    m_currentChunk = 0;
    m_pens.clear();
    const bool hadPending = !m_pending.isEmpty();
    m_pending.clear();
    m_pendingChanged = false;
    if (hadPending)
        Q_EMIT pendingChanged();
    Q_EMIT cleared();
}

} // namespace pf::models
