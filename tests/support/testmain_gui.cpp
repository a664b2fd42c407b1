// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <gtest/gtest.h>

#include <QApplication>

#include "tests/support/qtwarnings.h"

// The main of GUI test binaries: a QApplication (run them with
// QT_QPA_PLATFORM=offscreen) and the warning handler.
int main(int argc, char **argv)
{
    ::testing::InitGoogleTest(&argc, argv);
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    pf::test::installQtWarningHandler();
    return RUN_ALL_TESTS();
}
