// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QStyledItemDelegate>

namespace pf::ui {

// Draws a VmsModel cell as "n of quota" with a bar beside it: the share of
// the quota in use (Kind::Used; red when full) or still free
// (Kind::Available). Colours come from the theme, so it reads in light and
// dark palettes.
class QuotaBarDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QuotaBarDelegate)

public:
    enum class Kind { Used, Available };

    explicit QuotaBarDelegate(Kind kind, QObject *parent = nullptr);
    ~QuotaBarDelegate() override;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    Kind m_kind;
};

} // namespace pf::ui
