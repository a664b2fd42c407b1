// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QWidget>

#include "models/transfersmodel.h"

class QPushButton;
class QSpinBox;
class QTableView;

namespace pf::ui {

// The Transfers dock: every upload and download with its files, bytes,
// speed, time left and state (a pause or failure says why), and Pause,
// Resume (Retry after a failure), Cancel, Remove and, for a finished
// download, Show Files for the selected one; how many requests go at once
// (kept in QSettings, "transfers/maxRequests"). objectName "transfersPanel";
// the spin box "concurrency".
//
// A transfer that ran for longer than a while (longTransferMs(), 10 s) and
// ends, or pauses on a failure, is told to the desktop as a notification
// (org.freedesktop.Notifications), the window being likely elsewhere.
class TransfersPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TransfersPanel)

public:
    explicit TransfersPanel(QWidget *parent = nullptr);

    void setQueue(network::TransferQueue *queue);

    // The last desktop notification sent, "title\nbody" (tests).
    static QString lastNotification();
    static void setLongTransferMs(int ms);
    models::TransfersModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }

private:
    QString currentId() const;
    void updateButtons();
    void transferEnded(const QString &id, const QString &how);

    models::TransfersModel *m_model;
    QTableView *m_view;
    QPushButton *m_pause;
    QPushButton *m_resume;
    QPushButton *m_cancel;
    QPushButton *m_remove;
    QPushButton *m_show;
    QSpinBox *m_concurrency;
    QHash<QString, qint64> m_startedMs; // when each transfer was first seen running
    QElapsedTimer m_clock;
    QMetaObject::Connection m_finished;
    QMetaObject::Connection m_failed;
};

} // namespace pf::ui
