// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "mainwindow.h"

#include <QApplication>
#include <QComboBox>
#include <QCryptographicHash>
#include <QDockWidget>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QListView>
#include <QListWidget>
#include <QLoggingCategory>
#include <QMenuBar>
#include <QRegularExpression>
#include <QSettings>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include "models/orgprojectmodels.h"
#include "ui/checkpoints/formfilefetcher.h"
#include "ui/commandpalette.h"
#include "ui/jobs/jobspane.h"
#include "ui/launcher/launchcatalog.h"
#include "ui/launcher/launcher.h"
#include "ui/metrics/metricspanel.h"
#include "ui/pane.h"
#include "ui/panes.h"
#include "ui/transfers/transferspanel.h"
#include "ui/widgets/messagebox.h"

Q_LOGGING_CATEGORY(lcWindow, "pf.ui.window")

namespace pf::ui {

namespace {

QString settingsKey(const QString &serverKey, const char *what)
{
    // QSettings treats '/' as a group separator; server keys hold URLs.
    QString key = serverKey;
    key.replace(u'/', u'_');
    return QStringLiteral("workspaces/%1/%2").arg(key, QLatin1StringView(what));
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_orgModel(new models::OrgsModel(this))
    , m_projectModel(new models::ProjectsModel(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("PeriFlow Studio"));
    resize(1280, 780);

    auto *central = new QWidget(this);
    auto *outer = new QVBoxLayout(central);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->setSpacing(0);

    m_banner = new QLabel(central);
    m_banner->setObjectName(QStringLiteral("connectionBanner"));
    m_banner->setWordWrap(true);
    m_banner->setContentsMargins(12, 8, 12, 8);
    m_banner->setStyleSheet(QStringLiteral("background: #b3261e; color: white;"));
    m_banner->hide();
    outer->addWidget(m_banner);

    auto *body = new QHBoxLayout;
    body->setContentsMargins(0, 0, 0, 0);
    body->setSpacing(0);
    outer->addLayout(body, 1);

    m_pages = new QStackedWidget(central);
    m_pages->setObjectName(QStringLiteral("pages"));
    body->addWidget(buildSidebar());
    body->addWidget(m_pages, 1);
    for (int s = 0; s < SectionCount; ++s) {
        Pane *pane = createPane(s, m_pages);
        m_panes[size_t(s)] = pane;
        m_pages->addWidget(pane);
        connect(pane, &Pane::statusMessage, this,
                [this](const QString &m) { statusBar()->showMessage(m, 8000); });
    }
    if (auto *jobs = qobject_cast<JobsPane *>(m_panes[Jobs])) {
        connect(jobs, &JobsPane::newJobRequested, this, [this] { openLauncher(); });
        connect(jobs, &JobsPane::cloneRequested, this, [this](const api::Job &job) {
            openLauncher(Launcher::cloneYaml(job), tr("Clone of #%1").arg(job.number));
        });
        connect(jobs, &JobsPane::compareRequested, this, &MainWindow::openCompare);
    }
    connect(m_sidebar, &QListWidget::currentRowChanged, m_pages, &QStackedWidget::setCurrentIndex);
    m_sidebar->setCurrentRow(Jobs);
    setCentralWidget(central);

    m_palette = new CommandPalette(central);

    m_userLabel = new QLabel(this);
    m_userLabel->setObjectName(QStringLiteral("userLabel"));
    statusBar()->addPermanentWidget(m_userLabel);
    m_indicator = new QLabel(this);
    m_indicator->setObjectName(QStringLiteral("connectionIndicator"));
    statusBar()->addPermanentWidget(m_indicator);
    m_transfersLabel = new QLabel(this);
    m_transfersLabel->setObjectName(QStringLiteral("transfersLabel"));
    statusBar()->addPermanentWidget(m_transfersLabel);
    m_transfersPanel = new TransfersPanel(this);
    m_transfersDock = new QDockWidget(tr("Transfers"), this);
    m_transfersDock->setObjectName(QStringLiteral("transfersDock"));
    m_transfersDock->setWidget(m_transfersPanel);
    addDockWidget(Qt::BottomDockWidgetArea, m_transfersDock);
    m_transfersDock->hide();
    connect(m_transfersPanel->model(), &models::TransfersModel::summaryChanged, this,
            [this](const QString &summary) {
                m_transfersLabel->setText(summary);
                updateTitle();
            });
    // A new transfer shows the dock.
    connect(m_transfersPanel->model(), &QAbstractItemModel::rowsInserted, m_transfersDock,
            &QWidget::show);
    buildMenus();
    // Copies of files dragged out of the checkpoint tree days ago.
    QTimer::singleShot(0, this, [] { FormFileFetcher::pruneDragCache(); });
    setConnection(Connection::Connecting, tr("Connecting…"));

    connect(m_orgModel, &models::OrgsModel::loaded, this, &MainWindow::orgsLoaded);
    connect(m_orgModel, &models::OrgsModel::failed, this, [this](const QString &m) {
        statusBar()->showMessage(tr("Could not load your organizations: %1").arg(m));
    });
    connect(m_projectModel, &models::ProjectsModel::loaded, this, &MainWindow::projectsLoaded);
    connect(m_projectModel, &models::ProjectsModel::failed, this, [this](const QString &m) {
        m_projectsHint->setText(tr("Could not load the projects: %1").arg(m));
        m_projectsHint->show();
    });
}

MainWindow::~MainWindow() = default;

QWidget *MainWindow::buildSidebar()
{
    auto *panel = new QWidget(this);
    panel->setObjectName(QStringLiteral("sidebarPanel"));
    panel->setFixedWidth(228);
    panel->setAutoFillBackground(true);
    panel->setBackgroundRole(QPalette::Base);
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(10, 10, 10, 10);
    layout->setSpacing(6);

    m_orgs = new QComboBox(panel);
    m_orgs->setObjectName(QStringLiteral("orgSwitcher"));
    m_orgs->setModel(m_orgModel);
    m_orgs->setToolTip(tr("Organization"));
    connect(m_orgs, &QComboBox::activated, this, &MainWindow::orgChosen);

    auto *header = new QHBoxLayout;
    auto *projectsLabel = new QLabel(tr("PROJECTS"), panel);
    QFont small = projectsLabel->font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    small.setBold(true);
    projectsLabel->setFont(small);
    projectsLabel->setForegroundRole(QPalette::PlaceholderText);
    m_newProject = new QToolButton(panel);
    m_newProject->setObjectName(QStringLiteral("newProject"));
    m_newProject->setText(QStringLiteral("+"));
    m_newProject->setAutoRaise(true);
    m_newProject->setToolTip(tr("New project (Ctrl+Shift+N)"));
    connect(m_newProject, &QToolButton::clicked, this, &MainWindow::createProject);
    header->addWidget(projectsLabel);
    header->addStretch();
    header->addWidget(m_newProject);

    m_projects = new QListView(panel);
    m_projects->setObjectName(QStringLiteral("projectList"));
    m_projects->setModel(m_projectModel);
    m_projects->setFrameShape(QFrame::NoFrame);
    m_projects->setEditTriggers(QAbstractItemView::NoEditTriggers);
    connect(m_projects->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) {
                if (current.isValid())
                    projectChosen(current.data(models::ProjectsModel::IdRole).toString());
            });
    m_projectsHint = new QLabel(panel);
    m_projectsHint->setObjectName(QStringLiteral("projectsHint"));
    m_projectsHint->setWordWrap(true);
    m_projectsHint->setForegroundRole(QPalette::PlaceholderText);
    m_projectsHint->hide();

    auto *sectionsLabel = new QLabel(tr("SECTIONS"), panel);
    sectionsLabel->setFont(small);
    sectionsLabel->setForegroundRole(QPalette::PlaceholderText);
    m_sidebar = new QListWidget(panel);
    m_sidebar->setObjectName(QStringLiteral("sidebar"));
    m_sidebar->setFrameShape(QFrame::NoFrame);
    // Palette roles, not colours, so that a dark theme carries over.
    const QString listStyle = QStringLiteral(
        "QAbstractItemView { border: none; outline: 0; background: palette(base); }"
        "QAbstractItemView::item { padding: 5px 8px; border-radius: 4px; color: palette(text); }"
        "QAbstractItemView::item:selected { background: palette(highlight); color: "
        "palette(highlighted-text); }"
        "QAbstractItemView::item:hover:!selected { background: palette(alternate-base); }");
    m_sidebar->setStyleSheet(listStyle);
    m_projects->setStyleSheet(listStyle);
    for (int s = 0; s < SectionCount; ++s) {
        auto *item = new QListWidgetItem(sectionTitle(s), m_sidebar);
        item->setToolTip(tr("%1 (Ctrl+%2)").arg(sectionTitle(s)).arg(s + 1));
    }
    m_sidebar->setFixedHeight(SectionCount * (m_sidebar->sizeHintForRow(0) + 2) + 6);

    layout->addWidget(m_orgs);
    layout->addSpacing(6);
    layout->addLayout(header);
    layout->addWidget(m_projects, 1);
    layout->addWidget(m_projectsHint);
    layout->addSpacing(6);
    layout->addWidget(sectionsLabel);
    layout->addWidget(m_sidebar);
    return panel;
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *connectTo = file->addAction(tr("&Connect…"), this, &MainWindow::connectRequested);
    connectTo->setObjectName(QStringLiteral("actionConnect"));
    QAction *newOrg = file->addAction(tr("New &organization…"), this, &MainWindow::createOrg);
    newOrg->setObjectName(QStringLiteral("actionNewOrg"));
    QAction *join = file->addAction(tr("&Join an organization…"), this, &MainWindow::joinOrg);
    join->setObjectName(QStringLiteral("actionJoinOrg"));
    QAction *newProject =
        file->addAction(tr("New &project…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N), this,
                        &MainWindow::createProject);
    newProject->setObjectName(QStringLiteral("actionNewProject"));
    QAction *newJob =
        file->addAction(tr("New &job…"), QKeySequence::New, this, [this] { openLauncher(); });
    newJob->setObjectName(QStringLiteral("actionNewJob"));
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::closeAllWindows);

    QMenu *go = menuBar()->addMenu(tr("&Go"));
    QAction *palette = go->addAction(tr("Command palette…"), QKeySequence(Qt::CTRL | Qt::Key_K),
                                     this, &MainWindow::openCommandPalette);
    palette->setObjectName(QStringLiteral("actionPalette"));
    go->addSeparator();
    for (int s = 0; s < SectionCount; ++s) {
        go->addAction(sectionTitle(s), QKeySequence(Qt::CTRL | (Qt::Key_1 + s)), this,
                      [this, s] { selectSection(Section(s)); });
    }
    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *refresh = view->addAction(tr("&Refresh"), QKeySequence::Refresh, this, [this] {
        m_panes.at(size_t(m_pages->currentIndex()))->refresh();
    });
    refresh->setObjectName(QStringLiteral("actionRefresh"));
    QAction *transfers = m_transfersDock->toggleViewAction();
    transfers->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T));
    transfers->setObjectName(QStringLiteral("actionTransfers"));
    view->addAction(transfers);
}

