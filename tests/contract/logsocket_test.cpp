// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// The log websocket (API.md, "Log records and the log websocket") against a
// real pfd. The tests act as the jobs' pf-agent through /agent/ with job
// tokens signed with the server's key (DATA_DIR/keys/jwt.key). pfd still
// launches its configured agent binary for every admitted job, so the suite
// gives it a stand-in script that reports nothing and lives as long as that
// pfd: pfd's liveness checks pass and nothing else talks for the job.
// Each test waits for the job to be admitted (status `allocating`) before it
// reports, so that the log always starts with pfd's "VM allocation" record.

#include <future>
#include <thread>

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QMap>
#include <QTemporaryDir>

#include "server/auth/jwt.h"
#include "tests/contract/contracthelpers.h"
#include "tests/support/wsclient.h"

using namespace pf::test;
using namespace Qt::StringLiterals;

namespace {

const char kAgentScript[] = "#!/bin/sh\n"
                            "# Stands in for pf-agent in the log websocket tests.\n"
                            "while kill -0 \"$PPID\" 2>/dev/null; do sleep 1; done\n";

QString config(const QString &agentBinary)
{
    return PfdProcess::defaultConfig() + uR"(vm_types:
  - {code: ws-cpu-1c, devices_per_vm: 1, vcpu: 1, memory_gib: 1, max_vms: 1000, default_quota: 1000}
jobs:
  sandbox: none
  agent_binary: %1
)"_s.arg(agentBinary);
}

QJsonObject spec(int devices = 1)
{
    return {{u"experiment"_s, u"logs"_s},
            {u"vm"_s, u"ws-cpu-1c"_s},
            {u"num_devices"_s, devices},
            {u"job_setting"_s, QJsonObject{{u"type"_s, u"custom"_s},
                                           {u"docker"_s, QJsonObject{{u"image"_s, u"x"_s},
                                                                     {u"command"_s, u"true"_s}}}}}};
}

QJsonObject subscribe(const QStringList &sources, const QList<int> &ranks = {},
                      std::optional<qint64> since = std::nullopt)
{
    QJsonArray r;
    for (int rank : ranks)
        r.append(rank);
    QJsonObject s{{u"type"_s, u"subscribe"_s},
                  {u"sources"_s, QJsonArray::fromStringList(sources)},
                  {u"node_ranks"_s, r}};
    if (since)
        s.insert(u"since_seq"_s, *since);
    return s;
}

const QStringList kLogs{u"process.stdout"_s, u"process.stderr"_s, u"process.vmlog"_s};

QJsonObject logRecord(const QString &type, const QString &content)
{
    return {{u"kind"_s, u"log"_s},
            {u"type"_s, type},
            {u"content"_s, content},
            {u"time_ms"_s, QDateTime::currentMSecsSinceEpoch()}};
}

QJsonObject exited(int code)
{
    return {{u"kind"_s, u"status"_s}, {u"status"_s, u"exited"_s}, {u"exit_code"_s, code}};
}

QStringList contents(const std::vector<QJsonObject> &messages)
{
    QStringList out;
    for (const QJsonObject &m : messages)
        out << m.value(u"content"_s).toString();
    return out;
}

// A job as its agents and its followers see it.
struct Job
{
    PfdProcess *pfd = nullptr;
    QString projectId;
    QString id;
    qint64 number = 0;
    QString token;          // the submitter's access token
    QList<qint64> agentSeq; // the last report seq of each node

    std::string wsTarget(const QString &accessToken) const
    {
        return u"/ws/job/%1/?token=%2"_s.arg(id, accessToken).toStdString();
    }
    std::string wsNumberTarget(const QString &accessToken) const
    {
        return u"/ws/project/%1/job/%2?token=%3"_s.arg(projectId)
            .arg(number)
            .arg(accessToken)
            .toStdString();
    }

    // The node's job token, signed as pfd signs it.
    QString agentToken(int rank) const
    {
        QFile keyFile(pfd->dataDir() + u"/keys/jwt.key"_s);
        if (!keyFile.open(QIODevice::ReadOnly))
            return {};
        const pf::server::Jwt jwt(keyFile.readAll());
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        return QString::fromLatin1(jwt.sign({{u"sub"_s, id},
                                             {u"node_rank"_s, rank},
                                             {u"typ"_s, u"agent"_s},
                                             {u"exp"_s, now + 3600}}));
    }

    // Reports `records` for node `rank`, numbering them; the reply.
    HttpReply report(const QJsonArray &records, int rank = 0)
    {
        QJsonArray numbered;
        for (const QJsonValue &v : records) {
            QJsonObject r = v.toObject();
            r.insert(u"seq"_s, ++agentSeq[rank]);
            numbered.append(r);
        }
        const HttpReply r = pfd->client(agentToken(rank))
                                ->postJson(u"/agent/job/%1/node/%2/report"_s.arg(id).arg(rank),
                                           {{u"records"_s, numbered}});
        EXPECT_EQ(r.status, 200) << show(r);
        EXPECT_EQ(r.json().value(u"acked_seq"_s).toInteger(), agentSeq[rank]) << show(r);
        return r;
    }
    void log(const QString &type, const QString &content, int rank = 0)
    {
        report({logRecord(type, content)}, rank);
    }

    QJsonObject get() const
    {
        return pfd->client(token)
            ->get(u"/api/project/%1/job/%2/"_s.arg(projectId).arg(number))
            .json();
    }
};

