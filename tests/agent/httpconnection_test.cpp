// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// The report connection's error paths, against a scripted TCP peer that
// answers each request as a test says (the happy path runs against pfd's
// real HTTP server in the agent integration tests and the end-to-end ones).

#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "agent/httpconnection.h"

using namespace Qt::StringLiterals;
using pf::agent::HttpConnection;
using pf::agent::HttpResult;

namespace {

// Accepts connections on 127.0.0.1 and reads requests; `answer` gets each
// request (head and body) with its connection's number and the request's
// number on that connection, and returns the bytes to send back, or
// nothing to close the connection, or "hang" to say nothing.
class ScriptedPeer
{
public:
    using Answer = std::function<std::string(const std::string &request, int connection,
                                             int request_on_connection)>;

    explicit ScriptedPeer(Answer answer)
        : m_answer(std::move(answer))
    {
        m_listen = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        EXPECT_EQ(::bind(m_listen, reinterpret_cast<sockaddr *>(&addr), sizeof addr), 0);
        EXPECT_EQ(::listen(m_listen, 8), 0);
        socklen_t len = sizeof addr;
        ::getsockname(m_listen, reinterpret_cast<sockaddr *>(&addr), &len);
        m_port = ntohs(addr.sin_port);
        m_thread = std::thread([this] { run(); });
    }
    ~ScriptedPeer()
    {
        m_stop = true;
        m_thread.join();
        ::close(m_listen);
    }

    QUrl url() const { return QUrl(u"http://127.0.0.1:%1/base"_s.arg(m_port)); }
    int connections() const { return m_connections; }
    const std::string &lastRequest() const { return m_last; }

private:
    void run()
    {
        int client = -1;
        int served = 0;
        std::string in;
        while (!m_stop) {
            pollfd p[2] = {{m_listen, POLLIN, 0}, {client, POLLIN, 0}};
            if (::poll(p, client >= 0 ? 2 : 1, 50) <= 0)
                continue;
            if (p[0].revents & POLLIN) {
                if (client >= 0)
                    ::close(client);
                client = ::accept4(m_listen, nullptr, nullptr, SOCK_CLOEXEC);
                ++m_connections;
                served = 0;
                in.clear();
                continue;
            }
            char buffer[65536];
            const ssize_t n = ::read(client, buffer, sizeof buffer);
            if (n <= 0) {
                ::close(client);
                client = -1;
                continue;
            }
            in.append(buffer, size_t(n));
            const size_t headEnd = in.find("\r\n\r\n");
            if (headEnd == std::string::npos)
                continue;
            const size_t at = in.find("Content-Length: ");
            const size_t length = at < headEnd ? std::stoul(in.substr(at + 16)) : 0;
            if (in.size() < headEnd + 4 + length)
                continue;
            m_last = in.substr(0, headEnd + 4 + length);
            in.erase(0, headEnd + 4 + length);
            const std::string out = m_answer(m_last, m_connections, ++served);
            if (out == "hang")
                continue;
            if (out.empty()) {
                ::close(client);
                client = -1;
                continue;
            }
            EXPECT_EQ(::write(client, out.data(), out.size()), ssize_t(out.size()));
        }
        if (client >= 0)
            ::close(client);
    }

