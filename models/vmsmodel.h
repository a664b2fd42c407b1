// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QAbstractTableModel>
#include <QList>

#include "api/vm.h"
#include "models/workspace.h"

namespace pf::models {

// The VM types of the workspace's org (GET .../vm_config/) joined with the
// project's quota for each (by code; 0 when the project has none) and the
// project's active or deleting locks (by VM config id): used = locks,
// available = max(0, quota - used). The three requests run at once; the
// model resets once, when all three have answered.
//
//   VmsModel m;
//   m.setWorkspace(ws);      // loaded() or failed(message)
class VmsModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(VmsModel)

public:
    enum Column { Code, Devices, Vcpu, Memory, Quota, Used, Available, ColumnCount };
    // QuotaRole/UsedRole/AvailableRole: ints, on every column of a row.
    enum Role { IdRole = Qt::UserRole, QuotaRole, UsedRole, AvailableRole };
    enum class State { Empty, Loading, Loaded, Failed };

    explicit VmsModel(QObject *parent = nullptr);
    ~VmsModel() override;

    void setWorkspace(const Workspace &workspace);
    void refresh();

    State state() const { return m_state; }
    QString errorString() const { return m_error; }

    struct Row
    {
        api::VmConfig config;
        int quota = 0;
        int used = 0;
        int available() const { return quota > used ? quota - used : 0; }
    };
    Row row(int row) const { return m_rows.value(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void loaded();
    void failed(const QString &message);

private:
    struct Pending;
    void finish(const Pending &pending);

    Workspace m_workspace;
    QList<Row> m_rows;
    State m_state = State::Empty;
    QString m_error;
    int m_generation = 0;
};

} // namespace pf::models
