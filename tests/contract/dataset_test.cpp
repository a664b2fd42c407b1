// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// Contract: datasets (API.md "Datasets") and the object store's signed URLs
// (API.md "Signed storage URLs"; docs/api.md "Storage").

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QUrl>
#include <QUrlQuery>

#include "tests/contract/contracthelpers.h"
#include "tests/support/streamtransfer.h"

using namespace pf::test;
using namespace Qt::StringLiterals;

namespace {

QByteArray md5Hex(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Md5).toHex();
}

// Bytes that differ at every offset, so ranges and assembly order show.
QByteArray pattern(qsizetype size, int seed)
{
    QByteArray out(size, Qt::Uninitialized);
    quint32 x = quint32(seed) * 2654435761u + 1;
    for (qsizetype i = 0; i < size; ++i) {
        x = x * 1103515245u + 12345u;
        out[i] = char(x >> 24);
    }
    return out;
}

} // namespace

class Dataset : public ApiTest
{
protected:
    static QString listPath(const QString &projectId)
    {
        return u"/api/project/%1/datastore/"_s.arg(projectId);
    }
    static QString path(qint64 id, const QString &rest = {})
    {
        return u"/api/datastore/%1/"_s.arg(id) + rest;
    }

    static QJsonObject faiBody(const QString &name)
    {
        return {{u"name"_s, name}, {u"vendor"_s, u"fai"_s}, {u"active"_s, false}};
    }

    static qint64 createFai(const User &by, const QString &projectId, const QString &name)
    {
        const HttpReply r = pfd().client(by.token)->postJson(listPath(projectId), faiBody(name));
        EXPECT_EQ(r.status, 201) << show(r);
        return r.json().value(u"id"_s).toInteger();
    }

    // A signed URL's path and query, for the test client (which knows the host).
    static QString target(const QString &url)
    {
        const QUrl u(url);
        EXPECT_EQ(u.host(), u"127.0.0.1"_s) << url.toStdString();
        EXPECT_EQ(u.port(), pfd().port()) << url.toStdString();
        return QString::fromStdString(targetOf(url));
    }

    // PUT with no token, as a client of signed URLs does.
    static HttpReply put(const QString &url, const QByteArray &body)
    {
        return pfd().client()->request("PUT", target(url).toStdString(), body.toStdString(),
                                       "application/octet-stream");
    }
    static HttpReply get(const QString &url, std::map<std::string, std::string> headers = {})
    {
        return pfd().client()->request("GET", target(url).toStdString(), {}, {}, headers);
    }

    // Uploads `files` (path -> bytes) with single PUTs; the upload URLs.
    static QJsonArray uploadFiles(const User &by, qint64 id, const QMap<QString, QByteArray> &files)
    {
        QJsonArray paths;
        for (auto it = files.begin(); it != files.end(); ++it)
            paths.append(it.key());
        const HttpReply urls =
            pfd().client(by.token)->postJson(path(id, u"upload/"_s), {{u"paths"_s, paths}});
        EXPECT_EQ(urls.status, 200) << show(urls);
        for (const QJsonValue &v : urls.jsonArray()) {
            const QJsonObject o = v.toObject();
            const QByteArray bytes = files.value(o.value(u"path"_s).toString());
            const HttpReply r = put(o.value(u"upload_url"_s).toString(), bytes);
            EXPECT_EQ(r.status, 200) << show(r);
            EXPECT_EQ(r.header("etag"), '"' + md5Hex(bytes).toStdString() + '"');
        }
        return urls.jsonArray();
    }

    static QJsonArray fileList(const QMap<QString, QByteArray> &files)
    {
        QJsonArray out;
        for (auto it = files.begin(); it != files.end(); ++it)
            out.append(QJsonObject{{u"name"_s, it.key().section(u'/', -1)},
                                   {u"path"_s, it.key()},
                                   {u"mtime"_s, u"2026-11-22T06:45:00Z"_s},
                                   {u"size"_s, it.value().size()}});
        return out;
    }

    // The dataset's download URL of `file`.
    static QString downloadUrl(const User &by, qint64 id, const QString &file)
    {
        const HttpReply r = pfd().client(by.token)->get(
            path(id, u"download/?path="_s + QString::fromLatin1(QUrl::toPercentEncoding(file))));
        EXPECT_EQ(r.status, 200) << show(r);
        return r.json()
            .value(u"files"_s)
            .toArray()
            .first()
            .toObject()
            .value(u"download_url"_s)
            .toString();
    }

