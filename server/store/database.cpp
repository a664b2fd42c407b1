// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "database.h"

#include <thread>

#include <QDateTime>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSqlDriver>
#include <QSqlError>
#include <QUrl>

#include "server/store/migrations.h"

Q_LOGGING_CATEGORY(lcStore, "pf.store")

namespace pf::server {

std::optional<DatabaseConfig> DatabaseConfig::parse(const QString &url, QString *error)
{
    DatabaseConfig c;
    if (url.startsWith(u"postgresql://") || url.startsWith(u"postgres://")) {
        const QUrl u(url);
        if (!u.isValid() || u.path().size() < 2) {
            *error = QStringLiteral("a PostgreSQL URL needs the form "
                                    "postgresql://user:password@host:port/dbname");
            return std::nullopt;
        }
        c.backend = DatabaseConfig::Backend::Postgres;
        c.host = u.host().isEmpty() ? QStringLiteral("localhost") : u.host();
        c.port = u.port(5432);
        c.user = u.userName();
        c.password = u.password();
        c.name = u.path().mid(1);
        return c;
    }
    // Any other "scheme://" is a mistake (a typo of postgresql://, another
    // database), not a file name.
    static const QRegularExpression otherScheme(QStringLiteral("^[A-Za-z][A-Za-z0-9+.-]*://"));
    if (!url.startsWith(u"sqlite:") && otherScheme.match(url).hasMatch()) {
        *error = QStringLiteral("unsupported database URL; use postgresql://..., sqlite:PATH "
                                "or a file path");
        return std::nullopt;
    }
    QString path = url;
    if (path.startsWith(u"sqlite:"))
        path = path.mid(7);
    if (path.isEmpty()) {
        *error = QStringLiteral("the SQLite database path is empty");
        return std::nullopt;
    }
    c.sqlitePath = path;
    return c;
}

Database::Database(DatabaseConfig config)
    : m_config(std::move(config))
{}

Database::~Database()
{
    std::lock_guard lock(m_mutex);
    for (const QString &name : std::as_const(m_names))
        QSqlDatabase::removeDatabase(name);
}

QString Database::connectionName() const
{
    return QStringLiteral("pf-%1-%2")
        .arg(quintptr(this), 0, 16)
        .arg(qulonglong(std::hash<std::thread::id>{}(std::this_thread::get_id())), 0, 16);
}

QSqlDatabase Database::connection()
{
    const QString name = connectionName();
    QSqlDatabase db;
    if (QSqlDatabase::contains(name)) {
        // Open, or registered by an earlier attempt whose open() failed.
        db = QSqlDatabase::database(name, false);
        if (db.isOpen())
            return db;
    } else if (isSqlite()) {
        db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(m_config.sqlitePath);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
    } else {
        db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        db.setHostName(m_config.host);
        db.setPort(m_config.port);
        db.setUserName(m_config.user);
        db.setPassword(m_config.password);
        db.setDatabaseName(m_config.name);
    }
    {
        std::lock_guard lock(m_mutex);
        m_names.insert(name);
    }
    if (!db.open())
        throw StoreError("cannot open the database: " + db.lastError().text().toStdString());
    if (isSqlite()) {
        runSql(db, QStringLiteral("PRAGMA journal_mode=WAL"));
        runSql(db, QStringLiteral("PRAGMA synchronous=NORMAL"));
        runSql(db, QStringLiteral("PRAGMA foreign_keys=ON"));
    }
    return db;
}

void Database::closeThisThread()
{
    const QString name = connectionName();
    {
        std::lock_guard lock(m_mutex);
        if (!m_names.remove(name))
            return;
    }
    {
        QSqlDatabase db = QSqlDatabase::database(name, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

int Database::migrate()
{
    QSqlDatabase db = connection();
    runSql(db, QStringLiteral("CREATE TABLE IF NOT EXISTS schema_migrations "
                              "(version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)"));
    int current = 0;
    {
        QSqlQuery q = runSql(db, QStringLiteral("SELECT MAX(version) FROM schema_migrations"));
        if (q.next())
            current = q.value(0).toInt();
    }
    const QList<Migration> all = migrations(isSqlite());
    for (const Migration &m : all) {
        if (m.version <= current)
            continue;
        Transaction tx(db, isSqlite());
        for (const QString &statement : m.statements)
            runSql(db, statement);
        runSql(db,
               QStringLiteral("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)"),
               {m.version, QDateTime::currentMSecsSinceEpoch()});
        tx.commit();
        qCInfo(lcStore) << "applied migration" << m.version << m.name;
        current = m.version;
    }
    return current;
}

QSqlQuery runSql(QSqlDatabase &db, const QString &sql, const QVariantList &binds)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    bool ok = false;
    if (binds.isEmpty()) {
        // Run directly: QPSQL turns prepare() into an SQL PREPARE, which
        // PostgreSQL allows only for SELECT/INSERT/UPDATE/DELETE/VALUES, so DDL,
        // BEGIN and COMMIT would fail there.
        ok = q.exec(sql);
    } else {
        if (!q.prepare(sql))
            throw StoreError("cannot prepare SQL: " + q.lastError().text().toStdString() +
                             " in: " + sql.left(200).toStdString());
        for (const QVariant &v : binds)
            // A null QString binds as SQL NULL; callers mean the empty text.
            q.addBindValue(v.typeId() == QMetaType::QString && v.toString().isNull()
                               ? QVariant(QStringLiteral(""))
                               : v);
        ok = q.exec();
    }
    if (!ok) {
        const QSqlError e = q.lastError();
        const QString code = e.nativeErrorCode();
        // SQLite: 2067 SQLITE_CONSTRAINT_UNIQUE, 1555 PRIMARYKEY; PostgreSQL: 23505.
        if (code == u"2067" || code == u"1555" || code == u"23505" ||
            e.databaseText().contains(u"UNIQUE constraint failed"))
            throw UniqueViolation(e.text().toStdString());
        throw StoreError("SQL failed: " + e.text().toStdString() +
                         " in: " + sql.left(200).toStdString());
    }
    return q;
}

Transaction::Transaction(QSqlDatabase &db, bool sqlite)
    : m_db(db)
{
    runSql(m_db, sqlite ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("BEGIN"));
}

Transaction::~Transaction()
{
    if (m_done)
        return;
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("ROLLBACK")))
        qCWarning(lcStore) << "rollback failed:" << q.lastError().text();
}

void Transaction::commit()
{
    runSql(m_db, QStringLiteral("COMMIT"));
    m_done = true;
}

} // namespace pf::server
