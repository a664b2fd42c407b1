// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "pfapi.h"

#include <QFile>
#include <QHttpMultiPart>
#include <QJsonDocument>
#include <QNetworkRequest>
#include <QUrl>

#include "api/json.h"

using namespace Qt::StringLiterals;

namespace pf::network {

namespace {

// A path segment or query value, percent-encoded (everything but RFC 3986's
// unreserved characters, so '+', '/', '&' and '?' in names stay data).
QString enc(const QString &s)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(s));
}

// "?a=1&b=2" from the pairs whose value is not empty; "" when none is.
class Query
{
public:
    Query &add(const QString &key, const QString &value)
    {
        if (!value.isEmpty())
            m_text += (m_text.isEmpty() ? u'?' : u'&') + key + u'=' + enc(value);
        return *this;
    }
    Query &add(const QString &key, qint64 value, bool when = true)
    {
        return when ? add(key, QString::number(value)) : *this;
    }
    QString operator()(const QString &path) const { return path + m_text; }

private:
    QString m_text;
};

QJsonDocument doc(const QJsonObject &o)
{
    return QJsonDocument(o);
}

// Wraps a typed callback into the session's: decodes the body only on success.
template <typename T, typename Decode>
ApiSession::Done typed(Callback<T> done, Decode decode)
{
    return [done = std::move(done), decode](const ApiResult &r) {
        Reply<T> reply{r, {}};
        if (r.ok())
            reply.value = decode(r.json);
        done(reply);
    };
}

template <typename T>
ApiSession::Done asObject(Callback<T> done)
{
    return typed<T>(std::move(done),
                    [](const QJsonDocument &d) { return T::fromJson(d.object()); });
}

template <typename T>
ApiSession::Done asList(Callback<QList<T>> done)
{
    return typed<QList<T>>(std::move(done),
                           [](const QJsonDocument &d) { return api::listFromJson<T>(d.array()); });
}

template <typename T>
ApiSession::Done asPage(Callback<api::Page<T>> done)
{
    return typed<api::Page<T>>(
        std::move(done), [](const QJsonDocument &d) { return api::Page<T>::fromJson(d.object()); });
}

ApiSession::Done asEmpty(Callback<Empty> done)
{
    return typed<Empty>(std::move(done), [](const QJsonDocument &) { return Empty{}; });
}

QList<UploadUrl> uploadUrlsFrom(const QJsonDocument &d)
{
    QList<UploadUrl> urls;
    for (const QJsonValue &v : d.array()) {
        const QJsonObject o = v.toObject();
        urls.append({api::readString(o, "path"_L1), api::readString(o, "upload_url"_L1)});
    }
    return urls;
}

MultipartUpload multipartFrom(const QJsonDocument &d)
{
    const QJsonObject o = d.object();
    MultipartUpload upload{api::readString(o, "path"_L1), api::readString(o, "upload_id"_L1), {}};
    for (const QJsonValue &v : api::readArray(o, "upload_urls"_L1)) {
        const QJsonObject part = v.toObject();
        upload.parts.append(
            {api::readInt(part, "part_number"_L1), api::readString(part, "upload_url"_L1)});
    }
    return upload;
}

QList<api::StoredFile> downloadFilesFrom(const QJsonDocument &d)
{
    return api::listFromJson<api::StoredFile>(api::readArray(d.object(), "files"_L1));
}

QJsonObject completeBody(const QString &path, const QString &uploadId,
                         const QList<CompletedPart> &parts)
{
    QJsonArray list;
    for (const CompletedPart &p : parts)
        list.append(QJsonObject{{u"part_number"_s, p.partNumber}, {u"etag"_s, p.etag}});
    return {{u"path"_s, path}, {u"upload_id"_s, uploadId}, {u"parts"_s, list}};
}

QString joinInts(const QList<int> &values)
{
    QStringList parts;
    for (int v : values)
        parts.append(QString::number(v));
    return parts.join(u',');
}

} // namespace

