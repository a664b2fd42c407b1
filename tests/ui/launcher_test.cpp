// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// The job launcher against a real pfd: the docs' template through the form
// with its comments and order kept, form → YAML → form, Submit following
// validity, the project's lists checked before sending, a server rejection
// placed on its line and field, a submitted job selected in the jobs pane,
// the workspace folder sent exactly as .pfignore says and refused over
// 100 MB, cloning, files; and screenshots, light and dark.

#include <gtest/gtest.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include "api/yamldocument.h"
#include "models/jobsmodel.h"
#include "tests/support/apiwait.h"
#include "tests/support/workspacefixture.h"
#include "ui/jobs/jobspane.h"
#include "ui/launcher/jobform.h"
#include "ui/launcher/launchcatalog.h"
#include "ui/launcher/launcher.h"
#include "ui/launcher/qsci.h"
#include "ui/launcher/yamleditor.h"
#include "ui/mainwindow.h"
#include "ui/theme.h"

using namespace Qt::StringLiterals;
using pf::test::child;
using pf::test::waitFor;
using pf::ui::JobForm;
using pf::ui::Launcher;
namespace api = pf::api;

namespace {

const QString kLauncherConfig = uR"(auth:
  password_hashing: minimal
  login_failures_per_user: 10000
  login_failures_per_address: 100000
vm_types:
  - {code: local-cpu-2c, devices_per_vm: 2, vcpu: 2, memory_gib: 4, max_vms: 4, default_quota: 2}
  - {code: big-gpu-8g, device_type: a100, devices_per_vm: 8, per_device_memory_gib: 80, vcpu: 96, memory_gib: 1024, max_vms: 2, default_quota: 0}
jobs:
  sandbox: none
)"_s;

QString readFile(const QString &path)
{
    QFile f(path);
    EXPECT_TRUE(f.open(QIODevice::ReadOnly)) << path.toStdString();
    return QString::fromUtf8(f.readAll());
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

// The docs' template (tests/api/data), which names a VM this server offers.
QString templateText()
{
    return readFile(QStringLiteral(PF_SOURCE_DIR "/tests/api/data/pf-template.yml"));
}

QStringList commentLines(const QString &yaml)
{
    QStringList out;
    for (const QString &line : yaml.split(u'\n'))
        if (line.trimmed().startsWith(u'#'))
            out << line;
    return out;
}

QJsonObject jsonOf(const QString &yaml)
{
    return api::YamlDocument::parse(yaml.toUtf8()).json().toObject();
}

// Picks the item holding `data`, as a user's click does (activated()).
void choose(QComboBox *combo, const QString &data)
{
    const int i = combo->findData(data);
    ASSERT_GE(i, 0) << data.toStdString();
    combo->setCurrentIndex(i);
    Q_EMIT combo->activated(i);
}

void typeInto(QLineEdit *edit, const QString &text)
{
    edit->setFocus();
    edit->selectAll();
    if (text.isEmpty())
        QTest::keyClick(edit, Qt::Key_Delete);
    else
        QTest::keyClicks(edit, text);
}

void typeInto(QPlainTextEdit *edit, const QString &text)
{
    edit->setFocus();
    edit->selectAll();
    if (text.isEmpty())
        QTest::keyClick(edit, Qt::Key_Delete);
    else
        edit->insertPlainText(text); // keyClicks would auto-indent nothing, but is slow
}

class LauncherTest : public pf::test::WorkspaceFixture
{
protected:
    LauncherTest()
        : WorkspaceFixture(u"launch"_s, u"p"_s, u"-org"_s)
    {}
    static void SetUpTestSuite()
    {
        QStandardPaths::setTestModeEnabled(true);
        startPfd(kLauncherConfig);
    }

    // A launcher whose lists have all arrived, its text checked.
    std::unique_ptr<Launcher> open()
    {
        auto l = std::make_unique<Launcher>(m_ws);
        l->resize(1280, 860);
        l->show();
        pf::ui::LaunchCatalog *c = l->catalog();
        EXPECT_TRUE(QTest::qWaitFor(
            [c] {
                return c->vms()->state() == pf::models::VmsModel::State::Loaded &&
                       c->experiments()->state() == pf::models::ExperimentsModel::State::Loaded &&
                       c->credentials()->state() == pf::models::CredentialsModel::State::Loaded &&
                       c->datasets()->state() == pf::models::DatasetsModel::State::Fetched &&
                       !c->userCheckpoints()->hasMore() && !c->jobCheckpoints()->hasMore();
            },
            10000));
        settle(l.get());
        return l;
    }

    // Waits for the check of the current text.
    static void settle(Launcher *l)
    {
        l->editor()->checkNow();
        EXPECT_TRUE(QTest::qWaitFor([l] { return l->editor()->isChecked(); }, 5000));
        QCoreApplication::processEvents();
    }

    static QStringList problemsShown(JobForm *form)
    {
        QStringList out;
        for (QLabel *label : form->findChildren<QLabel *>(u"problem"_s))
            if (!label->isHidden())
                out << label->text();
        return out;
    }

    static QString problemOf(JobForm *form, const QString &path)
    {
        QWidget *field = form->fieldFor(path);
        if (!field)
            return {};
        auto *label = field->parentWidget()->findChild<QLabel *>(u"problem"_s);
        return label && !label->isHidden() ? label->text() : QString();
    }

    // A valid spec for this server, as YAML.
    static QString validYaml(const QString &command = u"echo ready"_s)
    {
        return uR"(# A small job.
experiment: launcher-tests
name: quick
vm: local-cpu-2c
num_devices: 2
job_setting:
  type: custom
  docker:
    image: any
    command: %1
  workspace:
    mount_path: /workspace
)"_s.arg(command);
    }

    int jobCount()
    {
        const auto jobs = waitFor<api::Page<api::Job>>(
            [&](auto d) { m_api->jobs(m_ws.projectId, {}, {}, 50, d); });
        EXPECT_API_OK(jobs);
        return int(jobs.value.results.size());
    }
};

} // namespace

