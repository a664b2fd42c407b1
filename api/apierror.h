// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <exception>

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace pf::api {

// One failed check of a request body: where (a dotted path such as
// "job_setting.docker.image", empty for the whole body) and why.
struct FieldError
{
    QString path;
    QString message;

    friend bool operator==(const FieldError &, const FieldError &) = default;
};

// The error body of the REST API: an HTTP status and {"detail", "errors"?}.
// The server throws it from handlers and maps it to a response in one place;
// clients build it from a reply to show `detail` to the user.
class ApiError : public std::exception
{
public:
    ApiError(int status, QString detail, QList<FieldError> errors = {});

    int status() const { return m_status; }
    const QString &detail() const { return m_detail; }
    const QList<FieldError> &errors() const { return m_errors; }

    // Seconds a client should wait before trying again (429/503), or 0.
    int retryAfter() const { return m_retryAfter; }

    QJsonObject toJson() const;
    // Unknown members are ignored; a body without "detail" gets a generic one
    // for its status.
    static ApiError fromJson(int status, const QJsonObject &body);

    const char *what() const noexcept override { return m_what.constData(); }

    static ApiError badRequest(const QString &detail, QList<FieldError> errors = {});
    static ApiError unauthorized(const QString &detail);
    static ApiError forbidden(const QString &detail);
    static ApiError notFound(const QString &detail);
    static ApiError conflict(const QString &detail);
    static ApiError payloadTooLarge(const QString &detail);
    static ApiError unprocessable(const QString &detail, QList<FieldError> errors);
    static ApiError tooManyRequests(const QString &detail, int retryAfterSecs);
    static ApiError notImplemented(const QString &detail);

    // The reason phrase used when a body carries no detail ("Not Found").
    static QString reasonPhrase(int status);

private:
    int m_status;
    QString m_detail;
    QList<FieldError> m_errors;
    QByteArray m_what;
    int m_retryAfter = 0;
};

} // namespace pf::api
