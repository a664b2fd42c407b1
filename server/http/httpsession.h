// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/string_body.hpp>

#include <QString>

#include "server/http/bodies.h"
#include "server/http/httpserver.h"
#include "server/http/router.h"

namespace pf::server {

class WebSocketHandler;

// One client connection. Lives on its own strand; owned by the asynchronous
// operations in flight (shared_from_this), so it ends when the socket does.
// A websocket upgrade for a path under /ws/ hands the socket over to a
// WebSocketSession once the endpoint's acceptor has agreed.
class HttpSession final : public ServerConnection, public std::enable_shared_from_this<HttpSession>
{
public:
    HttpSession(boost::asio::ip::tcp::socket &&socket, HttpServerCore &core);
    ~HttpSession() override;
    HttpSession(const HttpSession &) = delete;
    HttpSession &operator=(const HttpSession &) = delete;

    void start();
    // Posted by the server when stopping: closes the connection now if it is
    // waiting for a request, or after the current answer otherwise.
    void closeWhenIdle() override;

private:
    void readHeader(std::chrono::milliseconds timeout);
    void onHeader(boost::beast::error_code ec);
    void continueWithBody(std::size_t limit, bool bodyPending);
    void readBody(std::size_t limit);
    void readSomeBody();
    void onBodyTimeout();
    void onBody(boost::beast::error_code ec);
    void dispatch();
    void acceptWebSocket(const QStringList &segments, bool bodyPending);
    void upgrade(std::shared_ptr<WebSocketHandler> handler);
    // Runs `work` on a worker, then what it returns back on this strand,
    // unless the handler timeout has answered 503 first.
    void runOnWorker(std::function<std::function<void()>()> work);
    void fail(int status, const QString &detail, bool close,
              std::vector<std::pair<std::string, std::string>> headers = {});
    void send(Response response, bool close);
    void onWrite(bool close, boost::beast::error_code ec, std::size_t bytes);
    void writeFileResponse(std::shared_ptr<boost::beast::http::response<FileRangeBody>> response,
                           bool close);
    void sendFileBody(std::shared_ptr<boost::beast::http::response<FileRangeBody>> response,
                      bool close, std::uint64_t offset, std::uint64_t left);
    void shutdown();
    void dropSpoolFile();
    void drain();

    HttpServerCore &m_core;
    boost::beast::tcp_stream m_stream;
    boost::beast::flat_buffer m_buffer;
    std::optional<boost::beast::http::request_parser<boost::beast::http::empty_body>> m_header;
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> m_body;
    std::optional<boost::beast::http::request_parser<SpoolBody>> m_fileBody;
    std::chrono::steady_clock::time_point m_bodyDeadline;
    QString m_spoolFile;
    bool m_bodyUnread = false;       // the client may still be sending a body we did not read
    std::shared_ptr<void> m_writing; // keeps the message being written alive
    std::optional<boost::beast::http::response_serializer<FileRangeBody>> m_fileSerializer;
    boost::asio::steady_timer m_handlerTimer;
    boost::asio::steady_timer m_readTimer; // a body's next bytes
    bool m_readTimedOut = false;
    QString m_remote;

    // The request being answered, for routing and the access log.
    const Router::Route *m_route = nullptr;
    QHash<QString, QString> m_params;
    QString m_method;
    QString m_path;
    QueryItems m_query;
    QString m_user;
    qint64 m_bytesIn = 0;
    bool m_keepAlive = true;
    bool m_idle = true;
    bool m_closeAfter = false;
    bool m_linger = false;
    std::chrono::steady_clock::time_point m_started;
};

} // namespace pf::server
