// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "multipart.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <string_view>
#include <utility>

#include <QFile>
#include <QLocale>
#include <QTemporaryFile>

using namespace Qt::StringLiterals;

namespace pf::server {

namespace {

constexpr qsizetype kMaxBoundary = 70;

struct HeaderValue
{
    QByteArray type;                                 // lower-cased
    QList<std::pair<QByteArray, QByteArray>> params; // names lower-cased
};

bool isSpace(char c)
{
    return c == ' ' || c == '\t';
}

void skipSpaces(const QByteArray &text, qsizetype &i)
{
    while (i < text.size() && isSpace(text.at(i)))
        ++i;
}

// `type *(OWS ";" OWS name "=" (token | quoted-string))`, the shape of both
// Content-Type and Content-Disposition. A quoted string may escape any
// character with a backslash (RFC 7230 quoted-pair).
std::optional<HeaderValue> parseHeaderValue(const QByteArray &text)
{
    HeaderValue out;
    qsizetype i = text.indexOf(';');
    if (i < 0)
        i = text.size();
    out.type = text.left(i).trimmed().toLower();
    if (out.type.isEmpty())
        return std::nullopt;
    while (i < text.size()) {
        ++i; // the ';'
        skipSpaces(text, i);
        if (i == text.size())
            break; // a trailing ';'
        const qsizetype eq = text.indexOf('=', i);
        if (eq < 0)
            return std::nullopt;
        const QByteArray name = text.mid(i, eq - i).trimmed().toLower();
        if (name.isEmpty() || name.contains(';') || name.contains('"'))
            return std::nullopt;
        i = eq + 1;
        skipSpaces(text, i);
        QByteArray value;
        if (i < text.size() && text.at(i) == '"') {
            ++i;
            bool closed = false;
            while (i < text.size()) {
                const char c = text.at(i++);
                if (c == '"') {
                    closed = true;
                    break;
                }
                if (c == '\\') {
                    if (i == text.size())
                        return std::nullopt;
                    value += text.at(i++);
                } else {
                    value += c;
                }
            }
            if (!closed)
                return std::nullopt;
            skipSpaces(text, i);
            if (i < text.size() && text.at(i) != ';')
                return std::nullopt;
        } else {
            qsizetype end = text.indexOf(';', i);
            if (end < 0)
                end = text.size();
            value = text.mid(i, end - i).trimmed();
            if (value.contains('"'))
                return std::nullopt;
            i = end;
        }
        for (const auto &param : std::as_const(out.params)) {
            if (param.first == name)
                return std::nullopt; // a repeated parameter is ambiguous
        }
        out.params.append({name, value});
    }
    return out;
}

std::optional<QByteArray> param(const HeaderValue &value, const QByteArray &name)
{
    for (const auto &p : value.params) {
        if (p.first == name)
            return p.second;
    }
    return std::nullopt;
}

// RFC 2046 bcharsnospace plus the space, which may not end the boundary.
bool isBoundaryChar(char c)
{
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return true;
    return std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

QString sizeText(qint64 bytes)
{
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeIecFormat);
}

// The body, read forward in chunks into a window that only keeps what the
// parser has not consumed yet.
class Reader
{
public:
    Reader(QFile &file, qint64 chunkBytes)
        : m_file(file)
        , m_chunk(std::max<qint64>(chunkBytes, 1))
    {}

    QByteArray &buffer() { return m_buffer; }
    qsizetype pos = 0;

