// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "jobsfilterproxy.h"

#include "models/jobsmodel.h"

namespace pf::models {

JobsFilterProxy::JobsFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(JobsModel::SortRole);
    setDynamicSortFilter(true);
}

void JobsFilterProxy::setExperimentId(qint64 id)
{
    if (id == m_experimentId)
        return;
    m_experimentId = id;
    invalidateRowsFilter();
}

bool JobsFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_experimentId == 0)
        return true;
    const QModelIndex i = sourceModel()->index(sourceRow, 0, sourceParent);
    return i.data(JobsModel::ExperimentIdRole).toLongLong() == m_experimentId;
}

} // namespace pf::models
