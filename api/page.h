// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

#include "api/json.h"

// Lists of API values: the paginated answer {"results": [...], "next_cursor"}
// and the plain (bare JSON array) lists. T is any type of this library with
// `static T fromJson(const QJsonObject &)` and `QJsonObject toJson() const`.

namespace pf::api {

// A plain list: every element that is a JSON object, through T::fromJson.
// Elements of another JSON type are skipped (lenient, like fromJson).
template <typename T>
QList<T> listFromJson(const QJsonArray &array)
{
    QList<T> list;
    list.reserve(array.size());
    for (const QJsonValue &v : array) {
        if (v.isObject())
            list.append(T::fromJson(v.toObject()));
    }
    return list;
}

template <typename T>
QJsonArray toJsonArray(const QList<T> &list)
{
    QJsonArray array;
    for (const T &item : list)
        array.append(item.toJson());
    return array;
}

// One page of a paginated list. An empty nextCursor means the last page and is
// written as "next_cursor": null; a missing, null or non-string next_cursor
// reads as empty. Answers that carry only {"results"} read fine.
template <typename T>
struct Page
{
    QList<T> results;
    QString nextCursor;

    static Page fromJson(const QJsonObject &o)
    {
        return {listFromJson<T>(readArray(o, QLatin1StringView("results"))),
                readString(o, QLatin1StringView("next_cursor"))};
    }

    QJsonObject toJson() const
    {
        return {{QStringLiteral("results"), toJsonArray(results)},
                {QStringLiteral("next_cursor"), stringOrNull(nextCursor)}};
    }

    friend bool operator==(const Page &, const Page &) = default;
};

} // namespace pf::api
