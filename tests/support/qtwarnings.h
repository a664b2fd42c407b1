// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QString>

namespace pf::test {

// Installs a Qt message handler under which every qWarning/qCritical fails the
// running test. Tests that expect a warning wrap the code in ExpectQtWarning.
void installQtWarningHandler();

// While alive, warnings containing `fragment` are allowed (and counted).
class ExpectQtWarning
{
public:
    explicit ExpectQtWarning(QString fragment);
    ~ExpectQtWarning();
    ExpectQtWarning(const ExpectQtWarning &) = delete;
    ExpectQtWarning &operator=(const ExpectQtWarning &) = delete;
    int seen() const;
};

} // namespace pf::test