// Connects to `target` and subscribes; the open socket, or null after a
// test failure. `answer` gets the subscribe answer.
std::unique_ptr<WsClient> follow(const PfdProcess &pfd, const std::string &target,
                                 const QJsonObject &message, QJsonObject *answer = nullptr)
{
    auto ws = std::make_unique<WsClient>("127.0.0.1", pfd.port());
    const HttpReply r = ws->connect(target);
    EXPECT_EQ(r.status, 101) << show(r);
    if (r.status != 101)
        return nullptr;
    EXPECT_TRUE(ws->sendJson(message)) << ws->error().toStdString();
    const auto first = ws->next();
    EXPECT_TRUE(first.has_value()) << ws->error().toStdString();
    if (!first)
        return nullptr;
    EXPECT_EQ(first->value(u"response_type"_s).toString(), u"subscribe"_s)
        << QJsonDocument(*first).toJson().toStdString();
    if (answer)
        *answer = *first;
    return ws;
}

// Submits a job in `projectId` and waits until pfd has admitted it and
// launched its (stand-in) agents; then reports `running` for every node.
Job startJob(PfdProcess &pfd, const QString &projectId, const QString &token, int devices = 1)
{
    Job job;
    job.pfd = &pfd;
    job.projectId = projectId;
    job.token = token;
    const HttpReply r =
        pfd.client(token)->postJson(u"/api/project/%1/job/"_s.arg(projectId), spec(devices));
    EXPECT_EQ(r.status, 201) << show(r);
    job.id = r.json().value(u"id"_s).toString();
    job.number = r.json().value(u"number"_s).toInteger();
    for (int i = 0; i < devices; ++i)
        job.agentSeq << 0;
    if (r.status != 201)
        return job;
    // Listen first, then look: the change cannot fall in between.
    auto status = follow(pfd, job.wsTarget(token), subscribe({u"job.status"_s}));
    if (!status)
        return job;
    QString now = job.get().value(u"status"_s).toString();
    while (now == u"waiting"_s || now == u"enqueued"_s || now == u"started"_s) {
        const auto m = status->next();
        if (!m) {
            ADD_FAILURE() << "the job was not admitted: " << now.toStdString();
            return job;
        }
        now = m->value(u"status"_s).toString();
    }
    EXPECT_EQ(now, u"allocating"_s);
    for (int rank = 0; rank < devices; ++rank)
        job.report({QJsonObject{{u"kind"_s, u"status"_s}, {u"status"_s, u"running"_s}}}, rank);
    EXPECT_EQ(job.get().value(u"status"_s).toString(), u"running"_s);
    return job;
}

} // namespace

class LogSocket : public ApiTest
{
protected:
    static void SetUpTestSuite()
    {
        s_agentDir = new QTemporaryDir();
        ASSERT_TRUE(s_agentDir->isValid());
        QFile script(agentBinary());
        ASSERT_TRUE(script.open(QIODevice::WriteOnly));
        script.write(kAgentScript);
        script.close();
        script.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        startPfd(config(agentBinary()));
    }
    static void TearDownTestSuite()
    {
        ApiTest::TearDownTestSuite();
        delete s_agentDir;
        s_agentDir = nullptr;
    }
    static QString agentBinary() { return s_agentDir->filePath(u"fake-agent.sh"_s); }

    static Job startJob(const World &w, int devices = 1)
    {
        return ::startJob(pfd(), w.projectId, w.owner.token, devices);
    }
    static std::unique_ptr<WsClient> follow(const std::string &target, const QJsonObject &message,
                                            QJsonObject *answer = nullptr)
    {
        return ::follow(pfd(), target, message, answer);
    }

    static inline QTemporaryDir *s_agentDir = nullptr;
};

TEST_F(LogSocket, AnswersTheAcceptedSourcesThenSendsRecordsInOrder)
{
    const World w = makeWorld();
    Job job = startJob(w);
    QJsonObject answer;
    // Unknown sources are left out of the accepted set; repeats too.
    auto ws = follow(job.wsTarget(w.owner.token),
                     subscribe({u"process.stdout"_s, u"process.gpu"_s, u"process.stderr"_s,
                                u"process.stdout"_s}),
                     &answer);
    ASSERT_TRUE(ws);
    EXPECT_EQ(answer.value(u"sources"_s).toArray(),
              QJsonArray({u"process.stdout"_s, u"process.stderr"_s}));

    job.report({logRecord(u"stdout"_s, u"one"_s), logRecord(u"stderr"_s, u"two"_s),
                logRecord(u"vmlog"_s, u"not followed"_s)});
    job.log(u"stdout"_s, u"three"_s);
    std::vector<QJsonObject> got;
    for (int i = 0; i < 3; ++i) {
        const auto m = ws->next();
        ASSERT_TRUE(m) << ws->error().toStdString();
        got.push_back(*m);
    }
    EXPECT_EQ(contents(got), (QStringList{u"one"_s, u"two"_s, u"three"_s}));
    // Shaped like a REST log record, with seq.
    EXPECT_EQ(got[0].value(u"type"_s).toString(), u"stdout"_s);
    EXPECT_EQ(got[1].value(u"type"_s).toString(), u"stderr"_s);
    EXPECT_EQ(got[0].value(u"node_rank"_s).toInt(-2), 0);
    EXPECT_TRUE(
        QDateTime::fromString(got[0].value(u"timestamp"_s).toString(), Qt::ISODateWithMs).isValid())
        << QJsonDocument(got[0]).toJson().toStdString();
    EXPECT_EQ(got[1].value(u"seq"_s).toInteger(), got[0].value(u"seq"_s).toInteger() + 1);
    // The vmlog record took a seq in between.
    EXPECT_EQ(got[2].value(u"seq"_s).toInteger(), got[1].value(u"seq"_s).toInteger() + 2);

    // The same records as text_log gives.
    const QJsonArray stored =
        pfd()
            .client(w.owner.token)
            ->get(u"/api/project/%1/job/%2/text_log/?ascending=true&log_types=stdout"_s
                      .arg(w.projectId)
                      .arg(job.number))
            .json()
            .value(u"results"_s)
            .toArray();
    ASSERT_EQ(stored.size(), 2);
    EXPECT_EQ(stored.at(0).toObject(), got[0]);
    EXPECT_EQ(stored.at(1).toObject(), got[2]);
}

