// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "workspacearchive.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include <QByteArray>
#include <QByteArrayList>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QList>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace pf::server {

namespace {

constexpr qsizetype kMaxNameBytes = 4096;
constexpr qsizetype kMaxSegmentBytes = 255; // NAME_MAX
constexpr quint64 kMaxLinkTargetBytes = 4095;
constexpr size_t kCopyChunk = size_t(256) * 1024;

enum class Kind { File, Dir, Symlink };

struct Entry
{
    zip_uint64_t index = 0;
    QByteArray name;      // canonical: no trailing '/'
    QByteArrayList parts; // name split on '/'
    Kind kind = Kind::File;
    quint64 size = 0;
    quint64 compSize = 0;
    bool executable = false;
    std::optional<time_t> mtime;
    QByteArray linkTarget;
};

// An error for the user; empty while things go well.
using Error = QString;

struct ZipCloser
{
    void operator()(zip_t *z) const { zip_discard(z); }
};
struct ZipFileCloser
{
    void operator()(zip_file_t *f) const { zip_fclose(f); }
};
using ZipPtr = std::unique_ptr<zip_t, ZipCloser>;
using ZipFilePtr = std::unique_ptr<zip_file_t, ZipFileCloser>;

class Fd
{
public:
    explicit Fd(int fd = -1)
        : m_fd(fd)
    {}
    ~Fd()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Fd(Fd &&other) noexcept
        : m_fd(std::exchange(other.m_fd, -1))
    {}
    Fd &operator=(Fd &&other) noexcept
    {
        std::swap(m_fd, other.m_fd);
        return *this;
    }
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
    int get() const { return m_fd; }
    bool valid() const { return m_fd >= 0; }
    // close() and report its error: a file's last write error can surface here.
    int close() { return ::close(std::exchange(m_fd, -1)); }

private:
    int m_fd;
};

// A name as it may appear in a message: control characters made visible and
// the length bounded, so a hostile name cannot garble the text around it.
QString display(const QByteArray &name)
{
    QString out;
    const QString text = QString::fromUtf8(name.left(200));
    for (const QChar c : text) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            out += u"\\x"_s + QString::number(c.unicode(), 16).rightJustified(2, u'0');
        else
            out += c;
    }
    if (name.size() > 200)
        out += u"…"_s;
    return out;
}

QString entryError(const QByteArray &name, const QString &what)
{
    return u"Workspace archive entry \"%1\" %2."_s.arg(display(name), what);
}

QString bytesText(quint64 bytes)
{
    return QLocale::c().formattedDataSize(qint64(bytes), 1, QLocale::DataSizeIecFormat);
}

QString ratioText(double ratio)
{
    return QString::number(ratio, 'f', 0) + u":1"_s;
}

QString systemError(int err)
{
    return qt_error_string(err); // thread-safe, unlike strerror()
}

QString zipErrorText(int code)
{
    zip_error_t e;
    zip_error_init_with_code(&e, code);
    QString text = QString::fromUtf8(zip_error_strerror(&e));
    zip_error_fini(&e);
    return text;
}

// Checks a name as stored in the archive and splits it; `isDir` is set when
// it ends in '/'.
Error checkName(const QByteArray &raw, QByteArrayList *parts, bool *isDir)
{
    if (raw.isEmpty())
        return u"The workspace archive has an entry with an empty name."_s;
    if (raw.size() > kMaxNameBytes)
        return entryError(raw, u"has a name longer than %1 bytes"_s.arg(kMaxNameBytes));
    for (const char c : raw) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f)
            return entryError(raw, u"has a control character in its name"_s);
    }
    if (raw.contains('\\'))
        return entryError(raw, u"contains a backslash; zip paths separate folders with '/'"_s);
    if (raw.startsWith('/'))
        return entryError(raw, u"has an absolute path"_s);
    *isDir = raw.endsWith('/');
    const QByteArray name = *isDir ? raw.chopped(1) : raw;
    *parts = name.split('/');
    for (const QByteArray &part : std::as_const(*parts)) {
        if (part == "..")
            return entryError(raw, u"has a '..' segment, which would place it outside the "
                                   u"workspace"_s);
        if (part.isEmpty() || part == ".")
            return entryError(raw, u"has an empty or '.' path segment"_s);
        if (part.size() > kMaxSegmentBytes)
            return entryError(raw,
                              u"has a path segment longer than %1 bytes"_s.arg(kMaxSegmentBytes));
    }
    return {};
}

