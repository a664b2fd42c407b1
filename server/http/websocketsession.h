// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <QString>

#include "server/http/httpserver.h"
#include "server/http/websockethandler.h"

namespace pf::server {

// One websocket connection, after HttpSession has agreed to the upgrade.
// Lives on the socket's strand and is owned by its asynchronous operations
// (shared_from_this), like HttpSession. It owns the handler, runs the read
// loop (text messages go to the handler), and writes the handler's messages
// one at a time from a queue bounded by webSocketQueueLimit bytes: a client
// that falls further behind is closed with 1008 rather than letting the
// queue grow. Idle connections are pinged (Beast's timeout settings) and
// closed when the client stops answering; on server stop, 1001.
class WebSocketSession final : public ServerConnection,
                               public std::enable_shared_from_this<WebSocketSession>
{
public:
    WebSocketSession(boost::asio::ip::tcp::socket &&socket, HttpServerCore &core,
                     std::shared_ptr<WebSocketHandler> handler, QString remote);
    ~WebSocketSession() override;
    WebSocketSession(const WebSocketSession &) = delete;
    WebSocketSession &operator=(const WebSocketSession &) = delete;

    // Answers the upgrade request (101) and starts reading. On the strand
    // the socket came from.
    void start(boost::beast::http::request<boost::beast::http::empty_body> upgrade);
    void closeWhenIdle() override;

private:
    friend class WebSocketLink;

    void onAccept(boost::beast::error_code ec);
    void read();
    void onRead(boost::beast::error_code ec, std::size_t bytes);
    // Strand only, from WebSocketLink.
    void send(std::string message);
    void close(boost::beast::websocket::close_reason reason);
    void write();
    void onWrite(boost::beast::error_code ec, std::size_t bytes);
    void dropUnsent();
    // The connection is closing or gone: tell the handler, once.
    void finish();

    HttpServerCore &m_core;
    boost::beast::websocket::stream<boost::beast::tcp_stream> m_ws;
    boost::beast::flat_buffer m_readBuffer;
    std::shared_ptr<WebSocketHandler> m_handler;
    QString m_remote;
    std::deque<std::string> m_queue; // the front is being written while m_writing
    std::size_t m_queuedBytes = 0;
    bool m_open = false; // handshake done
    bool m_writing = false;
    bool m_finished = false; // the handler has been told closed()
    std::optional<boost::beast::websocket::close_reason> m_closeAfterQueue;
    bool m_closeSent = false;
    boost::asio::steady_timer m_stopTimer; // server stop: drops a client that does not answer
};

} // namespace pf::server
