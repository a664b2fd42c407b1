// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "httpconnection.h"

#include <cerrno>
#include <cstring>

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace pf::agent {
namespace {

constexpr qsizetype kMaxHeadBytes = 64 * 1024;
constexpr qsizetype kMaxBodyBytes = 16 * 1024 * 1024;

QString errnoText(const char *what, int error)
{
    return QStringLiteral("%1: %2").arg(QLatin1String(what),
                                        QString::fromLocal8Bit(std::strerror(error)));
}

// Waits for `events` on fd; false on timeout or error.
bool waitFor(int fd, short events, int timeoutMs)
{
    pollfd p{fd, events, 0};
    for (;;) {
        const int n = ::poll(&p, 1, timeoutMs);
        if (n > 0)
            return true;
        if (n == 0 || errno != EINTR)
            return false;
    }
}

} // namespace

HttpConnection::~HttpConnection()
{
    close();
}

void HttpConnection::close()
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
    m_peer.clear();
    m_used = false;
}

bool HttpConnection::connectTo(const QUrl &base, int timeoutMs, QString *error)
{
    const QString peer = base.host() + u':' + QString::number(base.port(80));
    if (m_fd >= 0 && peer == m_peer)
        return true;
    close();
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    addrinfo *found = nullptr;
    const QByteArray host = base.host().toUtf8();
    const QByteArray port = QByteArray::number(base.port(80));
    if (const int rc = ::getaddrinfo(host.constData(), port.constData(), &hints, &found); rc != 0) {
        *error = QStringLiteral("cannot resolve %1: %2")
                     .arg(base.host(), QString::fromLocal8Bit(gai_strerror(rc)));
        return false;
    }
    *error = QStringLiteral("cannot connect to %1").arg(peer);
    for (addrinfo *a = found; a; a = a->ai_next) {
        const int fd =
            ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
        if (fd < 0)
            continue;
        int rc = ::connect(fd, a->ai_addr, a->ai_addrlen);
        if (rc < 0 && errno == EINPROGRESS) {
            int soError = ETIMEDOUT;
            socklen_t len = sizeof soError;
            if (waitFor(fd, POLLOUT, timeoutMs))
                ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &len);
            errno = soError;
            rc = soError == 0 ? 0 : -1;
        }
        if (rc == 0) {
            const int one = 1;
            ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            m_fd = fd;
            m_peer = peer;
            break;
        }
        *error = errnoText(qPrintable(*error), errno);
        ::close(fd);
    }
    ::freeaddrinfo(found);
    return m_fd >= 0;
}

HttpResult HttpConnection::post(const QUrl &base, const QByteArray &path, const QByteArray &token,
                                const QByteArray &body, int timeoutMs)
{
    HttpResult result;
    QByteArray head;
    head.reserve(512);
    head += "POST " + base.path(QUrl::FullyEncoded).toUtf8() + path + " HTTP/1.1\r\n";
    head += "Host: " + base.host(QUrl::FullyEncoded).toUtf8() + ':' +
            QByteArray::number(base.port(80)) + "\r\n";
    if (!token.isEmpty())
        head += "Authorization: Bearer " + token + "\r\n";
    head += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
            "\r\n\r\n";
    // A kept-alive connection may have been closed by pfd meanwhile: then
    // the first attempt finds it stale and the second uses a new one.
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (!connectTo(base, timeoutMs, &result.error))
            return result;
        if (exchange(head, body, timeoutMs, &result) == Attempt::Done)
            return result;
        close();
    }
    result.status = 0;
    result.error = QStringLiteral("pfd closed the connection");
    return result;
}

