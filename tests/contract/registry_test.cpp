// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// Contract: the model registry (API.md "Checkpoints (model registry)"),
// under /registry/ and at the root.

#include <thread>

#include <QCryptographicHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QUrl>

#include "tests/contract/contracthelpers.h"
#include "tests/support/streamtransfer.h"

using namespace pf::test;
using namespace Qt::StringLiterals;

class Registry : public ApiTest
{
protected:
    static void SetUpTestSuite()
    {
        startPfd(PfdProcess::defaultConfig() + u"storage:\n  sweep_interval_s: 1\n"_s);
    }

    static QString models(const World &w, const QString &prefix = u"/registry"_s)
    {
        return prefix + u"/orgs/%1/prjs/%2/models/"_s.arg(w.orgId, w.projectId);
    }

    static QJsonObject userCheckpoint(const QString &name)
    {
        return {{u"name"_s, name},
                {u"model_category"_s, u"USER"_s},
                {u"form_category"_s, u"HF"_s},
                {u"vendor"_s, u"fai"_s},
                {u"iteration"_s, 1200},
                {u"attributes"_s, QJsonObject{{u"arch"_s, u"gpt"_s}, {u"layers"_s, 12}}},
                {u"dist_json"_s, QJsonObject{{u"tp"_s, 2}}}};
    }

    static std::string target(const QString &url) { return targetOf(url); }

    // Registers a USER checkpoint with `files` uploaded and listed; the checkpoint.
    static QJsonObject registerWithFiles(const User &by, const World &w, const QString &name,
                                         const QMap<QString, QByteArray> &files)
    {
        auto c = pfd().client(by.token);
        const HttpReply r = c->postJson(models(w), userCheckpoint(name));
        EXPECT_EQ(r.status, 201) << show(r);
        const QString form =
            r.json().value(u"forms"_s).toArray().at(0).toObject().value(u"id"_s).toString();
        QJsonArray paths;
        QJsonArray listed;
        for (auto it = files.begin(); it != files.end(); ++it) {
            paths.append(it.key());
            listed.append(QJsonObject{{u"path"_s, it.key()}, {u"size"_s, it.value().size()}});
        }
        const HttpReply urls =
            c->postJson(u"/registry/model_forms/%1/upload/"_s.arg(form), {{u"paths"_s, paths}});
        EXPECT_EQ(urls.status, 200) << show(urls);
        for (const QJsonValue &v : urls.jsonArray()) {
            const QJsonObject o = v.toObject();
            EXPECT_EQ(pfd()
                          .client()
                          ->request("PUT", target(o.value(u"upload_url"_s).toString()),
                                    files.value(o.value(u"path"_s).toString()).toStdString(),
                                    "application/octet-stream")
                          .status,
                      200);
        }
        // The root form of the route, as some clients call it.
        const HttpReply patched =
            c->patchJson(u"/model_forms/%1/"_s.arg(form), {{u"files"_s, listed}});
        EXPECT_EQ(patched.status, 200) << show(patched);
        return patched.json();
    }

    static HttpReply post(HttpClient &c, const QString &path)
    {
        return c.request("POST", path.toStdString(), {}, {});
    }

    static QString formOf(const QJsonObject &checkpoint)
    {
        return checkpoint.value(u"forms"_s).toArray().at(0).toObject().value(u"id"_s).toString();
    }
};

