// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "theme.h"

#include <QApplication>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

namespace pf::ui {

namespace {

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x31);
    const QColor base(0x1f, 0x21, 0x24);
    const QColor text(0xe8, 0xea, 0xed);
    const QColor dimmed(0x9a, 0xa0, 0xa6);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x28, 0x2a, 0x2e));
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, dimmed);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x35, 0x37, 0x3c));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Highlight, QColor(0x3b, 0x6e, 0xc9));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x8a, 0xb4, 0xf8));
    p.setColor(QPalette::Mid, QColor(0x45, 0x48, 0x4e));
    p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1b));
    p.setColor(QPalette::Light, QColor(0x4a, 0x4d, 0x53));
    p.setColor(QPalette::Disabled, QPalette::Text, dimmed);
    p.setColor(QPalette::Disabled, QPalette::WindowText, dimmed);
    p.setColor(QPalette::Disabled, QPalette::ButtonText, dimmed);
    return p;
}

} // namespace

void applyTheme(Theme theme)
{
    if (theme == Theme::System)
        return;
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication::setPalette(theme == Theme::Dark ? darkPalette()
                                                  : QApplication::style()->standardPalette());
}

bool isDark()
{
    return QApplication::palette().color(QPalette::Window).lightness() < 128;
}

QColor statusColor(api::SimplifiedStatus status)
{
    const bool dark = isDark();
    switch (status) {
    case api::SimplifiedStatus::Waiting:
        return dark ? QColor(0x9a, 0xa0, 0xa6) : QColor(0x5f, 0x63, 0x68);
    case api::SimplifiedStatus::Allocating:
    case api::SimplifiedStatus::Preparing:
        return dark ? QColor(0xfd, 0xd6, 0x63) : QColor(0xb0, 0x60, 0x00);
    case api::SimplifiedStatus::Running:
        return dark ? QColor(0x8a, 0xb4, 0xf8) : QColor(0x1a, 0x73, 0xe8);
    case api::SimplifiedStatus::Success:
        return dark ? QColor(0x81, 0xc9, 0x95) : QColor(0x1e, 0x8e, 0x3e);
    case api::SimplifiedStatus::Failed:
        return dark ? QColor(0xf2, 0x8b, 0x82) : QColor(0xc5, 0x22, 0x1f);
    case api::SimplifiedStatus::Stopping:
    case api::SimplifiedStatus::Stopped:
        return dark ? QColor(0xc5, 0x8a, 0xf9) : QColor(0x81, 0x39, 0xc9);
    }
    return {};
}

} // namespace pf::ui
