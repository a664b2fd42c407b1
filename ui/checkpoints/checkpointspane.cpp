// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "checkpointspane.h"

#include <QAction>
#include <QActionGroup>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLoggingCategory>
#include <QPointer>
#include <QSplitter>
#include <QStackedWidget>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

#include "models/checkpointsmodel.h"
#include "models/filetreemodel.h"
#include "models/humanize.h"
#include "ui/widgets/messagebox.h"
#include "ui/widgets/statepage.h"

Q_LOGGING_CATEGORY(lcCheckpointsPane, "pf.ui.checkpoints")

using namespace Qt::StringLiterals;
using pf::models::CheckpointsModel;
using pf::models::FileTreeModel;

namespace pf::ui {

CheckpointsPane::CheckpointsPane(QWidget *parent)
    : Pane(parent)
    , m_model(new CheckpointsModel(this))
    , m_files(new FileTreeModel(this))
    , m_message(new InlineMessage(this))
    , m_stack(new QStackedWidget(this))
    , m_state(new StatePage(this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_list(new QTreeView(this))
    , m_title(new QLabel(this))
    , m_summary(new QLabel(this))
    , m_forms(new QComboBox(this))
    , m_fileTree(new QTreeView(this))
    , m_userAction(new QAction(tr("User Checkpoints"), this))
    , m_jobAction(new QAction(tr("Job Checkpoints"), this))
    , m_deletedAction(new QAction(tr("Show Deleted Checkpoints"), this))
    , m_renameAction(new QAction(tr("Rename Checkpoint…"), this))
    , m_deleteAction(new QAction(tr("Delete Checkpoint…"), this))
    , m_restoreAction(new QAction(tr("Restore Checkpoint"), this))
{
    setObjectName(u"checkpointsPane"_s);

    m_userAction->setObjectName(u"userCheckpointsAction"_s);
    m_userAction->setShortcut(QKeySequence(Qt::ALT | Qt::Key_1));
    m_userAction->setCheckable(true);
    m_userAction->setChecked(true);
    m_userAction->setIconText(tr("Uploaded"));
    m_jobAction->setObjectName(u"jobCheckpointsAction"_s);
    m_jobAction->setShortcut(QKeySequence(Qt::ALT | Qt::Key_2));
    m_jobAction->setCheckable(true);
    m_jobAction->setIconText(tr("From jobs"));
    auto *categories = new QActionGroup(this);
    categories->addAction(m_userAction);
    categories->addAction(m_jobAction);
    m_deletedAction->setObjectName(u"showDeletedAction"_s);
    m_deletedAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    m_deletedAction->setCheckable(true);
    m_deletedAction->setIconText(tr("Deleted"));
    m_renameAction->setObjectName(u"renameCheckpointAction"_s);
    m_renameAction->setShortcut(QKeySequence(Qt::Key_F2));
    m_deleteAction->setObjectName(u"deleteCheckpointAction"_s);
    m_deleteAction->setShortcut(QKeySequence::Delete);
    m_restoreAction->setObjectName(u"restoreCheckpointAction"_s);
    m_restoreAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    for (QAction *a : {m_userAction, m_jobAction, m_deletedAction, m_renameAction, m_deleteAction,
                       m_restoreAction}) {
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        a->setToolTip(u"%1 (%2)"_s.arg(a->text().remove(u'…'),
                                       a->shortcut().toString(QKeySequence::NativeText)));
        addAction(a);
    }
    connect(m_userAction, &QAction::triggered, this, &CheckpointsPane::filterChanged);
    connect(m_jobAction, &QAction::triggered, this, &CheckpointsPane::filterChanged);
    connect(m_deletedAction, &QAction::toggled, this, &CheckpointsPane::filterChanged);
    connect(m_renameAction, &QAction::triggered, this, &CheckpointsPane::renameCurrent);
    connect(m_deleteAction, &QAction::triggered, this, &CheckpointsPane::deleteCurrent);
    connect(m_restoreAction, &QAction::triggered, this, &CheckpointsPane::restoreCurrent);

    auto *toolbar = new QToolBar(this);
    toolbar->setObjectName(u"checkpointsToolbar"_s);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar->addAction(m_userAction);
    toolbar->addAction(m_jobAction);
    toolbar->addSeparator();
    toolbar->addAction(m_deletedAction);
    toolbar->addSeparator();
    toolbar->addAction(m_renameAction);
    toolbar->addAction(m_deleteAction);
    toolbar->addAction(m_restoreAction);

    m_list->setObjectName(u"checkpointList"_s);
    m_list->setModel(m_model);
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setAlternatingRowColors(true);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->header()->setStretchLastSection(false);
    m_list->header()->setSectionResizeMode(CheckpointsModel::NameColumn, QHeaderView::Stretch);
    for (int c = CheckpointsModel::IterationColumn; c < CheckpointsModel::ColumnCount; ++c)
        m_list->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);

    m_title->setObjectName(u"checkpointTitle"_s);
    QFont big = m_title->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.25);
    m_title->setFont(big);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setObjectName(u"checkpointSummary"_s);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_forms->setObjectName(u"formPicker"_s);
    m_fileTree->setObjectName(u"formFiles"_s);
    m_fileTree->setModel(m_files);
    m_fileTree->setUniformRowHeights(true);
    m_fileTree->header()->setStretchLastSection(false);
    m_fileTree->header()->setSectionResizeMode(FileTreeModel::NameColumn, QHeaderView::Stretch);
    m_fileTree->header()->setSectionResizeMode(FileTreeModel::SizeColumn,
                                               QHeaderView::ResizeToContents);
    m_fileTree->header()->setSectionResizeMode(FileTreeModel::ModifiedColumn,
                                               QHeaderView::ResizeToContents);

    auto *details = new QWidget(this);
    details->setObjectName(u"checkpointDetails"_s);
    auto *formRow = new QHBoxLayout;
    auto *formLabel = new QLabel(tr("Files of form:"), details);
    formLabel->setBuddy(m_forms);
    formRow->addWidget(formLabel);
    formRow->addWidget(m_forms, 1);
    auto *detailLayout = new QVBoxLayout(details);
    detailLayout->setContentsMargins(8, 0, 0, 0);
    detailLayout->addWidget(m_title);
    detailLayout->addWidget(m_summary);
    detailLayout->addLayout(formRow);
    detailLayout->addWidget(m_fileTree, 1);
    m_noFiles = new QLabel(details);
    m_noFiles->setObjectName(u"noFiles"_s);
    m_noFiles->setWordWrap(true);
    m_noFiles->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_noFiles->setForegroundRole(QPalette::PlaceholderText);
    m_noFiles->setText(tr("No files in this form: its files were never uploaded, or it only "
                          "records where they are."));
    detailLayout->addWidget(m_noFiles, 1);
    m_noFiles->hide();

    m_splitter->setObjectName(u"checkpointsSplitter"_s);
    m_splitter->addWidget(m_list);
    m_splitter->addWidget(details);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setChildrenCollapsible(false);

    m_stack->addWidget(m_state);
    m_stack->addWidget(m_splitter);
    m_message->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(toolbar);
    layout->addWidget(m_message);
    layout->addWidget(m_stack, 1);

    connect(m_model, &CheckpointsModel::stateChanged, this, &CheckpointsPane::updateState);
    connect(m_model, &CheckpointsModel::rowsInserted, this, &CheckpointsPane::updateState);
    connect(m_model, &CheckpointsModel::rowsRemoved, this, &CheckpointsPane::updateState);
    connect(m_model, &CheckpointsModel::modelReset, this, &CheckpointsPane::updateState);
    connect(m_model, &CheckpointsModel::dataChanged, this, &CheckpointsPane::updateDetails);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        updateDetails();
        updateActions();
    });
    connect(m_forms, &QComboBox::currentIndexChanged, this, &CheckpointsPane::updateForm);
    connect(m_state, &StatePage::retryRequested, this, [this] {
        // After a failed page, continue from it; with no rows, start over.
        if (m_model->rowCount() > 0)
            m_model->fetchMore();
        else
            m_model->refresh();
    });

    updateState();
    updateActions();
}

