// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QObject>
#include <QThread>

#include "agent/reporttransport.h"

namespace pf::agent {

class HttpConnection;
class ServerClient;

// Sends reports from a thread of their own, so that sending never waits for
// the agent's main thread (busy splitting a job's output) and splitting
// never waits for the network.
//
// To an http:// pfd a report goes over a kept-alive HttpConnection, the body
// in one write; Qt Network would feed it to the socket in 16 KiB pieces, a
// cross-thread round trip each, and cap ingestion at a third of what pfd
// takes. An https:// server (pfd behind a TLS proxy) is reached through a
// ServerClient. Either way the server file is re-read after a transient
// failure, as ServerClient does for the agent's other calls.
//
// The replies' callbacks run on the thread that created this object.
class ReportThread final : public ReportTransport
{
public:
    ReportThread(const QString &serverFile, const QString &jobId, int nodeRank,
                 const QByteArray &token);
    ~ReportThread() override;
    ReportThread(const ReportThread &) = delete;
    ReportThread &operator=(const ReportThread &) = delete;

    void send(const QByteArray &body, std::function<void(const ReportReply &)> done) override;

private:
    // Runs in m_thread.
    void sendHere(const QByteArray &body, const std::function<void(const ReportReply &)> &reply);

    QThread m_thread;
    QByteArray m_token;
    // Live in and are used from m_thread only; deleted when it finishes.
    ServerClient *m_client;
    HttpConnection *m_connection;
    QObject m_home; // the creating thread, where callbacks run
};

} // namespace pf::agent
