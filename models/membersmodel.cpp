// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "membersmodel.h"

#include <type_traits>

#include <QFont>
#include <QLoggingCategory>
#include <QPointer>

namespace pf::models {

namespace {
Q_LOGGING_CATEGORY(lcMembers, "pf.models.members")

template <typename T>
QList<MembersModel::Member> toMembers(const QList<T> &list)
{
    QList<MembersModel::Member> out;
    out.reserve(list.size());
    for (const T &m : list) {
        if constexpr (std::is_same_v<T, api::OrgMember>)
            out.append({m.id, m.username, m.name, m.email, int(m.privilegeLevel)});
        else
            out.append({m.id, m.username, m.name, m.email, int(m.accessLevel)});
    }
    return out;
}
} // namespace

MembersModel::MembersModel(Scope scope, QObject *parent)
    : QAbstractTableModel(parent)
    , m_scope(scope)
{}

MembersModel::~MembersModel() = default;

void MembersModel::setWorkspace(const Workspace &workspace)
{
    m_workspace = workspace;
    ++m_generation;
    beginResetModel();
    m_rows.clear();
    m_nextCursor.clear();
    endResetModel();
    m_fetching = false;
    m_state = State::Empty;
    m_error.clear();
    if (m_workspace.valid())
        refresh();
}

void MembersModel::setSearch(const QString &search)
{
    if (search == m_search)
        return;
    m_search = search;
    refresh();
}

void MembersModel::refresh()
{
    if (!m_workspace.valid())
        return;
    ++m_generation;
    m_fetching = false;
    m_state = State::Loading;
    fetch({});
}

// `cursor` empty: the first page, which replaces the rows when it lands (so
// a refresh keeps showing the old list meanwhile); else appended.
void MembersModel::fetch(const QString &cursor)
{
    m_fetching = true;
    const int generation = m_generation;
    QPointer<MembersModel> self(this);
    const auto land = [self, generation, cursor](const network::ApiResult &result,
                                                 QList<Member> members, const QString &next) {
        if (!self || self->m_generation != generation)
            return;
        self->m_fetching = false;
        if (!result.ok()) {
            qCDebug(lcMembers) << "page failed:" << result.status << result.message;
            self->m_state = State::Failed;
            self->m_error = result.message;
            Q_EMIT self->failed(result.message);
            return;
        }
        if (cursor.isEmpty()) {
            self->beginResetModel();
            self->m_rows = std::move(members);
            self->m_nextCursor = next;
            self->endResetModel();
        } else {
            self->m_nextCursor = next;
            if (!members.isEmpty()) {
                const int first = int(self->m_rows.size());
                self->beginInsertRows({}, first, first + int(members.size()) - 1);
                self->m_rows.append(members);
                self->endInsertRows();
            }
        }
        self->m_state = State::Loaded;
        self->m_error.clear();
        Q_EMIT self->loaded();
    };
    if (m_scope == Scope::Org) {
        m_workspace.api->orgMembers(m_workspace.orgId, m_search, cursor,
                                    [land](const network::Reply<api::Page<api::OrgMember>> &r) {
                                        land(r.result, toMembers(r.value.results),
                                             r.value.nextCursor);
                                    });
    } else {
        m_workspace.api->projectMembers(
            m_workspace.projectId, cursor,
            [land](const network::Reply<api::Page<api::ProjectMember>> &r) {
                land(r.result, toMembers(r.value.results), r.value.nextCursor);
            });
    }
}

bool MembersModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_nextCursor.isEmpty() && !m_fetching && m_state == State::Loaded;
}

void MembersModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent))
        fetch(m_nextCursor);
}

int MembersModel::rowOf(const QString &userId) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).id == userId)
            return i;
    }
    return -1;
}

QString MembersModel::roleName(int role) const
{
    QString name = m_scope == Scope::Org ? api::toString(api::OrgRole(role))
                                         : api::toString(api::ProjectRole(role));
    if (!name.isEmpty())
        name[0] = name.at(0).toUpper();
    return name;
}

QList<int> MembersModel::roles() const
{
    QList<int> out;
    if (m_scope == Scope::Org) {
        for (api::OrgRole r : api::allOrgRoles)
            out.append(int(r));
    } else {
        for (api::ProjectRole r : api::allProjectRoles)
            out.append(int(r));
    }
    return out;
}

void MembersModel::setRole(const QString &userId, int role, Done done)
{
    QPointer<MembersModel> self(this);
    const auto apply = [self, userId, role, done](const network::Reply<network::Empty> &r) {
        if (self && r.ok()) {
            const int row = self->rowOf(userId);
            if (row >= 0) {
                self->m_rows[row].role = role;
                const QModelIndex cell = self->index(row, Role);
                Q_EMIT self->dataChanged(cell, cell, {Qt::DisplayRole, RoleRole});
            }
        }
        if (done)
            done(r.result);
    };
    if (m_scope == Scope::Org)
        m_workspace.api->setOrgRole(userId, m_workspace.orgId, api::OrgRole(role), apply);
    else
        m_workspace.api->setProjectRole(userId, m_workspace.projectId, api::ProjectRole(role),
                                        apply);
}

void MembersModel::remove(const QString &userId, Done done)
{
    QPointer<MembersModel> self(this);
    const auto apply = [self, userId, done](const network::Reply<network::Empty> &r) {
        if (self && r.ok()) {
            const int row = self->rowOf(userId);
            if (row >= 0) {
                self->beginRemoveRows({}, row, row);
                self->m_rows.removeAt(row);
                self->endRemoveRows();
            }
        }
        if (done)
            done(r.result);
    };
    if (m_scope == Scope::Org)
        m_workspace.api->removeOrgMember(userId, m_workspace.orgId, apply);
    else
        m_workspace.api->removeProjectMember(userId, m_workspace.projectId, apply);
}

void MembersModel::add(const QString &userId, api::ProjectRole role, Done done)
{
    if (m_scope != Scope::Project) {
        if (done) {
            network::ApiResult refused;
            refused.status = 400;
            refused.message = tr("Members join an organization by invitation.");
            done(refused);
        }
        return;
    }
    QPointer<MembersModel> self(this);
    m_workspace.api->addProjectMember(userId, m_workspace.projectId, role,
                                      [self, done](const network::Reply<network::Empty> &r) {
                                          // The route answers with the membership only;
                                          // reload for the name and e-mail.
                                          if (self && r.ok())
                                              self->refresh();
                                          if (done)
                                              done(r.result);
                                      });
}

int MembersModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int MembersModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MembersModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Member &m = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Name:
            return m.name.isEmpty() ? m.username : m.name;
        case Username:
            return m.username;
        case Email:
            return m.email;
        case Role:
            return roleName(m.role);
        default:
            return {};
        }
    case Qt::FontRole:
        if (index.column() == Name && m.id == m_workspace.userId) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case UserIdRole:
        return m.id;
    case RoleRole:
        return m.role;
    default:
        return {};
    }
}

QVariant MembersModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Name");
    case Username:
        return tr("Username");
    case Email:
        return tr("E-mail");
    case Role:
        return tr("Role");
    default:
        return {};
    }
}

} // namespace pf::models
