// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QString>

namespace pf::server {

class AuthService;
class Database;
class JobEvents;
class JobScheduler;
class JobService;
class LogStore;
class ObjectStore;
class UrlSigner;
class PasswordHasher;
class SecretBox;
struct ServerConfig;

// What handlers share. Everything here is thread-safe or read-only and
// outlives the routes.
struct ServerContext
{
    Database &db;
    const ServerConfig &config;
    AuthService &auth;
    const SecretBox &secrets;
    const PasswordHasher &hasher;
    JobService &jobs;
    JobScheduler &scheduler;
    LogStore &logs;
    JobEvents &events;
    ObjectStore &objects;
    const UrlSigner &signer;
    QString spoolDir; // where uploads are spooled (DATA_DIR/tmp)
};

} // namespace pf::server
