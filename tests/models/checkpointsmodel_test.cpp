// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// CheckpointsModel against a real pfd: USER and JOB filters, cursor pages
// through fetchMore(), columns, rename in place, delete then restore through
// the deleted filter; and (fake transport) a page that fails and is retried.

#include <gtest/gtest.h>

#include <QAbstractItemModelTester>
#include <QSignalSpy>

#include "models/checkpointsmodel.h"
#include "models/humanize.h"
#include "tests/support/cannedhttpserver.h"
#include "tests/support/datafixture.h"

using namespace Qt::StringLiterals;
using pf::models::CheckpointsModel;
using pf::test::waitFor;
namespace api = pf::api;
namespace network = pf::network;

namespace {

using Category = CheckpointsModel::Category;

class CheckpointsModelTest : public pf::test::DataFixture
{
protected:
    static bool settled(const CheckpointsModel &m)
    {
        return QTest::qWaitFor([&] { return m.state() != CheckpointsModel::State::Fetching; });
    }
    // Fetches pages as a view would, until there are none left.
    static void fetchAll(CheckpointsModel &m)
    {
        while (m.canFetchMore()) {
            m.fetchMore();
            ASSERT_TRUE(settled(m));
        }
    }
};

network::Reply<network::Empty> asReply(const network::ApiResult &r)
{
    return {r, {}};
}

} // namespace

TEST_F(CheckpointsModelTest, PagesThroughUserCheckpointsAndFiltersJobOnes)
{
    for (int i = 0; i < 23; ++i)
        makeCheckpoint(u"user-%1"_s.arg(i), u"USER"_s, i * 100);
    const api::Checkpoint job =
        makeCheckpoint(u"job-ckpt"_s, u"JOB"_s, 5000, {{u"model/w.bin"_s, "weights!"}}, u"17"_s);

    CheckpointsModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy inserted(&m, &CheckpointsModel::rowsInserted);
    m.setWorkspace(m_ws);
    // The tester fetched the first page on the reset, as a view would.
    EXPECT_EQ(m.state(), CheckpointsModel::State::Fetching);
    EXPECT_FALSE(m.canFetchMore()); // not twice at once
    ASSERT_TRUE(settled(m));
    ASSERT_EQ(m.state(), CheckpointsModel::State::Fetched) << m.errorString().toStdString();
    EXPECT_EQ(m.rowCount(), 20); // the server's page size
    EXPECT_TRUE(m.canFetchMore());
    m.fetchMore();
    ASSERT_TRUE(settled(m));
    EXPECT_EQ(m.rowCount(), 23);
    EXPECT_FALSE(m.canFetchMore());
    EXPECT_EQ(inserted.count(), 2);
    QSet<QString> names;
    for (int r = 0; r < m.rowCount(); ++r)
        names.insert(m.index(r, 0).data().toString());
    EXPECT_EQ(names.size(), 23);
    EXPECT_FALSE(names.contains(u"job-ckpt"_s));

    m.setFilter(Category::Job, false);
    ASSERT_TRUE(settled(m));
    fetchAll(m);
    ASSERT_EQ(m.rowCount(), 1);
    const auto cell = [&](int column) { return m.index(0, column).data().toString(); };
    EXPECT_EQ(cell(CheckpointsModel::NameColumn), u"job-ckpt"_s);
    EXPECT_EQ(cell(CheckpointsModel::IterationColumn), u"5000"_s);
    EXPECT_EQ(cell(CheckpointsModel::JobColumn), u"17"_s);
    EXPECT_EQ(cell(CheckpointsModel::CreatedColumn), pf::models::formatTime(job.createdAt));
    EXPECT_EQ(cell(CheckpointsModel::SizeColumn), u"8 B"_s);
    EXPECT_EQ(m.index(0, 0).data(CheckpointsModel::IdRole).toString(), job.id);
    EXPECT_EQ(
        m.index(0, CheckpointsModel::SizeColumn).data(CheckpointsModel::SortRole).toLongLong(), 8);
    ASSERT_EQ(m.checkpoint(0).forms.size(), 1);
    EXPECT_EQ(m.checkpoint(0).forms.first().files.size(), 1);
}

