// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "httpsession.h"

#include <array>
#include <cstring>
#include <limits>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <fcntl.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include <QCoreApplication>
#include <QFile>
#include <QJsonObject>
#include <QLoggingCategory>

#include "api/apierror.h"
#include "server/http/accesslog.h"
#include "server/http/httpserver.h"
#include "server/http/websocketrouter.h"
#include "server/http/websocketsession.h"
#include "server/http/workerpool.h"

Q_LOGGING_CATEGORY(lcHttp, "pf.http")

namespace pf::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using api::ApiError;

namespace {

// The most a body read asks of the socket at once.
constexpr std::size_t kBodyReadBytes = 256 * 1024;
// The most one sendfile(2) call moves.
constexpr std::uint64_t kSendfilePiece = 4 * 1024 * 1024;
// The slowest a body may arrive on average (bytes per second) beyond the
// read timeout: 5 GiB get about 22 hours, 1 MiB about 30 seconds more.
constexpr std::uint64_t kMinBodyRate = 64 * 1024;

// The one place where ApiError becomes a status and a {"detail"} body.
Response errorResponse(const ApiError &e)
{
    Response r = Response::json(e.toJson(), e.status());
    if (e.status() == 401)
        r.headers.emplace_back("WWW-Authenticate", "Bearer");
    if (e.retryAfter() > 0)
        r.headers.emplace_back("Retry-After", std::to_string(e.retryAfter()));
    return r;
}

Response internalError()
{
    return Response::json(
        QJsonObject{{QStringLiteral("detail"), QStringLiteral("Internal server error.")}}, 500);
}

// Runs a route's handler and turns whatever it throws into an answer.
Response invoke(const Router::Route &route, Request &request)
{
    try {
        return route.handler(request);
    } catch (const ApiError &e) {
        return errorResponse(e);
    } catch (const std::exception &e) {
        qCCritical(lcHttp) << "handler for" << route.pattern << "threw:" << e.what();
    } catch (...) {
        qCCritical(lcHttp) << "handler for" << route.pattern << "threw a non-exception";
    }
    return internalError();
}

// A websocket endpoint's acceptor: the connection's handler, or the answer
// that refuses the upgrade.
std::shared_ptr<WebSocketHandler> invoke(const WebSocketAcceptor &acceptor, Request &request,
                                         Response *refusal)
{
    try {
        if (auto handler = acceptor(request))
            return handler;
        qCCritical(lcHttp) << "websocket acceptor for" << request.path() << "returned nothing";
    } catch (const ApiError &e) {
        *refusal = errorResponse(e);
        return nullptr;
    } catch (const std::exception &e) {
        qCCritical(lcHttp) << "websocket acceptor for" << request.path() << "threw:" << e.what();
    } catch (...) {
        qCCritical(lcHttp) << "websocket acceptor for" << request.path() << "threw a non-exception";
    }
    *refusal = internalError();
    return nullptr;
}

} // namespace

HttpSession::HttpSession(net::ip::tcp::socket &&socket, HttpServerCore &core)
    : m_core(core)
    , m_stream(std::move(socket))
    , m_handlerTimer(m_stream.get_executor())
    , m_readTimer(m_stream.get_executor())
{
    ++m_core.connections;
    beast::error_code ec;
    const auto endpoint = m_stream.socket().remote_endpoint(ec);
    if (!ec)
        m_remote = QString::fromStdString(endpoint.address().to_string());
}

HttpSession::~HttpSession()
{
    dropSpoolFile();
    m_core.connectionClosed(this);
}

void HttpSession::start()
{
    m_core.track(this, weak_from_this());
    net::dispatch(m_stream.get_executor(), [self = shared_from_this()] {
        self->readHeader(self->m_core.options.readTimeout);
    });
}

void HttpSession::closeWhenIdle()
{
    net::dispatch(m_stream.get_executor(), [self = shared_from_this()] {
        if (self->m_idle)
            self->shutdown();
        else
            self->m_closeAfter = true;
    });
}

