// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// MembersPane against a real pfd: an invitation shows its code, a second user
// confirms it and appears, joins the project, changes role, is removed;
// what each role is offered.

#include <gtest/gtest.h>

#include <QAction>
#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

#include "models/membersmodel.h"
#include "tests/support/apiwait.h"
#include "tests/support/workspacefixture.h"
#include "ui/experiments/experimentspane.h"
#include "ui/members/invitedialog.h"
#include "ui/members/memberspane.h"
#include "ui/widgets/messagebox.h"
#include "ui/widgets/statepage.h"

using namespace Qt::StringLiterals;
using namespace pf::network;
using pf::test::child;
using pf::test::waitFor;
using pf::test::WorkspaceFixture;
using pf::ui::MessageBox::lastQuestion;
using pf::ui::MessageBox::setNextAnswer;
using pf::ui::MessageBox::setNextText;
namespace api = pf::api;
using pf::models::MembersModel;
using pf::ui::InviteDialog;
using pf::ui::MembersPane;

namespace {

class MembersPaneTest : public WorkspaceFixture
{
protected:
    MembersPaneTest()
        : WorkspaceFixture(u"uimem"_s)
    {}
};

TEST_F(MembersPaneTest, InviteJoinAddChangeRoleRemove)
{
    MembersPane pane;
    pane.resize(760, 480);
    pane.show();
    pane.setWorkspace(m_ws);
    ASSERT_TRUE(QTest::qWaitFor([&] { return pane.orgModel()->rowCount() == 1; }));

    auto *invite = child<QAction>(&pane, u"inviteMemberAction"_s);
    ASSERT_NE(invite, nullptr);
    EXPECT_TRUE(pane.actions().contains(invite));
    EXPECT_EQ(invite->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_I));
    invite->trigger();
    InviteDialog *dialog = pane.inviteDialog();
    ASSERT_NE(dialog, nullptr);
    ASSERT_TRUE(dialog->isVisible());

    Other bob = signIn(m_user.username + u"-bob"_s);
    // Not an address: said beside the field, nothing sent.
    QTest::keyClicks(child<QLineEdit>(dialog, u"inviteEmail"_s), u"bob"_s);
    child<QPushButton>(dialog, u"sendInvite"_s)->click();
    EXPECT_TRUE(child<QWidget>(dialog, u"inviteError"_s)->isVisible());
    child<QLineEdit>(dialog, u"inviteEmail"_s)->setText(bob.user.email);
    child<QPushButton>(dialog, u"sendInvite"_s)->click();
    auto *token = child<QLineEdit>(dialog, u"inviteEmailToken"_s);
    auto *key = child<QLineEdit>(dialog, u"inviteKey"_s);
    ASSERT_TRUE(QTest::qWaitFor([&] { return !key->text().isEmpty(); }));
    EXPECT_TRUE(token->isVisible());
    EXPECT_TRUE(token->isReadOnly());
    EXPECT_FALSE(child<QWidget>(dialog, u"inviteError"_s)->isVisible());
    EXPECT_EQ(dialog->code(), u"email_token=%1 key=%2"_s.arg(token->text(), key->text()));

    // Bob confirms the code he was given, and appears.
    ASSERT_API_OK(
        waitFor<Empty>([&](auto d) { bob.api->confirmOrgInvite(token->text(), key->text(), d); }));
    dialog->close();
    pane.refresh();
    ASSERT_TRUE(QTest::qWaitFor([&] { return pane.orgModel()->rowOf(bob.user.id) >= 0; }));

    // Into the project from the org list, as a developer.
    pane.setCurrentTab(MembersPane::OrgTab);
    ASSERT_TRUE(pane.selectMember(bob.user.id));
    auto *add = child<QAction>(&pane, u"addProjectMemberAction"_s);
    ASSERT_TRUE(add->isEnabled());
    add->trigger();
    ASSERT_TRUE(QTest::qWaitFor([&] { return pane.projectModel()->rowOf(bob.user.id) >= 0; }));
    pane.setCurrentTab(MembersPane::ProjectTab);
    ASSERT_TRUE(pane.selectMember(bob.user.id));
    auto *role = child<QComboBox>(&pane, u"roleCombo"_s);
    ASSERT_TRUE(role->isEnabled());
    EXPECT_EQ(role->currentText(), u"Develop"_s);

