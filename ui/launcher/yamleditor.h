// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QList>
#include <QThread>
#include <QTimer>
#include <QWidget>

#include "api/jobspec.h"
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

    // The issues of the text as it was last checked, and whether that check
    // is of the current text and found no errors (warnings are allowed).
    const QList<api::SpecIssue> &issues() const { return m_issues; }
    bool isChecked() const { return m_checkedGeneration == m_generation; }
    bool isValid() const;

    // Check now instead of after the pause (Submit, tests).
    void checkNow();

Q_SIGNALS:
    // After every check of the current text.
    void checked(bool valid);
    void requestCheck(int generation, const QByteArray &yaml);

private:
    void textEdited();
    void showIssues(int generation, const QList<pf::api::SpecIssue> &issues);

    QsciScintilla *m_editor;
    QTimer m_pause;
    QThread m_thread;
    SpecChecker *m_checker;
    int m_generation = 0;
    int m_checkedGeneration = -1;
    QList<api::SpecIssue> m_issues;
    QsciStyle m_annotationStyle;
};

// Runs JobSpec::validateYaml() on the YamlEditor's thread (internal).
class SpecChecker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SpecChecker)

public:
    SpecChecker() = default;

    void check(int generation, const QByteArray &yaml);

Q_SIGNALS:
    void done(int generation, const QList<pf::api::SpecIssue> &issues);
};

} // namespace pf::ui
