// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// A studio's transfer queue in a process of its own, for the tests that kill
// it mid-transfer: uploads FOLDER's files into dataset ID of the pfd at URL
// (or, with `download`, downloads the dataset's files into FOLDER), with the
// queue's state in STATE_DIR, one request at a time, and runs until the
// transfer ends (or the test kills it).
//
//   pf_transfer_helper URL ACCESS_TOKEN REFRESH_TOKEN STATE_DIR ID FOLDER [download]

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
    if (a.size() != 7 && !(a.size() == 8 && a.at(7) == QLatin1String("download"))) {
        std::fprintf(
            stderr,
            "usage: pf_transfer_helper URL ACCESS REFRESH STATE_DIR ID FOLDER [download]\n");
        return 2;
    }
    pf::network::ApiSession session{QUrl(a.at(1))};
    session.setTokens(a.at(2), a.at(3));
    pf::network::PfApi api(&session);
    TransferQueue queue(&api, a.at(4));
    queue.setMaxRequests(1);
    QObject::connect(&queue, &TransferQueue::finished, &app,
                     [&](const QString &, TransferQueue::State state) {
                         app.exit(state == TransferQueue::State::Done ? 0 : 1);
                     });
    const auto target = TransferQueue::Target::dataset(a.at(5).toLongLong());
    const QDir folder(a.at(6));
    if (a.size() == 8) {
        api.dataset(target.datasetId, [&](const pf::network::Reply<pf::api::Dataset> &r) {
            if (!r.ok())
                return app.exit(3);
            QList<TransferQueue::File> files;
            for (const pf::api::StoredFile &s : r.value.files) {
                TransferQueue::File f;
                f.remotePath = s.path;
                f.localPath = folder.filePath(s.path);
                f.size = s.size;
                files.append(f);
            }
            queue.download(target, r.value.name, files);
        });
        return app.exec();
    }
    QList<std::pair<QString, QString>> files;
    QDirIterator it(folder.path(), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        files.append({it.next(), folder.relativeFilePath(it.filePath())});
    queue.upload(target, folder.dirName(), files, QJsonObject{{QStringLiteral("active"), true}});
    return app.exec();
}