// The kind of an entry from its name and the Unix mode in the upper half of
// its external attributes (other systems carry no type: the name decides).
Error classify(zip_t *za, Entry &e, const QByteArray &raw, bool dirName)
{
    zip_uint8_t opsys = 0;
    zip_uint32_t attributes = 0;
    if (zip_file_get_external_attributes(za, e.index, 0, &opsys, &attributes) != 0)
        return entryError(raw, u"has unreadable attributes"_s);
    const mode_t mode = opsys == ZIP_OPSYS_UNIX ? mode_t(attributes >> 16) : 0;
    e.executable = (mode & S_IXUSR) != 0;
    switch (mode & S_IFMT) {
    case 0:
        e.kind = dirName ? Kind::Dir : Kind::File;
        break;
    case S_IFREG:
        if (dirName)
            return entryError(raw, u"is marked as a file but its name ends in '/'"_s);
        e.kind = Kind::File;
        break;
    case S_IFDIR:
        e.kind = Kind::Dir;
        break;
    case S_IFLNK:
        if (dirName)
            return entryError(raw, u"is marked as a symbolic link but its name ends in '/'"_s);
        e.kind = Kind::Symlink;
        break;
    case S_IFCHR:
    case S_IFBLK:
        return entryError(raw, u"is a device; only files, folders and symbolic links are "
                               u"allowed"_s);
    case S_IFIFO:
        return entryError(raw, u"is a FIFO; only files, folders and symbolic links are allowed"_s);
    case S_IFSOCK:
        return entryError(raw, u"is a socket; only files, folders and symbolic links are "
                               u"allowed"_s);
    default:
        return entryError(raw, u"has an unknown file type"_s);
    }
    if (e.kind == Kind::Dir && e.size != 0)
        return entryError(raw, u"is a folder but carries data"_s);
    return {};
}

// Reads an entry's data through `sink`, never accepting more than the size
// the central directory declared (the deflate stream may hold far more).
template <typename Sink>
Error readEntry(zip_t *za, const Entry &e, std::vector<char> &buffer, Sink sink)
{
    ZipFilePtr file(zip_fopen_index(za, e.index, 0));
    if (!file)
        return entryError(e.name, u"cannot be read: %1"_s.arg(QString::fromUtf8(zip_strerror(za))));
    quint64 total = 0;
    for (;;) {
        const zip_int64_t n = zip_fread(file.get(), buffer.data(), buffer.size());
        if (n < 0) {
            return entryError(
                e.name, u"is damaged: %1"_s.arg(QString::fromUtf8(zip_file_strerror(file.get()))));
        }
        if (n == 0)
            break;
        total += quint64(n);
        if (total > e.size)
            return entryError(e.name, u"holds more data than the %1 its header declares"_s.arg(
                                          bytesText(e.size)));
        if (Error err = sink(buffer.data(), size_t(n)); !err.isEmpty())
            return err;
    }
    if (total != e.size)
        return entryError(
            e.name, u"holds less data than the %1 its header declares"_s.arg(bytesText(e.size)));
    return {};
}

// A symlink target is accepted when, taken literally, it is some leading '..'
// segments that stay within the link's own folder chain followed by plain
// names. The folders above a link are real folders (no entry may sit below a
// symlink), so the leading '..' resolve exactly as counted; a '..' after a
// name could climb out of a symlinked folder, so it is refused, and every
// plain name resolves inside because every other link is held to this rule.
Error checkLinkTarget(const Entry &e)
{
    const QByteArray &target = e.linkTarget;
    if (target.isEmpty())
        return entryError(e.name, u"is a symbolic link with an empty target"_s);
    for (const char c : target) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f)
            return entryError(e.name, u"is a symbolic link whose target has a control "
                                      u"character"_s);
    }
    if (target.startsWith('/')) {
        return entryError(e.name, u"is a symbolic link to the absolute path \"%1\"; only links "
                                  u"inside the workspace are allowed"_s.arg(display(target)));
    }
    const qsizetype depth = e.parts.size() - 1;
    qsizetype ups = 0;
    bool named = false;
    for (const QByteArray &part : target.split('/')) {
        if (part.isEmpty() || part == ".")
            continue;
        if (part == "..") {
            if (named) {
                return entryError(e.name, u"is a symbolic link whose target \"%1\" uses '..' "
                                          u"after a folder name"_s.arg(display(target)));
            }
            if (++ups > depth) {
                return entryError(e.name, u"is a symbolic link to \"%1\", which is outside the "
                                          u"workspace"_s.arg(display(target)));
            }
        } else {
            named = true;
        }
    }
    return {};
}

