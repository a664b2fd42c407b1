// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <memory>

#include <QHash>
#include <QList>
#include <QNetworkAccessManager>
#include <QObject>
#include <QString>
#include <QStringList>

#include "api/dataset.h"

class QMimeData;
class QNetworkReply;

namespace pf::network {
class PfApi;
}

namespace pf::ui {

// Copies of a checkpoint form's files in a local folder, fetched with the
// signed URLs of formDownload (plain GETs, no token): what a file manager
// needs when files are dragged out of the studio, as a drag carries local
// file URLs, not downloads.
//
//   auto *fetcher = new FormFileFetcher(api, formId, FormFileFetcher::dragFolder(formId), this);
//   connect(fetcher, &FormFileFetcher::finished, this, [fetcher] { ... });
//   fetcher->start(files);
//
// A file already in the folder at its size is kept, not fetched again. A
// file is written as "<name>.part" and renamed once all of it has arrived,
// so one cut short is never taken for whole. Remote paths that would leave
// the folder (absolute, "..") are refused. `api` must outlive the fetcher;
// destroying it aborts the GETs in flight.
class FormFileFetcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FormFileFetcher)

public:
    // The most a drag fetches before it starts; larger selections are
    // downloaded (Download…) instead.
    static constexpr qint64 kMaxDragBytes = 64 * 1024 * 1024;

    // <QStandardPaths::CacheLocation>/drag/<formId>
    static QString dragFolder(const QString &formId);
    // Removes the dragged copies not touched for `maxAgeSecs` (a day by
    // default: the file manager has long copied them), and the folders left
    // empty. Answers how many files went.
    static int pruneDragCache(qint64 maxAgeSecs = 24 * 3600);

    // The files of `files` that `items` name: a file by its path, a folder
    // (a path without the trailing "/") by every file below it. Each once,
    // in the order of `files`.
    static QList<api::StoredFile> filesUnder(const QList<api::StoredFile> &files,
                                             const QStringList &items);

    // For a drag about to start: fetches the files under `items` of form
    // `formId` (whose files are `files`) into dragFolder(formId), then
    // answers mime data whose URLs are the local copies of `items` (a
    // folder's URL for a folder; files in its copy that the form does not
    // list any more are removed). Waits at most `timeoutMs` with the event
    // loop running but no user input (the mouse button is still down); on
    // failure or timeout answers null and says why in `*error`. `*fetched`,
    // when given, is set to the number of files fetched (not found there).
    static std::unique_ptr<QMimeData> mimeDataForDrag(network::PfApi *api, const QString &formId,
                                                      const QList<api::StoredFile> &files,
                                                      const QStringList &items, int timeoutMs,
                                                      QString *error, int *fetched = nullptr);

    FormFileFetcher(network::PfApi *api, const QString &formId, const QString &folder,
                    QObject *parent = nullptr);
    ~FormFileFetcher() override;

    // Fetches those of `files` (path and size of each) that are not in the
    // folder at their size; finished() once all are there or one failed.
    // Once per fetcher.
    void start(const QList<api::StoredFile> &files);

    bool isFinished() const { return m_finished; }
    // Why it failed; empty when it did not.
    QString errorString() const { return m_error; }
    // Files fetched (not found in the folder).
    int fetchedCount() const { return m_fetched; }
    // The local path of a remote path; empty for one that would leave the
    // folder.
    QString localPath(const QString &remotePath) const;

Q_SIGNALS:
    void finished();

private:
    void fetchUrls();
    void startNext();
    void get(const api::StoredFile &file);
    void finish(const QString &error = {});

    network::PfApi *m_api;
    QString m_formId;
    QString m_folder;
    QNetworkAccessManager m_nam;
    QList<api::StoredFile> m_missing; // to fetch, with their download URLs once known
    QList<QNetworkReply *> m_replies;
    int m_next = 0;
    int m_fetched = 0;
    bool m_started = false;
    bool m_finished = false;
    QString m_error;
};

} // namespace pf::ui
