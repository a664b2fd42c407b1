// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <set>
#include <utility>

#include <gtest/gtest.h>

#include "api/jobstatus.h"

using namespace Qt::StringLiterals;
using namespace pf::api;

namespace {

// API.md: the statuses in order, their strings and their simplified state.
struct Row
{
    JobStatus status;
    const char *name;
    SimplifiedStatus simplified;
    bool terminal;
};

const Row statusTable[] = {
    {JobStatus::Waiting, "waiting", SimplifiedStatus::Waiting, false},
    {JobStatus::Enqueued, "enqueued", SimplifiedStatus::Waiting, false},
    {JobStatus::Started, "started", SimplifiedStatus::Waiting, false},
    {JobStatus::Allocating, "allocating", SimplifiedStatus::Allocating, false},
    {JobStatus::Preparing, "preparing", SimplifiedStatus::Preparing, false},
    {JobStatus::Running, "running", SimplifiedStatus::Running, false},
    {JobStatus::Success, "success", SimplifiedStatus::Success, true},
    {JobStatus::Failed, "failed", SimplifiedStatus::Failed, true},
    {JobStatus::Cancelling, "cancelling", SimplifiedStatus::Stopping, false},
    {JobStatus::Cancelled, "cancelled", SimplifiedStatus::Stopped, true},
    {JobStatus::Terminating, "terminating", SimplifiedStatus::Stopping, false},
    {JobStatus::Terminated, "terminated", SimplifiedStatus::Stopped, true},
};

} // namespace

TEST(JobStatus, DeclarationOrderFollowsApi)
{
    int i = 0;
    for (const Row &row : statusTable)
        EXPECT_EQ(static_cast<int>(row.status), i++) << row.name;
    ASSERT_EQ(allJobStatuses.size(), std::size(statusTable));
    for (std::size_t k = 0; k < allJobStatuses.size(); ++k)
        EXPECT_EQ(allJobStatuses[k], statusTable[k].status);
}

TEST(JobStatus, StringsRoundTrip)
{
    for (const Row &row : statusTable) {
        EXPECT_EQ(toString(row.status).toStdString(), row.name);
        EXPECT_EQ(jobStatusFromString(QString::fromLatin1(row.name)), row.status) << row.name;
    }
}

TEST(JobStatus, SimplifiedStringsRoundTrip)
{
    const std::pair<SimplifiedStatus, const char *> table[] = {
        {SimplifiedStatus::Waiting, "waiting"},     {SimplifiedStatus::Allocating, "allocating"},
        {SimplifiedStatus::Preparing, "preparing"}, {SimplifiedStatus::Running, "running"},
        {SimplifiedStatus::Success, "success"},     {SimplifiedStatus::Failed, "failed"},
        {SimplifiedStatus::Stopping, "stopping"},   {SimplifiedStatus::Stopped, "stopped"}};
    ASSERT_EQ(allSimplifiedStatuses.size(), std::size(table));
    int i = 0;
    for (const auto &[status, name] : table) {
        EXPECT_EQ(static_cast<int>(status), i++) << name;
        EXPECT_EQ(toString(status).toStdString(), name);
        EXPECT_EQ(simplifiedStatusFromString(QString::fromLatin1(name)), status) << name;
    }
}

TEST(JobStatus, UnknownStringsGiveNullopt)
{
    for (const QString &s : {u""_s, u"Running"_s, u"RUNNING"_s, u"stopping"_s, u"stopped"_s,
                             u"canceled"_s, u"running "_s, u"done"_s})
        EXPECT_FALSE(jobStatusFromString(s).has_value()) << s.toStdString();
    for (const QString &s : {u""_s, u"enqueued"_s, u"terminated"_s, u"Stopped"_s})
        EXPECT_FALSE(simplifiedStatusFromString(s).has_value()) << s.toStdString();
}

TEST(JobStatus, SimplifyFollowsApiTable)
{
    for (const Row &row : statusTable)
        EXPECT_EQ(simplify(row.status), row.simplified) << row.name;
}

TEST(JobStatus, TerminalStatuses)
{
    for (const Row &row : statusTable)
        EXPECT_EQ(isTerminal(row.status), row.terminal) << row.name;
}

TEST(JobStatus, MainLineIsLegal)
{
    const JobStatus line[] = {JobStatus::Waiting,    JobStatus::Enqueued,  JobStatus::Started,
                              JobStatus::Allocating, JobStatus::Preparing, JobStatus::Running,
                              JobStatus::Success};
    for (std::size_t i = 0; i + 1 < std::size(line); ++i)
        EXPECT_TRUE(isLegalTransition(line[i], line[i + 1])) << i;
}

