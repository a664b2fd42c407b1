// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "agent.h"

#include <cmath>
#include <csignal>
#include <cstring>

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QHostInfo>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QStandardPaths>

#include "agent/checkpointuploader.h"
#include "agent/sandboxbuilder.h"

#ifndef PF_VERSION
#define PF_VERSION "dev"
#endif

namespace pf::agent {

Q_LOGGING_CATEGORY(lcAgent, "pf.agent")

namespace {
constexpr int kProgressIntervalMs = 200;
constexpr qsizetype kStderrTail = 4096;
constexpr int kMaxSdkErrorRecords = 20;
// How long the output must pause before a line ended by a '\r' at the end of
// a read is passed on as a redrawn line (not waiting for the '\n' of a
// "\r\n"), and an unfinished line is shown (LineSplitter).
constexpr int kIdleOutputWaitMs = 50;

QString signalName(int signal)
{
    const char *abbrev = sigabbrev_np(signal);
    return abbrev ? QStringLiteral("SIG") + QString::fromLatin1(abbrev) : QString::number(signal);
}
} // namespace

Agent::Agent(AgentOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_client(m_options.serverFile, m_options.jobId, m_options.nodeRank, m_options.token)
    , m_reportThread(m_options.serverFile, m_options.jobId, m_options.nodeRank, m_options.token)
    , m_reporter(&m_reportThread)
{
    connect(&m_reporter, &Reporter::command, this, &Agent::onCommand);
    connect(&m_reporter, &Reporter::fatal, this, &Agent::onFatal);
    connect(&m_reporter, &Reporter::drained, this, [this] {
        if (m_exitReported)
            finish(kExitOk);
    });
    connect(&m_reporter, &Reporter::backpressure, this, [this](bool paused) {
        if (m_child)
            m_child->setPaused(paused);
    });

    connect(&m_sdk, &SdkChannel::stepInfo, this, [this](qint64 step, double) {
        m_step = step;
        noteProgress();
    });
    connect(&m_sdk, &SdkChannel::lastStep, this, [this](qint64 total) {
        m_total = total;
        noteProgress();
    });
    connect(&m_sdk, &SdkChannel::metric, this, &Agent::onMetric);
    connect(&m_sdk, &SdkChannel::checkpoint, this, [this](const QJsonObject &frame) {
        const QJsonValue step = frame.value(QStringLiteral("step"));
        const qint64 iteration = step.isDouble() ? step.toInteger() : m_step;
        qCInfo(lcAgent) << "checkpoint frame:"
                        << QJsonDocument(frame).toJson(QJsonDocument::Compact);
        if (m_uploader)
            m_uploader->enqueue(iteration);
    });
    connect(&m_sdk, &SdkChannel::protocolError, this, [this](const QString &message) {
        if (++m_sdkErrors <= kMaxSdkErrorRecords)
            m_reporter.vmlog(message);
    });

    m_graceTimer.setSingleShot(true);
    connect(&m_graceTimer, &QTimer::timeout, this, [this] {
        if (!m_child || m_child->exited())
            return;
        m_reporter.vmlog(QStringLiteral("Sending SIGTERM to the job."));
        m_child->signalJob(SIGTERM);
        m_killTimer.start(m_options.killWaitMs);
    });
    m_killTimer.setSingleShot(true);
    connect(&m_killTimer, &QTimer::timeout, this, [this] {
        if (!m_child || m_child->exited())
            return;
        m_reporter.vmlog(QStringLiteral("The job did not stop within %1 s; sending SIGKILL.")
                             .arg(m_options.killWaitMs / 1000.0));
        m_child->signalJob(SIGKILL);
    });
    m_progressTimer.setSingleShot(true);
    connect(&m_progressTimer, &QTimer::timeout, this, [this] {
        if (m_progressDirty) {
            emitProgress();
            m_progressTimer.start(kProgressIntervalMs);
        }
    });
    m_idleOutputTimer.setSingleShot(true);
    connect(&m_idleOutputTimer, &QTimer::timeout, this, &Agent::releaseIdleLines);
    m_flushDeadline.setSingleShot(true);
    connect(&m_flushDeadline, &QTimer::timeout, this, [this] {
        qCCritical(lcAgent) << "pfd did not acknowledge the last"
                            << m_reporter.buffer().pendingCount() << "records in time";
        finish(kExitUnreported);
    });
}

Agent::~Agent() = default;

void Agent::start()
{
    qCInfo(lcAgent).noquote() << "pf-agent" << PF_VERSION << "for job" << m_options.jobId << "node"
                              << m_options.nodeRank;
    fetchSpec();
}

void Agent::fetchSpec()
{
    m_client.request(
        "GET", m_client.nodePath() + QStringLiteral("/spec"), {}, [this](const HttpResult &r) {
            if (m_phase != Phase::Spec)
                return;
            if (r.ok()) {
                QJsonParseError error;
                const QJsonDocument doc = QJsonDocument::fromJson(r.body, &error);
                if (error.error == QJsonParseError::NoError && doc.isObject()) {
                    onSpec(doc.object());
                    return;
                }
            } else if (!r.transient()) {
                onFatal(QStringLiteral("fetching the node spec: ") + r.describe());
                return;
            }
            const int delay = m_specBackoff.next();
            qCInfo(lcAgent).noquote() << "fetching the node spec failed (" << r.describe()
                                      << "), retrying in" << delay << "ms";
            QTimer::singleShot(delay, this, &Agent::fetchSpec);
        });
}

void Agent::onSpec(const QJsonObject &json)
{
    m_phase = Phase::Preparing;
    m_reporter.start();
    QString error;
    std::optional<NodeSpec> spec = NodeSpec::fromJson(json, &error);
    if (!spec) {
        m_reporter.vmlog(QStringLiteral("The node spec is invalid: %1").arg(error));
        reportExit(-1, QStringLiteral("invalid node spec: ") + error);
        return;
    }
    m_spec = std::move(*spec);
    const QString image = m_spec.image.isEmpty() ? QStringLiteral("(none)") : m_spec.image;
    if (m_spec.sandbox == QLatin1String("none"))
        m_reporter.vmlog(QStringLiteral("The job asked for image %1. No container runtime is "
                                        "configured, so it runs on the host's own system, "
                                        "without a sandbox.")
                             .arg(image));
    else
        m_reporter.vmlog(QStringLiteral("The job asked for image %1. No container runtime is "
                                        "configured, so it runs on the host's own system in a "
                                        "bubblewrap sandbox.")
                             .arg(image));
    m_reporter.vmlog(QStringLiteral("pf-agent %1 on %2: node %3 of %4.")
                         .arg(QLatin1String(PF_VERSION), QHostInfo::localHostName())
                         .arg(m_spec.rank)
                         .arg(m_spec.numNodes));
    m_reporter.status(QStringLiteral("preparing"));
    prepare();
}

void Agent::prepare()
{
    const bool sandboxed = m_spec.sandbox != QLatin1String("none");
    m_reporter.vmlog(sandboxed ? QStringLiteral("Preparing the sandbox.")
                               : QStringLiteral("Preparing the job."));
    const QString cannot = sandboxed ? QStringLiteral("the sandbox could not start: ")
                                     : QStringLiteral("the job could not start: ");
    auto failStart = [this, &cannot](const QString &why) {
        QString sentence = cannot + why;
        sentence[0] = sentence[0].toUpper();
        m_reporter.vmlog(sentence + u'.');
        reportExit(-1, cannot + why);
    };

    // The node's /tmp: fresh for every run, private to the agent's user.
    m_hostTmp = m_options.workDir + QStringLiteral("/tmp-node") + QString::number(m_spec.rank);
    QDir tmp(m_hostTmp);
    if (tmp.exists() && !tmp.removeRecursively())
        return failStart(QStringLiteral("cannot clear %1").arg(m_hostTmp));
    if (!QDir().mkpath(m_hostTmp) ||
        !QFile::setPermissions(m_hostTmp, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                              QFileDevice::ExeOwner))
        return failStart(QStringLiteral("cannot create %1").arg(m_hostTmp));

    for (const Mount &m : std::as_const(m_spec.mounts)) {
        if (!QFileInfo::exists(m.host))
            return failStart(QStringLiteral("the folder %1 to be mounted at %2 does not exist")
                                 .arg(m.host, m.target));
    }
    if (!m_spec.sdkPath.isEmpty() && !QFileInfo(m_spec.sdkPath).isDir()) {
        m_reporter.vmlog(QStringLiteral("The training SDK is not at %1; `import periflow_sdk` will "
                                        "fail unless the job brings its own.")
                             .arg(m_spec.sdkPath));
        m_spec.sdkPath.clear();
    }
    QString hostCkpt;
    if (!m_spec.ckptDir.isEmpty()) {
        hostCkpt = m_spec.hostPath(m_spec.ckptDir);
        if (hostCkpt != m_spec.ckptDir)
            QDir().mkpath(hostCkpt); // so that CKPT_DIR exists for the job
        m_uploader = std::make_unique<CheckpointUploader>(&m_client, hostCkpt);
        connect(m_uploader.get(), &CheckpointUploader::message, &m_reporter, &Reporter::vmlog);
        connect(m_uploader.get(), &CheckpointUploader::idle, this, [this] {
            if (m_phase == Phase::Exited && !m_exitReported)
                reportExit(m_pendingExitCode, m_pendingExitMessage);
        });
    }

    QString error;
    if (!m_sdk.open(m_hostTmp, 0, &error))
        m_reporter.vmlog(
            QStringLiteral("The training SDK's pipes could not be made (%1); the SDK will not "
                           "reach the agent.")
                .arg(error));

    QString bwrap;
    if (sandboxed) {
        bwrap = m_options.bwrapPath;
        if (bwrap.isEmpty()) {
            bwrap = QStandardPaths::findExecutable(
                QStringLiteral("bwrap"), m_options.pathEnv.split(u':', Qt::SkipEmptyParts));
            if (bwrap.isEmpty())
                return failStart(QStringLiteral("bwrap (bubblewrap) was not found in PATH; install "
                                                "bubblewrap or set PF_BWRAP"));
        }
    }
    SandboxBuilder builder(m_spec, HostLayout::probe());
    builder.setHostTmpDir(m_hostTmp);
    const LaunchPlan plan = builder.build(bwrap);
    qCInfo(lcAgent).noquote() << "launch:" << plan.program << plan.arguments.mid(0, 4).join(u' ')
                              << "options:" << plan.sandboxOptions.size();

    m_child = std::make_unique<ChildProcess>();
    m_child->setOutputHandler([this](ChildProcess::Stream s, QByteArrayView bytes, qint64 ms) {
        onOutput(s, bytes, ms);
    });
    connect(m_child.get(), &ChildProcess::marker, this, &Agent::onMarker);
    connect(m_child.get(), &ChildProcess::finished, this, &Agent::onChildFinished);
    if (!m_child->start(plan, &error)) {
        m_child.reset();
        return failStart(error);
    }
    m_phase = Phase::Launched;
    m_child->setPaused(m_reporter.backpressured());
}

void Agent::onOutput(ChildProcess::Stream stream, QByteArrayView bytes, qint64 timeMs)
{
    const int index = stream == ChildProcess::Stream::Stdout ? 0 : 1;
    const LogType type = index == 0 ? LogType::Stdout : LogType::Stderr;
    if (index == 1 && m_phase == Phase::Launched) {
        m_stderrTail.append(bytes.data(), bytes.size());
        if (m_stderrTail.size() > kStderrTail)
            m_stderrTail.remove(0, m_stderrTail.size() - kStderrTail);
    }
    m_splitters[index].feed(
        bytes, [this, type, timeMs](QByteArrayView line) { m_reporter.log(type, line, timeMs); });
    // A redraw that ends with '\r' ("50%\r", then a pause) should not wait for
    // the next write, nor a line still being written (tqdm's "\r 40%|####")
    // for its end; restarted on each such read, the timer fires once the
    // output has paused.
    if (m_splitters[index].holdsCarriageReturn() || m_splitters[index].holdsUnfinishedLine())
        m_idleOutputTimer.start(kIdleOutputWaitMs);
}

void Agent::releaseIdleLines()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (int i = 0; i < 2; ++i) {
        const LogType type = i == 0 ? LogType::Stdout : LogType::Stderr;
        const auto sink = [this, type, now](QByteArrayView line) {
            m_reporter.log(type, line, now);
        };
        m_splitters[i].releaseCarriageReturn(sink);
        m_splitters[i].showUnfinishedLine(sink);
    }
}

void Agent::onMarker(const QByteArray &line)
{
    qCInfo(lcAgent) << "marker" << line;
    // The job waits for the acknowledgement below, so what the pipes hold
    // now was written before the marker and belongs before its record.
    if (m_child)
        m_child->drain();
    // The job is waiting for the acknowledgement: a '\r' it ended with is not
    // followed by a '\n' before the marker.
    releaseIdleLines();
    if (line == "start") {
        m_phase = Phase::Started;
        m_reporter.status(QStringLiteral("running"));
    } else if (line == "setup") {
        m_phase = Phase::Setup;
        m_reporter.vmlog(QStringLiteral("Running setup."));
    } else if (line.startsWith("setup-failed")) {
        m_setupFailedCode = line.mid(13).toInt();
        m_reporter.vmlog(QStringLiteral("Setup failed with exit code %1.").arg(m_setupFailedCode));
    } else if (line == "run") {
        m_phase = Phase::Run;
        m_reporter.vmlog(QStringLiteral("Running the command."));
    }
    if (m_child)
        m_child->acknowledgeMarker();
}

void Agent::onChildFinished(int exitCode, int signal)
{
    const Phase phase = m_phase;
    m_phase = Phase::Exited;
    m_graceTimer.stop();
    m_killTimer.stop();
    m_idleOutputTimer.stop();
    for (int i = 0; i < 2; ++i) {
        const LogType type = i == 0 ? LogType::Stdout : LogType::Stderr;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        m_splitters[i].finish(
            [this, type, now](QByteArrayView line) { m_reporter.log(type, line, now); });
    }
    m_sdk.drain(); // frames written just before the exit
    if (m_progressDirty)
        emitProgress();
    m_sdk.close();

    int code = exitCode;
    QString message;
    if (phase == Phase::Launched) {
        // The wrapper never said "start": bwrap failed to set the sandbox up
        // (or, without one, the shell did not start).
        const bool sandboxed = m_spec.sandbox != QLatin1String("none");
        QString why = QString::fromUtf8(m_stderrTail).trimmed();
        if (why.isEmpty())
            why = QStringLiteral("%1 exited with code %2")
                      .arg(sandboxed ? QStringLiteral("bwrap") : QStringLiteral("/bin/sh"))
                      .arg(exitCode);
        else
            why = why.section(u'\n', -1); // its last word
        code = -1;
        if (m_terminating)
            message = QStringLiteral("terminated before the job started");
        else
            message = (sandboxed ? QStringLiteral("the sandbox could not start: ")
                                 : QStringLiteral("the job could not start: ")) +
                      why;
        QString sentence = message;
        sentence[0] = sentence[0].toUpper();
        m_reporter.vmlog(sentence + u'.');
    } else {
        QString how;
        if (signal != 0)
            how =
                QStringLiteral("was killed by signal %1 (%2)").arg(signal).arg(signalName(signal));
        else if (exitCode > 128 && exitCode < 128 + 65)
            how = QStringLiteral("exited with code %1 (signal %2)")
                      .arg(exitCode)
                      .arg(signalName(exitCode - 128));
        else
            how = QStringLiteral("exited with code %1").arg(exitCode);
        if (m_terminating)
            message = QStringLiteral("terminated on request; the job ") + how;
        else if (m_setupFailedCode >= 0)
            message = QStringLiteral("the setup command ") + how;
        else
            message = QStringLiteral("the command ") + how;
        QString sentence = message;
        sentence[0] = sentence[0].toUpper();
        m_reporter.vmlog(sentence + u'.');
    }
    if (m_refused) {
        finish(kExitRefused);
        return;
    }
    m_pendingExitCode = code;
    m_pendingExitMessage = message;
    if (m_uploader && !m_uploader->isIdle()) {
        m_reporter.vmlog(QStringLiteral("Waiting for the checkpoint upload to finish."));
        return; // CheckpointUploader::idle reports the exit
    }
    reportExit(code, message);
}

void Agent::reportExit(int exitCode, const QString &message)
{
    if (m_exitReported)
        return;
    m_exitReported = true;
    m_phase = Phase::Exited;
    m_reporter.status(QStringLiteral("exited"), exitCode, message);
    finishReporting();
}

void Agent::finishReporting()
{
    qCInfo(lcAgent) << "reporting the last" << m_reporter.buffer().pendingCount() << "records";
    m_reporter.flush();
    m_flushDeadline.start(m_options.finalFlushTimeoutMs);
    if (m_reporter.allAcknowledged())
        finish(kExitOk);
}

void Agent::finish(int code)
{
    if (m_finished)
        return;
    m_finished = true;
    m_phase = Phase::Done;
    m_flushDeadline.stop();
    m_reporter.stop();
    qCInfo(lcAgent) << "done, exit code" << code;
    // Let the current signal handlers return first.
    QTimer::singleShot(0, this, [this, code] { Q_EMIT done(code); });
}

void Agent::onFatal(const QString &error)
{
    qCCritical(lcAgent).noquote() << "pfd refused the agent:" << error;
    m_refused = true;
    if (m_child && !m_child->exited()) {
        // Nobody can hear about this job any more: stop it.
        m_child->signalJob(SIGTERM);
        m_killTimer.start(m_options.killWaitMs);
        return;
    }
    finish(kExitRefused);
}

void Agent::onCommand(const QJsonObject &command)
{
    const QString type = command.value(QStringLiteral("type")).toString();
    if (type == QLatin1String("terminate")) {
        const QJsonValue grace = command.value(QStringLiteral("grace_s"));
        beginTerminate(grace.isDouble() ? qMax(0, grace.toInt()) : m_spec.graceS,
                       QStringLiteral("pfd asked to terminate the job"));
    } else {
        qCWarning(lcAgent).noquote()
            << "unknown command" << QJsonDocument(command).toJson(QJsonDocument::Compact);
    }
}

void Agent::terminateLocally()
{
    beginTerminate(m_spec.graceS, QStringLiteral("the agent was asked to stop"));
}

void Agent::beginTerminate(int graceS, const QString &why)
{
    if (m_terminating || m_phase == Phase::Exited || m_phase == Phase::Done)
        return;
    m_terminating = true;
    qCInfo(lcAgent).noquote() << why << "(grace" << graceS << "s)";
    if (m_phase == Phase::Spec) {
        // No spec yet (pfd may be unreachable): reporting needs none.
        m_phase = Phase::Exited;
        m_reporter.start();
        m_reporter.vmlog(QStringLiteral("Terminated before the job started."));
        reportExit(-1, QStringLiteral("terminated before the job started"));
        return;
    }
    if (m_phase == Phase::Preparing && !m_child) {
        m_reporter.vmlog(QStringLiteral("Terminated before the job started."));
        reportExit(-1, QStringLiteral("terminated before the job started"));
        return;
    }
    if (m_sdk.isOpen() && m_sdk.sendEmergencySave(-1))
        m_reporter.vmlog(QStringLiteral("Terminating: asked the job for an emergency save; "
                                        "stopping it in %1 s.")
                             .arg(graceS));
    else
        m_reporter.vmlog(QStringLiteral("Terminating: stopping the job in %1 s.").arg(graceS));
    m_graceTimer.start(graceS * 1000);
}

void Agent::onMetric(const QJsonObject &frame)
{
    const QJsonValue stepValue = frame.value(QStringLiteral("step"));
    const qint64 step = stepValue.isDouble() ? stepValue.toInteger() : m_step;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (auto it = frame.begin(); it != frame.end(); ++it) {
        const QString &key = it.key();
        if (key == QLatin1String("step") || key == QLatin1String("rank") ||
            key == QLatin1String("local_rank"))
            continue;
        if (!it.value().isDouble())
            continue; // strings, booleans, lists: not a metric
        const double value = it.value().toDouble();
        if (!std::isfinite(value))
            continue;
        m_reporter.metric(key, step, value, now);
    }
}

void Agent::noteProgress()
{
    m_progressDirty = true;
    if (!m_progressTimer.isActive()) {
        emitProgress();
        m_progressTimer.start(kProgressIntervalMs);
    }
}

void Agent::emitProgress()
{
    m_progressDirty = false;
    m_reporter.progress(m_step, m_total);
}

} // namespace pf::agent