TEST_F(Registry, RegisterUploadListAndDownloadUnderBothPrefixes)
{
    const World w = makeWorld();
    const User developer = projectMember(w, u"develop"_s);
    ASSERT_FALSE(developer.id.isEmpty());
    const QMap<QString, QByteArray> files{{u"config.json"_s, "{\"layers\": 12}"},
                                          {u"weights/part-0.bin"_s, QByteArray(70000, 'w')}};
    const QJsonObject c = registerWithFiles(developer, w, u"gpt-small"_s, files);
    EXPECT_TRUE(isUuid(c.value(u"id"_s).toString()));
    EXPECT_EQ(c.value(u"name"_s).toString(), u"gpt-small"_s);
    EXPECT_EQ(c.value(u"model_category"_s).toString(), u"USER"_s);
    EXPECT_EQ(c.value(u"iteration"_s).toInteger(), 1200);
    EXPECT_EQ(c.value(u"attributes"_s).toObject(),
              (QJsonObject{{u"arch"_s, u"gpt"_s}, {u"layers"_s, 12}}));
    EXPECT_EQ(c.value(u"dist_json"_s).toObject(), (QJsonObject{{u"tp"_s, 2}}));
    EXPECT_FALSE(c.value(u"deleted"_s).toBool(true));
    EXPECT_TRUE(c.value(u"job_id"_s).isNull());
    const QJsonObject form = c.value(u"forms"_s).toArray().at(0).toObject();
    EXPECT_EQ(form.value(u"form_category"_s).toString(), u"HF"_s);
    EXPECT_EQ(form.value(u"files"_s).toArray().size(), 2);

    // A guest reads it, with and without the /registry prefix.
    const User guest = projectMember(w, u"guest"_s);
    auto g = pfd().client(guest.token);
    for (const QString &prefix : {u"/registry"_s, QString()}) {
        const HttpReply one = g->get(prefix + u"/models/%1/"_s.arg(c.value(u"id"_s).toString()));
        ASSERT_EQ(one.status, 200) << show(one);
        EXPECT_EQ(one.json(), c);
        const HttpReply list = g->get(models(w, prefix));
        ASSERT_EQ(list.status, 200) << show(list);
        EXPECT_EQ(list.json().value(u"results"_s).toArray(), QJsonArray{c});
        EXPECT_TRUE(list.json().value(u"next_cursor"_s).isNull());
        const HttpReply download = g->get(prefix + u"/model_forms/%1/download/"_s.arg(formOf(c)));
        ASSERT_EQ(download.status, 200) << show(download);
        for (const QJsonValue &v : download.json().value(u"files"_s).toArray()) {
            const QJsonObject f = v.toObject();
            const HttpReply bytes = pfd().client()->request(
                "GET", target(f.value(u"download_url"_s).toString()), {}, {});
            EXPECT_EQ(bytes.status, 200);
            EXPECT_EQ(bytes.body, files.value(f.value(u"path"_s).toString()));
        }
    }
    // Listing files that were never uploaded (or at another size): refused.
    auto d = pfd().client(developer.token);
    EXPECT_API_ERROR(d->patchJson(u"/registry/model_forms/%1/"_s.arg(formOf(c)),
                                  {{u"files"_s, QJsonArray{QJsonObject{{u"path"_s, u"missing"_s},
                                                                       {u"size"_s, 1}}}}}),
                     400);
    EXPECT_API_ERROR(
        d->patchJson(
            u"/registry/model_forms/%1/"_s.arg(formOf(c)),
            {{u"files"_s, QJsonArray{QJsonObject{{u"path"_s, u"config.json"_s}, {u"size"_s, 3}}}}}),
        400);
}

TEST_F(Registry, MultipartUploadIntoAForm)
{
    const World w = makeWorld();
    auto c = pfd().client(w.owner.token);
    const HttpReply r = c->postJson(models(w), userCheckpoint(u"big"_s));
    ASSERT_EQ(r.status, 201);
    const QString form = formOf(r.json());
    const HttpReply started = c->postJson(u"/registry/model_forms/%1/start_mpu/"_s.arg(form),
                                          {{u"path"_s, u"model.bin"_s}, {u"num_parts"_s, 2}});
    ASSERT_EQ(started.status, 200) << show(started);
    QJsonArray parts;
    const QByteArray data = QByteArray(100000, 'a') + QByteArray(1000, 'b');
    const QList<QByteArray> pieces{data.left(100000), data.mid(100000)};
    for (int i = 0; i < 2; ++i) {
        const HttpReply put =
            pfd().client()->request("PUT",
                                    target(started.json()
                                               .value(u"upload_urls"_s)
                                               .toArray()
                                               .at(i)
                                               .toObject()
                                               .value(u"upload_url"_s)
                                               .toString()),
                                    pieces[i].toStdString(), "application/octet-stream");
        ASSERT_EQ(put.status, 200);
        parts.append(QJsonObject{{u"part_number"_s, i + 1},
                                 {u"etag"_s, QString::fromStdString(put.header("etag"))}});
    }
    const HttpReply done = c->postJson(u"/model_forms/%1/complete_mpu/"_s.arg(form),
                                       {{u"path"_s, u"model.bin"_s},
                                        {u"upload_id"_s, started.json().value(u"upload_id"_s)},
                                        {u"parts"_s, parts}});
    ASSERT_EQ(done.status, 200) << show(done);
    EXPECT_EQ(done.json().value(u"size"_s).toInteger(), data.size());
    ASSERT_EQ(c->patchJson(u"/model_forms/%1/"_s.arg(form),
                           {{u"files"_s, QJsonArray{QJsonObject{{u"path"_s, u"model.bin"_s},
                                                                {u"size"_s, data.size()}}}}})
                  .status,
              200);
    const QString url = c->get(u"/model_forms/%1/download/"_s.arg(form))
                            .json()
                            .value(u"files"_s)
                            .toArray()
                            .at(0)
                            .toObject()
                            .value(u"download_url"_s)
                            .toString();
    EXPECT_EQ(pfd().client()->request("GET", target(url), {}, {}).body, data);
}

