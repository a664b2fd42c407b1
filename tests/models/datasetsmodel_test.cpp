// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// DatasetsModel against a real pfd: lazy loading, columns of a dataset with
// uploaded files, rename and metadata in place, delete, a refresh that
// merges; and (fake transport) a listing that fails.

#include <gtest/gtest.h>

#include <QAbstractItemModelTester>
#include <QSignalSpy>

#include "models/datasetsmodel.h"
#include "models/humanize.h"
#include "tests/support/cannedhttpserver.h"
#include "tests/support/datafixture.h"

using namespace Qt::StringLiterals;
using pf::models::DatasetsModel;
using pf::test::waitFor;
namespace api = pf::api;
namespace network = pf::network;

namespace {

class DatasetsModelTest : public pf::test::DataFixture
{
protected:
    static bool settled(const DatasetsModel &m)
    {
        return QTest::qWaitFor([&] { return m.state() != DatasetsModel::State::Fetching; });
    }
};

} // namespace

TEST_F(DatasetsModelTest, LoadsLazilyAndShowsColumns)
{
    const api::Dataset cifar = makeDataset(
        u"cifar"_s, {{u"train/a.bin"_s, "aaaa"}, {u"train/b.bin"_s, "bb"}, {u"labels.csv"_s, "x"}},
        {{u"classes"_s, 100}});
    DatasetsModel m;
    EXPECT_FALSE(m.canFetchMore());
    m.setWorkspace(m_ws);
    EXPECT_EQ(m.state(), DatasetsModel::State::Idle);
    EXPECT_EQ(m.rowCount(), 0);
    ASSERT_TRUE(m.canFetchMore());
    // The tester, like a view, calls fetchMore(): that is what loads.
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
    EXPECT_EQ(m.state(), DatasetsModel::State::Fetching);
    ASSERT_TRUE(settled(m));
    ASSERT_EQ(m.state(), DatasetsModel::State::Fetched) << m.errorString().toStdString();
    EXPECT_FALSE(m.canFetchMore());
    ASSERT_EQ(m.rowCount(), 1);
    EXPECT_EQ(m.columnCount(), DatasetsModel::ColumnCount);
    const auto cell = [&](int column) { return m.index(0, column).data().toString(); };
    EXPECT_EQ(cell(DatasetsModel::NameColumn), u"cifar"_s);
    EXPECT_EQ(cell(DatasetsModel::VendorColumn), u"pfd"_s);
    EXPECT_EQ(cell(DatasetsModel::StateColumn), u"Active"_s);
    EXPECT_EQ(cell(DatasetsModel::FilesColumn), u"3"_s);
    EXPECT_EQ(cell(DatasetsModel::SizeColumn), u"7 B"_s);
    EXPECT_EQ(cell(DatasetsModel::CreatedColumn), pf::models::formatTime(cifar.createdAt));
    EXPECT_EQ(m.index(0, 0).data(DatasetsModel::IdRole).toLongLong(), cifar.id);
    EXPECT_FALSE(m.index(0, 0).data(DatasetsModel::LinkedRole).toBool());
    EXPECT_EQ(m.dataset(0).metadata.value(u"classes"_s).toInt(), 100);
    EXPECT_EQ(m.rowOf(cifar.id), 0);
}

