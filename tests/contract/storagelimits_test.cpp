// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// Contract: the object store's limits (docs/api.md "Storage") on a pfd with
// a tiny quota, short-lived URLs, a short read timeout and a quick sweep of
// unfinished uploads; and hostile uploads (lengths that lie, dribbling).

#include <chrono>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QDirIterator>
#include <QUrl>

#include "tests/contract/contracthelpers.h"
#include "tests/support/streamtransfer.h"

using namespace pf::test;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kQuota = 107374; // 0.0001 GiB

// A connection that sends what a test says, when it says.
class RawConnection
{
public:
    explicit RawConnection(quint16 port)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        EXPECT_EQ(::connect(m_fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr), 0);
    }
    ~RawConnection() { ::close(m_fd); }

    bool send(const std::string &bytes)
    {
        return ::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == ssize_t(bytes.size());
    }
    // What arrives within `ms` (until the peer closes or stays quiet).
    std::string receive(int ms)
    {
        std::string out;
        const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
        for (;;) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                end - std::chrono::steady_clock::now());
            pollfd p{m_fd, POLLIN, 0};
            if (left.count() <= 0 || ::poll(&p, 1, int(left.count())) <= 0)
                return out;
            char buffer[4096];
            const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
            if (n <= 0)
                return out;
            out.append(buffer, size_t(n));
        }
    }

private:
    int m_fd = -1;
};

int statusOf(const std::string &answer)
{
    return answer.rfind("HTTP/1.1 ", 0) == 0 ? std::atoi(answer.c_str() + 9) : 0;
}

} // namespace

class StorageLimits : public ApiTest
{
protected:
    static void SetUpTestSuite()
    {
        startPfd(PfdProcess::defaultConfig() + uR"(http:
  read_timeout_s: 2
storage:
  project_quota_gib: 0.0001
  url_ttl_s: 2
  upload_max_age_s: 1
  sweep_interval_s: 1
)"_s);
    }

    struct Setup
    {
        World w;
        qint64 dataset = 0;
    };
    static Setup setup()
    {
        Setup s{makeWorld(), 0};
        s.dataset = pfd()
                        .client(s.w.owner.token)
                        ->postJson(u"/api/project/%1/datastore/"_s.arg(s.w.projectId),
                                   {{u"name"_s, unique(u"limits"_s)}, {u"vendor"_s, u"fai"_s}})
                        .json()
                        .value(u"id"_s)
                        .toInteger();
        EXPECT_GT(s.dataset, 0);
        return s;
    }
    static std::string uploadTarget(const Setup &s, const QString &path)
    {
        const HttpReply r = pfd()
                                .client(s.w.owner.token)
                                ->postJson(u"/api/datastore/%1/upload/"_s.arg(s.dataset),
                                           {{u"paths"_s, QJsonArray{path}}});
        return targetOf(r.jsonArray().at(0).toObject().value(u"upload_url"_s).toString());
    }
    static std::string head(const std::string &target, qint64 length)
    {
        return "PUT " + target +
               " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + std::to_string(length) +
               "\r\n\r\n";
    }
    static HttpReply put(const std::string &target, const QByteArray &body)
    {
        return pfd().client()->request("PUT", target, body.toStdString(),
                                       "application/octet-stream");
    }
    static bool stored(const Setup &s, const QString &path)
    {
        return QFile::exists(
            pfd().dataDir() +
            u"/objects/data/projects/%1/datasets/%2/"_s.arg(s.w.projectId).arg(s.dataset) + path);
    }
};

TEST_F(StorageLimits, TheQuotaIsCheckedBeforeTheBody)
{
    const Setup s = setup();
    ASSERT_EQ(put(uploadTarget(s, u"a"_s), QByteArray(60000, 'a')).status, 200);
    // 60,000 more would pass the quota: refused on the headers alone.
    RawConnection c(pfd().port());
    ASSERT_TRUE(c.send(head(uploadTarget(s, u"b"_s), 60000)));
    const std::string answer = c.receive(3000);
    EXPECT_EQ(statusOf(answer), 413) << answer;
    EXPECT_NE(answer.find("quota"), std::string::npos) << answer;
    EXPECT_FALSE(stored(s, u"b"_s));
    // What fits still goes in.
    EXPECT_EQ(put(uploadTarget(s, u"c"_s), QByteArray(kQuota - 60000, 'c')).status, 200);
    EXPECT_API_ERROR(put(uploadTarget(s, u"d"_s), "x"), 413);
    // Parts of open uploads count too.
    const HttpReply mpu = pfd()
                              .client(s.w.owner.token)
                              ->postJson(u"/api/datastore/%1/start_mpu/"_s.arg(s.dataset),
                                         {{u"path"_s, u"e"_s}, {u"num_parts"_s, 1}});
    ASSERT_EQ(mpu.status, 200);
    const QUrl part(mpu.json()
                        .value(u"upload_urls"_s)
                        .toArray()
                        .at(0)
                        .toObject()
                        .value(u"upload_url"_s)
                        .toString());
    EXPECT_API_ERROR(
        put(QString(part.path() + u'?' + part.query(QUrl::FullyEncoded)).toStdString(), "x"), 413);
}

