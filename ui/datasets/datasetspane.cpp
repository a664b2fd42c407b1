// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "datasetspane.h"

#include <algorithm>
#include <optional>

#include <QAction>
#include <QDateTime>
#include <QDir>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLoggingCategory>
#include <QMimeData>
#include <QPointer>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTimer>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

#include "models/datasetsmodel.h"
#include "models/filetreemodel.h"
#include "models/humanize.h"
#include "network/transferqueue.h"
#include "ui/datasets/linkeddatasetdialog.h"
#include "ui/datasets/metadataeditor.h"
#include "ui/widgets/messagebox.h"
#include "ui/widgets/statepage.h"

Q_LOGGING_CATEGORY(lcDatasetsPane, "pf.ui.datasets")

using namespace Qt::StringLiterals;
using pf::models::DatasetsModel;
using pf::models::FileTreeModel;

namespace pf::ui {

namespace {

QString vendorText(const api::Dataset &d)
{
    if (d.vendor == "fai"_L1)
        return DatasetsPane::tr("Stored by pfd");
    if (d.vendor == "aws"_L1)
        return DatasetsPane::tr("Amazon S3");
    if (d.vendor == "azure.blob"_L1)
        return DatasetsPane::tr("Azure Blob");
    if (d.vendor == "gcp"_L1)
        return DatasetsPane::tr("Google Cloud");
    return d.vendor;
}

// "1 file", "6 files" (no translations are loaded, so no %n plurals).
QString filesText(qsizetype n)
{
    return n == 1 ? DatasetsPane::tr("1 file") : DatasetsPane::tr("%1 files").arg(n);
}

} // namespace

DatasetsPane::DatasetsPane(QWidget *parent)
    : Pane(parent)
    , m_model(new DatasetsModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_files(new FileTreeModel(this))
    , m_message(new InlineMessage(this))
    , m_stack(new QStackedWidget(this))
    , m_state(new StatePage(this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_list(new QTreeView(this))
    , m_fileTree(new QTreeView(this))
    , m_title(new QLabel(this))
    , m_summary(new QLabel(this))
    , m_metadata(new MetadataEditor(this))
    , m_uploadAction(new QAction(tr("Upload Folder…"), this))
    , m_uploadFilesAction(new QAction(tr("Upload Files…"), this))
    , m_addFilesAction(new QAction(tr("Add Files to Dataset…"), this))
    , m_linkAction(new QAction(tr("Link a Bucket…"), this))
    , m_renameAction(new QAction(tr("Rename Dataset…"), this))
    , m_metadataAction(new QAction(tr("Edit Dataset Metadata"), this))
    , m_deleteAction(new QAction(tr("Delete Dataset…"), this))
{
    setObjectName(u"datasetsPane"_s);
    // Files and folders from the file manager: onto a row, added to that
    // dataset; anywhere else, a new dataset. The pane takes the drag, not
    // the list, whose model has no drop to offer: dragOver() finds the row.
    setAcceptDrops(true);

    m_uploadAction->setObjectName(u"uploadDatasetAction"_s);
    m_uploadAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_U));
    // Not Ctrl+Shift+U: with IBus (most Linux desktops) it starts typing a
    // Unicode character wherever input methods are on, the list included.
    m_uploadFilesAction->setObjectName(u"uploadFilesAction"_s);
    m_uploadFilesAction->setShortcut(QKeySequence::Open);
    m_addFilesAction->setObjectName(u"addFilesAction"_s);
    m_addFilesAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    m_linkAction->setObjectName(u"linkDatasetAction"_s);
    m_linkAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    m_linkAction->setToolTip(tr("Link an S3 bucket (or folder) as a dataset (Ctrl+L)"));
    m_renameAction->setObjectName(u"renameDatasetAction"_s);
    m_renameAction->setShortcut(QKeySequence(Qt::Key_F2));
    m_metadataAction->setObjectName(u"editMetadataAction"_s);
    m_metadataAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_deleteAction->setObjectName(u"deleteDatasetAction"_s);
    m_deleteAction->setShortcut(QKeySequence::Delete);
    for (QAction *a : {m_uploadAction, m_uploadFilesAction, m_addFilesAction, m_linkAction,
                       m_renameAction, m_metadataAction, m_deleteAction}) {
        // The palette lists the pane's actions; keep them to this pane's page.
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(a);
    }
    connect(m_uploadAction, &QAction::triggered, this, &DatasetsPane::uploadFolder);
    connect(m_uploadFilesAction, &QAction::triggered, this, &DatasetsPane::uploadFiles);
    connect(m_addFilesAction, &QAction::triggered, this, &DatasetsPane::addFiles);
    connect(m_linkAction, &QAction::triggered, this, &DatasetsPane::linkBucket);
    connect(m_renameAction, &QAction::triggered, this, &DatasetsPane::renameCurrent);
    connect(m_metadataAction, &QAction::triggered, this, &DatasetsPane::editMetadata);
    connect(m_deleteAction, &QAction::triggered, this, &DatasetsPane::deleteCurrent);

    auto *toolbar = new QToolBar(this);
    toolbar->setObjectName(u"datasetsToolbar"_s);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar->addAction(m_uploadAction);
    toolbar->addAction(m_uploadFilesAction);
    toolbar->addAction(m_addFilesAction);
    toolbar->addAction(m_linkAction);
    toolbar->addSeparator();
    toolbar->addAction(m_renameAction);
    toolbar->addAction(m_metadataAction);
    toolbar->addAction(m_deleteAction);

    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(DatasetsModel::SortRole);
    m_proxy->setSortCaseSensitivity(Qt::CaseInsensitive);
    m_list->setObjectName(u"datasetList"_s);
    m_list->setModel(m_proxy);
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setAlternatingRowColors(true);
    m_list->setSortingEnabled(true);
    m_list->sortByColumn(DatasetsModel::NameColumn, Qt::AscendingOrder);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->header()->setStretchLastSection(false);
    m_list->header()->setSectionResizeMode(DatasetsModel::NameColumn, QHeaderView::Stretch);
    for (int c = DatasetsModel::VendorColumn; c < DatasetsModel::ColumnCount; ++c)
        m_list->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);

    m_fileTree->setObjectName(u"fileTree"_s);
    m_fileTree->setModel(m_files);
    m_fileTree->setUniformRowHeights(true);
    m_fileTree->header()->setStretchLastSection(false);
    m_fileTree->header()->setSectionResizeMode(FileTreeModel::NameColumn, QHeaderView::Stretch);
    m_fileTree->header()->setSectionResizeMode(FileTreeModel::SizeColumn,
                                               QHeaderView::ResizeToContents);
    m_fileTree->header()->setSectionResizeMode(FileTreeModel::ModifiedColumn,
                                               QHeaderView::ResizeToContents);

    m_title->setObjectName(u"datasetTitle"_s);
    QFont big = m_title->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.25);
    m_title->setFont(big);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setObjectName(u"datasetSummary"_s);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *details = new QWidget(this);
    details->setObjectName(u"datasetDetails"_s);
    auto *detailSplit = new QSplitter(Qt::Vertical, details);
    auto *filesBox = new QWidget(detailSplit);
    auto *filesLayout = new QVBoxLayout(filesBox);
    filesLayout->setContentsMargins(0, 0, 0, 0);
    auto *filesHeading = new QLabel(tr("Files"), filesBox);
    QFont bold = filesHeading->font();
    bold.setBold(true);
    filesHeading->setFont(bold);
    filesLayout->addWidget(filesHeading);
    filesLayout->addWidget(m_fileTree);
    m_noFiles = new QLabel(filesBox);
    m_noFiles->setObjectName(u"noFiles"_s);
    m_noFiles->setWordWrap(true);
    m_noFiles->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_noFiles->setForegroundRole(QPalette::PlaceholderText);
    filesLayout->addWidget(m_noFiles, 1);
    m_noFiles->hide();
    detailSplit->addWidget(filesBox);
    detailSplit->addWidget(m_metadata);
    detailSplit->setStretchFactor(0, 3);
    detailSplit->setStretchFactor(1, 1);
    detailSplit->setChildrenCollapsible(false);
    auto *detailLayout = new QVBoxLayout(details);
    detailLayout->setContentsMargins(8, 0, 0, 0);
    detailLayout->addWidget(m_title);
    detailLayout->addWidget(m_summary);
    detailLayout->addWidget(detailSplit, 1);

