// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "experiment.h"

#include "api/json.h"

using namespace Qt::StringLiterals;

namespace pf::api {

Experiment Experiment::fromJson(const QJsonObject &o)
{
    return {readInt64(o, "id"_L1), readString(o, "name"_L1)};
}

QJsonObject Experiment::toJson() const
{
    return {{u"id"_s, id}, {u"name"_s, name}};
}

} // namespace pf::api
