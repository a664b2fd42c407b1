// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "experimentspane.h"

#include <QAction>
#include <QHeaderView>
#include <QLoggingCategory>
#include <QPointer>
#include <QStackedWidget>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

#include "models/experimentsmodel.h"
#include "ui/widgets/messagebox.h"
#include "ui/widgets/statepage.h"

namespace pf::ui {

namespace {
Q_LOGGING_CATEGORY(lcExperimentsPane, "pf.ui.experiments")

using namespace Qt::StringLiterals;
using models::ExperimentsModel;

enum Page { StateIndex, ListIndex };

// "1 job", "3 jobs": English plurals without a translation loaded.
QString jobsText(int n)
{
    return n == 1 ? ExperimentsPane::tr("1 job") : ExperimentsPane::tr("%1 jobs").arg(n);
}
} // namespace

ExperimentsPane::ExperimentsPane(QWidget *parent)
    : Pane(parent)
    , m_model(new ExperimentsModel(this))
    , m_message(new InlineMessage(this))
    , m_stack(new QStackedWidget(this))
    , m_state(new StatePage(m_stack))
    , m_view(new QTableView(m_stack))
    , m_newAction(new QAction(tr("New Experiment…"), this))
    , m_renameAction(new QAction(tr("Rename Experiment…"), this))
    , m_deleteAction(new QAction(tr("Delete Experiment…"), this))
{
    setObjectName(u"experimentsPane"_s);
    auto *toolbar = new QToolBar(this);
    toolbar->setObjectName(u"experimentsToolbar"_s);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar->addAction(m_newAction);
    toolbar->addSeparator();
    toolbar->addAction(m_renameAction);
    toolbar->addAction(m_deleteAction);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(toolbar);
    layout->addWidget(m_message);
    layout->addWidget(m_stack, 1);

    m_view->setObjectName(u"experimentsView"_s);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(ExperimentsModel::Name, QHeaderView::Stretch);
    m_view->horizontalHeader()->setSectionResizeMode(ExperimentsModel::Jobs,
                                                     QHeaderView::ResizeToContents);
    m_stack->insertWidget(StateIndex, m_state);
    m_stack->insertWidget(ListIndex, m_view);

    m_newAction->setObjectName(u"newExperimentAction"_s);
    m_newAction->setShortcut(QKeySequence::New);
    m_renameAction->setObjectName(u"renameExperimentAction"_s);
    m_renameAction->setShortcut(Qt::Key_F2);
    m_deleteAction->setObjectName(u"deleteExperimentAction"_s);
    m_deleteAction->setShortcut(QKeySequence::Delete);
    for (QAction *action : {m_newAction, m_renameAction, m_deleteAction}) {
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(action);
    }
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_view->addAction(m_renameAction);
    m_view->addAction(m_deleteAction);

    connect(m_newAction, &QAction::triggered, this, &ExperimentsPane::createExperiment);
    connect(m_renameAction, &QAction::triggered, this, &ExperimentsPane::renameCurrent);
    connect(m_deleteAction, &QAction::triggered, this, &ExperimentsPane::deleteCurrent);
    connect(m_state, &StatePage::actionTriggered, this, &ExperimentsPane::createExperiment);
    connect(m_state, &StatePage::retryRequested, this, &ExperimentsPane::refresh);
    connect(m_model, &ExperimentsModel::loaded, this, &ExperimentsPane::updateState);
    connect(m_model, &ExperimentsModel::failed, this, &ExperimentsPane::updateState);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &ExperimentsPane::updateState);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &ExperimentsPane::updateState);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &ExperimentsPane::updateActions);
    updateState();
}

ExperimentsPane::~ExperimentsPane() = default;

void ExperimentsPane::setWorkspace(const models::Workspace &workspace)
{
    m_workspace = workspace;
    m_message->hide();
    m_model->setWorkspace(workspace);
    updateState();
}

void ExperimentsPane::refresh()
{
    m_model->refresh();
    updateState();
}

int ExperimentsPane::currentRow() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? current.row() : -1;
}

void ExperimentsPane::createExperiment()
{
    if (!m_newAction->isEnabled())
        return;
    const std::optional<QString> name = MessageBox::askText(
        this, tr("New experiment"),
        tr("Name of the experiment (jobs name it in their configuration's `experiment`):"));
    if (!name || name->trimmed().isEmpty())
        return;
    const QString trimmed = name->trimmed();
    m_message->hide();
    QPointer<ExperimentsPane> self(this);
    m_model->create(trimmed, [self, trimmed](const network::ApiResult &r) {
        if (!self)
            return;
        if (!r.ok()) {
            self->m_message->showError(tr("Could not create “%1”: %2").arg(trimmed, r.message));
            return;
        }
        for (int row = 0; row < self->m_model->rowCount(); ++row) {
            if (self->m_model->experiment(row).name == trimmed)
                self->m_view->selectRow(row);
        }
        Q_EMIT self->statusMessage(tr("Created experiment “%1”.").arg(trimmed));
    });
}