    // Bytes of every file under the store's open uploads.
    static qint64 bytesInUploads()
    {
        qint64 total = 0;
        QDirIterator it(pfd().dataDir() + u"/objects/uploads"_s, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            it.next();
            total += it.fileInfo().size();
        }
        return total;
    }
};

// --- POST/GET /api/project/{pid}/datastore/, GET/PATCH/DELETE /api/datastore/{id}/

TEST_F(Dataset, CreateUploadActivateListAndDownload)
{
    const World w = makeWorld();
    const User developer = projectMember(w, u"develop"_s);
    ASSERT_FALSE(developer.id.isEmpty());
    auto c = pfd().client(developer.token);

    const HttpReply created = c->postJson(listPath(w.projectId), faiBody(u"cifar"_s));
    ASSERT_EQ(created.status, 201) << show(created);
    const QJsonObject d = created.json();
    EXPECT_TRUE(d.value(u"id"_s).isDouble());
    EXPECT_EQ(d.value(u"name"_s).toString(), u"cifar"_s);
    EXPECT_EQ(d.value(u"vendor"_s).toString(), u"fai"_s);
    EXPECT_EQ(d.value(u"active"_s).toBool(true), false);
    EXPECT_EQ(d.value(u"files"_s).toArray(), QJsonArray());
    EXPECT_TRUE(d.value(u"credential_id"_s).isNull());
    EXPECT_FALSE(d.value(u"created_at"_s).toString().isEmpty());
    const qint64 id = d.value(u"id"_s).toInteger();

    QMap<QString, QByteArray> files{{u"train/data_batch_1"_s, pattern(300000, 1)},
                                    {u"meta"_s, "labels"},
                                    {u"empty.txt"_s, QByteArray()},
                                    {u"한국어 파일.txt"_s, "unicode name"}};
    uploadFiles(developer, id, files);

    // Active with a file never uploaded, or of the wrong size: refused.
    QJsonArray wrong = fileList(files);
    wrong.append(QJsonObject{{u"name"_s, u"x"_s}, {u"path"_s, u"x"_s}, {u"size"_s, 1}});
    EXPECT_API_ERROR(c->patchJson(path(id), {{u"files"_s, wrong}, {u"active"_s, true}}), 400);
    QJsonArray badSize = fileList(files);
    QJsonObject first = badSize.at(0).toObject();
    first.insert(u"size"_s, 5);
    badSize.replace(0, first);
    EXPECT_API_ERROR(c->patchJson(path(id), {{u"files"_s, badSize}, {u"active"_s, true}}), 400);

    const HttpReply active =
        c->patchJson(path(id), {{u"files"_s, fileList(files)},
                                {u"metadata"_s, QJsonObject{{u"classes"_s, 100}}},
                                {u"active"_s, true}});
    ASSERT_EQ(active.status, 200) << show(active);
    EXPECT_TRUE(active.json().value(u"active"_s).toBool());
    EXPECT_EQ(active.json().value(u"files"_s).toArray().size(), 4);
    EXPECT_EQ(active.json().value(u"metadata"_s).toObject(), QJsonObject({{u"classes"_s, 100}}));

    // A guest reads it, in the list and alone.
    const User guest = projectMember(w, u"guest"_s);
    auto g = pfd().client(guest.token);
    const HttpReply list = g->get(listPath(w.projectId));
    ASSERT_EQ(list.status, 200) << show(list);
    ASSERT_EQ(list.jsonArray().size(), 1);
    EXPECT_EQ(list.jsonArray().at(0).toObject(), active.json());
    EXPECT_EQ(g->get(path(id)).json(), active.json());

    // And downloads every file through its signed URL.
    for (auto it = files.begin(); it != files.end(); ++it) {
        const HttpReply r = get(downloadUrl(guest, id, it.key()));
        ASSERT_EQ(r.status, 200) << it.key().toStdString() << ' ' << r.status;
        EXPECT_EQ(r.body, it.value()) << it.key().toStdString();
        EXPECT_EQ(r.header("etag"), '"' + md5Hex(it.value()).toStdString() + '"');
        EXPECT_EQ(r.header("content-length"), std::to_string(it.value().size()));
    }
    EXPECT_API_ERROR(g->get(path(id, u"download/?path=nope"_s)), 404);
}

