// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <atomic>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <QSqlQuery>

#include "server/http/workerpool.h"
#include "server/store/database.h"
#include "server/store/migrations.h"
#include "tests/server/servertestutil.h"
#include "tests/server/storefixture.h"

using namespace Qt::StringLiterals;
using pf::server::Database;
using pf::server::runSql;
using pf::server::StoreError;
using pf::server::Transaction;
using pf::server::UniqueViolation;
using pf::servertest::Backend;
using pf::servertest::StoreTest;
using pf::servertest::TestDatabase;

namespace {

const QStringList kTables{u"users"_s,     u"signup_codes"_s,    u"refresh_tokens"_s,
                          u"orgs"_s,      u"org_members"_s,     u"org_invites"_s,
                          u"projects"_s,  u"project_members"_s, u"credentials"_s,
                          u"vm_config"_s, u"vm_quota"_s,        u"experiments"_s,
                          u"jobs"_s,      u"vm_lock"_s,         u"schema_migrations"_s};

// A table the tests own, created on demand.
void createScratch(QSqlDatabase &c)
{
    runSql(c, u"CREATE TABLE scratch (k TEXT PRIMARY KEY, v BIGINT NOT NULL)"_s);
}

void insertUser(QSqlDatabase &c, const QString &id, const QString &username)
{
    runSql(c,
           u"INSERT INTO users (id, username, username_key, name, email, password_hash, "
           "confirmed, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"_s,
           {id, username, username.toLower(), username, QString(username + u"@example.org"_s),
            u"hash"_s, true, qint64(1)});
}

// What `f` throws: "UniqueViolation", "StoreError", "other" or "" for nothing.
template <typename F>
std::string thrown(F f)
{
    try {
        f();
    } catch (const UniqueViolation &) {
        return "UniqueViolation";
    } catch (const StoreError &) {
        return "StoreError";
    } catch (...) {
        return "other";
    }
    return {};
}

class DatabaseTest : public StoreTest
{
protected:
    DatabaseTest() { m_migrate = false; }
};

} // namespace

PF_INSTANTIATE_STORE_TEST(DatabaseTest);

TEST_P(DatabaseTest, MigrateFromEmptyThenNoOp)
{
    const int newest = pf::servertest::latestSchema();
    ASSERT_GE(newest, 2);
    EXPECT_EQ(db().migrate(), newest);
    for (const QString &table : kTables)
        EXPECT_GE(count(table), 0) << table.toStdString();
    EXPECT_EQ(count(u"schema_migrations"_s), newest);

    EXPECT_EQ(db().migrate(), newest);
    EXPECT_EQ(count(u"schema_migrations"_s), newest);

    // A restarted server finds the schema current too.
    m_store->reopen();
    EXPECT_EQ(db().migrate(), newest);
    EXPECT_EQ(count(u"schema_migrations"_s), newest);
    QSqlDatabase c = conn();
    QSqlQuery q =
        runSql(c, u"SELECT version, applied_at FROM schema_migrations ORDER BY version"_s);
    for (int version = 1; version <= newest; ++version) {
        ASSERT_TRUE(q.next());
        EXPECT_EQ(q.value(0).toInt(), version);
        EXPECT_GT(q.value(1).toLongLong(), 0);
    }
}

TEST_P(DatabaseTest, MigrationsAreNumberedInOrder)
{
    for (const bool dialect : {true, false}) {
        const QList<pf::server::Migration> all = pf::server::migrations(dialect);
        ASSERT_FALSE(all.isEmpty());
        for (qsizetype i = 0; i < all.size(); ++i) {
            EXPECT_EQ(all[i].version, i + 1);
            EXPECT_FALSE(all[i].statements.isEmpty());
            for (const QString &s : all[i].statements)
                EXPECT_FALSE(s.contains(u"%SERIAL%"_s)) << s.toStdString();
        }
    }
}