// The report route as an agent that resends sees it: records it already
// sent are skipped, records past a gap wait for the missing one, and a
// malformed report changes nothing.
TEST_F(LogSocket, ReportsSkipWhatIsAckedStopAtAGapAndRefuseMalformedBodies)
{
    const World w = makeWorld();
    Job job = startJob(w); // seq 1: running
    const auto post = [&](const QByteArray &body) {
        return pfd()
            .client(job.agentToken(0))
            ->request("POST", u"/agent/job/%1/node/0/report"_s.arg(job.id).toStdString(),
                      body.toStdString(), "application/json");
    };
    const auto logAt = [](qint64 seq, const QString &content) {
        QJsonObject r = logRecord(u"stdout"_s, content);
        r.insert(u"seq"_s, seq);
        return r;
    };
    const auto body = [](const QJsonArray &records) {
        return QJsonDocument(QJsonObject{{u"records"_s, records}}).toJson(QJsonDocument::Compact);
    };
    const auto stored = [&] {
        QStringList out;
        const QJsonArray results =
            pfd()
                .client(w.owner.token)
                ->get(u"/api/project/%1/job/%2/text_log/?ascending=true&log_types=stdout"_s
                          .arg(w.projectId)
                          .arg(job.number))
                .json()
                .value(u"results"_s)
                .toArray();
        for (const QJsonValue &v : results)
            out << v.toObject().value(u"content"_s).toString();
        return out;
    };

    HttpReply r = post(body({logAt(2, u"a"_s), logAt(3, u"b"_s), logAt(4, u"c"_s)}));
    ASSERT_EQ(r.status, 200) << show(r);
    EXPECT_EQ(r.json().value(u"acked_seq"_s).toInteger(), 4);
    // A resend overlapping what pfd has: only 5 and 6 are new.
    QJsonObject metric{{u"kind"_s, u"metric"_s}, {u"name"_s, u"loss"_s}, {u"step"_s, 1},
                       {u"value"_s, 0.5},        {u"time_ms"_s, 1000},   {u"seq"_s, 5}};
    r = post(body({logAt(3, u"b"_s), logAt(4, u"c"_s), metric, logAt(6, u"d"_s)}));
    ASSERT_EQ(r.status, 200) << show(r);
    EXPECT_EQ(r.json().value(u"acked_seq"_s).toInteger(), 6);
    // Past a gap (7 missing): nothing is taken.
    r = post(body({logAt(8, u"lost"_s), logAt(9, u"lost"_s)}));
    ASSERT_EQ(r.status, 200) << show(r);
    EXPECT_EQ(r.json().value(u"acked_seq"_s).toInteger(), 6);
    // Taken up to the gap, not after it.
    r = post(body({logAt(7, u"e"_s), logAt(9, u"lost"_s)}));
    ASSERT_EQ(r.status, 200) << show(r);
    EXPECT_EQ(r.json().value(u"acked_seq"_s).toInteger(), 7);

    // Malformed: 400 with the reason, and nothing stored.
    const std::vector<std::pair<QByteArray, QString>> bad{
        {"{\"records\": [", u"not valid JSON"_s},
        {QByteArray(100000, '['), u"not valid JSON"_s},
        {"{\"records\": [{\"seq\": 8, \"kind\": \"log\", \"type\": \"stdout\", "
         "\"content\": \"\xff\xfe\"}]}",
         u"not valid JSON"_s},
        {"{\"records\": {}}", u"`records`"_s},
        {"[]", u"`records`"_s},
        {"{\"records\": [7]}", u"must be an object"_s},
        {"{\"records\": [{\"kind\": \"log\"}]}", u"`seq`"_s},
        {"{\"records\": [{\"seq\": \"8\", \"kind\": \"log\"}]}", u"`seq`"_s},
        {"{\"records\": [{\"seq\": 1e30, \"kind\": \"log\"}]}", u"`seq`"_s},
        {body({logAt(9, u"x"_s), logAt(8, u"y"_s)}), u"increase"_s},
        {"{\"records\": [{\"seq\": 8, \"kind\": \"gpu\"}]}", u"unknown kind"_s},
        {"{\"records\": [{\"seq\": 8, \"kind\": \"log\", \"type\": \"stdin\", "
         "\"content\": \"x\"}]}",
         u"unknown log type"_s},
        {"{\"records\": [{\"seq\": 8, \"kind\": \"log\", \"type\": \"stdout\", "
         "\"content\": 5}]}",
         u"`content`"_s},
        {"{\"records\": [{\"seq\": 8, \"kind\": \"metric\", \"name\": \"loss\", "
         "\"value\": \"high\"}]}",
         u"needs a number"_s},
        {"{\"records\": [{\"seq\": 8, \"kind\": \"status\", \"status\": \"paused\"}]}",
         u"unknown node status"_s},
    };
    for (const auto &[text, reason] : bad) {
        SCOPED_TRACE(text.left(80).toStdString());
        r = post(text);
        EXPECT_EQ(r.status, 400) << show(r);
        EXPECT_TRUE(r.json().value(u"detail"_s).toString().contains(reason)) << show(r);
    }
    EXPECT_EQ(stored(), (QStringList{u"a"_s, u"b"_s, u"c"_s, u"d"_s, u"e"_s}));
    r = post(body({logAt(8, u"f"_s)}));
    EXPECT_EQ(r.json().value(u"acked_seq"_s).toInteger(), 8) << show(r);
}

