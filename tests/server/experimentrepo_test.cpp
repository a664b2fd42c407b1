// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <gtest/gtest.h>

#include <QJsonObject>

#include "server/store/database.h"
#include "server/store/experimentrepo.h"
#include "server/store/orgrepo.h"
#include "server/store/pagination.h"
#include "server/store/projectrepo.h"
#include "server/store/userrepo.h"
#include "tests/server/servertestutil.h"
#include "tests/server/storefixture.h"

using namespace Qt::StringLiterals;
using pf::server::decodeCursor;
using pf::server::ExperimentRepo;
using pf::server::PageRequest;
using pf::server::runSql;
using pf::server::UniqueViolation;
using pf::servertest::StoreTest;

namespace {

class ExperimentRepoTest : public StoreTest
{
protected:
    void SetUp() override
    {
        StoreTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        pf::server::UserRepo users(conn());
        m_user = users.create(u"ada"_s, u"Ada"_s, u"ada@example.org"_s, "h", true).id;
        pf::server::OrgRepo orgs(conn());
        const QString org = orgs.create(u"org"_s, m_user).id;
        pf::server::ProjectRepo projects(conn());
        m_project = projects.create(org, u"p"_s).id;
        m_otherProject = projects.create(org, u"q"_s).id;
    }

    // Adds job number `n` to the experiment.
    void addJob(qint64 experimentId, int n, const QString &project = {})
    {
        QSqlDatabase c = conn();
        runSql(c,
               u"INSERT INTO jobs (id, project_id, number, name, status, experiment_id, "
               "num_desired_devices, user_id, created_at, progress, error_message, config) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
               {pf::server::newUuid(), project.isEmpty() ? m_project : project, n,
                u"job-%1"_s.arg(n), u"finished"_s, experimentId, 1, m_user,
                qint64(1'700'000'000'000) + n, 1.0, u""_s, u"{}"_s});
    }

    QString m_user, m_project, m_otherProject;
};

} // namespace

PF_INSTANTIATE_STORE_TEST(ExperimentRepoTest);

TEST_P(ExperimentRepoTest, CreateListGetRename)
{
    ExperimentRepo experiments(conn());
    const auto a = experiments.create(m_project, u"baseline"_s, m_user);
    const auto b = experiments.create(m_project, u"ablation"_s, m_user);
    EXPECT_GT(a.id, 0);
    EXPECT_GT(b.id, a.id);
    EXPECT_EQ(a.name, u"baseline"_s);
    EXPECT_THROW(experiments.create(m_project, u"baseline"_s, m_user), UniqueViolation);
    const auto other = experiments.create(m_otherProject, u"baseline"_s, m_user);

    EXPECT_EQ(experiments.list(m_project), (QList<pf::api::Experiment>{a, b}));
    EXPECT_EQ(experiments.list(m_otherProject), (QList<pf::api::Experiment>{other}));

    const auto got = experiments.get(b.id);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->experiment, b);
    EXPECT_EQ(got->projectId, m_project);
    EXPECT_EQ(got->createdBy, m_user);
    EXPECT_FALSE(experiments.get(b.id + 1000));

    experiments.rename(b.id, u"ablation-2"_s);
    EXPECT_EQ(experiments.get(b.id)->experiment.name, u"ablation-2"_s);
    EXPECT_THROW(experiments.rename(b.id, u"baseline"_s), UniqueViolation);
}

TEST_P(ExperimentRepoTest, RemoveDeletesItsJobs)
{
    ExperimentRepo experiments(conn());
    const auto a = experiments.create(m_project, u"a"_s, m_user);
    const auto b = experiments.create(m_project, u"b"_s, m_user);
    addJob(a.id, 1);
    addJob(a.id, 2);
    addJob(b.id, 3);
    experiments.remove(a.id);
    EXPECT_FALSE(experiments.get(a.id));
    EXPECT_EQ(count(u"jobs"_s), 1);
    EXPECT_EQ(count(u"jobs"_s, u"experiment_id = ?"_s, {b.id}), 1);
}

TEST_P(ExperimentRepoTest, JobsPageNewestFirst)
{
    ExperimentRepo experiments(conn());
    const auto a = experiments.create(m_project, u"a"_s, m_user);
    const auto b = experiments.create(m_project, u"b"_s, m_user);
    for (int n = 1; n <= 5; ++n)
        addJob(a.id, n);
    addJob(b.id, 6);

    QList<QList<qint64>> pages;
    PageRequest page;
    page.limit = 2;
    for (int guard = 0; guard < 10; ++guard) {
        const auto result = experiments.jobs(a.id, page);
        const QString next = result.nextCursor;
        QList<qint64> numbers;
        for (const QJsonObject &o : result.results)
            numbers << o.value(u"number"_s).toInteger();
        pages << numbers;
        if (next.isEmpty())
            break;
        const auto after = decodeCursor(next);
        ASSERT_TRUE(after);
        page.after = *after;
    }
    EXPECT_EQ(pages, (QList<QList<qint64>>{{5, 4}, {3, 2}, {1}}));

    page = {};
    const auto all = experiments.jobs(a.id, page);
    ASSERT_EQ(all.results.size(), 5);
    EXPECT_TRUE(all.nextCursor.isEmpty());
    const QJsonObject newest = all.results[0];
    EXPECT_EQ(newest.value(u"name"_s).toString(), u"job-5"_s);
    EXPECT_EQ(newest.value(u"status"_s).toString(), u"finished"_s);
    EXPECT_FALSE(newest.value(u"id"_s).toString().isEmpty());
    EXPECT_TRUE(newest.value(u"created_at"_s).isString());
}
