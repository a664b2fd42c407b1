// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "agentreport.h"

#include <string_view>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "api/apierror.h"

namespace pf::server {

using api::ApiError;

namespace {

using Value = rapidjson::Value;

constexpr qsizetype kMaxNameChars = 256;
constexpr qsizetype kMaxMessageChars = 4000;

std::string_view view(const Value &v)
{
    return {v.GetString(), v.GetStringLength()};
}

QString text(const Value &v)
{
    return QString::fromUtf8(v.GetString(), qsizetype(v.GetStringLength()));
}

// Reads the fields of one record; every failure names the record.
class RecordReader
{
public:
    RecordReader(const Value &record, qsizetype index)
        : m_record(record)
        , m_index(index)
    {
        if (!record.IsObject())
            fail(QStringLiteral("a record must be an object."));
    }

    [[noreturn]] void fail(const QString &what) const
    {
        throw ApiError::badRequest(QStringLiteral("Record %1: %2").arg(m_index).arg(what));
    }

    const Value *find(const char *key) const
    {
        const auto it = m_record.FindMember(key);
        return it == m_record.MemberEnd() ? nullptr : &it->value;
    }

    const Value &string(const char *key) const
    {
        const Value *v = find(key);
        if (!v || !v->IsString())
            fail(QStringLiteral("`%1` must be a string.").arg(QLatin1String(key)));
        return *v;
    }

    // A missing optional integer reads as 0.
    qint64 integer(const char *key, bool required = false) const
    {
        const Value *v = find(key);
        if (!v && !required)
            return 0;
        if (!v || !v->IsInt64())
            fail(QStringLiteral("`%1` must be a whole number.").arg(QLatin1String(key)));
        return v->GetInt64();
    }

private:
    const Value &m_record;
    qsizetype m_index;
};

QString shown(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size())).left(16);
}

} // namespace

AgentReport AgentReport::parse(QByteArray body, int nodeRank)
{
    AgentReport report;
    report.m_text = std::move(body);
    rapidjson::Document doc;
    // In place: strings are unescaped where they lie, so log contents need
    // no copies. Iterative: nested brackets cannot exhaust the stack.
    // Validated: contents go to the log store as the UTF-8 they are.
    constexpr unsigned kFlags = rapidjson::kParseInsituFlag | rapidjson::kParseIterativeFlag |
                                rapidjson::kParseValidateEncodingFlag;
    doc.ParseInsitu<kFlags>(report.m_text.data()); // QByteArray ends with a NUL
    if (doc.HasParseError())
        throw ApiError::badRequest(
            QStringLiteral("The report is not valid JSON (%1 at byte %2).")
                .arg(QString::fromUtf8(rapidjson::GetParseError_En(doc.GetParseError())))
                .arg(doc.GetErrorOffset()));
    const auto records = doc.IsObject() ? doc.FindMember("records") : doc.MemberEnd();
    if (!doc.IsObject() || records == doc.MemberEnd() || !records->value.IsArray())
        throw ApiError::badRequest(QStringLiteral("A report needs `records`, a list."));

    const auto array = records->value.GetArray();
    report.entries.reserve(qsizetype(array.Size()));
    report.logs.reserve(qsizetype(array.Size()));
    qsizetype index = 0;
    for (const Value &v : array) {
        const RecordReader r(v, index++);
        const qint64 seq = r.integer("seq", true);
        if (!report.entries.isEmpty() && seq <= report.entries.constLast().seq)
            r.fail(QStringLiteral("`seq` must increase from record to record."));
        const std::string_view kind = view(r.string("kind"));
        if (kind == "log") {
            const std::string_view type = view(r.string("type"));
            QString typeName;
            if (type == "stdout")
                typeName = QStringLiteral("stdout");
            else if (type == "stderr")
                typeName = QStringLiteral("stderr");
            else if (type == "vmlog")
                typeName = QStringLiteral("vmlog");
            else
                r.fail(QStringLiteral("unknown log type '%1'.").arg(shown(type)));
            const Value &content = r.string("content");
            report.entries.append({seq, Kind::Log, report.logs.size()});
            report.logs.append(
                {QByteArray::fromRawData(content.GetString(), qsizetype(content.GetStringLength())),
                 r.integer("time_ms"), typeName, type == "vmlog" ? -1 : nodeRank});
        } else if (kind == "metric") {
            const Value *value = r.find("value");
            if (!value || !value->IsNumber())
                r.fail(QStringLiteral("a metric needs a number."));
            report.entries.append({seq, Kind::Metric, report.metrics.size()});
            report.metrics.append({text(r.string("name")).left(kMaxNameChars), r.integer("step"),
                                   value->GetDouble(), r.integer("time_ms")});
        } else if (kind == "progress") {
            report.entries.append({seq, Kind::Progress, report.progress.size()});
            report.progress.append({r.integer("step"), r.integer("total")});
        } else if (kind == "status") {
            AgentStatus status{text(r.string("status")), std::nullopt, {}};
            if (status.status != u"preparing" && status.status != u"running" &&
                status.status != u"exited")
                r.fail(QStringLiteral("unknown node status '%1'.").arg(status.status.left(16)));
            if (const Value *code = r.find("exit_code"); code && code->IsInt())
                status.exitCode = code->GetInt();
            if (const Value *message = r.find("message"); message && message->IsString())
                status.message = text(*message).left(kMaxMessageChars);
            report.entries.append({seq, Kind::Status, report.statuses.size()});
            report.statuses.append(std::move(status));
        } else {
            r.fail(QStringLiteral("unknown kind '%1'.").arg(shown(kind)));
        }
    }
    return report;
}

} // namespace pf::server
