// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "storefixture.h"

#include <atomic>

#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QtGlobal>

namespace pf::servertest {

using namespace Qt::StringLiterals;

namespace {
constexpr char kUrlVariable[] = "PF_TEST_POSTGRES_URL";
} // namespace

std::string backendName(const ::testing::TestParamInfo<Backend> &info)
{
    return info.param == Backend::Sqlite ? "Sqlite" : "Postgres";
}

std::unique_ptr<TestDatabase> TestDatabase::create(Backend backend, QString *skipReason)
{
    std::unique_ptr<TestDatabase> t(new TestDatabase);
    QString error;
    if (backend == Backend::Sqlite) {
        if (!t->m_dir.isValid()) {
            ADD_FAILURE() << "cannot create a temporary directory";
            return nullptr;
        }
        const auto config =
            server::DatabaseConfig::parse(u"sqlite:"_s + t->m_dir.filePath(u"pf.db"_s), &error);
        if (!config) {
            ADD_FAILURE() << error.toStdString();
            return nullptr;
        }
        t->m_config = *config;
    } else {
        const QString url = qEnvironmentVariable(kUrlVariable);
        if (url.isEmpty()) {
            *skipReason = u"PF_TEST_POSTGRES_URL is not set, so the PostgreSQL store is not "
                          "tested. Start a server with scripts/start-test-postgres.sh and export "
                          "PF_TEST_POSTGRES_URL=<the URL it prints>."_s;
            return nullptr;
        }
        const auto config = server::DatabaseConfig::parse(url, &error);
        if (!config || config->backend != server::DatabaseConfig::Backend::Postgres) {
            ADD_FAILURE() << "PF_TEST_POSTGRES_URL is not a PostgreSQL URL: "
                          << error.toStdString();
            return nullptr;
        }
        t->m_config = *config;
        t->m_schema = u"pf_test_"_s + QUuid::createUuid().toString(QUuid::Id128).left(20).toLower();
        if (!t->adminExec({u"CREATE SCHEMA "_s + t->m_schema}, &error)) {
            ADD_FAILURE() << "cannot create the test schema: " << error.toStdString();
            return nullptr;
        }
        // Every libpq connection opened from now on (any thread) uses the schema.
        qputenv("PGOPTIONS", QByteArrayLiteral("-c client_min_messages=warning -c search_path=") +
                                 t->m_schema.toLatin1());
    }
    t->m_db = std::make_unique<server::Database>(t->m_config);
    return t;
}

TestDatabase::~TestDatabase()
{
    m_db.reset();
    if (!m_schema.isEmpty()) {
        qunsetenv("PGOPTIONS");
        QString error;
        if (!adminExec({u"DROP SCHEMA IF EXISTS "_s + m_schema + u" CASCADE"_s}, &error))
            ADD_FAILURE() << "cannot drop the test schema " << m_schema.toStdString() << ": "
                          << error.toStdString();
    }
}

void TestDatabase::reopen()
{
    m_db.reset();
    m_db = std::make_unique<server::Database>(m_config);
}

bool TestDatabase::adminExec(const QStringList &statements, QString *error)
{
    static std::atomic<int> counter{0};
    const QString name = u"pf-test-admin-%1"_s.arg(++counter);
    bool ok = true;
    {
        QSqlDatabase admin = QSqlDatabase::addDatabase(u"QPSQL"_s, name);
        admin.setHostName(m_config.host);
        admin.setPort(m_config.port);
        admin.setUserName(m_config.user);
        admin.setPassword(m_config.password);
        admin.setDatabaseName(m_config.name);
        if (!admin.open()) {
            *error = admin.lastError().text();
            ok = false;
        } else {
            QSqlQuery q(admin);
            for (const QString &sql :
                 QStringList{u"SET client_min_messages TO warning"_s} + statements) {
                if (!q.exec(sql)) {
                    *error = q.lastError().text();
                    ok = false;
                    break;
                }
            }
        }
        admin.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

void StoreTest::SetUp()
{
    QString skipReason;
    m_store = TestDatabase::create(GetParam(), &skipReason);
    if (!m_store) {
        if (!skipReason.isEmpty())
            GTEST_SKIP() << skipReason.toStdString();
        FAIL() << "no test database";
    }
    if (m_migrate) {
        ASSERT_EQ(db().migrate(), pf::servertest::latestSchema());
    }
}

void StoreTest::TearDown()
{
    m_store.reset();
}

qint64 StoreTest::count(const QString &table, const QString &where, const QVariantList &binds)
{
    QSqlDatabase c = conn();
    QSqlQuery q = server::runSql(c,
                                 u"SELECT COUNT(*) FROM "_s + table +
                                     (where.isEmpty() ? QString() : u" WHERE "_s + where),
                                 binds);
    return q.next() ? q.value(0).toLongLong() : -1;
}

} // namespace pf::servertest