void HttpSession::readHeader(std::chrono::milliseconds timeout)
{
    if (m_core.stopping) {
        shutdown();
        return;
    }
    m_idle = m_buffer.size() == 0;
    m_header.emplace();
    m_header->header_limit(std::uint32_t(m_core.options.headerLimit));
    // The route's own body limit is checked in onHeader (413). Beast's default
    // (1 MB for requests) would otherwise fail a larger Content-Length while
    // the header is read, and that came out as a 400 "malformed request".
    // (Not boost::none: Boost 1.74 compares lengths against an empty limit.)
    m_header->body_limit(std::numeric_limits<std::uint64_t>::max());
    m_body.reset();
    m_fileBody.reset();
    m_spoolFile.clear();
    m_route = nullptr;
    m_user.clear();
    m_stream.expires_after(timeout);
    http::async_read_header(
        m_stream, m_buffer, *m_header,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onHeader(ec); });
}

void HttpSession::onHeader(beast::error_code ec)
{
    m_idle = false;
    m_started = std::chrono::steady_clock::now();
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::operation_aborted || ec == net::error::connection_reset ||
        ec == net::error::eof) {
        shutdown();
        return;
    }
    const auto &header = m_header->get();
    m_method = QString::fromLatin1(header.method_string().data(),
                                   qsizetype(header.method_string().size()));
    m_path.clear();
    if (ec == http::error::header_limit) {
        fail(431, QStringLiteral("The request headers are too large."), true);
        return;
    }
    if (ec) {
        fail(
            400,
            QStringLiteral("Malformed HTTP request: %1.").arg(QString::fromStdString(ec.message())),
            true);
        return;
    }
    m_keepAlive = header.keep_alive();
    const bool bodyPending = !m_header->is_done();
    m_bodyUnread = bodyPending;

    const std::string_view target = header.target();
    const size_t q = target.find('?');
    QStringList segments;
    if (!Router::splitPath(target.substr(0, q), &segments, &m_path)) {
        m_path = QStringLiteral("(malformed)");
        fail(400, QStringLiteral("The request path is malformed."), bodyPending);
        return;
    }
    const auto query =
        parseUrlEncoded(q == std::string_view::npos ? std::string_view() : target.substr(q + 1));
    if (!query) {
        fail(400, QStringLiteral("The query string is malformed."), bodyPending);
        return;
    }
    m_query = *query;

    if (m_core.webSockets && !segments.isEmpty() && segments.front() == u"ws") {
        acceptWebSocket(segments, bodyPending);
        return;
    }

    Router::Match match = m_core.router.match(header.method(), segments);
    switch (match.kind) {
    case Router::Match::Kind::NotFound:
        fail(404, QStringLiteral("No such route: %1 %2.").arg(m_method, m_path.left(200)),
             bodyPending);
        return;
    case Router::Match::Kind::MethodNotAllowed:
        fail(405,
             QStringLiteral("%1 is not allowed here; use %2.")
                 .arg(m_method, QString::fromStdString(match.allow)),
             bodyPending, {{"Allow", match.allow}});
        return;
    case Router::Match::Kind::BadParameter:
        fail(400, match.detail, bodyPending);
        return;
    case Router::Match::Kind::Found:
        break;
    }
    m_route = match.route;
    m_params = std::move(match.params);

    const std::size_t limit = m_route->options.maxBodyBytes ? m_route->options.maxBodyBytes
                                                            : m_core.options.defaultBodyLimit;
    if (const auto length = m_header->content_length(); length && *length > limit) {
        fail(413,
             QStringLiteral("The request body is %1 bytes; this route takes at most %2.")
                 .arg(*length)
                 .arg(limit),
             true);
        return;
    }
    if (!m_route->options.admit) {
        continueWithBody(limit, bodyPending);
        return;
    }
    // Asked before a byte of the body is read: a refused upload costs
    // nothing but its headers.
    auto request = std::make_shared<Request>(Request::Message(header), m_path, m_query, m_remote);
    request->setParams(m_params);
    runOnWorker(
        [self = shared_from_this(), request, limit, bodyPending]() -> std::function<void()> {
            try {
                self->m_route->options.admit(*request);
            } catch (const ApiError &e) {
                return [self, e, bodyPending] {
                    self->m_user = QString();
                    Response r = errorResponse(e);
                    self->m_linger = bodyPending;
                    self->send(std::move(r), bodyPending);
                };
            } catch (const std::exception &e) {
                qCWarning(lcHttp) << "admission check failed:" << e.what();
                return [self, bodyPending] {
                    self->fail(500, QStringLiteral("Internal error."), bodyPending);
                };
            }
            return [self, limit, bodyPending] { self->continueWithBody(limit, bodyPending); };
        });
}