    // Appends one more chunk; false at the end of the body or on a read error.
    // The consumed bytes are dropped by moving the rest to the front, so the
    // buffer keeps its allocation instead of growing a new one per chunk.
    bool fill()
    {
        if (m_eof)
            return false;
        const qsizetype keep = m_buffer.size() - pos;
        if (pos > 0) {
            std::memmove(m_buffer.data(), m_buffer.constData() + pos, size_t(keep));
            pos = 0;
        }
        m_buffer.resize(keep + qsizetype(m_chunk));
        const qint64 n = m_file.read(m_buffer.data() + keep, m_chunk);
        m_buffer.resize(keep + qsizetype(std::max<qint64>(n, 0)));
        if (n < 0)
            m_readError = m_file.errorString();
        if (n <= 0)
            m_eof = true;
        return n > 0;
    }
    // At least `n` unconsumed bytes, reading as needed.
    bool ensure(qsizetype n)
    {
        while (m_buffer.size() - pos < n) {
            if (!fill())
                return false;
        }
        return true;
    }
    // The message for running out of body: a read error if there was one.
    QString endError(const QString &message) const
    {
        return m_readError.isEmpty() ? message
                                     : u"The request body cannot be read: %1."_s.arg(m_readError);
    }

private:
    QFile &m_file;
    qint64 m_chunk;
    QByteArray m_buffer;
    bool m_eof = false;
    QString m_readError;
};

class Parser
{
public:
    Parser(QFile &body, const QByteArray &boundary, QString spoolDir, qint64 maxFieldBytes,
           qint64 chunkBytes)
        : m_reader(body, chunkBytes)
        , m_delimiter("\r\n--" + boundary)
        , m_spoolDir(std::move(spoolDir))
        , m_maxFieldBytes(maxFieldBytes)
    {}

    ~Parser()
    {
        if (!m_done) {
            for (const MultipartPart &part : std::as_const(m_parts)) {
                if (!part.filePath.isEmpty())
                    QFile::remove(part.filePath);
            }
        }
    }
    Parser(const Parser &) = delete;
    Parser &operator=(const Parser &) = delete;

    std::optional<QList<MultipartPart>> run(QString *error)
    {
        m_error.clear();
        if (!parse()) {
            if (error)
                *error = m_error;
            return std::nullopt;
        }
        m_done = true;
        return std::move(m_parts);
    }

private:
    bool fail(QString message)
    {
        m_error = std::move(message);
        return false;
    }

    bool parse()
    {
        // The delimiter is CRLF "--" boundary; the first one may open the
        // body, so read the body as if it started with a CRLF.
        m_reader.buffer() = "\r\n";
        if (!skipPreamble())
            return false;
        for (;;) {
            bool closing = false;
            if (!readBoundaryLineEnd(&closing))
                return false;
            if (closing)
                return true; // the epilogue is ignored
            if (m_parts.size() == Multipart::MaxParts) {
                return fail(u"The request has more than %1 parts."_s.arg(Multipart::MaxParts));
            }
            if (!readPart())
                return false;
        }
    }

    bool skipPreamble()
    {
        QByteArray &buf = m_reader.buffer();
        for (;;) {
            const qsizetype at = buf.indexOf(m_delimiter, m_reader.pos);
            if (at >= 0) {
                m_reader.pos = at + m_delimiter.size();
                return true;
            }
            m_reader.pos = std::max(m_reader.pos, buf.size() - (m_delimiter.size() - 1));
            if (!m_reader.fill()) {
                return fail(m_reader.endError(
                    u"The request body does not contain the multipart boundary given in its "
                    u"Content-Type."_s));
            }
        }
    }

    // After a delimiter: "--" closes the body; otherwise optional transport
    // padding (spaces, tabs) and the CRLF that ends the boundary line. Leaves
    // the position on that CRLF, so that a part without headers is found by
    // the same CRLF CRLF search as any other.
    bool readBoundaryLineEnd(bool *closing)
    {
        const QString truncated = u"The request body ends before the closing multipart "
                                  u"boundary."_s;
        if (!m_reader.ensure(2))
            return fail(m_reader.endError(truncated));
        QByteArray &buf = m_reader.buffer();
        if (buf.at(m_reader.pos) == '-' && buf.at(m_reader.pos + 1) == '-') {
            *closing = true;
            return true;
        }
        for (qsizetype padding = 0;; ++padding) {
            if (!m_reader.ensure(2))
                return fail(m_reader.endError(truncated));
            const char c = buf.at(m_reader.pos);
            if (c == '\r' && buf.at(m_reader.pos + 1) == '\n')
                return true;
            if (!isSpace(c) || padding >= Multipart::MaxHeaderBytes) {
                return fail(u"A multipart boundary line has unexpected characters after the "
                            u"boundary."_s);
            }
            ++m_reader.pos;
        }
    }