TEST_F(LauncherTest, TheTemplateRoundTripsThroughTheFormKeepingCommentsAndOrder)
{
    const auto l = open();
    const QString original = templateText();
    QTemporaryDir dir;
    const QString path = dir.filePath(u"pf-template.yml"_s);
    ASSERT_TRUE(writeFile(path, original.toUtf8()));
    ASSERT_TRUE(l->openFile(path));
    settle(l.get());
    JobForm *form = l->form();

    // The form shows the file, and showing it wrote nothing.
    EXPECT_EQ(child<QComboBox>(form, u"experiment"_s)->currentText(), u"computer-vision"_s);
    EXPECT_EQ(child<QLineEdit>(form, u"jobName"_s)->text(), u"cifar-job"_s);
    EXPECT_EQ(child<QComboBox>(form, u"vm"_s)->currentData().toString(), u"local-cpu-2c"_s);
    EXPECT_EQ(child<QSpinBox>(form, u"numDevices"_s)->value(), 2);
    EXPECT_EQ(child<QLineEdit>(form, u"image"_s)->text(), u"friendliai/periflow:sdk"_s);
    const QJsonObject json = jsonOf(original);
    const QString command = json[u"job_setting"_s][u"docker"_s][u"command"_s].toString();
    ASSERT_TRUE(command.startsWith(u"cd /workspace/cifar && torchrun"_s));
    EXPECT_EQ(child<QPlainTextEdit>(form, u"runCommand"_s)->toPlainText(), command);
    EXPECT_EQ(child<QComboBox>(form, u"dataset"_s)->currentData().toString(), u"my-cifar-100"_s);
    EXPECT_EQ(child<QLineEdit>(form, u"outputCheckpointDir"_s)->text(), u"/workspace/ckpt"_s);
    EXPECT_EQ(l->editor()->text(), original);
    EXPECT_FALSE(l->isModified());
    // The template's dataset is not in this project: said on its field.
    EXPECT_TRUE(problemOf(form, u"data.name"_s).contains(u"names no dataset"_s))
        << problemsShown(form).join(u'\n').toStdString();

    // Edits through the form change their lines only.
    typeInto(child<QLineEdit>(form, u"jobName"_s), u"cifar: second try"_s);
    choose(child<QComboBox>(form, u"vm"_s), u"big-gpu-8g"_s);
    child<QSpinBox>(form, u"numDevices"_s)->setValue(8);
    typeInto(child<QLineEdit>(form, u"outputCheckpointDir"_s), u"/workspace/out"_s);
    typeInto(child<QPlainTextEdit>(form, u"setupCommand"_s), u"pip install -r requirements.txt"_s);
    const QString edited = l->editor()->text();
    EXPECT_EQ(commentLines(edited), commentLines(original));
    QJsonObject expected = json;
    expected[u"name"_s] = u"cifar: second try"_s;
    expected[u"vm"_s] = u"big-gpu-8g"_s;
    expected[u"num_devices"_s] = 8;
    QJsonObject checkpoint = expected[u"checkpoint"_s].toObject();
    checkpoint[u"output_checkpoint_dir"_s] = u"/workspace/out"_s;
    expected[u"checkpoint"_s] = checkpoint;
    QJsonObject setting = expected[u"job_setting"_s].toObject();
    QJsonObject docker = setting[u"docker"_s].toObject();
    docker[u"command"_s] =
        QJsonObject{{u"setup"_s, u"pip install -r requirements.txt"_s}, {u"run"_s, command}};
    setting[u"docker"_s] = docker;
    expected[u"job_setting"_s] = setting;
    EXPECT_EQ(jsonOf(edited), expected) << edited.toStdString();
    // Keys stay in the file's order.
    const auto position = [&edited](const QString &key) { return edited.indexOf(key); };
    EXPECT_LT(position(u"\nexperiment:"_s), position(u"\nname:"_s));
    EXPECT_LT(position(u"\nname:"_s), position(u"\nvm:"_s));
    EXPECT_LT(position(u"\nvm:"_s), position(u"\nnum_devices:"_s));
    EXPECT_LT(position(u"\ncheckpoint:"_s), position(u"\ndata:"_s));
    EXPECT_TRUE(l->isModified());
    settle(l.get());

    // And undoing them in the form gives the file back, byte for byte.
    typeInto(child<QPlainTextEdit>(form, u"setupCommand"_s), QString());
    typeInto(child<QLineEdit>(form, u"outputCheckpointDir"_s), u"/workspace/ckpt"_s);
    child<QSpinBox>(form, u"numDevices"_s)->setValue(2);
    choose(child<QComboBox>(form, u"vm"_s), u"local-cpu-2c"_s);
    typeInto(child<QLineEdit>(form, u"jobName"_s), u"cifar-job"_s);
    const QString back = l->editor()->text();
    EXPECT_EQ(jsonOf(back), json) << back.toStdString();
    EXPECT_EQ(commentLines(back), commentLines(original));
    // Every line is as it was but those of the two values that went through
    // other forms: the name, quoted while it held ": " (the quotes stay, as
    // YamlEdit keeps a value's quoting), and the folded command, which became
    // {setup, run} and then one string again (a literal block now).
    const auto kept = [](const QString &yaml) {
        QStringList lines = yaml.split(u'\n');
        qsizetype from = lines.indexOf(u"    command: >"_s);
        if (from < 0)
            from = lines.indexOf(u"    command: |"_s);
        const qsizetype to = lines.indexOf(u"  # Path to mount your workspace volume"_s);
        if (from >= 0 && to > from)
            lines.remove(from, to - from);
        lines.removeIf([](const QString &l) { return l.startsWith(u"name:"_s); });
        return lines;
    };
    EXPECT_EQ(kept(back), kept(original)) << back.toStdString();
    EXPECT_TRUE(back.contains(u"\nname: \"cifar-job\"\n"_s));
}