void HttpSession::continueWithBody(std::size_t limit, bool bodyPending)
{
    const auto &header = m_header->get();
    if (bodyPending && beast::iequals(header[http::field::expect], "100-continue")) {
        auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
        m_writing = cont;
        http::async_write(m_stream, *cont,
                          [self = shared_from_this(), limit](beast::error_code wec, std::size_t) {
                              if (wec)
                                  return self->shutdown();
                              self->readBody(limit);
                          });
        return;
    }
    readBody(limit);
}

void HttpSession::readBody(std::size_t limit)
{
    // Beast reads at most what the buffer can hold without growing (and at
    // least 512 bytes); after a header that is about a kilobyte, so a large
    // body would come in a thousand reads per megabyte. Room for 256 KiB
    // per read makes it four.
    if (const auto length = m_header->content_length(); length && *length > 4096)
        m_buffer.reserve(std::min<std::size_t>(*length, kBodyReadBytes));
    if (m_route->options.spoolBody) {
        // Large uploads: straight to a file, never whole in memory.
        static std::atomic<quint64> counter{0};
        m_spoolFile =
            QString::fromStdString(m_core.options.spoolDir) +
            QStringLiteral("/body-%1-%2").arg(QCoreApplication::applicationPid()).arg(++counter);
        m_fileBody.emplace(std::move(*m_header));
        m_fileBody->body_limit(limit);
        const int fd = ::open(QFile::encodeName(m_spoolFile).constData(),
                              O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0) {
            qCWarning(lcHttp) << "cannot spool a request body to" << m_spoolFile
                              << std::strerror(errno);
            m_spoolFile.clear();
            fail(503, QStringLiteral("The server cannot store the upload right now."), true);
            return;
        }
        m_fileBody->get().body().fd = fd;
        m_fileBody->get().body().md5 = std::make_shared<FileMd5>(fd);
    } else {
        m_body.emplace(std::move(*m_header));
        m_body->body_limit(limit);
    }
    // A large body may take long; what must not take long is each piece of
    // it (a client that stalls, or dribbles, is cut off).
    m_bodyDeadline =
        std::chrono::steady_clock::now() + m_core.options.readTimeout +
        std::chrono::milliseconds(m_header->content_length().value_or(0) * 1000 / kMinBodyRate);
    readSomeBody();
}

void HttpSession::readSomeBody()
{
    if (m_fileBody ? m_fileBody->is_done() : m_body->is_done())
        return onBody({}); // an empty body: nothing to read
    const auto now = std::chrono::steady_clock::now();
    if (now >= m_bodyDeadline)
        return onBodyTimeout();
    // Our own timer rather than the stream's, which would close the socket
    // and leave the client without its 408.
    m_stream.expires_never();
    m_readTimer.expires_after(std::min<std::chrono::steady_clock::duration>(
        m_core.options.readTimeout, m_bodyDeadline - now));
    m_readTimer.async_wait([self = shared_from_this()](beast::error_code ec) {
        if (ec)
            return;
        self->m_readTimedOut = true;
        beast::error_code ignored;
        self->m_stream.socket().cancel(ignored);
    });
    const auto next = [self = shared_from_this()](beast::error_code ec, std::size_t) {
        self->m_readTimer.cancel();
        if (self->m_readTimedOut)
            return self->onBodyTimeout();
        const bool done = self->m_fileBody ? self->m_fileBody->is_done() : self->m_body->is_done();
        if (ec || done)
            return self->onBody(ec);
        self->readSomeBody();
    };
    if (m_fileBody)
        http::async_read_some(m_stream, m_buffer, *m_fileBody, next);
    else
        http::async_read_some(m_stream, m_buffer, *m_body, next);
}

