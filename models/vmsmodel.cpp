// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "vmsmodel.h"

#include <memory>

#include <QHash>
#include <QLoggingCategory>
#include <QPointer>

namespace pf::models {

namespace {
Q_LOGGING_CATEGORY(lcVms, "pf.models.vms")

QString formatGib(double gib)
{
    return QString::number(gib, 'g', 4) + QStringLiteral(" GiB");
}
} // namespace

// What the three requests of one refresh brought back.
struct VmsModel::Pending
{
    int generation = 0;
    int answers = 0;
    QString error;
    QList<api::VmConfig> configs;
    QList<api::VmQuota> quotas;
    QList<api::VmLock> locks;
};

VmsModel::VmsModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

VmsModel::~VmsModel() = default;

void VmsModel::setWorkspace(const Workspace &workspace)
{
    m_workspace = workspace;
    ++m_generation;
    beginResetModel();
    m_rows.clear();
    endResetModel();
    m_state = State::Empty;
    m_error.clear();
    if (m_workspace.valid())
        refresh();
}

void VmsModel::refresh()
{
    if (!m_workspace.valid())
        return;
    m_state = State::Loading;
    auto pending = std::make_shared<Pending>();
    pending->generation = ++m_generation;
    QPointer<VmsModel> self(this);
    // Each answer lands in `pending`; the third one finishes the refresh.
    const auto land = [self, pending](const network::ApiResult &result, const auto &store) {
        if (!result.ok() && pending->error.isEmpty())
            pending->error = result.message;
        else if (result.ok())
            store();
        if (++pending->answers == 3 && self && self->m_generation == pending->generation)
            self->finish(*pending);
    };
    m_workspace.api->vmConfigs(m_workspace.orgId,
                               [land, pending](const network::Reply<QList<api::VmConfig>> &r) {
                                   land(r.result, [&] { pending->configs = r.value; });
                               });
    m_workspace.api->vmQuotas(m_workspace.projectId,
                              [land, pending](const network::Reply<QList<api::VmQuota>> &r) {
                                  land(r.result, [&] { pending->quotas = r.value; });
                              });
    m_workspace.api->vmLocks(m_workspace.projectId, 0,
                             {QStringLiteral("active"), QStringLiteral("deleting")},
                             [land, pending](const network::Reply<QList<api::VmLock>> &r) {
                                 land(r.result, [&] { pending->locks = r.value; });
                             });
}

void VmsModel::finish(const Pending &pending)
{
    if (!pending.error.isEmpty()) {
        qCDebug(lcVms) << "refresh failed:" << pending.error;
        m_state = State::Failed;
        m_error = pending.error;
        Q_EMIT failed(m_error);
        return;
    }
    QHash<QString, int> quotaByCode;
    for (const api::VmQuota &q : pending.quotas)
        quotaByCode.insert(q.vmConfigType.code, q.quota);
    QHash<qint64, int> usedById;
    for (const api::VmLock &lock : pending.locks)
        ++usedById[lock.vmConfigId];
    QList<Row> rows;
    rows.reserve(pending.configs.size());
    for (const api::VmConfig &c : pending.configs)
        rows.append({c, quotaByCode.value(c.vmConfigType.code, 0), usedById.value(c.id, 0)});
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
    m_state = State::Loaded;
    m_error.clear();
    Q_EMIT loaded();
}

int VmsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int VmsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant VmsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    const api::VmConfigType &t = row.config.vmConfigType;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Code:
            return t.code;
        case Devices:
            if (t.deviceType.isEmpty() || t.deviceType.compare(u"cpu", Qt::CaseInsensitive) == 0)
                return tr("CPU only");
            if (t.perGpuMemory > 0)
                return tr("%1 × %2 (%3)")
                    .arg(t.numDevicesPerVm)
                    .arg(t.deviceType, formatGib(t.perGpuMemory));
            return tr("%1 × %2").arg(t.numDevicesPerVm).arg(t.deviceType);
        case Vcpu:
            return t.vcpu;
        case Memory:
            return formatGib(t.cpuMemory);
        case Quota:
            return row.quota;
        case Used:
            return row.used;
        case Available:
            return row.available();
        default:
            return {};
        }
    case Qt::ToolTipRole:
        return tr("%1: %2 of %3 in use, %4 available to this project")
            .arg(t.code)
            .arg(row.used)
            .arg(row.quota)
            .arg(row.available());
    case Qt::TextAlignmentRole:
        if (index.column() >= Vcpu)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case IdRole:
        return row.config.id;
    case QuotaRole:
        return row.quota;
    case UsedRole:
        return row.used;
    case AvailableRole:
        return row.available();
    default:
        return {};
    }
}

QVariant VmsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Code:
        return tr("VM type");
    case Devices:
        return tr("Devices");
    case Vcpu:
        return tr("vCPU");
    case Memory:
        return tr("Memory");
    case Quota:
        return tr("Quota");
    case Used:
        return tr("Used");
    case Available:
        return tr("Available");
    default:
        return {};
    }
}

} // namespace pf::models
