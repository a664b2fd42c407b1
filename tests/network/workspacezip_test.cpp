// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// WorkspaceZip: what a folder's plan holds under its .pfignore, the stored
// zip it writes (names relative to the folder's parent), the 100 MB limit
// refused before anything is written, cancelling, symbolic links; and
// PfApi::createJobWithWorkspace against a real pfd, whose job lists the
// workspace it was given.

#include <gtest/gtest.h>
#include <zip.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "network/pfapi.h"
#include "network/workspacezip.h"
#include "tests/support/apiwait.h"
#include "tests/support/pfdprocess.h"

using namespace Qt::StringLiterals;
using namespace pf::network;
using pf::test::PfdProcess;
using pf::test::waitFor;
namespace api = pf::api;

namespace {

bool write(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(content) == content.size();
}

bool sparse(const QString &path, qint64 size)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.resize(size);
}

// A workspace `proj` under `parent` with a .pfignore, files it leaves out,
// and links (in and out of it) that are never followed.
QString makeWorkspace(const QString &parent, const QString &outside)
{
    const QString w = parent + u"/proj"_s;
    write(w + u"/.pfignore"_s, "# build output\n"
                               "*.pyc\n"
                               "data/\n"
                               "*.log\n"
                               "!keep.log\n"
                               "/build\n"
                               "secret\\ \n");
    write(w + u"/main.py"_s, "print('hello')\n");
    write(w + u"/util/data.py"_s, "X = 1\n");
    write(w + u"/util/data.pyc"_s, "compiled");
    write(w + u"/data/train.bin"_s, QByteArray(1000, 'd'));
    write(w + u"/sub/data/deep.bin"_s, "d");
    write(w + u"/logs/a.log"_s, "log");
    write(w + u"/logs/keep.log"_s, "kept");
    write(w + u"/build/out.o"_s, "obj");
    write(w + u"/src/build/kept.txt"_s, "not the root's build");
    write(w + u"/secret "_s, "trailing space");
    write(w + u"/.hidden"_s, "dot files are sent");
    write(outside + u"/secret.txt"_s, "outside the workspace");
    QFile::link(outside, w + u"/outside"_s);
    QFile::link(outside + u"/secret.txt"_s, w + u"/secret.txt"_s);
    QFile::link(w + u"/main.py"_s, w + u"/alias.py"_s);
    return w;
}

const QStringList kExpected = {u".hidden"_s, u".pfignore"_s,          u"logs/keep.log"_s,
                               u"main.py"_s, u"src/build/kept.txt"_s, u"util/data.py"_s};

// Entry names of a zip, each checked to be stored, not deflated.
QStringList zipEntries(const QString &path, QString *problem)
{
    int error = 0;
    zip_t *z = zip_open(QFile::encodeName(path).constData(), ZIP_RDONLY, &error);
    if (!z) {
        *problem = u"cannot open the zip: %1"_s.arg(error);
        return {};
    }
    QStringList names;
    for (zip_int64_t i = 0; i < zip_get_num_entries(z, 0); ++i) {
        zip_stat_t st;
        zip_stat_index(z, zip_uint64_t(i), 0, &st);
        names << QString::fromUtf8(st.name);
        if (st.comp_method != ZIP_CM_STORE)
            *problem = u"%1 is not stored"_s.arg(QString::fromUtf8(st.name));
    }
    zip_close(z);
    return names;
}

QByteArray zipEntry(const QString &path, const QString &name)
{
    int error = 0;
    zip_t *z = zip_open(QFile::encodeName(path).constData(), ZIP_RDONLY, &error);
    if (!z)
        return {};
    QByteArray out;
    if (zip_file_t *f = zip_fopen(z, name.toUtf8().constData(), 0)) {
        char buffer[4096];
        zip_int64_t n = 0;
        while ((n = zip_fread(f, buffer, sizeof buffer)) > 0)
            out.append(buffer, qsizetype(n));
        zip_fclose(f);
    }
    zip_close(z);
    return out;
}

struct Zipped
{
    QString path;
    QString error;
    qint64 lastDone = 0;
    qint64 lastTotal = 0;
};

Zipped zipNow(const WorkspacePlan &plan, const QString &outputDir)
{
    WorkspaceZip zip;
    Zipped out;
    bool done = false;
    // Queued to this thread (the context object lives here): no race with
    // the worker, and no signal missed before the wait starts.
    QObject::connect(&zip, &WorkspaceZip::progress, &zip, [&out](qint64 sent, qint64 total) {
        out.lastDone = sent;
        out.lastTotal = total;
    });
    QObject::connect(&zip, &WorkspaceZip::finished, &zip,
                     [&out, &done](const QString &path, const QString &error) {
                         out.path = path;
                         out.error = error;
                         done = true;
                     });
    zip.start(plan, outputDir);
    EXPECT_TRUE(QTest::qWaitFor([&done] { return done; }, 30000));
    return out;
}