TEST_F(LauncherTest, FormToYamlToFormIsStable)
{
    const auto l = open();
    JobForm *form = l->form();
    typeInto(child<QComboBox>(form, u"experiment"_s)->lineEdit(), u"sweeps"_s);
    typeInto(child<QLineEdit>(form, u"jobName"_s), u"lr=0.1 #3"_s);
    choose(child<QComboBox>(form, u"vm"_s), u"local-cpu-2c"_s);
    child<QSpinBox>(form, u"numDevices"_s)->setValue(4);
    typeInto(child<QLineEdit>(form, u"image"_s), u"python:3.11"_s);
    typeInto(child<QPlainTextEdit>(form, u"setupCommand"_s), u"pip install numpy"_s);
    typeInto(child<QPlainTextEdit>(form, u"runCommand"_s), u"python3 train.py \\\n  --lr 0.1\n"_s);
    auto *env = child<QTableWidget>(form, u"env"_s);
    for (const auto &[name, value] : {std::pair{u"LR"_s, u"0.1"_s}, std::pair{u"SEED"_s, u"7"_s}}) {
        QTest::mouseClick(child<QPushButton>(form, u"addEnv"_s), Qt::LeftButton);
        const int row = env->rowCount() - 1;
        env->item(row, 0)->setText(name);
        env->item(row, 1)->setText(value);
    }
    typeInto(child<QLineEdit>(form, u"outputCheckpointDir"_s), u"/workspace/ckpt"_s);
    QTest::mouseClick(child<QCheckBox>(form, u"dist"_s), Qt::LeftButton);
    child<QSpinBox>(form, u"ppDegree"_s)->setValue(2);
    child<QSpinBox>(form, u"dpDegree"_s)->setValue(2);
    settle(l.get());

    const QString yaml = l->editor()->text();
    const QJsonObject expected{
        {u"experiment"_s, u"sweeps"_s},
        {u"name"_s, u"lr=0.1 #3"_s},
        {u"vm"_s, u"local-cpu-2c"_s},
        {u"num_devices"_s, 4},
        {u"job_setting"_s,
         QJsonObject{
             {u"type"_s, u"custom"_s},
             {u"docker"_s,
              QJsonObject{
                  {u"image"_s, u"python:3.11"_s},
                  {u"command"_s, QJsonObject{{u"setup"_s, u"pip install numpy"_s},
                                             {u"run"_s, u"python3 train.py \\\n  --lr 0.1\n"_s}}},
                  {u"env_var"_s, QJsonObject{{u"LR"_s, u"0.1"_s}, {u"SEED"_s, u"7"_s}}}}},
             {u"workspace"_s, QJsonObject{{u"mount_path"_s, u"/workspace"_s}}}}},
        {u"checkpoint"_s, QJsonObject{{u"output_checkpoint_dir"_s, u"/workspace/ckpt"_s}}},
        {u"dist"_s, QJsonObject{{u"dp_degree"_s, 2}, {u"pp_degree"_s, 2}, {u"mp_degree"_s, 1}}},
    };
    EXPECT_EQ(jsonOf(yaml), expected) << yaml.toStdString();
    EXPECT_TRUE(l->editor()->isValid()) << yaml.toStdString();
    // The check that followed the edits wrote nothing back.
    EXPECT_EQ(l->editor()->text(), yaml);
    // The starter's comments are still there.
    EXPECT_EQ(commentLines(yaml), commentLines(Launcher::newJobYaml()));

    // The YAML in a second launcher shows the same form, and writes nothing.
    const auto second = open();
    second->setYaml(yaml, u"copy"_s);
    settle(second.get());
    EXPECT_EQ(second->editor()->text(), yaml);
    for (const char *name : {"jobName", "image", "outputCheckpointDir", "workspaceMount"})
        EXPECT_EQ(child<QLineEdit>(second->form(), QString::fromLatin1(name))->text(),
                  child<QLineEdit>(form, QString::fromLatin1(name))->text())
            << name;
    for (const char *name : {"setupCommand", "runCommand"})
        EXPECT_EQ(child<QPlainTextEdit>(second->form(), QString::fromLatin1(name))->toPlainText(),
                  child<QPlainTextEdit>(form, QString::fromLatin1(name))->toPlainText())
            << name;
    for (const char *name : {"numDevices", "dpDegree", "ppDegree", "mpDegree"})
        EXPECT_EQ(child<QSpinBox>(second->form(), QString::fromLatin1(name))->value(),
                  child<QSpinBox>(form, QString::fromLatin1(name))->value())
            << name;
    EXPECT_EQ(child<QComboBox>(second->form(), u"experiment"_s)->currentText(), u"sweeps"_s);
    EXPECT_EQ(child<QComboBox>(second->form(), u"vm"_s)->currentData(), u"local-cpu-2c"_s);
    auto *env2 = child<QTableWidget>(second->form(), u"env"_s);
    ASSERT_EQ(env2->rowCount(), 2);
    EXPECT_EQ(env2->item(1, 0)->text(), u"SEED"_s);
    EXPECT_EQ(env2->item(1, 1)->text(), u"7"_s);
    EXPECT_TRUE(child<QCheckBox>(second->form(), u"dist"_s)->isChecked());

    // Removing through the form removes the keys (and emptied parents).
    QTest::mouseClick(child<QCheckBox>(form, u"dist"_s), Qt::LeftButton);
    env->selectAll();
    QTest::mouseClick(child<QPushButton>(form, u"removeEnv"_s), Qt::LeftButton);
    typeInto(child<QPlainTextEdit>(form, u"setupCommand"_s), QString());
    QJsonObject fewer = expected;
    fewer.remove(u"dist"_s);
    QJsonObject setting = fewer[u"job_setting"_s].toObject();
    QJsonObject docker = setting[u"docker"_s].toObject();
    docker.remove(u"env_var"_s);
    docker[u"command"_s] = u"python3 train.py \\\n  --lr 0.1\n"_s; // one string again
    setting[u"docker"_s] = docker;
    fewer[u"job_setting"_s] = setting;
    EXPECT_EQ(jsonOf(l->editor()->text()), fewer) << l->editor()->text().toStdString();
}