HttpConnection::Attempt HttpConnection::exchange(const QByteArray &head, const QByteArray &body,
                                                 int timeoutMs, HttpResult *result)
{
    const bool reused = m_used;
    m_used = true;
    const auto fail = [&](const QString &error) {
        close();
        result->status = 0;
        result->error = error;
        return Attempt::Done;
    };

    // The request, head and body in one go (and as few calls as the socket
    // buffer allows).
    qsizetype sent = 0;
    const qsizetype total = head.size() + body.size();
    while (sent < total) {
        iovec iov[2];
        int count = 0;
        if (sent < head.size())
            iov[count++] = {const_cast<char *>(head.constData()) + sent,
                            size_t(head.size() - sent)};
        const qsizetype bodySent = std::max<qsizetype>(0, sent - head.size());
        if (bodySent < body.size())
            iov[count++] = {const_cast<char *>(body.constData()) + bodySent,
                            size_t(body.size() - bodySent)};
        msghdr msg{};
        msg.msg_iov = iov;
        msg.msg_iovlen = size_t(count);
        const ssize_t n = ::sendmsg(m_fd, &msg, MSG_NOSIGNAL);
        if (n > 0) {
            sent += n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (!waitFor(m_fd, POLLOUT, timeoutMs))
                return fail(QStringLiteral("timed out sending a report"));
            continue;
        }
        if (reused && sent == 0)
            return Attempt::Stale;
        return fail(errnoText("sending a report", errno));
    }

    // The answer: status line and headers, then Content-Length bytes.
    QByteArray in;
    qsizetype headEnd = -1;
    qint64 length = -1;
    bool keepAlive = true;
    for (;;) {
        if (headEnd >= 0 && length >= 0 && in.size() - headEnd >= length)
            break;
        if (in.size() > kMaxHeadBytes + kMaxBodyBytes)
            return fail(QStringLiteral("pfd's answer is too large"));
        char buffer[16384];
        const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
        if (n > 0) {
            in.append(buffer, n);
        } else if (n == 0) {
            if (reused && in.isEmpty())
                return Attempt::Stale;
            return fail(QStringLiteral("pfd closed the connection before answering"));
        } else if (errno == EINTR) {
            continue;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            if (!waitFor(m_fd, POLLIN, timeoutMs))
                return fail(QStringLiteral("timed out waiting for pfd's answer"));
            continue;
        } else {
            if (reused && in.isEmpty() && errno == ECONNRESET)
                return Attempt::Stale;
            return fail(errnoText("reading pfd's answer", errno));
        }
        if (headEnd >= 0)
            continue;
        const qsizetype end = in.indexOf("\r\n\r\n");
        if (end < 0) {
            if (in.size() > kMaxHeadBytes)
                return fail(QStringLiteral("pfd's answer has no end of headers"));
            continue;
        }
        headEnd = end + 4;
        const QList<QByteArray> lines = in.left(end).split('\n');
        const QList<QByteArray> status = lines.first().trimmed().split(' ');
        bool ok = false;
        result->status =
            status.size() >= 2 && status[0].startsWith("HTTP/1.") ? status[1].toInt(&ok) : 0;
        if (!ok || result->status < 100)
            return fail(QStringLiteral("pfd's answer is not HTTP"));
        keepAlive = status[0] == "HTTP/1.1";
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray &line = lines[i];
            const qsizetype colon = line.indexOf(':');
            if (colon < 0)
                continue;
            const QByteArray name = line.left(colon).trimmed().toLower();
            const QByteArray value = line.mid(colon + 1).trimmed();
            if (name == "content-length")
                length = value.toLongLong(&ok) >= 0 && ok ? value.toLongLong() : -1;
            else if (name == "connection")
                keepAlive = keepAlive && value.toLower() != "close";
            else if (name == "transfer-encoding")
                return fail(QStringLiteral("pfd's answer uses a transfer encoding"));
        }
        if (length < 0 || length > kMaxBodyBytes)
            return fail(QStringLiteral("pfd's answer has no usable Content-Length"));
    }
    result->body = in.mid(headEnd, length);
    result->error.clear();
    if (!keepAlive)
        close();
    return Attempt::Done;
}

} // namespace pf::agent
