// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "messagebox.h"

#include <QInputDialog>
#include <QMessageBox>
#include <QPushButton>

namespace pf::ui::MessageBox {

namespace {

std::optional<bool> s_nextAnswer;
std::optional<std::optional<QString>> s_nextText;
std::optional<std::optional<Clash>> s_nextClash;
QString s_lastQuestion;

} // namespace

bool confirm(QWidget *parent, const QString &title, const QString &text, const QString &action)
{
    s_lastQuestion = text;
    if (s_nextAnswer) {
        const bool answer = *s_nextAnswer;
        s_nextAnswer.reset();
        return answer;
    }
    QMessageBox box(QMessageBox::Warning, title, text, QMessageBox::Cancel, parent);
    QPushButton *yes = box.addButton(action, QMessageBox::DestructiveRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    return box.clickedButton() == yes;
}

std::optional<QString> askText(QWidget *parent, const QString &title, const QString &label,
                               const QString &initial)
{
    s_lastQuestion = label;
    if (s_nextText) {
        const std::optional<QString> answer = *s_nextText;
        s_nextText.reset();
        return answer;
    }
    bool ok = false;
    const QString text =
        QInputDialog::getText(parent, title, label, QLineEdit::Normal, initial, &ok);
    if (!ok)
        return std::nullopt;
    return text;
}

void error(QWidget *parent, const QString &title, const QString &text)
{
    s_lastQuestion = text;
    if (s_nextAnswer) {
        s_nextAnswer.reset();
        return;
    }
    QMessageBox::warning(parent, title, text);
}

std::optional<Clash> askClash(QWidget *parent, const QString &title, const QString &text,
                              const QStringList &names)
{
    constexpr int kShown = 8;
    QString details = names.mid(0, kShown).join(u'\n');
    if (names.size() > kShown)
        details += QObject::tr("\n…and %1 more").arg(names.size() - kShown);
    s_lastQuestion = text + QStringLiteral("\n\n") + details;
    if (s_nextClash) {
        const std::optional<Clash> answer = *s_nextClash;
        s_nextClash.reset();
        return answer;
    }
    QMessageBox box(QMessageBox::Question, title, text, QMessageBox::Cancel, parent);
    box.setInformativeText(details);
    QPushButton *replace = box.addButton(QObject::tr("Replace"), QMessageBox::DestructiveRole);
    QPushButton *skip = box.addButton(QObject::tr("Skip"), QMessageBox::AcceptRole);
    QPushButton *both = box.addButton(QObject::tr("Keep Both"), QMessageBox::AcceptRole);
    box.setDefaultButton(both);
    box.exec();
    if (box.clickedButton() == replace)
        return Clash::Replace;
    if (box.clickedButton() == skip)
        return Clash::Skip;
    if (box.clickedButton() == both)
        return Clash::KeepBoth;
    return std::nullopt;
}

void setNextClash(std::optional<Clash> clash)
{
    s_nextClash = clash;
}

void setNextAnswer(bool yes)
{
    s_nextAnswer = yes;
}

void setNextText(std::optional<QString> text)
{
    s_nextText = std::move(text);
}

QString lastQuestion()
{
    return s_lastQuestion;
}

} // namespace pf::ui::MessageBox
