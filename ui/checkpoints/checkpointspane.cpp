// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "checkpointspane.h"

#include <algorithm>

#include <QAction>
#include <QActionGroup>
#include <QComboBox>
#include <QDir>
#include <QDrag>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QLoggingCategory>
#include <QMimeData>
#include <QPointer>
#include <QSet>
#include <QSplitter>
#include <QStackedWidget>
#include <QTimer>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

#include "models/checkpointsmodel.h"
#include "models/filetreemodel.h"
#include "models/humanize.h"
#include "ui/checkpoints/checkpointuploaddialog.h"
#include "ui/checkpoints/formfilefetcher.h"
#include "ui/checkpoints/formfiletree.h"
#include "ui/widgets/messagebox.h"
#include "ui/widgets/statepage.h"

Q_LOGGING_CATEGORY(lcCheckpointsPane, "pf.ui.checkpoints")

using namespace Qt::StringLiterals;
using pf::models::CheckpointsModel;
using pf::models::FileTreeModel;
using pf::network::TransferQueue;

namespace pf::ui {

namespace {

// How long a drag waits for its files before it gives up.
constexpr int kDragWaitMs = 20000;

std::optional<QString> s_nextFolder;

// "1 file", "6 files" (no translations are loaded, so no %n plurals).
QString filesText(qsizetype n)
{
    return n == 1 ? CheckpointsPane::tr("1 file") : CheckpointsPane::tr("%1 files").arg(n);
}

// A folder name for a checkpoint's download: its name without what file
// systems refuse, or its id when nothing is left.
QString folderNameOf(const api::Checkpoint &c)
{
    QString name;
    for (const QChar ch : c.name)
        name += ch.category() == QChar::Other_Control || u"/\\:*?\"<>|"_s.contains(ch) ? u'_' : ch;
    while (name.endsWith(u'.') || name.endsWith(u' '))
        name.chop(1);
    name = name.trimmed();
    return name.isEmpty() || name == "."_L1 || name == ".."_L1 ? c.id : name;
}

} // namespace

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
    , m_fileTree(new FormFileTree(this))
    , m_userAction(new QAction(tr("User Checkpoints"), this))
    , m_jobAction(new QAction(tr("Job Checkpoints"), this))
    , m_deletedAction(new QAction(tr("Show Deleted Checkpoints"), this))
    , m_uploadAction(new QAction(tr("Upload Checkpoint…"), this))
    , m_downloadAction(new QAction(tr("Download…"), this))
    , m_renameAction(new QAction(tr("Rename Checkpoint…"), this))
    , m_deleteAction(new QAction(tr("Delete Checkpoint…"), this))
    , m_restoreAction(new QAction(tr("Restore Checkpoint"), this))
{
    setObjectName(u"checkpointsPane"_s);
    setAcceptDrops(true); // a folder or files from the file manager: a new checkpoint

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
    m_uploadAction->setObjectName(u"uploadCheckpointAction"_s);
    m_uploadAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_U));
    m_uploadAction->setIconText(tr("Upload…"));
    m_downloadAction->setObjectName(u"downloadCheckpointAction"_s);
    // Ctrl+S: saving the files here, as a browser saves a page.
    m_downloadAction->setShortcut(QKeySequence::Save);
    m_renameAction->setObjectName(u"renameCheckpointAction"_s);
    m_renameAction->setShortcut(QKeySequence(Qt::Key_F2));
    m_deleteAction->setObjectName(u"deleteCheckpointAction"_s);
    m_deleteAction->setShortcut(QKeySequence::Delete);
    m_restoreAction->setObjectName(u"restoreCheckpointAction"_s);
    m_restoreAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    for (QAction *a : {m_userAction, m_jobAction, m_deletedAction, m_uploadAction, m_downloadAction,
                       m_renameAction, m_deleteAction, m_restoreAction}) {
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        a->setToolTip(u"%1 (%2)"_s.arg(a->text().remove(u'…'),
                                       a->shortcut().toString(QKeySequence::NativeText)));
        addAction(a);
    }
    connect(m_userAction, &QAction::triggered, this, &CheckpointsPane::filterChanged);
    connect(m_jobAction, &QAction::triggered, this, &CheckpointsPane::filterChanged);
    connect(m_deletedAction, &QAction::toggled, this, &CheckpointsPane::filterChanged);
    connect(m_uploadAction, &QAction::triggered, this, &CheckpointsPane::uploadFolder);
    connect(m_downloadAction, &QAction::triggered, this, &CheckpointsPane::downloadSelected);
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
    toolbar->addAction(m_uploadAction);
    toolbar->addAction(m_downloadAction);
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
    m_fileTree->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_fileTree->addAction(m_downloadAction);
    connect(m_fileTree, &FormFileTree::dragRequested, this, &CheckpointsPane::dragFiles);

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
    connect(m_state, &StatePage::actionTriggered, this, &CheckpointsPane::uploadFolder);
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
    disconnect(m_queueFinished);
    m_workspace = workspace;
    m_pendingOpen.clear();
    if (workspace.transfers)
        m_queueFinished = connect(workspace.transfers, &TransferQueue::finished, this,
                                  &CheckpointsPane::transferFinished);
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
    if (m_model->rowOf(key) >= 0)
        selectId(key);
    else
        m_pendingOpen = key; // when its page arrives
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
        else if (m_uploadAction->isEnabled())
            m_state->showEmpty(tr("No uploaded checkpoints yet"),
                               tr("Drop a checkpoint's folder here, or upload one (Ctrl+U). "
                                  "Checkpoints saved by jobs are under Job Checkpoints "
                                  "(Alt+2)."),
                               tr("Upload Checkpoint…"));
        else
            m_state->showEmpty(tr("No uploaded checkpoints yet"),
                               tr("A developer of this project can upload one. Checkpoints "
                                  "saved by jobs are under Job Checkpoints (Alt+2)."));
        m_stack->setCurrentWidget(m_state);
    } else {
        m_state->showLoading(tr("Loading checkpoints…"));
        m_stack->setCurrentWidget(m_state);
    }
    if (!m_pendingOpen.isEmpty() && m_model->rowOf(m_pendingOpen) >= 0) {
        selectId(m_pendingOpen);
        m_pendingOpen.clear();
    } else if (hasRows && !m_list->currentIndex().isValid()) {
        m_list->setCurrentIndex(m_model->index(0, 0));
    }
    updateDetails();
    updateActions();
}