TEST_F(LogSocket, BothUrlFormsWithAndWithoutTheTrailingSlash)
{
    const World w = makeWorld();
    Job job = startJob(w);
    const QString t = w.owner.token;
    const std::vector<std::string> targets{
        job.wsTarget(t), u"/ws/job/%1?token=%2"_s.arg(job.id, t).toStdString(),
        u"/ws/job/%1/?token=%2"_s.arg(job.id.toUpper(), t).toStdString(), job.wsNumberTarget(t),
        u"/ws/project/%1/job/%2/?token=%3"_s.arg(w.projectId).arg(job.number).arg(t).toStdString()};
    std::vector<std::unique_ptr<WsClient>> followers;
    for (const std::string &target : targets) {
        followers.push_back(follow(target, subscribe({u"process.stdout"_s})));
        ASSERT_TRUE(followers.back()) << target;
    }
    // The token may come as a header instead.
    auto header = std::make_unique<WsClient>("127.0.0.1", pfd().port());
    ASSERT_EQ(header
                  ->connect(u"/ws/job/%1/"_s.arg(job.id).toStdString(),
                            {{"Authorization", "Bearer " + t.toStdString()}})
                  .status,
              101);
    ASSERT_TRUE(header->sendJson(subscribe({u"process.stdout"_s})));
    ASSERT_TRUE(header->next());
    followers.push_back(std::move(header));

    job.log(u"stdout"_s, u"hello"_s);
    for (auto &f : followers) {
        const auto m = f->next();
        ASSERT_TRUE(m) << f->error().toStdString();
        EXPECT_EQ(m->value(u"content"_s).toString(), u"hello"_s);
    }
}

TEST_F(LogSocket, NodeRanksFilterNodesButNotPlatformRecords)
{
    const World w = makeWorld();
    Job job = startJob(w, 2); // two nodes of one device
    auto node1 = follow(job.wsTarget(w.owner.token), subscribe(kLogs, {1}));
    auto both = follow(job.wsTarget(w.owner.token), subscribe({u"process.stdout"_s}, {}));
    auto platform = follow(job.wsTarget(w.owner.token), subscribe({u"process.vmlog"_s}, {0}));
    ASSERT_TRUE(node1 && both && platform);

    job.log(u"stdout"_s, u"from 0"_s, 0);
    job.log(u"stdout"_s, u"from 1"_s, 1);
    job.log(u"stderr"_s, u"err 1"_s, 1);
    job.log(u"vmlog"_s, u"platform"_s, 0); // an agent's vmlog is a platform record (-1)
    job.log(u"stdout"_s, u"last"_s, 1);

    std::vector<QJsonObject> got;
    for (int i = 0; i < 4; ++i)
        got.push_back(node1->next().value_or(QJsonObject()));
    EXPECT_EQ(contents(got), (QStringList{u"from 1"_s, u"err 1"_s, u"platform"_s, u"last"_s}));
    EXPECT_EQ(got[2].value(u"node_rank"_s).toInt(), -1);
    EXPECT_EQ(got[2].value(u"type"_s).toString(), u"vmlog"_s);

    got.clear();
    for (int i = 0; i < 3; ++i)
        got.push_back(both->next().value_or(QJsonObject()));
    EXPECT_EQ(contents(got), (QStringList{u"from 0"_s, u"from 1"_s, u"last"_s}));

    const auto m = platform->next();
    ASSERT_TRUE(m);
    EXPECT_EQ(m->value(u"content"_s).toString(), u"platform"_s);
    EXPECT_FALSE(platform->next(std::chrono::milliseconds(200)));
    EXPECT_TRUE(platform->timedOut());
}

TEST_F(LogSocket, ASecondSubscribeChangesTheFilter)
{
    const World w = makeWorld();
    Job job = startJob(w);
    auto ws = follow(job.wsTarget(w.owner.token), subscribe({u"process.stdout"_s}));
    ASSERT_TRUE(ws);
    job.log(u"stdout"_s, u"out 1"_s);
    EXPECT_EQ(ws->next().value_or(QJsonObject()).value(u"content"_s).toString(), u"out 1"_s);

    ASSERT_TRUE(ws->sendJson(subscribe({u"process.stderr"_s, u"job.status"_s})));
    const auto answer = ws->next();
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->value(u"response_type"_s).toString(), u"subscribe"_s);
    EXPECT_EQ(answer->value(u"sources"_s).toArray(),
              QJsonArray({u"process.stderr"_s, u"job.status"_s}));
    job.report({logRecord(u"stdout"_s, u"out 2"_s), logRecord(u"stderr"_s, u"err 1"_s)});
    EXPECT_EQ(ws->next().value_or(QJsonObject()).value(u"content"_s).toString(), u"err 1"_s);
    EXPECT_FALSE(ws->next(std::chrono::milliseconds(200)));
}