    m_splitter->setObjectName(u"datasetsSplitter"_s);
    m_splitter->addWidget(m_list);
    m_splitter->addWidget(details);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 1);
    // The list's columns (storage, state, files, size, created) need room
    // next to the name; start at about half and half.
    m_splitter->setSizes({560, 540});
    m_list->header()->setMinimumSectionSize(48);
    m_list->setColumnWidth(DatasetsModel::NameColumn, 160);
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

    connect(m_model, &DatasetsModel::stateChanged, this, &DatasetsPane::updateState);
    connect(m_model, &DatasetsModel::rowsInserted, this, &DatasetsPane::updateState);
    connect(m_model, &DatasetsModel::rowsRemoved, this, &DatasetsPane::updateState);
    connect(m_model, &DatasetsModel::modelReset, this, &DatasetsPane::updateState);
    connect(m_model, &DatasetsModel::dataChanged, this, &DatasetsPane::updateDetails);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        updateDetails();
        updateActions();
    });
    connect(m_state, &StatePage::retryRequested, this, &DatasetsPane::refresh);
    connect(m_state, &StatePage::actionTriggered, this, &DatasetsPane::linkBucket);
    connect(m_metadata, &MetadataEditor::applyRequested, this, [this](const QJsonObject &metadata) {
        const qint64 id = currentId();
        if (!id)
            return;
        QPointer<DatasetsPane> self(this);
        m_model->setMetadata(id, metadata, [self, id](const network::ApiResult &r) {
            if (!self)
                return;
            if (!r.ok())
                return self->fail(tr("Saving the metadata failed"), r);
            // The server's version is the saved state now.
            const int row = self->m_model->rowOf(id);
            if (row >= 0 && self->currentId() == id)
                self->m_metadata->setMetadata(self->m_model->dataset(row).metadata);
            Q_EMIT self->statusMessage(tr("Metadata saved."));
        });
    });

    updateState();
    updateActions();
}

