// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "transferqueue.h"

#include <algorithm>
#include <filesystem>
#include <limits>

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSslCertificate>
#include <QUuid>
#include <QtConcurrent/QtConcurrentRun>

#include "network/apisession.h"

using namespace Qt::StringLiterals;

namespace pf::network {

namespace {

QString partPath(const TransferQueue::File &f)
{
    return f.localPath + u".part"_s;
}

// A path the server gives that stays in its folder once joined to it.
bool safeRelativePath(const QString &path)
{
    if (path.isEmpty() || path.startsWith(u'/') || path.contains(QChar(0)))
        return false;
    for (const QStringView part : QStringView(path).split(u'/'))
        if (part.isEmpty() || part == u"." || part == u"..")
            return false;
    return true;
}

// The ranges (of `rangeSize`, numbered from 0) of the file at `path` whose
// MD5 is not the one in `digests` (done ranges only; empty: not done).
QList<int> damagedRanges(const QString &path, qint64 rangeSize, const QList<QString> &digests)
{
    QList<int> damaged;
    QFile file(path);
    const bool open = file.open(QIODevice::ReadOnly);
    QByteArray buffer(1024 * 1024, Qt::Uninitialized);
    for (int i = 0; i < digests.size(); ++i) {
        if (digests.at(i).isEmpty())
            continue;
        QCryptographicHash md5(QCryptographicHash::Md5);
        qint64 left = std::min(rangeSize, file.size() - qint64(i) * rangeSize);
        bool read = open && left > 0 && file.seek(qint64(i) * rangeSize);
        while (read && left > 0) {
            const qint64 n = file.read(buffer.data(), std::min<qint64>(buffer.size(), left));
            read = n > 0;
            if (read) {
                md5.addData(QByteArrayView(buffer.constData(), n));
                left -= n;
            }
        }
        if (!read || md5.result().toHex() != digests.at(i).toLatin1())
            damaged.append(i);
    }
    return damaged;
}

QByteArray md5OfFile(const QString &path)
{
    QFile file(path);
    QCryptographicHash md5(QCryptographicHash::Md5);
    if (!file.open(QIODevice::ReadOnly) || !md5.addData(&file))
        return {};
    return md5.result().toHex();
}

constexpr int kMaxFailures = 5;     // in a row, then the transfer pauses
constexpr int kUrlBatch = 200;      // single-PUT URLs asked for at once
constexpr int kMaxParts = 320;      // parts of a file at most (above 16 MiB each)
constexpr int kCompactAfter = 2000; // journal lines before a new snapshot

QString busyKey(const char *what, int file = -1, int part = -1)
{
    QString key = QString::fromLatin1(what);
    if (file >= 0)
        key += u':' + QString::number(file);
    if (part >= 0)
        key += u':' + QString::number(part);
    return key;
}

QString unquoted(QString etag)
{
    if (etag.startsWith(u"W/"_s))
        etag.remove(0, 2);
    if (etag.size() >= 2 && etag.startsWith(u'"') && etag.endsWith(u'"'))
        etag = etag.mid(1, etag.size() - 2);
    return etag;
}

// The first part (or range, from 1) of file `file` that is neither done nor
// under way (a `what` request), or 0; `settled`: every one done (a part is
// marked done only once its request has ended, so none is under way).
int nextPart(const TransferQueue::File &f, const QSet<QString> &busy, const char *what, int file,
             bool *settled)
{
    bool allDone = true;
    for (int p = 0; p < f.partEtags.size(); ++p) {
        if (!f.partEtags.at(p).isEmpty())
            continue;
        allDone = false;
        if (!busy.contains(busyKey(what, file, p + 1)))
            return p + 1;
    }
    *settled = allDone;
    return 0;
}

const char *stateName(TransferQueue::State s)
{
    switch (s) {
    case TransferQueue::State::Running:
        return "running";
    case TransferQueue::State::Paused:
        return "paused";
    case TransferQueue::State::Done:
        return "done";
    case TransferQueue::State::Failed:
        return "failed";
    case TransferQueue::State::Cancelled:
        return "cancelled";
    }
    return "paused";
}

TransferQueue::State stateFromName(const QString &name)
{
    for (const auto s :
         {TransferQueue::State::Running, TransferQueue::State::Paused, TransferQueue::State::Done,
          TransferQueue::State::Failed, TransferQueue::State::Cancelled})
        if (name == QLatin1String(stateName(s)))
            return s;
    return TransferQueue::State::Paused;
}

} // namespace

qint64 TransferQueue::partSizeFor(qint64 size)
{
    constexpr qint64 mib = 1024 * 1024;
    const qint64 even = ((size + kMaxParts - 1) / kMaxParts + mib - 1) / mib * mib;
    return std::clamp(even, kMinPartSize, kMaxPartSize);
}

int TransferQueue::partCount(qint64 size)
{
    if (size <= kMinPartSize)
        return 0;
    const qint64 part = partSizeFor(size);
    return int((size + part - 1) / part);
}

QList<std::pair<QString, QString>>
TransferQueue::filesToUpload(const QStringList &paths, QStringList *problems, QStringList *notes)
{
    QList<std::pair<QString, QString>> files;
    QHash<QString, QString> taken; // remote path -> the local file going there
    const auto add = [&](const QFileInfo &info, const QString &remote) {
        if (info.isSymLink()) {
            *problems << tr("%1 is a symbolic link; links are not uploaded.").arg(info.filePath());
        } else if (!info.isFile()) {
            *problems << tr("%1 is not a regular file.").arg(info.filePath());
        } else if (!info.isReadable()) {
            *problems << tr("%1 cannot be read (permissions).").arg(info.filePath());
        } else if (const QString first = taken.value(remote); !first.isEmpty()) {
            // Two dropped folders (or files) of the same name.
            *problems << tr("%1 would go to %2, where %3 goes already.")
                             .arg(info.filePath(), remote, first);
        } else {
            taken.insert(remote, info.filePath());
            files.append({info.absoluteFilePath(), remote});
            if (notes && info.size() == 0)
                *notes << tr("%1 is empty; it is uploaded as an empty file.").arg(info.filePath());
        }
    };
    const bool oneFolder = paths.size() == 1 && QFileInfo(paths.first()).isDir() &&
                           !QFileInfo(paths.first()).isSymLink();
    for (const QString &path : paths) {
        const QFileInfo top(path);
        if (!top.isDir() || top.isSymLink()) {
            add(top, top.fileName());
            continue;
        }
        const QDir dir(top.absoluteFilePath());
        const QString prefix = oneFolder ? QString() : top.fileName() + u'/';
        QDirIterator it(dir.path(),
                        QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            it.next();
            const QFileInfo info = it.fileInfo();
            if (info.isDir() && !info.isSymLink())
                continue;
            add(info, prefix + dir.relativeFilePath(info.filePath()));
        }
    }
    return files;
}

QString TransferQueue::keepBothName(const QString &path, const QSet<QString> &taken)
{
    const qsizetype slash = path.lastIndexOf(u'/');
    const QString folder = path.left(slash + 1);
    const QString name = path.mid(slash + 1);
    // The suffix starts at the first dot that is not the name's first
    // character: "b.tar.gz" -> "b", ".tar.gz"; ".bashrc" has none.
    const qsizetype dot = name.indexOf(u'.', 1);
    const QString stem = dot > 0 ? name.left(dot) : name;
    const QString suffix = dot > 0 ? name.mid(dot) : QString();
    for (int n = 1;; ++n) {
        const QString candidate = u"%1%2 (%3)%4"_s.arg(folder, stem).arg(n).arg(suffix);
        if (!taken.contains(candidate))
            return candidate;
    }
}

qint64 TransferQueue::File::bytesDone() const
{
    if (done)
        return size;
    const qint64 part = partSizeFor(size);
    qint64 bytes = 0;
    for (qsizetype i = 0; i < partEtags.size(); ++i)
        if (!partEtags.at(i).isEmpty())
            bytes += std::min(part, size - qint64(i) * part);
    return bytes;
}

qint64 TransferQueue::Transfer::totalBytes() const
{
    qint64 n = 0;
    for (const File &f : files)
        n += f.size;
    return n;
}

qint64 TransferQueue::Transfer::bytesDone() const
{
    qint64 n = 0;
    for (const File &f : files)
        n += f.bytesDone();
    return n;
}

int TransferQueue::Transfer::filesDone() const
{
    return int(std::count_if(files.begin(), files.end(), [](const File &f) { return f.done; }));
}

TransferQueue::TransferQueue(PfApi *api, const QString &stateDir, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_dir(stateDir)
{
    m_clock.start();
    m_retry.setSingleShot(true);
    m_retry.setTimerType(Qt::PreciseTimer);
    connect(&m_retry, &QTimer::timeout, this, &TransferQueue::schedule);
    QDir().mkpath(m_dir);
    load();
    QTimer::singleShot(0, this, &TransferQueue::schedule);
}

TransferQueue::~TransferQueue()
{
    // Requests under way are dropped: the parts they carried are sent again
    // by the next queue on this state. No answer may reach this half-gone
    // object.
    const auto requests = m_requests.keys();
    m_requests.clear();
    qDeleteAll(requests); // each aborts and waits for its thread
    m_journal.close();
}

TransferQueue::Transfer *TransferQueue::find(const QString &id)
{
    for (Transfer &t : m_transfers)
        if (t.id == id)
            return &t;
    return nullptr;
}

const TransferQueue::Transfer *TransferQueue::transfer(const QString &id) const
{
    return const_cast<TransferQueue *>(this)->find(id);
}

void TransferQueue::setMaxRequests(int n)
{
    m_maxRequests = std::max(1, n);
    schedule();
}

double TransferQueue::bytesPerSecond() const
{
    const qint64 now = m_clock.elapsed();
    qint64 bytes = 0;
    qint64 since = now;
    for (const auto &[ms, n] : m_samples) {
        if (now - ms > 5000)
            continue;
        bytes += n;
        since = std::min(since, ms);
    }
    const qint64 span = std::max<qint64>(now - since, 1000);
    return double(bytes) * 1000.0 / double(span);
}

QString TransferQueue::upload(const Target &target, const QString &title,
                              const QList<std::pair<QString, QString>> &files,
                              const QJsonObject &finish, bool deleteTargetOnCancel)
{
    Transfer t;
    t.title = title;
    t.target = target;
    t.finish = finish;
    t.deleteTargetOnCancel = deleteTargetOnCancel;
    for (const auto &[local, remote] : files) {
        const QFileInfo info(local);
        File f;
        f.localPath = info.absoluteFilePath();
        f.remotePath = remote;
        f.size = info.size();
        f.mtimeMs = info.lastModified().toMSecsSinceEpoch();
        f.partEtags.resize(partCount(f.size));
        t.files.append(f);
    }
    return add(std::move(t));
}

QString TransferQueue::add(Transfer t)
{
    t.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_transfers.append(t);
    saveSnapshot();
    Q_EMIT changed(t.id);
    schedule();
    return t.id;
}

QString TransferQueue::download(const Target &target, const QString &title,
                                const QList<File> &files)
{
    Transfer t;
    t.title = title;
    t.download = true;
    t.target = target;
    for (const File &given : files) {
        if (!safeRelativePath(given.remotePath) || !QFileInfo(given.localPath).isAbsolute())
            return {};
        File f;
        f.remotePath = given.remotePath;
        f.localPath = QDir::cleanPath(given.localPath);
        f.size = given.size;
        f.mtimeMs = given.mtimeMs;
        f.partEtags.resize(partCount(f.size));
        t.files.append(f);
    }
    return add(std::move(t));
}

void TransferQueue::pause(const QString &id)
{
    Transfer *t = find(id);
    if (!t || t->state != State::Running)
        return;
    t->state = State::Paused;
    t->reason.clear(); // paused by the user, not by a failure
    dropRequests(id);
    saveSnapshot();
    Q_EMIT changed(id);
    schedule(); // the others take the freed requests
}

void TransferQueue::resume(const QString &id)
{
    Transfer *t = find(id);
    if (!t || (t->state != State::Paused && t->state != State::Failed))
        return;
    t->state = State::Running;
    t->reason.clear();
    m_failures.remove(id);
    saveSnapshot();
    Q_EMIT changed(id);
    schedule();
}

void TransferQueue::cancel(const QString &id)
{
    Transfer *t = find(id);
    if (!t || t->state == State::Done || t->state == State::Cancelled)
        return;
    t->state = State::Cancelled;
    t->reason = tr("Cancelled");
    dropRequests(id);
    if (t->download) {
        for (const File &f : t->files)
            if (!f.done)
                QFile::remove(partPath(f));
    }
    saveSnapshot();
    Q_EMIT changed(id);
    // The uploads are aborted before the target goes (an abort after it
    // would find no target and leave the parts behind); finished() says
    // when the server has done both.
    const Target target = t->deleteTargetOnCancel ? t->target : Target();
    const auto cancelled =
        guarded<Empty>([this, id](const Reply<Empty> &) { Q_EMIT finished(id, State::Cancelled); });
    // Into a dataset that was there before, the files that did arrive are
    // listed: one that replaced a file is on the server at its new size.
    QJsonArray arrived;
    if (!t->download && !t->deleteTargetOnCancel && t->target.datasetId > 0)
        for (const api::StoredFile &s : storedFiles(*t, true))
            arrived.append(s.toJson());
    const qint64 addTo = arrived.isEmpty() ? 0 : t->target.datasetId;
    abortOpenUploads(*t, [this, target, cancelled, addTo, arrived] {
        if (target.datasetId > 0)
            m_api->deleteDataset(target.datasetId, cancelled);
        else if (!target.checkpointId.isEmpty())
            m_api->deleteCheckpoint(target.checkpointId, cancelled);
        else if (addTo > 0)
            m_api->updateDataset(addTo, {{u"add_files"_s, arrived}},
                                 [cancelled](const Reply<api::Dataset> &) { cancelled({}); });
        else
            cancelled({});
    });
    schedule();
}

void TransferQueue::remove(const QString &id)
{
    const Transfer *t = find(id);
    if (!t || t->state == State::Running || t->state == State::Paused)
        return;
    m_transfers.removeIf([&](const Transfer &x) { return x.id == id; });
    saveSnapshot();
    Q_EMIT changed(id);
}

void TransferQueue::dropRequests(const QString &id, int fileIndex)
{
    for (auto it = m_requests.begin(); it != m_requests.end();) {
        if (it->transferId != id || (fileIndex >= 0 && it->file != fileIndex)) {
            ++it;
            continue;
        }
        const Request r = *it;
        FileRequest *request = it.key();
        it = m_requests.erase(it);
        --m_inFlight;
        m_busy[id].remove(busyKey(r.get ? "get" : "put", r.file, r.part == 0 ? -1 : r.part));
        request->abort();
        request->deleteLater();
    }
}

void TransferQueue::abortOpenUploads(const Transfer &t, const std::function<void()> &then)
{
    auto left = std::make_shared<int>(1);
    const auto one = guarded<Empty>([left, then](const Reply<Empty> &) {
        if (--*left == 0)
            then();
    });
    for (const File &f : t.files) {
        if (f.done || f.uploadId.isEmpty())
            continue;
        ++*left;
        abortUpload(t, f, one);
    }
    one({});
}

void TransferQueue::abortUpload(const Transfer &t, const File &f, const Callback<Empty> &done)
{
    if (t.target.datasetId > 0)
        m_api->abortDatasetMultipart(t.target.datasetId, f.remotePath, f.uploadId, done);
    else
        m_api->abortFormMultipart(t.target.formId, f.remotePath, f.uploadId, done);
}

void TransferQueue::pauseWith(Transfer &t, const QString &reason)
{
    if (t.state != State::Running)
        return;
    t.state = State::Paused;
    t.reason = reason;
    saveSnapshot();
    Q_EMIT changed(t.id);
    Q_EMIT failed(t.id, reason);
}

bool TransferQueue::changedOnDisk(const File &f) const
{
    const QFileInfo info(f.localPath);
    return !info.exists() || info.size() != f.size ||
           info.lastModified().toMSecsSinceEpoch() != f.mtimeMs;
}

void TransferQueue::schedule()
{
    while (m_inFlight < m_maxRequests) {
        bool started = false;
        for (Transfer &t : m_transfers) {
            if (t.state == State::Running && startNext(t)) {
                started = true;
                break;
            }
        }
        if (!started)
            break;
    }
}

// Starts the next request of `t`, if one can start now.
bool TransferQueue::startNext(Transfer &t)
{
    if (const qint64 wait = m_retryAtMs.value(t.id) - m_clock.elapsed(); wait > 0) {
        // Waiting after a failure (a timer may fire a little early).
        if (!m_retry.isActive() || m_retry.remainingTime() > wait)
            m_retry.start(int(wait) + 1);
        return false;
    }
    if (t.download)
        return startNextDownload(t);
    QSet<QString> &busy = m_busy[t.id];
    if (busy.contains(busyKey("finish")))
        return false;
    bool allDone = true;
    for (int i = 0; i < t.files.size(); ++i) {
        File &f = t.files[i];
        if (f.done)
            continue;
        allDone = false;
        if (f.partEtags.isEmpty()) {
            // One PUT.
            if (busy.contains(busyKey("put", i)))
                continue;
            const QString url = m_singleUrls[t.id].value(f.remotePath);
            if (!url.isEmpty()) {
                startPut(t, i, 0, url);
                return true;
            }
            if (!busy.contains(busyKey("urls"))) {
                requestUrls(t);
                return true;
            }
            continue;
        }
        // In parts.
        if (busy.contains(busyKey("mpu", i)) || busy.contains(busyKey("complete", i)))
            continue;
        const QList<QString> urls = m_partUrls[t.id].value(f.remotePath);
        if (f.uploadId.isEmpty() || urls.size() != f.partEtags.size()) {
            startMultipart(t, i);
            return true;
        }
        bool settled = false;
        if (const int part = nextPart(f, busy, "put", i, &settled); part > 0) {
            startPut(t, i, part, urls.at(part - 1));
            return true;
        }
        if (settled) {
            completeMultipart(t, i);
            return true;
        }
    }
    if (allDone && busy.isEmpty()) {
        finishTransfer(t);
        return true;
    }
    return false;
}

void TransferQueue::requestUrls(Transfer &t)
{
    QStringList paths;
    QSet<QString> &busy = m_busy[t.id];
    for (int i = 0; i < t.files.size() && paths.size() < kUrlBatch; ++i) {
        const File &f = t.files.at(i);
        if (!f.done && f.partEtags.isEmpty() && !busy.contains(busyKey("put", i)) &&
            !m_singleUrls[t.id].contains(f.remotePath))
            paths << f.remotePath;
    }
    const auto done = onAnswer<Reply<QList<UploadUrl>>>(
        t, busyKey("urls"), [this](Transfer &t, const Reply<QList<UploadUrl>> &r) {
            if (!r.ok())
                return retryLater(t, tr("Could not get upload URLs: %1").arg(r.message()));
            for (const UploadUrl &u : r.value)
                m_singleUrls[t.id].insert(u.path, u.uploadUrl);
        });
    if (t.target.datasetId > 0)
        m_api->datasetUploadUrls(t.target.datasetId, paths, guarded<QList<UploadUrl>>(done));
    else
        m_api->formUploadUrls(t.target.formId, paths, guarded<QList<UploadUrl>>(done));
}

void TransferQueue::startMultipart(Transfer &t, int fileIndex)
{
    File &f = t.files[fileIndex];
    const QString path = f.remotePath;
    const QString resumed = f.uploadId;
    const auto done = onAnswer<Reply<MultipartUpload>>(
        t, busyKey("mpu", fileIndex),
        [this, fileIndex, path, resumed](Transfer &t, const Reply<MultipartUpload> &r) {
            File &f = t.files[fileIndex];
            if (!r.ok() && !resumed.isEmpty() && r.result.status == 404) {
                // The server no longer has the upload (aborted, or swept
                // after a day): the file starts again.
                f.uploadId.clear();
                f.partEtags.fill(QString());
                journal({{u"t"_s, t.id}, {u"f"_s, fileIndex}, {u"restart"_s, true}});
                return;
            }
            if (!r.ok())
                return retryLater(
                    t, tr("Could not start the upload of %1: %2").arg(path, r.message()));
            QList<QString> urls(f.partEtags.size());
            for (const MultipartUpload::Part &p : r.value.parts)
                if (p.partNumber >= 1 && p.partNumber <= urls.size())
                    urls[p.partNumber - 1] = p.uploadUrl;
            m_partUrls[t.id].insert(path, urls);
            if (f.uploadId != r.value.uploadId) {
                f.uploadId = r.value.uploadId;
                journal({{u"t"_s, t.id}, {u"f"_s, fileIndex}, {u"u"_s, f.uploadId}});
            }
        });
    const int parts = int(f.partEtags.size());
    if (t.target.datasetId > 0)
        m_api->startDatasetMultipart(t.target.datasetId, path, parts,
                                     guarded<MultipartUpload>(done), resumed);
    else
        m_api->startFormMultipart(t.target.formId, path, parts, guarded<MultipartUpload>(done),
                                  resumed);
}

void TransferQueue::startPut(Transfer &t, int fileIndex, int part, const QString &url)
{
    const File &f = t.files.at(fileIndex);
    const qint64 partSize = partSizeFor(f.size);
    const qint64 offset = part == 0 ? 0 : qint64(part - 1) * partSize;
    const qint64 length = part == 0 ? f.size : std::min(partSize, f.size - offset);
    m_busy[t.id].insert(busyKey("put", fileIndex, part == 0 ? -1 : part));
    send({FileRequest::Put,
          QUrl(url),
          {{"Content-Type", "application/octet-stream"}},
          f.localPath,
          offset,
          length},
         {t.id, fileIndex, part, false});
}

void TransferQueue::send(FileRequest::Spec spec, const Request &request)
{
    ++m_inFlight;
    spec.trustedCertificate = m_api->session()->trustedCertificate().toDer();
    auto *r = new FileRequest(std::move(spec), this);
    connect(r, &FileRequest::finished, this, [this, r] {
        r->deleteLater();
        const Request request = m_requests.take(r);
        if (request.transferId.isEmpty())
            return; // dropped meanwhile
        --m_inFlight;
        if (request.get)
            getFinished(r->result(), r->spec(), request);
        else
            putFinished(r->result(), r->spec(), request);
    });
    m_requests.insert(r, request);
    r->start();
}

void TransferQueue::putFinished(const FileRequest::Result &result, const FileRequest::Spec &spec,
                                const Request &put)
{
    ++m_putsSent;
    m_busy[put.transferId].remove(busyKey("put", put.file, put.part == 0 ? -1 : put.part));
    Transfer *t = find(put.transferId);
    if (!t || t->state != State::Running)
        return schedule();
    File &f = t->files[put.file];
    const int status = result.status;
    const QString etag = unquoted(QString::fromLatin1(result.headers.value("etag")));
    const QString md5 = QString::fromLatin1(result.md5Hex);
    const QString what =
        put.part == 0 ? f.remotePath : tr("part %1 of %2").arg(put.part).arg(f.remotePath);
    if (result.fileError) {
        pauseWith(*t, tr("Cannot read %1 (%2): it was moved, deleted or made unreadable.")
                          .arg(f.localPath, result.error.toLower()));
        return schedule();
    }
    if (status != 200) {
        if (status == 403) // expired: new URLs next time
            put.part == 0 ? void(m_singleUrls[t->id].remove(f.remotePath))
                          : void(m_partUrls[t->id].remove(f.remotePath));
        const QString detail =
            status != 0 ? tr("the server answered %1").arg(status) : result.error;
        retryLater(*t, tr("Sending %1 failed: %2").arg(what, detail));
        return schedule();
    }
    if (result.bytes != spec.length || etag != md5) {
        retryLater(*t, tr("Sending %1: the server's checksum (%2) is not the file's (%3).")
                           .arg(what, etag, md5));
        return schedule();
    }
    m_failures.remove(t->id);
    m_samples.append({m_clock.elapsed(), spec.length});
    while (!m_samples.isEmpty() && m_clock.elapsed() - m_samples.first().first > 5000)
        m_samples.removeFirst();
    if (put.part == 0) {
        if (changedOnDisk(f))
            return restartChangedFile(*t, put.file);
        fileDone(*t, put.file);
    } else {
        f.partEtags[put.part - 1] = etag;
        journal({{u"t"_s, t->id}, {u"f"_s, put.file}, {u"p"_s, put.part}, {u"e"_s, etag}});
        Q_EMIT changed(t->id);
    }
    schedule();
}

void TransferQueue::retryLater(Transfer &t, const QString &reason)
{
    const int failures = ++m_failures[t.id];
    if (failures >= kMaxFailures) {
        m_failures.remove(t.id);
        pauseWith(t, reason);
        return;
    }
    const qint64 wait = 1000LL << (failures - 1); // 1, 2, 4, 8 s
    m_retryAtMs.insert(t.id, m_clock.elapsed() + wait);
    if (!m_retry.isActive() || m_retry.remainingTime() > wait)
        m_retry.start(int(wait));
}

void TransferQueue::restartChangedFile(Transfer &t, int fileIndex)
{
    File &f = t.files[fileIndex];
    const QString reason =
        tr("%1 changed while it was being sent; resume sends it again.").arg(f.localPath);
    if (!f.uploadId.isEmpty())
        abortUpload(t, f, [](const Reply<Empty> &) {});
    const QFileInfo info(f.localPath);
    f.size = info.size();
    f.mtimeMs = info.lastModified().toMSecsSinceEpoch();
    f.uploadId.clear();
    f.partEtags = QList<QString>(partCount(f.size));
    m_partUrls[t.id].remove(f.remotePath);
    m_singleUrls[t.id].remove(f.remotePath);
    pauseWith(t, reason);
    schedule();
}

void TransferQueue::completeMultipart(Transfer &t, int fileIndex)
{
    File &f = t.files[fileIndex];
    if (changedOnDisk(f))
        return restartChangedFile(t, fileIndex);
    QList<CompletedPart> parts;
    for (int p = 0; p < f.partEtags.size(); ++p)
        parts.append({p + 1, f.partEtags.at(p)});
    const auto done = onAnswer<Reply<Empty>>(
        t, busyKey("complete", fileIndex), [this, fileIndex](Transfer &t, const Reply<Empty> &r) {
            const QString &path = t.files.at(fileIndex).remotePath;
            if (!r.ok())
                return retryLater(t, tr("Could not assemble %1: %2").arg(path, r.message()));
            m_partUrls[t.id].remove(path);
            fileDone(t, fileIndex);
        });
    if (t.target.datasetId > 0)
        m_api->completeDatasetMultipart(t.target.datasetId, f.remotePath, f.uploadId, parts,
                                        guarded<Empty>(done));
    else
        m_api->completeFormMultipart(t.target.formId, f.remotePath, f.uploadId, parts,
                                     guarded<Empty>(done));
}

void TransferQueue::fileDone(Transfer &t, int fileIndex)
{
    File &f = t.files[fileIndex];
    f.done = true;
    m_singleUrls[t.id].remove(f.remotePath);
    journal({{u"t"_s, t.id}, {u"f"_s, fileIndex}, {u"done"_s, true}});
    Q_EMIT changed(t.id);
}

QList<api::StoredFile> TransferQueue::storedFiles(const Transfer &t, bool doneOnly)
{
    QList<api::StoredFile> stored;
    for (const File &f : t.files) {
        if (doneOnly && !f.done)
            continue;
        api::StoredFile s;
        s.name = QFileInfo(f.remotePath).fileName();
        s.path = f.remotePath;
        s.mtime = QDateTime::fromMSecsSinceEpoch(f.mtimeMs, Qt::UTC);
        s.size = f.size;
        stored.append(s);
    }
    return stored;
}

void TransferQueue::finishTransfer(Transfer &t)
{
    QList<api::StoredFile> stored = storedFiles(t, false);
    const auto done =
        onAnswer<ApiResult>(t, busyKey("finish"), [this](Transfer &t, const ApiResult &r) {
            if (!r.ok())
                return retryLater(t, tr("Could not record the files: %1").arg(r.message));
            t.state = State::Done;
            t.reason.clear();
            const QString id = t.id; // the signals' receivers may remove it
            m_singleUrls.remove(id);
            m_partUrls.remove(id);
            m_busy.remove(id);
            saveSnapshot();
            Q_EMIT changed(id);
            Q_EMIT finished(id, State::Done);
        });
    if (t.target.datasetId > 0) {
        // Added to the files the dataset has when this arrives (another
        // upload may have added some meanwhile), each in place of one of
        // its path: `add_files`, pfd's atomic merge. `finish`'s own `files`
        // are already there.
        QJsonArray ours;
        for (const api::StoredFile &s : stored)
            ours.append(s.toJson());
        QJsonObject body = t.finish;
        body.remove(u"files"_s);
        body.insert(u"add_files"_s, ours);
        m_api->updateDataset(
            t.target.datasetId, body,
            guarded<api::Dataset>([done](const Reply<api::Dataset> &r) { done(r.result); }));
    } else {
        for (const QJsonValue &v : t.finish.value(u"files"_s).toArray())
            stored.prepend(api::StoredFile::fromJson(v.toObject()));
        m_api->updateFormFiles(
            t.target.formId, stored,
            guarded<api::CheckpointForm>(
                [done](const Reply<api::CheckpointForm> &r) { done(r.result); }));
    }
}

// -- downloads ----------------------------------------------------------------

bool TransferQueue::startNextDownload(Transfer &t)
{
    QSet<QString> &busy = m_busy[t.id];
    bool allDone = true;
    for (int i = 0; i < t.files.size(); ++i) {
        File &f = t.files[i];
        if (f.done)
            continue;
        allDone = false;
        if (busy.contains(busyKey("verify", i)))
            continue;
        const QString url = m_singleUrls[t.id].value(f.remotePath);
        if (url.isEmpty()) {
            if (busy.contains(busyKey("urls")))
                return false; // every file's URL comes in the one answer
            requestDownloadUrls(t);
            return true;
        }
        if (!checkPartFile(t, i))
            return false;
        if (f.partEtags.isEmpty()) {
            if (busy.contains(busyKey("get", i)))
                continue;
            startGet(t, i, 0, url);
            return true;
        }
        bool settled = false;
        if (const int range = nextPart(f, busy, "get", i, &settled); range > 0) {
            startGet(t, i, range, url);
            return true;
        }
        if (settled) {
            verifyDownload(t, i, {});
            return true;
        }
    }
    if (allDone && busy.isEmpty()) {
        t.state = State::Done;
        t.reason.clear();
        m_singleUrls.remove(t.id);
        m_busy.remove(t.id);
        saveSnapshot();
        Q_EMIT changed(t.id);
        Q_EMIT finished(t.id, State::Done);
        return true;
    }
    return false;
}

void TransferQueue::requestDownloadUrls(Transfer &t)
{
    const auto done = onAnswer<Reply<QList<api::StoredFile>>>(
        t, busyKey("urls"), [this](Transfer &t, const Reply<QList<api::StoredFile>> &r) {
            if (!r.ok())
                return retryLater(t, tr("Could not get download URLs: %1").arg(r.message()));
            QHash<QString, api::StoredFile> listed;
            for (const api::StoredFile &s : r.value)
                listed.insert(s.path, s);
            QHash<QString, QString> &urls = m_singleUrls[t.id];
            for (int i = 0; i < t.files.size(); ++i) {
                File &f = t.files[i];
                if (f.done)
                    continue;
                const auto it = listed.constFind(f.remotePath);
                if (it == listed.cend() || it->downloadUrl.isEmpty()) {
                    urls.clear();
                    return pauseWith(t, tr("%1 is no longer on the server.").arg(f.remotePath));
                }
                if (it->size != f.size) // replaced since it was listed
                    restartDownloadFile(t, i, it->size);
                urls.insert(f.remotePath, it->downloadUrl);
            }
        });
    if (t.target.datasetId > 0)
        m_api->datasetDownload(t.target.datasetId, {}, guarded<QList<api::StoredFile>>(done));
    else
        m_api->formDownload(t.target.formId, guarded<QList<api::StoredFile>>(done));
}

// Once per file and run: ranges recorded as done need the .part file they
// were written to, of the file's size, and are hashed again from it (on a
// worker thread; what a crash or anything else spoilt is fetched again). The
// file is made (at full size, for ranges written in place) if missing.
bool TransferQueue::checkPartFile(Transfer &t, int fileIndex)
{
    const QString key = t.id + u'/' + QString::number(fileIndex);
    if (m_partFilesChecked.contains(key))
        return true;
    if (m_busy[t.id].contains(busyKey("verify", fileIndex)))
        return false;
    File &f = t.files[fileIndex];
    const QFileInfo info(partPath(f));
    const bool someDone = std::any_of(f.partEtags.cbegin(), f.partEtags.cend(),
                                      [](const QString &e) { return !e.isEmpty(); });
    if (someDone && (!info.isFile() || info.size() != f.size)) {
        restartDownloadFile(t, fileIndex, f.size);
    } else if (someDone) {
        m_busy[t.id].insert(busyKey("verify", fileIndex));
        auto *watcher = new QFutureWatcher<QList<int>>(this);
        const QString id = t.id;
        connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, id, fileIndex, key] {
            watcher->deleteLater();
            m_busy[id].remove(busyKey("verify", fileIndex));
            Transfer *t = find(id);
            if (!t)
                return;
            m_partFilesChecked.insert(key);
            File &f = t->files[fileIndex];
            for (const int i : watcher->result()) {
                f.partEtags[i].clear();
                journal({{u"t"_s, id}, {u"f"_s, fileIndex}, {u"p"_s, i + 1}, {u"e"_s, QString()}});
            }
            Q_EMIT changed(id);
            schedule();
        });
        watcher->setFuture(
            QtConcurrent::run(damagedRanges, info.filePath(), partSizeFor(f.size), f.partEtags));
        return false;
    }
    if (!QDir().mkpath(info.absolutePath())) {
        pauseWith(t, tr("Cannot make the folder %1.").arg(info.absolutePath()));
        return false;
    }
    if (!f.partEtags.isEmpty()) {
        QFile part(info.filePath());
        if (!part.open(QIODevice::ReadWrite) || (part.size() != f.size && !part.resize(f.size))) {
            pauseWith(t, tr("Cannot write %1: %2").arg(part.fileName(), part.errorString()));
            return false;
        }
    }
    m_partFilesChecked.insert(key);
    return true;
}

