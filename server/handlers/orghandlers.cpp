// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// Organizations ("pf_group"), their members and invitations.

#include <QLoggingCategory>

#include "server/auth/tokencodec.h"
#include "server/handlers/access.h"
#include "server/handlers/bodyreader.h"
#include "server/handlers/routes.h"
#include "server/handlers/servercontext.h"
#include "server/store/database.h"
#include "server/store/orgrepo.h"
#include "server/store/userrepo.h"

Q_DECLARE_LOGGING_CATEGORY(lcAuth)

namespace pf::server {

using api::ApiError;
using api::OrgRole;
using http_verb = boost::beast::http::verb;

namespace {

constexpr qint64 kInviteTtlMs = 7LL * 24 * 3600 * 1000;

Response createOrg(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    BodyReader body(req.jsonObject());
    const QString name = body.name(QStringLiteral("name"));
    if (const auto hosting = body.optionalString(QStringLiteral("hosting_type"), 32);
        hosting && *hosting != u"hosted")
        body.fail(QStringLiteral("hosting_type"), QStringLiteral("must be \"hosted\""));
    body.finish({QStringLiteral("name"), QStringLiteral("hosting_type")});
    Transaction tx(access.db(), ctx.db.isSqlite());
    try {
        const api::Org org = OrgRepo(access.db()).create(name, access.caller().userId);
        tx.commit();
        return Response::json(org.toJson(), 201);
    } catch (const UniqueViolation &) {
        throw ApiError::conflict(
            QStringLiteral("An organization named '%1' already exists.").arg(name));
    }
}

Response getOrg(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    return Response::json(access.org(req.param(QStringLiteral("gid"))).org.toJson());
}

Response deleteOrg(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const OrgAccess org = access.org(req.param(QStringLiteral("gid")), OrgRole::Owner);
    OrgRepo(access.db()).remove(org.org.id);
    return Response::noContent();
}

Response invite(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const OrgAccess org = access.org(req.param(QStringLiteral("gid")), OrgRole::Owner);
    BodyReader body(req.jsonObject());
    const QString email = body.email(QStringLiteral("email"));
    body.optionalString(QStringLiteral("msg"), 2000);
    body.finish({QStringLiteral("email"), QStringLiteral("msg")});
    const QByteArray emailToken = TokenCodec::randomToken(16);
    const QByteArray key = TokenCodec::randomToken(16);
    OrgRepo(access.db())
        .addInvite(QString::fromLatin1(emailToken), TokenCodec::sha256Hex(key), org.org.id, email,
                   access.caller().userId, nowMs() + kInviteTtlMs);
    qCInfo(lcAuth).noquote() << QStringLiteral("invitation to %1 for <%2>: email_token=%3 key=%4")
                                    .arg(org.org.name, email, QString::fromLatin1(emailToken),
                                         QString::fromLatin1(key));
    // Without SMTP the inviter passes the code on by hand.
    return Response::json(
        QJsonObject{{QStringLiteral("email"), email},
                    {QStringLiteral("email_token"), QString::fromLatin1(emailToken)},
                    {QStringLiteral("key"), QString::fromLatin1(key)}},
        201);
}

Response confirmInvite(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    BodyReader body(req.jsonObject());
    const QString emailToken = body.string(QStringLiteral("email_token"), 128);
    const QString key = body.string(QStringLiteral("key"), 128);
    body.finish({QStringLiteral("email_token"), QStringLiteral("key")});
    OrgRepo orgs(access.db());
    Transaction tx(access.db(), ctx.db.isSqlite());
    const auto user = UserRepo(access.db()).byId(access.caller().userId);
    const auto found = orgs.takeInvite(emailToken, TokenCodec::sha256Hex(key.toLatin1()));
    if (!found || found->expiresAtMs < nowMs() || !user)
        throw ApiError::badRequest(QStringLiteral("The invitation code is wrong or has expired."));
    if (found->email != user->user.email)
        throw ApiError::forbidden(
            QStringLiteral("This invitation was sent to another e-mail address."));
    if (!orgs.role(found->orgId, user->user.id))
        orgs.addMember(found->orgId, user->user.id, OrgRole::Member);
    tx.commit();
    return Response::json(orgs.get(found->orgId)->toJson());
}

Response listMembers(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const PageRequest page = pageRequest(req);
    const OrgAccess org = access.org(req.param(QStringLiteral("gid")));
    const QString search = req.query(QStringLiteral("search")).value_or(QString()).left(128);
    return Response::json(OrgRepo(access.db()).members(org.org.id, search, page).toJson());
}

Response setPrivilege(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const OrgAccess org = access.org(req.param(QStringLiteral("gid")), OrgRole::Owner);
    BodyReader body(req.jsonObject());
    const QString level = body.string(QStringLiteral("privilege_level"), 16);
    const auto role = api::orgRoleFromString(level);
    if (!level.isEmpty() && !role)
        body.fail(QStringLiteral("privilege_level"), QStringLiteral("must be owner or member"));
    body.finish({QStringLiteral("privilege_level")});
    if (!role) // an empty string: not caught above
        throw ApiError::badRequest(
            QStringLiteral("`privilege_level` must be owner or member."),
            {{QStringLiteral("privilege_level"), QStringLiteral("must be owner or member")}});
    const QString userId = req.param(QStringLiteral("uid"));
    OrgRepo orgs(access.db());
    Transaction tx(access.db(), ctx.db.isSqlite());
    const auto current = orgs.role(org.org.id, userId);
    if (!current)
        throw ApiError::notFound(QStringLiteral("That user is not a member of the organization."));
    if (*current == OrgRole::Owner && *role != OrgRole::Owner && orgs.ownerCount(org.org.id) == 1)
        throw ApiError::conflict(QStringLiteral("An organization needs at least one owner."));
    orgs.setRole(org.org.id, userId, *role);
    tx.commit();
    return Response::json(QJsonObject{{QStringLiteral("id"), userId},
                                      {QStringLiteral("privilege_level"), api::toString(*role)}});
}

Response removeMember(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const QString userId = req.param(QStringLiteral("uid"));
    const bool leaving = userId == access.caller().userId;
    // Owners remove anyone; a member may leave on their own.
    const OrgAccess org =
        access.org(req.param(QStringLiteral("gid")), leaving ? OrgRole::Member : OrgRole::Owner);
    OrgRepo orgs(access.db());
    Transaction tx(access.db(), ctx.db.isSqlite());
    const auto current = orgs.role(org.org.id, userId);
    if (!current)
        throw ApiError::notFound(QStringLiteral("That user is not a member of the organization."));
    if (*current == OrgRole::Owner && orgs.ownerCount(org.org.id) == 1)
        throw ApiError::conflict(QStringLiteral("The last owner cannot leave the organization."));
    orgs.removeMember(org.org.id, userId);
    tx.commit();
    return Response::noContent();
}

} // namespace

void addOrgRoutes(Router &router, ServerContext &ctx)
{
    const auto bind = [&ctx](ContextHandler fn) { return bindRoute(ctx, fn); };
    router.add(http_verb::post, "/auth/pf_group", bind(createOrg));
    router.add(http_verb::get, "/auth/pf_group/{gid:uuid}", bind(getOrg));
    router.add(http_verb::delete_, "/auth/pf_group/{gid:uuid}", bind(deleteOrg));
    router.add(http_verb::post, "/auth/pf_group/{gid:uuid}/invite", bind(invite));
    router.add(http_verb::post, "/auth/pf_group/invite/confirm", bind(confirmInvite));
    router.add(http_verb::get, "/auth/pf_group/{gid:uuid}/pf_user", bind(listMembers));
    router.add(http_verb::patch, "/auth/pf_user/{uid:uuid}/pf_group/{gid:uuid}/privilege_level",
               bind(setPrivilege));
    router.add(http_verb::delete_, "/auth/pf_user/{uid:uuid}/pf_group/{gid:uuid}",
               bind(removeMember));
}

} // namespace pf::server