TEST_F(Registry, ListFiltersByCategoryAndStatusAndPages)
{
    const World w = makeWorld();
    auto c = pfd().client(w.owner.token);
    QStringList made;
    for (int i = 0; i < 3; ++i) {
        const HttpReply r = c->postJson(models(w), userCheckpoint(u"c%1"_s.arg(i)));
        ASSERT_EQ(r.status, 201);
        made << r.json().value(u"id"_s).toString();
    }
    QJsonObject job = userCheckpoint(u"from-a-job"_s);
    job.insert(u"model_category"_s, u"JOB"_s);
    const QString jobId = c->postJson(models(w), job).json().value(u"id"_s).toString();

    // Newest first, two at a time.
    const HttpReply first = c->get(models(w) + u"?category=USER&limit=2"_s);
    ASSERT_EQ(first.status, 200) << show(first);
    EXPECT_EQ(ids(first.json().value(u"results"_s).toArray()), (QStringList{made[2], made[1]}));
    const QString cursor = first.json().value(u"next_cursor"_s).toString();
    ASSERT_FALSE(cursor.isEmpty());
    const HttpReply second = c->get(models(w) + u"?category=USER&limit=2&cursor="_s + cursor);
    EXPECT_EQ(ids(second.json().value(u"results"_s).toArray()), QStringList{made[0]});
    EXPECT_TRUE(second.json().value(u"next_cursor"_s).isNull());
    EXPECT_EQ(ids(c->get(models(w) + u"?category=JOB"_s).json().value(u"results"_s).toArray()),
              QStringList{jobId});

    ASSERT_EQ(c->del(u"/registry/models/%1/"_s.arg(made[1])).status, 204);
    EXPECT_EQ(ids(c->get(models(w) + u"?category=USER"_s).json().value(u"results"_s).toArray()),
              (QStringList{made[2], made[0]}));
    EXPECT_EQ(ids(c->get(models(w) + u"?status=deleted"_s).json().value(u"results"_s).toArray()),
              QStringList{made[1]});

    EXPECT_API_ERROR(c->get(models(w) + u"?category=OTHER"_s), 400);
    EXPECT_API_ERROR(c->get(models(w) + u"?status=gone"_s), 400);
    EXPECT_API_ERROR(c->get(models(w) + u"?cursor=bogus"_s), 400);
    // The project must be in the org of the path.
    const World other = makeWorld();
    EXPECT_API_ERROR(c->get(u"/registry/orgs/%1/prjs/%2/models/"_s.arg(other.orgId, w.projectId)),
                     404);
}

TEST_F(Registry, SoftDeleteRestoreAndHardDeleteAfterADay)
{
    const World w = makeWorld();
    const QJsonObject c = registerWithFiles(w.owner, w, u"doomed"_s, {{u"w.bin"_s, "weights"}});
    const QString id = c.value(u"id"_s).toString();
    auto o = pfd().client(w.owner.token);
    const QString url = o->get(u"/registry/model_forms/%1/download/"_s.arg(formOf(c)))
                            .json()
                            .value(u"files"_s)
                            .toArray()
                            .at(0)
                            .toObject()
                            .value(u"download_url"_s)
                            .toString();

    EXPECT_API_ERROR(post(*o, u"/registry/models/%1/restore/"_s.arg(id)), 409); // not deleted
    ASSERT_EQ(o->del(u"/registry/models/%1/"_s.arg(id)).status, 204);
    const HttpReply deleted = o->get(u"/registry/models/%1/"_s.arg(id));
    EXPECT_TRUE(deleted.json().value(u"deleted"_s).toBool()) << show(deleted);
    EXPECT_FALSE(deleted.json().value(u"deleted_at"_s).toString().isEmpty());
    // Its files cannot be listed for download while it is deleted; the bytes stay.
    EXPECT_API_ERROR(o->get(u"/registry/model_forms/%1/download/"_s.arg(formOf(c))), 404);
    EXPECT_EQ(pfd().client()->request("GET", target(url), {}, {}).status, 200);
    const HttpReply restored = post(*o, u"/registry/models/%1/restore/"_s.arg(id));
    ASSERT_EQ(restored.status, 200) << show(restored);
    EXPECT_FALSE(restored.json().value(u"deleted"_s).toBool(true));

    // Deleted 25 hours ago (the test moves the clock in pfd's database):
    // no restore, and the background sweep removes the files.
    ASSERT_EQ(o->del(u"/registry/models/%1/"_s.arg(id)).status, 204);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"registry-test"_s);
        db.setDatabaseName(pfd().dataDir() + u"/pfd.db"_s);
        ASSERT_TRUE(db.open());
        QSqlQuery q(db);
        q.prepare(u"UPDATE checkpoints SET deleted_at = deleted_at - ? WHERE id = ?"_s);
        q.addBindValue(qint64(25) * 3600 * 1000);
        q.addBindValue(id);
        ASSERT_TRUE(q.exec());
        db.close();
    }
    QSqlDatabase::removeDatabase(u"registry-test"_s);
    EXPECT_API_ERROR(post(*o, u"/registry/models/%1/restore/"_s.arg(id)), 409);
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    EXPECT_API_ERROR(o->get(u"/registry/models/%1/"_s.arg(id)), 404);
    EXPECT_API_ERROR(pfd().client()->request("GET", target(url), {}, {}), 404);
}

