// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "transferspanel.h"

#include <QApplication>
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDesktopServices>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

#include "models/humanize.h"

using namespace Qt::StringLiterals;

namespace pf::ui {

using network::TransferQueue;

namespace {

QString s_lastNotification;
int s_longTransferMs = 10000;

// A desktop notification through the freedesktop D-Bus service; without a
// session bus (a bare X server, CI), nothing is shown.
void notifyDesktop(const QString &title, const QString &body)
{
    s_lastNotification = title + u'\n' + body;
    QDBusMessage m = QDBusMessage::createMethodCall(
        QStringLiteral("org.freedesktop.Notifications"),
        QStringLiteral("/org/freedesktop/Notifications"),
        QStringLiteral("org.freedesktop.Notifications"), QStringLiteral("Notify"));
    m << QCoreApplication::applicationName() << uint(0) << QStringLiteral("folder-download")
      << title << body << QStringList() << QVariantMap() << -1;
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (bus.isConnected())
        bus.send(m); // the answer (an id) is not needed
}

// The Progress column as a progress bar.
class ProgressDelegate final : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override
    {
        QStyleOptionProgressBar bar;
        bar.rect = option.rect.adjusted(2, 3, -2, -3);
        bar.minimum = 0;
        bar.maximum = 100;
        bar.progress = index.data(models::TransfersModel::ProgressRole).toInt();
        bar.text = index.data().toString();
        bar.textVisible = true;
        bar.state = option.state | QStyle::State_Horizontal;
        bar.palette = option.palette;
        QApplication::style()->drawControl(QStyle::CE_ProgressBar, &bar, painter);
    }
};

} // namespace

TransfersPanel::TransfersPanel(QWidget *parent)
    : QWidget(parent)
    , m_model(new models::TransfersModel(this))
    , m_view(new QTableView(this))
    , m_pause(new QPushButton(tr("Pause"), this))
    , m_resume(new QPushButton(tr("Resume"), this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_remove(new QPushButton(tr("Remove"), this))
    , m_show(new QPushButton(tr("Show Files"), this))
    , m_concurrency(new QSpinBox(this))
{
    setObjectName(QStringLiteral("transfersPanel"));
    m_clock.start();
    m_view->setModel(m_model);
    m_view->setItemDelegateForColumn(models::TransfersModel::Progress,
                                     new ProgressDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSectionResizeMode(models::TransfersModel::Name,
                                                     QHeaderView::Stretch);
    m_view->setColumnWidth(models::TransfersModel::Progress, 140);
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 10);
    for (const int c : {models::TransfersModel::Files, models::TransfersModel::Size,
                        models::TransfersModel::Speed, models::TransfersModel::TimeLeft})
        m_view->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    m_remove->setToolTip(tr("Forget a finished, failed or cancelled transfer"));
    m_show->setToolTip(tr("Open the folder the files were downloaded to"));
    m_concurrency->setObjectName(QStringLiteral("concurrency"));
    m_concurrency->setRange(1, 16);
    m_concurrency->setValue(QSettings().value(QStringLiteral("transfers/maxRequests"), 4).toInt());
    m_concurrency->setToolTip(tr("Files and parts sent or fetched at the same time"));
    auto *concurrencyLabel = new QLabel(tr("At once:"), this);
    concurrencyLabel->setBuddy(m_concurrency);

    auto *buttons = new QHBoxLayout;
    buttons->setContentsMargins(6, 0, 6, 0);
    for (QPushButton *b : {m_pause, m_resume, m_cancel, m_remove, m_show})
        buttons->addWidget(b);
    buttons->addStretch(1);
    buttons->addWidget(concurrencyLabel);
    buttons->addWidget(m_concurrency);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addLayout(buttons);
    layout->addWidget(m_view, 1);

    const auto act = [this](void (TransferQueue::*f)(const QString &)) {
        if (TransferQueue *q = m_model->queue(); q && !currentId().isEmpty())
            (q->*f)(currentId());
        updateButtons();
    };
    connect(m_pause, &QPushButton::clicked, this, [act] { act(&TransferQueue::pause); });
    connect(m_resume, &QPushButton::clicked, this, [act] { act(&TransferQueue::resume); });
    connect(m_cancel, &QPushButton::clicked, this, [act] { act(&TransferQueue::cancel); });
    connect(m_remove, &QPushButton::clicked, this, [act] { act(&TransferQueue::remove); });
    connect(m_show, &QPushButton::clicked, this, [this] {
        const TransferQueue *q = m_model->queue();
        const TransferQueue::Transfer *t = q ? q->transfer(currentId()) : nullptr;
        if (t && t->download && !t->files.isEmpty())
            QDesktopServices::openUrl(
                QUrl::fromLocalFile(QFileInfo(t->files.first().localPath).path()));
    });
    connect(m_concurrency, &QSpinBox::valueChanged, this, [this](int n) {
        QSettings().setValue(QStringLiteral("transfers/maxRequests"), n);
        if (TransferQueue *q = m_model->queue())
            q->setMaxRequests(n);
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &TransfersPanel::updateButtons);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &TransfersPanel::updateButtons);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &, int row) {
        m_view->selectRow(row); // the newest transfer is the one a user looks for
    });
    updateButtons();
}

