// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "filerequest.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QFile>
#include <QMetaObject>

namespace pf::network {

namespace {

constexpr int kConnectTimeoutMs = 30000;
constexpr int kIoTimeoutS = 60;             // a stalled server: the request fails
constexpr std::size_t kChunk = 1024 * 1024; // read from or written to the file at once

QString systemError(const char *what, int error)
{
    return QStringLiteral("%1: %2").arg(QLatin1StringView(what),
                                        QString::fromLocal8Bit(std::strerror(error)));
}

// For the local file: only the reason, the caller names the file.
QString fileError(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

QString sslError(const char *what)
{
    char text[256] = {};
    ERR_error_string_n(ERR_get_error(), text, sizeof text);
    return QStringLiteral("%1: %2").arg(QLatin1StringView(what), QString::fromLatin1(text));
}

SSL_CTX *sslContext()
{
    static SSL_CTX *context = [] {
        SSL_CTX *c = SSL_CTX_new(TLS_client_method());
        SSL_CTX_set_default_verify_paths(c);
        // The handshake goes on; the result is checked after it (a
        // certificate the user trusted passes too).
        SSL_CTX_set_verify(c, SSL_VERIFY_NONE, nullptr);
        SSL_CTX_set_min_proto_version(c, TLS1_2_VERSION);
        return c;
    }();
    return context;
}

struct Md5
{
    Md5()
        : ctx(EVP_MD_CTX_new())
    {
        EVP_DigestInit_ex(ctx, EVP_md5(), nullptr);
    }
    ~Md5() { EVP_MD_CTX_free(ctx); }
    Md5(const Md5 &) = delete;
    Md5 &operator=(const Md5 &) = delete;
    void add(const char *data, std::size_t n) { EVP_DigestUpdate(ctx, data, n); }
    QByteArray hex()
    {
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int n = 0;
        EVP_DigestFinal_ex(ctx, digest, &n);
        return QByteArray(reinterpret_cast<const char *>(digest), int(n)).toHex();
    }
    EVP_MD_CTX *ctx;
};

// A connected socket, with TLS on it for https.
class Connection
{
public:
    explicit Connection(std::atomic<int> &published)
        : m_published(published)
    {}
    ~Connection()
    {
        m_published = -1;
        if (m_ssl)
            SSL_free(m_ssl);
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;

    bool open(const QUrl &url, const QByteArray &trusted, const std::atomic<bool> &aborted,
              QString *error)
    {
        const bool tls = url.scheme() == QLatin1String("https");
        const QByteArray host = url.host(QUrl::FullyEncoded).toUtf8();
        const QByteArray port = QByteArray::number(url.port(tls ? 443 : 80));
        addrinfo hints{};
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;
        addrinfo *found = nullptr;
        if (const int rc = ::getaddrinfo(host.constData(), port.constData(), &hints, &found);
            rc != 0) {
            *error = QStringLiteral("cannot find %1: %2")
                         .arg(QString::fromUtf8(host), QString::fromLocal8Bit(gai_strerror(rc)));
            return false;
        }
        std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> list(found, &::freeaddrinfo);
        for (addrinfo *a = found; a && m_fd < 0; a = a->ai_next) {
            const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
                                    a->ai_protocol);
            if (fd < 0)
                continue;
            if (::connect(fd, a->ai_addr, a->ai_addrlen) != 0 && errno != EINPROGRESS) {
                *error = systemError("cannot connect", errno);
                ::close(fd);
                continue;
            }
            // Waited for in short steps, so that an abort is seen.
            int waited = 0;
            int ready = 0;
            while (!aborted && waited < kConnectTimeoutMs && ready == 0) {
                pollfd p{fd, POLLOUT, 0};
                ready = ::poll(&p, 1, 100);
                waited += 100;
            }
            int soError = ready > 0 ? 0 : ETIMEDOUT;
            socklen_t len = sizeof soError;
            if (ready > 0)
                ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &len);
            if (soError != 0 || aborted) {
                *error = systemError("cannot connect", soError ? soError : ECANCELED);
                ::close(fd);
                continue;
            }
            m_fd = fd;
        }
        if (m_fd < 0)
            return false;
        m_published = m_fd;
        ::fcntl(m_fd, F_SETFL, ::fcntl(m_fd, F_GETFL) & ~O_NONBLOCK);
        const timeval timeout{kIoTimeoutS, 0};
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        ::setsockopt(m_fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
        const int one = 1;
        ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (!tls)
            return true;
        m_ssl = SSL_new(sslContext());
        SSL_set_fd(m_ssl, m_fd);
        SSL_set_tlsext_host_name(m_ssl, host.constData());
        SSL_set1_host(m_ssl, host.constData());
        if (SSL_connect(m_ssl) != 1) {
            *error = sslError("TLS handshake failed");
            return false;
        }
        if (SSL_get_verify_result(m_ssl) == X509_V_OK)
            return true;
        X509 *peer = SSL_get1_peer_certificate(m_ssl);
        QByteArray der;
        if (peer) {
            unsigned char *bytes = nullptr;
            const int n = i2d_X509(peer, &bytes);
            if (n > 0)
                der = QByteArray(reinterpret_cast<const char *>(bytes), n);
            OPENSSL_free(bytes);
            X509_free(peer);
        }
        if (!trusted.isEmpty() && der == trusted)
            return true;
        *error = QStringLiteral("the server's certificate is not trusted: %1")
                     .arg(QString::fromLatin1(
                         X509_verify_cert_error_string(SSL_get_verify_result(m_ssl))));
        return false;
    }

    bool sendAll(const char *data, std::size_t n, QString *error)
    {
        while (n > 0) {
            const ssize_t sent =
                m_ssl ? SSL_write(m_ssl, data, int(std::min<std::size_t>(n, 1 << 30)))
                      : ::send(m_fd, data, n, MSG_NOSIGNAL);
            if (sent <= 0) {
                if (!m_ssl && sent < 0 && errno == EINTR)
                    continue;
                *error = m_ssl ? sslError("cannot send")
                               : systemError("cannot send", errno == EAGAIN ? ETIMEDOUT : errno);
                return false;
            }
            data += sent;
            n -= std::size_t(sent);
        }
        return true;
    }

    // Bytes read, 0 at the end of the answer, -1 on an error.
    ssize_t receive(char *out, std::size_t n, QString *error)
    {
        for (;;) {
            const ssize_t got = m_ssl ? SSL_read(m_ssl, out, int(std::min<std::size_t>(n, 1 << 30)))
                                      : ::recv(m_fd, out, n, 0);
            if (got >= 0 || (m_ssl && SSL_get_error(m_ssl, int(got)) == SSL_ERROR_ZERO_RETURN))
                return std::max<ssize_t>(got, 0);
            if (!m_ssl && errno == EINTR)
                continue;
            *error = m_ssl ? sslError("cannot receive")
                           : systemError("cannot receive", errno == EAGAIN ? ETIMEDOUT : errno);
            return -1;
        }
    }

private:
    std::atomic<int> &m_published;
    int m_fd = -1;
    SSL *m_ssl = nullptr;
};

} // namespace

FileRequest::FileRequest(Spec spec, QObject *parent)
    : QObject(parent)
    , m_spec(std::move(spec))
{
    // A server that closes early must not kill the studio: writes to a
    // closed socket fail with EPIPE instead (TLS writes included).
    static std::once_flag ignorePipe;
    std::call_once(ignorePipe, [] { std::signal(SIGPIPE, SIG_IGN); });
}

FileRequest::~FileRequest()
{
    abort();
    if (m_thread.joinable())
        m_thread.join();
}

void FileRequest::start()
{
    if (!m_thread.joinable())
        m_thread = std::thread([this] { run(); });
}

void FileRequest::abort()
{
    m_aborted = true;
    if (const int fd = m_socket.load(); fd >= 0)
        ::shutdown(fd, SHUT_RDWR); // what blocks on it returns
}

void FileRequest::run()
{
    Result r;
    const auto done = [&] {
        if (m_aborted)
            return;
        QMetaObject::invokeMethod(
            this,
            [this, r] {
                m_result = r;
                Q_EMIT finished();
            },
            Qt::QueuedConnection);
    };
    const QUrl &url = m_spec.url;
    if (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")) {
        r.error = QStringLiteral("not an http or https URL");
        return done();
    }
    const QByteArray path = m_spec.path.isEmpty() ? QByteArray() : QFile::encodeName(m_spec.path);
    const bool put = m_spec.method == Put;
    int file = -1;
    if (put)
        file = ::open(path.constData(), O_RDONLY | O_CLOEXEC);
    if (put && file < 0) {
        r.error = fileError(errno);
        r.fileError = true;
        return done();
    }
    const std::unique_ptr<int, void (*)(int *)> closeFile(&file, [](int *fd) {
        if (*fd >= 0)
            ::close(*fd);
    });

    Connection c(m_socket);
    if (!c.open(url, m_spec.trustedCertificate, m_aborted, &r.error))
        return done();
    QByteArray target = url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority);
    if (target.isEmpty())
        target = "/";
    QByteArray host = url.host(QUrl::FullyEncoded).toUtf8();
    if (host.contains(':'))
        host = '[' + host + ']';
    if (url.port() > 0)
        host += ':' + QByteArray::number(url.port());
    QByteArray head = (put ? "PUT " : "GET ") + target + " HTTP/1.1\r\nHost: " + host +
                      "\r\nConnection: close\r\n";
    if (put)
        head += "Content-Length: " + QByteArray::number(m_spec.length) + "\r\n";
    for (const auto &[name, value] : m_spec.headers)
        head += name + ": " + value + "\r\n";
    head += "\r\n";
    QString sendError;
    bool sent = c.sendAll(head.constData(), std::size_t(head.size()), &sendError);