TEST_F(Dataset, RangesAndConditionalGets)
{
    const World w = makeWorld();
    const qint64 id = createFai(w.owner, w.projectId, u"ranges"_s);
    const QByteArray data = pattern(100000, 7);
    uploadFiles(w.owner, id, {{u"blob"_s, data}});
    ASSERT_EQ(pfd()
                  .client(w.owner.token)
                  ->patchJson(path(id),
                              {{u"files"_s, fileList({{u"blob"_s, data}})}, {u"active"_s, true}})
                  .status,
              200);
    const QString url = downloadUrl(w.owner, id, u"blob"_s);

    HttpReply r = get(url, {{"Range", "bytes=10-19"}});
    EXPECT_EQ(r.status, 206);
    EXPECT_EQ(r.body, data.mid(10, 10));
    EXPECT_EQ(r.header("content-range"), "bytes 10-19/100000");
    r = get(url, {{"Range", "bytes=-5"}});
    EXPECT_EQ(r.status, 206);
    EXPECT_EQ(r.body, data.right(5));
    r = get(url, {{"Range", "bytes=99990-"}});
    EXPECT_EQ(r.status, 206);
    EXPECT_EQ(r.body, data.right(10));
    r = get(url, {{"Range", "bytes=99990-200000"}}); // clamped to the end
    EXPECT_EQ(r.status, 206);
    EXPECT_EQ(r.body, data.right(10));
    EXPECT_API_ERROR(get(url, {{"Range", "bytes=100000-"}}), 416);
    EXPECT_API_ERROR(get(url, {{"Range", "bytes=50-10"}}), 416);
    EXPECT_API_ERROR(get(url, {{"Range", "bytes=-0"}}), 416);
    // Several ranges or another unit: the whole object.
    r = get(url, {{"Range", "bytes=0-1,5-6"}});
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body.size(), data.size());

    const std::string etag = get(url).header("etag");
    r = get(url, {{"If-None-Match", etag}});
    EXPECT_EQ(r.status, 304);
    EXPECT_TRUE(r.body.isEmpty());
    EXPECT_EQ(get(url, {{"If-None-Match", "\"other\", " + etag}}).status, 304);
    EXPECT_EQ(get(url, {{"If-None-Match", "\"other\""}}).status, 200);
    // If-Match: ranges of one version only (quoted or not, in a list, `*`).
    r = get(url, {{"If-Match", etag}, {"Range", "bytes=0-9"}});
    EXPECT_EQ(r.status, 206);
    EXPECT_EQ(r.body, data.left(10));
    EXPECT_EQ(get(url, {{"If-Match", etag.substr(1, etag.size() - 2)}}).status, 200);
    EXPECT_EQ(get(url, {{"If-Match", "\"other\", " + etag}}).status, 200);
    EXPECT_EQ(get(url, {{"If-Match", "*"}}).status, 200);
    EXPECT_API_ERROR(get(url, {{"If-Match", "\"other\""}, {"Range", "bytes=0-9"}}), 412);
}

