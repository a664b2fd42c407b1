// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <array>
#include <cstring>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QList>
#include <QTemporaryDir>

#include "server/jobs/workspacearchive.h"
#include "tests/server/servertestutil.h"

using namespace Qt::StringLiterals;
using pf::server::ExtractLimits;
using pf::server::ExtractResult;
using pf::server::WorkspaceArchive;
using pf::servertest::writeFile;

namespace {

constexpr quint32 kFile = S_IFREG | 0644;

// Builds an archive with libzip; data handed to add*() stays alive in the
// builder until write().
class ZipBuilder
{
public:
    explicit ZipBuilder(const QString &path)
        : m_path(path)
    {
        int code = 0;
        m_za = zip_open(QFile::encodeName(path).constData(), ZIP_CREATE | ZIP_TRUNCATE, &code);
        EXPECT_NE(m_za, nullptr) << code;
    }
    ~ZipBuilder()
    {
        if (m_za)
            zip_discard(m_za);
    }
    ZipBuilder(const ZipBuilder &) = delete;
    ZipBuilder &operator=(const ZipBuilder &) = delete;

    // A regular file (or any type given by `mode`), stored or deflated.
    zip_int64_t add(const char *name, const QByteArray &data, bool deflate = false,
                    quint32 mode = kFile)
    {
        m_keep.append(data);
        zip_source_t *src =
            zip_source_buffer(m_za, m_keep.constLast().constData(), zip_uint64_t(data.size()), 0);
        const zip_int64_t index = zip_file_add(m_za, name, src, ZIP_FL_ENC_UTF_8);
        EXPECT_GE(index, 0) << name << ": " << zip_strerror(m_za);
        if (index < 0) {
            zip_source_free(src);
            return index;
        }
        zip_set_file_compression(m_za, zip_uint64_t(index), deflate ? ZIP_CM_DEFLATE : ZIP_CM_STORE,
                                 9);
        zip_file_set_external_attributes(m_za, zip_uint64_t(index), 0, ZIP_OPSYS_UNIX,
                                         zip_uint32_t(mode) << 16);
        return index;
    }
    void dir(const char *name)
    {
        const zip_int64_t index = zip_dir_add(m_za, name, ZIP_FL_ENC_UTF_8);
        ASSERT_GE(index, 0) << name << ": " << zip_strerror(m_za);
        zip_file_set_external_attributes(m_za, zip_uint64_t(index), 0, ZIP_OPSYS_UNIX,
                                         zip_uint32_t(S_IFDIR | 0755) << 16);
    }
    void symlink(const char *name, const QByteArray &target)
    {
        add(name, target, false, S_IFLNK | 0777);
    }
    // `size` zero bytes, produced on demand and deflated at level 9.
    void zeros(const char *name, quint64 size)
    {
        auto *state = new ZeroSource{size, 0};
        zip_source_t *src = zip_source_function(m_za, &ZipBuilder::zeroCallback, state);
        const zip_int64_t index = zip_file_add(m_za, name, src, 0);
        ASSERT_GE(index, 0);
        zip_set_file_compression(m_za, zip_uint64_t(index), ZIP_CM_DEFLATE, 9);
    }
    zip_t *archive() { return m_za; }

    bool write()
    {
        const int rc = zip_close(m_za);
        EXPECT_EQ(rc, 0) << zip_strerror(m_za);
        if (rc == 0)
            m_za = nullptr;
        return rc == 0;
    }

private:
    struct ZeroSource
    {
        quint64 size;
        quint64 pos;
    };
    static zip_int64_t zeroCallback(void *userdata, void *data, zip_uint64_t len,
                                    zip_source_cmd_t cmd)
    {
        auto *z = static_cast<ZeroSource *>(userdata);
        switch (cmd) {
        case ZIP_SOURCE_OPEN:
            z->pos = 0;
            return 0;
        case ZIP_SOURCE_READ: {
            const quint64 n = std::min<quint64>(len, z->size - z->pos);
            std::memset(data, 0, n);
            z->pos += n;
            return zip_int64_t(n);
        }
        case ZIP_SOURCE_CLOSE:
            return 0;
        case ZIP_SOURCE_STAT: {
            auto *st = static_cast<zip_stat_t *>(data);
            zip_stat_init(st);
            st->valid = ZIP_STAT_SIZE;
            st->size = z->size;
            return sizeof(*st);
        }
        case ZIP_SOURCE_ERROR:
            return 2 * sizeof(int);
        case ZIP_SOURCE_FREE:
            delete z;
            return 0;
        case ZIP_SOURCE_SUPPORTS:
            return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ,
                                                  ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
                                                  ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
        default:
            return -1;
        }
    }

