// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "websocketsession.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <QLoggingCategory>

#include "server/http/workerpool.h"

Q_LOGGING_CATEGORY(lcWebSocket, "pf.http.websocket", QtInfoMsg)

namespace pf::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace websocket = beast::websocket;

WebSocketLink::WebSocketLink(std::weak_ptr<WebSocketSession> session)
    : m_session(std::move(session))
{}

void WebSocketLink::send(std::string message) const
{
    if (auto s = m_session.lock()) {
        net::dispatch(s->m_ws.get_executor(),
                      [s, message = std::move(message)]() mutable { s->send(std::move(message)); });
    }
}

void WebSocketLink::close(CloseCode code, std::string reason) const
{
    if (auto s = m_session.lock()) {
        net::dispatch(s->m_ws.get_executor(), [s, code, reason = std::move(reason)] {
            s->close(websocket::close_reason(code, reason));
        });
    }
}

void WebSocketLink::post(std::function<void()> fn) const
{
    if (auto s = m_session.lock()) {
        net::post(s->m_ws.get_executor(), [s, fn = std::move(fn)] {
            if (!s->m_finished)
                fn();
        });
    }
}

void WebSocketLink::postAfter(std::chrono::milliseconds delay, std::function<void()> fn) const
{
    auto s = m_session.lock();
    if (!s)
        return;
    auto timer = std::make_shared<net::steady_timer>(s->m_ws.get_executor(), delay);
    timer->async_wait([weak = m_session, timer, fn = std::move(fn)](beast::error_code ec) {
        const auto session = weak.lock();
        if (!ec && session && !session->m_finished)
            fn();
    });
}

void WebSocketLink::runOnWorker(std::function<void()> fn) const
{
    if (auto s = m_session.lock())
        s->m_core.workers.post(std::move(fn));
}

std::size_t WebSocketLink::queuedBytes() const
{
    const auto s = m_session.lock();
    return s ? s->m_queuedBytes : 0;
}

WebSocketSession::WebSocketSession(net::ip::tcp::socket &&socket, HttpServerCore &core,
                                   std::shared_ptr<WebSocketHandler> handler, QString remote)
    : m_core(core)
    , m_ws(std::move(socket))
    , m_handler(std::move(handler))
    , m_remote(std::move(remote))
    , m_stopTimer(m_ws.get_executor())
{
    ++m_core.connections;
}

WebSocketSession::~WebSocketSession()
{
    m_handler.reset();
    m_core.connectionClosed(this);
}

void WebSocketSession::start(http::request<http::empty_body> upgrade)
{
    m_core.track(this, weak_from_this());
    // Beast's websocket timeouts replace the TCP stream's: the handshake and
    // the closing handshake get the read timeout; an idle connection is
    // pinged at half the idle timeout and dropped when nothing comes back.
    beast::get_lowest_layer(m_ws).expires_never();
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = m_core.options.readTimeout;
    timeouts.idle_timeout = m_core.options.webSocketIdleTimeout;
    timeouts.keep_alive_pings = true;
    m_ws.set_option(timeouts);
    m_ws.set_option(websocket::stream_base::decorator(
        [](websocket::response_type &res) { res.set(http::field::server, "pfd"); }));
    m_ws.read_message_max(m_core.options.webSocketMessageLimit);
    m_ws.auto_fragment(false);
    auto request = std::make_shared<http::request<http::empty_body>>(std::move(upgrade));
    m_ws.async_accept(*request, [self = shared_from_this(), request](beast::error_code ec) {
        self->onAccept(ec);
    });
}

void WebSocketSession::closeWhenIdle()
{
    net::dispatch(m_ws.get_executor(), [self = shared_from_this()] {
        if (!self->m_open) { // still in the handshake: just drop it
            beast::error_code ignored;
            beast::get_lowest_layer(self->m_ws).socket().close(ignored);
            return;
        }
        self->dropUnsent();
        self->close(websocket::close_reason(websocket::close_code::going_away,
                                            "The server is shutting down."));
        // A client that does not answer the close (or does not read at all)
        // must not hold up the stop for the whole grace period.
        self->m_stopTimer.expires_after(self->m_core.options.shutdownGrace / 5);
        self->m_stopTimer.async_wait([weak = self->weak_from_this()](beast::error_code ec) {
            const auto session = weak.lock();
            if (ec || !session)
                return;
            beast::error_code ignored;
            beast::get_lowest_layer(session->m_ws).socket().close(ignored);
        });
    });
}

