// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "launchcatalog.h"

#include <QJsonValue>

#include "api/json.h"

namespace pf::ui {

namespace {

using Problem = LaunchCatalog::Problem;

constexpr int kMaxPages = 50; // a project with more checkpoints is only partly offered

// A string member of the spec, "" when absent or not a string.
QString at(const QJsonObject &spec, QStringView path)
{
    return api::valueAtPath(spec, path).toString();
}

} // namespace

LaunchCatalog::LaunchCatalog(QObject *parent)
    : QObject(parent)
{
    m_jobCheckpoints.setFilter(models::CheckpointsModel::Category::Job, false);
    connect(&m_vms, &models::VmsModel::loaded, this, &LaunchCatalog::changed);
    connect(&m_experiments, &models::ExperimentsModel::loaded, this, &LaunchCatalog::changed);
    connect(&m_credentials, &models::CredentialsModel::loaded, this, &LaunchCatalog::changed);
    connect(&m_datasets, &models::DatasetsModel::stateChanged, this,
            [this](models::DatasetsModel::State state) {
                if (state != models::DatasetsModel::State::Fetched)
                    return;
                if (m_datasets.canFetchMore())
                    m_datasets.fetchMore();
                else
                    Q_EMIT changed();
            });
    for (models::CheckpointsModel *model : {&m_userCheckpoints, &m_jobCheckpoints})
        connect(model, &models::CheckpointsModel::stateChanged, this,
                [this, model](models::CheckpointsModel::State state) {
                    if (state == models::CheckpointsModel::State::Fetched)
                        fetchAll(model);
                });
}

LaunchCatalog::~LaunchCatalog() = default;

void LaunchCatalog::setWorkspace(const models::Workspace &workspace)
{
    m_workspace = workspace;
    m_vms.setWorkspace(workspace);
    m_experiments.setWorkspace(workspace);
    m_credentials.setWorkspace(workspace);
    m_datasets.setWorkspace(workspace);
    m_userCheckpoints.setWorkspace(workspace);
    m_jobCheckpoints.setWorkspace(workspace);
    if (workspace.valid()) {
        if (m_datasets.canFetchMore())
            m_datasets.fetchMore();
        fetchAll(&m_userCheckpoints);
        fetchAll(&m_jobCheckpoints);
    }
}

void LaunchCatalog::fetchAll(models::CheckpointsModel *model)
{
    if (model->canFetchMore() && model->rowCount() < kMaxPages * 50)
        model->fetchMore();
    else
        Q_EMIT changed();
}

std::optional<models::VmsModel::Row> LaunchCatalog::vm(const QString &code) const
{
    for (int r = 0; r < m_vms.rowCount(); ++r) {
        const models::VmsModel::Row row = m_vms.row(r);
        if (row.config.vmConfigType.code == code)
            return row;
    }
    return std::nullopt;
}

QList<api::Credential> LaunchCatalog::credentialsOfType(const QString &type) const
{
    QList<api::Credential> out;
    for (int r = 0; r < m_credentials.rowCount(); ++r) {
        const api::Credential c = m_credentials.credential(r);
        if (c.type == type)
            out.append(c);
    }
    std::sort(out.begin(), out.end(), [](const api::Credential &a, const api::Credential &b) {
        return a.name.localeAwareCompare(b.name) < 0;
    });
    return out;
}

QList<api::Checkpoint> LaunchCatalog::checkpoints() const
{
    QList<api::Checkpoint> out;
    for (const models::CheckpointsModel *model : {&m_userCheckpoints, &m_jobCheckpoints})
        for (int r = 0; r < model->rowCount(); ++r)
            out.append(model->checkpoint(r));
    return out;
}

QStringList LaunchCatalog::values(const QString &path) const
{
    QStringList out;
    if (path == u"vm") {
        for (int r = 0; r < m_vms.rowCount(); ++r)
            out.append(m_vms.row(r).config.vmConfigType.code);
    } else if (path == u"experiment") {
        for (int r = 0; r < m_experiments.rowCount(); ++r)
            out.append(m_experiments.experiment(r).name);
    } else if (path == u"data.name") {
        for (int r = 0; r < m_datasets.rowCount(); ++r)
            if (!m_datasets.dataset(r).isLinked())
                out.append(m_datasets.dataset(r).name);
    } else if (path == u"checkpoint.input.id") {
        for (const api::Checkpoint &c : checkpoints())
            out.append(c.id);
    } else if (path.endsWith(u".credential_id")) {
        const QString type =
            path.startsWith(u"plugin.") ? path.section(u'.', 1, 1) : QStringLiteral("docker");
        for (const api::Credential &c : credentialsOfType(type))
            out.append(c.id);
    }
    return out;
}

QList<Problem> LaunchCatalog::check(const QJsonObject &spec) const
{
    QList<Problem> problems;
    const QString code = at(spec, u"vm");
    if (!code.isEmpty() && m_vms.state() == models::VmsModel::State::Loaded) {
        const auto row = vm(code);
        if (!row) {
            problems.append({{QStringLiteral("vm"),
                              tr("is not a VM type of this server; it offers %1")
                                  .arg(values(QStringLiteral("vm")).join(QStringLiteral(", ")))},
                             false});
        } else {
            const int devices = spec.value(u"num_devices").toInt();
            const int perVm = std::max(1, row->config.vmConfigType.numDevicesPerVm);
            const int nodes = (devices + perVm - 1) / perVm;
            const QString path = QStringLiteral("num_devices");
            if (devices > 0 && row->quota == 0) {
                problems.append({{path, tr("cannot run: the project has no quota for %1 (an "
                                           "organization owner sets it under VMs)")
                                            .arg(code)},
                                 false});
            } else if (devices > 0 && nodes > row->quota) {
                problems.append({{path, tr("needs %1 VMs of %2 (%3 devices each), but the "
                                           "project may use at most %4 at once")
                                            .arg(nodes)
                                            .arg(code)
                                            .arg(perVm)
                                            .arg(row->quota)},
                                 false});
            } else {
                if (devices > 0 && devices % perVm != 0)
                    problems.append(
                        {{path, tr("means %1 VMs of %2 devices, %3 of them left idle; a "
                                   "multiple of %2 uses every device")
                                    .arg(nodes)
                                    .arg(perVm)
                                    .arg(nodes * perVm - devices)},
                         true});
                if (devices > 0 && nodes > row->available())
                    problems.append({{path, tr("needs %1 VMs of %2 and %3 are free now; the "
                                               "job waits in the queue until they are")
                                                .arg(nodes)
                                                .arg(code)
                                                .arg(row->available())},
                                     true});
            }
        }
    }
    const QString dataName = at(spec, u"data.name");
    if (!dataName.isEmpty() && m_datasets.state() == models::DatasetsModel::State::Fetched &&
        !m_datasets.canFetchMore()) {
        int found = -1;
        for (int r = 0; r < m_datasets.rowCount() && found < 0; ++r)
            if (m_datasets.dataset(r).name == dataName)
                found = r;
        const QString path = QStringLiteral("data.name");
        if (found < 0)
            problems.append({{path, tr("names no dataset of this project")}, false});
        else if (m_datasets.dataset(found).isLinked())
            problems.append({{path, tr("is linked to %1 storage; jobs mount datasets stored "
                                       "on this server only")
                                        .arg(m_datasets.dataset(found).vendor)},
                             false});
        else if (!m_datasets.dataset(found).active)
            problems.append({{path, tr("is not ready yet (its upload has not finished)")}, false});
    }
    const QString checkpointId = at(spec, u"checkpoint.input.id");
    const bool allCheckpoints = !m_userCheckpoints.hasMore() && !m_jobCheckpoints.hasMore();
    if (!checkpointId.isEmpty() && allCheckpoints && m_userCheckpoints.rowOf(checkpointId) < 0 &&
        m_jobCheckpoints.rowOf(checkpointId) < 0)
        problems.append(
            {{QStringLiteral("checkpoint.input.id"), tr("is not a checkpoint of this project")},
             false});
    if (m_credentials.state() == models::CredentialsModel::State::Loaded) {
        for (const auto &[path, type] :
             {std::pair{QStringLiteral("job_setting.docker.credential_id"),
                        QStringLiteral("docker")},
              std::pair{QStringLiteral("plugin.wandb.credential_id"), QStringLiteral("wandb")},
              std::pair{QStringLiteral("plugin.slack.credential_id"), QStringLiteral("slack")}}) {
            const QString id = at(spec, path);
            if (id.isEmpty())
                continue;
            const int row = m_credentials.rowOf(id);
            if (row < 0 || m_credentials.credential(row).type != type)
                problems.append(
                    {{path, tr("is not a %1 credential of this project").arg(type)}, false});
        }
    }
    return problems;
}

} // namespace pf::ui
