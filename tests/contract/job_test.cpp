// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// The job routes against a real pfd whose VM types have no default quota, so
// that submitted jobs stay enqueued (nothing runs) unless a test grants one.

#include <zip.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "tests/contract/contracthelpers.h"

using namespace pf::test;
using namespace Qt::StringLiterals;

namespace {

const QString kConfig = uR"(auth:
  password_hashing: minimal
  login_failures_per_user: 10000
  login_failures_per_address: 100000
vm_types:
  - {code: test-cpu-1c, devices_per_vm: 1, vcpu: 1, memory_gib: 1, max_vms: 4, default_quota: 0}
  - {code: test-cpu-2c, devices_per_vm: 2, vcpu: 2, memory_gib: 2, max_vms: 1, default_quota: 0}
jobs:
  sandbox: none
)"_s;

QJsonObject spec(const QString &experiment = u"exp"_s, const QString &vm = u"test-cpu-1c"_s,
                 int devices = 1)
{
    return QJsonObject{
        {u"experiment"_s, experiment},
        {u"name"_s, u"my-job"_s},
        {u"vm"_s, vm},
        {u"num_devices"_s, devices},
        {u"job_setting"_s,
         QJsonObject{
             {u"type"_s, u"custom"_s},
             {u"docker"_s, QJsonObject{{u"image"_s, u"friendliai/periflow:sdk"_s},
                                       {u"command"_s, u"cd /workspace && python3 main.py"_s}}},
             {u"workspace"_s, QJsonObject{{u"mount_path"_s, u"/workspace"_s}}}}},
        {u"checkpoint"_s, QJsonObject{{u"output_checkpoint_dir"_s, u"/workspace/ckpt"_s}}},
    };
}

