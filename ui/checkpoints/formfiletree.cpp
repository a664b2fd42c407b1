// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "formfiletree.h"

namespace pf::ui {

FormFileTree::FormFileTree(QWidget *parent)
    : QTreeView(parent)
{
    setDragEnabled(true);
    setDragDropMode(QAbstractItemView::DragOnly);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
}

FormFileTree::~FormFileTree() = default;

void FormFileTree::startDrag(Qt::DropActions supportedActions)
{
    Q_UNUSED(supportedActions);
    Q_EMIT dragRequested();
}

} // namespace pf::ui
