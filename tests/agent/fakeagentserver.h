// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include "server/http/accesslog.h"
#include "server/http/httpserver.h"
#include "server/http/router.h"
#include "server/http/workerpool.h"

namespace pf::agenttest {

// pfd's side of the agent protocol (docs/jobs.md, "/agent/") for one job,
// on pf_server's real HttpServer and Router, with the state in memory so
// that it survives stop() and start() (a pfd restart, on a new port).
//
//   FakeAgentServer server(jobId, token, serverFile);
//   server.setSpec(0, spec);
//   server.start();                       // writes serverFile
//   ... run pf-agent ...
//   server.waitFor([](const auto &s) { return s.exited(0); }, 30000);
//
// Reports are applied as pfd applies them: records with seq above the
// node's last acknowledged one, in order; the rest are counted and ignored.
class FakeAgentServer
{
public:
    struct Checkpoint
    {
        QString id;
        qint64 iteration = 0;
        QJsonArray declared;
        std::map<QString, QByteArray> files;
        bool completed = false;
    };

    struct Node
    {
        QJsonObject spec;
        qint64 acked = 0;
        std::vector<QJsonObject> records; // applied, in seq order
        qint64 resent = 0;                // records at or below acked sent again
        qint64 gaps = 0;                  // records above acked + 1 (must not happen)
        int reports = 0;                  // applied (whatever the answer)
        int okAnswers = 0;                // answered 200
        int emptyReports = 0;
        QJsonArray commands; // handed out with the next answer
        int specFetches = 0;
    };

    struct State
    {
        std::map<int, Node> nodes;
        std::vector<Checkpoint> checkpoints;
        int failReports = 0;    // answer 503 without applying
        int failAfterApply = 0; // apply, then answer 503 (a lost answer)
        int unauthorized = 0;   // requests with a wrong token

        // Records of one node of a kind ("log", "status", ...).
        std::vector<QJsonObject> of(int rank, const QString &kind) const;
        // Contents of log records of a type ("stdout", "stderr", "vmlog").
        QStringList logs(int rank, const QString &type) const;
        // The exited status record, or an empty object.
        QJsonObject exitStatus(int rank) const;
        bool exited(int rank) const { return !exitStatus(rank).isEmpty(); }
    };

    FakeAgentServer(QString jobId, QString token, QString serverFile);
    ~FakeAgentServer();
    FakeAgentServer(const FakeAgentServer &) = delete;
    FakeAgentServer &operator=(const FakeAgentServer &) = delete;

    void setSpec(int rank, const QJsonObject &spec);

    // Starts listening on a new free port and writes the server file.
    quint16 start();
    // Stops listening (the server file stays, pointing nowhere).
    void stop();
    bool running() const { return m_http != nullptr; }
    quint16 port() const { return m_port; }

    // Runs `f` on the state under the lock.
    template <typename F>
    auto inspect(F &&f) const
    {
        std::lock_guard lock(m_mutex);
        return f(m_state);
    }
    void modify(const std::function<void(State &)> &f);

    // Waits until `pred(state)` holds; false after timeoutMs.
    bool waitFor(const std::function<bool(const State &)> &pred, int timeoutMs) const;

private:
    void addRoutes();
    bool authorized(server::Request &request);

    QString m_jobId;
    QByteArray m_auth;
    QString m_serverFile;
    server::Router m_router;
    server::AccessLog m_accessLog{nullptr};
    std::unique_ptr<server::WorkerPool> m_workers;
    std::unique_ptr<server::HttpServer> m_http;
    std::thread m_thread;
    quint16 m_port = 0;

    mutable std::mutex m_mutex;
    mutable std::condition_variable m_changed;
    State m_state;
};

} // namespace pf::agenttest
