// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QDateTime>
#include <QString>

namespace pf::models {

// "0 B", "1.5 KiB", "3.2 GiB": binary units, one decimal above KiB.
QString formatBytes(qint64 bytes);
// "45 s", "12 min 3 s", "3 h 05 min", "2 d 4 h"; "" for negative.
QString formatDuration(qint64 seconds);
// Local time, "2026-11-22 15:45"; "" for a null time.
QString formatTime(const QDateTime &time);

} // namespace pf::models
