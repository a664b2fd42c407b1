// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QWidget>

class QLabel;
class QPushButton;

namespace pf::ui {

// What a pane shows instead of its content: an empty state that says what to
// do next (with an optional button), "Loading…", or an error in words with a
// Retry button. objectName "statePage"; the title label is "stateTitle".
class StatePage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StatePage)

public:
    explicit StatePage(QWidget *parent = nullptr);

    // `action` empty hides the button.
    void showEmpty(const QString &title, const QString &hint, const QString &action = {});
    void showLoading(const QString &what);
    void showError(const QString &message);

    QString title() const;
    QString hint() const;

Q_SIGNALS:
    void actionTriggered();
    void retryRequested();

private:
    QLabel *m_title;
    QLabel *m_hint;
    QPushButton *m_button;
    bool m_isError = false;
};

// An inline notice above a pane's content: an error from the last action, in
// words, dismissable. objectName "inlineMessage".
class InlineMessage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InlineMessage)

public:
    explicit InlineMessage(QWidget *parent = nullptr);

    void showError(const QString &message);
    void showInfo(const QString &message);
    QString text() const;

private:
    void show(const QString &message, bool error);

    QLabel *m_text;
};

} // namespace pf::ui
