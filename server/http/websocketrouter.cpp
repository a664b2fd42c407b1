// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "websocketrouter.h"

#include <stdexcept>

namespace pf::server {

namespace http = boost::beast::http;

void WebSocketRouter::add(std::string_view pattern, WebSocketAcceptor acceptor)
{
    if (pattern.substr(0, 4) != "/ws/")
        throw std::invalid_argument("websocket endpoints live under /ws/");
    m_router.add(http::verb::get, pattern, [](Request &) { return Response::empty(500); });
    m_byPattern.insert(m_router.routes().back().pattern, m_acceptors.size());
    m_acceptors.push_back(std::move(acceptor));
}

WebSocketRouter::Match WebSocketRouter::match(const QStringList &segments) const
{
    Router::Match m = m_router.match(http::verb::get, segments);
    Match out;
    out.kind = m.kind;
    out.detail = std::move(m.detail);
    if (m.kind == Router::Match::Kind::Found) {
        out.acceptor = &m_acceptors[m_byPattern.value(m.route->pattern)];
        out.params = std::move(m.params);
    }
    return out;
}

} // namespace pf::server
