// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// The role matrix: every route of the role table in docs/api.md, each called
// by every kind of caller, against one real pfd. Expected statuses come from
// that table and shared/API.md: outsiders get 404 on org and project
// resources, a role too low gets 403, no token or a bad one gets 401.
//
// One world is shared by the rows that only read or create fresh objects;
// rows that change memberships or delete the org or project build a world of
// their own for every cell, so one cell never changes another's outcome.

#include <array>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "server/auth/jwt.h"
#include "tests/support/pfdprocess.h"

using namespace pf::test;
using namespace Qt::StringLiterals;

namespace {

enum Col {
    Owner,
    Member,
    Admin,
    Maintain,
    Develop,
    Guest,
    Outsider,
    NoToken,
    Expired,
    Forged,
    kCols
};
constexpr int kUserCols = Outsider + 1; // the columns that are real, signed-in users

const char *const kColNames[kCols] = {"org owner",     "org member",  "project admin", "maintain",
                                      "develop",       "guest",       "outsider",      "no token",
                                      "expired token", "forged token"};
const char *const kColShort[kCols] = {"owner", "member", "admin", "maint",  "dev",
                                      "guest", "outsdr", "none",  "expird", "forged"};

using Expect = std::array<int, kCols>;

enum class PRole { Guest, Develop, Maintain, Admin };

// Any signed-in user, outsiders included.
Expect anySignedIn(int ok)
{
    return {ok, ok, ok, ok, ok, ok, ok, 401, 401, 401};
}
// Org members (project roles imply org membership).
Expect orgMembers(int ok)
{
    return {ok, ok, ok, ok, ok, ok, 404, 401, 401, 401};
}
Expect orgOwner(int ok)
{
    return {ok, 403, 403, 403, 403, 403, 404, 401, 401, 401};
}
// Project role `min` and up; an org owner acts as admin; an org member
// outside the project gets 404 like an outsider.
Expect projectRole(PRole min, int ok)
{
    const auto at = [&](PRole r) { return r >= min ? ok : 403; };
    return {ok,
            404,
            at(PRole::Admin),
            at(PRole::Maintain),
            at(PRole::Develop),
            at(PRole::Guest),
            404,
            401,
            401,
            401};
}
// A user route aimed at someone else's record.
Expect someoneElse(int ownerGets)
{
    return {ownerGets, 403, 403, 403, 403, 403, 403, 401, 401, 401};
}

struct Call
{
    std::string method;
    QString path;
    QByteArray body;
    std::string contentType = "application/json";
};

QByteArray json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

struct World
{
    QString orgId;
    QString projectId;
};

// What one cell's builder gets.
struct Cell
{
    World &w;
    Col col;
    QString self;         // the caller's user id (the owner's, whose id the bad tokens carry)
    QString selfPassword; // and password
    QString made;         // the id of an object the builder made for this cell
    QString wanted;       // a name the call is to set
};

// A world-building step failed: the cell cannot be judged.
struct SetupError : std::runtime_error
{
    using std::runtime_error::runtime_error;
};

struct Row
{
    std::string id;    // gtest name
    std::string route; // as printed
    bool freshWorld = false;
    std::function<Call(Cell &)> build;
    Expect expected;
    // Extra checks on a 2xx answer; returns a complaint or "".
    std::function<std::string(Cell &, const HttpReply &)> check = {};
    // For calls that change something: whether the change happened, as the
    // owner sees it afterwards. It must have for a 2xx, and must not have
    // for a refusal.
    std::function<bool(Cell &)> applied = {};
};

class RoleMatrix : public ::testing::TestWithParam<size_t>
{
public:
    static const std::vector<Row> &rows();

public:
    static void SetUpTestSuite();
    static void TearDownTestSuite();

    static PfdProcess &pfd() { return *s_pfd; }
    static HttpClient &as(Col c) { return *s_clients[size_t(c)]; }
    static const PfdProcess::User &user(Col c) { return s_users[size_t(c)]; }
    static QString unique(const QString &stem) { return u"%1-%2"_s.arg(stem).arg(++s_counter); }

    static HttpReply send(HttpClient &c, const Call &call)
    {
        return c.request(call.method, call.path.toStdString(), call.body.toStdString(),
                         call.contentType);
    }
    static QJsonObject must(const HttpReply &r, int status, const char *what)
    {
        if (r.status != status)
            throw SetupError(std::string(what) + ": expected " + std::to_string(status) + ", got " +
                             std::to_string(r.status) + " " + r.body.toStdString());
        return r.json();
    }

    static World makeWorld();
    static void joinOrg(const QString &orgId, const PfdProcess::User &u, HttpClient &c);
    static void addToProject(const QString &projectId, const QString &userId, const QString &level);

public:
    // Objects a cell acts on, made fresh by the owner (or `creator`).
    static QString newCredential(World &w, Col creator);
    static qint64 newExperiment(World &w);
    static QString newProject(World &w);
    static qint64 newQuota(World &w);