void CheckpointsPane::updateDetails()
{
    const QString id = currentId();
    const int row = m_model->rowOf(id);
    if (row < 0) {
        m_shownId.clear();
        m_shownForms.clear();
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
    // Rebuilt for another checkpoint or other files (an upload arrived),
    // not for a rename.
    if (m_shownId != id || m_shownForms != c.forms) {
        const int shownForm = m_shownId == id ? m_forms->currentIndex() : 0;
        m_shownId = id;
        m_shownForms = c.forms;
        const QSignalBlocker blocker(m_forms);
        m_forms->clear();
        for (const api::CheckpointForm &f : c.forms)
            m_forms->addItem(
                u"%1 · %2 · %3"_s.arg(
                    f.formCategory, f.vendor == "fai"_L1 ? tr("stored by pfd") : f.vendor,
                    f.files.size() == 1 ? tr("1 file") : tr("%1 files").arg(f.files.size())),
                f.id);
        m_forms->setEnabled(c.forms.size() > 1);
        if (!c.forms.isEmpty())
            m_forms->setCurrentIndex(std::clamp(shownForm, 0, int(c.forms.size()) - 1));
        updateForm();
    }
}

void CheckpointsPane::updateForm()
{
    const int row = m_model->rowOf(currentId());
    const int form = m_forms->currentIndex();
    if (row < 0 || form < 0 || form >= m_model->checkpoint(row).forms.size()) {
        m_files->clear();
        updateActions();
        return;
    }
    const api::CheckpointForm &f = m_model->checkpoint(row).forms.at(form);
    m_files->setFiles(f.files);
    m_fileTree->setVisible(m_files->rowCount() > 0);
    m_noFiles->setVisible(m_files->rowCount() == 0);
    m_noFiles->setText(uploadingInto(f.id)
                           ? tr("Its files are being uploaded; they are listed here when the "
                                "upload is done (Transfers: Ctrl+Shift+T).")
                           : tr("No files in this form: its files were never uploaded, or it "
                                "only records where they are."));
    if (m_files->rowCount() == 1)
        m_fileTree->expand(m_files->index(0, 0));
    updateActions();
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
    m_uploadAction->setEnabled(may && m_workspace.transfers);
    m_renameAction->setEnabled(may && selected && !deleted);
    m_deleteAction->setEnabled(may && selected && !deleted);
    m_restoreAction->setEnabled(may && selected && deleted);
    m_restoreAction->setVisible(deleted);
    m_deleteAction->setVisible(!deleted);
    m_renameAction->setVisible(!deleted);
    const QString why = tr("Needs the develop role in this project");
    for (QAction *a : {m_uploadAction, m_renameAction, m_deleteAction, m_restoreAction}) {
        const QString base = a->text().remove(u'…');
        a->setToolTip(may || !valid
                          ? u"%1 (%2)"_s.arg(base, a->shortcut().toString(QKeySequence::NativeText))
                          : u"%1 — %2"_s.arg(base, why));
    }

    // Download: the files of the shown form, when pfd stores them.
    const api::CheckpointForm *form = shownForm();
    QString cannot;
    if (!valid || !m_workspace.transfers)
        cannot = tr("signed out");
    else if (!form)
        cannot = tr("pick a checkpoint first");
    else if (form->vendor != "fai"_L1)
        cannot = tr("this form's files are in %1 storage, not on pfd; fetch them from there")
                     .arg(form->vendor);
    else if (deleted)
        cannot = tr("restore the checkpoint first");
    else if (form->files.isEmpty())
        cannot = tr("this form has no files");
    m_downloadAction->setEnabled(cannot.isEmpty());
    m_downloadAction->setToolTip(
        cannot.isEmpty() ? tr("Download the selected files, or all of them (%1)")
                               .arg(m_downloadAction->shortcut().toString(QKeySequence::NativeText))
                         : tr("Download — %1").arg(cannot));
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

void CheckpointsPane::setNextFolder(const QString &folder)
{
    s_nextFolder = folder;
}

QString CheckpointsPane::chooseFolder(const QString &title)
{
    if (s_nextFolder) {
        const QString folder = *s_nextFolder;
        s_nextFolder.reset();
        return folder;
    }
    return QFileDialog::getExistingDirectory(this, title);
}

const api::CheckpointForm *CheckpointsPane::shownForm() const
{
    const int row = m_model->rowOf(currentId());
    const int form = m_forms->currentIndex();
    if (row < 0 || form < 0 || form >= m_model->checkpoint(row).forms.size())
        return nullptr;
    return &m_model->checkpoint(row).forms.at(form);
}

bool CheckpointsPane::uploadingInto(const QString &formId) const
{
    if (!m_workspace.transfers)
        return false;
    const QList<TransferQueue::Transfer> &all = m_workspace.transfers->transfers();
    return std::any_of(all.begin(), all.end(), [&](const TransferQueue::Transfer &t) {
        return !t.download && t.target.formId == formId &&
               (t.state == TransferQueue::State::Running ||
                t.state == TransferQueue::State::Paused);
    });
}

void CheckpointsPane::transferFinished(const QString &id, TransferQueue::State state)
{
    const TransferQueue::Transfer *t =
        m_workspace.transfers ? m_workspace.transfers->transfer(id) : nullptr;
    if (!t || t->download || t->target.formId.isEmpty())
        return;
    const QString formId = t->target.formId;
    const auto listed = [this, formId] {
        for (int row = 0; row < m_model->rowCount(); ++row) {
            const QList<api::CheckpointForm> &forms = m_model->checkpoint(row).forms;
            if (std::any_of(forms.begin(), forms.end(),
                            [&](const api::CheckpointForm &f) { return f.id == formId; }))
                return true;
        }
        return false;
    };
    if (!listed())
        return;
    if (state == TransferQueue::State::Done) {
        // Its files are PATCHed on the form: show the server's version.
        m_pendingOpen = currentId();
        m_model->refresh();
    } else if (state == TransferQueue::State::Cancelled && t->deleteTargetOnCancel) {
        // The queue has had the checkpoint deleted: the list without it.
        if (currentId() != t->target.checkpointId)
            m_pendingOpen = currentId();
        m_model->refresh();
    }
}

// -- upload --------------------------------------------------------------------

void CheckpointsPane::uploadFolder()
{
    if (!m_uploadAction->isEnabled())
        return;
    const QString folder = chooseFolder(tr("Upload a Folder as a Checkpoint"));
    if (!folder.isEmpty())
        uploadPaths({folder});
}

bool CheckpointsPane::acceptsUpload(const QDropEvent *event) const
{
    const QMimeData *mime = event->mimeData();
    // A drag from this studio (files dragged out of a form's tree, which
    // are copies in the cache) is not an upload.
    if (!m_uploadAction->isEnabled() || event->source() || !mime || !mime->hasUrls())
        return false;
    const QList<QUrl> urls = mime->urls();
    return !urls.isEmpty() &&
           std::all_of(urls.begin(), urls.end(), [](const QUrl &u) { return u.isLocalFile(); });
}

void CheckpointsPane::dragEnterEvent(QDragEnterEvent *event)
{
    if (acceptsUpload(event))
        event->acceptProposedAction();
}

void CheckpointsPane::dragMoveEvent(QDragMoveEvent *event)
{
    if (acceptsUpload(event))
        event->acceptProposedAction();
}

void CheckpointsPane::dropEvent(QDropEvent *event)
{
    if (!acceptsUpload(event))
        return;
    event->acceptProposedAction();
    QStringList paths;
    for (const QUrl &u : event->mimeData()->urls())
        paths << u.toLocalFile();
    // After the drop has returned to the file manager.
    QTimer::singleShot(0, this, [this, paths] { uploadPaths(paths); });
}

void CheckpointsPane::uploadPaths(const QStringList &paths)
{
    if (!m_uploadAction->isEnabled() || paths.isEmpty())
        return;
    QStringList problems;
    QStringList notes;
    const QList<std::pair<QString, QString>> files =
        TransferQueue::filesToUpload(paths, &problems, &notes);
    if (files.isEmpty()) {
        MessageBox::error(this, tr("Nothing to Upload"),
                          problems.isEmpty() ? tr("The folder is empty.") : problems.join(u'\n'));
        return;
    }
    if (!problems.isEmpty() &&
        !MessageBox::confirm(this, tr("Some Files Cannot Be Uploaded"),
                             tr("%1\n\nUpload the other %2?")
                                 .arg(problems.mid(0, 20).join(u'\n'), filesText(files.size())),
                             tr("Upload the Others")))
        return;

    // Named after the folder dropped, or the folder the dropped files are in.
    const QFileInfo first(paths.first());
    const QString name = paths.size() == 1 && first.isDir()
                             ? first.fileName()
                             : QFileInfo(first.absolutePath()).fileName();
    qint64 bytes = 0;
    for (const auto &file : files)
        bytes += QFileInfo(file.first).size();
    QString summary = tr("%1 (%2) from %3, as a new checkpoint of this project.")
                          .arg(filesText(files.size()), models::formatBytes(bytes),
                               QDir::toNativeSeparators(paths.size() == 1 ? first.absoluteFilePath()
                                                                          : first.absolutePath()));
    if (!notes.isEmpty())
        summary +=
            u"\n"_s + notes.mid(0, 5).join(u'\n') +
            (notes.size() > 5 ? tr("\n…and %1 more empty files").arg(notes.size() - 5) : QString());
    const std::optional<CheckpointUploadDialog::Answer> answer =
        CheckpointUploadDialog::ask(this, CheckpointUploadDialog::suggest(name, files), summary);
    if (!answer)
        return;

    const QString title = answer->name;
    QPointer<CheckpointsPane> self(this);
    QPointer<TransferQueue> queue(m_workspace.transfers);
    m_workspace.api->createCheckpoint(
        m_workspace.orgId, m_workspace.projectId,
        {{u"name"_s, answer->name},
         {u"model_category"_s, u"USER"_s},
         {u"form_category"_s, answer->formCategory},
         {u"vendor"_s, u"fai"_s},
         {u"iteration"_s, answer->iteration},
         {u"attributes"_s, QJsonObject()}},
        [self, queue, files, title](const network::Reply<api::Checkpoint> &r) {
            if (!self)
                return;
            if (!r.ok())
                return self->fail(tr("Registering the checkpoint failed"), r.result);
            if (r.value.forms.isEmpty() || !queue)
                return self->m_message->showError(
                    tr("The checkpoint %1 was registered, but its files cannot be uploaded (%2); "
                       "delete it and try again.")
                        .arg(title, queue ? tr("pfd gave it no form") : tr("signed out")));
            // Registered without files; the queue PATCHes them on its form
            // at the end, and deletes the checkpoint if the upload is
            // cancelled.
            queue->upload(TransferQueue::Target::form(r.value.forms.first().id, r.value.id), title,
                          files, {}, true);
            // Show it among the USER checkpoints (the newest come first).
            {
                const QSignalBlocker user(self->m_userAction);
                const QSignalBlocker deleted(self->m_deletedAction);
                self->m_userAction->setChecked(true);
                self->m_deletedAction->setChecked(false);
            }
            self->m_message->hide();
            self->m_pendingOpen = r.value.id;
            self->m_model->setFilter(CheckpointsModel::Category::User, false);
            self->m_model->refresh();
            self->updateState();
            Q_EMIT self->statusMessage(
                tr("Uploading %1 to %2…").arg(filesText(files.size()), title));
        });
}

// -- download ------------------------------------------------------------------

QStringList CheckpointsPane::selectedItems() const
{
    QStringList paths;
    for (const QModelIndex &index :
         m_fileTree->selectionModel()->selectedRows(FileTreeModel::NameColumn))
        paths << index.data(FileTreeModel::PathRole).toString();
    paths.sort();
    // Sorted, a folder comes right before what is inside it.
    QStringList top;
    for (const QString &path : std::as_const(paths)) {
        if (top.isEmpty() || !path.startsWith(top.last() + u'/'))
            top << path;
    }
    return top;
}

void CheckpointsPane::downloadSelected()
{
    const int row = m_model->rowOf(currentId());
    const api::CheckpointForm *shown = shownForm();
    if (row < 0 || !shown || !m_downloadAction->isEnabled())
        return;
    const api::Checkpoint c = m_model->checkpoint(row);
    const api::CheckpointForm form = *shown;
    const QStringList items = selectedItems();
    const QList<api::StoredFile> files =
        items.isEmpty() ? form.files : FormFileFetcher::filesUnder(form.files, items);
    if (files.isEmpty())
        return;
    const QString chosen = chooseFolder(
        items.isEmpty() ? tr("Download “%1” Into").arg(c.name)
                        : tr("Download %1 of “%2” Into").arg(filesText(files.size()), c.name));
    if (chosen.isEmpty())
        return;
    // Under the checkpoint's name: its files (config.json, weights, a
    // tokenizer) belong together, and loose in a Downloads folder they would
    // mix with, and clash with, another checkpoint's.
    const QString top = QDir(chosen).absoluteFilePath(folderNameOf(c));

    QList<TransferQueue::File> wanted;
    QList<int> clashing;
    QStringList clashNames;
    for (const api::StoredFile &f : files) {
        TransferQueue::File d;
        d.remotePath = f.path;
        d.localPath = top + u'/' + f.path;
        d.size = f.size;
        d.mtimeMs = f.mtime.isValid() ? f.mtime.toMSecsSinceEpoch() : 0;
        if (QFileInfo::exists(d.localPath)) {
            clashing << int(wanted.size());
            clashNames << QDir::toNativeSeparators(QDir(chosen).relativeFilePath(d.localPath));
        }
        wanted << d;
    }
    if (!clashing.isEmpty()) {
        const std::optional<MessageBox::Clash> clash = MessageBox::askClash(
            this, tr("Files Already There"),
            clashing.size() == 1
                ? tr("1 of the files is already in %1.").arg(QDir::toNativeSeparators(chosen))
                : tr("%1 of the files are already in %2.")
                      .arg(clashing.size())
                      .arg(QDir::toNativeSeparators(chosen)),
            clashNames);
        if (!clash)
            return;
        if (*clash == MessageBox::Clash::Skip) {
            for (auto it = clashing.crbegin(); it != clashing.crend(); ++it)
                wanted.removeAt(*it);
        } else if (*clash == MessageBox::Clash::KeepBoth) {
            // Taken: what is in each clashing file's folder, and where the
            // other files of this download go.
            QSet<QString> taken;
            QSet<QString> listed;
            for (const TransferQueue::File &d : std::as_const(wanted))
                taken.insert(d.localPath);
            for (const int i : std::as_const(clashing)) {
                const QString dir = QFileInfo(wanted.at(i).localPath).path();
                if (listed.contains(dir))
                    continue;
                listed.insert(dir);
                for (const QString &entry : QDir(dir).entryList(
                         QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot))
                    taken.insert(dir + u'/' + entry);
            }
            for (const int i : std::as_const(clashing)) {
                const QString name = TransferQueue::keepBothName(wanted.at(i).localPath, taken);
                taken.insert(name);
                wanted[i].localPath = name;
            }
        }
    }
    if (wanted.isEmpty()) {
        Q_EMIT statusMessage(tr("Nothing to download: every file is there already."));
        return;
    }
    const QString id =
        m_workspace.transfers->download(TransferQueue::Target::form(form.id), c.name, wanted);
    if (id.isEmpty()) {
        m_message->showError(
            tr("“%1” names files outside its folder, so it is not downloaded.").arg(c.name));
        return;
    }
    Q_EMIT statusMessage(tr("Downloading %1 of %2 to %3…")
                             .arg(filesText(wanted.size()), c.name, QDir::toNativeSeparators(top)));
}

// -- drag out ------------------------------------------------------------------

void CheckpointsPane::dragFiles()
{
    const api::CheckpointForm *shown = shownForm();
    const QStringList items = selectedItems();
    if (!shown || items.isEmpty() || !m_workspace.valid())
        return;
    // A copy: the model may change while the files arrive.
    const api::CheckpointForm form = *shown;
    if (form.vendor != "fai"_L1 || m_model->showsDeleted()) {
        Q_EMIT statusMessage(m_downloadAction->toolTip());
        return;
    }
    qint64 bytes = 0;
    for (const api::StoredFile &f : FormFileFetcher::filesUnder(form.files, items))
        bytes += f.size;
    if (bytes > FormFileFetcher::kMaxDragBytes) {
        Q_EMIT statusMessage(
            tr("%1 is too much to drag out (at most %2): use Download… (%3).")
                .arg(models::formatBytes(bytes),
                     models::formatBytes(FormFileFetcher::kMaxDragBytes),
                     m_downloadAction->shortcut().toString(QKeySequence::NativeText)));
        return;
    }
    QString error;
    QPointer<CheckpointsPane> self(this);
    QGuiApplication::setOverrideCursor(Qt::BusyCursor);
    std::unique_ptr<QMimeData> mime = FormFileFetcher::mimeDataForDrag(
        m_workspace.api, form.id, form.files, items, kDragWaitMs, &error);
    QGuiApplication::restoreOverrideCursor();
    if (!self)
        return;
    if (!mime) {
        m_message->showError(error);
        return;
    }
    // Qt deletes the drag when it ends.
    auto *drag = new QDrag(m_fileTree);
    drag->setMimeData(mime.release());
    drag->exec(Qt::CopyAction);
}

} // namespace pf::ui
