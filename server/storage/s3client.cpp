// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "s3client.h"

#include <algorithm>
#include <chrono>
#include <string>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <sodium.h>

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QUrl>
#include <QXmlStreamReader>

#include "server/auth/sodium.h"

namespace pf::server {

Q_LOGGING_CATEGORY(lcS3, "pf.s3")

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

// A listing page of 1,000 keys of 1,024 bytes is about 1.5 MiB of XML.
constexpr std::uint64_t MaxResponseBody = 64ull * 1024 * 1024;
// Bounds the paging loop even against a server whose pages are empty.
constexpr int MaxListPages = 10000;

QByteArray hmacSha256(const QByteArray &key, const QByteArray &message)
{
    // The init/update/final form takes keys of any length ("AWS4" + secret
    // is 44 bytes); crypto_auth_hmacsha256() itself wants exactly 32.
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char *>(key.constData()),
                                size_t(key.size()));
    crypto_auth_hmacsha256_update(&state,
                                  reinterpret_cast<const unsigned char *>(message.constData()),
                                  quint64(message.size()));
    QByteArray mac(crypto_auth_hmacsha256_BYTES, Qt::Uninitialized);
    crypto_auth_hmacsha256_final(&state, reinterpret_cast<unsigned char *>(mac.data()));
    sodium_memzero(&state, sizeof state);
    return mac;
}

bool isUnreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

QByteArray toBytes(std::string_view s)
{
    return QByteArray(s.data(), qsizetype(s.size()));
}

// Whether `bucket` can be a DNS label under the TLS wildcard certificate of
// S3's virtual hosts: no dots, no upper case, no underscores.
bool isVirtualHostable(const QString &bucket)
{
    if (bucket.isEmpty() || bucket.startsWith(u'-') || bucket.endsWith(u'-'))
        return false;
    return std::all_of(bucket.cbegin(), bucket.cend(), [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'-';
    });
}

// Where requests for a location go, worked out once.
struct Target
{
    bool tls = true;
    std::string host;      // to resolve and, with TLS, to verify
    std::string port;      // numeric service
    QByteArray hostHeader; // host[:port], as signed
    QByteArray pathPrefix; // "/bucket" path-style, "" virtual-hosted style
    QString display;       // "https://host[:port]", for messages
    QString error;         // a bad endpoint URL; nothing is sent then
};

Target targetFor(const S3Location &location, const QString &region)
{
    Target t;
    const QByteArray bucketPath = location.bucket.isEmpty()
                                      ? QByteArray()
                                      : '/' + s3UriEncode(location.bucket.toUtf8(), true);
    if (location.endpoint.isEmpty()) {
        const QString domain = region.startsWith(QLatin1String("cn-"))
                                   ? QStringLiteral("amazonaws.com.cn")
                                   : QStringLiteral("amazonaws.com");
        const QString service = QStringLiteral("s3.") + region + u'.' + domain;
        // Names that are no valid label (dots, say) would not match the
        // wildcard certificate of their virtual host: those go path-style.
        const bool virtualHost = isVirtualHostable(location.bucket);
        const QString host = virtualHost ? location.bucket + u'.' + service : service;
        t.host = host.toStdString();
        t.port = "443";
        t.hostHeader = host.toUtf8();
        t.pathPrefix = virtualHost ? QByteArray() : bucketPath;
        t.display = QStringLiteral("https://") + host;
        return t;
    }

    const QUrl url(location.endpoint, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != u"http" && scheme != u"https") || url.host().isEmpty() ||
        url.hasQuery() || url.hasFragment()) {
        t.error = QStringLiteral("The storage endpoint \"%1\" is not an http:// or https:// URL.")
                      .arg(location.endpoint);
        return t;
    }
    t.tls = scheme == u"https";
    const int defaultPort = t.tls ? 443 : 80;
    const int port = url.port(defaultPort);
    const QString host = url.host(QUrl::FullyEncoded);
    const QString hostForHeader = host.contains(u':') ? u'[' + host + u']' : host;
    t.host = host.toStdString();
    t.port = std::to_string(port);
    t.hostHeader =
        (port == defaultPort ? hostForHeader : hostForHeader + u':' + QString::number(port))
            .toUtf8();
    QByteArray basePath = url.path(QUrl::FullyEncoded).toUtf8();
    while (basePath.endsWith('/'))
        basePath.chop(1);
    t.pathPrefix = basePath + bucketPath;
    t.display = scheme + QStringLiteral("://") + QString::fromUtf8(t.hostHeader);
    return t;
}