CheckpointsPane::~CheckpointsPane() = default;

void CheckpointsPane::setWorkspace(const models::Workspace &workspace)
{
    m_workspace = workspace;
    m_message->hide();
    m_model->setWorkspace(workspace);
    updateState();
    updateActions();
}

void CheckpointsPane::refresh()
{
    m_message->hide();
    m_model->refresh();
}

void CheckpointsPane::showEvent(QShowEvent *event)
{
    Pane::showEvent(event);
    if (m_model->canFetchMore() && m_model->rowCount() == 0)
        m_model->fetchMore();
}

void CheckpointsPane::filterChanged()
{
    m_message->hide();
    m_model->setFilter(m_jobAction->isChecked() ? CheckpointsModel::Category::Job
                                                : CheckpointsModel::Category::User,
                       m_deletedAction->isChecked());
    if (isVisible() && m_model->canFetchMore())
        m_model->fetchMore();
    updateState();
}

QList<Pane::Item> CheckpointsPane::paletteItems() const
{
    QList<Item> items;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const api::Checkpoint &c = m_model->checkpoint(row);
        items.append({tr("Checkpoint %1").arg(c.name), c.id});
    }
    return items;
}

void CheckpointsPane::openItem(const QString &key)
{
    selectId(key);
}

QString CheckpointsPane::currentId() const
{
    const QModelIndex current = m_list->currentIndex();
    return current.isValid() ? current.data(CheckpointsModel::IdRole).toString() : QString();
}

