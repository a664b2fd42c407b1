// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "orgprojectmodels.h"

#include <algorithm>

namespace pf::models {

OrgsModel::OrgsModel(QObject *parent)
    : QAbstractListModel(parent)
{}

void OrgsModel::load(network::PfApi *api, const QString &userId)
{
    const int generation = ++m_generation;
    api->userOrgs(userId, [this, generation](const network::Reply<QList<api::UserOrg>> &r) {
        if (generation != m_generation)
            return;
        if (!r.ok()) {
            Q_EMIT failed(r.message());
            return;
        }
        QList<api::UserOrg> orgs = r.value;
        std::sort(orgs.begin(), orgs.end(), [](const api::UserOrg &a, const api::UserOrg &b) {
            return QString::localeAwareCompare(a.name, b.name) < 0;
        });
        beginResetModel();
        m_orgs = std::move(orgs);
        endResetModel();
        Q_EMIT loaded();
    });
}

void OrgsModel::clear()
{
    ++m_generation;
    beginResetModel();
    m_orgs.clear();
    endResetModel();
}

int OrgsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_orgs.size());
}

QVariant OrgsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const api::UserOrg &org = m_orgs.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return org.name;
    case IdRole:
        return org.id;
    case RoleRole:
        return api::toString(org.privilegeLevel);
    default:
        return {};
    }
}

int OrgsModel::rowOf(const QString &orgId) const
{
    for (int i = 0; i < m_orgs.size(); ++i) {
        if (m_orgs.at(i).id == orgId)
            return i;
    }
    return -1;
}

ProjectsModel::ProjectsModel(QObject *parent)
    : QAbstractListModel(parent)
{}

void ProjectsModel::load(network::PfApi *api, const QString &userId, const QString &orgId)
{
    m_loading = true;
    fetch(api, userId, orgId, {}, {}, ++m_generation);
}

void ProjectsModel::fetch(network::PfApi *api, const QString &userId, const QString &orgId,
                          const QString &cursor, QList<api::Project> sofar, int generation)
{
    api->userProjects(
        userId, orgId, cursor,
        [this, api, userId, orgId, sofar = std::move(sofar),
         generation](const network::Reply<api::Page<api::Project>> &r) mutable {
            if (generation != m_generation)
                return;
            if (!r.ok()) {
                m_loading = false;
                Q_EMIT failed(r.message());
                return;
            }
            sofar += r.value.results;
            if (!r.value.nextCursor.isEmpty()) {
                fetch(api, userId, orgId, r.value.nextCursor, std::move(sofar), generation);
                return;
            }
            std::sort(sofar.begin(), sofar.end(), [](const api::Project &a, const api::Project &b) {
                return QString::localeAwareCompare(a.name, b.name) < 0;
            });
            m_loading = false;
            beginResetModel();
            m_projects = std::move(sofar);
            endResetModel();
            Q_EMIT loaded();
        });
}

void ProjectsModel::clear()
{
    ++m_generation;
    m_loading = false;
    beginResetModel();
    m_projects.clear();
    endResetModel();
}

int ProjectsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_projects.size());
}

QVariant ProjectsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const api::Project &p = m_projects.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return p.name;
    case IdRole:
        return p.id;
    default:
        return {};
    }
}

int ProjectsModel::rowOf(const QString &projectId) const
{
    for (int i = 0; i < m_projects.size(); ++i) {
        if (m_projects.at(i).id == projectId)
            return i;
    }
    return -1;
}

} // namespace pf::models