void HttpSession::onBodyTimeout()
{
    m_readTimedOut = false;
    dropSpoolFile();
    const bool slow = std::chrono::steady_clock::now() >= m_bodyDeadline;
    fail(408,
         slow ? QStringLiteral("The request body is arriving too slowly.")
              : QStringLiteral("The request body stopped arriving."),
         true);
}

void HttpSession::dropSpoolFile()
{
    if (m_spoolFile.isEmpty())
        return;
    if (m_fileBody && m_fileBody->get().body().fd >= 0) {
        ::close(m_fileBody->get().body().fd);
        m_fileBody->get().body().fd = -1;
    }
    QFile::remove(m_spoolFile);
    m_spoolFile.clear();
}

void HttpSession::onBody(beast::error_code ec)
{
    if (ec)
        dropSpoolFile();
    else
        m_bodyUnread = false;
    if (ec == http::error::body_limit) {
        fail(413, QStringLiteral("The request body is larger than this route takes."), true);
        return;
    }
    if (ec == beast::error::timeout) {
        fail(408, QStringLiteral("The request body did not arrive in time."), true);
        return;
    }
    if (ec) {
        if (ec == net::error::eof || ec == http::error::partial_message ||
            ec == net::error::connection_reset || ec == net::error::operation_aborted)
            return shutdown();
        fail(400,
             QStringLiteral("Malformed HTTP request body: %1.")
                 .arg(QString::fromStdString(ec.message())),
             true);
        return;
    }
    dispatch();
}

void HttpSession::dispatch()
{
    m_stream.expires_never();
    std::shared_ptr<Request> request;
    if (m_fileBody) {
        auto spooled = m_fileBody->release();
        ::close(spooled.body().fd); // the hashing keeps its own descriptor
        spooled.body().fd = -1;
        Request::Message message(std::move(spooled.base()));
        request =
            std::make_shared<Request>(std::move(message), m_path, std::move(m_query), m_remote);
        request->setBodyFile(m_spoolFile, spooled.body().md5);
        m_spoolFile.clear(); // the request owns it now
        m_fileBody.reset();
    } else {
        request =
            std::make_shared<Request>(m_body->release(), m_path, std::move(m_query), m_remote);
    }
    m_bytesIn = request->bodySize();
    request->setParams(std::move(m_params));
    const Router::Route *route = m_route;
    runOnWorker([self = shared_from_this(), request, route]() -> std::function<void()> {
        Response response = invoke(*route, *request);
        if (!request->bodyFile().isEmpty())
            QFile::remove(request->bodyFile()); // unless the handler took it
        return [self, response = std::move(response), user = request->userForLog()] {
            self->m_user = user;
            self->send(response, false);
        };
    });
}

void HttpSession::runOnWorker(std::function<std::function<void()>()> work)
{
    auto answered = std::make_shared<std::atomic<bool>>(false);
    m_handlerTimer.expires_after(m_core.options.handlerTimeout);
    m_handlerTimer.async_wait([self = shared_from_this(), answered](beast::error_code ec) {
        if (ec || answered->exchange(true))
            return;
        qCWarning(lcHttp) << "handler timed out:" << self->m_method << self->m_path;
        self->fail(503, QStringLiteral("The server took too long to answer; try again."), true);
    });
    m_core.workers.post([self = shared_from_this(), work = std::move(work), answered] {
        std::function<void()> then = work();
        net::post(self->m_stream.get_executor(), [self, answered, then = std::move(then)] {
            if (answered->exchange(true))
                return;
            self->m_handlerTimer.cancel();
            then();
        });
    });
}

