// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "httpclient.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <QUrl>

namespace pf::test {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

std::string HttpReply::header(const std::string &lowerName) const
{
    const auto it = headers.find(lowerName);
    return it == headers.end() ? std::string() : it->second;
}

struct HttpClient::Private
{
    std::string host;
    unsigned short port;
    net::io_context ioc;
    std::unique_ptr<beast::tcp_stream> stream;
    beast::flat_buffer buffer;

    bool connect(QString *error)
    {
        stream = std::make_unique<beast::tcp_stream>(ioc);
        beast::error_code ec;
        stream->expires_after(std::chrono::seconds(30));
        stream->connect(tcp::endpoint(net::ip::make_address(host), port), ec);
        if (ec) {
            *error = QString::fromStdString(ec.message());
            stream.reset();
            return false;
        }
        buffer.clear();
        return true;
    }
};

HttpClient::HttpClient(std::string host, unsigned short port)
    : d(std::make_unique<Private>())
{
    d->host = std::move(host);
    d->port = port;
}

HttpClient::~HttpClient() = default;

void HttpClient::disconnect()
{
    d->stream.reset();
}

HttpReply HttpClient::request(const std::string &method, const std::string &target,
                              const std::string &body, const std::string &contentType,
                              const std::map<std::string, std::string> &extraHeaders)
{
    http::request<http::string_body> req;
    req.method_string(method);
    req.target(target);
    req.version(11);
    req.set(http::field::host, d->host + ':' + std::to_string(d->port));
    req.keep_alive(true);
    if (!m_token.isEmpty())
        req.set(http::field::authorization, "Bearer " + m_token.toStdString());
    if (!contentType.empty())
        req.set(http::field::content_type, contentType);
    for (const auto &[k, v] : extraHeaders)
        req.set(k, v);
    req.body() = body;
    req.prepare_payload();

    HttpReply reply;
    // One retry when a kept-alive connection turns out to be closed.
    for (int attempt = 0; attempt < 2; ++attempt) {
        const bool fresh = !d->stream;
        if (!d->stream && !d->connect(&reply.error))
            return reply;
        beast::error_code ec;
        d->stream->expires_after(std::chrono::seconds(60));
        http::write(*d->stream, req, ec);
        http::response_parser<http::string_body> parser;
        parser.body_limit(256 * 1024 * 1024);
        if (!ec)
            http::read(*d->stream, d->buffer, parser, ec);
        if (ec) {
            d->stream.reset();
            reply.error = QString::fromStdString(ec.message());
            if (fresh)
                return reply;
            continue;
        }
        auto res = parser.release();
        reply.status = int(res.result_int());
        reply.body = QByteArray::fromStdString(res.body());
        for (const auto &field : res) {
            std::string name(field.name_string());
            for (char &c : name)
                c = char(std::tolower(static_cast<unsigned char>(c)));
            reply.headers[name] = std::string(field.value());
        }
        reply.error.clear();
        if (!res.keep_alive())
            d->stream.reset();
        return reply;
    }
    return reply;
}

HttpReply HttpClient::raw(const std::string &bytes)
{
    HttpReply reply;
    d->stream.reset();
    if (!d->connect(&reply.error))
        return reply;
    beast::error_code ec;
    net::write(d->stream->socket(), net::buffer(bytes), ec);
    http::response_parser<http::string_body> parser;
    if (!ec) {
        d->stream->expires_after(std::chrono::seconds(15));
        http::read(*d->stream, d->buffer, parser, ec);
    }
    if (!ec || parser.is_header_done()) {
        auto res = parser.release();
        reply.status = int(res.result_int());
        reply.body = QByteArray::fromStdString(res.body());
    } else {
        reply.error = QString::fromStdString(ec.message());
    }
    d->stream.reset();
    return reply;
}

HttpReply HttpClient::get(const QString &target)
{
    return request("GET", target.toStdString(), {}, {});
}

HttpReply HttpClient::del(const QString &target)
{
    return request("DELETE", target.toStdString(), {}, {});
}

HttpReply HttpClient::postJson(const QString &target, const QJsonObject &body)
{
    return request("POST", target.toStdString(), QJsonDocument(body).toJson().toStdString(),
                   "application/json");
}

HttpReply HttpClient::putJson(const QString &target, const QJsonObject &body)
{
    return request("PUT", target.toStdString(), QJsonDocument(body).toJson().toStdString(),
                   "application/json");
}

HttpReply HttpClient::patchJson(const QString &target, const QJsonObject &body)
{
    return request("PATCH", target.toStdString(), QJsonDocument(body).toJson().toStdString(),
                   "application/json");
}

HttpReply HttpClient::postForm(const QString &target, const QList<QPair<QString, QString>> &fields)
{
    QByteArray body;
    for (const auto &[k, v] : fields) {
        if (!body.isEmpty())
            body += '&';
        body += QUrl::toPercentEncoding(k) + '=' + QUrl::toPercentEncoding(v);
    }
    return request("POST", target.toStdString(), body.toStdString(),
                   "application/x-www-form-urlencoded");
}

} // namespace pf::test
