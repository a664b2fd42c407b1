// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "mainwindow.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QStackedWidget>
#include <QStatusBar>
#include <QVBoxLayout>

namespace pf::ui {

namespace {

struct SectionInfo
{
    const char *title;
    const char *empty;
};

// Indexed by MainWindow::Section.
const SectionInfo kSections[MainWindow::SectionCount] = {
    {QT_TRANSLATE_NOOP("MainWindow", "Jobs"),
     QT_TRANSLATE_NOOP("MainWindow", "Training jobs of the project, with their logs and metrics.")},
    {QT_TRANSLATE_NOOP("MainWindow", "Datasets"),
     QT_TRANSLATE_NOOP("MainWindow",
                       "Datasets stored on the server or linked from cloud storage.")},
    {QT_TRANSLATE_NOOP("MainWindow", "Checkpoints"),
     QT_TRANSLATE_NOOP("MainWindow", "Checkpoints saved by jobs or uploaded by hand.")},
    {QT_TRANSLATE_NOOP("MainWindow", "Experiments"),
     QT_TRANSLATE_NOOP("MainWindow", "Experiments group related jobs.")},
    {QT_TRANSLATE_NOOP("MainWindow", "VMs"),
     QT_TRANSLATE_NOOP("MainWindow", "Machine types, quotas and what is in use.")},
    {QT_TRANSLATE_NOOP("MainWindow", "Credentials"),
     QT_TRANSLATE_NOOP("MainWindow", "Keys for registries, cloud storage and plugins.")},
    {QT_TRANSLATE_NOOP("MainWindow", "Members"),
     QT_TRANSLATE_NOOP("MainWindow", "People in the project and their roles.")},
};

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("PeriFlow Studio"));
    resize(1100, 700);

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

    m_sidebar = new QListWidget(central);
    m_sidebar->setObjectName(QStringLiteral("sidebar"));
    m_sidebar->setFixedWidth(200);
    m_sidebar->setFrameShape(QFrame::NoFrame);
    // Palette roles, not colours, so that a dark theme carries over.
    m_sidebar->setStyleSheet(QStringLiteral(
        "QListWidget#sidebar { border: none; outline: 0; padding: 10px 8px; background: "
        "palette(base); }"
        "QListWidget#sidebar::item { padding: 6px 8px; border-radius: 4px; color: palette(text); }"
        "QListWidget#sidebar::item:selected { background: palette(highlight); color: "
        "palette(highlighted-text); }"
        "QListWidget#sidebar::item:hover:!selected { background: palette(alternate-base); }"));
    m_pages = new QStackedWidget(central);
    m_pages->setObjectName(QStringLiteral("pages"));
    for (const SectionInfo &s : kSections) {
        new QListWidgetItem(tr(s.title), m_sidebar);
        m_pages->addWidget(emptyPage(tr(s.title), tr(s.empty)));
    }
    body->addWidget(m_sidebar);
    body->addWidget(m_pages, 1);
    connect(m_sidebar, &QListWidget::currentRowChanged, m_pages, &QStackedWidget::setCurrentIndex);
    m_sidebar->setCurrentRow(Jobs);
    setCentralWidget(central);

    m_indicator = new QLabel(this);
    m_indicator->setObjectName(QStringLiteral("connectionIndicator"));
    statusBar()->addPermanentWidget(m_indicator);
    setConnection(Connection::Connecting, tr("Connecting…"));
}

MainWindow::~MainWindow() = default;

QWidget *MainWindow::emptyPage(const QString &title, const QString &text)
{
    auto *page = new QWidget(m_pages);
    auto *layout = new QVBoxLayout(page);
    layout->addStretch(2);
    auto *heading = new QLabel(title, page);
    QFont f = heading->font();
    f.setPointSizeF(f.pointSizeF() * 1.5);
    f.setBold(true);
    heading->setFont(f);
    heading->setAlignment(Qt::AlignCenter);
    auto *hint = new QLabel(text, page);
    hint->setAlignment(Qt::AlignCenter);
    hint->setWordWrap(true);
    hint->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(heading);
    layout->addWidget(hint);
    layout->addStretch(3);
    return page;
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
        colour = QStringLiteral("#b3261e");
        break;
    }
    m_indicator->setText(QStringLiteral("<span style=\"color:%1\">●</span> %2")
                             .arg(colour, message.toHtmlEscaped()));
    m_indicator->setToolTip(message);
    m_banner->setText(message);
    m_banner->setVisible(state == Connection::Failed);
}

} // namespace pf::ui