    QString m_path;
    zip_t *m_za = nullptr;
    QList<QByteArray> m_keep;
};

quint32 crc32(const QByteArray &data)
{
    static const auto table = [] {
        std::array<quint32, 256> t{};
        for (quint32 i = 0; i < 256; ++i) {
            quint32 c = i;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    quint32 crc = 0xffffffffu;
    for (const char ch : data)
        crc = table[(crc ^ quint8(ch)) & 0xff] ^ (crc >> 8);
    return crc ^ 0xffffffffu;
}

// Raw deflate (no zlib header or trailer) from qCompress's zlib stream.
QByteArray deflateRaw(const QByteArray &data)
{
    const QByteArray z = qCompress(data, 9);
    return z.mid(4 + 2, z.size() - 4 - 2 - 4);
}

// An entry as the raw writer lays it out; sizes may lie on purpose.
struct RawEntry
{
    QByteArray name;
    QByteArray payload; // as stored in the archive (deflated when method 8)
    quint16 method = 0;
    quint32 crc = 0;
    quint32 size = 0; // the declared uncompressed size
    quint32 mode = kFile;
    quint16 flags = 0x0800; // UTF-8 names
};

RawEntry stored(const QByteArray &name, const QByteArray &data)
{
    return {name, data, 0, crc32(data), quint32(data.size())};
}

RawEntry deflated(const QByteArray &name, const QByteArray &data)
{
    return {name, deflateRaw(data), 8, crc32(data), quint32(data.size())};
}

void put16(QByteArray &out, quint32 v)
{
    out.append(char(v & 0xff)).append(char((v >> 8) & 0xff));
}

void put32(QByteArray &out, quint32 v)
{
    put16(out, v & 0xffff);
    put16(out, v >> 16);
}

// A zip written byte by byte, for archives libzip refuses to produce
// (duplicate names, NUL bytes, lying sizes, unknown methods).
QByteArray rawZip(const QList<RawEntry> &entries)
{
    QByteArray out;
    QByteArray central;
    for (const RawEntry &e : entries) {
        const auto offset = quint32(out.size());
        put32(out, 0x04034b50);
        put16(out, 20);
        put16(out, e.flags);
        put16(out, e.method);
        put16(out, 0);      // time
        put16(out, 0x5821); // date: 2024-01-01
        put32(out, e.crc);
        put32(out, quint32(e.payload.size()));
        put32(out, e.size);
        put16(out, quint32(e.name.size()));
        put16(out, 0);
        out += e.name;
        out += e.payload;

        put32(central, 0x02014b50);
        put16(central, 0x0300 | 20); // made by Unix
        put16(central, 20);
        put16(central, e.flags);
        put16(central, e.method);
        put16(central, 0);
        put16(central, 0x5821);
        put32(central, e.crc);
        put32(central, quint32(e.payload.size()));
        put32(central, e.size);
        put16(central, quint32(e.name.size()));
        put16(central, 0); // extra
        put16(central, 0); // comment
        put16(central, 0); // disk
        put16(central, 0); // internal attributes
        put32(central, e.mode << 16);
        put32(central, offset);
        central += e.name;
    }
    const auto centralOffset = quint32(out.size());
    out += central;
    put32(out, 0x06054b50);
    put16(out, 0);
    put16(out, 0);
    put16(out, quint32(entries.size()));
    put16(out, quint32(entries.size()));
    put32(out, quint32(central.size()));
    put32(out, centralOffset);
    put16(out, 0);
    return out;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Entries of a folder, hidden ones included.
QStringList listing(const QString &dir)
{
    return QDir(dir).entryList(
        QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System, QDir::Name);
}

class WorkspaceArchiveTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_dir.isValid());
        ASSERT_TRUE(QDir(m_dir.path()).mkpath(u"job"_s));
    }

    QString zipPath() const { return m_dir.filePath(u"workspace.zip"_s); }
    QString dest() const { return m_dir.filePath(u"job/workspace"_s); }
    QString jobDir() const { return m_dir.filePath(u"job"_s); }

    ExtractResult extract(const ExtractLimits &limits = {})
    {
        return WorkspaceArchive::extract(zipPath(), dest(), limits);
    }

    ExtractResult extractRaw(const QList<RawEntry> &entries, const ExtractLimits &limits = {})
    {
        EXPECT_TRUE(writeFile(zipPath(), rawZip(entries)));
        return extract(limits);
    }

    // A failed extraction: an error mentioning `fragment`, nothing left in
    // the job folder but what was there, nothing written next to it.
    void expectRejected(const ExtractResult &r, const QString &fragment)
    {
        EXPECT_FALSE(r.ok);
        EXPECT_TRUE(r.error.contains(fragment))
            << "error: " << r.error.toStdString() << "\nexpected: " << fragment.toStdString();
        EXPECT_FALSE(QFileInfo::exists(dest())) << "destDir must not exist after a failure";
        EXPECT_EQ(listing(jobDir()), QStringList()) << "no temporary folder may remain";
        EXPECT_EQ(listing(m_dir.path()), (QStringList{u"job"_s, u"workspace.zip"_s}))
            << "nothing may be written outside destDir";
    }

    QTemporaryDir m_dir;
};

TEST_F(WorkspaceArchiveTest, ExtractsStoredAndDeflatedFilesInNestedFolders)
{
    const QByteArray code = "import torch\n" + QByteArray(5000, 'x') + "\nprint('done')\n";
    {
        ZipBuilder zip(zipPath());
        zip.dir("cifar/");
        zip.add("cifar/README.md", "# CIFAR\n");
        zip.add("cifar/src/models/net.py", code, true);
        zip.add("cifar/data/empty.bin", QByteArray());
        zip.dir("cifar/logs/");
        ASSERT_TRUE(zip.write());
    }
    const ExtractResult r = extract();
    ASSERT_TRUE(r.ok) << r.error.toStdString();
    EXPECT_EQ(r.files, 3);
    EXPECT_EQ(r.bytes, 8 + code.size());
    EXPECT_EQ(r.topFolder, u"cifar"_s);
    EXPECT_EQ(readAll(dest() + u"/cifar/README.md"_s), QByteArray("# CIFAR\n"));
    EXPECT_EQ(readAll(dest() + u"/cifar/src/models/net.py"_s), code);
    EXPECT_TRUE(QFileInfo(dest() + u"/cifar/data/empty.bin"_s).isFile());
    EXPECT_TRUE(QFileInfo(dest() + u"/cifar/logs"_s).isDir());
    EXPECT_EQ(listing(jobDir()), QStringList{u"workspace"_s}) << "no temporary folder left";
}

TEST_F(WorkspaceArchiveTest, KeepsTheOwnersExecutableBitAndDropsSetuid)
{
    {
        ZipBuilder zip(zipPath());
        zip.add("w/run.sh", "#!/bin/sh\n", false, S_IFREG | 0700);
        zip.add("w/plain.txt", "text", false, S_IFREG | 0666);
        zip.add("w/suid", "x", true, S_IFREG | S_ISUID | S_ISGID | S_ISVTX | 0755);
        zip.add("w/group-exec-only", "x", false, S_IFREG | 0654);
        ASSERT_TRUE(zip.write());
    }
    const ExtractResult r = extract();
    ASSERT_TRUE(r.ok) << r.error.toStdString();
    const auto mode = [&](const char *name) {
        struct stat st = {};
        EXPECT_EQ(
            ::lstat(QFile::encodeName(dest() + u"/w/"_s + QString::fromUtf8(name)).constData(),
                    &st),
            0);
        return st.st_mode & 07777;
    };
    EXPECT_EQ(mode("run.sh"), 0755u);
    EXPECT_EQ(mode("plain.txt"), 0644u);
    EXPECT_EQ(mode("suid"), 0755u);
    EXPECT_EQ(mode("group-exec-only"), 0644u);
}

TEST_F(WorkspaceArchiveTest, TopFolderOnlyWhenThereIsExactlyOne)
{
    {
        ZipBuilder zip(zipPath());
        zip.add("a/x.txt", "1");
        zip.add("b/y.txt", "2");
        ASSERT_TRUE(zip.write());
    }
    ExtractResult r = extract();
    ASSERT_TRUE(r.ok) << r.error.toStdString();
    EXPECT_EQ(r.topFolder, QString());

    ASSERT_TRUE(QDir(dest()).removeRecursively());
    {
        ZipBuilder zip(zipPath());
        zip.add("README", "1");
        ASSERT_TRUE(zip.write());
    }
    r = extract();
    ASSERT_TRUE(r.ok) << r.error.toStdString();
    EXPECT_EQ(r.topFolder, QString()) << "a single file is not a folder";
}

TEST_F(WorkspaceArchiveTest, EmptyArchiveGivesAnEmptyFolder)
{
    QByteArray eocd("PK\x05\x06", 4);
    eocd.append(18, '\0');
    ASSERT_TRUE(writeFile(zipPath(), eocd));
    const ExtractResult r = extract();
    ASSERT_TRUE(r.ok) << r.error.toStdString();
    EXPECT_EQ(r.files, 0);
    EXPECT_TRUE(QFileInfo(dest()).isDir());
    EXPECT_EQ(listing(dest()), QStringList());
}

TEST_F(WorkspaceArchiveTest, ExtractsIntoAnExistingEmptyFolder)
{
    ASSERT_TRUE(QDir().mkpath(dest()));
    {
        ZipBuilder zip(zipPath());
        zip.add("w/a.txt", "a");
        ASSERT_TRUE(zip.write());
    }
    const ExtractResult r = extract();
    ASSERT_TRUE(r.ok) << r.error.toStdString();
    EXPECT_EQ(readAll(dest() + u"/w/a.txt"_s), QByteArray("a"));
}

TEST_F(WorkspaceArchiveTest, RefusesANonEmptyDestination)
{
    ASSERT_TRUE(QDir().mkpath(dest()));
    ASSERT_TRUE(writeFile(dest() + u"/keep.txt"_s, "mine"));
    {
        ZipBuilder zip(zipPath());
        zip.add("w/a.txt", "a");
        ASSERT_TRUE(zip.write());
    }
    const ExtractResult r = extract();
    EXPECT_FALSE(r.ok);
    EXPECT_TRUE(r.error.contains(u"not empty"_s)) << r.error.toStdString();
    EXPECT_EQ(readAll(dest() + u"/keep.txt"_s), QByteArray("mine")) << "left untouched";
    EXPECT_EQ(listing(dest()), QStringList{u"keep.txt"_s});
}

TEST_F(WorkspaceArchiveTest, RejectsZipSlipNames)
{
    const struct
    {
        const char *name;
        QString fragment;
    } cases[] = {
        {"../evil", u"'..'"_s}, {"/abs/evil", u"absolute"_s},     {"a/../../b", u"'..'"_s},
        {"w/..", u"'..'"_s},    {"a\\..\\..\\b", u"backslash"_s}, {"w/./x", u"'.'"_s},
        {"w//x", u"empty"_s},
    };
    for (const auto &c : cases) {
        SCOPED_TRACE(c.name);
        {
            ZipBuilder zip(zipPath());
            zip.add("w/fine.txt", "ok");
            zip.add(c.name, "evil");
            ASSERT_TRUE(zip.write());
        }
        const ExtractResult r = extract();
        expectRejected(r, c.fragment);
        EXPECT_TRUE(r.error.startsWith(u"Workspace archive entry \""_s)) << r.error.toStdString();
    }
}

TEST_F(WorkspaceArchiveTest, RejectsControlCharactersInNames)
{
    // libzip will not write these; the raw writer will.
    for (const QByteArray &name :
         {QByteArray("w/tab\there"), QByteArray("w/new\nline"), QByteArray("w/del\x7f")}) {
        SCOPED_TRACE(name.toStdString());
        const ExtractResult r = extractRaw({stored("w/ok", "ok"), stored(name, "x")});
        expectRejected(r, u"control character"_s);
        EXPECT_FALSE(r.error.contains(u'\n')) << "the name is escaped in the message";
    }
    // Other C0 controls in a name flagged UTF-8 already fail libzip's check.
    expectRejected(extractRaw({stored("w/bad\x01name", "x")}), u"damaged"_s);
}

TEST_F(WorkspaceArchiveTest, RejectsOverlongNames)
{
    QByteArray longName;
    while (longName.size() <= 4096)
        longName += "d/";
    longName += "f";
    {
        ZipBuilder zip(zipPath());
        zip.add(longName.constData(), "x");
        ASSERT_TRUE(zip.write());
    }
    expectRejected(extract(), u"longer than 4096 bytes"_s);

    const QByteArray longSegment = "w/" + QByteArray(256, 'n');
    {
        ZipBuilder zip(zipPath());
        zip.add(longSegment.constData(), "x");
        ASSERT_TRUE(zip.write());
    }
    expectRejected(extract(), u"longer than 255 bytes"_s);
}

TEST_F(WorkspaceArchiveTest, ANulByteCannotTruncateAName)
{
    // libzip reads a NUL in a name as a space, so the '..' after it still counts.
    const ExtractResult r =
        extractRaw({stored(QByteArray("w/ok\0/../../../evil", 19), "evil"), stored("w/a", "a")});
    expectRejected(r, u"'..'"_s);
}

TEST_F(WorkspaceArchiveTest, RejectsDuplicateEntries)
{
    expectRejected(extractRaw({stored("w/a.txt", "1"), stored("w/a.txt", "2")}),
                   u"more than once"_s);

    RawEntry dir = stored("w/a/", QByteArray());
    dir.mode = S_IFDIR | 0755;
    expectRejected(extractRaw({stored("w/a", "file"), dir}), u"\"w/a\" appears more than once"_s);
}

TEST_F(WorkspaceArchiveTest, RejectsEntriesBelowAFile)
{
    {
        ZipBuilder zip(zipPath());
        zip.add("w/a", "file");
        zip.add("w/a/b", "below a file");
        ASSERT_TRUE(zip.write());
    }
    expectRejected(extract(), u"is inside \"w/a\", which is a file"_s);
}

TEST_F(WorkspaceArchiveTest, RejectsDevicesFifosAndSockets)
{
    const struct
    {
        quint32 mode;
        QString fragment;
    } cases[] = {
        {S_IFCHR | 0666, u"is a device"_s},
        {S_IFBLK | 0660, u"is a device"_s},
        {S_IFIFO | 0644, u"is a FIFO"_s},
        {S_IFSOCK | 0755, u"is a socket"_s},
    };
    for (const auto &c : cases) {
        SCOPED_TRACE(c.mode);
        {
            ZipBuilder zip(zipPath());
            zip.add("w/ok.txt", "ok");
            zip.add("w/special", QByteArray(), false, c.mode);
            ASSERT_TRUE(zip.write());
        }
        expectRejected(extract(), c.fragment);
    }
}

TEST_F(WorkspaceArchiveTest, CreatesSymlinksThatStayInside)
{
    {
        ZipBuilder zip(zipPath());
        zip.add("w/data/x.txt", "payload");
        zip.symlink("w/link", "data/x.txt");
        zip.symlink("w/sub/deeper/up", "../../data");
        zip.symlink("w/root", "..");
        zip.symlink("w/dangling", "missing/file");
        zip.symlink("w/dot", "./data/./x.txt");
        ASSERT_TRUE(zip.write());
    }
    const ExtractResult r = extract();
    ASSERT_TRUE(r.ok) << r.error.toStdString();
    EXPECT_EQ(r.files, 6);
    EXPECT_EQ(r.topFolder, u"w"_s);
    const QFileInfo link(dest() + u"/w/link"_s);
    EXPECT_TRUE(link.isSymLink());
    EXPECT_EQ(QFile::symLinkTarget(link.filePath()), dest() + u"/w/data/x.txt"_s);
    EXPECT_EQ(readAll(link.filePath()), QByteArray("payload"));
    EXPECT_EQ(readAll(dest() + u"/w/sub/deeper/up/x.txt"_s), QByteArray("payload"));
    EXPECT_TRUE(QFileInfo(dest() + u"/w/root"_s).isSymLink());
    EXPECT_TRUE(QFileInfo(dest() + u"/w/dangling"_s).isSymLink());
}

TEST_F(WorkspaceArchiveTest, RejectsSymlinksOut)
{
    const struct
    {
        const char *name;
        QByteArray target;
        QString fragment;
    } cases[] = {
        {"w/passwd", "/etc/passwd", u"absolute path"_s},
        {"w/up", "../..", u"outside the workspace"_s},
        {"w/a/up", "../../../etc", u"outside the workspace"_s},
        {"top", "..", u"outside the workspace"_s},
        {"w/sneaky", "a/../../..", u"after a folder name"_s},
        {"w/empty", "", u"empty target"_s},
        {"w/ctl", "a\nb", u"control character"_s},
    };
    for (const auto &c : cases) {
        SCOPED_TRACE(c.name);
        {
            ZipBuilder zip(zipPath());
            zip.add("w/ok.txt", "ok");
            zip.symlink(c.name, c.target);
            ASSERT_TRUE(zip.write());
        }
        expectRejected(extract(), c.fragment);
    }
}

TEST_F(WorkspaceArchiveTest, RejectsAFileThroughASymlink)
{
    // Pointing out: the link itself is refused.
    {
        ZipBuilder zip(zipPath());
        zip.symlink("w/out", "../../../../tmp");
        zip.add("w/out/evil.sh", "rm -rf ~");
        ASSERT_TRUE(zip.write());
    }
    expectRejected(extract(), u"w/out"_s);

    // Pointing inside: writing through it is still refused, in either order.
    {
        ZipBuilder zip(zipPath());
        zip.dir("w/real/");
        zip.symlink("w/alias", "real");
        zip.add("w/alias/file.txt", "through the link");
        ASSERT_TRUE(zip.write());
    }
    expectRejected(extract(), u"is inside \"w/alias\", which is a symbolic link"_s);
    {
        ZipBuilder zip(zipPath());
        zip.dir("w/real/");
        zip.add("w/alias/file.txt", "before the link");
        zip.symlink("w/alias", "real");
        ASSERT_TRUE(zip.write());
    }
    expectRejected(extract(), u"is inside \"w/alias\", which is a symbolic link"_s);
}

TEST_F(WorkspaceArchiveTest, RejectsEncryptedEntries)
{
    // General purpose bit 0: the traditional PKWARE encryption.
    RawEntry e = stored("w/secret.txt", "not really encrypted");
    e.flags |= 0x0001;
    expectRejected(extractRaw({stored("w/a", "a"), e}), u"\"w/secret.txt\" is encrypted"_s);

    const zip_uint16_t method =
        zip_encryption_method_supported(ZIP_EM_AES_256, 1) ? ZIP_EM_AES_256 : ZIP_EM_TRAD_PKWARE;
    if (!zip_encryption_method_supported(method, 1))
        GTEST_SKIP() << "this libzip cannot encrypt";
    {
        ZipBuilder zip(zipPath());
        const zip_int64_t index = zip.add("w/secret.txt", "top secret", true);
        ASSERT_EQ(zip_file_set_encryption(zip.archive(), zip_uint64_t(index), method, "pw"), 0);
        ASSERT_TRUE(zip.write());
    }
    expectRejected(extract(), u"is encrypted"_s);
}

TEST_F(WorkspaceArchiveTest, RejectsOtherCompressionMethods)
{
    RawEntry e = stored("w/a.bz2", "BZh91AY&SY");
    e.method = 12; // bzip2
    expectRejected(extractRaw({e}), u"compression method 12"_s);
}

TEST_F(WorkspaceArchiveTest, RejectsASingleHugeDeflatedEntry)
{
    // 1 GB of zeros deflates to about 1 MB: a classic zip bomb.
    {
        ZipBuilder zip(zipPath());
        zip.add("w/readme.txt", "hello");
        zip.zeros("w/bomb.bin", 1000ULL * 1000 * 1000);
        ASSERT_TRUE(zip.write());
    }
    EXPECT_LT(QFileInfo(zipPath()).size(), 2 * 1024 * 1024);
    expectRejected(extract(), u"\"w/bomb.bin\" expands from"_s);

    // With the ratio allowed, the total size still stops it, before writing.
    ExtractLimits limits;
    limits.maxRatio = 1e9;
    limits.maxTotalBytes = 512LL * 1024 * 1024;
    expectRejected(extract(limits), u"unpacks to more than 512.0 MiB"_s);
}

TEST_F(WorkspaceArchiveTest, RejectsManySmallHighRatioEntries)
{
    // Each entry is under the per-entry floor; together they expand ~1000:1.
    const QByteArray zeros(256LL * 1024, '\0');
    {
        ZipBuilder zip(zipPath());
        for (int i = 0; i < 400; ++i)
            zip.add(QByteArray("w/part" + QByteArray::number(i)).constData(), zeros, true);
        ASSERT_TRUE(zip.write());
    }
    expectRejected(extract(), u"The workspace archive expands from"_s);
}

TEST_F(WorkspaceArchiveTest, SmallHighRatioFilesAreFine)
{
    {
        ZipBuilder zip(zipPath());
        zip.add("w/zeros.bin", QByteArray(512LL * 1024, '\0'), true);
        zip.add("w/code.py", QByteArray(600LL * 1024, 'a'), false);
        ASSERT_TRUE(zip.write());
    }
    const ExtractResult r = extract();
    ASSERT_TRUE(r.ok) << r.error.toStdString();
    EXPECT_EQ(QFileInfo(dest() + u"/w/zeros.bin"_s).size(), 512 * 1024);
}

TEST_F(WorkspaceArchiveTest, NeverWritesMoreThanTheDeclaredSize)
{
    // The central directory claims 1000 bytes; the deflate stream holds 300 KB.
    QByteArray data;
    for (int i = 0; data.size() < 300LL * 1000; ++i)
        data += "line " + QByteArray::number(i) + " of a log that is longer than declared\n";
    RawEntry liar = deflated("w/liar.txt", data);
    liar.size = 1000;
    expectRejected(extractRaw({stored("w/first.txt", "fine"), liar}),
                   u"\"w/liar.txt\" holds more data than"_s);

    // The same lie in a stored entry.
    RawEntry storedLiar = stored("w/liar.bin", QByteArray(4096, 'z'));
    storedLiar.size = 10;
    const ExtractResult r = extractRaw({storedLiar});
    EXPECT_FALSE(r.ok);
    EXPECT_FALSE(QFileInfo::exists(dest()));
}

TEST_F(WorkspaceArchiveTest, RejectsCorruptData)
{
    {
        ZipBuilder zip(zipPath());
        zip.add("w/a.txt", QByteArray(100, 'a'));
        ASSERT_TRUE(zip.write());
    }
    QByteArray bytes = readAll(zipPath());
    const qsizetype at = bytes.indexOf(QByteArray(100, 'a'));
    ASSERT_GE(at, 0);
    bytes[at + 50] = 'b';
    ASSERT_TRUE(writeFile(zipPath(), bytes));
    expectRejected(extract(), u"\"w/a.txt\" is damaged"_s);
}

TEST_F(WorkspaceArchiveTest, RejectsTooManyEntries)
{
    {
        ZipBuilder zip(zipPath());
        for (int i = 0; i < 11; ++i)
            zip.add(QByteArray("w/f" + QByteArray::number(i)).constData(), "x");
        ASSERT_TRUE(zip.write());
    }
    ExtractLimits limits;
    limits.maxEntries = 10;
    expectRejected(extract(limits), u"has 11 entries; the limit is 10"_s);
    limits.maxEntries = 11;
    EXPECT_TRUE(extract(limits).ok);
}

TEST_F(WorkspaceArchiveTest, RejectsAnArchiveOverTheSizeLimit)
{
    ExtractLimits limits;
    EXPECT_EQ(limits.maxArchiveBytes, 100LL * 1024 * 1024);
    {
        QFile f(zipPath());
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        ASSERT_TRUE(f.resize(limits.maxArchiveBytes + 1)); // sparse
    }
    expectRejected(extract(), u"the limit is 100.0 MiB"_s);

    {
        ZipBuilder zip(zipPath());
        zip.add("w/a.bin", QByteArray(4000, 'a'));
        ASSERT_TRUE(zip.write());
    }
    limits.maxArchiveBytes = 1000;
    expectRejected(extract(limits), u"the limit is"_s);
}

TEST_F(WorkspaceArchiveTest, RejectsWhatIsNotAZip)
{
    ASSERT_TRUE(writeFile(zipPath(), "print('this is a python file')\n"));
    expectRejected(extract(), u"not a zip file"_s);

    ASSERT_TRUE(writeFile(zipPath(), QByteArray()));
    expectRejected(extract(), u"empty file"_s);

    EXPECT_FALSE(WorkspaceArchive::extract(m_dir.filePath(u"missing.zip"_s), dest(), {}).ok);
}

TEST_F(WorkspaceArchiveTest, RejectsATruncatedZip)
{
    {
        ZipBuilder zip(zipPath());
        zip.add("w/a.txt", QByteArray(3000, 'a'));
        zip.add("w/b.txt", QByteArray(3000, 'b'), true);
        ASSERT_TRUE(zip.write());
    }
    const QByteArray whole = readAll(zipPath());
    for (const qsizetype keep : {whole.size() / 2, whole.size() - 10, qsizetype(30)}) {
        SCOPED_TRACE(keep);
        ASSERT_TRUE(writeFile(zipPath(), whole.left(keep)));
        const ExtractResult r = extract();
        EXPECT_FALSE(r.ok);
        EXPECT_FALSE(QFileInfo::exists(dest()));
        EXPECT_EQ(listing(jobDir()), QStringList());
    }
}

TEST_F(WorkspaceArchiveTest, AllOrNothing)
{
    // Many good files first, then one that fails only while being written.
    QList<RawEntry> entries;
    for (int i = 0; i < 50; ++i)
        entries.append(stored("w/ok" + QByteArray::number(i) + ".txt", "content"));
    RawEntry bad = deflated("w/zz.txt", QByteArray(100LL * 1000, 'q') + "tail");
    bad.size = 100;
    entries.append(bad);
    expectRejected(extractRaw(entries), u"\"w/zz.txt\""_s);

    // An existing empty destination stays, empty.
    ASSERT_TRUE(QDir().mkpath(dest()));
    const ExtractResult r = extractRaw(entries);
    EXPECT_FALSE(r.ok);
    EXPECT_TRUE(QFileInfo(dest()).isDir());
    EXPECT_EQ(listing(dest()), QStringList());
    EXPECT_EQ(listing(jobDir()), QStringList{u"workspace"_s});
}

} // namespace