TEST_F(DatasetsModelTest, RenameMetadataAndDeleteUpdateRowsInPlace)
{
    const api::Dataset a = makeDataset(u"alpha"_s, {{u"f"_s, "1"}});
    const api::Dataset b = makeDataset(u"beta"_s, {{u"g"_s, "22"}});
    DatasetsModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
    m.setWorkspace(m_ws);
    m.refresh();
    ASSERT_TRUE(settled(m));
    ASSERT_EQ(m.rowCount(), 2);

    QSignalSpy changed(&m, &DatasetsModel::dataChanged);
    QSignalSpy removed(&m, &DatasetsModel::rowsRemoved);
    auto renamed = waitFor<network::Empty>([&](auto d) {
        m.rename(b.id, u"beta-2"_s, [d](const network::ApiResult &r) { d({r, {}}); });
    });
    ASSERT_API_OK(renamed);
    EXPECT_EQ(changed.count(), 1);
    EXPECT_EQ(m.rowCount(), 2);
    EXPECT_EQ(m.index(m.rowOf(b.id), 0).data().toString(), u"beta-2"_s);

    ASSERT_API_OK(waitFor<network::Empty>([&](auto d) {
        m.setMetadata(a.id, {{u"source"_s, u"web"_s}}, [d](const network::ApiResult &r) {
            d({r, {}});
        });
    }));
    EXPECT_EQ(m.dataset(m.rowOf(a.id)).metadata, QJsonObject({{u"source"_s, u"web"_s}}));

    // A name taken in the org: the server's words, the row unchanged.
    const auto taken = waitFor<network::Empty>([&](auto d) {
        m.rename(a.id, u"beta-2"_s, [d](const network::ApiResult &r) { d({r, {}}); });
    });
    EXPECT_EQ(taken.result.status, 409);
    EXPECT_TRUE(taken.message().contains(u"beta-2"_s)) << taken.message().toStdString();
    EXPECT_EQ(m.index(m.rowOf(a.id), 0).data().toString(), u"alpha"_s);

    ASSERT_API_OK(waitFor<network::Empty>([&](auto d) {
        m.remove(a.id, [d](const network::ApiResult &r) { d({r, {}}); });
    }));
    EXPECT_EQ(removed.count(), 1);
    ASSERT_EQ(m.rowCount(), 1);
    EXPECT_EQ(m.rowOf(a.id), -1);
    EXPECT_EQ(m.rowOf(b.id), 0);
    const auto gone = waitFor<api::Dataset>([&](auto d) { m_api->dataset(a.id, d); });
    EXPECT_EQ(gone.result.status, 404);
}

TEST_F(DatasetsModelTest, RefreshMergesChangesFromElsewhere)
{
    const api::Dataset a = makeDataset(u"one"_s, {{u"f"_s, "1"}});
    const api::Dataset b = makeDataset(u"two"_s, {{u"f"_s, "1"}});
    DatasetsModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
    m.setWorkspace(m_ws);
    m.refresh();
    ASSERT_TRUE(settled(m));
    ASSERT_EQ(m.rowCount(), 2);

    // Another client deletes one, renames the other and adds a third.
    ASSERT_API_OK(waitFor<network::Empty>([&](auto d) { m_api->deleteDataset(a.id, d); }));
    ASSERT_API_OK(waitFor<api::Dataset>([&](auto d) {
        m_api->updateDataset(b.id, {{u"name"_s, u"two-b"_s}}, d);
    }));
    const api::Dataset c = makeDataset(u"three"_s, {{u"f"_s, "1"}});

    QSignalSpy reset(&m, &DatasetsModel::modelReset);
    m.refresh();
    ASSERT_TRUE(settled(m));
    EXPECT_EQ(reset.count(), 0);
    ASSERT_EQ(m.rowCount(), 2);
    EXPECT_EQ(m.index(m.rowOf(b.id), 0).data().toString(), u"two-b"_s);
    EXPECT_GE(m.rowOf(c.id), 0);
    EXPECT_EQ(m.rowOf(a.id), -1);

    // Signed out: no rows, nothing to fetch.
    m.setWorkspace({});
    EXPECT_EQ(m.rowCount(), 0);
    EXPECT_FALSE(m.canFetchMore());
}

// Fake transport: a server that fails the listing (pfd does not on demand).
TEST(DatasetsModelErrors, FailedListingShowsTheServersWords)
{
    pf::test::CannedHttpServer fake([](const QByteArray &, const QByteArray &) {
        return pf::test::CannedHttpServer::Answer{403, R"({"detail":"Not in this project."})"};
    });
    network::ApiSession session(fake.url());
    session.setTokens(u"a"_s, u"r"_s);
    network::PfApi api(&session);
    pf::models::Workspace ws;
    ws.api = &api;
    ws.projectId = u"00000000-0000-0000-0000-000000000001"_s;

    DatasetsModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy states(&m, &DatasetsModel::stateChanged);
    m.setWorkspace(ws);
    m.fetchMore();
    ASSERT_TRUE(QTest::qWaitFor([&] { return m.state() == DatasetsModel::State::Error; }));
    EXPECT_EQ(m.errorString(), u"Not in this project."_s);
    EXPECT_EQ(m.rowCount(), 0);
    EXPECT_FALSE(m.canFetchMore()); // no loop of automatic retries; refresh() retries
    EXPECT_EQ(fake.requests(), 1);
}
