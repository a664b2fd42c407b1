// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <optional>

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

namespace pf::agent {

// A host folder that the job sees at `target`.
struct Mount
{
    QString host;
    QString target;
    bool writable = false;

    friend bool operator==(const Mount &, const Mount &) = default;
};

// What pfd tells one node's agent to run: the answer of
// GET /agent/job/{job}/node/{rank}/spec (docs/jobs.md).
struct NodeSpec
{
    QString jobId;
    qint64 jobNumber = 0;
    QString jobName;
    QJsonObject config;

    int rank = 0;
    int numNodes = 1;
    int nprocPerNode = 1;
    int worldSize = 1;
    QString masterAddr = QStringLiteral("127.0.0.1");
    int masterPort = 0;

    QList<Mount> mounts;
    QString workspaceDir;
    QMap<QString, QString> env;
    QString setup;
    QString run;
    qint64 processedIters = 0;
    QString ckptDir;
    QString sdkPath;
    QString sandbox = QStringLiteral("bwrap"); // "bwrap" or "none"
    int graceS = 30;
    QString image;

    // Reads the spec. Fails (nullopt, *error says why) when `run` is
    // missing, a mount is not absolute or climbs with "..", or the sandbox
    // is neither "bwrap" nor "none". Other members default as above.
    static std::optional<NodeSpec> fromJson(const QJsonObject &json, QString *error);

    // The host path behind a path inside the job (the mount with the longest
    // matching target wins); the path itself when no mount covers it.
    QString hostPath(const QString &jobPath) const;
};

// True when `path` is absolute, clean (no "." or ".." segments, no "//")
// and not just "/".
bool isCleanAbsolutePath(const QString &path);

} // namespace pf::agent
