// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <optional>

#include <QString>
#include <QStringList>

class QWidget;

namespace pf::ui {

// Modal questions, with a seam for tests: when an answer is queued with
// setNextAnswer()/setNextText(), the next call returns it without showing
// anything and records what it would have asked (lastQuestion()).
namespace MessageBox {

// "Delete 3 jobs?" with a destructive button labelled `action`.
bool confirm(QWidget *parent, const QString &title, const QString &text, const QString &action);
// A line of text; nullopt when cancelled.
std::optional<QString> askText(QWidget *parent, const QString &title, const QString &label,
                               const QString &initial = {});
void error(QWidget *parent, const QString &title, const QString &text);

// What to do with files whose names are taken where they go.
enum class Clash { Replace, Skip, KeepBoth };
// "3 files already exist…": Replace, Skip or Keep Both; nullopt when
// cancelled. `names` lists the clashing names (the first few are shown).
std::optional<Clash> askClash(QWidget *parent, const QString &title, const QString &text,
                              const QStringList &names);

// Test seams.
void setNextAnswer(bool yes);
void setNextText(std::optional<QString> text);
void setNextClash(std::optional<Clash> clash);
QString lastQuestion();

} // namespace MessageBox

} // namespace pf::ui
