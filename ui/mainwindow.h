// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QMainWindow>

class QLabel;
class QListWidget;
class QStackedWidget;

namespace pf::ui {

// The studio's main window: the sidebar of sections, one page per section,
// and the connection state in the status bar (with a banner when the server
// is lost). Sections fill in as their panes land.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    enum class Connection { Connecting, Connected, Failed };
    Q_ENUM(Connection)

    // Section order in the sidebar; SectionCount is the sentinel.
    enum Section {
        Jobs,
        Datasets,
        Checkpoints,
        Experiments,
        Vms,
        Credentials,
        Members,
        SectionCount
    };

    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    void setConnection(Connection state, const QString &message);
    Connection connection() const { return m_connection; }

private:
    QWidget *emptyPage(const QString &title, const QString &text);

    QListWidget *m_sidebar = nullptr;
    QStackedWidget *m_pages = nullptr;
    QLabel *m_banner = nullptr;
    QLabel *m_indicator = nullptr;
    Connection m_connection = Connection::Connecting;
};

} // namespace pf::ui
