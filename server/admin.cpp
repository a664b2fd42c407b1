// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "admin.h"

#include <iostream>
#include <string>

#include <QCommandLineParser>
#include <QTextStream>

#include "server/auth/passwordhasher.h"
#include "server/serverapp.h"
#include "server/store/database.h"
#include "server/store/orgrepo.h"
#include "server/store/userrepo.h"

namespace pf::server {

namespace {

int usage(const QString &message)
{
    QTextStream(stderr) << "pfd admin: " << message << "\n"
                        << "usage:\n"
                        << "  pfd admin create-user --username U --email E [--name N] "
                           "[--password P | --password-stdin] [--unconfirmed]\n"
                        << "  pfd admin confirm-user --username U\n"
                        << "  pfd admin set-password --username U [--password-stdin]\n"
                        << "  pfd admin create-org --name N --owner U\n";
    return 2;
}

int failed(const QString &message)
{
    QTextStream(stderr) << "pfd admin: " << message << "\n";
    return 1;
}

} // namespace

int runAdmin(const QString &dataDir, const ServerConfig &config, const QStringList &args)
{
    if (args.isEmpty())
        return usage(QStringLiteral("a command is required"));
    const QString command = args.first();
    QCommandLineParser p;
    p.addOption({QStringLiteral("username"), QStringLiteral("User name."), QStringLiteral("U")});
    p.addOption({QStringLiteral("email"), QStringLiteral("E-mail address."), QStringLiteral("E")});
    p.addOption({QStringLiteral("name"), QStringLiteral("Display name."), QStringLiteral("N")});
    p.addOption({QStringLiteral("password"), QStringLiteral("Password."), QStringLiteral("P")});
    p.addOption(
        {QStringLiteral("password-stdin"), QStringLiteral("Read the password from stdin.")});
    p.addOption({QStringLiteral("unconfirmed"), QStringLiteral("Leave the account unconfirmed.")});
    p.addOption(
        {QStringLiteral("owner"), QStringLiteral("Owner's user name."), QStringLiteral("U")});
    if (!p.parse(QStringList{QStringLiteral("pfd-admin")} + args.mid(1)))
        return usage(p.errorText());
    if (!p.positionalArguments().isEmpty())
        return usage(
            QStringLiteral("unexpected argument '%1'").arg(p.positionalArguments().first()));

    try {
        const DataDir dir{dataDir};
        dir.prepare();
        QString error;
        const auto dbConfig = DatabaseConfig::parse(
            config.database.isEmpty() ? dir.database() : config.database, &error);
        if (!dbConfig)
            return failed(error);
        Database db(*dbConfig);
        db.migrate();
        QSqlDatabase conn = db.connection();
        UserRepo users(conn);

        if (command == u"create-user") {
            const QString username = p.value(QStringLiteral("username"));
            const QString email = p.value(QStringLiteral("email"));
            if (username.isEmpty() || email.isEmpty())
                return usage(QStringLiteral("create-user needs --username and --email"));
            QString password = p.value(QStringLiteral("password"));
            if (p.isSet(QStringLiteral("password-stdin"))) {
                std::string line;
                std::getline(std::cin, line);
                password = QString::fromStdString(line);
            }
            if (password.size() < 8)
                return usage(QStringLiteral("the password must be at least 8 characters "
                                            "(--password or --password-stdin)"));
            if (users.usernameOrEmailTaken(username, email))
                return failed(
                    QStringLiteral("the username or e-mail address is already registered"));
            const PasswordHasher hasher(PasswordHasher::strengthFromString(config.passwordHashing)
                                            .value_or(PasswordHasher::Strength::Interactive));
            const api::User u = users.create(
                username,
                p.value(QStringLiteral("name")).isEmpty() ? username
                                                          : p.value(QStringLiteral("name")),
                email, hasher.hash(password.toUtf8()), !p.isSet(QStringLiteral("unconfirmed")));
            QTextStream(stdout) << u.id << "\n";
            return 0;
        }
        if (command == u"set-password") {
            const auto u = users.byUsername(p.value(QStringLiteral("username")));
            if (!u)
                return failed(
                    QStringLiteral("no user named '%1'").arg(p.value(QStringLiteral("username"))));
            QString password = p.value(QStringLiteral("password"));
            if (p.isSet(QStringLiteral("password-stdin"))) {
                std::string line;
                std::getline(std::cin, line);
                password = QString::fromStdString(line);
            }
            if (password.size() < 8)
                return usage(QStringLiteral("the password must be at least 8 characters "
                                            "(--password or --password-stdin)"));
            const PasswordHasher hasher(PasswordHasher::strengthFromString(config.passwordHashing)
                                            .value_or(PasswordHasher::Strength::Interactive));
            users.setPasswordHash(u->user.id, hasher.hash(password.toUtf8()));
            QTextStream(stdout) << u->user.id << "\n";
            return 0;
        }
        if (command == u"confirm-user") {
            const auto u = users.byUsername(p.value(QStringLiteral("username")));
            if (!u)
                return failed(
                    QStringLiteral("no user named '%1'").arg(p.value(QStringLiteral("username"))));
            users.setConfirmed(u->user.id);
            QTextStream(stdout) << u->user.id << "\n";
            return 0;
        }
        if (command == u"create-org") {
            const QString name = p.value(QStringLiteral("name")).trimmed();
            const auto owner = users.byUsername(p.value(QStringLiteral("owner")));
            if (name.isEmpty())
                return usage(QStringLiteral("create-org needs --name"));
            if (!owner)
                return failed(QStringLiteral("no user named '%1' (--owner)")
                                  .arg(p.value(QStringLiteral("owner"))));
            Transaction tx(conn, db.isSqlite());
            try {
                const api::Org org = OrgRepo(conn).create(name, owner->user.id);
                tx.commit();
                QTextStream(stdout) << org.id << "\n";
            } catch (const UniqueViolation &) {
                return failed(
                    QStringLiteral("an organization named '%1' already exists").arg(name));
            }
            return 0;
        }
        return usage(QStringLiteral("unknown command '%1'").arg(command));
    } catch (const std::exception &e) {
        return failed(QString::fromUtf8(e.what()));
    }
}

} // namespace pf::server
