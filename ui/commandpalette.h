// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <functional>

#include <QFrame>

class QLineEdit;
class QListWidget;

namespace pf::ui {

// Ctrl+K: one line to jump to any project, job or dataset, or to run any
// action. Entries are given as text + what to do; typing filters them (every
// word must occur, in any order, case-insensitively); Enter runs the first
// or the selected one, Escape closes. objectNames "commandPalette",
// "paletteInput", "paletteList".
class CommandPalette final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CommandPalette)

public:
    struct Entry
    {
        QString text;
        QString kind; // "Project", "Job", "Action", ... shown on the right
        QString shortcut;
        std::function<void()> run;
    };

    explicit CommandPalette(QWidget *parent);

    // Shows the palette over the parent with these entries.
    void popup(QList<Entry> entries);
    int visibleCount() const;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void filter(const QString &text);
    void runRow(int row);

    QLineEdit *m_input;
    QListWidget *m_list;
    QList<Entry> m_entries;
};

} // namespace pf::ui
