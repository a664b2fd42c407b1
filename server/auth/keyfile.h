// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QByteArray>
#include <QString>

namespace pf::server {

// A secret key kept in a file of its own (the JWT signing key, the key that
// seals credentials at rest), readable by pfd's user only.
//
//   QString error;
//   const QByteArray key = KeyFile::loadOrCreate(dataDir + "/jwt.key", 32, &error);
//   if (key.isEmpty())
//       qFatal("%s", qPrintable(error));
class KeyFile
{
public:
    // Returns the `size` bytes stored at `path`.
    //
    // If `path` does not exist, fills a new file with `size` bytes from
    // libsodium's CSPRNG. The file appears atomically and durably with mode
    // 0600: the bytes go to a 0600 temporary file in the same folder, which is
    // fsync'ed, then published under `path` and the folder fsync'ed. Two
    // processes racing to create the same key agree on one key. The folder
    // must exist; it is not created.
    //
    // If `path` exists, it must be a regular file of exactly `size` bytes. If
    // its mode grants the group or others any access, it is tightened to 0600
    // first (and loading fails if that is not possible).
    //
    // On any failure returns an empty array and, when `error` is not null,
    // sets *error to a sentence naming the path and the system's reason
    // ("cannot create key file /x/jwt.key: Permission denied"). `size` must be
    // positive. Blocking file I/O: call it at start-up, not from an I/O thread.
    static QByteArray loadOrCreate(const QString &path, int size, QString *error);

    KeyFile() = delete;
};

} // namespace pf::server