    static inline PfdProcess *s_pfd = nullptr;
    static inline std::array<PfdProcess::User, kCols> s_users;
    static inline std::array<std::unique_ptr<HttpClient>, kCols> s_clients;
    static inline PfdProcess::User s_victim;    // org member and project guest; a target
    static inline PfdProcess::User s_bystander; // org member outside the project; a target
    static inline std::unique_ptr<HttpClient> s_victimClient;
    static inline std::unique_ptr<HttpClient> s_bystanderClient;
    static inline World s_shared;
    static inline QString s_vmCode;
    static inline qint64 s_vmConfigId = 0;
    static inline int s_counter = 0;
    static inline std::map<size_t, std::array<int, kCols>> s_seen;
};

QString expiredOrForged(const QByteArray &key, const PfdProcess::User &u, qint64 expOffset)
{
    const pf::server::Jwt jwt(key);
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    return QString::fromLatin1(jwt.sign({{u"sub"_s, u.id},
                                         {u"username"_s, u.username},
                                         {u"typ"_s, u"access"_s},
                                         {u"iat"_s, now - 3600},
                                         {u"exp"_s, now + expOffset}}));
}

QByteArray serverJwtKey(const PfdProcess &pfd)
{
    QFile f(pfd.dataDir() + u"/keys/jwt.key"_s);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void RoleMatrix::SetUpTestSuite()
{
    s_pfd = new PfdProcess();
    ASSERT_TRUE(s_pfd->start()) << s_pfd->lastError().toStdString();
    const char *const names[kUserCols] = {"owner",    "member", "padmin",  "pmaintain",
                                          "pdevelop", "pguest", "outsider"};
    for (int c = 0; c < kUserCols; ++c) {
        s_users[size_t(c)] = pfd().createUser(QString::fromLatin1(names[c]));
        ASSERT_FALSE(s_users[size_t(c)].token.isEmpty()) << "cannot sign in " << names[c];
    }
    s_victim = pfd().createUser(u"victim"_s);
    s_bystander = pfd().createUser(u"bystander"_s);
    ASSERT_FALSE(s_victim.token.isEmpty());
    ASSERT_FALSE(s_bystander.token.isEmpty());

    // The bad-token columns all claim to be the owner.
    const QByteArray key = serverJwtKey(pfd());
    ASSERT_EQ(key.size(), pf::server::Jwt::KeyBytes) << "cannot read the server's jwt.key";
    for (Col c : {NoToken, Expired, Forged})
        s_users[size_t(c)] = s_users[Owner];
    s_users[NoToken].token.clear();
    s_users[Expired].token = expiredOrForged(key, s_users[Owner], -60);
    s_users[Forged].token =
        expiredOrForged(QByteArray(pf::server::Jwt::KeyBytes, 'k'), s_users[Owner], 600);
    for (int c = 0; c < kCols; ++c)
        s_clients[size_t(c)] = pfd().client(s_users[size_t(c)].token);
    s_victimClient = pfd().client(s_victim.token);
    s_bystanderClient = pfd().client(s_bystander.token);

    try {
        s_shared = makeWorld();
        const HttpReply configs = as(Owner).get(u"/api/group/%1/vm_config/"_s.arg(s_shared.orgId));
        must(configs, 200, "list VM configs");
        const QJsonObject first = configs.jsonArray().first().toObject();
        s_vmConfigId = first.value(u"id"_s).toInteger();
        s_vmCode = first.value(u"vm_config_type"_s).toObject().value(u"code"_s).toString();
    } catch (const SetupError &e) {
        FAIL() << "building the shared world: " << e.what();
    }
    ASSERT_FALSE(s_vmCode.isEmpty());
}

void RoleMatrix::TearDownTestSuite()
{
    // The matrix as the server answered it; '*' marks a cell that differs
    // from the expectation.
    if (!s_seen.empty()) {
        std::printf("\n%-58s", "route");
        for (const char *c : kColShort)
            std::printf(" %6s", c);
        std::printf("\n");
        for (const auto &[index, seen] : s_seen) {
            const Row &row = rows()[index];
            std::printf("%-58s", row.route.c_str());
            for (int c = 0; c < kCols; ++c) {
                const bool same = seen[size_t(c)] == row.expected[size_t(c)];
                std::printf(" %5d%c", seen[size_t(c)], same ? ' ' : '*');
            }
            std::printf("\n");
        }
        std::fflush(stdout);
        s_seen.clear();
    }
    s_clients = {};
    s_victimClient.reset();
    s_bystanderClient.reset();
    delete s_pfd;
    s_pfd = nullptr;
}

void RoleMatrix::joinOrg(const QString &orgId, const PfdProcess::User &u, HttpClient &c)
{
    const QJsonObject invite =
        must(as(Owner).postJson(u"/auth/pf_group/%1/invite"_s.arg(orgId),
                                {{u"email"_s, u.email}, {u"msg"_s, u"join us"_s}}),
             201, "invite");
    must(c.postJson(u"/auth/pf_group/invite/confirm"_s,
                    {{u"email_token"_s, invite.value(u"email_token"_s)},
                     {u"key"_s, invite.value(u"key"_s)}}),
         200, "confirm invitation");
}

void RoleMatrix::addToProject(const QString &projectId, const QString &userId, const QString &level)
{
    must(as(Owner).postJson(u"/auth/pf_user/%1/pf_project/%2"_s.arg(userId, projectId),
                            {{u"access_level"_s, level}}),
         201, "add project member");
}

World RoleMatrix::makeWorld()
{
    World w;
    w.orgId = must(as(Owner).postJson(u"/auth/pf_group"_s, {{u"name"_s, unique(u"org"_s)},
                                                            {u"hosting_type"_s, u"hosted"_s}}),
                   201, "create org")
                  .value(u"id"_s)
                  .toString();
    for (Col c : {Member, Admin, Maintain, Develop, Guest})
        joinOrg(w.orgId, user(c), as(c));
    joinOrg(w.orgId, s_victim, *s_victimClient);
    joinOrg(w.orgId, s_bystander, *s_bystanderClient);
    w.projectId = newProject(w);
    addToProject(w.projectId, user(Admin).id, u"admin"_s);
    addToProject(w.projectId, user(Maintain).id, u"maintain"_s);
    addToProject(w.projectId, user(Develop).id, u"develop"_s);
    addToProject(w.projectId, user(Guest).id, u"guest"_s);
    addToProject(w.projectId, s_victim.id, u"guest"_s);
    return w;
}

QString RoleMatrix::newProject(World &w)
{
    return must(as(Owner).postJson(u"/auth/pf_group/%1/pf_project"_s.arg(w.orgId),
                                   {{u"name"_s, unique(u"proj"_s)}}),
                201, "create project")
        .value(u"id"_s)
        .toString();
}

QString RoleMatrix::newCredential(World &w, Col creator)
{
    return must(as(creator).postJson(u"/auth/pf_project/%1/credential"_s.arg(w.projectId),
                                     {{u"type"_s, u"wandb"_s},
                                      {u"name"_s, unique(u"cred"_s)},
                                      {u"type_version"_s, 1},
                                      {u"value"_s, QJsonObject{{u"token"_s, u"s3cret"_s}}}}),
                201, "create credential")
        .value(u"id"_s)
        .toString();
}

qint64 RoleMatrix::newExperiment(World &w)
{
    return must(as(Owner).postJson(u"/api/project/%1/experiment/"_s.arg(w.projectId),
                                   {{u"name"_s, unique(u"exp"_s)}}),
                201, "create experiment")
        .value(u"id"_s)
        .toInteger();
}

qint64 RoleMatrix::newQuota(World &w)
{
    // Quotas are unique per project and VM type: a fresh project each time.
    const QString project = newProject(w);
    return must(as(Owner).postJson(u"/api/group/%1/vm_quota/"_s.arg(w.orgId),
                                   {{u"vm_config_type_code"_s, s_vmCode},
                                    {u"project_id"_s, project},
                                    {u"quota"_s, 2}}),
                201, "create quota")
        .value(u"id"_s)
        .toInteger();
}

// ---- the rows --------------------------------------------------------------

Call get(const QString &path)
{
    return {"GET", path, {}, {}};
}
Call del(const QString &path)
{
    return {"DELETE", path, {}, {}};
}
Call post(const QString &path, const QJsonObject &body)
{
    return {"POST", path, json(body)};
}
Call patch(const QString &path, const QJsonObject &body)
{
    return {"PATCH", path, json(body)};
}
Call put(const QString &path, const QJsonObject &body)
{
    return {"PUT", path, json(body)};
}

using RM = RoleMatrix;

// A credential's `value` is shown to develop and up only.
std::string valueOnlyForDevelopers(Cell &cell, const HttpReply &r)
{
    const bool shown = r.json().contains(u"value"_s);
    const bool should =
        cell.col == Owner || cell.col == Admin || cell.col == Maintain || cell.col == Develop;
    if (shown == should)
        return {};
    return should ? "`value` is missing" : "`value` (the secret) is shown to a guest";
}

std::string noSecretsInList(Cell &, const HttpReply &r)
{
    for (const QJsonValue &v : r.jsonArray()) {
        if (v.toObject().contains(u"value"_s))
            return "the credential list carries a `value`";
    }
    return {};
}

std::string pageHolds(const HttpReply &r, const QString &projectId, bool wanted)
{
    bool found = false;
    for (const QJsonValue &v : r.json().value(u"results"_s).toArray())
        found = found || v.toObject().value(u"id"_s).toString() == projectId;
    if (found == wanted)
        return {};
    return wanted ? "the project is missing from the list"
                  : "the list holds a project the caller is not in";
}

// ---- how the owner sees the world after a call ----------------------------

constexpr int kWorldOrgMembers = 8;     // owner, member, 4 project roles, victim, bystander
constexpr int kWorldProjectMembers = 5; // 4 project roles and the victim

HttpReply ownerGet(const QString &path)
{
    return RM::s_clients[Owner]->get(path);
}

// The caller's own client, or the owner's for the bad-token columns.
HttpClient &seer(Col c)
{
    return c < NoToken ? *RM::s_clients[size_t(c)] : *RM::s_clients[Owner];
}

QStringList namesIn(const QJsonArray &items)
{
    QStringList out;
    for (const QJsonValue &v : items)
        out << v.toObject().value(u"name"_s).toString();
    return out;
}

int memberCount(const QString &path)
{
    return int(ownerGet(path + u"?limit=100"_s).json().value(u"results"_s).toArray().size());
}

// "" when not a member.
QString orgRoleOf(const World &w, const QString &userId)
{
    for (const QJsonValue &v : ownerGet(u"/auth/pf_group/%1/pf_user?limit=100"_s.arg(w.orgId))
                                   .json()
                                   .value(u"results"_s)
                                   .toArray()) {
        if (v.toObject().value(u"id"_s).toString() == userId)
            return v.toObject().value(u"privilege_level"_s).toString();
    }
    return {};
}

QString projectRoleOf(const World &w, const QString &userId)
{
    const HttpReply r = ownerGet(u"/auth/pf_user/%1/pf_project/%2"_s.arg(userId, w.projectId));
    return r.status == 200 ? r.json().value(u"access_level"_s).toString() : QString();
}

std::vector<Row> makeRows()
{
    const auto self = [](Cell &c) { return c.self; };
    std::vector<Row> r;

    // --- users -------------------------------------------------------------
    r.push_back({"Userinfo", "GET /auth/oauth2/userinfo", false,
                 [](Cell &) { return get(u"/auth/oauth2/userinfo"_s); }, anySignedIn(200),
                 [](Cell &c, const HttpReply &rep) -> std::string {
                     return rep.json().value(u"sub"_s).toString() == u"pf|"_s + c.self
                                ? ""
                                : "wrong `sub`";
                 }});
    r.push_back({"OwnOrgs", "GET /auth/pf_user/{self}/pf_group", false,
                 [=](Cell &c) { return get(u"/auth/pf_user/%1/pf_group"_s.arg(self(c))); },
                 anySignedIn(200)});
    r.push_back(
        {"OthersOrgs", "GET /auth/pf_user/{owner}/pf_group", false,
         [](Cell &) { return get(u"/auth/pf_user/%1/pf_group"_s.arg(RM::s_users[Owner].id)); },
         someoneElse(200)});
    r.push_back({"OwnProjectsInOrg", "GET /auth/pf_user/{self}/pf_group/{gid}/pf_project", false,
                 [=](Cell &c) {
                     return get(
                         u"/auth/pf_user/%1/pf_group/%2/pf_project"_s.arg(self(c), c.w.orgId));
                 },
                 orgMembers(200),
                 [](Cell &c, const HttpReply &rep) {
                     // Every project for the owner; only their own for a member.
                     return pageHolds(rep, c.w.projectId, c.col != Member);
                 }});
    r.push_back(
        {"OthersProjectsInOrg", "GET /auth/pf_user/{owner}/pf_group/{gid}/pf_project", false,
         [](Cell &c) {
             return get(u"/auth/pf_user/%1/pf_group/%2/pf_project"_s.arg(RM::s_users[Owner].id,
                                                                         c.w.orgId));
         },
         someoneElse(200)});
    r.push_back(
        {"OwnPassword", "PUT /auth/pf_user/{self}/password", false,
         [=](Cell &c) {
             return put(u"/auth/pf_user/%1/password"_s.arg(self(c)),
                        {{u"old_password"_s, c.selfPassword}, {u"new_password"_s, c.selfPassword}});
         },
         anySignedIn(204)});
    r.push_back({"OthersPassword", "PUT /auth/pf_user/{victim}/password", false,
                 [](Cell &) {
                     return put(u"/auth/pf_user/%1/password"_s.arg(RM::s_victim.id),
                                {{u"old_password"_s, RM::s_victim.password},
                                 {u"new_password"_s, u"hijacked-pw"_s}});
                 },
                 someoneElse(403), nullptr,
                 [](Cell &) {
                     // The victim's password still works.
                     PfdProcess::User v = RM::s_victim;
                     return RM::pfd().login(v) != 200;
                 }});

    // --- organizations -------------------------------------------------------
    r.push_back(
        {"CreateOrg", "POST /auth/pf_group", false,
         [](Cell &c) {
             c.wanted = RM::unique(u"neworg"_s);
             return post(u"/auth/pf_group"_s,
                         {{u"name"_s, c.wanted}, {u"hosting_type"_s, u"hosted"_s}});
         },
         anySignedIn(201), nullptr,
         [](Cell &c) {
             return namesIn(seer(c.col).get(u"/auth/pf_user/%1/pf_group"_s.arg(c.self)).jsonArray())
                 .contains(c.wanted);
         }});
    r.push_back({"GetOrg", "GET /auth/pf_group/{gid}", false,
                 [](Cell &c) { return get(u"/auth/pf_group/%1"_s.arg(c.w.orgId)); },
                 orgMembers(200)});
    r.push_back(
        {"DeleteOrg", "DELETE /auth/pf_group/{gid}", true,
         [](Cell &c) { return del(u"/auth/pf_group/%1"_s.arg(c.w.orgId)); }, orgOwner(204),
         [](Cell &c, const HttpReply &) -> std::string {
             // ... and every project in it.
             const HttpReply p = ownerGet(u"/auth/pf_project/%1"_s.arg(c.w.projectId));
             return p.status == 404 ? ""
                                    : "the org's project survived: " + std::to_string(p.status);
         },
         [](Cell &c) { return ownerGet(u"/auth/pf_group/%1"_s.arg(c.w.orgId)).status == 404; }});
    r.push_back({"OrgMembers", "GET /auth/pf_group/{gid}/pf_user", false,
                 [](Cell &c) { return get(u"/auth/pf_group/%1/pf_user"_s.arg(c.w.orgId)); },
                 orgMembers(200)});
    r.push_back({"OrgProjects", "GET /auth/pf_group/{gid}/pf_project", false,
                 [](Cell &c) { return get(u"/auth/pf_group/%1/pf_project"_s.arg(c.w.orgId)); },
                 orgMembers(200)});
    r.push_back({"Invite", "POST /auth/pf_group/{gid}/invite", false,
                 [](Cell &c) {
                     return post(
                         u"/auth/pf_group/%1/invite"_s.arg(c.w.orgId),
                         {{u"email"_s, QString(RM::unique(u"invitee"_s) + u"@example.test"_s)},
                          {u"msg"_s, u"hi"_s}});
                 },
                 orgOwner(201)});
    r.push_back(
        {"SetPrivilege", "PATCH /auth/pf_user/{bystander}/pf_group/{gid}/privilege_level", true,
         [](Cell &c) {
             return patch(u"/auth/pf_user/%1/pf_group/%2/privilege_level"_s.arg(RM::s_bystander.id,
                                                                                c.w.orgId),
                          {{u"privilege_level"_s, u"owner"_s}});
         },
         orgOwner(200), nullptr,
         [](Cell &c) { return orgRoleOf(c.w, RM::s_bystander.id) == u"owner"_s; }});
    r.push_back(
        {"CreateProject", "POST /auth/pf_group/{gid}/pf_project", false,
         [](Cell &c) {
             c.wanted = RM::unique(u"newproj"_s);
             return post(u"/auth/pf_group/%1/pf_project"_s.arg(c.w.orgId), {{u"name"_s, c.wanted}});
         },
         orgOwner(201), nullptr,
         [](Cell &c) {
             return namesIn(ownerGet(u"/auth/pf_group/%1/pf_project?limit=100"_s.arg(c.w.orgId))
                                .json()
                                .value(u"results"_s)
                                .toArray())
                 .contains(c.wanted);
         }});
    r.push_back(
        {"RemoveOrgMember", "DELETE /auth/pf_user/{victim}/pf_group/{gid}", true,
         [](Cell &c) {
             return del(u"/auth/pf_user/%1/pf_group/%2"_s.arg(RM::s_victim.id, c.w.orgId));
         },
         orgOwner(204),
         [](Cell &c, const HttpReply &) -> std::string {
             // ... which takes them out of the org's projects too.
             const HttpReply m =
                 ownerGet(u"/auth/pf_user/%1/pf_project/%2"_s.arg(RM::s_victim.id, c.w.projectId));
             return m.status == 404 ? "" : "still a project member: " + std::to_string(m.status);
         },
         [](Cell &c) { return orgRoleOf(c.w, RM::s_victim.id).isEmpty(); }});
    r.push_back(
        {"LeaveOrg", "DELETE /auth/pf_user/{self}/pf_group/{gid}", true,
         [=](Cell &c) { return del(u"/auth/pf_user/%1/pf_group/%2"_s.arg(self(c), c.w.orgId)); },
         // The owner is the last owner: 409.
         Expect{409, 204, 204, 204, 204, 204, 404, 401, 401, 401},
         [](Cell &c, const HttpReply &) -> std::string {
             const HttpReply p = RM::as(c.col).get(u"/auth/pf_project/%1"_s.arg(c.w.projectId));
             return p.status == 404
                        ? ""
                        : "the leaver still sees the project: " + std::to_string(p.status);
         },
         [](Cell &c) {
             return memberCount(u"/auth/pf_group/%1/pf_user"_s.arg(c.w.orgId)) < kWorldOrgMembers;
         }});

    // --- projects ------------------------------------------------------------
    r.push_back({"GetProject", "GET /auth/pf_project/{pid}", false,
                 [](Cell &c) { return get(u"/auth/pf_project/%1"_s.arg(c.w.projectId)); },
                 projectRole(PRole::Guest, 200)});
    r.push_back({"ProjectMembers", "GET /auth/pf_project/{pid}/pf_user", false,
                 [](Cell &c) { return get(u"/auth/pf_project/%1/pf_user"_s.arg(c.w.projectId)); },
                 projectRole(PRole::Guest, 200)});
    r.push_back({"GetMembership", "GET /auth/pf_user/{victim}/pf_project/{pid}", false,
                 [](Cell &c) {
                     return get(
                         u"/auth/pf_user/%1/pf_project/%2"_s.arg(RM::s_victim.id, c.w.projectId));
                 },
                 projectRole(PRole::Guest, 200)});
    r.push_back({"DeleteProject", "DELETE /auth/pf_project/{pid}", true,
                 [](Cell &c) { return del(u"/auth/pf_project/%1"_s.arg(c.w.projectId)); },
                 projectRole(PRole::Admin, 204), nullptr,
                 [](Cell &c) {
                     return ownerGet(u"/auth/pf_project/%1"_s.arg(c.w.projectId)).status == 404;
                 }});
    r.push_back({"AddProjectMember", "POST /auth/pf_user/{bystander}/pf_project/{pid}", true,
                 [](Cell &c) {
                     return post(
                         u"/auth/pf_user/%1/pf_project/%2"_s.arg(RM::s_bystander.id, c.w.projectId),
                         {{u"access_level"_s, u"develop"_s}});
                 },
                 projectRole(PRole::Admin, 201), nullptr,
                 [](Cell &c) { return projectRoleOf(c.w, RM::s_bystander.id) == u"develop"_s; }});
    r.push_back(
        {"SetAccessLevel", "PATCH /auth/pf_user/{victim}/pf_project/{pid}/access_level", true,
         [](Cell &c) {
             return patch(u"/auth/pf_user/%1/pf_project/%2/access_level"_s.arg(RM::s_victim.id,
                                                                               c.w.projectId),
                          {{u"access_level"_s, u"develop"_s}});
         },
         projectRole(PRole::Admin, 200), nullptr,
         [](Cell &c) { return projectRoleOf(c.w, RM::s_victim.id) == u"develop"_s; }});
    r.push_back({"RemoveProjectMember", "DELETE /auth/pf_user/{victim}/pf_project/{pid}", true,
                 [](Cell &c) {
                     return del(
                         u"/auth/pf_user/%1/pf_project/%2"_s.arg(RM::s_victim.id, c.w.projectId));
                 },
                 projectRole(PRole::Admin, 204), nullptr,
                 [](Cell &c) { return projectRoleOf(c.w, RM::s_victim.id).isEmpty(); }});
    r.push_back(
        {"LeaveProject", "DELETE /auth/pf_user/{self}/pf_project/{pid}", true,
         [=](Cell &c) {
             return del(u"/auth/pf_user/%1/pf_project/%2"_s.arg(self(c), c.w.projectId));
         },
         // The owner is no member of the project (only acts as its admin): nothing to leave.
         Expect{404, 404, 204, 204, 204, 204, 404, 401, 401, 401},
         [](Cell &c, const HttpReply &) -> std::string {
             const HttpReply p = RM::as(c.col).get(u"/auth/pf_project/%1"_s.arg(c.w.projectId));
             return p.status == 404
                        ? ""
                        : "the leaver still sees the project: " + std::to_string(p.status);
         },
         [](Cell &c) {
             return memberCount(u"/auth/pf_project/%1/pf_user"_s.arg(c.w.projectId)) <
                    kWorldProjectMembers;
         }});

    // --- credentials -----------------------------------------------------------
    r.push_back({"CredentialTypes", "GET /api/credential_type/", false,
                 [](Cell &) { return get(u"/api/credential_type/"_s); }, anySignedIn(200)});
    r.push_back({"JobTemplates", "GET /api/job_template/", false,
                 [](Cell &) { return get(u"/api/job_template/"_s); }, anySignedIn(200)});
    r.push_back({"ListCredentials", "GET /auth/pf_project/{pid}/credential", false,
                 [](Cell &c) {
                     RM::newCredential(c.w, Owner);
                     return get(u"/auth/pf_project/%1/credential"_s.arg(c.w.projectId));
                 },
                 projectRole(PRole::Guest, 200), noSecretsInList});
    r.push_back({"CreateCredential", "POST /auth/pf_project/{pid}/credential", false,
                 [](Cell &c) {
                     c.wanted = RM::unique(u"cred"_s);
                     return post(u"/auth/pf_project/%1/credential"_s.arg(c.w.projectId),
                                 {{u"type"_s, u"wandb"_s},
                                  {u"name"_s, c.wanted},
                                  {u"type_version"_s, 1},
                                  {u"value"_s, QJsonObject{{u"token"_s, u"t0ken"_s}}}});
                 },
                 projectRole(PRole::Develop, 201), nullptr,
                 [](Cell &c) {
                     return namesIn(ownerGet(u"/auth/pf_project/%1/credential"_s.arg(c.w.projectId))
                                        .jsonArray())
                         .contains(c.wanted);
                 }});
    r.push_back(
        {"GetCredential", "GET /auth/credential/{id}", false,
         [](Cell &c) { return get(u"/auth/credential/%1"_s.arg(RM::newCredential(c.w, Owner))); },
         projectRole(PRole::Guest, 200), valueOnlyForDevelopers});
    // Maintain and up change anyone's credential; develop only their own.
    const Expect ownedByDeveloper200{200, 404, 200, 200, 200, 403, 404, 401, 401, 401};
    const Expect ownedByDeveloper204{204, 404, 204, 204, 204, 403, 404, 401, 401, 401};
    const auto renamed = [](Cell &c) {
        return ownerGet(u"/auth/credential/%1"_s.arg(c.made)).json().value(u"name"_s).toString() ==
               c.wanted;
    };
    const auto credentialGone = [](Cell &c) {
        return ownerGet(u"/auth/credential/%1"_s.arg(c.made)).status == 404;
    };
    r.push_back({"PatchOwnersCredential", "PATCH /auth/credential/{id} (the owner's)", false,
                 [](Cell &c) {
                     c.made = RM::newCredential(c.w, Owner);
                     c.wanted = RM::unique(u"renamed"_s);
                     return patch(u"/auth/credential/%1"_s.arg(c.made), {{u"name"_s, c.wanted}});
                 },
                 projectRole(PRole::Maintain, 200), nullptr, renamed});
    r.push_back({"PatchDevelopersCredential", "PATCH /auth/credential/{id} (develop's)", false,
                 [](Cell &c) {
                     c.made = RM::newCredential(c.w, Develop);
                     c.wanted = RM::unique(u"renamed"_s);
                     return patch(u"/auth/credential/%1"_s.arg(c.made), {{u"name"_s, c.wanted}});
                 },
                 ownedByDeveloper200, nullptr, renamed});
    r.push_back({"DeleteOwnersCredential", "DELETE /auth/credential/{id} (the owner's)", false,
                 [](Cell &c) {
                     c.made = RM::newCredential(c.w, Owner);
                     return del(u"/auth/credential/%1"_s.arg(c.made));
                 },
                 projectRole(PRole::Maintain, 204), nullptr, credentialGone});
    r.push_back({"DeleteDevelopersCredential", "DELETE /auth/credential/{id} (develop's)", false,
                 [](Cell &c) {
                     c.made = RM::newCredential(c.w, Develop);
                     return del(u"/auth/credential/%1"_s.arg(c.made));
                 },
                 ownedByDeveloper204, nullptr, credentialGone});

    // --- VMs and quotas --------------------------------------------------------
    const auto quotaOf = [](Cell &c) -> std::optional<int> {
        for (const QJsonValue &v :
             ownerGet(u"/api/group/%1/vm_quota/"_s.arg(c.w.orgId)).jsonArray()) {
            const QJsonObject q = v.toObject();
            if (q.value(u"id"_s).toVariant().toString() == c.made ||
                q.value(u"project_id"_s).toString() == c.made)
                return q.value(u"quota"_s).toInt();
        }
        return std::nullopt;
    };
    r.push_back({"VmConfigs", "GET /api/group/{gid}/vm_config/", false,
                 [](Cell &c) { return get(u"/api/group/%1/vm_config/"_s.arg(c.w.orgId)); },
                 orgMembers(200)});
    r.push_back({"GroupQuotas", "GET /api/group/{gid}/vm_quota/", false,
                 [](Cell &c) { return get(u"/api/group/%1/vm_quota/"_s.arg(c.w.orgId)); },
                 orgMembers(200)});
    r.push_back({"AddGroupQuota", "POST /api/group/{gid}/vm_quota/", false,
                 [](Cell &c) {
                     c.made = RM::newProject(c.w);
                     return post(u"/api/group/%1/vm_quota/"_s.arg(c.w.orgId),
                                 {{u"vm_config_type_code"_s, RM::s_vmCode},
                                  {u"project_id"_s, c.made},
                                  {u"quota"_s, 3}});
                 },
                 orgOwner(201), nullptr, [=](Cell &c) { return quotaOf(c) == 3; }});
    r.push_back({"PatchGroupQuota", "PATCH /api/group/{gid}/vm_quota/{id}/", false,
                 [](Cell &c) {
                     c.made = QString::number(RM::newQuota(c.w));
                     return patch(u"/api/group/%1/vm_quota/%2/"_s.arg(c.w.orgId, c.made),
                                  {{u"quota"_s, 5}});
                 },
                 orgOwner(200), nullptr, [=](Cell &c) { return quotaOf(c) == 5; }});
    r.push_back({"DeleteGroupQuota", "DELETE /api/group/{gid}/vm_quota/{id}/", false,
                 [](Cell &c) {
                     c.made = QString::number(RM::newQuota(c.w));
                     return del(u"/api/group/%1/vm_quota/%2/"_s.arg(c.w.orgId, c.made));
                 },
                 orgOwner(204), nullptr, [=](Cell &c) { return !quotaOf(c).has_value(); }});
    r.push_back({"ProjectQuotas", "GET /api/project/{pid}/vm_quota/", false,
                 [](Cell &c) { return get(u"/api/project/%1/vm_quota/"_s.arg(c.w.projectId)); },
                 projectRole(PRole::Guest, 200)});
    r.push_back({"ConfigLocks", "GET /api/project/{pid}/vm_config/{id}/vm_lock/", false,
                 [](Cell &c) {
                     return get(u"/api/project/%1/vm_config/%2/vm_lock/?status=active,deleting"_s
                                    .arg(c.w.projectId)
                                    .arg(RM::s_vmConfigId));
                 },
                 projectRole(PRole::Guest, 200)});
    r.push_back({"ProjectLocks", "GET /api/project/{pid}/vm_lock/", false,
                 [](Cell &c) {
                     return get(u"/api/project/%1/vm_lock/?status=active"_s.arg(c.w.projectId));
                 },
                 projectRole(PRole::Guest, 200)});

    // --- experiments -----------------------------------------------------------
    const auto experimentNamed = [](Cell &c) {
        return namesIn(ownerGet(u"/api/project/%1/experiment/"_s.arg(c.w.projectId)).jsonArray())
            .contains(c.wanted);
    };
    r.push_back({"ListExperiments", "GET /api/project/{pid}/experiment/", false,
                 [](Cell &c) { return get(u"/api/project/%1/experiment/"_s.arg(c.w.projectId)); },
                 projectRole(PRole::Guest, 200)});
    r.push_back({"CreateExperiment", "POST /api/project/{pid}/experiment/ (JSON)", false,
                 [](Cell &c) {
                     c.wanted = RM::unique(u"exp"_s);
                     return post(u"/api/project/%1/experiment/"_s.arg(c.w.projectId),
                                 {{u"name"_s, c.wanted}});
                 },
                 projectRole(PRole::Develop, 201), nullptr, experimentNamed});
    r.push_back({"CreateExperimentForm", "POST /api/project/{pid}/experiment/ (form)", false,
                 [](Cell &c) {
                     c.wanted = RM::unique(u"formexp"_s);
                     return Call{"POST", u"/api/project/%1/experiment/"_s.arg(c.w.projectId),
                                 "name=" + c.wanted.toUtf8(), "application/x-www-form-urlencoded"};
                 },
                 projectRole(PRole::Develop, 201), nullptr, experimentNamed});
    r.push_back(
        {"ExperimentJobs", "GET /api/experiment/{id}/job/", false,
         [](Cell &c) { return get(u"/api/experiment/%1/job/"_s.arg(RM::newExperiment(c.w))); },
         projectRole(PRole::Guest, 200)});
    r.push_back({"RenameExperiment", "PATCH /api/experiment/{id}/", false,
                 [](Cell &c) {
                     c.wanted = RM::unique(u"ren"_s);
                     return patch(u"/api/experiment/%1/"_s.arg(RM::newExperiment(c.w)),
                                  {{u"name"_s, c.wanted}});
                 },
                 projectRole(PRole::Develop, 200), nullptr, experimentNamed});
    r.push_back(
        {"DeleteExperiment", "DELETE /api/experiment/{id}/", false,
         [](Cell &c) {
             c.made = QString::number(RM::newExperiment(c.w));
             return del(u"/api/experiment/%1/"_s.arg(c.made));
         },
         projectRole(PRole::Maintain, 204), nullptr,
         [](Cell &c) { return ownerGet(u"/api/experiment/%1/job/"_s.arg(c.made)).status == 404; }});
    return r;
}

const std::vector<Row> &RoleMatrix::rows()
{
    static const std::vector<Row> all = makeRows();
    return all;
}

TEST_P(RoleMatrix, Route)
{
    ASSERT_NE(s_pfd, nullptr);
    ASSERT_FALSE(s_shared.projectId.isEmpty()) << "the shared world was not built";
    const size_t index = GetParam();
    const Row &row = rows()[index];
    std::array<int, kCols> seen{};
    for (int c = 0; c < kCols; ++c) {
        const Col col = Col(c);
        const std::string who = std::string(kColNames[c]);
        try {
            World fresh = row.freshWorld ? makeWorld() : World{};
            Cell cell{
                row.freshWorld ? fresh : s_shared, col, user(col).id, user(col).password, {}, {}};
            const Call call = row.build(cell);
            const HttpReply reply = send(as(col), call);
            seen[size_t(c)] = reply.status;
            EXPECT_EQ(reply.status, row.expected[size_t(c)])
                << row.route << " as " << who << " (" << call.method << " "
                << call.path.toStdString() << "): expected " << row.expected[size_t(c)] << ", got "
                << reply.status << " " << reply.body.left(300).toStdString();
            if (reply.status >= 400) {
                EXPECT_FALSE(reply.detail().isEmpty())
                    << row.route << " as " << who << ": a " << reply.status << " without a detail";
            }
            if (reply.status == 401) {
                EXPECT_EQ(reply.header("www-authenticate"), "Bearer")
                    << row.route << " as " << who << ": a 401 without WWW-Authenticate: Bearer";
            }
            if (reply.status == row.expected[size_t(c)] && reply.status < 300 && row.check) {
                const std::string complaint = row.check(cell, reply);
                EXPECT_TRUE(complaint.empty()) << row.route << " as " << who << ": " << complaint;
            }
            if (row.applied) {
                const bool done = reply.status >= 200 && reply.status < 300;
                EXPECT_EQ(row.applied(cell), done)
                    << row.route << " as " << who << ": answered " << reply.status
                    << " but the change " << (done ? "is not there" : "happened anyway");
            }
        } catch (const SetupError &e) {
            ADD_FAILURE() << row.route << " as " << who
                          << ": could not prepare the cell: " << e.what();
        }
    }
    s_seen[index] = seen;
}

INSTANTIATE_TEST_SUITE_P(AllRoutes, RoleMatrix,
                         ::testing::Range(size_t(0), RoleMatrix::rows().size()),
                         [](const ::testing::TestParamInfo<size_t> &info) {
                             return RoleMatrix::rows()[info.param].id;
                         });

// The columns themselves: the expired token is one the server would take
// but for its expiry, and the forged one differs only in its key.
class RoleMatrixExtras : public RoleMatrix
{
};

TEST_F(RoleMatrixExtras, ExpiredAndForgedTokensFailOnlyForTheirFlaw)
{
    ASSERT_NE(s_pfd, nullptr);
    const QByteArray key = serverJwtKey(pfd());
    auto live = pfd().client(expiredOrForged(key, user(Owner), 600));
    EXPECT_EQ(live->get(u"/auth/oauth2/userinfo"_s).status, 200)
        << "a token signed like the expired one, but live";
    const HttpReply expired = as(Expired).get(u"/auth/oauth2/userinfo"_s);
    EXPECT_EQ(expired.status, 401);
    EXPECT_TRUE(expired.detail().contains(u"expired"_s, Qt::CaseInsensitive))
        << expired.detail().toStdString();
    const HttpReply forged = as(Forged).get(u"/auth/oauth2/userinfo"_s);
    EXPECT_EQ(forged.status, 401);
    EXPECT_FALSE(forged.detail().contains(u"expired"_s, Qt::CaseInsensitive))
        << forged.detail().toStdString();
}

// The owner of another org reaches nothing here through their own org's
// routes, and memberships only join users to an org's own projects.
TEST_F(RoleMatrixExtras, AnotherOrgsOwnerReachesNothingHere)
{
    ASSERT_NE(s_pfd, nullptr);
    HttpClient &them = as(Outsider);
    const QString orgB = them.postJson(u"/auth/pf_group"_s, {{u"name"_s, unique(u"orgB"_s)}})
                             .json()
                             .value(u"id"_s)
                             .toString();
    const QString projectB =
        them.postJson(u"/auth/pf_group/%1/pf_project"_s.arg(orgB), {{u"name"_s, u"b"_s}})
            .json()
            .value(u"id"_s)
            .toString();
    ASSERT_FALSE(projectB.isEmpty());
    try {
        const qint64 quota = newQuota(s_shared);
        const QString cred = newCredential(s_shared, Owner);
        const qint64 exp = newExperiment(s_shared);
        const auto status = [&](const std::string &method, const QString &path,
                                const QJsonObject &body = {}) {
            return them
                .request(method, path.toStdString(),
                         body.isEmpty() ? std::string() : json(body).toStdString(),
                         body.isEmpty() ? std::string() : std::string("application/json"))
                .status;
        };
        EXPECT_EQ(status("PATCH", u"/api/group/%1/vm_quota/%2/"_s.arg(orgB).arg(quota),
                         {{u"quota"_s, 9}}),
                  404);
        EXPECT_EQ(status("DELETE", u"/api/group/%1/vm_quota/%2/"_s.arg(orgB).arg(quota)), 404);
        bool kept = false;
        for (const QJsonValue &v :
             as(Owner).get(u"/api/group/%1/vm_quota/"_s.arg(s_shared.orgId)).jsonArray())
            kept = kept || (v.toObject().value(u"id"_s).toInteger() == quota &&
                            v.toObject().value(u"quota"_s).toInt() == 2);
        EXPECT_TRUE(kept) << "another org's owner changed this org's quota";
        const HttpReply foreign = them.postJson(u"/api/group/%1/vm_quota/"_s.arg(orgB),
                                                {{u"vm_config_type_code"_s, s_vmCode},
                                                 {u"project_id"_s, s_shared.projectId},
                                                 {u"quota"_s, 1}});
        EXPECT_EQ(foreign.status, 400) << foreign.body.toStdString();
        EXPECT_EQ(
            status("POST",
                   u"/auth/pf_user/%1/pf_project/%2"_s.arg(user(Outsider).id, s_shared.projectId),
                   {{u"access_level"_s, u"admin"_s}}),
            404);
        EXPECT_EQ(status("GET", u"/auth/pf_user/%1/pf_group/%2/pf_project"_s.arg(user(Outsider).id,
                                                                                 s_shared.orgId)),
                  404);
        EXPECT_EQ(status("GET", u"/auth/credential/%1"_s.arg(cred)), 404);
        EXPECT_EQ(status("PATCH", u"/auth/credential/%1"_s.arg(cred), {{u"name"_s, u"x"_s}}), 404);
        EXPECT_EQ(status("GET", u"/api/experiment/%1/job/"_s.arg(exp)), 404);
        EXPECT_EQ(status("DELETE", u"/api/experiment/%1/"_s.arg(exp)), 404);
        // A user from this org is not in org B: they cannot join B's project (404).
        EXPECT_EQ(status("POST", u"/auth/pf_user/%1/pf_project/%2"_s.arg(user(Member).id, projectB),
                         {{u"access_level"_s, u"guest"_s}}),
                  404);
        // Adding an existing member again is a conflict.
        const HttpReply again = as(Owner).postJson(
            u"/auth/pf_user/%1/pf_project/%2"_s.arg(user(Admin).id, s_shared.projectId),
            {{u"access_level"_s, u"guest"_s}});
        EXPECT_EQ(again.status, 409) << again.body.toStdString();
        EXPECT_EQ(projectRoleOf(s_shared, user(Admin).id), u"admin"_s);
    } catch (const SetupError &e) {
        FAIL() << e.what();
    }
}

// Every route of the role table has a row (a route added to docs/api.md's
// table without one here would go untested).
TEST_F(RoleMatrixExtras, EveryRoleTableRouteHasARow)
{
    QFile f(QStringLiteral(PF_DOCS_API_MD));
    ASSERT_TRUE(f.open(QIODevice::ReadOnly)) << PF_DOCS_API_MD;
    const QString doc = QString::fromUtf8(f.readAll());
    const std::vector<std::string> covered = [] {
        std::vector<std::string> out;
        for (const Row &row : rows())
            out.push_back(row.route);
        return out;
    }();
    const auto hasRow = [&](const char *method, const char *pathStart) {
        for (const std::string &route : covered) {
            if (route.rfind(std::string(method) + " " + pathStart, 0) == 0)
                return true;
        }
        return false;
    };
    // The table's routes, spelled out (the table abbreviates them).
    const std::vector<std::pair<const char *, const char *>> table = {
        {"GET", "/auth/pf_user/{self}/pf_group"},
        {"GET", "/auth/pf_user/{self}/pf_group/{gid}/pf_project"},
        {"PUT", "/auth/pf_user/{self}/password"},
        {"POST", "/auth/pf_group"},
        {"GET", "/auth/pf_group/{gid}"},
        {"DELETE", "/auth/pf_group/{gid}"},
        {"POST", "/auth/pf_group/{gid}/invite"},
        {"PATCH", "/auth/pf_user/{bystander}/pf_group/{gid}/privilege_level"},
        {"POST", "/auth/pf_group/{gid}/pf_project"},
        {"DELETE", "/auth/pf_user/{victim}/pf_group/{gid}"},
        {"GET", "/auth/pf_project/{pid}"},
        {"GET", "/auth/pf_user/{victim}/pf_project/{pid}"},
        {"DELETE", "/auth/pf_project/{pid}"},
        {"POST", "/auth/pf_user/{bystander}/pf_project/{pid}"},
        {"PATCH", "/auth/pf_user/{victim}/pf_project/{pid}/access_level"},
        {"DELETE", "/auth/pf_user/{victim}/pf_project/{pid}"},
        {"GET", "/api/credential_type/"},
        {"GET", "/api/job_template/"},
        {"GET", "/auth/pf_project/{pid}/credential"},
        {"POST", "/auth/pf_project/{pid}/credential"},
        {"GET", "/auth/credential/{id}"},
        {"PATCH", "/auth/credential/{id}"},
        {"DELETE", "/auth/credential/{id}"},
        {"GET", "/api/group/{gid}/vm_config/"},
        {"GET", "/api/group/{gid}/vm_quota/"},
        {"POST", "/api/group/{gid}/vm_quota/"},
        {"PATCH", "/api/group/{gid}/vm_quota/{id}/"},
        {"DELETE", "/api/group/{gid}/vm_quota/{id}/"},
        {"GET", "/api/project/{pid}/vm_quota/"},
        {"GET", "/api/project/{pid}/vm_lock/"},
        {"GET", "/api/project/{pid}/vm_config/{id}/vm_lock/"},
        {"GET", "/api/project/{pid}/experiment/"},
        {"GET", "/api/experiment/{id}/job/"},
        {"POST", "/api/project/{pid}/experiment/"},
        {"PATCH", "/api/experiment/{id}/"},
        {"DELETE", "/api/experiment/{id}/"},
    };
    for (const auto &[method, path] : table)
        EXPECT_TRUE(hasRow(method, path)) << "no matrix row for " << method << " " << path;
    // A tripwire: the role table had 20 rows when these rows were written
    // from it. A changed table needs a look at the rows above.
    const qsizetype start = doc.indexOf(u"## Roles, route by route"_s);
    ASSERT_GE(start, 0) << "docs/api.md has no role table";
    const qsizetype end = doc.indexOf(u"\n## "_s, start + 1);
    int tableRows = 0;
    for (const QString &line : doc.mid(start, end < 0 ? -1 : end - start).split(u'\n')) {
        if (line.startsWith(u"| `"_s))
            ++tableRows;
    }
    EXPECT_EQ(tableRows, 20) << "docs/api.md's role table changed: review the matrix rows";
}

} // namespace