TEST_F(LauncherTest, SubmitFollowsValidity)
{
    const auto l = open();
    QPushButton *submit = l->submitButton();
    // The starter lacks a VM and a command.
    EXPECT_FALSE(submit->isEnabled());
    EXPECT_EQ(l->blockedReason(), u"Fix the errors first."_s);
    JobForm *form = l->form();
    EXPECT_FALSE(problemOf(form, u"vm"_s).isEmpty());

    choose(child<QComboBox>(form, u"vm"_s), u"local-cpu-2c"_s);
    typeInto(child<QPlainTextEdit>(form, u"runCommand"_s), u"python3 main.py"_s);
    EXPECT_FALSE(submit->isEnabled()); // not checked yet
    settle(l.get());
    EXPECT_TRUE(submit->isEnabled()) << l->blockedReason().toStdString();
    EXPECT_TRUE(problemOf(form, u"vm"_s).isEmpty());

    // A mistake typed in the YAML turns it off, on the field too.
    QString text = l->editor()->text();
    text.replace(u"num_devices: 1"_s, u"num_devices: two"_s);
    l->editor()->replaceText(text);
    settle(l.get());
    EXPECT_FALSE(submit->isEnabled());
    EXPECT_TRUE(problemOf(form, u"num_devices"_s).contains(u"whole number"_s))
        << problemsShown(form).join(u'\n').toStdString();
    // A syntax error: the form waits for the YAML.
    l->editor()->replaceText(text + u"\n  bad: [unclosed\n"_s);
    settle(l.get());
    EXPECT_FALSE(submit->isEnabled());
    EXPECT_FALSE(child<QLineEdit>(form, u"jobName"_s)->isEnabled());
    // Fixed: on again.
    text.replace(u"num_devices: two"_s, u"num_devices: 2"_s);
    l->editor()->replaceText(text);
    settle(l.get());
    EXPECT_TRUE(submit->isEnabled()) << l->blockedReason().toStdString();
    EXPECT_TRUE(child<QLineEdit>(form, u"jobName"_s)->isEnabled());
}

