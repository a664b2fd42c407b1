// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QAbstractTableModel>
#include <QPointer>
#include <QStringList>
#include <QTimer>

#include "network/transferqueue.h"

namespace pf::models {

// The transfers of a TransferQueue as a table, newest last: name (with ↑ for
// an upload, ↓ for a download: DownloadRole), files
// done of total, progress (ProgressRole: 0-100), bytes, speed, time left,
// state (with the reason of a pause or failure as its tooltip). Speed and
// time left are refreshed once a second while something runs.
class TransfersModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TransfersModel)

public:
    enum Column { Name, Files, Progress, Size, Speed, TimeLeft, State, ColumnCount };
    enum Role { ProgressRole = Qt::UserRole + 1, IdRole, StateRole, DownloadRole };

    explicit TransfersModel(QObject *parent = nullptr);

    // The queue shown (null: none); it must outlive the model or be unset.
    void setQueue(network::TransferQueue *queue);
    network::TransferQueue *queue() const { return m_queue; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    QString idAt(int row) const;

    // Every running transfer together: bytes done and total, and a line for
    // the status bar ("" when nothing runs).
    // {done, total}
    std::pair<qint64, qint64> runningBytes() const;
    QString summary() const;

Q_SIGNALS:
    void summaryChanged(const QString &summary);

private:
    void sync(const QString &id);
    void tick();

    QPointer<network::TransferQueue> m_queue;
    QStringList m_ids;
    QTimer m_tick;
};

} // namespace pf::models
