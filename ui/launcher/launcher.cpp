// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "launcher.h"

#include <QCloseEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QSettings>
#include <QSplitter>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

#include "api/yamldocument.h"
#include "api/yamledit.h"
#include "models/humanize.h"
#include "network/workspacezip.h"
#include "ui/launcher/jobform.h"
#include "ui/launcher/launchcatalog.h"
#include "ui/launcher/qsci.h"
#include "ui/launcher/yamleditor.h"
#include "ui/widgets/messagebox.h"
#include "ui/widgets/statepage.h"

namespace pf::ui {

namespace {

constexpr int kMaxRecent = 8;
constexpr qint64 kMaxFileBytes = 4 * 1024 * 1024; // a job file is a few KB
const QString kRecentKey = QStringLiteral("launcher/recentFiles");

int rank(const QString &path)
{
    const qsizetype i = Launcher::keyOrder().indexOf(path);
    return i < 0 ? int(Launcher::keyOrder().size()) : int(i);
}

// Writes every leaf of `value` below `path` into `yaml`, parents first and
// siblings in keyOrder(), so that a file built from nothing reads like one
// written by hand.
void writeOrdered(QString &yaml, const QString &path, const QJsonValue &value)
{
    if (!value.isObject() || value.toObject().isEmpty()) {
        if (const auto next = api::YamlEdit::set(yaml, path, value, Launcher::keyOrder()))
            yaml = *next;
        return;
    }
    const QJsonObject o = value.toObject();
    QStringList keys = o.keys();
    const QString prefix = path.isEmpty() ? QString() : path + u'.';
    std::stable_sort(keys.begin(), keys.end(), [&prefix](const QString &a, const QString &b) {
        return rank(prefix + a) < rank(prefix + b);
    });
    for (const QString &key : keys)
        writeOrdered(yaml, prefix + key, o.value(key));
}

QString issueCount(int errors, int warnings)
{
    if (errors == 0 && warnings == 0)
        return Launcher::tr("✓ Valid");
    QStringList parts;
    if (errors > 0)
        parts << (errors == 1 ? Launcher::tr("1 error") : Launcher::tr("%1 errors").arg(errors));
    if (warnings > 0)
        parts << (warnings == 1 ? Launcher::tr("1 warning")
                                : Launcher::tr("%1 warnings").arg(warnings));
    return parts.join(QStringLiteral(", "));
}

} // namespace

const QStringList &Launcher::keyOrder()
{
    static const QStringList order{
        QStringLiteral("experiment"),
        QStringLiteral("experiment_id"),
        QStringLiteral("name"),
        QStringLiteral("vm"),
        QStringLiteral("vm_config_id"),
        QStringLiteral("num_devices"),
        QStringLiteral("job_setting"),
        QStringLiteral("job_setting.type"),
        QStringLiteral("job_setting.template_id"),
        QStringLiteral("job_setting.model_config"),
        QStringLiteral("job_setting.docker"),
        QStringLiteral("job_setting.docker.image"),
        QStringLiteral("job_setting.docker.credential_id"),
        QStringLiteral("job_setting.docker.command"),
        QStringLiteral("job_setting.docker.command.setup"),
        QStringLiteral("job_setting.docker.command.run"),
        QStringLiteral("job_setting.docker.env_var"),
        QStringLiteral("job_setting.workspace"),
        QStringLiteral("job_setting.workspace.mount_path"),
        QStringLiteral("job_setting.launch_mode"),
        QStringLiteral("checkpoint"),
        QStringLiteral("checkpoint.input"),
        QStringLiteral("checkpoint.input.id"),
        QStringLiteral("checkpoint.input.mount_path"),
        QStringLiteral("checkpoint.output_checkpoint_dir"),
        QStringLiteral("data"),
        QStringLiteral("data.name"),
        QStringLiteral("data.id"),
        QStringLiteral("data.mount_path"),
        QStringLiteral("dist"),
        QStringLiteral("dist.dp_degree"),
        QStringLiteral("dist.pp_degree"),
        QStringLiteral("dist.mp_degree"),
        QStringLiteral("plugin"),
        QStringLiteral("plugin.wandb"),
        QStringLiteral("plugin.wandb.credential_id"),
        QStringLiteral("plugin.slack"),
        QStringLiteral("plugin.slack.credential_id"),
        QStringLiteral("plugin.slack.channel"),
    };
    return order;
}

QString Launcher::newJobYaml()
{
    return tr("# A job for this project. The form and this text stay in sync: hover a key\n"
              "# for help, and press Ctrl+Space to complete keys and values.\n"
              "\n"
              "# Jobs are grouped by experiment; a new name creates one.\n"
              "experiment: default\n"
              "\n"
              "# The VM type (devices and quota are in the form) and how many devices in all.\n"
              "vm:\n"
              "num_devices: 1\n"
              "\n"
              "job_setting:\n"
              "  type: custom\n"
              "  docker:\n"
              "    image: friendliai/periflow:sdk\n"
              "    # Runs on every node, in the workspace folder's parent.\n"
              "    command:\n"
              "  workspace:\n"
              "    mount_path: /workspace\n");
}

QString Launcher::cloneYaml(const api::Job &job)
{
    QJsonObject spec = job.config;
    // The file names things; the ids are the client's business again.
    if (!job.vmConfig.vmConfigType.code.isEmpty()) {
        spec.remove(u"vm_config_id");
        spec.insert(u"vm", job.vmConfig.vmConfigType.code);
    }
    if (spec.contains(u"experiment"))
        spec.remove(u"experiment_id");
    QJsonObject data = spec.value(u"data").toObject();
    if (data.contains(u"name")) {
        data.remove(u"id");
        spec.insert(u"data", data);
    }
    QJsonObject setting = spec.value(u"job_setting").toObject();
    if (setting.value(u"launch_mode").toString() == u"node")
        setting.remove(u"launch_mode");
    QJsonObject docker = setting.value(u"docker").toObject();
    const QJsonObject command = docker.value(u"command").toObject();
    if (command.value(u"setup").toString().isEmpty() && command.contains(u"run"))
        docker.insert(u"command", command.value(u"run"));
    if (!docker.isEmpty())
        setting.insert(u"docker", docker);
    if (!setting.isEmpty())
        spec.insert(u"job_setting", setting);

    QString yaml = tr("# A copy of job #%1%2, ready to edit.\n\n")
                       .arg(job.number)
                       .arg(job.name.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(job.name));
    writeOrdered(yaml, QString(), spec);
    return yaml;
}

QStringList Launcher::recentFiles()
{
    return QSettings().value(kRecentKey).toStringList();
}

Launcher::Launcher(const models::Workspace &workspace, QWidget *parent)
    : QWidget(parent, Qt::Window)
    , m_workspace(workspace)
    , m_catalog(new LaunchCatalog(this))
    , m_form(new JobForm(m_catalog))
    , m_editor(new YamlEditor)
    , m_splitter(new QSplitter(Qt::Horizontal))
    , m_issuesButton(new QToolButton)
    , m_submit(new QPushButton(tr("Submit")))
    , m_progress(new QProgressBar)
    , m_progressLabel(new QLabel)
    , m_cancel(new QPushButton(tr("Cancel")))
    , m_message(new InlineMessage)
    , m_recent(new QMenu(tr("Open &Recent"), this))
{
    setObjectName(QStringLiteral("launcher"));
    setAttribute(Qt::WA_DeleteOnClose);
    resize(1280, 820);

    auto *toolbar = new QToolBar;
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    QAction *openAction = toolbar->addAction(tr("Open…"), this, &Launcher::open);
    openAction->setShortcut(QKeySequence::Open);
    QAction *saveAction = toolbar->addAction(tr("Save"), this, &Launcher::save);
    saveAction->setShortcut(QKeySequence::Save);
    QAction *saveAsAction = toolbar->addAction(tr("Save As…"), this, &Launcher::saveAs);
    saveAsAction->setShortcut(QKeySequence::SaveAs);
    auto *recentButton = new QToolButton;
    recentButton->setText(tr("Recent"));
    recentButton->setObjectName(QStringLiteral("recentFiles"));
    recentButton->setMenu(m_recent);
    recentButton->setPopupMode(QToolButton::InstantPopup);
    toolbar->addWidget(recentButton);
    for (QAction *action : toolbar->actions())
        action->setShortcutContext(Qt::WindowShortcut);
    connect(m_recent, &QMenu::aboutToShow, this, &Launcher::fillRecent);
    auto *spacer = new QWidget;
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    toolbar->addWidget(spacer);
    m_issuesButton->setObjectName(QStringLiteral("issues"));
    m_issuesButton->setAutoRaise(true);
    m_issuesButton->setToolTip(tr("Go to the first problem"));
    toolbar->addWidget(m_issuesButton);
    m_submit->setObjectName(QStringLiteral("submit"));
    m_submit->setDefault(true);
    m_submit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_submit->setEnabled(false);
    toolbar->addWidget(m_submit);

    m_splitter->addWidget(m_form);
    m_splitter->addWidget(m_editor);
    m_splitter->setStretchFactor(0, 5);
    m_splitter->setStretchFactor(1, 6);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setSizes({560, 720});

    auto *progressRow = new QWidget;
    progressRow->setObjectName(QStringLiteral("submitProgress"));
    auto *progressLayout = new QHBoxLayout(progressRow);
    progressLayout->setContentsMargins(12, 4, 12, 4);
    progressLayout->addWidget(m_progressLabel);
    progressLayout->addWidget(m_progress, 1);
    progressLayout->addWidget(m_cancel);
    progressRow->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(toolbar);
    layout->addWidget(m_message);
    layout->addWidget(m_splitter, 1);
    layout->addWidget(progressRow);
    m_message->hide();

    m_editor->setValueSource([this](const QString &path) { return m_catalog->values(path); });
    connect(m_form, &JobForm::edited, this, &Launcher::formEdited);
    connect(m_form, &JobForm::workspacePlanned, this, &Launcher::updateSubmit);
    connect(m_editor, &YamlEditor::checked, this, &Launcher::checked);
    connect(m_editor->editor(), &QsciScintilla::textChanged, this, [this] {
        m_rejections.clear(); // the server judged other text
        updateTitle();
        updateSubmit();
    });
    connect(m_editor->editor(), &QsciScintilla::modificationChanged, this, &Launcher::updateTitle);
    connect(m_catalog, &LaunchCatalog::changed, this, &Launcher::updateIssues);
    connect(m_issuesButton, &QToolButton::clicked, this, &Launcher::goToFirstIssue);
    connect(m_submit, &QPushButton::clicked, this, &Launcher::submit);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_zip)
            m_zip->cancel();
    });

    m_catalog->setWorkspace(workspace);
    setYaml(newJobYaml(), tr("New job"));
}