    bool readPart()
    {
        const int number = int(m_parts.size()) + 1;
        QByteArray &buf = m_reader.buffer();
        qsizetype end = -1;
        for (;;) {
            end = buf.indexOf("\r\n\r\n", m_reader.pos);
            if (end >= 0 && end - m_reader.pos - 2 <= Multipart::MaxHeaderBytes)
                break;
            if (end >= 0 || buf.size() - m_reader.pos - 4 > Multipart::MaxHeaderBytes) {
                return fail(u"The headers of part %1 are larger than %2."_s.arg(number).arg(
                    sizeText(Multipart::MaxHeaderBytes)));
            }
            if (!m_reader.fill()) {
                return fail(m_reader.endError(
                    u"The request body ends inside the headers of part %1."_s.arg(number)));
            }
        }
        const QByteArray headers =
            buf.mid(m_reader.pos + 2, std::max<qsizetype>(end - m_reader.pos - 2, 0));
        m_reader.pos = end + 4;

        MultipartPart part;
        bool isFile = false;
        if (!parseHeaders(headers, number, &part, &isFile))
            return false;
        std::unique_ptr<QTemporaryFile> file;
        if (isFile) {
            file = std::make_unique<QTemporaryFile>(m_spoolDir + u"/upload-XXXXXX"_s);
            file->setAutoRemove(false);
            if (!file->open()) {
                return fail(u"The uploaded file cannot be stored: %1."_s.arg(file->errorString()));
            }
            part.filePath = file->fileName();
        }
        // From here on the destructor removes the spooled file on failure.
        m_parts.append(part);
        MultipartPart &stored = m_parts.last();

        const auto consume = [&](qsizetype from, qsizetype to) {
            const qsizetype n = to - from;
            if (n <= 0)
                return true;
            stored.size += n;
            if (file) {
                if (file->write(buf.constData() + from, n) != n) {
                    return fail(
                        u"The uploaded file cannot be stored: %1."_s.arg(file->errorString()));
                }
                return true;
            }
            if (stored.size > m_maxFieldBytes) {
                return fail(u"The form field \"%1\" is larger than %2."_s.arg(
                    stored.name, sizeText(m_maxFieldBytes)));
            }
            stored.data.append(buf.constData() + from, n);
            return true;
        };
        for (;;) {
            const qsizetype at = buf.indexOf(m_delimiter, m_reader.pos);
            if (at >= 0) {
                if (!consume(m_reader.pos, at))
                    return false;
                m_reader.pos = at + m_delimiter.size();
                break;
            }
            // Keep what could be the start of a delimiter split across reads.
            const qsizetype safe = buf.size() - (m_delimiter.size() - 1);
            if (safe > m_reader.pos) {
                if (!consume(m_reader.pos, safe))
                    return false;
                m_reader.pos = safe;
            }
            if (!m_reader.fill()) {
                return fail(m_reader.endError(u"The request body ends before the closing "
                                              u"multipart boundary."_s));
            }
        }
        if (file) {
            if (!file->flush()) {
                return fail(u"The uploaded file cannot be stored: %1."_s.arg(file->errorString()));
            }
            file->close();
        }
        return true;
    }

