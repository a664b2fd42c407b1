// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "pagination.h"

#include <QByteArray>
#include <QUuid>

namespace pf::server {

namespace {
constexpr auto kOptions = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
}

QString encodeCursor(qint64 seq)
{
    return QString::fromLatin1(
        QByteArray(QByteArrayLiteral("c1.") + QByteArray::number(seq)).toBase64(kOptions));
}

std::optional<qint64> decodeCursor(const QString &cursor)
{
    if (cursor.size() > 64)
        return std::nullopt;
    const auto decoded = QByteArray::fromBase64Encoding(
        cursor.toLatin1(), kOptions | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || !decoded.decoded.startsWith("c1."))
        return std::nullopt;
    bool ok = false;
    const qint64 seq = decoded.decoded.mid(3).toLongLong(&ok);
    if (!ok || seq <= 0)
        return std::nullopt;
    // Only the exact text encodeCursor() makes: toLongLong() also takes
    // whitespace, '+', leading zeros and stops at a NUL, and base64 has spare bits.
    if (encodeCursor(seq) != cursor)
        return std::nullopt;
    return seq;
}

QString newUuid()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

} // namespace pf::server