// S3's <Error><Code>..</Code><Message>..</Message><Region>..</Region></Error>.
struct ErrorBody
{
    QString code;
    QString message;
    QString region;
};

ErrorBody parseErrorBody(const QByteArray &xml)
{
    ErrorBody e;
    QXmlStreamReader r(xml);
    if (!r.readNextStartElement() || r.name() != u"Error")
        return e;
    while (r.readNextStartElement()) {
        if (r.name() == u"Code")
            e.code = r.readElementText();
        else if (r.name() == u"Message")
            e.message = r.readElementText();
        else if (r.name() == u"Region")
            e.region = r.readElementText();
        else
            r.skipCurrentElement();
    }
    return e;
}

QString sentenceEnd(QString s)
{
    s = s.trimmed();
    if (!s.isEmpty() && !s.endsWith(u'.'))
        s += u'.';
    return s;
}

} // namespace

// ---------------------------------------------------------------------------
// Signing

QByteArray sha256Hex(const QByteArray &data)
{
    Sodium::ensureInitialised();
    QByteArray digest(crypto_hash_sha256_BYTES, Qt::Uninitialized);
    crypto_hash_sha256(reinterpret_cast<unsigned char *>(digest.data()),
                       reinterpret_cast<const unsigned char *>(data.constData()),
                       quint64(data.size()));
    return digest.toHex();
}

QByteArray s3UriEncode(const QByteArray &bytes, bool encodeSlash)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    QByteArray out;
    out.reserve(bytes.size() * 3);
    for (const char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        if (isUnreserved(u) || (u == '/' && !encodeSlash)) {
            out += c;
        } else {
            out += '%';
            out += hex[u >> 4];
            out += hex[u & 0xf];
        }
    }
    return out;
}

QByteArray s3CanonicalQuery(const S3Query &query)
{
    QList<QPair<QByteArray, QByteArray>> encoded;
    encoded.reserve(query.size());
    for (const auto &[name, value] : query)
        encoded.append({s3UriEncode(name, true), s3UriEncode(value, true)});
    std::sort(encoded.begin(), encoded.end());
    QByteArray out;
    for (const auto &[name, value] : encoded) {
        if (!out.isEmpty())
            out += '&';
        out += name + '=' + value;
    }
    return out;
}

QByteArray sigV4Authorization(const QByteArray &method, const QByteArray &canonicalUri,
                              const QByteArray &canonicalQuery,
                              const QMap<QByteArray, QByteArray> &headers,
                              const QByteArray &payloadHashHex, const QByteArray &region,
                              const QByteArray &service, const QByteArray &accessKeyId,
                              const QByteArray &secretAccessKey, const QByteArray &amzDate,
                              QByteArray *stringToSign)
{
    Sodium::ensureInitialised();

    // Lower-case names, sorted (the QMap re-sorts them after lower-casing);
    // values trimmed with inner runs of spaces collapsed.
    QMap<QByteArray, QByteArray> canonical;
    for (auto it = headers.cbegin(); it != headers.cend(); ++it)
        canonical.insert(it.key().toLower(), it.value().simplified());
    QByteArray canonicalHeaders;
    QByteArray signedHeaders;
    for (auto it = canonical.cbegin(); it != canonical.cend(); ++it) {
        canonicalHeaders += it.key() + ':' + it.value() + '\n';
        if (!signedHeaders.isEmpty())
            signedHeaders += ';';
        signedHeaders += it.key();
    }

    const QByteArray canonicalRequest = method + '\n' + canonicalUri + '\n' + canonicalQuery +
                                        '\n' + canonicalHeaders + '\n' + signedHeaders + '\n' +
                                        payloadHashHex;
    const QByteArray date = amzDate.left(8);
    const QByteArray scope = date + '/' + region + '/' + service + "/aws4_request";
    const QByteArray toSign =
        "AWS4-HMAC-SHA256\n" + amzDate + '\n' + scope + '\n' + sha256Hex(canonicalRequest);
    if (stringToSign)
        *stringToSign = toSign;

    QByteArray key = hmacSha256("AWS4" + secretAccessKey, date);
    key = hmacSha256(key, region);
    key = hmacSha256(key, service);
    key = hmacSha256(key, "aws4_request");
    const QByteArray signature = hmacSha256(key, toSign).toHex();
    return "AWS4-HMAC-SHA256 Credential=" + accessKeyId + '/' + scope +
           ",SignedHeaders=" + signedHeaders + ",Signature=" + signature;
}

