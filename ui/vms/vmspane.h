// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include "ui/pane.h"

class QAction;
class QLabel;
class QStackedWidget;
class QTableView;

namespace pf::models {
class VmsModel;
}

namespace pf::ui {

class StatePage;

// The VM types jobs can ask for, with this project's quota of each and how
// much of it running jobs hold, drawn as bars. Read-only for every role
// (quotas are the org owner's, set on the server). Action: Copy VM Code
// (Ctrl+C), for pasting into a job configuration. Widgets: "vmsView",
// "vmsSummary".
class VmsPane final : public Pane
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(VmsPane)

public:
    explicit VmsPane(QWidget *parent = nullptr);
    ~VmsPane() override;

    void setWorkspace(const models::Workspace &workspace) override;
    void refresh() override;
    QList<Item> paletteItems() const override;
    void openItem(const QString &key) override;

    models::VmsModel *model() const { return m_model; }

private:
    void updateState();
    void copyCode();

    models::Workspace m_workspace;
    models::VmsModel *m_model;
    QLabel *m_summary;
    QStackedWidget *m_stack;
    StatePage *m_state;
    QTableView *m_view;
    QAction *m_copyAction;
};

} // namespace pf::ui
