// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <ostream>
#include <string>

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QUuid>

#include "tests/contract/contractfixture.h"

// Readable QString values in gtest failure messages.
inline void PrintTo(const QString &s, std::ostream *os)
{
    *os << '"' << s.toStdString() << '"';
}

namespace pf::test {

using namespace Qt::StringLiterals;

// "STATUS BODY", for failure messages.
inline std::string show(const HttpReply &r)
{
    return std::to_string(r.status) + ' ' + r.body.toStdString() +
           (r.error.isEmpty() ? std::string() : " (" + r.error.toStdString() + ')');
}

// The `path` of every entry of an error body's `errors`.
inline QStringList errorPaths(const HttpReply &r)
{
    QStringList paths;
    const QJsonArray errors = r.json().value(u"errors"_s).toArray();
    for (const QJsonValue &e : errors)
        paths << e.toObject().value(u"path"_s).toString();
    return paths;
}

inline bool isUuid(const QString &s)
{
    return s.size() == 36 && !QUuid::fromString(s).isNull();
}

// An error answer: the status and a non-empty `detail`.
#define EXPECT_API_ERROR(reply, code)                                                              \
    do {                                                                                           \
        const ::pf::test::HttpReply &r_ = (reply);                                                 \
        EXPECT_EQ(r_.status, (code)) << ::pf::test::show(r_);                                      \
        EXPECT_FALSE(r_.detail().isEmpty()) << "no detail: " << ::pf::test::show(r_);              \
    } while (0)

// A validation error: the status, a `detail` and an `errors` entry at `path`.
#define EXPECT_FIELD_ERROR(reply, code, path)                                                      \
    do {                                                                                           \
        const ::pf::test::HttpReply &r2_ = (reply);                                                \
        EXPECT_API_ERROR(r2_, code);                                                               \
        EXPECT_TRUE(::pf::test::errorPaths(r2_).contains(path))                                    \
            << "no error at " << QString(path).toStdString() << ": " << ::pf::test::show(r2_);     \
    } while (0)

// ContractTest plus the steps most tests share: orgs, invitations, project
// memberships. Helpers return what they made (empty on failure) so that the
// caller can ASSERT on it.
class ApiTest : public ContractTest
{
protected:
    using User = PfdProcess::User;

    static User newUser(const QString &stem) { return pfd().createUser(unique(stem)); }

    // A fresh org owned by `owner`; its id.
    static QString createOrg(const User &owner)
    {
        const HttpReply r = pfd()
                                .client(owner.token)
                                ->postJson(u"/auth/pf_group"_s, {{u"name"_s, unique(u"org"_s)},
                                                                 {u"hosting_type"_s, u"hosted"_s}});
        return r.status == 201 ? r.json().value(u"id"_s).toString() : QString();
    }

    static QString createProject(const User &owner, const QString &orgId,
                                 const QString &name = QString())
    {
        const HttpReply r =
            pfd()
                .client(owner.token)
                ->postJson(u"/auth/pf_group/%1/pf_project"_s.arg(orgId),
                           {{u"name"_s, name.isEmpty() ? unique(u"project"_s) : name}});
        return r.status == 201 ? r.json().value(u"id"_s).toString() : QString();
    }

    // `owner` invites `user`, who confirms: `user` becomes an org member.
    static bool joinOrg(const User &owner, const User &user, const QString &orgId)
    {
        const HttpReply invite =
            pfd()
                .client(owner.token)
                ->postJson(u"/auth/pf_group/%1/invite"_s.arg(orgId), {{u"email"_s, user.email}});
        if (invite.status != 201)
            return false;
        const HttpReply confirm =
            pfd()
                .client(user.token)
                ->postJson(u"/auth/pf_group/invite/confirm"_s,
                           {{u"email_token"_s, invite.json().value(u"email_token"_s)},
                            {u"key"_s, invite.json().value(u"key"_s)}});
        return confirm.status == 200;
    }

    // `admin` adds `user` (already an org member) to the project.
    static bool addToProject(const User &admin, const User &user, const QString &projectId,
                             const QString &level)
    {
        const HttpReply r =
            pfd()
                .client(admin.token)
                ->postJson(u"/auth/pf_user/%1/pf_project/%2"_s.arg(user.id, projectId),
                           {{u"access_level"_s, level}});
        return r.status == 201;
    }

    // A user in `w`'s org and project with `level`.
    static User projectMember(const World &w, const QString &level)
    {
        User u = newUser(level);
        if (u.id.isEmpty() || !joinOrg(w.owner, u, w.orgId) ||
            !addToProject(w.owner, u, w.projectId, level))
            return {};
        return u;
    }

    // Ids of a JSON array of objects (or of a page's results).
    static QStringList ids(const QJsonArray &items)
    {
        QStringList out;
        for (const QJsonValue &v : items) {
            const QJsonValue id = v.toObject().value(u"id"_s);
            out << (id.isString() ? id.toString() : QString::number(id.toInteger()));
        }
        return out;
    }

    static QJsonArray results(const HttpReply &r) { return r.json().value(u"results"_s).toArray(); }

    // The item of `items` whose `key` equals `value` (empty when none).
    static QJsonObject findBy(const QJsonArray &items, const QString &key, const QJsonValue &value)
    {
        for (const QJsonValue &v : items) {
            if (v.toObject().value(key) == value)
                return v.toObject();
        }
        return {};
    }

    // Follows next_cursor from `path` until null;
    // every page's ids in order. Fails the test on a non-200 or a loop.
    static QStringList allPages(HttpClient &c, const QString &path, int limit, int *pages)
    {
        QStringList all;
        QString cursor;
        *pages = 0;
        for (int guard = 0; guard < 1000; ++guard) {
            QString target =
                path + (path.contains(u'?') ? u'&' : u'?') + u"limit="_s + QString::number(limit);
            if (!cursor.isEmpty())
                target += u"&cursor="_s + cursor;
            const HttpReply r = c.get(target);
            EXPECT_EQ(r.status, 200) << show(r);
            if (r.status != 200)
                break;
            ++*pages;
            const QJsonArray page = results(r);
            EXPECT_LE(page.size(), limit);
            all += ids(page);
            const QJsonValue next = r.json().value(u"next_cursor"_s);
            if (next.isNull())
                break;
            EXPECT_TRUE(next.isString() && !next.toString().isEmpty()) << show(r);
            EXPECT_EQ(page.size(), limit) << "a page before the last is short";
            cursor = next.toString();
        }
        return all;
    }
};

} // namespace pf::test