// ---------------------------------------------------------------------------
// ListObjectsV2 answers

std::optional<S3ListPage> parseListObjectsV2(const QByteArray &xml, QString *error)
{
    QXmlStreamReader r(xml);
    if (!r.readNextStartElement() || r.name() != u"ListBucketResult") {
        *error =
            r.hasError() ? r.errorString() : QStringLiteral("the answer is not a ListBucketResult");
        return std::nullopt;
    }
    S3ListPage page;
    while (r.readNextStartElement()) {
        if (r.name() == u"IsTruncated") {
            page.truncated = r.readElementText().trimmed() == u"true";
        } else if (r.name() == u"NextContinuationToken") {
            page.nextContinuationToken = r.readElementText();
        } else if (r.name() == u"Contents") {
            S3Object object;
            bool hasKey = false;
            bool sizeOk = false;
            while (r.readNextStartElement()) {
                if (r.name() == u"Key") {
                    object.key = r.readElementText();
                    hasKey = true;
                } else if (r.name() == u"Size") {
                    object.size = r.readElementText().trimmed().toLongLong(&sizeOk);
                } else if (r.name() == u"LastModified") {
                    object.lastModified =
                        QDateTime::fromString(r.readElementText().trimmed(), Qt::ISODateWithMs)
                            .toUTC();
                } else if (r.name() == u"ETag") {
                    QString etag = r.readElementText().trimmed();
                    if (etag.size() >= 2 && etag.startsWith(u'"') && etag.endsWith(u'"'))
                        etag = etag.mid(1, etag.size() - 2);
                    object.etag = etag;
                } else {
                    r.skipCurrentElement();
                }
            }
            if (!r.hasError() && (!hasKey || !sizeOk || object.size < 0)) {
                *error = QStringLiteral("an entry has no key or no valid size");
                return std::nullopt;
            }
            page.objects.append(std::move(object));
        } else {
            r.skipCurrentElement();
        }
    }
    if (r.hasError()) {
        *error = r.errorString();
        return std::nullopt;
    }
    return page;
}

// ---------------------------------------------------------------------------
// The connection

struct S3Client::Private
{
    Target target;
    QString region;
    std::chrono::milliseconds timeout;
    net::io_context ioc;
    ssl::context tlsContext{ssl::context::tls_client};
    // One of the two is set while connected.
    std::unique_ptr<beast::tcp_stream> plain;
    std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls;
    beast::flat_buffer buffer;

    bool connected() const { return plain || tls; }
    beast::tcp_stream &lowest() { return tls ? beast::get_lowest_layer(*tls) : *plain; }

    void close()
    {
        if (connected()) {
            beast::error_code ignored;
            lowest().socket().close(ignored);
        }
        plain.reset();
        tls.reset();
        buffer.clear();
    }

    // Blocking on asynchronous operations is what makes the timeout work:
    // tcp_stream's deadline applies to asynchronous operations only.
    template <class Start>
    beast::error_code await(Start &&start)
    {
        beast::error_code result = net::error::operation_aborted;
        start([&result](beast::error_code ec, auto &&...) { result = ec; });
        ioc.restart();
        ioc.run();
        return result;
    }

