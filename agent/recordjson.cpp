// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "recordjson.h"

#include <charconv>

#include <QJsonDocument>

namespace pf::agent {
namespace {

// Bytes that can be copied as they are: printable ASCII but '"' and '\\'.
constexpr bool isPlain(unsigned char c)
{
    return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

// The length of the valid UTF-8 sequence at s (1-4), or the negated length
// of its maximal invalid prefix (at least 1) to be replaced by one U+FFFD.
qsizetype utf8Sequence(const unsigned char *s, const unsigned char *end)
{
    const unsigned char lead = s[0];
    int need;
    unsigned char lo = 0x80, hi = 0xBF; // range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
        need = 1;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        need = 2;
        if (lead == 0xE0)
            lo = 0xA0;
        else if (lead == 0xED)
            hi = 0x9F; // no surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        need = 3;
        if (lead == 0xF0)
            lo = 0x90;
        else if (lead == 0xF4)
            hi = 0x8F; // nothing above U+10FFFF
    } else {
        return -1;
    }
    qsizetype i = 1;
    for (; i <= need; ++i) {
        if (s + i >= end)
            return -i;
        const unsigned char c = s[i];
        if (i == 1 ? (c < lo || c > hi) : (c < 0x80 || c > 0xBF))
            return -i;
    }
    return need + 1;
}

void appendInt(QByteArray &out, qint64 value)
{
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr - buffer);
}

} // namespace

QByteArrayView logTypeName(LogType type)
{
    switch (type) {
    case LogType::Stdout:
        return "stdout";
    case LogType::Stderr:
        return "stderr";
    case LogType::Vmlog:
        return "vmlog";
    }
    return "stdout";
}

void appendJsonString(QByteArray &out, QByteArrayView text)
{
    static constexpr char hex[] = "0123456789abcdef";
    const auto *p = reinterpret_cast<const unsigned char *>(text.data());
    const auto *const end = p + text.size();
    out.append('"');
    while (p < end) {
        const unsigned char *run = p;
        while (p < end && isPlain(*p))
            ++p;
        if (p > run)
            out.append(reinterpret_cast<const char *>(run), p - run);
        if (p == end)
            break;
        const unsigned char c = *p;
        if (c >= 0x80) {
            const qsizetype n = utf8Sequence(p, end);
            if (n > 0) {
                out.append(reinterpret_cast<const char *>(p), n);
                p += n;
            } else {
                out.append("\xEF\xBF\xBD", 3);
                p += -n;
            }
            continue;
        }
        switch (c) {
        case '"':
            out.append("\\\"", 2);
            break;
        case '\\':
            out.append("\\\\", 2);
            break;
        case '\n':
            out.append("\\n", 2);
            break;
        case '\r':
            out.append("\\r", 2);
            break;
        case '\t':
            out.append("\\t", 2);
            break;
        case '\b':
            out.append("\\b", 2);
            break;
        case '\f':
            out.append("\\f", 2);
            break;
        default: {
            const char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xF]};
            out.append(esc, 6);
        }
        }
        ++p;
    }
    out.append('"');
}

void appendLogRecord(QByteArray &out, qint64 seq, LogType type, QByteArrayView content,
                     qint64 timeMs)
{
    out.append("{\"seq\":");
    appendInt(out, seq);
    out.append(",\"kind\":\"log\",\"type\":\"");
    out.append(logTypeName(type));
    out.append("\",\"content\":");
    appendJsonString(out, content);
    out.append(",\"time_ms\":");
    appendInt(out, timeMs);
    out.append('}');
}

void appendObjectRecord(QByteArray &out, qint64 seq, QJsonObject record)
{
    record.insert(QStringLiteral("seq"), seq);
    out.append(QJsonDocument(record).toJson(QJsonDocument::Compact));
}

} // namespace pf::agent
