// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "logsearch.h"

#include <algorithm>
#include <chrono>
#include <string_view>

#include <QRegularExpression>

namespace pf::models {

namespace {

using Clock = std::chrono::steady_clock;

// The worker hands results over at most this often, and looks at the cancel
// flag every kCheckLines lines.
constexpr auto kPostInterval = std::chrono::milliseconds(30);
constexpr qsizetype kCheckLines = 1024;

QRegularExpression compile(const LogSearchQuery &query)
{
    QRegularExpression::PatternOptions options = QRegularExpression::NoPatternOption;
    if (query.caseSensitivity == Qt::CaseInsensitive)
        options |= QRegularExpression::CaseInsensitiveOption;
    return QRegularExpression(query.pattern, options);
}

constexpr uchar foldAscii(uchar c)
{
    return c >= 'A' && c <= 'Z' ? uchar(c + ('a' - 'A')) : c;
}

// The first occurrence of `needle` (lower case) in `hay` at or after `from`,
// ASCII letters compared without case; -1 if none.
qsizetype indexOfFolded(std::string_view hay, std::string_view needle, size_t from)
{
    const size_t n = needle.size();
    if (n == 0 || hay.size() < n)
        return -1;
    const auto first = uchar(needle[0]);
    for (size_t i = from; i + n <= hay.size(); ++i) {
        if (foldAscii(uchar(hay[i])) != first)
            continue;
        size_t j = 1;
        while (j < n && foldAscii(uchar(hay[i + j])) == uchar(needle[j]))
            ++j;
        if (j == n)
            return qsizetype(i);
    }
    return -1;
}

// Finds a query's matches in one line at a time. Lines that are ASCII (most
// of a training log) are searched for plain strings as bytes, without a
// conversion to UTF-16; everything else goes through the line's visible
// text in a reused QString, so no line allocates.
class LineSearcher
{
public:
    explicit LineSearcher(const LogSearchQuery &query)
        : m_query(query)
        , m_needleUtf8(query.pattern.toUtf8())
        , m_needleAscii(!query.regex && std::all_of(query.pattern.cbegin(), query.pattern.cend(),
                                                    [](QChar c) { return c.unicode() < 0x80; }))
    {
        if (query.regex) {
            m_regex = compile(query);
            m_regex.optimize();
        } else if (query.caseSensitivity == Qt::CaseInsensitive && m_needleAscii) {
            for (char &c : m_needleUtf8)
                c = char(foldAscii(uchar(c)));
        }
    }

    // Appends the matches of `line` to `out` (while `room` > 0, which it
    // decreases); returns how many there are.
    qsizetype search(const LogLine &line, qsizetype index, std::vector<LogMatch> &out,
                     qsizetype &room)
    {
        qsizetype found = 0;
        const auto add = [&](qsizetype start, qsizetype length) {
            ++found;
            if (room > 0) {
                out.push_back({index, int(start), int(length)});
                --room;
            }
        };
        if (!m_query.regex && line.ascii) {
            // A non-ASCII needle can still match ASCII text without case
            // ("ſ" folds to "s"): only a case-sensitive one is skipped.
            if (!m_needleAscii && m_query.caseSensitivity == Qt::CaseSensitive)
                return 0;
            if (m_needleAscii) {
                const std::string_view hay = visibleAscii(line);
                const std::string_view needle(m_needleUtf8.constData(),
                                              size_t(m_needleUtf8.size()));
                const bool folded = m_query.caseSensitivity == Qt::CaseInsensitive;
                for (size_t from = 0;;) {
                    const qsizetype at = folded ? indexOfFolded(hay, needle, from)
                                                : qsizetype(hay.find(needle, from));
                    if (at < 0)
                        break;
                    add(at, qsizetype(needle.size()));
                    from = size_t(at) + needle.size();
                }
                return found;
            }
        }
        const QStringView text = visibleText(line);
        if (m_query.regex) {
            constexpr auto kOptions = QRegularExpression::DontCheckSubjectStringMatchOption;
            if (!m_regex.match(text, 0, QRegularExpression::NormalMatch, kOptions).hasMatch())
                return 0;
            QRegularExpressionMatchIterator it =
                m_regex.globalMatch(text, 0, QRegularExpression::NormalMatch, kOptions);
            while (it.hasNext()) {
                const QRegularExpressionMatch m = it.next();
                if (m.capturedLength() > 0)
                    add(m.capturedStart(), m.capturedLength());
            }
            return found;
        }
        const QStringView needle(m_query.pattern);
        for (qsizetype from = 0;;) {
            const qsizetype at = text.indexOf(needle, from, m_query.caseSensitivity);
            if (at < 0)
                break;
            add(at, needle.size());
            from = at + needle.size();
        }
        return found;
    }

private:
    // The visible text of an ASCII line, as bytes (positions are UTF-16's).
    std::string_view visibleAscii(const LogLine &line)
    {
        if (!line.hasEscapes)
            return std::string_view(line.raw.data(), size_t(line.raw.size()));
        m_bytes.resize(0);
        appendAnsiPlainUtf8(line.raw, m_bytes);
        return std::string_view(m_bytes.constData(), size_t(m_bytes.size()));
    }