TEST_F(LogSocket, StatusAndMetricSources)
{
    const World w = makeWorld();
    Job job = startJob(w);
    auto ws = follow(job.wsTarget(w.owner.token), subscribe({u"job.status"_s, u"job.metric"_s}));
    ASSERT_TRUE(ws);

    job.report({QJsonObject{{u"kind"_s, u"progress"_s}, {u"step"_s, 5}, {u"total"_s, 10}}});
    auto m = ws->next();
    ASSERT_TRUE(m);
    EXPECT_EQ(m->value(u"source"_s).toString(), u"job.status"_s);
    EXPECT_EQ(m->value(u"status"_s).toString(), u"running"_s);
    EXPECT_EQ(m->value(u"progress"_s).toDouble(), 50.0); // a percentage

    const qint64 at = QDateTime::currentMSecsSinceEpoch();
    job.report({QJsonObject{{u"kind"_s, u"metric"_s},
                            {u"name"_s, u"loss"_s},
                            {u"step"_s, 5},
                            {u"value"_s, 0.25},
                            {u"time_ms"_s, at}},
                logRecord(u"stdout"_s, u"not followed"_s)});
    m = ws->next();
    ASSERT_TRUE(m);
    EXPECT_EQ(m->value(u"source"_s).toString(), u"job.metric"_s);
    EXPECT_EQ(m->value(u"name"_s).toString(), u"loss"_s);
    EXPECT_EQ(m->value(u"step"_s).toInteger(), 5);
    EXPECT_EQ(m->value(u"value"_s).toDouble(), 0.25);
    EXPECT_EQ(
        QDateTime::fromString(m->value(u"time"_s).toString(), Qt::ISODateWithMs).toSecsSinceEpoch(),
        at / 1000);

    job.report({exited(0)});
    const auto rest = ws->readUntilClosed();
    ASSERT_FALSE(rest.empty());
    EXPECT_EQ(rest.back().value(u"status"_s).toString(), u"success"_s);
    EXPECT_EQ(rest.back().value(u"source"_s).toString(), u"job.status"_s);
    EXPECT_EQ(ws->closeCode(), 1000) << ws->error().toStdString();
}

TEST_F(LogSocket, ClosesAfterTheJobEndsAndTheLastRecordIsSent)
{
    const World w = makeWorld();
    Job job = startJob(w);
    auto logs = follow(job.wsTarget(w.owner.token), subscribe(kLogs));
    auto quiet = follow(job.wsNumberTarget(w.owner.token), subscribe({u"process.stderr"_s}));
    ASSERT_TRUE(logs && quiet);
    job.report({logRecord(u"stdout"_s, u"bye"_s), exited(0)});

    const auto got = logs->readUntilClosed();
    EXPECT_EQ(contents(got), (QStringList{u"bye"_s, u"Job completed successfully."_s}));
    EXPECT_EQ(logs->closeCode(), 1000) << logs->error().toStdString();
    EXPECT_EQ(logs->closeReason(), "The job has ended.");
    // A follower of nothing that happened is closed too.
    EXPECT_TRUE(quiet->readUntilClosed().empty());
    EXPECT_EQ(quiet->closeCode(), 1000);

    // A failed job likewise.
    Job failing = startJob(w);
    auto f =
        follow(failing.wsTarget(w.owner.token), subscribe({u"process.vmlog"_s, u"job.status"_s}));
    ASSERT_TRUE(f);
    failing.report({exited(3)});
    const auto end = f->readUntilClosed();
    ASSERT_EQ(end.size(), 2U);
    EXPECT_EQ(end[0].value(u"content"_s).toString(), u"Job failed."_s);
    EXPECT_EQ(end[1].value(u"status"_s).toString(), u"failed"_s);
    EXPECT_EQ(f->closeCode(), 1000);
}

TEST_F(LogSocket, ASocketOpenedAfterTheEndClosesRightAfterTheAnswer)
{
    const World w = makeWorld();
    Job job = startJob(w);
    job.report({logRecord(u"stdout"_s, u"earlier"_s), exited(0)});
    ASSERT_EQ(job.get().value(u"status"_s).toString(), u"success"_s);

    for (const std::string &target :
         {job.wsTarget(w.owner.token), job.wsNumberTarget(w.owner.token)}) {
        auto ws =
            follow(target, subscribe({u"process.stdout"_s, u"process.vmlog"_s, u"job.status"_s}));
        ASSERT_TRUE(ws);
        const auto rest = ws->readUntilClosed(std::chrono::milliseconds(1500));
        EXPECT_FALSE(ws->timedOut()) << "the socket stayed open";
        ASSERT_EQ(rest.size(), 1U);
        EXPECT_EQ(rest[0].value(u"source"_s).toString(), u"job.status"_s);
        EXPECT_EQ(rest[0].value(u"status"_s).toString(), u"success"_s);
        EXPECT_EQ(rest[0].value(u"progress"_s).toDouble(-1), 100.0);
        EXPECT_EQ(ws->closeCode(), 1000);
    }
    // Without job.status: the answer, then the close.
    auto ws = follow(job.wsTarget(w.owner.token), subscribe({u"process.stdout"_s}));
    ASSERT_TRUE(ws);
    EXPECT_TRUE(ws->readUntilClosed(std::chrono::milliseconds(1500)).empty());
    EXPECT_EQ(ws->closeCode(), 1000);
    // Asking for the history gives it before the close.
    ws = follow(job.wsTarget(w.owner.token), subscribe({u"process.stdout"_s}, {}, 0));
    ASSERT_TRUE(ws);
    EXPECT_EQ(contents(ws->readUntilClosed()), QStringList{u"earlier"_s});
    EXPECT_EQ(ws->closeCode(), 1000);
}