    bool parseHeaders(const QByteArray &headers, int number, MultipartPart *part, bool *isFile)
    {
        bool haveDisposition = false;
        bool haveType = false;
        QList<QByteArray> lines = headers.isEmpty() ? QList<QByteArray>() : headers.split('\n');
        // The shape of every line first, so that a folded line is reported as
        // such rather than as whatever its first half lacks.
        for (QByteArray &line : lines) {
            // Lines end in CRLF: every line but the last keeps its '\r'.
            if (line.endsWith('\r'))
                line.chop(1);
            if (line.contains('\r'))
                return fail(
                    u"Part %1 has a header line with a stray carriage return."_s.arg(number));
            if (!line.isEmpty() && isSpace(line.at(0)))
                return fail(
                    u"Part %1 has a folded header line, which is not supported."_s.arg(number));
            if (line.indexOf(':') <= 0)
                return fail(u"Part %1 has a malformed header line."_s.arg(number));
        }
        for (const QByteArray &line : std::as_const(lines)) {
            const qsizetype colon = line.indexOf(':');
            const QByteArray name = line.left(colon).trimmed().toLower();
            const QByteArray value = line.mid(colon + 1).trimmed();
            if (name == "content-disposition") {
                if (haveDisposition)
                    return fail(u"Part %1 has two Content-Disposition headers."_s.arg(number));
                haveDisposition = true;
                const auto parsed = parseHeaderValue(value);
                if (!parsed) {
                    return fail(
                        u"Part %1 has a malformed Content-Disposition header."_s.arg(number));
                }
                if (parsed->type != "form-data") {
                    return fail(
                        u"Part %1 is not form data (Content-Disposition: %2)."_s.arg(number).arg(
                            QString::fromUtf8(parsed->type)));
                }
                const auto fieldName = param(*parsed, "name");
                if (!fieldName)
                    return fail(u"Part %1 has no field name."_s.arg(number));
                part->name = QString::fromUtf8(*fieldName);
                if (const auto filename = param(*parsed, "filename")) {
                    *isFile = true;
                    part->filename = QString::fromUtf8(*filename);
                }
            } else if (name == "content-type") {
                if (haveType)
                    return fail(u"Part %1 has two Content-Type headers."_s.arg(number));
                haveType = true;
                part->contentType = QString::fromUtf8(value);
            }
        }
        if (!haveDisposition)
            return fail(u"Part %1 has no Content-Disposition header."_s.arg(number));
        return true;
    }

    Reader m_reader;
    const QByteArray m_delimiter;
    const QString m_spoolDir;
    const qint64 m_maxFieldBytes;
    QList<MultipartPart> m_parts;
    QString m_error;
    bool m_done = false;
};

} // namespace

std::optional<QByteArray> Multipart::boundary(const QByteArray &contentTypeHeader, QString *error)
{
    const auto setError = [error](QString message) {
        if (error)
            *error = std::move(message);
        return std::nullopt;
    };
    const auto value = parseHeaderValue(contentTypeHeader.trimmed());
    if (!value || value->type != "multipart/form-data")
        return setError(u"The request is not multipart/form-data."_s);
    const auto b = param(*value, "boundary");
    if (!b || b->isEmpty())
        return setError(u"The multipart/form-data Content-Type has no boundary."_s);
    if (b->size() > kMaxBoundary || b->endsWith(' ') ||
        !std::all_of(b->begin(), b->end(), isBoundaryChar)) {
        return setError(u"The multipart boundary is not valid: RFC 2046 allows 1 to 70 letters, "
                        u"digits and '()+_,-./:=? (not ending in a space)."_s);
    }
    return *b;
}

std::optional<QList<MultipartPart>> Multipart::parse(const QString &bodyPath,
                                                     const QByteArray &contentTypeHeader,
                                                     const QString &spoolDir, qint64 maxFieldBytes,
                                                     QString *error, qint64 chunkBytes)
{
    const auto b = boundary(contentTypeHeader, error);
    if (!b)
        return std::nullopt;
    QFile body(bodyPath);
    if (!body.open(QIODevice::ReadOnly)) {
        if (error)
            *error = u"The request body cannot be read: %1."_s.arg(body.errorString());
        return std::nullopt;
    }
    Parser parser(body, *b, spoolDir, maxFieldBytes, chunkBytes);
    return parser.run(error);
}

} // namespace pf::server