void TransferQueue::startGet(Transfer &t, int fileIndex, int part, const QString &url)
{
    const File &f = t.files.at(fileIndex);
    const qint64 rangeSize = partSizeFor(f.size);
    const qint64 offset = part == 0 ? 0 : qint64(part - 1) * rangeSize;
    const qint64 length = part == 0 ? f.size : std::min(rangeSize, f.size - offset);
    FileRequest::Spec spec{FileRequest::Get, QUrl(url), {}, partPath(f), offset, length, 206};
    if (part == 0) {
        // The whole file, as large as it now is (it may have been replaced
        // since it was listed), into an emptied .part.
        spec.length = std::numeric_limits<qint64>::max() / 2;
        spec.expected = 200;
        spec.truncate = true;
    } else {
        spec.headers.append({"Range", "bytes=" + QByteArray::number(offset) + '-' +
                                          QByteArray::number(offset + length - 1)});
        // Every range of one version of the file: a file replaced on the
        // server meanwhile answers 412.
        if (!f.etag.isEmpty())
            spec.headers.append({"If-Match", '"' + f.etag.toLatin1() + '"'});
    }
    m_busy[t.id].insert(busyKey("get", fileIndex, part == 0 ? -1 : part));
    send(std::move(spec), {t.id, fileIndex, part, true});
}

