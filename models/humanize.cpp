// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "humanize.h"

#include <QCoreApplication>

namespace pf::models {

QString formatBytes(qint64 bytes)
{
    if (bytes < 1024)
        return QCoreApplication::translate("pf::models", "%1 B").arg(bytes);
    static const char *const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double value = double(bytes);
    int unit = -1;
    while (value >= 1024.0 && unit < 4) {
        value /= 1024.0;
        ++unit;
    }
    return QStringLiteral("%1 %2").arg(value, 0, 'f', 1).arg(QLatin1StringView(units[unit]));
}

QString formatDuration(qint64 seconds)
{
    if (seconds < 0)
        return {};
    if (seconds < 60)
        return QCoreApplication::translate("pf::models", "%1 s").arg(seconds);
    if (seconds < 3600)
        return QCoreApplication::translate("pf::models", "%1 min %2 s")
            .arg(seconds / 60)
            .arg(seconds % 60);
    if (seconds < 86400)
        return QCoreApplication::translate("pf::models", "%1 h %2 min")
            .arg(seconds / 3600)
            .arg((seconds % 3600) / 60, 2, 10, QLatin1Char('0'));
    return QCoreApplication::translate("pf::models", "%1 d %2 h")
        .arg(seconds / 86400)
        .arg((seconds % 86400) / 3600);
}

QString formatTime(const QDateTime &time)
{
    if (!time.isValid())
        return {};
    return time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

} // namespace pf::models
