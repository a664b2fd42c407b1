// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "response.h"

#include <QJsonDocument>

namespace pf::server {

Response Response::json(const QJsonObject &object, int status)
{
    return {status,
            QJsonDocument(object).toJson(QJsonDocument::Compact),
            QByteArrayLiteral("application/json"),
            {}};
}

Response Response::json(const QJsonArray &array, int status)
{
    return {status,
            QJsonDocument(array).toJson(QJsonDocument::Compact),
            QByteArrayLiteral("application/json"),
            {}};
}

Response Response::noContent()
{
    return empty(204);
}

Response Response::empty(int status)
{
    return {status, {}, {}, {}};
}

} // namespace pf::server