void WebSocketSession::onAccept(beast::error_code ec)
{
    if (ec) {
        qCDebug(lcWebSocket) << "handshake with" << m_remote << "failed:" << ec.message().c_str();
        finish();
        return;
    }
    m_open = true;
    m_handler->opened(WebSocketLink(weak_from_this()));
    read();
    // The server may have begun stopping after this session was tracked.
    if (m_core.stopping)
        closeWhenIdle();
}

void WebSocketSession::read()
{
    m_ws.async_read(m_readBuffer,
                    [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
                        self->onRead(ec, bytes);
                    });
}

void WebSocketSession::onRead(beast::error_code ec, std::size_t)
{
    if (ec) {
        // closed (a close handshake), eof, timeout, reset, message_too_big
        // (Beast has answered 1009): the connection is over.
        if (ec != websocket::error::closed)
            qCDebug(lcWebSocket) << "websocket" << m_remote << "ended:" << ec.message().c_str();
        dropUnsent();
        finish();
        return;
    }
    if (!m_ws.got_text()) {
        close(websocket::close_reason(websocket::close_code::unknown_data,
                                      "Only text messages are accepted."));
    } else if (!m_finished) {
        const auto data = m_readBuffer.data();
        m_handler->received(std::string_view(static_cast<const char *>(data.data()), data.size()));
    }
    m_readBuffer.consume(m_readBuffer.size());
    read(); // until the close handshake ends it
}

void WebSocketSession::send(std::string message)
{
    if (!m_open || m_finished || m_closeAfterQueue)
        return;
    const std::size_t limit = m_core.options.webSocketQueueLimit;
    if (m_queuedBytes + message.size() > limit) {
        qCWarning(lcWebSocket) << "websocket client" << m_remote << "fell more than" << limit
                               << "bytes behind; closing it";
        dropUnsent();
        close(websocket::close_reason(
            websocket::close_code::policy_error,
            "Too slow: more than " + std::to_string(limit / (1024 * 1024)) +
                " MiB of messages waited for this client. Reconnect and resume by seq."));
        return;
    }
    m_queuedBytes += message.size();
    m_queue.push_back(std::move(message));
    write();
}

void WebSocketSession::close(websocket::close_reason reason)
{
    if (!m_open || m_closeAfterQueue)
        return;
    m_closeAfterQueue = std::move(reason);
    finish();
    if (!m_writing && m_queue.empty())
        write();
}

void WebSocketSession::write()
{
    if (m_writing || m_closeSent)
        return;
    if (m_queue.empty()) {
        if (!m_closeAfterQueue)
            return;
        m_closeSent = true;
        m_ws.async_close(*m_closeAfterQueue, [self = shared_from_this()](beast::error_code) {
            // The read loop sees the end of the closing handshake (or its
            // timeout) and lets the session go.
        });
        return;
    }
    m_writing = true;
    m_ws.text(true);
    m_ws.async_write(net::buffer(m_queue.front()),
                     [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
                         self->onWrite(ec, bytes);
                     });
}

void WebSocketSession::onWrite(beast::error_code ec, std::size_t)
{
    m_writing = false;
    m_queuedBytes -= m_queue.front().size();
    m_queue.pop_front();
    if (ec) {
        dropUnsent();
        finish(); // the read loop fails too and ends the session
        return;
    }
    if (m_queue.empty() && !m_finished)
        m_handler->drained();
    write();
}

void WebSocketSession::dropUnsent()
{
    while (m_queue.size() > (m_writing ? 1U : 0U)) {
        m_queuedBytes -= m_queue.back().size();
        m_queue.pop_back();
    }
}

void WebSocketSession::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    // Posted, so that a handler that closes its own connection is not called
    // back from inside its own call.
    net::post(m_ws.get_executor(), [self = shared_from_this()] { self->m_handler->closed(); });
}

} // namespace pf::server
