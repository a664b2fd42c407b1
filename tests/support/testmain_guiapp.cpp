// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <gtest/gtest.h>

#include <QGuiApplication>

#include "tests/support/qtwarnings.h"

// The main of model test binaries: a QGuiApplication (icons, colours, fonts;
// no widgets, so it builds with the GUI switched off), offscreen unless
// QT_QPA_PLATFORM says otherwise, and the warning handler.
int main(int argc, char **argv)
{
    ::testing::InitGoogleTest(&argc, argv);
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    pf::test::installQtWarningHandler();
    return RUN_ALL_TESTS();
}
