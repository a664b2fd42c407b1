// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include "ui/pane.h"

class QAction;
class QStackedWidget;
class QTableView;

namespace pf::models {
class ExperimentsModel;
}

namespace pf::ui {

class InlineMessage;
class StatePage;

// The project's experiments (tags that group jobs) with how many jobs each
// holds. Actions: New experiment (Ctrl+N, develop and up), Rename (F2,
// develop and up), Delete (Del, maintain and up; counts the jobs afresh and
// says how many go with it before asking). Widgets: "experimentsView".
class ExperimentsPane final : public Pane
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExperimentsPane)

public:
    explicit ExperimentsPane(QWidget *parent = nullptr);
    ~ExperimentsPane() override;

    void setWorkspace(const models::Workspace &workspace) override;
    void refresh() override;
    QList<Item> paletteItems() const override;
    void openItem(const QString &key) override;

    models::ExperimentsModel *model() const { return m_model; }

private:
    void updateState();
    void updateActions();
    void createExperiment();
    void renameCurrent();
    void deleteCurrent();
    int currentRow() const;

    models::Workspace m_workspace;
    models::ExperimentsModel *m_model;
    InlineMessage *m_message;
    QStackedWidget *m_stack;
    StatePage *m_state;
    QTableView *m_view;
    QAction *m_newAction;
    QAction *m_renameAction;
    QAction *m_deleteAction;
};

} // namespace pf::ui
