// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// The launcher's YAML editor: issues of the job file shown at their lines as
// you type (checked off the GUI thread), cleared once fixed; only the newest
// text's check counts; the example job file opens valid. Completion of keys
// and values and hover help from the job schema, driven by keystrokes;
// replaceText() as one undo step; the launcher's extra issues; document().
// Renders the editor with errors, with a completion list and with hover
// help, light and dark, to the screenshots folder.

#include <ostream>
#include <utility>

#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QListWidget>
#include <QPainter>
#include <QSignalSpy>
#include <QTest>

#include "api/jobspec.h"
#include "api/yamldocument.h"
#include "tests/support/qtwarnings.h"
#include "ui/launcher/qsci.h"
#include "ui/launcher/yamleditor.h"
#include "ui/theme.h"

using namespace Qt::StringLiterals;
using pf::ui::YamlEditor;

// Readable failures (internal linkage: other files of the binary may have their own).
[[maybe_unused]] static void PrintTo(const QString &s, std::ostream *os)
{
    *os << '"' << s.toStdString() << '"';
}
[[maybe_unused]] static void PrintTo(const QStringList &list, std::ostream *os)
{
    *os << '{' << list.join(u", "_s).toStdString() << '}';
}

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

// The completion list on screen (QScintilla's list box, a QListWidget
// window owned by the editor), or null.
QListWidget *shownList(YamlEditor &e)
{
    // Closed lists are deleted later; they are gone once events run.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    for (QListWidget *list : e.editor()->findChildren<QListWidget *>()) {
        if (list->isVisible())
            return list;
    }
    return nullptr;
}

// The names the list offers: each item up to its first space (keys are
// followed by their titles).
QStringList offered(YamlEditor &e)
{
    QStringList names;
    if (QListWidget *list = shownList(e)) {
        for (int i = 0; i < list->count(); ++i)
            names << list->item(i)->text().section(u' ', 0, 0);
    }
    return names;
}

// The name of the item the list has selected.
QString selected(YamlEditor &e)
{
    QListWidget *list = shownList(e);
    return list && list->currentItem() ? list->currentItem()->text().section(u' ', 0, 0)
                                       : QString();
}

std::string show(const QStringList &list)
{
    return list.join(u", "_s).toStdString();
}

// The cursor as (1-based line, 1-based column).
std::pair<int, int> cursorOf(YamlEditor &e)
{
    int line = 0;
    int index = 0;
    e.editor()->getCursorPosition(&line, &index);
    return {line + 1, index + 1};
}

// An editor on screen (offscreen), as a user has it.
struct ShownEditor
{
    ShownEditor()
    {
        e.resize(760, 420);
        e.show();
        EXPECT_TRUE(QTest::qWaitForWindowExposed(&e));
    }
    // The offscreen platform cannot raise the list's window (nor need to).
    pf::test::ExpectQtWarning raising{u"This plugin does not support raise()"_s};
    YamlEditor e;
};

// The editor with its popups (completion list, hover help) drawn where
// they are on screen: they are windows of their own, which grab() leaves out.
QPixmap grabWithPopups(YamlEditor &e)
{
    QPixmap shot = e.grab();
    QPainter painter(&shot);
    for (QWidget *popup : e.editor()->findChildren<QWidget *>()) {
        if (popup->isWindow() && popup->isVisible())
            painter.drawPixmap(popup->mapToGlobal(QPoint()) - e.mapToGlobal(QPoint()),
                               popup->grab());
    }
    return shot;
}

