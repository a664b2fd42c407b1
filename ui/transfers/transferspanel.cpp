// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "transferspanel.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QPainter>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

namespace pf::ui {

using network::TransferQueue;

namespace {

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
{
    setObjectName(QStringLiteral("transfersPanel"));
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
    m_cancel->setToolTip(tr("Stop, and remove what was sent from the server"));

    auto *buttons = new QHBoxLayout;
    buttons->setContentsMargins(6, 0, 6, 0);
    for (QPushButton *b : {m_pause, m_resume, m_cancel, m_remove})
        buttons->addWidget(b);
    buttons->addStretch(1);
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
    m_model->setQueue(queue);
    updateButtons();
}

QString TransfersPanel::currentId() const
{
    return m_model->idAt(m_view->currentIndex().row());
}

void TransfersPanel::updateButtons()
{
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
}

} // namespace pf::ui