// ---- Users

void PfApi::userInfo(Callback<api::UserInfo> done)
{
    m_session->get(u"/auth/oauth2/userinfo"_s, asObject(std::move(done)));
}

void PfApi::signUp(const QString &username, const QString &name, const QString &email,
                   const QString &password, Callback<api::User> done)
{
    m_session->post(u"/auth/pf_user/self_signup"_s,
                    doc({{u"username"_s, username},
                         {u"name"_s, name},
                         {u"email"_s, email},
                         {u"password"_s, password}}),
                    asObject(std::move(done)));
}

void PfApi::confirmSignUp(const QString &emailToken, const QString &key, Callback<Empty> done)
{
    m_session->post(u"/auth/pf_user/self_signup/confirm"_s,
                    doc({{u"email_token"_s, emailToken}, {u"key"_s, key}}),
                    asEmpty(std::move(done)));
}

void PfApi::changePassword(const QString &userId, const QString &oldPassword,
                           const QString &newPassword, Callback<Empty> done)
{
    m_session->put(u"/auth/pf_user/%1/password"_s.arg(enc(userId)),
                   doc({{u"old_password"_s, oldPassword}, {u"new_password"_s, newPassword}}),
                   asEmpty(std::move(done)));
}

void PfApi::userOrgs(const QString &userId, Callback<QList<api::UserOrg>> done)
{
    m_session->get(u"/auth/pf_user/%1/pf_group"_s.arg(enc(userId)), asList(std::move(done)));
}

void PfApi::userProjects(const QString &userId, const QString &orgId, const QString &cursor,
                         Callback<api::Page<api::Project>> done)
{
    m_session->get(Query().add(u"cursor"_s, cursor)(
                       u"/auth/pf_user/%1/pf_group/%2/pf_project"_s.arg(enc(userId), enc(orgId))),
                   asPage(std::move(done)));
}

// ---- Organizations

void PfApi::createOrg(const QString &name, Callback<api::Org> done)
{
    m_session->post(u"/auth/pf_group"_s, doc({{u"name"_s, name}, {u"hosting_type"_s, u"hosted"_s}}),
                    asObject(std::move(done)));
}

void PfApi::org(const QString &orgId, Callback<api::Org> done)
{
    m_session->get(u"/auth/pf_group/"_s + enc(orgId), asObject(std::move(done)));
}

void PfApi::deleteOrg(const QString &orgId, Callback<Empty> done)
{
    m_session->del(u"/auth/pf_group/"_s + enc(orgId), asEmpty(std::move(done)));
}

void PfApi::inviteToOrg(const QString &orgId, const QString &email, const QString &message,
                        Callback<Invitation> done)
{
    QJsonObject body{{u"email"_s, email}};
    if (!message.isEmpty())
        body.insert(u"msg"_s, message);
    m_session->post(u"/auth/pf_group/%1/invite"_s.arg(enc(orgId)), doc(body),
                    typed<Invitation>(std::move(done), [](const QJsonDocument &d) {
                        const QJsonObject o = d.object();
                        return Invitation{api::readString(o, "email"_L1),
                                          api::readString(o, "email_token"_L1),
                                          api::readString(o, "key"_L1)};
                    }));
}

void PfApi::confirmOrgInvite(const QString &emailToken, const QString &key, Callback<Empty> done)
{
    m_session->post(u"/auth/pf_group/invite/confirm"_s,
                    doc({{u"email_token"_s, emailToken}, {u"key"_s, key}}),
                    asEmpty(std::move(done)));
}

void PfApi::orgMembers(const QString &orgId, const QString &search, const QString &cursor,
                       Callback<api::Page<api::OrgMember>> done)
{
    m_session->get(Query()
                       .add(u"search"_s, search)
                       .add(u"cursor"_s, cursor)(u"/auth/pf_group/%1/pf_user"_s.arg(enc(orgId))),
                   asPage(std::move(done)));
}

