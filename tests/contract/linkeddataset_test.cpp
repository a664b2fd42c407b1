// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// Contract: linked `aws` datasets whose files pfd lists itself (docs/api.md
// "Datasets"), against the real S3-compatible server of tests/s3.

#include <map>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "api/json.h"
#include "server/storage/s3client.h"
#include "tests/contract/contracthelpers.h"
#include "tests/support/s3testserver.h"

using namespace pf::test;
using namespace Qt::StringLiterals;
using pf::server::S3Client;
using pf::server::S3Response;

namespace {

const QString Bucket = u"linked"_s;

// A port on 127.0.0.1 that nothing listens on (bound, then released).
quint16 closedPort()
{
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::acceptor acceptor(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
    return acceptor.local_endpoint().port();
}

} // namespace

// One S3 server and one bucket for the suite. Under "data/set/", the folder
// the datasets link: 30 objects of varied sizes, nested, one with a
// non-ASCII name, plus keys that are no files (unlisted()). Around it: keys
// that start like the folder without being in it. A test that changes the
// bucket puts its objects back as they were.
class LinkedDataset : public ApiTest
{
protected:
    static void SetUpTestSuite()
    {
        ApiTest::SetUpTestSuite();
        s_s3 = std::make_unique<S3TestServer>();
        s_s3Error = s_s3->start();
        if (!s_s3Error.isEmpty())
            return;
        S3Client s3(s_s3->location(Bucket));
        const S3Response bucket = s3.request("PUT", {});
        if (bucket.status != 200) {
            s_s3Error = u"creating the bucket: "_s + s3.describeFailure(bucket);
            return;
        }
        std::map<QString, QByteArray> objects;
        for (int i = 0; i < 20; ++i)
            objects[u"data/set/train/part-%1.bin"_s.arg(i, 2, 10, QChar(u'0'))] =
                QByteArray(i * 37 % 500 + 1, char('a' + i));
        for (int i = 0; i < 8; ++i)
            objects[u"data/set/val/part-%1.bin"_s.arg(i)] = QByteArray(i * 11, 'v');
        objects[u"data/set/labels.csv"_s] = "id,label\n1,cat\n";
        objects[u"data/set/sub dir/caf\u00e9 (1).txt"_s] = "non-ASCII key with spaces";
        objects[u"data/setter.txt"_s] = "starts like the folder, outside it";
        objects[u"data/other/x.bin"_s] = "another folder";
        objects[u"README"_s] = "at the root";
        for (const auto &[key, data] : objects) {
            const S3Response put = s3.request("PUT", key, {}, data);
            if (put.status != 200) {
                s_s3Error = u"putting %1: %2"_s.arg(key, s3.describeFailure(put));
                return;
            }
        }
        s_objects = objects;
        // Keys that are no dataset files: a folder marker, as consoles make
        // for empty folders, and keys that are no valid relative path.
        for (const QString &key : unlisted()) {
            const S3Response put = s3.request("PUT", key, {}, key.endsWith(u'/') ? "" : "x");
            if (put.status != 200) {
                s_s3Error = u"putting %1: %2"_s.arg(key, s3.describeFailure(put));
                return;
            }
        }
    }

    static QStringList unlisted()
    {
        // ("a//b" and "a/../b" cannot be put here: HTTP paths on the way
        // to this server are normalised.)
        return {u"data/set/empty/"_s, u"data/set/back\\slash.bin"_s};
    }

    static void TearDownTestSuite()
    {
        s_s3.reset();
        ApiTest::TearDownTestSuite();
    }

    void SetUp() override { ASSERT_TRUE(s_s3Error.isEmpty()) << s_s3Error.toStdString(); }

    static QString listPath(const QString &projectId)
    {
        return u"/api/project/%1/datastore/"_s.arg(projectId);
    }
    static QString path(qint64 id) { return u"/api/datastore/%1/"_s.arg(id); }

    // The value of an aws credential for the test server; `endpoint` empty
    // leaves endpoint_url out.
    static QJsonObject
    awsValue(const QString &endpoint,
             const QString &secret = QString::fromLatin1(S3TestServer::SecretAccessKey))
    {
        QJsonObject value{{u"aws_access_key_id"_s, QString::fromLatin1(S3TestServer::AccessKeyId)},
                          {u"aws_secret_access_key"_s, secret},
                          {u"aws_default_region"_s, QString::fromLatin1(S3TestServer::Region)}};
        if (!endpoint.isEmpty())
            value.insert(u"endpoint_url"_s, endpoint);
        return value;
    }

