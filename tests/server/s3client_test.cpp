// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <algorithm>
#include <map>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <gtest/gtest.h>

#include <QCryptographicHash>

#include "server/storage/s3client.h"
#include "tests/server/servertestutil.h"
#include "tests/support/s3testserver.h"

using namespace Qt::StringLiterals;
using pf::server::S3Client;
using pf::server::S3ListPage;
using pf::server::S3Location;
using pf::server::S3Object;
using pf::server::S3Response;
using pf::server::sigV4Authorization;
using pf::test::S3TestServer;

namespace {

// ---------------------------------------------------------------------------
// Signature Version 4, against the worked examples of the Amazon S3 API
// reference ("Signature Calculations for the Authorization Header:
// Transferring Payload in a Single Chunk"): bucket examplebucket in
// us-east-1, 2013-05-24T00:00:00Z, the documentation's example key pair.

const QByteArray ExampleAccessKey = "AKIAIOSFODNN7EXAMPLE";
const QByteArray ExampleSecretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const QByteArray ExampleDate = "20130524T000000Z";
const QByteArray ExampleHost = "examplebucket.s3.amazonaws.com";
const QByteArray EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

QByteArray signatureOf(const QByteArray &authorization)
{
    return authorization.mid(authorization.indexOf("Signature=") + 10);
}

QByteArray exampleAuthorization(const QByteArray &method, const QByteArray &uri,
                                const QByteArray &query, QMap<QByteArray, QByteArray> headers,
                                const QByteArray &payloadHash, QByteArray *stringToSign = nullptr)
{
    headers.insert("Host", ExampleHost);
    headers.insert("x-amz-date", ExampleDate);
    headers.insert("x-amz-content-sha256", payloadHash);
    return sigV4Authorization(method, uri, query, headers, payloadHash, "us-east-1", "s3",
                              ExampleAccessKey, ExampleSecretKey, ExampleDate, stringToSign);
}

TEST(S3SigV4, HashesAndEncodes)
{
    EXPECT_EQ(pf::server::sha256Hex({}), EmptySha256);
    EXPECT_EQ(pf::server::s3UriEncode("/test$file.text", false), "/test%24file.text");
    EXPECT_EQ(pf::server::s3UriEncode("a b/c~d_e-f.g+h=", true), "a%20b%2Fc~d_e-f.g%2Bh%3D");
    EXPECT_EQ(pf::server::s3UriEncode("caf\xc3\xa9", false), "caf%C3%A9");
    // Sorted by name, empty values keep their '='.
    EXPECT_EQ(pf::server::s3CanonicalQuery({{"prefix", "J"}, {"max-keys", "2"}}),
              "max-keys=2&prefix=J");
    EXPECT_EQ(pf::server::s3CanonicalQuery({{"lifecycle", ""}}), "lifecycle=");
    EXPECT_EQ(pf::server::s3CanonicalQuery({{"prefix", "a b/c"}, {"list-type", "2"}}),
              "list-type=2&prefix=a%20b%2Fc");
}

TEST(S3SigV4, GetObjectExample)
{
    QByteArray stringToSign;
    const QByteArray authorization = exampleAuthorization(
        "GET", "/test.txt", {}, {{"Range", "bytes=0-9"}}, EmptySha256, &stringToSign);
    // The documented hash of the canonical request ends the string to sign.
    EXPECT_EQ(stringToSign, "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/"
                            "aws4_request\n"
                            "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
    EXPECT_EQ(authorization,
              "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
              "aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
              "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(S3SigV4, PutObjectExample)
{
    const QByteArray body = "Welcome to Amazon S3.";
    const QByteArray payloadHash = pf::server::sha256Hex(body);
    EXPECT_EQ(payloadHash, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
    const QByteArray authorization = exampleAuthorization(
        "PUT", pf::server::s3UriEncode("/test$file.text", false), {},
        {{"Date", "Fri, 24 May 2013 00:00:00 GMT"}, {"x-amz-storage-class", "REDUCED_REDUNDANCY"}},
        payloadHash);
    EXPECT_TRUE(authorization.contains(
        "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,"));
    EXPECT_EQ(signatureOf(authorization),
              "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
}

TEST(S3SigV4, BucketSubresourceExample)
{
    const QByteArray authorization = exampleAuthorization(
        "GET", "/", pf::server::s3CanonicalQuery({{"lifecycle", ""}}), {}, EmptySha256);
    EXPECT_EQ(signatureOf(authorization),
              "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
}

TEST(S3SigV4, ListObjectsExample)
{
    QByteArray stringToSign;
    const QByteArray authorization = exampleAuthorization(
        "GET", "/", pf::server::s3CanonicalQuery({{"prefix", "J"}, {"max-keys", "2"}}), {},
        EmptySha256, &stringToSign);
    EXPECT_TRUE(stringToSign.endsWith(
        "\ndf57d21db20da04d7fa30298dd4488ba3a2b47ca3a489c74750e0f1e7df1b9b7"));
    EXPECT_EQ(signatureOf(authorization),
              "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

TEST(S3SigV4, HeaderNamesAndValuesAreCanonicalised)
{
    // Upper-case names and padded values sign the same as canonical ones.
    const QByteArray a =
        exampleAuthorization("GET", "/test.txt", {}, {{"RANGE", "  bytes=0-9 "}}, EmptySha256);
    EXPECT_EQ(signatureOf(a), "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

// ---------------------------------------------------------------------------
// ListObjectsV2 answers

const QByteArray FirstPage = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>examplebucket</Name>
  <Prefix>photos/</Prefix>
  <KeyCount>3</KeyCount>
  <MaxKeys>3</MaxKeys>
  <IsTruncated>true</IsTruncated>
  <ContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</ContinuationToken>
  <NextContinuationToken>1w41l63U0xa8q7smH50vCxyTQqdxo69O3EmK28Bi5PcROI4wI/EyIJg==</NextContinuationToken>
  <StartAfter>photos/2005</StartAfter>
  <Contents>
    <Key>photos/2006/January/sample.jpg</Key>
    <LastModified>2011-02-26T01:56:20.000Z</LastModified>
    <ETag>&quot;bf1d737a4d46a19f3bced6905cc8b902&quot;</ETag>
    <Size>142863</Size>
    <StorageClass>STANDARD</StorageClass>
    <Owner><ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID><DisplayName>mtd</DisplayName></Owner>
  </Contents>
  <Contents>
    <Key>photos/2006/Feb &amp; March/a &lt;b&gt;.jpg</Key>
    <LastModified>2011-02-27T10:00:00.123Z</LastModified>
    <ETag>"9b2cf535f27731c974343645a3985328-2"</ETag>
    <Size>0</Size>
    <StorageClass>STANDARD</StorageClass>
  </Contents>
  <Contents>
    <Key>photos/2006/caf&#233;.jpg</Key>
    <LastModified>2011-02-28T00:00:00.000Z</LastModified>
    <ETag>"d41d8cd98f00b204e9800998ecf8427e"</ETag>
    <Size>5368709120</Size>
    <StorageClass>STANDARD_IA</StorageClass>
  </Contents>
</ListBucketResult>)";

TEST(S3ListParse, PageWithContinuationToken)
{
    QString error;
    const std::optional<S3ListPage> page = pf::server::parseListObjectsV2(FirstPage, &error);
    ASSERT_TRUE(page) << error.toStdString();
    EXPECT_TRUE(page->truncated);
    EXPECT_EQ(page->nextContinuationToken,
              u"1w41l63U0xa8q7smH50vCxyTQqdxo69O3EmK28Bi5PcROI4wI/EyIJg=="_s);
    ASSERT_EQ(page->objects.size(), 3);

    const S3Object &first = page->objects[0];
    EXPECT_EQ(first.key, u"photos/2006/January/sample.jpg"_s);
    EXPECT_EQ(first.size, 142863);
    EXPECT_EQ(first.etag, u"bf1d737a4d46a19f3bced6905cc8b902"_s);
    EXPECT_EQ(first.lastModified, QDateTime(QDate(2011, 2, 26), QTime(1, 56, 20), Qt::UTC));

    EXPECT_EQ(page->objects[1].key, u"photos/2006/Feb & March/a <b>.jpg"_s);
    EXPECT_EQ(page->objects[1].size, 0);
    EXPECT_EQ(page->objects[1].etag, u"9b2cf535f27731c974343645a3985328-2"_s);
    EXPECT_EQ(page->objects[1].lastModified.time().msec(), 123);
    EXPECT_EQ(page->objects[2].key, u"photos/2006/caf\u00e9.jpg"_s);
    EXPECT_EQ(page->objects[2].size, 5368709120LL); // past 32 bits
}

TEST(S3ListParse, LastAndEmptyPages)
{
    QString error;
    const auto last = pf::server::parseListObjectsV2(
        R"(<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name>)"
        R"(<KeyCount>1</KeyCount><IsTruncated>false</IsTruncated><Contents><Key>k</Key>)"
        R"(<Size>7</Size></Contents></ListBucketResult>)",
        &error);
    ASSERT_TRUE(last) << error.toStdString();
    EXPECT_FALSE(last->truncated);
    EXPECT_TRUE(last->nextContinuationToken.isEmpty());
    ASSERT_EQ(last->objects.size(), 1);
    EXPECT_EQ(last->objects[0].size, 7);

    const auto empty = pf::server::parseListObjectsV2(
        "<ListBucketResult><KeyCount>0</KeyCount><IsTruncated>false</IsTruncated>"
        "</ListBucketResult>",
        &error);
    ASSERT_TRUE(empty) << error.toStdString();
    EXPECT_TRUE(empty->objects.isEmpty());
}

TEST(S3ListParse, RejectsWhatIsNotAListing)
{
    QString error;
    EXPECT_FALSE(pf::server::parseListObjectsV2(
        "<Error><Code>NoSuchBucket</Code><Message>nope</Message></Error>", &error));
    EXPECT_FALSE(error.isEmpty());
    error.clear();
    EXPECT_FALSE(pf::server::parseListObjectsV2(FirstPage.left(FirstPage.size() / 2), &error));
    EXPECT_FALSE(error.isEmpty());
    error.clear();
    EXPECT_FALSE(pf::server::parseListObjectsV2(
        "<ListBucketResult><Contents><Key>k</Key><Size>x</Size></Contents></ListBucketResult>",
        &error));
    EXPECT_FALSE(error.isEmpty());
    error.clear();
    EXPECT_FALSE(pf::server::parseListObjectsV2({}, &error));
    EXPECT_FALSE(error.isEmpty());
}

// ---------------------------------------------------------------------------
// Failures that need no S3 server

// A port on 127.0.0.1 that nothing listens on (bound, then released).
unsigned short closedPort()
{
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::acceptor acceptor(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
    return acceptor.local_endpoint().port();
}

TEST(S3ClientErrors, UnreachableEndpoint)
{
    S3Location location;
    location.endpoint = u"http://127.0.0.1:%1"_s.arg(closedPort());
    location.bucket = u"b"_s;
    QString error;
    const QList<S3Object> objects = pf::server::listObjects(location, &error);
    EXPECT_TRUE(objects.isEmpty());
    EXPECT_EQ(error, u"Cannot reach the storage service at %1: the connection was refused."_s.arg(
                         location.endpoint));
}

TEST(S3ClientErrors, EndpointThatNeverAnswers)
{
    // Listening but never accepting: the kernel completes the handshake,
    // nothing reads the request, so only the timeout ends the wait.
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::acceptor silent(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
    S3Location location;
    location.endpoint = u"http://127.0.0.1:%1"_s.arg(silent.local_endpoint().port());
    location.bucket = u"b"_s;
    S3Client client(location, 300);
    QString error;
    client.listObjects(&error);
    EXPECT_EQ(error,
              u"The storage service at %1 did not answer within 0.3 s."_s.arg(location.endpoint));
}

TEST(S3ClientErrors, BadEndpointUrl)
{
    S3Location location;
    location.endpoint = u"ftp://example.org"_s;
    location.bucket = u"b"_s;
    QString error;
    pf::server::listObjects(location, &error);
    EXPECT_EQ(error, u"The storage endpoint \"ftp://example.org\" is not an http:// or https:// "
                     u"URL."_s);
}

TEST(S3ClientErrors, DescribesS3ErrorCodes)
{
    S3Location location;
    location.endpoint = u"http://127.0.0.1:9"_s;
    location.bucket = u"data"_s;
    location.region = u"us-east-1"_s;
    const S3Client client(location);
    auto answer = [](int status, const QByteArray &code,
                     QMap<QByteArray, QByteArray> headers = {}) {
        S3Response r;
        r.status = status;
        r.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code +
                 "</Code><Message>m</Message></Error>";
        r.headers = std::move(headers);
        return r;
    };
    EXPECT_EQ(client.describeFailure(answer(404, "NoSuchBucket")),
              u"The bucket \"data\" does not exist at http://127.0.0.1:9."_s);
    EXPECT_TRUE(client.describeFailure(answer(403, "SignatureDoesNotMatch"))
                    .contains(u"aws_secret_access_key"_s));
    EXPECT_TRUE(
        client.describeFailure(answer(403, "InvalidAccessKeyId")).contains(u"aws_access_key_id"_s));
    EXPECT_EQ(client.describeFailure(answer(403, "AccessDenied")),
              u"The credential is not allowed to read the bucket \"data\" at "
              u"http://127.0.0.1:9."_s);
    EXPECT_EQ(client.describeFailure(
                  answer(301, "PermanentRedirect", {{"x-amz-bucket-region", "eu-west-1"}})),
              u"The bucket \"data\" is in region eu-west-1, not us-east-1; set the dataset's "
              u"region to eu-west-1."_s);
    EXPECT_EQ(client.describeFailure(answer(503, "SlowDown")),
              u"The storage service at http://127.0.0.1:9 failed with HTTP 503 (SlowDown: m.); "
              u"try again later."_s);
}

TEST(S3ClientErrors, NamesTheHostItAddresses)
{
    // AWS without an endpoint: virtual-hosted style when the bucket name can
    // be a host label, path-style on the regional host otherwise.
    auto whereIs = [](const QString &endpoint, const QString &bucket, const QString &region) {
        S3Location location;
        location.endpoint = endpoint;
        location.bucket = bucket;
        location.region = region;
        S3Response missing;
        missing.status = 404;
        missing.body = "<Error><Code>NoSuchBucket</Code></Error>";
        return S3Client(location).describeFailure(missing);
    };
    EXPECT_EQ(whereIs({}, u"my-data"_s, u"eu-west-1"_s),
              u"The bucket \"my-data\" does not exist at "
              u"https://my-data.s3.eu-west-1.amazonaws.com."_s);
    EXPECT_EQ(whereIs({}, u"my.data"_s, {}),
              u"The bucket \"my.data\" does not exist at https://s3.us-east-1.amazonaws.com."_s);
    EXPECT_EQ(whereIs({}, u"Old_Bucket"_s, u"us-east-1"_s),
              u"The bucket \"Old_Bucket\" does not exist at "
              u"https://s3.us-east-1.amazonaws.com."_s);
    EXPECT_EQ(whereIs(u"http://minio.lan:9000/"_s, u"b"_s, {}),
              u"The bucket \"b\" does not exist at http://minio.lan:9000."_s);
    EXPECT_EQ(whereIs(u"https://storage.example.org:443"_s, u"b"_s, {}),
              u"The bucket \"b\" does not exist at https://storage.example.org."_s);
}

// ---------------------------------------------------------------------------
// Against a real S3-compatible server (tests/support/s3testserver.h)

// One server and one bucket for the suite: a few objects, and for the tests
// that page, 1,200 more under "train/" (more than the 1,000 keys of one
// listing page), put once per process by fillPaged().
class S3Live : public ::testing::Test
{
protected:
    static constexpr int PagedObjects = 1200;

    static void SetUpTestSuite()
    {
        s_server = std::make_unique<S3TestServer>();
        s_startError = s_server->start();
        if (!s_startError.isEmpty())
            return;
        S3Client s3(s_server->location(u"datasets"_s));
        const S3Response bucket = s3.request("PUT", {});
        if (bucket.status != 200) {
            s_startError = u"creating the bucket: "_s + s3.describeFailure(bucket);
            return;
        }
        std::map<QString, QByteArray> few;
        few[u"train/sub dir/caf\u00e9, co (1).txt"_s] = "non-ASCII key with spaces";
        // Starts like the prefix without being under it. (Not "train.txt":
        // this server lists a folder's keys before its sibling files, so
        // "train.txt" would come after "train/..." and fall behind the
        // continuation token; S3 lists in UTF-8 byte order.)
        few[u"trainer.txt"_s] = "next to the prefix, outside it";
        few[u"test/a.bin"_s] = "another prefix";
        few[u"README"_s] = "at the root";
        s_startError = put(s3, few);
    }

    static void TearDownTestSuite() { s_server.reset(); }

    void SetUp() override { ASSERT_TRUE(s_startError.isEmpty()) << s_startError.toStdString(); }

    // Empty, or what failed. Keys must not hold & < >: this server escapes
    // them twice in its listings (S3ListParse covers how the parser reads
    // XML entities).
    static QString put(S3Client &s3, const std::map<QString, QByteArray> &objects)
    {
        for (const auto &[key, data] : objects) {
            const S3Response put = s3.request("PUT", key, {}, data);
            if (put.status != 200)
                return u"putting %1: %2"_s.arg(key, s3.describeFailure(put));
            s_objects[key] = data;
        }
        return {};
    }

    static void fillPaged()
    {
        if (s_filled)
            return;
        // The sizes vary so that a mix-up shows; ETags are the MD5.
        std::map<QString, QByteArray> paged;
        for (int i = 0; i < PagedObjects; ++i)
            paged[u"train/part-%1.bin"_s.arg(i, 5, 10, QChar(u'0'))] =
                QByteArray(i % 97, char('a' + i % 26));
        S3Client s3(s_server->location(u"datasets"_s));
        const QString error = put(s3, paged);
        ASSERT_TRUE(error.isEmpty()) << error.toStdString();
        s_filled = true;
    }

    static std::map<QString, QByteArray> objectsUnder(const QString &prefix)
    {
        std::map<QString, QByteArray> out;
        for (const auto &[key, data] : s_objects)
            if (key.startsWith(prefix))
                out[key] = data;
        return out;
    }

    // Keys, sizes and ETags of `listed` against what was put.
    static void expectListing(const QList<S3Object> &listed,
                              const std::map<QString, QByteArray> &expected)
    {
        ASSERT_EQ(size_t(listed.size()), expected.size());
        auto it = expected.begin();
        for (const S3Object &o : listed) {
            // Key order, as ListObjectsV2 pages them (UTF-8 byte order).
            EXPECT_EQ(o.key.toStdString(), it->first.toStdString());
            EXPECT_EQ(o.size, it->second.size()) << o.key.toStdString();
            EXPECT_EQ(o.etag,
                      QString::fromLatin1(
                          QCryptographicHash::hash(it->second, QCryptographicHash::Md5).toHex()))
                << o.key.toStdString();
            EXPECT_TRUE(o.lastModified.isValid()) << o.key.toStdString();
            ++it;
        }
    }

    static inline std::unique_ptr<S3TestServer> s_server;
    static inline QString s_startError;
    static inline std::map<QString, QByteArray> s_objects;
    static inline bool s_filled = false;
};

TEST_F(S3Live, ListsAPrefixAcrossPages)
{
    ASSERT_NO_FATAL_FAILURE(fillPaged());
    QString error = u"stale"_s;
    const QList<S3Object> listed =
        pf::server::listObjects(s_server->location(u"datasets"_s, u"train/"_s), &error);
    EXPECT_TRUE(error.isEmpty()) << error.toStdString();
    EXPECT_EQ(listed.size(), PagedObjects + 1);
    expectListing(listed, objectsUnder(u"train/"_s));
}

TEST_F(S3Live, ListsTheWholeBucketAcrossPages)
{
    ASSERT_NO_FATAL_FAILURE(fillPaged());
    QString error;
    S3Client s3(s_server->location(u"datasets"_s));
    const QList<S3Object> listed = s3.listObjects(&error);
    EXPECT_TRUE(error.isEmpty()) << error.toStdString();
    EXPECT_EQ(listed.size(), PagedObjects + 4);
    expectListing(listed, s_objects);
}

TEST_F(S3Live, TooManyObjectsIsAnError)
{
    ASSERT_NO_FATAL_FAILURE(fillPaged());
    S3Client s3(s_server->location(u"datasets"_s, u"train/"_s));
    QString error;
    const QList<S3Object> listed = s3.listObjects(&error, 1000);
    EXPECT_TRUE(listed.isEmpty());
    EXPECT_EQ(error, u"The bucket \"datasets\" holds more than 1000 objects under \"train/\"; "
                     u"link a narrower prefix or list the files yourself."_s);
}

TEST_F(S3Live, ListsOnePage)
{
    QString error;
    const QList<S3Object> listed =
        pf::server::listObjects(s_server->location(u"datasets"_s, u"t"_s), &error);
    EXPECT_TRUE(error.isEmpty()) << error.toStdString();
    expectListing(listed, objectsUnder(u"t"_s));
}

TEST_F(S3Live, PrefixWithNoObjectsListsNothing)
{
    QString error = u"stale"_s;
    const QList<S3Object> listed =
        pf::server::listObjects(s_server->location(u"datasets"_s, u"nothing/here/"_s), &error);
    EXPECT_TRUE(error.isEmpty()) << error.toStdString();
    EXPECT_TRUE(listed.isEmpty());
}

TEST_F(S3Live, SignsTheSessionToken)
{
    // The token is a signed header: a signature that left it out would not
    // match what the server computes.
    S3Location location = s_server->location(u"datasets"_s, u"test/"_s);
    location.sessionToken = u"FwoGZXIvYXdzEXAMPLE//token+with/odd=chars"_s;
    QString error;
    const QList<S3Object> listed = pf::server::listObjects(location, &error);
    EXPECT_TRUE(error.isEmpty()) << error.toStdString();
    ASSERT_EQ(listed.size(), 1);
    EXPECT_EQ(listed[0].key, u"test/a.bin"_s);
}

TEST_F(S3Live, WrongSecretIsAClearError)
{
    S3Location location = s_server->location(u"datasets"_s, u"train/"_s);
    location.secretAccessKey = u"not-the-secret"_s;
    QString error;
    const QList<S3Object> listed = pf::server::listObjects(location, &error);
    EXPECT_TRUE(listed.isEmpty());
    EXPECT_EQ(error, u"The storage service at %1 rejected the credential's signature; check "
                     u"aws_secret_access_key."_s.arg(location.endpoint));
}

TEST_F(S3Live, UnknownAccessKeyIsAClearError)
{
    S3Location location = s_server->location(u"datasets"_s);
    location.accessKeyId = u"AKIAUNKNOWN"_s;
    QString error;
    pf::server::listObjects(location, &error);
    EXPECT_EQ(error, u"The storage service at %1 does not know the credential's access key ID; "
                     u"check aws_access_key_id."_s.arg(location.endpoint));
}

TEST_F(S3Live, MissingBucketIsAClearError)
{
    const S3Location location = s_server->location(u"no-such-bucket"_s);
    QString error;
    const QList<S3Object> listed = pf::server::listObjects(location, &error);
    EXPECT_TRUE(listed.isEmpty());
    EXPECT_EQ(error,
              u"The bucket \"no-such-bucket\" does not exist at %1."_s.arg(location.endpoint));
}

TEST_F(S3Live, PutGetDeleteRoundTrip)
{
    // Requests in a row on one client (one kept-alive connection); the
    // bytes of a PUT come back from a GET of the same key.
    S3Client s3(s_server->location(u"datasets"_s));
    const QByteArray data = "round trip \x01\x02\xff";
    ASSERT_EQ(s3.request("PUT", u"scratch/x y.bin"_s, {}, data).status, 200);
    const S3Response get = s3.request("GET", u"scratch/x y.bin"_s);
    EXPECT_EQ(get.status, 200) << get.error.toStdString();
    EXPECT_EQ(get.body, data);
    EXPECT_EQ(s3.request("DELETE", u"scratch/x y.bin"_s).status, 204);
}

// HTTPS: the same server behind a self-signed certificate for 127.0.0.1.
class S3LiveTls : public ::testing::Test
{
protected:
    void SetUp() override
    {
        const QString error = m_server.start(true);
        ASSERT_TRUE(error.isEmpty()) << error.toStdString();
    }

    void TearDown() override { qunsetenv("SSL_CERT_FILE"); }

    S3TestServer m_server;
};

TEST_F(S3LiveTls, ListsOverAVerifiedConnection)
{
    // OpenSSL's default verify paths honour SSL_CERT_FILE: here the test's
    // certificate stands in for the system CA store.
    qputenv("SSL_CERT_FILE", m_server.certificatePath().toLocal8Bit());
    S3Client s3(m_server.location(u"secure"_s));
    ASSERT_EQ(s3.request("PUT", {}).status, 200);
    ASSERT_EQ(s3.request("PUT", u"a/b.txt"_s, {}, "over TLS").status, 200);
    QString error;
    const QList<S3Object> listed = pf::server::listObjects(m_server.location(u"secure"_s), &error);
    EXPECT_TRUE(error.isEmpty()) << error.toStdString();
    ASSERT_EQ(listed.size(), 1);
    EXPECT_EQ(listed[0].key, u"a/b.txt"_s);
    EXPECT_EQ(listed[0].size, 8);
}

TEST_F(S3LiveTls, RefusesAnUntrustedCertificate)
{
    // The system CA store does not know the self-signed certificate.
    const S3Location location = m_server.location(u"secure"_s);
    QString error;
    pf::server::listObjects(location, &error);
    EXPECT_TRUE(error.startsWith(u"The secure connection to %1 failed ("_s.arg(location.endpoint)))
        << error.toStdString();
    EXPECT_TRUE(error.contains(u"certificate verify failed"_s)) << error.toStdString();
}

TEST_F(S3LiveTls, RefusesACertificateForAnotherHost)
{
    // Trusted, but issued for 127.0.0.1, not for "localhost".
    qputenv("SSL_CERT_FILE", m_server.certificatePath().toLocal8Bit());
    S3Location location = m_server.location(u"secure"_s);
    location.endpoint.replace(u"127.0.0.1"_s, u"localhost"_s);
    QString error;
    pf::server::listObjects(location, &error);
    EXPECT_TRUE(error.startsWith(u"The secure connection to %1 failed ("_s.arg(location.endpoint)))
        << error.toStdString();
}

} // namespace
