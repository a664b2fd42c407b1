// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QPointer>
#include <QScrollArea>

#include "api/jobspec.h"
#include "network/workspacezip.h"

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QSpinBox;
class QTableWidget;

namespace pf::ui {

class InlineMessage;
class LaunchCatalog;

// The launcher's form view of a job file: one widget per setting a custom job
// has, each bound to its path in the spec. It never holds a spec of its own:
// setSpec() shows the JSON of the YAML view, and every change the user makes
// is reported as edited(path, value) for the launcher to write into the YAML
// (api::YamlEdit), whose next check comes back through setSpec(). A widget
// is only written when it does not show the value already, so the caret of a
// field being typed in stays put.
//
// Problems (setIssues) appear under the field their path belongs to; those
// of no field in a list at the top. The workspace folder is not part of the
// spec (pf job run's -d): the form shows what would be sent from it.
// objectName "jobForm"; fields are named after their setting ("vm",
// "numDevices", "image", "setupCommand", ...).
class JobForm final : public QScrollArea
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobForm)

public:
    explicit JobForm(LaunchCatalog *catalog, QWidget *parent = nullptr);
    ~JobForm() override;

    // The spec to show (the YAML's JSON; not necessarily valid).
    void setSpec(const QJsonObject &spec);
    void setIssues(const QList<api::SpecIssue> &issues);
    // Off while the YAML cannot be read: the form shows `why` and takes no edits.
    void setEditable(bool editable, const QString &why = {});

    void setWorkspaceFolder(const QString &folder);
    QString workspaceFolder() const { return m_folder; }
    // What the folder would send; folder empty while none is chosen or it is
    // still being listed.
    const network::WorkspacePlan &workspacePlan() const { return m_plan; }
    bool isPlanning() const { return m_planning; }

    // The widget that shows `path`'s setting (nullptr for none), for taking
    // the user to a problem.
    QWidget *fieldFor(const QString &path) const;

Q_SIGNALS:
    // The user changed the setting at `path`; an undefined value removes it.
    void edited(const QString &path, const QJsonValue &value);
    // The plan of the workspace folder is known (or the folder was cleared).
    void workspacePlanned();

private:
    struct Field
    {
        QWidget *widget = nullptr;
        QLabel *problem = nullptr;
    };

    QWidget *addRow(QFormLayout *form, const QString &label, QWidget *widget, const QString &key);
    void fillChoices();
    void showNodes();
    void showEnv(const QJsonObject &env);
    void envEdited();
    void commandEdited();
    void distToggled(bool on);
    void chooseFolder();
    void showPlan();
    QString fieldKeyFor(const QString &path) const;

    LaunchCatalog *m_catalog;
    QJsonObject m_spec;
    bool m_updating = false;
    InlineMessage *m_banner;
    QLabel *m_otherProblems;
    QComboBox *m_experiment;
    QLineEdit *m_name;
    QComboBox *m_vm;
    QSpinBox *m_devices;
    QLabel *m_nodes;
    QLineEdit *m_image;
    QComboBox *m_registryCredential;
    QPlainTextEdit *m_setup;
    QPlainTextEdit *m_run;
    QTableWidget *m_env;
    QJsonObject m_shownEnv;
    QLineEdit *m_folderEdit;
    QLabel *m_planSummary;
    QListWidget *m_planFiles;
    QLineEdit *m_workspaceMount;
    QComboBox *m_dataset;
    QLineEdit *m_dataMount;
    QComboBox *m_inputCheckpoint;
    QLineEdit *m_inputMount;
    QLineEdit *m_outputDir;
    QCheckBox *m_dist;
    QSpinBox *m_dp;
    QSpinBox *m_pp;
    QSpinBox *m_mp;
    QComboBox *m_wandb;
    QComboBox *m_slack;
    QLineEdit *m_slackChannel;
    QWidget *m_customOnly;
    QHash<QString, Field> m_fields; // by key: a path or a path prefix
    QList<QLabel *> m_labels;
    QString m_folder;
    network::WorkspacePlan m_plan;
    bool m_planning = false;
    int m_planGeneration = 0;
};

} // namespace pf::ui