TEST_F(Registry, RolesAndBadBodies)
{
    const World w = makeWorld();
    const User guest = projectMember(w, u"guest"_s);
    const User developer = projectMember(w, u"develop"_s);
    const User other = projectMember(w, u"develop"_s);
    const User maintainer = projectMember(w, u"maintain"_s);
    const User outsider = newUser(u"outsider"_s);
    ASSERT_FALSE(maintainer.id.isEmpty());

    EXPECT_API_ERROR(pfd().client(guest.token)->postJson(models(w), userCheckpoint(u"g"_s)), 403);
    EXPECT_API_ERROR(pfd().client(outsider.token)->get(models(w)), 404);
    const HttpReply mine =
        pfd().client(developer.token)->postJson(models(w), userCheckpoint(u"m"_s));
    ASSERT_EQ(mine.status, 201);
    const QString id = mine.json().value(u"id"_s).toString();
    EXPECT_API_ERROR(pfd().client(outsider.token)->get(u"/registry/models/%1/"_s.arg(id)), 404);
    EXPECT_API_ERROR(pfd().client(guest.token)->del(u"/registry/models/%1/"_s.arg(id)), 403);
    EXPECT_API_ERROR(pfd().client(other.token)->del(u"/registry/models/%1/"_s.arg(id)), 403);
    EXPECT_API_ERROR(pfd()
                         .client(other.token)
                         ->patchJson(u"/registry/models/%1/"_s.arg(id), {{u"name"_s, u"taken"_s}}),
                     403);
    EXPECT_API_ERROR(pfd()
                         .client(guest.token)
                         ->postJson(u"/registry/model_forms/%1/upload/"_s.arg(formOf(mine.json())),
                                    {{u"paths"_s, QJsonArray{u"x"_s}}}),
                     403);
    const HttpReply renamed = pfd()
                                  .client(developer.token)
                                  ->patchJson(u"/registry/models/%1/"_s.arg(id),
                                              {{u"name"_s, u"renamed"_s}, {u"iteration"_s, 7}});
    ASSERT_EQ(renamed.status, 200) << show(renamed);
    EXPECT_EQ(renamed.json().value(u"name"_s).toString(), u"renamed"_s);
    EXPECT_EQ(renamed.json().value(u"iteration"_s).toInteger(), 7);
    EXPECT_EQ(pfd().client(maintainer.token)->del(u"/registry/models/%1/"_s.arg(id)).status, 204);

    auto c = pfd().client(developer.token);
    QJsonObject bad = userCheckpoint(u"x"_s);
    bad.insert(u"model_category"_s, u"OTHER"_s);
    EXPECT_API_ERROR(c->postJson(models(w), bad), 400);
    bad = userCheckpoint(u"x"_s);
    bad.insert(u"form_category"_s, u"PYTORCH"_s);
    EXPECT_API_ERROR(c->postJson(models(w), bad), 400);
    bad = userCheckpoint(u"x"_s);
    bad.insert(u"colour"_s, u"red"_s);
    EXPECT_FIELD_ERROR(c->postJson(models(w), bad), 400, u"colour"_s);
    bad = userCheckpoint(u"x"_s);
    bad.insert(u"files"_s, QJsonArray{QJsonObject{{u"path"_s, u"a"_s}, {u"size"_s, 1}}});
    EXPECT_API_ERROR(c->postJson(models(w), bad), 400); // fai files come after their upload
    bad.insert(u"vendor"_s, u"s3"_s);
    bad.insert(u"storage_name"_s, u"bucket"_s);
    EXPECT_EQ(c->postJson(models(w), bad).status, 201); // elsewhere: recorded as given
    bad = userCheckpoint(u"x"_s);
    bad.remove(u"name"_s);
    EXPECT_API_ERROR(c->postJson(models(w), bad), 400);
    EXPECT_API_ERROR(c->get(u"/registry/models/not-a-uuid/"_s), 400);
    EXPECT_API_ERROR(
        c->get(u"/registry/models/%1/"_s.arg(QUuid::createUuid().toString(QUuid::WithoutBraces))),
        404);
}
