// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "jobstatus.h"

using namespace Qt::StringLiterals;

namespace pf::api {

QString toString(JobStatus status)
{
    switch (status) {
    case JobStatus::Waiting:
        return u"waiting"_s;
    case JobStatus::Enqueued:
        return u"enqueued"_s;
    case JobStatus::Started:
        return u"started"_s;
    case JobStatus::Allocating:
        return u"allocating"_s;
    case JobStatus::Preparing:
        return u"preparing"_s;
    case JobStatus::Running:
        return u"running"_s;
    case JobStatus::Success:
        return u"success"_s;
    case JobStatus::Failed:
        return u"failed"_s;
    case JobStatus::Cancelling:
        return u"cancelling"_s;
    case JobStatus::Cancelled:
        return u"cancelled"_s;
    case JobStatus::Terminating:
        return u"terminating"_s;
    case JobStatus::Terminated:
        return u"terminated"_s;
    }
    return {};
}

QString toString(SimplifiedStatus status)
{
    switch (status) {
    case SimplifiedStatus::Waiting:
        return u"waiting"_s;
    case SimplifiedStatus::Allocating:
        return u"allocating"_s;
    case SimplifiedStatus::Preparing:
        return u"preparing"_s;
    case SimplifiedStatus::Running:
        return u"running"_s;
    case SimplifiedStatus::Success:
        return u"success"_s;
    case SimplifiedStatus::Failed:
        return u"failed"_s;
    case SimplifiedStatus::Stopping:
        return u"stopping"_s;
    case SimplifiedStatus::Stopped:
        return u"stopped"_s;
    }
    return {};
}

std::optional<JobStatus> jobStatusFromString(const QString &s)
{
    for (const JobStatus st : allJobStatuses) {
        if (toString(st) == s)
            return st;
    }
    return std::nullopt;
}

std::optional<SimplifiedStatus> simplifiedStatusFromString(const QString &s)
{
    for (const SimplifiedStatus st : allSimplifiedStatuses) {
        if (toString(st) == s)
            return st;
    }
    return std::nullopt;
}

SimplifiedStatus simplify(JobStatus status)
{
    switch (status) {
    case JobStatus::Waiting:
    case JobStatus::Enqueued:
    case JobStatus::Started:
        return SimplifiedStatus::Waiting;
    case JobStatus::Allocating:
        return SimplifiedStatus::Allocating;
    case JobStatus::Preparing:
        return SimplifiedStatus::Preparing;
    case JobStatus::Running:
        return SimplifiedStatus::Running;
    case JobStatus::Success:
        return SimplifiedStatus::Success;
    case JobStatus::Failed:
        return SimplifiedStatus::Failed;
    case JobStatus::Cancelling:
    case JobStatus::Terminating:
        return SimplifiedStatus::Stopping;
    case JobStatus::Cancelled:
    case JobStatus::Terminated:
        return SimplifiedStatus::Stopped;
    }
    return SimplifiedStatus::Waiting;
}

bool isTerminal(JobStatus status)
{
    switch (status) {
    case JobStatus::Success:
    case JobStatus::Failed:
    case JobStatus::Cancelled:
    case JobStatus::Terminated:
        return true;
    default:
        return false;
    }
}

namespace {

// The single next step on the main line, if any.
std::optional<JobStatus> nextOnMainLine(JobStatus status)
{
    switch (status) {
    case JobStatus::Waiting:
        return JobStatus::Enqueued;
    case JobStatus::Enqueued:
        return JobStatus::Started;
    case JobStatus::Started:
        return JobStatus::Allocating;
    case JobStatus::Allocating:
        return JobStatus::Preparing;
    case JobStatus::Preparing:
        return JobStatus::Running;
    case JobStatus::Running:
        return JobStatus::Success;
    case JobStatus::Cancelling:
        return JobStatus::Cancelled;
    case JobStatus::Terminating:
        return JobStatus::Terminated;
    default:
        return std::nullopt;
    }
}

} // namespace

bool isLegalTransition(JobStatus from, JobStatus to)
{
    if (isTerminal(from) || from == to)
        return false;
    if (to == JobStatus::Failed)
        return true;
    if (nextOnMainLine(from) == to)
        return true;
    switch (from) {
    case JobStatus::Waiting:
    case JobStatus::Enqueued:
        return to == JobStatus::Cancelling;
    case JobStatus::Started:
    case JobStatus::Allocating:
    case JobStatus::Preparing:
    case JobStatus::Running:
        return to == JobStatus::Terminating;
    default:
        return false;
    }
}

} // namespace pf::api
