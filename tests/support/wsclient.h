// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <QJsonObject>
#include <QString>

#include "tests/support/httpclient.h"

namespace pf::test {

// A blocking websocket client over one connection with its own event loop,
// for tests and benchmarks; not thread-safe (one thread per client). Every
// call waits at most its timeout. A read that times out stays pending and
// the next read picks it up, so a test may also simply not read (a client
// that has stopped reading).
//
//   WsClient ws("127.0.0.1", pfd.port());
//   ASSERT_EQ(ws.connect("/ws/job/" + id + "/?token=" + token).status, 101);
//   ws.sendJson({{"type", "subscribe"}, {"sources", QJsonArray{"process.stdout"}}});
//   while (auto message = ws.next()) { ... }
//   EXPECT_EQ(ws.closeCode(), 1000); // the server closed normally
class WsClient
{
public:
    using Ms = std::chrono::milliseconds;

    WsClient(std::string host, unsigned short port);
    ~WsClient();
    WsClient(const WsClient &) = delete;
    WsClient &operator=(const WsClient &) = delete;

    // The socket's receive buffer for the next connect(), in bytes (0: the
    // system's, which grows on demand); small for a client that stalls.
    void setReceiveBufferSize(int bytes);

    // Connects and asks for the upgrade. Status 101 when upgraded; otherwise
    // the HTTP answer that refused it (status, headers, body), or status 0
    // and `error` when the connection failed.
    HttpReply connect(const std::string &target,
                      const std::map<std::string, std::string> &headers = {},
                      Ms timeout = Ms(10'000));

    bool sendText(const std::string &text, Ms timeout = Ms(10'000));
    bool sendBinary(const std::string &bytes, Ms timeout = Ms(10'000));
    bool sendJson(const QJsonObject &message, Ms timeout = Ms(10'000));

    // The next text message; nullopt when the connection has ended (see
    // closeCode()) or nothing came within the timeout (timedOut()).
    std::optional<std::string> nextText(Ms timeout = Ms(10'000));
    // The same, parsed; a message that is not a JSON object is an empty object.
    std::optional<QJsonObject> next(Ms timeout = Ms(10'000));
    // Reads until the connection ends (or the timeout passes); the messages.
    std::vector<QJsonObject> readUntilClosed(Ms timeout = Ms(30'000));

    bool isOpen() const;
    bool timedOut() const;
    // After the server's close frame: its code and reason; 0 until then, or
    // when the connection ended without one (see error()).
    int closeCode() const;
    std::string closeReason() const;
    QString error() const;

    // A close handshake from this side (1000).
    void close(Ms timeout = Ms(10'000));
    // Drops the connection without a close frame.
    void disconnect();

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace pf::test
