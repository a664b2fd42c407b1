// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QColor>

#include "api/jobstatus.h"

namespace pf::ui {

// The studio follows the system palette. For screenshots and tests, and on
// platforms without one (offscreen), applyTheme() sets Fusion with a light or
// dark palette of its own.
enum class Theme { System, Light, Dark };
void applyTheme(Theme theme);
// True when the application's window colour is dark.
bool isDark();

// The colour of a simplified job status, readable on the current palette.
QColor statusColor(api::SimplifiedStatus status);

} // namespace pf::ui