DatasetsPane::~DatasetsPane() = default;

void DatasetsPane::setWorkspace(const models::Workspace &workspace)
{
    m_workspace = workspace;
    m_pendingOpen = 0;
    m_message->hide();
    disconnect(m_queueConnection);
    if (workspace.transfers) {
        // An upload into a dataset ended: its files (and, for a new one, its
        // active state) are on the server now; show them without an F5.
        m_queueConnection =
            connect(workspace.transfers, &network::TransferQueue::finished, this,
                    [this](const QString &id, network::TransferQueue::State state) {
                        const network::TransferQueue::Transfer *t =
                            m_workspace.transfers ? m_workspace.transfers->transfer(id) : nullptr;
                        if (t && !t->download && t->target.datasetId > 0 &&
                            state == network::TransferQueue::State::Done)
                            reloadDataset(t->target.datasetId);
                    });
    }
    m_model->setWorkspace(workspace);
    if (workspace.valid() && isVisible())
        m_model->refresh();
    updateState();
    updateActions();
}

void DatasetsPane::refresh()
{
    m_message->hide();
    m_model->refresh();
}

void DatasetsPane::showEvent(QShowEvent *event)
{
    Pane::showEvent(event);
    // Loaded when first shown, not at sign-in for every pane at once.
    if (m_model->state() == DatasetsModel::State::Idle && m_workspace.valid())
        m_model->refresh();
}

QList<Pane::Item> DatasetsPane::paletteItems() const
{
    QList<Item> items;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const api::Dataset &d = m_model->dataset(row);
        items.append({tr("Dataset %1").arg(d.name), QString::number(d.id)});
    }
    return items;
}

void DatasetsPane::openItem(const QString &key)
{
    bool ok = false;
    const qint64 id = key.toLongLong(&ok);
    if (!ok)
        return;
    if (m_model->rowOf(id) >= 0) {
        selectId(id);
        return;
    }
    // Not loaded yet: select it when the list arrives.
    m_pendingOpen = id;
    if (m_model->state() != DatasetsModel::State::Fetching)
        m_model->refresh();
}

qint64 DatasetsPane::currentId() const
{
    const QModelIndex current = m_list->currentIndex();
    return current.isValid() ? current.data(DatasetsModel::IdRole).toLongLong() : 0;
}

LinkedDatasetDialog *DatasetsPane::linkDialog() const
{
    return findChild<LinkedDatasetDialog *>(QString(), Qt::FindDirectChildrenOnly);
}

void DatasetsPane::selectId(qint64 id)
{
    const int row = m_model->rowOf(id);
    if (row < 0)
        return;
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    m_list->setCurrentIndex(index);
    m_list->scrollTo(index);
}