    std::vector<char> buffer(kChunk);
    Md5 md5;
    if (put && sent) {
        for (qint64 at = 0; at < m_spec.length && !m_aborted;) {
            const std::size_t want =
                std::size_t(std::min<qint64>(qint64(kChunk), m_spec.length - at));
            const ssize_t n = ::pread(file, buffer.data(), want, off_t(m_spec.offset + at));
            if (n <= 0) {
                r.error =
                    n == 0 ? QStringLiteral("the file is shorter than it was") : fileError(errno);
                r.fileError = true;
                return done();
            }
            md5.add(buffer.data(), std::size_t(n));
            if (!c.sendAll(buffer.data(), std::size_t(n), &sendError)) {
                sent = false; // the server may have answered already (an error)
                break;
            }
            at += n;
            r.bytes = at;
        }
    }
    if (m_aborted)
        return;

    // The answer's head.
    std::string in;
    std::size_t headEnd = std::string::npos;
    while (headEnd == std::string::npos) {
        if (in.size() > std::size_t(kMaxHeaderBytes)) {
            r.error = QStringLiteral("the answer's headers are too long");
            return done();
        }
        const ssize_t n = c.receive(buffer.data(), 64 * 1024, &r.error);
        if (n <= 0) {
            if (!sent)
                r.error = sendError;
            else if (n == 0)
                r.error = QStringLiteral("the server closed the connection without an answer");
            return done();
        }
        in.append(buffer.data(), std::size_t(n));
        headEnd = in.find("\r\n\r\n");
    }
    const QList<QByteArray> lines = QByteArray(in.data(), qsizetype(headEnd)).split('\n');
    const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
    if (statusLine.size() < 2 || !statusLine.first().startsWith("HTTP/1.")) {
        r.error = QStringLiteral("not an HTTP answer");
        return done();
    }
    r.status = statusLine.at(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines.at(i).indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = lines.at(i).left(colon).trimmed().toLower();
        const QByteArray value = lines.at(i).mid(colon + 1).trimmed();
        QByteArray &slot = r.headers[name];
        slot = slot.isEmpty() ? value : slot + ", " + value;
    }
    if (put) {
        r.md5Hex = md5.hex();
        return done(); // the body of a PUT's answer is not needed
    }
    if (r.status != m_spec.expected)
        return done();

