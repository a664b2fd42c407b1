// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "statusdelegate.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>

#include "models/jobsmodel.h"
#include "ui/theme.h"

namespace pf::ui {

StatusDelegate::StatusDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{}

void StatusDelegate::paintGlyph(QPainter *painter, const QRectF &rect, api::SimplifiedStatus status,
                                const QColor &color)
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const qreal side = std::min(rect.width(), rect.height());
    const QRectF r(rect.center().x() - side / 2, rect.center().y() - side / 2, side, side);
    const QRectF inner = r.adjusted(1.5, 1.5, -1.5, -1.5);
    QPen pen(color, 1.6);
    pen.setCapStyle(Qt::RoundCap);
    pen.setJoinStyle(Qt::RoundJoin);
    painter->setPen(pen);
    painter->setBrush(Qt::NoBrush);
    switch (status) {
    case api::SimplifiedStatus::Waiting:
        painter->drawEllipse(inner);
        break;
    case api::SimplifiedStatus::Allocating:
    case api::SimplifiedStatus::Preparing: {
        painter->drawEllipse(inner);
        painter->setBrush(color);
        painter->drawPie(inner, 90 * 16,
                         status == api::SimplifiedStatus::Allocating ? 120 * 16 : 240 * 16);
        break;
    }
    case api::SimplifiedStatus::Running:
        painter->setBrush(color);
        painter->setPen(Qt::NoPen);
        painter->drawEllipse(inner);
        break;
    case api::SimplifiedStatus::Success: {
        QPainterPath tick;
        tick.moveTo(inner.left() + inner.width() * 0.12, inner.top() + inner.height() * 0.55);
        tick.lineTo(inner.left() + inner.width() * 0.40, inner.top() + inner.height() * 0.82);
        tick.lineTo(inner.left() + inner.width() * 0.90, inner.top() + inner.height() * 0.20);
        pen.setWidthF(2.0);
        painter->setPen(pen);
        painter->drawPath(tick);
        break;
    }
    case api::SimplifiedStatus::Failed: {
        pen.setWidthF(2.0);
        painter->setPen(pen);
        const QRectF x = inner.adjusted(1.5, 1.5, -1.5, -1.5);
        painter->drawLine(x.topLeft(), x.bottomRight());
        painter->drawLine(x.topRight(), x.bottomLeft());
        break;
    }
    case api::SimplifiedStatus::Stopping:
        painter->drawRect(inner.adjusted(1, 1, -1, -1));
        break;
    case api::SimplifiedStatus::Stopped:
        painter->setBrush(color);
        painter->setPen(Qt::NoPen);
        painter->drawRect(inner.adjusted(1, 1, -1, -1));
        break;
    }
    painter->restore();
}

void StatusDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                           const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    opt.text.clear();
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const auto status =
        api::SimplifiedStatus(index.data(models::JobsModel::SimplifiedStatusRole).toInt());
    const QColor color = statusColor(status);
    const bool selected = opt.state & QStyle::State_Selected;
    const QRect area = opt.rect.adjusted(6, 0, -4, 0);
    const int glyph = std::min(12, area.height() - 4);
    const QRectF glyphRect(area.left(), area.center().y() - glyph / 2.0 + 0.5, glyph, glyph);
    paintGlyph(painter, glyphRect, status,
               selected ? opt.palette.color(QPalette::HighlightedText) : color);
    painter->save();
    painter->setPen(selected ? opt.palette.color(QPalette::HighlightedText) : color);
    const QRect textRect = area.adjusted(glyph + 6, 0, 0, 0);
    painter->drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter,
                      opt.fontMetrics.elidedText(text, Qt::ElideRight, textRect.width()));
    painter->restore();
}

QSize StatusDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    s.rwidth() += 22;
    return s;
}

} // namespace pf::ui
