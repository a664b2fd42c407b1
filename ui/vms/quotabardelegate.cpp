// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "quotabardelegate.h"

#include <QApplication>
#include <QPainter>

#include "models/vmsmodel.h"
#include "ui/theme.h"

namespace pf::ui {

namespace {
constexpr int kBarHeight = 8;
constexpr int kBarMinWidth = 60;
constexpr int kGap = 8;
} // namespace

QuotaBarDelegate::QuotaBarDelegate(Kind kind, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_kind(kind)
{}

QuotaBarDelegate::~QuotaBarDelegate() = default;

void QuotaBarDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                             const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget); // background, selection

    const int quota = index.data(models::VmsModel::QuotaRole).toInt();
    const int value = index
                          .data(m_kind == Kind::Used ? models::VmsModel::UsedRole
                                                     : models::VmsModel::AvailableRole)
                          .toInt();
    const QRect area = opt.rect.adjusted(6, 0, -6, 0);
    const QString label = tr("%1 of %2").arg(value).arg(quota);
    const QFontMetrics fm(opt.font);
    const int textWidth = fm.horizontalAdvance(tr("%1 of %2").arg(quota).arg(quota)) + 2;

    const bool selected = opt.state & QStyle::State_Selected;
    const QPalette::ColorGroup group =
        opt.state & QStyle::State_Enabled ? QPalette::Normal : QPalette::Disabled;
    QColor textColor =
        opt.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
    if (quota == 0 && !selected)
        textColor = opt.palette.color(group, QPalette::PlaceholderText);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(textColor);
    painter->setFont(opt.font);
    const QRect textRect(area.left(), area.top(), textWidth, area.height());
    painter->drawText(textRect, Qt::AlignVCenter | Qt::AlignRight,
                      quota == 0 ? tr("no quota") : label);

    const QRect barArea(textRect.right() + kGap, area.center().y() - kBarHeight / 2 + 1,
                        area.right() - textRect.right() - kGap, kBarHeight);
    if (barArea.width() >= 16) {
        QColor track = opt.palette.color(group, QPalette::WindowText);
        track.setAlpha(isDark() ? 50 : 35);
        painter->setPen(Qt::NoPen);
        painter->setBrush(track);
        painter->drawRoundedRect(barArea, kBarHeight / 2.0, kBarHeight / 2.0);
        if (quota > 0 && value > 0) {
            const double share = qBound(0.0, double(value) / quota, 1.0);
            QRect fill = barArea;
            fill.setWidth(qMax(kBarHeight, int(barArea.width() * share)));
            QColor colour;
            if (m_kind == Kind::Available)
                colour = statusColor(api::SimplifiedStatus::Success);
            else if (value >= quota)
                colour = statusColor(api::SimplifiedStatus::Failed);
            else
                colour = statusColor(api::SimplifiedStatus::Running);
            painter->setBrush(colour);
            painter->drawRoundedRect(fill, kBarHeight / 2.0, kBarHeight / 2.0);
        }
    }
    painter->restore();
}

QSize QuotaBarDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    const QFontMetrics fm(option.font);
    size.setWidth(fm.horizontalAdvance(tr("no quota")) + kGap + kBarMinWidth + 12);
    return size;
}

} // namespace pf::ui