TEST_F(CheckpointsModelTest, DeleteThenRestoreThroughTheDeletedFilter)
{
    const api::Checkpoint keep = makeCheckpoint(u"keep"_s, u"USER"_s, 1);
    const api::Checkpoint drop = makeCheckpoint(u"drop"_s, u"USER"_s, 2, {{u"a.pt"_s, "xyz"}});
    CheckpointsModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
    m.setWorkspace(m_ws);
    ASSERT_TRUE(settled(m));
    fetchAll(m);
    ASSERT_EQ(m.rowCount(), 2);

    ASSERT_API_OK(waitFor<network::Empty>([&](auto d) {
        m.rename(keep.id, u"kept"_s, [d](const network::ApiResult &r) { d(asReply(r)); });
    }));
    EXPECT_EQ(m.index(m.rowOf(keep.id), 0).data().toString(), u"kept"_s);

    QSignalSpy reset(&m, &CheckpointsModel::modelReset);
    ASSERT_API_OK(waitFor<network::Empty>(
        [&](auto d) { m.remove(drop.id, [d](const network::ApiResult &r) { d(asReply(r)); }); }));
    EXPECT_EQ(reset.count(), 0); // in place, no reload
    ASSERT_EQ(m.rowCount(), 1);
    EXPECT_EQ(m.rowOf(drop.id), -1);
    EXPECT_EQ(m.rowOf(keep.id), 0);

    m.setFilter(Category::User, true);
    EXPECT_TRUE(m.showsDeleted());
    ASSERT_TRUE(settled(m));
    fetchAll(m);
    ASSERT_EQ(m.rowCount(), 1);
    EXPECT_EQ(m.index(0, 0).data(CheckpointsModel::IdRole).toString(), drop.id);
    EXPECT_TRUE(m.index(0, 0).data(CheckpointsModel::DeletedRole).toBool());

    ASSERT_API_OK(waitFor<network::Empty>(
        [&](auto d) { m.restore(drop.id, [d](const network::ApiResult &r) { d(asReply(r)); }); }));
    EXPECT_EQ(m.rowCount(), 0);
    // Restoring twice: the server's words.
    const auto again = waitFor<network::Empty>(
        [&](auto d) { m.restore(drop.id, [d](const network::ApiResult &r) { d(asReply(r)); }); });
    EXPECT_EQ(again.result.status, 409);
    EXPECT_FALSE(again.message().isEmpty());

    m.setFilter(Category::User, false);
    ASSERT_TRUE(settled(m));
    fetchAll(m);
    EXPECT_EQ(m.rowCount(), 2);
    EXPECT_GE(m.rowOf(drop.id), 0);
}

// Fake transport: the second page fails with a 503 (pfd cannot be made to),
// the rows of the first stay, the view stops fetching, a retry continues.
TEST(CheckpointsModelErrors, FailedPageKeepsRowsAndRetries)
{
    bool failing = true;
    const auto page = [](const QString &name, const QString &next) {
        const QJsonObject c{{u"id"_s, u"00000000-0000-0000-0000-0000000000%1"_s.arg(name)},
                            {u"name"_s, name},
                            {u"model_category"_s, u"USER"_s},
                            {u"iteration"_s, 1},
                            {u"forms"_s, QJsonArray()}};
        return QJsonDocument(QJsonObject{{u"results"_s, QJsonArray{c}},
                                         {u"next_cursor"_s,
                                          next.isEmpty() ? QJsonValue() : QJsonValue(next)}})
            .toJson();
    };
    pf::test::CannedHttpServer fake([&](const QByteArray &, const QByteArray &target) {
        if (!target.contains("cursor="))
            return pf::test::CannedHttpServer::Answer{200, page(u"11"_s, u"c2"_s)};
        if (failing)
            return pf::test::CannedHttpServer::Answer{503, R"({"detail":"Registry is busy."})"};
        return pf::test::CannedHttpServer::Answer{200, page(u"22"_s, {})};
    });
    network::ApiSession session(fake.url());
    session.setTokens(u"a"_s, u"r"_s);
    network::PfApi api(&session);
    pf::models::Workspace ws;
    ws.api = &api;
    ws.orgId = u"00000000-0000-0000-0000-000000000001"_s;
    ws.projectId = u"00000000-0000-0000-0000-000000000002"_s;

    CheckpointsModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
    m.setWorkspace(ws); // the tester fetches the first page, as a view would
    ASSERT_TRUE(QTest::qWaitFor([&] { return m.state() == CheckpointsModel::State::Fetched; }));
    ASSERT_EQ(m.rowCount(), 1);
    ASSERT_TRUE(m.canFetchMore());
    m.fetchMore();
    ASSERT_TRUE(QTest::qWaitFor([&] { return m.state() == CheckpointsModel::State::Error; }));
    EXPECT_EQ(m.errorString(), u"Registry is busy."_s);
    EXPECT_EQ(m.rowCount(), 1);
    EXPECT_FALSE(m.canFetchMore());
    EXPECT_TRUE(m.hasMore());

    failing = false;
    m.fetchMore(); // Retry
    ASSERT_TRUE(QTest::qWaitFor([&] { return m.state() == CheckpointsModel::State::Fetched; }));
    EXPECT_EQ(m.rowCount(), 2);
    EXPECT_FALSE(m.canFetchMore());
    EXPECT_TRUE(m.errorString().isEmpty());
}