void DatasetsPane::updateState()
{
    const DatasetsModel::State state = m_model->state();
    const bool hasRows = m_model->rowCount() > 0;
    if (!m_workspace.valid()) {
        m_state->showEmpty(tr("No project"), tr("Sign in and pick a project to see its datasets."));
        m_stack->setCurrentWidget(m_state);
    } else if (hasRows) {
        m_stack->setCurrentWidget(m_splitter);
        if (state == DatasetsModel::State::Error)
            m_message->showError(
                tr("Refreshing the datasets failed: %1").arg(m_model->errorString()));
    } else if (state == DatasetsModel::State::Error) {
        m_state->showError(m_model->errorString());
        m_stack->setCurrentWidget(m_state);
    } else if (state == DatasetsModel::State::Fetched) {
        const bool mayLink = m_workspace.atLeast(api::ProjectRole::Develop);
        const bool mayUpload = mayLink && m_workspace.transfers;
        QString hint;
        const auto keys = [](const QAction *a) {
            return a->shortcut().toString(QKeySequence::NativeText);
        };
        if (mayUpload)
            hint = tr("Drag a folder or files here from your file manager to upload them as a "
                      "dataset, or choose them with Upload Folder… (%1) or Upload Files… (%2). "
                      "A bucket you already have can be linked instead (%3).")
                       .arg(keys(m_uploadAction), keys(m_uploadFilesAction), keys(m_linkAction));
        else if (mayLink)
            hint = tr("Link a bucket you already have (Ctrl+L), or upload a folder with the pf "
                      "CLI.");
        else
            hint = tr("A developer of this project can upload files, or link a bucket, as a "
                      "dataset.");
        m_state->showEmpty(tr("No datasets yet"), hint, mayLink ? tr("Link a Bucket…") : QString());
        m_stack->setCurrentWidget(m_state);
    } else {
        m_state->showLoading(tr("Loading datasets…"));
        m_stack->setCurrentWidget(m_state);
    }

    if (m_pendingOpen && m_model->rowOf(m_pendingOpen) >= 0) {
        selectId(m_pendingOpen);
        m_pendingOpen = 0;
    } else if (hasRows && !m_list->currentIndex().isValid()) {
        m_list->setCurrentIndex(m_proxy->index(0, 0));
    }
    updateDetails();
    updateActions();
}

void DatasetsPane::updateDetails()
{
    const qint64 id = currentId();
    const int row = m_model->rowOf(id);
    if (row < 0) {
        m_shownId = 0;
        m_shownFiles.clear();
        m_title->setText(tr("No dataset selected"));
        m_summary->setText(tr("Pick a dataset on the left to see its files and metadata."));
        m_files->clear();
        m_metadata->setMetadata({});
        m_metadata->setEnabled(false);
        return;
    }
    const api::Dataset &d = m_model->dataset(row);
    m_title->setText(d.name);
    QStringList parts{vendorText(d)};
    if (d.isLinked()) {
        parts << tr("bucket %1").arg(d.storageName);
        if (!d.region.isEmpty())
            parts << d.region;
    }
    parts << (d.active ? tr("active") : tr("uploading — not every file has arrived"));
    parts << filesText(d.files.size()) << models::formatBytes(d.totalSize());
    parts << tr("created %1").arg(models::formatTime(d.createdAt));
    m_summary->setText(parts.join(u" · "_s));

    // Rebuild the tree only for another dataset or other files (added, or
    // replaced at another size): a rename must not collapse what the user
    // opened.
    const bool sameDataset = m_shownId == id;
    if (!sameDataset || m_shownFiles != d.files) {
        m_files->setFiles(d.files);
        m_shownFiles = d.files;
        if (m_files->rowCount() == 1)
            m_fileTree->expand(m_files->index(0, 0));
    }
    const bool noFiles = d.files.isEmpty();
    m_fileTree->setVisible(!noFiles);
    m_noFiles->setVisible(noFiles);
    m_noFiles->setText(d.isLinked() ? tr("No files were listed in the bucket (or folder).")
                                    : tr("No files yet: they arrive with the upload."));
    m_metadata->setEnabled(true);
    // Keep what the user is typing; take the server's version otherwise.
    if (!sameDataset || !m_metadata->isModified())
        m_metadata->setMetadata(d.metadata);
    m_shownId = id;
}

void DatasetsPane::updateActions()
{
    const bool may = m_workspace.valid() && m_workspace.atLeast(api::ProjectRole::Develop);
    const int row = m_model->rowOf(currentId());
    const bool selected = row >= 0;
    const bool storedSelected = selected && !m_model->dataset(row).isLinked();
    const QString why = tr("Needs the develop role in this project");
    const bool mayUpload = may && m_workspace.transfers;
    m_linkAction->setEnabled(may);
    m_uploadAction->setEnabled(mayUpload);
    m_uploadFilesAction->setEnabled(mayUpload);
    m_addFilesAction->setEnabled(mayUpload && storedSelected);
    m_renameAction->setEnabled(may && selected);
    m_metadataAction->setEnabled(may && selected);
    m_deleteAction->setEnabled(may && selected);
    m_metadata->setEditable(may, why);
    for (QAction *a : {m_uploadAction, m_uploadFilesAction, m_addFilesAction, m_linkAction,
                       m_renameAction, m_metadataAction, m_deleteAction}) {
        const QString base = a->text().remove(u'…');
        a->setToolTip(may || !m_workspace.valid()
                          ? u"%1 (%2)"_s.arg(base, a->shortcut().toString(QKeySequence::NativeText))
                          : u"%1 — %2"_s.arg(base, why));
    }
    if (may && selected && !storedSelected)
        m_addFilesAction->setToolTip(
            tr("Add Files to Dataset — a linked dataset's files stay in its bucket"));
}

