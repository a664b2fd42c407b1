// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <functional>

#include <QAbstractTableModel>
#include <QHash>
#include <QJsonObject>
#include <QList>

#include "api/dataset.h"
#include "models/workspace.h"

namespace pf::models {

// The datasets of the workspace's project (GET /api/project/{pid}/datastore/,
// one answer, no pages). Loads lazily: a view's first fetchMore() loads, as
// does refresh(); a refresh merges the answer in place (an id->row hash, one
// dataChanged for the rows that stayed, removals and insertions for the rest).
//
//   DatasetsModel m;
//   m.setWorkspace(ws);                 // clears; the view's fetchMore() loads
//   m.rename(id, "cifar-100", [](const network::ApiResult &r) {...});
//
// Replies that arrive after a workspace switch or the model's destruction are
// dropped. An action's callback runs once, after the model applied the change.
class DatasetsModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DatasetsModel)

public:
    enum Column {
        NameColumn,
        VendorColumn,
        StateColumn,
        FilesColumn,
        SizeColumn,
        CreatedColumn,
        ColumnCount
    };
    enum Role {
        IdRole = Qt::UserRole, // qint64
        ActiveRole,            // bool
        LinkedRole,            // bool
        SortRole,              // raw value of the column (sizes, times) for proxies
    };
    // Idle: nothing asked yet; Fetched: the last answer is shown; Error:
    // errorString() says why (rows of an earlier answer stay).
    enum class State { Idle, Fetching, Fetched, Error };

    using Done = std::function<void(const network::ApiResult &)>;

    explicit DatasetsModel(QObject *parent = nullptr);
    ~DatasetsModel() override;

    void setWorkspace(const Workspace &workspace);
    void refresh();

    State state() const { return m_state; }
    QString errorString() const { return m_error; }

    const api::Dataset &dataset(int row) const { return m_rows.at(row); }
    int rowOf(qint64 id) const { return m_rowById.value(id, -1); }

    // Adds or replaces one dataset (e.g. one the link dialog created).
    void upsert(const api::Dataset &dataset);
    void rename(qint64 id, const QString &name, Done done);
    void setMetadata(qint64 id, const QJsonObject &metadata, Done done);
    // DELETE; a `fai` dataset loses its files on the server.
    void remove(qint64 id, Done done);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent = {}) const override;
    void fetchMore(const QModelIndex &parent = {}) override;

Q_SIGNALS:
    void stateChanged(DatasetsModel::State state);

private:
    void setState(State state, const QString &error = {});
    void merge(const QList<api::Dataset> &datasets);
    void update(qint64 id, const QJsonObject &changes, Done done);
    void removeRowOf(qint64 id);
    void rebuildIndex();

    Workspace m_workspace;
    QList<api::Dataset> m_rows;
    QHash<qint64, int> m_rowById;
    State m_state = State::Idle;
    QString m_error;
    int m_generation = 0;
};

} // namespace pf::models
