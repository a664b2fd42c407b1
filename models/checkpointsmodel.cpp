// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "checkpointsmodel.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QPointer>

#include "models/humanize.h"

Q_LOGGING_CATEGORY(lcCheckpoints, "pf.models.checkpoints")

using namespace Qt::StringLiterals;

namespace pf::models {

CheckpointsModel::CheckpointsModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

CheckpointsModel::~CheckpointsModel() = default;

void CheckpointsModel::setWorkspace(const Workspace &workspace)
{
    m_workspace = workspace;
    reset();
}

void CheckpointsModel::setFilter(Category category, bool deleted)
{
    if (category == m_category && deleted == m_deleted)
        return;
    m_category = category;
    m_deleted = deleted;
    reset();
}

void CheckpointsModel::reset()
{
    ++m_generation;
    // Idle before the reset ends: a view (or a tester) may fetch at once.
    setState(State::Idle);
    beginResetModel();
    m_rows.clear();
    m_rowById.clear();
    m_nextCursor.clear();
    m_started = false;
    endResetModel();
}

void CheckpointsModel::refresh()
{
    reset();
    fetchMore(); // a no-op when a view already fetched on the reset
}

bool CheckpointsModel::canFetchMore(const QModelIndex &parent) const
{
    // An error stops the view's automatic fetching; fetchMore() by hand
    // (Retry) still tries again.
    return !parent.isValid() && m_workspace.valid() && hasMore() &&
           (m_state == State::Idle || m_state == State::Fetched);
}

void CheckpointsModel::fetchMore(const QModelIndex &parent)
{
    if (parent.isValid() || !m_workspace.valid() || !hasMore() || m_state == State::Fetching)
        return;
    m_started = true;
    const int generation = m_generation;
    setState(State::Fetching);
    QPointer<CheckpointsModel> self(this);
    m_workspace.api->checkpoints(
        m_workspace.orgId, m_workspace.projectId,
        m_category == Category::User ? u"USER"_s : u"JOB"_s, m_deleted, m_nextCursor,
        [self, generation](const network::Reply<api::Page<api::Checkpoint>> &r) {
            if (!self || self->m_generation != generation)
                return;
            if (!r.ok()) {
                qCInfo(lcCheckpoints)
                    << "listing checkpoints failed:" << r.result.status << r.message();
                self->setState(State::Error, r.message());
                return;
            }
            self->m_nextCursor = r.value.nextCursor;
            self->append(r.value.results);
            self->setState(State::Fetched);
        });
}

void CheckpointsModel::setState(State state, const QString &error)
{
    m_error = error;
    if (m_state == state && state != State::Error)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void CheckpointsModel::append(const QList<api::Checkpoint> &page)
{
    // A checkpoint made between two pages can show up twice; keep the first.
    QList<api::Checkpoint> fresh;
    fresh.reserve(page.size());
    for (const api::Checkpoint &c : page) {
        if (!m_rowById.contains(c.id))
            fresh.append(c);
    }
    if (fresh.isEmpty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(fresh.size()) - 1);
    for (const api::Checkpoint &c : std::as_const(fresh)) {
        m_rowById.insert(c.id, int(m_rows.size()));
        m_rows.append(c);
    }
    endInsertRows();
}

void CheckpointsModel::replace(const api::Checkpoint &checkpoint)
{
    const int row = rowOf(checkpoint.id);
    if (row < 0)
        return;
    m_rows[row] = checkpoint;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void CheckpointsModel::rename(const QString &id, const QString &name, Done done)
{
    if (!m_workspace.valid())
        return;
    const int generation = m_generation;
    QPointer<CheckpointsModel> self(this);
    m_workspace.api->updateCheckpoint(
        id, {{u"name"_s, name}},
        [self, generation, done](const network::Reply<api::Checkpoint> &r) {
            if (self && self->m_generation == generation && r.ok())
                self->replace(r.value);
            if (done)
                done(r.result);
        });
}

void CheckpointsModel::remove(const QString &id, Done done)
{
    if (!m_workspace.valid())
        return;
    const int generation = m_generation;
    QPointer<CheckpointsModel> self(this);
    m_workspace.api->deleteCheckpoint(
        id, [self, generation, id, done](const network::Reply<network::Empty> &r) {
            if (self && self->m_generation == generation && r.ok() && !self->m_deleted)
                self->removeRowOf(id);
            if (done)
                done(r.result);
        });
}

void CheckpointsModel::restore(const QString &id, Done done)
{
    if (!m_workspace.valid())
        return;
    const int generation = m_generation;
    QPointer<CheckpointsModel> self(this);
    m_workspace.api->restoreCheckpoint(
        id, [self, generation, id, done](const network::Reply<api::Checkpoint> &r) {
            if (self && self->m_generation == generation && r.ok() && self->m_deleted)
                self->removeRowOf(id);
            if (done)
                done(r.result);
        });
}

void CheckpointsModel::removeRowOf(const QString &id)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    rebuildIndex();
    endRemoveRows();
}

void CheckpointsModel::rebuildIndex()
{
    m_rowById.clear();
    m_rowById.reserve(m_rows.size());
    for (int row = 0; row < m_rows.size(); ++row)
        m_rowById.insert(m_rows.at(row).id, row);
}

int CheckpointsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CheckpointsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CheckpointsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const api::Checkpoint &c = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return c.name;
        case IterationColumn:
            return QString::number(c.iteration);
        case JobColumn:
            return c.jobId.isEmpty() ? u"—"_s : c.jobId;
        case CreatedColumn:
            return formatTime(c.createdAt);
        case SizeColumn:
            return formatBytes(c.totalSize());
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == NameColumn && c.deleted)
            return tr("Deleted %1; restorable for 24 hours after that.")
                .arg(formatTime(c.deletedAt));
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == IterationColumn || index.column() == SizeColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case IdRole:
        return c.id;
    case DeletedRole:
        return c.deleted;
    case SortRole:
        switch (index.column()) {
        case IterationColumn:
            return c.iteration;
        case CreatedColumn:
            return c.createdAt;
        case SizeColumn:
            return c.totalSize();
        default:
            return data(index, Qt::DisplayRole);
        }
    }
    return {};
}

QVariant CheckpointsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Name");
    case IterationColumn:
        return tr("Iteration");
    case JobColumn:
        return tr("Job");
    case CreatedColumn:
        return tr("Created");
    case SizeColumn:
        return tr("Size");
    }
    return {};
}

} // namespace pf::models
