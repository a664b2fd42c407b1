// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <optional>

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include "api/experiment.h"
#include "api/jobstatus.h"
#include "api/vm.h"

namespace pf::api {

// The dataset a job mounts, as a job shows it: {"id", "name"}.
struct JobDataStore
{
    qint64 id = 0;
    QString name;

    static JobDataStore fromJson(const QJsonObject &o);
    QJsonObject toJson() const;

    friend bool operator==(const JobDataStore &, const JobDataStore &) = default;
};

// Who submitted a job: {"id", "username"}.
struct JobUser
{
    QString id; // UUID
    QString username;

    static JobUser fromJson(const QJsonObject &o);
    QJsonObject toJson() const;

    friend bool operator==(const JobUser &, const JobUser &) = default;
};

// A job (API.md "Jobs"): {"id", "number", "name", "status", "experiment":
// {"id", "name"}, "vm_config": {"id", "vm_config_type": {...}},
// "num_desired_devices", "data_store": {"id", "name"} | null, "user": {"id",
// "username"}, "created_at", "started_at", "finished_at", "progress",
// "error_message", "config"}.
//
// Times not yet reached are null (JSON null); an empty `errorMessage` is
// written as null. A status the client does not know (or none) reads as
// Waiting. `config` is the spec as the server stored it (JobSpec::toJson()).
struct Job
{
    QString id;        // UUID
    qint64 number = 0; // per project; REST paths use it
    QString name;
    JobStatus status = JobStatus::Waiting;
    Experiment experiment;
    VmConfig vmConfig;
    int numDesiredDevices = 0;
    std::optional<JobDataStore> dataStore;
    JobUser user;
    QDateTime createdAt;
    QDateTime startedAt;
    QDateTime finishedAt;
    double progress = 0.0; // 0-100
    QString errorMessage;
    QJsonObject config;

    static Job fromJson(const QJsonObject &o);
    QJsonObject toJson() const;

    friend bool operator==(const Job &, const Job &) = default;
};

// One line of a job's log: {"seq", "content", "timestamp", "type",
// "node_rank"}. `type` is "stdout", "stderr" or "vmlog"; `nodeRank` -1 marks
// a platform message ("Job completed successfully."). `seq` increases by one
// per record of a job, so clients drop duplicates by it. The timestamp is
// written with milliseconds ("2026-11-22T06:45:00.123Z"), which order the
// lines of a second.
struct LogRecord
{
    qint64 seq = 0;
    QString content;
    QDateTime timestamp;
    QString type;
    int nodeRank = 0;

    static LogRecord fromJson(const QJsonObject &o);
    QJsonObject toJson() const;

    friend bool operator==(const LogRecord &, const LogRecord &) = default;
};

// One raw point of a metric: {"step", "value", "time"}, `time` with
// milliseconds like LogRecord's timestamp.
struct MetricPoint
{
    qint64 step = 0;
    double value = 0.0;
    QDateTime time;

    static MetricPoint fromJson(const QJsonObject &o);
    QJsonObject toJson() const;

    friend bool operator==(const MetricPoint &, const MetricPoint &) = default;
};

// A metric summarised over the steps fromStep..toStep (inclusive), for
// charts of long runs: {"from_step", "to_step", "first", "last", "min",
// "max", "count"}; `count` points fell into it.
struct MetricBucket
{
    qint64 fromStep = 0;
    qint64 toStep = 0;
    double first = 0.0;
    double last = 0.0;
    double min = 0.0;
    double max = 0.0;
    qint64 count = 0;

    static MetricBucket fromJson(const QJsonObject &o);
    QJsonObject toJson() const;

    friend bool operator==(const MetricBucket &, const MetricBucket &) = default;
};

// One entry of GET /api/project/{pid}/job/{number}/checkpoint/:
// {"id", "vendor", "region", "iteration", "created_at"}.
struct JobCheckpoint
{
    QString id; // UUID
    QString vendor;
    QString region;
    qint64 iteration = 0;
    QDateTime createdAt;

    static JobCheckpoint fromJson(const QJsonObject &o);
    QJsonObject toJson() const;

    friend bool operator==(const JobCheckpoint &, const JobCheckpoint &) = default;
};

// A file a job produced, from GET /api/project/{pid}/job/{number}/artifact/:
// {"id", "name", "path", "mtime", "mime_type"}. `id` is a string; a number
// in its place reads as its decimal digits.
struct Artifact
{
    QString id;
    QString name;
    QString path; // relative, "/"-separated
    QDateTime mtime;
    QString mimeType;

    static Artifact fromJson(const QJsonObject &o);
    QJsonObject toJson() const;

    friend bool operator==(const Artifact &, const Artifact &) = default;
};

} // namespace pf::api