void PfApi::setOrgRole(const QString &userId, const QString &orgId, api::OrgRole role,
                       Callback<Empty> done)
{
    m_session->patch(u"/auth/pf_user/%1/pf_group/%2/privilege_level"_s.arg(enc(userId), enc(orgId)),
                     doc({{u"privilege_level"_s, api::toString(role)}}), asEmpty(std::move(done)));
}

void PfApi::removeOrgMember(const QString &userId, const QString &orgId, Callback<Empty> done)
{
    m_session->del(u"/auth/pf_user/%1/pf_group/%2"_s.arg(enc(userId), enc(orgId)),
                   asEmpty(std::move(done)));
}

// ---- Projects

void PfApi::createProject(const QString &orgId, const QString &name, Callback<api::Project> done)
{
    m_session->post(u"/auth/pf_group/%1/pf_project"_s.arg(enc(orgId)), doc({{u"name"_s, name}}),
                    asObject(std::move(done)));
}

void PfApi::orgProjects(const QString &orgId, const QString &cursor,
                        Callback<api::Page<api::Project>> done)
{
    m_session->get(
        Query().add(u"cursor"_s, cursor)(u"/auth/pf_group/%1/pf_project"_s.arg(enc(orgId))),
        asPage(std::move(done)));
}

void PfApi::project(const QString &projectId, Callback<api::Project> done)
{
    m_session->get(u"/auth/pf_project/"_s + enc(projectId), asObject(std::move(done)));
}

void PfApi::deleteProject(const QString &projectId, Callback<Empty> done)
{
    m_session->del(u"/auth/pf_project/"_s + enc(projectId), asEmpty(std::move(done)));
}

void PfApi::projectMembers(const QString &projectId, const QString &cursor,
                           Callback<api::Page<api::ProjectMember>> done)
{
    m_session->get(
        Query().add(u"cursor"_s, cursor)(u"/auth/pf_project/%1/pf_user"_s.arg(enc(projectId))),
        asPage(std::move(done)));
}

void PfApi::addProjectMember(const QString &userId, const QString &projectId, api::ProjectRole role,
                             Callback<Empty> done)
{
    m_session->post(u"/auth/pf_user/%1/pf_project/%2"_s.arg(enc(userId), enc(projectId)),
                    doc({{u"access_level"_s, api::toString(role)}}), asEmpty(std::move(done)));
}

void PfApi::setProjectRole(const QString &userId, const QString &projectId, api::ProjectRole role,
                           Callback<Empty> done)
{
    m_session->patch(
        u"/auth/pf_user/%1/pf_project/%2/access_level"_s.arg(enc(userId), enc(projectId)),
        doc({{u"access_level"_s, api::toString(role)}}), asEmpty(std::move(done)));
}

void PfApi::projectMembership(const QString &userId, const QString &projectId,
                              Callback<api::ProjectMembership> done)
{
    m_session->get(u"/auth/pf_user/%1/pf_project/%2"_s.arg(enc(userId), enc(projectId)),
                   asObject(std::move(done)));
}

void PfApi::removeProjectMember(const QString &userId, const QString &projectId,
                                Callback<Empty> done)
{
    m_session->del(u"/auth/pf_user/%1/pf_project/%2"_s.arg(enc(userId), enc(projectId)),
                   asEmpty(std::move(done)));
}

// ---- Credentials

void PfApi::credentialTypes(Callback<QList<api::CredentialType>> done)
{
    m_session->get(u"/api/credential_type/"_s, asList(std::move(done)));
}

void PfApi::createCredential(const QString &projectId, const QString &type, const QString &name,
                             int typeVersion, const QJsonObject &value,
                             Callback<api::Credential> done)
{
    m_session->post(u"/auth/pf_project/%1/credential"_s.arg(enc(projectId)),
                    doc({{u"type"_s, type},
                         {u"name"_s, name},
                         {u"type_version"_s, typeVersion},
                         {u"value"_s, value}}),
                    asObject(std::move(done)));
}

