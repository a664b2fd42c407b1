// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "jobspane.h"

#include <memory>

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QMenu>
#include <QPainter>
#include <QPointer>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include "models/jobsfilterproxy.h"
#include "models/jobsmodel.h"
#include "ui/jobs/jobdetail.h"
#include "ui/jobs/progressdelegate.h"
#include "ui/jobs/statusdelegate.h"
#include "ui/theme.h"
#include "ui/widgets/messagebox.h"
#include "ui/widgets/statepage.h"

Q_LOGGING_CATEGORY(lcJobsPane, "pf.ui.jobs")

using namespace Qt::StringLiterals;

namespace pf::ui {

using models::JobsModel;

namespace {

QStringList apiStatusesOf(api::SimplifiedStatus simple)
{
    QStringList out;
    for (const api::JobStatus s : api::allJobStatuses) {
        if (api::simplify(s) == simple)
            out << api::toString(s);
    }
    return out;
}

bool notStarted(api::JobStatus s)
{
    return s == api::JobStatus::Waiting || s == api::JobStatus::Enqueued;
}

bool stoppable(api::JobStatus s)
{
    return !api::isTerminal(s) && s != api::JobStatus::Cancelling &&
           s != api::JobStatus::Terminating;
}

QAction *makeAction(QWidget *owner, const QString &name, const QString &text,
                    const QKeySequence &keys)
{
    auto *a = new QAction(text, owner);
    a->setObjectName(name);
    a->setShortcut(keys);
    a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    owner->addAction(a);
    return a;
}

} // namespace

JobsPane::JobsPane(QWidget *parent)
    : Pane(parent)
    , m_model(new JobsModel(this))
    , m_proxy(new models::JobsFilterProxy(this))
    , m_text(new QLineEdit(this))
    , m_scope(new QComboBox(this))
    , m_experiment(new QComboBox(this))
    , m_message(new InlineMessage(this))
    , m_stack(new QStackedWidget(this))
    , m_state(new StatePage(this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_table(new QTableView(this))
    , m_detail(new JobDetail(this))
{
    setObjectName(u"jobsPane"_s);
    m_proxy->setSourceModel(m_model);

    // Actions first: the buttons show them.
    m_stop =
        makeAction(this, u"actionStopJobs"_s, tr("Stop"), QKeySequence(Qt::CTRL | Qt::Key_Period));
    m_stop->setToolTip(tr("Stop the selected jobs (Ctrl+.)"));
    m_delete = makeAction(this, u"actionDeleteJobs"_s, tr("Delete"), QKeySequence::Delete);
    m_delete->setToolTip(tr("Delete the selected finished jobs (Del)"));
    m_refresh =
        makeAction(this, u"actionRefreshJobs"_s, tr("Refresh"), QKeySequence(Qt::CTRL | Qt::Key_R));
    m_refresh->setToolTip(tr("Reload the jobs (Ctrl+R, F5)"));
    m_copyNumber =
        makeAction(this, u"actionCopyJobNumber"_s, tr("Copy job number"), QKeySequence::Copy);
    m_find = makeAction(this, u"actionFindJobs"_s, tr("Filter by name"), QKeySequence::Find);
    m_newJob = makeAction(this, u"actionNewJob"_s, tr("New job…"), {});
    m_newJob->setToolTip(tr("Open the launcher (Ctrl+N)"));
    m_clone = makeAction(this, u"actionCloneJob"_s, tr("Clone…"),
                         QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    m_clone->setToolTip(tr("Open the selected job's config in the launcher (Ctrl+Shift+C)"));
    m_compare = makeAction(this, u"actionCompareJobs"_s, tr("Compare"),
                           QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
    m_compare->setToolTip(tr("Overlay the selected jobs' metrics (Ctrl+Shift+M)"));
    connect(m_compare, &QAction::triggered, this, [this] {
        const QList<api::Job> jobs = selectedJobs();
        if (jobs.size() >= 2)
            Q_EMIT compareRequested(jobs);
    });
    connect(m_newJob, &QAction::triggered, this, &JobsPane::newJobRequested);
    connect(m_clone, &QAction::triggered, this, [this] {
        const QList<api::Job> jobs = selectedJobs();
        if (jobs.size() == 1)
            Q_EMIT cloneRequested(jobs.first());
    });
    connect(m_stop, &QAction::triggered, this, &JobsPane::stopSelected);
    connect(m_delete, &QAction::triggered, this, &JobsPane::deleteSelected);
    connect(m_refresh, &QAction::triggered, this, &JobsPane::refresh);
    connect(m_copyNumber, &QAction::triggered, this, &JobsPane::copyNumber);
    connect(m_find, &QAction::triggered, this, [this] {
        m_text->setFocus();
        m_text->selectAll();
    });

    // Filter bar: chips on one row, the rest and the actions on another.
    auto *chips = new QHBoxLayout;
    chips->setSpacing(4);
    for (const api::SimplifiedStatus s : api::allSimplifiedStatuses) {
        auto *chip = new QToolButton(this);
        chip->setObjectName(u"statusChip_"_s + api::toString(s));
        chip->setProperty("chip", true);
        chip->setCheckable(true);
        chip->setText(JobsModel::statusText(s));
        chip->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        chip->setToolTip(
            tr("Show %1 jobs (%2)")
                .arg(JobsModel::statusText(s).toLower(), apiStatusesOf(s).join(u", ")));
        connect(chip, &QToolButton::toggled, this, &JobsPane::applyFilters);
        m_chips.insert(int(s), chip);
        chips->addWidget(chip);
    }
    chips->addStretch(1);

    m_text->setObjectName(u"jobsFilterText"_s);
    m_text->setPlaceholderText(tr("Job name (exact match)"));
    m_text->setClearButtonEnabled(true);
    m_text->setMinimumWidth(180);
    m_text->setMaximumWidth(360);
    m_textDebounce.setSingleShot(true);
    m_textDebounce.setInterval(400);
    connect(m_text, &QLineEdit::textEdited, this, [this] { m_textDebounce.start(); });
    connect(m_text, &QLineEdit::returnPressed, this, &JobsPane::applyFilters);
    connect(&m_textDebounce, &QTimer::timeout, this, &JobsPane::applyFilters);
    m_scope->setObjectName(u"jobsScopeFilter"_s);
    m_scope->addItem(tr("All jobs"));
    m_scope->addItem(tr("My jobs"));
    connect(m_scope, &QComboBox::currentIndexChanged, this, &JobsPane::applyFilters);
    m_experiment->setObjectName(u"jobsExperimentFilter"_s);
    m_experiment->addItem(tr("All experiments"), qint64(0));
    m_experiment->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(m_experiment, &QComboBox::currentIndexChanged, this, [this] {
        m_proxy->setExperimentId(m_experiment->currentData().toLongLong());
        updateState();
    });

    const auto button = [this](QAction *a) {
        auto *b = new QToolButton(this);
        b->setDefaultAction(a);
        b->setObjectName(a->objectName() + u"Button"_s);
        return b;
    };
    auto *bar = new QHBoxLayout;
    bar->setSpacing(6);
    bar->addWidget(m_text, 1);
    bar->addWidget(m_scope);
    bar->addWidget(m_experiment);
    bar->addStretch(1);
    bar->addWidget(button(m_newJob));
    bar->addWidget(button(m_clone));
    bar->addWidget(button(m_compare));
    bar->addWidget(button(m_stop));
    bar->addWidget(button(m_delete));
    bar->addWidget(button(m_refresh));

    // The table.
    m_table->setObjectName(u"jobsTable"_s);
    m_table->setModel(m_proxy);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->verticalHeader()->hide();
    // Fixed row heights: the view never measures 100,000 rows.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 10);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->setItemDelegateForColumn(JobsModel::StatusColumn, new StatusDelegate(m_table));
    m_table->setItemDelegateForColumn(JobsModel::ProgressColumn, new ProgressDelegate(m_table));
    const QFontMetrics fm = m_table->fontMetrics();
    const auto width = [&](const QString &sample) { return fm.horizontalAdvance(sample) + 24; };
    m_table->setColumnWidth(JobsModel::NumberColumn, width(u"00000"_s));
    m_table->setColumnWidth(JobsModel::NameColumn, width(u"resnet50-baseline-x"_s));
    m_table->setColumnWidth(JobsModel::StatusColumn, width(u"Allocating"_s) + 18);
    m_table->setColumnWidth(JobsModel::ExperimentColumn, width(u"experiment"_s));
    m_table->setColumnWidth(JobsModel::VmColumn, width(u"local-cpu-2c"_s));
    m_table->setColumnWidth(JobsModel::DevicesColumn, width(u"Devices"_s));
    m_table->setColumnWidth(JobsModel::UserColumn, width(u"username"_s));
    m_table->setColumnWidth(JobsModel::DatasetColumn, width(u"dataset"_s));
    m_table->setColumnWidth(JobsModel::StartedColumn, width(u"2026-11-22 15:45"_s));
    m_table->setColumnWidth(JobsModel::DurationColumn, width(u"12 min 30 s"_s));
    m_table->setColumnWidth(JobsModel::ProgressColumn, 120);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    m_table->setSortingEnabled(true);
    m_table->horizontalHeader()->setSortIndicatorClearable(true);
    connect(m_table, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        QMenu menu(this);
        menu.addAction(m_clone);
        menu.addAction(m_compare);
        menu.addSeparator();
        menu.addAction(m_stop);
        menu.addAction(m_delete);
        menu.addSeparator();
        menu.addAction(m_copyNumber);
        menu.addAction(m_refresh);
        menu.exec(m_table->viewport()->mapToGlobal(pos));
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &JobsPane::updateActions);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &JobsPane::showCurrent);

    m_splitter->setObjectName(u"jobsSplitter"_s);
    m_splitter->addWidget(m_table);
    m_splitter->addWidget(m_detail);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setSizes({1100, 400});

    m_stack->setObjectName(u"jobsStack"_s);
    m_stack->addWidget(m_state);
    m_stack->addWidget(m_splitter);
    m_message->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(6);
    layout->addLayout(bar);
    layout->addLayout(chips);
    layout->addWidget(m_message);
    layout->addWidget(m_stack, 1);

    // Model to view.
    connect(m_model, &JobsModel::stateChanged, this, &JobsPane::updateState);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &JobsPane::updateState);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &JobsPane::updateState);
    connect(m_model, &QAbstractItemModel::modelReset, this, &JobsPane::updateState);
    connect(m_model, &JobsModel::errorOccurred, this, [this](const QString &message) {
        if (m_model->rowCount() > 0)
            m_message->showError(message);
    });
    connect(m_model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &from, const QModelIndex &to) {
                if (!m_detail->hasJob())
                    return;
                const int row = m_model->rowOfId(m_detail->job().id);
                if (row >= from.row() && row <= to.row())
                    m_detail->setJob(m_model->jobAt(row));
                updateActions();
            });
    connect(m_state, &StatePage::retryRequested, this, [this] { m_model->retry(); });
    connect(m_state, &StatePage::actionTriggered, this, &JobsPane::clearFilters);

    updateChipIcons();
    setStyleSheet(
        u"QToolButton[chip=\"true\"] { border: 1px solid palette(mid); border-radius: 11px;"
        " padding: 2px 9px; }"
        "QToolButton[chip=\"true\"]:checked { background: palette(highlight);"
        " color: palette(highlighted-text); border-color: palette(highlight); }"_s);
    updateActions();
    updateState();
}

JobsPane::~JobsPane() = default;

void JobsPane::setWorkspace(const models::Workspace &workspace)
{
    m_workspace = workspace;
    ++m_generation;
    m_message->hide();
    m_detail->setWorkspace(workspace);
    {
        const QSignalBlocker b1(m_scope);
        const QSignalBlocker b2(m_text);
        m_scope->setCurrentIndex(0);
        m_text->clear();
        for (QToolButton *chip : std::as_const(m_chips)) {
            const QSignalBlocker b(chip);
            chip->setChecked(false);
        }
    }
    m_model->setQuery({});
    m_model->setWorkspace(workspace);
    loadExperiments();
    updateActions();
    updateState();
}

void JobsPane::refresh()
{
    m_message->hide();
    m_model->reload();
    loadExperiments();
}

QList<Pane::Item> JobsPane::paletteItems() const
{
    QList<Item> items;
    items.reserve(m_model->rowCount());
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const api::Job &j = m_model->jobAt(row);
        items.append({tr("Job #%1 %2").arg(j.number).arg(j.name), QString::number(j.number)});
    }
    return items;
}