    // Runs `op(stream, handler)` on whichever stream is open.
    template <class Op>
    beast::error_code onStream(Clock::time_point deadline, Op &&op)
    {
        lowest().expires_at(deadline);
        if (tls)
            return await([&](auto handler) { op(*tls, std::move(handler)); });
        return await([&](auto handler) { op(*plain, std::move(handler)); });
    }

    QString transportError(const beast::error_code &ec) const
    {
        if (ec == beast::error::timeout)
            return QStringLiteral("The storage service at %1 did not answer within %2 s.")
                .arg(target.display)
                .arg(double(timeout.count()) / 1000.0);
        if (ec == net::error::connection_refused)
            return QStringLiteral("Cannot reach the storage service at %1: the connection was "
                                  "refused.")
                .arg(target.display);
        if (ec == http::error::body_limit)
            return QStringLiteral("The storage service at %1 sent an answer larger than %2 MiB.")
                .arg(target.display)
                .arg(MaxResponseBody >> 20);
        if (ec.category() == net::error::get_ssl_category() ||
            ec.category() == net::ssl::error::get_stream_category())
            return QStringLiteral("The secure connection to %1 failed (%2); check that the "
                                  "endpoint's certificate is valid for its host name.")
                .arg(target.display, QString::fromStdString(ec.message()));
        return QStringLiteral("Cannot reach the storage service at %1: %2.")
            .arg(target.display, QString::fromStdString(ec.message()));
    }

    // Opens the connection; an error sentence, or empty.
    QString connect(Clock::time_point deadline)
    {
        close();
        // Name resolution is synchronous (getaddrinfo has its own timeouts);
        // endpoints are usually literal addresses or well-known names.
        tcp::resolver resolver(ioc);
        beast::error_code ec;
        const auto endpoints = resolver.resolve(target.host, target.port, ec);
        if (ec)
            return QStringLiteral("Cannot reach the storage service at %1: its host name does "
                                  "not resolve (%2).")
                .arg(target.display, QString::fromStdString(ec.message()));

        if (target.tls) {
            tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(ioc, tlsContext);
            // SNI (for names only: RFC 6066 leaves addresses out), and the
            // certificate must name the host.
            beast::error_code notAnAddress;
            net::ip::make_address(target.host, notAnAddress);
            if (notAnAddress)
                SSL_set_tlsext_host_name(tls->native_handle(), target.host.c_str());
            tls->set_verify_callback(ssl::host_name_verification(target.host));
        } else {
            plain = std::make_unique<beast::tcp_stream>(ioc);
        }
        lowest().expires_at(deadline);
        ec = await([&](auto handler) { lowest().async_connect(endpoints, std::move(handler)); });
        if (!ec && tls) {
            lowest().expires_at(deadline);
            ec = await([&](auto handler) {
                tls->async_handshake(ssl::stream_base::client, std::move(handler));
            });
        }
        if (ec) {
            close();
            return transportError(ec);
        }
        return {};
    }

    S3Response roundTrip(http::request<http::string_body> &req)
    {
        S3Response response;
        const Clock::time_point deadline = Clock::now() + timeout;
        const http::verb verb = req.method();
        const bool idempotent = verb == http::verb::get || verb == http::verb::head ||
                                verb == http::verb::put || verb == http::verb::delete_;
        // A kept-alive connection may have been closed by the server while
        // idle; then the request goes once more on a new one.
        for (int attempt = 0; attempt < 2; ++attempt) {
            const bool reused = connected();
            if (!reused) {
                response.error = connect(deadline);
                if (!response.error.isEmpty())
                    return response;
            }
            beast::error_code ec = onStream(deadline, [&](auto &stream, auto handler) {
                http::async_write(stream, req, std::move(handler));
            });
            http::response_parser<http::string_body> parser;
            parser.body_limit(MaxResponseBody);
            if (verb == http::verb::head)
                parser.skip(true); // a HEAD answer has headers only
            if (!ec)
                ec = onStream(deadline, [&](auto &stream, auto handler) {
                    http::async_read(stream, buffer, parser, std::move(handler));
                });
            if (ec) {
                close();
                if (reused && idempotent && ec != beast::error::timeout && !parser.is_header_done())
                    continue;
                response.error = transportError(ec);
                return response;
            }
            http::response<http::string_body> res = parser.release();
            response.status = int(res.result_int());
            response.body = QByteArray::fromStdString(res.body());
            for (const auto &field : res)
                response.headers.insert(toBytes(field.name_string()).toLower(),
                                        toBytes(field.value()));
            if (!res.keep_alive())
                close();
            return response;
        }
        return response;
    }
};

