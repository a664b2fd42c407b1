// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <memory>

#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

#include "tests/support/httpclient.h"

namespace pf::test {

// A real pfd, started as a child process on 127.0.0.1 with port 0 in a
// temporary data dir, for contract tests. stderr (the server log, with
// sign-up codes and the access log) goes to a file in the data dir's parent.
//
//   PfdProcess pfd;
//   ASSERT_TRUE(pfd.start()) << pfd.lastError();
//   auto alice = pfd.createUser("alice");
//   HttpClient c = pfd.client(alice.token); ...
class PfdProcess
{
public:
    // The configuration used unless a test gives its own: fast password
    // hashing and login limits high enough not to trip in ordinary tests.
    static QString defaultConfig();

    explicit PfdProcess(QString configYaml = defaultConfig());
    // Runs on the data dir (and writes the log) of `previous`, which must be
    // stopped first and outlive this one: for restart tests.
    PfdProcess(QString configYaml, const PfdProcess &previous);
    ~PfdProcess();
    PfdProcess(const PfdProcess &) = delete;
    PfdProcess &operator=(const PfdProcess &) = delete;

    // Listen on this port instead of a free one (set before start()): for a
    // server that comes back where it was.
    void setListenPort(quint16 port) { m_listenPort = port; }
    bool start();
    // SIGTERM and wait; returns the exit code, or -1 if it did not exit.
    int stop();
    // SIGKILL, as a crash would; returns once the process is gone.
    void kill();
    bool running() const { return m_process && m_process->state() == QProcess::Running; }

    quint16 port() const { return m_port; }
    QString dataDir() const { return rootPath() + QStringLiteral("/data"); }
    QString configPath() const { return rootPath() + QStringLiteral("/pfd.yaml"); }
    QString log() const;
    const QString &lastError() const { return m_error; }
    qint64 pid() const { return m_process ? m_process->processId() : 0; }
    // Milliseconds from start() to the port being printed.
    qint64 startupMs() const { return m_startupMs; }

    std::unique_ptr<HttpClient> client(const QString &token = {}) const;

    // `pfd admin ARGS --data-dir <this>`; returns stdout, sets *exitCode.
    QString admin(const QStringList &args, int *exitCode, const QByteArray &stdinData = {}) const;

    struct User
    {
        QString id;
        QString username;
        QString email;
        QString password;
        QString token;   // access token
        QString refresh; // refresh token
    };
    // Makes a confirmed user with `pfd admin create-user` and signs in.
    User createUser(const QString &username);
    // POST /api/token/; fills token and refresh, returns the HTTP status.
    int login(User &user) const;

    static QString binary(const QString &name);

private:
    QString rootPath() const { return m_sharedRoot.isEmpty() ? m_root.path() : m_sharedRoot; }

    QTemporaryDir m_root;
    QString m_config;
    QString m_sharedRoot; // set when reusing another process's folder
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    quint16 m_listenPort = 0;
    qint64 m_startupMs = 0;
    QString m_error;
};

} // namespace pf::test
