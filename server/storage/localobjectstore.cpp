// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "localobjectstore.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QScopeGuard>
#include <QUuid>

namespace pf::server {

namespace {

constexpr char kMd5Attr[] = "user.pf.md5";
constexpr int kMaxParts = 10000;

[[noreturn]] void ioError(const char *what, const QString &path, int error)
{
    throw std::runtime_error(std::string(what) + ' ' + path.toStdString() + ": " +
                             std::strerror(error));
}

QByteArray native(const QString &path)
{
    return QFile::encodeName(path);
}

void fsyncPath(const QString &path, int flags)
{
    const int fd = ::open(native(path).constData(), flags | O_CLOEXEC);
    if (fd < 0)
        ioError("cannot open", path, errno);
    const int rc = ::fsync(fd);
    const int error = errno;
    ::close(fd);
    if (rc != 0)
        ioError("cannot fsync", path, error);
}

// Makes `dir` and its parents; fsyncs each folder that got a new entry.
void makeDirs(const QString &dir)
{
    if (QFileInfo(dir).isDir())
        return;
    const QString parent = QFileInfo(dir).path();
    makeDirs(parent);
    if (::mkdir(native(dir).constData(), 0755) != 0 && errno != EEXIST)
        ioError("cannot create", dir, errno);
    fsyncPath(parent, O_RDONLY | O_DIRECTORY);
}

// The MD5 (hex) stored with the file, or for an assembled object the
// multipart ETag ("<hex>-<parts>"); empty when there is none.
QByteArray storedMd5(int fd)
{
    char buffer[64];
    const ssize_t n = ::fgetxattr(fd, kMd5Attr, buffer, sizeof buffer);
    return n >= 32 ? QByteArray(buffer, n) : QByteArray();
}

QByteArray quoted(const QByteArray &s)
{
    return '"' + s + '"';
}

// fsyncs `file`, tags it with its MD5, and renames it to `target` (whose
// folder is created and fsync'ed).
void publish(const QString &file, const QString &target, const QByteArray &md5Hex)
{
    const int fd = ::open(native(file).constData(), O_RDWR | O_CLOEXEC);
    if (fd < 0)
        ioError("cannot open", file, errno);
    if (!md5Hex.isEmpty())
        ::fsetxattr(fd, kMd5Attr, md5Hex.constData(), size_t(md5Hex.size()), 0); // best effort
    const int rc = ::fsync(fd);
    const int error = errno;
    ::close(fd);
    if (rc != 0)
        ioError("cannot fsync", file, error);
    const QString dir = QFileInfo(target).path();
    makeDirs(dir);
    if (::rename(native(file).constData(), native(target).constData()) != 0)
        ioError("cannot move into place", target, errno);
    fsyncPath(dir, O_RDONLY | O_DIRECTORY);
}

ObjectInfo infoOf(const QString &key, int fd, const struct stat &st)
{
    ObjectInfo info;
    info.key = key;
    info.size = st.st_size;
    info.mtimeMs = qint64(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000;
    const QByteArray md5 = storedMd5(fd);
    info.etag = md5.isEmpty()
                    ? quoted(QByteArray::number(qint64(st.st_size), 16) + '-' +
                             QByteArray::number(
                                 qint64(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec, 16))
                    : quoted(md5);
    return info;
}

// Upload ids are QUuid::Id128: 32 lowercase hex digits.
bool isUploadId(const QString &id)
{
    return id.size() == 32 && std::all_of(id.begin(), id.end(), [](QChar c) {
               return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f');
           });
}

QByteArray md5OfFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        ioError("cannot read", path, EIO);
    QCryptographicHash h(QCryptographicHash::Md5);
    h.addData(&f);
    return h.result().toHex();
}

} // namespace

bool ObjectStore::isValidKey(const QString &key)
{
    if (key.isEmpty() || key.size() > 1024 || key.startsWith(u'/') || key.endsWith(u'/') ||
        key.contains(QChar(0)) || key.contains(u'\\'))
        return false;
    for (const QStringView segment : QStringView(key).split(u'/')) {
        if (segment.isEmpty() || segment == u"." || segment == u".." || segment.size() > 255)
            return false;
    }
    return true;
}

LocalObjectStore::LocalObjectStore(QString root)
    : m_root(std::move(root))
{
    makeDirs(m_root + QStringLiteral("/data"));
    makeDirs(m_root + QStringLiteral("/uploads"));
}

QString LocalObjectStore::dataPath(const QString &key) const
{
    if (!isValidKey(key))
        throw ObjectStoreError("not a valid object key: " + key.left(200).toStdString());
    return m_root + QStringLiteral("/data/") + key;
}

QString LocalObjectStore::uploadDir(const QString &uploadId) const
{
    if (!isUploadId(uploadId))
        throw ObjectStoreError("No such upload.");
    return m_root + QStringLiteral("/uploads/") + uploadId;
}

ObjectInfo LocalObjectStore::put(const QString &key, const QString &spooledFile,
                                 const QByteArray &md5Hex)
{
    publish(spooledFile, dataPath(key), md5Hex);
    auto info = stat(key);
    if (!info)
        throw std::runtime_error("an object vanished right after it was stored");
    return *info;
}

std::optional<ObjectInfo> LocalObjectStore::stat(const QString &key) const
{
    const auto reader = open(key);
    if (!reader)
        return std::nullopt;
    return reader->info;
}

std::optional<ObjectReader> LocalObjectStore::open(const QString &key) const
{
    const QString path = dataPath(key);
    const int fd = ::open(native(path).constData(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP)
            return std::nullopt;
        ioError("cannot open", path, errno);
    }
    auto handle = std::shared_ptr<int>(new int(fd), [](int *p) {
        ::close(*p);
        delete p;
    });
    struct stat st
    {
    };
    if (::fstat(fd, &st) != 0)
        ioError("cannot stat", path, errno);
    if (!S_ISREG(st.st_mode))
        return std::nullopt;
    return ObjectReader{handle, infoOf(key, fd, st)};
}

bool LocalObjectStore::remove(const QString &key)
{
    const QString path = dataPath(key);
    if (::unlink(native(path).constData()) != 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return false;
        ioError("cannot remove", path, errno);
    }
    // Drop folders left empty, up to data/.
    QDir dir = QFileInfo(path).dir();
    const QString top = m_root + QStringLiteral("/data");
    while (dir.absolutePath() != top && dir.isEmpty() && dir.rmdir(dir.absolutePath()))
        dir.cdUp();
    return true;
}

QList<ObjectInfo> LocalObjectStore::list(const QString &prefix) const
{
    const QString root = dataPath(prefix);
    QList<ObjectInfo> out;
    QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString relative = it.next().mid(root.size() + 1);
        if (auto info = stat(prefix + u'/' + relative)) {
            info->key = relative;
            out.append(*info);
        }
    }
    std::sort(out.begin(), out.end(),
              [](const ObjectInfo &a, const ObjectInfo &b) { return a.key < b.key; });
    return out;
}

void LocalObjectStore::removeAll(const QString &prefix)
{
    QDir(dataPath(prefix)).removeRecursively();
}

QString LocalObjectStore::startUpload(const QString &key)
{
    dataPath(key); // checks the key
    const QString id = QUuid::createUuid().toString(QUuid::Id128);
    const QString dir = uploadDir(id);
    makeDirs(dir);
    QFile f(dir + QStringLiteral("/key"));
    if (!f.open(QIODevice::WriteOnly) || f.write(key.toUtf8()) != key.toUtf8().size() ||
        !f.flush() || ::fsync(f.handle()) != 0)
        ioError("cannot write", f.fileName(), errno);
    return id;
}

std::optional<QString> LocalObjectStore::uploadKey(const QString &uploadId) const
{
    if (!isUploadId(uploadId))
        return std::nullopt;
    QFile f(uploadDir(uploadId) + QStringLiteral("/key"));
    if (!f.open(QIODevice::ReadOnly))
        return std::nullopt;
    return QString::fromUtf8(f.readAll());
}

QByteArray LocalObjectStore::putPart(const QString &uploadId, int partNumber,
                                     const QString &spooledFile, const QByteArray &md5Hex)
{
    if (partNumber < 1 || partNumber > kMaxParts)
        throw ObjectStoreError("A part number is between 1 and 10000.");
    if (!uploadKey(uploadId))
        throw ObjectStoreError("No such upload.");
    publish(spooledFile,
            uploadDir(uploadId) + QStringLiteral("/part-%1").arg(partNumber, 5, 10, QChar(u'0')),
            md5Hex);
    return quoted(md5Hex);
}

ObjectInfo LocalObjectStore::completeUpload(const QString &uploadId, const QList<UploadPart> &parts)
{
    const auto key = uploadKey(uploadId);
    if (!key)
        throw ObjectStoreError("No such upload.");
    if (parts.isEmpty())
        throw ObjectStoreError("Completing an upload needs its list of parts.");
    const QString dir = uploadDir(uploadId);
    // Check everything before writing anything.
    QList<int> fds;
    const auto closeAll = qScopeGuard([&fds] {
        for (const int fd : std::as_const(fds))
            ::close(fd);
    });
    QByteArray digests;
    int previous = 0;
    for (const UploadPart &p : parts) {
        if (p.number <= previous)
            throw ObjectStoreError("Parts must be listed in increasing part-number order.");
        previous = p.number;
        const QString path = dir + QStringLiteral("/part-%1").arg(p.number, 5, 10, QChar(u'0'));
        const int fd = ::open(native(path).constData(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
            throw ObjectStoreError("Part " + std::to_string(p.number) + " was never uploaded.");
        fds.append(fd);
        QByteArray md5 = storedMd5(fd);
        if (md5.isEmpty())
            md5 = md5OfFile(path);
        QByteArray given = p.etag.trimmed().toLower();
        if (given.startsWith('"') && given.endsWith('"') && given.size() >= 2)
            given = given.mid(1, given.size() - 2);
        if (given != md5)
            throw ObjectStoreError("The ETag of part " + std::to_string(p.number) +
                                   " does not match what was uploaded.");
        digests += QByteArray::fromHex(md5);
    }
    // Assemble in the upload's folder (same filesystem), in-kernel copies.
    const QString assembled = dir + QStringLiteral("/assembled");
    const int out =
        ::open(native(assembled).constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out < 0)
        ioError("cannot create", assembled, errno);
    fds.append(out);
    for (qsizetype i = 0; i + 1 < fds.size(); ++i) {
        struct stat st
        {
        };
        ::fstat(fds[i], &st);
        loff_t in = 0;
        qint64 left = st.st_size;
        while (left > 0) {
            const ssize_t n = ::copy_file_range(fds[i], &in, out, nullptr, size_t(left), 0);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                ioError("cannot assemble", assembled, n < 0 ? errno : EIO);
            left -= n;
        }
    }
    const QByteArray etag = QCryptographicHash::hash(digests, QCryptographicHash::Md5).toHex() +
                            '-' + QByteArray::number(parts.size());
    publish(assembled, dataPath(*key), etag);
    QDir(dir).removeRecursively();
    auto info = stat(*key);
    if (!info)
        throw std::runtime_error("an object vanished right after it was assembled");
    return *info;
}

bool LocalObjectStore::abortUpload(const QString &uploadId)
{
    if (!uploadKey(uploadId))
        return false;
    return QDir(uploadDir(uploadId)).removeRecursively();
}

int LocalObjectStore::sweepUploads(qint64 ageSecs)
{
    const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-ageSecs);
    int swept = 0;
    const QDir uploads(m_root + QStringLiteral("/uploads"));
    for (const QFileInfo &info : uploads.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const QFileInfo key(info.filePath() + QStringLiteral("/key"));
        const QDateTime started = key.exists() ? key.lastModified() : info.lastModified();
        if (started < before && QDir(info.filePath()).removeRecursively())
            ++swept;
    }
    return swept;
}

qint64 LocalObjectStore::usage(const QString &prefix) const
{
    qint64 total = 0;
    QDirIterator objects(dataPath(prefix), QDir::Files | QDir::Hidden,
                         QDirIterator::Subdirectories);
    while (objects.hasNext()) {
        objects.next();
        total += objects.fileInfo().size();
    }
    const QDir uploads(m_root + QStringLiteral("/uploads"));
    for (const QString &id : uploads.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const auto key = uploadKey(id);
        if (!key || !key->startsWith(prefix + u'/'))
            continue;
        for (const QFileInfo &part : QDir(uploads.filePath(id)).entryInfoList(QDir::Files))
            total += part.size();
    }
    return total;
}

} // namespace pf::server