void PfApi::credentials(const QString &projectId, const QString &type,
                        Callback<QList<api::Credential>> done)
{
    m_session->get(
        Query().add(u"type"_s, type)(u"/auth/pf_project/%1/credential"_s.arg(enc(projectId))),
        asList(std::move(done)));
}

void PfApi::credential(const QString &credentialId, Callback<api::Credential> done)
{
    m_session->get(u"/auth/credential/"_s + enc(credentialId), asObject(std::move(done)));
}

void PfApi::updateCredential(const QString &credentialId, const QJsonObject &changes,
                             Callback<api::Credential> done)
{
    m_session->patch(u"/auth/credential/"_s + enc(credentialId), doc(changes),
                     asObject(std::move(done)));
}

void PfApi::deleteCredential(const QString &credentialId, Callback<Empty> done)
{
    m_session->del(u"/auth/credential/"_s + enc(credentialId), asEmpty(std::move(done)));
}

// ---- VMs and quotas

void PfApi::vmConfigs(const QString &orgId, Callback<QList<api::VmConfig>> done)
{
    m_session->get(u"/api/group/%1/vm_config/"_s.arg(enc(orgId)), asList(std::move(done)));
}

void PfApi::vmQuotas(const QString &projectId, Callback<QList<api::VmQuota>> done)
{
    m_session->get(u"/api/project/%1/vm_quota/"_s.arg(enc(projectId)), asList(std::move(done)));
}

void PfApi::vmLocks(const QString &projectId, qint64 vmConfigId, const QStringList &statuses,
                    Callback<QList<api::VmLock>> done)
{
    const QString path =
        vmConfigId > 0
            ? u"/api/project/%1/vm_config/%2/vm_lock/"_s.arg(enc(projectId)).arg(vmConfigId)
            : u"/api/project/%1/vm_lock/"_s.arg(enc(projectId));
    m_session->get(Query().add(u"status"_s, statuses.join(u','))(path), asList(std::move(done)));
}

void PfApi::groupQuotas(const QString &orgId, Callback<QList<api::GroupQuota>> done)
{
    m_session->get(u"/api/group/%1/vm_quota/"_s.arg(enc(orgId)), asList(std::move(done)));
}

void PfApi::createGroupQuota(const QString &orgId, const QString &vmCode, const QString &projectId,
                             int quota, Callback<api::GroupQuota> done)
{
    m_session->post(u"/api/group/%1/vm_quota/"_s.arg(enc(orgId)),
                    doc({{u"vm_config_type_code"_s, vmCode},
                         {u"project_id"_s, projectId},
                         {u"quota"_s, quota}}),
                    asObject(std::move(done)));
}

void PfApi::setGroupQuota(const QString &orgId, qint64 quotaId, int quota,
                          Callback<api::GroupQuota> done)
{
    m_session->patch(u"/api/group/%1/vm_quota/%2/"_s.arg(enc(orgId)).arg(quotaId),
                     doc({{u"quota"_s, quota}}), asObject(std::move(done)));
}

void PfApi::deleteGroupQuota(const QString &orgId, qint64 quotaId, Callback<Empty> done)
{
    m_session->del(u"/api/group/%1/vm_quota/%2/"_s.arg(enc(orgId)).arg(quotaId),
                   asEmpty(std::move(done)));
}

// ---- Experiments and templates

void PfApi::experiments(const QString &projectId, Callback<QList<api::Experiment>> done)
{
    m_session->get(u"/api/project/%1/experiment/"_s.arg(enc(projectId)), asList(std::move(done)));
}

void PfApi::createExperiment(const QString &projectId, const QString &name,
                             Callback<api::Experiment> done)
{
    m_session->post(u"/api/project/%1/experiment/"_s.arg(enc(projectId)), doc({{u"name"_s, name}}),
                    asObject(std::move(done)));
}