Launcher::~Launcher()
{
    if (!m_zipPath.isEmpty())
        QFile::remove(m_zipPath);
}

void Launcher::setYaml(const QString &yaml, const QString &title)
{
    m_path.clear();
    m_title = title;
    m_editor->setText(yaml);
    m_editor->editor()->setModified(false);
    m_editor->checkNow();
    updateTitle();
}

bool Launcher::openFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        m_message->showError(tr("Could not open %1: %2").arg(path, file.errorString()));
        return false;
    }
    if (file.size() > kMaxFileBytes) {
        m_message->showError(tr("%1 is %2; a job file is at most %3.")
                                 .arg(QFileInfo(path).fileName(), models::formatBytes(file.size()),
                                      models::formatBytes(kMaxFileBytes)));
        return false;
    }
    const QByteArray bytes = file.readAll();
    const QString text = QString::fromUtf8(bytes);
    if (text.toUtf8() != bytes && !bytes.startsWith("\xEF\xBB\xBF")) {
        m_message->showError(tr("%1 is not UTF-8 text.").arg(QFileInfo(path).fileName()));
        return false;
    }
    m_message->hide();
    setYaml(text, QFileInfo(path).fileName());
    m_path = QFileInfo(path).absoluteFilePath();
    addRecent(m_path);
    updateTitle();
    return true;
}

