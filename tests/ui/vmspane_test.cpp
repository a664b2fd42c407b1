// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// VmsPane against a real pfd: VM types with quota bars, a running job's share,
// the summary, copying a code; and, with PF_SHOTS_DIR set, screenshots of the
// admin panes (experiments, VMs, credentials, members) in light and dark.

#include <gtest/gtest.h>

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

#include "models/credentialsmodel.h"
#include "models/experimentsmodel.h"
#include "models/membersmodel.h"
#include "models/vmsmodel.h"
#include "tests/support/apiwait.h"
#include "tests/support/workspacefixture.h"
#include "ui/credentials/credentialspane.h"
#include "ui/experiments/experimentspane.h"
#include "ui/members/invitedialog.h"
#include "ui/members/memberspane.h"
#include "ui/theme.h"
#include "ui/vms/quotabardelegate.h"
#include "ui/vms/vmspane.h"
#include "ui/widgets/messagebox.h"
#include "ui/widgets/statepage.h"

using namespace Qt::StringLiterals;
using namespace pf::network;
using pf::models::Workspace;
using pf::test::child;
using pf::test::waitFor;
using pf::test::WorkspaceFixture;
using pf::ui::MessageBox::lastQuestion;
using pf::ui::MessageBox::setNextAnswer;
using pf::ui::MessageBox::setNextText;
namespace api = pf::api;
using pf::models::VmsModel;
using pf::ui::VmsPane;

namespace {

class VmsPaneTest : public WorkspaceFixture
{
protected:
    VmsPaneTest()
        : WorkspaceFixture(u"uivms"_s)
    {}
};

qint64 startJob(PfApi &api, const QString &projectId, const QString &experiment,
                const QString &command)
{
    const auto job = waitFor<api::Job>([&](auto d) {
        api.createJob(projectId, pf::test::customJob(u"local-cpu-2c"_s, command, experiment), d);
    });
    EXPECT_API_OK(job);
    return job.value.number;
}

TEST_F(VmsPaneTest, QuotaBarsAndARunningJobsShare)
{
    VmsPane pane;
    pane.resize(900, 300);
    pane.show();
    pane.setWorkspace(m_ws);
    ASSERT_TRUE(QTest::qWaitFor([&] { return pane.model()->rowCount() == 2; }));
    auto *view = child<QTableView>(&pane, u"vmsView"_s);
    EXPECT_TRUE(view->isVisible());
    EXPECT_NE(qobject_cast<pf::ui::QuotaBarDelegate *>(view->itemDelegateForColumn(VmsModel::Used)),
              nullptr);
    EXPECT_NE(
        qobject_cast<pf::ui::QuotaBarDelegate *>(view->itemDelegateForColumn(VmsModel::Available)),
        nullptr);
    auto *summary = child<QLabel>(&pane, u"vmsSummary"_s);
    EXPECT_TRUE(summary->text().contains(u"0 of the 3 VMs"_s)) << summary->text().toStdString();

    const qint64 job = startJob(*m_api, m_ws.projectId, u"e"_s, u"sleep 60"_s);
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            QSignalSpy loaded(pane.model(), &VmsModel::loaded);
            pane.refresh();
            return loaded.wait(20000) && summary->text().contains(u"1 of the 3 VMs"_s);
        },
        30000))
        << summary->text().toStdString();
    int cpu = 0;
    if (pane.model()->row(0).config.vmConfigType.code != u"local-cpu-2c"_s)
        cpu = 1;
    EXPECT_EQ(pane.model()->row(cpu).used, 1);
    EXPECT_EQ(pane.model()->row(cpu).available(), 1);
    // The bars paint without complaint.
    EXPECT_FALSE(view->grab().isNull());

    view->selectRow(cpu);
    auto *copy = child<QAction>(&pane, u"copyVmCodeAction"_s);
    EXPECT_TRUE(pane.actions().contains(copy));
    copy->trigger();
    EXPECT_EQ(QGuiApplication::clipboard()->text(), u"local-cpu-2c"_s);
    EXPECT_EQ(pane.paletteItems().size(), 2);

    ASSERT_API_OK(waitFor<api::Job>([&](auto d) { m_api->terminateJob(m_ws.projectId, job, d); }));
}