    // The role box: maintain.
    const int maintain = role->findData(int(api::ProjectRole::Maintain));
    role->setCurrentIndex(maintain);
    Q_EMIT role->activated(maintain);
    const auto accessOf = [&] {
        return waitFor<api::ProjectMembership>(
                   [&](auto d) { m_api->projectMembership(bob.user.id, m_ws.projectId, d); })
            .value.accessLevel;
    };
    ASSERT_TRUE(QTest::qWaitFor([&] {
        return pane.projectModel()->member(pane.projectModel()->rowOf(bob.user.id)).role ==
               int(api::ProjectRole::Maintain);
    }));
    EXPECT_EQ(accessOf(), api::ProjectRole::Maintain);
    // Promote: admin, and nothing above it.
    auto *promote = child<QAction>(&pane, u"promoteMemberAction"_s);
    promote->trigger();
    ASSERT_TRUE(QTest::qWaitFor([&] { return accessOf() == api::ProjectRole::Admin; }));
    ASSERT_TRUE(QTest::qWaitFor([&] { return !promote->isEnabled(); }));

    // Owner in the org, then out of it (confirmed).
    pane.setCurrentTab(MembersPane::OrgTab);
    ASSERT_TRUE(pane.selectMember(bob.user.id));
    child<QAction>(&pane, u"promoteMemberAction"_s)->trigger();
    ASSERT_TRUE(QTest::qWaitFor([&] {
        return pane.orgModel()->member(pane.orgModel()->rowOf(bob.user.id)).role ==
               int(api::OrgRole::Owner);
    }));
    auto *remove = child<QAction>(&pane, u"removeMemberAction"_s);
    EXPECT_EQ(remove->shortcut(), QKeySequence(QKeySequence::Delete));
    setNextAnswer(true);
    remove->trigger();
    EXPECT_TRUE(lastQuestion().contains(bob.user.username)) << lastQuestion().toStdString();
    ASSERT_TRUE(QTest::qWaitFor([&] { return pane.orgModel()->rowOf(bob.user.id) < 0; }));
    const auto left = waitFor<api::Page<api::OrgMember>>(
        [&](auto d) { m_api->orgMembers(m_ws.orgId, {}, {}, d); });
    ASSERT_API_OK(left);
    EXPECT_EQ(left.value.results.size(), 1);
}

TEST_F(MembersPaneTest, MembersSeeWithoutManaging)
{
    const Other dev = join(m_user.username + u"-dev"_s, api::ProjectRole::Develop);
    MembersPane pane;
    pane.setWorkspace(workspaceOf(dev, api::ProjectRole::Develop));
    ASSERT_TRUE(QTest::qWaitFor([&] { return pane.orgModel()->rowCount() == 2; }));
    ASSERT_TRUE(QTest::qWaitFor([&] { return pane.projectModel()->rowCount() >= 1; }));
    EXPECT_FALSE(child<QAction>(&pane, u"inviteMemberAction"_s)->isVisible());
    EXPECT_FALSE(child<QAction>(&pane, u"addProjectMemberAction"_s)->isVisible());
    EXPECT_FALSE(child<QAction>(&pane, u"promoteMemberAction"_s)->isVisible());

    pane.setCurrentTab(MembersPane::OrgTab);
    ASSERT_TRUE(pane.selectMember(m_user.id));
    EXPECT_FALSE(child<QComboBox>(&pane, u"roleCombo"_s)->isEnabled());
    EXPECT_FALSE(child<QAction>(&pane, u"removeMemberAction"_s)->isEnabled());
    // Anyone may leave.
    ASSERT_TRUE(pane.selectMember(dev.user.id));
    auto *remove = child<QAction>(&pane, u"removeMemberAction"_s);
    EXPECT_TRUE(remove->isEnabled());
    EXPECT_EQ(remove->text(), u"Leave Organization…"_s);
    child<QAction>(&pane, u"inviteMemberAction"_s)->trigger();
    EXPECT_EQ(pane.inviteDialog(), nullptr);
}

TEST_F(MembersPaneTest, SearchNarrowsAndSaysWhenNobodyMatches)
{
    MembersPane pane;
    pane.setWorkspace(m_ws);
    ASSERT_TRUE(QTest::qWaitFor([&] { return pane.orgModel()->rowCount() == 1; }));
    QSignalSpy loaded(pane.orgModel(), &MembersModel::loaded);
    child<QLineEdit>(&pane, u"memberSearch"_s)->setText(u"zzz-nobody"_s);
    ASSERT_TRUE(loaded.wait(20000));
    EXPECT_EQ(pane.orgModel()->rowCount(), 0);
    bool said = false;
    for (auto *page : pane.findChildren<pf::ui::StatePage *>())
        said = said || page->title() == u"Nobody matches"_s;
    EXPECT_TRUE(said);
}

} // namespace