MetricsPanel *MainWindow::openCompare(const QList<api::Job> &jobs)
{
    auto *panel = new MetricsPanel(this);
    panel->setWindowFlag(Qt::Window);
    panel->setAttribute(Qt::WA_DeleteOnClose);
    QStringList numbers;
    for (const api::Job &j : jobs)
        numbers << QStringLiteral("#%1").arg(j.number);
    panel->setWindowTitle(
        tr("Compare %1 — %2").arg(numbers.join(QStringLiteral(", ")), m_workspace.projectName));
    panel->resize(1280, 800);
    panel->setWorkspace(m_workspace);
    panel->setJobs(jobs);
    panel->show();
    return panel;
}

Launcher *MainWindow::openLauncher(const QString &yaml, const QString &title)
{
    auto *launcher = new Launcher(m_workspace, this);
    if (!yaml.isEmpty())
        launcher->setYaml(yaml, title);
    connect(launcher, &Launcher::submitted, this, [this](const api::Job &job) {
        selectSection(Jobs);
        if (auto *jobs = qobject_cast<JobsPane *>(pane(Jobs)))
            jobs->showNewJob(job);
    });
    // A launcher belongs to the project it was opened for.
    connect(this, &MainWindow::workspaceChanged, launcher, [launcher](const models::Workspace &ws) {
        if (ws.projectId != launcher->catalog()->workspace().projectId)
            launcher->setEnabled(false);
    });
    launcher->show();
    launcher->activateWindow();
    return launcher;
}

