// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <memory>
#include <optional>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>

namespace pf::server {

class FileMd5;

using QueryItems = QList<QPair<QString, QString>>;

// Decodes application/x-www-form-urlencoded text (also used for query
// strings): '+' is a space, %XX is a byte, the result must be UTF-8.
// Returns nullopt for malformed percent escapes or invalid UTF-8.
std::optional<QueryItems> parseUrlEncoded(std::string_view text);

// One HTTP request as a handler sees it. Built by the transport on an I/O
// thread, then handed to exactly one worker thread; not shared.
class Request
{
public:
    using Message = boost::beast::http::request<boost::beast::http::string_body>;

    Request(Message message, QString path, QueryItems query, QString remoteAddress);

    boost::beast::http::verb method() const { return m_message.method(); }
    QString methodString() const;
    // The percent-decoded path, without the query string.
    const QString &path() const { return m_path; }
    const QString &remoteAddress() const { return m_remote; }

    // Header value, empty when absent.
    QByteArray header(std::string_view name) const;
    const std::string &rawBody() const { return m_message.body(); }
    // For spoolBody routes: the file holding the body. The handler may move
    // it elsewhere; whatever is left there is removed after the handler.
    const QString &bodyFile() const { return m_bodyFile; }
    void setBodyFile(QString path, std::shared_ptr<FileMd5> md5 = {})
    {
        m_bodyFile = std::move(path);
        m_bodyMd5 = std::move(md5);
    }
    // The spooled body's MD5 in hex, computed as it arrived (this waits for
    // the hashing to catch up; call it from a worker, not an I/O thread).
    QByteArray bodyMd5() const;
    qint64 bodySize() const;

    // Path parameters captured by the router ({gid}, {id}, ...).
    void setParams(QHash<QString, QString> params) { m_params = std::move(params); }
    QString param(const QString &name) const { return m_params.value(name); }
    // An {name:int} parameter; the router has already checked its form.
    qint64 intParam(const QString &name) const;

    // The last value of a query parameter, or nullopt when absent.
    std::optional<QString> query(const QString &name) const;

    // Body parsers; each throws ApiError 400 with a message a person
    // understands when the body is not what the route takes.
    QJsonObject jsonObject() const;
    // Throws ApiError 415 unless the Content-Type is JSON (or absent), for
    // routes that parse rawBody() themselves.
    void requireJson() const;
    QueryItems formBody() const;

    // Who made the request, for the access log (set once authenticated).
    void setUserForLog(QString user) { m_logUser = std::move(user); }
    const QString &userForLog() const { return m_logUser; }

private:
    Message m_message;
    QString m_path;
    QueryItems m_query;
    QString m_remote;
    QHash<QString, QString> m_params;
    QString m_logUser;
    QString m_bodyFile;
    std::shared_ptr<FileMd5> m_bodyMd5;
};

} // namespace pf::server
