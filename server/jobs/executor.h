// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QList>
#include <QString>

namespace pf::server {

// What an executor needs to start a job's agents.
struct LaunchRequest
{
    QString jobId;
    int numNodes = 1;
    QList<QString> tokens; // one job token per node rank
    QString serverFile;    // DATA_DIR/run/pfd.url
    QString jobDir;        // DATA_DIR/jobs/<uuid>
};

// One launched agent, as recorded in job_nodes.
struct AgentHandle
{
    int rank = 0;
    qint64 pid = 0;
    QString pidStart; // to tell a reused pid apart
};

// Runs a job's pf-agents somewhere: on this machine, or on a cluster. The
// agents then talk to pfd over HTTP only, so nothing else depends on where
// they run. Called from the scheduler thread.
class Executor
{
public:
    virtual ~Executor() = default;
    virtual QString name() const = 0;
    // Starts one agent per node. Throws std::runtime_error with a message for
    // the job's error_message when it cannot.
    virtual QList<AgentHandle> launch(const LaunchRequest &request) = 0;
    // Whether the agent is still running (after a pfd restart, say).
    virtual bool alive(const AgentHandle &agent) const = 0;
    // Ends the agent (and so its command) at once.
    virtual void kill(const AgentHandle &agent) = 0;
};

} // namespace pf::server