TEST_F(LauncherTest, TheProjectsListsAreCheckedBeforeSending)
{
    const auto l = open();
    const auto lineOf = [&l](const QString &key) {
        return int(l->editor()->text().left(l->editor()->text().indexOf(key)).count(u'\n')) + 1;
    };
    const auto issueAt = [&l](int line, const QString &words, api::SpecIssue::Severity severity) {
        for (const api::SpecIssue &i : l->editor()->allIssues())
            if (i.line == line && i.message.contains(words) && i.severity == severity)
                return true;
        return false;
    };
    QString yaml = validYaml();
    l->setYaml(yaml.replace(u"vm: local-cpu-2c"_s, u"vm: local-cpu-3c"_s), u"t"_s);
    settle(l.get());
    EXPECT_TRUE(
        issueAt(lineOf(u"vm:"_s), u"offers local-cpu-2c, big-gpu-8g"_s, api::SpecIssue::Error));

    EXPECT_TRUE(problemOf(l->form(), u"vm"_s).contains(u"not a VM type"_s));
    EXPECT_FALSE(l->submitButton()->isEnabled());

    // 3 devices on 2-device VMs: a node partly idle, a warning only.
    l->setYaml(validYaml().replace(u"num_devices: 2"_s, u"num_devices: 3"_s), u"t"_s);
    settle(l.get());
    EXPECT_TRUE(
        issueAt(lineOf(u"num_devices:"_s), u"1 of them left idle"_s, api::SpecIssue::Warning));
    EXPECT_TRUE(l->submitButton()->isEnabled()) << l->blockedReason().toStdString();
    EXPECT_EQ(child<QLabel>(l->form(), u"nodes"_s)->text(), u"on 2 VMs (2 devices each)"_s);

    // A VM type the project has no quota for: the job could never start.
    l->setYaml(validYaml()
                   .replace(u"vm: local-cpu-2c"_s, u"vm: big-gpu-8g"_s)
                   .replace(u"num_devices: 2"_s, u"num_devices: 8"_s),
               u"t"_s);
    settle(l.get());
    EXPECT_TRUE(
        issueAt(lineOf(u"num_devices:"_s), u"no quota for big-gpu-8g"_s, api::SpecIssue::Error));
    EXPECT_FALSE(l->submitButton()->isEnabled());

    // A dataset the project lacks.
    l->setYaml(validYaml() + u"data:\n  name: nope\n  mount_path: /workspace/data\n"_s, u"t"_s);
    settle(l.get());
    EXPECT_TRUE(issueAt(lineOf(u"  name: nope"_s), u"names no dataset"_s, api::SpecIssue::Error));
    EXPECT_TRUE(problemOf(l->form(), u"data.name"_s).contains(u"names no dataset"_s));
}

TEST_F(LauncherTest, AServerRejectionLandsOnItsLineAndField)
{
    const auto l = open();
    // The one thing the lists cannot tell: an experiment id of another project.
    l->setYaml(validYaml().replace(u"experiment: launcher-tests\n"_s, u"experiment_id: 99999\n"_s),
               u"t"_s);
    settle(l.get());
    ASSERT_TRUE(l->submitButton()->isEnabled()) << l->blockedReason().toStdString();
    QSignalSpy submitted(l.get(), &Launcher::submitted);
    l->submit();
    EXPECT_TRUE(QTest::qWaitFor(
        [&l] {
            return !l->submitButton()->text().isEmpty() &&
                   !l->blockedReason().startsWith(u"Submitting"_s);
        },
        10000));
    EXPECT_EQ(submitted.count(), 0);
    bool onLine = false;
    for (const api::SpecIssue &i : l->editor()->allIssues())
        onLine = onLine || (i.line == 2 && i.path == u"experiment_id"_s &&
                            i.message.contains(u"not an experiment of this project"_s));
    EXPECT_TRUE(onLine);
    EXPECT_TRUE(problemOf(l->form(), u"experiment_id"_s).contains(u"not an experiment"_s));
    EXPECT_FALSE(l->submitButton()->isEnabled());
    EXPECT_EQ(l->editor()->editor()->SendScintilla(
                  QsciScintillaBase::SCI_LINEFROMPOSITION,
                  l->editor()->editor()->SendScintilla(QsciScintillaBase::SCI_GETCURRENTPOS)),
              1); // the caret went to it (0-based line 1)
    EXPECT_EQ(jobCount(), 0);
    // Any edit: the server judged other text, and Submit is up to the check again.
    l->editor()->replaceText(validYaml());
    settle(l.get());
    EXPECT_TRUE(l->submitButton()->isEnabled());
}

