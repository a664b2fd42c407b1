// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// ApiSession and a server whose certificate no CA vouches for: refused, with
// the certificate in the result for the user to inspect; accepted once that
// one certificate is trusted, and only that one. pfd does not speak TLS
// itself (a reverse proxy does), so the server here is a small QSslServer
// with a self-signed certificate made by the openssl command.

#include <gtest/gtest.h>

#include <QJsonObject>
#include <QProcess>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>

#include "network/apisession.h"

using namespace Qt::StringLiterals;
using pf::network::ApiResult;
using pf::network::ApiSession;

namespace {

struct SelfSigned
{
    QSslCertificate certificate;
    QSslKey key;
};

SelfSigned makeCertificate(const QString &dir, const QString &cn)
{
    QProcess openssl;
    openssl.start(u"openssl"_s, {u"req"_s, u"-x509"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s,
                                 u"-keyout"_s, dir + u"/key.pem"_s, u"-out"_s, dir + u"/cert.pem"_s,
                                 u"-days"_s, u"1"_s, u"-subj"_s, u"/CN="_s + cn});
    EXPECT_TRUE(openssl.waitForFinished(60000));
    EXPECT_EQ(openssl.exitCode(), 0) << openssl.readAllStandardError().toStdString();
    QFile cert(dir + u"/cert.pem"_s);
    QFile key(dir + u"/key.pem"_s);
    EXPECT_TRUE(cert.open(QIODevice::ReadOnly) && key.open(QIODevice::ReadOnly));
    return {QSslCertificate(cert.readAll()), QSslKey(key.readAll(), QSsl::Rsa)};
}

// Answers every request with 200 and a small JSON body.
class TlsServer
{
public:
    explicit TlsServer(const SelfSigned &identity)
    {
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.setLocalCertificate(identity.certificate);
        config.setPrivateKey(identity.key);
        m_server.setSslConfiguration(config);
        QObject::connect(&m_server, &QTcpServer::pendingConnectionAvailable, &m_server, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                QObject::connect(socket, &QTcpSocket::readyRead, socket, [socket] {
                    if (!socket->readAll().contains("\r\n\r\n"))
                        return;
                    const QByteArray body = R"({"username":"tls"})";
                    socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                  "Connection: close\r\nContent-Length: " +
                                  QByteArray::number(body.size()) + "\r\n\r\n" + body);
                    socket->disconnectFromHost();
                });
                QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
        EXPECT_TRUE(m_server.listen(QHostAddress::LocalHost));
    }
    QUrl url() const { return QUrl(u"https://127.0.0.1:%1"_s.arg(m_server.serverPort())); }

private:
    QSslServer m_server;
};

ApiResult get(ApiSession &s)
{
    ApiResult out;
    bool answered = false;
    s.get(u"/auth/oauth2/userinfo"_s, [&](const ApiResult &r) {
        out = r;
        answered = true;
    });
    EXPECT_TRUE(QTest::qWaitFor([&] { return answered; }, 20000));
    return out;
}

} // namespace

TEST(TlsTrust, AnUnknownCertificateIsRefusedUntilTrusted)
{
    if (!QSslSocket::supportsSsl())
        GTEST_SKIP() << "no TLS backend";
    QTemporaryDir dir;
    const SelfSigned identity = makeCertificate(dir.path(), u"127.0.0.1"_s);
    ASSERT_FALSE(identity.certificate.isNull());
    TlsServer server(identity);
    ApiSession session(server.url());

    const ApiResult refused = get(session);
    EXPECT_EQ(refused.status, 0);
    EXPECT_EQ(refused.untrustedCertificate, identity.certificate);
    EXPECT_TRUE(refused.message.startsWith(u"The server's certificate is not trusted"_s))
        << refused.message.toStdString();

    // Another certificate trusted: still refused.
    QTemporaryDir otherDir;
    session.trustCertificate(makeCertificate(otherDir.path(), u"other"_s).certificate);
    EXPECT_EQ(get(session).status, 0);

    session.trustCertificate(refused.untrustedCertificate);
    const ApiResult accepted = get(session);
    ASSERT_TRUE(accepted.ok()) << accepted.message.toStdString();
    EXPECT_EQ(accepted.json.object().value(u"username"_s).toString(), u"tls"_s);
}
