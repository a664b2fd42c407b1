// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "transfersmodel.h"

#include <QFileInfo>

#include "models/humanize.h"

using namespace Qt::StringLiterals;

namespace pf::models {

using network::TransferQueue;

namespace {

QString stateText(TransferQueue::State s)
{
    switch (s) {
    case TransferQueue::State::Running:
        return TransfersModel::tr("Sending");
    case TransferQueue::State::Paused:
        return TransfersModel::tr("Paused");
    case TransferQueue::State::Done:
        return TransfersModel::tr("Done");
    case TransferQueue::State::Failed:
        return TransfersModel::tr("Failed");
    case TransferQueue::State::Cancelled:
        return TransfersModel::tr("Cancelled");
    }
    return {};
}

} // namespace

TransfersModel::TransfersModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &TransfersModel::tick);
}

void TransfersModel::setQueue(TransferQueue *queue)
{
    if (m_queue)
        disconnect(m_queue, nullptr, this, nullptr);
    beginResetModel();
    m_queue = queue;
    m_ids.clear();
    if (queue) {
        for (const TransferQueue::Transfer &t : queue->transfers())
            m_ids << t.id;
        connect(queue, &TransferQueue::changed, this, &TransfersModel::sync);
    }
    endResetModel();
    tick();
}

int TransfersModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_ids.size());
}

int TransfersModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString TransfersModel::idAt(int row) const
{
    return row >= 0 && row < m_ids.size() ? m_ids.at(row) : QString();
}

QVariant TransfersModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Transfer");
    case Files:
        return tr("Files");
    case Progress:
        return tr("Progress");
    case Size:
        return tr("Size");
    case Speed:
        return tr("Speed");
    case TimeLeft:
        return tr("Time left");
    case State:
        return tr("State");
    default:
        return {};
    }
}

QVariant TransfersModel::data(const QModelIndex &index, int role) const
{
    if (!m_queue || !index.isValid() || index.row() >= m_ids.size())
        return {};
    const TransferQueue::Transfer *t = m_queue->transfer(m_ids.at(index.row()));
    if (!t)
        return {};
    const qint64 total = t->totalBytes();
    const qint64 done = t->bytesDone();
    const int percent = total > 0 ? int(done * 100 / total) : (t->filesDone() ? 100 : 0);
    const bool running = t->state == TransferQueue::State::Running;
    // The queue's speed is over every transfer: each running one shows it.
    const double speed = running ? m_queue->bytesPerSecond() : 0.0;
    if (role == ProgressRole)
        return percent;
    if (role == IdRole)
        return t->id;
    if (role == StateRole)
        return int(t->state);
    if (role == DownloadRole)
        return t->download;
    if (role == Qt::ToolTipRole) {
        if (!t->reason.isEmpty())
            return t->reason;
        if (index.column() == Name && t->download && !t->files.isEmpty())
            return tr("Download to %1").arg(QFileInfo(t->files.first().localPath).path());
        return {};
    }
    if (role == Qt::TextAlignmentRole && index.column() != Name && index.column() != State)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Name: // ↑ up to the server, ↓ down from it
        return QString((t->download ? u"\u2193 "_s : u"\u2191 "_s) + t->title);
    case Files:
        return tr("%1 of %2").arg(t->filesDone()).arg(t->files.size());
    case Progress:
        return QStringLiteral("%1%").arg(percent);
    case Size:
        return tr("%1 / %2").arg(formatBytes(done), formatBytes(total));
    case Speed:
        return running && speed > 0 ? tr("%1/s").arg(formatBytes(qint64(speed))) : QString();
    case TimeLeft:
        return running && speed > 0 ? formatDuration(qint64(double(total - done) / speed))
                                    : QString();
    case State:
        return t->state == TransferQueue::State::Paused && !t->reason.isEmpty()
                   ? tr("Paused: %1").arg(t->reason)
                   : stateText(t->state);
    default:
        return {};
    }
}

void TransfersModel::sync(const QString &id)
{
    const qsizetype row = m_ids.indexOf(id);
    if (row < 0) {
        if (!m_queue || !m_queue->transfer(id))
            return;
        beginInsertRows({}, int(m_ids.size()), int(m_ids.size()));
        m_ids << id;
        endInsertRows();
    } else if (m_queue && !m_queue->transfer(id)) {
        beginRemoveRows({}, int(row), int(row));
        m_ids.removeAt(row);
        endRemoveRows();
    } else {
        Q_EMIT dataChanged(index(int(row), 0), index(int(row), ColumnCount - 1));
    }
    tick();
}

void TransfersModel::tick()
{
    bool running = false;
    if (m_queue)
        for (const TransferQueue::Transfer &t : m_queue->transfers())
            running |= t.state == TransferQueue::State::Running;
    if (running && !m_tick.isActive())
        m_tick.start();
    else if (!running)
        m_tick.stop();
    if (!m_ids.isEmpty())
        Q_EMIT dataChanged(index(0, Speed), index(int(m_ids.size()) - 1, TimeLeft));
    Q_EMIT summaryChanged(summary());
}

std::pair<qint64, qint64> TransfersModel::runningBytes() const
{
    qint64 done = 0;
    qint64 total = 0;
    if (m_queue)
        for (const TransferQueue::Transfer &t : m_queue->transfers())
            if (t.state == TransferQueue::State::Running) {
                done += t.bytesDone();
                total += t.totalBytes();
            }
    return {done, total};
}

QString TransfersModel::summary() const
{
    const auto [done, total] = runningBytes();
    if (total <= 0)
        return {};
    bool up = false;
    bool down = false;
    for (const TransferQueue::Transfer &t : m_queue->transfers())
        if (t.state == TransferQueue::State::Running)
            (t.download ? down : up) = true;
    const QString what = up && down ? tr("Transferring")
                         : down     ? tr("Downloading")
                                    : tr("Uploading");
    const int percent = int(done * 100 / total);
    const double speed = m_queue->bytesPerSecond();
    return speed > 0 ? tr("%1 %2% · %3/s").arg(what).arg(percent).arg(formatBytes(qint64(speed)))
                     : tr("%1 %2%").arg(what).arg(percent);
}

} // namespace pf::models