TEST_F(LauncherTest, ASubmittedJobIsSelectedInTheJobsPane)
{
    pf::ui::JobsPane pane;
    pane.setWorkspace(m_ws);
    const auto l = open();
    QObject::connect(l.get(), &Launcher::submitted, &pane, &pf::ui::JobsPane::showNewJob);
    QSignalSpy submitted(l.get(), &Launcher::submitted);
    l->setYaml(validYaml(), u"t"_s);
    settle(l.get());
    ASSERT_TRUE(l->submitButton()->isEnabled()) << l->blockedReason().toStdString();
    QTest::mouseClick(l->submitButton(), Qt::LeftButton);
    ASSERT_TRUE(submitted.wait(10000));
    const auto job = submitted.at(0).at(0).value<api::Job>();
    EXPECT_EQ(job.name, u"quick"_s);
    EXPECT_TRUE(QTest::qWaitFor(
        [&] {
            const QModelIndex i = pane.table()->currentIndex();
            return i.isValid() && pane.model()->rowOfNumber(job.number) >= 0 &&
                   i.data(pf::models::JobsModel::NumberRole).toLongLong() == job.number;
        },
        10000));
    EXPECT_EQ(jobCount(), 1);
}

TEST_F(LauncherTest, TheWorkspaceFolderSendsExactlyWhatPfignoreLeaves)
{
    QTemporaryDir tmp;
    const QString w = tmp.filePath(u"proj"_s);
    ASSERT_TRUE(writeFile(w + u"/.pfignore"_s, "data/\n*.log\n!keep.log\n"));
    ASSERT_TRUE(writeFile(w + u"/main.py"_s, "print(1)\n"));
    ASSERT_TRUE(writeFile(w + u"/util/io.py"_s, "X = 1\n"));
    ASSERT_TRUE(writeFile(w + u"/data/train.bin"_s, QByteArray(4096, 'd')));
    ASSERT_TRUE(writeFile(w + u"/a.log"_s, "log"));
    ASSERT_TRUE(writeFile(w + u"/keep.log"_s, "kept"));
    const QStringList expected{u"./proj/.pfignore"_s, u"./proj/keep.log"_s, u"./proj/main.py"_s,
                               u"./proj/util/io.py"_s};

    const auto l = open();
    l->setYaml(validYaml(u"find . -type f | LC_ALL=C sort"_s), u"t"_s);
    l->setWorkspaceFolder(w);
    EXPECT_TRUE(QTest::qWaitFor([&l] { return !l->form()->isPlanning(); }, 5000));
    settle(l.get());
    // The form lists them before anything is sent.
    auto *files = child<QListWidget>(l->form(), u"workspaceFiles"_s);
    QStringList listed;
    for (int i = 0; i < files->count(); ++i)
        listed << u"./"_s + files->item(i)->text().section(u"  ·  "_s, 0, 0);
    EXPECT_EQ(listed, expected);
    const QString summary = child<QLabel>(l->form(), u"workspaceSummary"_s)->text();
    EXPECT_TRUE(summary.startsWith(u"4 files to send"_s)) << summary.toStdString();

    QSignalSpy submitted(l.get(), &Launcher::submitted);
    ASSERT_TRUE(l->submitButton()->isEnabled()) << l->blockedReason().toStdString();
    l->submit();
    ASSERT_TRUE(submitted.wait(15000));
    const auto job = submitted.at(0).at(0).value<api::Job>();
    api::JobStatus status = api::JobStatus::Waiting;
    EXPECT_TRUE(QTest::qWaitFor(
        [&] {
            status = waitFor<api::Job>([&](auto d) {
                         m_api->job(m_ws.projectId, job.number, d);
                     }).value.status;
            return api::isTerminal(status);
        },
        30000));
    pf::network::LogQuery q;
    q.ascending = true;
    q.limit = 100;
    q.logTypes = {u"stdout"_s};
    const auto logs = waitFor<pf::network::LogPage>(
        [&](auto d) { m_api->jobLogs(m_ws.projectId, job.number, q, d); });
    ASSERT_API_OK(logs);
    QStringList lines;
    for (const api::LogRecord &r : logs.value.results)
        lines << r.content.trimmed();
    EXPECT_EQ(lines, expected);
}

TEST_F(LauncherTest, AWorkspaceOver100MBIsRefusedBeforeUpload)
{
    QTemporaryDir tmp;
    const QString w = tmp.filePath(u"big"_s);
    ASSERT_TRUE(writeFile(w + u"/main.py"_s, "print(1)\n"));
    QFile big(w + u"/weights.bin"_s);
    ASSERT_TRUE(big.open(QIODevice::WriteOnly) && big.resize(150LL * 1024 * 1024));
    big.close();

    const auto l = open();
    l->setYaml(validYaml(), u"t"_s);
    l->setWorkspaceFolder(w);
    EXPECT_TRUE(QTest::qWaitFor([&l] { return !l->form()->isPlanning(); }, 5000));
    settle(l.get());
    EXPECT_FALSE(l->submitButton()->isEnabled());
    EXPECT_TRUE(l->blockedReason().contains(u"more than the 100.0 MB a job can take"_s))
        << l->blockedReason().toStdString();
    EXPECT_TRUE(child<QLabel>(l->form(), u"workspaceSummary"_s)->text().contains(u"150.0 MB"_s));
    l->submit(); // as a shortcut might
    QTest::qWait(300);
    EXPECT_EQ(jobCount(), 0);
}