bool Launcher::saveFile(const QString &path)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(m_editor->text().toUtf8()) < 0 ||
        !file.commit()) {
        m_message->showError(tr("Could not save %1: %2").arg(path, file.errorString()));
        return false;
    }
    m_path = QFileInfo(path).absoluteFilePath();
    m_title = QFileInfo(path).fileName();
    m_editor->editor()->setModified(false);
    addRecent(m_path);
    updateTitle();
    return true;
}

bool Launcher::isModified() const
{
    return m_editor->editor()->isModified();
}

void Launcher::setWorkspaceFolder(const QString &folder)
{
    m_form->setWorkspaceFolder(folder);
    updateSubmit();
}

void Launcher::open()
{
    if (isModified() &&
        !MessageBox::confirm(this, tr("Open a job file"),
                             tr("Discard the changes to %1?").arg(m_title), tr("Discard")))
        return;
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open a job file"), QFileInfo(m_path).path(), tr("Job files (*.yml *.yaml)"));
    if (!path.isEmpty())
        openFile(path);
}

bool Launcher::save()
{
    return m_path.isEmpty() ? saveAs() : saveFile(m_path);
}

bool Launcher::saveAs()
{
    QString path = QFileDialog::getSaveFileName(
        this, tr("Save the job file"), m_path.isEmpty() ? QStringLiteral("job.yml") : m_path,
        tr("Job files (*.yml *.yaml)"));
    if (path.isEmpty())
        return false;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".yml");
    return saveFile(path);
}

