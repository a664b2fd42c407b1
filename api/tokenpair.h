// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QJsonObject>
#include <QString>

namespace pf::api {

// The answer of POST /api/token/ and /api/token/refresh/:
// {"access_token", "refresh_token"}.
struct TokenPair
{
    QString accessToken;
    QString refreshToken;

    static TokenPair fromJson(const QJsonObject &o);
    QJsonObject toJson() const;

    friend bool operator==(const TokenPair &, const TokenPair &) = default;
};

} // namespace pf::api
