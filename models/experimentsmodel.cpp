// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "experimentsmodel.h"

#include <QLoggingCategory>
#include <QPointer>

namespace pf::models {

namespace {
Q_LOGGING_CATEGORY(lcExperiments, "pf.models.experiments")
} // namespace

using namespace Qt::StringLiterals;

ExperimentsModel::ExperimentsModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

ExperimentsModel::~ExperimentsModel() = default;

void ExperimentsModel::setWorkspace(const Workspace &workspace)
{
    m_workspace = workspace;
    ++m_generation;
    setRows({});
    m_state = State::Empty;
    m_error.clear();
    if (m_workspace.valid())
        refresh();
}

void ExperimentsModel::refresh()
{
    if (!m_workspace.valid())
        return;
    const int generation = ++m_generation;
    m_state = State::Loading;
    QPointer<ExperimentsModel> self(this);
    m_workspace.api->experiments(
        m_workspace.projectId, [self, generation](const network::Reply<QList<api::Experiment>> &r) {
            if (!self || self->m_generation != generation)
                return;
            if (!r.ok()) {
                qCDebug(lcExperiments) << "list failed:" << r.result.status << r.message();
                self->m_state = State::Failed;
                self->m_error = r.message();
                Q_EMIT self->failed(r.message());
                return;
            }
            // Keep the counts we had, so a refresh does not flicker to "…".
            QList<Row> rows;
            rows.reserve(r.value.size());
            for (const api::Experiment &e : r.value) {
                const int old = self->rowOf(e.id);
                rows.append({e, old >= 0 ? self->m_rows.at(old).jobs : -1});
            }
            self->setRows(std::move(rows));
            self->m_state = State::Loaded;
            self->m_error.clear();
            Q_EMIT self->loaded();
            for (const Row &row : std::as_const(self->m_rows))
                self->countInto(row.experiment.id);
        });
}

void ExperimentsModel::setRows(QList<Row> rows)
{
    beginResetModel();
    m_rows = std::move(rows);
    rebuildIndex();
    endResetModel();
}

void ExperimentsModel::rebuildIndex()
{
    m_rowById.clear();
    for (int i = 0; i < m_rows.size(); ++i)
        m_rowById.insert(m_rows.at(i).experiment.id, i);
}

void ExperimentsModel::countInto(qint64 id)
{
    QPointer<ExperimentsModel> self(this);
    countJobs(id, [self, id](int count, const QString &) {
        if (!self)
            return;
        const int row = self->rowOf(id);
        if (row < 0 || self->m_rows.at(row).jobs == count)
            return;
        self->m_rows[row].jobs = count;
        const QModelIndex cell = self->index(row, Jobs);
        Q_EMIT self->dataChanged(cell, cell, {Qt::DisplayRole, JobCountRole});
    });
}

void ExperimentsModel::countJobs(qint64 id, std::function<void(int, const QString &)> done)
{
    if (!m_workspace.valid()) {
        done(-1, tr("Not signed in."));
        return;
    }
    countPage(id, {}, 0, done);
}

// The route pages by cursor; a count is the sum over every page.
void ExperimentsModel::countPage(qint64 id, const QString &cursor, int soFar,
                                 const std::function<void(int, const QString &)> &done)
{
    QPointer<ExperimentsModel> self(this);
    m_workspace.api->experimentJobs(
        id, cursor, [self, id, soFar, done](const network::Reply<api::Page<api::Job>> &r) {
            if (!self)
                return;
            if (!r.ok()) {
                done(-1, r.message());
                return;
            }
            const int count = soFar + int(r.value.results.size());
            if (r.value.nextCursor.isEmpty() || r.value.results.isEmpty())
                done(count, {});
            else
                self->countPage(id, r.value.nextCursor, count, done);
        });
}

void ExperimentsModel::create(const QString &name, Done done)
{
    QPointer<ExperimentsModel> self(this);
    m_workspace.api->createExperiment(m_workspace.projectId, name,
                                      [self, done](const network::Reply<api::Experiment> &r) {
                                          if (self && r.ok() && self->rowOf(r.value.id) < 0) {
                                              const int row = int(self->m_rows.size());
                                              self->beginInsertRows({}, row, row);
                                              self->m_rows.append({r.value, 0});
                                              self->m_rowById.insert(r.value.id, row);
                                              self->endInsertRows();
                                              self->m_state = State::Loaded;
                                          }
                                          if (done)
                                              done(r.result);
                                      });
}

void ExperimentsModel::rename(qint64 id, const QString &name, Done done)
{
    QPointer<ExperimentsModel> self(this);
    m_workspace.api->renameExperiment(
        id, name, [self, id, done](const network::Reply<api::Experiment> &r) {
            if (self && r.ok()) {
                const int row = self->rowOf(id);
                if (row >= 0) {
                    self->m_rows[row].experiment.name = r.value.name;
                    const QModelIndex cell = self->index(row, Name);
                    Q_EMIT self->dataChanged(cell, cell, {Qt::DisplayRole});
                }
            }
            if (done)
                done(r.result);
        });
}

void ExperimentsModel::remove(qint64 id, Done done)
{
    QPointer<ExperimentsModel> self(this);
    m_workspace.api->deleteExperiment(id,
                                      [self, id, done](const network::Reply<network::Empty> &r) {
                                          if (self && r.ok()) {
                                              const int row = self->rowOf(id);
                                              if (row >= 0) {
                                                  self->beginRemoveRows({}, row, row);
                                                  self->m_rows.removeAt(row);
                                                  self->rebuildIndex();
                                                  self->endRemoveRows();
                                              }
                                          }
                                          if (done)
                                              done(r.result);
                                      });
}

int ExperimentsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ExperimentsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ExperimentsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == Name)
            return row.experiment.name;
        if (index.column() == Jobs)
            return row.jobs < 0 ? u"…"_s : QString::number(row.jobs);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Jobs)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case IdRole:
        return row.experiment.id;
    case JobCountRole:
        return row.jobs;
    default:
        return {};
    }
}

QVariant ExperimentsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Experiment");
    case Jobs:
        return tr("Jobs");
    default:
        return {};
    }
}

} // namespace pf::models