// A zip made with libzip: entries (name -> content); a name ending in '/'
// is a folder.
QByteArray makeZip(const QString &path, const QList<QPair<QString, QByteArray>> &entries)
{
    int error = 0;
    zip_t *z = zip_open(path.toLocal8Bit().constData(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    if (!z)
        return {};
    for (const auto &[name, content] : entries) {
        const QByteArray n = name.toUtf8();
        if (n.endsWith('/')) {
            zip_dir_add(z, n.constData(), ZIP_FL_ENC_UTF_8);
            continue;
        }
        void *copy = malloc(size_t(std::max<qsizetype>(1, content.size())));
        memcpy(copy, content.constData(), size_t(content.size()));
        zip_source_t *src = zip_source_buffer(z, copy, zip_uint64_t(content.size()), 1);
        const zip_int64_t index =
            zip_file_add(z, n.constData(), src, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
        zip_set_file_compression(z, zip_uint64_t(index), ZIP_CM_STORE, 0);
    }
    zip_close(z);
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

std::string multipart(const QByteArray &data, const QByteArray &zip, const std::string &boundary)
{
    std::string body;
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n";
    body += data.toStdString() + "\r\n";
    if (!zip.isNull()) {
        body += "--" + boundary +
                "\r\nContent-Disposition: form-data; name=\"workspace_zip\"; "
                "filename=\"workspace.zip\"\r\n"
                "Content-Type: application/zip\r\n\r\n";
        body.append(zip.constData(), size_t(zip.size()));
        body += "\r\n";
    }
    body += "--" + boundary + "--\r\n";
    return body;
}

} // namespace

class Jobs : public ApiTest
{
protected:
    static void SetUpTestSuite() { startPfd(kConfig); }

    static QString jobs(const World &w) { return u"/api/project/%1/job/"_s.arg(w.projectId); }
    static QString job(const World &w, qint64 number)
    {
        return u"/api/project/%1/job/%2/"_s.arg(w.projectId).arg(number);
    }
    static HttpReply submit(const World &w, const QJsonObject &s)
    {
        return pfd().client(w.owner.token)->postJson(jobs(w), s);
    }
    // Text of the job's log records, oldest first.
    static QStringList logLines(const World &w, qint64 number, const QString &extra = {})
    {
        const HttpReply r = pfd()
                                .client(w.owner.token)
                                ->get(job(w, number) + u"text_log/?ascending=true"_s + extra);
        QStringList out;
        for (const QJsonValue &v : r.json().value(u"results"_s).toArray())
            out << v.toObject().value(u"content"_s).toString();
        return out;
    }
};

TEST_F(Jobs, SubmitAnswersTheJobWithNumberAndCanonicalConfig)
{
    const World w = makeWorld();
    const HttpReply r = submit(w, spec(u"computer-vision"_s));
    ASSERT_EQ(r.status, 201) << show(r);
    const QJsonObject j = r.json();
    EXPECT_TRUE(isUuid(j.value(u"id"_s).toString()));
    EXPECT_EQ(j.value(u"number"_s).toInt(), 1);
    EXPECT_EQ(j.value(u"name"_s).toString(), u"my-job"_s);
    EXPECT_TRUE(j.value(u"status"_s).toString() == u"waiting"_s ||
                j.value(u"status"_s).toString() == u"enqueued"_s)
        << show(r);
    EXPECT_EQ(j.value(u"num_desired_devices"_s).toInt(), 1);
    EXPECT_EQ(j.value(u"experiment"_s).toObject().value(u"name"_s).toString(),
              u"computer-vision"_s);
    EXPECT_EQ(j.value(u"user"_s).toObject().value(u"username"_s).toString(), w.owner.username);
    EXPECT_EQ(j.value(u"vm_config"_s)
                  .toObject()
                  .value(u"vm_config_type"_s)
                  .toObject()
                  .value(u"code"_s)
                  .toString(),
              u"test-cpu-1c"_s);
    EXPECT_EQ(j.value(u"progress"_s).toDouble(), 0.0);
    // The stored spec is after the rewrites: ids, and the command split.
    const QJsonObject config = j.value(u"config"_s).toObject();
    EXPECT_TRUE(config.contains(u"vm_config_id"_s)) << show(r);
    EXPECT_TRUE(config.contains(u"experiment_id"_s)) << show(r);
    EXPECT_EQ(config.value(u"job_setting"_s)
                  .toObject()
                  .value(u"docker"_s)
                  .toObject()
                  .value(u"command"_s)
                  .toObject()
                  .value(u"run"_s)
                  .toString(),
              u"cd /workspace && python3 main.py"_s);
    // The experiment was created on first use and lists the job.
    const qint64 experimentId = j.value(u"experiment"_s).toObject().value(u"id"_s).toInteger();
    const HttpReply e =
        pfd().client(w.owner.token)->get(u"/api/experiment/%1/job/"_s.arg(experimentId));
    ASSERT_EQ(e.status, 200) << show(e);
    EXPECT_EQ(e.json().value(u"results"_s).toArray().size(), 1);

    // Numbers count per project.
    EXPECT_EQ(submit(w, spec(u"computer-vision"_s)).json().value(u"number"_s).toInt(), 2);
    EXPECT_EQ(submit(makeWorld(), spec()).json().value(u"number"_s).toInt(), 1);
}

TEST_F(Jobs, TheSpecAfterTheRewritesIsAcceptedToo)
{
    const World w = makeWorld();
    auto c = pfd().client(w.owner.token);
    const qint64 vmId = c->get(u"/api/group/%1/vm_config/"_s.arg(w.orgId))
                            .jsonArray()
                            .at(0)
                            .toObject()
                            .value(u"id"_s)
                            .toInteger();
    const qint64 expId =
        c->postJson(u"/api/project/%1/experiment/"_s.arg(w.projectId), {{u"name"_s, u"e1"_s}})
            .json()
            .value(u"id"_s)
            .toInteger();
    QJsonObject s = spec();
    s.remove(u"vm"_s);
    s.remove(u"experiment"_s);
    s.insert(u"vm_config_id"_s, vmId);
    s.insert(u"experiment_id"_s, expId);
    QJsonObject setting = s.value(u"job_setting"_s).toObject();
    QJsonObject docker = setting.value(u"docker"_s).toObject();
    docker.insert(u"command"_s,
                  QJsonObject{{u"setup"_s, u"pip list"_s}, {u"run"_s, u"python3 x.py"_s}});
    setting.insert(u"docker"_s, docker);
    setting.insert(u"launch_mode"_s, u"node"_s);
    s.insert(u"job_setting"_s, setting);
    const HttpReply r = c->postJson(jobs(w), s);
    ASSERT_EQ(r.status, 201) << show(r);
    EXPECT_EQ(r.json().value(u"experiment"_s).toObject().value(u"name"_s).toString(), u"e1"_s);
}

TEST_F(Jobs, InvalidSpecsAre422WithEveryPath)
{
    const World w = makeWorld();
    // Each required key missing in turn.
    const QList<QPair<QString, QString>> required{{u"vm"_s, u"vm"_s},
                                                  {u"num_devices"_s, u"num_devices"_s},
                                                  {u"job_setting"_s, u"job_setting"_s}};
    for (const auto &[key, path] : required) {
        QJsonObject s = spec();
        s.remove(key);
        EXPECT_FIELD_ERROR(submit(w, s), 422, path);
    }
    for (const QString &key : {u"image"_s, u"command"_s}) {
        QJsonObject s = spec();
        QJsonObject setting = s.value(u"job_setting"_s).toObject();
        QJsonObject docker = setting.value(u"docker"_s).toObject();
        docker.remove(key);
        setting.insert(u"docker"_s, docker);
        s.insert(u"job_setting"_s, setting);
        EXPECT_FIELD_ERROR(submit(w, s), 422, u"job_setting.docker."_s + key);
    }
    {
        QJsonObject s = spec();
        QJsonObject setting = s.value(u"job_setting"_s).toObject();
        setting.remove(u"type"_s);
        s.insert(u"job_setting"_s, setting);
        EXPECT_FIELD_ERROR(submit(w, s), 422, u"job_setting.type"_s);
    }
    QJsonObject wrongType = spec();
    wrongType.insert(u"num_devices"_s, u"two"_s);
    EXPECT_FIELD_ERROR(submit(w, wrongType), 422, u"num_devices"_s);
    QJsonObject unknown = spec();
    unknown.insert(u"gpus"_s, 8);
    EXPECT_FIELD_ERROR(submit(w, unknown), 422, u"gpus"_s);

    // Names the server does not know.
    EXPECT_FIELD_ERROR(submit(w, spec(u"e"_s, u"no-such-vm"_s)), 422, u"vm"_s);
    QJsonObject data = spec();
    data.insert(u"data"_s, QJsonObject{{u"name"_s, u"missing"_s}, {u"mount_path"_s, u"/data"_s}});
    EXPECT_FIELD_ERROR(submit(w, data), 422, u"data.name"_s);
    QJsonObject input = spec();
    input.insert(
        u"checkpoint"_s,
        QJsonObject{{u"input"_s, QJsonObject{{u"id"_s, u"6f1c2d3e-0000-4000-8000-000000000001"_s},
                                             {u"mount_path"_s, u"/init"_s}}}});
    EXPECT_FIELD_ERROR(submit(w, input), 422, u"checkpoint.input.id"_s);
    // 3 devices of a 2-device type need 2 VMs; the server runs one at once.
    EXPECT_FIELD_ERROR(submit(w, spec(u"e"_s, u"test-cpu-2c"_s, 3)), 422, u"num_devices"_s);
    // None of them created a job.
    EXPECT_EQ(pfd().client(w.owner.token)->get(jobs(w)).json().value(u"results"_s).toArray().size(),
              0);
}

TEST_F(Jobs, RolesAndVisibility)
{
    const World w = makeWorld();
    const User guest = projectMember(w, u"guest"_s);
    const User dev = projectMember(w, u"develop"_s);
    const User outsider = newUser(u"outsider"_s);
    EXPECT_API_ERROR(pfd().client(guest.token)->postJson(jobs(w), spec()), 403);
    EXPECT_API_ERROR(pfd().client(outsider.token)->postJson(jobs(w), spec()), 404);
    const HttpReply mine = pfd().client(dev.token)->postJson(jobs(w), spec());
    ASSERT_EQ(mine.status, 201) << show(mine);
    const qint64 n = mine.json().value(u"number"_s).toInteger();
    EXPECT_EQ(pfd().client(guest.token)->get(job(w, n)).status, 200);
    EXPECT_API_ERROR(pfd().client(outsider.token)->get(job(w, n)), 404);
    EXPECT_API_ERROR(pfd().client(outsider.token)->get(job(w, n) + u"text_log/"_s), 404);
    // A guest cannot stop it; another developer neither; its owner can.
    EXPECT_API_ERROR(pfd()
                         .client(guest.token)
                         ->request("POST", QString(job(w, n) + u"cancel/"_s).toStdString(), {}, {}),
                     403);
    const User otherDev = projectMember(w, u"develop"_s);
    EXPECT_API_ERROR(pfd()
                         .client(otherDev.token)
                         ->request("POST", QString(job(w, n) + u"cancel/"_s).toStdString(), {}, {}),
                     403);
    EXPECT_EQ(pfd()
                  .client(dev.token)
                  ->request("POST", QString(job(w, n) + u"cancel/"_s).toStdString(), {}, {})
                  .status,
              200);
    EXPECT_API_ERROR(pfd().client(w.owner.token)->get(job(w, 999)), 404);
}

TEST_F(Jobs, ListFiltersAndPages)
{
    const World w = makeWorld();
    const User dev = projectMember(w, u"develop"_s);
    QJsonObject a = spec(u"ea"_s);
    a.insert(u"name"_s, u"alpha"_s);
    QJsonObject b = spec(u"eb"_s, u"test-cpu-2c"_s, 2);
    b.insert(u"name"_s, u"beta"_s);
    ASSERT_EQ(submit(w, a).status, 201);
    ASSERT_EQ(submit(w, b).status, 201);
    ASSERT_EQ(pfd().client(dev.token)->postJson(jobs(w), a).status, 201);
    auto c = pfd().client(w.owner.token);
    const auto numbers = [&](const QString &query) {
        const HttpReply r = c->get(jobs(w) + query);
        QList<int> out;
        for (const QJsonValue &v : r.json().value(u"results"_s).toArray())
            out << v.toObject().value(u"number"_s).toInt();
        return out;
    };
    EXPECT_EQ(numbers({}), (QList<int>{3, 2, 1})); // newest first
    EXPECT_EQ(numbers(u"?job_name=alpha"_s), (QList<int>{3, 1}));
    EXPECT_EQ(numbers(u"?vm_code=test-cpu-2c"_s), (QList<int>{2}));
    EXPECT_EQ(numbers(u"?user_ids="_s + dev.id), (QList<int>{3}));
    EXPECT_EQ(numbers(u"?user_ids=%1,%2"_s.arg(dev.id, w.owner.id)), (QList<int>{3, 2, 1}));
    EXPECT_EQ(numbers(u"?status=running,success"_s), QList<int>());
    EXPECT_EQ(
        numbers(u"?created_at.since=2000-01-01T00:00:00Z&created_at.until=2999-01-01T00:00:00Z"_s),
        (QList<int>{3, 2, 1}));
    EXPECT_EQ(numbers(u"?created_at.since=2999-01-01T00:00:00Z"_s), QList<int>());
    int pages = 0;
    EXPECT_EQ(allPages(*c, jobs(w), 2, &pages).size(), 3);
    EXPECT_EQ(pages, 2);
    EXPECT_API_ERROR(c->get(jobs(w) + u"?status=sleeping"_s), 400);
    EXPECT_API_ERROR(c->get(jobs(w) + u"?created_at.since=yesterday"_s), 400);
    EXPECT_API_ERROR(c->get(jobs(w) + u"?limit=0"_s), 400);
}

TEST_F(Jobs, OverQuotaWaitsEnqueuedAndCancelsThenDeletes)
{
    const World w = makeWorld();
    auto c = pfd().client(w.owner.token);
    const HttpReply r = submit(w, spec());
    ASSERT_EQ(r.status, 201) << show(r);
    const qint64 n = r.json().value(u"number"_s).toInteger();
    // The scheduler moves it to enqueued, where it stays: quota 0.
    ASSERT_TRUE(QTest::qWaitFor(
        [&] { return c->get(job(w, n)).json().value(u"status"_s).toString() == u"enqueued"_s; },
        10000));
    EXPECT_TRUE(
        c->get(u"/api/project/%1/vm_lock/?status=active"_s.arg(w.projectId)).jsonArray().isEmpty());
    // Enqueued: terminate is the wrong verb, delete is refused.
    EXPECT_API_ERROR(c->request("POST", QString(job(w, n) + u"terminate/"_s).toStdString(), {}, {}),
                     409);
    EXPECT_API_ERROR(c->del(job(w, n)), 409);
    const HttpReply cancelled =
        c->request("POST", QString(job(w, n) + u"cancel/"_s).toStdString(), {}, {});
    ASSERT_EQ(cancelled.status, 200) << show(cancelled);
    EXPECT_EQ(cancelled.json().value(u"status"_s).toString(), u"cancelled"_s);
    EXPECT_FALSE(cancelled.json().value(u"finished_at"_s).toString().isEmpty()) << show(cancelled);
    EXPECT_API_ERROR(c->request("POST", QString(job(w, n) + u"cancel/"_s).toStdString(), {}, {}),
                     409);
    const QStringList lines = logLines(w, n);
    ASSERT_FALSE(lines.isEmpty());
    EXPECT_TRUE(lines.first().startsWith(u"Job submitted"_s)) << lines.join(u" | "_s).toStdString();
    EXPECT_EQ(lines.last(), u"Job cancelled."_s);
    EXPECT_EQ(c->del(job(w, n)).status, 204);
    EXPECT_API_ERROR(c->get(job(w, n)), 404);
}

TEST_F(Jobs, TextLogOrderFiltersAndErrors)
{
    const World w = makeWorld();
    auto c = pfd().client(w.owner.token);
    const qint64 n = submit(w, spec()).json().value(u"number"_s).toInteger();
    ASSERT_EQ(c->request("POST", QString(job(w, n) + u"cancel/"_s).toStdString(), {}, {}).status,
              200);
    const HttpReply asc = c->get(job(w, n) + u"text_log/?ascending=true"_s);
    const HttpReply desc = c->get(job(w, n) + u"text_log/"_s);
    ASSERT_EQ(asc.status, 200) << show(asc);
    const QJsonArray up = asc.json().value(u"results"_s).toArray();
    const QJsonArray down = desc.json().value(u"results"_s).toArray();
    ASSERT_EQ(up.size(), 2) << show(asc);
    ASSERT_EQ(down.size(), 2);
    EXPECT_EQ(up.first().toObject().value(u"seq"_s).toInteger(), 1);
    EXPECT_EQ(down.first().toObject().value(u"seq"_s).toInteger(), 2); // newest first by default
    const QJsonObject record = up.first().toObject();
    EXPECT_EQ(record.value(u"type"_s).toString(), u"vmlog"_s);
    EXPECT_EQ(record.value(u"node_rank"_s).toInt(), -1);
    EXPECT_TRUE(record.value(u"timestamp"_s).toString().endsWith(u'Z'));
    EXPECT_EQ(logLines(w, n, u"&log_types=stdout"_s), QStringList());
    EXPECT_EQ(logLines(w, n, u"&node_ranks=-1&content=cancel"_s), QStringList{u"Job cancelled."_s});
    // Paging with a cursor: one record a page.
    const HttpReply first = c->get(job(w, n) + u"text_log/?ascending=true&limit=1"_s);
    const QString cursor = first.json().value(u"next_cursor"_s).toString();
    ASSERT_FALSE(cursor.isEmpty()) << show(first);
    const HttpReply second =
        c->get(job(w, n) + u"text_log/?ascending=true&limit=1&cursor="_s + cursor);
    EXPECT_EQ(
        second.json().value(u"results"_s).toArray().first().toObject().value(u"seq"_s).toInteger(),
        2);
    for (const QString &bad : {u"limit=0"_s, u"limit=100001"_s, u"ascending=maybe"_s,
                               u"log_types=debug"_s, u"node_ranks=x"_s, u"cursor=nope"_s})
        EXPECT_API_ERROR(c->get(job(w, n) + u"text_log/?"_s + bad), 400);
}

TEST_F(Jobs, MetricsCheckpointsAndArtifactsOfANewJobAreEmpty)
{
    const World w = makeWorld();
    auto c = pfd().client(w.owner.token);
    const qint64 n = submit(w, spec()).json().value(u"number"_s).toInteger();
    EXPECT_EQ(c->get(job(w, n) + u"metric/"_s).jsonArray(), QJsonArray());
    EXPECT_EQ(c->get(job(w, n) + u"metric/loss/"_s).jsonArray(), QJsonArray());
    EXPECT_EQ(c->get(job(w, n) + u"metric/loss/?buckets=10"_s).jsonArray(), QJsonArray());
    EXPECT_API_ERROR(c->get(job(w, n) + u"metric/loss/?buckets=0"_s), 400);
    EXPECT_EQ(c->get(job(w, n) + u"checkpoint/"_s).jsonArray(), QJsonArray());
    EXPECT_EQ(c->get(job(w, n) + u"artifact/"_s).jsonArray(), QJsonArray());
    EXPECT_API_ERROR(c->get(job(w, n) + u"artifact/1/download/"_s), 404);
}

TEST_F(Jobs, MultipartWithAWorkspaceIsExtractedIntoTheJob)
{
    const World w = makeWorld();
    QTemporaryDir tmp;
    const QByteArray zip =
        makeZip(tmp.filePath(u"w.zip"_s), {{u"cifar/"_s, {}},
                                           {u"cifar/main.py"_s, "print('hello')\n"},
                                           {u"cifar/util/data.py"_s, "X = 1\n"}});
    ASSERT_FALSE(zip.isEmpty());
    auto c = pfd().client(w.owner.token);
    const std::string boundary = "pfboundary7d2c";
    const HttpReply r =
        c->request("POST", jobs(w).toStdString(),
                   multipart(QJsonDocument(spec()).toJson(QJsonDocument::Compact), zip, boundary),
                   "multipart/form-data; boundary=" + boundary);
    ASSERT_EQ(r.status, 201) << show(r);
    const QString dir = pfd().dataDir() + u"/jobs/"_s + r.json().value(u"id"_s).toString();
    QFile main(dir + u"/workspace/cifar/main.py"_s);
    ASSERT_TRUE(main.open(QIODevice::ReadOnly)) << dir.toStdString();
    EXPECT_EQ(main.readAll(), QByteArray("print('hello')\n"));
    EXPECT_TRUE(QFile::exists(dir + u"/workspace/cifar/util/data.py"_s));
    // Nothing left behind in the upload spool.
    EXPECT_TRUE(QDir(pfd().dataDir() + u"/tmp"_s)
                    .entryList(QDir::NoDotAndDotDot | QDir::AllEntries)
                    .isEmpty());
}

TEST_F(Jobs, HostileWorkspacesAreRefusedAndCreateNothing)
{
    const World w = makeWorld();
    QTemporaryDir tmp;
    auto c = pfd().client(w.owner.token);
    const std::string boundary = "pfb";
    const QByteArray data = QJsonDocument(spec()).toJson(QJsonDocument::Compact);
    const auto post = [&](const QByteArray &zip) {
        return c->request("POST", jobs(w).toStdString(), multipart(data, zip, boundary),
                          "multipart/form-data; boundary=" + boundary);
    };
    // Zip slip and absolute paths.
    EXPECT_API_ERROR(post(makeZip(tmp.filePath(u"slip.zip"_s), {{u"../evil.py"_s, "x"}})), 400);
    EXPECT_API_ERROR(post(makeZip(tmp.filePath(u"abs.zip"_s), {{u"/etc/evil"_s, "x"}})), 400);
    // Not a zip at all.
    EXPECT_API_ERROR(post(QByteArray("this is not a zip file")), 400);
    // A bad multipart body, and a spec that is not JSON.
    EXPECT_API_ERROR(c->request("POST", jobs(w).toStdString(), "--pfb\r\nnonsense",
                                "multipart/form-data; boundary=pfb"),
                     400);
    EXPECT_API_ERROR(post(QByteArray("")), 400); // an empty file is not a zip
    EXPECT_API_ERROR(c->request("POST", jobs(w).toStdString(), multipart("{not json", {}, boundary),
                                "multipart/form-data; boundary=" + boundary),
                     400);
    EXPECT_EQ(c->get(jobs(w)).json().value(u"results"_s).toArray().size(), 0);
    // Over 100 MB: refused before it is read.
    const HttpReply big =
        c->request("POST", jobs(w).toStdString(), std::string(111 * 1024 * 1024, 'x'),
                   "multipart/form-data; boundary=" + boundary);
    EXPECT_API_ERROR(big, 413);
    EXPECT_TRUE(QDir(pfd().dataDir() + u"/tmp"_s)
                    .entryList(QDir::NoDotAndDotDot | QDir::AllEntries)
                    .isEmpty());
}
