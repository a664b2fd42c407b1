// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "localexecutor.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <stdexcept>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcExecutor, "pf.jobs.executor")

extern char **environ;

namespace pf::server {

LocalExecutor::LocalExecutor(QString agentBinary)
    : m_agent(std::move(agentBinary))
{}

QString LocalExecutor::processStart(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return {};
    const QByteArray text = stat.readAll();
    // The command name (field 2) may hold spaces and parentheses: count
    // fields after the last ')'.
    const qsizetype close = text.lastIndexOf(')');
    if (close < 0)
        return {};
    const QList<QByteArray> fields = text.mid(close + 2).split(' ');
    // fields[0] is field 3 (state); the start time is field 22.
    return fields.size() > 19 ? QString::fromLatin1(fields.at(19)) : QString();
}

QList<AgentHandle> LocalExecutor::launch(const LaunchRequest &request)
{
    if (!QFileInfo(m_agent).isExecutable())
        throw std::runtime_error("the job runner pf-agent was not found at " +
                                 m_agent.toStdString());
    QList<AgentHandle> agents;
    for (int rank = 0; rank < request.numNodes; ++rank) {
        const QByteArray program = m_agent.toLocal8Bit();
        const QByteArray job = request.jobId.toLatin1();
        const QByteArray rankText = QByteArray::number(rank);
        const QByteArray serverFile = request.serverFile.toLocal8Bit();
        const QByteArray workDir = request.jobDir.toLocal8Bit();
        std::vector<char *> argv{
            const_cast<char *>(program.constData()),    const_cast<char *>("--server-file"),
            const_cast<char *>(serverFile.constData()), const_cast<char *>("--job"),
            const_cast<char *>(job.constData()),        const_cast<char *>("--node-rank"),
            const_cast<char *>(rankText.constData()),   const_cast<char *>("--work-dir"),
            const_cast<char *>(workDir.constData()),    nullptr};
        // The token goes in the environment, never on the command line.
        std::vector<QByteArray> envStore;
        for (char **e = environ; *e; ++e) {
            if (std::strncmp(*e, "PF_AGENT_TOKEN=", 15) != 0)
                envStore.emplace_back(*e);
        }
        envStore.push_back("PF_AGENT_TOKEN=" + request.tokens.value(rank).toLatin1());
        std::vector<char *> envp;
        for (QByteArray &e : envStore)
            envp.push_back(e.data());
        envp.push_back(nullptr);

        const QByteArray log =
            (request.jobDir + QStringLiteral("/agent-%1.log").arg(rank)).toLocal8Bit();
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.constData(),
                                         O_WRONLY | O_CREAT | O_APPEND, 0600);
        posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
        // Nothing of pfd's (its listening socket, database files) goes along.
        posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
        posix_spawnattr_t attr;
        posix_spawnattr_init(&attr);
        // A session of its own: pfd's death (or Ctrl-C in its terminal) does
        // not reach the agent, and the agent can signal its command's group.
        sigset_t none;
        sigemptyset(&none);
        posix_spawnattr_setsigmask(&attr, &none);
        sigset_t defaults;
        sigemptyset(&defaults);
        sigaddset(&defaults, SIGPIPE);
        sigaddset(&defaults, SIGTERM);
        sigaddset(&defaults, SIGINT);
        posix_spawnattr_setsigdefault(&attr, &defaults);
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK |
                                            POSIX_SPAWN_SETSIGDEF);
        pid_t pid = 0;
        const int rc =
            posix_spawn(&pid, program.constData(), &actions, &attr, argv.data(), envp.data());
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attr);
        if (rc != 0) {
            for (const AgentHandle &started : agents)
                kill(started);
            throw std::runtime_error("could not start pf-agent: " + std::string(std::strerror(rc)));
        }
        agents.append({rank, qint64(pid), processStart(pid)});
        qCInfo(lcExecutor) << "started pf-agent for job" << request.jobId << "node" << rank << "pid"
                           << pid;
    }
    return agents;
}

bool LocalExecutor::alive(const AgentHandle &agent) const
{
    if (agent.pid <= 0)
        return false;
    // Reap it if it is our child that has exited (pfd started it and is
    // still the same process).
    int status = 0;
    if (::waitpid(pid_t(agent.pid), &status, WNOHANG) == pid_t(agent.pid))
        return false;
    const QString start = processStart(agent.pid);
    if (start.isEmpty())
        return false;
    if (!agent.pidStart.isEmpty() && start != agent.pidStart)
        return false; // the pid was reused by another process
    // A zombie that is not ours (reparented) counts as gone.
    QFile stat(QStringLiteral("/proc/%1/stat").arg(agent.pid));
    if (stat.open(QIODevice::ReadOnly)) {
        const QByteArray text = stat.readAll();
        const qsizetype close = text.lastIndexOf(')');
        if (close >= 0 && text.size() > close + 2 && text.at(close + 2) == 'Z')
            return false;
    }
    return true;
}

void LocalExecutor::kill(const AgentHandle &agent)
{
    if (!alive(agent))
        return;
    // The agent leads its session; its command runs in a process group of
    // its own below it, which the agent normally ends. SIGKILL the agent's
    // group as the last resort.
    ::kill(-pid_t(agent.pid), SIGKILL);
    ::kill(pid_t(agent.pid), SIGKILL);
    int status = 0;
    ::waitpid(pid_t(agent.pid), &status, WNOHANG);
}

} // namespace pf::server
