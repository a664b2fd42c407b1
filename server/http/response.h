// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <memory>
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
    // When set, the body is `fileLength` bytes of this open file from
    // `fileOffset`, streamed (and `body` is ignored).
    std::shared_ptr<int> file = nullptr;
    qint64 fileOffset = 0;
    qint64 fileLength = 0;

    static Response json(const QJsonObject &object, int status = 200);
    static Response json(const QJsonArray &array, int status = 200);
    static Response noContent();
    static Response empty(int status);
};

} // namespace pf::server