TEST_F(StorageLimits, UrlsExpire)
{
    const Setup s = setup();
    const std::string target = uploadTarget(s, u"late"_s);
    std::this_thread::sleep_for(std::chrono::milliseconds(3500));
    const HttpReply r = put(target, "late");
    EXPECT_API_ERROR(r, 403);
    EXPECT_TRUE(r.detail().contains(u"expired"_s)) << show(r);
    EXPECT_FALSE(stored(s, u"late"_s));
}

TEST_F(StorageLimits, UploadsWithoutALengthOrWithAFalseOneStoreNothing)
{
    const Setup s = setup();
    // Chunked, no Content-Length: 411.
    RawConnection chunked(pfd().port());
    ASSERT_TRUE(chunked.send("PUT " + uploadTarget(s, u"chunked"_s) +
                             " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                             "3\r\nabc\r\n0\r\n\r\n"));
    EXPECT_EQ(statusOf(chunked.receive(3000)), 411);
    EXPECT_FALSE(stored(s, u"chunked"_s));

    // Shorter than declared, then the client goes: no object.
    {
        RawConnection shorter(pfd().port());
        ASSERT_TRUE(shorter.send(head(uploadTarget(s, u"short"_s), 1000) + std::string(500, 's')));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_FALSE(stored(s, u"short"_s));

    // Longer than declared: the declared bytes are the object; the rest is
    // a malformed next request on the connection, refused.
    RawConnection longer(pfd().port());
    ASSERT_TRUE(
        longer.send(head(uploadTarget(s, u"long"_s), 10) + "0123456789EXTRA BYTES\r\n\r\n"));
    const std::string answers = longer.receive(3000);
    EXPECT_EQ(statusOf(answers), 200) << answers;
    EXPECT_NE(answers.find("HTTP/1.1 400"), std::string::npos) << answers;
    ASSERT_TRUE(stored(s, u"long"_s));
    QFile f(pfd().dataDir() +
            u"/objects/data/projects/%1/datasets/%2/long"_s.arg(s.w.projectId).arg(s.dataset));
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    EXPECT_EQ(f.readAll(), "0123456789");
}

TEST_F(StorageLimits, AStalledOrDribblingBodyIsCutOff)
{
    const Setup s = setup();
    // Headers, then silence: 408 after the read timeout (2 s).
    RawConnection silent(pfd().port());
    ASSERT_TRUE(silent.send(head(uploadTarget(s, u"silent"_s), 50000)));
    const auto start = std::chrono::steady_clock::now();
    std::string answer = silent.receive(8000);
    EXPECT_EQ(statusOf(answer), 408) << answer;
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(6));

    // A byte every 300 ms never stalls, but 50,000 bytes at that pace would
    // take hours: cut off when the average falls under 64 KiB/s past the
    // read timeout (here about 3 s).
    RawConnection dribble(pfd().port());
    ASSERT_TRUE(dribble.send(head(uploadTarget(s, u"dribble"_s), 50000)));
    int status = 0;
    for (int i = 0; i < 40 && status == 0; ++i) {
        dribble.send("x");
        status = statusOf(dribble.receive(300));
    }
    EXPECT_EQ(status, 408);
    EXPECT_FALSE(stored(s, u"silent"_s));
    EXPECT_FALSE(stored(s, u"dribble"_s));
}

TEST_F(StorageLimits, UnfinishedMultipartUploadsAreSwept)
{
    const Setup s = setup();
    auto c = pfd().client(s.w.owner.token);
    const HttpReply first = c->postJson(u"/api/datastore/%1/start_mpu/"_s.arg(s.dataset),
                                        {{u"path"_s, u"old"_s}, {u"num_parts"_s, 1}});
    ASSERT_EQ(first.status, 200);
    const QUrl part(first.json()
                        .value(u"upload_urls"_s)
                        .toArray()
                        .at(0)
                        .toObject()
                        .value(u"upload_url"_s)
                        .toString());
    const std::string partTarget =
        QString(part.path() + u'?' + part.query(QUrl::FullyEncoded)).toStdString();
    ASSERT_EQ(put(partTarget, "part").status, 200);
    // The background sweep (every second here) aborts it once it is older
    // than a second.
    std::this_thread::sleep_for(std::chrono::milliseconds(3000));
    EXPECT_API_ERROR(c->postJson(u"/api/datastore/%1/complete_mpu/"_s.arg(s.dataset),
                                 {{u"path"_s, u"old"_s},
                                  {u"upload_id"_s, first.json().value(u"upload_id"_s)},
                                  {u"parts"_s, QJsonArray{QJsonObject{{u"part_number"_s, 1},
                                                                      {u"etag"_s, u"x"_s}}}}}),
                     404);
}
