// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

#include "agent/serverclient.h"

namespace pf::agent {

// One kept-alive plain-HTTP/1.1 connection to pfd, used blocking from the
// report thread. It exists for speed: a report body of a megabyte goes out
// in one writev(2) instead of Qt Network's sixteen-kilobyte pieces, each of
// which waits for a turn of an event loop.
//
//   HttpConnection c;
//   HttpResult r = c.post(QUrl("http://127.0.0.1:8000"), "/agent/...", token, body, 30000);
//
// Only what pfd answers is understood: a status line, headers and a body of
// Content-Length bytes (no chunked responses, no redirects). Any failure
// closes the connection and comes back as status 0 with the reason, which
// the caller treats as transient. A connection that pfd closed while idle
// is noticed and the request is sent once more on a new one (reports are
// idempotent). `timeoutMs` bounds each wait for progress, not the whole
// request.
class HttpConnection
{
public:
    HttpConnection() = default;
    ~HttpConnection();
    HttpConnection(const HttpConnection &) = delete;
    HttpConnection &operator=(const HttpConnection &) = delete;

    HttpResult post(const QUrl &base, const QByteArray &path, const QByteArray &token,
                    const QByteArray &body, int timeoutMs);
    void close();

private:
    enum class Attempt { Done, Stale };
    Attempt exchange(const QByteArray &head, const QByteArray &body, int timeoutMs,
                     HttpResult *result);
    bool connectTo(const QUrl &base, int timeoutMs, QString *error);

    int m_fd = -1;
    QString m_peer;      // "host:port" of the open connection
    bool m_used = false; // a request already went over it
};

} // namespace pf::agent
