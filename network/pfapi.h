// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <functional>
#include <optional>
#include <variant>

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include "api/checkpoint.h"
#include "api/credential.h"
#include "api/dataset.h"
#include "api/experiment.h"
#include "api/job.h"
#include "api/org.h"
#include "api/page.h"
#include "api/project.h"
#include "api/user.h"
#include "api/vm.h"
#include "network/apisession.h"

namespace pf::network {

// What a typed call came back with: the raw outcome (status, the message to
// show on failure) and, when it succeeded, the decoded value.
template <typename T>
struct Reply
{
    ApiResult result;
    T value{};

    bool ok() const { return result.ok(); }
    const QString &message() const { return result.message; }
};

template <typename T>
using Callback = std::function<void(const Reply<T> &)>;
using Empty = std::monostate;

// The answer of POST /auth/pf_group/{gid}/invite: the code to pass on by hand
// when pfd has no mail server.
struct Invitation
{
    QString email;
    QString emailToken;
    QString key;
};

// One signed single-PUT URL (dataset or checkpoint-form upload).
struct UploadUrl
{
    QString path;
    QString uploadUrl;
};

// A multipart upload under way: its id and one signed URL per part.
struct MultipartUpload
{
    QString path;
    QString uploadId;
    struct Part
    {
        int partNumber = 0;
        QString uploadUrl;
    };
    QList<Part> parts;
};

struct CompletedPart
{
    int partNumber = 0;
    QString etag;
};

// Filters of GET /api/project/{pid}/job/. Empty members are left out.
struct JobQuery
{
    QStringList statuses; // API statuses, e.g. "running"
    QString jobName;
    QString vmCode;
    QStringList userIds;
    QDateTime since;
    QDateTime until;
};

// Query of GET .../text_log/.
struct LogQuery
{
    int limit = 0; // 0: the server's default
    bool ascending = false;
    QString content;
    QStringList logTypes;
    QList<int> nodeRanks;
    QString cursor;
};

struct MetricInfo
{
    QString name;
    qint64 count = 0;
};

// A log page: records and the cursor of the next page.
using LogPage = api::Page<api::LogRecord>;

// One typed function per route of shared/API.md, over an injected session.
// Not a QObject; it holds a pointer to the session, which must outlive it.
// Every callback runs exactly once, on the session's thread.
//
//   PfApi api(session);
//   api.jobs(projectId, {}, {}, 50, [](const Reply<api::Page<api::Job>> &r) {
//       if (!r.ok()) return showError(r.message());
//       ...
//   });
class PfApi
{
public:
    explicit PfApi(ApiSession *session)
        : m_session(session)
    {}

    ApiSession *session() const { return m_session; }

    // Users
    void userInfo(Callback<api::UserInfo> done);
    void signUp(const QString &username, const QString &name, const QString &email,
                const QString &password, Callback<api::User> done);
    void confirmSignUp(const QString &emailToken, const QString &key, Callback<Empty> done);
    void changePassword(const QString &userId, const QString &oldPassword,
                        const QString &newPassword, Callback<Empty> done);
    void userOrgs(const QString &userId, Callback<QList<api::UserOrg>> done);
    void userProjects(const QString &userId, const QString &orgId, const QString &cursor,
                      Callback<api::Page<api::Project>> done);

    // Organizations
    void createOrg(const QString &name, Callback<api::Org> done);
    void org(const QString &orgId, Callback<api::Org> done);
    void deleteOrg(const QString &orgId, Callback<Empty> done);
    void inviteToOrg(const QString &orgId, const QString &email, const QString &message,
                     Callback<Invitation> done);
    void confirmOrgInvite(const QString &emailToken, const QString &key, Callback<Empty> done);
    void orgMembers(const QString &orgId, const QString &search, const QString &cursor,
                    Callback<api::Page<api::OrgMember>> done);
    void setOrgRole(const QString &userId, const QString &orgId, api::OrgRole role,
                    Callback<Empty> done);
    void removeOrgMember(const QString &userId, const QString &orgId, Callback<Empty> done);

