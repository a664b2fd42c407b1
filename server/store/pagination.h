// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <optional>

#include <QDateTime>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

#include "api/page.h"

namespace pf::server {

// A keyset page: at most `limit` rows after the row whose sequence number is
// `after` (0 = from the start). Cursors are opaque to clients.
struct PageRequest
{
    static constexpr int DefaultLimit = 20;
    static constexpr int MaxLimit = 100;
    int limit = DefaultLimit;
    qint64 after = 0;
};

QString encodeCursor(qint64 seq);
// nullopt when the text is not a cursor this server made.
std::optional<qint64> decodeCursor(const QString &cursor);

// Milliseconds since the epoch in the store; QDateTime (UTC) outside it.
inline QDateTime fromStoreTime(const QVariant &v)
{
    return v.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(v.toLongLong(), Qt::UTC);
}
inline qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}
QString newUuid();

// Reads a keyset page from a query that selected `limit + 1` rows ordered by
// its first column, the sequence number; `row(q)` builds one item.
template <typename T, typename RowFn>
api::Page<T> readPage(QSqlQuery &q, const PageRequest &page, RowFn row)
{
    api::Page<T> out;
    qint64 lastSeq = 0;
    while (q.next()) {
        if (out.results.size() == page.limit) {
            out.nextCursor = encodeCursor(lastSeq);
            break;
        }
        lastSeq = q.value(0).toLongLong();
        out.results.append(row(q));
    }
    return out;
}

} // namespace pf::server
