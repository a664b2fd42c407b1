// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QString>

class QWidget;

namespace pf::ui {

class Pane;

// The pane of each main-window section, by the section's index
// (MainWindow::Section), and the section's title.
Pane *createPane(int section, QWidget *parent);
QString sectionTitle(int section);

} // namespace pf::ui
