// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <gtest/gtest.h>

#include "server/store/database.h"
#include "tests/server/servertestutil.h"

using namespace Qt::StringLiterals;
using pf::server::DatabaseConfig;
using Backend = DatabaseConfig::Backend;

TEST(DatabaseConfig, SqlitePaths)
{
    QString error;
    for (const auto &[url, path] : std::initializer_list<std::pair<QString, QString>>{
             {u"sqlite:/var/lib/pfd/pfd.db"_s, u"/var/lib/pfd/pfd.db"_s},
             {u"/var/lib/pfd/pfd.db"_s, u"/var/lib/pfd/pfd.db"_s},
             {u"sqlite:relative.db"_s, u"relative.db"_s},
             {u"relative/dir/pfd.db"_s, u"relative/dir/pfd.db"_s},
             {u"sqlite:/tmp/with space/p:fd.db"_s, u"/tmp/with space/p:fd.db"_s},
             {u"sqlite::memory:"_s, u":memory:"_s},
         }) {
        const auto c = DatabaseConfig::parse(url, &error);
        ASSERT_TRUE(c) << url.toStdString() << ": " << error.toStdString();
        EXPECT_EQ(c->backend, Backend::Sqlite) << url.toStdString();
        EXPECT_EQ(c->sqlitePath, path) << url.toStdString();
    }
}

TEST(DatabaseConfig, EmptySqlitePathIsAnError)
{
    for (const QString &url : {QString(), u"sqlite:"_s}) {
        QString error;
        EXPECT_FALSE(DatabaseConfig::parse(url, &error)) << url.toStdString();
        EXPECT_FALSE(error.isEmpty());
    }
}

TEST(DatabaseConfig, PostgresqlUrl)
{
    QString error;
    const auto c =
        DatabaseConfig::parse(u"postgresql://pf:s3cret@db.example.org:6543/pfstudio"_s, &error);
    ASSERT_TRUE(c) << error.toStdString();
    EXPECT_EQ(c->backend, Backend::Postgres);
    EXPECT_EQ(c->user, u"pf"_s);
    EXPECT_EQ(c->password, u"s3cret"_s);
    EXPECT_EQ(c->host, u"db.example.org"_s);
    EXPECT_EQ(c->port, 6543);
    EXPECT_EQ(c->name, u"pfstudio"_s);
    EXPECT_TRUE(c->sqlitePath.isEmpty());
}

TEST(DatabaseConfig, PostgresSchemeAndDefaults)
{
    QString error;
    const auto c = DatabaseConfig::parse(u"postgres://alice@127.0.0.1/db"_s, &error);
    ASSERT_TRUE(c) << error.toStdString();
    EXPECT_EQ(c->backend, Backend::Postgres);
    EXPECT_EQ(c->user, u"alice"_s);
    EXPECT_TRUE(c->password.isEmpty());
    EXPECT_EQ(c->host, u"127.0.0.1"_s);
    EXPECT_EQ(c->port, 5432);
    EXPECT_EQ(c->name, u"db"_s);

    const auto local = DatabaseConfig::parse(u"postgresql:///pfstudio"_s, &error);
    ASSERT_TRUE(local) << error.toStdString();
    EXPECT_EQ(local->host, u"localhost"_s);
    EXPECT_EQ(local->name, u"pfstudio"_s);
    EXPECT_TRUE(local->user.isEmpty());
}

TEST(DatabaseConfig, PercentEncodedCredentialsAreDecoded)
{
    QString error;
    const auto c =
        DatabaseConfig::parse(u"postgresql://us%40er:p%40ss%2Fw%3Ard@[::1]:5433/my%20db"_s, &error);
    ASSERT_TRUE(c) << error.toStdString();
    EXPECT_EQ(c->user, u"us@er"_s);
    EXPECT_EQ(c->password, u"p@ss/w:rd"_s);
    EXPECT_EQ(c->host, u"::1"_s);
    EXPECT_EQ(c->port, 5433);
    EXPECT_EQ(c->name, u"my db"_s);
}

TEST(DatabaseConfig, BadUrlsAreRejected)
{
    for (const QString &url : {
             u"postgresql://pf@host"_s,             // no database
             u"postgresql://pf@host/"_s,            // empty database
             u"postgresql://pf@host:notaport/db"_s, // bad port
             u"postgresql://pf@host:99999/db"_s,    // port out of range
             u"postgres://"_s,
             u"postgresql://pf@ho st/db"_s, // space in the host
             u"mysql://pf@host/db"_s,       // an unsupported scheme
             u"postgress://pf@host/db"_s,   // a typo must not become a file name
         }) {
        QString error;
        EXPECT_FALSE(DatabaseConfig::parse(url, &error)) << "accepted " << url.toStdString();
        EXPECT_FALSE(error.isEmpty()) << url.toStdString();
    }
}
