// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace pf::server {

struct Migration
{
    int version;
    QString name;
    QStringList statements;
};

// The numbered schema migrations, oldest first, in the given dialect. A
// migration once released is never edited; changes go into a new one.
QList<Migration> migrations(bool sqlite);

} // namespace pf::server
