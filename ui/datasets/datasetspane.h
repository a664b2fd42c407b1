// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <utility>

#include <QList>
#include <QSet>

#include "api/dataset.h"
#include "ui/pane.h"

class QAction;
class QLabel;
class QMimeData;
class QModelIndex;
class QSortFilterProxyModel;
class QSplitter;
class QStackedWidget;
class QTreeView;

namespace pf::models {
class DatasetsModel;
class FileTreeModel;
} // namespace pf::models

namespace pf::ui {

class InlineMessage;
class LinkedDatasetDialog;
class MetadataEditor;
class StatePage;

// The Datasets section: the project's datasets on the left; the selected
// one's storage, state, files (a tree from the flat paths) and metadata on
// the right. Actions (with shortcuts, in the command palette): upload a
// folder (Ctrl+U) or files (Ctrl+O) as a new dataset, add files to the
// selected dataset (Ctrl+Shift+A), link a bucket (Ctrl+L), rename (F2),
// edit metadata (Ctrl+E), delete (Del, confirmed); enabled for develop and
// up (the server also refuses a developer another member's dataset, which
// shows as an inline error). Uploads need the workspace's TransferQueue.
//
// Files and folders dragged from the file manager: dropped on a dataset's
// row, they are added to it (the row is selected while the drag is over
// it); dropped anywhere else, they become a new dataset. A row whose
// dataset cannot take files (linked, or still uploading) refuses the drop
// and says why in the status bar (and in the inline message, if dropped on
// anyway). When an upload into a dataset of the list ends, the pane reads
// that dataset again.
//
// objectNames: "datasetList", "fileTree", "datasetTitle", "datasetSummary",
// "metadataEditor", "statePage", "inlineMessage"; actions
// "uploadDatasetAction", "uploadFilesAction", "addFilesAction",
// "linkDatasetAction", "renameDatasetAction", "editMetadataAction",
// "deleteDatasetAction".
class DatasetsPane final : public Pane
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DatasetsPane)

public:
    explicit DatasetsPane(QWidget *parent = nullptr);
    ~DatasetsPane() override;

    void setWorkspace(const models::Workspace &workspace) override;
    void refresh() override;
    QList<Item> paletteItems() const override;
    void openItem(const QString &key) override;

    models::DatasetsModel *model() const { return m_model; }
    // The id of the selected dataset, 0 for none.
    qint64 currentId() const;
    // The dialog "Link a bucket" opened last, while it is open.
    LinkedDatasetDialog *linkDialog() const;

    // Uploads files and folders (dropped, or chosen with Upload Folder… or
    // Upload Files…) as a new dataset: asks its name (the folder's, when one
    // folder), creates it inactive and hands the files to the workspace's
    // TransferQueue, which activates it at the end. Files that cannot be
    // sent (links, unreadable) are named first, and the user decides; empty
    // files are sent, and named in the inline message.
    void uploadPaths(const QStringList &paths);
    // Adds files and folders (dropped on its row, or chosen with Add Files
    // to Dataset…) to the `fai` dataset `id`; a folder stays a folder in it.
    // Reads the dataset's files from the server first; names it has already
    // are asked about once (Replace, Skip, Keep Both; cancel adds nothing).
    // The dataset stays active while the files go; at the end the queue adds
    // them to the files it has then. Refused, with the reason in the inline
    // message, for a linked dataset and for one still uploading (see
    // cannotAddTo()).
    void addPaths(qint64 id, const QStringList &paths);
    void uploadFolder();
    void uploadFiles();
    void addFiles();
    void linkBucket();
    void renameCurrent();
    void editMetadata();
    void deleteCurrent();

protected:
    void showEvent(QShowEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dragLeaveEvent(QDragLeaveEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void updateState();
    void updateDetails();
    void updateActions();
    void selectId(qint64 id);
    void fail(const QString &what, const network::ApiResult &result);
    bool acceptsUpload(const QMimeData *mime) const;
    // Why files cannot be added to `d` now, in a sentence; empty if they can.
    QString cannotAddTo(const api::Dataset &d) const;
    // The list's row (column 0) under `pos`, in the pane's coordinates;
    // invalid when not over a row.
    QModelIndex rowAt(const QPoint &pos) const;
    // A drag of files entering or moving: accepted over a row that can take
    // them (selected) or off the rows (a new dataset), refused over the others.
    void dragOver(QDragMoveEvent *event);
    // The drag left or dropped: back to the selection it found, unless kept.
    void endDrag(bool restoreSelection);
    // Selects again the dataset selected when the drag came in.
    void restoreDragSelection();
    // filesToUpload(), with the user's say on what it leaves out; empty
    // when there is nothing to send or the user declined.
    QList<std::pair<QString, QString>> filesFor(const QStringList &paths, QStringList *notes);
    // addPaths() once `d` is read from the server: the clash question, then
    // the queue.
    void queueAdd(const api::Dataset &d, QList<std::pair<QString, QString>> files,
                  QStringList notes);
    // filesToUpload()'s notes (empty files), one a line, in the inline message.
    void showNotes(const QStringList &notes);
    // GET one dataset of the list, into the model.
    void reloadDataset(qint64 id);

    models::Workspace m_workspace;
    models::DatasetsModel *m_model;
    QSortFilterProxyModel *m_proxy;
    models::FileTreeModel *m_files;
    InlineMessage *m_message;
    QStackedWidget *m_stack;
    StatePage *m_state;
    QSplitter *m_splitter;
    QTreeView *m_list;
    QTreeView *m_fileTree;
    QLabel *m_noFiles = nullptr;
    QLabel *m_title;
    QLabel *m_summary;
    MetadataEditor *m_metadata;
    QAction *m_uploadAction;
    QAction *m_uploadFilesAction;
    QAction *m_addFilesAction;
    QAction *m_linkAction;
    QAction *m_renameAction;
    QAction *m_metadataAction;
    QAction *m_deleteAction;
    qint64 m_shownId = 0;
    QList<api::StoredFile> m_shownFiles;
    qint64 m_pendingOpen = 0;
    // A drag of files over the pane: the dataset selected when it came in,
    // and the refused row last told about (once per row, not per move).
    bool m_dragging = false;
    qint64 m_dragRestoreId = 0;
    qint64 m_dragRefusedId = 0;
    QMetaObject::Connection m_queueConnection;
};

} // namespace pf::ui