TEST_F(LogSocket, RefusalsComeBeforeTheUpgradeAsJsonErrors)
{
    const World w = makeWorld();
    Job job = startJob(w);
    const auto connect = [](const std::string &target,
                            const std::map<std::string, std::string> &headers = {}) {
        WsClient ws("127.0.0.1", pfd().port());
        return ws.connect(target, headers);
    };
    // Bad, missing and non-access tokens: 401.
    HttpReply r = connect(job.wsTarget(u"not-a-token"_s));
    EXPECT_API_ERROR(r, 401);
    EXPECT_EQ(r.header("www-authenticate"), "Bearer");
    EXPECT_API_ERROR(connect(u"/ws/job/%1/"_s.arg(job.id).toStdString()), 401);
    EXPECT_API_ERROR(connect(job.wsTarget(job.agentToken(0))), 401);
    EXPECT_API_ERROR(connect(job.wsTarget(w.owner.refresh)), 401);
    // Someone in another org: 404 in both forms, never 403.
    const User outsider = newUser(u"outsider"_s);
    r = connect(job.wsTarget(outsider.token));
    EXPECT_API_ERROR(r, 404);
    EXPECT_EQ(r.detail(), u"No such job."_s);
    EXPECT_API_ERROR(connect(job.wsNumberTarget(outsider.token)), 404);
    // Unknown jobs and endpoints: 404; a malformed id: 400.
    EXPECT_API_ERROR(
        connect(u"/ws/job/%1/?token=%2"_s
                    .arg(QUuid::createUuid().toString(QUuid::WithoutBraces), w.owner.token)
                    .toStdString()),
        404);
    EXPECT_API_ERROR(
        connect(
            u"/ws/project/%1/job/999/?token=%2"_s.arg(w.projectId, w.owner.token).toStdString()),
        404);
    EXPECT_API_ERROR(connect(u"/ws/job/12/?token=%1"_s.arg(w.owner.token).toStdString()), 400);
    EXPECT_API_ERROR(connect("/ws/nothing/here"), 404);
    // Not an upgrade: 426.
    r = pfd().client()->get(QString::fromStdString(job.wsTarget(w.owner.token)));
    EXPECT_API_ERROR(r, 426);
    EXPECT_EQ(r.header("upgrade"), "websocket");

    // A guest of the project may follow.
    const User guest = projectMember(w, u"guest"_s);
    ASSERT_FALSE(guest.id.isEmpty());
    EXPECT_TRUE(follow(job.wsTarget(guest.token), subscribe({u"process.stdout"_s})));
    EXPECT_TRUE(follow(job.wsNumberTarget(guest.token), subscribe({u"process.stdout"_s})));
}

TEST_F(LogSocket, MalformedMessagesGetAnErrorAndAClose)
{
    const World w = makeWorld();
    Job job = startJob(w);
    const std::vector<std::string> bad{
        "not json",
        "[1, 2]",
        R"({"type": "hello"})",
        R"({"type": "subscribe"})",
        R"({"type": "subscribe", "sources": "process.stdout"})",
        R"({"type": "subscribe", "sources": [1]})",
        R"({"type": "subscribe", "sources": []})",
        R"({"type": "subscribe", "sources": ["process.gpu"]})",
        R"({"type": "subscribe", "sources": ["process.stdout"], "node_ranks": ["a"]})",
        R"({"type": "subscribe", "sources": ["process.stdout"], "node_ranks": [1.5]})",
        R"({"type": "subscribe", "sources": ["process.stdout"], "node_ranks": 1})",
        R"({"type": "subscribe", "sources": ["process.stdout"], "since_seq": -1})",
        R"({"type": "subscribe", "sources": ["process.stdout"], "since_seq": "1"})",
    };
    for (const std::string &message : bad) {
        WsClient ws("127.0.0.1", pfd().port());
        ASSERT_EQ(ws.connect(job.wsTarget(w.owner.token)).status, 101);
        ASSERT_TRUE(ws.sendText(message));
        const auto got = ws.readUntilClosed();
        ASSERT_EQ(got.size(), 1U) << message;
        EXPECT_EQ(got[0].value(u"response_type"_s).toString(), u"error"_s) << message;
        EXPECT_FALSE(got[0].value(u"detail"_s).toString().isEmpty()) << message;
        EXPECT_EQ(ws.closeCode(), 1008) << message;
    }
    // A bad second subscribe ends a good subscription the same way.
    auto ws = follow(job.wsTarget(w.owner.token), subscribe({u"process.stdout"_s}));
    ASSERT_TRUE(ws);
    ASSERT_TRUE(ws->sendText(R"({"type": "unsubscribe"})"));
    const auto got = ws->readUntilClosed();
    ASSERT_EQ(got.size(), 1U);
    EXPECT_EQ(got[0].value(u"response_type"_s).toString(), u"error"_s);
    EXPECT_EQ(ws->closeCode(), 1008);
    // Text that is not UTF-8: 1007; binary messages: 1003; oversized ones: 1009.
    WsClient latin1("127.0.0.1", pfd().port());
    ASSERT_EQ(latin1.connect(job.wsTarget(w.owner.token)).status, 101);
    ASSERT_TRUE(latin1.sendText("{\"type\": \"subscribe\", \"sources\": [\"\xff\xfe\"]}"));
    EXPECT_TRUE(latin1.readUntilClosed().empty());
    EXPECT_EQ(latin1.closeCode(), 1007);
    WsClient binary("127.0.0.1", pfd().port());
    ASSERT_EQ(binary.connect(job.wsTarget(w.owner.token)).status, 101);
    ASSERT_TRUE(binary.sendBinary("\x01\x02"));
    EXPECT_TRUE(binary.readUntilClosed().empty());
    EXPECT_EQ(binary.closeCode(), 1003);
    WsClient huge("127.0.0.1", pfd().port());
    ASSERT_EQ(huge.connect(job.wsTarget(w.owner.token)).status, 101);
    huge.sendText(std::string(200 * 1024, ' '));
    EXPECT_TRUE(huge.readUntilClosed().empty());
    EXPECT_FALSE(huge.isOpen());
    // pfd answers 1009, unless the unread rest of the message reset the
    // connection before the client read it.
    if (huge.closeCode() != 0) {
        EXPECT_EQ(huge.closeCode(), 1009);
    }

    // A client that vanishes mid-way harms nobody; the server goes on.
    WsClient gone("127.0.0.1", pfd().port());
    ASSERT_EQ(gone.connect(job.wsTarget(w.owner.token)).status, 101);
    gone.sendJson(subscribe(kLogs));
    gone.disconnect();
    auto after = follow(job.wsTarget(w.owner.token), subscribe({u"process.stdout"_s}));
    ASSERT_TRUE(after);
    job.log(u"stdout"_s, u"still here"_s);
    EXPECT_EQ(after->next().value_or(QJsonObject()).value(u"content"_s).toString(),
              u"still here"_s);
}