TEST_F(Dataset, MultipartInAnyOrderCheckedByEtagsThenAbort)
{
    const World w = makeWorld();
    const qint64 id = createFai(w.owner, w.projectId, u"multipart"_s);
    auto c = pfd().client(w.owner.token);
    const QByteArray data = pattern(3 * 1024 * 1024 + 17, 3);
    const qsizetype partSize = 1024 * 1024;

    const HttpReply started = c->postJson(path(id, u"start_mpu/"_s),
                                          {{u"path"_s, u"big/file.bin"_s}, {u"num_parts"_s, 4}});
    ASSERT_EQ(started.status, 200) << show(started);
    const QString upload = started.json().value(u"upload_id"_s).toString();
    const QJsonArray urls = started.json().value(u"upload_urls"_s).toArray();
    ASSERT_EQ(urls.size(), 4);
    EXPECT_EQ(started.json().value(u"path"_s).toString(), u"big/file.bin"_s);

    // Parts in reverse order; part 2 sent twice (the second one counts).
    QJsonArray parts;
    for (int i = 3; i >= 0; --i) {
        const QJsonObject u = urls.at(i).toObject();
        EXPECT_EQ(u.value(u"part_number"_s).toInt(), i + 1);
        const QByteArray bytes = data.mid(i * partSize, partSize);
        if (i == 1) {
            ASSERT_EQ(put(u.value(u"upload_url"_s).toString(), "stale").status, 200);
        }
        const HttpReply r = put(u.value(u"upload_url"_s).toString(), bytes);
        ASSERT_EQ(r.status, 200) << show(r);
        EXPECT_EQ(r.header("etag"), '"' + md5Hex(bytes).toStdString() + '"');
        parts.prepend(QJsonObject{{u"part_number"_s, i + 1},
                                  {u"etag"_s, QString::fromStdString(r.header("etag"))}});
    }

    // A wrong ETag, a missing part, or parts out of order: 400, nothing assembled.
    QJsonArray wrong = parts;
    QJsonObject p2 = wrong.at(1).toObject();
    p2.insert(u"etag"_s, u"\"%1\""_s.arg(QString::fromLatin1(md5Hex("stale"))));
    wrong.replace(1, p2);
    const QJsonObject base{{u"path"_s, u"big/file.bin"_s}, {u"upload_id"_s, upload}};
    auto with = [&base](const QJsonArray &p) {
        QJsonObject o = base;
        o.insert(u"parts"_s, p);
        return o;
    };
    EXPECT_API_ERROR(c->postJson(path(id, u"complete_mpu/"_s), with(wrong)), 400);
    EXPECT_API_ERROR(
        c->postJson(path(id, u"complete_mpu/"_s),
                    with(QJsonArray{parts.at(0), parts.at(2), parts.at(3),
                                    QJsonObject{{u"part_number"_s, 5}, {u"etag"_s, u"\"x\""_s}}})),
        400);
    EXPECT_API_ERROR(
        c->postJson(path(id, u"complete_mpu/"_s), with(QJsonArray{parts.at(1), parts.at(0)})), 400);
    EXPECT_FALSE(QFile::exists(pfd().dataDir() + u"/objects/data/projects/"_s + w.projectId +
                               u"/datasets/%1/big/file.bin"_s.arg(id)));
    // Another dataset's path or a made-up upload id: not found.
    EXPECT_API_ERROR(c->postJson(path(id, u"complete_mpu/"_s), QJsonObject{{u"path"_s, u"other"_s},
                                                                           {u"upload_id"_s, upload},
                                                                           {u"parts"_s, parts}}),
                     404);

    const HttpReply done = c->postJson(path(id, u"complete_mpu/"_s), with(parts));
    ASSERT_EQ(done.status, 200) << show(done);
    EXPECT_EQ(done.json().value(u"size"_s).toInteger(), data.size());
    EXPECT_TRUE(done.json().value(u"etag"_s).toString().endsWith(u"-4\""_s)) << show(done);
    EXPECT_EQ(bytesInUploads(), 0);
    ASSERT_EQ(c->patchJson(path(id), {{u"files"_s, fileList({{u"big/file.bin"_s, data}})},
                                      {u"active"_s, true}})
                  .status,
              200);
    const HttpReply back = get(downloadUrl(w.owner, id, u"big/file.bin"_s));
    ASSERT_EQ(back.status, 200);
    EXPECT_EQ(md5Hex(back.body), md5Hex(data));
    // The upload is gone: its part URLs no longer take bytes.
    EXPECT_API_ERROR(put(urls.at(0).toObject().value(u"upload_url"_s).toString(), "x"), 404);

    // An aborted upload leaves no bytes behind.
    const HttpReply again = c->postJson(path(id, u"start_mpu/"_s),
                                        {{u"path"_s, u"aborted.bin"_s}, {u"num_parts"_s, 2}});
    ASSERT_EQ(again.status, 200);
    ASSERT_EQ(put(again.json()
                      .value(u"upload_urls"_s)
                      .toArray()
                      .at(0)
                      .toObject()
                      .value(u"upload_url"_s)
                      .toString(),
                  pattern(50000, 9))
                  .status,
              200);
    EXPECT_GT(bytesInUploads(), 0);
    EXPECT_EQ(c->postJson(path(id, u"abort_mpu/"_s),
                          {{u"path"_s, u"aborted.bin"_s},
                           {u"upload_id"_s, again.json().value(u"upload_id"_s).toString()}})
                  .status,
              200);
    EXPECT_EQ(bytesInUploads(), 0);
}

