// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "progressdelegate.h"

#include <QApplication>
#include <QPainter>

#include "models/jobsmodel.h"
#include "ui/theme.h"

namespace pf::ui {

ProgressDelegate::ProgressDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{}

void ProgressDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                             const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    opt.text.clear();
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const double progress =
        std::clamp(index.data(models::JobsModel::ProgressRole).toDouble(), 0.0, 100.0);
    const auto status =
        api::SimplifiedStatus(index.data(models::JobsModel::SimplifiedStatusRole).toInt());
    const bool selected = opt.state & QStyle::State_Selected;
    const QColor textColor =
        opt.palette.color(selected ? QPalette::HighlightedText : QPalette::Text);

    const QRect area = opt.rect.adjusted(6, 0, -6, 0);
    const int textWidth = opt.fontMetrics.horizontalAdvance(QStringLiteral("100%")) + 4;
    const QRectF bar(area.left(), area.center().y() - 2.5,
                     std::max(0, area.width() - textWidth - 6), 5);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    QColor track = textColor;
    track.setAlphaF(0.15f);
    painter->setBrush(track);
    painter->drawRoundedRect(bar, 2.5, 2.5);
    if (progress > 0) {
        QRectF done = bar;
        done.setWidth(bar.width() * progress / 100.0);
        painter->setBrush(selected ? textColor : statusColor(status));
        painter->drawRoundedRect(done, 2.5, 2.5);
    }
    painter->setPen(textColor);
    painter->drawText(QRect(area.right() - textWidth, area.top(), textWidth, area.height()),
                      Qt::AlignRight | Qt::AlignVCenter, text);
    painter->restore();
}

QSize ProgressDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    s.setWidth(std::max(s.width(), 120));
    return s;
}

} // namespace pf::ui