// Opens (creating as needed) the folder `parts[0..count)` below `root`,
// refusing to pass through anything that is not a real folder.
Fd openDir(int root, const Entry &e, qsizetype count, Error *error)
{
    Fd dir(::fcntl(root, F_DUPFD_CLOEXEC, 0));
    if (!dir.valid()) {
        *error = entryError(e.name, u"cannot be written: %1"_s.arg(systemError(errno)));
        return Fd();
    }
    for (qsizetype i = 0; i < count; ++i) {
        const QByteArray &part = e.parts.at(i);
        const bool created = ::mkdirat(dir.get(), part.constData(), 0755) == 0;
        if (!created && errno != EEXIST) {
            *error = entryError(e.name, u"cannot be written: %1"_s.arg(systemError(errno)));
            return Fd();
        }
        Fd next(
            ::openat(dir.get(), part.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!next.valid()) {
            const int err = errno;
            *error = err == ELOOP || err == ENOTDIR
                         ? entryError(e.name, u"is inside something that is not a folder"_s)
                         : entryError(e.name, u"cannot be written: %1"_s.arg(systemError(err)));
            return Fd();
        }
        if (created)
            ::fchmod(next.get(), 0755); // not subject to the umask
        dir = std::move(next);
    }
    return dir;
}

Error writeAll(int fd, const char *data, size_t size, const Entry &e)
{
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return entryError(e.name, u"cannot be written: %1"_s.arg(systemError(errno)));
        }
        data += n;
        size -= size_t(n);
    }
    return {};
}

