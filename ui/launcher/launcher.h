// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QList>
#include <QPointer>
#include <QStringList>
#include <QWidget>

#include "api/apierror.h"
#include "api/job.h"
#include "models/workspace.h"

class QAction;
class QLabel;
class QMenu;
class QProgressBar;
class QPushButton;
class QSplitter;
class QToolButton;

namespace pf::network {
class WorkspaceZip;
}

namespace pf::ui {

class InlineMessage;
class JobForm;
class LaunchCatalog;
class YamlEditor;

// "New job": a window with the job's form and its YAML side by side, kept in
// sync. The YAML is the spec: a form edit rewrites the one node it changes
// (api::YamlEdit), so comments and order survive; each check of the YAML
// (YamlEditor, off the GUI thread) refreshes the form. Beyond the schema the
// spec is checked against the project's lists (LaunchCatalog::check), and a
// rejection by the server lands on its line and field. Submit is enabled
// only while the spec is valid; it zips the workspace folder (if one is
// chosen) with progress, posts the job and reports submitted().
//
// Files: Open, Save, Save As and a recent list (QSettings
// "launcher/recentFiles"); closing with unsaved changes asks first.
// objectName "launcher".
class Launcher final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Launcher)

public:
    explicit Launcher(const models::Workspace &workspace, QWidget *parent = nullptr);
    ~Launcher() override;

    // Starts from `yaml` (a clone, a template); the text is unsaved.
    void setYaml(const QString &yaml, const QString &title);
    bool openFile(const QString &path);
    bool saveFile(const QString &path);
    QString filePath() const { return m_path; }
    bool isModified() const;
    void setWorkspaceFolder(const QString &folder);

    JobForm *form() const { return m_form; }
    YamlEditor *editor() const { return m_editor; }
    LaunchCatalog *catalog() const { return m_catalog; }
    QPushButton *submitButton() const { return m_submit; }
    // Why Submit is off ("" while it is on).
    QString blockedReason() const { return m_blocked; }

    void submit();

    // The job's stored config as a job file to edit: names instead of the
    // ids clients fill in, keys in the order of a job file.
    static QString cloneYaml(const api::Job &job);
    // The order keys are added in (full paths), that of the docs' template.
    static const QStringList &keyOrder();
    static QStringList recentFiles();
    // A fresh job file (comments and the settings every custom job has).
    static QString newJobYaml();

Q_SIGNALS:
    void submitted(const pf::api::Job &job);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void formEdited(const QString &path, const QJsonValue &value);
    void checked();
    void updateIssues();
    void updateSubmit();
    void updateTitle();
    void open();
    bool save();
    bool saveAs();
    void fillRecent();
    void addRecent(const QString &path);
    void goToFirstIssue();
    void post(const QString &zipPath);
    void finishSubmit(const QString &error);
    void setRejections(const QList<api::FieldError> &errors);

    models::Workspace m_workspace;
    LaunchCatalog *m_catalog;
    JobForm *m_form;
    YamlEditor *m_editor;
    QSplitter *m_splitter;
    QToolButton *m_issuesButton;
    QPushButton *m_submit;
    QProgressBar *m_progress;
    QLabel *m_progressLabel;
    QPushButton *m_cancel;
    InlineMessage *m_message;
    QMenu *m_recent;
    QString m_path;
    QString m_title;
    QString m_blocked;
    QList<api::FieldError> m_rejections; // the server's, until the text changes
    bool m_submitting = false;
    bool m_submitWhenChecked = false;
    QPointer<network::WorkspaceZip> m_zip;
    QString m_zipPath;
};

} // namespace pf::ui
