// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "formfilefetcher.h"

#include <algorithm>

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QMimeData>
#include <QNetworkReply>
#include <QPointer>
#include <QSet>
#include <QStandardPaths>
#include <QTimer>
#include <QUrl>

#include "models/humanize.h"
#include "network/pfapi.h"

Q_LOGGING_CATEGORY(lcFormFetch, "pf.ui.checkpoints.fetch")

using namespace Qt::StringLiterals;

namespace pf::ui {

namespace {

// GETs in flight at once: small files are the common case, and a signed
// URL per file keeps them independent.
constexpr int kMaxGets = 6;
// A GET that moves nothing for this long fails.
constexpr int kStallMs = 30000;

} // namespace

QString FormFileFetcher::dragFolder(const QString &formId)
{
    return QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + u"/drag/"_s + formId;
}

int FormFileFetcher::pruneDragCache(qint64 maxAgeSecs)
{
    const QString root = dragFolder(QString());
    const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-maxAgeSecs);
    int removed = 0;
    QDirIterator files(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (files.hasNext()) {
        const QFileInfo f = files.nextFileInfo();
        if (f.lastModified().toUTC() < before && QFile::remove(f.filePath()))
            ++removed;
    }
    // Deepest first, so that a folder emptied by its children goes too.
    QStringList folders;
    QDirIterator dirs(root, QDir::Dirs | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (dirs.hasNext())
        folders << dirs.next();
    std::sort(folders.begin(), folders.end(),
              [](const QString &a, const QString &b) { return a.size() > b.size(); });
    for (const QString &folder : std::as_const(folders))
        QDir().rmdir(folder); // only when empty
    return removed;
}

QList<api::StoredFile> FormFileFetcher::filesUnder(const QList<api::StoredFile> &files,
                                                   const QStringList &items)
{
    QList<api::StoredFile> out;
    for (const api::StoredFile &f : files) {
        const bool named = std::any_of(items.begin(), items.end(), [&](const QString &item) {
            return f.path == item || f.path.startsWith(item + u'/');
        });
        if (named)
            out.append(f);
    }
    return out;
}

std::unique_ptr<QMimeData> FormFileFetcher::mimeDataForDrag(network::PfApi *api,
                                                            const QString &formId,
                                                            const QList<api::StoredFile> &files,
                                                            const QStringList &items, int timeoutMs,
                                                            QString *error, int *fetched)
{
    const QList<api::StoredFile> wanted = filesUnder(files, items);
    FormFileFetcher fetcher(api, formId, dragFolder(formId));
    QEventLoop loop;
    connect(&fetcher, &FormFileFetcher::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    fetcher.start(wanted);
    // User input waits: the press that started the drag is still down,
    // and a click now must not reach the view in the middle of its drag.
    if (!fetcher.isFinished())
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    if (fetched)
        *fetched = fetcher.fetchedCount();
    if (!fetcher.isFinished()) {
        *error = tr("Fetching the files took more than %1 s; use Download… instead.")
                     .arg(timeoutMs / 1000);
        return nullptr;
    }
    if (!fetcher.errorString().isEmpty()) {
        *error = fetcher.errorString();
        return nullptr;
    }

    // A folder's copy may hold files from an older version of the form
    // (its files were replaced since); they must not be dragged along.
    QSet<QString> listed;
    for (const api::StoredFile &f : files)
        listed.insert(fetcher.localPath(f.path));
    QList<QUrl> urls;
    for (const QString &item : items) {
        const QString local = fetcher.localPath(item);
        if (local.isEmpty() || !QFileInfo::exists(local))
            continue;
        if (QFileInfo(local).isDir()) {
            QDirIterator it(local, QDir::Files | QDir::Hidden | QDir::System,
                            QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString path = it.next();
                if (!listed.contains(path))
                    QFile::remove(path);
            }
        }
        urls.append(QUrl::fromLocalFile(local));
    }
    auto mime = std::make_unique<QMimeData>();
    mime->setUrls(urls);
    return mime;
}

FormFileFetcher::FormFileFetcher(network::PfApi *api, const QString &formId, const QString &folder,
                                 QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_formId(formId)
    , m_folder(QDir::cleanPath(folder))
{}

FormFileFetcher::~FormFileFetcher()
{
    // Their answers must not reach a half-destroyed fetcher.
    for (QNetworkReply *reply : std::as_const(m_replies)) {
        reply->disconnect(this);
        reply->abort();
    }
}

QString FormFileFetcher::localPath(const QString &remotePath) const
{
    const QString path = QDir::cleanPath(m_folder + u'/' + remotePath);
    if (remotePath.isEmpty() || remotePath.startsWith(u'/') || !path.startsWith(m_folder + u'/'))
        return {};
    return path;
}

void FormFileFetcher::start(const QList<api::StoredFile> &files)
{
    if (m_started)
        return;
    m_started = true;
    for (const api::StoredFile &f : files) {
        const QString local = localPath(f.path);
        if (local.isEmpty())
            return finish(tr("“%1” is not a path inside the checkpoint; it is not fetched.")
                              .arg(f.path.left(200)));
        const QFileInfo info(local);
        if (!info.isFile() || info.size() != f.size)
            m_missing.append(f);
    }
    if (m_missing.isEmpty())
        return finish();
    fetchUrls();
}

void FormFileFetcher::fetchUrls()
{
    QPointer<FormFileFetcher> self(this);
    m_api->formDownload(m_formId, [self](const network::Reply<QList<api::StoredFile>> &r) {
        if (!self || self->m_finished)
            return;
        if (!r.ok())
            return self->finish(tr("Fetching the files failed: %1").arg(r.message()));
        QHash<QString, QString> urls;
        for (const api::StoredFile &f : r.value)
            urls.insert(f.path, f.downloadUrl);
        for (api::StoredFile &f : self->m_missing) {
            f.downloadUrl = urls.value(f.path);
            if (f.downloadUrl.isEmpty())
                return self->finish(
                    tr("“%1” is no longer in the checkpoint; refresh (F5) and try again.")
                        .arg(f.path));
        }
        self->startNext();
    });
}

void FormFileFetcher::startNext()
{
    while (!m_finished && m_replies.size() < kMaxGets && m_next < m_missing.size())
        get(m_missing.at(m_next++));
    if (!m_finished && m_replies.isEmpty() && m_next == m_missing.size())
        finish();
}

void FormFileFetcher::get(const api::StoredFile &file)
{
    const QString local = localPath(file.path);
    if (!QDir().mkpath(QFileInfo(local).path()))
        return finish(tr("Cannot make the folder %1.").arg(QFileInfo(local).path()));
    auto *part = new QFile(local + u".part"_s, this);
    if (!part->open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        const QString why = part->errorString();
        delete part;
        return finish(tr("Cannot write %1: %2").arg(local + u".part"_s, why));
    }
    // Signed URLs are absolute; a relative one is the server's.
    QNetworkRequest request(m_api->session()->baseUrl().resolved(QUrl(file.downloadUrl)));
    request.setTransferTimeout(kStallMs);
    QNetworkReply *reply = m_nam.get(request);
    part->setParent(reply);
    m_replies.append(reply);
    connect(reply, &QNetworkReply::readyRead, this,
            [reply, part] { part->write(reply->readAll()); });
    connect(reply, &QNetworkReply::finished, this, [this, reply, part, file, local] {
        m_replies.removeOne(reply);
        reply->deleteLater();
        part->write(reply->readAll());
        const bool written = part->flush();
        part->close();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        QString why;
        if (reply->error() != QNetworkReply::NoError)
            why = reply->errorString();
        else if (status != 200)
            why = tr("the server answered %1").arg(status);
        else if (!written)
            why = part->errorString();
        else if (part->size() != file.size)
            why = tr("%1 arrived, %2 expected")
                      .arg(models::formatBytes(part->size()), models::formatBytes(file.size));
        if (why.isEmpty()) {
            QFile::remove(local);
            if (!part->rename(local))
                why = part->errorString();
        }
        if (!why.isEmpty()) {
            part->remove();
            qCInfo(lcFormFetch) << "fetching" << file.path << "failed:" << why;
            return finish(tr("Fetching %1 failed: %2").arg(file.path, why));
        }
        ++m_fetched;
        startNext();
    });
}

void FormFileFetcher::finish(const QString &error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_error = error;
    for (QNetworkReply *reply : std::as_const(m_replies)) {
        reply->disconnect(this);
        reply->abort();
        if (auto *part = reply->findChild<QFile *>()) {
            part->close();
            part->remove();
        }
        reply->deleteLater();
    }
    m_replies.clear();
    Q_EMIT finished();
}

} // namespace pf::ui
