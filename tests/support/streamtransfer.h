// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include <QByteArray>
#include <QString>

namespace pf::test {

// The path and query of an absolute URL (a signed storage URL), as a
// request target on 127.0.0.1.
std::string targetOf(const QString &url);

// Bytes that depend only on their offset (and a seed): any range of a
// multi-gigabyte "file" can be produced or checked without storing it.
void fillPattern(char *out, std::uint64_t offset, std::size_t n, std::uint32_t seed = 0);

struct StreamResult
{
    int status = 0;                             // 0: the connection failed (see error)
    std::map<std::string, std::string> headers; // lower-case names
    std::uint64_t bodyBytes = 0;
    std::string body; // the body when it is small (an error's JSON), else empty
    QString error;
    double seconds = 0;

    std::string header(const std::string &lowerName) const
    {
        const auto it = headers.find(lowerName);
        return it == headers.end() ? std::string() : it->second;
    }
};

// One request on a fresh connection to 127.0.0.1:port whose body is
// streamed from `source(offset, buffer, n)` in 1 MiB pieces; the answer's
// body is kept (it is small).
StreamResult streamPut(std::uint16_t port, const std::string &target, std::uint64_t size,
                       const std::function<void(std::uint64_t, char *, std::size_t)> &source);

// A GET on a fresh connection, with an optional range (offset, length);
// the body goes to `sink(offset in the body, data, n)` as it arrives.
StreamResult streamGet(std::uint16_t port, const std::string &target,
                       std::optional<std::pair<std::uint64_t, std::uint64_t>> range,
                       const std::function<void(std::uint64_t, const char *, std::size_t)> &sink);

} // namespace pf::test
