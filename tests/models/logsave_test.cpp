// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <gtest/gtest.h>

#include <QDateTime>
#include <QFile>
#include <QTemporaryDir>

#include "models/logsave.h"

using namespace Qt::StringLiterals;
using namespace pf::models;

namespace {

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

qint64 utcMs(const QString &iso)
{
    return QDateTime::fromString(iso, Qt::ISODateWithMs).toMSecsSinceEpoch();
}

} // namespace

TEST(LogSave, WritesLinesWithTheChosenPrefixes)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString path = dir.filePath(u"job.log"_s);
    LogBuffer buffer;
    buffer.appendLine("\x1b[31mred\x1b[0m text", 0, LogType::Stdout,
                      utcMs(u"2026-11-22T06:45:00.123Z"_s));
    buffer.appendLine("problem", 1, LogType::Stderr, utcMs(u"2026-11-22T06:45:01.004Z"_s));
    buffer.appendLine("Job completed successfully.", kPlatformRank, LogType::Vmlog,
                      utcMs(u"1999-01-02T03:04:05.000Z"_s));
    buffer.appendLine("", 0, LogType::Stdout, 0);

    ASSERT_TRUE(saveLog(buffer.snapshot(), path, {}));
    EXPECT_EQ(readAll(path), "red text\nproblem\nJob completed successfully.\n\n");

    LogSaveOptions all;
    all.timestamps = true;
    all.ranks = true;
    all.keepEscapes = true;
    ASSERT_TRUE(saveLog(buffer.snapshot(), path, all));
    EXPECT_EQ(readAll(path), "2026-11-22T06:45:00.123Z [0] \x1b[31mred\x1b[0m text\n"
                             "2026-11-22T06:45:01.004Z [1] problem\n"
                             "1999-01-02T03:04:05.000Z [PF] Job completed successfully.\n"
                             "1970-01-01T00:00:00.000Z [0] \n");

    LogSaveOptions filtered;
    filtered.filter = {{0, kPlatformRank}, {LogType::Stdout, LogType::Vmlog}};
    filtered.ranks = true;
    ASSERT_TRUE(saveLog(buffer.snapshot(), path, filtered));
    EXPECT_EQ(readAll(path), "[0] red text\n[PF] Job completed successfully.\n[0] \n");
}

TEST(LogSave, StreamsALargeLogInWrites)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString path = dir.filePath(u"big.log"_s);
    LogBuffer buffer;
    QByteArray expected;
    for (int i = 0; i < 300000; ++i) {
        const QByteArray line = "step " + QByteArray::number(i) + " loss " +
                                QByteArray::number(1.0 / (i + 1), 'f', 6) + " é";
        buffer.appendLine(line, i % 4, LogType::Stdout, 0);
        if (i % 4 == 3)
            expected += "[3] " + line + '\n';
    }
    LogSaveOptions options;
    options.filter.ranks = {3};
    options.ranks = true;
    QList<qsizetype> reports;
    ASSERT_TRUE(
        saveLog(buffer.snapshot(), path, options, nullptr, [&](qsizetype done, qsizetype total) {
            EXPECT_EQ(total, 300000);
            reports << done;
            return true;
        }));
    EXPECT_EQ(readAll(path), expected);
    EXPECT_GE(reports.size(), 2); // more than one write of about 1 MiB
    EXPECT_EQ(reports.last(), 300000);
}

TEST(LogSave, CancelAndFailureLeaveTheOldFile)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString path = dir.filePath(u"job.log"_s);
    {
        QFile old(path);
        ASSERT_TRUE(old.open(QIODevice::WriteOnly));
        old.write("old\n");
    }
    LogBuffer buffer;
    for (int i = 0; i < 100000; ++i)
        buffer.appendLine(QByteArray(40, 'x'), 0, LogType::Stdout, 0);
    QString error;
    EXPECT_FALSE(
        saveLog(buffer.snapshot(), path, {}, &error, [](qsizetype, qsizetype) { return false; }));
    EXPECT_FALSE(error.isEmpty());
    EXPECT_EQ(readAll(path), "old\n");

    error.clear();
    EXPECT_FALSE(saveLog(buffer.snapshot(), dir.filePath(u"no/such/folder/x.log"_s), {}, &error));
    EXPECT_FALSE(error.isEmpty());
}