void JobsPane::showNewJob(const api::Job &job)
{
    // The next poll inserts it at the top; select it then.
    const qint64 number = job.number;
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(m_model, &JobsModel::polled, this, [this, number, connection] {
        disconnect(*connection);
        openItem(QString::number(number));
    });
    m_model->poll();
}

void JobsPane::openItem(const QString &key)
{
    bool ok = false;
    const qint64 number = key.toLongLong(&ok);
    if (!ok)
        return;
    const int row = m_model->rowOfNumber(number);
    if (row >= 0) {
        const QModelIndex i = m_proxy->mapFromSource(m_model->index(row, 0));
        if (i.isValid()) {
            m_table->selectionModel()->setCurrentIndex(i, QItemSelectionModel::ClearAndSelect |
                                                              QItemSelectionModel::Rows);
            m_table->scrollTo(i);
            m_table->setFocus();
            return;
        }
    }
    // Not loaded (or filtered out): show it in the detail all the same.
    if (!m_workspace.valid())
        return;
    QPointer<JobsPane> self(this);
    const quint64 generation = m_generation;
    m_workspace.api->job(m_workspace.projectId, number,
                         [self, generation](const network::Reply<api::Job> &r) {
                             if (!self || generation != self->m_generation)
                                 return;
                             if (!r.ok()) {
                                 self->m_message->showError(r.message());
                                 return;
                             }
                             self->m_table->clearSelection();
                             self->m_detail->setJob(r.value);
                         });
}