void PfApi::experimentJobs(qint64 experimentId, const QString &cursor,
                           Callback<api::Page<api::Job>> done)
{
    m_session->get(Query().add(u"cursor"_s, cursor)(u"/api/experiment/%1/job/"_s.arg(experimentId)),
                   asPage(std::move(done)));
}

void PfApi::renameExperiment(qint64 experimentId, const QString &name,
                             Callback<api::Experiment> done)
{
    m_session->patch(u"/api/experiment/%1/"_s.arg(experimentId), doc({{u"name"_s, name}}),
                     asObject(std::move(done)));
}

void PfApi::deleteExperiment(qint64 experimentId, Callback<Empty> done)
{
    m_session->del(u"/api/experiment/%1/"_s.arg(experimentId), asEmpty(std::move(done)));
}

void PfApi::jobTemplates(Callback<QJsonArray> done)
{
    m_session->get(
        u"/api/job_template/"_s,
        typed<QJsonArray>(std::move(done), [](const QJsonDocument &d) { return d.array(); }));
}

// ---- Datasets

void PfApi::datasets(const QString &projectId, Callback<QList<api::Dataset>> done)
{
    m_session->get(u"/api/project/%1/datastore/"_s.arg(enc(projectId)), asList(std::move(done)));
}

void PfApi::createDataset(const QString &projectId, const QJsonObject &dataset,
                          Callback<api::Dataset> done)
{
    m_session->post(u"/api/project/%1/datastore/"_s.arg(enc(projectId)), doc(dataset),
                    asObject(std::move(done)));
}

void PfApi::dataset(qint64 datasetId, Callback<api::Dataset> done)
{
    m_session->get(u"/api/datastore/%1/"_s.arg(datasetId), asObject(std::move(done)));
}

void PfApi::updateDataset(qint64 datasetId, const QJsonObject &changes, Callback<api::Dataset> done)
{
    m_session->patch(u"/api/datastore/%1/"_s.arg(datasetId), doc(changes),
                     asObject(std::move(done)));
}

void PfApi::deleteDataset(qint64 datasetId, Callback<Empty> done)
{
    m_session->del(u"/api/datastore/%1/"_s.arg(datasetId), asEmpty(std::move(done)));
}

void PfApi::datasetUploadUrls(qint64 datasetId, const QStringList &paths,
                              Callback<QList<UploadUrl>> done)
{
    m_session->post(u"/api/datastore/%1/upload/"_s.arg(datasetId),
                    doc({{u"paths"_s, QJsonArray::fromStringList(paths)}}),
                    typed<QList<UploadUrl>>(std::move(done), uploadUrlsFrom));
}

namespace {

QJsonObject startBody(const QString &path, int numParts, const QString &resumeUploadId)
{
    QJsonObject body{{u"path"_s, path}, {u"num_parts"_s, numParts}};
    if (!resumeUploadId.isEmpty())
        body.insert(u"upload_id"_s, resumeUploadId);
    return body;
}

} // namespace

void PfApi::startDatasetMultipart(qint64 datasetId, const QString &path, int numParts,
                                  Callback<MultipartUpload> done, const QString &resumeUploadId)
{
    m_session->post(u"/api/datastore/%1/start_mpu/"_s.arg(datasetId),
                    doc(startBody(path, numParts, resumeUploadId)),
                    typed<MultipartUpload>(std::move(done), multipartFrom));
}

void PfApi::completeDatasetMultipart(qint64 datasetId, const QString &path, const QString &uploadId,
                                     const QList<CompletedPart> &parts, Callback<Empty> done)
{
    m_session->post(u"/api/datastore/%1/complete_mpu/"_s.arg(datasetId),
                    doc(completeBody(path, uploadId, parts)), asEmpty(std::move(done)));
}

