// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <boost/beast/websocket/rfc6455.hpp>

namespace pf::server {

class WebSocketSession;

// What a WebSocketHandler may do with its connection. A cheap copyable
// handle that does not keep the connection alive: once the connection has
// ended every call does nothing. Thread-safe unless noted.
class WebSocketLink
{
public:
    using CloseCode = boost::beast::websocket::close_code;

    WebSocketLink() = default;
    explicit WebSocketLink(std::weak_ptr<WebSocketSession> session);

    // Queues a text message. If the client has fallen more than the server's
    // webSocketQueueLimit behind, the unsent messages are dropped and the
    // connection closes with 1008 and a reason saying so.
    void send(std::string message) const;
    // Closes after the queued messages are written (`reason` at most 123
    // bytes); later sends are dropped.
    void close(CloseCode code, std::string reason) const;
    // Runs `fn` on the connection's strand, unless the connection has ended
    // by then; the handler is alive while `fn` runs.
    void post(std::function<void()> fn) const;
    // The same, after `delay`.
    void postAfter(std::chrono::milliseconds delay, std::function<void()> fn) const;
    // Runs `fn` on the server's worker pool (for SQL and disk work); `fn`
    // must not touch the handler, only post() back to it.
    void runOnWorker(std::function<void()> fn) const;
    // Bytes of messages queued and not yet written. Strand only.
    std::size_t queuedBytes() const;

private:
    std::weak_ptr<WebSocketSession> m_session;
};

// The server side of one websocket, made by a WebSocketRouter endpoint's
// acceptor and owned by the connection. Every member is called on the
// connection's strand, one at a time, so a handler needs no locks for its own
// state; other threads reach it only through WebSocketLink::post().
class WebSocketHandler
{
public:
    virtual ~WebSocketHandler() = default;
    // The handshake is done; `link` stays valid for the handler's life.
    virtual void opened(WebSocketLink link) = 0;
    // A text message from the client (binary ones close the connection with
    // 1003 before they get here).
    virtual void received(std::string_view text) = 0;
    // The outgoing queue became empty.
    virtual void drained() {}
    // The connection is closing or gone; nothing is called after this.
    virtual void closed() = 0;
};

} // namespace pf::server
