// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// FileTreeModel: the tree built from flat paths (folders first, sizes summed,
// odd paths), under QAbstractItemModelTester, and 100k files in one pass.

#include <gtest/gtest.h>

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QIcon>

#include "models/filetreemodel.h"
#include "models/humanize.h"

using namespace Qt::StringLiterals;
using pf::models::FileTreeModel;
namespace api = pf::api;

namespace {

api::StoredFile file(const QString &path, qint64 size,
                     const QDateTime &mtime = QDateTime(QDate(2026, 11, 1), QTime(10, 0), Qt::UTC))
{
    api::StoredFile f;
    f.path = path;
    f.name = path.section(u'/', -1);
    f.size = size;
    f.mtime = mtime;
    return f;
}

QStringList childNames(const FileTreeModel &m, const QModelIndex &parent = {})
{
    QStringList out;
    for (int r = 0; r < m.rowCount(parent); ++r)
        out << m.index(r, 0, parent).data().toString();
    return out;
}

} // namespace

TEST(FileTreeModel, FoldersFirstSizesSummedCountsAndLatestChange)
{
    FileTreeModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const QDateTime later(QDate(2026, 11, 20), QTime(9, 30), Qt::UTC);
    m.setFiles({file(u"readme.md"_s, 10), file(u"train/b.bin"_s, 200),
                file(u"train/A.bin"_s, 100, later), file(u"val/x/y.png"_s, 5),
                file(u"Zeta.txt"_s, 1), file(u"labels.csv"_s, 7)});

    EXPECT_EQ(childNames(m),
              (QStringList{u"train"_s, u"val"_s, u"labels.csv"_s, u"readme.md"_s, u"Zeta.txt"_s}));
    EXPECT_EQ(m.fileCount(), 6);
    EXPECT_EQ(m.totalSize(), 323);

    const QModelIndex train = m.index(0, 0);
    EXPECT_TRUE(train.data(FileTreeModel::IsFolderRole).toBool());
    EXPECT_EQ(train.data(FileTreeModel::SizeRole).toLongLong(), 300);
    EXPECT_EQ(train.data(FileTreeModel::FileCountRole).toInt(), 2);
    EXPECT_EQ(m.index(0, FileTreeModel::SizeColumn).data().toString(), u"300 B"_s);
    EXPECT_EQ(m.index(0, FileTreeModel::ModifiedColumn).data().toString(),
              pf::models::formatTime(later));
    EXPECT_EQ(childNames(m, train), (QStringList{u"A.bin"_s, u"b.bin"_s}));

    const QModelIndex png = m.indexOfPath(u"val/x/y.png"_s);
    ASSERT_TRUE(png.isValid());
    EXPECT_EQ(png.data(FileTreeModel::PathRole).toString(), u"val/x/y.png"_s);
    EXPECT_EQ(png.parent().data(FileTreeModel::PathRole).toString(), u"val/x"_s);
    EXPECT_EQ(png.parent().parent(), m.index(1, 0));
    EXPECT_FALSE(m.indexOfPath(u"val/nope"_s).isValid());

    // Every row has an icon; folders and files differ.
    const auto icon = [](const QModelIndex &i) {
        return i.data(Qt::DecorationRole).value<QIcon>();
    };
    EXPECT_FALSE(icon(train).isNull());
    EXPECT_FALSE(icon(png).isNull());
    EXPECT_NE(icon(train).cacheKey(), icon(png).cacheKey());
    EXPECT_FALSE(m.index(0, FileTreeModel::SizeColumn).data(Qt::DecorationRole).isValid());

    m.clear();
    EXPECT_EQ(m.rowCount(), 0);
    EXPECT_EQ(m.totalSize(), 0);
}

TEST(FileTreeModel, OddPathsDoubleSlashesTrailingSlashUnicodeAndDepth)
{
    FileTreeModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QString deep;
    for (int i = 0; i < 200; ++i)
        deep += u"d%1/"_s.arg(i);
    m.setFiles({file(u"a//b"_s, 1), file(u"/lead/c"_s, 2), file(u"empty/"_s, 0),
                file(u"caf\u00e9/\u65e5\u672c\u8a9e \U0001F600.txt"_s, 3),
                file(deep + u"leaf.bin"_s, 4), file(u"//"_s, 99), file(u""_s, 99),
                file(u"a/b"_s, 5)});

    EXPECT_EQ(m.fileCount(), 5);
    EXPECT_EQ(m.totalSize(), 15);
    // "a//b" and "a/b" land in the same folder; "/lead" loses its slash.
    const QModelIndex a = m.indexOfPath(u"a"_s);
    ASSERT_TRUE(a.isValid());
    EXPECT_EQ(m.rowCount(a), 2);
    EXPECT_EQ(a.data(FileTreeModel::SizeRole).toLongLong(), 6);
    EXPECT_TRUE(m.indexOfPath(u"lead/c"_s).isValid());
    // A trailing slash names an empty folder.
    const QModelIndex empty = m.indexOfPath(u"empty"_s);
    ASSERT_TRUE(empty.isValid());
    EXPECT_TRUE(empty.data(FileTreeModel::IsFolderRole).toBool());
    EXPECT_EQ(m.rowCount(empty), 0);
    EXPECT_FALSE(m.hasChildren(empty));
    const QModelIndex uni = m.indexOfPath(u"caf\u00e9/\u65e5\u672c\u8a9e \U0001F600.txt"_s);
    ASSERT_TRUE(uni.isValid());
    EXPECT_EQ(uni.data().toString(), u"\u65e5\u672c\u8a9e \U0001F600.txt"_s);

    QModelIndex leaf = m.indexOfPath(deep + u"leaf.bin"_s);
    ASSERT_TRUE(leaf.isValid());
    int depth = 0;
    for (QModelIndex i = leaf.parent(); i.isValid(); i = i.parent())
        ++depth;
    EXPECT_EQ(depth, 200);
    EXPECT_EQ(m.indexOfPath(u"d0"_s).data(FileTreeModel::SizeRole).toLongLong(), 4);
}

TEST(FileTreeModel, HundredThousandFilesInOnePass)
{
    QList<api::StoredFile> files;
    files.reserve(100000);
    for (int i = 0; i < 100000; ++i)
        files.append(file(u"shard-%1/class-%2/img-%3.jpg"_s.arg(i % 10).arg(i % 100).arg(i), 1000));
    FileTreeModel m;
    QElapsedTimer timer;
    timer.start();
    m.setFiles(files);
    const qint64 ms = timer.elapsed();
    EXPECT_EQ(m.fileCount(), 100000);
    EXPECT_EQ(m.totalSize(), 100000 * 1000LL);
    EXPECT_EQ(m.rowCount(), 10);
    EXPECT_EQ(m.rowCount(m.index(0, 0)), 10);
    EXPECT_EQ(m.rowCount(m.index(0, 0, m.index(0, 0))), 1000);
    // Generous for sanitizer builds on a shared machine; typically ~100 ms.
    EXPECT_LT(ms, 3000) << ms << " ms";
    // The tester walks the whole model; run it on the built tree once.
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
}