    // Projects
    void createProject(const QString &orgId, const QString &name, Callback<api::Project> done);
    void orgProjects(const QString &orgId, const QString &cursor,
                     Callback<api::Page<api::Project>> done);
    void project(const QString &projectId, Callback<api::Project> done);
    void deleteProject(const QString &projectId, Callback<Empty> done);
    void projectMembers(const QString &projectId, const QString &cursor,
                        Callback<api::Page<api::ProjectMember>> done);
    void addProjectMember(const QString &userId, const QString &projectId, api::ProjectRole role,
                          Callback<Empty> done);
    void setProjectRole(const QString &userId, const QString &projectId, api::ProjectRole role,
                        Callback<Empty> done);
    void projectMembership(const QString &userId, const QString &projectId,
                           Callback<api::ProjectMembership> done);
    void removeProjectMember(const QString &userId, const QString &projectId, Callback<Empty> done);

    // Credentials
    void credentialTypes(Callback<QList<api::CredentialType>> done);
    void createCredential(const QString &projectId, const QString &type, const QString &name,
                          int typeVersion, const QJsonObject &value,
                          Callback<api::Credential> done);
    // `type` empty: every type.
    void credentials(const QString &projectId, const QString &type,
                     Callback<QList<api::Credential>> done);
    void credential(const QString &credentialId, Callback<api::Credential> done);
    // `changes`: any of name, type_version, value.
    void updateCredential(const QString &credentialId, const QJsonObject &changes,
                          Callback<api::Credential> done);
    void deleteCredential(const QString &credentialId, Callback<Empty> done);

    // VMs and quotas
    void vmConfigs(const QString &orgId, Callback<QList<api::VmConfig>> done);
    void vmQuotas(const QString &projectId, Callback<QList<api::VmQuota>> done);
    // `vmConfigId` 0: the locks of every VM config of the project.
    void vmLocks(const QString &projectId, qint64 vmConfigId, const QStringList &statuses,
                 Callback<QList<api::VmLock>> done);
    void groupQuotas(const QString &orgId, Callback<QList<api::GroupQuota>> done);
    void createGroupQuota(const QString &orgId, const QString &vmCode, const QString &projectId,
                          int quota, Callback<api::GroupQuota> done);
    void setGroupQuota(const QString &orgId, qint64 quotaId, int quota,
                       Callback<api::GroupQuota> done);
    void deleteGroupQuota(const QString &orgId, qint64 quotaId, Callback<Empty> done);

    // Experiments and templates
    void experiments(const QString &projectId, Callback<QList<api::Experiment>> done);
    void createExperiment(const QString &projectId, const QString &name,
                          Callback<api::Experiment> done);
    void experimentJobs(qint64 experimentId, const QString &cursor,
                        Callback<api::Page<api::Job>> done);
    void renameExperiment(qint64 experimentId, const QString &name, Callback<api::Experiment> done);
    void deleteExperiment(qint64 experimentId, Callback<Empty> done);
    void jobTemplates(Callback<QJsonArray> done);

    // Datasets
    void datasets(const QString &projectId, Callback<QList<api::Dataset>> done);
    // `dataset`: name, vendor, and what else the route takes (see Dataset::toJson()).
    void createDataset(const QString &projectId, const QJsonObject &dataset,
                       Callback<api::Dataset> done);
    void dataset(qint64 datasetId, Callback<api::Dataset> done);
    void updateDataset(qint64 datasetId, const QJsonObject &changes, Callback<api::Dataset> done);
    void deleteDataset(qint64 datasetId, Callback<Empty> done);
    void datasetUploadUrls(qint64 datasetId, const QStringList &paths,
                           Callback<QList<UploadUrl>> done);
    // With `resumeUploadId`: new part URLs for that open upload (docs/api.md).
    void startDatasetMultipart(qint64 datasetId, const QString &path, int numParts,
                               Callback<MultipartUpload> done, const QString &resumeUploadId = {});
    void completeDatasetMultipart(qint64 datasetId, const QString &path, const QString &uploadId,
                                  const QList<CompletedPart> &parts, Callback<Empty> done);
    void abortDatasetMultipart(qint64 datasetId, const QString &path, const QString &uploadId,
                               Callback<Empty> done);
    // Signed download URLs of every file, or of `path` only.
    void datasetDownload(qint64 datasetId, const QString &path,
                         Callback<QList<api::StoredFile>> done);