QStringList entries(const QString &dir)
{
    return QDir(dir).entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::Hidden);
}

} // namespace

TEST(WorkspaceZip, PlanSendsWhatThePfIgnoreLeavesIn)
{
    QTemporaryDir tmp;
    QTemporaryDir outside;
    const QString w = makeWorkspace(tmp.path(), outside.path());
    const WorkspacePlan plan = WorkspaceZip::plan(w);
    ASSERT_TRUE(plan.ok()) << plan.error.toStdString();
    EXPECT_EQ(plan.rootName, u"proj"_s);
    QStringList paths;
    qint64 total = 0;
    for (const WorkspaceFile &f : plan.files) {
        paths << f.relativePath;
        total += f.size;
        EXPECT_EQ(f.size, QFileInfo(w + u'/' + f.relativePath).size());
    }
    paths.sort();
    EXPECT_EQ(paths, kExpected);
    EXPECT_EQ(plan.totalBytes, total);
    // The three links are skipped, each with its reason.
    EXPECT_EQ(plan.skipped.size(), 3) << plan.skipped.join(u'\n').toStdString();
    for (const QString &s : plan.skipped)
        EXPECT_TRUE(s.contains(u"symbolic link"_s)) << s.toStdString();
}

TEST(WorkspaceZip, TheZipIsStoredWithNamesRelativeToTheParent)
{
    QTemporaryDir tmp;
    QTemporaryDir outside;
    QTemporaryDir out;
    const QString w = makeWorkspace(tmp.path(), outside.path());
    const WorkspacePlan plan = WorkspaceZip::plan(w);
    ASSERT_TRUE(plan.ok()) << plan.error.toStdString();
    const Zipped zipped = zipNow(plan, out.path());
    ASSERT_TRUE(zipped.error.isEmpty()) << zipped.error.toStdString();
    ASSERT_TRUE(zipped.path.startsWith(out.path() + u'/'));
    EXPECT_EQ(zipped.lastDone, plan.totalBytes);
    EXPECT_EQ(zipped.lastTotal, plan.totalBytes);

    QString problem;
    QStringList names = zipEntries(zipped.path, &problem);
    EXPECT_TRUE(problem.isEmpty()) << problem.toStdString();
    names.sort();
    QStringList expected;
    for (const QString &p : kExpected)
        expected << u"proj/"_s + p;
    EXPECT_EQ(names, expected);
    EXPECT_EQ(zipEntry(zipped.path, u"proj/main.py"_s), QByteArray("print('hello')\n"));
    EXPECT_EQ(zipEntry(zipped.path, u"proj/logs/keep.log"_s), QByteArray("kept"));
    // Nothing of what the links pointed at.
    for (const QString &n : names)
        EXPECT_FALSE(n.contains(u"secret"_s) || n.contains(u"outside"_s)) << n.toStdString();
    // The zip is the only file left in the output folder.
    EXPECT_EQ(entries(out.path()), QStringList{QFileInfo(zipped.path).fileName()});
}

TEST(WorkspaceZip, OverTheLimitIsRefusedBeforeAnythingIsWritten)
{
    QTemporaryDir tmp;
    QTemporaryDir out;
    const QString w = tmp.path() + u"/big"_s;
    ASSERT_TRUE(write(w + u"/main.py"_s, "print(1)\n"));
    ASSERT_TRUE(sparse(w + u"/weights.bin"_s, 150LL * 1024 * 1024));
    const WorkspacePlan plan = WorkspaceZip::plan(w);
    ASSERT_FALSE(plan.ok());
    EXPECT_EQ(plan.totalBytes, 150LL * 1024 * 1024 + 9);
    EXPECT_TRUE(plan.error.contains(u"150.0 MB"_s)) << plan.error.toStdString();
    EXPECT_TRUE(plan.error.contains(u"100.0 MB"_s)) << plan.error.toStdString();
    EXPECT_TRUE(plan.error.contains(u"weights.bin"_s)) << plan.error.toStdString();
    EXPECT_TRUE(plan.error.contains(u".pfignore"_s)) << plan.error.toStdString();
    // Given anyway, the zipper refuses it and writes nothing.
    const Zipped zipped = zipNow(plan, out.path());
    EXPECT_TRUE(zipped.path.isEmpty());
    EXPECT_EQ(zipped.error, plan.error);
    EXPECT_TRUE(entries(out.path()).isEmpty());

    // Ignoring the weights brings it under the limit.
    ASSERT_TRUE(write(w + u"/.pfignore"_s, "*.bin\n"));
    EXPECT_TRUE(WorkspaceZip::plan(w).ok());
}

