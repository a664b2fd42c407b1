// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <functional>

#include <QAbstractTableModel>
#include <QList>

#include "api/credential.h"
#include "models/workspace.h"

namespace pf::models {

// The credentials of the workspace's project, as the list route gives them:
// names and types, never a secret (a value that arrives anyway is dropped).
//
//   CredentialsModel m;
//   m.setWorkspace(ws);   // loaded() or failed(message)
//   m.create("aws", "s3", 1, value, [](const network::ApiResult &r) {...});
//
// Action callbacks run once, after the model applied a successful change;
// the ApiResult carries the server's 422 body for field errors.
class CredentialsModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CredentialsModel)

public:
    enum Column { Name, Type, Version, Created, ColumnCount };
    enum Role { IdRole = Qt::UserRole, TypeRole };
    enum class State { Empty, Loading, Loaded, Failed };

    using Done = std::function<void(const network::ApiResult &)>;

    explicit CredentialsModel(QObject *parent = nullptr);
    ~CredentialsModel() override;

    void setWorkspace(const Workspace &workspace);
    void refresh();

    State state() const { return m_state; }
    QString errorString() const { return m_error; }

    api::Credential credential(int row) const { return m_rows.value(row); }
    int rowOf(const QString &id) const;

    void create(const QString &type, const QString &name, int typeVersion, const QJsonObject &value,
                Done done);
    void rename(const QString &id, const QString &name, Done done);
    void remove(const QString &id, Done done);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void loaded();
    void failed(const QString &message);

private:
    void upsert(api::Credential credential);

    Workspace m_workspace;
    QList<api::Credential> m_rows;
    State m_state = State::Empty;
    QString m_error;
    int m_generation = 0;
};

} // namespace pf::models
