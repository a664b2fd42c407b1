// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "serverapp.h"

#include <stdexcept>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSaveFile>

#include "server/auth/authservice.h"
#include "server/auth/keyfile.h"
#include "server/auth/passwordhasher.h"
#include "server/auth/secretbox.h"
#include "server/auth/urlsigner.h"
#include "server/handlers/routes.h"
#include "server/handlers/servercontext.h"
#include "server/http/accesslog.h"
#include "server/http/httpserver.h"
#include "server/http/router.h"
#include "server/http/websocketrouter.h"
#include "server/http/workerpool.h"
#include "server/jobs/jobevents.h"
#include "server/jobs/jobservice.h"
#include "server/jobs/localexecutor.h"
#include "server/jobs/scheduler.h"
#include "server/storage/housekeeper.h"
#include "server/storage/localobjectstore.h"
#include "server/store/database.h"
#include "server/store/logstore.h"
#include "server/store/vmrepo.h"

Q_LOGGING_CATEGORY(lcServer, "pf.server")

namespace pf::server {

void DataDir::prepare() const
{
    for (const QString &dir : QStringList{root, root + QStringLiteral("/keys"), jobs(), objects(),
                                          spool(), root + QStringLiteral("/run")}) {
        if (!QDir().mkpath(dir))
            throw std::runtime_error("cannot create the folder " + dir.toStdString());
        QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }
    // Bodies a previous pfd was receiving when it died: never published.
    QDir tmp(spool());
    for (const QString &name : tmp.entryList(QDir::Files | QDir::Hidden | QDir::System))
        tmp.remove(name);
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

QString agentBinary(const ServerConfig &config)
{
    return config.agentBinary.isEmpty()
               ? QCoreApplication::applicationDirPath() + QStringLiteral("/pf-agent")
               : config.agentBinary;
}

// The SDK mounted into jobs: configured, installed beside pfd, or the
// source tree this build came from.
QString sdkPath(const ServerConfig &config)
{
    if (!config.sdkPath.isEmpty())
        return config.sdkPath;
    const QString installed =
        QCoreApplication::applicationDirPath() + QStringLiteral("/../share/pfstudio/sdk/python");
    if (QFileInfo::exists(installed + QStringLiteral("/periflow_sdk")))
        return QFileInfo(installed).canonicalFilePath();
    return QStringLiteral(PF_SDK_DIR);
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
        , logs(dir.jobs())
        , executor(agentBinary(options.config))
        , jobs(db, options.config, auth, logs, events, executor,
               {dir.jobs(), dir.objects(), dir.serverFile(), sdkPath(options.config)})
        , scheduler(jobs, db)
        , objects(dir.objects())
        , signer(loadKey(dir.storageKey(), 32))
        , ctx{db,        options.config, auth,   secrets, hasher, jobs,
              scheduler, logs,           events, objects, signer, dir.spool()}
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
    LogStore logs;
    JobEvents events;
    LocalExecutor executor;
    JobService jobs;
    JobScheduler scheduler;
    LocalObjectStore objects;
    Housekeeper housekeeper{db, objects, options.config};
    UrlSigner signer;
    ServerContext ctx;
    Router router;
    WebSocketRouter webSockets;
    AccessLog accessLog;
    WorkerPool workers;
    std::unique_ptr<HttpServer> http;
};

ServerApp::ServerApp(Options options)
{
    if (options.dataDir.isEmpty())
        throw std::runtime_error("a data dir is required");
    // Before prepare(), which empties the spool folder another pfd may be using.
    const QString run = options.dataDir + QStringLiteral("/run");
    if (!QDir().mkpath(run))
        throw std::runtime_error("cannot create " + run.toStdString());
    m_lock.fd = ::open(QFile::encodeName(run + QStringLiteral("/pfd.lock")).constData(),
                       O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (m_lock.fd < 0 || ::flock(m_lock.fd, LOCK_EX | LOCK_NB) != 0)
        throw std::runtime_error("another pfd is already serving the data dir " +
                                 options.dataDir.toStdString());
    DataDir{options.dataDir}.prepare();
    d = std::make_unique<Private>(std::move(options));
    const int version = d->db.migrate();
    VmRepo(d->db.connection()).syncTypes(d->options.config.vmTypes);
    d->db.closeThisThread();
    qCInfo(lcServer) << "data dir" << d->dir.root << "schema version" << version;

    addAllRoutes(d->router, d->ctx);
    addAllWebSocketRoutes(d->webSockets, d->ctx);
    HttpServerOptions http;
    http.address = d->options.address.toStdString();
    http.port = d->options.port;
    http.ioThreads = d->options.config.ioThreads;
    http.defaultBodyLimit = d->options.config.maxBodyBytes;
    http.handlerTimeout = std::chrono::seconds(d->options.config.requestTimeoutSecs);
    http.readTimeout = std::chrono::seconds(d->options.config.readTimeoutSecs);
    http.spoolDir = d->dir.spool().toStdString();
    // Bodies spooled by an earlier run that ended mid-upload.
    QDir spool(d->dir.spool());
    for (const QFileInfo &entry :
         spool.entryInfoList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot)) {
        if (entry.isDir())
            QDir(entry.filePath()).removeRecursively();
        else
            QFile::remove(entry.filePath());
    }
    d->http =
        std::make_unique<HttpServer>(http, d->router, d->workers, d->accessLog, &d->webSockets);
}

ServerApp::LockFd::~LockFd()
{
    if (fd >= 0)
        ::close(fd);
}

ServerApp::~ServerApp()
{
    if (d) {
        d->scheduler.stop();
        d->housekeeper.stop();
        d->http.reset();
        d->workers.stop();
    }
}

quint16 ServerApp::listen()
{
    const quint16 port = d->http->listen();
    // Agents find this pfd through the server file; write it atomically.
    QString host = d->options.address == u"0.0.0.0" || d->options.address == u"::"
                       ? QStringLiteral("127.0.0.1")
                       : d->options.address;
    if (host.contains(u':'))
        host = u'[' + host + u']';
    QSaveFile file(d->dir.serverFile());
    if (file.open(QIODevice::WriteOnly)) {
        file.write(QStringLiteral("http://%1:%2\n").arg(host).arg(port).toUtf8());
        file.commit();
    }
    d->scheduler.start();
    d->housekeeper.start();
    return port;
}

void ServerApp::run()
{
    d->http->run();
    d->scheduler.stop();
    d->housekeeper.stop();
    d->workers.stop();
}

void ServerApp::stop()
{
    d->http->stop();
}

} // namespace pf::server
