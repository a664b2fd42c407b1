// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "serverapp.h"

#include <stdexcept>

#include <QDir>
#include <QFile>
#include <QLoggingCategory>

#include "server/auth/authservice.h"
#include "server/auth/keyfile.h"
#include "server/auth/passwordhasher.h"
#include "server/auth/secretbox.h"
#include "server/handlers/routes.h"
#include "server/handlers/servercontext.h"
#include "server/http/accesslog.h"
#include "server/http/httpserver.h"
#include "server/http/router.h"
#include "server/http/workerpool.h"
#include "server/store/database.h"
#include "server/store/vmrepo.h"

Q_LOGGING_CATEGORY(lcServer, "pf.server")

namespace pf::server {

void DataDir::prepare() const
{
    for (const QString &dir : QStringList{root, root + QStringLiteral("/keys")}) {
        if (!QDir().mkpath(dir))
            throw std::runtime_error("cannot create the folder " + dir.toStdString());
        QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }
}

namespace {

QByteArray loadKey(const QString &path, int size)
{
    QString error;
    QByteArray key = KeyFile::loadOrCreate(path, size, &error);
    if (key.isEmpty())
        throw std::runtime_error(error.toStdString());
    return key;
}

DatabaseConfig databaseConfig(const ServerConfig &config, const DataDir &dir)
{
    QString error;
    const auto parsed =
        DatabaseConfig::parse(config.database.isEmpty() ? dir.database() : config.database, &error);
    if (!parsed)
        throw std::runtime_error("database: " + error.toStdString());
    return *parsed;
}

PasswordHasher::Strength hashStrength(const ServerConfig &config)
{
    return PasswordHasher::strengthFromString(config.passwordHashing)
        .value_or(PasswordHasher::Strength::Interactive);
}

} // namespace

struct ServerApp::Private
{
    explicit Private(Options o)
        : options(std::move(o))
        , dir{options.dataDir}
        , jwtKey(loadKey(dir.jwtKey(), Jwt::KeyBytes))
        , secrets(loadKey(dir.secretKey(), SecretBox::KeyBytes))
        , hasher(hashStrength(options.config))
        , db(databaseConfig(options.config, dir))
        , auth(db, options.config, jwtKey, hasher)
        , ctx{db, options.config, auth, secrets, hasher}
        , accessLog(options.config.accessLog ? options.accessLog : nullptr)
        , workers(options.config.workerThreads, nullptr, [this] { db.closeThisThread(); })
    {}

    Options options;
    DataDir dir;
    QByteArray jwtKey;
    SecretBox secrets;
    PasswordHasher hasher;
    Database db;
    AuthService auth;
    ServerContext ctx;
    Router router;
    AccessLog accessLog;
    WorkerPool workers;
    std::unique_ptr<HttpServer> http;
};

ServerApp::ServerApp(Options options)
{
    if (options.dataDir.isEmpty())
        throw std::runtime_error("a data dir is required");
    DataDir{options.dataDir}.prepare();
    d = std::make_unique<Private>(std::move(options));
    const int version = d->db.migrate();
    VmRepo(d->db.connection()).syncTypes(d->options.config.vmTypes);
    d->db.closeThisThread();
    qCInfo(lcServer) << "data dir" << d->dir.root << "schema version" << version;

    addAllRoutes(d->router, d->ctx);
    HttpServerOptions http;
    http.address = d->options.address.toStdString();
    http.port = d->options.port;
    http.ioThreads = d->options.config.ioThreads;
    http.defaultBodyLimit = d->options.config.maxBodyBytes;
    http.handlerTimeout = std::chrono::seconds(d->options.config.requestTimeoutSecs);
    d->http = std::make_unique<HttpServer>(http, d->router, d->workers, d->accessLog);
}

ServerApp::~ServerApp()
{
    if (d) {
        d->http.reset();
        d->workers.stop();
    }
}

quint16 ServerApp::listen()
{
    return d->http->listen();
}

void ServerApp::run()
{
    d->http->run();
    d->workers.stop();
}

void ServerApp::stop()
{
    d->http->stop();
}

} // namespace pf::server
