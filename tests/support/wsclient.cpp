// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "wsclient.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <QJsonDocument>

namespace pf::test {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;

struct WsClient::Private
{
    std::string host;
    unsigned short port = 0;
    net::io_context ioc;
    std::unique_ptr<websocket::stream<beast::tcp_stream>> ws;
    beast::flat_buffer buffer;
    bool open = false;
    bool reading = false;  // an async_read is pending
    bool readDone = false; // ... and has completed, not yet taken
    beast::error_code readError;
    bool timedOut = false;
    int receiveBuffer = 0;
    int closeCode = 0;
    std::string closeReason;
    QString error;

    // Runs the event loop until `done()` or the timeout.
    template <class Done>
    bool runUntil(Done done, Ms timeout)
    {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (!done()) {
            if (ioc.stopped())
                ioc.restart();
            if (ioc.run_one_until(deadline) == 0 && std::chrono::steady_clock::now() >= deadline)
                break;
        }
        return done();
    }

    void ended(const beast::error_code &ec)
    {
        open = false;
        // The peer's close frame, also when answering it failed because the
        // peer had gone meanwhile.
        if (ws->reason().code != websocket::close_code::none) {
            closeCode = int(ws->reason().code);
            closeReason = std::string(ws->reason().reason.c_str());
        }
        if (ec != websocket::error::closed && error.isEmpty())
            error = QString::fromStdString(ec.message());
    }

    bool write(const std::string &data, bool text, Ms timeout)
    {
        if (!open)
            return false;
        bool done = false;
        beast::error_code result;
        ws->text(text);
        ws->async_write(net::buffer(data), [&](beast::error_code ec, std::size_t) {
            result = ec;
            done = true;
        });
        if (!runUntil([&] { return done; }, timeout)) {
            error = QStringLiteral("write timed out");
            disconnect();
            runUntil([&] { return done; }, Ms(5000));
            return false;
        }
        if (result) {
            error = QString::fromStdString(result.message());
            return false;
        }
        return true;
    }