void Launcher::fillRecent()
{
    m_recent->clear();
    const QStringList files = recentFiles();
    if (files.isEmpty()) {
        m_recent->addAction(tr("No recent files"))->setEnabled(false);
        return;
    }
    for (const QString &path : files) {
        QAction *action = m_recent->addAction(QFileInfo(path).fileName(), this, [this, path] {
            if (isModified() &&
                !MessageBox::confirm(this, tr("Open a job file"),
                                     tr("Discard the changes to %1?").arg(m_title), tr("Discard")))
                return;
            openFile(path);
        });
        action->setToolTip(path);
        action->setEnabled(QFileInfo::exists(path));
    }
}

void Launcher::addRecent(const QString &path)
{
    QStringList files = recentFiles();
    files.removeAll(path);
    files.prepend(path);
    while (files.size() > kMaxRecent)
        files.removeLast();
    QSettings().setValue(kRecentKey, files);
}

void Launcher::updateTitle()
{
    setWindowTitle(tr("%1%2 — New job in %3")
                       .arg(m_title, isModified() ? QStringLiteral(" •") : QString(),
                            m_workspace.projectName));
}

void Launcher::closeEvent(QCloseEvent *event)
{
    if (isModified() && !m_submitting &&
        !MessageBox::confirm(this, tr("Close the launcher"),
                             tr("Discard the changes to %1?").arg(m_title), tr("Discard"))) {
        event->ignore();
        return;
    }
    if (m_zip)
        m_zip->cancel();
    event->accept();
}

void Launcher::formEdited(const QString &path, const QJsonValue &value)
{
    const QString text = m_editor->text();
    const std::optional<QString> next = value.isUndefined()
                                            ? api::YamlEdit::remove(text, path)
                                            : api::YamlEdit::set(text, path, value, keyOrder());
    if (next)
        m_editor->replaceText(*next);
}

void Launcher::checked()
{
    const api::YamlDocument &doc = m_editor->document();
    if (!doc.isParsed()) {
        const api::SpecIssue first = m_editor->issues().value(0);
        m_form->setEditable(false, tr("Line %1 of the YAML: %2 The form follows once the YAML "
                                      "reads again.")
                                       .arg(first.line)
                                       .arg(first.message));
    } else {
        m_form->setEditable(true);
        m_form->setSpec(doc.json().toObject());
    }
    updateIssues();
    if (m_submitWhenChecked) {
        m_submitWhenChecked = false;
        submit();
    }
}

void Launcher::updateIssues()
{
    if (!m_editor->isChecked())
        return;
    const api::YamlDocument &doc = m_editor->document();
    QList<api::SpecIssue> extra;
    const auto place = [&doc](const api::FieldError &e, bool warning) {
        const api::YamlDocument::Position at = doc.valuePosition(e.path);
        return api::SpecIssue{e.path, QStringLiteral("`%1` %2").arg(e.path, e.message),
                              std::max(1, at.line), std::max(1, at.column),
                              warning ? api::SpecIssue::Warning : api::SpecIssue::Error};
    };
    if (doc.isParsed()) {
        for (const LaunchCatalog::Problem &p : m_catalog->check(doc.json().toObject()))
            extra.append(place(p.error, p.warning));
    }
    for (const api::FieldError &e : std::as_const(m_rejections))
        extra.append(place(e, false));
    m_editor->setExtraIssues(extra);
    const QList<api::SpecIssue> all = m_editor->allIssues();
    m_form->setIssues(all);
    const int errors = int(std::count_if(all.begin(), all.end(), [](const api::SpecIssue &i) {
        return i.severity == api::SpecIssue::Error;
    }));
    m_issuesButton->setText(issueCount(errors, int(all.size()) - errors));
    updateSubmit();
}

