// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "jobsmodel.h"

#include <algorithm>

#include <QLoggingCategory>
#include <QPointer>

#include "models/humanize.h"

Q_LOGGING_CATEGORY(lcJobs, "pf.jobs")

using namespace Qt::StringLiterals;

namespace pf::models {

namespace {

qint64 durationSeconds(const api::Job &job, const QDateTime &now)
{
    if (!job.startedAt.isValid())
        return -1;
    const QDateTime end = job.finishedAt.isValid() ? job.finishedAt : now;
    return std::max<qint64>(0, job.startedAt.secsTo(end));
}

QVariant alignment(int column)
{
    switch (column) {
    case JobsModel::NumberColumn:
    case JobsModel::DevicesColumn:
    case JobsModel::DurationColumn:
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    default:
        return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
    }
}

bool isLive(const api::Job &job)
{
    return job.startedAt.isValid() && !job.finishedAt.isValid() && !api::isTerminal(job.status);
}

// Emits one dataChanged per run of consecutive rows in `rows`.
template <typename Emit>
void forEachRange(QList<int> rows, Emit emitRange)
{
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    for (qsizetype i = 0; i < rows.size();) {
        qsizetype j = i;
        while (j + 1 < rows.size() && rows[j + 1] == rows[j] + 1)
            ++j;
        emitRange(rows[i], rows[j]);
        i = j + 1;
    }
}

} // namespace

JobsModel::JobsModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_pollTimer.setInterval(m_pollIntervalMs);
    connect(&m_pollTimer, &QTimer::timeout, this, &JobsModel::poll);
}

JobsModel::~JobsModel() = default;

void JobsModel::setWorkspace(const Workspace &workspace)
{
    m_workspace = workspace;
    reload();
}

void JobsModel::setQuery(const network::JobQuery &query)
{
    m_query = query;
    reload();
}

void JobsModel::setPollInterval(int ms)
{
    m_pollIntervalMs = ms;
    if (ms > 0)
        m_pollTimer.setInterval(ms);
    if (ms > 0 && m_workspace.valid())
        m_pollTimer.start();
    else
        m_pollTimer.stop();
}

void JobsModel::reload()
{
    beginResetModel();
    ++m_generation;
    m_jobs.clear();
    m_rowById.clear();
    m_nextCursor.clear();
    m_failedCursor.clear();
    m_tick = {};
    m_started = false;
    endResetModel();
    if (!m_workspace.valid()) {
        m_pollTimer.stop();
        setState(State::Idle);
        return;
    }
    if (m_pollIntervalMs > 0)
        m_pollTimer.start();
    m_started = true;
    requestPage({});
}

void JobsModel::retry()
{
    if (m_state != State::Error || !m_workspace.valid())
        return;
    if (!m_started) {
        reload();
        return;
    }
    requestPage(m_failedCursor);
}

void JobsModel::requestPage(const QString &cursor)
{
    setState(State::Fetching);
    QPointer<JobsModel> self(this);
    const quint64 generation = m_generation;
    qCDebug(lcJobs) << "page" << (cursor.isEmpty() ? u"first"_s : cursor);
    m_workspace.api->jobs(
        m_workspace.projectId, m_query, cursor, m_pageSize,
        [self, generation, cursor](const network::Reply<api::Page<api::Job>> &reply) {
            if (!self || generation != self->m_generation)
                return;
            if (!reply.ok()) {
                self->m_failedCursor = cursor;
                self->setState(State::Error, reply.message());
                return;
            }
            self->applyPage(reply.value, cursor.isEmpty());
            self->m_nextCursor = reply.value.nextCursor;
            self->setState(reply.value.nextCursor.isEmpty() ? State::Fetched : State::Idle);
        });
}

void JobsModel::applyPage(const api::Page<api::Job> &page, bool first)
{
    Q_UNUSED(first)
    QElapsedTimer timer;
    timer.start();
    QList<api::Job> fresh;
    fresh.reserve(page.results.size());
    for (const api::Job &job : page.results) {
        if (!m_rowById.contains(job.id))
            fresh.append(job);
    }
    if (!fresh.isEmpty()) {
        const int from = int(m_jobs.size());
        beginInsertRows({}, from, from + int(fresh.size()) - 1);
        m_jobs.append(fresh);
        rebuildIndex(from);
        endInsertRows();
    }
    m_lastApplyNs = timer.nsecsElapsed();
}

