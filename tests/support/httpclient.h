// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <map>
#include <memory>
#include <string>

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

namespace pf::test {

struct HttpReply
{
    int status = 0; // 0: the connection failed (see error)
    QByteArray body;
    std::map<std::string, std::string> headers; // lower-case names
    QString error;

    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QJsonArray jsonArray() const { return QJsonDocument::fromJson(body).array(); }
    QString detail() const { return json().value(QStringLiteral("detail")).toString(); }
    std::string header(const std::string &lowerName) const;
};

// A blocking HTTP/1.1 client over one keep-alive connection (reconnects
// when the server closes it). For tests and benchmarks; not thread-safe.
class HttpClient
{
public:
    HttpClient(std::string host, unsigned short port);
    ~HttpClient();
    HttpClient(const HttpClient &) = delete;
    HttpClient &operator=(const HttpClient &) = delete;

    // Sent as "Authorization: Bearer <token>" when not empty.
    void setToken(const QString &token) { m_token = token; }
    const QString &token() const { return m_token; }

    HttpReply get(const QString &target);
    HttpReply del(const QString &target);
    HttpReply postJson(const QString &target, const QJsonObject &body);
    HttpReply putJson(const QString &target, const QJsonObject &body);
    HttpReply patchJson(const QString &target, const QJsonObject &body);
    HttpReply postForm(const QString &target, const QList<QPair<QString, QString>> &fields);
    // Anything: method, target, body and content type as given.
    HttpReply request(const std::string &method, const std::string &target, const std::string &body,
                      const std::string &contentType,
                      const std::map<std::string, std::string> &extraHeaders = {});
    // Writes raw bytes on a fresh connection and reads the reply (or nothing).
    HttpReply raw(const std::string &bytes);

    void disconnect();

private:
    struct Private;
    std::unique_ptr<Private> d;
    QString m_token;
};

} // namespace pf::test