// start_mpu with the upload_id of an open upload answers new URLs for it
// (a client resuming after its URLs expired); the parts already sent stay.
TEST_F(Dataset, StartMultipartAgainGivesNewUrlsForTheOpenUpload)
{
    const World w = makeWorld();
    const qint64 id = createFai(w.owner, w.projectId, u"resumed"_s);
    auto c = pfd().client(w.owner.token);
    const QByteArray data = pattern(2 * 1024 * 1024, 5);
    const HttpReply started =
        c->postJson(path(id, u"start_mpu/"_s), {{u"path"_s, u"f.bin"_s}, {u"num_parts"_s, 2}});
    ASSERT_EQ(started.status, 200) << show(started);
    const QString upload = started.json().value(u"upload_id"_s).toString();
    const auto urlOf = [](const HttpReply &r, int i) {
        return r.json()
            .value(u"upload_urls"_s)
            .toArray()
            .at(i)
            .toObject()
            .value(u"upload_url"_s)
            .toString();
    };
    const HttpReply first = put(urlOf(started, 0), data.left(1024 * 1024));
    ASSERT_EQ(first.status, 200);

    const HttpReply again =
        c->postJson(path(id, u"start_mpu/"_s),
                    {{u"path"_s, u"f.bin"_s}, {u"num_parts"_s, 2}, {u"upload_id"_s, upload}});
    ASSERT_EQ(again.status, 200) << show(again);
    EXPECT_EQ(again.json().value(u"upload_id"_s).toString(), upload);
    const HttpReply second = put(urlOf(again, 1), data.mid(1024 * 1024));
    ASSERT_EQ(second.status, 200);
    const QJsonArray parts{QJsonObject{{u"part_number"_s, 1},
                                       {u"etag"_s, QString::fromStdString(first.header("etag"))}},
                           QJsonObject{{u"part_number"_s, 2},
                                       {u"etag"_s, QString::fromStdString(second.header("etag"))}}};
    const HttpReply done =
        c->postJson(path(id, u"complete_mpu/"_s),
                    {{u"path"_s, u"f.bin"_s}, {u"upload_id"_s, upload}, {u"parts"_s, parts}});
    ASSERT_EQ(done.status, 200) << show(done);
    EXPECT_EQ(done.json().value(u"size"_s).toInteger(), data.size());

    // Completed, another path's, made up, or not a string: nothing to resume.
    for (const QJsonObject &body :
         {QJsonObject{{u"path"_s, u"f.bin"_s}, {u"num_parts"_s, 2}, {u"upload_id"_s, upload}},
          QJsonObject{{u"path"_s, u"g.bin"_s}, {u"num_parts"_s, 2}, {u"upload_id"_s, upload}},
          QJsonObject{{u"path"_s, u"f.bin"_s}, {u"num_parts"_s, 2}, {u"upload_id"_s, u"nope"_s}}})
        EXPECT_API_ERROR(c->postJson(path(id, u"start_mpu/"_s), body), 404);
    EXPECT_API_ERROR(
        c->postJson(path(id, u"start_mpu/"_s),
                    {{u"path"_s, u"f.bin"_s}, {u"num_parts"_s, 2}, {u"upload_id"_s, 7}}),
        400);
}

