// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <gtest/gtest.h>

#include "models/humanize.h"

using namespace Qt::StringLiterals;
using namespace pf::models;

TEST(Humanize, BytesInBinaryUnits)
{
    EXPECT_EQ(formatBytes(0), u"0 B"_s);
    EXPECT_EQ(formatBytes(1023), u"1023 B"_s);
    EXPECT_EQ(formatBytes(1536), u"1.5 KiB"_s);
    EXPECT_EQ(formatBytes(qint64(3) << 30), u"3.0 GiB"_s);
    EXPECT_EQ(formatBytes(qint64(1) << 62), u"4096.0 PiB"_s);
}

TEST(Humanize, DurationsPickTheirUnits)
{
    EXPECT_EQ(formatDuration(-1), QString());
    EXPECT_EQ(formatDuration(45), u"45 s"_s);
    EXPECT_EQ(formatDuration(12 * 60 + 3), u"12 min 3 s"_s);
    EXPECT_EQ(formatDuration(3 * 3600 + 5 * 60), u"3 h 05 min"_s);
    EXPECT_EQ(formatDuration(2 * 86400 + 4 * 3600 + 59), u"2 d 4 h"_s);
}

TEST(Humanize, NullTimeIsEmpty)
{
    EXPECT_EQ(formatTime(QDateTime()), QString());
    EXPECT_FALSE(formatTime(QDateTime::currentDateTimeUtc()).isEmpty());
}
