// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <gtest/gtest.h>

#include <QDate>
#include <QJsonArray>
#include <QTime>

#include "api/job.h"
#include "tests/api/jsontestutil.h"

using namespace Qt::StringLiterals;
using namespace pf::api;
using namespace pf::apitest;

namespace {

QDateTime utc(int h, int m, int s, int ms = 0)
{
    return QDateTime(QDate(2026, 11, 22), QTime(h, m, s, ms), Qt::UTC);
}

Job fullJob()
{
    Job j;
    j.id = u"3e1e5a9c-2222-4a0f-9b7c-2f0e2d7c1a11"_s;
    j.number = 17;
    j.name = u"cifar-job"_s;
    j.status = JobStatus::Running;
    j.experiment = Experiment{4, u"computer-vision"_s};
    j.vmConfig.id = 2;
    j.vmConfig.vmConfigType.code = u"local-cpu-2c"_s;
    j.vmConfig.vmConfigType.numDevicesPerVm = 2;
    j.numDesiredDevices = 4;
    j.dataStore = JobDataStore{9, u"my-cifar-100"_s};
    j.user = JobUser{u"5f0c3b1e-1111-4a0f-9b7c-2f0e2d7c1a22"_s, u"ada"_s};
    j.createdAt = utc(6, 45, 0);
    j.startedAt = utc(6, 45, 3);
    j.finishedAt = utc(7, 10, 59);
    j.progress = 42.5;
    j.errorMessage = u"Job failed."_s;
    j.config = parse(R"({"vm_config_id": 2, "num_devices": 4})");
    return j;
}

} // namespace

TEST(Job, RoundTripAndKeys)
{
    const Job j = fullJob();
    EXPECT_EQ(roundTrip(j), j);
    const QJsonObject o = j.toJson();
    EXPECT_EQ(keysOf(o),
              keys({"id", "number", "name", "status", "experiment", "vm_config",
                    "num_desired_devices", "data_store", "user", "created_at", "started_at",
                    "finished_at", "progress", "error_message", "config"}));
    EXPECT_EQ(o.value("status"_L1).toString(), u"running"_s);
    EXPECT_EQ(o.value("number"_L1).toInteger(), 17);
    EXPECT_EQ(keysOf(o.value("experiment"_L1).toObject()), keys({"id", "name"}));
    EXPECT_EQ(keysOf(o.value("vm_config"_L1).toObject()), keys({"id", "vm_config_type"}));
    EXPECT_EQ(keysOf(o.value("data_store"_L1).toObject()), keys({"id", "name"}));
    EXPECT_EQ(o.value("data_store"_L1).toObject().value("id"_L1).toInteger(), 9);
    EXPECT_EQ(keysOf(o.value("user"_L1).toObject()), keys({"id", "username"}));
    EXPECT_EQ(o.value("num_desired_devices"_L1).toInt(), 4);
    EXPECT_EQ(o.value("created_at"_L1).toString(), u"2026-11-22T06:45:00Z"_s);
    EXPECT_EQ(o.value("progress"_L1).toDouble(), 42.5);
    EXPECT_EQ(o.value("error_message"_L1).toString(), u"Job failed."_s);
    EXPECT_EQ(o.value("config"_L1).toObject().value("num_devices"_L1).toInt(), 4);
}

TEST(Job, EmptyPartsAreNull)
{
    Job j = fullJob();
    j.dataStore.reset();
    j.startedAt = {};
    j.finishedAt = {};
    j.errorMessage.clear();
    EXPECT_EQ(roundTrip(j), j);
    const QJsonObject o = j.toJson();
    EXPECT_TRUE(o.value("data_store"_L1).isNull());
    EXPECT_TRUE(o.value("started_at"_L1).isNull());
    EXPECT_TRUE(o.value("finished_at"_L1).isNull());
    EXPECT_TRUE(o.value("error_message"_L1).isNull());
}

TEST(Job, EveryStatusSurvives)
{
    for (const JobStatus status : allJobStatuses) {
        Job j = fullJob();
        j.status = status;
        EXPECT_EQ(roundTrip(j).status, status) << toString(status).toStdString();
    }
}

TEST(Job, LenientReading)
{
    EXPECT_EQ(Job::fromJson({}), Job{});
    const Job j = Job::fromJson(parse(R"({"id": "j1", "status": "exploded", "data_store": "x",
                                          "progress": "50", "extra": 1})"));
    EXPECT_EQ(j.id, u"j1"_s);
    EXPECT_EQ(j.status, JobStatus::Waiting);
    EXPECT_FALSE(j.dataStore.has_value());
    EXPECT_EQ(j.progress, 0.0);
}