TEST_F(LogSocket, FiftyFollowersOfOneJobReceiveEveryRecord)
{
    const World w = makeWorld();
    Job job = startJob(w);
    std::vector<std::unique_ptr<WsClient>> followers;
    for (int i = 0; i < 50; ++i) {
        followers.push_back(
            follow(i % 2 ? job.wsTarget(w.owner.token) : job.wsNumberTarget(w.owner.token),
                   subscribe(kLogs)));
        ASSERT_TRUE(followers.back()) << i;
    }
    constexpr int kRecords = 200;
    for (int batch = 0; batch < 4; ++batch) {
        QJsonArray records;
        for (int i = 0; i < kRecords / 4; ++i)
            records.append(logRecord(u"stdout"_s, u"line %1"_s.arg(batch * kRecords / 4 + i)));
        job.report(records);
    }
    job.report({exited(0)});
    for (auto &f : followers) {
        const auto got = f->readUntilClosed();
        ASSERT_EQ(got.size(), std::size_t(kRecords + 1)) << f->error().toStdString();
        for (int i = 0; i < kRecords; ++i) {
            EXPECT_EQ(got[std::size_t(i)].value(u"content"_s).toString(), u"line %1"_s.arg(i));
            if (i > 0) {
                EXPECT_EQ(got[std::size_t(i)].value(u"seq"_s).toInteger(),
                          got[std::size_t(i) - 1].value(u"seq"_s).toInteger() + 1);
            }
        }
        EXPECT_EQ(got.back().value(u"content"_s).toString(), u"Job completed successfully."_s);
        EXPECT_EQ(f->closeCode(), 1000);
    }
}

TEST_F(LogSocket, AFollowerThatNeverReadsIsClosedNotBuffered)
{
    const World w = makeWorld();
    Job job = startJob(w);
    // The stalled client's socket takes little, so that what pfd holds for
    // it is what counts.
    auto stalled = std::make_unique<WsClient>("127.0.0.1", pfd().port());
    stalled->setReceiveBufferSize(64 * 1024);
    ASSERT_EQ(stalled->connect(job.wsTarget(w.owner.token)).status, 101);
    ASSERT_TRUE(stalled->sendJson(subscribe({u"process.stdout"_s})));
    ASSERT_TRUE(stalled->next()); // the answer
    auto reader = follow(job.wsTarget(w.owner.token), subscribe({u"process.stdout"_s}));
    ASSERT_TRUE(reader);

    // 80 MiB of records; pfd keeps at most 64 MiB queued per follower.
    const QString chunk(512 * 1024, u'x');
    constexpr int kBatches = 20;
    constexpr int kPerBatch = 8;
    for (int b = 0; b < kBatches; ++b) {
        QJsonArray records;
        for (int i = 0; i < kPerBatch; ++i)
            records.append(logRecord(u"stdout"_s, chunk));
        job.report(records);
        for (int i = 0; i < kPerBatch; ++i) {
            const auto m = reader->next();
            ASSERT_TRUE(m) << "the reading follower lost its socket: " << reader->closeCode() << ' '
                           << reader->closeReason();
            ASSERT_EQ(m->value(u"content"_s).toString().size(), chunk.size());
        }
    }
    // pfd dropped what the stalled follower did not take and closed it
    // with a reason; it read only part of the log.
    const auto got = stalled->readUntilClosed();
    EXPECT_LT(got.size(), std::size_t(kBatches * kPerBatch));
    EXPECT_EQ(stalled->closeCode(), 1008) << stalled->error().toStdString();
    EXPECT_NE(stalled->closeReason().find("Too slow"), std::string::npos) << stalled->closeReason();
}