QString screenshotPath(const char *name, pf::ui::Theme theme)
{
    return u"%1/%2-%3.png"_s.arg(QStringLiteral(PF_SCREENSHOT_DIR), QString::fromLatin1(name),
                                 theme == pf::ui::Theme::Dark ? u"dark"_s : u"light"_s);
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

TEST(YamlEditorCompletion, TypingAKeyListsTheMappingsMissingKeysAndInsertsTheChoice)
{
    ShownEditor shown;
    YamlEditor &e = shown.e;
    e.setText(u"job_setting:\n  type: custom\n  docker:\n    image: x\n    \n"_s);
    e.goTo(5, 5);
    QTest::keyClicks(e.editor(), u"c"_s);
    EXPECT_EQ(offered(e), (QStringList{u"command"_s, u"credential_id"_s})) << show(offered(e));
    // The titles are shown next to the names.
    ASSERT_NE(shownList(e), nullptr);
    EXPECT_TRUE(shownList(e)->item(1)->text().contains(u"Registry credential"_s))
        << shownList(e)->item(1)->text().toStdString();

    // Typing moves the selection; Return takes it.
    EXPECT_EQ(selected(e), u"command"_s);
    QTest::keyClicks(e.editor(), u"r"_s);
    EXPECT_EQ(selected(e), u"credential_id"_s);
    QTest::keyClick(e.editor(), Qt::Key_Return);
    EXPECT_EQ(shownList(e), nullptr);
    EXPECT_EQ(e.text(),
              u"job_setting:\n  type: custom\n  docker:\n    image: x\n    credential_id: \n"_s);
    EXPECT_EQ(cursorOf(e), std::pair(5, 20));

    // A key whose value is a mapping: "key:" and the next line indented.
    e.goTo(6, 1);
    QTest::keyClicks(e.editor(), u"da"_s);
    EXPECT_EQ(offered(e), (QStringList{u"data"_s, u"dist"_s})) << show(offered(e));
    EXPECT_EQ(selected(e), u"data"_s);
    QTest::keyClick(e.editor(), Qt::Key_Return);
    EXPECT_TRUE(e.text().endsWith(u"    credential_id: \ndata:\n  "_s)) << e.text().toStdString();
    EXPECT_EQ(cursorOf(e), std::pair(7, 3));
    // ...where the list is data's.
    QTest::keyClicks(e.editor(), u"m"_s);
    EXPECT_EQ(offered(e), QStringList{u"mount_path"_s});
    QTest::keyClick(e.editor(), Qt::Key_Escape);
    EXPECT_EQ(shownList(e), nullptr);
}

TEST(YamlEditorCompletion, NothingInCommentsBlocksSequencesOrForUnknownKeys)
{
    ShownEditor shown;
    YamlEditor &e = shown.e;
    e.setText(u"# \ncommand: |\n  \nhosts:\n  - \nxyz: \n"_s);
    for (const auto &[line, column] : {std::pair(1, 3), std::pair(3, 3), std::pair(5, 5)}) {
        e.goTo(line, column);
        QTest::keyClicks(e.editor(), u"e"_s);
        EXPECT_EQ(shownList(e), nullptr) << line;
    }
    e.goTo(6, 6);
    QTest::keyClicks(e.editor(), u"a"_s);
    EXPECT_EQ(shownList(e), nullptr);
    // The list closes once what is typed matches nothing, or at a space.
    e.goTo(7, 1);
    QTest::keyClicks(e.editor(), u"na"_s);
    EXPECT_EQ(offered(e), (QStringList{u"name"_s, u"num_devices"_s})) << show(offered(e));
    QTest::keyClicks(e.editor(), u"q"_s);
    EXPECT_EQ(shownList(e), nullptr);
    QTest::keyClick(e.editor(), Qt::Key_Backspace);
    QTest::keyClicks(e.editor(), u"m"_s);
    EXPECT_EQ(offered(e), QStringList{u"name"_s});
    QTest::keyClicks(e.editor(), u" "_s);
    EXPECT_EQ(shownList(e), nullptr);
}

TEST(YamlEditorCompletion, ValuesFromTheSourceAndTheSchema)
{
    ShownEditor shown;
    YamlEditor &e = shown.e;
    QStringList asked;
    e.setValueSource([&asked](const QString &path) {
        asked << path;
        if (path == u"vm")
            return QStringList{u"local-cpu-2c"_s, u"local-cpu-4c"_s, u"slurm-a100-8g"_s};
        return QStringList{};
    });
    e.setText(u"vm: \nnum_devices: 1\njob_setting:\n  type: \n"_s);
    e.goTo(1, 5);
    QTest::keyClicks(e.editor(), u"l"_s);
    EXPECT_EQ(offered(e), (QStringList{u"local-cpu-2c"_s, u"local-cpu-4c"_s})) << show(offered(e));
    QTest::keyClicks(e.editor(), u"ocal-cpu-4"_s);
    EXPECT_EQ(selected(e), u"local-cpu-4c"_s);
    QTest::keyClick(e.editor(), Qt::Key_Return);
    EXPECT_TRUE(e.text().startsWith(u"vm: local-cpu-4c\n"_s)) << e.text().toStdString();
    EXPECT_TRUE(asked.contains(u"vm"_s));

    // The schema's allowed values, with Ctrl+Space after "type: ".
    e.goTo(4, 9);
    QTest::keyClick(e.editor(), Qt::Key_Space, Qt::ControlModifier);
    EXPECT_EQ(offered(e), (QStringList{u"custom"_s, u"predefined"_s})) << show(offered(e));
    EXPECT_TRUE(asked.contains(u"job_setting.type"_s));
    QTest::keyClick(e.editor(), Qt::Key_Down);
    QTest::keyClick(e.editor(), Qt::Key_Return);
    EXPECT_TRUE(e.text().endsWith(u"  type: predefined\n"_s)) << e.text().toStdString();

    // Choosing a key with allowed values goes on to list them.
    e.goTo(5, 1);
    QTest::keyClicks(e.editor(), u"  laun"_s);
    EXPECT_EQ(offered(e), QStringList{u"launch_mode"_s});
    QTest::keyClick(e.editor(), Qt::Key_Return);
    EXPECT_TRUE(QTest::qWaitFor([&] { return shownList(e) != nullptr; }, 2000));
    EXPECT_EQ(offered(e), (QStringList{u"node"_s, u"process"_s})) << show(offered(e));
    QTest::keyClick(e.editor(), Qt::Key_Return);
    EXPECT_TRUE(e.text().endsWith(u"  type: predefined\n  launch_mode: node"_s))
        << e.text().toStdString();

    // A value that would not read back as text is quoted; an empty source offers nothing.
    e.setValueSource([](const QString &path) {
        return path == u"name" ? QStringList{u"yes"_s, u"a: b"_s} : QStringList{};
    });
    e.setText(u"name: \nexperiment: \n"_s);
    e.goTo(1, 7);
    QTest::keyClick(e.editor(), Qt::Key_Space, Qt::ControlModifier);
    EXPECT_EQ(offered(e), (QStringList{u"yes"_s, u"a:"_s}));
    QTest::keyClick(e.editor(), Qt::Key_Down);
    QTest::keyClick(e.editor(), Qt::Key_Return);
    EXPECT_TRUE(e.text().startsWith(u"name: \"a: b\"\n"_s)) << e.text().toStdString();
    e.goTo(2, 13);
    EXPECT_FALSE(e.complete());
    EXPECT_EQ(shownList(e), nullptr);
}

TEST(YamlEditorCompletion, CtrlSpaceListsEveryKeyStillMissing)
{
    ShownEditor shown;
    YamlEditor &e = shown.e;
    e.setText(u"job_setting:\n  type: custom\n  docker:\n    image: x\n    \n"_s);
    e.goTo(5, 5);
    QTest::keyClick(e.editor(), Qt::Key_Space, Qt::ControlModifier);
    EXPECT_EQ(offered(e), (QStringList{u"command"_s, u"credential_id"_s, u"env_var"_s}))
        << show(offered(e));
    EXPECT_EQ(e.text(), u"job_setting:\n  type: custom\n  docker:\n    image: x\n    \n"_s)
        << "Ctrl+Space typed a space";
    QTest::keyClick(e.editor(), Qt::Key_Escape);

    // At the top level: the ids clients fill in are not offered.
    e.setText(kValid);
    e.goTo(9, 1);
    ASSERT_TRUE(e.complete());
    EXPECT_EQ(offered(e),
              (QStringList{u"name"_s, u"checkpoint"_s, u"data"_s, u"dist"_s, u"plugin"_s}))
        << show(offered(e));
}

TEST(YamlEditorHelp, HoverShowsTheSchemasHelp)
{
    YamlEditor e;
    e.setText(kValid);
    const QJsonObject devices = pf::api::JobSpec::schema()
                                    .value("properties"_L1)
                                    .toObject()
                                    .value("num_devices"_L1)
                                    .toObject();
    for (const int column : {1, 5, 14}) { // the key, and its value
        const QString help = e.helpAt(3, column);
        EXPECT_TRUE(help.contains(devices.value("description"_L1).toString()))
            << column << ": " << help.toStdString();
        EXPECT_TRUE(
            help.startsWith(devices.value("title"_L1).toString() + u" (num_devices, integer)"_s))
            << help.toStdString();
    }
    EXPECT_TRUE(e.helpAt(5, 4).contains(u"Allowed values: custom, predefined"_s))
        << e.helpAt(5, 4).toStdString();
    EXPECT_TRUE(e.helpAt(7, 6).startsWith(u"Image (job_setting.docker.image, string)\n"_s));
    EXPECT_EQ(e.helpAt(3, 16), QString()); // past the end of the line
    e.setText(u"colour: blue\n\n"_s);
    EXPECT_EQ(e.helpAt(1, 2), QString()); // not in the schema
    EXPECT_EQ(e.helpAt(2, 1), QString());

    // The mouse resting on a key shows it; moving on hides it.
    const pf::test::ExpectQtWarning raising(u"This plugin does not support raise()"_s);
    e.setText(kValid);
    const int position = int(e.editor()->positionFromLineIndex(2, 3));
    Q_EMIT e.editor()->SCN_DWELLSTART(position, 0, 0);
    EXPECT_TRUE(e.editor()->isCallTipActive());
    Q_EMIT e.editor()->SCN_DWELLEND(position, 0, 0);
    EXPECT_FALSE(e.editor()->isCallTipActive());
}

TEST(YamlEditor, ReplaceTextChangesOnlyTheMiddleAsOneUndoStep)
{
    YamlEditor e;
    e.setText(kValid);
    // Markers live on lines: a replacement of the whole text would drop them.
    e.editor()->markerDefine(QsciScintilla::Circle, 5);
    e.editor()->markerAdd(0, 5);
    e.editor()->markerAdd(7, 5);
    e.goTo(7, 12); // in "image: friendliai/..."
    QSignalSpy changed(e.editor(), &QsciScintilla::textChanged);

    const QString edited = QString(kValid).replace(u"num_devices: 2"_s, u"num_devices: 16"_s);
    e.replaceText(edited);
    EXPECT_EQ(e.text(), edited);
    EXPECT_EQ(cursorOf(e), std::pair(7, 12));
    EXPECT_TRUE(e.editor()->markersAtLine(0) & (1 << 5));
    EXPECT_TRUE(e.editor()->markersAtLine(7) & (1 << 5));
    EXPECT_FALSE(changed.isEmpty());

    e.editor()->undo();
    EXPECT_EQ(e.text(), kValid);
    e.editor()->redo();
    EXPECT_EQ(e.text(), edited);

    // Lines added above the cursor: it stays on its text.
    e.goTo(7, 12);
    const QString longer = u"# A comment\n# on two lines\n"_s + edited;
    e.replaceText(longer);
    EXPECT_EQ(e.text(), longer);
    EXPECT_EQ(cursorOf(e), std::pair(9, 12));
    e.editor()->undo();
    EXPECT_EQ(e.text(), edited);

    // Equal text: nothing happens.
    changed.clear();
    e.replaceText(edited);
    EXPECT_EQ(changed.size(), 0);

    // Text beyond ASCII, changed inside a character's UTF-8 bytes ("é" and "è"
    // share their first byte).
    e.setText(u"name: café\n"_s);
    e.replaceText(u"name: cafè\n"_s);
    EXPECT_EQ(e.text(), u"name: cafè\n"_s);
    e.editor()->undo();
    EXPECT_EQ(e.text(), u"name: café\n"_s);
}

TEST(YamlEditor, ReplaceTextKeepsTheViewOnTheSameText)
{
    ShownEditor shown;
    YamlEditor &e = shown.e;
    QString text;
    for (int i = 1; i <= 200; ++i)
        text += u"key%1: value\n"_s.arg(i);
    e.setText(text);
    e.goTo(120, 3);
    e.editor()->setFirstVisibleLine(99);
    // Two lines more above the view, and a change inside it: the same text stays on top.
    e.replaceText(u"# one\n# two\n"_s + QString(text).replace(u"key110: value"_s, u"key110: x"_s));
    EXPECT_EQ(e.editor()->firstVisibleLine(), 101);
    EXPECT_EQ(cursorOf(e), std::pair(122, 3));
    // A change inside the view does not scroll it.
    e.replaceText(QString(e.text()).replace(u"key110: x"_s, u"key110: y\nkey110b: z"_s));
    EXPECT_EQ(e.editor()->firstVisibleLine(), 101);
    EXPECT_EQ(cursorOf(e), std::pair(123, 3));
}

TEST(YamlEditor, ExtraIssuesShowLikeTheEditorsOwnAndCount)
{
    YamlEditor e;
    e.setText(kValid);
    ASSERT_TRUE(waitChecked(e));
    ASSERT_TRUE(e.isValid());

    const pf::api::SpecIssue unknownVm{u"vm"_s,
                                       u"`vm` local-cpu-2c is not a VM type of this "
                                       "project"_s,
                                       2, 5, pf::api::SpecIssue::Error};
    e.setExtraIssues({unknownVm});
    EXPECT_FALSE(e.isValid());
    EXPECT_TRUE(hasMarker(e, 2));
    EXPECT_TRUE(e.editor()->annotation(1).contains(u"is not a VM type"_s))
        << e.editor()->annotation(1).toStdString();
    EXPECT_EQ(e.allIssues(), QList<pf::api::SpecIssue>{unknownVm});
    EXPECT_TRUE(e.issues().isEmpty());

    // They stay through checks of new text, and share a line with local issues.
    e.setText(QString(kValid).replace(u"vm: local-cpu-2c"_s, u"vm: two words"_s));
    ASSERT_TRUE(waitChecked(e));
    EXPECT_FALSE(e.isValid());
    ASSERT_FALSE(e.issues().isEmpty());
    const QString annotation = e.editor()->annotation(1);
    EXPECT_TRUE(annotation.contains(u"is not a VM type"_s)) << annotation.toStdString();
    EXPECT_TRUE(annotation.contains(u"must be a VM code"_s)) << annotation.toStdString();
    EXPECT_EQ(e.allIssues().size(), e.issues().size() + 1);

    // A warning does not make the text invalid; none at all clears the line.
    e.setText(kValid);
    ASSERT_TRUE(waitChecked(e));
    e.setExtraIssues({{u"vm"_s, u"`vm` is busy"_s, 2, 5, pf::api::SpecIssue::Warning}});
    EXPECT_TRUE(e.isValid());
    EXPECT_TRUE(hasMarker(e, 2));
    e.setExtraIssues({});
    EXPECT_TRUE(e.isValid());
    EXPECT_FALSE(hasMarker(e, 2));
    EXPECT_TRUE(e.editor()->annotation(1).isEmpty());
}

TEST(YamlEditor, DocumentIsTheCheckedTextReadOnce)
{
    YamlEditor e;
    QJsonValue seen;
    QList<pf::api::SpecIssue> issuesSeen;
    QObject::connect(&e, &YamlEditor::checked, &e, [&] {
        seen = e.document().json();
        issuesSeen = e.issues();
    });
    e.setText(kValid);
    ASSERT_TRUE(waitChecked(e));
    EXPECT_TRUE(e.document().isParsed());
    EXPECT_EQ(seen, pf::api::YamlDocument::parse(kValid.toUtf8()).json());
    EXPECT_EQ(seen.toObject().value("vm"_L1).toString(), u"local-cpu-2c"_s);
    EXPECT_EQ(e.document().keyPosition(u"job_setting.docker.image"_s).line, 7);

    // The issues are validateYaml()'s, though the text is read only once.
    const QString invalid =
        QString(kValid).replace(u"num_devices: 2"_s, u"num_devices: two"_s) + u"colour: x\n"_s;
    e.setText(invalid);
    ASSERT_TRUE(waitChecked(e));
    EXPECT_EQ(issuesSeen, pf::api::JobSpec::validateYaml(invalid.toUtf8()));
    EXPECT_EQ(seen.toObject().value("colour"_L1).toString(), u"x"_s);

    e.setText(u"vm: [\n"_s);
    ASSERT_TRUE(waitChecked(e));
    EXPECT_FALSE(e.document().isParsed());
}

TEST(YamlEditor, GoToPutsTheCursorThereAndFocuses)
{
    ShownEditor shown;
    YamlEditor &e = shown.e;
    QString text;
    for (int i = 1; i <= 200; ++i)
        text += u"key%1: value\n"_s.arg(i);
    e.setText(text);
    e.activateWindow();
    e.goTo(150, 4);
    EXPECT_EQ(cursorOf(e), std::pair(150, 4));
    const int first = e.editor()->firstVisibleLine();
    EXPECT_LE(first, 149);
    EXPECT_GT(first + e.editor()->SendScintilla(QsciScintillaBase::SCI_LINESONSCREEN), 149);
    EXPECT_TRUE(QTest::qWaitFor([&] { return e.editor()->hasFocus(); }, 2000));
}

TEST(YamlEditorScreenshots, CompletionAndHoverLightAndDark)
{
    ASSERT_TRUE(QDir().mkpath(QStringLiteral(PF_SCREENSHOT_DIR)));
    for (const pf::ui::Theme theme : {pf::ui::Theme::Light, pf::ui::Theme::Dark}) {
        pf::ui::applyTheme(theme);
        {
            ShownEditor shown;
            YamlEditor &e = shown.e;
            e.setText(kValid + u"\n"_s);
            ASSERT_TRUE(waitChecked(e));
            e.goTo(9, 1);
            QTest::keyClick(e.editor(), Qt::Key_Space, Qt::ControlModifier);
            ASSERT_NE(shownList(e), nullptr);
            const QString file = screenshotPath("launcher-yaml-completion", theme);
            ASSERT_TRUE(grabWithPopups(e).save(file)) << file.toStdString();
        }
        {
            ShownEditor shown;
            YamlEditor &e = shown.e;
            e.setText(kValid);
            ASSERT_TRUE(waitChecked(e));
            const int position = int(e.editor()->positionFromLineIndex(2, 3));
            Q_EMIT e.editor()->SCN_DWELLSTART(position, 0, 0);
            ASSERT_TRUE(e.editor()->isCallTipActive());
            const QString file = screenshotPath("launcher-yaml-hover", theme);
            ASSERT_TRUE(grabWithPopups(e).save(file)) << file.toStdString();
        }
    }
    pf::ui::applyTheme(pf::ui::Theme::Light);
}
