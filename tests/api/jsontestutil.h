// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <algorithm>
#include <initializer_list>
#include <string>
#include <vector>

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>

// Helpers shared by the codec tests of pf_api.

namespace pf::apitest {

// The keys of `o`, sorted, as std::string so that a failure prints readably.
inline std::vector<std::string> keysOf(const QJsonObject &o)
{
    std::vector<std::string> keys;
    const QStringList list = o.keys();
    for (const QString &k : list)
        keys.push_back(k.toStdString());
    std::sort(keys.begin(), keys.end());
    return keys;
}

// The expected key set, sorted like keysOf().
inline std::vector<std::string> keys(std::initializer_list<const char *> names)
{
    std::vector<std::string> v(names.begin(), names.end());
    std::sort(v.begin(), v.end());
    return v;
}

// Serializes to JSON text and parses it again, as the wire does.
inline QJsonObject throughText(const QJsonObject &o)
{
    const QByteArray text = QJsonDocument(o).toJson(QJsonDocument::Compact);
    return QJsonDocument::fromJson(text).object();
}

// toJson -> text -> fromJson.
template <typename T>
T roundTrip(const T &value)
{
    return T::fromJson(throughText(value.toJson()));
}

inline QJsonObject parse(const char *json)
{
    return QJsonDocument::fromJson(QByteArray(json)).object();
}

} // namespace pf::apitest
