// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <functional>

#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include "network/filerequest.h"
#include "network/pfapi.h"

namespace pf::network {

// Uploads of files into a dataset or a checkpoint form, through the flow of
// API.md: signed single-PUT URLs for small files, multipart for large ones
// (parts of partSizeFor(size), several files and parts in flight at once),
// each PUT's MD5 checked against the ETag it answers, then the target
// PATCHed with its files (and, for a new dataset, activated).
//
//   TransferQueue queue(&api, stateDir);
//   const QString id = queue.upload(TransferQueue::Target::dataset(42),
//                                   tr("cifar"), files, {{"active", true}});
//   connect(&queue, &TransferQueue::changed, ...);
//
// A failed PUT is tried again with backoff (1, 2, 4, 8 s); one that fails
// five times in a row pauses its transfer with the reason, the other
// transfers go on. An expired URL is asked for again, not counted.
//
// The queue survives the studio: `stateDir` holds a snapshot of every
// transfer (files, upload ids, part size) and a journal of what finished
// since (a line per part or file, written as it finishes), so a studio
// closed or killed mid-upload sends on the next start only what was not
// done; a multipart upload gets new URLs for its open upload id.
//
// Cancel aborts the open multipart uploads and, for a transfer that created
// its target (a new dataset or checkpoint), deletes the target; into a
// dataset that was there before, the files that did arrive are listed.
//
// Downloads go the other way, from a dataset or checkpoint form into local
// files: a file under 16 MiB in one GET, a larger one as parallel `Range`
// GETs (ranges of partSizeFor(size), `If-Match` its ETag) written in place
// into "<name>.part", each range hashed as it arrives. A complete file is
// checked against the server's ETag (an MD5, or S3's MD5 of part MD5s when
// its parts were the size of our ranges; otherwise its MD5 is computed on a
// worker thread) and then renamed to its name. A file that fails the check
// or changes on the server is fetched again. Finished ranges are journalled
// like parts, so a restart fetches only what is missing.
class TransferQueue final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TransferQueue)