void MainWindow::setConnection(Connection state, const QString &message)
{
    m_connection = state;
    QString colour;
    switch (state) {
    case Connection::Connecting:
        colour = QStringLiteral("#c28b00");
        break;
    case Connection::Connected:
        colour = QStringLiteral("#1e8e3e");
        break;
    case Connection::Failed:
        colour = QStringLiteral("#d93025");
        break;
    }
    m_indicator->setText(QStringLiteral("<span style=\"color:%1\">●</span> %2")
                             .arg(colour, message.toHtmlEscaped()));
    m_indicator->setToolTip(message);
    m_banner->setText(message);
    m_banner->setVisible(state == Connection::Failed);
}

void MainWindow::setSession(network::PfApi *api, const api::UserInfo &me, QSettings *settings,
                            const QString &serverKey)
{
    m_api = api;
    m_me = me;
    m_settings = settings;
    m_serverKey = serverKey;
    m_userLabel->setText(me.name.isEmpty() ? me.username : me.name);
    m_userLabel->setToolTip(me.email);
    // Transfers are kept per server and user: they name that server's ids.
    const QString dir =
        QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) +
        QStringLiteral("/transfers/") +
        QString::fromLatin1(QCryptographicHash::hash((serverKey + u'\n' + me.userId()).toUtf8(),
                                                     QCryptographicHash::Sha1)
                                .toHex()
                                .left(16));
    m_transfersPanel->setQueue(nullptr);
    m_transfers = std::make_unique<network::TransferQueue>(api, dir);
    m_transfersPanel->setQueue(m_transfers.get());
    if (!m_transfers->transfers().isEmpty())
        m_transfersDock->show();
    m_orgModel->load(api, me.userId());
}

