// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <map>
#include <memory>

#include <gtest/gtest.h>

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTest>

#include "models/workspace.h"
#include "network/pfapi.h"
#include "tests/support/apiwait.h"
#include "tests/support/pfdprocess.h"

namespace pf::test {

// A real pfd on loopback for the suite; per test a fresh user who owns an
// org and a project, a session, and a Workspace over them. Helpers make
// datasets and checkpoints with real uploaded bytes (signed-URL PUTs, then
// the PATCH that lists the files).
class DataFixture : public ::testing::Test
{
protected:
    static void SetUpTestSuite()
    {
        s_pfd = new PfdProcess(QStringLiteral("auth:\n"
                                              "  password_hashing: minimal\n"
                                              "  login_failures_per_user: 10000\n"
                                              "  login_failures_per_address: 100000\n"
                                              "jobs:\n"
                                              "  sandbox: none\n"));
        ASSERT_TRUE(s_pfd->start()) << s_pfd->lastError().toStdString();
    }
    static void TearDownTestSuite()
    {
        delete s_pfd;
        s_pfd = nullptr;
    }

    void SetUp() override
    {
        static int n = 0;
        m_user = s_pfd->createUser(QStringLiteral("data%1").arg(++n));
        m_session = std::make_unique<network::ApiSession>(
            QUrl(QStringLiteral("http://127.0.0.1:%1").arg(s_pfd->port())));
        m_session->setTokens(m_user.token, m_user.refresh);
        m_api = std::make_unique<network::PfApi>(m_session.get());
        const auto org = waitFor<api::Org>(
            [&](auto d) { m_api->createOrg(m_user.username + QStringLiteral("-org"), d); });
        ASSERT_API_OK(org);
        const auto project = waitFor<api::Project>(
            [&](auto d) { m_api->createProject(org.value.id, QStringLiteral("default"), d); });
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

    // PUTs `bytes` to a signed URL (no token), as an upload does.
    bool put(const QString &url, const QByteArray &bytes)
    {
        QNetworkRequest request(m_session->baseUrl().resolved(QUrl(url)));
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/octet-stream"));
        std::unique_ptr<QNetworkReply> reply(m_nam.put(request, bytes));
        if (!QTest::qWaitFor([&] { return reply->isFinished(); }, 20000))
            return false;
        return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200;
    }

    static QList<api::StoredFile> listOf(const std::map<QString, QByteArray> &files)
    {
        QList<api::StoredFile> out;
        for (const auto &[path, bytes] : files) {
            api::StoredFile f;
            f.path = path;
            f.name = path.section(QLatin1Char('/'), -1);
            f.size = bytes.size();
            f.mtime = QDateTime(QDate(2026, 11, 22), QTime(6, 45), Qt::UTC);
            out.append(f);
        }
        return out;
    }

    // An active `fai` dataset holding `files` (path -> bytes).
    api::Dataset makeDataset(const QString &name, const std::map<QString, QByteArray> &files,
                             const QJsonObject &metadata = {})
    {
        const auto made = waitFor<api::Dataset>([&](auto d) {
            m_api->createDataset(m_ws.projectId,
                                 {{QStringLiteral("name"), name},
                                  {QStringLiteral("vendor"), QStringLiteral("fai")},
                                  {QStringLiteral("metadata"), metadata},
                                  {QStringLiteral("active"), false}},
                                 d);
        });
        EXPECT_API_OK(made);
        QStringList paths;
        for (const auto &entry : files)
            paths << entry.first;
        const auto urls = waitFor<QList<network::UploadUrl>>(
            [&](auto d) { m_api->datasetUploadUrls(made.value.id, paths, d); });
        EXPECT_API_OK(urls);
        for (const network::UploadUrl &u : urls.value)
            EXPECT_TRUE(put(u.uploadUrl, files.at(u.path))) << u.path.toStdString();
        QJsonArray list;
        for (const api::StoredFile &f : listOf(files))
            list.append(f.toJson());
        const auto active = waitFor<api::Dataset>([&](auto d) {
            m_api->updateDataset(
                made.value.id, {{QStringLiteral("files"), list}, {QStringLiteral("active"), true}},
                d);
        });
        EXPECT_API_OK(active);
        return active.value;
    }

    // A checkpoint of `category` (USER or JOB) with `files` in its one form.
    api::Checkpoint makeCheckpoint(const QString &name, const QString &category, qint64 iteration,
                                   const std::map<QString, QByteArray> &files = {},
                                   const QString &jobId = {})
    {
        QJsonObject body{{QStringLiteral("name"), name},
                         {QStringLiteral("model_category"), category},
                         {QStringLiteral("form_category"), QStringLiteral("ETC")},
                         {QStringLiteral("iteration"), iteration}};
        if (!jobId.isEmpty())
            body.insert(QStringLiteral("job_id"), jobId);
        const auto made = waitFor<api::Checkpoint>(
            [&](auto d) { m_api->createCheckpoint(m_ws.orgId, m_ws.projectId, body, d); });
        EXPECT_API_OK(made);
        if (files.empty() || made.value.forms.isEmpty())
            return made.value;
        const QString formId = made.value.forms.first().id;
        QStringList paths;
        for (const auto &entry : files)
            paths << entry.first;
        const auto urls = waitFor<QList<network::UploadUrl>>(
            [&](auto d) { m_api->formUploadUrls(formId, paths, d); });
        EXPECT_API_OK(urls);
        for (const network::UploadUrl &u : urls.value)
            EXPECT_TRUE(put(u.uploadUrl, files.at(u.path))) << u.path.toStdString();
        const auto form = waitFor<api::CheckpointForm>(
            [&](auto d) { m_api->updateFormFiles(formId, listOf(files), d); });
        EXPECT_API_OK(form);
        const auto back =
            waitFor<api::Checkpoint>([&](auto d) { m_api->checkpoint(made.value.id, d); });
        EXPECT_API_OK(back);
        return back.value;
    }

    static inline PfdProcess *s_pfd = nullptr;
    PfdProcess::User m_user;
    std::unique_ptr<network::ApiSession> m_session;
    std::unique_ptr<network::PfApi> m_api;
    QNetworkAccessManager m_nam;
    models::Workspace m_ws;
};

} // namespace pf::test
