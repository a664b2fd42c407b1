// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include <boost/beast/http/verb.hpp>

#include <QHash>
#include <QString>
#include <QStringList>

#include "server/http/request.h"
#include "server/http/response.h"

namespace pf::server {

using Handler = std::function<Response(Request &)>;

struct RouteOptions
{
    // Largest body the route accepts; 0 means the server's default. Checked
    // against Content-Length before any of the body is read.
    std::size_t maxBodyBytes = 0;
    // Stream the body to a file in the server's spool folder instead of
    // memory (Request::bodyFile()); for uploads.
    bool spoolBody = false;
    // Asked on a worker thread once the headers are in and before any of
    // the body is read (signed URLs, quotas): throws ApiError to refuse.
    // The request it gets has headers, path parameters and query, no body.
    std::function<void(const Request &)> admit = nullptr;
};

// Maps method + path to a handler.
//
//   router.add(verb::get, "/auth/pf_group/{gid:uuid}/pf_project", handler);
//
// Patterns are '/'-separated; a segment is a literal or a typed parameter
// {name:uuid}, {name:int} (a positive 63-bit integer) or {name} (any
// non-empty segment). A trailing slash is optional on both sides, so every
// route answers with and without it. Not thread-safe to modify; matching is
// const and safe from any thread once the routes are added.
class Router
{
public:
    struct Route
    {
        boost::beast::http::verb method;
        QString pattern;
        Handler handler;
        RouteOptions options;
    };

    struct Match
    {
        enum class Kind { Found, NotFound, MethodNotAllowed, BadParameter };
        Kind kind = Kind::NotFound;
        const Route *route = nullptr;
        QHash<QString, QString> params;
        QString detail;    // for BadParameter
        std::string allow; // for MethodNotAllowed: "GET, POST"
    };

    void add(boost::beast::http::verb method, std::string_view pattern, Handler handler,
             RouteOptions options = {});

    // `segments` are the request path's percent-decoded segments (the
    // transport splits and decodes; a trailing empty segment is dropped).
    Match match(boost::beast::http::verb method, const QStringList &segments) const;

    // Splits a raw request target's path into decoded segments. Returns false
    // when the path is malformed (not starting with '/', bad escapes, not
    // UTF-8, NUL, an empty segment in the middle).
    static bool splitPath(std::string_view rawPath, QStringList *segments, QString *decodedPath);

    const std::vector<Route> &routes() const { return m_routes; }

private:
    enum class SegmentKind { Literal, Uuid, Int, Any };
    struct Segment
    {
        SegmentKind kind;
        QString text; // the literal, or the parameter's name
    };
    struct Compiled
    {
        std::vector<Segment> segments;
    };

    std::vector<Route> m_routes;
    std::vector<Compiled> m_compiled;
};

} // namespace pf::server
