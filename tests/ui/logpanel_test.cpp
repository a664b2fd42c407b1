// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// The Logs tab against a real pfd running a job that writes colours, a
// progress bar and a few hundred lines: every line arrives, a bar redrawn
// with \r is one line (pending while it is redrawn), ANSI styles are kept,
// filters and search work on what arrived, the log is saved, and screenshots
// of it are written, light and dark.

#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include "tests/support/apiwait.h"
#include "tests/support/workspacefixture.h"
#include "ui/logs/logpanel.h"
#include "ui/logs/logview.h"
#include "ui/theme.h"

using namespace Qt::StringLiterals;
using pf::test::child;
using pf::test::waitFor;
using pf::ui::LogPanel;
namespace api = pf::api;
namespace models = pf::models;

namespace {

const QString kLogConfig = uR"(auth:
  password_hashing: minimal
  login_failures_per_user: 10000
  login_failures_per_address: 100000
vm_types:
  - {code: test-cpu-1c, devices_per_vm: 1, vcpu: 1, memory_gib: 1, max_vms: 4, default_quota: 4}
jobs:
  sandbox: none
)"_s;

// What a training script prints: a coloured header, a tqdm bar redrawn with
// \r, a warning on stderr, then 200 numbered lines.
const QString kCommand =
    uR"sh(printf '\033[1;32mINFO\033[0m epoch 1/3 started\n'; for i in 1 2 3 4 5 6 7 8 9 10; do printf '\rEpoch 1: %3d%%|%-10s|' $((i*10)) $(printf '%*s' $i '' | tr ' ' '#'); done; printf ' 50/50\n'; printf '\033[33mWARN\033[0m learning rate warm-up\n' >&2; i=0; while [ $i -lt 200 ]; do echo "step $i loss 0.$((999 - i))"; i=$((i+1)); done)sh"_s;

// A bar that is redrawn, then waits (until the test creates GO_FILE, at most
// 30 s) with its last redraw ended by \r; then the bar's line ends, and the
// job ends on another bar's \r.
const QString kPendingCommand =
    uR"sh(printf 'start\n'; printf '\rload  50%%|#####     |\rload 100%%|##########|\r'; i=0; while [ ! -e 'GO_FILE' ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done; printf '\n'; printf 'saving  30%%\rsaving 100%%\r')sh"_s;

// A training script caught mid-run: coloured lines, a finished bar, a
// warning, steps with an evaluation now and then, and the second epoch's
// tqdm-style bar ("\r" then the bar) at 40% while the job waits for GO_FILE
// (at most 30 s).
const QString kRunningCommand =
    uR"sh(bar() { printf '\r%s: %3d%%|%-10s| %d/50' "$1" $(($2*10)) "$(printf '%*s' $2 '' | tr ' ' '#')" $(($2*5)); }; printf '\033[1;32mINFO\033[0m epoch 1/2 started\n'; for i in 1 2 3 4 5 6 7 8 9 10; do bar 'Epoch 1' $i; done; printf '\n'; printf '\033[33mWARN\033[0m learning rate warm-up\n' >&2; i=0; while [ $i -lt 60 ]; do echo "step $i loss 0.$((999 - i))"; if [ $((i % 20)) -eq 19 ]; then printf '\033[36meval\033[0m step %d \033[1maccuracy 0.%d\033[0m\n' $i $((40 + i / 4)); fi; i=$((i+1)); done; printf '\033[1;32mINFO\033[0m epoch 2/2 started\n'; for i in 1 2 3 4; do bar 'Epoch 2' $i; done; i=0; while [ ! -e 'GO_FILE' ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done; printf '\n')sh"_s;

class LogPanelTest : public pf::test::WorkspaceFixture
{
protected:
    LogPanelTest()
        : WorkspaceFixture(u"logs"_s, u"p"_s, u"-org"_s)
    {}
    static void SetUpTestSuite() { startPfd(kLogConfig); }