void TransfersPanel::setQueue(TransferQueue *queue)
{
    disconnect(m_finished);
    disconnect(m_failed);
    m_model->setQueue(queue);
    m_startedMs.clear();
    if (queue) {
        queue->setMaxRequests(m_concurrency->value());
        m_finished = connect(queue, &TransferQueue::finished, this,
                             [this](const QString &id, TransferQueue::State state) {
                                 if (state == TransferQueue::State::Done)
                                     transferEnded(id, tr("finished"));
                             });
        m_failed = connect(queue, &TransferQueue::failed, this,
                           [this](const QString &id, const QString &reason) {
                               transferEnded(id, tr("stopped: %1").arg(reason));
                           });
    }
    updateButtons();
}

QString TransfersPanel::lastNotification()
{
    return s_lastNotification;
}

void TransfersPanel::setLongTransferMs(int ms)
{
    s_longTransferMs = ms;
}

void TransfersPanel::transferEnded(const QString &id, const QString &how)
{
    const TransferQueue *q = m_model->queue();
    const TransferQueue::Transfer *t = q ? q->transfer(id) : nullptr;
    const qint64 started = m_startedMs.take(id);
    if (!t || m_clock.elapsed() - started < s_longTransferMs)
        return;
    const QString what =
        t->download ? tr("Download of %1").arg(t->title) : tr("Upload of %1").arg(t->title);
    notifyDesktop(
        u"%1 %2"_s.arg(what, how),
        tr("%1 files, %2").arg(t->files.size()).arg(models::formatBytes(t->totalBytes())));
}

QString TransfersPanel::currentId() const
{
    return m_model->idAt(m_view->currentIndex().row());
}

void TransfersPanel::updateButtons()
{
    // The start of each running transfer, for the notification at its end.
    if (const TransferQueue *q = m_model->queue())
        for (const TransferQueue::Transfer &x : q->transfers())
            if (x.state == TransferQueue::State::Running && !m_startedMs.contains(x.id))
                m_startedMs.insert(x.id, m_clock.elapsed());
    const TransferQueue *q = m_model->queue();
    const TransferQueue::Transfer *t = q ? q->transfer(currentId()) : nullptr;
    const auto state = t ? t->state : TransferQueue::State::Done;
    m_pause->setEnabled(t && state == TransferQueue::State::Running);
    m_resume->setEnabled(
        t && (state == TransferQueue::State::Paused || state == TransferQueue::State::Failed));
    m_cancel->setEnabled(t && (state == TransferQueue::State::Running ||
                               state == TransferQueue::State::Paused ||
                               state == TransferQueue::State::Failed));
    m_remove->setEnabled(t && !m_cancel->isEnabled());
    // Paused by a failure: what Resume does is try again.
    m_resume->setText(t && state == TransferQueue::State::Paused && !t->reason.isEmpty()
                          ? tr("Retry")
                          : tr("Resume"));
    QString cancelTip = tr("Stop, and remove what was sent from the server");
    if (t && t->download)
        cancelTip = tr("Stop, and delete the files not yet complete");
    else if (t && !t->deleteTargetOnCancel)
        cancelTip = tr("Stop; the files already sent stay");
    m_cancel->setToolTip(cancelTip);
    m_show->setVisible(t && t->download);
    m_show->setEnabled(t && t->download && state == TransferQueue::State::Done);
}

} // namespace pf::ui
