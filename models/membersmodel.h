// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <functional>

#include <QAbstractTableModel>
#include <QList>

#include "models/workspace.h"

namespace pf::models {

// The members of the workspace's org (Scope::Org) or project (Scope::Project),
// by cursor pages: the first page on setWorkspace()/refresh(), the next ones
// through canFetchMore()/fetchMore(), one request at a time. RoleRole holds
// the role as an int of api::OrgRole or api::ProjectRole, after the scope.
//
//   MembersModel org(MembersModel::Scope::Org);
//   org.setWorkspace(ws);             // loaded() or failed(message)
//   org.setRole(userId, int(api::OrgRole::Owner), done);
class MembersModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MembersModel)

public:
    enum class Scope { Org, Project };
    enum Column { Name, Username, Email, Role, ColumnCount };
    enum DataRole { UserIdRole = Qt::UserRole, RoleRole };
    enum class State { Empty, Loading, Loaded, Failed };

    using Done = std::function<void(const network::ApiResult &)>;

    struct Member
    {
        QString id;
        QString username;
        QString name;
        QString email;
        int role = 0; // api::OrgRole or api::ProjectRole
    };

    explicit MembersModel(Scope scope, QObject *parent = nullptr);
    ~MembersModel() override;

    Scope scope() const { return m_scope; }
    void setWorkspace(const Workspace &workspace);
    // Org scope only: the route's `search=` (username, name or e-mail).
    void setSearch(const QString &search);
    void refresh();

    State state() const { return m_state; }
    QString errorString() const { return m_error; }
    bool isFetching() const { return m_fetching; }

    Member member(int row) const { return m_rows.value(row); }
    int rowOf(const QString &userId) const;
    // The role's name as the UI shows it ("Owner", "Develop").
    QString roleName(int role) const;
    // The roles of the scope, lowest first.
    QList<int> roles() const;

    void setRole(const QString &userId, int role, Done done);
    void remove(const QString &userId, Done done);
    // Project scope only: adds a member of the org, then reloads.
    void add(const QString &userId, api::ProjectRole role, Done done);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

Q_SIGNALS:
    void loaded();
    void failed(const QString &message);

private:
    void fetch(const QString &cursor);

    const Scope m_scope;
    Workspace m_workspace;
    QString m_search;
    QList<Member> m_rows;
    QString m_nextCursor;
    bool m_fetching = false;
    State m_state = State::Empty;
    QString m_error;
    int m_generation = 0;
};

} // namespace pf::models