    api::Job runJob(const QString &command = kCommand)
    {
        const auto job = waitFor<api::Job>([&](auto d) {
            m_api->createJob(m_ws.projectId, pf::test::customJob(u"test-cpu-1c"_s, command), d);
        });
        EXPECT_API_OK(job);
        return job.value;
    }

    static QStringList textsOfType(const models::LogBuffer *b, models::LogType type)
    {
        QStringList out;
        for (qsizetype i = 0; i < b->size(); ++i)
            if (b->line(i).type == type)
                out << b->line(i).text();
        return out;
    }

    static qsizetype linesOfType(const models::LogBuffer *b, models::LogType type)
    {
        qsizetype n = 0;
        for (qsizetype i = 0; i < b->size(); ++i)
            n += b->line(i).type == type;
        return n;
    }
};

} // namespace

TEST_F(LogPanelTest, FollowsAJobToItsEndWithColoursAndProgressBars)
{
    LogPanel panel;
    panel.resize(1000, 600);
    panel.show();
    panel.setWorkspace(m_ws);
    const api::Job job = runJob();
    panel.setJob(job);
    ASSERT_TRUE(QTest::qWaitFor(
        [&] { return panel.stream()->state() == pf::network::JobStream::State::Ended; }, 30000))
        << panel.stateText().toStdString();
    models::LogBuffer *buffer = panel.buffer();
    QStringList texts;
    for (qsizetype i = 0; i < buffer->size(); ++i)
        texts << buffer->line(i).text();
    // Every step line once, in order, and the warning on stderr.
    const QStringList steps = texts.filter(QRegularExpression(u"^step \\d+ loss"_s));
    ASSERT_EQ(steps.size(), 200);
    for (int i = 0; i < 200; ++i)
        EXPECT_EQ(steps.at(i), u"step %1 loss 0.%2"_s.arg(i).arg(999 - i));
    EXPECT_EQ(linesOfType(buffer, models::LogType::Stderr), 1);
    // The bar is one line, in its last state: the header, the bar, the steps.
    EXPECT_EQ(texts.filter(u"Epoch"_s), QStringList{u"Epoch 1: 100%|##########| 50/50"_s})
        << texts.join(u'\n').left(2000).toStdString();
    EXPECT_EQ(linesOfType(buffer, models::LogType::Stdout), 1 + 1 + 200);
    EXPECT_TRUE(buffer->pendingLines().isEmpty());
    EXPECT_TRUE(texts.contains(u"step 199 loss 0.800"_s));
    // ANSI: the escape codes are gone from the text and kept as style.
    const qsizetype header = texts.indexOf(u"INFO epoch 1/3 started"_s);
    ASSERT_GE(header, 0);
    const models::AnsiText styled = buffer->line(header).styledText();
    ASSERT_FALSE(styled.runs.isEmpty());
    EXPECT_TRUE(styled.runs.first().style.bold);
    EXPECT_EQ(styled.runs.first().length, 4);
    // The view follows: the last line is in view.
    EXPECT_TRUE(panel.view()->isFollowing());
    const qsizetype rows = panel.filter()->rowCount();
    EXPECT_GE(panel.view()->firstVisibleRow() + panel.view()->visibleRowCount(), rows);
    EXPECT_TRUE(panel.stateText().contains(u"ended"_s)) << panel.stateText().toStdString();

    // Filters: stderr off.
    child<QToolButton>(&panel, u"logType_stderr"_s)->click();
    EXPECT_EQ(panel.filter()->rowCount(), rows - 1);
    child<QToolButton>(&panel, u"logType_stderr"_s)->click();
    EXPECT_EQ(panel.filter()->rowCount(), rows);
    // A chip for node 0 appeared, and turning it off leaves the platform's lines.
    auto *node0 = child<QToolButton>(&panel, u"logRank_0"_s);
    ASSERT_NE(node0, nullptr);
    node0->click();
    for (qsizetype r = 0; r < panel.filter()->rowCount(); ++r)
        EXPECT_EQ(panel.filter()->rowLine(r).rank, models::kPlatformRank);
    node0->click();

    // Search: a regex over the whole log; Enter goes to the first match.
    panel.view()->scrollToRow(0);
    child<QToolButton>(&panel, u"logRegex"_s)->click();
    auto *query = child<QLineEdit>(&panel, u"logSearch"_s);
    query->setText(u"step 1\\d\\d "_s);
    ASSERT_TRUE(QTest::qWaitFor(
        [&] { return !panel.search()->isRunning() && panel.search()->matchCount() == 100; }, 5000))
        << panel.search()->matchCount();
    QTest::keyClick(query, Qt::Key_Return);
    const qsizetype firstMatchRow =
        panel.filter()->rowOfLine(texts.indexOf(u"step 100 loss 0.899"_s));
    EXPECT_LE(panel.view()->firstVisibleRow(), firstMatchRow);
    EXPECT_GT(panel.view()->firstVisibleRow() + panel.view()->visibleRowCount(), firstMatchRow);
    EXPECT_EQ(child<QLabel>(&panel, u"logMatches"_s)->text(), u"1 of 100"_s);
    QTest::keyClick(query, Qt::Key_Return);
    EXPECT_EQ(child<QLabel>(&panel, u"logMatches"_s)->text(), u"2 of 100"_s);

    // Save: the lines shown, one per line.
    QTemporaryDir dir;
    const QString path = dir.filePath(u"job.log"_s);
    QSignalSpy done(&panel, &LogPanel::saveFinished);
    ASSERT_TRUE(panel.saveTo(path)); // on a worker thread
    ASSERT_TRUE(done.wait(10000));
    EXPECT_TRUE(done.at(0).at(0).toBool()) << done.at(0).at(1).toString().toStdString();
    QFile saved(path);
    ASSERT_TRUE(saved.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = saved.readAll().split('\n');
    EXPECT_EQ(lines.size() - 1, rows); // the last '\n' leaves an empty piece
    EXPECT_TRUE(lines.contains("[0] step 42 loss 0.957"));

    // Selecting rows and copying gives their text.
    panel.view()->selectRows(firstMatchRow, firstMatchRow + 1);
    EXPECT_EQ(panel.view()->selectedText(), u"step 100 loss 0.899\nstep 101 loss 0.898"_s);
}

// A bar being redrawn is one pending line, shown after the last row while
// the job runs; a bar the job ends on is kept as a line; a panel that reads
// the ended job's history shows the same.
TEST_F(LogPanelTest, ShowsABarWhileItIsRedrawnAndKeepsTheOneTheJobEndsOn)
{
    QTemporaryDir dir;
    const QString go = dir.filePath(u"go"_s);
    LogPanel panel;
    panel.resize(1000, 600);
    panel.show();
    panel.setWorkspace(m_ws);
    const api::Job job = runJob(QString(kPendingCommand).replace(u"GO_FILE"_s, go));
    panel.setJob(job);
    models::LogBuffer *buffer = panel.buffer();
    const auto pendingText = [&] {
        const QList<models::PendingLine> lines = buffer->pendingLines();
        return lines.size() == 1 ? lines.first().text() : QString();
    };
    // The job waits with its bar at 100%, the last redraw ended by \r.
    ASSERT_TRUE(QTest::qWaitFor([&] { return pendingText() == u"load 100%|##########|"_s; }, 30000))
        << pendingText().toStdString() << " " << panel.stateText().toStdString();
    EXPECT_EQ(textsOfType(buffer, models::LogType::Stdout), QStringList{u"start"_s});
    EXPECT_EQ(buffer->pendingLines().first().rank, 0);
    EXPECT_EQ(buffer->pendingLines().first().type, models::LogType::Stdout);
    // The view shows it after the last row, in view while following.
    ASSERT_EQ(panel.view()->pendingLines().size(), 1);
    EXPECT_EQ(panel.view()->pendingLines().first().text(), u"load 100%|##########|"_s);
    EXPECT_TRUE(panel.view()->isFollowing());
    EXPECT_GE(panel.view()->firstVisibleRow() + panel.view()->visibleRowCount(),
              panel.filter()->rowCount() + 1);
    // Filtered out with its stream, back with it.
    child<QToolButton>(&panel, u"logType_stdout"_s)->click();
    EXPECT_TRUE(panel.view()->pendingLines().isEmpty());
    child<QToolButton>(&panel, u"logType_stdout"_s)->click();
    EXPECT_EQ(panel.view()->pendingLines().size(), 1);

    // Let the job go on: the bar's line ends, and the job ends on a redraw.
    {
        QFile f(go);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    }
    ASSERT_TRUE(QTest::qWaitFor(
        [&] { return panel.stream()->state() == pf::network::JobStream::State::Ended; }, 30000))
        << panel.stateText().toStdString();
    const QStringList expected{u"start"_s, u"load 100%|##########|"_s, u"saving 100%"_s};
    EXPECT_EQ(textsOfType(buffer, models::LogType::Stdout), expected);
    EXPECT_TRUE(buffer->pendingLines().isEmpty());
    EXPECT_TRUE(panel.view()->pendingLines().isEmpty());

    // The same from the ended job's history.
    LogPanel history;
    history.setWorkspace(m_ws);
    history.setJob(job);
    ASSERT_TRUE(QTest::qWaitFor(
        [&] { return history.stream()->state() == pf::network::JobStream::State::Ended; }, 30000))
        << history.stateText().toStdString();
    EXPECT_EQ(textsOfType(history.buffer(), models::LogType::Stdout), expected);
    EXPECT_TRUE(history.buffer()->pendingLines().isEmpty());
}

TEST_F(LogPanelTest, Screenshots)
{
    const QString dir = QStringLiteral(PF_SCREENSHOT_DIR);
    QDir().mkpath(dir);
    QTemporaryDir goDir;
    const QString go = goDir.filePath(u"go"_s);
    const api::Job job = runJob(QString(kRunningCommand).replace(u"GO_FILE"_s, go));
    const QString bar = u"Epoch 2:  40%|####      | 20/50"_s;
    for (const pf::ui::Theme theme : {pf::ui::Theme::Light, pf::ui::Theme::Dark}) {
        pf::ui::applyTheme(theme);
        LogPanel panel;
        panel.resize(1000, 560);
        panel.show();
        panel.setWorkspace(m_ws);
        panel.setJob(job);
        // Following the running job, its bar at 40% below the last line.
        ASSERT_TRUE(QTest::qWaitFor(
            [&] {
                const QList<models::PendingLine> p = panel.view()->pendingLines();
                return panel.stream()->state() == pf::network::JobStream::State::Live &&
                       p.size() == 1 && p.first().text() == bar;
            },
            30000))
            << panel.stateText().toStdString();
        EXPECT_TRUE(panel.view()->isFollowing());
        panel.view()->setShowTimestamps(true);
        child<QToolButton>(&panel, u"logTimestamps"_s)->setChecked(true);
        child<QLineEdit>(&panel, u"logSearch"_s)->setText(u"loss 0.95"_s);
        QTest::qWait(400);
        const QString file =
            u"%1/logs-%2.png"_s.arg(dir, theme == pf::ui::Theme::Dark ? u"dark"_s : u"light"_s);
        EXPECT_TRUE(panel.grab().save(file)) << file.toStdString();
    }
    {
        QFile f(go);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    }
    // The bar's line ends as it was last drawn.
    LogPanel ended;
    ended.setWorkspace(m_ws);
    ended.setJob(job);
    ASSERT_TRUE(QTest::qWaitFor(
        [&] { return ended.stream()->state() == pf::network::JobStream::State::Ended; }, 30000))
        << ended.stateText().toStdString();
    const QStringList stdoutLines = textsOfType(ended.buffer(), models::LogType::Stdout);
    ASSERT_FALSE(stdoutLines.isEmpty());
    EXPECT_EQ(stdoutLines.last(), bar);
    EXPECT_EQ(stdoutLines.filter(u"Epoch"_s).size(), 2);
    pf::ui::applyTheme(pf::ui::Theme::Light);
}
