// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <gtest/gtest.h>

#include <QCoreApplication>

#include "tests/support/qtwarnings.h"

// The shared main of every test binary: a QCoreApplication (Qt Sql and Qt
// Network need one) and the warning handler that turns a Qt warning into a
// test failure.
int main(int argc, char **argv)
{
    ::testing::InitGoogleTest(&argc, argv);
    QCoreApplication app(argc, argv);
    pf::test::installQtWarningHandler();
    return RUN_ALL_TESTS();
}
