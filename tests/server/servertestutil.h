// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QStringList>

#include "server/http/request.h"

// Readable QString values in gtest failure messages.
inline void PrintTo(const QString &s, std::ostream *os)
{
    *os << '"' << s.toStdString() << '"';
}

inline void PrintTo(const QStringList &list, std::ostream *os)
{
    *os << '[';
    for (qsizetype i = 0; i < list.size(); ++i)
        *os << (i ? ", \"" : "\"") << list[i].toStdString() << '"';
    *os << ']';
}

namespace pf::servertest {

// A request as the transport would build it from `target` ("/path?query"):
// the query decoded with parseUrlEncoded (which must succeed).
inline server::Request makeRequest(std::string_view target, std::string body = {},
                                   boost::beast::http::verb verb = boost::beast::http::verb::post,
                                   std::string_view contentType = "application/json")
{
    const size_t question = target.find('?');
    const std::string_view path = target.substr(0, question);
    server::QueryItems query;
    if (question != std::string_view::npos) {
        const auto parsed = server::parseUrlEncoded(target.substr(question + 1));
        if (parsed)
            query = *parsed;
    }
    server::Request::Message message{verb, target, 11};
    message.set(boost::beast::http::field::content_type, contentType);
    message.body() = std::move(body);
    message.prepare_payload();
    return server::Request(std::move(message),
                           QString::fromUtf8(path.data(), qsizetype(path.size())), query,
                           QStringLiteral("127.0.0.1"));
}

// Writes `text` to `path`; false when the file cannot be written.
inline bool writeFile(const QString &path, const QByteArray &text)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return f.write(text) == text.size();
}

} // namespace pf::servertest