void TransferQueue::getFinished(const FileRequest::Result &result, const FileRequest::Spec &spec,
                                const Request &get)
{
    ++m_getsSent;
    m_busy[get.transferId].remove(busyKey("get", get.file, get.part == 0 ? -1 : get.part));
    const int expected = spec.expected;
    Transfer *t = find(get.transferId);
    if (!t || t->state != State::Running)
        return schedule();
    File &f = t->files[get.file];
    const int status = result.status;
    const QString etag = unquoted(QString::fromLatin1(result.headers.value("etag")));
    const qint64 written = result.bytes;
    const QString what =
        get.part == 0 ? f.remotePath : tr("part %1 of %2").arg(get.part).arg(f.remotePath);
    if (result.fileError) {
        // The disk (full, gone): no use trying again by itself.
        pauseWith(*t, tr("Writing %1 failed: %2").arg(partPath(f), result.error));
        return schedule();
    }
    if (status == 412 || (!f.etag.isEmpty() && status == expected && etag != f.etag)) {
        restartDownloadFile(*t, get.file, f.size);
        retryLater(*t, tr("%1 changed on the server while it was fetched.").arg(f.remotePath));
        return schedule();
    }
    if (status != expected || !result.error.isEmpty()) {
        if (status == 403) // expired: new URLs next time
            m_singleUrls.remove(t->id);
        const QString detail =
            status != expected
                ? (status != 0 ? tr("the server answered %1").arg(status) : result.error)
                : result.error;
        retryLater(*t, tr("Fetching %1 failed: %2").arg(what, detail));
        return schedule();
    }
    if (get.part == 0 && written != f.size &&
        result.headers.value("content-length").toLongLong() == written) {
        // Replaced on the server since it was listed: its size is now this.
        f.size = written;
        saveSnapshot();
    }
    if (written != (get.part == 0 ? f.size : spec.length)) {
        retryLater(*t, tr("Fetching %1: the answer ended after %2 bytes.").arg(what).arg(written));
        return schedule();
    }
    if (f.etag != etag) {
        f.etag = etag;
        journal({{u"t"_s, t->id}, {u"f"_s, get.file}, {u"etag"_s, etag}});
    }
    m_failures.remove(t->id);
    m_samples.append({m_clock.elapsed(), written});
    while (!m_samples.isEmpty() && m_clock.elapsed() - m_samples.first().first > 5000)
        m_samples.removeFirst();
    if (get.part == 0) {
        verifyDownload(*t, get.file, QString::fromLatin1(result.md5Hex));
    } else {
        f.partEtags[get.part - 1] = QString::fromLatin1(result.md5Hex);
        journal({{u"t"_s, t->id},
                 {u"f"_s, get.file},
                 {u"p"_s, get.part},
                 {u"e"_s, f.partEtags.at(get.part - 1)}});
        Q_EMIT changed(t->id);
    }
    schedule();
}