Error writeFile(zip_t *za, int root, const Entry &e, std::vector<char> &buffer, qint64 *bytes)
{
    Error error;
    Fd dir = openDir(root, e, e.parts.size() - 1, &error);
    if (!dir.valid())
        return error;
    // O_EXCL also refuses an existing symlink, dangling or not.
    Fd file(::openat(dir.get(), e.parts.constLast().constData(),
                     O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!file.valid())
        return entryError(e.name, u"cannot be created: %1"_s.arg(systemError(errno)));
    error = readEntry(za, e, buffer, [&](const char *data, size_t size) {
        *bytes += qint64(size);
        return writeAll(file.get(), data, size, e);
    });
    if (!error.isEmpty())
        return error;
    // Only the owner's executable bit survives; never setuid, setgid or sticky.
    if (::fchmod(file.get(), e.executable ? 0755 : 0644) != 0)
        return entryError(e.name, u"cannot be written: %1"_s.arg(systemError(errno)));
    if (e.mtime) {
        const timespec times[2] = {{*e.mtime, 0}, {*e.mtime, 0}};
        ::futimens(file.get(), times);
    }
    if (file.close() != 0)
        return entryError(e.name, u"cannot be written: %1"_s.arg(systemError(errno)));
    return {};
}

Error writeSymlink(int root, const Entry &e)
{
    Error error;
    Fd dir = openDir(root, e, e.parts.size() - 1, &error);
    if (!dir.valid())
        return error;
    if (::symlinkat(e.linkTarget.constData(), dir.get(), e.parts.constLast().constData()) != 0)
        return entryError(e.name, u"cannot be created: %1"_s.arg(systemError(errno)));
    return {};
}

Error openError(int code)
{
    switch (code) {
    case ZIP_ER_NOZIP:
        return u"The workspace archive is not a zip file, or it is truncated."_s;
    case ZIP_ER_EXISTS:
        return u"The workspace archive lists the same path more than once."_s;
    case ZIP_ER_INCONS:
        return u"The workspace archive is damaged (%1)."_s.arg(zipErrorText(code));
    case ZIP_ER_MULTIDISK:
        return u"The workspace archive spans several disks, which is not supported."_s;
    default:
        return u"The workspace archive cannot be read: %1."_s.arg(zipErrorText(code));
    }
}

// Everything checkable without writing: names, kinds, methods, sizes, ratios,
// symlink targets, and entries that would sit below a file or a symlink.
Error inspect(zip_t *za, qint64 archiveBytes, const ExtractLimits &limits,
              std::vector<char> &buffer, QList<Entry> *entries)
{
    const zip_int64_t count = zip_get_num_entries(za, 0);
    if (count < 0)
        return u"The workspace archive cannot be read."_s;
    if (count > limits.maxEntries) {
        return u"The workspace archive has %1 entries; the limit is %2."_s.arg(count).arg(
            limits.maxEntries);
    }
    quint64 total = 0;
    entries->reserve(qsizetype(count));
    for (zip_int64_t i = 0; i < count; ++i) {
        Entry e;
        e.index = zip_uint64_t(i);
        const char *rawName = zip_get_name(za, e.index, 0);
        if (!rawName)
            return u"The workspace archive has an entry whose name cannot be read."_s;
        const QByteArray raw(rawName);
        bool dirName = false;
        if (Error err = checkName(raw, &e.parts, &dirName); !err.isEmpty())
            return err;
        e.name = e.parts.join('/');

        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(za, e.index, 0, &st) != 0)
            return entryError(raw, u"cannot be read"_s);
        constexpr zip_uint64_t needed = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD;
        if ((st.valid & needed) != needed)
            return entryError(raw, u"has an incomplete header"_s);
        if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
            return entryError(raw, u"is encrypted; upload the workspace without a password"_s);
        if (st.comp_method != ZIP_CM_STORE && st.comp_method != ZIP_CM_DEFLATE) {
            return entryError(raw, u"uses compression method %1; only stored and deflated entries "
                                   u"are supported"_s.arg(st.comp_method));
        }
        e.size = st.size;
        e.compSize = st.comp_size;
        if (st.valid & ZIP_STAT_MTIME)
            e.mtime = st.mtime;
        if (Error err = classify(za, e, raw, dirName); !err.isEmpty())
            return err;
        if (e.kind == Kind::Symlink && e.size > kMaxLinkTargetBytes) {
            return entryError(raw, u"is a symbolic link with a target longer than %1 bytes"_s.arg(
                                       kMaxLinkTargetBytes));
        }

        total += e.size;
        if (total > quint64(limits.maxTotalBytes)) {
            return u"The workspace archive unpacks to more than %1, the limit."_s.arg(
                bytesText(quint64(limits.maxTotalBytes)));
        }
        if (st.comp_method == ZIP_CM_DEFLATE && e.size > quint64(limits.ratioFloorBytes)) {
            const double ratio = double(e.size) / double(std::max<quint64>(e.compSize, 1));
            if (ratio > limits.maxRatio) {
                return entryError(raw, u"expands from %1 to %2 (%3, above the limit of %4)"_s.arg(
                                           bytesText(e.compSize), bytesText(e.size),
                                           ratioText(ratio), ratioText(limits.maxRatio)));
            }
        }
        entries->append(std::move(e));
    }
    if (total > quint64(limits.ratioFloorBytes)) {
        const double ratio = double(total) / double(std::max<qint64>(archiveBytes, 1));
        if (ratio > limits.maxRatio) {
            return u"The workspace archive expands from %1 to %2 (%3, above the limit of %4)."_s
                .arg(bytesText(quint64(archiveBytes)), bytesText(total), ratioText(ratio),
                     ratioText(limits.maxRatio));
        }
    }

    QHash<QByteArray, Kind> kinds;
    kinds.reserve(entries->size());
    for (const Entry &e : std::as_const(*entries)) {
        // libzip refuses byte-identical names; "a" and "a/" get here.
        if (kinds.contains(e.name))
            return entryError(e.name, u"appears more than once"_s);
        kinds.insert(e.name, e.kind);
    }
    for (Entry &e : *entries) {
        QByteArray prefix;
        for (qsizetype i = 0; i + 1 < e.parts.size(); ++i) {
            if (i > 0)
                prefix += '/';
            prefix += e.parts.at(i);
            const auto it = kinds.constFind(prefix);
            if (it == kinds.cend() || *it == Kind::Dir)
                continue;
            return entryError(
                e.name, *it == Kind::Symlink
                            ? u"is inside \"%1\", which is a symbolic link"_s.arg(display(prefix))
                            : u"is inside \"%1\", which is a file"_s.arg(display(prefix)));
        }
        if (e.kind != Kind::Symlink)
            continue;
        Error err = readEntry(za, e, buffer, [&](const char *data, size_t size) {
            e.linkTarget.append(data, qsizetype(size));
            return Error();
        });
        if (err.isEmpty())
            err = checkLinkTarget(e);
        if (!err.isEmpty())
            return err;
    }
    return {};
}