    // A credential of `type` in the world's project; its id (empty on failure).
    static QString createCredential(const World &w, const QString &type, const QJsonObject &value)
    {
        const HttpReply r = pfd()
                                .client(w.owner.token)
                                ->postJson(u"/auth/pf_project/%1/credential"_s.arg(w.projectId),
                                           {{u"type"_s, type},
                                            {u"name"_s, unique(type)},
                                            {u"type_version"_s, 1},
                                            {u"value"_s, value}});
        EXPECT_EQ(r.status, 201) << show(r);
        return r.json().value(u"id"_s).toString();
    }

    static QString awsCredential(const World &w)
    {
        return createCredential(w, u"aws"_s, awsValue(s_s3->endpoint()));
    }

    static QJsonObject linkedBody(const QString &storageName, const QString &credentialId)
    {
        QJsonObject body{{u"name"_s, unique(u"linked"_s)},
                         {u"vendor"_s, u"aws"_s},
                         {u"storage_name"_s, storageName}};
        if (!credentialId.isEmpty())
            body.insert(u"credential_id"_s, credentialId);
        return body;
    }

    // What was put under `prefix`, by path relative to it, folder markers
    // aside.
    static std::map<QString, QByteArray> objectsUnder(const QString &prefix)
    {
        std::map<QString, QByteArray> out;
        for (const auto &[key, data] : s_objects)
            if (key.startsWith(prefix))
                out[key.mid(prefix.size())] = data;
        return out;
    }

    // `files` of a dataset against `expected` (relative path -> bytes):
    // the same paths, each once, with their sizes, names and times.
    static void expectFiles(const QJsonArray &files, const std::map<QString, QByteArray> &expected)
    {
        std::map<QString, qint64> listed;
        for (const QJsonValue &v : files) {
            const QJsonObject f = v.toObject();
            const QString p = f.value(u"path"_s).toString();
            EXPECT_EQ(f.value(u"name"_s).toString(), p.section(u'/', -1));
            const QDateTime mtime = pf::api::timeFromJson(f.value(u"mtime"_s));
            EXPECT_TRUE(mtime.isValid())
                << p.toStdString() << ": " << f.value(u"mtime"_s).toString().toStdString();
            EXPECT_LT(qAbs(mtime.secsTo(QDateTime::currentDateTimeUtc())), 3600) << p.toStdString();
            EXPECT_TRUE(listed.emplace(p, f.value(u"size"_s).toInteger(-1)).second)
                << "listed twice: " << p.toStdString();
        }
        std::map<QString, qint64> want;
        for (const auto &[p, data] : expected)
            want[p] = data.size();
        EXPECT_EQ(listed, want);
    }

    // The world's datasets.
    static QJsonArray datasets(const World &w)
    {
        const HttpReply r = pfd().client(w.owner.token)->get(listPath(w.projectId));
        EXPECT_EQ(r.status, 200) << show(r);
        return r.jsonArray();
    }