void JobsPane::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        updateChipIcons();
    Pane::changeEvent(event);
}

void JobsPane::updateChipIcons()
{
    const qreal dpr = devicePixelRatioF();
    for (auto it = m_chips.cbegin(); it != m_chips.cend(); ++it) {
        QPixmap pm(QSize(12, 12) * dpr);
        pm.setDevicePixelRatio(dpr);
        pm.fill(Qt::transparent);
        QPainter p(&pm);
        StatusDelegate::paintGlyph(&p, QRectF(0, 0, 12, 12), api::SimplifiedStatus(it.key()),
                                   statusColor(api::SimplifiedStatus(it.key())));
        p.end();
        it.value()->setIcon(QIcon(pm));
        it.value()->setIconSize(QSize(12, 12));
    }
}

bool JobsPane::filtersActive() const
{
    for (const QToolButton *chip : m_chips) {
        if (chip->isChecked())
            return true;
    }
    return !m_text->text().trimmed().isEmpty() || m_scope->currentIndex() != 0 ||
           m_experiment->currentIndex() > 0;
}

void JobsPane::clearFilters()
{
    {
        const QSignalBlocker b1(m_scope);
        const QSignalBlocker b2(m_experiment);
        m_scope->setCurrentIndex(0);
        m_experiment->setCurrentIndex(0);
        m_text->clear();
        for (QToolButton *chip : std::as_const(m_chips)) {
            const QSignalBlocker b(chip);
            chip->setChecked(false);
        }
    }
    m_proxy->setExperimentId(0);
    applyFilters();
}