TEST(WorkspaceZip, NothingToSendOrNoFolderIsRefused)
{
    QTemporaryDir tmp;
    EXPECT_FALSE(WorkspaceZip::plan(tmp.path() + u"/missing"_s).ok());
    const QString w = tmp.path() + u"/empty"_s;
    ASSERT_TRUE(write(w + u"/a.txt"_s, "a"));
    ASSERT_TRUE(write(w + u"/.pfignore"_s, "*\n"));
    const WorkspacePlan plan = WorkspaceZip::plan(w);
    EXPECT_FALSE(plan.ok());
    EXPECT_TRUE(plan.error.contains(u"no file"_s)) << plan.error.toStdString();
}

TEST(WorkspaceZip, CancelMidwayLeavesNoFile)
{
    QTemporaryDir tmp;
    QTemporaryDir out;
    const QString w = tmp.path() + u"/w"_s;
    for (int i = 0; i < 8; ++i)
        ASSERT_TRUE(sparse(w + u"/part%1.bin"_s.arg(i), 4 * 1024 * 1024));
    const WorkspacePlan plan = WorkspaceZip::plan(w);
    ASSERT_TRUE(plan.ok()) << plan.error.toStdString();

    WorkspaceZip zip;
    qint64 cancelledAt = -1;
    // Direct: cancel() from the worker at its first report, so the test
    // does not race the zipping.
    QObject::connect(
        &zip, &WorkspaceZip::progress, &zip,
        [&zip, &cancelledAt](qint64 done, qint64) {
            if (cancelledAt < 0) {
                cancelledAt = done;
                zip.cancel();
            }
        },
        Qt::DirectConnection);
    int finished = 0;
    QString path = u"unset"_s;
    QString error;
    QObject::connect(&zip, &WorkspaceZip::finished, &zip, [&](const QString &p, const QString &e) {
        ++finished;
        path = p;
        error = e;
    });
    zip.start(plan, out.path());
    ASSERT_TRUE(QTest::qWaitFor([&finished] { return finished > 0; }, 30000));
    EXPECT_EQ(finished, 1);
    EXPECT_GT(cancelledAt, 0);
    EXPECT_LT(cancelledAt, plan.totalBytes);
    EXPECT_TRUE(path.isEmpty());
    EXPECT_TRUE(error.contains(u"cancelled"_s)) << error.toStdString();
    EXPECT_TRUE(entries(out.path()).isEmpty()) << entries(out.path()).join(u' ').toStdString();
}

TEST(WorkspaceZip, DestroyingWhileZippingStopsAndCleansUp)
{
    QTemporaryDir tmp;
    QTemporaryDir out;
    const QString w = tmp.path() + u"/w"_s;
    for (int i = 0; i < 8; ++i)
        ASSERT_TRUE(sparse(w + u"/part%1.bin"_s.arg(i), 4 * 1024 * 1024));
    const WorkspacePlan plan = WorkspaceZip::plan(w);
    ASSERT_TRUE(plan.ok());
    {
        WorkspaceZip zip;
        zip.start(plan, out.path());
    } // cancels and joins
    // Either it finished before the cancel (one zip) or nothing is left.
    const QStringList left = entries(out.path());
    EXPECT_LE(left.size(), 1);
    for (const QString &name : left)
        EXPECT_TRUE(name.endsWith(u".zip"_s)) << name.toStdString();
}

// ---- Against a real pfd

namespace {

const QString kConfig = uR"(auth:
  password_hashing: minimal
  login_failures_per_user: 10000
  login_failures_per_address: 100000
vm_types:
  - {code: test-cpu-1c, devices_per_vm: 1, vcpu: 1, memory_gib: 1, max_vms: 4, default_quota: 2}
jobs:
  sandbox: none
)"_s;

} // namespace

class WorkspaceJobTest : public ::testing::Test
{
protected:
    static void SetUpTestSuite()
    {
        s_pfd = new PfdProcess(kConfig);
        ASSERT_TRUE(s_pfd->start()) << s_pfd->lastError().toStdString();
    }
    static void TearDownTestSuite() { delete s_pfd; }

    void SetUp() override
    {
        static int n = 0;
        m_user = s_pfd->createUser(u"wszip%1"_s.arg(++n));
        m_session = std::make_unique<ApiSession>(QUrl(u"http://127.0.0.1:%1"_s.arg(s_pfd->port())));
        m_session->setTokens(m_user.token, m_user.refresh);
        m_api = std::make_unique<PfApi>(m_session.get());
        const auto org =
            waitFor<api::Org>([&](auto d) { m_api->createOrg(m_user.username + u"-org"_s, d); });
        ASSERT_API_OK(org);
        const auto project =
            waitFor<api::Project>([&](auto d) { m_api->createProject(org.value.id, u"p"_s, d); });
        ASSERT_API_OK(project);
        m_projectId = project.value.id;
    }