void DatasetsPane::fail(const QString &what, const network::ApiResult &result)
{
    qCInfo(lcDatasetsPane) << what << result.status << result.message;
    m_message->showError(u"%1: %2"_s.arg(what, result.message));
}

void DatasetsPane::uploadFolder()
{
    if (!m_uploadAction->isEnabled())
        return;
    const QString folder =
        QFileDialog::getExistingDirectory(this, tr("Upload a Folder as a Dataset"));
    if (!folder.isEmpty())
        uploadPaths({folder});
}

void DatasetsPane::uploadFiles()
{
    if (!m_uploadFilesAction->isEnabled())
        return;
    const QStringList files = QFileDialog::getOpenFileNames(this, tr("Upload Files as a Dataset"));
    if (!files.isEmpty())
        uploadPaths(files);
}

void DatasetsPane::addFiles()
{
    const int row = m_model->rowOf(currentId());
    if (row < 0 || !m_addFilesAction->isEnabled())
        return;
    // A copy: the list may be refreshed while the dialog is open.
    const api::Dataset d = m_model->dataset(row);
    if (const QString why = cannotAddTo(d); !why.isEmpty())
        return m_message->showError(why);
    const QStringList files =
        QFileDialog::getOpenFileNames(this, tr("Add Files to “%1”").arg(d.name));
    if (!files.isEmpty())
        addPaths(d.id, files);
}

bool DatasetsPane::acceptsUpload(const QMimeData *mime) const
{
    if (!m_uploadAction->isEnabled() || !mime || !mime->hasUrls())
        return false;
    const QList<QUrl> urls = mime->urls();
    return !urls.isEmpty() &&
           std::all_of(urls.begin(), urls.end(), [](const QUrl &u) { return u.isLocalFile(); });
}

QString DatasetsPane::cannotAddTo(const api::Dataset &d) const
{
    if (d.isLinked())
        return tr("“%1” is linked to %2: its files stay in the bucket, and pfstudio cannot add to "
                  "it. Drop the files beside the rows to upload them as a new dataset.")
            .arg(d.name, vendorText(d));
    if (!d.active)
        return tr("“%1” is still being uploaded; add files to it once it is complete.").arg(d.name);
    return {};
}

QModelIndex DatasetsPane::rowAt(const QPoint &pos) const
{
    if (!m_list->isVisible())
        return {};
    const QPoint inView = m_list->viewport()->mapFrom(this, pos);
    if (!m_list->viewport()->rect().contains(inView))
        return {};
    const QModelIndex index = m_list->indexAt(inView);
    return index.isValid() ? index.siblingAtColumn(0) : QModelIndex();
}

void DatasetsPane::restoreDragSelection()
{
    if (currentId() == m_dragRestoreId)
        return;
    const int row = m_model->rowOf(m_dragRestoreId);
    m_list->setCurrentIndex(row >= 0 ? m_proxy->mapFromSource(m_model->index(row, 0))
                                     : QModelIndex());
}

void DatasetsPane::dragOver(QDragMoveEvent *event)
{
    if (!acceptsUpload(event->mimeData())) {
        event->ignore();
        return;
    }
    if (!m_dragging) {
        m_dragging = true;
        m_dragRestoreId = currentId();
        m_dragRefusedId = 0;
        // Selecting the row under the drag must not scroll the list under it.
        m_list->setAutoScroll(false);
    }
    const QModelIndex index = rowAt(event->position().toPoint());
    const int row =
        index.isValid() ? m_model->rowOf(index.data(DatasetsModel::IdRole).toLongLong()) : -1;
    if (row < 0) {
        // Off the rows: a new dataset. The selection goes back to where it
        // was, so that no row looks like the target.
        restoreDragSelection();
        m_dragRefusedId = 0;
        event->acceptProposedAction();
        return;
    }
    const api::Dataset &d = m_model->dataset(row);
    if (const QString why = cannotAddTo(d); !why.isEmpty()) {
        // Refused, rather than making a new dataset instead: the user
        // pointed at this one, and a dataset they did not point at would
        // surprise them more than the no-drop cursor and the reason in the
        // status bar. Beside the rows still makes a new one.
        restoreDragSelection();
        if (m_dragRefusedId != d.id) {
            m_dragRefusedId = d.id;
            Q_EMIT statusMessage(why);
        }
        event->ignore();
        return;
    }
    m_dragRefusedId = 0;
    // Selected, so the user sees where the files go, and what is there.
    if (currentId() != d.id)
        m_list->setCurrentIndex(index);
    event->acceptProposedAction();
}