void CheckpointsPane::selectId(const QString &id)
{
    const int row = m_model->rowOf(id);
    if (row < 0)
        return;
    m_list->setCurrentIndex(m_model->index(row, 0));
    m_list->scrollTo(m_model->index(row, 0));
}

void CheckpointsPane::updateState()
{
    const CheckpointsModel::State state = m_model->state();
    const bool hasRows = m_model->rowCount() > 0;
    const bool deleted = m_model->showsDeleted();
    const bool job = m_model->category() == CheckpointsModel::Category::Job;
    if (!m_workspace.valid()) {
        m_state->showEmpty(tr("No project"),
                           tr("Sign in and pick a project to see its checkpoints."));
        m_stack->setCurrentWidget(m_state);
    } else if (hasRows) {
        m_stack->setCurrentWidget(m_splitter);
        if (state == CheckpointsModel::State::Error)
            m_message->showError(
                tr("Loading more checkpoints failed: %1").arg(m_model->errorString()));
    } else if (state == CheckpointsModel::State::Error) {
        m_state->showError(m_model->errorString());
        m_stack->setCurrentWidget(m_state);
    } else if (state == CheckpointsModel::State::Fetched) {
        if (deleted)
            m_state->showEmpty(tr("Nothing deleted"),
                               tr("Deleted checkpoints stay here for 24 hours, and can be "
                                  "restored (Ctrl+Shift+R) until then."));
        else if (job)
            m_state->showEmpty(tr("No checkpoints from jobs yet"),
                               tr("A job that saves checkpoints through the SDK lists them "
                                  "here, with its iteration."));
        else
            m_state->showEmpty(tr("No uploaded checkpoints yet"),
                               tr("Register one with the pf CLI; uploading from the studio "
                                  "comes with transfers. Checkpoints saved by jobs are under "
                                  "Job Checkpoints (Alt+2)."));
        m_stack->setCurrentWidget(m_state);
    } else {
        m_state->showLoading(tr("Loading checkpoints…"));
        m_stack->setCurrentWidget(m_state);
    }
    if (hasRows && !m_list->currentIndex().isValid())
        m_list->setCurrentIndex(m_model->index(0, 0));
    updateDetails();
    updateActions();
}

void CheckpointsPane::updateDetails()
{
    const QString id = currentId();
    const int row = m_model->rowOf(id);
    if (row < 0) {
        m_shownId.clear();
        m_title->setText(tr("No checkpoint selected"));
        m_summary->clear();
        m_forms->clear();
        m_files->clear();
        return;
    }
    const api::Checkpoint &c = m_model->checkpoint(row);
    m_title->setText(c.name);
    QStringList parts;
    parts << (c.modelCategory == "JOB"_L1 ? tr("from job %1").arg(c.jobId) : tr("uploaded"));
    parts << tr("iteration %1").arg(c.iteration);
    parts << models::formatBytes(c.totalSize());
    parts << tr("created %1").arg(models::formatTime(c.createdAt));
    if (c.deleted)
        parts << tr("deleted %1 — restorable for 24 hours").arg(models::formatTime(c.deletedAt));
    m_summary->setText(parts.join(u" · "_s));
    if (m_shownId != id) {
        m_shownId = id;
        const QSignalBlocker blocker(m_forms);
        m_forms->clear();
        for (const api::CheckpointForm &f : c.forms)
            m_forms->addItem(
                u"%1 · %2 · %3"_s.arg(
                    f.formCategory, f.vendor == "fai"_L1 ? tr("stored by pfd") : f.vendor,
                    f.files.size() == 1 ? tr("1 file") : tr("%1 files").arg(f.files.size())),
                f.id);
        m_forms->setEnabled(c.forms.size() > 1);
        updateForm();
    }
}

