// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "user.h"

#include "api/json.h"

using namespace Qt::StringLiterals;

namespace pf::api {

User User::fromJson(const QJsonObject &o)
{
    return {readString(o, "id"_L1), readString(o, "username"_L1), readString(o, "name"_L1),
            readString(o, "email"_L1)};
}

QJsonObject User::toJson() const
{
    return {{u"id"_s, id}, {u"username"_s, username}, {u"name"_s, name}, {u"email"_s, email}};
}

QString UserInfo::userId() const
{
    const QLatin1StringView prefix("pf|");
    if (!sub.startsWith(prefix))
        return {};
    return sub.mid(prefix.size());
}

UserInfo UserInfo::fromJson(const QJsonObject &o)
{
    return {readString(o, "sub"_L1), readString(o, "name"_L1), readString(o, "username"_L1),
            readString(o, "email"_L1)};
}

QJsonObject UserInfo::toJson() const
{
    return {{u"sub"_s, sub}, {u"name"_s, name}, {u"username"_s, username}, {u"email"_s, email}};
}

} // namespace pf::api
