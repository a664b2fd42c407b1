// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QString>
#include <QtGlobal>

namespace pf::server {

// Bounds on what one workspace archive may unpack to. Sizes in bytes.
struct ExtractLimits
{
    // API.md caps the upload at "100 MB"; we read it as 100 MiB, the lenient
    // reading, so no client that checks either 10^8 or 2^20 * 100 bytes
    // produces an archive the server refuses.
    qint64 maxArchiveBytes = 100LL * 1024 * 1024;
    int maxEntries = 20000;
    // Sum of the uncompressed sizes of every file and symlink.
    qint64 maxTotalBytes = 2LL * 1024 * 1024 * 1024;
    // Largest uncompressed/compressed ratio of a deflated entry, and of the
    // whole archive (total uncompressed / archive file size).
    double maxRatio = 200;
    // The ratio checks apply only above this uncompressed size (of the entry,
    // or of the whole archive): a small file of zeros legitimately deflates
    // far better than 200:1 and cannot hurt anyone.
    qint64 ratioFloorBytes = 1024LL * 1024;
};

struct ExtractResult
{
    bool ok = false;
    // On failure, a sentence for the person who uploaded the archive; it
    // names the offending entry when there is one.
    QString error;
    int files = 0;    // regular files and symlinks created
    qint64 bytes = 0; // bytes written to regular files
    // The single top-level folder when every entry lives under one folder
    // (API.md: paths are relative to the workspace folder's parent), else empty.
    QString topFolder;
};

// Safe extraction of an uploaded workspace zip (libzip).
//
//   const ExtractResult r = WorkspaceArchive::extract(zip, jobDir + "/workspace", {});
//   if (!r.ok)
//       failJob(r.error);
//
// All or nothing: the archive is unpacked into a temporary sibling of
// `destDir` that is renamed to `destDir` only once every entry has been
// written; on failure `destDir` is left as it was (absent, or empty) and the
// temporary folder is removed. `destDir` must be absent or an empty folder.
//
// Accepted: stored and deflated entries, regular files, folders, and symlinks
// whose target stays inside `destDir`. Rejected before anything is written:
// more entries, more total bytes or a higher compression ratio than `limits`
// allow (from the central directory), encrypted entries, other compression
// methods, empty, absolute, non-canonical ('.', '..', empty segments) or
// over-long names, backslashes and control characters in names, the same
// path twice, device/fifo/socket entries, any entry below a symlink or a
// file. While writing, an entry producing more bytes than it declared, or
// failing its CRC, aborts the extraction. Nothing is ever opened through a
// symlink (openat with O_NOFOLLOW at every level). Files get mode 0644, or
// 0755 when the archive gives the owner the executable bit; folders 0755.
//
// Blocking (disk I/O, decompression); call from a worker thread. Reentrant.
class WorkspaceArchive
{
public:
    static ExtractResult extract(const QString &zipPath, const QString &destDir,
                                 const ExtractLimits &limits = {});
};

} // namespace pf::server