// A path under /ws/: only websocket upgrades, refused like any request
// (a JSON error, the connection kept) until the endpoint's acceptor agrees.
void HttpSession::acceptWebSocket(const QStringList &segments, bool bodyPending)
{
    const auto &header = m_header->get();
    if (!beast::websocket::is_upgrade(header)) {
        fail(426,
             QStringLiteral("%1 is a websocket endpoint; connect with a websocket client.")
                 .arg(m_path.left(200)),
             bodyPending, {{"Upgrade", "websocket"}});
        return;
    }
    // A client sends nothing more until the upgrade is answered.
    if (bodyPending || m_buffer.size() > 0) {
        fail(400, QStringLiteral("A websocket upgrade request has no body."), true);
        return;
    }
    WebSocketRouter::Match match = m_core.webSockets->match(segments);
    if (match.kind == Router::Match::Kind::BadParameter) {
        fail(400, match.detail, false);
        return;
    }
    if (match.kind != Router::Match::Kind::Found) {
        fail(404, QStringLiteral("No such websocket endpoint: %1.").arg(m_path.left(200)), false);
        return;
    }
    auto request =
        std::make_shared<Request>(Request::Message(header), m_path, std::move(m_query), m_remote);
    request->setParams(std::move(match.params));
    runOnWorker(
        [self = shared_from_this(), request, acceptor = match.acceptor]() -> std::function<void()> {
            Response refusal;
            std::shared_ptr<WebSocketHandler> handler = invoke(*acceptor, *request, &refusal);
            return [self, handler = std::move(handler), refusal, user = request->userForLog()] {
                self->m_user = user;
                if (handler)
                    self->upgrade(handler);
                else
                    self->send(refusal, false);
            };
        });
}

void HttpSession::upgrade(std::shared_ptr<WebSocketHandler> handler)
{
    if (m_core.stopping) {
        fail(503, QStringLiteral("The server is shutting down."), true);
        return;
    }
    m_core.accessLog.write(
        {m_remote, m_method, m_path, 101, 0, 0,
         std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - m_started)
             .count(),
         m_user});
    // This session ends here: the websocket takes the socket, on the same strand.
    auto session = std::make_shared<WebSocketSession>(m_stream.release_socket(), m_core,
                                                      std::move(handler), m_remote);
    session->start(m_header->release());
}

void HttpSession::fail(int status, const QString &detail, bool close,
                       std::vector<std::pair<std::string, std::string>> headers)
{
    Response r = Response::json(ApiError(status, detail).toJson(), status);
    r.headers = std::move(headers);
    m_linger = close && m_bodyUnread;
    send(std::move(r), close);
}

namespace {

// The parts of an answer both body kinds share.
template <class Body>
void fillHeaders(http::response<Body> &res, const Response &response, bool close)
{
    res.version(11);
    res.result(unsigned(response.status));
    res.set(http::field::server, "pfd");
    if (!response.body.isEmpty() || !response.contentType.isEmpty() || response.file)
        res.set(http::field::content_type, std::string_view(response.contentType.constData(),
                                                            size_t(response.contentType.size())));
    for (const auto &[name, value] : response.headers)
        res.set(name, value);
    res.keep_alive(!close);
}

} // namespace

void HttpSession::send(Response response, bool close)
{
    close = close || !m_keepAlive || m_closeAfter || m_core.stopping;
    const qint64 bytesOut = response.file ? response.fileLength : qint64(response.body.size());
    m_core.accessLog.write(
        {m_remote, m_method, m_path, response.status, m_bytesIn, bytesOut,
         std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - m_started)
             .count(),
         m_user});

    const auto done = [self = shared_from_this(), close](beast::error_code ec, std::size_t n) {
        self->onWrite(close, ec, n);
    };
    if (response.file) {
        auto res = std::make_shared<http::response<FileRangeBody>>();
        fillHeaders(*res, response, close);
        res->body() = {response.file, std::uint64_t(response.fileOffset),
                       std::uint64_t(response.fileLength)};
        res->prepare_payload();
        m_writing = res;
        // Like a body read: each piece must go out in time, the whole may take long.
        m_stream.expires_never();
        writeFileResponse(res, close);
        return;
    }
    auto res = std::make_shared<http::response<http::string_body>>();
    fillHeaders(*res, response, close);
    res->body().assign(response.body.constData(), size_t(response.body.size()));
    res->prepare_payload();
    m_writing = res;
    m_stream.expires_after(m_core.options.readTimeout);
    http::async_write(m_stream, *res, done);
}

