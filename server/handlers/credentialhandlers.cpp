// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// Credentials of a project, sealed at rest, and the credential types.

#include <QJsonDocument>

#include "api/credentialtypes.h"
#include "api/page.h"
#include "server/auth/secretbox.h"
#include "server/handlers/access.h"
#include "server/handlers/bodyreader.h"
#include "server/handlers/routes.h"
#include "server/handlers/servercontext.h"
#include "server/store/credentialrepo.h"

namespace pf::server {

using api::ApiError;
using api::CredentialTypes;
using api::ProjectRole;
using http_verb = boost::beast::http::verb;

namespace {

constexpr int kMaxValueBytes = 64 * 1024;

QByteArray seal(ServerContext &ctx, const QJsonObject &value)
{
    return ctx.secrets.seal(QJsonDocument(value).toJson(QJsonDocument::Compact));
}

QJsonObject unseal(ServerContext &ctx, const QByteArray &sealed)
{
    const auto plain = ctx.secrets.open(sealed);
    if (!plain) // the data dir's secret key changed or the row was tampered with
        throw std::runtime_error("a stored credential cannot be decrypted with this server's key");
    return QJsonDocument::fromJson(*plain).object();
}

void checkValue(const QString &type, int version, const QJsonObject &value)
{
    if (QJsonDocument(value).toJson(QJsonDocument::Compact).size() > kMaxValueBytes)
        throw ApiError::payloadTooLarge(
            QStringLiteral("A credential value may hold at most 64 KiB."));
    const QList<api::FieldError> errors =
        CredentialTypes::instance().validate(type, version, value);
    if (!errors.isEmpty())
        throw ApiError::unprocessable(
            QStringLiteral("The value does not fit the %1 credential type (version %2).")
                .arg(type)
                .arg(version),
            errors);
}

// The record, if the caller may see it at all (404 otherwise).
CredentialRecord visibleCredential(Access &access, const QString &id, ProjectAccess *project)
{
    const auto record = CredentialRepo(access.db()).get(id);
    if (!record)
        throw ApiError::notFound(QStringLiteral("No such credential."));
    try {
        *project = access.project(record->projectId);
    } catch (const ApiError &e) {
        if (e.status() == 404)
            throw ApiError::notFound(QStringLiteral("No such credential."));
        throw;
    }
    return *record;
}

// Maintainers change anyone's credential; developers only their own.
void requireEditor(const Access &access, const ProjectAccess &project,
                   const CredentialRecord &record)
{
    if (project.role >= ProjectRole::Maintain)
        return;
    if (project.role >= ProjectRole::Develop && record.ownerId == access.caller().userId)
        return;
    throw ApiError::forbidden(
        QStringLiteral("Only its owner or a maintainer can change this credential."));
}

Response listTypes(ServerContext &ctx, Request &req)
{
    ctx.auth.authenticate(req);
    return Response::json(CredentialTypes::instance().toJson());
}

Response create(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const ProjectAccess p = access.project(req.param(QStringLiteral("pid")), ProjectRole::Develop);
    BodyReader body(req.jsonObject());
    const QString type = body.string(QStringLiteral("type"), 64);
    const QString name = body.name(QStringLiteral("name"));
    const int version =
        int(body.optionalInteger(QStringLiteral("type_version"), 1, 1000).value_or(1));
    const QJsonObject value = body.object(QStringLiteral("value"));
    if (!type.isEmpty() && !CredentialTypes::instance().contains(type, version))
        body.fail(QStringLiteral("type"),
                  QStringLiteral("'%1' version %2 is not a known credential type; "
                                 "known: %3")
                      .arg(type)
                      .arg(version)
                      .arg(CredentialTypes::instance().typeNames().join(u", ")));
    body.finish({QStringLiteral("type"), QStringLiteral("name"), QStringLiteral("type_version"),
                 QStringLiteral("value")});
    checkValue(type, version, value);
    const api::Credential c =
        CredentialRepo(access.db())
            .create(p.project.id, access.caller().userId, name, type, version, seal(ctx, value));
    return Response::json(c.toJson(), 201);
}

Response list(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const ProjectAccess p = access.project(req.param(QStringLiteral("pid")));
    const QString type = req.query(QStringLiteral("type")).value_or(QString()).left(64);
    return Response::json(api::toJsonArray(CredentialRepo(access.db()).list(p.project.id, type)));
}

Response get(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    ProjectAccess p;
    const CredentialRecord record = visibleCredential(access, req.param(QStringLiteral("id")), &p);
    api::Credential c = record.credential;
    if (p.role >= ProjectRole::Develop)
        c.value = unseal(ctx, record.sealedValue);
    return Response::json(c.toJson());
}

Response update(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    ProjectAccess p;
    const CredentialRecord record = visibleCredential(access, req.param(QStringLiteral("id")), &p);
    requireEditor(access, p, record);
    BodyReader body(req.jsonObject());
    const QString name = body.optionalName(QStringLiteral("name")).value_or(record.credential.name);
    const int version = int(body.optionalInteger(QStringLiteral("type_version"), 1, 1000)
                                .value_or(record.credential.typeVersion));
    const auto newValue = body.optionalObject(QStringLiteral("value"));
    if (!CredentialTypes::instance().contains(record.credential.type, version))
        body.fail(QStringLiteral("type_version"),
                  QStringLiteral("%1 has no version %2").arg(record.credential.type).arg(version));
    body.finish({QStringLiteral("name"), QStringLiteral("type_version"), QStringLiteral("value")});
    const QJsonObject value = newValue ? *newValue : unseal(ctx, record.sealedValue);
    checkValue(record.credential.type, version, value);
    CredentialRepo repo(access.db());
    repo.update(record.credential.id, name, version, seal(ctx, value));
    return Response::json(repo.get(record.credential.id)->credential.toJson());
}

Response remove(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    ProjectAccess p;
    const CredentialRecord record = visibleCredential(access, req.param(QStringLiteral("id")), &p);
    requireEditor(access, p, record);
    CredentialRepo(access.db()).remove(record.credential.id);
    return Response::noContent();
}

} // namespace

void addCredentialRoutes(Router &router, ServerContext &ctx)
{
    const auto bind = [&ctx](ContextHandler fn) { return bindRoute(ctx, fn); };
    router.add(http_verb::get, "/api/credential_type/", bind(listTypes));
    router.add(http_verb::post, "/auth/pf_project/{pid:uuid}/credential", bind(create));
    router.add(http_verb::get, "/auth/pf_project/{pid:uuid}/credential", bind(list));
    router.add(http_verb::get, "/auth/credential/{id:uuid}", bind(get));
    router.add(http_verb::patch, "/auth/credential/{id:uuid}", bind(update));
    router.add(http_verb::delete_, "/auth/credential/{id:uuid}", bind(remove));
}

} // namespace pf::server
