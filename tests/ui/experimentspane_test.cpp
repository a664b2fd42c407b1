// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// ExperimentsPane against a real pfd: create through the action, the count of
// jobs in the delete question, rename errors in words, and actions per role.

#include <gtest/gtest.h>

#include <QAction>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTableView>
#include <QTest>

#include "models/experimentsmodel.h"
#include "tests/support/apiwait.h"
#include "tests/support/pfdprocess.h"
#include "ui/experiments/experimentspane.h"
#include "ui/widgets/messagebox.h"
#include "ui/widgets/statepage.h"

using namespace Qt::StringLiterals;
using namespace pf::network;
using pf::models::Workspace;
using pf::test::PfdProcess;
using pf::test::waitFor;
using pf::ui::MessageBox::lastQuestion;
using pf::ui::MessageBox::setNextAnswer;
using pf::ui::MessageBox::setNextText;
namespace api = pf::api;
using pf::models::ExperimentsModel;
using pf::ui::ExperimentsPane;

namespace {

const QString kConfig = uR"(auth:
  password_hashing: minimal
  login_failures_per_user: 10000
  login_failures_per_address: 100000
vm_types:
  - {code: local-cpu-2c, devices_per_vm: 1, vcpu: 2, memory_gib: 4, max_vms: 4, default_quota: 2}
  - {code: slurm-a100-8g, device_type: a100, devices_per_vm: 8, per_device_memory_gib: 80, vcpu: 96, memory_gib: 1024, max_vms: 2, default_quota: 1}
jobs:
  sandbox: none
)"_s;

class ExperimentsPaneTest : public ::testing::Test
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
        m_user = s_pfd->createUser(u"uiexp%1"_s.arg(++n));
        m_session = std::make_unique<ApiSession>(QUrl(u"http://127.0.0.1:%1"_s.arg(s_pfd->port())));
        m_session->setTokens(m_user.token, m_user.refresh);
        m_api = std::make_unique<PfApi>(m_session.get());
        const auto org = waitFor<api::Org>([&](auto d) { m_api->createOrg(m_user.username, d); });
        ASSERT_API_OK(org);
        const auto project = waitFor<api::Project>(
            [&](auto d) { m_api->createProject(org.value.id, u"vision"_s, d); });
        ASSERT_API_OK(project);
        m_ws.api = m_api.get();
        m_ws.userId = m_user.id;
        m_ws.username = m_user.username;
        m_ws.orgId = org.value.id;
        m_ws.orgName = m_user.username;
        m_ws.projectId = project.value.id;
        m_ws.projectName = u"vision"_s;
        m_ws.orgRole = api::OrgRole::Owner;
        m_ws.projectRole = api::ProjectRole::Admin;
    }

    // Another user, joined to the org by invitation, with their own session.
    struct Other
    {
        PfdProcess::User user;
        std::unique_ptr<ApiSession> session;
        std::unique_ptr<PfApi> api;
    };
    Other signIn(const QString &name)
    {
        Other o;
        o.user = s_pfd->createUser(name);
        o.session = std::make_unique<ApiSession>(m_session->baseUrl());
        o.session->setTokens(o.user.token, o.user.refresh);
        o.api = std::make_unique<PfApi>(o.session.get());
        return o;
    }
    Other join(const QString &name, std::optional<api::ProjectRole> projectRole)
    {
        Other o = signIn(name);
        const auto invite = waitFor<Invitation>(
            [&](auto d) { m_api->inviteToOrg(m_ws.orgId, o.user.email, {}, d); });
        EXPECT_API_OK(invite);
        EXPECT_API_OK(waitFor<Empty>([&](auto d) {
            o.api->confirmOrgInvite(invite.value.emailToken, invite.value.key, d);
        }));
        if (projectRole) {
            EXPECT_API_OK(waitFor<Empty>([&](auto d) {
                m_api->addProjectMember(o.user.id, m_ws.projectId, *projectRole, d);
            }));
        }
        return o;
    }
    Workspace workspaceOf(const Other &o, api::ProjectRole role) const
    {
        Workspace ws = m_ws;
        ws.api = o.api.get();
        ws.userId = o.user.id;
        ws.username = o.user.username;
        ws.orgRole = api::OrgRole::Member;
        ws.projectRole = role;
        return ws;
    }

    static inline PfdProcess *s_pfd = nullptr;
    PfdProcess::User m_user;
    std::unique_ptr<ApiSession> m_session;
    std::unique_ptr<PfApi> m_api;
    Workspace m_ws;
};

template <typename T>
T *child(QObject *parent, const QString &name)
{
    T *found = parent->findChild<T *>(name);
    EXPECT_NE(found, nullptr) << name.toStdString();
    return found;
}

void runJob(PfApi &api, const QString &projectId, const QString &experiment)
{
    const QJsonObject spec{
        {u"experiment"_s, experiment},
        {u"name"_s, u"run"_s},
        {u"vm"_s, u"local-cpu-2c"_s},
        {u"num_devices"_s, 1},
        {u"job_setting"_s, QJsonObject{{u"type"_s, u"custom"_s},
                                       {u"docker"_s, QJsonObject{{u"image"_s, u"any"_s},
                                                                 {u"command"_s, u"true"_s}}}}}};
    ASSERT_API_OK(waitFor<api::Job>([&](auto d) { api.createJob(projectId, spec, d); }));
}

