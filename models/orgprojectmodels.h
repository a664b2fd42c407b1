// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QAbstractListModel>

#include "api/org.h"
#include "api/project.h"
#include "network/pfapi.h"

namespace pf::models {

// The orgs the signed-in user belongs to, for the org switcher.
// DisplayRole: name; IdRole: the org's id; RoleRole: "owner"/"member".
class OrgsModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OrgsModel)

public:
    enum Roles { IdRole = Qt::UserRole, RoleRole };

    explicit OrgsModel(QObject *parent = nullptr);

    // Loads the user's orgs; loaded() or failed() follows.
    void load(network::PfApi *api, const QString &userId);
    void clear();

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    const api::UserOrg &at(int row) const { return m_orgs.at(row); }
    int rowOf(const QString &orgId) const;

Q_SIGNALS:
    void loaded();
    void failed(const QString &message);

private:
    QList<api::UserOrg> m_orgs;
    int m_generation = 0; // answers to an older load() are dropped
};

// The projects of one org that the user can see, for the sidebar; every
// page of the listing is read. DisplayRole: name; IdRole: the project's id.
class ProjectsModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProjectsModel)

public:
    enum Roles { IdRole = Qt::UserRole };

    explicit ProjectsModel(QObject *parent = nullptr);

    void load(network::PfApi *api, const QString &userId, const QString &orgId);
    void clear();

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    const api::Project &at(int row) const { return m_projects.at(row); }
    int rowOf(const QString &projectId) const;
    bool isLoading() const { return m_loading; }

Q_SIGNALS:
    void loaded();
    void failed(const QString &message);

private:
    void fetch(network::PfApi *api, const QString &userId, const QString &orgId,
               const QString &cursor, QList<api::Project> sofar, int generation);

    QList<api::Project> m_projects;
    int m_generation = 0;
    bool m_loading = false;
};

} // namespace pf::models