// Checks a fetched file against the server's ETag: an MD5 (`md5`, hashed as
// it arrived, or the file's, hashed now on a worker thread), or S3's MD5 of
// the parts' MD5s when its parts were our ranges. An ETag of another form
// (other parts) cannot be checked: the size is.
void TransferQueue::verifyDownload(Transfer &t, int fileIndex, const QString &md5)
{
    const File &f = t.files.at(fileIndex);
    static const QRegularExpression plainMd5(u"^[0-9a-f]{32}$"_s);
    static const QRegularExpression ofParts(u"^([0-9a-f]{32})-(\\d+)$"_s);
    const QString etag = f.etag.toLower();
    if (const auto m = ofParts.match(etag); m.hasMatch()) {
        if (m.captured(2).toInt() != f.partEtags.size())
            return downloadVerified(t, fileIndex, QFileInfo(partPath(f)).size() == f.size);
        QByteArray digests;
        for (const QString &e : f.partEtags)
            digests += QByteArray::fromHex(e.toLatin1());
        const QByteArray whole = QCryptographicHash::hash(digests, QCryptographicHash::Md5);
        return downloadVerified(t, fileIndex, whole.toHex() == m.captured(1).toLatin1());
    }
    if (!plainMd5.match(etag).hasMatch())
        return downloadVerified(t, fileIndex, QFileInfo(partPath(f)).size() == f.size);
    if (!md5.isEmpty())
        return downloadVerified(t, fileIndex, md5 == etag);
    // Fetched in ranges: the whole file's MD5, off the GUI thread.
    m_busy[t.id].insert(busyKey("verify", fileIndex));
    auto *watcher = new QFutureWatcher<QByteArray>(this);
    const QString id = t.id;
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, id, fileIndex, etag] {
        watcher->deleteLater();
        m_busy[id].remove(busyKey("verify", fileIndex));
        if (Transfer *t = find(id); t && t->state == State::Running)
            downloadVerified(*t, fileIndex, watcher->result() == etag.toLatin1());
        schedule();
    });
    watcher->setFuture(QtConcurrent::run(md5OfFile, partPath(f)));
}

