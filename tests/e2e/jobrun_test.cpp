// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// Jobs that really run: pfd schedules them, pf-agent runs them in
// bubblewrap, the Python SDK reports steps, metrics and checkpoints.

#include <gtest/gtest.h>
#include <zip.h>

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include "api/jobspec.h"
#include "tests/support/pfdprocess.h"
#include "tests/support/wsclient.h"

using namespace pf::test;
using namespace Qt::StringLiterals;

namespace {

const QString kConfig = uR"(auth:
  password_hashing: minimal
vm_types:
  - {code: e2e-cpu-1c, devices_per_vm: 1, vcpu: 1, memory_gib: 2, max_vms: 4, default_quota: 4}
jobs:
  grace_s: 3
  heartbeat_timeout_s: 10
)"_s;

// Zips `root`'s contents (stored), paths relative to `root`.
bool zipFolder(const QString &root, const QString &zipPath)
{
    int error = 0;
    zip_t *z = zip_open(zipPath.toLocal8Bit().constData(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    if (!z)
        return false;
    QDirIterator it(root, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        const QByteArray name = QDir(root).relativeFilePath(file).toUtf8();
        zip_source_t *src = zip_source_file(z, file.toLocal8Bit().constData(), 0, -1);
        const zip_int64_t index = zip_file_add(z, name.constData(), src, ZIP_FL_ENC_UTF_8);
        if (index < 0)
            return false;
        zip_set_file_compression(z, zip_uint64_t(index), ZIP_CM_STORE, 0);
    }
    return zip_close(z) == 0;
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

class JobRuns : public ::testing::Test
{
protected:
    static void SetUpTestSuite()
    {
        s_pfd = new PfdProcess(kConfig);
        ASSERT_TRUE(s_pfd->start()) << s_pfd->lastError().toStdString();
        s_user = new PfdProcess::User(s_pfd->createUser(u"runner"_s));
        auto c = s_pfd->client(s_user->token);
        s_org = c->postJson(u"/auth/pf_group"_s, {{u"name"_s, u"e2e"_s}})
                    .json()
                    .value(u"id"_s)
                    .toString();
        const QString &org = s_org;
        s_project =
            c->postJson(u"/auth/pf_group/%1/pf_project"_s.arg(org), {{u"name"_s, u"default"_s}})
                .json()
                .value(u"id"_s)
                .toString();
    }
    static void TearDownTestSuite()
    {
        delete s_user;
        delete s_pfd;
        // Each killed pfd owns the data folder its successor used: newest first.
        while (!s_killed.empty()) {
            delete s_killed.back();
            s_killed.pop_back();
        }
    }

    // SIGKILLs pfd and starts a new one on the same data dir (agents find it
    // through DATA_DIR/run/pfd.url), signed in as before.
    static void restartAfterKill()
    {
        s_pfd->kill();
        s_killed.push_back(s_pfd);
        s_pfd = new PfdProcess(kConfig, *s_killed.back());
        ASSERT_TRUE(s_pfd->start()) << s_pfd->lastError().toStdString();
        ASSERT_EQ(s_pfd->login(*s_user), 200);
    }

    static std::unique_ptr<HttpClient> client() { return s_pfd->client(s_user->token); }
    static QString jobPath(qint64 number)
    {
        return u"/api/project/%1/job/%2/"_s.arg(s_project).arg(number);
    }

    // A custom job running `command`, with the given workspace folder (or none).
    static QJsonObject spec(const QString &command)
    {
        return QJsonObject{
            {u"experiment"_s, u"e2e"_s},
            {u"name"_s, u"e2e-job"_s},
            {u"vm"_s, u"e2e-cpu-1c"_s},
            {u"num_devices"_s, 1},
            {u"job_setting"_s,
             QJsonObject{{u"type"_s, u"custom"_s},
                         {u"docker"_s, QJsonObject{{u"image"_s, u"friendliai/periflow:sdk"_s},
                                                   {u"command"_s, command}}},
                         {u"workspace"_s, QJsonObject{{u"mount_path"_s, u"/workspace"_s}}}}},
            {u"checkpoint"_s, QJsonObject{{u"output_checkpoint_dir"_s, u"/workspace/ckpt"_s}}},
        };
    }

    // Submits (with a zip when `workspace` is given); returns the job number.
    static qint64 submit(const QJsonObject &s, const QString &workspace = {})
    {
        auto c = client();
        if (workspace.isEmpty())
            return c->postJson(u"/api/project/%1/job/"_s.arg(s_project), s)
                .json()
                .value(u"number"_s)
                .toInteger();
        QTemporaryDir tmp;
        const QString zipPath = tmp.filePath(u"workspace.zip"_s);
        if (!zipFolder(workspace, zipPath))
            return 0;
        const std::string boundary = "e2eboundary";
        std::string body =
            "--" + boundary + "\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n" +
            QJsonDocument(s).toJson(QJsonDocument::Compact).toStdString() + "\r\n--" + boundary +
            "\r\nContent-Disposition: form-data; name=\"workspace_zip\"; "
            "filename=\"workspace.zip\"\r\n"
            "Content-Type: application/zip\r\n\r\n" +
            readFile(zipPath).toStdString() + "\r\n--" + boundary + "--\r\n";
        const HttpReply r =
            c->request("POST", u"/api/project/%1/job/"_s.arg(s_project).toStdString(), body,
                       "multipart/form-data; boundary=" + boundary);
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        return r.json().value(u"number"_s).toInteger();
    }

    static QJsonObject job(qint64 number) { return client()->get(jobPath(number)).json(); }

    // Waits until the job reaches a terminal status; returns it.
    static QString waitForEnd(qint64 number, int seconds)
    {
        QString status;
        (void)QTest::qWaitFor(
            [&] {
                status = job(number).value(u"status"_s).toString();
                return status == u"success"_s || status == u"failed"_s ||
                       status == u"terminated"_s || status == u"cancelled"_s;
            },
            seconds * 1000);
        return status;
    }

    // Every log line of a type (of the given nodes), oldest first, through
    // every page.
    static QStringList lines(qint64 number, const QString &types = u"stdout"_s,
                             const QString &nodeRanks = {})
    {
        QStringList out;
        QString cursor;
        auto c = client();
        for (int guard = 0; guard < 1000; ++guard) {
            const HttpReply r =
                c->get(jobPath(number) + u"text_log/?ascending=true&limit=10000&log_types="_s +
                       types + (nodeRanks.isEmpty() ? QString() : u"&node_ranks="_s + nodeRanks) +
                       (cursor.isEmpty() ? QString() : u"&cursor="_s + cursor));
            for (const QJsonValue &v : r.json().value(u"results"_s).toArray())
                out << v.toObject().value(u"content"_s).toString();
            cursor = r.json().value(u"next_cursor"_s).toString();
            if (cursor.isEmpty())
                break;
        }
        return out;
    }

    static std::string diagnose(qint64 number)
    {
        const QString text = u"job: "_s + QString::fromUtf8(QJsonDocument(job(number)).toJson()) +
                             u"\nlog:\n"_s +
                             lines(number, u"stdout,stderr,vmlog"_s).join(u'\n').right(4000);
        return text.toStdString();
    }

    static inline PfdProcess *s_pfd = nullptr;
    static inline std::vector<PfdProcess *> s_killed;
    static inline PfdProcess::User *s_user = nullptr;
    static inline QString s_org;
    static inline QString s_project;
};

} // namespace

TEST_F(JobRuns, CifarExampleRunsFromTheTemplateWithMetricsAndACheckpoint)
{
    // The workspace: the example's code and a small synthetic CIFAR-100.
    QTemporaryDir ws;
    const QString source = QStringLiteral(PF_SOURCE_DIR) + u"/examples/cifar"_s;
    ASSERT_TRUE(QDir().mkpath(ws.filePath(u"cifar"_s)));
    ASSERT_TRUE(QFile::copy(source + u"/main.py"_s, ws.filePath(u"cifar/main.py"_s)));
    QProcess gen;
    gen.start(u"/usr/bin/python3"_s,
              {source + u"/make_synthetic_cifar.py"_s, u"--out"_s, ws.filePath(u"data"_s),
               u"--train"_s, u"640"_s, u"--test"_s, u"128"_s, u"--seed"_s, u"3"_s});
    ASSERT_TRUE(gen.waitForFinished(120000));
    ASSERT_EQ(gen.exitCode(), 0) << gen.readAllStandardError().toStdString();

    // The example's own job file, pointed at this server's VM and made short.
    QList<pf::api::SpecIssue> issues;
    QJsonObject s = pf::api::JobSpec::fromYaml(readFile(source + u"/pf-template.yml"_s), &issues);
    ASSERT_TRUE(issues.isEmpty()) << issues.first().message.toStdString();
    s.insert(u"vm"_s, u"e2e-cpu-1c"_s);
    s.insert(u"num_devices"_s, 1);
    s.remove(u"data"_s); // the data travel in the workspace until datasets land
    QJsonObject setting = s.value(u"job_setting"_s).toObject();
    QJsonObject docker = setting.value(u"docker"_s).toObject();
    docker.insert(u"command"_s,
                  u"cd /workspace/cifar && python3 main.py --model softmax --batch-size 32 "
                  u"--log-interval 1 --total-steps 30 --save-interval 10 --test-interval 15 "
                  u"--data-path /workspace/data --save /workspace/ckpt --load /workspace/ckpt"_s);
    setting.insert(u"docker"_s, docker);
    s.insert(u"job_setting"_s, setting);

    const qint64 n = submit(s, ws.path());
    ASSERT_GT(n, 0);
    // Follow it live: the log websocket delivers records until the end.
    WsClient follower("127.0.0.1", s_pfd->port());
    const HttpReply upgrade = follower.connect(u"/ws/project/%1/job/%2/?token=%3"_s.arg(s_project)
                                                   .arg(n)
                                                   .arg(s_user->token)
                                                   .toStdString());
    ASSERT_EQ(upgrade.status, 101) << upgrade.body.toStdString();
    ASSERT_TRUE(
        follower.sendJson({{u"type"_s, u"subscribe"_s},
                           {u"sources"_s, QJsonArray{u"process.stdout"_s, u"process.stderr"_s,
                                                     u"process.vmlog"_s, u"job.metric"_s}},
                           {u"node_ranks"_s, QJsonArray()}}));
    const std::vector<QJsonObject> messages = follower.readUntilClosed(WsClient::Ms(240'000));
    QStringList followed;
    int lossMessages = 0;
    for (const QJsonObject &m : messages) {
        if (m.value(u"source"_s).toString() == u"job.metric"_s &&
            m.value(u"name"_s).toString() == u"loss"_s)
            ++lossMessages;
        else if (m.contains(u"content"_s))
            followed << m.value(u"content"_s).toString();
    }
    ASSERT_FALSE(followed.isEmpty()) << diagnose(n);
    EXPECT_EQ(followed.last(), u"Job completed successfully."_s)
        << followed.join(u'\n').right(2000).toStdString();
    EXPECT_GE(lossMessages, 20) << "live job.metric messages for loss";
    ASSERT_EQ(waitForEnd(n, 60), u"success"_s) << diagnose(n);
    const QJsonObject done = job(n);
    EXPECT_DOUBLE_EQ(done.value(u"progress"_s).toDouble(), 100.0);
    EXPECT_FALSE(done.value(u"started_at"_s).toString().isEmpty());
    EXPECT_FALSE(done.value(u"finished_at"_s).toString().isEmpty());

    // loss at every step, from the SDK through the agent.
    auto c = client();
    const QJsonArray loss = c->get(jobPath(n) + u"metric/loss/"_s).jsonArray();
    EXPECT_GE(loss.size(), 20) << diagnose(n);
    const QJsonArray buckets = c->get(jobPath(n) + u"metric/loss/?buckets=5"_s).jsonArray();
    EXPECT_FALSE(buckets.isEmpty());
    // The checkpoint of the last step.
    const QJsonArray ckpts = c->get(jobPath(n) + u"checkpoint/"_s).jsonArray();
    ASSERT_FALSE(ckpts.isEmpty()) << diagnose(n);
    EXPECT_EQ(ckpts.last().toObject().value(u"iteration"_s).toInteger(), 30) << diagnose(n);
    // The same checkpoint in the model registry, as JOB, with its files
    // downloadable through their signed URLs.
    const QJsonArray registered =
        c->get(u"/registry/orgs/%1/prjs/%2/models/?category=JOB"_s.arg(s_org, s_project))
            .json()
            .value(u"results"_s)
            .toArray();
    ASSERT_FALSE(registered.isEmpty());
    const QJsonObject last = registered.first().toObject(); // newest first
    EXPECT_EQ(last.value(u"id"_s).toString(), ckpts.last().toObject().value(u"id"_s).toString());
    EXPECT_EQ(last.value(u"job_id"_s).toString(), job(n).value(u"id"_s).toString());
    const QString form =
        last.value(u"forms"_s).toArray().at(0).toObject().value(u"id"_s).toString();
    const QJsonArray files = c->get(u"/registry/model_forms/%1/download/"_s.arg(form))
                                 .json()
                                 .value(u"files"_s)
                                 .toArray();
    ASSERT_FALSE(files.isEmpty()) << QJsonDocument(last).toJson().toStdString();
    for (const QJsonValue &v : files) {
        const QUrl url(v.toObject().value(u"download_url"_s).toString());
        const HttpReply got = s_pfd->client()->request(
            "GET", QString(url.path() + u'?' + url.query(QUrl::FullyEncoded)).toStdString(), {},
            {});
        EXPECT_EQ(got.status, 200);
        EXPECT_EQ(got.body.size(), v.toObject().value(u"size"_s).toInteger());
    }
    // The last record says how it ended; the first that it ran on the host image.
    const QStringList platform = lines(n, u"vmlog"_s);
    ASSERT_FALSE(platform.isEmpty());
    EXPECT_EQ(platform.last(), u"Job completed successfully."_s);
    EXPECT_TRUE(platform.join(u'\n').contains(u"friendliai/periflow:sdk"_s))
        << platform.join(u'\n').toStdString();
}

TEST_F(JobRuns, AFailingCommandFailsTheJobAndKeepsItsOutput)
{
    const qint64 n = submit(spec(u"echo before; echo oops >&2; exit 3"_s));
    ASSERT_GT(n, 0);
    ASSERT_EQ(waitForEnd(n, 120), u"failed"_s) << diagnose(n);
    EXPECT_TRUE(job(n).value(u"error_message"_s).toString().contains(u'3')) << diagnose(n);
    EXPECT_EQ(lines(n, u"stdout"_s), QStringList{u"before"_s});
    EXPECT_EQ(lines(n, u"stderr"_s), QStringList{u"oops"_s});
    EXPECT_EQ(lines(n, u"vmlog"_s).last(), u"Job failed."_s);
}

TEST_F(JobRuns, TerminateAsksForAnEmergencySaveThenStops)
{
    // A training loop that saves when the agent asks.
    const QString script = u"import time, periflow_sdk as pf\n"
                           "pf.init(total_train_steps=100000)\n"
                           "for i in range(100000):\n"
                           "    with pf.train_step():\n"
                           "        time.sleep(0.05)\n"
                           "    if pf.is_emergency_save():\n"
                           "        print('emergency save requested', flush=True)\n"
                           "        open('/workspace/ckpt/state', 'w').write(str(i))\n"
                           "        pf.upload_checkpoint()\n"
                           "        time.sleep(60)\n"_s;
    QJsonObject s =
        spec(u"mkdir -p /workspace/ckpt && python3 -c \"$(cat /workspace/train.py)\""_s);
    QTemporaryDir ws;
    QFile f(ws.filePath(u"train.py"_s));
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(script.toUtf8());
    f.close();
    const qint64 n = submit(s, ws.path());
    ASSERT_GT(n, 0);
    auto c = client();
    ASSERT_TRUE(QTest::qWaitFor([&] { return job(n).value(u"progress"_s).toDouble() > 0; }, 120000))
        << diagnose(n);
    const HttpReply t =
        c->request("POST", QString(jobPath(n) + u"terminate/"_s).toStdString(), {}, {});
    ASSERT_EQ(t.status, 200) << t.body.toStdString();
    EXPECT_EQ(waitForEnd(n, 120), u"terminated"_s) << diagnose(n);
    EXPECT_TRUE(lines(n).contains(u"emergency save requested"_s)) << diagnose(n);
}

TEST_F(JobRuns, AMillionLinesAreStoredInOrderOnce)
{
    const qint64 n = submit(spec(u"seq 1 1000000"_s));
    ASSERT_GT(n, 0);
    ASSERT_EQ(waitForEnd(n, 300), u"success"_s) << diagnose(n);
    const QStringList out = lines(n);
    ASSERT_EQ(out.size(), 1000000);
    for (int i = 0; i < out.size(); ++i) {
        if (out[i] != QString::number(i + 1)) {
            FAIL() << "line " << i << " is '" << out[i].toStdString() << "'";
            break;
        }
    }
}

TEST_F(JobRuns, PfdKilledMidJobRestartsAndTheJobFinishesWithoutLoss)
{
    const qint64 n = submit(spec(u"for i in $(seq 1 60); do echo line $i; sleep 0.1; done"_s));
    ASSERT_GT(n, 0);
    ASSERT_TRUE(QTest::qWaitFor([&] { return lines(n).size() >= 10; }, 120000)) << diagnose(n);
    // The agent keeps running and buffering; the new pfd picks the job up.
    ASSERT_NO_FATAL_FAILURE(restartAfterKill());
    ASSERT_EQ(waitForEnd(n, 120), u"success"_s) << diagnose(n);
    QStringList expected;
    for (int i = 1; i <= 60; ++i)
        expected << u"line %1"_s.arg(i);
    EXPECT_EQ(lines(n), expected);
}

TEST_F(JobRuns, DevicesOverAVmTypeGiveSeveralNodesSideBySide)
{
    // e2e-cpu-1c has one device per VM: three devices are three nodes, each
    // a pf-agent of its own. Each node waits until all three have started
    // (they share the job's workspace), so they cannot have run one by one.
    QJsonObject s = spec(u"touch /workspace/started-$NODE_RANK; "
                         "for i in $(seq 1 300); do "
                         "  [ $(ls /workspace | grep -c started-) = 3 ] && break; sleep 0.1; "
                         "done; "
                         "echo \"node $NODE_RANK of $NUM_NODES world $WORLD_SIZE rank $RANK "
                         "saw $(ls /workspace | grep -c started-)\""_s);
    s.insert(u"num_devices"_s, 3);
    const qint64 n = submit(s);
    ASSERT_GT(n, 0);
    ASSERT_EQ(waitForEnd(n, 120), u"success"_s) << diagnose(n);
    for (int rank = 0; rank < 3; ++rank)
        EXPECT_EQ(lines(n, u"stdout"_s, QString::number(rank)),
                  QStringList{u"node %1 of 3 world 3 rank %1 saw 3"_s.arg(rank)})
            << diagnose(n);
}

TEST_F(JobRuns, AfterARestartAJobWhoseAgentIsGoneFailsWithAReason)
{
    const qint64 n = submit(spec(u"echo waiting; sleep 30"_s));
    ASSERT_GT(n, 0);
    ASSERT_TRUE(QTest::qWaitFor([&] { return lines(n).contains(u"waiting"_s); }, 120000))
        << diagnose(n);
    const QString id = job(n).value(u"id"_s).toString();
    s_pfd->kill();
    // The agent (found by the job id on its command line) dies while pfd is
    // down; its sandbox goes with it (--die-with-parent).
    QProcess pkill;
    pkill.start(u"pkill"_s, {u"-KILL"_s, u"-f"_s, u"pf-agent.*"_s + id});
    ASSERT_TRUE(pkill.waitForFinished(10000));
    ASSERT_EQ(pkill.exitCode(), 0) << "no agent of job " << id.toStdString() << " was running";
    ASSERT_NO_FATAL_FAILURE(restartAfterKill());
    EXPECT_EQ(job(n).value(u"status"_s).toString(), u"failed"_s) << diagnose(n);
    EXPECT_EQ(job(n).value(u"error_message"_s).toString(),
              u"pfd restarted and the agent of node 0 was no longer running."_s)
        << diagnose(n);
    EXPECT_EQ(lines(n, u"vmlog"_s).last(), u"Job failed."_s) << diagnose(n);
    EXPECT_EQ(lines(n), QStringList{u"waiting"_s});
}

TEST_F(JobRuns, ADatasetIsMountedReadOnlyAtItsMountPath)
{
    auto c = client();
    const HttpReply created = c->postJson(u"/api/project/%1/datastore/"_s.arg(s_project),
                                          {{u"name"_s, u"e2e-data"_s}, {u"vendor"_s, u"fai"_s}});
    ASSERT_EQ(created.status, 201) << created.body.toStdString();
    const qint64 id = created.json().value(u"id"_s).toInteger();
    const QByteArray content = "hello from the dataset\n";
    const HttpReply urls = c->postJson(u"/api/datastore/%1/upload/"_s.arg(id),
                                       {{u"paths"_s, QJsonArray{u"sub/hello.txt"_s}}});
    const QUrl url(urls.jsonArray().at(0).toObject().value(u"upload_url"_s).toString());
    ASSERT_EQ(
        s_pfd->client()
            ->request("PUT",
                      QString(url.path() + u'?' + url.query(QUrl::FullyEncoded)).toStdString(),
                      content.toStdString(), "application/octet-stream")
            .status,
        200);

    QJsonObject s = spec(u"cat /data/sub/hello.txt; "
                         "touch /data/new 2>/dev/null && echo writable || echo read-only"_s);
    s.insert(u"data"_s, QJsonObject{{u"name"_s, u"e2e-data"_s}, {u"mount_path"_s, u"/data"_s}});
    // Not active yet (its upload is not finished): refused.
    const HttpReply early = c->postJson(u"/api/project/%1/job/"_s.arg(s_project), s);
    EXPECT_EQ(early.status, 422) << early.body.toStdString();
    ASSERT_EQ(c->patchJson(u"/api/datastore/%1/"_s.arg(id),
                           {{u"files"_s, QJsonArray{QJsonObject{{u"path"_s, u"sub/hello.txt"_s},
                                                                {u"size"_s, content.size()}}}},
                            {u"active"_s, true}})
                  .status,
              200);
    // A dataset that does not exist: refused, naming the field.
    QJsonObject missing = s;
    missing.insert(u"data"_s, QJsonObject{{u"name"_s, u"nope"_s}, {u"mount_path"_s, u"/data"_s}});
    const HttpReply bad = c->postJson(u"/api/project/%1/job/"_s.arg(s_project), missing);
    EXPECT_EQ(bad.status, 422) << bad.body.toStdString();
    EXPECT_TRUE(bad.body.contains("data.name")) << bad.body.toStdString();

    const qint64 n = submit(s);
    ASSERT_GT(n, 0);
    ASSERT_EQ(waitForEnd(n, 120), u"success"_s) << diagnose(n);
    EXPECT_EQ(lines(n), (QStringList{u"hello from the dataset"_s, u"read-only"_s})) << diagnose(n);
    EXPECT_EQ(job(n).value(u"data_store"_s).toObject(),
              (QJsonObject{{u"id"_s, id}, {u"name"_s, u"e2e-data"_s}}))
        << QJsonDocument(job(n)).toJson().toStdString();
}
