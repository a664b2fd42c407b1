// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "tokenpair.h"

#include "api/json.h"

using namespace Qt::StringLiterals;

namespace pf::api {

TokenPair TokenPair::fromJson(const QJsonObject &o)
{
    return {readString(o, "access_token"_L1), readString(o, "refresh_token"_L1)};
}

QJsonObject TokenPair::toJson() const
{
    return {{u"access_token"_s, accessToken}, {u"refresh_token"_s, refreshToken}};
}

} // namespace pf::api