public:
    enum class State { Running, Paused, Done, Failed, Cancelled };

    struct Target
    {
        qint64 datasetId = 0; // a dataset, or
        QString formId;       // a checkpoint form,
        QString checkpointId; // of this checkpoint (deleted on cancel, if asked)
        static Target dataset(qint64 id) { return {id, {}, {}}; }
        static Target form(const QString &id, const QString &checkpoint = {})
        {
            return {0, id, checkpoint};
        }
    };

    struct File
    {
        QString localPath;  // for a download, where the file ends up
        QString remotePath; // relative, '/'-separated
        qint64 size = 0;
        qint64 mtimeMs = 0; // for a download, the server's (given the file)
        bool done = false;
        // Multipart: the open upload, and the ETag of each part done (by
        // part number - 1; empty: not done). A download: the MD5 of each
        // range done, and the server's ETag of the file.
        QString uploadId;
        QList<QString> partEtags;
        QString etag;
        qint64 bytesDone() const;
    };

    struct Transfer
    {
        QString id;
        QString title;
        bool download = false;
        Target target;
        State state = State::Running;
        QString reason; // why it is paused or failed (empty: paused by the user)
        bool deleteTargetOnCancel = false;
        QJsonObject finish; // PATCHed on the target at the end, with `files`
        QList<File> files;
        qint64 totalBytes() const;
        qint64 bytesDone() const;
        int filesDone() const;
    };

    // Files of at most this size go in one PUT; larger ones in parts.
    static constexpr qint64 kMinPartSize = 16 * 1024 * 1024;
    static constexpr qint64 kMaxPartSize = 200 * 1024 * 1024;
    // The part size for a file: kMinPartSize, or larger so that a file has
    // at most 320 parts (5 GiB in 16 MiB parts), at most kMaxPartSize.
    static qint64 partSizeFor(qint64 size);
    static int partCount(qint64 size);

    // The files to upload for `paths` (files and folders, as dropped or
    // chosen): a file by its name, a folder's files under the folder's
    // name, or, when `paths` is one folder, its files from its top.
    // Symbolic links, unreadable and special files, and a second file for a
    // remote path already taken, are left out, each with a sentence in
    // `problems`; empty files are uploaded, each with a sentence in `notes`
    // (when given).
    static QList<std::pair<QString, QString>>
    filesToUpload(const QStringList &paths, QStringList *problems, QStringList *notes = nullptr);

    // Loads what `stateDir` holds (created if missing); transfers that were
    // running go on.
    TransferQueue(PfApi *api, const QString &stateDir, QObject *parent = nullptr);
    ~TransferQueue() override;

    // Starts uploading `files` ({local path, remote path}) into `target`.
    // Each must be a regular file the caller has checked (see
    // filesToUpload()). `finish` is PATCHed on the target at the end, with
    // the files: a dataset gets them added to the files it has then
    // (`add_files`, each replacing one of its path); a checkpoint form gets
    // `finish`'s own `files` and then these.
    QString upload(const Target &target, const QString &title,
                   const QList<std::pair<QString, QString>> &files, const QJsonObject &finish,
                   bool deleteTargetOnCancel = false);

    // Starts downloading `files` (remotePath, localPath and size of each;
    // mtimeMs, when given, is set on the file) from `target`. A local file
    // of the same name is replaced when the download completes; the folders
    // are made. Remote paths that would leave their folder (absolute, `..`)
    // are refused: nothing starts and an empty id is answered.
    QString download(const Target &target, const QString &title, const QList<File> &files);

    // A name for `path` that is not in `taken`: "a/b.tar.gz" becomes
    // "a/b (1).tar.gz", then "(2)"...; for "Keep Both" on a name clash.
    static QString keepBothName(const QString &path, const QSet<QString> &taken);

    void pause(const QString &id);
    void resume(const QString &id); // also a failed one: tries again
    void cancel(const QString &id);
    // Forgets an ended transfer.
    void remove(const QString &id);

    const QList<Transfer> &transfers() const { return m_transfers; }
    const Transfer *transfer(const QString &id) const;

    // Requests in flight at most (PUTs and calls), default 4.
    void setMaxRequests(int n);
    int maxRequests() const { return m_maxRequests; }
    // PUTs answered so far (tests count them across a restart).
    qint64 putsSent() const { return m_putsSent; }
    // GETs answered so far (of downloads).
    qint64 getsSent() const { return m_getsSent; }

    // Bytes sent per second over the last few seconds, of every transfer.
    double bytesPerSecond() const;

Q_SIGNALS:
    // A transfer was added, made progress, changed state or was removed.
    void changed(const QString &id);
    // Done, or Cancelled once the server has aborted the open uploads and
    // removed (or updated) the target.
    void finished(const QString &id, State state);
    // A transfer paused by a failure, with the reason (Resume tries again).
    void failed(const QString &id, const QString &reason);

