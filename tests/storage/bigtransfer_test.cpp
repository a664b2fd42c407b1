// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// Gigabytes through pfd's object store: a single PUT and a multipart upload
// of PF_BIG_TRANSFER_BYTES (3 GiB by default), each read back with parallel
// range requests and checked byte for byte, while pfd's resident memory is
// sampled from /proc; an interrupted multipart upload finished by sending
// only what is missing; and pfd killed in the middle of a PUT.

#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QTest>
#include <QUrl>

#include "tests/support/pfdprocess.h"
#include "tests/support/streamtransfer.h"

using namespace pf::test;
using namespace Qt::StringLiterals;

namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;

std::uint64_t bigSize()
{
    const QByteArray env = qgetenv("PF_BIG_TRANSFER_BYTES");
    return env.isEmpty() ? 3 * 1024 * kMiB : env.toULongLong();
}

// pfd's resident set in kB, from /proc.
qint64 rssKb(qint64 pid)
{
    QFile f(u"/proc/%1/status"_s.arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    return 0;
}

// Samples a process's RSS every 20 ms until destroyed; the largest seen.
class RssWatch
{
public:
    explicit RssWatch(qint64 pid)
        : m_thread([this, pid] {
            while (!m_stop) {
                m_peak = std::max<qint64>(m_peak, rssKb(pid));
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        })
    {}
    ~RssWatch() { stop(); }
    qint64 stop()
    {
        m_stop = true;
        if (m_thread.joinable())
            m_thread.join();
        return m_peak;
    }

private:
    std::atomic<bool> m_stop{false};
    std::atomic<qint64> m_peak{0};
    std::thread m_thread;
};

// Reads [0, size) of `url` as `streams` parallel range requests and
// compares every byte with the pattern; the number of bytes that matched.
std::uint64_t parallelVerify(quint16 port, const QString &url, std::uint64_t size, int streams,
                             std::uint32_t seed, QStringList *errors)
{
    std::atomic<std::uint64_t> matched{0};
    std::vector<std::thread> threads;
    std::mutex errorMutex;
    const std::uint64_t slice = (size + std::uint64_t(streams) - 1) / std::uint64_t(streams);
    for (int i = 0; i < streams; ++i) {
        const std::uint64_t from = slice * std::uint64_t(i);
        if (from >= size)
            break;
        const std::uint64_t length = std::min(slice, size - from);
        threads.emplace_back([&, from, length] {
            std::vector<char> expected;
            std::uint64_t good = 0;
            const StreamResult r =
                streamGet(port, targetOf(url), std::make_pair(from, length),
                          [&](std::uint64_t at, const char *data, std::size_t n) {
                              expected.resize(n);
                              fillPattern(expected.data(), from + at, n, seed);
                              if (std::memcmp(expected.data(), data, n) == 0)
                                  good += n;
                          });
            matched += good;
            if (r.status != 206 || !r.error.isEmpty()) {
                std::lock_guard lock(errorMutex);
                errors->append(
                    u"range %1+%2: HTTP %3 %4"_s.arg(from).arg(length).arg(r.status).arg(r.error));
            }
        });
    }
    for (auto &t : threads)
        t.join();
    return matched;
}

class BigTransfers : public ::testing::Test
{
protected:
    static void SetUpTestSuite()
    {
        s_pfd = new PfdProcess();
        ASSERT_TRUE(s_pfd->start()) << s_pfd->lastError().toStdString();
        s_user = new PfdProcess::User(s_pfd->createUser(u"mover"_s));
        auto c = s_pfd->client(s_user->token);
        const QString org = c->postJson(u"/auth/pf_group"_s, {{u"name"_s, u"big"_s}})
                                .json()
                                .value(u"id"_s)
                                .toString();
        const QString project =
            c->postJson(u"/auth/pf_group/%1/pf_project"_s.arg(org), {{u"name"_s, u"default"_s}})
                .json()
                .value(u"id"_s)
                .toString();
        s_dataset = c->postJson(u"/api/project/%1/datastore/"_s.arg(project),
                                {{u"name"_s, u"big"_s}, {u"vendor"_s, u"fai"_s}})
                        .json()
                        .value(u"id"_s)
                        .toInteger();
        ASSERT_GT(s_dataset, 0);
    }
    static void TearDownTestSuite()
    {
        delete s_user;
        delete s_pfd;
    }

    static QString api(const QString &rest)
    {
        return u"/api/datastore/%1/"_s.arg(s_dataset) + rest;
    }

    static QString uploadUrl(const QString &path)
    {
        const HttpReply r = s_pfd->client(s_user->token)
                                ->postJson(api(u"upload/"_s), {{u"paths"_s, QJsonArray{path}}});
        EXPECT_EQ(r.status, 200) << r.body.toStdString();
        return r.jsonArray().at(0).toObject().value(u"upload_url"_s).toString();
    }

    // Records `path` of `size` bytes in the dataset, then its download URL.
    static QString downloadUrl(const QString &path, std::uint64_t size)
    {
        auto c = s_pfd->client(s_user->token);
        const HttpReply r = c->patchJson(
            api({}),
            {{u"files"_s, QJsonArray{QJsonObject{{u"path"_s, path}, {u"size"_s, qint64(size)}}}},
             {u"active"_s, true}});
        EXPECT_EQ(r.status, 200) << r.body.toStdString();
        return c->get(api(u"download/?path="_s + path))
            .json()
            .value(u"files"_s)
            .toArray()
            .at(0)
            .toObject()
            .value(u"download_url"_s)
            .toString();
    }

    static inline PfdProcess *s_pfd = nullptr;
    static inline PfdProcess::User *s_user = nullptr;
    static inline qint64 s_dataset = 0;
};

TEST_F(BigTransfers, SinglePutThenParallelRangesWithFlatMemory)
{
    const std::uint64_t size = bigSize();
    const QString url = uploadUrl(u"single.bin"_s);
    const qint64 idle = rssKb(s_pfd->pid());
    ASSERT_GT(idle, 0);
    RssWatch watch(s_pfd->pid());

    QCryptographicHash md5(QCryptographicHash::Md5);
    const StreamResult put = streamPut(s_pfd->port(), targetOf(url), size,
                                       [&md5](std::uint64_t at, char *out, std::size_t n) {
                                           fillPattern(out, at, n, 1);
                                           md5.addData(QByteArrayView(out, qsizetype(n)));
                                       });
    ASSERT_EQ(put.status, 200) << put.body << put.error.toStdString();
    EXPECT_EQ(put.header("etag"), '"' + md5.result().toHex().toStdString() + '"');

    QStringList errors;
    EXPECT_EQ(
        parallelVerify(s_pfd->port(), downloadUrl(u"single.bin"_s, size), size, 8, 1, &errors),
        size);
    EXPECT_TRUE(errors.isEmpty()) << errors.join(u'\n').toStdString();
    const qint64 peak = watch.stop();
    EXPECT_LT(peak - idle, 100 * 1024) << "pfd grew from " << idle << " kB to " << peak << " kB";
    std::printf("single PUT of %llu bytes: %.1f s; pfd RSS idle %lld kB, peak %lld kB\n",
                static_cast<unsigned long long>(size), put.seconds, static_cast<long long>(idle),
                static_cast<long long>(peak));
}

TEST_F(BigTransfers, MultipartInEightParallelPartsWithFlatMemory)
{
    const std::uint64_t size = bigSize();
    constexpr int kParts = 8;
    const std::uint64_t partSize = (size + kParts - 1) / kParts;
    auto c = s_pfd->client(s_user->token);
    const HttpReply started =
        c->postJson(api(u"start_mpu/"_s), {{u"path"_s, u"multi.bin"_s}, {u"num_parts"_s, kParts}});
    ASSERT_EQ(started.status, 200) << started.body.toStdString();
    const QJsonArray urls = started.json().value(u"upload_urls"_s).toArray();
    const qint64 idle = rssKb(s_pfd->pid());
    RssWatch watch(s_pfd->pid());

    std::vector<StreamResult> results(kParts);
    std::vector<std::thread> threads;
    for (int i = 0; i < kParts; ++i) {
        threads.emplace_back([&, i] {
            const std::uint64_t from = partSize * std::uint64_t(i);
            const std::uint64_t length = std::min(partSize, size - from);
            results[size_t(i)] = streamPut(
                s_pfd->port(), targetOf(urls.at(i).toObject().value(u"upload_url"_s).toString()),
                length, [from](std::uint64_t at, char *out, std::size_t n) {
                    fillPattern(out, from + at, n, 2);
                });
        });
    }
    for (auto &t : threads)
        t.join();
    QJsonArray parts;
    for (int i = 0; i < kParts; ++i) {
        ASSERT_EQ(results[size_t(i)].status, 200)
            << "part " << i + 1 << ": " << results[size_t(i)].body
            << results[size_t(i)].error.toStdString();
        parts.append(
            QJsonObject{{u"part_number"_s, i + 1},
                        {u"etag"_s, QString::fromStdString(results[size_t(i)].header("etag"))}});
    }
    const HttpReply done = c->postJson(api(u"complete_mpu/"_s),
                                       {{u"path"_s, u"multi.bin"_s},
                                        {u"upload_id"_s, started.json().value(u"upload_id"_s)},
                                        {u"parts"_s, parts}});
    ASSERT_EQ(done.status, 200) << done.body.toStdString();
    EXPECT_EQ(done.json().value(u"size"_s).toInteger(), qint64(size));

    QStringList errors;
    EXPECT_EQ(parallelVerify(s_pfd->port(), downloadUrl(u"multi.bin"_s, size), size, 8, 2, &errors),
              size);
    EXPECT_TRUE(errors.isEmpty()) << errors.join(u'\n').toStdString();
    const qint64 peak = watch.stop();
    EXPECT_LT(peak - idle, 100 * 1024) << "pfd grew from " << idle << " kB to " << peak << " kB";
}

TEST_F(BigTransfers, AnInterruptedMultipartUploadSendsOnlyTheMissingParts)
{
    constexpr int kParts = 4;
    constexpr std::uint64_t kPart = 8 * kMiB;
    auto c = s_pfd->client(s_user->token);
    const HttpReply started = c->postJson(
        api(u"start_mpu/"_s), {{u"path"_s, u"resumed.bin"_s}, {u"num_parts"_s, kParts}});
    ASSERT_EQ(started.status, 200);
    const QJsonArray urls = started.json().value(u"upload_urls"_s).toArray();
    const auto sendPart = [&](int i, std::uint64_t cutAfter) {
        const std::uint64_t from = kPart * std::uint64_t(i);
        // cutAfter < kPart: the client dies after that many bytes (the
        // source throws, the socket closes mid-body).
        try {
            return streamPut(s_pfd->port(),
                             targetOf(urls.at(i).toObject().value(u"upload_url"_s).toString()),
                             kPart, [from, cutAfter](std::uint64_t at, char *out, std::size_t n) {
                                 if (at >= cutAfter)
                                     throw std::runtime_error("interrupted");
                                 fillPattern(out, from + at, n, 3);
                             });
        } catch (const std::runtime_error &) {
            return StreamResult{};
        }
    };
    QJsonArray parts;
    std::map<int, std::string> etags;
    for (const int i : {0, 2}) {
        const StreamResult r = sendPart(i, kPart);
        ASSERT_EQ(r.status, 200);
        etags[i] = r.header("etag");
    }
    EXPECT_EQ(sendPart(1, 3 * kMiB).status, 0); // interrupted: no answer, nothing kept
    // The client resumes: parts 1 and 3 are done; 2 and 4 go (again).
    for (const int i : {1, 3}) {
        const StreamResult r = sendPart(i, kPart);
        ASSERT_EQ(r.status, 200);
        etags[i] = r.header("etag");
    }
    for (const auto &[i, etag] : etags)
        parts.append(
            QJsonObject{{u"part_number"_s, i + 1}, {u"etag"_s, QString::fromStdString(etag)}});
    const HttpReply done = c->postJson(api(u"complete_mpu/"_s),
                                       {{u"path"_s, u"resumed.bin"_s},
                                        {u"upload_id"_s, started.json().value(u"upload_id"_s)},
                                        {u"parts"_s, parts}});
    ASSERT_EQ(done.status, 200) << done.body.toStdString();
    QStringList errors;
    EXPECT_EQ(parallelVerify(s_pfd->port(), downloadUrl(u"resumed.bin"_s, kParts * kPart),
                             kParts * kPart, 3, 3, &errors),
              kParts * kPart);
    EXPECT_TRUE(errors.isEmpty()) << errors.join(u'\n').toStdString();
    // Nothing of the cut part is left in the spool folder.
    EXPECT_TRUE(QDir(s_pfd->dataDir() + u"/tmp"_s).isEmpty(QDir::Files | QDir::NoDotAndDotDot));
}

TEST(BigTransferCrash, PfdKilledMidPutLeavesNoObject)
{
    PfdProcess first;
    ASSERT_TRUE(first.start()) << first.lastError().toStdString();
    PfdProcess::User user = first.createUser(u"crash"_s);
    auto c = first.client(user.token);
    const QString org = c->postJson(u"/auth/pf_group"_s, {{u"name"_s, u"crash"_s}})
                            .json()
                            .value(u"id"_s)
                            .toString();
    const QString project =
        c->postJson(u"/auth/pf_group/%1/pf_project"_s.arg(org), {{u"name"_s, u"default"_s}})
            .json()
            .value(u"id"_s)
            .toString();
    const qint64 id = c->postJson(u"/api/project/%1/datastore/"_s.arg(project),
                                  {{u"name"_s, u"crash"_s}, {u"vendor"_s, u"fai"_s}})
                          .json()
                          .value(u"id"_s)
                          .toInteger();
    const QString url = c->postJson(u"/api/datastore/%1/upload/"_s.arg(id),
                                    {{u"paths"_s, QJsonArray{u"torn.bin"_s}}})
                            .jsonArray()
                            .at(0)
                            .toObject()
                            .value(u"upload_url"_s)
                            .toString();
    ASSERT_FALSE(url.isEmpty());

    std::atomic<std::uint64_t> sent{0};
    std::thread uploader([&] {
        streamPut(first.port(), targetOf(url), 1024 * kMiB,
                  [&sent](std::uint64_t at, char *out, std::size_t n) {
                      fillPattern(out, at, n, 4);
                      sent = at + n;
                  });
    });
    ASSERT_TRUE(QTest::qWaitFor([&] { return sent > 200 * kMiB; }, 60000));
    first.kill();
    uploader.join();

    PfdProcess second(PfdProcess::defaultConfig(), first);
    ASSERT_TRUE(second.start()) << second.lastError().toStdString();
    // No object, and no half-written body left in the spool folder either.
    const QString objects = second.dataDir() + u"/objects/data"_s;
    QDirIterator it(objects, QDir::Files, QDirIterator::Subdirectories);
    EXPECT_FALSE(it.hasNext()) << it.next().toStdString();
    EXPECT_TRUE(QDir(second.dataDir() + u"/tmp"_s).isEmpty(QDir::Files | QDir::NoDotAndDotDot));
}

} // namespace