void CheckpointsPane::updateForm()
{
    const int row = m_model->rowOf(currentId());
    const int form = m_forms->currentIndex();
    if (row < 0 || form < 0 || form >= m_model->checkpoint(row).forms.size()) {
        m_files->clear();
        return;
    }
    m_files->setFiles(m_model->checkpoint(row).forms.at(form).files);
    m_fileTree->setVisible(m_files->rowCount() > 0);
    m_noFiles->setVisible(m_files->rowCount() == 0);
    if (m_files->rowCount() == 1)
        m_fileTree->expand(m_files->index(0, 0));
}

void CheckpointsPane::updateActions()
{
    const bool valid = m_workspace.valid();
    const bool may = valid && m_workspace.atLeast(api::ProjectRole::Develop);
    const bool selected = !currentId().isEmpty();
    const bool deleted = m_model->showsDeleted();
    m_userAction->setEnabled(valid);
    m_jobAction->setEnabled(valid);
    m_deletedAction->setEnabled(valid);
    m_renameAction->setEnabled(may && selected && !deleted);
    m_deleteAction->setEnabled(may && selected && !deleted);
    m_restoreAction->setEnabled(may && selected && deleted);
    m_restoreAction->setVisible(deleted);
    m_deleteAction->setVisible(!deleted);
    m_renameAction->setVisible(!deleted);
    const QString why = tr("Needs the develop role in this project");
    for (QAction *a : {m_renameAction, m_deleteAction, m_restoreAction}) {
        const QString base = a->text().remove(u'…');
        a->setToolTip(may || !valid
                          ? u"%1 (%2)"_s.arg(base, a->shortcut().toString(QKeySequence::NativeText))
                          : u"%1 — %2"_s.arg(base, why));
    }
}

void CheckpointsPane::fail(const QString &what, const network::ApiResult &result)
{
    qCInfo(lcCheckpointsPane) << what << result.status << result.message;
    m_message->showError(u"%1: %2"_s.arg(what, result.message));
}

void CheckpointsPane::renameCurrent()
{
    const int row = m_model->rowOf(currentId());
    if (row < 0 || !m_renameAction->isEnabled())
        return;
    const api::Checkpoint c = m_model->checkpoint(row);
    const std::optional<QString> name = MessageBox::askText(
        this, tr("Rename Checkpoint"), tr("New name for “%1”:").arg(c.name), c.name);
    if (!name || name->trimmed().isEmpty() || name->trimmed() == c.name)
        return;
    QPointer<CheckpointsPane> self(this);
    m_model->rename(c.id, name->trimmed(), [self](const network::ApiResult &r) {
        if (self && !r.ok())
            self->fail(tr("Renaming failed"), r);
    });
}

void CheckpointsPane::deleteCurrent()
{
    const int row = m_model->rowOf(currentId());
    if (row < 0 || !m_deleteAction->isEnabled())
        return;
    const api::Checkpoint c = m_model->checkpoint(row);
    if (!MessageBox::confirm(this, tr("Delete Checkpoint"),
                             tr("Delete “%1” (%2)? You can restore it from Deleted for 24 hours; "
                                "then its files are removed.")
                                 .arg(c.name, models::formatBytes(c.totalSize())),
                             tr("Delete")))
        return;
    QPointer<CheckpointsPane> self(this);
    const QString name = c.name;
    m_model->remove(c.id, [self, name](const network::ApiResult &r) {
        if (!self)
            return;
        if (!r.ok())
            return self->fail(tr("Deleting %1 failed").arg(name), r);
        Q_EMIT self->statusMessage(
            tr("Deleted %1; restore it from Deleted (Ctrl+Shift+D) within 24 hours.").arg(name));
    });
}

void CheckpointsPane::restoreCurrent()
{
    const int row = m_model->rowOf(currentId());
    if (row < 0 || !m_restoreAction->isEnabled())
        return;
    const QString name = m_model->checkpoint(row).name;
    QPointer<CheckpointsPane> self(this);
    m_model->restore(m_model->checkpoint(row).id, [self, name](const network::ApiResult &r) {
        if (!self)
            return;
        if (!r.ok())
            return self->fail(tr("Restoring %1 failed").arg(name), r);
        Q_EMIT self->statusMessage(tr("Restored %1.").arg(name));
    });
}

} // namespace pf::ui