void JobsModel::setState(State state, const QString &error)
{
    const bool changed = state != m_state || error != m_error;
    m_state = state;
    m_error = error;
    if (!changed)
        return;
    Q_EMIT stateChanged(state);
    if (state == State::Error) {
        qCInfo(lcJobs) << "jobs failed:" << error;
        Q_EMIT errorOccurred(error);
    }
}

void JobsModel::rebuildIndex(int fromRow)
{
    if (fromRow == 0)
        m_rowById.clear();
    m_rowById.reserve(m_jobs.size());
    for (int row = fromRow; row < m_jobs.size(); ++row)
        m_rowById.insert(m_jobs.at(row).id, row);
}

bool JobsModel::matchesQuery(const api::Job &job) const
{
    if (!m_query.statuses.isEmpty() && !m_query.statuses.contains(api::toString(job.status)))
        return false;
    if (!m_query.jobName.isEmpty() && job.name != m_query.jobName)
        return false;
    if (!m_query.userIds.isEmpty() && !m_query.userIds.contains(job.user.id, Qt::CaseInsensitive))
        return false;
    if (!m_query.vmCode.isEmpty() && job.vmConfig.vmConfigType.code != m_query.vmCode)
        return false;
    return true;
}

int JobsModel::rowOfNumber(qint64 number) const
{
    // Rows are newest first, so numbers descend; search, then check.
    const auto it = std::lower_bound(m_jobs.cbegin(), m_jobs.cend(), number,
                                     [](const api::Job &j, qint64 n) { return j.number > n; });
    if (it != m_jobs.cend() && it->number == number)
        return int(it - m_jobs.cbegin());
    for (int row = 0; row < m_jobs.size(); ++row) {
        if (m_jobs.at(row).number == number)
            return row;
    }
    return -1;
}