void HttpSession::writeFileResponse(std::shared_ptr<http::response<FileRangeBody>> res, bool close)
{
    // The header through Beast, the body with sendfile(2): from the page
    // cache to the socket without passing through pfd.
    m_fileSerializer.emplace(*res);
    m_fileSerializer->split(true);
    m_stream.expires_after(m_core.options.readTimeout);
    http::async_write_header(
        m_stream, *m_fileSerializer,
        [self = shared_from_this(), res, close](beast::error_code ec, std::size_t n) {
            self->m_fileSerializer.reset();
            if (ec)
                return self->onWrite(close, ec, n);
            self->m_stream.expires_never();
            self->sendFileBody(res, close, res->body().offset, res->body().length);
        });
}

void HttpSession::sendFileBody(std::shared_ptr<http::response<FileRangeBody>> res, bool close,
                               std::uint64_t offset, std::uint64_t left)
{
    auto &socket = m_stream.socket();
    beast::error_code ec;
    socket.native_non_blocking(true, ec);
    while (left > 0 && !ec) {
        off_t at = off_t(offset);
        const ssize_t n = ::sendfile(socket.native_handle(), *res->body().fd, &at,
                                     std::size_t(std::min<std::uint64_t>(left, kSendfilePiece)));
        if (n > 0) {
            offset += std::uint64_t(n);
            left -= std::uint64_t(n);
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            // The socket is full: wait until it drains, or give up when the
            // client stops reading for the read timeout.
            m_readTimer.expires_after(m_core.options.readTimeout);
            m_readTimer.async_wait([self = shared_from_this()](beast::error_code timerEc) {
                if (!timerEc) {
                    beast::error_code ignored;
                    self->m_stream.socket().cancel(ignored);
                }
            });
            socket.async_wait(
                net::ip::tcp::socket::wait_write,
                [self = shared_from_this(), res, close, offset, left](beast::error_code waitEc) {
                    self->m_readTimer.cancel();
                    if (waitEc)
                        return self->onWrite(close, waitEc, 0);
                    self->sendFileBody(res, close, offset, left);
                });
            return;
        } else {
            // A disk error, or the file shrank under us: the client sees
            // fewer bytes than Content-Length, and the connection ends.
            ec = beast::error_code(n < 0 ? errno : EIO, boost::system::generic_category());
        }
    }
    onWrite(close || bool(ec), ec, 0);
}

void HttpSession::onWrite(bool close, beast::error_code ec, std::size_t)
{
    m_writing.reset();
    m_bytesIn = 0;
    if (ec || close)
        return shutdown();
    readHeader(m_core.options.idleTimeout);
}

void HttpSession::shutdown()
{
    beast::error_code ec;
    m_handlerTimer.cancel();
    m_stream.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
    if (!m_linger || ec) {
        m_stream.close();
        return;
    }
    // The client may still be sending a body we refused. Closing now would
    // reset the connection and it might lose our answer, so read and drop
    // what it sends for a short while (a lingering close).
    m_linger = false;
    m_stream.expires_after(std::chrono::seconds(2));
    drain();
}

void HttpSession::drain()
{
    auto scratch = std::make_shared<std::array<char, 16384>>();
    m_stream.async_read_some(net::buffer(*scratch), [self = shared_from_this(),
                                                     scratch](beast::error_code ec, std::size_t) {
        if (ec)
            return self->m_stream.close();
        self->drain();
    });
}

} // namespace pf::server
