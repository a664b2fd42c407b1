// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// The launcher's YAML editor: issues of the job file shown at their lines as
// you type (checked off the GUI thread), cleared once fixed; only the newest
// text's check counts; the example job file opens valid. Renders the editor
// with errors, light and dark, to the screenshots folder.

#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTest>

#include "ui/launcher/qsci.h"
#include "ui/launcher/yamleditor.h"
#include "ui/theme.h"

using namespace Qt::StringLiterals;
using pf::ui::YamlEditor;

namespace {

const QString kValid = u"experiment: vision\n"
                       "vm: local-cpu-2c\n"
                       "num_devices: 2\n"
                       "job_setting:\n"
                       "  type: custom\n"
                       "  docker:\n"
                       "    image: friendliai/periflow:sdk\n"
                       "    command: python3 main.py\n"_s;

bool waitChecked(YamlEditor &e)
{
    return QTest::qWaitFor([&] { return e.isChecked(); }, 10000);
}

bool hasMarker(YamlEditor &e, int line1)
{
    return e.editor()->markersAtLine(line1 - 1) != 0;
}

} // namespace

TEST(YamlEditor, IssuesShowAtTheirLinesAndClearWhenFixed)
{
    YamlEditor e;
    QSignalSpy checked(&e, &YamlEditor::checked);
    e.setText(QString(kValid).replace(u"num_devices: 2"_s, u"num_devices: two"_s) +
              u"colour: blue\n"_s);
    ASSERT_TRUE(waitChecked(e));
    EXPECT_FALSE(e.isValid());
    ASSERT_FALSE(checked.isEmpty());
    EXPECT_FALSE(checked.last().first().toBool());
    QStringList paths;
    for (const pf::api::SpecIssue &i : e.issues())
        paths << i.path;
    EXPECT_TRUE(paths.contains(u"num_devices"_s)) << paths.join(u", "_s).toStdString();
    EXPECT_TRUE(paths.contains(u"colour"_s)) << paths.join(u", "_s).toStdString();
    EXPECT_TRUE(hasMarker(e, 3));
    EXPECT_TRUE(hasMarker(e, 9));
    EXPECT_FALSE(hasMarker(e, 1));
    EXPECT_TRUE(e.editor()->annotation(2).contains(u"num_devices"_s))
        << e.editor()->annotation(2).toStdString();

    e.setText(kValid);
    ASSERT_TRUE(waitChecked(e));
    EXPECT_TRUE(e.isValid());
    EXPECT_TRUE(checked.last().first().toBool());
    EXPECT_FALSE(hasMarker(e, 3));
    EXPECT_TRUE(e.editor()->annotation(2).isEmpty());
}

TEST(YamlEditor, OnlyTheNewestTextsCheckCounts)
{
    YamlEditor e;
    // Edits in quick succession: the first text is invalid, the last valid.
    e.setText(u"num_devices: [\n"_s);
    e.checkNow();      // a check of the first text is under way...
    e.setText(kValid); // ...when the text changes again
    ASSERT_TRUE(waitChecked(e));
    EXPECT_TRUE(e.isValid()) << e.issues().size();
}

TEST(YamlEditor, TheExampleJobFileOpensValid)
{
    QFile file(QStringLiteral(PF_SOURCE_DIR "/examples/cifar/pf-template.yml"));
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    YamlEditor e;
    e.setText(QString::fromUtf8(file.readAll()));
    ASSERT_TRUE(waitChecked(e));
    EXPECT_TRUE(e.isValid());
    for (const pf::api::SpecIssue &i : e.issues())
        ADD_FAILURE() << i.line << ": " << i.message.toStdString();
}

TEST(YamlEditor, ScreenshotsWithErrorsLightAndDark)
{
    const QString dir = QStringLiteral(PF_SCREENSHOT_DIR);
    ASSERT_TRUE(QDir().mkpath(dir));
    for (const pf::ui::Theme theme : {pf::ui::Theme::Light, pf::ui::Theme::Dark}) {
        pf::ui::applyTheme(theme);
        YamlEditor e;
        e.resize(760, 420);
        e.show();
        e.setText(u"# A job with mistakes.\n"_s +
                  QString(kValid).replace(u"num_devices: 2"_s, u"num_devices: two"_s) +
                  u"  workspace:\n    mount_path: workspace\n"_s);
        ASSERT_TRUE(waitChecked(e));
        EXPECT_FALSE(e.isValid());
        const QString file = u"%1/launcher-yaml-%2.png"_s.arg(
            dir, theme == pf::ui::Theme::Dark ? u"dark"_s : u"light"_s);
        ASSERT_TRUE(e.grab().save(file)) << file.toStdString();
    }
    pf::ui::applyTheme(pf::ui::Theme::Light);
}
