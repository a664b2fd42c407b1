// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include "ui/pane.h"

class QAction;
class QLabel;
class QMimeData;
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
// the right. Actions (with shortcuts, in the command palette): link a bucket
// (Ctrl+L), rename (F2), edit metadata (Ctrl+E), delete (Del, confirmed);
// enabled for develop and up (the server also refuses a developer another
// member's dataset, which shows as an inline error).
//
// objectNames: "datasetList", "fileTree", "datasetTitle", "datasetSummary",
// "metadataEditor", "statePage", "inlineMessage"; actions "linkDatasetAction",
// "renameDatasetAction", "editMetadataAction", "deleteDatasetAction".
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

    // Uploads files and folders (dropped, or chosen with Upload Folder…) as
    // a new dataset: asks its name (the folder's, when one folder), creates
    // it inactive and hands the files to the workspace's TransferQueue,
    // which activates it at the end. Files that cannot be sent (links,
    // unreadable) are named first, and the user decides.
    void uploadPaths(const QStringList &paths);
    void uploadFolder();
    void linkBucket();
    void renameCurrent();
    void editMetadata();
    void deleteCurrent();

protected:
    void showEvent(QShowEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void updateState();
    void updateDetails();
    void updateActions();
    void selectId(qint64 id);
    void fail(const QString &what, const network::ApiResult &result);
    bool acceptsUpload(const QMimeData *mime) const;

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
    QAction *m_linkAction;
    QAction *m_renameAction;
    QAction *m_metadataAction;
    QAction *m_deleteAction;
    qint64 m_shownId = 0;
    qint64 m_pendingOpen = 0;
};

} // namespace pf::ui
