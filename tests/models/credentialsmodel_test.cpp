// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// CredentialsModel against a real pfd on loopback, under
// QAbstractItemModelTester: create, list without secrets, the server's 422,
// rename, delete.

#include <gtest/gtest.h>

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include "models/credentialsmodel.h"
#include "tests/support/apiwait.h"
#include "tests/support/workspacefixture.h"

using namespace Qt::StringLiterals;
using namespace pf::network;
using pf::models::CredentialsModel;
using pf::models::Workspace;
using pf::test::waitFor;
using pf::test::WorkspaceFixture;
namespace api = pf::api;

namespace {

class CredentialsModelTest : public WorkspaceFixture
{
protected:
    CredentialsModelTest()
        : WorkspaceFixture(u"cred"_s, u"p"_s)
    {}

    static void load(CredentialsModel &model, const Workspace &ws)
    {
        QSignalSpy loaded(&model, &CredentialsModel::loaded);
        model.setWorkspace(ws);
        ASSERT_TRUE(loaded.wait(20000));
    }

    static ApiResult wait(const std::function<void(CredentialsModel::Done)> &call)
    {
        return waitFor<ApiResult>([&](auto d) {
                   call([d](const ApiResult &r) { d(Reply<ApiResult>{r, r}); });
               })
            .value;
    }
};

TEST_F(CredentialsModelTest, CreateRenameDeleteWithoutSecrets)
{
    CredentialsModel model;
    QAbstractItemModelTester tester(&model,
                                    QAbstractItemModelTester::FailureReportingMode::Warning);
    load(model, m_ws);
    EXPECT_EQ(model.rowCount(), 0);
    EXPECT_EQ(model.columnCount(), int(CredentialsModel::ColumnCount));

    const ApiResult made = wait([&](auto d) {
        model.create(u"wandb"_s, u"my wandb"_s, 1, {{u"token"_s, u"s3cret-token"_s}}, d);
    });
    ASSERT_TRUE(made.ok()) << made.message.toStdString();
    ASSERT_EQ(model.rowCount(), 1);
    EXPECT_EQ(model.index(0, CredentialsModel::Name).data().toString(), u"my wandb"_s);
    EXPECT_EQ(model.index(0, CredentialsModel::Type).data().toString(), u"wandb"_s);
    EXPECT_EQ(model.index(0, CredentialsModel::Version).data().toInt(), 1);
    EXPECT_FALSE(model.index(0, CredentialsModel::Created).data().toString().isEmpty());
    EXPECT_FALSE(model.credential(0).value.has_value());
    const QString id = model.index(0, 0).data(CredentialsModel::IdRole).toString();

    ASSERT_TRUE(wait([&](auto d) {
                    model.create(u"aws"_s, u"s3"_s, 1,
                                 {{u"aws_access_key_id"_s, u"AKIA"_s},
                                  {u"aws_secret_access_key"_s, u"shh"_s},
                                  {u"aws_default_region"_s, u"us-east-1"_s}},
                                 d);
                }).ok());

    // A fresh load shows both; no cell of any row holds a secret.
    CredentialsModel fresh;
    QAbstractItemModelTester freshTester(&fresh,
                                         QAbstractItemModelTester::FailureReportingMode::Warning);
    load(fresh, m_ws);
    ASSERT_EQ(fresh.rowCount(), 2);
    for (int row = 0; row < fresh.rowCount(); ++row) {
        EXPECT_FALSE(fresh.credential(row).value.has_value());
        for (int column = 0; column < fresh.columnCount(); ++column) {
            const QString text = fresh.index(row, column).data().toString();
            EXPECT_FALSE(text.contains(u"s3cret"_s) || text.contains(u"shh"_s));
        }
    }

    // A value the schema refuses: 422, the field named, no new row.
    const ApiResult bad = wait([&](auto d) {
        model.create(u"wandb"_s, u"bad"_s, 1, {{u"nope"_s, 1}}, d);
    });
    EXPECT_EQ(bad.status, 422);
    EXPECT_FALSE(bad.message.isEmpty());
    EXPECT_EQ(model.rowCount(), 2);

    ASSERT_TRUE(wait([&](auto d) { model.rename(id, u"renamed"_s, d); }).ok());
    EXPECT_EQ(model.index(model.rowOf(id), CredentialsModel::Name).data().toString(), u"renamed"_s);
    EXPECT_FALSE(model.credential(model.rowOf(id)).value.has_value());

    ASSERT_TRUE(wait([&](auto d) { model.remove(id, d); }).ok());
    EXPECT_EQ(model.rowCount(), 1);
    EXPECT_EQ(model.rowOf(id), -1);
}

TEST_F(CredentialsModelTest, ForeignProjectFailsInWords)
{
    CredentialsModel model;
    QAbstractItemModelTester tester(&model,
                                    QAbstractItemModelTester::FailureReportingMode::Warning);
    Workspace other = m_ws;
    other.projectId = u"00000000-0000-4000-8000-000000000000"_s;
    QSignalSpy failed(&model, &CredentialsModel::failed);
    model.setWorkspace(other);
    ASSERT_TRUE(failed.wait(20000));
    EXPECT_EQ(model.state(), CredentialsModel::State::Failed);
    EXPECT_FALSE(model.errorString().isEmpty());
}

} // namespace
