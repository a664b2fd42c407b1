// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <gtest/gtest.h>

#include <QLabel>
#include <QListWidget>
#include <QStackedWidget>

#include "ui/mainwindow.h"

using pf::ui::MainWindow;

TEST(MainWindow, SidebarListsEverySectionAndSwitchesPages)
{
    MainWindow w;
    auto *sidebar = w.findChild<QListWidget *>(QStringLiteral("sidebar"));
    auto *pages = w.findChild<QStackedWidget *>(QStringLiteral("pages"));
    ASSERT_NE(sidebar, nullptr);
    ASSERT_NE(pages, nullptr);
    ASSERT_EQ(sidebar->count(), MainWindow::SectionCount);
    EXPECT_EQ(sidebar->item(MainWindow::Jobs)->text(), QStringLiteral("Jobs"));
    EXPECT_EQ(sidebar->item(MainWindow::Members)->text(), QStringLiteral("Members"));
    EXPECT_EQ(pages->count(), MainWindow::SectionCount);
    sidebar->setCurrentRow(MainWindow::Credentials);
    EXPECT_EQ(pages->currentIndex(), int(MainWindow::Credentials));
}

TEST(MainWindow, LostServerShowsBannerAndIndicator)
{
    MainWindow w;
    w.show();
    auto *banner = w.findChild<QLabel *>(QStringLiteral("connectionBanner"));
    auto *indicator = w.findChild<QLabel *>(QStringLiteral("connectionIndicator"));
    ASSERT_NE(banner, nullptr);
    ASSERT_NE(indicator, nullptr);
    EXPECT_FALSE(banner->isVisible());

    w.setConnection(MainWindow::Connection::Failed,
                    QStringLiteral("The local server stopped <1>."));
    EXPECT_TRUE(banner->isVisible());
    EXPECT_EQ(banner->text(), QStringLiteral("The local server stopped <1>."));
    // Rich text in the indicator, so the message must be escaped there.
    EXPECT_TRUE(indicator->text().contains(QStringLiteral("stopped &lt;1&gt;.")));

    w.setConnection(MainWindow::Connection::Connected,
                    QStringLiteral("Local server · 127.0.0.1:1234"));
    EXPECT_FALSE(banner->isVisible());
    EXPECT_EQ(w.connection(), MainWindow::Connection::Connected);
    EXPECT_TRUE(indicator->text().contains(QStringLiteral("127.0.0.1:1234")));
}