    Answer m_answer;
    int m_listen = -1;
    quint16 m_port = 0;
    std::thread m_thread;
    std::atomic<bool> m_stop{false};
    std::atomic<int> m_connections{0};
    std::string m_last;
};

std::string ok(const std::string &body, const std::string &extra = {})
{
    return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + extra +
           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

TEST(HttpConnection, SendsOneRequestAndKeepsTheConnection)
{
    ScriptedPeer peer([](const std::string &, int, int n) {
        return ok("{\"acked_seq\":" + std::to_string(n) + "}");
    });
    HttpConnection c;
    const QByteArray body(3 * 1024 * 1024, 'x'); // more than a socket buffer
    for (int i = 1; i <= 3; ++i) {
        const HttpResult r = c.post(peer.url(), "/agent/report", "tok", body, 5000);
        EXPECT_EQ(r.status, 200) << r.error.toStdString();
        EXPECT_EQ(r.body, "{\"acked_seq\":" + QByteArray::number(i) + '}');
    }
    EXPECT_EQ(peer.connections(), 1);
    const std::string &req = peer.lastRequest();
    EXPECT_EQ(req.rfind("POST /base/agent/report HTTP/1.1\r\n", 0), 0u) << req.substr(0, 200);
    EXPECT_NE(req.find("Authorization: Bearer tok\r\n"), std::string::npos);
    EXPECT_NE(req.find("Content-Length: 3145728\r\n"), std::string::npos);
    EXPECT_EQ(req.size() - req.find("\r\n\r\n") - 4, size_t(body.size()));
}

TEST(HttpConnection, ResendsOnceWhenAnIdleConnectionWasClosed)
{
    // The first connection answers one request and is then closed by the
    // peer; the next request goes out again on a new connection.
    ScriptedPeer peer([](const std::string &, int connection, int n) {
        if (connection == 1 && n == 2)
            return std::string();
        return ok("{}");
    });
    HttpConnection c;
    EXPECT_EQ(c.post(peer.url(), "/r", {}, "{}", 5000).status, 200);
    const HttpResult r = c.post(peer.url(), "/r", {}, "{}", 5000);
    EXPECT_EQ(r.status, 200) << r.error.toStdString();
    EXPECT_EQ(peer.connections(), 2);
}

TEST(HttpConnection, AFreshConnectionClosedBeforeAnAnswerIsAFailureNotARetry)
{
    ScriptedPeer peer([](const std::string &, int, int) { return std::string(); });
    HttpConnection c;
    const HttpResult r = c.post(peer.url(), "/r", {}, "{}", 5000);
    EXPECT_EQ(r.status, 0);
    EXPECT_TRUE(r.transient());
    EXPECT_TRUE(r.error.contains(u"closed"_s)) << r.error.toStdString();
    EXPECT_EQ(peer.connections(), 1);
}

TEST(HttpConnection, TimesOutWhenThePeerSaysNothing)
{
    ScriptedPeer peer([](const std::string &, int, int) { return std::string("hang"); });
    HttpConnection c;
    const HttpResult r = c.post(peer.url(), "/r", {}, "{}", 200);
    EXPECT_EQ(r.status, 0);
    EXPECT_TRUE(r.error.contains(u"timed out"_s)) << r.error.toStdString();
}

TEST(HttpConnection, RefusesAnswersItCannotRead)
{
    const std::vector<std::pair<std::string, QString>> cases{
        {"SSH-2.0-OpenSSH\r\n\r\n", u"not HTTP"_s},
        {"HTTP/1.1 200 OK\r\n\r\n{}", u"Content-Length"_s},
        {"HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n", u"Content-Length"_s},
        {"HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n", u"Content-Length"_s},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
         u"transfer encoding"_s},
        {"HTTP/1.1 200 OK\r\nX: " + std::string(100 * 1024, 'a'), u"end of headers"_s},
    };
    for (const auto &[answer, reason] : cases) {
        SCOPED_TRACE(answer.substr(0, 60));
        ScriptedPeer peer([&answer](const std::string &, int, int) { return answer; });
        HttpConnection c;
        const HttpResult r = c.post(peer.url(), "/r", {}, "{}", 2000);
        EXPECT_EQ(r.status, 0);
        EXPECT_TRUE(r.error.contains(reason)) << r.error.toStdString();
    }
}

TEST(HttpConnection, ReadsErrorsAndClosesWhenAskedTo)
{
    ScriptedPeer peer([](const std::string &, int connection, int) {
        if (connection == 1)
            return ok("{\"detail\":\"no\"}", "Connection: close\r\n").replace(9, 6, "503 Busy");
        return ok("{}");
    });
    HttpConnection c;
    HttpResult r = c.post(peer.url(), "/r", {}, "{}", 5000);
    EXPECT_EQ(r.status, 503);
    EXPECT_TRUE(r.transient());
    EXPECT_EQ(r.describe(), u"HTTP 503: no"_s);
    r = c.post(peer.url(), "/r", {}, "{}", 5000);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(peer.connections(), 2); // "Connection: close" was honoured
}

TEST(HttpConnection, NobodyListeningIsATransientFailure)
{
    HttpConnection c;
    quint16 port;
    {
        ScriptedPeer peer([](const std::string &, int, int) { return std::string(); });
        port = quint16(peer.url().port());
    }
    const HttpResult r = c.post(QUrl(u"http://127.0.0.1:%1"_s.arg(port)), "/r", {}, "{}", 2000);
    EXPECT_EQ(r.status, 0);
    EXPECT_TRUE(r.transient());
    EXPECT_FALSE(r.error.isEmpty());
}

} // namespace