TEST_P(DatabaseTest, ForeignKeysAreEnforced)
{
    ASSERT_EQ(db().migrate(), pf::servertest::latestSchema());
    QSqlDatabase c = conn();
    if (sqlite()) {
        QSqlQuery q = runSql(c, u"PRAGMA foreign_keys"_s);
        ASSERT_TRUE(q.next());
        EXPECT_EQ(q.value(0).toInt(), 1);
    }
    EXPECT_EQ(thrown([&] {
                  runSql(c,
                         u"INSERT INTO signup_codes (email_token, key_hash, user_id, expires_at) "
                         "VALUES ('t', 'h', 'no-such-user', 1)"_s);
              }),
              "StoreError");
    // ON DELETE CASCADE works, which also needs the pragma on SQLite.
    insertUser(c, u"u1"_s, u"ada"_s);
    runSql(c, u"INSERT INTO signup_codes (email_token, key_hash, user_id, expires_at) "
              "VALUES ('t', 'h', 'u1', 1)"_s);
    EXPECT_EQ(count(u"signup_codes"_s), 1);
    runSql(c, u"DELETE FROM users WHERE id = ?"_s, {u"u1"_s});
    EXPECT_EQ(count(u"signup_codes"_s), 0);
}

TEST_P(DatabaseTest, RunSqlErrors)
{
    QSqlDatabase c = conn();
    createScratch(c);
    runSql(c, u"INSERT INTO scratch (k, v) VALUES (?, ?)"_s, {u"a"_s, 1});
    EXPECT_EQ(thrown([&] {
                  runSql(c, u"INSERT INTO scratch (k, v) VALUES (?, ?)"_s, {u"a"_s, 2});
              }),
              "UniqueViolation");
    // A UniqueViolation is a StoreError, for callers that do not tell them apart.
    EXPECT_THROW(runSql(c, u"INSERT INTO scratch (k, v) VALUES (?, ?)"_s, {u"a"_s, 2}), StoreError);
    EXPECT_EQ(thrown([&] { runSql(c, u"SELEC 1"_s); }), "StoreError");
    EXPECT_EQ(thrown([&] { runSql(c, u"SELECT * FROM no_such_table"_s); }), "StoreError");
    EXPECT_EQ(thrown([&] {
                  runSql(c, u"INSERT INTO scratch (k, v) VALUES (?, ?)"_s, {u"b"_s, QVariant()});
              }),
              "StoreError")
        << "a NOT NULL violation is not a unique violation";
    try {
        runSql(c, u"SELECT * FROM no_such_table"_s);
        ADD_FAILURE() << "no exception";
    } catch (const StoreError &e) {
        EXPECT_NE(std::string(e.what()).find("no_such_table"), std::string::npos) << e.what();
    }
    // The connection is still usable.
    QSqlQuery q = runSql(c, u"SELECT v FROM scratch WHERE k = ?"_s, {u"a"_s});
    ASSERT_TRUE(q.next());
    EXPECT_EQ(q.value(0).toLongLong(), 1);
    EXPECT_FALSE(q.next());
}

TEST_P(DatabaseTest, RunSqlBindsTypes)
{
    QSqlDatabase c = conn();
    runSql(c, u"CREATE TABLE typed (i BIGINT, d DOUBLE PRECISION, b BOOLEAN, t TEXT)"_s);
    const qint64 big = qint64(1) << 53;
    runSql(c, u"INSERT INTO typed (i, d, b, t) VALUES (?, ?, ?, ?)"_s,
           {big, 2.5, true, u"é ' ? \" \\ %"_s});
    runSql(c, u"INSERT INTO typed (i, d, b, t) VALUES (?, ?, ?, ?)"_s,
           {QVariant(), QVariant(), false, QString()});
    QSqlQuery q = runSql(c, u"SELECT i, d, b, t FROM typed WHERE b = ?"_s, {true});
    ASSERT_TRUE(q.next());
    EXPECT_EQ(q.value(0).toLongLong(), big);
    EXPECT_DOUBLE_EQ(q.value(1).toDouble(), 2.5);
    EXPECT_TRUE(q.value(2).toBool());
    EXPECT_EQ(q.value(3).toString(), u"é ' ? \" \\ %"_s);
    EXPECT_FALSE(q.next());
    q = runSql(c, u"SELECT i FROM typed WHERE b = ?"_s, {false});
    ASSERT_TRUE(q.next());
    EXPECT_TRUE(q.value(0).isNull());
}