void JobsPane::applyFilters()
{
    m_textDebounce.stop();
    network::JobQuery q;
    for (const api::SimplifiedStatus s : api::allSimplifiedStatuses) {
        if (m_chips.value(int(s))->isChecked())
            q.statuses << apiStatusesOf(s);
    }
    q.jobName = m_text->text().trimmed();
    if (m_scope->currentIndex() == 1 && !m_workspace.userId.isEmpty())
        q.userIds = {m_workspace.userId};
    const network::JobQuery &old = m_model->query();
    if (q.statuses == old.statuses && q.jobName == old.jobName && q.userIds == old.userIds)
        return;
    qCDebug(lcJobsPane) << "filters" << q.statuses << q.jobName << q.userIds;
    m_detail->clear();
    m_model->setQuery(q);
}

void JobsPane::loadExperiments()
{
    const QSignalBlocker block(m_experiment);
    const qint64 current = m_experiment->currentData().toLongLong();
    while (m_experiment->count() > 1)
        m_experiment->removeItem(1);
    if (!m_workspace.valid())
        return;
    QPointer<JobsPane> self(this);
    const quint64 generation = m_generation;
    m_workspace.api->experiments(
        m_workspace.projectId,
        [self, generation, current](const network::Reply<QList<api::Experiment>> &r) {
            if (!self || generation != self->m_generation || !r.ok())
                return;
            const QSignalBlocker block(self->m_experiment);
            while (self->m_experiment->count() > 1)
                self->m_experiment->removeItem(1);
            for (const api::Experiment &e : r.value)
                self->m_experiment->addItem(e.name, e.id);
            const int i = self->m_experiment->findData(current);
            self->m_experiment->setCurrentIndex(std::max(0, i));
            self->m_proxy->setExperimentId(self->m_experiment->currentData().toLongLong());
        });
}

