// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <optional>

#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>

#include "api/apierror.h"
#include "server/store/pagination.h"

namespace pf::server {

class Request;

// Reads a request body strictly: each accessor records a FieldError instead
// of throwing, so that finish() can report every problem at once (400 with
// "errors"). Unknown members are errors too.
//
//   BodyReader body(request.jsonObject());
//   const QString name = body.name("name");
//   const auto region = body.optionalString("region", 64);
//   body.finish({"name", "region"});
class BodyReader
{
public:
    explicit BodyReader(QJsonObject object);
    // From a form-encoded body (every value a string).
    static BodyReader fromForm(const Request &request);

    bool has(const QString &key) const { return m_object.contains(key); }
    QString string(const QString &key, int maxLength = 256);
    std::optional<QString> optionalString(const QString &key, int maxLength = 256);
    // A display name: trimmed, 1..128 characters, no control characters.
    QString name(const QString &key);
    std::optional<QString> optionalName(const QString &key);
    QString email(const QString &key);
    QString password(const QString &key);
    qint64 integer(const QString &key, qint64 min, qint64 max);
    std::optional<qint64> optionalInteger(const QString &key, qint64 min, qint64 max);
    QJsonObject object(const QString &key);
    std::optional<QJsonObject> optionalObject(const QString &key);

    void fail(const QString &key, const QString &message);
    // Throws ApiError 400 listing every problem, unknown members included.
    void finish(const QSet<QString> &known);

private:
    QJsonObject m_object;
    QList<api::FieldError> m_errors;
    bool m_form = false; // every value arrived as text
};

// `limit` and `cursor` from the query. Throws ApiError 400.
PageRequest pageRequest(const Request &request);

} // namespace pf::server
