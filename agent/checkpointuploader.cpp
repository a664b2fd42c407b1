// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "checkpointuploader.h"

#include <algorithm>

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTimer>
#include <QUrl>

#include "agent/serverclient.h"

namespace pf::agent {

Q_LOGGING_CATEGORY(lcCkpt, "pf.agent.checkpoint")

CheckpointUploader::CheckpointUploader(ServerClient *client, QString hostDir, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_hostDir(std::move(hostDir))
{}

void CheckpointUploader::enqueue(qint64 step)
{
    m_queue.enqueue(step);
    if (!m_busy)
        startNext();
}

void CheckpointUploader::startNext()
{
    if (m_queue.isEmpty()) {
        m_busy = false;
        Q_EMIT idle();
        return;
    }
    m_busy = true;
    m_step = m_queue.dequeue();
    m_id.clear();
    m_files.clear();
    m_next = 0;
    m_attempts = 0;
    m_backoff.reset();

    const QDir dir(m_hostDir);
    QDirIterator it(m_hostDir, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    qint64 total = 0;
    while (it.hasNext()) {
        it.next();
        const QFileInfo info = it.fileInfo();
        m_files.append({dir.relativeFilePath(info.filePath()), info.size(), {}});
        total += info.size();
    }
    std::sort(m_files.begin(), m_files.end(),
              [](const File &a, const File &b) { return a.path < b.path; });
    if (m_files.isEmpty()) {
        Q_EMIT message(QStringLiteral("The checkpoint folder is empty at step %1; nothing "
                                      "was uploaded.")
                           .arg(m_step));
        Q_EMIT failed(m_step, QStringLiteral("empty checkpoint folder"));
        // Not from inside enqueue(): callers expect signals later.
        QTimer::singleShot(0, this, &CheckpointUploader::startNext);
        return;
    }
    Q_EMIT message(QStringLiteral("Uploading the checkpoint of step %1 (%2 files, %3 bytes).")
                       .arg(m_step)
                       .arg(m_files.size())
                       .arg(total));
    create();
}

void CheckpointUploader::create()
{
    QJsonArray files;
    for (const File &f : std::as_const(m_files))
        files.append(
            QJsonObject{{QStringLiteral("path"), f.path}, {QStringLiteral("size"), f.size}});
    const QJsonObject body{{QStringLiteral("iteration"), m_step}, {QStringLiteral("files"), files}};
    m_client->request(
        "POST", m_client->jobPath() + QStringLiteral("/checkpoint/"),
        QJsonDocument(body).toJson(QJsonDocument::Compact), [this](const HttpResult &r) {
            if (!r.ok())
                return retryOrFail(r.describe(), r.transient(), &CheckpointUploader::create);
            const QJsonObject o = QJsonDocument::fromJson(r.body).object();
            m_id = o.value(QStringLiteral("id")).toVariant().toString();
            if (m_id.isEmpty())
                return retryOrFail(QStringLiteral("pfd's answer has no id"), false,
                                   &CheckpointUploader::create);
            QHash<QString, QString> urls;
            for (const QJsonValue &v : o.value(QStringLiteral("upload")).toArray())
                urls.insert(v[QStringLiteral("path")].toString(),
                            v[QStringLiteral("url")].toString());
            for (File &f : m_files) {
                f.target = urls.value(f.path);
                if (f.target.isEmpty())
                    f.target = m_client->jobPath() + QStringLiteral("/checkpoint/") + m_id +
                               QStringLiteral("/file?path=") +
                               QString::fromLatin1(QUrl::toPercentEncoding(f.path));
            }
            m_attempts = 0;
            m_backoff.reset();
            putFile();
        });
}

void CheckpointUploader::putFile()
{
    if (m_next >= m_files.size()) {
        complete();
        return;
    }
    const File &f = m_files[m_next];
    m_client->putFile(f.target, m_hostDir + u'/' + f.path, [this](const HttpResult &r) {
        if (!r.ok())
            return retryOrFail(r.describe(), r.transient(), &CheckpointUploader::putFile);
        m_attempts = 0;
        m_backoff.reset();
        ++m_next;
        putFile();
    });
}

void CheckpointUploader::complete()
{
    m_client->request(
        "POST",
        m_client->jobPath() + QStringLiteral("/checkpoint/") + m_id + QStringLiteral("/complete/"),
        QByteArrayLiteral("{}"), [this](const HttpResult &r) {
            if (!r.ok())
                return retryOrFail(r.describe(), r.transient(), &CheckpointUploader::complete);
            Q_EMIT message(QStringLiteral("The checkpoint of step %1 is uploaded.").arg(m_step));
            Q_EMIT uploaded(m_step, m_id);
            finishCurrent();
        });
}

void CheckpointUploader::retryOrFail(const QString &error, bool transient,
                                     void (CheckpointUploader::*again)())
{
    if (transient && ++m_attempts < m_maxAttempts) {
        const int delay = m_backoff.next();
        qCInfo(lcCkpt).noquote() << "checkpoint upload of step" << m_step << "failed (" << error
                                 << "), retrying in" << delay << "ms";
        QTimer::singleShot(delay, this, again);
        return;
    }
    Q_EMIT message(QStringLiteral("The checkpoint of step %1 could not be uploaded: %2")
                       .arg(m_step)
                       .arg(error));
    Q_EMIT failed(m_step, error);
    finishCurrent();
}

void CheckpointUploader::finishCurrent()
{
    m_busy = false;
    startNext();
}

} // namespace pf::agent