TEST_F(Dataset, BadBodiesAndPaths)
{
    const World w = makeWorld();
    auto c = pfd().client(w.owner.token);
    EXPECT_API_ERROR(c->postJson(listPath(w.projectId), {{u"name"_s, u"x"_s}}), 400);
    EXPECT_API_ERROR(
        c->postJson(listPath(w.projectId), {{u"name"_s, u"x"_s}, {u"vendor"_s, u"s3"_s}}), 400);
    EXPECT_FIELD_ERROR(
        c->postJson(listPath(w.projectId),
                    {{u"name"_s, u"x"_s}, {u"vendor"_s, u"fai"_s}, {u"colour"_s, 1}}),
        400, u"colour"_s);
    EXPECT_API_ERROR(
        c->postJson(listPath(w.projectId),
                    {{u"name"_s, u"x"_s}, {u"vendor"_s, u"fai"_s}, {u"active"_s, u"yes"_s}}),
        400);
    EXPECT_API_ERROR(c->postJson(listPath(w.projectId), {{u"name"_s, u"x"_s},
                                                         {u"vendor"_s, u"fai"_s},
                                                         {u"credential_id"_s, u"nope"_s}}),
                     400);
    // Linked datasets: a bucket is required; listing azure/gcp from pfd is not there yet.
    EXPECT_API_ERROR(
        c->postJson(listPath(w.projectId), {{u"name"_s, u"x"_s}, {u"vendor"_s, u"aws"_s}}), 400);
    EXPECT_API_ERROR(c->postJson(listPath(w.projectId), {{u"name"_s, u"x"_s},
                                                         {u"vendor"_s, u"gcp"_s},
                                                         {u"storage_name"_s, u"bucket"_s}}),
                     501);
    const HttpReply linked = c->postJson(
        listPath(w.projectId),
        {{u"name"_s, u"linked"_s},
         {u"vendor"_s, u"aws"_s},
         {u"storage_name"_s, u"bucket"_s},
         {u"files"_s, QJsonArray{QJsonObject{{u"path"_s, u"a/b.txt"_s}, {u"size"_s, 3}}}}});
    ASSERT_EQ(linked.status, 201) << show(linked);
    EXPECT_TRUE(linked.json().value(u"active"_s).toBool());
    const qint64 linkedId = linked.json().value(u"id"_s).toInteger();
    EXPECT_API_ERROR(c->postJson(path(linkedId, u"upload/"_s), {{u"paths"_s, QJsonArray{u"a"_s}}}),
                     409);

    const qint64 id = createFai(w.owner, w.projectId, u"paths"_s);
    const QStringList bad{u"../escape"_s, u"/abs"_s,           u"a//b"_s, u"a/./b"_s,
                          u"a/../b"_s,    u"a\\b"_s,           u""_s,     u"dir/"_s,
                          u"a\0b"_s,      QString(1025, u'x'), u"."_s,    u".."_s};
    for (const QString &p : bad) {
        SCOPED_TRACE(p.left(40).toStdString());
        EXPECT_API_ERROR(c->postJson(path(id, u"upload/"_s), {{u"paths"_s, QJsonArray{p}}}), 400);
        EXPECT_API_ERROR(
            c->postJson(path(id, u"start_mpu/"_s), {{u"path"_s, p}, {u"num_parts"_s, 1}}), 400);
        EXPECT_API_ERROR(
            c->patchJson(path(id),
                         {{u"files"_s, QJsonArray{QJsonObject{{u"path"_s, p}, {u"size"_s, 1}}}}}),
            400);
    }
    EXPECT_API_ERROR(c->postJson(path(id, u"upload/"_s), {{u"paths"_s, QJsonArray()}}), 400);
    EXPECT_API_ERROR(c->postJson(path(id, u"upload/"_s), {{u"paths"_s, u"a"_s}}), 400);
    EXPECT_API_ERROR(
        c->postJson(path(id, u"start_mpu/"_s), {{u"path"_s, u"a"_s}, {u"num_parts"_s, 0}}), 400);
    EXPECT_API_ERROR(
        c->postJson(path(id, u"start_mpu/"_s), {{u"path"_s, u"a"_s}, {u"num_parts"_s, 10001}}),
        400);
    EXPECT_API_ERROR(
        c->patchJson(path(id),
                     {{u"files"_s, QJsonArray{QJsonObject{{u"path"_s, u"a"_s}, {u"size"_s, 1}},
                                              QJsonObject{{u"path"_s, u"a"_s}, {u"size"_s, 2}}}}}),
        400);
    EXPECT_API_ERROR(
        c->patchJson(path(id),
                     {{u"files"_s, QJsonArray{QJsonObject{{u"path"_s, u"a"_s}, {u"size"_s, -1}}}}}),
        400);
    EXPECT_API_ERROR(c->patchJson(path(id), {{u"vendor"_s, u"aws"_s}}), 400);
}

// pfstudio's `add_files`: merged into the files as they are, by path; many
// at once (as uploads finishing together) lose none; not with `files`.
TEST_F(Dataset, AddFilesMergesIntoTheFilesAsTheyAre)
{
    const World w = makeWorld();
    const qint64 id = createFai(w.owner, w.projectId, u"merged"_s);
    auto c = pfd().client(w.owner.token);
    ASSERT_EQ(
        c->patchJson(path(id), {{u"files"_s, fileList({{u"a"_s, "1"}, {u"b"_s, "22"}})}}).status,
        200);
    const HttpReply r =
        c->patchJson(path(id), {{u"add_files"_s, fileList({{u"b"_s, "333"}, {u"c/d"_s, "4444"}})}});
    ASSERT_EQ(r.status, 200) << show(r);
    QStringList listed;
    for (const QJsonValue &v : r.json().value(u"files"_s).toArray())
        listed << u"%1=%2"_s.arg(v[u"path"_s].toString()).arg(v[u"size"_s].toInteger());
    EXPECT_EQ(listed, (QStringList{u"a=1"_s, u"b=3"_s, u"c/d=4"_s}));

    // Twenty PATCHes at once, each adding its own file: all twenty are there.
    std::vector<std::thread> threads;
    for (int i = 0; i < 20; ++i)
        threads.emplace_back([&, i] {
            auto own = pfd().client(w.owner.token);
            const HttpReply added = own->patchJson(
                path(id), {{u"add_files"_s, fileList({{u"many/%1"_s.arg(i), "x"}})}});
            EXPECT_EQ(added.status, 200) << show(added);
        });
    for (std::thread &t : threads)
        t.join();
    const HttpReply after = c->get(path(id));
    EXPECT_EQ(after.json().value(u"files"_s).toArray().size(), 3 + 20) << show(after);

    EXPECT_API_ERROR(c->patchJson(path(id), {{u"files"_s, fileList({{u"a"_s, "1"}})},
                                             {u"add_files"_s, fileList({{u"e"_s, "1"}})}}),
                     400);
    EXPECT_API_ERROR(
        c->patchJson(path(id), {{u"add_files"_s,
                                 QJsonArray{QJsonObject{{u"path"_s, u"../x"_s}, {u"size"_s, 1}}}}}),
        400);
    EXPECT_API_ERROR(c->patchJson(path(id), {{u"add_files"_s, u"nope"_s}}), 400);
}

