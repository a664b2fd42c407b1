// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "logstore.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QLoggingCategory>
#include <QStringEncoder>
#include <QUuid>
#include <QtEndian>

#include "server/store/database.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define PF_CRC_SSE42 1
#include <nmmintrin.h>
#else
#define PF_CRC_SSE42 0
#endif

// The log file, integers little-endian:
//
//   header  8 bytes  "PFLOG\0\0\1" (the last byte is the format version)
//   record           u32 len              bytes from seq to the end of content
//                    i64 seq              1, 2, 3, ... without gaps
//                    i64 time_ms
//                    i32 node_rank
//                    u8  type             0 stdout, 1 stderr, 2 vmlog
//                    len - 21 bytes       content, UTF-8 (any byte, NULs too)
//                    u32 crc              CRC-32C of len .. content
//
// A record is valid when its length is in range, all of it is there, the CRC
// matches and its seq follows the previous one. Appends only ever add whole
// batches at the end, so the first invalid record is where a killed append
// tore off: everything from there on is cut when the log is opened.
//
// The index file, "PFIDX\0\0\1" then 16-byte entries (i64 seq, i64 offset):
// the first record of each block, a new block starting once the current one
// holds kIndexEvery records or kIndexBytes bytes. Any increasing list of
// record starts is a valid index, so the rule may change without a format
// change. It is written after the records it points to; on open, entries past
// the end of the log or whose record does not check out are dropped, and the
// log is scanned from the last good entry to its end, so a stale, torn or
// missing index costs a scan, never a wrong answer.

