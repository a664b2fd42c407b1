// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// FileRequest against servers that misbehave, which a real pfd does not on
// demand (its happy paths run in the transfer tests against pfd): answers
// that are not HTTP, endless headers, more body than asked for, a chunked
// body, a connection closed without an answer or cut short, nothing
// listening, a file that cannot be read or written, a stalled server
// aborted, and https with a certificate no CA vouches for, refused until it
// is the one trusted.

#include <gtest/gtest.h>

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>

#include "network/filerequest.h"
#include "tests/support/apiwait.h"

using namespace Qt::StringLiterals;
using pf::network::FileRequest;

namespace {

// Reads a request's head (and as much body as its Content-Length says),
// then writes `answer` as it is and closes; `answer` empty: says nothing
// and keeps the connection open.
class RawServer
{
public:
    explicit RawServer(QByteArray answer, QTcpServer *server = nullptr)
        : m_answer(std::move(answer))
        , m_server(server ? server : &m_plain)
    {
        QObject::connect(m_server, &QTcpServer::pendingConnectionAvailable, m_server, [this] {
            while (QTcpSocket *socket = m_server->nextPendingConnection())
                serve(socket);
        });
        EXPECT_TRUE(m_server->listen(QHostAddress::LocalHost));
    }
    QUrl url(const QString &scheme = u"http"_s) const
    {
        return QUrl(u"%1://127.0.0.1:%2"_s.arg(scheme).arg(m_server->serverPort()) +
                    u"/storage/x?sig=a%2Fb"_s);
    }
    QByteArray request() const { return m_request; }

private:
    void serve(QTcpSocket *socket)
    {
        QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
            m_request += socket->readAll();
            const qsizetype end = m_request.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            qint64 length = 0;
            for (const QByteArray &line : m_request.left(end).split('\n'))
                if (line.toLower().startsWith("content-length:"))
                    length = line.mid(15).trimmed().toLongLong();
            if (m_request.size() < end + 4 + length || m_answer.isEmpty())
                return;
            socket->write(m_answer);
            socket->disconnectFromHost();
        });
    }

    QByteArray m_answer;
    QTcpServer m_plain;
    QTcpServer *m_server;
    QByteArray m_request;
};

FileRequest::Result run(FileRequest::Spec spec)
{
    FileRequest r(std::move(spec));
    QSignalSpy finished(&r, &FileRequest::finished);
    r.start();
    EXPECT_TRUE(pf::test::spinUntil([&] { return finished.size() > 0; }, 20000));
    EXPECT_EQ(finished.size(), 1);
    return r.result();
}

FileRequest::Spec getInto(const QString &path, const QUrl &url, qint64 length, int expected = 206)
{
    return {FileRequest::Get, url, {{"Range", "bytes=0-9"}}, path, 0, length, expected};
}

QByteArray answer(const QByteArray &status, const QByteArray &headers, const QByteArray &body)
{
    return "HTTP/1.1 " + status + "\r\n" + headers + "Connection: close\r\n\r\n" + body;
}

} // namespace

TEST(FileRequest, AGetWritesItsRangeAndSendsWhatItWasGiven)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"out.bin"_s);
    RawServer server(
        answer("206 Partial Content", "Content-Length: 10\r\nETag: \"abc\"\r\n", "0123456789"));
    FileRequest::Spec spec = getInto(path, server.url(), 10);
    spec.offset = 5; // written at 5..14
    spec.headers.append(std::pair<QByteArray, QByteArray>("If-Match", "\"abc\""));
    const FileRequest::Result r = run(spec);
    EXPECT_EQ(r.status, 206);
    EXPECT_TRUE(r.error.isEmpty()) << r.error.toStdString();
    EXPECT_EQ(r.bytes, 10);
    EXPECT_EQ(r.headers.value("etag"), "\"abc\"");
    EXPECT_EQ(r.md5Hex, QCryptographicHash::hash("0123456789", QCryptographicHash::Md5).toHex());
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    EXPECT_EQ(f.readAll(), QByteArray(5, '\0') + "0123456789");
    // The signed URL's query went as it was, with the headers asked for.
    EXPECT_TRUE(server.request().startsWith("GET /storage/x?sig=a%2Fb HTTP/1.1\r\n"))
        << server.request().toStdString();
    EXPECT_TRUE(server.request().contains("\r\nRange: bytes=0-9\r\n"));
    EXPECT_TRUE(server.request().contains("\r\nIf-Match: \"abc\"\r\n"));
}

