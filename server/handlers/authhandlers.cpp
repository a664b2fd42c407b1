// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// Tokens, sign-up and the caller's own user record (/api/token/, /auth/pf_user).

#include <QLoggingCategory>
#include <QRegularExpression>

#include "api/page.h"
#include "api/user.h"
#include "server/auth/authservice.h"
#include "server/auth/tokencodec.h"
#include "server/config.h"
#include "server/handlers/access.h"
#include "server/handlers/bodyreader.h"
#include "server/handlers/routes.h"
#include "server/http/router.h"
#include "server/store/database.h"
#include "server/store/orgrepo.h"
#include "server/store/projectrepo.h"
#include "server/store/tokenrepo.h"
#include "server/store/userrepo.h"

Q_DECLARE_LOGGING_CATEGORY(lcAuth)

namespace pf::server {

using api::ApiError;
using http_verb = boost::beast::http::verb;

namespace {

QString readUsername(BodyReader &body, const QString &key)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9_.@+-]{0,63}$"));
    const QString s = body.string(key, 64);
    if (!s.isEmpty() && !re.match(s).hasMatch())
        body.fail(key, QStringLiteral("may hold letters, digits and _ . @ + - (at most 64), "
                                      "starting with a letter or digit"));
    return s;
}

Response tokenRoute(ServerContext &ctx, Request &req)
{
    BodyReader body = BodyReader::fromForm(req);
    const QString username = body.string(QStringLiteral("username"), 254);
    const QString password = body.string(QStringLiteral("password"), 1024);
    body.finish({QStringLiteral("username"), QStringLiteral("password"),
                 QStringLiteral("grant_type"), QStringLiteral("scope"),
                 QStringLiteral("client_id")});
    return Response::json(
        ctx.auth.login(username, password.toUtf8(), req.remoteAddress()).toJson());
}

Response refreshRoute(ServerContext &ctx, Request &req)
{
    BodyReader body = BodyReader::fromForm(req);
    auto token = body.optionalString(QStringLiteral("refresh_token"));
    if (!token) // the older PeriFlow clients' key
        token = body.optionalString(QStringLiteral("refresh"));
    if (!token)
        body.fail(QStringLiteral("refresh_token"), QStringLiteral("is required"));
    body.finish({QStringLiteral("refresh_token"), QStringLiteral("refresh")});
    return Response::json(ctx.auth.refresh(token->toLatin1()).toJson());
}

Response userinfoRoute(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    const auto user = UserRepo(access.db()).byId(access.caller().userId);
    if (!user)
        throw ApiError::unauthorized(QStringLiteral("The token's user no longer exists."));
    const api::UserInfo info{QStringLiteral("pf|") + user->user.id, user->user.name,
                             user->user.username, user->user.email};
    return Response::json(info.toJson());
}

Response signupRoute(ServerContext &ctx, Request &req)
{
    BodyReader body(req.jsonObject());
    const QString username = readUsername(body, QStringLiteral("username"));
    const QString name = body.name(QStringLiteral("name"));
    const QString email = body.email(QStringLiteral("email"));
    const QString password = body.password(QStringLiteral("password"));
    body.finish({QStringLiteral("username"), QStringLiteral("name"), QStringLiteral("email"),
                 QStringLiteral("password")});

    const QByteArray hash = ctx.hasher.hash(password.toUtf8());
    QSqlDatabase db = ctx.db.connection();
    UserRepo users(db);
    const QByteArray emailToken = TokenCodec::randomToken(16);
    const QByteArray key = TokenCodec::randomToken(16);
    api::User user;
    {
        Transaction tx(db, ctx.db.isSqlite());
        if (users.usernameOrEmailTaken(username, email))
            throw ApiError::conflict(
                QStringLiteral("That username or e-mail address is already registered."));
        user = users.create(username, name, email, hash, false);
        users.addSignupCode(QString::fromLatin1(emailToken), TokenCodec::sha256Hex(key), user.id,
                            nowMs() + qint64(ctx.config.signupCodeTtlSecs) * 1000);
        tx.commit();
    }
    // No SMTP: the code goes to the server log, where an admin can pass it on.
    qCInfo(lcAuth).noquote() << QStringLiteral(
                                    "sign-up confirmation for %1 <%2>: email_token=%3 key=%4")
                                    .arg(user.username, user.email, QString::fromLatin1(emailToken),
                                         QString::fromLatin1(key));
    return Response::json(user.toJson(), 201);
}

