// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "vmspane.h"

#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QHeaderView>
#include <QLabel>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

#include "models/vmsmodel.h"
#include "ui/vms/quotabardelegate.h"
#include "ui/widgets/statepage.h"

namespace pf::ui {

namespace {
using namespace Qt::StringLiterals;
using models::VmsModel;

enum Page { StateIndex, ListIndex };
} // namespace

VmsPane::VmsPane(QWidget *parent)
    : Pane(parent)
    , m_model(new VmsModel(this))
    , m_summary(new QLabel(this))
    , m_stack(new QStackedWidget(this))
    , m_state(new StatePage(m_stack))
    , m_view(new QTableView(m_stack))
    , m_copyAction(new QAction(tr("Copy VM Code"), this))
{
    setObjectName(u"vmsPane"_s);
    auto *layout = new QVBoxLayout(this);
    m_summary->setObjectName(u"vmsSummary"_s);
    m_summary->setWordWrap(true);
    m_summary->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_summary);
    layout->addWidget(m_stack, 1);

    m_view->setObjectName(u"vmsView"_s);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->setItemDelegateForColumn(VmsModel::Used,
                                     new QuotaBarDelegate(QuotaBarDelegate::Kind::Used, m_view));
    m_view->setItemDelegateForColumn(
        VmsModel::Available, new QuotaBarDelegate(QuotaBarDelegate::Kind::Available, m_view));
    QHeaderView *header = m_view->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(VmsModel::Used, QHeaderView::Stretch);
    header->setSectionResizeMode(VmsModel::Available, QHeaderView::Stretch);
    m_stack->insertWidget(StateIndex, m_state);
    m_stack->insertWidget(ListIndex, m_view);

    m_copyAction->setObjectName(u"copyVmCodeAction"_s);
    m_copyAction->setShortcut(QKeySequence::Copy);
    m_copyAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(m_copyAction);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_view->addAction(m_copyAction);
    connect(m_copyAction, &QAction::triggered, this, &VmsPane::copyCode);
    connect(m_state, &StatePage::retryRequested, this, &VmsPane::refresh);
    connect(m_model, &VmsModel::loaded, this, &VmsPane::updateState);
    connect(m_model, &VmsModel::failed, this, &VmsPane::updateState);
    updateState();
}

VmsPane::~VmsPane() = default;

void VmsPane::setWorkspace(const models::Workspace &workspace)
{
    m_workspace = workspace;
    m_model->setWorkspace(workspace);
    updateState();
}

void VmsPane::refresh()
{
    m_model->refresh();
    updateState();
}

void VmsPane::copyCode()
{
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid())
        return;
    const QString code = m_model->index(current.row(), VmsModel::Code).data().toString();
    QGuiApplication::clipboard()->setText(code);
    Q_EMIT statusMessage(tr("Copied “%1”.").arg(code));
}

void VmsPane::updateState()
{
    m_copyAction->setEnabled(m_model->rowCount() > 0);
    if (!m_workspace.valid()) {
        m_summary->clear();
        m_state->showEmpty(tr("No project"), tr("Sign in and pick a project to see its VMs."));
        m_stack->setCurrentIndex(StateIndex);
        return;
    }
    switch (m_model->state()) {
    case VmsModel::State::Empty:
    case VmsModel::State::Loading:
        if (m_model->rowCount() == 0) {
            m_state->showLoading(tr("Loading VM types…"));
            m_stack->setCurrentIndex(StateIndex);
        }
        return;
    case VmsModel::State::Failed:
        m_summary->clear();
        m_state->showError(m_model->errorString());
        m_stack->setCurrentIndex(StateIndex);
        return;
    case VmsModel::State::Loaded:
        break;
    }
    if (m_model->rowCount() == 0) {
        m_summary->clear();
        m_state->showEmpty(tr("No VM types"),
                           tr("The server offers no VM types yet. Its administrator defines "
                              "them under vm_types in pfd's configuration."));
        m_stack->setCurrentIndex(StateIndex);
        return;
    }
    int quota = 0;
    int used = 0;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        quota += m_model->row(row).quota;
        used += m_model->row(row).used;
    }
    if (quota == 0)
        m_summary->setText(
            m_workspace.isOrgOwner()
                ? tr("This project has no quota for any VM type, so its jobs cannot start. As "
                     "the organization's owner you can grant one through the server's vm_quota "
                     "API.")
                : tr("This project has no quota for any VM type, so its jobs cannot start. "
                     "Ask an owner of the organization for one."));
    else
        m_summary->setText(tr("Jobs of %1 hold %2 of the %3 VMs its quota allows. A job waits "
                              "when its VM type has none available.")
                               .arg(m_workspace.projectName.isEmpty() ? tr("this project")
                                                                      : m_workspace.projectName)
                               .arg(used)
                               .arg(quota));
    m_stack->setCurrentIndex(ListIndex);
}

QList<Pane::Item> VmsPane::paletteItems() const
{
    QList<Item> items;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QString code = m_model->index(row, VmsModel::Code).data().toString();
        items.append({tr("VM type %1").arg(code), code});
    }
    return items;
}

void VmsPane::openItem(const QString &key)
{
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (m_model->index(row, VmsModel::Code).data().toString() == key) {
            m_view->selectRow(row);
            m_view->setFocus();
        }
    }
}

} // namespace pf::ui
