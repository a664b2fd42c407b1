// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "request.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QStringDecoder>

#include "api/apierror.h"
#include "server/http/bodies.h"

namespace pf::server {

using api::ApiError;

namespace {

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

std::optional<QString> decodeComponent(std::string_view in)
{
    QByteArray bytes;
    bytes.reserve(qsizetype(in.size()));
    for (size_t i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (c == '+') {
            bytes.append(' ');
        } else if (c == '%') {
            const int hi = i + 1 < in.size() ? hexValue(in[i + 1]) : -1;
            const int lo = i + 2 < in.size() ? hexValue(in[i + 2]) : -1;
            if (hi < 0 || lo < 0)
                return std::nullopt;
            bytes.append(char(hi * 16 + lo));
            i += 2;
        } else {
            bytes.append(c);
        }
    }
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString out = decoder(bytes);
    if (decoder.hasError())
        return std::nullopt;
    return out;
}

} // namespace

std::optional<QueryItems> parseUrlEncoded(std::string_view text)
{
    QueryItems items;
    size_t pos = 0;
    while (pos <= text.size()) {
        size_t amp = text.find('&', pos);
        if (amp == std::string_view::npos)
            amp = text.size();
        const std::string_view pair = text.substr(pos, amp - pos);
        if (!pair.empty()) {
            const size_t eq = pair.find('=');
            const auto key = decodeComponent(pair.substr(0, eq));
            const auto value = eq == std::string_view::npos ? std::optional<QString>(QString())
                                                            : decodeComponent(pair.substr(eq + 1));
            if (!key || !value)
                return std::nullopt;
            items.append({*key, *value});
        }
        pos = amp + 1;
    }
    return items;
}

Request::Request(Message message, QString path, QueryItems query, QString remoteAddress)
    : m_message(std::move(message))
    , m_path(std::move(path))
    , m_query(std::move(query))
    , m_remote(std::move(remoteAddress))
{}

QString Request::methodString() const
{
    const auto m = m_message.method_string();
    return QString::fromLatin1(m.data(), qsizetype(m.size()));
}

QByteArray Request::header(std::string_view name) const
{
    const auto it = m_message.find(name);
    if (it == m_message.end())
        return {};
    const auto v = it->value();
    return QByteArray(v.data(), qsizetype(v.size()));
}

qint64 Request::bodySize() const
{
    return m_bodyFile.isEmpty() ? qint64(m_message.body().size()) : QFileInfo(m_bodyFile).size();
}

qint64 Request::intParam(const QString &name) const
{
    return m_params.value(name).toLongLong();
}

std::optional<QString> Request::query(const QString &name) const
{
    for (auto it = m_query.crbegin(); it != m_query.crend(); ++it) {
        if (it->first == name)
            return it->second;
    }
    return std::nullopt;
}

QByteArray Request::bodyMd5() const
{
    return m_bodyMd5 ? m_bodyMd5->finish() : QByteArray();
}

void Request::requireJson() const
{
    // application/json or any "+json" type, with or without parameters; a
    // missing Content-Type is taken as JSON.
    const QByteArray type = header("Content-Type").split(';').first().trimmed().toLower();
    if (!type.isEmpty() && type != "application/json" && !type.endsWith("+json"))
        throw ApiError(
            415, QStringLiteral("This route takes a JSON body (Content-Type: application/json), "
                                "not %1.")
                     .arg(QString::fromLatin1(type.left(64))));
}

QJsonObject Request::jsonObject() const
{
    requireJson();
    QByteArray spooled;
    if (!m_bodyFile.isEmpty()) { // a spoolBody route that also takes JSON
        QFile file(m_bodyFile);
        if (file.size() > 1024 * 1024)
            throw ApiError::payloadTooLarge(QStringLiteral("A JSON body may hold at most 1 MiB."));
        if (!file.open(QIODevice::ReadOnly))
            throw std::runtime_error("cannot read a spooled request body");
        spooled = file.readAll();
    }
    const QByteArray body =
        m_bodyFile.isEmpty()
            ? QByteArray::fromRawData(m_message.body().data(), qsizetype(m_message.body().size()))
            : spooled;
    if (body.isEmpty())
        throw ApiError::badRequest(QStringLiteral("The request needs a JSON object body."));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        throw ApiError::badRequest(QStringLiteral("The body is not valid JSON: %1 at offset %2.")
                                       .arg(error.errorString())
                                       .arg(error.offset));
    if (!doc.isObject())
        throw ApiError::badRequest(QStringLiteral("The body must be a JSON object."));
    return doc.object();
}

QueryItems Request::formBody() const
{
    const auto items = parseUrlEncoded(m_message.body());
    if (!items)
        throw ApiError::badRequest(
            QStringLiteral("The form body is malformed (bad percent escape or not UTF-8)."));
    return *items;
}

} // namespace pf::server