    void disconnect()
    {
        if (!ws)
            return;
        beast::error_code ignored;
        beast::get_lowest_layer(*ws).socket().close(ignored);
        open = false;
    }
};

WsClient::WsClient(std::string host, unsigned short port)
    : d(std::make_unique<Private>())
{
    d->host = std::move(host);
    d->port = port;
}

WsClient::~WsClient()
{
    d->disconnect();
    // Let pending handlers, which point into *d, finish before it goes.
    d->ioc.restart();
    d->ioc.poll();
}

HttpReply WsClient::connect(const std::string &target,
                            const std::map<std::string, std::string> &headers, Ms timeout)
{
    HttpReply reply;
    d->ws = std::make_unique<websocket::stream<beast::tcp_stream>>(d->ioc);
    d->open = false;
    d->closeCode = 0;
    d->closeReason.clear();
    d->error.clear();
    bool done = false;
    beast::error_code result;
    if (d->receiveBuffer > 0) {
        auto &socket = beast::get_lowest_layer(*d->ws).socket();
        socket.open(tcp::v4(), result);
        if (!result)
            socket.set_option(net::socket_base::receive_buffer_size(d->receiveBuffer), result);
        if (result) {
            reply.error = QString::fromStdString(result.message());
            return reply;
        }
    }
    beast::get_lowest_layer(*d->ws).async_connect(
        tcp::endpoint(net::ip::make_address(d->host), d->port), [&](beast::error_code ec) {
            result = ec;
            done = true;
        });
    if (!d->runUntil([&] { return done; }, timeout)) {
        d->disconnect();
        d->runUntil([&] { return done; }, Ms(5000));
        reply.error = QStringLiteral("connect timed out");
        return reply;
    }
    if (result) {
        reply.error = QString::fromStdString(result.message());
        return reply;
    }
    d->ws->set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
    d->ws->set_option(websocket::stream_base::decorator([headers](websocket::request_type &req) {
        for (const auto &[name, value] : headers)
            req.set(name, value);
    }));
    d->ws->read_message_max(64 * 1024 * 1024);
    websocket::response_type res;
    done = false;
    d->ws->async_handshake(res, d->host + ':' + std::to_string(d->port), target,
                           [&](beast::error_code ec) {
                               result = ec;
                               done = true;
                           });
    if (!d->runUntil([&] { return done; }, timeout)) {
        d->disconnect();
        d->runUntil([&] { return done; }, Ms(5000));
        reply.error = QStringLiteral("handshake timed out");
        return reply;
    }
    reply.status = int(res.result_int());
    reply.body = QByteArray::fromStdString(res.body());
    for (const auto &field : res) {
        std::string name(field.name_string());
        for (char &c : name)
            c = char(std::tolower(static_cast<unsigned char>(c)));
        reply.headers[name] = std::string(field.value());
    }
    if (result) {
        if (reply.status == 101 || reply.status == 0)
            reply.error = QString::fromStdString(result.message());
        if (reply.status == 101)
            reply.status = 0;
        d->disconnect();
        return reply;
    }
    d->open = true;
    return reply;
}

void WsClient::setReceiveBufferSize(int bytes)
{
    d->receiveBuffer = bytes;
}

bool WsClient::sendText(const std::string &text, Ms timeout)
{
    return d->write(text, true, timeout);
}

bool WsClient::sendBinary(const std::string &bytes, Ms timeout)
{
    return d->write(bytes, false, timeout);
}

bool WsClient::sendJson(const QJsonObject &message, Ms timeout)
{
    return sendText(QJsonDocument(message).toJson(QJsonDocument::Compact).toStdString(), timeout);
}

std::optional<std::string> WsClient::nextText(Ms timeout)
{
    d->timedOut = false;
    if (!d->reading && !d->readDone) {
        if (!d->open)
            return std::nullopt;
        d->reading = true;
        d->ws->async_read(d->buffer, [this](beast::error_code ec, std::size_t) {
            d->reading = false;
            d->readDone = true;
            d->readError = ec;
        });
    }
    if (!d->runUntil([this] { return d->readDone; }, timeout)) {
        d->timedOut = true;
        return std::nullopt;
    }
    d->readDone = false;
    if (d->readError) {
        d->ended(d->readError);
        return std::nullopt;
    }
    std::string text = beast::buffers_to_string(d->buffer.data());
    d->buffer.consume(d->buffer.size());
    return text;
}

std::optional<QJsonObject> WsClient::next(Ms timeout)
{
    const auto text = nextText(timeout);
    if (!text)
        return std::nullopt;
    return QJsonDocument::fromJson(QByteArray::fromStdString(*text)).object();
}

std::vector<QJsonObject> WsClient::readUntilClosed(Ms timeout)
{
    std::vector<QJsonObject> out;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        const auto left =
            std::chrono::duration_cast<Ms>(deadline - std::chrono::steady_clock::now());
        if (left <= Ms(0)) {
            d->timedOut = true;
            break;
        }
        auto message = next(left);
        if (!message)
            break;
        out.push_back(std::move(*message));
    }
    return out;
}

bool WsClient::isOpen() const
{
    return d->open;
}

bool WsClient::timedOut() const
{
    return d->timedOut;
}

int WsClient::closeCode() const
{
    return d->closeCode;
}

std::string WsClient::closeReason() const
{
    return d->closeReason;
}

QString WsClient::error() const
{
    return d->error;
}

void WsClient::close(Ms timeout)
{
    if (!d->open)
        return;
    bool done = false;
    d->ws->async_close(websocket::close_code::normal, [&](beast::error_code) { done = true; });
    if (!d->runUntil([&] { return done && !d->reading; }, timeout))
        d->disconnect();
    d->runUntil([&] { return done && !d->reading; }, Ms(5000));
    d->open = false;
}

void WsClient::disconnect()
{
    d->disconnect();
}

} // namespace pf::test
