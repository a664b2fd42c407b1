// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <functional>

#include <QList>
#include <QStringList>
#include <QThread>
#include <QTimer>
#include <QWidget>

#include "api/jobspec.h"
#include "api/yamldocument.h"
#include "ui/launcher/qsci.h"

namespace pf::ui {

class SpecChecker;

// The launcher's YAML view of a job file: QScintilla with the YAML lexer,
// line numbers and folding, and every issue JobSpec::validateYaml() finds
// shown in place: a marker in the margin and the message as an annotation
// under its line. The check runs on a thread of its own 150 ms after the last
// edit, so typing never waits for it; an answer for text that has changed
// since is dropped. objectName "yamlEditor"; the QScintilla inside is
// "yamlText".
//
// Help from the job schema (api::JobSchemaInfo, located by api::yamlContextAt):
//  - Completion: typing a letter where a key goes lists the keys that mapping
//    may still have and that start with what is typed (the ids clients fill
//    in from names, such as vm_config_id, are left out), with their titles;
//    after "key: " it lists the schema's allowed values and those of
//    setValueSource(). Typing on selects the first item that starts with the
//    word and closes the list when none does; Return or Tab inserts the
//    choice over the whole word ("key: " and then the key's values, or
//    "key:" and an indented new line for a mapping), Escape closes it, and
//    Ctrl+Space opens it anywhere. Nothing is offered in comments, block
//    scalars (| and >) or sequences ("- ").
//  - Hover: resting the mouse on a key or its value shows its title, type,
//    description and allowed values (helpAt()).
class YamlEditor final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(YamlEditor)

public:
    explicit YamlEditor(QWidget *parent = nullptr);
    ~YamlEditor() override;

    void setText(const QString &text);
    QString text() const;
    QsciScintilla *editor() const { return m_editor; }

    // Makes the editor hold `text` by replacing only what differs from the
    // current text (the part between their common start and end), as one
    // undo step. The cursor, the selection and the scroll position stay with
    // the unchanged text around them. Nothing happens when the text is equal.
    void replaceText(const QString &text);

    // The values to complete after "key: " for a path ("vm", "data.name",
    // "job_setting.docker.credential_id"), besides the schema's allowed
    // values; an empty list offers nothing. Called on the GUI thread each
    // time a list opens, so it should answer from memory.
    void setValueSource(std::function<QStringList(const QString &path)> source);

    // The issues of the text as it was last checked, and whether that check
    // is of the current text and found no errors, counting the extra issues
    // (warnings are allowed).
    const QList<api::SpecIssue> &issues() const { return m_issues; }
    bool isChecked() const { return m_checkedGeneration == m_generation; }
    bool isValid() const;

    // The text as it was last checked, read (parsed once for the check and
    // this); current when checked() is emitted. Not parsed before the first
    // check.
    const api::YamlDocument &document() const { return m_document; }

    // Issues found elsewhere (the project's lists, the server's answer),
    // shown like the editor's own, with which they share a line's marker and
    // annotation, and counted by isValid(). Kept, at their lines, until the
    // next call replaces them; checks of new text do not clear them.
    void setExtraIssues(const QList<api::SpecIssue> &issues);
    // issues() and the extra issues, sorted by line and column.
    QList<api::SpecIssue> allIssues() const;

    // Puts the cursor at `line` and `column` (1-based; the column in UTF-16
    // code units, as SpecIssue's), unfolding and scrolling to it, and focuses
    // the editor.
    void goTo(int line, int column);

    // The hover help for the key or value at `line` and `column` (1-based;
    // the column in UTF-16 code units): the title, the path and type, the
    // description, and the allowed values, one per line; "" where the schema
    // has nothing to say.
    QString helpAt(int line, int column) const;

    // Opens the completion list for the cursor's position (what Ctrl+Space
    // does); false when there is nothing to offer there.
    bool complete();

    // Check now instead of after the pause (Submit, tests).
    void checkNow();

Q_SIGNALS:
    // After every check of the current text; document() and issues() are
    // those of this check.
    void checked(bool valid);
    void requestCheck(int generation, const QByteArray &yaml);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    // What the open completion list offers.
    enum class List { None, Keys, Values };

    struct Cursor
    {
        int line = 1;   // 1-based
        int column = 1; // 1-based, UTF-16 code units
    };

    void textEdited();
    void showIssues(int generation, const QList<pf::api::SpecIssue> &issues,
                    const pf::api::YamlDocument &document);
    void markIssues();
    void charAdded(int ch);
    bool showCompletions(bool explicitly);
    void listChosen();
    void insertCompletion(List list, const QString &item);
    void showHelp(int position);
    void hideHelp();

    Cursor cursor() const;
    Cursor cursorAt(int position) const;
    int positionAt(int line, int column) const;
    QString lineText(int line) const;
    void replaceOnLine(int line, int fromColumn, int toColumn, const QString &text);

    QsciScintilla *m_editor;
    QTimer m_pause;
    QThread m_thread;
    SpecChecker *m_checker;
    int m_generation = 0;
    int m_checkedGeneration = -1;
    QList<api::SpecIssue> m_issues;
    QList<api::SpecIssue> m_extraIssues;
    api::YamlDocument m_document;
    QsciStyle m_annotationStyle;
    std::function<QStringList(const QString &path)> m_valueSource;
    List m_list = List::None;
    QStringList m_listItems; // as shown, in order
};

// Reads and checks the YamlEditor's text on its thread (internal).
class SpecChecker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SpecChecker)

public:
    SpecChecker() = default;

    void check(int generation, const QByteArray &yaml);

Q_SIGNALS:
    void done(int generation, const QList<pf::api::SpecIssue> &issues,
              const pf::api::YamlDocument &document);
};

} // namespace pf::ui