S3Client::S3Client(S3Location location, int timeoutMs)
    : m_location(std::move(location))
    , d(std::make_unique<Private>())
{
    d->region = m_location.region.isEmpty() ? QStringLiteral("us-east-1") : m_location.region;
    d->target = targetFor(m_location, d->region);
    d->timeout = std::chrono::milliseconds(timeoutMs);
    d->tlsContext.set_options(ssl::context::default_workarounds | ssl::context::no_tlsv1 |
                              ssl::context::no_tlsv1_1);
    d->tlsContext.set_verify_mode(ssl::verify_peer);
    beast::error_code ec;
    d->tlsContext.set_default_verify_paths(ec);
    if (ec)
        qCWarning(lcS3) << "no system CA store:" << QString::fromStdString(ec.message());
}

S3Client::~S3Client() = default;

S3Response S3Client::request(const QByteArray &method, const QString &key, const S3Query &query,
                             const QByteArray &body)
{
    if (!d->target.error.isEmpty()) {
        S3Response response;
        response.error = d->target.error;
        return response;
    }

    QByteArray path = d->target.pathPrefix;
    if (!key.isEmpty() || path.isEmpty())
        path += '/' + s3UriEncode(key.toUtf8(), false);
    const QByteArray canonicalQuery = s3CanonicalQuery(query);
    const QByteArray amzDate =
        QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'")).toLatin1();
    const QByteArray payloadHash = sha256Hex(body);

    QMap<QByteArray, QByteArray> signedHeaders{
        {"host", d->target.hostHeader},
        {"x-amz-content-sha256", payloadHash},
        {"x-amz-date", amzDate},
    };
    if (!m_location.sessionToken.isEmpty())
        signedHeaders.insert("x-amz-security-token", m_location.sessionToken.toUtf8());
    const QByteArray authorization = sigV4Authorization(
        method, path, canonicalQuery, signedHeaders, payloadHash, d->region.toUtf8(), "s3",
        m_location.accessKeyId.toUtf8(), m_location.secretAccessKey.toUtf8(), amzDate);

    http::request<http::string_body> req;
    req.method_string(method.toStdString());
    req.target((canonicalQuery.isEmpty() ? path : path + '?' + canonicalQuery).toStdString());
    req.version(11);
    for (auto it = signedHeaders.cbegin(); it != signedHeaders.cend(); ++it)
        req.set(it.key().toStdString(), it.value().toStdString());
    req.set(http::field::authorization, authorization.toStdString());
    req.set(http::field::user_agent, "pfd");
    req.keep_alive(true);
    req.body() = body.toStdString();
    req.prepare_payload();

    QElapsedTimer timer;
    timer.start();
    S3Response response = d->roundTrip(req);
    qCDebug(lcS3).noquote() << method << d->target.display + QString::fromUtf8(path)
                            << response.status << timer.elapsed() << "ms" << response.error;
    return response;
}

