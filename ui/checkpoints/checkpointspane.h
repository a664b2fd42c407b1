// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include "ui/pane.h"

class QAction;
class QActionGroup;
class QComboBox;
class QLabel;
class QSplitter;
class QStackedWidget;
class QTreeView;

namespace pf::models {
class CheckpointsModel;
class FileTreeModel;
} // namespace pf::models

namespace pf::ui {

class InlineMessage;
class StatePage;

// The Checkpoints section (model registry): USER or JOB checkpoints, live
// or soft-deleted, paged on scroll; the selected one's iteration, job, forms
// and the files of the picked form as a tree. Actions (shortcuts, palette):
// user (Alt+1) / job (Alt+2) checkpoints, show deleted (Ctrl+Shift+D),
// rename (F2), delete (Del, confirmed; restorable for 24 hours), restore
// (Ctrl+Shift+R, in the deleted filter). Changing ones need develop and up.
//
// objectNames: "checkpointList", "formPicker", "formFiles", "checkpointTitle",
// "checkpointSummary", "statePage", "inlineMessage"; actions
// "userCheckpointsAction", "jobCheckpointsAction", "showDeletedAction",
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

protected:
    void showEvent(QShowEvent *event) override;

private:
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
    QTreeView *m_fileTree;
    QLabel *m_noFiles = nullptr;
    QAction *m_userAction;
    QAction *m_jobAction;
    QAction *m_deletedAction;
    QAction *m_renameAction;
    QAction *m_deleteAction;
    QAction *m_restoreAction;
    QString m_shownId;
};

} // namespace pf::ui
