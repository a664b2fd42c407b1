// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include "ui/pane.h"

class QAction;
class QComboBox;
class QLineEdit;
class QStackedWidget;
class QTabWidget;
class QTableView;

namespace pf::models {
class MembersModel;
}

namespace pf::ui {

class InlineMessage;
class InviteDialog;
class StatePage;

// Who is in the org and in the project, with their roles. Actions, each shown
// only to roles the server lets do it:
// - Invite to Organization… (Ctrl+I; org owner): an InviteDialog with the code;
// - Add to Project (Ctrl+Shift+A; project admin): the org member picked on the
//   Organization tab joins as develop;
// - Promote / Demote (Ctrl+Shift+Up / Down) and the "roleCombo" below the
//   lists: the picked member's role (org owner for the org, project admin for
//   the project);
// - Remove (Del, asks first; the same roles, or anyone for themselves).
// Widgets: "membersTabs" (Organization, Project), "orgMembersView",
// "projectMembersView", "memberSearch", "roleCombo", "inviteDialog".
class MembersPane final : public Pane
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MembersPane)

public:
    enum Tab { OrgTab, ProjectTab };

    explicit MembersPane(QWidget *parent = nullptr);
    ~MembersPane() override;

    void setWorkspace(const models::Workspace &workspace) override;
    void refresh() override;
    QList<Item> paletteItems() const override;
    void openItem(const QString &key) override;

    models::MembersModel *orgModel() const { return m_orgModel; }
    models::MembersModel *projectModel() const { return m_projectModel; }
    void setCurrentTab(Tab tab);
    // Picks the member in the current tab's list; false if not listed.
    bool selectMember(const QString &userId);
    // The open invitation dialog, or null.
    InviteDialog *inviteDialog() const;

private:
    models::MembersModel *currentModel() const;
    QTableView *currentView() const;
    int currentRow() const;
    bool canManage(const models::MembersModel *model) const;
    void updateState();
    void updateActions();
    void invite();
    void addToProject();
    void changeRole(int role);
    void stepRole(int step);
    void removeCurrent();

    models::Workspace m_workspace;
    models::MembersModel *m_orgModel;
    models::MembersModel *m_projectModel;
    InlineMessage *m_message;
    QTabWidget *m_tabs;
    QLineEdit *m_search;
    QStackedWidget *m_orgStack;
    StatePage *m_orgState;
    QTableView *m_orgView;
    QStackedWidget *m_projectStack;
    StatePage *m_projectState;
    QTableView *m_projectView;
    QComboBox *m_role;
    QAction *m_inviteAction;
    QAction *m_addAction;
    QAction *m_promoteAction;
    QAction *m_demoteAction;
    QAction *m_removeAction;
    QAction *m_searchAction;
};

} // namespace pf::ui