TEST(LogRecord, RoundTripAndKeys)
{
    const LogRecord r{1234, u"epoch 1 loss 0.25"_s, utc(6, 45, 1, 250), u"stdout"_s, 1};
    EXPECT_EQ(roundTrip(r), r);
    const QJsonObject o = r.toJson();
    EXPECT_EQ(keysOf(o), keys({"seq", "content", "timestamp", "type", "node_rank"}));
    EXPECT_EQ(o.value("seq"_L1).toInteger(), 1234);
    EXPECT_EQ(o.value("timestamp"_L1).toString(), u"2026-11-22T06:45:01.250Z"_s);
    EXPECT_EQ(o.value("type"_L1).toString(), u"stdout"_s);
    EXPECT_EQ(o.value("node_rank"_L1).toInt(), 1);
}

TEST(LogRecord, PlatformRecordsHaveRankMinusOne)
{
    const LogRecord r{7, u"Job completed successfully."_s, utc(7, 0, 0), u"vmlog"_s, -1};
    EXPECT_EQ(roundTrip(r), r);
    EXPECT_EQ(r.toJson().value("node_rank"_L1).toInt(), -1);
    // Seconds precision (as the rest of the API writes times) reads too.
    EXPECT_EQ(LogRecord::fromJson(parse(R"({"timestamp": "2026-11-22T07:00:00Z"})")).timestamp,
              utc(7, 0, 0));
}

TEST(LogRecord, LenientReading)
{
    EXPECT_EQ(LogRecord::fromJson({}), LogRecord{});
    EXPECT_EQ(LogRecord::fromJson(parse(R"({"seq": "1", "content": 2, "timestamp": 3,
                                            "type": [], "node_rank": 0.5})")),
              LogRecord{});
}

TEST(MetricPoint, RoundTripAndKeys)
{
    const MetricPoint p{(qint64(1) << 40), 0.125, utc(6, 50, 0, 7)};
    EXPECT_EQ(roundTrip(p), p);
    const QJsonObject o = p.toJson();
    EXPECT_EQ(keysOf(o), keys({"step", "value", "time"}));
    EXPECT_EQ(o.value("step"_L1).toInteger(), qint64(1) << 40);
    EXPECT_EQ(o.value("time"_L1).toString(), u"2026-11-22T06:50:00.007Z"_s);
    EXPECT_EQ(MetricPoint::fromJson({}), MetricPoint{});
}

TEST(MetricBucket, RoundTripAndKeys)
{
    const MetricBucket b{100, 199, 2.5, 1.25, 0.5, 3.0, 100};
    EXPECT_EQ(roundTrip(b), b);
    const QJsonObject o = b.toJson();
    EXPECT_EQ(keysOf(o), keys({"from_step", "to_step", "first", "last", "min", "max", "count"}));
    EXPECT_EQ(o.value("from_step"_L1).toInteger(), 100);
    EXPECT_EQ(o.value("to_step"_L1).toInteger(), 199);
    EXPECT_EQ(o.value("min"_L1).toDouble(), 0.5);
    EXPECT_EQ(o.value("count"_L1).toInteger(), 100);
    EXPECT_EQ(MetricBucket::fromJson({}), MetricBucket{});
}

TEST(JobCheckpoint, RoundTripAndKeys)
{
    const JobCheckpoint c{u"0b7e2d55-3333-4a0f-9b7c-2f0e2d7c1a33"_s, u"fai"_s, u"local"_s, 500,
                          utc(7, 5, 0)};
    EXPECT_EQ(roundTrip(c), c);
    const QJsonObject o = c.toJson();
    EXPECT_EQ(keysOf(o), keys({"id", "vendor", "region", "iteration", "created_at"}));
    EXPECT_EQ(o.value("iteration"_L1).toInteger(), 500);
    EXPECT_EQ(o.value("created_at"_L1).toString(), u"2026-11-22T07:05:00Z"_s);
    EXPECT_EQ(JobCheckpoint::fromJson({}), JobCheckpoint{});
}

TEST(Artifact, RoundTripAndKeys)
{
    const Artifact a{u"a1"_s, u"loss.png"_s, u"plots/loss.png"_s, utc(7, 6, 0), u"image/png"_s};
    EXPECT_EQ(roundTrip(a), a);
    const QJsonObject o = a.toJson();
    EXPECT_EQ(keysOf(o), keys({"id", "name", "path", "mtime", "mime_type"}));
    EXPECT_EQ(o.value("mime_type"_L1).toString(), u"image/png"_s);
    EXPECT_EQ(o.value("mtime"_L1).toString(), u"2026-11-22T07:06:00Z"_s);
    EXPECT_EQ(Artifact::fromJson({}), Artifact{});
    EXPECT_EQ(Artifact::fromJson(parse(R"({"id": 12})")).id, u"12"_s);
}
