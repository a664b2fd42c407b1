// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <functional>

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

#include "api/experiment.h"
#include "models/workspace.h"

namespace pf::models {

// The experiments of the workspace's project, with the number of jobs each
// holds (counted over every page of GET /api/experiment/{id}/job/; -1 until
// counted).
//
//   ExperimentsModel m;
//   m.setWorkspace(ws);          // loads; loaded() or failed(message)
//   m.create("sweep", [](const network::ApiResult &r) {...});
//
// Replies that arrive after a workspace switch or the model's destruction are
// dropped. Callbacks of actions run once, after the model has applied the change.
class ExperimentsModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExperimentsModel)

public:
    enum Column { Name, Jobs, ColumnCount };
    enum Role { IdRole = Qt::UserRole, JobCountRole };
    enum class State { Empty, Loading, Loaded, Failed };

    using Done = std::function<void(const network::ApiResult &)>;

    explicit ExperimentsModel(QObject *parent = nullptr);
    ~ExperimentsModel() override;

    void setWorkspace(const Workspace &workspace);
    void refresh();

    State state() const { return m_state; }
    QString errorString() const { return m_error; }

    api::Experiment experiment(int row) const { return m_rows.value(row).experiment; }
    int rowOf(qint64 id) const { return m_rowById.value(id, -1); }
    // -1 while not counted yet.
    int jobCount(int row) const { return m_rows.value(row).jobs; }

    void create(const QString &name, Done done);
    void rename(qint64 id, const QString &name, Done done);
    void remove(qint64 id, Done done);
    // Counts the experiment's jobs afresh (every page); -1 on failure.
    void countJobs(qint64 id, std::function<void(int count, const QString &error)> done);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void loaded();
    void failed(const QString &message);

private:
    struct Row
    {
        api::Experiment experiment;
        int jobs = -1;
    };

    void setRows(QList<Row> rows);
    void rebuildIndex();
    void countInto(qint64 id);
    void countPage(qint64 id, const QString &cursor, int soFar,
                   const std::function<void(int, const QString &)> &done);

    Workspace m_workspace;
    QList<Row> m_rows;
    QHash<qint64, int> m_rowById;
    State m_state = State::Empty;
    QString m_error;
    int m_generation = 0;
};

} // namespace pf::models
