// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "job.h"

#include "api/json.h"

using namespace Qt::StringLiterals;

namespace pf::api {
namespace {

// Log lines and metric points come many to a second; the API's seconds would
// lose their order, so these times keep milliseconds (still ISO 8601 UTC, and
// timeFromJson() reads them).
QJsonValue preciseTimeToJson(const QDateTime &time)
{
    if (!time.isValid())
        return QJsonValue(QJsonValue::Null);
    return time.toUTC().toString(u"yyyy-MM-dd'T'HH:mm:ss.zzz'Z'"_s);
}

} // namespace

JobDataStore JobDataStore::fromJson(const QJsonObject &o)
{
    return {readInt64(o, "id"_L1), readString(o, "name"_L1)};
}

QJsonObject JobDataStore::toJson() const
{
    return {{u"id"_s, id}, {u"name"_s, name}};
}

JobUser JobUser::fromJson(const QJsonObject &o)
{
    return {readString(o, "id"_L1), readString(o, "username"_L1)};
}

QJsonObject JobUser::toJson() const
{
    return {{u"id"_s, id}, {u"username"_s, username}};
}

Job Job::fromJson(const QJsonObject &o)
{
    Job j;
    j.id = readString(o, "id"_L1);
    j.number = readInt64(o, "number"_L1);
    j.name = readString(o, "name"_L1);
    j.status = jobStatusFromString(readString(o, "status"_L1)).value_or(JobStatus::Waiting);
    j.experiment = Experiment::fromJson(readObject(o, "experiment"_L1));
    j.vmConfig = VmConfig::fromJson(readObject(o, "vm_config"_L1));
    j.numDesiredDevices = readInt(o, "num_desired_devices"_L1);
    const QJsonValue dataStore = o.value("data_store"_L1);
    if (dataStore.isObject())
        j.dataStore = JobDataStore::fromJson(dataStore.toObject());
    j.user = JobUser::fromJson(readObject(o, "user"_L1));
    j.createdAt = readTime(o, "created_at"_L1);
    j.startedAt = readTime(o, "started_at"_L1);
    j.finishedAt = readTime(o, "finished_at"_L1);
    j.progress = readDouble(o, "progress"_L1);
    j.errorMessage = readString(o, "error_message"_L1);
    j.config = readObject(o, "config"_L1);
    return j;
}

QJsonObject Job::toJson() const
{
    return {{u"id"_s, id},
            {u"number"_s, number},
            {u"name"_s, name},
            {u"status"_s, toString(status)},
            {u"experiment"_s, experiment.toJson()},
            {u"vm_config"_s, vmConfig.toJson()},
            {u"num_desired_devices"_s, numDesiredDevices},
            {u"data_store"_s,
             dataStore ? QJsonValue(dataStore->toJson()) : QJsonValue(QJsonValue::Null)},
            {u"user"_s, user.toJson()},
            {u"created_at"_s, timeToJson(createdAt)},
            {u"started_at"_s, timeToJson(startedAt)},
            {u"finished_at"_s, timeToJson(finishedAt)},
            {u"progress"_s, progress},
            {u"error_message"_s, stringOrNull(errorMessage)},
            {u"config"_s, config}};
}

LogRecord LogRecord::fromJson(const QJsonObject &o)
{
    return {readInt64(o, "seq"_L1), readString(o, "content"_L1), readTime(o, "timestamp"_L1),
            readString(o, "type"_L1), readInt(o, "node_rank"_L1)};
}

QJsonObject LogRecord::toJson() const
{
    return {{u"seq"_s, seq},
            {u"content"_s, content},
            {u"timestamp"_s, preciseTimeToJson(timestamp)},
            {u"type"_s, type},
            {u"node_rank"_s, nodeRank}};
}

MetricPoint MetricPoint::fromJson(const QJsonObject &o)
{
    return {readInt64(o, "step"_L1), readDouble(o, "value"_L1), readTime(o, "time"_L1)};
}

QJsonObject MetricPoint::toJson() const
{
    return {{u"step"_s, step}, {u"value"_s, value}, {u"time"_s, preciseTimeToJson(time)}};
}

MetricBucket MetricBucket::fromJson(const QJsonObject &o)
{
    return {readInt64(o, "from_step"_L1), readInt64(o, "to_step"_L1), readDouble(o, "first"_L1),
            readDouble(o, "last"_L1),     readDouble(o, "min"_L1),    readDouble(o, "max"_L1),
            readInt64(o, "count"_L1)};
}

QJsonObject MetricBucket::toJson() const
{
    return {{u"from_step"_s, fromStep}, {u"to_step"_s, toStep}, {u"first"_s, first},
            {u"last"_s, last},          {u"min"_s, min},        {u"max"_s, max},
            {u"count"_s, count}};
}

JobCheckpoint JobCheckpoint::fromJson(const QJsonObject &o)
{
    return {readString(o, "id"_L1), readString(o, "vendor"_L1), readString(o, "region"_L1),
            readInt64(o, "iteration"_L1), readTime(o, "created_at"_L1)};
}

QJsonObject JobCheckpoint::toJson() const
{
    return {{u"id"_s, id},
            {u"vendor"_s, vendor},
            {u"region"_s, region},
            {u"iteration"_s, iteration},
            {u"created_at"_s, timeToJson(createdAt)}};
}

Artifact Artifact::fromJson(const QJsonObject &o)
{
    Artifact a;
    const QJsonValue id = o.value("id"_L1);
    if (id.isString())
        a.id = id.toString();
    else if (id.isDouble() && id.toInteger(0) == id.toInteger(1))
        a.id = QString::number(id.toInteger());
    a.name = readString(o, "name"_L1);
    a.path = readString(o, "path"_L1);
    a.mtime = readTime(o, "mtime"_L1);
    a.mimeType = readString(o, "mime_type"_L1);
    return a;
}

QJsonObject Artifact::toJson() const
{
    return {{u"id"_s, id},
            {u"name"_s, name},
            {u"path"_s, path},
            {u"mtime"_s, timeToJson(mtime)},
            {u"mime_type"_s, mimeType}};
}

} // namespace pf::api
