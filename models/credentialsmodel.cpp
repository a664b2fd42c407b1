// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "credentialsmodel.h"

#include <QLocale>
#include <QLoggingCategory>
#include <QPointer>

#include "models/humanize.h"

namespace pf::models {

namespace {
Q_LOGGING_CATEGORY(lcCredentials, "pf.models.credentials")
} // namespace

CredentialsModel::CredentialsModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

CredentialsModel::~CredentialsModel() = default;

void CredentialsModel::setWorkspace(const Workspace &workspace)
{
    m_workspace = workspace;
    ++m_generation;
    beginResetModel();
    m_rows.clear();
    endResetModel();
    m_state = State::Empty;
    m_error.clear();
    if (m_workspace.valid())
        refresh();
}

void CredentialsModel::refresh()
{
    if (!m_workspace.valid())
        return;
    const int generation = ++m_generation;
    m_state = State::Loading;
    QPointer<CredentialsModel> self(this);
    m_workspace.api->credentials(
        m_workspace.projectId, {},
        [self, generation](const network::Reply<QList<api::Credential>> &r) {
            if (!self || self->m_generation != generation)
                return;
            if (!r.ok()) {
                qCDebug(lcCredentials) << "list failed:" << r.result.status << r.message();
                self->m_state = State::Failed;
                self->m_error = r.message();
                Q_EMIT self->failed(r.message());
                return;
            }
            QList<api::Credential> rows = r.value;
            for (api::Credential &c : rows)
                c.value.reset();
            self->beginResetModel();
            self->m_rows = std::move(rows);
            self->endResetModel();
            self->m_state = State::Loaded;
            self->m_error.clear();
            Q_EMIT self->loaded();
        });
}

int CredentialsModel::rowOf(const QString &id) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).id == id)
            return i;
    }
    return -1;
}

void CredentialsModel::upsert(api::Credential credential)
{
    credential.value.reset(); // the model never holds a secret
    const int row = rowOf(credential.id);
    if (row >= 0) {
        m_rows[row] = credential;
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        return;
    }
    const int at = int(m_rows.size());
    beginInsertRows({}, at, at);
    m_rows.append(credential);
    endInsertRows();
    m_state = State::Loaded;
}

void CredentialsModel::create(const QString &type, const QString &name, int typeVersion,
                              const QJsonObject &value, Done done)
{
    QPointer<CredentialsModel> self(this);
    m_workspace.api->createCredential(m_workspace.projectId, type, name, typeVersion, value,
                                      [self, done](const network::Reply<api::Credential> &r) {
                                          if (self && r.ok())
                                              self->upsert(r.value);
                                          if (done)
                                              done(r.result);
                                      });
}

void CredentialsModel::rename(const QString &id, const QString &name, Done done)
{
    QPointer<CredentialsModel> self(this);
    m_workspace.api->updateCredential(id, {{QStringLiteral("name"), name}},
                                      [self, done](const network::Reply<api::Credential> &r) {
                                          if (self && r.ok())
                                              self->upsert(r.value);
                                          if (done)
                                              done(r.result);
                                      });
}

void CredentialsModel::remove(const QString &id, Done done)
{
    QPointer<CredentialsModel> self(this);
    m_workspace.api->deleteCredential(id,
                                      [self, id, done](const network::Reply<network::Empty> &r) {
                                          if (self && r.ok()) {
                                              const int row = self->rowOf(id);
                                              if (row >= 0) {
                                                  self->beginRemoveRows({}, row, row);
                                                  self->m_rows.removeAt(row);
                                                  self->endRemoveRows();
                                              }
                                          }
                                          if (done)
                                              done(r.result);
                                      });
}

int CredentialsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CredentialsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CredentialsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const api::Credential &c = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Name:
            return c.name;
        case Type:
            return c.type;
        case Version:
            return c.typeVersion;
        case Created:
            return formatTime(c.createdAt);
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (index.column() == Created)
            return QLocale().toString(c.createdAt.toLocalTime(), QLocale::LongFormat);
        return {};
    case IdRole:
        return c.id;
    case TypeRole:
        return c.type;
    default:
        return {};
    }
}

QVariant CredentialsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Name");
    case Type:
        return tr("Type");
    case Version:
        return tr("Version");
    case Created:
        return tr("Created");
    default:
        return {};
    }
}

} // namespace pf::models
