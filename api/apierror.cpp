// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "apierror.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace pf::api {

ApiError::ApiError(int status, QString detail, QList<FieldError> errors)
    : m_status(status)
    , m_detail(std::move(detail))
    , m_errors(std::move(errors))
    , m_what(QString::number(m_status).toUtf8() + ' ' + m_detail.toUtf8())
{}

QJsonObject ApiError::toJson() const
{
    QJsonObject body{{QStringLiteral("detail"), m_detail}};
    if (!m_errors.isEmpty()) {
        QJsonArray errors;
        for (const FieldError &e : m_errors)
            errors.append(QJsonObject{{QStringLiteral("path"), e.path},
                                      {QStringLiteral("message"), e.message}});
        body.insert(QStringLiteral("errors"), errors);
    }
    return body;
}

ApiError ApiError::fromJson(int status, const QJsonObject &body)
{
    QString detail;
    const QJsonValue d = body.value(QStringLiteral("detail"));
    if (d.isString())
        detail = d.toString();
    else if (!d.isUndefined() && !d.isNull())
        // Some servers put a list or object in detail; keep it readable.
        detail = QString::fromUtf8(
            QJsonDocument(d.isArray() ? QJsonDocument(d.toArray()) : QJsonDocument(d.toObject()))
                .toJson(QJsonDocument::Compact));
    if (detail.isEmpty())
        detail = reasonPhrase(status);
    QList<FieldError> errors;
    const QJsonArray list = body.value(QStringLiteral("errors")).toArray();
    for (const QJsonValue &v : list) {
        const QJsonObject o = v.toObject();
        errors.append({o.value(QStringLiteral("path")).toString(),
                       o.value(QStringLiteral("message")).toString()});
    }
    return ApiError(status, detail, errors);
}

ApiError ApiError::badRequest(const QString &detail, QList<FieldError> errors)
{
    return ApiError(400, detail, std::move(errors));
}
ApiError ApiError::unauthorized(const QString &detail)
{
    return ApiError(401, detail);
}
ApiError ApiError::forbidden(const QString &detail)
{
    return ApiError(403, detail);
}
ApiError ApiError::notFound(const QString &detail)
{
    return ApiError(404, detail);
}
ApiError ApiError::conflict(const QString &detail)
{
    return ApiError(409, detail);
}
ApiError ApiError::payloadTooLarge(const QString &detail)
{
    return ApiError(413, detail);
}
ApiError ApiError::unprocessable(const QString &detail, QList<FieldError> errors)
{
    return ApiError(422, detail, std::move(errors));
}
ApiError ApiError::tooManyRequests(const QString &detail, int retryAfterSecs)
{
    ApiError e(429, detail);
    e.m_retryAfter = retryAfterSecs;
    return e;
}
ApiError ApiError::notImplemented(const QString &detail)
{
    return ApiError(501, detail);
}

QString ApiError::reasonPhrase(int status)
{
    switch (status) {
    case 400:
        return QStringLiteral("Bad Request");
    case 401:
        return QStringLiteral("Unauthorized");
    case 403:
        return QStringLiteral("Forbidden");
    case 404:
        return QStringLiteral("Not Found");
    case 405:
        return QStringLiteral("Method Not Allowed");
    case 408:
        return QStringLiteral("Request Timeout");
    case 409:
        return QStringLiteral("Conflict");
    case 411:
        return QStringLiteral("Length Required");
    case 413:
        return QStringLiteral("Payload Too Large");
    case 415:
        return QStringLiteral("Unsupported Media Type");
    case 416:
        return QStringLiteral("Range Not Satisfiable");
    case 422:
        return QStringLiteral("Unprocessable Entity");
    case 429:
        return QStringLiteral("Too Many Requests");
    case 500:
        return QStringLiteral("Internal Server Error");
    case 501:
        return QStringLiteral("Not Implemented");
    case 503:
        return QStringLiteral("Service Unavailable");
    case 504:
        return QStringLiteral("Gateway Timeout");
    default:
        return QStringLiteral("HTTP %1").arg(status);
    }
}

} // namespace pf::api
