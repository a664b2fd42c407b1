// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <cstdio>
#include <memory>

#include <QString>

#include "server/config.h"

namespace pf::server {

// Where a data dir keeps things.
struct DataDir
{
    QString root;
    QString database() const { return root + QStringLiteral("/pfd.db"); }
    QString jwtKey() const { return root + QStringLiteral("/keys/jwt.key"); }
    QString secretKey() const { return root + QStringLiteral("/keys/secret.key"); }
    // Signs the object store's URLs (/storage/).
    QString storageKey() const { return root + QStringLiteral("/keys/storage.key"); }
    QString jobs() const { return root + QStringLiteral("/jobs"); }
    QString objects() const { return root + QStringLiteral("/objects"); }
    QString spool() const { return root + QStringLiteral("/tmp"); }
    // The URL agents use to reach this pfd, rewritten at every start.
    QString serverFile() const { return root + QStringLiteral("/run/pfd.url"); }
    // Creates the folders (0700) and empties the spool folder. Throws
    // std::runtime_error.
    void prepare() const;
};

// The whole server in one object: keys, store, routes, workers, transport.
// pfd's main() and the in-process benchmarks both use it.
//
//   ServerApp app({dataDir, "127.0.0.1", 0, config});
//   const auto port = app.listen();
//   app.run();   // until stop() from another thread or a signal handler thread
class ServerApp
{
public:
    struct Options
    {
        QString dataDir;
        QString address = QStringLiteral("127.0.0.1");
        quint16 port = 8000;
        ServerConfig config = ServerConfig::defaults();
        FILE *accessLog = stderr; // nullptr: no access log
    };

    // Opens the data dir, the keys and the store, runs the migrations.
    // Holds the data dir's lock (run/pfd.lock) for its lifetime, so a second
    // pfd on the same data dir refuses to start instead of sharing it.
    // Throws std::runtime_error with a message for the user.
    explicit ServerApp(Options options);
    ~ServerApp();
    ServerApp(const ServerApp &) = delete;
    ServerApp &operator=(const ServerApp &) = delete;

    quint16 listen();
    void run();
    void stop();

private:
    struct Private;
    // Closed (so unlocked) also when the constructor throws.
    struct LockFd
    {
        int fd = -1;
        LockFd() = default;
        LockFd(const LockFd &) = delete;
        LockFd &operator=(const LockFd &) = delete;
        ~LockFd();
    };
    LockFd m_lock;
    std::unique_ptr<Private> d;
};

} // namespace pf::server