TEST_F(VmsPaneTest, ErrorsAndEmptyStatesInWords)
{
    VmsPane pane;
    pane.setWorkspace({});
    auto *state = child<pf::ui::StatePage>(&pane, u"statePage"_s);
    EXPECT_EQ(state->title(), u"No project"_s);
    Workspace gone = m_ws;
    gone.projectId = u"00000000-0000-4000-8000-000000000000"_s;
    pane.setWorkspace(gone);
    ASSERT_TRUE(QTest::qWaitFor([&] { return pane.model()->state() == VmsModel::State::Failed; }));
    EXPECT_EQ(state->title(), u"Something went wrong"_s);
    EXPECT_FALSE(state->hint().isEmpty());
}

// Screenshots for review: PF_SHOTS_DIR=/tmp/shots-admin ./pf_ui_tests
// --gtest_filter='*Shots*'. Demo content on a real pfd.
TEST_F(VmsPaneTest, AdminPanesShots)
{
    const QString dir = qEnvironmentVariable("PF_SHOTS_DIR");
    if (dir.isEmpty())
        GTEST_SKIP() << "PF_SHOTS_DIR not set";
    QDir().mkpath(dir);
    for (const QString &e : {u"baseline"_s, u"lr-sweep"_s, u"augmentation"_s}) {
        ASSERT_API_OK(waitFor<api::Experiment>(
            [&](auto d) { m_api->createExperiment(m_ws.projectId, e, d); }));
    }
    startJob(*m_api, m_ws.projectId, u"lr-sweep"_s, u"true"_s);
    startJob(*m_api, m_ws.projectId, u"lr-sweep"_s, u"true"_s);
    const qint64 running = startJob(*m_api, m_ws.projectId, u"baseline"_s, u"sleep 120"_s);
    ASSERT_API_OK(waitFor<api::Credential>([&](auto d) {
        m_api->createCredential(m_ws.projectId, u"wandb"_s, u"team-wandb"_s, 1,
                                {{u"token"_s, u"x"_s}}, d);
    }));
    ASSERT_API_OK(waitFor<api::Credential>([&](auto d) {
        m_api->createCredential(m_ws.projectId, u"docker"_s, u"ghcr"_s, 1,
                                {{u"username"_s, u"ci"_s}, {u"password"_s, u"x"_s}}, d);
    }));
    join(m_user.username + u"-ana"_s, api::ProjectRole::Maintain);
    join(m_user.username + u"-raj"_s, api::ProjectRole::Develop);
    join(m_user.username + u"-kim"_s, std::nullopt);
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            const auto locks = waitFor<QList<api::VmLock>>(
                [&](auto d) { m_api->vmLocks(m_ws.projectId, 0, {u"active"_s}, d); });
            return !locks.value.isEmpty();
        },
        30000));

    for (const auto theme : {pf::ui::Theme::Light, pf::ui::Theme::Dark}) {
        pf::ui::applyTheme(theme);
        const QString suffix = theme == pf::ui::Theme::Dark ? u"dark"_s : u"light"_s;
        const auto shoot = [&](QWidget &w, const QString &name, int height = 460) {
            w.resize(860, height);
            w.show();
            // Let nested layouts settle (each pass may post another request).
            for (int i = 0; i < 5; ++i)
                QCoreApplication::processEvents();
            EXPECT_TRUE(w.grab().save(dir + u'/' + name + u'-' + suffix + u".png"_s));
        };
        {
            pf::ui::ExperimentsPane pane;
            pane.setWorkspace(m_ws);
            ASSERT_TRUE(QTest::qWaitFor([&] {
                return pane.model()->rowCount() == 3 &&
                       pane.model()->jobCount(
                           pane.model()->rowOf(pane.model()->experiment(0).id)) >= 0 &&
                       pane.model()->jobCount(1) >= 0 && pane.model()->jobCount(2) >= 0;
            }));
            child<QTableView>(&pane, u"experimentsView"_s)->selectRow(1);
            shoot(pane, u"experiments"_s);
            pf::ui::ExperimentsPane empty;
            Workspace guest = m_ws;
            guest.projectId = u"00000000-0000-4000-8000-000000000000"_s;
            empty.setWorkspace(guest);
            ASSERT_TRUE(QTest::qWaitFor([&] {
                return empty.model()->state() == pf::models::ExperimentsModel::State::Failed;
            }));
            shoot(empty, u"experiments-error"_s);
        }
        {
            VmsPane pane;
            pane.setWorkspace(m_ws);
            ASSERT_TRUE(QTest::qWaitFor([&] { return pane.model()->rowCount() == 2; }));
            shoot(pane, u"vms"_s);
        }
        {
            pf::ui::CredentialsPane pane;
            pane.setWorkspace(m_ws);
            ASSERT_TRUE(QTest::qWaitFor(
                [&] { return pane.model()->rowCount() == 2 && pane.typesLoaded(); }));
            shoot(pane, u"credentials"_s);
            pane.startCreate(u"aws"_s);
            child<QLineEdit>(&pane, u"credentialName"_s)->setText(u"team-s3"_s);
            child<QLineEdit>(&pane, u"field_aws_access_key_id"_s)
                ->setText(u"AKIAIOSFODNN7EXAMPLE"_s);
            child<QLineEdit>(&pane, u"field_aws_secret_access_key"_s)->setText(u"secret"_s);
            child<QLineEdit>(&pane, u"field_endpoint_url"_s)->setText(u"minio:9000"_s);
            child<QPushButton>(&pane, u"createCredential"_s)->click();
            shoot(pane, u"credentials-form"_s, 560);
            pf::ui::CredentialsPane empty;
            Workspace fresh = m_ws;
            const auto p = waitFor<api::Project>(
                [&](auto d) { m_api->createProject(m_ws.orgId, u"empty-"_s + suffix, d); });
            fresh.projectId = p.value.id;
            empty.setWorkspace(fresh);
            ASSERT_TRUE(QTest::qWaitFor([&] {
                return empty.model()->state() == pf::models::CredentialsModel::State::Loaded;
            }));
            shoot(empty, u"credentials-empty"_s);
        }
        {
            pf::ui::MembersPane pane;
            pane.setWorkspace(m_ws);
            ASSERT_TRUE(QTest::qWaitFor([&] { return pane.orgModel()->rowCount() == 4; }));
            pane.selectMember(pane.orgModel()->member(1).id);
            shoot(pane, u"members-org"_s);
            pane.setCurrentTab(pf::ui::MembersPane::ProjectTab);
            ASSERT_TRUE(QTest::qWaitFor([&] { return pane.projectModel()->rowCount() >= 2; }));
            pane.selectMember(pane.projectModel()->member(0).id);
            shoot(pane, u"members-project"_s);
            pane.findChild<QAction *>(u"inviteMemberAction"_s)->trigger();
            pf::ui::InviteDialog *dialog = pane.inviteDialog();
            ASSERT_NE(dialog, nullptr);
            dialog->findChild<QLineEdit *>(u"inviteEmail"_s)
                ->setText(u"new."_s + suffix + u"@example.com"_s);
            dialog->findChild<QPushButton *>(u"sendInvite"_s)->click();
            ASSERT_TRUE(QTest::qWaitFor([&] { return !dialog->code().isEmpty(); }));
            for (int i = 0; i < 5; ++i)
                QCoreApplication::processEvents();
            EXPECT_TRUE(dialog->grab().save(dir + u"/invite-"_s + suffix + u".png"_s));
            dialog->close();
        }
    }
    pf::ui::applyTheme(pf::ui::Theme::Light);
    ASSERT_API_OK(
        waitFor<api::Job>([&](auto d) { m_api->terminateJob(m_ws.projectId, running, d); }));
}

} // namespace