    QStringView visibleText(const LogLine &line)
    {
        if (line.ascii && !line.hasEscapes) {
            const qsizetype n = line.raw.size();
            m_text.resize(n);
            char16_t *out = reinterpret_cast<char16_t *>(m_text.data());
            const char *in = line.raw.data();
            for (qsizetype i = 0; i < n; ++i)
                out[i] = uchar(in[i]);
        } else {
            m_text.resize(0);
            appendAnsiPlainText(line.raw, m_text);
        }
        return m_text;
    }

    const LogSearchQuery m_query;
    QByteArray m_needleUtf8; // lower case when folded
    const bool m_needleAscii;
    QRegularExpression m_regex;
    QString m_text;
    QByteArray m_bytes;
};

bool before(const LogMatch &m, qsizetype line, qsizetype column)
{
    return m.line < line || (m.line == line && m.start < column);
}

} // namespace

LogSearch::LogSearch(LogBuffer *buffer, LogFilter *filter, QObject *parent)
    : QObject(parent)
    , m_buffer(buffer)
    , m_filter(filter)
{
    Q_ASSERT(buffer);
    m_pool.setMaxThreadCount(1);
    connect(m_buffer, &LogBuffer::linesAppended, this, [this] {
        if (m_active && !m_running)
            startTask();
    });
    connect(m_buffer, &LogBuffer::cleared, this, [this] {
        if (m_active)
            restart();
    });
    if (m_filter) {
        connect(m_filter, &LogFilter::rowsReset, this, [this] {
            if (m_active && m_filter->spec() != m_spec)
                restart();
        });
    }
}

LogSearch::~LogSearch()
{
    stopWorker();
    m_pool.waitForDone();
}

void LogSearch::start(const LogSearchQuery &query)
{
    m_query = query;
    m_error.clear();
    if (query.pattern.isEmpty()) {
        clear();
        return;
    }
    if (query.regex) {
        const QRegularExpression regex = compile(query);
        if (!regex.isValid()) {
            clear();
            m_error = tr("%1 at character %2")
                          .arg(regex.errorString())
                          .arg(regex.patternErrorOffset() + 1);
            Q_EMIT errorOccurred(m_error);
            return;
        }
    }
    m_active = true;
    restart();
}

void LogSearch::clear()
{
    const bool had = m_active || m_count > 0;
    stopWorker();
    m_active = false;
    m_scanned = 0;
    m_count = 0;
    m_matches = {};
    if (had)
        Q_EMIT reset();
}

void LogSearch::restart()
{
    stopWorker();
    m_spec = m_filter ? m_filter->spec() : LogFilterSpec();
    m_scanned = 0;
    m_count = 0;
    m_matches = {};
    Q_EMIT reset();
    startTask();
}

void LogSearch::stopWorker()
{
    if (m_cancel)
        m_cancel->store(true, std::memory_order_relaxed);
    m_cancel.reset();
    m_running = false;
    ++m_generation; // whatever the old task still posts is dropped
}

void LogSearch::startTask()
{
    if (m_scanned >= m_buffer->size()) {
        m_running = false;
        Q_EMIT finished();
        return;
    }
    m_running = true;
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    const LogSnapshot lines = m_buffer->snapshot();
    const qsizetype from = m_scanned;
    const qsizetype room = std::max<qsizetype>(kMaxStoredMatches - qsizetype(m_matches.size()), 0);
    m_pool.start([this, lines, from, room, generation = m_generation, cancel = m_cancel,
                  query = m_query, filter = LogLineMatcher(m_spec)] {
        // The worker touches nothing of `this` but posting to it: the
        // destructor waits for the pool, and the queued calls die with it.
        LineSearcher searcher(query);
        qsizetype left = room;
        std::vector<LogMatch> batch;
        qsizetype found = 0;
        auto lastPost = Clock::now();
        const qsizetype to = lines.size();
        const auto post = [&](qsizetype scannedTo, bool done) {
            QMetaObject::invokeMethod(
                this,
                [this, generation, batch = std::move(batch), found, scannedTo, done]() mutable {
                    deliver(generation, batch, found, scannedTo, done);
                },
                Qt::QueuedConnection);
            batch = {};
            found = 0;
            lastPost = Clock::now();
        };
        for (qsizetype i = from; i < to; ++i) {
            if (i % kCheckLines == 0 && i > from) {
                if (cancel->load(std::memory_order_relaxed))
                    return;
                if (Clock::now() - lastPost >= kPostInterval)
                    post(i, false);
            }
            if (filter.accepts(lines.key(i)))
                found += searcher.search(lines.line(i), i, batch, left);
        }
        post(to, true);
    });
}

void LogSearch::deliver(quint64 generation, std::vector<LogMatch> &matches, qsizetype found,
                        qsizetype scannedTo, bool done)
{
    if (generation != m_generation)
        return;
    const qsizetype first = qsizetype(m_matches.size());
    m_matches.insert(m_matches.end(), matches.begin(), matches.end());
    m_count += found;
    m_scanned = scannedTo;
    if (qsizetype(m_matches.size()) > first)
        Q_EMIT matchesAdded(first, qsizetype(m_matches.size()) - first);
    Q_EMIT progressChanged(m_scanned, m_buffer->size());
    if (done) {
        m_running = false;
        startTask(); // lines that came meanwhile, or finished()
    }
}

std::pair<qsizetype, qsizetype> LogSearch::matchesInLine(qsizetype line) const
{
    const auto [first, last] =
        std::equal_range(m_matches.begin(), m_matches.end(), LogMatch{line, 0, 0},
                         [](const LogMatch &a, const LogMatch &b) { return a.line < b.line; });
    return {first - m_matches.begin(), last - m_matches.begin()};
}

qsizetype LogSearch::nextMatch(qsizetype line, qsizetype column, bool wrap) const
{
    if (m_matches.empty())
        return -1;
    const auto it =
        std::partition_point(m_matches.begin(), m_matches.end(),
                             [&](const LogMatch &m) { return before(m, line, column); });
    if (it == m_matches.end())
        return wrap ? 0 : -1;
    return it - m_matches.begin();
}

qsizetype LogSearch::previousMatch(qsizetype line, qsizetype column, bool wrap) const
{
    if (m_matches.empty())
        return -1;
    const auto it =
        std::partition_point(m_matches.begin(), m_matches.end(),
                             [&](const LogMatch &m) { return before(m, line, column); });
    if (it == m_matches.begin())
        return wrap ? qsizetype(m_matches.size()) - 1 : -1;
    return (it - m_matches.begin()) - 1;
}

} // namespace pf::models