Response confirmRoute(ServerContext &ctx, Request &req)
{
    BodyReader body(req.jsonObject());
    const QString emailToken = body.string(QStringLiteral("email_token"), 128);
    const QString key = body.string(QStringLiteral("key"), 128);
    body.finish({QStringLiteral("email_token"), QStringLiteral("key")});
    QSqlDatabase db = ctx.db.connection();
    UserRepo users(db);
    Transaction tx(db, ctx.db.isSqlite());
    const auto userId = users.takeSignupCode(emailToken, TokenCodec::sha256Hex(key.toLatin1()));
    if (!userId)
        throw ApiError::badRequest(
            QStringLiteral("The confirmation code is wrong or has expired."));
    users.setConfirmed(*userId);
    tx.commit();
    return Response::json(
        QJsonObject{{QStringLiteral("detail"), QStringLiteral("Account confirmed.")}});
}

Response passwordRoute(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    access.self(req.param(QStringLiteral("uid")), QStringLiteral("change the password"));
    BodyReader body(req.jsonObject());
    const QString oldPassword = body.string(QStringLiteral("old_password"), 1024);
    const QString newPassword = body.password(QStringLiteral("new_password"));
    body.finish({QStringLiteral("old_password"), QStringLiteral("new_password")});
    UserRepo users(access.db());
    const auto user = users.byId(access.caller().userId);
    if (!user || !ctx.hasher.verify(user->passwordHash, oldPassword.toUtf8()))
        throw ApiError::badRequest(QStringLiteral("The current password is wrong."),
                                   {{QStringLiteral("old_password"), QStringLiteral("is wrong")}});
    users.setPasswordHash(user->user.id, ctx.hasher.hash(newPassword.toUtf8()));
    // Other sessions keep their access token until it expires, but cannot refresh.
    TokenRepo(access.db()).revokeUser(user->user.id);
    return Response::noContent();
}

Response userOrgsRoute(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    access.self(req.param(QStringLiteral("uid")), QStringLiteral("list organizations"));
    return Response::json(api::toJsonArray(OrgRepo(access.db()).forUser(access.caller().userId)));
}

Response userProjectsRoute(ServerContext &ctx, Request &req)
{
    Access access = Access::of(ctx, req);
    access.self(req.param(QStringLiteral("uid")), QStringLiteral("list projects"));
    const PageRequest page = pageRequest(req);
    const OrgAccess org = access.org(req.param(QStringLiteral("gid")));
    // An owner sees every project of the org; a member those they belong to.
    const QString memberFilter =
        org.role == api::OrgRole::Owner ? QString() : access.caller().userId;
    return Response::json(ProjectRepo(access.db()).list(org.org.id, memberFilter, page).toJson());
}

} // namespace

void addAuthRoutes(Router &router, ServerContext &ctx)
{
    const auto bind = [&ctx](ContextHandler fn) { return bindRoute(ctx, fn); };
    router.add(http_verb::post, "/api/token/", bind(tokenRoute));
    router.add(http_verb::post, "/api/token/refresh/", bind(refreshRoute));
    router.add(http_verb::get, "/auth/oauth2/userinfo", bind(userinfoRoute));
    router.add(http_verb::post, "/auth/pf_user/self_signup", bind(signupRoute));
    router.add(http_verb::post, "/auth/pf_user/self_signup/confirm", bind(confirmRoute));
    router.add(http_verb::put, "/auth/pf_user/{uid:uuid}/password", bind(passwordRoute));
    router.add(http_verb::get, "/auth/pf_user/{uid:uuid}/pf_group", bind(userOrgsRoute));
    router.add(http_verb::get, "/auth/pf_user/{uid:uuid}/pf_group/{gid:uuid}/pf_project",
               bind(userProjectsRoute));
}

} // namespace pf::server
