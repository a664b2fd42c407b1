// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <memory>

#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include "tests/support/httpclient.h"

namespace pf::bench {

// A pfd of this build on a fresh data dir in a temporary folder, with one
// signed-in user and an org and project of theirs: what the end-to-end
// benchmarks run against.
//
//   BenchServer server("vm_types: [...]\n");   // extra pfd.yaml lines
//   if (!server.start()) return 1;
//   server.client().get(...);                  // signed in
//   server.projectId();
class BenchServer
{
public:
    explicit BenchServer(const QByteArray &extraConfig = {});
    ~BenchServer();
    BenchServer(const BenchServer &) = delete;
    BenchServer &operator=(const BenchServer &) = delete;

    // Prints what went wrong to stderr and returns false on failure.
    bool start();

    quint16 port() const { return m_port; }
    test::HttpClient &client() { return *m_client; }
    const QString &projectId() const { return m_projectId; }
    // The bench user's tokens, for an ApiSession of the studio's.
    const QString &accessToken() const { return m_access; }
    const QString &refreshToken() const { return m_refresh; }
    // A scratch folder on the same disk as pfd's data dir.
    QString scratch() const { return m_dir.filePath(QStringLiteral("scratch")); }

    // pf-agent, pfd and friends beside the benchmark's binary.
    static QString bin(const QString &name);

private:
    QTemporaryDir m_dir;
    QByteArray m_extraConfig;
    QProcess m_pfd;
    quint16 m_port = 0;
    std::unique_ptr<test::HttpClient> m_client;
    QString m_projectId;
    QString m_access;
    QString m_refresh;
};

// The seconds `script` took in /bin/sh (a baseline such as `cp`).
double timeCommand(const QString &script);

} // namespace pf::bench
