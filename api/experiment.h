// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QJsonObject>
#include <QString>

namespace pf::api {

// An experiment, a tag grouping a project's jobs: {"id", "name"}.
struct Experiment
{
    qint64 id = 0;
    QString name;

    static Experiment fromJson(const QJsonObject &o);
    QJsonObject toJson() const;

    friend bool operator==(const Experiment &, const Experiment &) = default;
};

} // namespace pf::api
