// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QHash>
#include <QTimer>

#include "api/jobstatus.h"
#include "ui/pane.h"

class QAction;
class QComboBox;
class QLineEdit;
class QSplitter;
class QStackedWidget;
class QTableView;
class QToolButton;

namespace pf::models {
class JobsFilterProxy;
class JobsModel;
} // namespace pf::models

namespace pf::ui {

class InlineMessage;
class JobDetail;
class StatePage;

// The Jobs section: the project's jobs in a table ("jobsTable") that loads
// pages as it scrolls and updates in place, a filter bar (status chips
// "statusChip_<state>", "jobsFilterText" for an exact job name,
// "jobsScopeFilter" mine/all, "jobsExperimentFilter"), sorting by any column,
// and the selected job in a JobDetail beside it.
//
// Actions (QWidget::actions(), also in the table's context menu): Stop
// (Ctrl+.; terminates started jobs, cancels the others), Delete (Del;
// finished jobs only), Refresh (Ctrl+R; the main window's F5 calls
// refresh()), Copy job number (Ctrl+C), Find (Ctrl+F, to the name filter).
// Stop and Delete ask first (MessageBox::confirm) and are enabled for what
// the server allows: developers for their own jobs, maintainers for anyone's.
class JobsPane final : public Pane
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobsPane)

public:
    explicit JobsPane(QWidget *parent = nullptr);
    ~JobsPane() override;

    void setWorkspace(const models::Workspace &workspace) override;
    void refresh() override;
    QList<Item> paletteItems() const override;
    void openItem(const QString &key) override;
    // Selects a job just submitted, once the model has it.
    void showNewJob(const api::Job &job);

    models::JobsModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    JobDetail *detail() const { return m_detail; }

    QAction *stopAction() const { return m_stop; }
    QAction *deleteAction() const { return m_delete; }
    QAction *refreshAction() const { return m_refresh; }
    QAction *copyNumberAction() const { return m_copyNumber; }
    QAction *cloneAction() const { return m_clone; }
    QAction *compareAction() const { return m_compare; }

Q_SIGNALS:
    void newJobRequested();
    void cloneRequested(const pf::api::Job &job);
    void compareRequested(const QList<pf::api::Job> &jobs);

protected:
    void changeEvent(QEvent *event) override;

private:
    QList<api::Job> selectedJobs() const;
    bool mayModify(const api::Job &job) const;
    void applyFilters();
    void updateActions();
    void updateState();
    void showCurrent();
    void stopSelected();
    void deleteSelected();
    void copyNumber();
    void loadExperiments();
    void updateChipIcons();
    void clearFilters();
    bool filtersActive() const;

    models::Workspace m_workspace;
    models::JobsModel *m_model;
    models::JobsFilterProxy *m_proxy;
    QHash<int, QToolButton *> m_chips; // by int(api::SimplifiedStatus)
    QLineEdit *m_text;
    QComboBox *m_scope;
    QComboBox *m_experiment;
    InlineMessage *m_message;
    QStackedWidget *m_stack;
    StatePage *m_state;
    QSplitter *m_splitter;
    QTableView *m_table;
    JobDetail *m_detail;
    QAction *m_stop;
    QAction *m_delete;
    QAction *m_refresh;
    QAction *m_copyNumber;
    QAction *m_find;
    QAction *m_newJob;
    QAction *m_clone;
    QAction *m_compare;
    QTimer m_textDebounce;
    quint64 m_generation = 0;
};

} // namespace pf::ui