void JobsPane::updateState()
{
    const int rows = m_model->rowCount();
    const auto state = m_model->state();
    if (!m_workspace.valid()) {
        m_state->showEmpty(tr("No project"), tr("Pick a project to see its jobs."));
        m_stack->setCurrentWidget(m_state);
        return;
    }
    if (rows > 0) {
        m_stack->setCurrentWidget(m_splitter);
        if (state != JobsModel::State::Error && m_message->isVisible() &&
            m_message->text() == m_model->errorString())
            m_message->hide();
        return;
    }
    switch (state) {
    case JobsModel::State::Idle:
    case JobsModel::State::Fetching:
        m_state->showLoading(tr("Loading jobs\u2026"));
        break;
    case JobsModel::State::Error:
        m_state->showError(m_model->errorString());
        break;
    case JobsModel::State::Fetched:
        if (filtersActive())
            m_state->showEmpty(tr("No jobs match these filters"),
                               tr("Job names match exactly. Clear the filters to see every job."),
                               tr("Clear filters"));
        else
            m_state->showEmpty(
                tr("No jobs yet"),
                tr("Jobs launched in this project show here, live. Launching from the studio "
                   "(New job) is coming soon; until then, submit a job YAML with a PeriFlow "
                   "client such as `pf job run`, pointed at this server."));
        break;
    }
    m_stack->setCurrentWidget(m_state);
}

QList<api::Job> JobsPane::selectedJobs() const
{
    QList<api::Job> jobs;
    for (const QModelIndex &i : m_table->selectionModel()->selectedRows()) {
        const int row = m_proxy->mapToSource(i).row();
        if (row >= 0 && row < m_model->rowCount())
            jobs << m_model->jobAt(row);
    }
    std::sort(jobs.begin(), jobs.end(),
              [](const api::Job &a, const api::Job &b) { return a.number > b.number; });
    return jobs;
}

bool JobsPane::mayModify(const api::Job &job) const
{
    if (!m_workspace.valid() || !m_workspace.atLeast(api::ProjectRole::Develop))
        return false;
    return job.user.id.compare(m_workspace.userId, Qt::CaseInsensitive) == 0 ||
           m_workspace.atLeast(api::ProjectRole::Maintain);
}

void JobsPane::updateActions()
{
    const QList<api::Job> jobs = selectedJobs();
    bool canStop = false;
    bool canDelete = false;
    for (const api::Job &j : jobs) {
        if (!mayModify(j))
            continue;
        canStop = canStop || stoppable(j.status);
        canDelete = canDelete || api::isTerminal(j.status);
    }
    m_stop->setEnabled(canStop);
    m_delete->setEnabled(canDelete);
    m_copyNumber->setEnabled(!jobs.isEmpty());
    m_clone->setEnabled(jobs.size() == 1 && !jobs.first().config.isEmpty() &&
                        m_workspace.atLeast(api::ProjectRole::Develop));
    m_compare->setEnabled(jobs.size() >= 2);
    m_newJob->setEnabled(m_workspace.valid() && m_workspace.atLeast(api::ProjectRole::Develop));
    m_refresh->setEnabled(m_workspace.valid());
}