void JobsModel::applyJob(const api::Job &job)
{
    const int row = rowOfId(job.id);
    if (row < 0 || m_jobs.at(row) == job)
        return;
    m_jobs[row] = job;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void JobsModel::removeJob(qint64 number)
{
    const int row = rowOfNumber(number);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_rowById.remove(m_jobs.at(row).id);
    m_jobs.removeAt(row);
    rebuildIndex(row);
    endRemoveRows();
}

void JobsModel::poll()
{
    if (!m_workspace.valid() || !m_started || m_tick.active)
        return;
    if (m_jobs.isEmpty() && (m_state == State::Fetching || m_state == State::Error))
        return;

    // Rows past the first page's worth are read one by one; the first page
    // covers the others.
    QList<qint64> numbers;
    for (int row = m_pageSize; row < m_jobs.size() && numbers.size() < kMaxPolledJobs; ++row) {
        if (!api::isTerminal(m_jobs.at(row).status))
            numbers << m_jobs.at(row).number;
    }

    m_tick = {};
    m_tick.active = true;
    m_tick.outstanding = 1 + int(numbers.size());
    QPointer<JobsModel> self(this);
    const quint64 generation = m_generation;
    const auto current = [self, generation] {
        return self && generation == self->m_generation && self->m_tick.active;
    };
    m_workspace.api->jobs(m_workspace.projectId, m_query, {}, m_pageSize,
                          [self, current](const network::Reply<api::Page<api::Job>> &reply) {
                              if (!current())
                                  return;
                              self->m_tick.firstPageOk = reply.ok();
                              if (reply.ok()) {
                                  self->m_tick.firstPage = reply.value.results;
                                  self->m_tick.firstPageComplete = reply.value.nextCursor.isEmpty();
                              }
                              self->finishTick();
                          });
    for (const qint64 number : numbers) {
        m_workspace.api->job(m_workspace.projectId, number,
                             [self, current, number](const network::Reply<api::Job> &reply) {
                                 if (!current())
                                     return;
                                 if (reply.ok())
                                     self->m_tick.updated.insert(reply.value.id, reply.value);
                                 else if (reply.result.status == 404)
                                     self->m_tick.gone.insert(number);
                                 self->finishTick();
                             });
    }
}

void JobsModel::finishTick()
{
    if (--m_tick.outstanding > 0)
        return;
    applyTickResults();
    m_tick = {};
    Q_EMIT polled();
}

void JobsModel::applyTickResults()
{
    QSet<QString> goneIds;
    QList<api::Job> newJobs;

    if (m_tick.firstPageOk) {
        const QList<api::Job> &page = m_tick.firstPage;
        const qint64 top = m_jobs.isEmpty() ? 0 : m_jobs.first().number;
        QSet<QString> seen;
        for (const api::Job &job : page) {
            seen.insert(job.id);
            if (m_rowById.contains(job.id))
                m_tick.updated.insert(job.id, job);
            else if (job.number > top)
                newJobs.append(job);
        }
        // More new jobs than a page holds: the rows between are unknown, so
        // start over rather than show a gap.
        if (!m_jobs.isEmpty() && !page.isEmpty() && newJobs.size() == page.size() &&
            !m_tick.firstPageComplete) {
            qCDebug(lcJobs) << "more new jobs than a page; reloading";
            reload();
            return;
        }
        // Loaded rows within the page's span (or anywhere, when the page is
        // all there is) that it no longer holds were deleted or left the filter.
        const qint64 low = page.isEmpty() ? 0 : page.last().number;
        for (const api::Job &job : std::as_const(m_jobs)) {
            const bool inSpan = m_tick.firstPageComplete || job.number >= low;
            if (inSpan && !seen.contains(job.id))
                goneIds.insert(job.id);
        }
    }
    for (auto it = m_tick.updated.cbegin(); it != m_tick.updated.cend(); ++it) {
        if (!matchesQuery(it.value()))
            goneIds.insert(it.key());
    }
    for (const qint64 number : std::as_const(m_tick.gone)) {
        if (const int row = rowOfNumber(number); row >= 0)
            goneIds.insert(m_jobs.at(row).id);
    }

    // Changes in place, one dataChanged per range. Running jobs change too:
    // their duration grows.
    QList<int> changed;
    for (auto it = m_tick.updated.cbegin(); it != m_tick.updated.cend(); ++it) {
        const int row = m_rowById.value(it.key(), -1);
        if (row < 0 || goneIds.contains(it.key()))
            continue;
        if (m_jobs.at(row) != it.value()) {
            m_jobs[row] = it.value();
            changed << row;
        } else if (isLive(it.value())) {
            changed << row;
        }
    }
    forEachRange(changed, [this](int first, int last) {
        Q_EMIT dataChanged(index(first, 0), index(last, ColumnCount - 1));
    });

    if (!goneIds.isEmpty()) {
        QList<int> rows;
        for (const QString &id : std::as_const(goneIds)) {
            if (const int row = m_rowById.value(id, -1); row >= 0)
                rows << row;
        }
        std::sort(rows.begin(), rows.end(), std::greater<>());
        // Remove from the bottom up so earlier rows keep their numbers.
        for (qsizetype i = 0; i < rows.size();) {
            qsizetype j = i;
            while (j + 1 < rows.size() && rows[j + 1] == rows[j] - 1)
                ++j;
            const int first = rows[j];
            const int last = rows[i];
            beginRemoveRows({}, first, last);
            m_jobs.remove(first, last - first + 1);
            endRemoveRows();
            i = j + 1;
        }
        rebuildIndex(0);
    }

    if (!newJobs.isEmpty()) {
        std::sort(newJobs.begin(), newJobs.end(),
                  [](const api::Job &a, const api::Job &b) { return a.number > b.number; });
        beginInsertRows({}, 0, int(newJobs.size()) - 1);
        m_jobs = newJobs + m_jobs;
        rebuildIndex(0);
        endInsertRows();
    }
}

int JobsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_jobs.size());
}

int JobsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString JobsModel::statusText(api::SimplifiedStatus status)
{
    switch (status) {
    case api::SimplifiedStatus::Waiting:
        return tr("Waiting");
    case api::SimplifiedStatus::Allocating:
        return tr("Allocating");
    case api::SimplifiedStatus::Preparing:
        return tr("Preparing");
    case api::SimplifiedStatus::Running:
        return tr("Running");
    case api::SimplifiedStatus::Success:
        return tr("Success");
    case api::SimplifiedStatus::Failed:
        return tr("Failed");
    case api::SimplifiedStatus::Stopping:
        return tr("Stopping");
    case api::SimplifiedStatus::Stopped:
        return tr("Stopped");
    }
    return {};
}

