// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QStyledItemDelegate>

#include "api/jobstatus.h"

namespace pf::ui {

// Paints a job's simplified status (JobsModel::SimplifiedStatusRole) as a
// small glyph and its name, in the theme's status colour (statusColor()):
// a ring while waiting, a half-filled ring while allocating or preparing, a
// dot while running, a tick, a cross, or a square once stopping or stopped.
class StatusDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StatusDelegate)

public:
    explicit StatusDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // The glyph alone, in `rect`: also used by the filter chips and the detail.
    static void paintGlyph(QPainter *painter, const QRectF &rect, api::SimplifiedStatus status,
                           const QColor &color);
};

} // namespace pf::ui