void DatasetsPane::endDrag(bool restoreSelection)
{
    if (!m_dragging)
        return;
    if (restoreSelection)
        restoreDragSelection();
    m_dragging = false;
    m_dragRefusedId = 0;
    m_list->setAutoScroll(true);
}

void DatasetsPane::dragEnterEvent(QDragEnterEvent *event)
{
    dragOver(event);
    // Taken even where it came in over a row that refuses it: a widget that
    // ignores the enter gets no moves (QApplication sends them to the
    // widget that took the enter), so the drag could never reach a place
    // that takes it. The move that follows at once answers for the place.
    if (acceptsUpload(event->mimeData()))
        event->acceptProposedAction();
}

void DatasetsPane::dragMoveEvent(QDragMoveEvent *event)
{
    dragOver(event);
}

void DatasetsPane::dragLeaveEvent(QDragLeaveEvent *event)
{
    Pane::dragLeaveEvent(event);
    endDrag(true);
}

void DatasetsPane::dropEvent(QDropEvent *event)
{
    if (!acceptsUpload(event->mimeData())) {
        endDrag(true);
        event->ignore();
        return;
    }
    QStringList paths;
    for (const QUrl &u : event->mimeData()->urls())
        paths << u.toLocalFile();
    // Where it was dropped decides, whatever the last move said.
    const QModelIndex index = rowAt(event->position().toPoint());
    const int row =
        index.isValid() ? m_model->rowOf(index.data(DatasetsModel::IdRole).toLongLong()) : -1;
    if (row >= 0) {
        const api::Dataset &d = m_model->dataset(row);
        if (const QString why = cannotAddTo(d); !why.isEmpty()) {
            endDrag(true);
            event->ignore();
            m_message->showError(why);
            return;
        }
        endDrag(false);
        if (currentId() != d.id)
            m_list->setCurrentIndex(index);
        event->acceptProposedAction();
        const qint64 id = d.id;
        // After the drop has returned to the file manager.
        QTimer::singleShot(0, this, [this, id, paths] { addPaths(id, paths); });
        return;
    }
    endDrag(true);
    event->acceptProposedAction();
    QTimer::singleShot(0, this, [this, paths] { uploadPaths(paths); });
}

QList<std::pair<QString, QString>> DatasetsPane::filesFor(const QStringList &paths,
                                                          QStringList *notes)
{
    QStringList problems;
    QList<std::pair<QString, QString>> files =
        network::TransferQueue::filesToUpload(paths, &problems, notes);
    if (files.isEmpty()) {
        MessageBox::error(this, tr("Nothing to Upload"),
                          problems.isEmpty() ? tr("The folder is empty.") : problems.join(u'\n'));
        return {};
    }
    if (problems.isEmpty())
        return files;
    constexpr int kShown = 20;
    QString named = problems.mid(0, kShown).join(u'\n');
    if (problems.size() > kShown)
        named += u'\n' + tr("…and %1 more.").arg(problems.size() - kShown);
    if (!MessageBox::confirm(this, tr("Some Files Cannot Be Uploaded"),
                             tr("%1\n\nUpload the other %2?").arg(named, filesText(files.size())),
                             tr("Upload the Others")))
        return {};
    return files;
}

void DatasetsPane::showNotes(const QStringList &notes)
{
    if (notes.isEmpty())
        return;
    // In the inline message, which stays until dismissed: a status bar note
    // would be gone before a long list is read.
    constexpr int kShown = 10;
    QString text = notes.mid(0, kShown).join(u'\n');
    if (notes.size() > kShown)
        text += u'\n' + tr("…and %1 more empty files.").arg(notes.size() - kShown);
    m_message->showInfo(text);
}