void MainWindow::clearSession()
{
    m_api = nullptr;
    m_transfersPanel->setQueue(nullptr);
    m_transfers.reset(); // what was under way goes on at the next sign-in
    m_orgModel->clear();
    m_projectModel->clear();
    m_userLabel->clear();
    publish({});
}

void MainWindow::orgsLoaded()
{
    if (m_orgModel->rowCount() == 0) {
        m_projectModel->clear();
        m_projectsHint->setText(tr("You are in no organization yet. Create one with File › New "
                                   "organization, or ask an owner to invite you."));
        m_projectsHint->show();
        publish({});
        return;
    }
    const QString last =
        m_settings ? m_settings->value(settingsKey(m_serverKey, "org")).toString() : QString();
    const int row = qMax(0, m_orgModel->rowOf(last));
    m_orgs->setCurrentIndex(row);
    orgChosen(row);
}

void MainWindow::selectOrg(const QString &orgId)
{
    const int row = m_orgModel->rowOf(orgId);
    if (row < 0)
        return;
    m_orgs->setCurrentIndex(row);
    orgChosen(row);
}

void MainWindow::orgChosen(int row)
{
    if (!m_api || row < 0 || row >= m_orgModel->rowCount())
        return;
    const api::UserOrg &org = m_orgModel->at(row);
    models::Workspace w;
    w.api = m_api;
    w.userId = m_me.userId();
    w.username = m_me.username;
    w.orgId = org.id;
    w.orgName = org.name;
    w.orgRole = org.privilegeLevel;
    m_workspace = w; // no project until the list is in
    m_newProject->setEnabled(w.isOrgOwner());
    m_projectsHint->hide();
    m_projectModel->load(m_api, w.userId, w.orgId);
}

