// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>

namespace pf::server {

// What a handler answers. The transport adds Content-Length, Server and the
// keep-alive headers.
struct Response
{
    int status = 200;
    QByteArray body;
    QByteArray contentType = QByteArrayLiteral("application/json");
    std::vector<std::pair<std::string, std::string>> headers;

    static Response json(const QJsonObject &object, int status = 200);
    static Response json(const QJsonArray &array, int status = 200);
    static Response noContent();
    static Response empty(int status);
};

} // namespace pf::server
