// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

namespace pf::server {

class AccessLog;
class Router;
class WebSocketRouter;
class WorkerPool;

struct HttpServerOptions
{
    std::string address = "127.0.0.1";
    std::uint16_t port = 8000;
    int ioThreads = 1;
    std::size_t headerLimit = 16 * 1024;
    std::size_t defaultBodyLimit = 1024 * 1024;
    std::chrono::milliseconds readTimeout{30'000};    // one request's header and body
    std::chrono::milliseconds idleTimeout{75'000};    // between keep-alive requests
    std::chrono::milliseconds handlerTimeout{30'000}; // a handler's answer
    std::chrono::milliseconds shutdownGrace{10'000};  // in-flight work on stop()
    std::size_t maxConnections = 4096;
    std::string spoolDir; // where spooled request bodies go; needed by spoolBody routes
    // Websockets: the largest message a client may send, how far (in bytes of
    // queued messages) a slow client may fall behind before it is closed, and
    // how long a connection may be silent (the server pings at half of it).
    std::size_t webSocketMessageLimit = 64 * 1024;
    std::size_t webSocketQueueLimit = 64 * 1024 * 1024;
    std::chrono::milliseconds webSocketIdleTimeout{60'000};
};

// One client connection (HTTP, or a websocket after an upgrade), as the
// server sees it when it stops.
class ServerConnection
{
public:
    virtual ~ServerConnection() = default;
    // Posted by the server when stopping; thread-safe. An HTTP connection
    // closes now if it is waiting for a request, or after the current answer;
    // a websocket closes with 1001 (going away).
    virtual void closeWhenIdle() = 0;
};

// The state every session of one server shares. Outlives the sessions.
struct HttpServerCore
{
    HttpServerOptions options;
    const Router &router;
    const WebSocketRouter *webSockets; // null: no websocket endpoints
    WorkerPool &workers;
    AccessLog &accessLog;
    std::atomic<bool> stopping{false};
    std::atomic<std::size_t> connections{0};
    std::mutex sessionsMutex;
    std::unordered_map<ServerConnection *, std::weak_ptr<ServerConnection>> sessions;
    std::function<void()> onLastSessionGone; // set while stopping

    // Every connection counts itself in `connections` when it is made, calls
    // track() once it is shared, and connectionClosed() from its destructor.
    void track(ServerConnection *connection, std::weak_ptr<ServerConnection> weak);
    void connectionClosed(ServerConnection *connection);
};

// HTTP/1.1 server on Boost.Beast: keep-alive, header-first reads so a route's
// body limit is checked before its body is read, handlers run on the
// WorkerPool, websocket upgrades for the endpoints of a WebSocketRouter,
// graceful stop.
//
//   HttpServer server(options, router, workers, accessLog);
//   const auto port = server.listen(); // 0 in options picks a free port
//   std::thread t([&] { server.run(); });
//   ...
//   server.stop(); // from any thread; run() returns when drained
class HttpServer
{
public:
    HttpServer(HttpServerOptions options, const Router &router, WorkerPool &workers,
               AccessLog &accessLog, const WebSocketRouter *webSockets = nullptr);
    ~HttpServer();
    HttpServer(const HttpServer &) = delete;
    HttpServer &operator=(const HttpServer &) = delete;

    // Binds and listens. Throws std::system_error when it cannot.
    std::uint16_t listen();
    // Runs the I/O threads (the caller is one of them) until stopped.
    void run();
    // Thread-safe. Stops accepting, closes idle connections and websockets,
    // lets requests in flight finish within the grace period, then makes
    // run() return.
    void stop();

    std::size_t openConnections() const { return m_core.connections; }

private:
    void accept();

    HttpServerCore m_core; // before m_ioc: sessions destroyed with the ioc use it
    boost::asio::io_context m_ioc;
    boost::asio::ip::tcp::acceptor m_acceptor;
    boost::asio::steady_timer m_graceTimer;
};

} // namespace pf::server
