// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "datasetsmodel.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QPointer>
#include <QSet>

#include "models/humanize.h"

Q_LOGGING_CATEGORY(lcDatasets, "pf.models.datasets")

using namespace Qt::StringLiterals;

namespace pf::models {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("pf::models::DatasetsModel", text);
}

QString vendorLabel(const QString &vendor)
{
    if (vendor == "fai"_L1)
        return tr("pfd");
    if (vendor == "aws"_L1)
        return tr("Amazon S3");
    if (vendor == "azure.blob"_L1)
        return tr("Azure Blob");
    if (vendor == "gcp"_L1)
        return tr("Google Cloud");
    return vendor;
}

} // namespace

DatasetsModel::DatasetsModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

DatasetsModel::~DatasetsModel() = default;

void DatasetsModel::setWorkspace(const Workspace &workspace)
{
    ++m_generation;
    m_workspace = workspace;
    // Idle before the reset ends: a view (or a tester) may fetch at once.
    setState(State::Idle);
    beginResetModel();
    m_rows.clear();
    m_rowById.clear();
    endResetModel();
}

void DatasetsModel::refresh()
{
    if (!m_workspace.valid())
        return;
    const int generation = ++m_generation;
    setState(State::Fetching);
    QPointer<DatasetsModel> self(this);
    m_workspace.api->datasets(
        m_workspace.projectId, [self, generation](const network::Reply<QList<api::Dataset>> &r) {
            if (!self || self->m_generation != generation)
                return;
            if (!r.ok()) {
                qCInfo(lcDatasets) << "listing datasets failed:" << r.result.status << r.message();
                self->setState(State::Error, r.message());
                return;
            }
            self->merge(r.value);
            self->setState(State::Fetched);
        });
}

bool DatasetsModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_workspace.valid() && m_state == State::Idle;
}

void DatasetsModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent))
        refresh();
}

void DatasetsModel::setState(State state, const QString &error)
{
    m_error = error;
    if (m_state == state && state != State::Error)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void DatasetsModel::merge(const QList<api::Dataset> &datasets)
{
    QSet<qint64> incoming;
    for (const api::Dataset &d : datasets)
        incoming.insert(d.id);
    // Removals first, bottom up, so the rows above keep their numbers.
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (!incoming.contains(m_rows.at(row).id)) {
            beginRemoveRows({}, row, row);
            m_rows.removeAt(row);
            endRemoveRows();
        }
    }
    rebuildIndex();
    int firstChanged = -1;
    int lastChanged = -1;
    QList<api::Dataset> added;
    for (const api::Dataset &d : datasets) {
        const int row = m_rowById.value(d.id, -1);
        if (row < 0) {
            added.append(d);
            continue;
        }
        if (m_rows.at(row) == d)
            continue;
        m_rows[row] = d;
        firstChanged = firstChanged < 0 ? row : qMin(firstChanged, row);
        lastChanged = qMax(lastChanged, row);
    }
    if (firstChanged >= 0)
        Q_EMIT dataChanged(index(firstChanged, 0), index(lastChanged, ColumnCount - 1));
    if (!added.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        m_rows.append(added);
        rebuildIndex();
        endInsertRows();
    }
}

void DatasetsModel::upsert(const api::Dataset &dataset)
{
    merge([&] {
        QList<api::Dataset> all = m_rows;
        const int row = rowOf(dataset.id);
        if (row >= 0)
            all[row] = dataset;
        else
            all.append(dataset);
        return all;
    }());
}

void DatasetsModel::rename(qint64 id, const QString &name, Done done)
{
    update(id, {{u"name"_s, name}}, std::move(done));
}

void DatasetsModel::setMetadata(qint64 id, const QJsonObject &metadata, Done done)
{
    update(id, {{u"metadata"_s, metadata}}, std::move(done));
}

void DatasetsModel::update(qint64 id, const QJsonObject &changes, Done done)
{
    if (!m_workspace.valid())
        return;
    const int generation = m_generation;
    QPointer<DatasetsModel> self(this);
    m_workspace.api->updateDataset(id, changes,
                                   [self, generation, done](const network::Reply<api::Dataset> &r) {
                                       if (self && self->m_generation == generation && r.ok())
                                           self->upsert(r.value);
                                       if (done)
                                           done(r.result);
                                   });
}

void DatasetsModel::remove(qint64 id, Done done)
{
    if (!m_workspace.valid())
        return;
    const int generation = m_generation;
    QPointer<DatasetsModel> self(this);
    m_workspace.api->deleteDataset(
        id, [self, generation, id, done](const network::Reply<network::Empty> &r) {
            // Gone already (404) is as good as deleted for the list.
            if (self && self->m_generation == generation && (r.ok() || r.result.status == 404))
                self->removeRowOf(id);
            if (done)
                done(r.result);
        });
}

void DatasetsModel::removeRowOf(qint64 id)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    rebuildIndex();
    endRemoveRows();
}

void DatasetsModel::rebuildIndex()
{
    m_rowById.clear();
    m_rowById.reserve(m_rows.size());
    for (int row = 0; row < m_rows.size(); ++row)
        m_rowById.insert(m_rows.at(row).id, row);
}

int DatasetsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int DatasetsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DatasetsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const api::Dataset &d = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return d.name;
        case VendorColumn:
            return vendorLabel(d.vendor);
        case StateColumn:
            return d.active ? tr("Active") : tr("Uploading");
        case FilesColumn:
            return QString::number(d.files.size());
        case SizeColumn:
            return formatBytes(d.totalSize());
        case CreatedColumn:
            return formatTime(d.createdAt);
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == StateColumn && !d.active)
            return tr("Not every file has arrived yet; jobs cannot use it until it is active.");
        if (index.column() == VendorColumn && d.isLinked())
            return d.storageName.isEmpty() ? d.vendor : d.vendor + u": "_s + d.storageName;
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == FilesColumn || index.column() == SizeColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case IdRole:
        return d.id;
    case ActiveRole:
        return d.active;
    case LinkedRole:
        return d.isLinked();
    case SortRole:
        switch (index.column()) {
        case FilesColumn:
            return qint64(d.files.size());
        case SizeColumn:
            return d.totalSize();
        case CreatedColumn:
            return d.createdAt;
        default:
            return data(index, Qt::DisplayRole);
        }
    }
    return {};
}

QVariant DatasetsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Name");
    case VendorColumn:
        return tr("Storage");
    case StateColumn:
        return tr("State");
    case FilesColumn:
        return tr("Files");
    case SizeColumn:
        return tr("Size");
    case CreatedColumn:
        return tr("Created");
    }
    return {};
}

} // namespace pf::models