TEST_P(DatabaseTest, TransactionRollsBackUnlessCommitted)
{
    QSqlDatabase c = conn();
    createScratch(c);
    {
        Transaction tx(c, db().isSqlite());
        runSql(c, u"INSERT INTO scratch (k, v) VALUES ('dropped', 1)"_s);
        EXPECT_EQ(count(u"scratch"_s), 1) << "visible inside the transaction";
    }
    EXPECT_EQ(count(u"scratch"_s), 0);
    {
        Transaction tx(c, db().isSqlite());
        runSql(c, u"INSERT INTO scratch (k, v) VALUES ('kept', 1)"_s);
        tx.commit();
    }
    EXPECT_EQ(count(u"scratch"_s), 1);

    // An exception unwinds through the transaction: everything is undone,
    // including statements before the one that failed.
    EXPECT_EQ(thrown([&] {
                  Transaction tx(c, db().isSqlite());
                  runSql(c, u"INSERT INTO scratch (k, v) VALUES ('first', 1)"_s);
                  runSql(c, u"INSERT INTO scratch (k, v) VALUES ('kept', 2)"_s);
                  tx.commit();
              }),
              "UniqueViolation");
    EXPECT_EQ(count(u"scratch"_s), 1);
    EXPECT_EQ(count(u"scratch"_s, u"k = 'first'"_s), 0);
    // ... and the connection can start the next transaction.
    {
        Transaction tx(c, db().isSqlite());
        runSql(c, u"UPDATE scratch SET v = 5 WHERE k = 'kept'"_s);
        tx.commit();
    }
    EXPECT_EQ(count(u"scratch"_s, u"v = 5"_s), 1);
}

TEST_P(DatabaseTest, ConnectionIsReusedOnItsThread)
{
    const QString first = conn().connectionName();
    EXPECT_EQ(conn().connectionName(), first);
    EXPECT_TRUE(conn().isOpen());
    EXPECT_EQ(conn().driverName(), sqlite() ? u"QSQLITE"_s : u"QPSQL"_s);
}

TEST_P(DatabaseTest, ConnectionsPerThreadWriteConcurrently)
{
    ASSERT_EQ(db().migrate(), pf::servertest::latestSchema());
    {
        QSqlDatabase c = conn();
        createScratch(c);
    }
    constexpr int kThreads = 2;
    constexpr int kRows = 200;
    std::mutex mutex;
    std::vector<std::string> errors;
    std::set<QString> names;
    std::atomic<int> ready{0};
    Database &database = db();
    const QString mainName = conn().connectionName();

    const auto writer = [&](int t) {
        try {
            {
                QSqlDatabase c = database.connection();
                {
                    std::lock_guard lock(mutex);
                    names.insert(c.connectionName());
                }
                // Start writing together, so the transactions really overlap.
                ++ready;
                while (ready.load() < kThreads)
                    std::this_thread::yield();
                for (int i = 0; i < kRows; ++i) {
                    Transaction tx(c, database.isSqlite());
                    // Read then write, the pattern that deadlocks deferred
                    // SQLite transactions ("database is locked").
                    QSqlQuery q = runSql(c, u"SELECT COUNT(*) FROM scratch"_s);
                    q.next();
                    const qint64 seen = q.value(0).toLongLong();
                    q.finish();
                    runSql(c, u"INSERT INTO scratch (k, v) VALUES (?, ?)"_s,
                           {u"%1-%2"_s.arg(t).arg(i), seen});
                    tx.commit();
                }
            }
            database.closeThisThread();
        } catch (const std::exception &e) {
            std::lock_guard lock(mutex);
            errors.push_back(e.what());
        }
    };
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back(writer, t);
    for (std::thread &th : threads)
        th.join();

    EXPECT_TRUE(errors.empty()) << errors.front();
    EXPECT_EQ(names.size(), std::size_t(kThreads));
    EXPECT_EQ(names.count(mainName), 0u);
    EXPECT_EQ(count(u"scratch"_s), kThreads * kRows);
    for (int t = 0; t < kThreads; ++t)
        EXPECT_EQ(count(u"scratch"_s, u"k LIKE ?"_s, {u"%1-%"_s.arg(t)}), kRows);
    // BEGIN IMMEDIATE serialises SQLite's writers: each transaction saw every
    // earlier commit, so no two read the same count.
    if (sqlite()) {
        EXPECT_EQ(count(u"(SELECT DISTINCT v FROM scratch) d"_s), kThreads * kRows);
    }
    // The threads' connections are gone.
    for (const QString &name : names)
        EXPECT_FALSE(QSqlDatabase::contains(name)) << name.toStdString();
}