    static inline std::unique_ptr<S3TestServer> s_s3;
    static inline QString s_s3Error;
    static inline std::map<QString, QByteArray> s_objects;
};

TEST_F(LinkedDataset, ListsTheBucketFolder)
{
    const World w = makeWorld();
    const QString credential = awsCredential(w);
    ASSERT_FALSE(credential.isEmpty());
    auto c = pfd().client(w.owner.token);

    const HttpReply r =
        c->postJson(listPath(w.projectId), linkedBody(Bucket + u"/data/set"_s, credential));
    ASSERT_EQ(r.status, 201) << show(r);
    const QJsonObject d = r.json();
    EXPECT_EQ(d.value(u"vendor"_s).toString(), u"aws"_s);
    EXPECT_EQ(d.value(u"storage_name"_s).toString(), Bucket + u"/data/set"_s);
    EXPECT_EQ(d.value(u"credential_id"_s).toString(), credential);
    EXPECT_TRUE(d.value(u"active"_s).toBool());
    const QJsonArray files = d.value(u"files"_s).toArray();
    EXPECT_EQ(files.size(), 30);
    expectFiles(files, objectsUnder(u"data/set/"_s));
    EXPECT_FALSE(findBy(files, u"path"_s, u"sub dir/caf\u00e9 (1).txt"_s).isEmpty());
    EXPECT_EQ(findBy(files, u"path"_s, u"train/part-03.bin"_s).value(u"size"_s).toInteger(),
              3 * 37 + 1);

    // Stored as answered.
    const HttpReply again = c->get(path(d.value(u"id"_s).toInteger()));
    ASSERT_EQ(again.status, 200) << show(again);
    EXPECT_EQ(again.json().value(u"files"_s).toArray(), files);

    // A trailing '/' names the same folder.
    const HttpReply slash =
        c->postJson(listPath(w.projectId), linkedBody(Bucket + u"/data/set/"_s, credential));
    ASSERT_EQ(slash.status, 201) << show(slash);
    expectFiles(slash.json().value(u"files"_s).toArray(), objectsUnder(u"data/set/"_s));
}

TEST_F(LinkedDataset, ListsAWholeBucket)
{
    const World w = makeWorld();
    const QString credential = awsCredential(w);
    const HttpReply r = pfd()
                            .client(w.owner.token)
                            ->postJson(listPath(w.projectId), linkedBody(Bucket, credential));
    ASSERT_EQ(r.status, 201) << show(r);
    // Other tests add objects under their own folders; these are all here.
    const QJsonArray files = r.json().value(u"files"_s).toArray();
    for (const auto &[key, data] : s_objects) {
        const QJsonObject f = findBy(files, u"path"_s, key);
        EXPECT_EQ(f.value(u"size"_s).toInteger(-1), data.size()) << key.toStdString();
    }
    EXPECT_TRUE(findBy(files, u"path"_s, u"data/set/empty/"_s).isEmpty());
}

TEST_F(LinkedDataset, LeavesOutFolderMarkersAndKeysThatAreNoPaths)
{
    // The store does list them...
    QString error;
    const QList<pf::server::S3Object> raw =
        pf::server::listObjects(s_s3->location(Bucket, u"data/set/"_s), &error);
    ASSERT_TRUE(error.isEmpty()) << error.toStdString();
    QStringList keys;
    for (const pf::server::S3Object &o : raw)
        keys << o.key;
    for (const QString &key : unlisted())
        EXPECT_TRUE(keys.contains(key)) << key.toStdString() << " not in the bucket";

    // ... the dataset does not (ListsTheBucketFolder checks what it has).
    const World w = makeWorld();
    const HttpReply r = pfd()
                            .client(w.owner.token)
                            ->postJson(listPath(w.projectId),
                                       linkedBody(Bucket + u"/data/set"_s, awsCredential(w)));
    ASSERT_EQ(r.status, 201) << show(r);
    EXPECT_EQ(r.json().value(u"files"_s).toArray().size(), raw.size() - unlisted().size());
}

TEST_F(LinkedDataset, EmptyFolderListsNothing)
{
    const World w = makeWorld();
    const HttpReply r = pfd()
                            .client(w.owner.token)
                            ->postJson(listPath(w.projectId),
                                       linkedBody(Bucket + u"/nothing/here"_s, awsCredential(w)));
    ASSERT_EQ(r.status, 201) << show(r);
    EXPECT_TRUE(r.json().value(u"files"_s).toArray().isEmpty());
}

TEST_F(LinkedDataset, NeedsAnAwsCredentialOfTheProject)
{
    const World w = makeWorld();
    auto c = pfd().client(w.owner.token);
    const QString folder = Bucket + u"/data/set"_s;

    const HttpReply none = c->postJson(listPath(w.projectId), linkedBody(folder, {}));
    EXPECT_API_ERROR(none, 400);
    EXPECT_TRUE(none.detail().contains(u"credential_id"_s)) << show(none);

    const QString docker = createCredential(
        w, u"docker"_s, {{u"username"_s, u"robot"_s}, {u"password"_s, u"secret"_s}});
    const HttpReply wrongType = c->postJson(listPath(w.projectId), linkedBody(folder, docker));
    EXPECT_API_ERROR(wrongType, 400);
    EXPECT_TRUE(wrongType.detail().contains(u"aws credential"_s)) << show(wrongType);

    // Another project's aws credential is no credential of this one.
    const World other = makeWorld();
    const HttpReply foreign =
        c->postJson(listPath(w.projectId), linkedBody(folder, awsCredential(other)));
    EXPECT_API_ERROR(foreign, 400);

    EXPECT_TRUE(datasets(w).isEmpty());
}

TEST_F(LinkedDataset, WrongSecretIsAClearErrorAndCreatesNothing)
{
    const World w = makeWorld();
    const QString credential =
        createCredential(w, u"aws"_s, awsValue(s_s3->endpoint(), u"not-the-secret"_s));
    const HttpReply r =
        pfd()
            .client(w.owner.token)
            ->postJson(listPath(w.projectId), linkedBody(Bucket + u"/data/set"_s, credential));
    EXPECT_API_ERROR(r, 400);
    EXPECT_EQ(r.detail(), u"The storage service at %1 rejected the credential's signature; check "
                          u"aws_secret_access_key."_s.arg(s_s3->endpoint()));
    EXPECT_TRUE(datasets(w).isEmpty());
}

TEST_F(LinkedDataset, MissingBucketIsAClearError)
{
    const World w = makeWorld();
    const HttpReply r =
        pfd()
            .client(w.owner.token)
            ->postJson(listPath(w.projectId), linkedBody(u"no-such-bucket/x"_s, awsCredential(w)));
    EXPECT_API_ERROR(r, 400);
    EXPECT_EQ(r.detail(),
              u"The bucket \"no-such-bucket\" does not exist at %1."_s.arg(s_s3->endpoint()));
    EXPECT_TRUE(datasets(w).isEmpty());
}

TEST_F(LinkedDataset, UnreachableStoreIsABadGateway)
{
    const World w = makeWorld();
    const QString endpoint = u"http://127.0.0.1:%1"_s.arg(closedPort());
    const QString credential = createCredential(w, u"aws"_s, awsValue(endpoint));
    const HttpReply r =
        pfd()
            .client(w.owner.token)
            ->postJson(listPath(w.projectId), linkedBody(Bucket + u"/data/set"_s, credential));
    EXPECT_API_ERROR(r, 502);
    EXPECT_EQ(
        r.detail(),
        u"Cannot reach the storage service at %1: the connection was refused."_s.arg(endpoint));
    EXPECT_TRUE(datasets(w).isEmpty());
}

TEST_F(LinkedDataset, MetadataEndpointOverridesTheCredentials)
{
    const World w = makeWorld();
    auto c = pfd().client(w.owner.token);
    // The credential points nowhere (or at AWS): the dataset's endpoint wins.
    const QString nowhere =
        createCredential(w, u"aws"_s, awsValue(u"http://127.0.0.1:%1"_s.arg(closedPort())));
    const QString aws = createCredential(w, u"aws"_s, awsValue({}));
    for (const QString &credential : {nowhere, aws}) {
        QJsonObject body = linkedBody(Bucket + u"/data/set/val"_s, credential);
        body.insert(u"metadata"_s, QJsonObject{{u"endpoint_url"_s, s_s3->endpoint()},
                                               {u"note"_s, u"kept as given"_s}});
        const HttpReply r = c->postJson(listPath(w.projectId), body);
        ASSERT_EQ(r.status, 201) << show(r);
        expectFiles(r.json().value(u"files"_s).toArray(), objectsUnder(u"data/set/val/"_s));
        EXPECT_EQ(r.json().value(u"metadata"_s).toObject().value(u"note"_s).toString(),
                  u"kept as given"_s);
    }

    for (const QJsonValue &bad :
         {QJsonValue(u"ftp://127.0.0.1/"_s), QJsonValue(u"not a url"_s), QJsonValue(7)}) {
        QJsonObject body = linkedBody(Bucket + u"/data/set"_s, aws);
        body.insert(u"metadata"_s, QJsonObject{{u"endpoint_url"_s, bad}});
        const HttpReply r = c->postJson(listPath(w.projectId), body);
        EXPECT_API_ERROR(r, 400);
        EXPECT_TRUE(r.detail().contains(u"endpoint_url"_s)) << show(r);
    }
    EXPECT_EQ(datasets(w).size(), 2);
}

TEST_F(LinkedDataset, GivenFilesAreNotListed)
{
    const World w = makeWorld();
    QJsonObject body = linkedBody(Bucket + u"/data/set"_s, awsCredential(w));
    body.insert(u"files"_s,
                QJsonArray{QJsonObject{{u"path"_s, u"only/this.bin"_s}, {u"size"_s, 5}}});
    const HttpReply r = pfd().client(w.owner.token)->postJson(listPath(w.projectId), body);
    ASSERT_EQ(r.status, 201) << show(r);
    const QJsonArray files = r.json().value(u"files"_s).toArray();
    ASSERT_EQ(files.size(), 1);
    EXPECT_EQ(files[0].toObject().value(u"path"_s).toString(), u"only/this.bin"_s);
}

TEST_F(LinkedDataset, OtherVendorsNeedTheirFiles)
{
    const World w = makeWorld();
    auto c = pfd().client(w.owner.token);
    const QString azure = createCredential(
        w, u"azure.blob"_s,
        {{u"storage_account_name"_s, u"mydatasets"_s}, {u"storage_account_key"_s, u"a2V5"_s}});
    for (const QString &vendor : {u"azure.blob"_s, u"gcp"_s}) {
        QJsonObject body{{u"name"_s, unique(vendor)},
                         {u"vendor"_s, vendor},
                         {u"storage_name"_s, u"container/folder"_s}};
        if (vendor == u"azure.blob")
            body.insert(u"credential_id"_s, azure);
        const HttpReply r = c->postJson(listPath(w.projectId), body);
        EXPECT_API_ERROR(r, 501);
        EXPECT_TRUE(r.detail().contains(u"`files`"_s)) << show(r);
    }
    EXPECT_TRUE(datasets(w).isEmpty());
}

TEST_F(LinkedDataset, PatchListsAgainWhenTheLocationChanges)
{
    const World w = makeWorld();
    auto c = pfd().client(w.owner.token);
    const QString credential = awsCredential(w);
    const HttpReply created =
        c->postJson(listPath(w.projectId), linkedBody(Bucket + u"/data/set/val"_s, credential));
    ASSERT_EQ(created.status, 201) << show(created);
    const qint64 id = created.json().value(u"id"_s).toInteger();

    // Another folder: listed anew.
    HttpReply r =
        c->patchJson(path(id), {{u"storage_name"_s, QString(Bucket + u"/data/set/train"_s)}});
    ASSERT_EQ(r.status, 200) << show(r);
    expectFiles(r.json().value(u"files"_s).toArray(), objectsUnder(u"data/set/train/"_s));

    // Objects added to the bucket show after `files: null`, not before.
    S3Client s3(s_s3->location(Bucket));
    ASSERT_EQ(s3.request("PUT", u"data/set/train/late.bin"_s, {}, "late").status, 200);
    r = c->patchJson(path(id), {{u"name"_s, unique(u"renamed"_s)}});
    ASSERT_EQ(r.status, 200) << show(r);
    EXPECT_EQ(r.json().value(u"files"_s).toArray().size(), 20);
    r = c->patchJson(path(id), {{u"files"_s, QJsonValue()}});
    ASSERT_EQ(r.status, 200) << show(r);
    const QJsonArray files = r.json().value(u"files"_s).toArray();
    EXPECT_EQ(files.size(), 21);
    EXPECT_EQ(findBy(files, u"path"_s, u"late.bin"_s).value(u"size"_s).toInteger(), 4);
    ASSERT_EQ(s3.request("DELETE", u"data/set/train/late.bin"_s).status, 204);

    // A location that fails keeps the dataset as it was.
    EXPECT_API_ERROR(c->patchJson(path(id), {{u"storage_name"_s, u"no-such-bucket"_s}}), 400);
    EXPECT_API_ERROR(c->patchJson(path(id), {{u"credential_id"_s, QJsonValue()}}), 400);
    r = c->get(path(id));
    EXPECT_EQ(r.json().value(u"storage_name"_s).toString(), Bucket + u"/data/set/train"_s);
    EXPECT_EQ(r.json().value(u"files"_s).toArray(), files);

    // Files given with the move are taken as given.
    r = c->patchJson(
        path(id), {{u"storage_name"_s, QString(Bucket + u"/data"_s)},
                   {u"files"_s, QJsonArray{QJsonObject{{u"path"_s, u"x.bin"_s}, {u"size"_s, 1}}}}});
    ASSERT_EQ(r.status, 200) << show(r);
    EXPECT_EQ(r.json().value(u"files"_s).toArray().size(), 1);
}
