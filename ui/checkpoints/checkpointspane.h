// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <optional>

#include <QMetaObject>

#include "network/transferqueue.h"
#include "ui/pane.h"

class QAction;
class QActionGroup;
class QComboBox;
class QLabel;
class QMimeData;
class QSplitter;
class QStackedWidget;
class QTreeView;

namespace pf::models {
class CheckpointsModel;
class FileTreeModel;
} // namespace pf::models

namespace pf::ui {

class FormFileTree;
class InlineMessage;
class StatePage;

// The Checkpoints section (model registry): USER or JOB checkpoints, live
// or soft-deleted, paged on scroll; the selected one's iteration, job, forms
// and the files of the picked form as a tree. Actions (shortcuts, palette):
// user (Alt+1) / job (Alt+2) checkpoints, show deleted (Ctrl+Shift+D),
// upload (Ctrl+U, or a folder or files dropped on the pane), download
// (Ctrl+S, also in the file tree's context menu), rename (F2), delete (Del,
// confirmed; restorable for 24 hours), restore (Ctrl+Shift+R, in the deleted
// filter). Changing ones need develop and up; transfers need the
// workspace's TransferQueue. Files dragged out of the tree go to the file
// manager (fetched first, up to FormFileFetcher::kMaxDragBytes).
//
// objectNames: "checkpointList", "formPicker", "formFiles", "checkpointTitle",
// "checkpointSummary", "noFiles", "statePage", "inlineMessage"; actions
// "userCheckpointsAction", "jobCheckpointsAction", "showDeletedAction",
// "uploadCheckpointAction", "downloadCheckpointAction",
// "renameCheckpointAction", "deleteCheckpointAction", "restoreCheckpointAction".
class CheckpointsPane final : public Pane
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CheckpointsPane)

public:
    explicit CheckpointsPane(QWidget *parent = nullptr);
    ~CheckpointsPane() override;

    void setWorkspace(const models::Workspace &workspace) override;
    void refresh() override;
    QList<Item> paletteItems() const override;
    void openItem(const QString &key) override;

    models::CheckpointsModel *model() const { return m_model; }
    QString currentId() const;

    void renameCurrent();
    void deleteCurrent();
    void restoreCurrent();

    // Asks for a folder (Upload Checkpoint…), then uploadPaths().
    void uploadFolder();
    // Uploads files and folders (dropped, or the folder chosen) as a new
    // USER checkpoint: asks its name, format and iteration
    // (CheckpointUploadDialog, suggested from the files), registers it
    // (vendor fai, no files yet) and hands the files to the TransferQueue
    // for its form, which deletes the checkpoint if the upload is cancelled.
    // Files that cannot be sent (links, unreadable) are named first. The
    // list shows the USER checkpoints with the new one selected; its files
    // appear when the transfer is done.
    void uploadPaths(const QStringList &paths);
    // Downloads the files selected in the form's tree (a folder: its
    // files), or all of the form's when none is, into
    // <chosen folder>/<checkpoint name>/<path>. Files already there: one
    // question, Replace, Skip or Keep Both ("x (1).bin").
    void downloadSelected();
    // The paths selected in the form's tree, without those inside another
    // selected folder.
    QStringList selectedItems() const;

    // Test seam: the next folder chooser (upload or download) answers
    // `folder` without showing anything; "" is Cancel.
    static void setNextFolder(const QString &folder);

protected:
    void showEvent(QShowEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    // Files from elsewhere (a file manager), not our own dragged out.
    bool acceptsUpload(const QDropEvent *event) const;
    QString chooseFolder(const QString &title);
    // The form whose files are shown; null when none.
    const api::CheckpointForm *shownForm() const;
    bool uploadingInto(const QString &formId) const;
    void dragFiles();
    void transferFinished(const QString &id, network::TransferQueue::State state);
    void filterChanged();
    void updateState();
    void updateDetails();
    void updateForm();
    void updateActions();
    void selectId(const QString &id);
    void fail(const QString &what, const network::ApiResult &result);

    models::Workspace m_workspace;
    models::CheckpointsModel *m_model;
    models::FileTreeModel *m_files;
    InlineMessage *m_message;
    QStackedWidget *m_stack;
    StatePage *m_state;
    QSplitter *m_splitter;
    QTreeView *m_list;
    QLabel *m_title;
    QLabel *m_summary;
    QComboBox *m_forms;
    FormFileTree *m_fileTree;
    QLabel *m_noFiles = nullptr;
    QAction *m_userAction;
    QAction *m_jobAction;
    QAction *m_deletedAction;
    QAction *m_uploadAction;
    QAction *m_downloadAction;
    QAction *m_renameAction;
    QAction *m_deleteAction;
    QAction *m_restoreAction;
    QString m_shownId;
    QList<api::CheckpointForm> m_shownForms;
    QString m_pendingOpen; // selected once the list has it
    QMetaObject::Connection m_queueFinished;
};

} // namespace pf::ui
