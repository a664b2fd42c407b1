// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <functional>
#include <memory>

#include <QByteArray>
#include <QHostAddress>
#include <QJsonDocument>
#include <QTcpServer>
#include <QTcpSocket>

namespace pf::test {

// A fake HTTP transport on 127.0.0.1 for the error paths a real pfd cannot
// produce on demand (a 503 on the second page, a server that goes away).
// Each request is answered by `answer(method, target)` and the connection
// closed. Not for happy paths: those run against a real pfd.
//
//   CannedHttpServer fake([](const QByteArray &, const QByteArray &target) {
//       return CannedHttpServer::Answer{503, R"({"detail":"Down."})"};
//   });
//   ApiSession s(fake.url());
class CannedHttpServer
{
public:
    struct Answer
    {
        int status = 200;
        QByteArray body;
    };
    using Handler = std::function<Answer(const QByteArray &method, const QByteArray &target)>;

    explicit CannedHttpServer(Handler handler)
        : m_handler(std::move(handler))
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection())
                serve(socket);
        });
    }

    QUrl url() const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort()));
    }
    int requests() const { return m_requests; }

private:
    void serve(QTcpSocket *socket)
    {
        auto buffer = std::make_shared<QByteArray>();
        QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer] {
            buffer->append(socket->readAll());
            const qsizetype end = buffer->indexOf("\r\n\r\n");
            if (end < 0)
                return;
            qsizetype length = 0;
            for (const QByteArray &line : buffer->left(end).split('\n')) {
                if (line.toLower().startsWith("content-length:"))
                    length = line.mid(15).trimmed().toLongLong();
            }
            if (buffer->size() < end + 4 + length)
                return;
            const QList<QByteArray> request = buffer->left(buffer->indexOf("\r\n")).split(' ');
            ++m_requests;
            const Answer a = m_handler(request.value(0), request.value(1));
            socket->write(QByteArray(
                "HTTP/1.1 " + QByteArray::number(a.status) +
                " Canned\r\nContent-Type: application/json\r\nContent-Length: " +
                QByteArray::number(a.body.size()) + "\r\nConnection: close\r\n\r\n" + a.body));
            socket->disconnectFromHost();
        });
    }

    Handler m_handler;
    QTcpServer m_server;
    int m_requests = 0;
};

} // namespace pf::test