void JobsPane::showCurrent()
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    const int row = current.isValid() ? m_proxy->mapToSource(current).row() : -1;
    if (row < 0 || row >= m_model->rowCount()) {
        m_detail->clear();
        return;
    }
    m_detail->setJob(m_model->jobAt(row));
}

void JobsPane::copyNumber()
{
    QStringList numbers;
    for (const api::Job &j : selectedJobs())
        numbers << QString::number(j.number);
    if (numbers.isEmpty())
        return;
    QGuiApplication::clipboard()->setText(numbers.join(u'\n'));
    Q_EMIT statusMessage(tr("Copied %n job number(s).", nullptr, int(numbers.size())));
}

void JobsPane::stopSelected()
{
    QList<api::Job> jobs;
    for (const api::Job &j : selectedJobs()) {
        if (mayModify(j) && stoppable(j.status))
            jobs << j;
    }
    if (jobs.isEmpty() || !m_workspace.valid())
        return;
    const QString text =
        jobs.size() == 1
            ? tr("Stop job #%1 %2? Its processes are terminated; what it saved stays.")
                  .arg(jobs.first().number)
                  .arg(jobs.first().name)
            : tr("Stop %n jobs? Their processes are terminated; what they saved stays.", nullptr,
                 int(jobs.size()));
    if (!MessageBox::confirm(this, tr("Stop jobs"), text, tr("Stop")))
        return;
    QPointer<JobsPane> self(this);
    const quint64 generation = m_generation;
    auto left = std::make_shared<int>(int(jobs.size()));
    auto failures = std::make_shared<QStringList>();
    for (const api::Job &j : jobs) {
        auto done = [self, generation, left, failures,
                     number = j.number](const network::Reply<api::Job> &r) {
            if (!self || generation != self->m_generation)
                return;
            if (r.ok())
                self->m_model->applyJob(r.value);
            else
                failures->append(tr("#%1: %2").arg(number).arg(r.message()));
            if (--*left > 0)
                return;
            if (!failures->isEmpty())
                self->m_message->showError(failures->join(u'\n'));
            self->updateActions();
        };
        if (notStarted(j.status))
            m_workspace.api->cancelJob(m_workspace.projectId, j.number, done);
        else
            m_workspace.api->terminateJob(m_workspace.projectId, j.number, done);
    }
    Q_EMIT statusMessage(tr("Stopping %n job(s).", nullptr, int(jobs.size())));
}

void JobsPane::deleteSelected()
{
    QList<api::Job> jobs;
    for (const api::Job &j : selectedJobs()) {
        if (mayModify(j) && api::isTerminal(j.status))
            jobs << j;
    }
    if (jobs.isEmpty() || !m_workspace.valid())
        return;
    const QString text =
        jobs.size() == 1 ? tr("Delete job #%1 %2 with its logs and metrics? This cannot be undone.")
                               .arg(jobs.first().number)
                               .arg(jobs.first().name)
                         : tr("Delete %n jobs with their logs and metrics? This cannot be undone.",
                              nullptr, int(jobs.size()));
    if (!MessageBox::confirm(this, tr("Delete jobs"), text, tr("Delete")))
        return;
    QPointer<JobsPane> self(this);
    const quint64 generation = m_generation;
    auto left = std::make_shared<int>(int(jobs.size()));
    auto deleted = std::make_shared<int>(0);
    auto failures = std::make_shared<QStringList>();
    for (const api::Job &j : jobs) {
        m_workspace.api->deleteJob(
            m_workspace.projectId, j.number,
            [self, generation, left, deleted, failures,
             number = j.number](const network::Reply<network::Empty> &r) {
                if (!self || generation != self->m_generation)
                    return;
                if (r.ok()) {
                    ++*deleted;
                    if (self->m_detail->hasJob() && self->m_detail->job().number == number)
                        self->m_detail->clear();
                    self->m_model->removeJob(number);
                } else {
                    failures->append(tr("#%1: %2").arg(number).arg(r.message()));
                }
                if (--*left > 0)
                    return;
                if (!failures->isEmpty())
                    self->m_message->showError(failures->join(u'\n'));
                Q_EMIT self->statusMessage(tr("Deleted %n job(s).", nullptr, *deleted));
                self->updateActions();
            });
    }
}

} // namespace pf::ui