    static QJsonObject spec(const QString &command)
    {
        return QJsonObject{
            {u"experiment"_s, u"ws"_s},
            {u"name"_s, u"list-workspace"_s},
            {u"vm"_s, u"test-cpu-1c"_s},
            {u"num_devices"_s, 1},
            {u"job_setting"_s,
             QJsonObject{
                 {u"type"_s, u"custom"_s},
                 {u"docker"_s, QJsonObject{{u"image"_s, u"any"_s}, {u"command"_s, command}}},
                 {u"workspace"_s, QJsonObject{{u"mount_path"_s, u"/workspace"_s}}}}}};
    }

    // The job's stdout lines once it has ended, oldest first.
    QStringList stdoutOf(qint64 number, api::JobStatus *status)
    {
        EXPECT_TRUE(QTest::qWaitFor(
            [&] {
                *status = waitFor<api::Job>([&](auto d) {
                              m_api->job(m_projectId, number, d);
                          }).value.status;
                return api::isTerminal(*status);
            },
            30000));
        LogQuery q;
        q.ascending = true;
        q.limit = 1000;
        q.logTypes = {u"stdout"_s};
        const auto logs =
            waitFor<LogPage>([&](auto d) { m_api->jobLogs(m_projectId, number, q, d); });
        EXPECT_API_OK(logs);
        QStringList lines;
        for (const api::LogRecord &r : logs.value.results)
            lines << r.content.trimmed();
        return lines;
    }

    static inline PfdProcess *s_pfd = nullptr;
    PfdProcess::User m_user;
    std::unique_ptr<ApiSession> m_session;
    std::unique_ptr<PfApi> m_api;
    QString m_projectId;
};

TEST_F(WorkspaceJobTest, TheJobSeesExactlyTheFilesNotIgnored)
{
    QTemporaryDir tmp;
    QTemporaryDir outside;
    QTemporaryDir out;
    const QString w = makeWorkspace(tmp.path(), outside.path());
    const WorkspacePlan plan = WorkspaceZip::plan(w);
    ASSERT_TRUE(plan.ok()) << plan.error.toStdString();
    const Zipped zipped = zipNow(plan, out.path());
    ASSERT_TRUE(zipped.error.isEmpty()) << zipped.error.toStdString();

    qint64 sent = 0;
    qint64 total = 0;
    // Without a sandbox the command runs in the workspace's host folder.
    const auto job = waitFor<api::Job>([&](auto d) {
        m_api->createJobWithWorkspace(
            m_projectId, spec(u"find . -type f | LC_ALL=C sort"_s), zipped.path,
            [&](qint64 s, qint64 t) {
                sent = s;
                total = t;
            },
            d);
    });
    ASSERT_API_OK(job);
    EXPECT_GT(total, QFileInfo(zipped.path).size());
    EXPECT_EQ(sent, total);

    api::JobStatus status = api::JobStatus::Waiting;
    const QStringList lines = stdoutOf(job.value.number, &status);
    EXPECT_EQ(status, api::JobStatus::Success);
    QStringList expected;
    for (const QString &p : kExpected)
        expected << u"./proj/"_s + p;
    expected.sort(); // the job sorted bytewise, as QStringList does for ASCII
    EXPECT_EQ(lines, expected) << lines.join(u'\n').toStdString();
    QFile::remove(zipped.path);
}

TEST_F(WorkspaceJobTest, AStaleTokenRefreshesAndTheUploadIsSentAgain)
{
    QTemporaryDir tmp;
    QTemporaryDir out;
    const QString w = tmp.path() + u"/small"_s;
    ASSERT_TRUE(write(w + u"/main.py"_s, "print(1)\n"));
    const Zipped zipped = zipNow(WorkspaceZip::plan(w), out.path());
    ASSERT_TRUE(zipped.error.isEmpty()) << zipped.error.toStdString();

    m_session->setTokens(u"not-a-token"_s, m_user.refresh);
    const auto job = waitFor<api::Job>([&](auto d) {
        m_api->createJobWithWorkspace(m_projectId, spec(u"find . -type f"_s), zipped.path, {}, d);
    });
    ASSERT_API_OK(job);
    EXPECT_EQ(m_session->refreshes(), 1);
    api::JobStatus status = api::JobStatus::Waiting;
    EXPECT_EQ(stdoutOf(job.value.number, &status), QStringList{u"./small/main.py"_s});

    // A zip that went away: the call fails with a reason, nothing is created.
    QFile::remove(zipped.path);
    const auto gone = waitFor<api::Job>([&](auto d) {
        m_api->createJobWithWorkspace(m_projectId, spec(u"true"_s), zipped.path, {}, d);
    });
    EXPECT_FALSE(gone.ok());
    EXPECT_EQ(gone.result.status, 0);
    EXPECT_FALSE(gone.message().isEmpty());
}