TEST(FileRequest, APutSendsItsRegionAndHashesIt)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"in.bin"_s);
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write("....payload....");
    f.close();
    RawServer server(answer("200 OK", "Content-Length: 0\r\nETag: \"x\"\r\n", {}));
    const FileRequest::Result r = run({FileRequest::Put,
                                       server.url(),
                                       {{"Content-Type", "application/octet-stream"}},
                                       path,
                                       4,
                                       7});
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.bytes, 7);
    EXPECT_EQ(r.md5Hex, QCryptographicHash::hash("payload", QCryptographicHash::Md5).toHex());
    EXPECT_TRUE(server.request().endsWith("\r\nContent-Length: 7\r\n"
                                          "Content-Type: application/octet-stream\r\n\r\npayload"))
        << server.request().toStdString();
}

TEST(FileRequest, MisbehavingServersGiveAClearErrorAndWriteNothingWrong)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"out.bin"_s);
    const auto fileSize = [&] { return QFileInfo(path).size(); };
    {
        RawServer server("SSH-2.0-OpenSSH_9.2\r\n\r\n");
        const auto r = run(getInto(path, server.url(), 10));
        EXPECT_EQ(r.status, 0);
        EXPECT_EQ(r.error, u"not an HTTP answer"_s);
    }
    {
        RawServer server("HTTP/1.1 200 OK\r\nX-Long: " + QByteArray(200 * 1024, 'a') + "\r\n\r\n");
        const auto r = run(getInto(path, server.url(), 10));
        EXPECT_EQ(r.status, 0);
        EXPECT_EQ(r.error, u"the answer's headers are too long"_s);
    }
    {
        // 20 bytes where 10 were asked for: the first 10 only, and an error.
        RawServer server(answer("206 Partial", "Content-Length: 20\r\n", QByteArray(20, 'z')));
        const auto r = run(getInto(path, server.url(), 10));
        EXPECT_EQ(r.error, u"the server sent more than the 10 bytes asked for"_s);
        EXPECT_LE(fileSize(), 10);
    }
    {
        RawServer server(answer("206 Partial", "Transfer-Encoding: chunked\r\n",
                                "a\r\n0123456789\r\n0\r\n\r\n"));
        const auto r = run(getInto(path, server.url(), 10));
        EXPECT_EQ(r.error, u"a chunked answer where a file was expected"_s);
    }
    {
        // Cut short: 4 of 10 bytes, then the connection closes.
        RawServer server(answer("206 Partial", "Content-Length: 10\r\n", "0123"));
        const auto r = run(getInto(path, server.url(), 10));
        EXPECT_TRUE(r.error.isEmpty());
        EXPECT_EQ(r.bytes, 4); // the caller compares with what it asked for
    }
    {
        // An error answer: its body is not written into the file.
        QFile::remove(path);
        RawServer server(answer("403 Forbidden", "Content-Length: 9\r\n", "{\"x\":\"y\"}"));
        const auto r = run(getInto(path, server.url(), 10));
        EXPECT_EQ(r.status, 403);
        EXPECT_EQ(r.bytes, 0);
        EXPECT_FALSE(QFileInfo::exists(path));
    }
    {
        QTcpServer closing;
        ASSERT_TRUE(closing.listen(QHostAddress::LocalHost));
        QObject::connect(&closing, &QTcpServer::pendingConnectionAvailable, &closing, [&] {
            while (QTcpSocket *s = closing.nextPendingConnection())
                s->close();
        });
        const auto r =
            run(getInto(path, QUrl(u"http://127.0.0.1:%1/x"_s.arg(closing.serverPort())), 10));
        EXPECT_EQ(r.status, 0);
        EXPECT_FALSE(r.error.isEmpty());
    }
    {
        QTcpServer gone;
        ASSERT_TRUE(gone.listen(QHostAddress::LocalHost));
        const quint16 port = gone.serverPort();
        gone.close();
        const auto r = run(getInto(path, QUrl(u"http://127.0.0.1:%1/x"_s.arg(port)), 10));
        EXPECT_EQ(r.status, 0);
        EXPECT_TRUE(r.error.startsWith(u"cannot connect"_s)) << r.error.toStdString();
    }
    {
        const auto r = run(getInto(path, QUrl(u"ftp://127.0.0.1/x"_s), 10));
        EXPECT_EQ(r.error, u"not an http or https URL"_s);
    }
}