TEST_F(ExperimentsPaneTest, CreateRenameAndDeleteWithJobCount)
{
    ExperimentsPane pane;
    pane.resize(700, 400);
    pane.show();
    pane.setWorkspace(m_ws);
    auto *state = child<pf::ui::StatePage>(&pane, u"statePage"_s);
    ASSERT_TRUE(QTest::qWaitFor([&] { return state->title() == u"No experiments yet"_s; }));
    EXPECT_TRUE(state->hint().contains(u"Ctrl+N"_s));

    // Every action is on the pane with a shortcut, for the command palette.
    auto *create = child<QAction>(&pane, u"newExperimentAction"_s);
    auto *remove = child<QAction>(&pane, u"deleteExperimentAction"_s);
    auto *rename = child<QAction>(&pane, u"renameExperimentAction"_s);
    ASSERT_TRUE(create && remove && rename);
    for (QAction *a : {create, remove, rename}) {
        EXPECT_TRUE(pane.actions().contains(a));
        EXPECT_FALSE(a->shortcut().isEmpty());
    }
    EXPECT_EQ(remove->shortcut(), QKeySequence(QKeySequence::Delete));

    setNextText(u"baseline"_s);
    create->trigger();
    auto *view = child<QTableView>(&pane, u"experimentsView"_s);
    ASSERT_TRUE(QTest::qWaitFor([&] { return view->model()->rowCount() == 1; }));
    EXPECT_TRUE(view->isVisible());
    EXPECT_EQ(view->model()->index(0, ExperimentsModel::Name).data().toString(), u"baseline"_s);

    // Two jobs land in it; the delete question says so, counted afresh.
    runJob(*m_api, m_ws.projectId, u"baseline"_s);
    runJob(*m_api, m_ws.projectId, u"baseline"_s);
    view->selectRow(0);
    ASSERT_TRUE(remove->isEnabled());
    setNextAnswer(false);
    remove->trigger();
    ASSERT_TRUE(QTest::qWaitFor([&] { return lastQuestion().contains(u"2 job"_s); }))
        << lastQuestion().toStdString();
    EXPECT_TRUE(lastQuestion().contains(u"baseline"_s));
    EXPECT_EQ(view->model()->rowCount(), 1); // said no

    // Renaming onto a name in use: the server's words, above the list.
    ASSERT_API_OK(waitFor<api::Experiment>(
        [&](auto d) { m_api->createExperiment(m_ws.projectId, u"other"_s, d); }));
    pane.refresh();
    ASSERT_TRUE(QTest::qWaitFor([&] { return view->model()->rowCount() == 2; }));
    const int row = pane.model()->rowOf(pane.model()->experiment(0).name == u"baseline"_s
                                            ? pane.model()->experiment(0).id
                                            : pane.model()->experiment(1).id);
    view->selectRow(row);
    setNextText(u"other"_s);
    rename->trigger();
    auto *message = child<pf::ui::InlineMessage>(&pane, u"inlineMessage"_s);
    ASSERT_TRUE(QTest::qWaitFor([&] { return message->isVisible(); }));
    EXPECT_TRUE(message->text().contains(u"already has an experiment named 'other'"_s))
        << message->text().toStdString();

    // Del, confirmed: gone, with its jobs.
    QSignalSpy status(&pane, &pf::ui::Pane::statusMessage);
    view->selectRow(row);
    view->setFocus();
    setNextAnswer(true);
    remove->trigger();
    ASSERT_TRUE(QTest::qWaitFor([&] { return view->model()->rowCount() == 1; }));
    ASSERT_TRUE(QTest::qWaitFor([&] { return !status.isEmpty(); }));
    EXPECT_TRUE(status.last().first().toString().contains(u"2 jobs"_s))
        << status.last().first().toString().toStdString();
    EXPECT_EQ(waitFor<api::Job>([&](auto d) { m_api->job(m_ws.projectId, 1, d); }).result.status,
              404);

    // The command palette lists it.
    ASSERT_EQ(pane.paletteItems().size(), 1);
    EXPECT_TRUE(pane.paletteItems().first().text.contains(u"other"_s));
}

TEST_F(ExperimentsPaneTest, ActionsFollowTheRole)
{
    ASSERT_API_OK(waitFor<api::Experiment>(
        [&](auto d) { m_api->createExperiment(m_ws.projectId, u"shared"_s, d); }));
    const Other guest = join(m_user.username + u"-guest"_s, api::ProjectRole::Guest);
    const Other dev = join(m_user.username + u"-dev"_s, api::ProjectRole::Develop);
    const Other maintainer = join(m_user.username + u"-maint"_s, api::ProjectRole::Maintain);

    struct Case
    {
        Workspace ws;
        bool create = false;
        bool remove = false;
    };
    const QList<Case> cases{{workspaceOf(guest, api::ProjectRole::Guest), false, false},
                            {workspaceOf(dev, api::ProjectRole::Develop), true, false},
                            {workspaceOf(maintainer, api::ProjectRole::Maintain), true, true},
                            {m_ws, true, true}};
    for (const Case &c : cases) {
        ExperimentsPane pane;
        pane.setWorkspace(c.ws);
        ASSERT_TRUE(QTest::qWaitFor([&] { return pane.model()->rowCount() == 1; }));
        child<QTableView>(&pane, u"experimentsView"_s)->selectRow(0);
        EXPECT_EQ(child<QAction>(&pane, u"newExperimentAction"_s)->isVisible(), c.create)
            << c.ws.username.toStdString();
        EXPECT_EQ(child<QAction>(&pane, u"renameExperimentAction"_s)->isEnabled(), c.create);
        EXPECT_EQ(child<QAction>(&pane, u"deleteExperimentAction"_s)->isVisible(), c.remove);
        EXPECT_EQ(child<QAction>(&pane, u"deleteExperimentAction"_s)->isEnabled(), c.remove);
    }

    // A guest's empty project says who can fill it; signed out says sign in.
    ExperimentsPane pane;
    pane.setWorkspace({});
    EXPECT_EQ(child<pf::ui::StatePage>(&pane, u"statePage"_s)->title(), u"No project"_s);
}

} // namespace
