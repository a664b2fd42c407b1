// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

// QScintilla's headers use the `signals` and `slots` keywords that this
// project switches off (QT_NO_KEYWORDS); they are mapped for these headers only.
#define signals Q_SIGNALS
#define slots Q_SLOTS
#include <Qsci/qscilexeryaml.h>
#include <Qsci/qsciscintilla.h>
#include <Qsci/qscistyle.h>
#undef signals
#undef slots