void TransferQueue::downloadVerified(Transfer &t, int fileIndex, bool ok)
{
    File &f = t.files[fileIndex];
    if (!ok) {
        restartDownloadFile(t, fileIndex, f.size);
        retryLater(t, tr("%1 arrived damaged (its checksum is not the server's); fetching it "
                         "again.")
                          .arg(f.remotePath));
        return;
    }
    const QString part = partPath(f);
    if (f.mtimeMs > 0) {
        QFile file(part);
        if (file.open(QIODevice::ReadWrite))
            file.setFileTime(QDateTime::fromMSecsSinceEpoch(f.mtimeMs, Qt::UTC),
                             QFileDevice::FileModificationTime);
    }
    // rename(2): an existing file of that name is replaced in one step.
    std::error_code error;
    std::filesystem::rename(QFile::encodeName(part).toStdString(),
                            QFile::encodeName(f.localPath).toStdString(), error);
    if (error) {
        pauseWith(t, tr("Cannot move %1 to %2: %3")
                         .arg(part, f.localPath, QString::fromStdString(error.message())));
        return;
    }
    fileDone(t, fileIndex);
}

void TransferQueue::restartDownloadFile(Transfer &t, int fileIndex, qint64 size)
{
    dropRequests(t.id, fileIndex); // ranges still coming are of what is forgotten
    File &f = t.files[fileIndex];
    f.size = size;
    f.etag.clear();
    f.partEtags = QList<QString>(partCount(size));
    m_partFilesChecked.remove(t.id + u'/' + QString::number(fileIndex));
    QFile::remove(partPath(f));
    // The snapshot, not a journal line: the size may have changed.
    saveSnapshot();
}