    // A GET's body, into the file's region.
    if (r.headers.value("transfer-encoding").toLower().contains("chunked")) {
        r.error = QStringLiteral("a chunked answer where a file was expected");
        return done();
    }
    file = ::open(path.constData(),
                  O_WRONLY | O_CREAT | O_CLOEXEC | (m_spec.truncate ? O_TRUNC : 0), 0644);
    if (file < 0) {
        r.error = fileError(errno);
        r.fileError = true;
        return done();
    }
    const auto write = [&](const char *data, std::size_t n) {
        if (r.bytes + qint64(n) > m_spec.length) {
            r.error = QStringLiteral("the server sent more than the %1 bytes asked for")
                          .arg(m_spec.length);
            return false;
        }
        for (std::size_t off = 0; off < n;) {
            const ssize_t w = ::pwrite(file, data + off, n - off, off_t(m_spec.offset + r.bytes));
            if (w <= 0) {
                r.error = fileError(errno);
                r.fileError = true;
                return false;
            }
            md5.add(data + off, std::size_t(w));
            off += std::size_t(w);
            r.bytes += w;
        }
        return true;
    };
    if (!write(in.data() + headEnd + 4, in.size() - headEnd - 4))
        return done();
    bool ok = true;
    const qint64 declared = r.headers.value("content-length", "-1").toLongLong();
    while (ok && !m_aborted && (declared < 0 || r.bytes < declared)) {
        const ssize_t n = c.receive(buffer.data(), buffer.size(), &r.error);
        if (n < 0)
            return done();
        if (n == 0)
            break; // the end, or cut short: the caller compares the bytes
        ok = write(buffer.data(), std::size_t(n));
    }
    r.md5Hex = md5.hex();
    done();
}

} // namespace pf::network
