// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <functional>

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

#include "api/checkpoint.h"
#include "models/workspace.h"

namespace pf::models {

// One filter of the project's model registry: USER or JOB checkpoints, the
// live ones or the soft-deleted ones (GET /registry/orgs/{gid}/prjs/{pid}/
// models/), a cursor page per fetchMore().
//
//   CheckpointsModel m;
//   m.setWorkspace(ws);
//   m.setFilter(CheckpointsModel::Category::Job, /*deleted=*/false);
//   view->setModel(&m);                 // the view's fetchMore() loads pages
//   m.remove(id, done);                 // the row leaves this (live) filter
//
// Deleting and restoring move a checkpoint to the other filter, so its row
// leaves this one at once; a rename changes the row in place (id->row hash).
// Replies that arrive after a filter or workspace switch, or after the
// model's destruction, are dropped; action callbacks still run.
class CheckpointsModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CheckpointsModel)

public:
    enum Column { NameColumn, IterationColumn, JobColumn, CreatedColumn, SizeColumn, ColumnCount };
    enum Role {
        IdRole = Qt::UserRole, // QString (UUID)
        DeletedRole,           // bool
        SortRole,              // raw value of the column
    };
    enum class Category { User, Job };
    // Idle: the next page is not asked yet (canFetchMore() says if there is
    // one); Error: errorString() says why, and fetchMore() tries again.
    enum class State { Idle, Fetching, Fetched, Error };

    using Done = std::function<void(const network::ApiResult &)>;

    explicit CheckpointsModel(QObject *parent = nullptr);
    ~CheckpointsModel() override;

    void setWorkspace(const Workspace &workspace);
    void setFilter(Category category, bool deleted);
    Category category() const { return m_category; }
    bool showsDeleted() const { return m_deleted; }
    // Drops the rows and loads the first page again.
    void refresh();

    State state() const { return m_state; }
    QString errorString() const { return m_error; }
    // More pages after the ones shown.
    bool hasMore() const { return !m_started || !m_nextCursor.isEmpty(); }

    const api::Checkpoint &checkpoint(int row) const { return m_rows.at(row); }
    int rowOf(const QString &id) const { return m_rowById.value(id, -1); }

    void rename(const QString &id, const QString &name, Done done);
    // Soft delete; restorable for 24 hours.
    void remove(const QString &id, Done done);
    void restore(const QString &id, Done done);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent = {}) const override;
    void fetchMore(const QModelIndex &parent = {}) override;

Q_SIGNALS:
    void stateChanged(CheckpointsModel::State state);

private:
    void reset();
    void setState(State state, const QString &error = {});
    void append(const QList<api::Checkpoint> &page);
    void replace(const api::Checkpoint &checkpoint);
    void removeRowOf(const QString &id);
    void rebuildIndex();

    Workspace m_workspace;
    Category m_category = Category::User;
    bool m_deleted = false;
    QList<api::Checkpoint> m_rows;
    QHash<QString, int> m_rowById;
    QString m_nextCursor;
    bool m_started = false; // the first page was asked for
    State m_state = State::Idle;
    QString m_error;
    int m_generation = 0;
};

} // namespace pf::models