TEST_F(LauncherTest, CloneGivesTheJobsConfigByName)
{
    const auto created = waitFor<api::Job>([&](auto d) {
        m_api->createJob(m_ws.projectId,
                         pf::test::customJob(u"local-cpu-2c"_s, u"echo hi"_s, u"cloned"_s), d);
    });
    ASSERT_API_OK(created);
    const QString yaml = Launcher::cloneYaml(created.value);
    const QJsonObject json = jsonOf(yaml);
    EXPECT_EQ(json[u"vm"_s], u"local-cpu-2c"_s);
    EXPECT_FALSE(json.contains(u"vm_config_id"_s));
    EXPECT_EQ(json[u"experiment"_s], u"cloned"_s);
    EXPECT_FALSE(json.contains(u"experiment_id"_s));
    EXPECT_EQ(json[u"job_setting"_s][u"docker"_s][u"command"_s], u"echo hi"_s);
    // In the order of a job file, not alphabetical.
    EXPECT_LT(yaml.indexOf(u"experiment:"_s), yaml.indexOf(u"vm:"_s));
    EXPECT_LT(yaml.indexOf(u"num_devices:"_s), yaml.indexOf(u"job_setting:"_s));
    EXPECT_LT(yaml.indexOf(u"  type:"_s), yaml.indexOf(u"  docker:"_s));

    const auto l = open();
    l->setYaml(yaml, u"clone"_s);
    settle(l.get());
    EXPECT_TRUE(l->submitButton()->isEnabled()) << l->blockedReason().toStdString();
}

TEST_F(LauncherTest, FilesOpenSaveAndAreRemembered)
{
    QSettings().remove(u"launcher/recentFiles"_s);
    const auto l = open();
    QTemporaryDir dir;
    const QString path = dir.filePath(u"job.yml"_s);
    l->setYaml(validYaml(), u"t"_s);
    ASSERT_TRUE(l->saveFile(path));
    EXPECT_EQ(readFile(path), validYaml());
    EXPECT_FALSE(l->isModified());
    EXPECT_EQ(Launcher::recentFiles().value(0), QFileInfo(path).absoluteFilePath());
    EXPECT_TRUE(l->windowTitle().startsWith(u"job.yml"_s));

    // What is not a job file is refused, and the text stays.
    const QString binary = dir.filePath(u"binary.yml"_s);
    ASSERT_TRUE(writeFile(binary, QByteArray("\xff\xfe\x00garbage", 10)));
    EXPECT_FALSE(l->openFile(binary));
    const QString huge = dir.filePath(u"huge.yml"_s);
    ASSERT_TRUE(writeFile(huge, QByteArray(5 * 1024 * 1024, '#')));
    EXPECT_FALSE(l->openFile(huge));
    EXPECT_FALSE(l->openFile(dir.filePath(u"missing.yml"_s)));
    EXPECT_EQ(l->editor()->text(), validYaml());
    EXPECT_EQ(l->filePath(), QFileInfo(path).absoluteFilePath());
    EXPECT_FALSE(QDir(dir.path()).exists(u"missing.yml"_s));
}

TEST_F(LauncherTest, ScreenshotsEmptyFilledAndWithErrors)
{
    const QString dir = QStringLiteral(PF_SCREENSHOT_DIR);
    QDir().mkpath(dir);
    QTemporaryDir tmp;
    const QString w = tmp.filePath(u"cifar"_s);
    ASSERT_TRUE(writeFile(w + u"/main.py"_s, QByteArray(2048, '#')));
    ASSERT_TRUE(writeFile(w + u"/models/resnet.py"_s, QByteArray(4096, '#')));
    for (const pf::ui::Theme theme : {pf::ui::Theme::Light, pf::ui::Theme::Dark}) {
        pf::ui::applyTheme(theme);
        const QString suffix = theme == pf::ui::Theme::Dark ? u"dark"_s : u"light"_s;
        const auto shoot = [&](Launcher *l, const QString &name) {
            l->show();
            QTest::qWait(100); // QScintilla lays annotations out when idle
            const QString file = u"%1/launcher-%2-%3.png"_s.arg(dir, name, suffix);
            EXPECT_TRUE(l->grab().save(file)) << file.toStdString();
        };
        {
            const auto l = open();
            shoot(l.get(), u"empty"_s);
        }
        {
            const auto l = open();
            QString text = templateText();
            // Without its dataset, which this project lacks.
            l->setYaml(text.left(text.indexOf(u"# Configure dataset"_s)), u"pf-template.yml"_s);
            l->setWorkspaceFolder(w);
            EXPECT_TRUE(QTest::qWaitFor([&l] { return !l->form()->isPlanning(); }, 5000));
            settle(l.get());
            shoot(l.get(), u"filled"_s);
        }
        {
            const auto l = open();
            QString text = templateText();
            l->setYaml(text.replace(u"num_devices: 2"_s, u"num_devices: two"_s)
                           .replace(u"vm: local-cpu-2c"_s, u"vm: local-cpu-3c"_s)
                           .replace(u"mount_path: /workspace/data"_s, u"mount_path: data"_s),
                       u"pf-template.yml"_s);
            settle(l.get());
            shoot(l.get(), u"errors"_s);
        }
    }
    pf::ui::applyTheme(pf::ui::Theme::Light);
}