    // Jobs
    void createJob(const QString &projectId, const QJsonObject &spec, Callback<api::Job> done);
    // The same with a workspace zip (WorkspaceZip), as multipart: `data` the
    // spec as JSON, `workspace_zip` the file, streamed from disk (opened
    // again if the call is replayed after a token refresh). The file must
    // stay until `done` has run; the caller removes it then. `progress`
    // (may be empty): bytes of the body sent so far.
    void createJobWithWorkspace(const QString &projectId, const QJsonObject &spec,
                                const QString &zipPath, ApiSession::UploadProgress progress,
                                Callback<api::Job> done);
    void jobs(const QString &projectId, const JobQuery &query, const QString &cursor, int limit,
              Callback<api::Page<api::Job>> done);
    void job(const QString &projectId, qint64 number, Callback<api::Job> done);
    void deleteJob(const QString &projectId, qint64 number, Callback<Empty> done);
    void cancelJob(const QString &projectId, qint64 number, Callback<api::Job> done);
    void terminateJob(const QString &projectId, qint64 number, Callback<api::Job> done);
    void jobLogs(const QString &projectId, qint64 number, const LogQuery &query,
                 Callback<LogPage> done);
    void jobCheckpoints(const QString &projectId, qint64 number,
                        Callback<QList<api::JobCheckpoint>> done);
    void jobArtifacts(const QString &projectId, qint64 number, Callback<QList<api::Artifact>> done);
    void artifactDownload(const QString &projectId, qint64 number, const QString &artifactId,
                          Callback<QString> done);
    void jobMetrics(const QString &projectId, qint64 number, Callback<QList<MetricInfo>> done);
    void metricPoints(const QString &projectId, qint64 number, const QString &name,
                      qint64 sinceStep, int limit, Callback<QList<api::MetricPoint>> done);
    void metricBuckets(const QString &projectId, qint64 number, const QString &name, int buckets,
                       qint64 fromStep, qint64 toStep, Callback<QList<api::MetricBucket>> done);

    // Checkpoints (model registry)
    // `category` USER, JOB or empty for both; `deleted`: the soft-deleted ones.
    void checkpoints(const QString &orgId, const QString &projectId, const QString &category,
                     bool deleted, const QString &cursor,
                     Callback<api::Page<api::Checkpoint>> done);
    void createCheckpoint(const QString &orgId, const QString &projectId,
                          const QJsonObject &checkpoint, Callback<api::Checkpoint> done);
    void checkpoint(const QString &checkpointId, Callback<api::Checkpoint> done);
    void updateCheckpoint(const QString &checkpointId, const QJsonObject &changes,
                          Callback<api::Checkpoint> done);
    void deleteCheckpoint(const QString &checkpointId, Callback<Empty> done);
    void restoreCheckpoint(const QString &checkpointId, Callback<api::Checkpoint> done);
    void formDownload(const QString &formId, Callback<QList<api::StoredFile>> done);
    void formUploadUrls(const QString &formId, const QStringList &paths,
                        Callback<QList<UploadUrl>> done);
    void startFormMultipart(const QString &formId, const QString &path, int numParts,
                            Callback<MultipartUpload> done, const QString &resumeUploadId = {});
    void completeFormMultipart(const QString &formId, const QString &path, const QString &uploadId,
                               const QList<CompletedPart> &parts, Callback<Empty> done);
    void abortFormMultipart(const QString &formId, const QString &path, const QString &uploadId,
                            Callback<Empty> done);
    void updateFormFiles(const QString &formId, const QList<api::StoredFile> &files,
                         Callback<api::CheckpointForm> done);

private:
    ApiSession *m_session;
};

} // namespace pf::network