TEST(JobStatus, StoppingPaths)
{
    EXPECT_TRUE(isLegalTransition(JobStatus::Waiting, JobStatus::Cancelling));
    EXPECT_TRUE(isLegalTransition(JobStatus::Enqueued, JobStatus::Cancelling));
    EXPECT_TRUE(isLegalTransition(JobStatus::Cancelling, JobStatus::Cancelled));
    for (JobStatus s :
         {JobStatus::Started, JobStatus::Allocating, JobStatus::Preparing, JobStatus::Running})
        EXPECT_TRUE(isLegalTransition(s, JobStatus::Terminating)) << toString(s).toStdString();
    EXPECT_TRUE(isLegalTransition(JobStatus::Terminating, JobStatus::Terminated));

    // Cancel is for jobs not yet started, terminate for started ones.
    EXPECT_FALSE(isLegalTransition(JobStatus::Started, JobStatus::Cancelling));
    EXPECT_FALSE(isLegalTransition(JobStatus::Running, JobStatus::Cancelling));
    EXPECT_FALSE(isLegalTransition(JobStatus::Waiting, JobStatus::Terminating));
    EXPECT_FALSE(isLegalTransition(JobStatus::Enqueued, JobStatus::Terminating));
    EXPECT_FALSE(isLegalTransition(JobStatus::Cancelling, JobStatus::Terminated));
    EXPECT_FALSE(isLegalTransition(JobStatus::Terminating, JobStatus::Cancelled));
    EXPECT_FALSE(isLegalTransition(JobStatus::Cancelling, JobStatus::Running));
    EXPECT_FALSE(isLegalTransition(JobStatus::Waiting, JobStatus::Cancelled));
    EXPECT_FALSE(isLegalTransition(JobStatus::Running, JobStatus::Terminated));
}

TEST(JobStatus, AnyNonTerminalMayFail)
{
    for (const Row &row : statusTable)
        EXPECT_EQ(isLegalTransition(row.status, JobStatus::Failed), !row.terminal) << row.name;
}

TEST(JobStatus, IllegalTransitions)
{
    // No skipping, no going back, no self-transitions.
    EXPECT_FALSE(isLegalTransition(JobStatus::Waiting, JobStatus::Running));
    EXPECT_FALSE(isLegalTransition(JobStatus::Waiting, JobStatus::Started));
    EXPECT_FALSE(isLegalTransition(JobStatus::Preparing, JobStatus::Success));
    EXPECT_FALSE(isLegalTransition(JobStatus::Running, JobStatus::Preparing));
    EXPECT_FALSE(isLegalTransition(JobStatus::Running, JobStatus::Running));
    EXPECT_FALSE(isLegalTransition(JobStatus::Waiting, JobStatus::Waiting));
}

TEST(JobStatus, NothingLeavesATerminalStatus)
{
    for (const Row &from : statusTable) {
        if (!from.terminal)
            continue;
        for (const Row &to : statusTable)
            EXPECT_FALSE(isLegalTransition(from.status, to.status)) << from.name << "->" << to.name;
    }
}

TEST(JobStatus, WholeTransitionTable)
{
    // The complete set of legal pairs, as documented in jobstatus.h.
    using S = JobStatus;
    const std::set<std::pair<S, S>> legal = {
        {S::Waiting, S::Enqueued},       {S::Waiting, S::Cancelling},
        {S::Waiting, S::Failed},         {S::Enqueued, S::Started},
        {S::Enqueued, S::Cancelling},    {S::Enqueued, S::Failed},
        {S::Started, S::Allocating},     {S::Started, S::Terminating},
        {S::Started, S::Failed},         {S::Allocating, S::Preparing},
        {S::Allocating, S::Terminating}, {S::Allocating, S::Failed},
        {S::Preparing, S::Running},      {S::Preparing, S::Terminating},
        {S::Preparing, S::Failed},       {S::Running, S::Success},
        {S::Running, S::Terminating},    {S::Running, S::Failed},
        {S::Cancelling, S::Cancelled},   {S::Cancelling, S::Failed},
        {S::Terminating, S::Terminated}, {S::Terminating, S::Failed},
    };
    for (const Row &from : statusTable) {
        for (const Row &to : statusTable) {
            EXPECT_EQ(isLegalTransition(from.status, to.status),
                      legal.count({from.status, to.status}) == 1)
                << from.name << "->" << to.name;
        }
    }
}
