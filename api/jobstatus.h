// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <array>
#include <optional>

#include <QString>

namespace pf::api {

// The status of a job, in lifecycle order (API.md "Jobs").
enum class JobStatus {
    Waiting,
    Enqueued,
    Started,
    Allocating,
    Preparing,
    Running,
    Success,
    Failed,
    Cancelling,
    Cancelled,
    Terminating,
    Terminated,
};

// The eight states clients show.
enum class SimplifiedStatus {
    Waiting,
    Allocating,
    Preparing,
    Running,
    Success,
    Failed,
    Stopping,
    Stopped
};

inline constexpr std::array<JobStatus, 12> allJobStatuses{
    JobStatus::Waiting,    JobStatus::Enqueued,  JobStatus::Started,     JobStatus::Allocating,
    JobStatus::Preparing,  JobStatus::Running,   JobStatus::Success,     JobStatus::Failed,
    JobStatus::Cancelling, JobStatus::Cancelled, JobStatus::Terminating, JobStatus::Terminated};
inline constexpr std::array<SimplifiedStatus, 8> allSimplifiedStatuses{
    SimplifiedStatus::Waiting,  SimplifiedStatus::Allocating, SimplifiedStatus::Preparing,
    SimplifiedStatus::Running,  SimplifiedStatus::Success,    SimplifiedStatus::Failed,
    SimplifiedStatus::Stopping, SimplifiedStatus::Stopped};

// The lower-case API strings: "waiting", "enqueued", ..., "terminated";
// "waiting", ..., "stopping", "stopped".
QString toString(JobStatus status);
QString toString(SimplifiedStatus status);

// Exact (case-sensitive) inverses of toString(); anything else gives nullopt.
std::optional<JobStatus> jobStatusFromString(const QString &s);
std::optional<SimplifiedStatus> simplifiedStatusFromString(const QString &s);

// The map clients display:
//   waiting, enqueued, started -> Waiting     allocating -> Allocating
//   preparing -> Preparing                    running -> Running
//   success -> Success                        failed -> Failed
//   cancelling, terminating -> Stopping       cancelled, terminated -> Stopped
SimplifiedStatus simplify(JobStatus status);

// success, failed, cancelled and terminated: nothing follows them.
bool isTerminal(JobStatus status);

// Whether the server may move a job from `from` to `to`. The whole table:
//
//   from          legal `to`
//   waiting       enqueued, cancelling, failed
//   enqueued      started, cancelling, failed
//   started       allocating, terminating, failed
//   allocating    preparing, terminating, failed
//   preparing     running, terminating, failed
//   running       success, terminating, failed
//   cancelling    cancelled, failed
//   terminating   terminated, failed
//   success, failed, cancelled, terminated: none (terminal)
//
// That is: the main line waiting -> enqueued -> started -> allocating ->
// preparing -> running -> success; any non-terminal status may fail; a job not
// yet started (waiting, enqueued) stops through cancelling -> cancelled, a
// started one (started .. running) through terminating -> terminated.
// Staying in the same status is not a transition (false). No step is skipped.
bool isLegalTransition(JobStatus from, JobStatus to);

} // namespace pf::api
