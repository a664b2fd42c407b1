// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QList>
#include <QObject>
#include <QQueue>
#include <QString>

#include "agent/backoff.h"

namespace pf::agent {

class ServerClient;

// Uploads the job's checkpoint folder as a JOB checkpoint when the SDK asks
// (a ckpt frame): POST <job>/checkpoint/ with the file list, PUT each file
// (streamed from disk), POST <job>/checkpoint/<id>/complete/.
//
//   CheckpointUploader uploader(&client, spec.hostPath(spec.ckptDir));
//   uploader.enqueue(step);
//   connect(&uploader, &CheckpointUploader::idle, ...);   // all done
//
// One checkpoint at a time, in the order asked. A step that fails for a
// transient reason (no answer, 5xx, ...) is retried with backoff, at most
// maxAttempts times in a row; any other failure abandons that checkpoint
// (failed()) and the queue goes on. Lives in the agent's thread.
class CheckpointUploader final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CheckpointUploader)

public:
    CheckpointUploader(ServerClient *client, QString hostDir, QObject *parent = nullptr);

    void enqueue(qint64 step);
    bool isIdle() const { return !m_busy && m_queue.isEmpty(); }
    void setMaxAttempts(int attempts) { m_maxAttempts = attempts; }

Q_SIGNALS:
    // A line for the job's platform log.
    void message(const QString &text);
    void uploaded(qint64 step, const QString &checkpointId);
    void failed(qint64 step, const QString &error);
    // Nothing is queued or uploading any more.
    void idle();

private:
    struct File
    {
        QString path; // relative to the folder, '/'-separated
        qint64 size = 0;
        QString target;
    };

    void startNext();
    void create();
    void putFile();
    void complete();
    // Runs `again` after a backoff delay, or gives the checkpoint up.
    void retryOrFail(const QString &error, bool transient, void (CheckpointUploader::*again)());
    void finishCurrent();

    ServerClient *m_client;
    QString m_hostDir;
    QQueue<qint64> m_queue;
    bool m_busy = false;
    qint64 m_step = 0;
    QString m_id;
    QList<File> m_files;
    qsizetype m_next = 0;
    Backoff m_backoff{200, 5000};
    int m_attempts = 0;
    int m_maxAttempts = 10;
};

} // namespace pf::agent
