// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <memory>

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include "agent/agentoptions.h"
#include "agent/backoff.h"
#include "agent/childprocess.h"
#include "agent/linesplitter.h"
#include "agent/nodespec.h"
#include "agent/reporter.h"
#include "agent/reportthread.h"
#include "agent/sdkchannel.h"
#include "agent/serverclient.h"

namespace pf::agent {

class CheckpointUploader;

// One node of a job, from its spec to its reported exit (docs/jobs.md):
//
//   Agent agent(options);
//   QObject::connect(&agent, &Agent::done, &app, &QCoreApplication::exit);
//   agent.start();
//
// fetches the node spec (retrying while pfd is unreachable), reports the
// requested image and `preparing`, creates the node's /tmp with the SDK
// pipes, starts the job (SandboxBuilder, ChildProcess), reports `running`
// once the sandbox is up, streams the output, turns SDK frames into
// progress and metric records and checkpoint uploads, obeys terminate, and
// finally reports `exited` and waits until pfd has acknowledged every record.
// Lives in the main thread.
class Agent final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Agent)

public:
    explicit Agent(AgentOptions options, QObject *parent = nullptr);
    ~Agent() override;

    void start();
    // The agent itself was asked to stop (SIGTERM): like a terminate command
    // with the spec's grace period.
    void terminateLocally();

    // pf-agent's exit codes.
    static constexpr int kExitOk = 0;         // the node's exit was reported
    static constexpr int kExitUnreported = 1; // the last records were not acknowledged in time
    static constexpr int kExitRefused = 3;    // pfd refused the agent (token, job gone, ...)

Q_SIGNALS:
    // The agent is finished; the process should exit with `code`.
    void done(int code);

private:
    enum class Phase { Spec, Preparing, Launched, Started, Setup, Run, Exited, Done };

    void fetchSpec();
    void onSpec(const QJsonObject &json);
    void prepare();
    void onOutput(ChildProcess::Stream stream, QByteArrayView bytes, qint64 timeMs);
    // Passes the lines the splitters hold back behind a final '\r', and
    // shows the unfinished ones.
    void releaseIdleLines();
    void onMarker(const QByteArray &line);
    void onChildFinished(int exitCode, int signal);
    void onCommand(const QJsonObject &command);
    void beginTerminate(int graceS, const QString &why);
    void onMetric(const QJsonObject &frame);
    void noteProgress();
    void emitProgress();
    // Reports the final status (after checkpoint uploads) and waits for the
    // acknowledgement of everything.
    void reportExit(int exitCode, const QString &message);
    void finishReporting();
    void finish(int code);
    void onFatal(const QString &error);

    AgentOptions m_options;
    ServerClient m_client;
    ReportThread m_reportThread;
    Reporter m_reporter;
    SdkChannel m_sdk;
    std::unique_ptr<ChildProcess> m_child;
    std::unique_ptr<CheckpointUploader> m_uploader;
    LineSplitter m_splitters[2];
    QTimer m_idleOutputTimer; // output idle with a line held: releaseIdleLines()
    NodeSpec m_spec;
    Phase m_phase = Phase::Spec;
    Backoff m_specBackoff;
    QString m_hostTmp;

    QByteArray m_stderrTail; // stderr before the sandbox was up: bwrap's complaint
    int m_setupFailedCode = -1;

    bool m_terminating = false;
    QTimer m_graceTimer;
    QTimer m_killTimer;

    qint64 m_step = 0;
    qint64 m_total = 0;
    bool m_progressDirty = false;
    QTimer m_progressTimer;
    int m_sdkErrors = 0;

    bool m_refused = false;
    bool m_exitReported = false;
    int m_pendingExitCode = 0;
    QString m_pendingExitMessage;
    QTimer m_flushDeadline;
    bool m_finished = false;
};

} // namespace pf::agent
