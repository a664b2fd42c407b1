// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QSortFilterProxyModel>

namespace pf::models {

// Sorting and the one filter the server cannot do over a JobsModel: by
// experiment (GET .../job/ has no experiment parameter), over the rows
// loaded so far. Sorts by JobsModel::SortRole, so numbers sort as numbers.
// Unsorted (sort column -1), rows keep the model's newest-first order.
class JobsFilterProxy final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobsFilterProxy)

public:
    explicit JobsFilterProxy(QObject *parent = nullptr);

    // 0: every experiment.
    void setExperimentId(qint64 id);
    qint64 experimentId() const { return m_experimentId; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    qint64 m_experimentId = 0;
};

} // namespace pf::models
