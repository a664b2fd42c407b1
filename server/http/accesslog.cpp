// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "accesslog.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

namespace pf::server {

AccessLog::AccessLog(FILE *out)
    : m_out(out)
{}

void AccessLog::write(const AccessRecord &r)
{
    if (!m_out)
        return;
    QJsonObject o{
        {QStringLiteral("ts"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
        {QStringLiteral("log"), QStringLiteral("access")},
        {QStringLiteral("remote"), r.remote},
        {QStringLiteral("method"), r.method},
        {QStringLiteral("path"), r.path},
        {QStringLiteral("status"), r.status},
        {QStringLiteral("in"), r.bytesIn},
        {QStringLiteral("out"), r.bytesOut},
        {QStringLiteral("ms"), qRound(r.millis * 100) / 100.0},
    };
    if (!r.user.isEmpty())
        o.insert(QStringLiteral("user"), r.user);
    QByteArray line = QJsonDocument(o).toJson(QJsonDocument::Compact);
    line.append('\n');
    std::lock_guard lock(m_mutex);
    std::fwrite(line.constData(), 1, size_t(line.size()), m_out);
    std::fflush(m_out);
}

} // namespace pf::server