// Through the main window: Clone on a job in the Jobs pane opens a launcher
// with its config; submitting it selects the new job in the pane.
TEST_F(LauncherTest, CloneFromTheJobsPaneAndSubmitThroughTheMainWindow)
{
    const auto created = waitFor<api::Job>([&](auto d) {
        m_api->createJob(
            m_ws.projectId,
            pf::test::customJob(u"local-cpu-2c"_s, u"echo first"_s, u"e"_s, u"first"_s), d);
    });
    ASSERT_API_OK(created);
    const auto me = waitFor<api::UserInfo>([&](auto d) { m_api->userInfo(d); });
    ASSERT_API_OK(me);
    QTemporaryDir home;
    QSettings settings(home.filePath(u"studio.ini"_s), QSettings::IniFormat);
    pf::ui::MainWindow window;
    window.setSession(m_api.get(), me.value, &settings, u"test"_s);
    ASSERT_TRUE(QTest::qWaitFor([&] { return window.workspace().valid(); }, 10000));
    auto *pane = qobject_cast<pf::ui::JobsPane *>(window.pane(pf::ui::MainWindow::Jobs));
    ASSERT_NE(pane, nullptr);
    ASSERT_TRUE(QTest::qWaitFor([&] { return pane->model()->rowCount() == 1; }, 10000));
    pane->table()->selectRow(0);
    ASSERT_TRUE(pane->cloneAction()->isEnabled());
    pane->cloneAction()->trigger();

    auto *l = window.findChild<Launcher *>();
    ASSERT_NE(l, nullptr);
    EXPECT_TRUE(l->windowTitle().startsWith(u"Clone of #%1"_s.arg(created.value.number)));
    EXPECT_EQ(jsonOf(l->editor()->text())[u"name"_s], u"first"_s);
    settle(l);
    ASSERT_TRUE(QTest::qWaitFor([l] { return l->submitButton()->isEnabled(); }, 10000))
        << l->blockedReason().toStdString();
    QSignalSpy submitted(l, &Launcher::submitted);
    l->submit();
    ASSERT_TRUE(submitted.wait(10000));
    const qint64 number = submitted.at(0).at(0).value<api::Job>().number;
    EXPECT_NE(number, created.value.number);
    EXPECT_TRUE(QTest::qWaitFor(
        [&] {
            return pane->table()
                       ->currentIndex()
                       .data(pf::models::JobsModel::NumberRole)
                       .toLongLong() == number;
        },
        10000));
    l->close();
}

// Credentials are offered by type and written as ids; "Off" and "None"
// remove what they stood for, emptied parents included.
TEST_F(LauncherTest, CredentialChoicesWriteTheirIds)
{
    const auto wandb = waitFor<api::Credential>([&](auto d) {
        m_api->createCredential(m_ws.projectId, u"wandb"_s, u"team-wandb"_s, 1,
                                {{u"token"_s, u"x"_s}}, d);
    });
    ASSERT_API_OK(wandb);
    const auto docker = waitFor<api::Credential>([&](auto d) {
        m_api->createCredential(m_ws.projectId, u"docker"_s, u"ghcr"_s, 1,
                                {{u"username"_s, u"ci"_s}, {u"password"_s, u"x"_s}}, d);
    });
    ASSERT_API_OK(docker);
    const auto l = open();
    l->setYaml(validYaml(), u"t"_s);
    settle(l.get());
    auto *wandbCombo = child<QComboBox>(l->form(), u"wandb"_s);
    auto *registry = child<QComboBox>(l->form(), u"registryCredential"_s);
    // Only credentials of the right type are offered.
    EXPECT_EQ(wandbCombo->count(), 2);
    EXPECT_EQ(wandbCombo->itemText(1), u"team-wandb"_s);
    EXPECT_EQ(registry->count(), 2);
    EXPECT_EQ(registry->itemText(1), u"ghcr"_s);

    choose(wandbCombo, wandb.value.id);
    choose(registry, docker.value.id);
    QJsonObject json = jsonOf(l->editor()->text());
    EXPECT_EQ(json[u"plugin"_s][u"wandb"_s][u"credential_id"_s], wandb.value.id);
    EXPECT_EQ(json[u"job_setting"_s][u"docker"_s][u"credential_id"_s], docker.value.id);
    settle(l.get());
    EXPECT_TRUE(l->submitButton()->isEnabled()) << l->blockedReason().toStdString();

    choose(wandbCombo, QString());
    choose(registry, QString());
    EXPECT_EQ(jsonOf(l->editor()->text()), jsonOf(validYaml()));
    EXPECT_EQ(l->editor()->text(), validYaml());
}
