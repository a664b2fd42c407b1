// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <optional>

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace pf::agent {

// pf-agent's command line and environment:
//
//   pf-agent --server-file FILE --job JOB_UUID --node-rank N [--work-dir DIR]
//
//   PF_AGENT_TOKEN  the job token (required; never on the command line)
//   PF_BWRAP        the bwrap binary (default: "bwrap" found in PATH)
struct AgentOptions
{
    QString serverFile;
    QString jobId;
    int nodeRank = 0;
    QString workDir; // default: the current directory
    QByteArray token;
    QString bwrapPath; // empty: look for bwrap in PATH
    QString pathEnv;   // the agent's PATH, where bwrap is looked for

    int killWaitMs = 5000;            // SIGTERM to SIGKILL
    int finalFlushTimeoutMs = 120000; // the last records' acknowledgement

    // Parses `arguments` (argv, program name first). On a mistake returns
    // nullopt with *error set to a message that includes the usage; with
    // --help, nullopt and *error holds the help text and *help is true.
    static std::optional<AgentOptions> parse(const QStringList &arguments,
                                             const QProcessEnvironment &environment, QString *error,
                                             bool *help = nullptr);
};

} // namespace pf::agent