void PfApi::abortDatasetMultipart(qint64 datasetId, const QString &path, const QString &uploadId,
                                  Callback<Empty> done)
{
    m_session->post(u"/api/datastore/%1/abort_mpu/"_s.arg(datasetId),
                    doc({{u"path"_s, path}, {u"upload_id"_s, uploadId}}), asEmpty(std::move(done)));
}

void PfApi::datasetDownload(qint64 datasetId, const QString &path,
                            Callback<QList<api::StoredFile>> done)
{
    m_session->get(Query().add(u"path"_s, path)(u"/api/datastore/%1/download/"_s.arg(datasetId)),
                   typed<QList<api::StoredFile>>(std::move(done), downloadFilesFrom));
}

// ---- Jobs

void PfApi::createJob(const QString &projectId, const QJsonObject &spec, Callback<api::Job> done)
{
    m_session->post(u"/api/project/%1/job/"_s.arg(enc(projectId)), doc(spec),
                    asObject(std::move(done)));
}

void PfApi::createJobWithWorkspace(const QString &projectId, const QJsonObject &spec,
                                   const QString &zipPath, ApiSession::UploadProgress progress,
                                   Callback<api::Job> done)
{
    const QByteArray data = QJsonDocument(spec).toJson(QJsonDocument::Compact);
    auto body = [data, zipPath]() -> QHttpMultiPart * {
        auto *multipart = new QHttpMultiPart(QHttpMultiPart::FormDataType);
        auto *file = new QFile(zipPath, multipart);
        if (!file->open(QIODevice::ReadOnly)) {
            delete multipart;
            return nullptr;
        }
        QHttpPart dataPart;
        dataPart.setHeader(QNetworkRequest::ContentDispositionHeader,
                           QByteArrayLiteral("form-data; name=\"data\""));
        dataPart.setHeader(QNetworkRequest::ContentTypeHeader,
                           QByteArrayLiteral("application/json"));
        dataPart.setBody(data);
        multipart->append(dataPart);
        QHttpPart zipPart;
        zipPart.setHeader(QNetworkRequest::ContentDispositionHeader,
                          QByteArrayLiteral("form-data; name=\"workspace_zip\"; "
                                            "filename=\"workspace.zip\""));
        zipPart.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/zip"));
        zipPart.setBodyDevice(file); // streamed, never read into memory
        multipart->append(zipPart);
        return multipart;
    };
    m_session->postMultipart(u"/api/project/%1/job/"_s.arg(enc(projectId)), std::move(body),
                             asObject(std::move(done)), std::move(progress));
}

void PfApi::jobs(const QString &projectId, const JobQuery &query, const QString &cursor, int limit,
                 Callback<api::Page<api::Job>> done)
{
    Query q;
    q.add(u"limit"_s, limit, limit > 0)
        .add(u"cursor"_s, cursor)
        .add(u"status"_s, query.statuses.join(u','))
        .add(u"job_name"_s, query.jobName)
        .add(u"vm_code"_s, query.vmCode)
        .add(u"user_ids"_s, query.userIds.join(u','))
        .add(u"created_at.since"_s, api::toIsoUtc(query.since))
        .add(u"created_at.until"_s, api::toIsoUtc(query.until));
    m_session->get(q(u"/api/project/%1/job/"_s.arg(enc(projectId))), asPage(std::move(done)));
}

void PfApi::job(const QString &projectId, qint64 number, Callback<api::Job> done)
{
    m_session->get(u"/api/project/%1/job/%2/"_s.arg(enc(projectId)).arg(number),
                   asObject(std::move(done)));
}

void PfApi::deleteJob(const QString &projectId, qint64 number, Callback<Empty> done)
{
    m_session->del(u"/api/project/%1/job/%2/"_s.arg(enc(projectId)).arg(number),
                   asEmpty(std::move(done)));
}

void PfApi::cancelJob(const QString &projectId, qint64 number, Callback<api::Job> done)
{
    m_session->post(u"/api/project/%1/job/%2/cancel/"_s.arg(enc(projectId)).arg(number), {},
                    asObject(std::move(done)));
}

