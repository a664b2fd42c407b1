// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "httpserver.h"

#include <system_error>
#include <thread>
#include <vector>

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include "server/http/httpsession.h"

namespace pf::server {

namespace net = boost::asio;
using tcp = net::ip::tcp;

void HttpServerCore::track(ServerConnection *connection, std::weak_ptr<ServerConnection> weak)
{
    std::lock_guard lock(sessionsMutex);
    sessions.emplace(connection, std::move(weak));
}

void HttpServerCore::connectionClosed(ServerConnection *connection)
{
    std::function<void()> last;
    {
        std::lock_guard lock(sessionsMutex);
        sessions.erase(connection);
        if (--connections == 0 && stopping)
            last = onLastSessionGone;
    }
    if (last)
        last();
}

HttpServer::HttpServer(HttpServerOptions options, const Router &router, WorkerPool &workers,
                       AccessLog &accessLog, const WebSocketRouter *webSockets)
    : m_core{std::move(options), router, webSockets, workers, accessLog, {}, {}, {}, {}, {}}
    , m_ioc(std::max(1, m_core.options.ioThreads))
    , m_acceptor(m_ioc)
    , m_graceTimer(m_ioc)
{}

HttpServer::~HttpServer() = default;

std::uint16_t HttpServer::listen()
{
    boost::system::error_code ec;
    const auto address = net::ip::make_address(m_core.options.address, ec);
    if (ec)
        throw std::system_error(ec, "invalid listen address '" + m_core.options.address + "'");
    const tcp::endpoint endpoint(address, m_core.options.port);
    m_acceptor.open(endpoint.protocol());
    m_acceptor.set_option(net::socket_base::reuse_address(true));
    m_acceptor.bind(endpoint, ec);
    if (ec)
        throw std::system_error(ec, "cannot listen on " + m_core.options.address + ":" +
                                        std::to_string(m_core.options.port));
    m_acceptor.listen(net::socket_base::max_listen_connections);
    accept();
    return m_acceptor.local_endpoint().port();
}

void HttpServer::accept()
{
    m_acceptor.async_accept(
        net::make_strand(m_ioc), [this](boost::system::error_code ec, tcp::socket socket) {
            if (ec == net::error::operation_aborted || !m_acceptor.is_open())
                return;
            if (!ec) {
                if (m_core.connections >= m_core.options.maxConnections) {
                    boost::system::error_code ignored;
                    socket.close(ignored);
                } else {
                    std::make_shared<HttpSession>(std::move(socket), m_core)->start();
                }
            }
            accept();
        });
}

void HttpServer::run()
{
    std::vector<std::thread> extra;
    for (int i = 1; i < m_core.options.ioThreads; ++i)
        extra.emplace_back([this] { m_ioc.run(); });
    m_ioc.run();
    for (std::thread &t : extra)
        t.join();
}

void HttpServer::stop()
{
    net::post(m_ioc, [this] {
        if (m_core.stopping.exchange(true))
            return;
        boost::system::error_code ec;
        m_acceptor.close(ec);
        std::vector<std::shared_ptr<ServerConnection>> live;
        {
            std::lock_guard lock(m_core.sessionsMutex);
            m_core.onLastSessionGone = [this] {
                net::post(m_ioc, [this] { m_graceTimer.cancel(); });
            };
            for (auto &[ptr, weak] : m_core.sessions) {
                if (auto s = weak.lock())
                    live.push_back(std::move(s));
            }
        }
        if (live.empty() && m_core.connections == 0)
            return; // nothing pending: run() returns once this handler ends
        for (auto &s : live)
            s->closeWhenIdle();
        m_graceTimer.expires_after(m_core.options.shutdownGrace);
        m_graceTimer.async_wait([this](boost::system::error_code waitEc) {
            if (!waitEc) // the grace period ran out: drop what is left
                m_ioc.stop();
        });
    });
}

} // namespace pf::server
