// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// A studio's transfer queue in a process of its own, for the test that kills
// it mid-upload: uploads FOLDER's files into dataset ID of the pfd at URL,
// with the queue's state in STATE_DIR, one request at a time, and runs until
// the upload ends (or the test kills it).
//
//   pf_transfer_helper URL ACCESS_TOKEN REFRESH_TOKEN STATE_DIR ID FOLDER

#include <cstdio>

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QJsonObject>

#include "network/apisession.h"
#include "network/pfapi.h"
#include "network/transferqueue.h"

using pf::network::TransferQueue;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList a = app.arguments();
    if (a.size() != 7) {
        std::fprintf(stderr, "usage: pf_transfer_helper URL ACCESS REFRESH STATE_DIR ID FOLDER\n");
        return 2;
    }
    pf::network::ApiSession session{QUrl(a.at(1))};
    session.setTokens(a.at(2), a.at(3));
    pf::network::PfApi api(&session);
    TransferQueue queue(&api, a.at(4));
    queue.setMaxRequests(1);
    QList<std::pair<QString, QString>> files;
    const QDir folder(a.at(6));
    QDirIterator it(folder.path(), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        files.append({it.next(), folder.relativeFilePath(it.filePath())});
    queue.upload(TransferQueue::Target::dataset(a.at(5).toLongLong()), folder.dirName(), files,
                 QJsonObject{{QStringLiteral("active"), true}});
    QObject::connect(&queue, &TransferQueue::finished, &app,
                     [&](const QString &, TransferQueue::State state) {
                         app.exit(state == TransferQueue::State::Done ? 0 : 1);
                     });
    return app.exec();
}