void ExperimentsPane::renameCurrent()
{
    const int row = currentRow();
    if (row < 0 || !m_renameAction->isEnabled())
        return;
    const api::Experiment e = m_model->experiment(row);
    const std::optional<QString> name = MessageBox::askText(
        this, tr("Rename experiment"), tr("New name of “%1”:").arg(e.name), e.name);
    if (!name || name->trimmed().isEmpty() || name->trimmed() == e.name)
        return;
    QPointer<ExperimentsPane> self(this);
    m_model->rename(e.id, name->trimmed(), [self](const network::ApiResult &r) {
        if (self && !r.ok())
            self->m_message->showError(tr("Could not rename the experiment: %1").arg(r.message));
    });
}

void ExperimentsPane::deleteCurrent()
{
    const int row = currentRow();
    if (row < 0 || !m_deleteAction->isEnabled())
        return;
    const api::Experiment e = m_model->experiment(row);
    // Count afresh: the number in the table may be older than the jobs.
    m_deleteAction->setEnabled(false);
    QPointer<ExperimentsPane> self(this);
    m_model->countJobs(e.id, [self, e](int jobs, const QString &error) {
        if (!self)
            return;
        self->updateActions();
        if (jobs < 0) {
            self->m_message->showError(
                tr("Could not count the jobs of “%1”, so it was not deleted: %2")
                    .arg(e.name, error));
            return;
        }
        const QString question =
            jobs == 0 ? tr("Delete the experiment “%1”? It holds no jobs.").arg(e.name)
                      : tr("Delete the experiment “%1” and the %2 in it? Their logs, metrics "
                           "and checkpoints go too. This cannot be undone.")
                            .arg(e.name, jobsText(jobs));
        const QString action = jobs == 0 ? tr("Delete") : tr("Delete %1").arg(jobsText(jobs));
        if (!MessageBox::confirm(self, tr("Delete experiment"), question, action))
            return;
        self->m_model->remove(e.id, [self, e, jobs](const network::ApiResult &r) {
            if (!self)
                return;
            if (!r.ok()) {
                qCDebug(lcExperimentsPane) << "delete failed:" << r.status << r.message;
                self->m_message->showError(tr("Could not delete “%1”: %2").arg(e.name, r.message));
                return;
            }
            Q_EMIT self->statusMessage(
                tr("Deleted experiment “%1” and %2.").arg(e.name, jobsText(jobs)));
        });
    });
}

void ExperimentsPane::updateState()
{
    updateActions();
    if (!m_workspace.valid()) {
        m_state->showEmpty(tr("No project"),
                           tr("Sign in and pick a project to see its experiments."));
        m_stack->setCurrentIndex(StateIndex);
        return;
    }
    switch (m_model->state()) {
    case ExperimentsModel::State::Empty:
    case ExperimentsModel::State::Loading:
        if (m_model->rowCount() == 0) {
            m_state->showLoading(tr("Loading experiments…"));
            m_stack->setCurrentIndex(StateIndex);
        }
        return;
    case ExperimentsModel::State::Failed:
        m_state->showError(m_model->errorString());
        m_stack->setCurrentIndex(StateIndex);
        return;
    case ExperimentsModel::State::Loaded:
        break;
    }
    if (m_model->rowCount() > 0) {
        m_stack->setCurrentIndex(ListIndex);
        return;
    }
    if (m_newAction->isEnabled())
        m_state->showEmpty(tr("No experiments yet"),
                           tr("An experiment groups related jobs, like the runs of one sweep. "
                              "Create one with Ctrl+N, or name one in a job's configuration "
                              "and it appears here."),
                           tr("New experiment"));
    else
        m_state->showEmpty(tr("No experiments yet"),
                           tr("Experiments appear here when a developer creates one or a job "
                              "names one."));
    m_stack->setCurrentIndex(StateIndex);
}

void ExperimentsPane::updateActions()
{
    const bool valid = m_workspace.valid();
    const bool canDevelop = valid && m_workspace.atLeast(api::ProjectRole::Develop);
    const bool canDelete = valid && m_workspace.atLeast(api::ProjectRole::Maintain);
    const bool haveRow = currentRow() >= 0;
    m_newAction->setVisible(canDevelop);
    m_newAction->setEnabled(canDevelop);
    m_renameAction->setVisible(canDevelop);
    m_renameAction->setEnabled(canDevelop && haveRow);
    m_deleteAction->setVisible(canDelete);
    m_deleteAction->setEnabled(canDelete && haveRow);
}

QList<Pane::Item> ExperimentsPane::paletteItems() const
{
    QList<Item> items;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const api::Experiment e = m_model->experiment(row);
        items.append({tr("experiment %1").arg(e.name), QString::number(e.id)});
    }
    return items;
}

void ExperimentsPane::openItem(const QString &key)
{
    const int row = m_model->rowOf(key.toLongLong());
    if (row < 0)
        return;
    m_stack->setCurrentIndex(ListIndex);
    m_view->selectRow(row);
    m_view->setFocus();
}

} // namespace pf::ui