void PfApi::terminateJob(const QString &projectId, qint64 number, Callback<api::Job> done)
{
    m_session->post(u"/api/project/%1/job/%2/terminate/"_s.arg(enc(projectId)).arg(number), {},
                    asObject(std::move(done)));
}

void PfApi::jobLogs(const QString &projectId, qint64 number, const LogQuery &query,
                    Callback<LogPage> done)
{
    Query q;
    q.add(u"limit"_s, query.limit, query.limit > 0)
        .add(u"ascending"_s, query.ascending ? u"true"_s : QString())
        .add(u"content"_s, query.content)
        .add(u"log_types"_s, query.logTypes.join(u','))
        .add(u"node_ranks"_s, joinInts(query.nodeRanks))
        .add(u"cursor"_s, query.cursor);
    m_session->get(q(u"/api/project/%1/job/%2/text_log/"_s.arg(enc(projectId)).arg(number)),
                   asPage(std::move(done)));
}

void PfApi::jobCheckpoints(const QString &projectId, qint64 number,
                           Callback<QList<api::JobCheckpoint>> done)
{
    m_session->get(u"/api/project/%1/job/%2/checkpoint/"_s.arg(enc(projectId)).arg(number),
                   asList(std::move(done)));
}

void PfApi::jobArtifacts(const QString &projectId, qint64 number,
                         Callback<QList<api::Artifact>> done)
{
    m_session->get(u"/api/project/%1/job/%2/artifact/"_s.arg(enc(projectId)).arg(number),
                   asList(std::move(done)));
}

void PfApi::artifactDownload(const QString &projectId, qint64 number, const QString &artifactId,
                             Callback<QString> done)
{
    m_session->get(u"/api/project/%1/job/%2/artifact/%3/download/"_s.arg(enc(projectId))
                       .arg(number)
                       .arg(enc(artifactId)),
                   typed<QString>(std::move(done), [](const QJsonDocument &d) {
                       return api::readString(d.object(), "url"_L1);
                   }));
}

void PfApi::jobMetrics(const QString &projectId, qint64 number, Callback<QList<MetricInfo>> done)
{
    m_session->get(
        u"/api/project/%1/job/%2/metric/"_s.arg(enc(projectId)).arg(number),
        typed<QList<MetricInfo>>(std::move(done), [](const QJsonDocument &d) {
            QList<MetricInfo> metrics;
            for (const QJsonValue &v : d.array()) {
                const QJsonObject o = v.toObject();
                metrics.append({api::readString(o, "name"_L1), api::readInt64(o, "count"_L1)});
            }
            return metrics;
        }));
}

void PfApi::metricPoints(const QString &projectId, qint64 number, const QString &name,
                         qint64 sinceStep, int limit, Callback<QList<api::MetricPoint>> done)
{
    m_session->get(Query()
                       .add(u"since_step"_s, sinceStep, sinceStep > 0)
                       .add(u"limit"_s, limit,
                            limit > 0)(u"/api/project/%1/job/%2/metric/%3/"_s.arg(enc(projectId))
                                           .arg(number)
                                           .arg(enc(name))),
                   asList(std::move(done)));
}

void PfApi::metricBuckets(const QString &projectId, qint64 number, const QString &name, int buckets,
                          qint64 fromStep, qint64 toStep, Callback<QList<api::MetricBucket>> done)
{
    m_session->get(
        Query()
            .add(u"buckets"_s, buckets)
            .add(u"from_step"_s, fromStep)
            .add(u"to_step"_s, toStep)(u"/api/project/%1/job/%2/metric/%3/"_s.arg(enc(projectId))
                                           .arg(number)
                                           .arg(enc(name))),
        asList(std::move(done)));
}

// ---- Checkpoints