TEST_F(Dataset, NamesAreUniquePerOrg)
{
    const World w = makeWorld();
    auto c = pfd().client(w.owner.token);
    createFai(w.owner, w.projectId, u"dup"_s);
    EXPECT_API_ERROR(c->postJson(listPath(w.projectId), faiBody(u"dup"_s)), 409);
    // Another project of the same org: taken too.
    const QString second =
        c->postJson(u"/auth/pf_group/%1/pf_project"_s.arg(w.orgId), {{u"name"_s, u"second"_s}})
            .json()
            .value(u"id"_s)
            .toString();
    ASSERT_FALSE(second.isEmpty());
    EXPECT_API_ERROR(c->postJson(listPath(second), faiBody(u"dup"_s)), 409);
    // Another org: free.
    const World other = makeWorld();
    EXPECT_EQ(pfd()
                  .client(other.owner.token)
                  ->postJson(listPath(other.projectId), faiBody(u"dup"_s))
                  .status,
              201);
    // Renaming onto a taken name: 409.
    const qint64 id = createFai(w.owner, w.projectId, u"free"_s);
    EXPECT_API_ERROR(c->patchJson(path(id), {{u"name"_s, u"dup"_s}}), 409);
}

TEST_F(Dataset, RolesGuestReadsDevelopUploadsMaintainDeletesOthers)
{
    const World w = makeWorld();
    const User guest = projectMember(w, u"guest"_s);
    const User developer = projectMember(w, u"develop"_s);
    const User other = projectMember(w, u"develop"_s);
    const User maintainer = projectMember(w, u"maintain"_s);
    const User outsider = newUser(u"outsider"_s);
    ASSERT_FALSE(maintainer.id.isEmpty());

    EXPECT_API_ERROR(pfd().client(guest.token)->postJson(listPath(w.projectId), faiBody(u"g"_s)),
                     403);
    EXPECT_API_ERROR(pfd().client(outsider.token)->postJson(listPath(w.projectId), faiBody(u"o"_s)),
                     404);
    EXPECT_API_ERROR(pfd().client(outsider.token)->get(listPath(w.projectId)), 404);
    EXPECT_EQ(pfd().client(guest.token)->get(listPath(w.projectId)).status, 200);

    const qint64 id = createFai(developer, w.projectId, u"mine"_s);
    uploadFiles(developer, id, {{u"f"_s, "data"}});
    EXPECT_API_ERROR(pfd().client(outsider.token)->get(path(id)), 404);
    EXPECT_API_ERROR(pfd()
                         .client(guest.token)
                         ->postJson(path(id, u"upload/"_s), {{u"paths"_s, QJsonArray{u"x"_s}}}),
                     403);
    EXPECT_API_ERROR(pfd().client(guest.token)->del(path(id)), 403);
    EXPECT_API_ERROR(pfd().client(other.token)->del(path(id)), 403);
    EXPECT_API_ERROR(pfd().client(other.token)->patchJson(path(id), {{u"name"_s, u"theirs"_s}}),
                     403);

    // Deleting removes the stored bytes: the old signed URL finds nothing.
    ASSERT_EQ(
        pfd()
            .client(developer.token)
            ->patchJson(path(id), {{u"files"_s, fileList({{u"f"_s, "data"}})}, {u"active"_s, true}})
            .status,
        200);
    const QString url = downloadUrl(guest, id, u"f"_s);
    ASSERT_EQ(get(url).status, 200);
    EXPECT_EQ(pfd().client(maintainer.token)->del(path(id)).status, 204);
    EXPECT_API_ERROR(pfd().client(developer.token)->get(path(id)), 404);
    EXPECT_API_ERROR(get(url), 404);
}

