// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "statepage.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace pf::ui {

StatePage::StatePage(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_hint(new QLabel(this))
    , m_button(new QPushButton(this))
{
    setObjectName(QStringLiteral("statePage"));
    m_title->setObjectName(QStringLiteral("stateTitle"));
    m_hint->setObjectName(QStringLiteral("stateHint"));
    m_button->setObjectName(QStringLiteral("stateAction"));
    QFont f = m_title->font();
    f.setPointSizeF(f.pointSizeF() * 1.35);
    f.setBold(true);
    m_title->setFont(f);
    m_title->setAlignment(Qt::AlignCenter);
    m_title->setWordWrap(true);
    m_hint->setAlignment(Qt::AlignCenter);
    m_hint->setWordWrap(true);
    m_hint->setForegroundRole(QPalette::PlaceholderText);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(48, 24, 48, 24);
    layout->addStretch(2);
    layout->addWidget(m_title);
    // No alignment flag here: an aligned label gets no height for its width,
    // and wrapped text is cut off.
    layout->addWidget(m_hint);
    layout->addSpacing(8);
    layout->addWidget(m_button, 0, Qt::AlignHCenter);
    layout->addStretch(3);
    connect(m_button, &QPushButton::clicked, this, [this] {
        if (m_isError)
            Q_EMIT retryRequested();
        else
            Q_EMIT actionTriggered();
    });
    m_button->hide();
}

void StatePage::showEmpty(const QString &title, const QString &hint, const QString &action)
{
    m_isError = false;
    m_title->setText(title);
    m_hint->setText(hint);
    m_button->setText(action);
    m_button->setVisible(!action.isEmpty());
}

void StatePage::showLoading(const QString &what)
{
    m_isError = false;
    m_title->setText(what);
    m_hint->clear();
    m_button->hide();
}

void StatePage::showError(const QString &message)
{
    m_isError = true;
    m_title->setText(tr("Something went wrong"));
    m_hint->setText(message);
    m_button->setText(tr("Retry"));
    m_button->show();
}

QString StatePage::title() const
{
    return m_title->text();
}

QString StatePage::hint() const
{
    return m_hint->text();
}

InlineMessage::InlineMessage(QWidget *parent)
    : QWidget(parent)
    , m_text(new QLabel(this))
{
    setObjectName(QStringLiteral("inlineMessage"));
    setAttribute(Qt::WA_StyledBackground);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *close = new QToolButton(this);
    close->setAutoRaise(true);
    close->setText(QStringLiteral("✕"));
    close->setToolTip(tr("Dismiss"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 6, 6);
    layout->addWidget(m_text, 1);
    layout->addWidget(close);
    connect(close, &QToolButton::clicked, this, &QWidget::hide);
    hide();
}

void InlineMessage::showError(const QString &message)
{
    show(message, true);
}

void InlineMessage::showInfo(const QString &message)
{
    show(message, false);
}

QString InlineMessage::text() const
{
    return m_text->text();
}

void InlineMessage::show(const QString &message, bool error)
{
    m_text->setText(message);
    // Tinted, so it reads in light and dark palettes alike.
    setStyleSheet(error ? QStringLiteral("#inlineMessage { background: rgba(179, 38, 30, 40); "
                                         "border: 1px solid rgba(179, 38, 30, 140); "
                                         "border-radius: 4px; }")
                        : QStringLiteral("#inlineMessage { background: rgba(26, 115, 232, 30); "
                                         "border: 1px solid rgba(26, 115, 232, 120); "
                                         "border-radius: 4px; }"));
    QWidget::show();
}

} // namespace pf::ui
