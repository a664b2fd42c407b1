// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <array>
#include <memory>

#include <QMainWindow>

#include "api/user.h"
#include "models/workspace.h"
#include "network/transferqueue.h"

class QComboBox;
class QDockWidget;
class QLabel;
class QListView;
class QListWidget;
class QSettings;
class QStackedWidget;
class QToolButton;

namespace pf::models {
class OrgsModel;
class ProjectsModel;
} // namespace pf::models

namespace pf::ui {

class Launcher;
class MetricsPanel;

class CommandPalette;
class Pane;
class TransfersPanel;

// The studio's main window: a sidebar (org switcher, the org's projects, the
// sections), one pane per section, the connection state in the status bar
// (with a banner when the server is lost, over content that stays as it
// was), and the command palette (Ctrl+K).
//
// setSession() hands it a signed-in API; it then loads the user's orgs and
// projects, opens the last org and project used with this server (kept in
// the given QSettings under `serverKey`), and gives every pane the workspace.
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

    // `api` must outlive the session (until clearSession() or destruction).
    void setSession(network::PfApi *api, const api::UserInfo &me, QSettings *settings,
                    const QString &serverKey);
    void clearSession();
    const models::Workspace &workspace() const { return m_workspace; }

    Pane *pane(Section section) const { return m_panes.at(section); }
    void selectSection(Section section);
    void selectOrg(const QString &orgId);
    void selectProject(const QString &projectId);
    void openCommandPalette();
    CommandPalette *commandPalette() const { return m_palette; }
    // File › New job (Ctrl+N): a launcher for the current project, starting
    // from `yaml` (a fresh job file when empty). It closes with the window.
    Launcher *openLauncher(const QString &yaml = {}, const QString &title = {});
    // Jobs › Compare: a window overlaying these jobs' metrics.
    MetricsPanel *openCompare(const QList<api::Job> &jobs);

Q_SIGNALS:
    // File › Connect…: the user wants another server or this computer.
    void connectRequested();
    void workspaceChanged(const pf::models::Workspace &workspace);

private:
    void buildMenus();
    QWidget *buildSidebar();
    void orgsLoaded();
    void orgChosen(int row);
    void projectsLoaded();
    void projectChosen(const QString &projectId);
    void publish(models::Workspace workspace);
    // The project in the title, and the running transfers' progress.
    void updateTitle();
    void createProject();
    void createOrg();
    void joinOrg();
    void rememberSelection();

    QComboBox *m_orgs = nullptr;
    QListView *m_projects = nullptr;
    QToolButton *m_newProject = nullptr;
    QLabel *m_projectsHint = nullptr;
    QListWidget *m_sidebar = nullptr;
    QStackedWidget *m_pages = nullptr;
    QLabel *m_banner = nullptr;
    QLabel *m_indicator = nullptr;
    QLabel *m_userLabel = nullptr;
    CommandPalette *m_palette = nullptr;
    std::array<Pane *, SectionCount> m_panes{};
    models::OrgsModel *m_orgModel = nullptr;
    models::ProjectsModel *m_projectModel = nullptr;
    Connection m_connection = Connection::Connecting;

    network::PfApi *m_api = nullptr;
    api::UserInfo m_me;
    QSettings *m_settings = nullptr;
    std::unique_ptr<network::TransferQueue> m_transfers;
    TransfersPanel *m_transfersPanel = nullptr;
    QDockWidget *m_transfersDock = nullptr;
    QLabel *m_transfersLabel = nullptr;
    QString m_serverKey;
    models::Workspace m_workspace;
    int m_projectGeneration = 0;
    QString m_pendingProject; // to select once the list is reloaded
};

} // namespace pf::ui
