// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "jobdetail.h"

#include <QFontDatabase>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPointer>
#include <QTabWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "api/yamldocument.h"
#include "models/humanize.h"
#include "models/jobsmodel.h"
#include "ui/logs/logpanel.h"
#include "ui/metrics/metricspanel.h"
#include "ui/theme.h"

using namespace Qt::StringLiterals;

namespace pf::ui {

namespace {

QLabel *valueLabel(QWidget *parent, const QString &name)
{
    auto *l = new QLabel(parent);
    l->setObjectName(name);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    l->setWordWrap(true);
    return l;
}

QString orDash(const QString &s)
{
    return s.isEmpty() ? u"\u2014"_s : s;
}

} // namespace

JobDetail::JobDetail(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_subtitle(new QLabel(this))
    , m_tabs(new QTabWidget(this))
    , m_logs(new LogPanel(this))
    , m_metrics(new MetricsPanel(this))
{
    setObjectName(u"jobDetail"_s);
    m_title->setObjectName(u"jobDetailTitle"_s);
    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 1.25);
    big.setBold(true);
    m_title->setFont(big);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_subtitle->setObjectName(u"jobDetailSubtitle"_s);
    m_tabs->setObjectName(u"jobDetailTabs"_s);
    m_tabs->setDocumentMode(true);

    // Overview: the fields, then the config.
    auto *overview = new QWidget;
    overview->setObjectName(u"jobOverview"_s);
    auto *ov = new QVBoxLayout(overview);
    ov->setContentsMargins(4, 8, 4, 4);
    m_form = new QFormLayout;
    m_form->setLabelAlignment(Qt::AlignRight);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_status = valueLabel(overview, u"jobStatus"_s);
    m_experiment = valueLabel(overview, u"jobExperiment"_s);
    m_vm = valueLabel(overview, u"jobVm"_s);
    m_dataset = valueLabel(overview, u"jobDataset"_s);
    m_user = valueLabel(overview, u"jobUser"_s);
    m_created = valueLabel(overview, u"jobCreated"_s);
    m_started = valueLabel(overview, u"jobStarted"_s);
    m_finished = valueLabel(overview, u"jobFinished"_s);
    m_duration = valueLabel(overview, u"jobDuration"_s);
    m_progress = valueLabel(overview, u"jobProgress"_s);
    m_error = valueLabel(overview, u"jobError"_s);
    m_form->addRow(tr("Status"), m_status);
    m_form->addRow(tr("Experiment"), m_experiment);
    m_form->addRow(tr("VM"), m_vm);
    m_form->addRow(tr("Dataset"), m_dataset);
    m_form->addRow(tr("Submitted by"), m_user);
    m_form->addRow(tr("Created"), m_created);
    m_form->addRow(tr("Started"), m_started);
    m_form->addRow(tr("Finished"), m_finished);
    m_form->addRow(tr("Duration"), m_duration);
    m_form->addRow(tr("Progress"), m_progress);
    m_form->addRow(tr("Error"), m_error);
    ov->addLayout(m_form);
    auto *configLabel = new QLabel(tr("Submitted config"), overview);
    QFont bold = configLabel->font();
    bold.setBold(true);
    configLabel->setFont(bold);
    ov->addSpacing(6);
    ov->addWidget(configLabel);
    m_config = new QPlainTextEdit(overview);
    m_config->setObjectName(u"jobConfigYaml"_s);
    m_config->setReadOnly(true);
    m_config->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_config->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    ov->addWidget(m_config, 1);
    m_tabs->addTab(overview, tr("Overview"));

    const auto listTab = [this](QTreeWidget *&tree, QLabel *&note, const QString &name,
                                const QStringList &headers) {
        auto *page = new QWidget;
        auto *l = new QVBoxLayout(page);
        l->setContentsMargins(0, 4, 0, 0);
        tree = new QTreeWidget(page);
        tree->setObjectName(name);
        tree->setRootIsDecorated(false);
        tree->setHeaderLabels(headers);
        tree->setUniformRowHeights(true);
        tree->header()->setStretchLastSection(true);
        note = new QLabel(page);
        note->setObjectName(name + u"Note"_s);
        note->setWordWrap(true);
        note->setAlignment(Qt::AlignCenter);
        note->setEnabled(false);
        l->addWidget(note);
        l->addWidget(tree, 1);
        return page;
    };
    m_tabs->addTab(listTab(m_checkpoints, m_checkpointsNote, u"jobCheckpoints"_s,
                           {tr("Iteration"), tr("Created"), tr("Vendor"), tr("Region"), tr("Id")}),
                   tr("Checkpoints"));
    m_tabs->addTab(listTab(m_artifacts, m_artifactsNote, u"jobArtifacts"_s,
                           {tr("Name"), tr("Path"), tr("Modified"), tr("Type")}),
                   tr("Artifacts"));
    m_tabs->addTab(m_logs, tr("Logs"));
    // The log is followed only while its tab is shown (a websocket per job).
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int tab) {
        if (tab == LogsTab && hasJob())
            m_logs->setJob(m_job);
        if (tab == MetricsTab && hasJob())
            m_metrics->setJob(m_job);
    });
    m_tabs->addTab(m_metrics, tr("Metrics"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->addWidget(m_title);
    layout->addWidget(m_subtitle);
    layout->addWidget(m_tabs, 1);
    clear();
}

void JobDetail::setWorkspace(const models::Workspace &workspace)
{
    m_workspace = workspace;
    m_logs->setWorkspace(workspace);
    m_metrics->setWorkspace(workspace);
    clear();
}

void JobDetail::clear()
{
    ++m_generation;
    m_job = {};
    m_title->setText(tr("No job selected"));
    m_subtitle->setText(tr("Select a job to see its details."));
    m_tabs->setEnabled(false);
    m_config->clear();
    m_logs->clear();
    m_metrics->clear();
    m_checkpoints->clear();
    m_artifacts->clear();
    m_checkpointsNote->clear();
    m_artifactsNote->clear();
    for (QLabel *l : {m_status, m_experiment, m_vm, m_dataset, m_user, m_created, m_started,
                      m_finished, m_duration, m_progress, m_error})
        l->clear();
}

void JobDetail::setCurrentTab(Tab tab)
{
    m_tabs->setCurrentIndex(tab);
}

void JobDetail::setJob(const api::Job &job)
{
    const bool other = job.id != m_job.id;
    const bool statusChanged = job.status != m_job.status;
    m_job = job;
    m_tabs->setEnabled(true);
    showFields();
    if (other)
        m_config->setPlainText(api::toYaml(job.config));
    if (other && m_tabs->currentIndex() == LogsTab)
        m_logs->setJob(job);
    if (other && m_tabs->currentIndex() == MetricsTab)
        m_metrics->setJob(job);
    if (other || statusChanged)
        loadLists();
}

void JobDetail::showFields()
{
    const api::Job &j = m_job;
    m_title->setText(tr("#%1 %2").arg(j.number).arg(j.name));
    m_subtitle->setText(j.id);
    const auto simple = api::simplify(j.status);
    m_status->setText(u"<span style=\"color:%1\">\u25CF</span> %2 <span>(%3)</span>"_s.arg(
        statusColor(simple).name(), models::JobsModel::statusText(simple).toHtmlEscaped(),
        api::toString(j.status)));
    m_experiment->setText(orDash(j.experiment.name));
    const QString vm = j.vmConfig.vmConfigType.code;
    m_vm->setText(vm.isEmpty()
                      ? u"\u2014"_s
                      : tr("%1 \u00b7 %n device(s)", nullptr, j.numDesiredDevices).arg(vm));
    m_dataset->setText(j.dataStore ? j.dataStore->name : u"\u2014"_s);
    m_user->setText(orDash(j.user.username));
    m_created->setText(orDash(models::formatTime(j.createdAt)));
    m_started->setText(orDash(models::formatTime(j.startedAt)));
    m_finished->setText(orDash(models::formatTime(j.finishedAt)));
    qint64 seconds = -1;
    if (j.startedAt.isValid())
        seconds = j.startedAt.secsTo(j.finishedAt.isValid() ? j.finishedAt
                                                            : QDateTime::currentDateTimeUtc());
    m_duration->setText(orDash(models::formatDuration(seconds)));
    m_progress->setText(u"%1%"_s.arg(qRound(j.progress)));
    m_error->setText(j.errorMessage);
    m_form->setRowVisible(m_error, !j.errorMessage.isEmpty());
}

void JobDetail::loadLists()
{
    m_checkpoints->clear();
    m_artifacts->clear();
    if (!m_workspace.valid() || m_job.id.isEmpty())
        return;
    ++m_generation;
    const quint64 generation = m_generation;
    QPointer<JobDetail> self(this);
    m_checkpointsNote->setText(tr("Loading checkpoints\u2026"));
    m_workspace.api->jobCheckpoints(
        m_workspace.projectId, m_job.number,
        [self, generation](const network::Reply<QList<api::JobCheckpoint>> &r) {
            if (!self || generation != self->m_generation)
                return;
            if (!r.ok()) {
                self->m_checkpointsNote->setText(r.message());
            } else {
                for (const api::JobCheckpoint &c : r.value) {
                    auto *item =
                        new QTreeWidgetItem(self->m_checkpoints, {QString::number(c.iteration),
                                                                  models::formatTime(c.createdAt),
                                                                  c.vendor, c.region, c.id});
                    item->setTextAlignment(0, Qt::AlignRight | Qt::AlignVCenter);
                }
                self->m_checkpointsNote->setText(
                    r.value.isEmpty() ? tr("This job has saved no checkpoints.") : QString());
            }
            self->m_checkpointsNote->setVisible(!self->m_checkpointsNote->text().isEmpty());
            Q_EMIT self->checkpointsLoaded();
        });
    m_artifactsNote->setText(tr("Loading artifacts\u2026"));
    m_workspace.api->jobArtifacts(
        m_workspace.projectId, m_job.number,
        [self, generation](const network::Reply<QList<api::Artifact>> &r) {
            if (!self || generation != self->m_generation)
                return;
            if (!r.ok()) {
                self->m_artifactsNote->setText(r.message());
            } else {
                for (const api::Artifact &a : r.value)
                    new QTreeWidgetItem(self->m_artifacts,
                                        {a.name, a.path, models::formatTime(a.mtime), a.mimeType});
                self->m_artifactsNote->setText(
                    r.value.isEmpty() ? tr("This job has produced no artifacts.") : QString());
            }
            self->m_artifactsNote->setVisible(!self->m_artifactsNote->text().isEmpty());
            Q_EMIT self->artifactsLoaded();
        });
}

} // namespace pf::ui