QString topFolderOf(const QList<Entry> &entries)
{
    if (entries.isEmpty())
        return {};
    const QByteArray &first = entries.constFirst().parts.constFirst();
    bool isFolder = false;
    for (const Entry &e : entries) {
        if (e.parts.constFirst() != first)
            return {};
        if (e.parts.size() == 1 && e.kind != Kind::Dir)
            return {}; // the top-level name is a file or a link
        if (e.parts.size() > 1 || e.kind == Kind::Dir)
            isFolder = true;
    }
    return isFolder ? QString::fromUtf8(first) : QString();
}

// True when `path` does not exist or is an empty folder (not a link to one).
bool absentOrEmptyDir(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists() && !info.isSymLink())
        return true;
    if (info.isSymLink() || !info.isDir())
        return false;
    return QDir(path).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden |
                              QDir::System);
}

ExtractResult failure(QString error)
{
    ExtractResult r;
    r.error = std::move(error);
    return r;
}

} // namespace

ExtractResult WorkspaceArchive::extract(const QString &zipPath, const QString &destDir,
                                        const ExtractLimits &limits)
{
    const QFileInfo zipInfo(zipPath);
    if (!zipInfo.isFile())
        return failure(u"The workspace archive is missing."_s);
    const qint64 archiveBytes = zipInfo.size();
    if (archiveBytes > limits.maxArchiveBytes) {
        return failure(u"The workspace archive is %1; the limit is %2."_s.arg(
            bytesText(quint64(archiveBytes)), bytesText(quint64(limits.maxArchiveBytes))));
    }
    if (archiveBytes == 0)
        return failure(u"The workspace archive is an empty file, not a zip file."_s);

    int code = 0;
    ZipPtr za(zip_open(QFile::encodeName(zipPath).constData(), ZIP_RDONLY | ZIP_CHECKCONS, &code));
    if (!za)
        return failure(openError(code));

    std::vector<char> buffer(kCopyChunk);
    QList<Entry> entries;
    if (Error err = inspect(za.get(), archiveBytes, limits, buffer, &entries); !err.isEmpty())
        return failure(err);

    const QString dest = QDir::cleanPath(QDir(destDir).absolutePath());
    if (!absentOrEmptyDir(dest))
        return failure(u"The workspace folder already exists and is not empty."_s);
    const QFileInfo destInfo(dest);
    const QString parent = destInfo.absolutePath();
    if (!QDir().mkpath(parent))
        return failure(u"The workspace folder cannot be created."_s);

    QByteArray tmpl = QFile::encodeName(parent + u"/."_s + destInfo.fileName() + u".part-XXXXXX"_s);
    if (!::mkdtemp(tmpl.data()))
        return failure(u"The workspace folder cannot be created: %1."_s.arg(systemError(errno)));
    const QString tmpDir = QFile::decodeName(tmpl);

    ExtractResult result;
    Error error;
    {
        Fd root(::open(tmpl.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!root.valid())
            error = u"The workspace folder cannot be created: %1."_s.arg(systemError(errno));
        // Links last: no file is ever written after a link exists.
        for (const Kind pass : {Kind::Dir, Kind::Symlink}) {
            for (const Entry &e : std::as_const(entries)) {
                if (!error.isEmpty())
                    break;
                if (pass == Kind::Symlink) {
                    if (e.kind == Kind::Symlink) {
                        error = writeSymlink(root.get(), e);
                        ++result.files;
                    }
                } else if (e.kind == Kind::Dir) {
                    openDir(root.get(), e, e.parts.size(), &error);
                } else if (e.kind == Kind::File) {
                    error = writeFile(za.get(), root.get(), e, buffer, &result.bytes);
                    ++result.files;
                }
            }
        }
        if (error.isEmpty() && ::fchmod(root.get(), 0755) != 0)
            error = u"The workspace folder cannot be created: %1."_s.arg(systemError(errno));
    }
    // rename(2) replaces an empty folder and refuses a non-empty one.
    if (error.isEmpty() && ::rename(tmpl.constData(), QFile::encodeName(dest).constData()) != 0)
        error = u"The workspace folder cannot be created: %1."_s.arg(systemError(errno));
    if (!error.isEmpty()) {
        // removeRecursively() unlinks symlinks rather than following them.
        QDir(tmpDir).removeRecursively();
        return failure(error);
    }
    result.ok = true;
    result.topFolder = topFolderOf(entries);
    return result;
}

} // namespace pf::server