private:
    struct Request
    {
        QString transferId;
        int file = 0;
        int part = 0; // 0: a single PUT (or GET)
        bool get = false;
    };

    // `f` as an API callback that does nothing once this queue is gone (a
    // sign-out destroys it with calls under way).
    template <typename T, typename F>
    Callback<T> guarded(F f)
    {
        return [self = QPointer<TransferQueue>(this), f = std::move(f)](const Reply<T> &r) {
            if (self)
                f(r);
        };
    }

    // The handler of the answer to an API call for `t`, with what every such
    // call does around it: `key` is busy and the call counts as in flight
    // until the answer; `then(transfer, answer)` runs only if the transfer
    // is still running; the queue schedules what is next either way.
    template <typename A, typename F>
    std::function<void(const A &)> onAnswer(const Transfer &t, const QString &key, F then)
    {
        m_busy[t.id].insert(key);
        ++m_inFlight;
        return [this, id = t.id, key, then = std::move(then)](const A &answer) {
            --m_inFlight;
            m_busy[id].remove(key);
            if (Transfer *t = find(id); t && t->state == State::Running)
                then(*t, answer);
            schedule();
        };
    }

    // Gives `t` an id, keeps it and starts it.
    QString add(Transfer t);
    Transfer *find(const QString &id);
    void schedule();
    bool startNext(Transfer &t);
    void requestUrls(Transfer &t);
    void startMultipart(Transfer &t, int fileIndex);
    void startPut(Transfer &t, int fileIndex, int part, const QString &url);
    void send(FileRequest::Spec spec, const Request &request);
    void putFinished(const FileRequest::Result &result, const FileRequest::Spec &spec,
                     const Request &put);
    // Downloads.
    bool startNextDownload(Transfer &t);
    void requestDownloadUrls(Transfer &t);
    bool checkPartFile(Transfer &t, int fileIndex);
    void startGet(Transfer &t, int fileIndex, int part, const QString &url);
    void getFinished(const FileRequest::Result &result, const FileRequest::Spec &spec,
                     const Request &get);
    void verifyDownload(Transfer &t, int fileIndex, const QString &md5);
    void downloadVerified(Transfer &t, int fileIndex, bool ok);
    // Forgets what was fetched of a file (it changed on the server, or
    // failed its check).
    void restartDownloadFile(Transfer &t, int fileIndex, qint64 size);
    void completeMultipart(Transfer &t, int fileIndex);
    void finishTransfer(Transfer &t);
    // The files of `t` (those done only, given `doneOnly`) as the target
    // lists them.
    static QList<api::StoredFile> storedFiles(const Transfer &t, bool doneOnly);
    void fileDone(Transfer &t, int fileIndex);
    // Stops sending `t` until resume(), saying why (a failure is paused,
    // never final: Resume tries again).
    void pauseWith(Transfer &t, const QString &reason);
    // Counts a failure in a row: waits 1, 2, 4, 8 s, then pauses with `reason`.
    void retryLater(Transfer &t, const QString &reason);
    void restartChangedFile(Transfer &t, int fileIndex);
    // Aborts the PUTs and GETs of transfer `id` (of one file of it, given
    // `fileIndex`), unanswered.
    void dropRequests(const QString &id, int fileIndex = -1);
    // Aborts the open multipart uploads of `t`, then runs `then`.
    void abortOpenUploads(const Transfer &t, const std::function<void()> &then);
    void abortUpload(const Transfer &t, const File &f, const Callback<Empty> &done);
    bool changedOnDisk(const File &f) const;

    void load();
    void saveSnapshot();
    void journal(const QJsonObject &entry);
    void apply(const QJsonObject &entry);

    PfApi *m_api;
    QString m_dir;
    QList<Transfer> m_transfers;
    QFile m_journal;
    int m_maxRequests = 4;
    int m_inFlight = 0;
    qint64 m_putsSent = 0;
    qint64 m_getsSent = 0;
    // Per transfer id: signed URLs in hand (they expire: never saved), the
    // files and parts being sent, the calls under way, the failures in a row.
    QHash<QString, QHash<QString, QString>> m_singleUrls;      // remote path -> URL
    QHash<QString, QHash<QString, QList<QString>>> m_partUrls; // remote path -> URL per part
    QHash<QString, QSet<QString>> m_busy;                      // "file" or "file#part"
    QSet<QString> m_partFilesChecked; // "transfer/file": its .part checked since the start
    QHash<QString, int> m_failures;
    QHash<QString, qint64> m_retryAtMs; // no new request before (m_clock)
    QHash<FileRequest *, Request> m_requests;
    int m_journalLines = 0;
    QList<std::pair<qint64, qint64>> m_samples; // {ms, bytes} for the speed
    QElapsedTimer m_clock;
    qint64 m_sentBytes = 0;
    QTimer m_retry;
};

} // namespace pf::network
