// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "housekeeper.h"

#include <chrono>

#include <QDateTime>
#include <QLoggingCategory>

#include "server/config.h"
#include "server/storage/objectkeys.h"
#include "server/storage/objectstore.h"
#include "server/store/checkpointrepo.h"
#include "server/store/database.h"

Q_LOGGING_CATEGORY(lcHousekeeper, "pf.storage.sweep")

namespace pf::server {

Housekeeper::Housekeeper(Database &db, ObjectStore &objects, const ServerConfig &config)
    : m_db(db)
    , m_objects(objects)
    , m_config(config)
{}

Housekeeper::~Housekeeper()
{
    stop();
}

void Housekeeper::start()
{
    m_thread = std::thread([this] { run(); });
}

void Housekeeper::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_cv.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void Housekeeper::sweep()
{
    if (const int uploads = m_objects.sweepUploads(m_config.storageUploadMaxAgeSecs))
        qCInfo(lcHousekeeper) << "aborted" << uploads << "unfinished multipart upload(s)";
    QSqlDatabase db = m_db.connection();
    CheckpointRepo checkpoints(db);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const CheckpointRecord &c : checkpoints.dueForHardDelete(now - RestoreWindowMs)) {
        if (c.vendor == u"fai")
            m_objects.removeAll(formObjects(c.projectId, c.formId));
        checkpoints.setHardDeleted(c.id, now);
        qCInfo(lcHousekeeper) << "removed the files of checkpoint" << c.id << "deleted on"
                              << QDateTime::fromMSecsSinceEpoch(c.deletedAtMs, Qt::UTC);
    }
}

void Housekeeper::run()
{
    for (;;) {
        try {
            sweep();
        } catch (const std::exception &e) {
            qCWarning(lcHousekeeper) << "storage sweep failed:" << e.what();
        }
        std::unique_lock lock(m_mutex);
        m_cv.wait_for(lock, std::chrono::seconds(m_config.storageSweepIntervalSecs),
                      [this] { return m_stopping; });
        if (m_stopping)
            break;
    }
    m_db.closeThisThread();
}

} // namespace pf::server
