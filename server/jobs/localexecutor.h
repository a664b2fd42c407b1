// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include "server/jobs/executor.h"

namespace pf::server {

// Runs each node's pf-agent as a process on this machine, in a session of
// its own so that it outlives a pfd restart; its output goes to
// JOB_DIR/agent-<rank>.log.
class LocalExecutor final : public Executor
{
public:
    explicit LocalExecutor(QString agentBinary);

    QString name() const override { return QStringLiteral("local"); }
    QList<AgentHandle> launch(const LaunchRequest &request) override;
    bool alive(const AgentHandle &agent) const override;
    void kill(const AgentHandle &agent) override;

    // The start time of a process (field 22 of /proc/PID/stat), empty when
    // there is no such process.
    static QString processStart(qint64 pid);

private:
    QString m_agent;
};

} // namespace pf::server