void DatasetsPane::uploadPaths(const QStringList &paths)
{
    if (!m_uploadAction->isEnabled() || paths.isEmpty())
        return;
    QStringList notes;
    const QList<std::pair<QString, QString>> files = filesFor(paths, &notes);
    if (files.isEmpty())
        return;
    const QFileInfo first(paths.first());
    const QString suggested =
        paths.size() == 1 && first.isDir()
            ? first.fileName()
            : u"upload-%1"_s.arg(QDateTime::currentDateTime().toString(u"yyyyMMdd-HHmm"_s));
    const std::optional<QString> name = MessageBox::askText(
        this, tr("New Dataset"),
        tr("Upload %1 as a new dataset named:").arg(filesText(files.size())), suggested);
    if (!name || name->trimmed().isEmpty())
        return;
    const QString datasetName = name->trimmed();
    QPointer<DatasetsPane> self(this);
    // Gone when the user signs out before the answer; a switch of project
    // keeps it, and the upload goes on into the project it was made in.
    QPointer<network::TransferQueue> queue(m_workspace.transfers);
    const QString project = m_workspace.projectId;
    m_workspace.api->createDataset(
        m_workspace.projectId,
        {{u"name"_s, datasetName}, {u"vendor"_s, u"fai"_s}, {u"active"_s, false}},
        [self, queue, project, files, notes, datasetName](const network::Reply<api::Dataset> &r) {
            if (!self)
                return;
            if (!r.ok())
                return self->fail(tr("Creating the dataset failed"), r.result);
            if (!queue)
                return;
            // An inactive dataset whose files arrive; activated at the end,
            // deleted if the upload is cancelled.
            queue->upload(network::TransferQueue::Target::dataset(r.value.id), datasetName, files,
                          {{u"active"_s, true}}, true);
            if (self->m_workspace.projectId != project)
                return;
            self->m_model->upsert(r.value);
            self->selectId(r.value.id);
            Q_EMIT self->statusMessage(
                tr("Uploading %1 to %2…").arg(filesText(files.size()), datasetName));
            self->showNotes(notes);
        });
}

void DatasetsPane::addPaths(qint64 id, const QStringList &paths)
{
    const int row = m_model->rowOf(id);
    if (!m_uploadAction->isEnabled() || paths.isEmpty() || row < 0)
        return;
    if (const QString why = cannotAddTo(m_model->dataset(row)); !why.isEmpty())
        return m_message->showError(why);
    QStringList notes;
    QList<std::pair<QString, QString>> files = filesFor(paths, &notes);
    if (files.isEmpty())
        return;
    // filesToUpload() takes a lone folder's files from its top, as a new
    // dataset named after the folder wants; added to a dataset, a folder
    // stays a folder, as a file manager copies one into another.
    if (const QFileInfo top(paths.first()); paths.size() == 1 && top.isDir() && !top.isSymLink()) {
        const QString folder = QDir(top.absoluteFilePath()).dirName();
        for (auto &f : files)
            f.second = folder + u'/' + f.second;
    }
    QPointer<DatasetsPane> self(this);
    const QString project = m_workspace.projectId;
    // The dataset's files as the server has them now: the names asked
    // about.
    m_workspace.api->dataset(
        id, [self, project, id, files, notes](const network::Reply<api::Dataset> &r) {
            if (!self || self->m_workspace.projectId != project)
                return;
            if (!r.ok())
                return self->fail(tr("Reading the dataset's files failed"), r.result);
            self->m_model->upsert(r.value);
            self->queueAdd(r.value, files, notes);
        });
}

void DatasetsPane::queueAdd(const api::Dataset &d, QList<std::pair<QString, QString>> files,
                            QStringList notes)
{
    network::TransferQueue *queue = m_workspace.transfers;
    if (!queue)
        return;
    if (const QString why = cannotAddTo(d); !why.isEmpty())
        return m_message->showError(why);
    QSet<QString> existing;
    for (const api::StoredFile &f : d.files)
        existing.insert(f.path);
    QStringList clashing;
    for (const auto &f : files) {
        if (existing.contains(f.second))
            clashing << f.second;
    }
    qsizetype skippedCount = 0;
    if (!clashing.isEmpty()) {
        const QString text =
            clashing.size() == 1
                ? tr("1 of the %1 is already in “%2”.").arg(filesText(files.size()), d.name)
                : tr("%1 of the %2 are already in “%3”.")
                      .arg(QString::number(clashing.size()), filesText(files.size()), d.name);
        const std::optional<MessageBox::Clash> answer =
            MessageBox::askClash(this, tr("Files Already in the Dataset"), text, clashing);
        if (!answer)
            return;
        switch (*answer) {
        case MessageBox::Clash::Replace: // the new file takes the old one's place
            break;
        case MessageBox::Clash::Skip: {
            QStringList skipped;
            files.removeIf([&](const std::pair<QString, QString> &f) {
                if (!existing.contains(f.second))
                    return false;
                skipped << f.first;
                return true;
            });
            skippedCount = skipped.size();
            // An empty file left out is not uploaded: its note goes too.
            notes.removeIf([&](const QString &note) {
                return std::any_of(skipped.cbegin(), skipped.cend(), [&](const QString &local) {
                    return note.startsWith(local + u' ');
                });
            });
            break;
        }
        case MessageBox::Clash::KeepBoth: {
            QSet<QString> taken = existing;
            for (const auto &f : files)
                taken.insert(f.second);
            for (auto &f : files) {
                if (!existing.contains(f.second))
                    continue;
                f.second = network::TransferQueue::keepBothName(f.second, taken);
                taken.insert(f.second);
            }
            break;
        }
        }
    }
    if (files.isEmpty()) {
        Q_EMIT statusMessage(tr("Nothing added: every file is in %1 already.").arg(d.name));
        return;
    }
    // Added at the end to the files it has then (each replacing one of its
    // path). The dataset is not deactivated (its other files stay in use
    // meanwhile) and not deleted on cancel (it was there before).
    queue->upload(network::TransferQueue::Target::dataset(d.id), d.name, files, {}, false);
    QString status = tr("Adding %1 to %2…").arg(filesText(files.size()), d.name);
    if (skippedCount > 0)
        status += u' ' + tr("(%1 already there: skipped)").arg(skippedCount);
    Q_EMIT statusMessage(status);
    showNotes(notes);
}