TEST_F(Dataset, SignedUrlsGrantOneMethodOnOneKey)
{
    const World w = makeWorld();
    const qint64 id = createFai(w.owner, w.projectId, u"signed"_s);
    auto c = pfd().client(w.owner.token);
    const HttpReply urls =
        c->postJson(path(id, u"upload/"_s), {{u"paths"_s, QJsonArray{u"a.txt"_s, u"b.txt"_s}}});
    ASSERT_EQ(urls.status, 200) << show(urls);
    const QString a = urls.jsonArray().at(0).toObject().value(u"upload_url"_s).toString();
    const QString b = urls.jsonArray().at(1).toObject().value(u"upload_url"_s).toString();
    QUrl ua(a);
    QUrl ub(b);

    // a's signature on b's key.
    QUrl swapped = ua;
    QUrlQuery q(ua);
    q.removeQueryItem(u"key"_s);
    q.addQueryItem(u"key"_s, QUrlQuery(ub).queryItemValue(u"key"_s));
    swapped.setQuery(q);
    EXPECT_API_ERROR(put(swapped.toString(), "x"), 403);
    // A changed expiry, a changed or missing signature.
    QUrlQuery later(ua);
    later.removeQueryItem(u"expires"_s);
    later.addQueryItem(u"expires"_s, u"99999999999"_s);
    QUrl u = ua;
    u.setQuery(later);
    EXPECT_API_ERROR(put(u.toString(), "x"), 403);
    QUrlQuery forged(ua);
    const QString sig = forged.queryItemValue(u"sig"_s);
    forged.removeQueryItem(u"sig"_s);
    forged.addQueryItem(u"sig"_s, (sig.left(1) == u"A"_s ? u"B"_s : u"A"_s) + sig.mid(1));
    u.setQuery(forged);
    EXPECT_API_ERROR(put(u.toString(), "x"), 403);
    forged.removeQueryItem(u"sig"_s);
    u.setQuery(forged);
    EXPECT_API_ERROR(put(u.toString(), "x"), 403);
    forged.addQueryItem(u"sig"_s, u"!!!"_s);
    u.setQuery(forged);
    EXPECT_API_ERROR(put(u.toString(), "x"), 403);
    // A PUT URL does not read.
    ASSERT_EQ(put(a, "bytes").status, 200);
    EXPECT_API_ERROR(get(a), 403);
    // A bearer token does not replace a signature.
    QUrl bare = ua;
    QUrlQuery keyOnly;
    keyOnly.addQueryItem(u"key"_s, QUrlQuery(ua).queryItemValue(u"key"_s));
    bare.setQuery(keyOnly);
    EXPECT_API_ERROR(c->request("GET", target(bare.toString()).toStdString(), {}, {}), 403);
    // Odd keys are refused before any signature check.
    EXPECT_API_ERROR(c->request("PUT", "/storage/object?key=../../keys/jwt.key&expires=1&sig=x",
                                "x", "application/octet-stream"),
                     400);
}

TEST_F(Dataset, AThousandSmallFilesInOneDataset)
{
    const World w = makeWorld();
    const qint64 id = createFai(w.owner, w.projectId, u"many"_s);
    QMap<QString, QByteArray> files;
    for (int i = 0; i < 1000; ++i)
        files.insert(u"shard-%1/item-%2.txt"_s.arg(i % 10).arg(i), QByteArray::number(i * 7919));
    const QJsonArray urls = uploadFiles(w.owner, id, files);
    ASSERT_EQ(urls.size(), 1000);
    auto c = pfd().client(w.owner.token);
    const HttpReply active =
        c->patchJson(path(id), {{u"files"_s, fileList(files)}, {u"active"_s, true}});
    ASSERT_EQ(active.status, 200) << show(active);
    EXPECT_EQ(active.json().value(u"files"_s).toArray().size(), 1000);
    const HttpReply all = c->get(path(id, u"download/"_s));
    ASSERT_EQ(all.status, 200);
    const QJsonArray listed = all.json().value(u"files"_s).toArray();
    ASSERT_EQ(listed.size(), 1000);
    // Spot checks: the first, one in the middle, the last.
    for (const int i : {0, 499, 999}) {
        const QJsonObject f = listed.at(i).toObject();
        const HttpReply r = get(f.value(u"download_url"_s).toString());
        EXPECT_EQ(r.body, files.value(f.value(u"path"_s).toString()));
    }
}