TEST(FileRequest, FilesThatCannotBeReadOrWrittenAreFileErrors)
{
    QTemporaryDir dir;
    RawServer server(answer("200 OK", "Content-Length: 3\r\n", "abc"));
    const auto put = run({FileRequest::Put, server.url(), {}, dir.filePath(u"missing"_s), 0, 5});
    EXPECT_TRUE(put.fileError);
    EXPECT_EQ(put.error, u"No such file or directory"_s);
    // A region beyond the file's end: it shrank since it was listed.
    const QString small = dir.filePath(u"small"_s);
    QFile f(small);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write("ab");
    f.close();
    const auto shrunk = run({FileRequest::Put, server.url(), {}, small, 0, 5});
    EXPECT_TRUE(shrunk.fileError);
    EXPECT_EQ(shrunk.error, u"the file is shorter than it was"_s);
    // Into a folder that does not exist.
    const auto get =
        run({FileRequest::Get, server.url(), {}, dir.filePath(u"no/such/dir/x"_s), 0, 3, 200});
    EXPECT_TRUE(get.fileError);
    EXPECT_EQ(get.error, u"No such file or directory"_s);
}

TEST(FileRequest, AStalledRequestIsAbortedAtOnceAndSaysNothing)
{
    QTemporaryDir dir;
    RawServer silent({}); // reads the request, never answers
    auto *r = new FileRequest(getInto(dir.filePath(u"x"_s), silent.url(), 10));
    QSignalSpy finished(r, &FileRequest::finished);
    r->start();
    ASSERT_TRUE(pf::test::spinUntil([&] { return !silent.request().isEmpty(); }, 10000));
    QElapsedTimer t;
    t.start();
    delete r; // aborts, waits for the thread
    EXPECT_LT(t.elapsed(), 2000);
    EXPECT_EQ(finished.size(), 0);
}

TEST(FileRequest, HttpsRefusesAnUnknownCertificateUntilItIsTheTrustedOne)
{
    if (!QSslSocket::supportsSsl())
        GTEST_SKIP() << "no TLS backend";
    QTemporaryDir dir;
    QProcess openssl;
    openssl.start(u"openssl"_s,
                  {u"req"_s, u"-x509"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s, u"-keyout"_s,
                   dir.filePath(u"key.pem"_s), u"-out"_s, dir.filePath(u"cert.pem"_s), u"-days"_s,
                   u"1"_s, u"-subj"_s, u"/CN=127.0.0.1"_s});
    ASSERT_TRUE(openssl.waitForFinished(60000));
    ASSERT_EQ(openssl.exitCode(), 0);
    QFile certFile(dir.filePath(u"cert.pem"_s));
    QFile keyFile(dir.filePath(u"key.pem"_s));
    ASSERT_TRUE(certFile.open(QIODevice::ReadOnly) && keyFile.open(QIODevice::ReadOnly));
    const QSslCertificate certificate(certFile.readAll());
    QSslServer tls;
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificate(certificate);
    config.setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Rsa));
    tls.setSslConfiguration(config);
    RawServer server(answer("200 OK", "Content-Length: 5\r\n", "hello"), &tls);
    const QString path = dir.filePath(u"out.bin"_s);

    const auto refused = run(getInto(path, server.url(u"https"_s), 5, 200));
    EXPECT_EQ(refused.status, 0);
    EXPECT_TRUE(refused.error.startsWith(u"the server's certificate is not trusted"_s))
        << refused.error.toStdString();
    EXPECT_FALSE(QFileInfo::exists(path));

    FileRequest::Spec trusted = getInto(path, server.url(u"https"_s), 5, 200);
    trusted.trustedCertificate = certificate.toDer();
    const auto accepted = run(trusted);
    EXPECT_EQ(accepted.status, 200) << accepted.error.toStdString();
    QFile out(path);
    ASSERT_TRUE(out.open(QIODevice::ReadOnly));
    EXPECT_EQ(out.readAll(), "hello");
}
