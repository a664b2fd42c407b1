// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QWidget>

#include "models/workspace.h"

namespace pf::ui {

// One section of the main window (Jobs, Datasets, ...). The main window hands
// every pane the current workspace when the user signs in or switches org or
// project, and calls refresh() on F5. A pane's actions (QWidget::actions())
// carry their shortcuts and appear in the command palette; a pane keeps them
// enabled only for roles that may use them.
class Pane : public QWidget
{
    Q_OBJECT

public:
    explicit Pane(QWidget *parent = nullptr)
        : QWidget(parent)
    {}

    // A workspace that is not valid() means signed out: clear, keep no data.
    virtual void setWorkspace(const models::Workspace &workspace) = 0;
    virtual void refresh() = 0;

    // Items the command palette can jump to ("job #12 my-run"), as
    // (text, key) pairs; openItem(key) shows one.
    struct Item
    {
        QString text;
        QString key;
    };
    virtual QList<Item> paletteItems() const { return {}; }
    virtual void openItem(const QString &key) { Q_UNUSED(key); }

Q_SIGNALS:
    // A short note for the status bar ("Deleted 3 jobs.").
    void statusMessage(const QString &message);
};

} // namespace pf::ui
