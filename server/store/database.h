// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <mutex>
#include <optional>
#include <stdexcept>

#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

namespace pf::server {

// A store failure that is not the caller's fault (disk, driver, lost server).
class StoreError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

// A UNIQUE constraint rejected a write; repositories turn it into a 409.
class UniqueViolation : public StoreError
{
public:
    using StoreError::StoreError;
};

struct DatabaseConfig
{
    enum class Backend { Sqlite, Postgres };
    Backend backend = Backend::Sqlite;
    QString sqlitePath;
    QString host;
    int port = 5432;
    QString user;
    QString password;
    QString name;

    // "sqlite:/abs/path.db", a bare path, or
    // "postgresql://user:password@host:port/dbname" (also "postgres://").
    static std::optional<DatabaseConfig> parse(const QString &url, QString *error);
};

// The SQL store's connections: one QSqlDatabase per thread that uses it
// (Qt Sql connections must stay on the thread that opened them), SQLite in
// WAL mode or PostgreSQL, chosen by DatabaseConfig. Thread-safe.
class Database
{
public:
    explicit Database(DatabaseConfig config);
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    const DatabaseConfig &config() const { return m_config; }
    bool isSqlite() const { return m_config.backend == DatabaseConfig::Backend::Sqlite; }

    // This thread's connection, opened on first use. Throws StoreError.
    QSqlDatabase connection();
    // Closes this thread's connection (worker threads call it on exit).
    void closeThisThread();

    // Applies the numbered migrations not yet applied, each in a transaction.
    // Returns the schema version. Throws StoreError.
    int migrate();

private:
    QString connectionName() const;

    DatabaseConfig m_config;
    std::mutex m_mutex;
    QSet<QString> m_names;
};

// Runs one statement with positional bindings ('?'). Throws UniqueViolation
// or StoreError. The returned query is positioned before the first row.
QSqlQuery runSql(QSqlDatabase &db, const QString &sql, const QVariantList &binds = {});

// BEGIN IMMEDIATE on SQLite (so writers queue on the busy timeout instead of
// failing on lock upgrade), BEGIN on PostgreSQL; rolls back unless committed.
class Transaction
{
public:
    Transaction(QSqlDatabase &db, bool sqlite);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;
    void commit();

private:
    QSqlDatabase &m_db;
    bool m_done = false;
};

} // namespace pf::server