TEST_P(DatabaseTest, WorkerPoolThreadsCloseTheirConnections)
{
    ASSERT_EQ(db().migrate(), pf::servertest::latestSchema());
    {
        QSqlDatabase c = conn();
        createScratch(c);
    }
    Database &database = db();
    std::atomic<int> failures{0};
    std::mutex mutex;
    std::set<QString> names;
    {
        pf::server::WorkerPool pool(3, nullptr, [&database] { database.closeThisThread(); });
        for (int i = 0; i < 90; ++i) {
            pool.post([&, i] {
                try {
                    QSqlDatabase c = database.connection();
                    {
                        std::lock_guard lock(mutex);
                        names.insert(c.connectionName());
                    }
                    Transaction tx(c, database.isSqlite());
                    runSql(c, u"INSERT INTO scratch (k, v) VALUES (?, ?)"_s,
                           {QString::number(i), i});
                    tx.commit();
                } catch (const std::exception &) {
                    ++failures;
                }
            });
        }
        pool.stop();
    }
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(count(u"scratch"_s), 90);
    EXPECT_GE(names.size(), 1u);
    EXPECT_LE(names.size(), 3u);
    for (const QString &name : names)
        EXPECT_FALSE(QSqlDatabase::contains(name)) << name.toStdString();
}

TEST_P(DatabaseTest, CloseThisThread)
{
    ASSERT_EQ(db().migrate(), pf::servertest::latestSchema());
    QString name;
    {
        QSqlDatabase c = conn();
        name = c.connectionName();
        createScratch(c);
        runSql(c, u"INSERT INTO scratch (k, v) VALUES ('a', 1)"_s);
    }
    ASSERT_TRUE(QSqlDatabase::contains(name));
    db().closeThisThread();
    EXPECT_FALSE(QSqlDatabase::contains(name));
    db().closeThisThread(); // a second close is a no-op
    // The next use opens a fresh connection that sees the committed data.
    EXPECT_EQ(count(u"scratch"_s), 1);
    EXPECT_TRUE(QSqlDatabase::contains(name));

    // A thread that never connected has nothing to close.
    std::thread([this] { db().closeThisThread(); }).join();
    EXPECT_TRUE(QSqlDatabase::contains(name));
}

TEST_P(DatabaseTest, DestroyingTheDatabaseRemovesItsConnections)
{
    const QString name = conn().connectionName();
    ASSERT_TRUE(QSqlDatabase::contains(name));
    m_store->reopen();
    EXPECT_FALSE(QSqlDatabase::contains(name));
}

TEST(SqliteDatabase, WalModeOnEveryConnection)
{
    QString skip;
    const auto store = TestDatabase::create(Backend::Sqlite, &skip);
    ASSERT_TRUE(store);
    Database &db = store->database();
    const auto pragmas = [&db] {
        QSqlDatabase c = db.connection();
        QSqlQuery mode = runSql(c, u"PRAGMA journal_mode"_s);
        QSqlQuery fk = runSql(c, u"PRAGMA foreign_keys"_s);
        const bool ok = mode.next() && fk.next();
        return std::make_pair(ok ? mode.value(0).toString() : QString(),
                              ok ? fk.value(0).toInt() : -1);
    };
    const auto [mode, fk] = pragmas();
    EXPECT_EQ(mode, u"wal"_s);
    EXPECT_EQ(fk, 1);
    std::pair<QString, int> other;
    std::thread([&] {
        other = pragmas();
        db.closeThisThread();
    }).join();
    EXPECT_EQ(other.first, u"wal"_s);
    EXPECT_EQ(other.second, 1);
}

TEST(SqliteDatabase, UnopenableFileThrowsStoreError)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    pf::server::DatabaseConfig config;
    config.sqlitePath = dir.filePath(u"missing-dir/sub/pf.db"_s);
    Database db(config);
    EXPECT_THROW(db.connection(), StoreError);
}