QVariant JobsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.parent().isValid() || index.row() >= m_jobs.size() ||
        index.column() >= ColumnCount)
        return {};
    const api::Job &job = m_jobs.at(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case NumberColumn:
            return job.number;
        case NameColumn:
            return job.name;
        case StatusColumn:
            return statusText(api::simplify(job.status));
        case ExperimentColumn:
            return job.experiment.name;
        case VmColumn:
            return job.vmConfig.vmConfigType.code;
        case DevicesColumn:
            return job.numDesiredDevices;
        case UserColumn:
            return job.user.username;
        case DatasetColumn:
            return job.dataStore ? job.dataStore->name : QString();
        case StartedColumn:
            return formatTime(job.startedAt);
        case DurationColumn:
            return formatDuration(durationSeconds(job, QDateTime::currentDateTimeUtc()));
        case ProgressColumn:
            return u"%1%"_s.arg(qRound(job.progress));
        }
        return {};
    case Qt::ToolTipRole:
        if (column == StatusColumn) {
            QString tip = api::toString(job.status);
            if (!job.errorMessage.isEmpty())
                tip += u"\n"_s + job.errorMessage;
            return tip;
        }
        if (column == NameColumn)
            return job.name;
        return {};
    case Qt::TextAlignmentRole:
        return alignment(column);
    case JobRole:
        return QVariant::fromValue(job);
    case IdRole:
        return job.id;
    case NumberRole:
        return job.number;
    case StatusRole:
        return int(job.status);
    case SimplifiedStatusRole:
        return int(api::simplify(job.status));
    case ProgressRole:
        return job.progress;
    case TerminalRole:
        return api::isTerminal(job.status);
    case UserIdRole:
        return job.user.id;
    case ExperimentIdRole:
        return job.experiment.id;
    case DurationSecondsRole:
        return durationSeconds(job, QDateTime::currentDateTimeUtc());
    case SortRole:
        switch (column) {
        case NumberColumn:
            return job.number;
        case StatusColumn:
            return int(api::simplify(job.status));
        case DevicesColumn:
            return job.numDesiredDevices;
        case StartedColumn:
            return job.startedAt.isValid() ? job.startedAt.toMSecsSinceEpoch() : qint64(0);
        case DurationColumn:
            return durationSeconds(job, QDateTime::currentDateTimeUtc());
        case ProgressColumn:
            return job.progress;
        default:
            return data(index, Qt::DisplayRole).toString().toLower();
        }
    }
    return {};
}

QVariant JobsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::TextAlignmentRole)
        return alignment(section);
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NumberColumn:
        return tr("#");
    case NameColumn:
        return tr("Name");
    case StatusColumn:
        return tr("Status");
    case ExperimentColumn:
        return tr("Experiment");
    case VmColumn:
        return tr("VM");
    case DevicesColumn:
        return tr("Devices");
    case UserColumn:
        return tr("User");
    case DatasetColumn:
        return tr("Dataset");
    case StartedColumn:
        return tr("Started");
    case DurationColumn:
        return tr("Duration");
    case ProgressColumn:
        return tr("Progress");
    }
    return {};
}

bool JobsModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_workspace.valid() && m_started && m_state != State::Fetching &&
           m_state != State::Error && !m_nextCursor.isEmpty();
}

void JobsModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    requestPage(m_nextCursor);
}

QHash<int, QByteArray> JobsModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(JobRole, "job");
    names.insert(IdRole, "jobId");
    names.insert(NumberRole, "number");
    names.insert(StatusRole, "status");
    names.insert(SimplifiedStatusRole, "simplifiedStatus");
    names.insert(ProgressRole, "progress");
    names.insert(TerminalRole, "terminal");
    names.insert(UserIdRole, "userId");
    names.insert(ExperimentIdRole, "experimentId");
    names.insert(SortRole, "sortKey");
    names.insert(DurationSecondsRole, "durationSeconds");
    return names;
}

} // namespace pf::models
