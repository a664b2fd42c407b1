// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "memberspane.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QPointer>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

#include "models/membersmodel.h"
#include "ui/members/invitedialog.h"
#include "ui/widgets/messagebox.h"
#include "ui/widgets/statepage.h"

namespace pf::ui {

namespace {
Q_LOGGING_CATEGORY(lcMembersPane, "pf.ui.members")

using namespace Qt::StringLiterals;
using models::MembersModel;

enum Page { StateIndex, ListIndex };

QTableView *makeView(QWidget *parent, MembersModel *model, const QString &name)
{
    auto *view = new QTableView(parent);
    view->setObjectName(name);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setAlternatingRowColors(true);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    view->horizontalHeader()->setSectionResizeMode(MembersModel::Role,
                                                   QHeaderView::ResizeToContents);
    return view;
}
} // namespace

MembersPane::MembersPane(QWidget *parent)
    : Pane(parent)
    , m_orgModel(new MembersModel(MembersModel::Scope::Org, this))
    , m_projectModel(new MembersModel(MembersModel::Scope::Project, this))
    , m_message(new InlineMessage(this))
    , m_tabs(new QTabWidget(this))
    , m_search(new QLineEdit(this))
    , m_orgStack(new QStackedWidget(this))
    , m_orgState(new StatePage(m_orgStack))
    , m_orgView(makeView(m_orgStack, m_orgModel, u"orgMembersView"_s))
    , m_projectStack(new QStackedWidget(this))
    , m_projectState(new StatePage(m_projectStack))
    , m_projectView(makeView(m_projectStack, m_projectModel, u"projectMembersView"_s))
    , m_role(new QComboBox(this))
    , m_inviteAction(new QAction(tr("Invite to Organization…"), this))
    , m_addAction(new QAction(tr("Add to Project"), this))
    , m_promoteAction(new QAction(tr("Promote Member"), this))
    , m_demoteAction(new QAction(tr("Demote Member"), this))
    , m_removeAction(new QAction(tr("Remove Member…"), this))
    , m_searchAction(new QAction(tr("Find Member"), this))
{
    setObjectName(u"membersPane"_s);
    m_tabs->setObjectName(u"membersTabs"_s);
    m_search->setObjectName(u"memberSearch"_s);
    m_search->setPlaceholderText(tr("Search by name, username or e-mail"));
    m_search->setClearButtonEnabled(true);
    m_role->setObjectName(u"roleCombo"_s);
    m_role->setToolTip(tr("The role of the member picked above"));

    m_orgStack->insertWidget(StateIndex, m_orgState);
    m_orgStack->insertWidget(ListIndex, m_orgView);
    m_projectStack->insertWidget(StateIndex, m_projectState);
    m_projectStack->insertWidget(ListIndex, m_projectView);
    auto *orgPage = new QWidget(m_tabs);
    auto *orgLayout = new QVBoxLayout(orgPage);
    orgLayout->addWidget(m_search);
    orgLayout->addWidget(m_orgStack, 1);
    auto *projectPage = new QWidget(m_tabs);
    auto *projectLayout = new QVBoxLayout(projectPage);
    projectLayout->addWidget(m_projectStack, 1);
    m_tabs->insertTab(OrgTab, orgPage, tr("Organization"));
    m_tabs->insertTab(ProjectTab, projectPage, tr("Project"));

    auto *roleRow = new QHBoxLayout;
    auto *roleLabel = new QLabel(tr("&Role:"), this);
    roleLabel->setBuddy(m_role);
    roleRow->addWidget(roleLabel);
    roleRow->addWidget(m_role);
    roleRow->addStretch(1);
    auto *toolbar = new QToolBar(this);
    toolbar->setObjectName(u"membersToolbar"_s);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar->addAction(m_inviteAction);
    toolbar->addAction(m_addAction);
    toolbar->addSeparator();
    toolbar->addAction(m_promoteAction);
    toolbar->addAction(m_demoteAction);
    toolbar->addAction(m_removeAction);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(toolbar);
    layout->addWidget(m_message);
    layout->addWidget(m_tabs, 1);
    layout->addLayout(roleRow);

    m_inviteAction->setObjectName(u"inviteMemberAction"_s);
    m_inviteAction->setShortcut(Qt::CTRL | Qt::Key_I);
    m_addAction->setObjectName(u"addProjectMemberAction"_s);
    m_addAction->setShortcut(Qt::CTRL | Qt::SHIFT | Qt::Key_A);
    m_promoteAction->setObjectName(u"promoteMemberAction"_s);
    m_promoteAction->setShortcut(Qt::CTRL | Qt::SHIFT | Qt::Key_Up);
    m_demoteAction->setObjectName(u"demoteMemberAction"_s);
    m_demoteAction->setShortcut(Qt::CTRL | Qt::SHIFT | Qt::Key_Down);
    m_removeAction->setObjectName(u"removeMemberAction"_s);
    m_removeAction->setShortcut(QKeySequence::Delete);
    m_searchAction->setObjectName(u"findMemberAction"_s);
    m_searchAction->setShortcut(QKeySequence::Find);
    for (QAction *a : {m_inviteAction, m_addAction, m_promoteAction, m_demoteAction, m_removeAction,
                       m_searchAction}) {
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(a);
    }
    for (QTableView *view : {m_orgView, m_projectView}) {
        view->setContextMenuPolicy(Qt::ActionsContextMenu);
        view->addAction(m_promoteAction);
        view->addAction(m_demoteAction);
        view->addAction(m_removeAction);
        connect(view->selectionModel(), &QItemSelectionModel::currentChanged, this,
                &MembersPane::updateActions);
    }
    m_orgView->addAction(m_addAction);

    connect(m_inviteAction, &QAction::triggered, this, &MembersPane::invite);
    connect(m_addAction, &QAction::triggered, this, &MembersPane::addToProject);
    connect(m_promoteAction, &QAction::triggered, this, [this] { stepRole(+1); });
    connect(m_demoteAction, &QAction::triggered, this, [this] { stepRole(-1); });
    connect(m_removeAction, &QAction::triggered, this, &MembersPane::removeCurrent);
    connect(m_searchAction, &QAction::triggered, this, [this] {
        setCurrentTab(OrgTab);
        m_search->setFocus();
        m_search->selectAll();
    });
    connect(m_search, &QLineEdit::textChanged, m_orgModel,
            [this](const QString &text) { m_orgModel->setSearch(text.trimmed()); });
    connect(m_role, &QComboBox::activated, this,
            [this](int index) { changeRole(m_role->itemData(index).toInt()); });
    connect(m_tabs, &QTabWidget::currentChanged, this, &MembersPane::updateActions);
    connect(m_orgState, &StatePage::actionTriggered, this, &MembersPane::invite);
    connect(m_projectState, &StatePage::actionTriggered, this, [this] { setCurrentTab(OrgTab); });
    for (MembersModel *model : {m_orgModel, m_projectModel}) {
        connect(model, &MembersModel::loaded, this, &MembersPane::updateState);
        connect(model, &MembersModel::failed, this, &MembersPane::updateState);
        connect(model, &QAbstractItemModel::rowsRemoved, this, &MembersPane::updateState);
        connect(model, &QAbstractItemModel::dataChanged, this, &MembersPane::updateActions);
    }
    connect(m_orgState, &StatePage::retryRequested, this, &MembersPane::refresh);
    connect(m_projectState, &StatePage::retryRequested, this, &MembersPane::refresh);
    updateState();
}

MembersPane::~MembersPane() = default;

void MembersPane::setWorkspace(const models::Workspace &workspace)
{
    m_workspace = workspace;
    m_message->hide();
    if (InviteDialog *dialog = inviteDialog())
        dialog->close();
    {
        const QSignalBlocker block(m_search);
        m_search->clear();
    }
    m_orgModel->setSearch({});
    m_orgModel->setWorkspace(workspace);
    m_projectModel->setWorkspace(workspace);
    updateState();
}

void MembersPane::refresh()
{
    m_orgModel->refresh();
    m_projectModel->refresh();
    updateState();
}

void MembersPane::setCurrentTab(Tab tab)
{
    m_tabs->setCurrentIndex(tab);
}

MembersModel *MembersPane::currentModel() const
{
    return m_tabs->currentIndex() == ProjectTab ? m_projectModel : m_orgModel;
}

QTableView *MembersPane::currentView() const
{
    return m_tabs->currentIndex() == ProjectTab ? m_projectView : m_orgView;
}

int MembersPane::currentRow() const
{
    const QModelIndex current = currentView()->currentIndex();
    return current.isValid() ? current.row() : -1;
}

bool MembersPane::selectMember(const QString &userId)
{
    const int row = currentModel()->rowOf(userId);
    if (row < 0)
        return false;
    currentView()->setCurrentIndex(currentModel()->index(row, 0));
    currentView()->selectRow(row);
    return true;
}

InviteDialog *MembersPane::inviteDialog() const
{
    return findChild<InviteDialog *>(u"inviteDialog"_s);
}

bool MembersPane::canManage(const MembersModel *model) const
{
    if (!m_workspace.valid())
        return false;
    return model->scope() == MembersModel::Scope::Org
               ? m_workspace.isOrgOwner()
               : m_workspace.atLeast(api::ProjectRole::Admin);
}

void MembersPane::invite()
{
    if (!m_inviteAction->isEnabled())
        return;
    InviteDialog *dialog = inviteDialog();
    if (!dialog) {
        dialog = new InviteDialog(m_workspace, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &InviteDialog::invited, this, [this](const QString &email) {
            Q_EMIT statusMessage(tr("Invitation for %1 made; pass its code on.").arg(email));
        });
    }
    dialog->open();
}

void MembersPane::addToProject()
{
    if (!m_addAction->isEnabled())
        return;
    const QModelIndex current = m_orgView->currentIndex();
    if (!current.isValid())
        return;
    const MembersModel::Member m = m_orgModel->member(current.row());
    if (m_projectModel->rowOf(m.id) >= 0) {
        m_message->showInfo(tr("%1 is already a member of this project.").arg(m.username));
        return;
    }
    QPointer<MembersPane> self(this);
    m_projectModel->add(m.id, api::ProjectRole::Develop, [self, m](const network::ApiResult &r) {
        if (!self)
            return;
        if (!r.ok()) {
            self->m_message->showError(
                tr("Could not add %1 to the project: %2").arg(m.username, r.message));
            return;
        }
        Q_EMIT self->statusMessage(tr("Added %1 to the project as a developer.").arg(m.username));
    });
}

void MembersPane::changeRole(int role)
{
    MembersModel *model = currentModel();
    const int row = currentRow();
    if (row < 0 || !canManage(model))
        return;
    const MembersModel::Member m = model->member(row);
    if (m.role == role)
        return;
    if (m.id == m_workspace.userId &&
        !MessageBox::confirm(this, tr("Change your own role"),
                             tr("Change your own role to %1? You may not be able to change it "
                                "back.")
                                 .arg(model->roleName(role)),
                             tr("Change"))) {
        updateActions();
        return;
    }
    m_role->setEnabled(false);
    QPointer<MembersPane> self(this);
    QPointer<MembersModel> target(model);
    model->setRole(m.id, role, [self, target, m, role](const network::ApiResult &r) {
        if (!self || !target)
            return;
        self->updateActions();
        if (!r.ok()) {
            self->m_message->showError(
                tr("Could not change the role of %1: %2").arg(m.username, r.message));
            return;
        }
        Q_EMIT self->statusMessage(
            tr("%1 is now %2.").arg(m.username, target->roleName(role).toLower()));
    });
}

void MembersPane::stepRole(int step)
{
    MembersModel *model = currentModel();
    const int row = currentRow();
    if (row < 0)
        return;
    const QList<int> roles = model->roles();
    const int at = int(roles.indexOf(model->member(row).role)) + step;
    if (at < 0 || at >= roles.size())
        return;
    changeRole(roles.at(at));
}

void MembersPane::removeCurrent()
{
    MembersModel *model = currentModel();
    const int row = currentRow();
    if (row < 0 || !m_removeAction->isEnabled())
        return;
    const MembersModel::Member m = model->member(row);
    const bool self_ = m.id == m_workspace.userId;
    const bool org = model->scope() == MembersModel::Scope::Org;
    const QString where =
        org ? (m_workspace.orgName.isEmpty() ? tr("the organization") : m_workspace.orgName)
            : (m_workspace.projectName.isEmpty() ? tr("the project") : m_workspace.projectName);
    QString question;
    if (self_)
        question = org ? tr("Leave %1? You lose access to all of its projects.").arg(where)
                       : tr("Leave %1?").arg(where);
    else
        question = org ? tr("Remove %1 from %2? They lose access to every project of the "
                            "organization.")
                             .arg(m.username, where)
                       : tr("Remove %1 from %2? Their jobs and data stay.").arg(m.username, where);
    if (!MessageBox::confirm(this, self_ ? tr("Leave") : tr("Remove member"), question,
                             self_ ? tr("Leave") : tr("Remove")))
        return;
    QPointer<MembersPane> self(this);
    model->remove(m.id, [self, m](const network::ApiResult &r) {
        if (!self)
            return;
        if (!r.ok()) {
            qCDebug(lcMembersPane) << "remove failed:" << r.status << r.message;
            self->m_message->showError(tr("Could not remove %1: %2").arg(m.username, r.message));
            return;
        }
        Q_EMIT self->statusMessage(tr("Removed %1.").arg(m.username));
    });
}

void MembersPane::updateState()
{
    const auto show = [this](MembersModel *model, QStackedWidget *stack, StatePage *state,
                             const QString &what) {
        if (!m_workspace.valid()) {
            state->showEmpty(tr("No project"),
                             tr("Sign in and pick a project to see who works in it."));
            stack->setCurrentIndex(StateIndex);
            return;
        }
        if (model->state() == MembersModel::State::Failed) {
            state->showError(model->errorString());
            stack->setCurrentIndex(StateIndex);
            return;
        }
        if (model->rowCount() > 0) {
            stack->setCurrentIndex(ListIndex);
            return;
        }
        if (model->state() != MembersModel::State::Loaded) {
            state->showLoading(tr("Loading %1…").arg(what));
        } else if (model == m_orgModel) {
            if (!m_search->text().isEmpty())
                state->showEmpty(tr("Nobody matches"),
                                 tr("No member's name, username or e-mail contains “%1”.")
                                     .arg(m_search->text()));
            else
                state->showEmpty(tr("No members"), tr("Invite someone with Ctrl+I."),
                                 tr("Invite…"));
        } else if (canManage(m_projectModel)) {
            state->showEmpty(tr("Nobody in this project yet"),
                             tr("Pick a member on the Organization tab and add them with "
                                "Ctrl+Shift+A."),
                             tr("Show Organization"));
        } else {
            state->showEmpty(tr("Nobody in this project yet"),
                             tr("A project admin or the organization's owner adds members."));
        }
        stack->setCurrentIndex(StateIndex);
    };
    show(m_orgModel, m_orgStack, m_orgState, tr("members"));
    show(m_projectModel, m_projectStack, m_projectState, tr("project members"));
    updateActions();
}

void MembersPane::updateActions()
{
    const bool valid = m_workspace.valid();
    const bool orgOwner = valid && m_workspace.isOrgOwner();
    const bool projectAdmin = valid && m_workspace.atLeast(api::ProjectRole::Admin);
    const bool onOrg = m_tabs->currentIndex() == OrgTab;
    MembersModel *model = currentModel();
    const int row = currentRow();
    const bool manage = canManage(model);
    const bool isSelf = row >= 0 && model->member(row).id == m_workspace.userId;

    m_inviteAction->setVisible(orgOwner);
    m_inviteAction->setEnabled(orgOwner);
    m_addAction->setVisible(projectAdmin);
    m_addAction->setEnabled(projectAdmin && onOrg && m_orgView->currentIndex().isValid());
    m_promoteAction->setVisible(manage);
    m_demoteAction->setVisible(manage);
    const QList<int> roles = model->roles();
    const int at = row >= 0 ? int(roles.indexOf(model->member(row).role)) : -1;
    m_promoteAction->setEnabled(manage && at >= 0 && at + 1 < roles.size());
    m_demoteAction->setEnabled(manage && at > 0);
    m_removeAction->setVisible(valid);
    m_removeAction->setEnabled(row >= 0 && (manage || isSelf));
    m_removeAction->setText(isSelf ? (onOrg ? tr("Leave Organization…") : tr("Leave Project…"))
                                   : tr("Remove Member…"));
    m_searchAction->setEnabled(valid);

    const QSignalBlocker block(m_role);
    m_role->clear();
    for (int role : roles)
        m_role->addItem(model->roleName(role), role);
    m_role->setCurrentIndex(at);
    m_role->setEnabled(manage && row >= 0);
}

QList<Pane::Item> MembersPane::paletteItems() const
{
    QList<Item> items;
    for (int row = 0; row < m_orgModel->rowCount(); ++row) {
        const MembersModel::Member m = m_orgModel->member(row);
        items.append({tr("member %1 (%2)").arg(m.username, m.email), m.id});
    }
    return items;
}

void MembersPane::openItem(const QString &key)
{
    setCurrentTab(OrgTab);
    if (selectMember(key))
        m_orgView->setFocus();
}

} // namespace pf::ui