void MainWindow::projectsLoaded()
{
    if (m_projectModel->rowCount() == 0) {
        m_projectsHint->setText(m_workspace.isOrgOwner()
                                    ? tr("No projects yet. Create one with +.")
                                    : tr("You are in no project of this organization yet. Ask "
                                         "an owner or a project admin to add you."));
        m_projectsHint->show();
        models::Workspace w = m_workspace;
        w.projectId.clear();
        publish(w);
        return;
    }
    m_projectsHint->hide();
    const QString wanted = m_pendingProject.isEmpty() && m_settings
                               ? m_settings->value(settingsKey(m_serverKey, "project")).toString()
                               : m_pendingProject;
    m_pendingProject.clear();
    const int row = qMax(0, m_projectModel->rowOf(wanted));
    m_projects->setCurrentIndex(m_projectModel->index(row));
    // currentChanged fires only on a change; make sure the workspace follows.
    projectChosen(m_projectModel->at(row).id);
}

void MainWindow::selectProject(const QString &projectId)
{
    const int row = m_projectModel->rowOf(projectId);
    if (row >= 0)
        m_projects->setCurrentIndex(m_projectModel->index(row));
}

void MainWindow::projectChosen(const QString &projectId)
{
    if (!m_api || projectId == m_workspace.projectId)
        return;
    const int row = m_projectModel->rowOf(projectId);
    if (row < 0)
        return;
    models::Workspace w = m_workspace;
    w.projectId = projectId;
    w.projectName = m_projectModel->at(row).name;
    const int generation = ++m_projectGeneration;
    if (w.isOrgOwner()) {
        w.projectRole = api::ProjectRole::Admin;
        publish(w);
        return;
    }
    m_api->projectMembership(
        w.userId, projectId,
        [this, w, generation](const network::Reply<api::ProjectMembership> &r) mutable {
            if (generation != m_projectGeneration)
                return;
            // Without a membership the server shows nothing anyway; guest
            // hides every action.
            w.projectRole = r.ok() ? r.value.accessLevel : api::ProjectRole::Guest;
            publish(w);
        });
}

void MainWindow::updateTitle()
{
    QString title =
        m_workspace.projectName.isEmpty()
            ? tr("PeriFlow Studio")
            : tr("%1 · %2 — PeriFlow Studio").arg(m_workspace.orgName, m_workspace.projectName);
    if (const auto [done, total] = m_transfersPanel->model()->runningBytes(); total > 0)
        title = tr("(%1%) %2").arg(done * 100 / total).arg(title);
    setWindowTitle(title);
}

void MainWindow::publish(models::Workspace workspace)
{
    m_workspace = std::move(workspace);
    if (m_workspace.api)
        m_workspace.transfers = m_transfers.get();
    updateTitle();
    rememberSelection();
    for (Pane *pane : m_panes)
        pane->setWorkspace(m_workspace);
    Q_EMIT workspaceChanged(m_workspace);
}

void MainWindow::rememberSelection()
{
    if (!m_settings || m_workspace.orgId.isEmpty())
        return;
    m_settings->setValue(settingsKey(m_serverKey, "org"), m_workspace.orgId);
    if (!m_workspace.projectId.isEmpty())
        m_settings->setValue(settingsKey(m_serverKey, "project"), m_workspace.projectId);
}

void MainWindow::selectSection(Section section)
{
    m_sidebar->setCurrentRow(section);
}

void MainWindow::createProject()
{
    if (!m_api || m_workspace.orgId.isEmpty())
        return;
    if (!m_workspace.isOrgOwner()) {
        statusBar()->showMessage(
            tr("Only an owner of %1 can create projects.").arg(m_workspace.orgName), 8000);
        return;
    }
    const std::optional<QString> name = MessageBox::askText(
        this, tr("New project"), tr("Name of the new project in %1:").arg(m_workspace.orgName));
    if (!name || name->trimmed().isEmpty())
        return;
    m_api->createProject(
        m_workspace.orgId, name->trimmed(), [this](const network::Reply<api::Project> &r) {
            if (!r.ok()) {
                MessageBox::error(this, tr("New project"), r.message());
                return;
            }
            m_pendingProject = r.value.id;
            m_projectModel->load(m_api, m_workspace.userId, m_workspace.orgId);
            statusBar()->showMessage(tr("Created project %1.").arg(r.value.name), 8000);
        });
}

