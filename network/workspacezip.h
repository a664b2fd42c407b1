// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <atomic>
#include <thread>

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

namespace pf::network {

// One file the workspace zip will hold.
struct WorkspaceFile
{
    QString relativePath; // to the workspace folder, `/`-separated
    qint64 size = 0;
};

// What the workspace zip of a folder will hold, decided before any zipping.
struct WorkspacePlan
{
    QString folder;             // absolute, cleaned
    QString rootName;           // the folder's own name: every entry starts with it
    QList<WorkspaceFile> files; // sorted by path
    qint64 totalBytes = 0;
    // Left out although no `.pfignore` rule says so, each with the reason
    // (symbolic links, special files, unreadable folders).
    QStringList skipped;
    // Non-empty: the workspace cannot be sent, and why (for the user).
    QString error;

    bool ok() const { return error.isEmpty(); }
};

// Builds the workspace zip a job is created with (shared/API.md, "Jobs"):
// stored entries `<folder name>/<relative path>` (paths relative to the
// folder's parent), the files the `.pfignore` at the folder's root leaves
// in (see api::PfIgnore), at most kMaxBytes of file content.
//
// Symbolic links are never followed, in or out of the folder: a link (to a
// file or a folder, inside or outside) is skipped and listed in
// WorkspacePlan::skipped with its reason, as are sockets, pipes and devices.
// Empty folders are not sent.
//
// plan() walks the folder on the calling thread (it only reads names and
// sizes); start() writes the zip on a worker thread of its own:
//
//   const WorkspacePlan plan = WorkspaceZip::plan(folder);
//   if (!plan.ok()) return refuse(plan.error);  // before anything is written
//   auto *zip = new WorkspaceZip(this);
//   connect(zip, &WorkspaceZip::progress, bar, [](qint64 done, qint64 total) {...});
//   connect(zip, &WorkspaceZip::finished, this, [](const QString &path, const QString &error) {
//       // path: the zip (the caller removes it when done), or empty with `error`
//   });
//   zip->start(plan);
//
// Threads: the object lives in the thread that made it; its signals are
// emitted from the worker thread, so queued connections (the default across
// threads) deliver them to the receiver's thread (connect with a context
// object; a QSignalSpy, being direct, may record finished() before its
// wait() begins and then wait in vain). cancel() may be called
// from any thread. Destroying the object cancels and waits for the worker.
// A file that changes while it is zipped is sent as read at that time.
class WorkspaceZip final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WorkspaceZip)

public:
    static constexpr qint64 kMaxBytes = 100LL * 1024 * 1024;

    explicit WorkspaceZip(QObject *parent = nullptr);
    ~WorkspaceZip() override;

    // The files the zip of `folder` will hold, and whether it may be sent:
    // `error` is set when the folder is missing or unreadable, holds no file
    // to send, or the files add up to more than `maxBytes` (the zip's own
    // headers are not counted; the server has the final word).
    static WorkspacePlan plan(const QString &folder, qint64 maxBytes = kMaxBytes);

    // Writes the zip of `plan` (which must be ok()) to a new file in
    // `outputDir` (the system's temporary folder by default). Once only.
    void start(const WorkspacePlan &plan, const QString &outputDir = {});

    // Stops the writing: finished() follows with an error, and no file is
    // left behind. Does nothing once finished() has been emitted.
    void cancel() { m_cancel.store(true); }

Q_SIGNALS:
    // Bytes of file content written so far, of `total`: at most every
    // 256 KiB or so, and once at the end.
    void progress(qint64 done, qint64 total);
    // Exactly once per start(): the zip's path, or an empty path and the
    // reason (for the user).
    void finished(const QString &zipPath, const QString &error);

private:
    void run(WorkspacePlan plan, QString outputDir);

    std::thread m_worker;
    std::atomic<bool> m_cancel{false};
};

} // namespace pf::network
