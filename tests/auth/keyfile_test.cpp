// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include "server/auth/keyfile.h"

using pf::server::KeyFile;

namespace {

mode_t modeOf(const QString &path)
{
    struct stat st;
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return 0;
    return st.st_mode & 07777;
}

QByteArray contentsOf(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

bool writeFile(const QString &path, const QByteArray &data, mode_t mode)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size())
        return false;
    file.close();
    return ::chmod(QFile::encodeName(path).constData(), mode) == 0;
}

// Sets the process umask for one test and restores it after.
class ScopedUmask
{
public:
    explicit ScopedUmask(mode_t mask)
        : m_old(::umask(mask))
    {}
    ~ScopedUmask() { ::umask(m_old); }
    ScopedUmask(const ScopedUmask &) = delete;
    ScopedUmask &operator=(const ScopedUmask &) = delete;

private:
    mode_t m_old;
};

class KeyFileTest : public ::testing::Test
{
protected:
    void SetUp() override { ASSERT_TRUE(m_dir.isValid()); }
    QString path(const QString &name) const { return m_dir.filePath(name); }

    QTemporaryDir m_dir;
};

} // namespace

TEST_F(KeyFileTest, CreatesRandomKeyWithMode0600EvenUnderAPermissiveUmask)
{
    const ScopedUmask umask(0);
    const QString file = path(QStringLiteral("jwt.key"));
    QString error;
    const QByteArray key = KeyFile::loadOrCreate(file, 32, &error);
    ASSERT_EQ(key.size(), 32) << qPrintable(error);
    EXPECT_TRUE(error.isEmpty());
    EXPECT_NE(key, QByteArray(32, '\0'));
    EXPECT_EQ(modeOf(file), 0600u);
    EXPECT_EQ(contentsOf(file), key);
    // The temporary file is gone: the folder holds the key and nothing else.
    EXPECT_EQ(QDir(m_dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
              QStringList{QStringLiteral("jwt.key")});
}

TEST_F(KeyFileTest, SecondLoadReturnsTheSameKey)
{
    const QString file = path(QStringLiteral("jwt.key"));
    QString error;
    const QByteArray first = KeyFile::loadOrCreate(file, 32, &error);
    ASSERT_EQ(first.size(), 32) << qPrintable(error);
    const QByteArray second = KeyFile::loadOrCreate(file, 32, &error);
    EXPECT_EQ(second, first) << qPrintable(error);
}

TEST_F(KeyFileTest, DifferentFilesGetDifferentKeys)
{
    QString error;
    const QByteArray a = KeyFile::loadOrCreate(path(QStringLiteral("a.key")), 32, &error);
    const QByteArray b = KeyFile::loadOrCreate(path(QStringLiteral("b.key")), 32, &error);
    ASSERT_EQ(a.size(), 32);
    ASSERT_EQ(b.size(), 32);
    EXPECT_NE(a, b);
}

TEST_F(KeyFileTest, LoadsAnExistingKeyAsIs)
{
    const QString file = path(QStringLiteral("secrets.key"));
    const QByteArray existing(32, '\x5a');
    ASSERT_TRUE(writeFile(file, existing, 0600));
    QString error;
    EXPECT_EQ(KeyFile::loadOrCreate(file, 32, &error), existing) << qPrintable(error);
}

TEST_F(KeyFileTest, RejectsAFileOfTheWrongSizeAndLeavesItAlone)
{
    const QString file = path(QStringLiteral("jwt.key"));
    const QByteArray shortKey(31, 'x');
    ASSERT_TRUE(writeFile(file, shortKey, 0600));
    QString error;
    EXPECT_TRUE(KeyFile::loadOrCreate(file, 32, &error).isEmpty());
    EXPECT_TRUE(error.contains(file)) << qPrintable(error);
    EXPECT_TRUE(error.contains(QStringLiteral("31 bytes"))) << qPrintable(error);
    EXPECT_EQ(contentsOf(file), shortKey);

    ASSERT_TRUE(writeFile(file, QByteArray(), 0600));
    EXPECT_TRUE(KeyFile::loadOrCreate(file, 32, &error).isEmpty());
    EXPECT_TRUE(error.contains(QStringLiteral("0 bytes"))) << qPrintable(error);

    ASSERT_TRUE(writeFile(file, QByteArray(33, 'x'), 0600));
    EXPECT_TRUE(KeyFile::loadOrCreate(file, 32, &error).isEmpty());
    EXPECT_TRUE(error.contains(QStringLiteral("33 bytes"))) << qPrintable(error);
}

TEST_F(KeyFileTest, TightensLoosePermissionsTo0600)
{
    const QByteArray existing(32, '\x11');
    for (const mode_t loose :
         {mode_t(0644), mode_t(0640), mode_t(0604), mode_t(0666), mode_t(0660)}) {
        const QString file = path(QStringLiteral("loose-%1.key").arg(loose, 0, 8));
        ASSERT_TRUE(writeFile(file, existing, loose));
        ASSERT_EQ(modeOf(file), loose);
        QString error;
        EXPECT_EQ(KeyFile::loadOrCreate(file, 32, &error), existing) << qPrintable(error);
        EXPECT_EQ(modeOf(file), 0600u) << "was " << std::oct << loose;
    }
}

TEST_F(KeyFileTest, LeavesA0400KeyAlone)
{
    const QString file = path(QStringLiteral("ro.key"));
    ASSERT_TRUE(writeFile(file, QByteArray(32, 'r'), 0400));
    QString error;
    EXPECT_EQ(KeyFile::loadOrCreate(file, 32, &error), QByteArray(32, 'r')) << qPrintable(error);
    EXPECT_EQ(modeOf(file), 0400u);
}

TEST_F(KeyFileTest, FolderThatIsAFileIsACreateError)
{
    // Works for root too, unlike a read-only folder.
    const QString notAFolder = path(QStringLiteral("plain-file"));
    ASSERT_TRUE(writeFile(notAFolder, QByteArrayLiteral("x"), 0600));
    const QString file = notAFolder + QStringLiteral("/jwt.key");
    QString error;
    EXPECT_TRUE(KeyFile::loadOrCreate(file, 32, &error).isEmpty());
    EXPECT_TRUE(
        error.startsWith(QStringLiteral("cannot create key file ") + file + QStringLiteral(": ")))
        << qPrintable(error);
    EXPECT_TRUE(error.contains(qt_error_string(ENOTDIR))) << qPrintable(error);
}

TEST_F(KeyFileTest, MissingFolderIsACreateError)
{
    const QString file = path(QStringLiteral("absent/jwt.key"));
    QString error;
    EXPECT_TRUE(KeyFile::loadOrCreate(file, 32, &error).isEmpty());
    EXPECT_EQ(error, QStringLiteral("cannot create key file ") + file + QStringLiteral(": ") +
                         qt_error_string(ENOENT));
    EXPECT_FALSE(QDir(path(QStringLiteral("absent"))).exists());
}

TEST_F(KeyFileTest, ReadOnlyFolderIsACreateError)
{
    if (::geteuid() == 0)
        GTEST_SKIP() << "root writes into read-only folders; FolderThatIsAFile covers the error";
    const QString folder = path(QStringLiteral("ro"));
    ASSERT_TRUE(QDir().mkdir(folder));
    ASSERT_EQ(::chmod(QFile::encodeName(folder).constData(), 0500), 0);
    const QString file = folder + QStringLiteral("/jwt.key");
    QString error;
    const QByteArray key = KeyFile::loadOrCreate(file, 32, &error);
    ::chmod(QFile::encodeName(folder).constData(), 0700);
    EXPECT_TRUE(key.isEmpty());
    EXPECT_EQ(error, QStringLiteral("cannot create key file ") + file + QStringLiteral(": ") +
                         qt_error_string(EACCES));
}

TEST_F(KeyFileTest, PathThatIsAFolderIsRejected)
{
    const QString folder = path(QStringLiteral("key-dir"));
    ASSERT_TRUE(QDir().mkdir(folder));
    QString error;
    EXPECT_TRUE(KeyFile::loadOrCreate(folder, 32, &error).isEmpty());
    EXPECT_TRUE(error.contains(folder)) << qPrintable(error);
}

TEST_F(KeyFileTest, RejectsNonPositiveSizeAndEmptyPath)
{
    QString error;
    EXPECT_TRUE(KeyFile::loadOrCreate(path(QStringLiteral("k")), 0, &error).isEmpty());
    EXPECT_FALSE(error.isEmpty());
    EXPECT_FALSE(QFile::exists(path(QStringLiteral("k"))));
    error.clear();
    EXPECT_TRUE(KeyFile::loadOrCreate(QString(), 32, &error).isEmpty());
    EXPECT_FALSE(error.isEmpty());
}

TEST_F(KeyFileTest, NullErrorPointerIsAllowed)
{
    EXPECT_TRUE(KeyFile::loadOrCreate(path(QStringLiteral("absent/k")), 32, nullptr).isEmpty());
    EXPECT_EQ(KeyFile::loadOrCreate(path(QStringLiteral("k")), 16, nullptr).size(), 16);
}