// -- persistence --------------------------------------------------------------

namespace {

QJsonObject fileToJson(const TransferQueue::File &f)
{
    QJsonObject o{{u"local"_s, f.localPath},
                  {u"remote"_s, f.remotePath},
                  {u"size"_s, f.size},
                  {u"mtime_ms"_s, f.mtimeMs},
                  {u"done"_s, f.done}};
    if (!f.uploadId.isEmpty())
        o.insert(u"upload_id"_s, f.uploadId);
    if (!f.partEtags.isEmpty())
        o.insert(u"parts"_s, QJsonArray::fromStringList(f.partEtags));
    if (!f.etag.isEmpty())
        o.insert(u"etag"_s, f.etag);
    return o;
}

TransferQueue::File fileFromJson(const QJsonObject &o)
{
    TransferQueue::File f;
    f.localPath = o.value(u"local"_s).toString();
    f.remotePath = o.value(u"remote"_s).toString();
    f.size = o.value(u"size"_s).toInteger();
    f.mtimeMs = o.value(u"mtime_ms"_s).toInteger();
    f.done = o.value(u"done"_s).toBool();
    f.uploadId = o.value(u"upload_id"_s).toString();
    f.etag = o.value(u"etag"_s).toString();
    for (const QJsonValue &v : o.value(u"parts"_s).toArray())
        f.partEtags.append(v.toString());
    // A file whose part count does not match its size (a damaged state
    // file) starts again.
    if (f.partEtags.size() != TransferQueue::partCount(f.size)) {
        f.partEtags = QList<QString>(TransferQueue::partCount(f.size));
        f.uploadId.clear();
        f.etag.clear();
        f.done = false;
    }
    return f;
}

} // namespace

