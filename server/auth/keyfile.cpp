// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "keyfile.h"

#include <cerrno>
#include <utility>

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <QFile>
#include <QFileInfo>

#include "server/auth/sodium.h"

namespace pf::server {

namespace {

// Closes a file descriptor when it goes out of scope.
class Fd
{
public:
    explicit Fd(int fd)
        : m_fd(fd)
    {}
    ~Fd()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;

    int get() const { return m_fd; }
    // Closes now and reports close()'s errors, which matter after a write.
    bool close()
    {
        const int fd = m_fd;
        m_fd = -1;
        return ::close(fd) == 0;
    }

private:
    int m_fd;
};

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

QString reason(int errnum)
{
    return qt_error_string(errnum);
}

bool writeAll(int fd, const char *data, qsizetype size)
{
    while (size > 0) {
        const ssize_t n = ::write(fd, data, static_cast<size_t>(size));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data += n;
        size -= n;
    }
    return true;
}

// Reads exactly `size` bytes; a short file is EIO-like and reported as such.
bool readAll(int fd, char *data, qsizetype size)
{
    while (size > 0) {
        const ssize_t n = ::read(fd, data, static_cast<size_t>(size));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        if (n == 0) {
            errno = EIO;
            return false;
        }
        data += n;
        size -= n;
    }
    return true;
}

void wipe(QByteArray &bytes)
{
    if (!bytes.isEmpty())
        sodium_memzero(bytes.data(), static_cast<size_t>(bytes.size()));
    bytes.clear();
}

// Syncs the folder so that the new directory entry survives a crash: losing
// it would mean a fresh key on the next start, and credentials sealed with the
// old one could never be opened again. Some file systems cannot fsync a
// folder (EINVAL); there is nothing more to do on those.
bool syncFolder(const QByteArray &folder)
{
    const int fd = ::open(folder.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return false;
    const bool ok = ::fsync(fd) == 0 || errno == EINVAL;
    const int saved = errno;
    ::close(fd);
    errno = saved;
    return ok;
}

enum class Load { Loaded, Absent, Failed };

Load load(const QString &path, int size, QByteArray *key, QString *error)
{
    const QByteArray nativePath = QFile::encodeName(path);
    Fd fd(::open(nativePath.constData(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
    if (fd.get() < 0) {
        // ENOTDIR: a parent is not a folder; creating will say so.
        if (errno == ENOENT || errno == ENOTDIR)
            return Load::Absent;
        fail(error, QStringLiteral("cannot open key file %1: %2").arg(path, reason(errno)));
        return Load::Failed;
    }
    struct stat st;
    if (::fstat(fd.get(), &st) != 0) {
        fail(error, QStringLiteral("cannot open key file %1: %2").arg(path, reason(errno)));
        return Load::Failed;
    }
    if (!S_ISREG(st.st_mode)) {
        fail(error, QStringLiteral("key file %1 is not a regular file").arg(path));
        return Load::Failed;
    }
    if (st.st_size != size) {
        fail(error, QStringLiteral("key file %1 has %2 bytes, expected %3")
                        .arg(path)
                        .arg(static_cast<qint64>(st.st_size))
                        .arg(size));
        return Load::Failed;
    }
    // Tighten before reading, so that a key others could read is not used
    // while it still is readable by them.
    if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0 && ::fchmod(fd.get(), S_IRUSR | S_IWUSR) != 0) {
        fail(error, QStringLiteral("cannot restrict key file %1 to mode 0600: %2")
                        .arg(path, reason(errno)));
        return Load::Failed;
    }
    QByteArray bytes(size, Qt::Uninitialized);
    if (!readAll(fd.get(), bytes.data(), bytes.size())) {
        const int saved = errno;
        wipe(bytes);
        fail(error, QStringLiteral("cannot read key file %1: %2").arg(path, reason(saved)));
        return Load::Failed;
    }
    *key = std::move(bytes);
    return Load::Loaded;
}

// Writes a fresh key to a temporary file beside `path`, then publishes it.
// Returns Absent when another process published its key first, so the caller
// loads that one instead.
Load create(const QString &path, int size, QByteArray *key, QString *error)
{
    const QFileInfo info(path);
    const QByteArray folder = QFile::encodeName(info.absolutePath());
    const QByteArray nativePath = QFile::encodeName(info.absoluteFilePath());
    QByteArray tempPath =
        QFile::encodeName(info.absolutePath() + QLatin1Char('/') + QLatin1Char('.') +
                          info.fileName() + QStringLiteral(".XXXXXX"));

    const auto failCreate = [&](int errnum) {
        fail(error, QStringLiteral("cannot create key file %1: %2").arg(path, reason(errnum)));
        return Load::Failed;
    };

    // mkstemp creates the file with mode 0600 whatever the umask.
    Fd fd(::mkostemp(tempPath.data(), O_CLOEXEC));
    if (fd.get() < 0)
        return failCreate(errno);

    QByteArray bytes(size, Qt::Uninitialized);
    randombytes_buf(bytes.data(), static_cast<size_t>(bytes.size()));

    const auto abandon = [&](int errnum) {
        ::unlink(tempPath.constData());
        wipe(bytes);
        return failCreate(errnum);
    };

    if (::fchmod(fd.get(), S_IRUSR | S_IWUSR) != 0)
        return abandon(errno);
    if (!writeAll(fd.get(), bytes.constData(), bytes.size()))
        return abandon(errno);
    if (::fsync(fd.get()) != 0)
        return abandon(errno);
    if (!fd.close())
        return abandon(errno);

    // link() publishes the file only if `path` does not exist yet, so a
    // concurrent creator cannot replace a key that someone already uses.
    // Where the file system has no hard links, rename() is the fallback.
    if (::link(tempPath.constData(), nativePath.constData()) == 0) {
        ::unlink(tempPath.constData());
    } else if (errno == EEXIST) {
        ::unlink(tempPath.constData());
        wipe(bytes);
        return Load::Absent;
    } else if (errno == EPERM || errno == EOPNOTSUPP || errno == ENOSYS) {
        if (::rename(tempPath.constData(), nativePath.constData()) != 0)
            return abandon(errno);
    } else {
        return abandon(errno);
    }

    if (!syncFolder(folder)) {
        const int saved = errno;
        wipe(bytes);
        return failCreate(saved);
    }
    *key = std::move(bytes);
    return Load::Loaded;
}

} // namespace

QByteArray KeyFile::loadOrCreate(const QString &path, int size, QString *error)
{
    if (size <= 0) {
        fail(error, QStringLiteral("invalid key size %1 for key file %2").arg(size).arg(path));
        return {};
    }
    if (path.isEmpty()) {
        fail(error, QStringLiteral("no key file path given"));
        return {};
    }
    Sodium::ensureInitialised();

    QByteArray key;
    // Two rounds at most: the second load follows a lost creation race.
    for (int round = 0; round < 2; ++round) {
        switch (load(path, size, &key, error)) {
        case Load::Loaded:
            return key;
        case Load::Failed:
            return {};
        case Load::Absent:
            break;
        }
        switch (create(path, size, &key, error)) {
        case Load::Loaded:
            return key;
        case Load::Failed:
            return {};
        case Load::Absent:
            break;
        }
    }
    fail(error,
         QStringLiteral("cannot create key file %1: it keeps appearing and vanishing").arg(path));
    return {};
}

} // namespace pf::server