void Launcher::updateSubmit()
{
    const network::WorkspacePlan &plan = m_form->workspacePlan();
    if (m_submitting)
        m_blocked = tr("Submitting…");
    else if (!m_workspace.valid())
        m_blocked = tr("Not signed in to a project.");
    else if (!m_workspace.atLeast(api::ProjectRole::Develop))
        m_blocked = tr("Your role in %1 cannot start jobs.").arg(m_workspace.projectName);
    else if (!m_editor->isChecked())
        m_blocked = tr("Checking…");
    else if (!m_editor->isValid())
        m_blocked = tr("Fix the errors first.");
    else if (m_form->isPlanning())
        m_blocked = tr("Listing the workspace folder…");
    else if (!m_form->workspaceFolder().isEmpty() && !plan.ok())
        m_blocked = plan.error;
    else
        m_blocked.clear();
    m_submit->setEnabled(m_blocked.isEmpty());
    m_submit->setToolTip(m_blocked.isEmpty() ? tr("Submit the job (Ctrl+Return)") : m_blocked);
}

void Launcher::goToFirstIssue()
{
    const QList<api::SpecIssue> all = m_editor->allIssues();
    if (all.isEmpty())
        return;
    m_editor->goTo(all.first().line, all.first().column);
}

void Launcher::submit()
{
    if (m_submitting)
        return;
    if (!m_editor->isChecked()) {
        m_submitWhenChecked = true;
        m_editor->checkNow();
        return;
    }
    updateSubmit();
    if (!m_blocked.isEmpty())
        return;
    m_message->hide();
    m_submitting = true;
    updateSubmit();
    m_progress->parentWidget()->show();
    m_progress->setValue(0);
    m_cancel->setEnabled(true);
    const QString folder = m_form->workspaceFolder();
    if (folder.isEmpty()) {
        post({});
        return;
    }
    // The folder as it is now, not as it was when chosen.
    const network::WorkspacePlan plan = network::WorkspaceZip::plan(folder);
    if (!plan.ok()) {
        finishSubmit(plan.error);
        return;
    }
    m_progressLabel->setText(
        tr("Zipping the workspace (%1)…").arg(models::formatBytes(plan.totalBytes)));
    m_zip = new network::WorkspaceZip(this);
    connect(m_zip, &network::WorkspaceZip::progress, this, [this](qint64 done, qint64 total) {
        m_progress->setValue(total > 0 ? int(done * 50 / total) : 50);
    });
    connect(m_zip, &network::WorkspaceZip::finished, this,
            [this](const QString &zipPath, const QString &error) {
                m_zip->deleteLater();
                if (zipPath.isEmpty()) {
                    finishSubmit(error);
                    return;
                }
                m_zipPath = zipPath;
                post(zipPath);
            });
    m_zip->start(plan);
}

void Launcher::post(const QString &zipPath)
{
    m_cancel->setEnabled(false);
    const QJsonObject spec = m_editor->document().json().toObject();
    QPointer<Launcher> self(this);
    const auto done = [self](const network::Reply<api::Job> &r) {
        if (!self)
            return;
        if (!self->m_zipPath.isEmpty()) {
            QFile::remove(self->m_zipPath);
            self->m_zipPath.clear();
        }
        if (!r.ok()) {
            const QJsonObject body = r.result.json.object();
            QList<api::FieldError> errors;
            for (const QJsonValue &e : body.value(u"errors").toArray())
                errors.append({e.toObject().value(u"path").toString(),
                               e.toObject().value(u"message").toString()});
            self->setRejections(errors);
            self->finishSubmit(tr("The server refused the job: %1").arg(r.message()));
            return;
        }
        self->finishSubmit({});
        self->m_message->showInfo(tr("Job #%1 submitted.").arg(r.value.number));
        Q_EMIT self->submitted(r.value);
    };
    if (zipPath.isEmpty()) {
        m_progressLabel->setText(tr("Submitting…"));
        m_progress->setRange(0, 0);
        m_workspace.api->createJob(m_workspace.projectId, spec, done);
        return;
    }
    m_progressLabel->setText(tr("Uploading the workspace…"));
    m_workspace.api->createJobWithWorkspace(
        m_workspace.projectId, spec, zipPath,
        [self](qint64 sent, qint64 total) {
            if (self && total > 0)
                self->m_progress->setValue(50 + int(sent * 50 / total));
        },
        done);
}

void Launcher::finishSubmit(const QString &error)
{
    m_submitting = false;
    m_zip = nullptr;
    m_progress->setRange(0, 100);
    m_progress->parentWidget()->hide();
    if (!error.isEmpty())
        m_message->showError(error);
    updateSubmit();
}

void Launcher::setRejections(const QList<api::FieldError> &errors)
{
    m_rejections = errors;
    updateIssues();
    if (!errors.isEmpty()) {
        if (QWidget *field = m_form->fieldFor(errors.first().path))
            m_form->ensureWidgetVisible(field);
        goToFirstIssue();
    }
}

} // namespace pf::ui
