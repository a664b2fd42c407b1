// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "panes.h"

#include <QCoreApplication>
#include <QVBoxLayout>

#include "ui/checkpoints/checkpointspane.h"
#include "ui/credentials/credentialspane.h"
#include "ui/datasets/datasetspane.h"
#include "ui/experiments/experimentspane.h"
#include "ui/jobs/jobspane.h"
#include "ui/mainwindow.h"
#include "ui/members/memberspane.h"
#include "ui/pane.h"
#include "ui/vms/vmspane.h"
#include "ui/widgets/statepage.h"

namespace pf::ui {

namespace {

// A section whose pane has not landed yet: says so, honestly.
class PlaceholderPane final : public Pane
{
public:
    PlaceholderPane(const QString &title, QWidget *parent)
        : Pane(parent)
        , m_state(new StatePage(this))
    {
        auto *layout = new QVBoxLayout(this);
        layout->addWidget(m_state);
        m_state->showEmpty(title, QCoreApplication::translate("pf::ui::MainWindow",
                                                              "This section is not built yet."));
    }
    void setWorkspace(const models::Workspace &) override {}
    void refresh() override {}

private:
    StatePage *m_state;
};

} // namespace

QString sectionTitle(int section)
{
    static const char *const titles[MainWindow::SectionCount] = {
        QT_TRANSLATE_NOOP("pf::ui::MainWindow", "Jobs"),
        QT_TRANSLATE_NOOP("pf::ui::MainWindow", "Datasets"),
        QT_TRANSLATE_NOOP("pf::ui::MainWindow", "Checkpoints"),
        QT_TRANSLATE_NOOP("pf::ui::MainWindow", "Experiments"),
        QT_TRANSLATE_NOOP("pf::ui::MainWindow", "VMs"),
        QT_TRANSLATE_NOOP("pf::ui::MainWindow", "Credentials"),
        QT_TRANSLATE_NOOP("pf::ui::MainWindow", "Members"),
    };
    return QCoreApplication::translate("pf::ui::MainWindow", titles[section]);
}

Pane *createPane(int section, QWidget *parent)
{
    switch (section) {
    case MainWindow::Jobs:
        return new JobsPane(parent);
    case MainWindow::Datasets:
        return new DatasetsPane(parent);
    case MainWindow::Checkpoints:
        return new CheckpointsPane(parent);
    case MainWindow::Experiments:
        return new ExperimentsPane(parent);
    case MainWindow::Vms:
        return new VmsPane(parent);
    case MainWindow::Credentials:
        return new CredentialsPane(parent);
    case MainWindow::Members:
        return new MembersPane(parent);
    default:
        return new PlaceholderPane(sectionTitle(section), parent);
    }
}

} // namespace pf::ui