QString S3Client::describeFailure(const S3Response &response) const
{
    if (response.status == 0)
        return response.error;
    const ErrorBody e = parseErrorBody(response.body);
    const QString bucket = m_location.bucket;
    const QString where = d->target.display;
    const QString code = e.code;

    if (code == u"NoSuchBucket" || (response.status == 404 && code.isEmpty()))
        return QStringLiteral("The bucket \"%1\" does not exist at %2.").arg(bucket, where);
    if (code == u"NoSuchKey")
        return QStringLiteral("The object does not exist in the bucket \"%1\" at %2.")
            .arg(bucket, where);
    if (code == u"InvalidAccessKeyId")
        return QStringLiteral("The storage service at %1 does not know the credential's access "
                              "key ID; check aws_access_key_id.")
            .arg(where);
    if (code == u"SignatureDoesNotMatch")
        return QStringLiteral("The storage service at %1 rejected the credential's signature; "
                              "check aws_secret_access_key.")
            .arg(where);
    if (code == u"ExpiredToken" || code == u"InvalidToken" || code == u"TokenRefreshRequired")
        return QStringLiteral("The credential's session token is invalid or has expired.");
    if (code == u"RequestTimeTooSkewed")
        return QStringLiteral("The storage service at %1 rejected the request because this "
                              "server's clock is more than 15 minutes off.")
            .arg(where);
    if (code == u"PermanentRedirect" || code == u"AuthorizationHeaderMalformed" ||
        code == u"IllegalLocationConstraintException" || response.status == 301) {
        QString actual = QString::fromUtf8(response.headers.value("x-amz-bucket-region"));
        if (actual.isEmpty())
            actual = e.region;
        if (!actual.isEmpty() && actual != d->region)
            return QStringLiteral("The bucket \"%1\" is in region %2, not %3; set the dataset's "
                                  "region to %2.")
                .arg(bucket, actual, d->region);
        return QStringLiteral("The bucket \"%1\" is not in region %2 at %3; check the dataset's "
                              "region.")
            .arg(bucket, d->region, where);
    }
    if (code == u"AccessDenied" || code == u"AllAccessDisabled" || response.status == 403)
        return QStringLiteral("The credential is not allowed to read the bucket \"%1\" at %2.")
            .arg(bucket, where);
    const QString detail =
        code.isEmpty() ? QString() : QStringLiteral(" (%1: %2)").arg(code, sentenceEnd(e.message));
    if (response.status >= 500)
        return QStringLiteral("The storage service at %1 failed with HTTP %2%3; try again later.")
            .arg(where)
            .arg(response.status)
            .arg(detail);
    return QStringLiteral("The storage service at %1 answered HTTP %2 for the bucket \"%3\"%4.")
        .arg(where)
        .arg(response.status)
        .arg(bucket, detail);
}

QList<S3Object> S3Client::listObjects(QString *error, qsizetype maxObjects)
{
    error->clear();
    QList<S3Object> objects;
    QString token;
    for (int page = 0; page < MaxListPages; ++page) {
        S3Query query{{"list-type", "2"}};
        if (!m_location.prefix.isEmpty())
            query.append({"prefix", m_location.prefix.toUtf8()});
        if (!token.isEmpty())
            query.append({"continuation-token", token.toUtf8()});
        const S3Response response = request("GET", {}, query);
        if (response.status != 200) {
            *error = describeFailure(response);
            return {};
        }
        QString parseError;
        std::optional<S3ListPage> parsed = parseListObjectsV2(response.body, &parseError);
        if (!parsed) {
            *error =
                QStringLiteral("The storage service at %1 sent a listing pfd cannot read (%2).")
                    .arg(d->target.display, parseError);
            return {};
        }
        if (objects.size() + parsed->objects.size() > maxObjects) {
            const QString where = m_location.prefix.isEmpty()
                                      ? QString()
                                      : QStringLiteral(" under \"%1\"").arg(m_location.prefix);
            *error = QStringLiteral("The bucket \"%1\" holds more than %2 objects%3; link a "
                                    "narrower prefix or list the files yourself.")
                         .arg(m_location.bucket)
                         .arg(maxObjects)
                         .arg(where);
            return {};
        }
        objects += std::move(parsed->objects);
        if (!parsed->truncated)
            return objects;
        // A token that is missing or does not move would page forever.
        if (parsed->nextContinuationToken.isEmpty() || parsed->nextContinuationToken == token) {
            *error = QStringLiteral("The storage service at %1 sent a truncated listing without "
                                    "a new continuation token.")
                         .arg(d->target.display);
            return {};
        }
        token = parsed->nextContinuationToken;
    }
    *error = QStringLiteral("The storage service at %1 sent more than %2 listing pages.")
                 .arg(d->target.display)
                 .arg(MaxListPages);
    return {};
}

QList<S3Object> listObjects(const S3Location &location, QString *error)
{
    return S3Client(location).listObjects(error);
}

} // namespace pf::server
