// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "streamtransfer.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QUrl>

namespace pf::test {

namespace {

constexpr std::size_t kPiece = 1024 * 1024;

std::uint64_t splitmix(std::uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

class Socket
{
public:
    explicit Socket(std::uint16_t port)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(m_fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0) {
            ::close(m_fd);
            m_fd = -1;
        }
        timeval tv{120, 0};
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        ::setsockopt(m_fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    }
    ~Socket()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    bool ok() const { return m_fd >= 0; }
    bool sendAll(const char *p, std::size_t n)
    {
        while (n > 0) {
            const ssize_t w = ::send(m_fd, p, n, MSG_NOSIGNAL);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                return false;
            p += w;
            n -= std::size_t(w);
        }
        return true;
    }
    ssize_t recvSome(char *p, std::size_t n)
    {
        for (;;) {
            const ssize_t r = ::recv(m_fd, p, n, 0);
            if (r < 0 && errno == EINTR)
                continue;
            return r;
        }
    }

private:
    int m_fd = -1;
};

// Reads the answer: headers, then Content-Length bytes to `sink`.
void readAnswer(Socket &s, StreamResult &r,
                const std::function<void(std::uint64_t, const char *, std::size_t)> &sink)
{
    std::string head;
    auto buffer = std::make_unique<char[]>(kPiece);
    std::size_t headEnd = std::string::npos;
    while (headEnd == std::string::npos) {
        const ssize_t n = s.recvSome(buffer.get(), 65536);
        if (n <= 0) {
            r.error = QStringLiteral("connection closed before the answer's headers");
            return;
        }
        head.append(buffer.get(), std::size_t(n));
        headEnd = head.find("\r\n\r\n");
        if (head.size() > 1 << 20) {
            r.error = QStringLiteral("no end of headers");
            return;
        }
    }
    std::string rest = head.substr(headEnd + 4);
    head.resize(headEnd);
    r.status = std::atoi(head.c_str() + head.find(' ') + 1);
    std::size_t pos = head.find("\r\n");
    while (pos != std::string::npos) {
        const std::size_t next = head.find("\r\n", pos + 2);
        const std::string line =
            head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
        const std::size_t colon = line.find(':');
        if (colon != std::string::npos) {
            std::string name = line.substr(0, colon);
            for (char &c : name)
                c = char(std::tolower(static_cast<unsigned char>(c)));
            std::size_t v = colon + 1;
            while (v < line.size() && line[v] == ' ')
                ++v;
            r.headers[name] = line.substr(v);
        }
        pos = next;
    }
    const std::uint64_t length = std::strtoull(r.header("content-length").c_str(), nullptr, 10);
    const auto deliver = [&](const char *p, std::size_t n) {
        if (length <= 65536)
            r.body.append(p, n);
        if (sink)
            sink(r.bodyBytes, p, n);
        r.bodyBytes += n;
    };
    deliver(rest.data(), std::min<std::size_t>(rest.size(), length));
    while (r.bodyBytes < length) {
        const ssize_t n = s.recvSome(
            buffer.get(), std::size_t(std::min<std::uint64_t>(kPiece, length - r.bodyBytes)));
        if (n <= 0) {
            r.error = QStringLiteral("connection closed after %1 of %2 body bytes")
                          .arg(r.bodyBytes)
                          .arg(length);
            return;
        }
        deliver(buffer.get(), std::size_t(n));
    }
}

} // namespace

std::string targetOf(const QString &url)
{
    const QUrl u(url);
    return QString(u.path(QUrl::FullyEncoded) + u'?' + u.query(QUrl::FullyEncoded)).toStdString();
}

void fillPattern(char *out, std::uint64_t offset, std::size_t n, std::uint32_t seed)
{
    std::uint64_t word = offset / 8;
    std::size_t skip = std::size_t(offset % 8);
    std::size_t i = 0;
    while (i < n) {
        const std::uint64_t v = splitmix(word++ ^ (std::uint64_t(seed) << 40));
        for (std::size_t b = skip; b < 8 && i < n; ++b)
            out[i++] = char(v >> (8 * b));
        skip = 0;
    }
}

StreamResult streamPut(std::uint16_t port, const std::string &target, std::uint64_t size,
                       const std::function<void(std::uint64_t, char *, std::size_t)> &source)
{
    StreamResult r;
    const auto start = std::chrono::steady_clock::now();
    Socket s(port);
    if (!s.ok()) {
        r.error = QStringLiteral("cannot connect");
        return r;
    }
    const std::string head =
        "PUT " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
        "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + std::to_string(size) +
        "\r\nConnection: close\r\n\r\n";
    if (!s.sendAll(head.data(), head.size())) {
        r.error = QStringLiteral("cannot send the headers");
        return r;
    }
    auto buffer = std::make_unique<char[]>(kPiece);
    for (std::uint64_t sent = 0; sent < size;) {
        const std::size_t n = std::size_t(std::min<std::uint64_t>(kPiece, size - sent));
        source(sent, buffer.get(), n);
        if (!s.sendAll(buffer.get(), n))
            break; // the server answered early (an error): read it
        sent += n;
    }
    readAnswer(s, r, nullptr);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return r;
}

StreamResult streamGet(std::uint16_t port, const std::string &target,
                       std::optional<std::pair<std::uint64_t, std::uint64_t>> range,
                       const std::function<void(std::uint64_t, const char *, std::size_t)> &sink)
{
    StreamResult r;
    const auto start = std::chrono::steady_clock::now();
    Socket s(port);
    if (!s.ok()) {
        r.error = QStringLiteral("cannot connect");
        return r;
    }
    std::string head = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                       "\r\nConnection: close\r\n";
    if (range)
        head += "Range: bytes=" + std::to_string(range->first) + '-' +
                std::to_string(range->first + range->second - 1) + "\r\n";
    head += "\r\n";
    if (!s.sendAll(head.data(), head.size())) {
        r.error = QStringLiteral("cannot send the request");
        return r;
    }
    readAnswer(s, r, sink);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return r;
}

} // namespace pf::test