void MainWindow::createOrg()
{
    if (!m_api)
        return;
    const std::optional<QString> name =
        MessageBox::askText(this, tr("New organization"), tr("Name of the new organization:"));
    if (!name || name->trimmed().isEmpty())
        return;
    m_api->createOrg(name->trimmed(), [this](const network::Reply<api::Org> &r) {
        if (!r.ok()) {
            MessageBox::error(this, tr("New organization"), r.message());
            return;
        }
        if (m_settings)
            m_settings->setValue(settingsKey(m_serverKey, "org"), r.value.id);
        m_orgModel->load(m_api, m_me.userId());
    });
}

void MainWindow::joinOrg()
{
    if (!m_api)
        return;
    const std::optional<QString> code = MessageBox::askText(
        this, tr("Join an organization"),
        tr("Paste the invitation code an owner gave you (email_token=… key=…):"));
    if (!code)
        return;
    // "email_token=A key=B" as the invite dialog copies it, or "A B".
    static const QRegularExpression pair(
        QStringLiteral("^\\s*(?:email_token=)?(\\S+)\\s+(?:key=)?(\\S+)\\s*$"));
    const QRegularExpressionMatch m = pair.match(*code);
    if (!m.hasMatch()) {
        MessageBox::error(this, tr("Join an organization"),
                          tr("That is not an invitation code. It has two parts, email_token=… "
                             "and key=…"));
        return;
    }
    m_api->confirmOrgInvite(
        m.captured(1), m.captured(2), [this](const network::Reply<network::Empty> &r) {
            if (!r.ok()) {
                MessageBox::error(this, tr("Join an organization"), r.message());
                return;
            }
            statusBar()->showMessage(tr("You joined the organization."), 8000);
            m_orgModel->load(m_api, m_me.userId());
        });
}

void MainWindow::openCommandPalette()
{
    QList<CommandPalette::Entry> entries;
    for (int s = 0; s < SectionCount; ++s) {
        entries.append({sectionTitle(s), tr("Go to"),
                        QKeySequence(Qt::CTRL | (Qt::Key_1 + s)).toString(QKeySequence::NativeText),
                        [this, s] { selectSection(Section(s)); }});
    }
    for (int row = 0; row < m_projectModel->rowCount(); ++row) {
        const api::Project p = m_projectModel->at(row);
        entries.append({p.name, tr("Project"), {}, [this, id = p.id] { selectProject(id); }});
    }
    for (int s = 0; s < SectionCount; ++s) {
        Pane *pane = m_panes.at(size_t(s));
        for (const Pane::Item &item : pane->paletteItems()) {
            entries.append({item.text, sectionTitle(s), {}, [this, s, pane, key = item.key] {
                                selectSection(Section(s));
                                pane->openItem(key);
                            }});
        }
        for (QAction *action : pane->actions()) {
            if (!action->isEnabled() || action->text().isEmpty())
                continue;
            entries.append({action->text().remove(u'&'), sectionTitle(s),
                            action->shortcut().toString(QKeySequence::NativeText),
                            [this, s, action] {
                                selectSection(Section(s));
                                action->trigger();
                            }});
        }
    }
    for (QAction *menu : menuBar()->actions()) {
        for (QAction *action : menu->menu()->actions()) {
            if (action->isSeparator() || !action->isEnabled() ||
                action->objectName() == u"actionPalette")
                continue;
            entries.append({action->text().remove(u'&'), tr("Action"),
                            action->shortcut().toString(QKeySequence::NativeText),
                            [action] { action->trigger(); }});
        }
    }
    m_palette->popup(std::move(entries));
}

} // namespace pf::ui
