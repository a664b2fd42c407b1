// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QTreeView>

namespace pf::ui {

// The tree of a checkpoint form's files. Dragging selected rows out does not
// make a QDrag from the model: it emits dragRequested(), and the pane fetches
// the files and runs the drag itself (FormFileFetcher).
class FormFileTree final : public QTreeView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FormFileTree)

public:
    explicit FormFileTree(QWidget *parent = nullptr);
    ~FormFileTree() override;

Q_SIGNALS:
    // The user started dragging the selected rows; a handler may run
    // QDrag::exec() (the view is back in its normal state afterwards).
    void dragRequested();

protected:
    void startDrag(Qt::DropActions supportedActions) override;
};

} // namespace pf::ui
