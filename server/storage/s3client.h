// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <memory>
#include <optional>

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMap>
#include <QPair>
#include <QString>

namespace pf::server {

// A bucket (and a prefix in it) on AWS S3 or on an S3-compatible server, with
// the credential that reads it.
struct S3Location
{
    // "https://s3.us-east-1.amazonaws.com", "http://127.0.0.1:9000", ...: the
    // bucket is then addressed path-style (endpoint/bucket/key). Empty: AWS's
    // endpoint for `region`, addressed virtual-hosted style
    // (https://bucket.s3.region.amazonaws.com/key).
    QString endpoint;
    QString region; // the signing region; empty means us-east-1
    QString bucket;
    QString prefix; // listObjects lists the keys that start with it
    QString accessKeyId;
    QString secretAccessKey;
    QString sessionToken; // optional: temporary credentials
};

struct S3Object
{
    QString key;
    qint64 size = 0;
    QDateTime lastModified; // UTC
    QString etag;           // without the surrounding quotes
};

// One page of a ListObjectsV2 answer.
struct S3ListPage
{
    QList<S3Object> objects;
    bool truncated = false;        // more pages follow
    QString nextContinuationToken; // the next page's continuation-token when truncated
};

// What an S3 request came back with. status is 0 when no HTTP answer was
// read; error then says why in one sentence (unreachable, timeout, TLS).
struct S3Response
{
    int status = 0;
    QByteArray body;
    QMap<QByteArray, QByteArray> headers; // lower-case names
    QString error;
};

// Query parameters, not encoded; the client encodes and sorts them.
using S3Query = QList<QPair<QByteArray, QByteArray>>;

// The Authorization header value of an AWS Signature Version 4 request:
// "AWS4-HMAC-SHA256 Credential=...,SignedHeaders=...,Signature=...".
// canonicalUri and canonicalQuery are already encoded as they are sent (see
// s3UriEncode and s3CanonicalQuery); `headers` are the headers to sign (names
// in any case; values are trimmed), which must include host and x-amz-date;
// amzDate is "yyyyMMddTHHmmssZ". When stringToSign is given it receives the
// string that was signed, for diagnostics. Pure function, any thread.
QByteArray sigV4Authorization(const QByteArray &method, const QByteArray &canonicalUri,
                              const QByteArray &canonicalQuery,
                              const QMap<QByteArray, QByteArray> &headers,
                              const QByteArray &payloadHashHex, const QByteArray &region,
                              const QByteArray &service, const QByteArray &accessKeyId,
                              const QByteArray &secretAccessKey, const QByteArray &amzDate,
                              QByteArray *stringToSign = nullptr);

// AWS's UriEncode: every byte but A-Z a-z 0-9 - . _ ~ as %XX (upper-case
// hex); '/' is kept when encodeSlash is false (object keys in paths).
QByteArray s3UriEncode(const QByteArray &bytes, bool encodeSlash);

// The canonical query string: names and values UriEncoded, sorted by name
// then value, joined with '&'; "name=" for an empty value.
QByteArray s3CanonicalQuery(const S3Query &query);

// Lower-case hex SHA-256 of `data` (the x-amz-content-sha256 of a body).
QByteArray sha256Hex(const QByteArray &data);

// Parses one ListObjectsV2 answer (ListBucketResult). nullopt, with *error
// set, when the XML is malformed or is not a ListBucketResult.
std::optional<S3ListPage> parseListObjectsV2(const QByteArray &xml, QString *error);

// A blocking S3 client for one location, over one kept-alive HTTP/1.1 or
// HTTPS connection (peers verified against the system's CA store). Every
// request is signed with SigV4 and bounded by the timeout; errors come back
// as one sentence a user can act on. Not thread-safe: one thread at a time;
// it blocks, so run it on a worker thread, never on an I/O thread.
//
//   S3Client s3(location);
//   QString error;
//   const QList<S3Object> objects = s3.listObjects(&error);
//   if (!error.isEmpty()) ...
class S3Client final
{
public:
    static constexpr qsizetype DefaultMaxObjects = 100000;
    static constexpr int DefaultTimeoutMs = 30000;

    // timeoutMs bounds each request: connecting, sending and reading.
    explicit S3Client(S3Location location, int timeoutMs = DefaultTimeoutMs);
    ~S3Client();
    S3Client(const S3Client &) = delete;
    S3Client &operator=(const S3Client &) = delete;

    const S3Location &location() const { return m_location; }

    // Lists every object under the location's prefix with ListObjectsV2,
    // following continuation tokens, in the service's order (UTF-8 byte
    // order of the keys on S3). On failure returns an empty list and sets
    // *error (never null) to one sentence; on success clears it. More than
    // maxObjects objects is an error, not a partial list.
    QList<S3Object> listObjects(QString *error, qsizetype maxObjects = DefaultMaxObjects);

    // One signed request on the bucket: `key` empty addresses the bucket
    // itself, and an empty bucket in the location the service. For creating
    // buckets and objects, and for what listObjects does not cover.
    S3Response request(const QByteArray &method, const QString &key, const S3Query &query = {},
                       const QByteArray &body = {});

    // The sentence for a failed answer (status not 2xx, or no answer) of a
    // request on this location's bucket: S3's error code (NoSuchBucket,
    // SignatureDoesNotMatch, ...) turned into what the user should check.
    QString describeFailure(const S3Response &response) const;

private:
    struct Private;
    S3Location m_location;
    std::unique_ptr<Private> d;
};

// S3Client(location).listObjects(error): the objects under the location's
// prefix, or an empty list and *error set.
QList<S3Object> listObjects(const S3Location &location, QString *error);

} // namespace pf::server
