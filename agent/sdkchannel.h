// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <array>
#include <memory>

#include <QJsonObject>
#include <QObject>
#include <QSocketNotifier>
#include <QString>

#include "agent/framecodec.h"

namespace pf::agent {

// The agent's end of the training SDK's named pipes (API.md, "The training
// SDK channel") for one local rank.
//
//   SdkChannel sdk;
//   if (!sdk.open(hostTmpDir, 0, &error)) ...   // before the job starts
//   connect(&sdk, &SdkChannel::stepInfo, ...);
//   sdk.sendEmergencySave(-1);                 // before a terminate
//
// open() creates the six fifos periflow_{step_info|metric|ack|
// emergency_save|last_step|ckpt}_ipc_fifo_<rank> in `dir` (the host side of
// the job's /tmp) and opens each O_RDWR | O_NONBLOCK: the agent always holds
// both ends, so the SDK's open() never blocks whichever end it opens first,
// a reader never sees end-of-file when the SDK closes its end, and what the
// agent writes (ack, emergency_save) waits in the pipe until the SDK reads
// it. Every step_info is acknowledged with {"status":"SUCCESS"} at once.
// Frames over 1 MiB and payloads that are not JSON objects are reported
// through protocolError() and skipped. Lives in the agent's thread.
class SdkChannel final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SdkChannel)

public:
    enum class Pipe { StepInfo, Metric, Ack, EmergencySave, LastStep, Ckpt, Count };

    explicit SdkChannel(QObject *parent = nullptr);
    ~SdkChannel() override;

    // "periflow_step_info_ipc_fifo_0" and so on.
    static QString fifoName(Pipe pipe, int localRank);

    bool open(const QString &dir, int localRank, QString *error);
    // Reads and handles every frame already written.
    void drain();
    void close();
    bool isOpen() const { return m_open; }

    // Non-blocking; false when the pipe is full or closed.
    bool sendAck();
    bool sendEmergencySave(qint64 step);

    qint64 stepsAcknowledged() const { return m_acks; }

Q_SIGNALS:
    void stepInfo(qint64 step, double stepTime);
    void lastStep(qint64 total);
    void metric(const QJsonObject &frame);
    void checkpoint(const QJsonObject &frame);
    void protocolError(const QString &message);

private:
    struct Endpoint
    {
        int fd = -1;
        std::unique_ptr<QSocketNotifier> notifier;
        FrameDecoder decoder;
    };

    void readable(Pipe pipe);
    void handleFrame(Pipe pipe, const QByteArray &payload);
    bool write(Pipe pipe, const QJsonObject &message);

    std::array<Endpoint, size_t(Pipe::Count)> m_pipes;
    bool m_open = false;
    qint64 m_acks = 0;
};

} // namespace pf::agent
