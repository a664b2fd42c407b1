// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <functional>
#include <memory>

#include <QByteArray>
#include <QObject>
#include <QSocketNotifier>
#include <QTimer>

#include "agent/sandboxbuilder.h"

namespace pf::agent {

// The job's process tree, started from a LaunchPlan, with its stdout and
// stderr read separately and its phase markers (SandboxBuilder::kMarkerFd,
// a socket: the job writes a marker line and waits for an acknowledgement).
//
//   ChildProcess child;
//   child.setOutputHandler([](ChildProcess::Stream s, QByteArrayView bytes, qint64 ms) {...});
//   connect(&child, &ChildProcess::finished, ...);
//   if (!child.start(plan, &error)) ...
//
// The process is started with posix_spawn in a new session (so it and all it
// starts form one process group), stdin from /dev/null, nothing inherited
// but descriptors 0-4. Output is read in chunks of up to 256 KiB straight
// into one reused buffer; the handler must consume a chunk before it
// returns. setPaused(true) stops reading (the pipes fill and the job blocks
// on its writes: backpressure, nothing is lost). finished() comes once the
// process has been reaped and both outputs reached end-of-file (or, if
// something the job left behind keeps them open, two seconds after the exit
// with all that was readable read). Lives in the agent's thread.
class ChildProcess final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChildProcess)

public:
    enum class Stream { Stdout, Stderr };
    using OutputHandler = std::function<void(Stream, QByteArrayView, qint64 timeMs)>;

    explicit ChildProcess(QObject *parent = nullptr);
    // Kills whatever is still running (SIGKILL) and reaps it.
    ~ChildProcess() override;

    void setOutputHandler(OutputHandler handler) { m_handler = std::move(handler); }

    // False (and *error says why) when the program cannot be started, e.g.
    // when it does not exist.
    bool start(const LaunchPlan &plan, QString *error);

    qint64 pid() const { return m_pid; }
    bool started() const { return m_pid > 0; }
    bool exited() const { return m_reaped; }

    void setPaused(bool paused);
    bool paused() const { return m_paused; }
    // Reads what the outputs hold right now (unless paused).
    void drain();
    // Reads the markers written so far (emitting marker() for each).
    void pollMarkers();
    // Lets the job go on after a marker: the wrapper waits for this after
    // each one, so output written after a marker cannot overtake it.
    void acknowledgeMarker();

    // Sends `signal` to the job's process group: with bwrap the group of the
    // sandbox's init process (the job and everything it started; the init
    // itself ignores it), without a sandbox the group of the started shell.
    // SIGKILL also goes to bwrap itself. Returns false when nothing was
    // signalled (not started, or already gone).
    bool signalJob(int signal);

    // The sandbox's init (bwrap's child), or 0 if there is none (yet).
    qint64 sandboxInitPid() const;

Q_SIGNALS:
    // One line written on the marker descriptor ("start", "setup", ...).
    void marker(const QByteArray &line);
    // exitCode is 128 + the signal's number when the process died of one;
    // signal is 0 when it exited normally.
    void finished(int exitCode, int signal);

private:
    struct Reader
    {
        int fd = -1;
        std::unique_ptr<QSocketNotifier> notifier;
    };

    void readOutput(int index);
    void closeReader(Reader &r);
    void checkExit();
    void maybeFinish();

    OutputHandler m_handler;
    Reader m_out[2];
    Reader m_marker;
    QByteArray m_markerBuffer;
    QByteArray m_chunk;
    qint64 m_pid = 0;
    bool m_sandboxed = false;
    int m_pidfd = -1;
    std::unique_ptr<QSocketNotifier> m_pidNotifier;
    QTimer m_pollTimer;   // reaping without a pidfd
    QTimer m_lingerTimer; // outputs kept open after the exit
    bool m_reaped = false;
    bool m_finished = false;
    bool m_paused = false;
    int m_exitCode = 0;
    int m_signal = 0;
};

} // namespace pf::agent
