// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <memory>
#include <ostream>
#include <string>

#include <gtest/gtest.h>

#include <QSqlDatabase>
#include <QString>
#include <QTemporaryDir>

#include "server/store/database.h"
#include "server/store/migrations.h"

namespace pf::servertest {

// The store backends the database and repository tests run on.
enum class Backend { Sqlite, Postgres };

// "Sqlite" / "Postgres", for parameterised test names.
std::string backendName(const ::testing::TestParamInfo<Backend> &info);
// The schema version a fresh database migrates to: the newest migration.
inline int latestSchema()
{
    return pf::server::migrations(true).last().version;
}

inline void PrintTo(Backend backend, std::ostream *os)
{
    *os << (backend == Backend::Sqlite ? "SQLite" : "PostgreSQL");
}

// One test's private database: SQLite in a temporary directory, or a fresh
// schema in the PostgreSQL database named by PF_TEST_POSTGRES_URL (selected
// for every connection through libpq's PGOPTIONS, so the per-thread
// connections of Database land in it too). The schema is dropped again in
// the destructor; its name is unique, so a crashed run never breaks the next.
//
// Owner thread: the test's main thread. Every QSqlDatabase handle taken from
// database() must be gone before the TestDatabase is destroyed.
class TestDatabase
{
public:
    // nullptr with *skipReason set when the backend is not available.
    static std::unique_ptr<TestDatabase> create(Backend backend, QString *skipReason);
    ~TestDatabase();
    TestDatabase(const TestDatabase &) = delete;
    TestDatabase &operator=(const TestDatabase &) = delete;

    server::Database &database() { return *m_db; }
    const server::DatabaseConfig &config() const { return m_config; }
    // Replaces the Database with a new one over the same storage (as a
    // restarted server would open it).
    void reopen();

private:
    TestDatabase() = default;
    bool adminExec(const QStringList &statements, QString *error);

    QTemporaryDir m_dir;
    server::DatabaseConfig m_config;
    QString m_schema; // PostgreSQL only
    std::unique_ptr<server::Database> m_db;
};

// Fixture for tests that run on every backend. The database is migrated in
// SetUp() unless the derived fixture sets m_migrate = false first.
class StoreTest : public ::testing::TestWithParam<Backend>
{
protected:
    void SetUp() override;
    void TearDown() override;

    bool sqlite() const { return GetParam() == Backend::Sqlite; }
    server::Database &db() { return m_store->database(); }
    // This thread's connection.
    QSqlDatabase conn() { return m_store->database().connection(); }
    // SELECT COUNT(*) FROM `table` [WHERE `where`].
    qint64 count(const QString &table, const QString &where = {}, const QVariantList &binds = {});

    bool m_migrate = true;
    std::unique_ptr<TestDatabase> m_store;
};

} // namespace pf::servertest

// Instantiates a StoreTest-derived fixture for SQLite and PostgreSQL.
#define PF_INSTANTIATE_STORE_TEST(Fixture)                                                         \
    INSTANTIATE_TEST_SUITE_P(                                                                      \
        Store, Fixture,                                                                            \
        ::testing::Values(::pf::servertest::Backend::Sqlite, ::pf::servertest::Backend::Postgres), \
        ::pf::servertest::backendName)