void PfApi::checkpoints(const QString &orgId, const QString &projectId, const QString &category,
                        bool deleted, const QString &cursor,
                        Callback<api::Page<api::Checkpoint>> done)
{
    m_session->get(Query()
                       .add(u"category"_s, category)
                       .add(u"status"_s, deleted ? u"deleted"_s : QString())
                       .add(u"cursor"_s, cursor)(
                           u"/registry/orgs/%1/prjs/%2/models/"_s.arg(enc(orgId), enc(projectId))),
                   asPage(std::move(done)));
}

void PfApi::createCheckpoint(const QString &orgId, const QString &projectId,
                             const QJsonObject &checkpoint, Callback<api::Checkpoint> done)
{
    m_session->post(u"/registry/orgs/%1/prjs/%2/models/"_s.arg(enc(orgId), enc(projectId)),
                    doc(checkpoint), asObject(std::move(done)));
}

void PfApi::checkpoint(const QString &checkpointId, Callback<api::Checkpoint> done)
{
    m_session->get(u"/registry/models/%1/"_s.arg(enc(checkpointId)), asObject(std::move(done)));
}

void PfApi::updateCheckpoint(const QString &checkpointId, const QJsonObject &changes,
                             Callback<api::Checkpoint> done)
{
    m_session->patch(u"/registry/models/%1/"_s.arg(enc(checkpointId)), doc(changes),
                     asObject(std::move(done)));
}

void PfApi::deleteCheckpoint(const QString &checkpointId, Callback<Empty> done)
{
    m_session->del(u"/registry/models/%1/"_s.arg(enc(checkpointId)), asEmpty(std::move(done)));
}

void PfApi::restoreCheckpoint(const QString &checkpointId, Callback<api::Checkpoint> done)
{
    m_session->post(u"/registry/models/%1/restore/"_s.arg(enc(checkpointId)), {},
                    asObject(std::move(done)));
}

void PfApi::formDownload(const QString &formId, Callback<QList<api::StoredFile>> done)
{
    m_session->get(u"/registry/model_forms/%1/download/"_s.arg(enc(formId)),
                   typed<QList<api::StoredFile>>(std::move(done), downloadFilesFrom));
}

void PfApi::formUploadUrls(const QString &formId, const QStringList &paths,
                           Callback<QList<UploadUrl>> done)
{
    m_session->post(u"/registry/model_forms/%1/upload/"_s.arg(enc(formId)),
                    doc({{u"paths"_s, QJsonArray::fromStringList(paths)}}),
                    typed<QList<UploadUrl>>(std::move(done), uploadUrlsFrom));
}

void PfApi::startFormMultipart(const QString &formId, const QString &path, int numParts,
                               Callback<MultipartUpload> done, const QString &resumeUploadId)
{
    m_session->post(u"/registry/model_forms/%1/start_mpu/"_s.arg(enc(formId)),
                    doc(startBody(path, numParts, resumeUploadId)),
                    typed<MultipartUpload>(std::move(done), multipartFrom));
}

void PfApi::completeFormMultipart(const QString &formId, const QString &path,
                                  const QString &uploadId, const QList<CompletedPart> &parts,
                                  Callback<Empty> done)
{
    m_session->post(u"/registry/model_forms/%1/complete_mpu/"_s.arg(enc(formId)),
                    doc(completeBody(path, uploadId, parts)), asEmpty(std::move(done)));
}

void PfApi::abortFormMultipart(const QString &formId, const QString &path, const QString &uploadId,
                               Callback<Empty> done)
{
    m_session->post(u"/registry/model_forms/%1/abort_mpu/"_s.arg(enc(formId)),
                    doc({{u"path"_s, path}, {u"upload_id"_s, uploadId}}), asEmpty(std::move(done)));
}

void PfApi::updateFormFiles(const QString &formId, const QList<api::StoredFile> &files,
                            Callback<api::CheckpointForm> done)
{
    m_session->patch(u"/registry/model_forms/%1/"_s.arg(enc(formId)),
                     doc({{u"files"_s, api::toJsonArray(files)}}), asObject(std::move(done)));
}

} // namespace pf::network