TEST_F(LogSocket, TextLogThenSubscribeLosesNothing)
{
    const World w = makeWorld();
    Job job = startJob(w);
    // An agent writing all along, in many small reports: some before the
    // client looks, the rest while it reads and subscribes; it ends the job
    // once the client has subscribed.
    constexpr int kReports = 150;
    const auto batch = [](int i) {
        QJsonArray records;
        for (int j = 0; j < 10; ++j)
            records.append(logRecord(u"stdout"_s, u"r %1"_s.arg(i * 10 + j)));
        return records;
    };
    for (int i = 0; i < 20; ++i)
        job.report(batch(i));
    std::promise<void> subscribed;
    std::thread agent([mine = job, &batch, done = subscribed.get_future()]() mutable {
        for (int i = 20; i < kReports; ++i)
            mine.report(batch(i));
        done.wait();
        mine.report({exited(0)});
    });
    // The client: what is stored, then the socket from there on.
    const QJsonArray stored =
        pfd()
            .client(w.owner.token)
            ->get(u"/api/project/%1/job/%2/text_log/?ascending=true&limit=10000"_s.arg(w.projectId)
                      .arg(job.number))
            .json()
            .value(u"results"_s)
            .toArray();
    ASSERT_FALSE(stored.isEmpty());
    const qint64 lastSeen = stored.last().toObject().value(u"seq"_s).toInteger();
    auto ws = follow(job.wsTarget(w.owner.token), subscribe(kLogs, {}, lastSeen));
    subscribed.set_value();
    agent.join();
    ASSERT_TRUE(ws);
    const auto live = ws->readUntilClosed(std::chrono::milliseconds(60'000));
    EXPECT_EQ(ws->closeCode(), 1000) << ws->error().toStdString();

    // Together, dropping duplicates by seq: every record, in order.
    QMap<qint64, QString> bySeq;
    for (const QJsonValue &v : stored)
        bySeq.insert(v.toObject().value(u"seq"_s).toInteger(),
                     v.toObject().value(u"content"_s).toString());
    qint64 previous = 0;
    for (const QJsonObject &m : live) {
        const qint64 seq = m.value(u"seq"_s).toInteger();
        EXPECT_GT(seq, previous) << "out of order";
        previous = seq;
        bySeq.insert(seq, m.value(u"content"_s).toString());
    }
    // pfd's "Job submitted" and "VM allocation" records, kReports * 10
    // lines, the closing record.
    const qint64 total = 2 + kReports * 10 + 1;
    ASSERT_EQ(bySeq.size(), total);
    EXPECT_EQ(bySeq.firstKey(), 1);
    EXPECT_EQ(bySeq.lastKey(), total);
    EXPECT_EQ(bySeq.value(total), u"Job completed successfully."_s);
    EXPECT_EQ(bySeq.value(3), u"r 0"_s);
    // since_seq resumes exactly: nothing twice.
    ASSERT_FALSE(live.empty());
    EXPECT_EQ(live.front().value(u"seq"_s).toInteger(), lastSeen + 1);

    // A late follower asking for everything gets it all, page after page.
    auto all = follow(job.wsTarget(w.owner.token), subscribe(kLogs, {}, 0));
    ASSERT_TRUE(all);
    const auto history = all->readUntilClosed();
    ASSERT_EQ(qint64(history.size()), total);
    for (std::size_t i = 0; i < history.size(); ++i)
        EXPECT_EQ(history[i].value(u"seq"_s).toInteger(), qint64(i) + 1);
}

TEST_F(LogSocket, AServerThatStopsClosesItsSocketsWithGoingAway)
{
    PfdProcess own(config(agentBinary()));
    ASSERT_TRUE(own.start()) << own.lastError().toStdString();
    PfdProcess::User user = own.createUser(u"stopper"_s);
    ASSERT_FALSE(user.token.isEmpty());
    auto c = own.client(user.token);
    const QString orgId = c->postJson(u"/auth/pf_group"_s, {{u"name"_s, u"stop-org"_s}})
                              .json()
                              .value(u"id"_s)
                              .toString();
    const QString projectId =
        c->postJson(u"/auth/pf_group/%1/pf_project"_s.arg(orgId), {{u"name"_s, u"p"_s}})
            .json()
            .value(u"id"_s)
            .toString();
    Job job = ::startJob(own, projectId, user.token);
    auto ws = ::follow(own, job.wsTarget(user.token), subscribe(kLogs));
    ASSERT_TRUE(ws);
    // A follower reading as followers do, and one that has stopped reading.
    auto stalled = ::follow(own, job.wsTarget(user.token), subscribe(kLogs));
    ASSERT_TRUE(stalled);
    std::vector<QJsonObject> got;
    std::thread reader([&ws, &got] { got = ws->readUntilClosed(); });
    QElapsedTimer timer;
    timer.start();
    EXPECT_EQ(own.stop(), 0);
    reader.join();
    EXPECT_LT(timer.elapsed(), 5000) << "the websockets held up the shutdown";
    EXPECT_TRUE(got.empty());
    EXPECT_EQ(ws->closeCode(), 1001) << ws->error().toStdString();
    EXPECT_EQ(ws->closeReason(), "The server is shutting down.");
    EXPECT_TRUE(stalled->readUntilClosed().empty());
    EXPECT_EQ(stalled->closeCode(), 1001) << stalled->error().toStdString();
}