void DatasetsPane::reloadDataset(qint64 id)
{
    if (!m_workspace.valid() || m_model->rowOf(id) < 0)
        return;
    QPointer<DatasetsPane> self(this);
    const QString project = m_workspace.projectId;
    m_workspace.api->dataset(id, [self, project](const network::Reply<api::Dataset> &r) {
        // A dataset deleted meanwhile stays gone; a failure waits for F5.
        if (self && r.ok() && self->m_workspace.projectId == project &&
            self->m_model->rowOf(r.value.id) >= 0)
            self->m_model->upsert(r.value);
    });
}

void DatasetsPane::linkBucket()
{
    if (!m_linkAction->isEnabled())
        return;
    if (LinkedDatasetDialog *open = linkDialog()) {
        open->raise();
        return;
    }
    auto *dialog = new LinkedDatasetDialog(m_workspace, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &LinkedDatasetDialog::linked, this, [this](const api::Dataset &d) {
        m_model->upsert(d);
        selectId(d.id);
        Q_EMIT statusMessage(tr("Linked %1.").arg(d.name));
    });
    dialog->open();
}

void DatasetsPane::renameCurrent()
{
    const int row = m_model->rowOf(currentId());
    if (row < 0 || !m_renameAction->isEnabled())
        return;
    const api::Dataset d = m_model->dataset(row);
    const std::optional<QString> name = MessageBox::askText(
        this, tr("Rename Dataset"), tr("New name for “%1”:").arg(d.name), d.name);
    if (!name || name->trimmed().isEmpty() || name->trimmed() == d.name)
        return;
    QPointer<DatasetsPane> self(this);
    const QString newName = name->trimmed();
    m_model->rename(d.id, newName, [self, newName](const network::ApiResult &r) {
        if (!self)
            return;
        if (!r.ok())
            return self->fail(tr("Renaming failed"), r);
        self->m_message->hide();
        Q_EMIT self->statusMessage(tr("Renamed to %1.").arg(newName));
    });
}

void DatasetsPane::editMetadata()
{
    if (currentId() && m_metadataAction->isEnabled())
        m_metadata->focusText();
}

void DatasetsPane::deleteCurrent()
{
    const int row = m_model->rowOf(currentId());
    if (row < 0 || !m_deleteAction->isEnabled())
        return;
    const api::Dataset d = m_model->dataset(row);
    const QString question =
        d.isLinked()
            ? tr("Remove “%1” from the project? The bucket and its files stay where they are.")
                  .arg(d.name)
            : tr("Delete “%1” and its %2 (%3) from the server? This cannot be undone.")
                  .arg(d.name, filesText(d.files.size()), models::formatBytes(d.totalSize()));
    if (!MessageBox::confirm(this, tr("Delete Dataset"), question, tr("Delete")))
        return;
    QPointer<DatasetsPane> self(this);
    const QString name = d.name;
    m_model->remove(d.id, [self, name](const network::ApiResult &r) {
        if (!self)
            return;
        if (!r.ok() && r.status != 404)
            return self->fail(tr("Deleting %1 failed").arg(name), r);
        self->m_message->hide();
        Q_EMIT self->statusMessage(tr("Deleted %1.").arg(name));
    });
}

} // namespace pf::ui
