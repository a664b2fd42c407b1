// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <gtest/gtest.h>

#include "tests/support/pfdprocess.h"

namespace pf::test {

// One pfd per test suite (starting one costs ~100 ms; tests make their own
// users, orgs and projects with unique names so they do not interfere).
class ContractTest : public ::testing::Test
{
protected:
    static void SetUpTestSuite() { startPfd(PfdProcess::defaultConfig()); }
    // For suites that need their own server configuration: call it from the
    // suite's own SetUpTestSuite.
    static void startPfd(const QString &config)
    {
        s_pfd = new PfdProcess(config);
        ASSERT_TRUE(s_pfd->start()) << s_pfd->lastError().toStdString();
    }
    static void TearDownTestSuite()
    {
        delete s_pfd;
        s_pfd = nullptr;
    }
    static PfdProcess &pfd() { return *s_pfd; }

    // A name unique within the suite's server.
    static QString unique(const QString &stem)
    {
        static int n = 0;
        return QStringLiteral("%1-%2").arg(stem).arg(++n);
    }

    // Org + project owned by a fresh user.
    struct World
    {
        PfdProcess::User owner;
        QString orgId;
        QString projectId;
    };
    static World makeWorld()
    {
        World w;
        w.owner = pfd().createUser(unique(QStringLiteral("owner")));
        auto c = pfd().client(w.owner.token);
        w.orgId = c->postJson(QStringLiteral("/auth/pf_group"),
                              {{QStringLiteral("name"), unique(QStringLiteral("org"))},
                               {QStringLiteral("hosting_type"), QStringLiteral("hosted")}})
                      .json()
                      .value(QStringLiteral("id"))
                      .toString();
        w.projectId = c->postJson(QStringLiteral("/auth/pf_group/%1/pf_project").arg(w.orgId),
                                  {{QStringLiteral("name"), QStringLiteral("default")}})
                          .json()
                          .value(QStringLiteral("id"))
                          .toString();
        return w;
    }

private:
    static inline PfdProcess *s_pfd = nullptr;
};

} // namespace pf::test
