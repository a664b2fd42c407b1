// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <optional>

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QStringList>

#include "api/apierror.h"
#include "models/checkpointsmodel.h"
#include "models/credentialsmodel.h"
#include "models/datasetsmodel.h"
#include "models/experimentsmodel.h"
#include "models/vmsmodel.h"

namespace pf::ui {

// What the launcher offers and checks a spec against: the workspace's VM
// types with the project's quota, its experiments, datasets, checkpoints and
// credentials, each list loaded whole by its model. The launcher's combos
// show these models; completion asks values(); check() is the part of pfd's
// submit check that needs these lists, done before anything is sent.
//
//   LaunchCatalog catalog;
//   catalog.setWorkspace(ws);                  // changed() as lists arrive
//   const auto problems = catalog.check(json); // errors and warnings by path
class LaunchCatalog final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LaunchCatalog)

public:
    struct Problem
    {
        api::FieldError error;
        bool warning = false;
    };

    explicit LaunchCatalog(QObject *parent = nullptr);
    ~LaunchCatalog() override;

    void setWorkspace(const models::Workspace &workspace);
    const models::Workspace &workspace() const { return m_workspace; }

    models::VmsModel *vms() { return &m_vms; }
    models::ExperimentsModel *experiments() { return &m_experiments; }
    models::DatasetsModel *datasets() { return &m_datasets; }
    models::CheckpointsModel *userCheckpoints() { return &m_userCheckpoints; }
    models::CheckpointsModel *jobCheckpoints() { return &m_jobCheckpoints; }
    models::CredentialsModel *credentials() { return &m_credentials; }

    // The VM type with `code`, when the list has it.
    std::optional<models::VmsModel::Row> vm(const QString &code) const;
    // The credentials of one type ("docker", "wandb", "slack"), by name.
    QList<api::Credential> credentialsOfType(const QString &type) const;
    // The checkpoints jobs may start from (the user's, then the jobs').
    QList<api::Checkpoint> checkpoints() const;

    // What may follow "key: " at `path` in the YAML: VM codes for "vm",
    // experiment names, dataset names for "data.name", checkpoint ids, the
    // ids of credentials of the right type; empty for other paths.
    QStringList values(const QString &path) const;

    // Problems of a spec (the JSON of a job file) that only these lists
    // show: a VM code the server lacks; devices that need more VMs than the
    // project's quota (an error: the job would wait forever), more than are
    // free now, or a count that leaves a node partly used (warnings); a
    // dataset, checkpoint or credential name the project lacks. A list not
    // loaded yet checks nothing.
    QList<Problem> check(const QJsonObject &spec) const;

Q_SIGNALS:
    // A list was loaded or reloaded.
    void changed();

private:
    void fetchAll(models::CheckpointsModel *model);

    models::Workspace m_workspace;
    models::VmsModel m_vms;
    models::ExperimentsModel m_experiments;
    models::DatasetsModel m_datasets;
    models::CheckpointsModel m_userCheckpoints;
    models::CheckpointsModel m_jobCheckpoints;
    models::CredentialsModel m_credentials;
};

} // namespace pf::ui
