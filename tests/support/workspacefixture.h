// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <memory>
#include <optional>
#include <utility>

#include <gtest/gtest.h>

#include <QJsonObject>
#include <QObject>

#include "models/workspace.h"
#include "network/pfapi.h"
#include "tests/support/apiwait.h"
#include "tests/support/pfdprocess.h"

namespace pf::test {

// A real pfd on loopback for the suite (two VM types, jobs unsandboxed); per
// test a fresh user who owns an org and a project, a session, and a Workspace
// over them. Other users join the org by invitation, each with a session.
//
// A suite that needs another pfd config starts it in its own SetUpTestSuite
// with startPfd(config).
class WorkspaceFixture : public ::testing::Test
{
protected:
    static inline const QString kConfig = QStringLiteral(
        "auth:\n"
        "  password_hashing: minimal\n"
        "  login_failures_per_user: 10000\n"
        "  login_failures_per_address: 100000\n"
        "vm_types:\n"
        "  - {code: local-cpu-2c, devices_per_vm: 1, vcpu: 2, memory_gib: 4, max_vms: 4, "
        "default_quota: 2}\n"
        "  - {code: slurm-a100-8g, device_type: a100, devices_per_vm: 8, "
        "per_device_memory_gib: 80, vcpu: 96, memory_gib: 1024, max_vms: 2, default_quota: 1}\n"
        "jobs:\n"
        "  sandbox: none\n");

    // Users are named `userPrefix` and a number; the org after the user (plus
    // `orgSuffix`), the project `projectName`.
    explicit WorkspaceFixture(QString userPrefix, QString projectName = QStringLiteral("vision"),
                              QString orgSuffix = {})
        : m_userPrefix(std::move(userPrefix))
        , m_projectName(std::move(projectName))
        , m_orgSuffix(std::move(orgSuffix))
    {}

    static void startPfd(const QString &config)
    {
        s_users = 0;
        s_pfd = new PfdProcess(config);
        ASSERT_TRUE(s_pfd->start()) << s_pfd->lastError().toStdString();
    }
    static void SetUpTestSuite() { startPfd(kConfig); }
    static void TearDownTestSuite()
    {
        delete s_pfd;
        s_pfd = nullptr;
    }

    void SetUp() override
    {
        m_user = s_pfd->createUser(m_userPrefix + QString::number(++s_users));
        m_session = std::make_unique<network::ApiSession>(
            QUrl(QStringLiteral("http://127.0.0.1:%1").arg(s_pfd->port())));
        m_session->setTokens(m_user.token, m_user.refresh);
        m_api = std::make_unique<network::PfApi>(m_session.get());
        const auto org =
            waitFor<api::Org>([&](auto d) { m_api->createOrg(m_user.username + m_orgSuffix, d); });
        ASSERT_API_OK(org);
        const auto project = waitFor<api::Project>(
            [&](auto d) { m_api->createProject(org.value.id, m_projectName, d); });
        ASSERT_API_OK(project);
        m_ws.api = m_api.get();
        m_ws.userId = m_user.id;
        m_ws.username = m_user.username;
        m_ws.orgId = org.value.id;
        m_ws.orgName = org.value.name;
        m_ws.projectId = project.value.id;
        m_ws.projectName = project.value.name;
        m_ws.orgRole = api::OrgRole::Owner;
        m_ws.projectRole = api::ProjectRole::Admin;
    }

    // Another user, with their own session.
    struct Other
    {
        PfdProcess::User user;
        std::unique_ptr<network::ApiSession> session;
        std::unique_ptr<network::PfApi> api;
    };
    Other signIn(const QString &name)
    {
        Other o;
        o.user = s_pfd->createUser(name);
        o.session = std::make_unique<network::ApiSession>(m_session->baseUrl());
        o.session->setTokens(o.user.token, o.user.refresh);
        o.api = std::make_unique<network::PfApi>(o.session.get());
        return o;
    }
    // Another user, joined to the org by invitation and, given a role, added
    // to the project.
    Other join(const QString &name, std::optional<api::ProjectRole> projectRole)
    {
        Other o = signIn(name);
        const auto invite = waitFor<network::Invitation>(
            [&](auto d) { m_api->inviteToOrg(m_ws.orgId, o.user.email, {}, d); });
        EXPECT_API_OK(invite);
        EXPECT_API_OK(waitFor<network::Empty>([&](auto d) {
            o.api->confirmOrgInvite(invite.value.emailToken, invite.value.key, d);
        }));
        if (projectRole) {
            EXPECT_API_OK(waitFor<network::Empty>([&](auto d) {
                m_api->addProjectMember(o.user.id, m_ws.projectId, *projectRole, d);
            }));
        }
        return o;
    }
    // The workspace as `o` sees it: an org member with `role` in the project.
    models::Workspace workspaceOf(const Other &o, api::ProjectRole role) const
    {
        models::Workspace ws = m_ws;
        ws.api = o.api.get();
        ws.userId = o.user.id;
        ws.username = o.user.username;
        ws.orgRole = api::OrgRole::Member;
        ws.projectRole = role;
        return ws;
    }

    static inline PfdProcess *s_pfd = nullptr;
    static inline int s_users = 0;
    PfdProcess::User m_user;
    std::unique_ptr<network::ApiSession> m_session;
    std::unique_ptr<network::PfApi> m_api;
    models::Workspace m_ws;

private:
    QString m_userPrefix;
    QString m_projectName;
    QString m_orgSuffix;
};

// The spec of a one-device custom job on `vm` running `command`, filed
// under `experiment` unless that is empty.
inline QJsonObject customJob(const QString &vm, const QString &command,
                             const QString &experiment = {},
                             const QString &name = QStringLiteral("run"))
{
    QJsonObject spec{{QStringLiteral("name"), name},
                     {QStringLiteral("vm"), vm},
                     {QStringLiteral("num_devices"), 1},
                     {QStringLiteral("job_setting"),
                      QJsonObject{{QStringLiteral("type"), QStringLiteral("custom")},
                                  {QStringLiteral("docker"),
                                   QJsonObject{{QStringLiteral("image"), QStringLiteral("any")},
                                               {QStringLiteral("command"), command}}}}}};
    if (!experiment.isEmpty())
        spec.insert(QStringLiteral("experiment"), experiment);
    return spec;
}

// The child of `parent` named `name`, or null and a test failure.
template <typename T>
T *child(QObject *parent, const QString &name)
{
    T *found = parent->findChild<T *>(name);
    EXPECT_NE(found, nullptr) << name.toStdString();
    return found;
}

} // namespace pf::test
