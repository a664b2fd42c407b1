// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <map>
#include <memory>

#include <gtest/gtest.h>

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTest>

#include "tests/support/apiwait.h"
#include "tests/support/workspacefixture.h"

namespace pf::test {

// WorkspaceFixture's pfd, user, org, project "default" and Workspace, with
// helpers that make datasets and checkpoints with real uploaded bytes
// (signed-URL PUTs, then the PATCH that lists the files).
class DataFixture : public WorkspaceFixture
{
protected:
    DataFixture()
        : WorkspaceFixture(QStringLiteral("data"), QStringLiteral("default"),
                           QStringLiteral("-org"))
    {}

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

    QNetworkAccessManager m_nam;
};

} // namespace pf::test