void TransferQueue::saveSnapshot()
{
    QJsonArray transfers;
    for (const Transfer &t : m_transfers) {
        QJsonArray files;
        for (const File &f : t.files)
            files.append(fileToJson(f));
        transfers.append(QJsonObject{
            {u"id"_s, t.id},
            {u"title"_s, t.title},
            {u"download"_s, t.download},
            {u"dataset_id"_s, t.target.datasetId},
            {u"form_id"_s, t.target.formId},
            {u"checkpoint_id"_s, t.target.checkpointId},
            {u"state"_s, QString::fromLatin1(stateName(t.state))},
            {u"reason"_s, t.reason},
            {u"delete_target_on_cancel"_s, t.deleteTargetOnCancel},
            {u"finish"_s, t.finish},
            {u"files"_s, files},
        });
    }
    QSaveFile out(m_dir + u"/transfers.json"_s);
    if (out.open(QIODevice::WriteOnly)) {
        out.write(QJsonDocument(QJsonObject{{u"version"_s, 1}, {u"transfers"_s, transfers}})
                      .toJson(QJsonDocument::Compact));
        if (!out.commit())
            qWarning("TransferQueue: cannot save %s", qPrintable(out.fileName()));
    }
    // What the journal said is in the snapshot now.
    m_journal.close();
    m_journal.setFileName(m_dir + u"/transfers.journal"_s);
    if (!m_journal.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qWarning("TransferQueue: cannot write %s", qPrintable(m_journal.fileName()));
    m_journalLines = 0;
}

void TransferQueue::journal(const QJsonObject &entry)
{
    if (++m_journalLines > kCompactAfter) {
        saveSnapshot();
        return;
    }
    m_journal.write(QJsonDocument(entry).toJson(QJsonDocument::Compact) + '\n');
    m_journal.flush(); // to the system: a killed studio loses nothing written
}

void TransferQueue::apply(const QJsonObject &e)
{
    Transfer *t = find(e.value(u"t"_s).toString());
    const int i = e.value(u"f"_s).toInt(-1);
    if (!t || i < 0 || i >= t->files.size())
        return;
    File &f = t->files[i];
    if (e.contains(u"u"_s)) {
        f.uploadId = e.value(u"u"_s).toString();
    } else if (e.contains(u"etag"_s)) {
        f.etag = e.value(u"etag"_s).toString();
    } else if (e.contains(u"p"_s)) {
        const int p = e.value(u"p"_s).toInt();
        if (p >= 1 && p <= f.partEtags.size())
            f.partEtags[p - 1] = e.value(u"e"_s).toString();
    } else if (e.value(u"done"_s).toBool()) {
        f.done = true;
    } else if (e.value(u"restart"_s).toBool()) {
        f.uploadId.clear();
        f.partEtags.fill(QString());
    }
}

void TransferQueue::load()
{
    QFile in(m_dir + u"/transfers.json"_s);
    if (in.open(QIODevice::ReadOnly)) {
        const QJsonArray transfers =
            QJsonDocument::fromJson(in.readAll()).object().value(u"transfers"_s).toArray();
        for (const QJsonValue &v : transfers) {
            const QJsonObject o = v.toObject();
            Transfer t;
            t.id = o.value(u"id"_s).toString();
            if (t.id.isEmpty())
                continue;
            t.title = o.value(u"title"_s).toString();
            t.download = o.value(u"download"_s).toBool();
            t.target = {o.value(u"dataset_id"_s).toInteger(), o.value(u"form_id"_s).toString(),
                        o.value(u"checkpoint_id"_s).toString()};
            t.state = stateFromName(o.value(u"state"_s).toString());
            t.reason = o.value(u"reason"_s).toString();
            t.deleteTargetOnCancel = o.value(u"delete_target_on_cancel"_s).toBool();
            t.finish = o.value(u"finish"_s).toObject();
            bool sound = true;
            for (const QJsonValue &v : o.value(u"files"_s).toArray()) {
                const File f = fileFromJson(v.toObject());
                // A damaged or edited state file names no file outside
                // where it was meant to go.
                sound = sound && safeRelativePath(f.remotePath) &&
                        QFileInfo(f.localPath).isAbsolute() && f.size >= 0;
                t.files.append(f);
            }
            if (!sound)
                continue;
            m_transfers.append(t);
        }
    }
    QFile journalIn(m_dir + u"/transfers.journal"_s);
    if (journalIn.open(QIODevice::ReadOnly)) {
        // A line cut short by a kill is not JSON: it and what follows are
        // left out (nothing follows it).
        while (!journalIn.atEnd()) {
            const QJsonDocument d = QJsonDocument::fromJson(journalIn.readLine());
            if (!d.isObject())
                break;
            apply(d.object());
        }
    }
    saveSnapshot();
}

} // namespace pf::network
