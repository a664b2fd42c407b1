// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QWidget>

#include "api/job.h"
#include "models/workspace.h"

class QFormLayout;
class QLabel;
class QPlainTextEdit;
class QTabWidget;
class QTreeWidget;

namespace pf::ui {

class LogPanel;
class MetricsPanel;

// One job in full, beside the jobs table (objectName "jobDetail"): tabs
// Overview (its fields and the submitted config as YAML, "jobConfigYaml"),
// Checkpoints ("jobCheckpoints"), Artifacts ("jobArtifacts"), Logs
// (LogPanel) and Metrics (MetricsPanel). Checkpoints and artifacts are read
// when another job is shown or the shown job's status changes; answers for a
// job no longer shown are dropped. The log and the metrics are followed only
// while their tab is shown.

class JobDetail final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobDetail)

public:
    enum Tab { OverviewTab, CheckpointsTab, ArtifactsTab, LogsTab, MetricsTab, TabCount };

    explicit JobDetail(QWidget *parent = nullptr);

    void setWorkspace(const models::Workspace &workspace);
    // The same job again (a live update) refreshes the fields only.
    void setJob(const api::Job &job);
    void clear();
    bool hasJob() const { return !m_job.id.isEmpty(); }
    const api::Job &job() const { return m_job; }
    void setCurrentTab(Tab tab);
    LogPanel *logs() const { return m_logs; }
    MetricsPanel *metrics() const { return m_metrics; }

Q_SIGNALS:
    void checkpointsLoaded();
    void artifactsLoaded();

private:
    void showFields();
    void loadLists();

    models::Workspace m_workspace;
    api::Job m_job;
    quint64 m_generation = 0;
    QLabel *m_title;
    QLabel *m_subtitle;
    QTabWidget *m_tabs;
    LogPanel *m_logs;
    MetricsPanel *m_metrics;
    QFormLayout *m_form;
    QLabel *m_status;
    QLabel *m_experiment;
    QLabel *m_vm;
    QLabel *m_dataset;
    QLabel *m_user;
    QLabel *m_created;
    QLabel *m_started;
    QLabel *m_finished;
    QLabel *m_duration;
    QLabel *m_progress;
    QLabel *m_error;
    QPlainTextEdit *m_config;
    QTreeWidget *m_checkpoints;
    QLabel *m_checkpointsNote;
    QTreeWidget *m_artifacts;
    QLabel *m_artifactsNote;
};

} // namespace pf::ui
