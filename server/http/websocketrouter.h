// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include <QHash>
#include <QString>
#include <QStringList>

#include "server/http/router.h"

namespace pf::server {

class WebSocketHandler;

// Decides whether to accept a websocket upgrade. Runs on a worker thread
// with the upgrade request (path parameters, query, headers, remote address;
// no body). Returns the connection's handler, or throws api::ApiError to
// refuse: the client then gets that status and {"detail"} as an ordinary
// HTTP answer, before any upgrade.
using WebSocketAcceptor = std::function<std::shared_ptr<WebSocketHandler>(Request &)>;

// The websocket endpoints, all under /ws/. Patterns are those of Router
// ({name:uuid}, {name:int}, {name}; the trailing slash optional).
//
//   webSockets.add("/ws/job/{job:uuid}", [&ctx](Request &req) {
//       ... // authenticate, check access; throw ApiError to refuse
//       return std::make_shared<MyHandler>(...);
//   });
//
// Not thread-safe to modify; matching is const and safe from any thread once
// the endpoints are added.
class WebSocketRouter
{
public:
    struct Match
    {
        Router::Match::Kind kind = Router::Match::Kind::NotFound; // never MethodNotAllowed
        const WebSocketAcceptor *acceptor = nullptr;
        QHash<QString, QString> params;
        QString detail; // for BadParameter
    };

    // `pattern` must start with /ws/.
    void add(std::string_view pattern, WebSocketAcceptor acceptor);
    Match match(const QStringList &segments) const;

private:
    Router m_router; // GET routes whose handlers are never called
    QHash<QString, std::size_t> m_byPattern;
    std::vector<WebSocketAcceptor> m_acceptors;
};

} // namespace pf::server