namespace pf::server {

namespace {

Q_LOGGING_CATEGORY(lcLogStore, "pf.logstore")

constexpr std::array<char, 8> kLogMagic{'P', 'F', 'L', 'O', 'G', '\0', '\0', '\1'};
constexpr std::array<char, 8> kIdxMagic{'P', 'F', 'I', 'D', 'X', '\0', '\0', '\1'};
constexpr qint64 kHeaderSize = 8;
constexpr qint64 kFixedBody = 8 + 8 + 4 + 1; // seq, time, rank, type
constexpr qint64 kRecordOverhead = 4 + kFixedBody + 4;
constexpr qint64 kMaxBody = kFixedBody + LogStore::MaxContentBytes;
constexpr qint64 kIdxEntrySize = 16;
// About 23 KiB of 60-byte lines per block: a page near any seq reads one or
// two blocks, and a million records need 4,000 entries (64 KiB) of index.
constexpr qint64 kIndexEvery = 256;
constexpr qint64 kIndexBytes = qint64(32) * 1024;
constexpr qint64 kScanChunk = 1 << 20;
// A scratch buffer larger than this is released after the append that grew it.
constexpr size_t kKeepBuffer = 4u << 20;

enum TypeCode : quint8 { Stdout = 0, Stderr = 1, VmLog = 2, TypeCount = 3 };

int typeCode(const QString &type)
{
    if (type == QLatin1String("stdout"))
        return Stdout;
    if (type == QLatin1String("stderr"))
        return Stderr;
    if (type == QLatin1String("vmlog"))
        return VmLog;
    return -1;
}

const QString &typeName(quint8 code)
{
    static const std::array<QString, TypeCount> names{
        QStringLiteral("stdout"), QStringLiteral("stderr"), QStringLiteral("vmlog")};
    return names[code];
}

// CRC-32C (Castagnoli): the SSE 4.2 instruction where the CPU has it (about
// 8 GB/s), else slicing by 8 (about 1.5 GB/s). Both give the same values, so
// logs move between machines.
using CrcTables = std::array<std::array<quint32, 256>, 8>;

constexpr CrcTables makeCrcTables()
{
    CrcTables t{};
    for (quint32 i = 0; i < 256; ++i) {
        quint32 c = i;
        for (int k = 0; k < 8; ++k)
            c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
        t[0][i] = c;
    }
    for (size_t s = 1; s < 8; ++s) {
        for (size_t i = 0; i < 256; ++i)
            t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xff];
    }
    return t;
}

constexpr CrcTables kCrc = makeCrcTables();

quint32 crc32cPortable(const char *data, qint64 size)
{
    const auto *p = reinterpret_cast<const uchar *>(data);
    quint32 crc = 0xffffffffu;
    while (size >= 8) {
        const quint32 lo = qFromLittleEndian<quint32>(p) ^ crc;
        const quint32 hi = qFromLittleEndian<quint32>(p + 4);
        crc = kCrc[7][lo & 0xff] ^ kCrc[6][(lo >> 8) & 0xff] ^ kCrc[5][(lo >> 16) & 0xff] ^
              kCrc[4][lo >> 24] ^ kCrc[3][hi & 0xff] ^ kCrc[2][(hi >> 8) & 0xff] ^
              kCrc[1][(hi >> 16) & 0xff] ^ kCrc[0][hi >> 24];
        p += 8;
        size -= 8;
    }
    while (size-- > 0)
        crc = kCrc[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

#if PF_CRC_SSE42
__attribute__((target("sse4.2"))) quint32 crc32cSse42(const char *data, qint64 size)
{
    quint64 crc = 0xffffffffu;
    while (size >= 8) {
        quint64 word = 0;
        std::memcpy(&word, data, 8);
        crc = _mm_crc32_u64(crc, word);
        data += 8;
        size -= 8;
    }
    auto crc32 = quint32(crc);
    while (size-- > 0)
        crc32 = _mm_crc32_u8(crc32, uchar(*data++));
    return ~crc32;
}

const bool kHaveSse42 = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("sse4.2") != 0;
}();
#endif

quint32 crc32c(const char *data, qint64 size)
{
#if PF_CRC_SSE42
    if (kHaveSse42)
        return crc32cSse42(data, size);
#endif
    return crc32cPortable(data, size);
}

// One record in a buffer; `content` points into that buffer.
struct RecordView
{
    qint64 offset = 0; // in the file
    qint64 size = 0;   // of the whole record
    qint64 seq = 0;
    qint64 timeMs = 0;
    qint32 nodeRank = 0;
    quint8 type = 0;
    const char *content = nullptr;
    qint64 contentSize = 0;
};

enum class Parse { Ok, Short, Bad };

// Parses the record at `p` (`avail` bytes there). Short: it continues past
// `avail`; Bad: it cannot be a record.
Parse parseRecord(const char *p, qint64 avail, RecordView *out)
{
    if (avail < 4)
        return Parse::Short;
    const qint64 len = qFromLittleEndian<quint32>(p);
    if (len < kFixedBody || len > kMaxBody)
        return Parse::Bad;
    const qint64 total = 4 + len + 4;
    if (avail < total)
        return Parse::Short;
    if (crc32c(p, 4 + len) != qFromLittleEndian<quint32>(p + 4 + len))
        return Parse::Bad;
    const char *body = p + 4;
    out->size = total;
    out->seq = qFromLittleEndian<qint64>(body);
    out->timeMs = qFromLittleEndian<qint64>(body + 8);
    out->nodeRank = qFromLittleEndian<qint32>(body + 16);
    out->type = quint8(body[20]);
    out->content = body + kFixedBody;
    out->contentSize = len - kFixedBody;
    if (out->seq <= 0 || out->type >= TypeCount)
        return Parse::Bad;
    return Parse::Ok;
}

[[noreturn]] void throwIo(const char *what, const QString &path, int error)
{
    throw StoreError(
        QStringLiteral("%1 %2: %3")
            .arg(QLatin1String(what), path, QString::fromLocal8Bit(std::strerror(error)))
            .toStdString());
}

// Reads up to `size` bytes at `offset`; fewer only at the end of the file.
qint64 preadFull(int fd, char *buffer, qint64 size, qint64 offset)
{
    qint64 done = 0;
    while (done < size) {
        const ssize_t n = ::pread(fd, buffer + done, size_t(size - done), off_t(offset + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        done += n;
    }
    return done;
}

bool pwriteFull(int fd, const char *buffer, qint64 size, qint64 offset)
{
    qint64 done = 0;
    while (done < size) {
        const ssize_t n = ::pwrite(fd, buffer + done, size_t(size - done), off_t(offset + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = EIO;
            return false;
        }
        done += n;
    }
    return true;
}

// The length of the longest prefix of `utf8` within `limit` bytes that does
// not end inside a character.
qsizetype utf8Prefix(const QByteArray &utf8, qsizetype limit)
{
    if (utf8.size() <= limit)
        return utf8.size();
    qsizetype n = limit;
    while (n > 0 && (uchar(utf8[n]) & 0xc0) == 0x80)
        --n;
    return n;
}

// Closes a descriptor unless released.
class FdGuard
{
public:
    explicit FdGuard(int fd)
        : m_fd(fd)
    {}
    ~FdGuard()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    FdGuard(const FdGuard &) = delete;
    FdGuard &operator=(const FdGuard &) = delete;
    int get() const { return m_fd; }
    int release() { return std::exchange(m_fd, -1); }

private:
    int m_fd;
};

// Reads the records of [from, to) in large chunks, for the scan on open.
class Scanner
{
public:
    enum class Step { Record, End, Invalid };

    Scanner(int fd, const QString &path, qint64 from, qint64 to)
        : m_fd(fd)
        , m_path(path)
        , m_pos(from)
        , m_to(to)
    {}

    // The next record, End at `to`, Invalid where no whole valid record is.
    Step next(RecordView *out)
    {
        if (m_pos >= m_to)
            return Step::End;
        for (;;) {
            const qint64 inBuffer = m_bufferEnd - m_pos;
            const char *p = inBuffer > 0 ? m_buffer.data() + (m_pos - m_bufferStart) : nullptr;
            const Parse r = p ? parseRecord(p, inBuffer, out) : Parse::Short;
            if (r == Parse::Ok) {
                out->offset = m_pos;
                m_pos += out->size;
                return Step::Record;
            }
            if (r == Parse::Bad || m_bufferEnd >= m_to)
                return Step::Invalid;
            const qint64 need = inBuffer >= 4 ? 8 + qint64(qFromLittleEndian<quint32>(p)) : 4;
            const qint64 want = std::min(std::max(need, kScanChunk), m_to - m_pos);
            m_buffer.resize(size_t(want));
            const qint64 n = preadFull(m_fd, m_buffer.data(), want, m_pos);
            if (n < 0)
                throwIo("cannot read", m_path, errno);
            m_bufferStart = m_pos;
            m_bufferEnd = m_pos + n;
            if (n < want) // the file is shorter than it was
                m_to = m_bufferEnd;
        }
    }

private:
    int m_fd;
    const QString &m_path;
    qint64 m_pos;
    qint64 m_to;
    std::vector<char> m_buffer;
    qint64 m_bufferStart = 0;
    qint64 m_bufferEnd = 0;
};

} // namespace

// One job's log: its descriptors, last seq, size and index.
//
// m_writeMutex serialises appends, the open and removal; m_stateMutex guards
// what reads need (descriptor, size, last seq, index), which an append
// changes only after its write, so reads never wait for the disk of an append.
class LogStore::JobLog
{
public:
    JobLog(const QString &root, const QString &jobId)
        : m_dir(root + u'/' + jobId)
        , m_logPath(m_dir + QStringLiteral("/log"))
        , m_idxPath(m_dir + QStringLiteral("/log.idx"))
        , m_logPathNative(QFile::encodeName(m_logPath))
        , m_idxPathNative(QFile::encodeName(m_idxPath))
    {}

    ~JobLog()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        if (m_idxFd >= 0)
            ::close(m_idxFd);
    }

    JobLog(const JobLog &) = delete;
    JobLog &operator=(const JobLog &) = delete;

    qint64 append(const QList<LogRecordIn> &records);
    LogPage read(const LogQuery &query);
    qint64 lastSeq();
    qint64 size();
    void removeFiles();

private:
    struct IndexEntry
    {
        qint64 seq;
        qint64 offset;
    };
    struct Snapshot
    {
        int fd = -1;
        qint64 size = 0;
        qint64 lastSeq = 0;
    };
    struct Block
    {
        qint64 firstSeq = 0;
        qint64 begin = 0;
        qint64 end = 0;
    };

    void ensureOpen();
    void openLocked();
    std::vector<IndexEntry> loadIndex(qint64 logSize, bool *headerOk);
    void persistIndex(const std::vector<IndexEntry> &index, qsizetype keep, bool headerOk);
    void appendIndex(const std::vector<IndexEntry> &entries);
    void failIndex(const char *what, int error);
    bool checkRecordAt(int fd, const IndexEntry &entry, qint64 logSize);
    Snapshot snapshot();
    qsizetype blockOf(qint64 seq);
    Block block(qsizetype i, const Snapshot &snap);
    void readBlock(const Snapshot &snap, const Block &b, std::vector<char> *buffer,
                   std::vector<RecordView> *views);

    const QString m_dir;
    const QString m_logPath;
    const QString m_idxPath;
    const QByteArray m_logPathNative;
    const QByteArray m_idxPathNative;

    std::mutex m_writeMutex;
    std::atomic<bool> m_opened{false};
    // Under m_writeMutex:
    bool m_removed = false;
    int m_idxFd = -1;
    qint64 m_idxSize = 0;
    bool m_idxBroken = false; // stop writing it; the next open repairs it
    qint64 m_blockRecords = 0;
    qint64 m_blockBytes = 0;
    std::vector<char> m_buffer;
    std::vector<IndexEntry> m_newEntries;

    // Written under both mutexes, read under either.
    std::mutex m_stateMutex;
    int m_fd = -1;
    qint64 m_size = 0; // 0: no header yet
    qint64 m_lastSeq = 0;
    std::vector<IndexEntry> m_index;
};

void LogStore::JobLog::ensureOpen()
{
    if (m_opened.load(std::memory_order_acquire))
        return;
    std::lock_guard lock(m_writeMutex);
    if (!m_opened.load(std::memory_order_relaxed))
        openLocked();
}

void LogStore::JobLog::openLocked()
{
    const int rawFd = ::open(m_logPathNative.constData(), O_RDWR | O_CLOEXEC);
    if (rawFd < 0) {
        if (errno != ENOENT)
            throwIo("cannot open", m_logPath, errno);
        m_opened.store(true, std::memory_order_release); // no log yet
        return;
    }
    FdGuard fd(rawFd);
    struct stat st = {};
    if (::fstat(fd.get(), &st) != 0)
        throwIo("cannot stat", m_logPath, errno);
    const qint64 fileSize = st.st_size;

    std::array<char, kHeaderSize> header{};
    const qint64 headerRead = preadFull(fd.get(), header.data(), kHeaderSize, 0);
    if (headerRead < 0)
        throwIo("cannot read", m_logPath, errno);
    if (std::memcmp(header.data(), kLogMagic.data(), size_t(headerRead)) != 0)
        throw StoreError("not a pfstudio log file: " + m_logPath.toStdString());

    std::vector<IndexEntry> index;
    qint64 validEnd = 0;
    qint64 lastSeq = 0;
    if (fileSize < kHeaderSize) {
        // Killed while creating the file: start over at the next append.
        if (::ftruncate(fd.get(), 0) != 0)
            throwIo("cannot truncate", m_logPath, errno);
    } else {
        bool headerOk = false;
        index = loadIndex(fileSize, &headerOk);
        const auto loaded = qsizetype(index.size());
        while (!index.empty() && !checkRecordAt(fd.get(), index.back(), fileSize))
            index.pop_back();
        const auto kept = qsizetype(index.size());

        // Scan from the last good entry (or the start) to the end.
        qint64 seq = index.empty() ? 1 : index.back().seq;
        validEnd = index.empty() ? kHeaderSize : index.back().offset;
        qint64 blockRecords = 0;
        qint64 blockBytes = 0;
        Scanner scanner(fd.get(), m_logPath, validEnd, fileSize);
        RecordView v;
        while (scanner.next(&v) == Scanner::Step::Record && v.seq == seq) {
            if (index.empty() || blockRecords >= kIndexEvery || blockBytes >= kIndexBytes) {
                index.push_back({v.seq, v.offset});
                blockRecords = 0;
                blockBytes = 0;
            }
            ++blockRecords;
            blockBytes += v.size;
            validEnd = v.offset + v.size;
            ++seq;
        }
        lastSeq = seq - 1;
        m_blockRecords = blockRecords;
        m_blockBytes = blockBytes;
        if (validEnd < fileSize) {
            if (::ftruncate(fd.get(), validEnd) != 0)
                throwIo("cannot truncate", m_logPath, errno);
            // A killed append leaves at most one batch; more hints at damage.
            if (fileSize - validEnd > 4 * kMaxBody)
                qCWarning(lcLogStore) << "cut" << fileSize - validEnd << "bytes after seq"
                                      << lastSeq << "from" << m_logPath;
            else
                qCInfo(lcLogStore) << "repaired the torn tail of" << m_logPath << "("
                                   << fileSize - validEnd << "bytes after seq" << lastSeq << ")";
        }
        if (kept != loaded || qsizetype(index.size()) != kept || !headerOk ||
            m_idxSize != kHeaderSize + loaded * kIdxEntrySize)
            persistIndex(index, kept, headerOk);
    }

    {
        std::lock_guard lock(m_stateMutex);
        m_fd = fd.release();
        m_size = validEnd;
        m_lastSeq = lastSeq;
        m_index = std::move(index);
    }
    m_opened.store(true, std::memory_order_release);
}

std::vector<LogStore::JobLog::IndexEntry> LogStore::JobLog::loadIndex(qint64 logSize,
                                                                      bool *headerOk)
{
    *headerOk = false;
    if (m_idxFd >= 0) // left by an earlier open that failed
        ::close(m_idxFd);
    m_idxFd = ::open(m_idxPathNative.constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (m_idxFd < 0) {
        failIndex("cannot open", errno);
        return {};
    }
    struct stat st = {};
    if (::fstat(m_idxFd, &st) != 0) {
        failIndex("cannot stat", errno);
        return {};
    }
    m_idxSize = st.st_size;
    // Entries point at distinct records, so there are fewer than the log holds
    // record-sized pieces; anything larger is not our index.
    if (m_idxSize < kHeaderSize ||
        m_idxSize > kHeaderSize + (logSize / kRecordOverhead + 1) * kIdxEntrySize)
        return {};
    std::vector<char> bytes(static_cast<size_t>(m_idxSize));
    if (preadFull(m_idxFd, bytes.data(), m_idxSize, 0) != m_idxSize)
        return {};
    if (std::memcmp(bytes.data(), kIdxMagic.data(), kHeaderSize) != 0)
        return {};
    *headerOk = true;
    std::vector<IndexEntry> index;
    const qint64 count = (m_idxSize - kHeaderSize) / kIdxEntrySize;
    index.reserve(size_t(count));
    for (qint64 i = 0; i < count; ++i) {
        const char *p = bytes.data() + kHeaderSize + i * kIdxEntrySize;
        const IndexEntry e{qFromLittleEndian<qint64>(p), qFromLittleEndian<qint64>(p + 8)};
        const bool ok = index.empty() ? e.seq == 1 && e.offset == kHeaderSize
                                      : e.seq > index.back().seq && e.offset > index.back().offset;
        if (!ok || e.offset >= logSize)
            break;
        index.push_back(e);
    }
    return index;
}

bool LogStore::JobLog::checkRecordAt(int fd, const IndexEntry &entry, qint64 logSize)
{
    std::array<char, 4> head{};
    if (preadFull(fd, head.data(), 4, entry.offset) != 4)
        return false;
    const qint64 total = 8 + qint64(qFromLittleEndian<quint32>(head.data()));
    if (total > 8 + kMaxBody || entry.offset + total > logSize)
        return false;
    std::vector<char> record(static_cast<size_t>(total));
    if (preadFull(fd, record.data(), total, entry.offset) != total)
        return false;
    RecordView v;
    return parseRecord(record.data(), total, &v) == Parse::Ok && v.seq == entry.seq;
}

// Makes the index file hold `index`, of which the first `keep` entries are
// already there.
void LogStore::JobLog::persistIndex(const std::vector<IndexEntry> &index, qsizetype keep,
                                    bool headerOk)
{
    if (m_idxFd < 0)
        return;
    if (!headerOk)
        keep = 0;
    const qint64 keepSize = headerOk ? kHeaderSize + keep * kIdxEntrySize : 0;
    if (::ftruncate(m_idxFd, keepSize) != 0) {
        failIndex("cannot truncate", errno);
        return;
    }
    m_idxSize = keepSize;
    m_idxBroken = false;
    if (!headerOk) {
        if (!pwriteFull(m_idxFd, kIdxMagic.data(), kHeaderSize, 0)) {
            failIndex("cannot write", errno);
            return;
        }
        m_idxSize = kHeaderSize;
    }
    appendIndex(std::vector<IndexEntry>(index.begin() + keep, index.end()));
}

void LogStore::JobLog::appendIndex(const std::vector<IndexEntry> &entries)
{
    if (m_idxBroken || m_idxFd < 0 || entries.empty())
        return;
    std::vector<char> bytes(entries.size() * size_t(kIdxEntrySize));
    char *p = bytes.data();
    for (const IndexEntry &e : entries) {
        qToLittleEndian<qint64>(e.seq, p);
        qToLittleEndian<qint64>(e.offset, p + 8);
        p += kIdxEntrySize;
    }
    if (!pwriteFull(m_idxFd, bytes.data(), qint64(bytes.size()), m_idxSize)) {
        failIndex("cannot write", errno);
        return;
    }
    m_idxSize += qint64(bytes.size());
}

void LogStore::JobLog::failIndex(const char *what, int error)
{
    // The log itself is fine; the next open rebuilds the index from it.
    m_idxBroken = true;
    qCWarning(lcLogStore) << what << m_idxPath << ":" << std::strerror(error);
}

qint64 LogStore::JobLog::append(const QList<LogRecordIn> &records)
{
    std::lock_guard lock(m_writeMutex);
    if (!m_opened.load(std::memory_order_relaxed))
        openLocked();
    if (m_removed)
        throw StoreError("the log was removed: " + m_logPath.toStdString());
    if (records.isEmpty())
        return m_lastSeq;

    const bool fresh = m_size == 0;
    qint64 bound = fresh ? kHeaderSize : 0;
    for (const LogRecordIn &r : records)
        bound += kRecordOverhead + std::min<qint64>(r.content.size(), LogStore::MaxContentBytes);
    if (m_buffer.size() < size_t(bound))
        m_buffer.resize(size_t(bound));

    // Encode the batch with its index entries, touching no state until it is
    // written: a bad type or a failed write leaves the log as it was.
    char *const begin = m_buffer.data();
    char *p = begin;
    if (fresh) {
        std::memcpy(p, kLogMagic.data(), kHeaderSize);
        p += kHeaderSize;
    }
    const qint64 base = m_size;
    qint64 seq = m_lastSeq;
    qint64 blockRecords = m_blockRecords;
    qint64 blockBytes = m_blockBytes;
    bool indexed = !m_index.empty();
    m_newEntries.clear();
    for (const LogRecordIn &r : records) {
        const int type = typeCode(r.type);
        if (type < 0)
            throw std::invalid_argument("unknown log record type: " + r.type.toStdString());
        ++seq;
        const qint64 offset = base + (p - begin);
        if (!indexed || blockRecords >= kIndexEvery || blockBytes >= kIndexBytes) {
            m_newEntries.push_back({seq, offset});
            indexed = true;
            blockRecords = 0;
            blockBytes = 0;
        }
        char *const record = p;
        char *const content = record + 4 + kFixedBody;
        const qsizetype n = r.content.size() <= LogStore::MaxContentBytes
                                ? r.content.size()
                                : utf8Prefix(r.content, LogStore::MaxContentBytes);
        std::memcpy(content, r.content.constData(), size_t(n));
        char *const end = content + n;
        const auto len = quint32(kFixedBody + (end - content));
        qToLittleEndian<quint32>(len, record);
        qToLittleEndian<qint64>(seq, record + 4);
        qToLittleEndian<qint64>(r.timeMs, record + 12);
        qToLittleEndian<qint32>(r.nodeRank, record + 20);
        record[24] = char(type);
        qToLittleEndian<quint32>(crc32c(record, 4 + qint64(len)), end);
        p = end + 4;
        ++blockRecords;
        blockBytes += p - record;
    }
    const qint64 bytes = p - begin;

    int fd = m_fd;
    if (fd < 0) {
        if (!QDir().mkpath(m_dir))
            throw StoreError("cannot create " + m_dir.toStdString());
        fd = ::open(m_logPathNative.constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0)
            throwIo("cannot create", m_logPath, errno);
        std::lock_guard state(m_stateMutex);
        m_fd = fd;
    }
    if (!pwriteFull(fd, begin, bytes, base)) {
        const int error = errno;
        // Leave no partial batch behind for the next append to build on.
        if (::ftruncate(fd, base) != 0)
            qCWarning(lcLogStore) << "cannot truncate" << m_logPath << ":" << std::strerror(errno);
        throwIo("cannot write", m_logPath, error);
    }

    if (fresh) {
        if (m_idxFd < 0)
            m_idxFd = ::open(m_idxPathNative.constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (m_idxFd < 0)
            failIndex("cannot create", errno);
        else
            persistIndex(m_newEntries, 0, false);
    } else {
        appendIndex(m_newEntries);
    }

    {
        std::lock_guard state(m_stateMutex);
        m_size = base + bytes;
        m_lastSeq = seq;
        m_index.insert(m_index.end(), m_newEntries.begin(), m_newEntries.end());
    }
    m_blockRecords = blockRecords;
    m_blockBytes = blockBytes;
    if (m_buffer.size() > kKeepBuffer)
        std::vector<char>().swap(m_buffer);
    return seq;
}

LogStore::JobLog::Snapshot LogStore::JobLog::snapshot()
{
    std::lock_guard lock(m_stateMutex);
    return {m_fd, m_size, m_lastSeq};
}

qsizetype LogStore::JobLog::blockOf(qint64 seq)
{
    std::lock_guard lock(m_stateMutex);
    const auto it = std::upper_bound(m_index.begin(), m_index.end(), seq,
                                     [](qint64 s, const IndexEntry &e) { return s < e.seq; });
    return qsizetype(it - m_index.begin()) - 1;
}

// Block `i`, cut at the snapshot: entries past it (appended since) are ignored.
LogStore::JobLog::Block LogStore::JobLog::block(qsizetype i, const Snapshot &snap)
{
    std::lock_guard lock(m_stateMutex);
    if (i < 0 || i >= qsizetype(m_index.size()) || m_index[size_t(i)].seq > snap.lastSeq)
        return {};
    const IndexEntry &e = m_index[size_t(i)];
    const bool last = size_t(i) + 1 == m_index.size() || m_index[size_t(i) + 1].seq > snap.lastSeq;
    return {e.seq, e.offset, last ? snap.size : m_index[size_t(i) + 1].offset};
}

void LogStore::JobLog::readBlock(const Snapshot &snap, const Block &b, std::vector<char> *buffer,
                                 std::vector<RecordView> *views)
{
    const qint64 size = b.end - b.begin;
    buffer->resize(size_t(size));
    const qint64 n = preadFull(snap.fd, buffer->data(), size, b.begin);
    if (n < 0)
        throwIo("cannot read", m_logPath, errno);
    views->clear();
    qint64 at = 0;
    RecordView v;
    while (at < n) {
        if (parseRecord(buffer->data() + at, n - at, &v) != Parse::Ok ||
            v.seq != b.firstSeq + qint64(views->size()))
            break;
        v.offset = b.begin + at;
        views->push_back(v);
        at += v.size;
    }
    if (at != size)
        throw StoreError("corrupt record at offset " + std::to_string(b.begin + at) + " of " +
                         m_logPath.toStdString());
}

LogPage LogStore::JobLog::read(const LogQuery &query)
{
    ensureOpen();
    const Snapshot snap = snapshot();
    LogPage page;
    if (snap.lastSeq == 0)
        return page;

    quint8 typeMask = 0xff;
    if (!query.types.isEmpty()) {
        typeMask = 0;
        for (const QString &t : query.types) {
            const int code = typeCode(t);
            if (code >= 0)
                typeMask |= quint8(1u << code);
        }
        if (typeMask == 0)
            return page;
    }
    const QByteArray needleBytes = query.content.toUtf8();
    const std::string_view needle(needleBytes.constData(), size_t(needleBytes.size()));
    const auto matches = [&](const RecordView &v) {
        if (!((typeMask >> v.type) & 1u))
            return false;
        if (!query.nodeRanks.isEmpty() && !query.nodeRanks.contains(v.nodeRank))
            return false;
        return needle.empty() || std::string_view(v.content, size_t(v.contentSize)).find(needle) !=
                                     std::string_view::npos;
    };
    const int limit = std::clamp(query.limit, 1, LogQuery::MaxLimit);

    qint64 seq = 0;
    if (query.ascending) {
        seq = std::max<qint64>(query.cursor, 0) + 1;
        if (seq > snap.lastSeq)
            return page;
    } else {
        seq = query.cursor <= 0 ? snap.lastSeq : std::min(query.cursor - 1, snap.lastSeq);
        if (seq < 1)
            return page;
    }

    std::vector<char> buffer;
    std::vector<RecordView> views;
    page.records.reserve(std::min(limit, 1024));
    const auto take = [&](const RecordView &v) {
        if (!matches(v))
            return false;
        page.records.append({v.seq, QString::fromUtf8(v.content, qsizetype(v.contentSize)),
                             v.timeMs, typeName(v.type), v.nodeRank});
        return page.records.size() == limit;
    };
    bool full = false;
    for (qsizetype i = blockOf(seq); !full;) {
        const Block b = block(i, snap);
        if (b.end <= b.begin)
            break;
        readBlock(snap, b, &buffer, &views);
        const qint64 at = seq - b.firstSeq;
        if (at < 0 || at >= qint64(views.size()))
            throw StoreError("log index out of step with " + m_logPath.toStdString());
        if (query.ascending) {
            for (auto k = size_t(at); k < views.size() && !full; ++k)
                full = take(views[k]);
            seq = b.firstSeq + qint64(views.size());
            ++i;
            if (seq > snap.lastSeq)
                break;
        } else {
            for (auto k = size_t(at) + 1; k-- > 0 && !full;)
                full = take(views[k]);
            seq = b.firstSeq - 1;
            --i;
            if (seq < 1)
                break;
        }
    }
    if (full) {
        const qint64 last = page.records.constLast().seq;
        if (query.ascending ? last < snap.lastSeq : last > 1)
            page.nextCursor = last;
    }
    return page;
}

qint64 LogStore::JobLog::lastSeq()
{
    ensureOpen();
    return snapshot().lastSeq;
}

qint64 LogStore::JobLog::size()
{
    ensureOpen();
    return snapshot().size;
}

void LogStore::JobLog::removeFiles()
{
    std::lock_guard lock(m_writeMutex);
    m_removed = true;
    // The descriptors stay open until the last user lets go, so a read under
    // way finishes on the unlinked file.
    for (const QByteArray &path : {m_idxPathNative, m_logPathNative}) {
        if (::unlink(path.constData()) != 0 && errno != ENOENT)
            throwIo("cannot remove", QFile::decodeName(path), errno);
    }
    // Only when empty: the job's folder holds more than its log.
    ::rmdir(QFile::encodeName(m_dir).constData());
}

LogStore::LogStore(const QString &root, int maxOpenJobs)
    : m_root(QDir::cleanPath(root))
    , m_maxOpenJobs(std::max(1, maxOpenJobs))
{}

LogStore::~LogStore() = default;

namespace {
void checkJobId(const QString &jobId)
{
    if (!LogStore::isValidJobId(jobId))
        throw std::invalid_argument("invalid job id: " + jobId.left(64).toStdString());
}
} // namespace

bool LogStore::isValidJobId(const QString &jobId)
{
    if (jobId.size() != 36)
        return false;
    const QUuid uuid = QUuid::fromString(jobId);
    return !uuid.isNull() && uuid.toString(QUuid::WithoutBraces) == jobId;
}

std::shared_ptr<LogStore::JobLog> LogStore::acquire(const QString &jobId) const
{
    checkJobId(jobId);
    std::lock_guard lock(m_mutex);
    const auto found = m_jobs.find(jobId);
    if (found != m_jobs.end()) {
        m_lru.splice(m_lru.begin(), m_lru, found->lru);
        return found->job;
    }
    auto job = std::make_shared<JobLog>(m_root, jobId);
    m_lru.push_front(jobId);
    m_jobs.insert(jobId, Slot{job, m_lru.begin()});
    // Close the least recently used jobs that no call is using. Only this
    // mutex hands out references, so a use count of one cannot grow behind
    // our back.
    auto it = m_lru.end();
    while (m_jobs.size() > m_maxOpenJobs && it != m_lru.begin()) {
        --it;
        const auto slot = m_jobs.find(*it);
        if (slot->job.use_count() > 1)
            continue;
        m_jobs.erase(slot);
        it = m_lru.erase(it);
    }
    return job;
}

qint64 LogStore::append(const QString &jobId, const QList<LogRecordIn> &records)
{
    return acquire(jobId)->append(records);
}

LogPage LogStore::read(const QString &jobId, const LogQuery &query) const
{
    return acquire(jobId)->read(query);
}

qint64 LogStore::lastSeq(const QString &jobId) const
{
    return acquire(jobId)->lastSeq();
}

qint64 LogStore::size(const QString &jobId) const
{
    return acquire(jobId)->size();
}

void LogStore::remove(const QString &jobId)
{
    checkJobId(jobId);
    // Under the cache's mutex, so that no new JobLog opens the files between
    // taking this one out and deleting them.
    std::lock_guard lock(m_mutex);
    std::shared_ptr<JobLog> job;
    const auto found = m_jobs.find(jobId);
    if (found != m_jobs.end()) {
        job = found->job;
        m_lru.erase(found->lru);
        m_jobs.erase(found);
    } else {
        job = std::make_shared<JobLog>(m_root, jobId);
    }
    job->removeFiles();
}

int LogStore::openJobs() const
{
    std::lock_guard lock(m_mutex);
    return int(m_jobs.size());
}

api::LogRecord toApi(const StoredLogRecord &r)
{
    return {r.seq, r.content, QDateTime::fromMSecsSinceEpoch(r.timeMs, Qt::UTC), r.type,
            r.nodeRank};
}

} // namespace pf::server
