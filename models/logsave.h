// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <functional>

#include <QString>

#include "models/logbuffer.h"
#include "models/logfilter.h"

namespace pf::models {

struct LogSaveOptions
{
    // The lines to write: the view's filter spec, or {} for the whole log.
    LogFilterSpec filter = {};
    // Each line starts with its time, "2026-11-22T06:45:00.123Z " (UTC).
    bool timestamps = false;
    // ... then its node, "[0] " or "[PF] " for a platform line.
    bool ranks = false;
    // Keep SGR colour sequences (for `less -R`); else the visible text.
    bool keepEscapes = false;
};

// Writes the lines of `lines` that options.filter passes to `path`, each
// ended by '\n', in UTF-8. The text streams out in writes of about 1 MiB
// through a QSaveFile, so the whole log is never in memory and the file at
// `path` is replaced only when everything was written.
//
// Runs on any thread (it only reads the snapshot), so a view can hand a
// LogBuffer::snapshot() to a worker. `progress(linesDone, linesTotal)` is
// called after each write, on the calling thread; returning false cancels.
// Returns false, with *errorString set, when the file cannot be written or
// the save was cancelled; the old file is then left as it was.
bool saveLog(const LogSnapshot &lines, const QString &path, const LogSaveOptions &options,
             QString *errorString = nullptr,
             const std::function<bool(qsizetype, qsizetype)> &progress = {});

} // namespace pf::models
