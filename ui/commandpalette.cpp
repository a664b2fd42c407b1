// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "commandpalette.h"

#include <QKeyEvent>
#include <QLineEdit>
#include <QListWidget>
#include <QVBoxLayout>

namespace pf::ui {

namespace {

constexpr int kEntryRole = Qt::UserRole;

} // namespace

CommandPalette::CommandPalette(QWidget *parent)
    : QFrame(parent)
    , m_input(new QLineEdit(this))
    , m_list(new QListWidget(this))
{
    setObjectName(QStringLiteral("commandPalette"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Base);
    m_input->setObjectName(QStringLiteral("paletteInput"));
    m_input->setPlaceholderText(tr("Jump to a project, job or dataset, or run an action…"));
    m_list->setObjectName(QStringLiteral("paletteList"));
    m_list->setFrameShape(QFrame::NoFrame);
    m_list->setUniformItemSizes(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->addWidget(m_input);
    layout->addWidget(m_list);
    connect(m_input, &QLineEdit::textChanged, this, &CommandPalette::filter);
    connect(m_input, &QLineEdit::returnPressed, this,
            [this] { runRow(m_list->currentRow() >= 0 ? m_list->currentRow() : 0); });
    connect(m_list, &QListWidget::itemActivated, this,
            [this](QListWidgetItem *item) { runRow(m_list->row(item)); });
    m_input->installEventFilter(this);
    hide();
}

void CommandPalette::popup(QList<Entry> entries)
{
    m_entries = std::move(entries);
    const QWidget *host = parentWidget();
    const int width = qMin(640, host->width() - 40);
    setGeometry((host->width() - width) / 2, 60, width, qMin(420, host->height() - 100));
    m_input->clear();
    filter(QString());
    show();
    raise();
    m_input->setFocus();
}

int CommandPalette::visibleCount() const
{
    return m_list->count();
}

void CommandPalette::filter(const QString &text)
{
    const QStringList words = text.split(u' ', Qt::SkipEmptyParts);
    m_list->clear();
    for (int i = 0; i < m_entries.size(); ++i) {
        const Entry &e = m_entries.at(i);
        const QString haystack = e.kind + u' ' + e.text;
        const bool match = std::all_of(words.begin(), words.end(), [&](const QString &w) {
            return haystack.contains(w, Qt::CaseInsensitive);
        });
        if (!match)
            continue;
        QString label = e.text;
        if (!e.shortcut.isEmpty())
            label += QStringLiteral("    ") + e.shortcut;
        auto *item = new QListWidgetItem(QStringLiteral("%1  ·  %2").arg(e.kind, label), m_list);
        item->setData(kEntryRole, i);
    }
    m_list->setCurrentRow(0);
}

void CommandPalette::runRow(int row)
{
    QListWidgetItem *item = m_list->item(row);
    if (!item)
        return;
    const std::function<void()> run = m_entries.at(item->data(kEntryRole).toInt()).run;
    hide();
    if (run)
        run();
}

bool CommandPalette::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_input && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Escape) {
            hide();
            return true;
        }
        if (key->key() == Qt::Key_Down || key->key() == Qt::Key_Up) {
            const int step = key->key() == Qt::Key_Down ? 1 : -1;
            m_list->setCurrentRow(qBound(0, m_list->currentRow() + step, m_list->count() - 1));
            return true;
        }
    }
    return QFrame::eventFilter(watched, event);
}

} // namespace pf::ui
