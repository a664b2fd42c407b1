// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// Bad and hostile input against a real pfd: every answer is a 4xx with a
// detail (never a 500, never a crash), and the server keeps serving.

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include <QElapsedTimer>
#include <QUrl>

#include "tests/contract/contractfixture.h"

using namespace pf::test;
using namespace Qt::StringLiterals;

namespace {

// Polls `condition` until it holds or `limit` passes.
bool waitFor(const std::function<bool()> &condition, std::chrono::milliseconds limit)
{
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!condition()) {
        if (std::chrono::steady_clock::now() > deadline)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

struct FdCount
{
    int total = 0;
    int sockets = 0;
};

FdCount countFds(qint64 pid)
{
    FdCount n;
    std::error_code ec;
    const std::filesystem::path dir = "/proc/" + std::to_string(pid) + "/fd";
    for (const auto &entry : std::filesystem::directory_iterator(dir, ec)) {
        ++n.total;
        char target[256];
        const ssize_t len = ::readlink(entry.path().c_str(), target, sizeof target - 1);
        if (len > 0 && std::string(target, size_t(len)).rfind("socket:", 0) == 0)
            ++n.sockets;
    }
    return n;
}

std::set<QString> errorPaths(const HttpReply &r)
{
    std::set<QString> out;
    for (const QJsonValue &v : r.json().value(u"errors"_s).toArray())
        out.insert(v.toObject().value(u"path"_s).toString());
    return out;
}

std::string show(const HttpReply &r)
{
    return std::to_string(r.status) + " " + r.body.left(400).toStdString() +
           (r.error.isEmpty() ? "" : " (" + r.error.toStdString() + ")");
}

std::string jsonText(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString();
}

QString repeat(const QString &s, int n)
{
    QString out;
    for (int i = 0; i < n; ++i)
        out += s;
    return out;
}

class BadInput : public ContractTest
{
protected:
    // The server is alive and answers a fresh connection.
    static void expectServing(const QString &token, const std::string &after)
    {
        ASSERT_TRUE(pfd().running()) << "pfd is gone after " << after << "; its log:\n"
                                     << pfd().log().right(3000).toStdString();
        auto c = pfd().client(token);
        const HttpReply r = c->get(u"/auth/oauth2/userinfo"_s);
        ASSERT_EQ(r.status, 200) << "after " << after << ": " << show(r);
    }

    static std::string bearer(const QString &token)
    {
        return "Authorization: Bearer " + token.toStdString() + "\r\n";
    }

    static int orgCount(HttpClient &c, const QString &userId)
    {
        return int(c.get(u"/auth/pf_user/%1/pf_group"_s.arg(userId)).jsonArray().size());
    }

    // A confirmed user with a display name of our choosing, signed in.
    static PfdProcess::User userNamed(const QString &username, const QString &name)
    {
        PfdProcess::User u;
        u.username = username;
        u.email = username.toLower() + u"@example.test"_s;
        u.password = u"pw-%1-secret"_s.arg(username);
        int code = 0;
        u.id = pfd().admin({u"create-user"_s, u"--username"_s, username, u"--email"_s, u.email,
                            u"--name"_s, name, u"--password-stdin"_s},
                           &code, u.password.toUtf8() + '\n');
        if (code != 0 || pfd().login(u) != 200)
            u.id.clear();
        return u;
    }

    static void join(const World &w, const PfdProcess::User &u)
    {
        auto owner = pfd().client(w.owner.token);
        const HttpReply inv =
            owner->postJson(u"/auth/pf_group/%1/invite"_s.arg(w.orgId), {{u"email"_s, u.email}});
        ASSERT_EQ(inv.status, 201) << show(inv);
        auto c = pfd().client(u.token);
        const HttpReply ok = c->postJson(u"/auth/pf_group/invite/confirm"_s,
                                         {{u"email_token"_s, inv.json().value(u"email_token"_s)},
                                          {u"key"_s, inv.json().value(u"key"_s)}});
        ASSERT_EQ(ok.status, 200) << show(ok);
    }
};

// ---- malformed JSON -----------------------------------------------------------

TEST_F(BadInput, MalformedJsonBodiesAre400AndTheServerKeepsServing)
{
    const World w = makeWorld();
    auto c = pfd().client(w.owner.token);
    const int orgsBefore = orgCount(*c, w.owner.id);
    const std::vector<std::pair<std::string, std::string>> bodies = {
        {"empty", ""},
        {"whitespace", "   \n"},
        {"truncated", R"({"name": "trunc", "hosting_type": "hos)"},
        {"truncated after a comma", R"({"name": "trunc",)"},
        {"trailing garbage", R"({"name": "garbage"} and more)"},
        {"two objects", R"({"name": "one"}{"name": "two"})"},
        {"an array", R"(["name", "array"])"},
        {"a string", R"("name")"},
        {"a number", "42"},
        {"null", "null"},
        {"single quotes", "{'name': 'single'}"},
        {"unquoted key", "{name: \"unquoted\"}"},
        {"100k '['", std::string(100000, '[')},
        {"100k '[' closed", std::string(100000, '[') + std::string(100000, ']')},
        {"deep objects",
         [] {
             std::string s;
             for (int i = 0; i < 50000; ++i)
                 s += "{\"a\":";
             return s + "1" + std::string(50000, '}');
         }()},
        {"invalid UTF-8", "{\"name\": \"bad \xff\xfe bytes\"}"},
        {"overlong UTF-8", "{\"name\": \"over \xc0\xaf long\"}"},
        {"UTF-8 surrogate", "{\"name\": \"sur \xed\xa0\x80 rogate\"}"},
        {"truncated UTF-8", "{\"name\": \"cut \xe2\x82\"}"},
        {"a NUL in a string", std::string("{\"name\": \"nul\0byte\"}", 20)},
        {"a NUL after the object", std::string("{\"name\": \"nulafter\"}\0", 21)},
        {"a raw control character", "{\"name\": \"tab\there\"}"},
        // Not here: unknown escapes such as \q, which Qt's parser reads as the
        // bare character (a leniency of QJsonDocument, reported separately).
        {"a short unicode escape", R"({"name": "bad \u12 escape"})"},
    };
    for (const auto &[what, body] : bodies) {
        const HttpReply r = c->request("POST", "/auth/pf_group", body, "application/json");
        EXPECT_EQ(r.status, 400) << what << ": " << show(r);
        EXPECT_FALSE(r.detail().isEmpty()) << what << ": no detail";
        // The same connection goes on.
        const HttpReply again = c->get(u"/auth/oauth2/userinfo"_s);
        ASSERT_EQ(again.status, 200) << "after " << what << ": " << show(again);
    }
    EXPECT_EQ(orgCount(*c, w.owner.id), orgsBefore) << "a malformed body created an organization";

    // A PATCH route and a nested value read the same way.
    const QString exp =
        c->postJson(u"/api/project/%1/experiment/"_s.arg(w.projectId), {{u"name"_s, u"e"_s}})
            .json()
            .value(u"id"_s)
            .toVariant()
            .toString();
    for (const std::string &body :
         std::vector<std::string>{"{\"name\": ", "[]", std::string(100000, '[')}) {
        const HttpReply r = c->request("PATCH", "/api/experiment/" + exp.toStdString() + "/", body,
                                       "application/json");
        EXPECT_EQ(r.status, 400) << body.substr(0, 20) << ": " << show(r);
    }
    const HttpReply cred =
        c->request("POST", "/auth/pf_project/" + w.projectId.toStdString() + "/credential",
                   R"({"type": "wandb", "name": "n", "value": {"token": [[[[)", "application/json");
    EXPECT_EQ(cred.status, 400) << show(cred);
    expectServing(w.owner.token, "malformed JSON");
}

// ---- wrong types ----------------------------------------------------------------

TEST_F(BadInput, JsonRoutesRefuseOtherContentTypesWith415)
{
    const PfdProcess::User u = pfd().createUser(unique(u"ctype"_s));
    auto c = pfd().client(u.token);
    const std::string body = R"({"name": ")" + unique(u"ctype-org"_s).toStdString() + R"("})";
    for (const char *type :
         {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"}) {
        const HttpReply r = c->request("POST", "/auth/pf_group", body, type);
        EXPECT_EQ(r.status, 415) << type << ": " << show(r);
        EXPECT_FALSE(r.detail().isEmpty()) << type;
    }
    EXPECT_EQ(orgCount(*c, u.id), 0) << "a refused body must create nothing";
    // Parameters and the structured-syntax suffix are fine.
    const HttpReply ok =
        c->request("POST", "/auth/pf_group", body, "application/json; charset=utf-8");
    EXPECT_EQ(ok.status, 201) << show(ok);
    EXPECT_EQ(orgCount(*c, u.id), 1);
}

TEST_F(BadInput, WrongTypesForEveryFieldAre400WithTheirPath)
{
    const World w = makeWorld();
    auto c = pfd().client(w.owner.token);
    const QString vmCode = c->get(u"/api/group/%1/vm_config/"_s.arg(w.orgId))
                               .jsonArray()
                               .first()
                               .toObject()
                               .value(u"vm_config_type"_s)
                               .toObject()
                               .value(u"code"_s)
                               .toString();
    ASSERT_FALSE(vmCode.isEmpty());
    const QString credId = c->postJson(u"/auth/pf_project/%1/credential"_s.arg(w.projectId),
                                       {{u"type"_s, u"wandb"_s},
                                        {u"name"_s, u"orig"_s},
                                        {u"value"_s, QJsonObject{{u"token"_s, u"t"_s}}}})
                               .json()
                               .value(u"id"_s)
                               .toString();
    ASSERT_FALSE(credId.isEmpty());

    enum Kind { Str, Int, Obj };
    const QJsonArray wrongForString{5, 1.5, true, QJsonObject{{u"a"_s, 1}}, QJsonArray{u"x"_s}};
    // "7" too: numbers as text are for form bodies only.
    const QJsonArray wrongForInt{u"abc"_s, u"7"_s, u""_s, 1.5, true, QJsonObject{}, QJsonArray{1}};
    const QJsonArray wrongForObject{u"text"_s, 5, true, QJsonArray{}};
    struct Route
    {
        std::string method;
        QString path;
        QJsonObject valid;
        std::vector<std::pair<QString, Kind>> fields;
    };
    const std::vector<Route> routes = {
        {"POST",
         u"/auth/pf_group"_s,
         {{u"name"_s, u"typed-org"_s}, {u"hosting_type"_s, u"hosted"_s}},
         {{u"name"_s, Str}, {u"hosting_type"_s, Str}}},
        {"POST",
         u"/auth/pf_group/%1/pf_project"_s.arg(w.orgId),
         {{u"name"_s, u"typed-project"_s}},
         {{u"name"_s, Str}}},
        {"POST",
         u"/auth/pf_project/%1/credential"_s.arg(w.projectId),
         {{u"type"_s, u"wandb"_s},
          {u"name"_s, u"typed-cred"_s},
          {u"type_version"_s, 1},
          {u"value"_s, QJsonObject{{u"token"_s, u"t"_s}}}},
         {{u"type"_s, Str}, {u"name"_s, Str}, {u"type_version"_s, Int}, {u"value"_s, Obj}}},
        {"PATCH",
         u"/auth/credential/%1"_s.arg(credId),
         {{u"name"_s, u"renamed"_s},
          {u"type_version"_s, 1},
          {u"value"_s, QJsonObject{{u"token"_s, u"t2"_s}}}},
         {{u"name"_s, Str}, {u"type_version"_s, Int}, {u"value"_s, Obj}}},
        {"POST",
         u"/api/group/%1/vm_quota/"_s.arg(w.orgId),
         {{u"vm_config_type_code"_s, vmCode}, {u"project_id"_s, w.projectId}, {u"quota"_s, 1}},
         {{u"vm_config_type_code"_s, Str}, {u"project_id"_s, Str}, {u"quota"_s, Int}}},
        {"POST",
         u"/api/project/%1/experiment/"_s.arg(w.projectId),
         {{u"name"_s, u"typed-exp"_s}},
         {{u"name"_s, Str}}},
        {"POST",
         u"/auth/pf_user/self_signup"_s,
         {{u"username"_s, u"typed_user"_s},
          {u"name"_s, u"Typed User"_s},
          {u"email"_s, u"typed@example.test"_s},
          {u"password"_s, u"long enough password"_s}},
         {{u"username"_s, Str}, {u"name"_s, Str}, {u"email"_s, Str}, {u"password"_s, Str}}},
        {"PATCH",
         u"/auth/pf_user/%1/pf_group/%2/privilege_level"_s.arg(w.owner.id, w.orgId),
         {{u"privilege_level"_s, u"owner"_s}},
         {{u"privilege_level"_s, Str}}},
        {"PUT",
         u"/auth/pf_user/%1/password"_s.arg(w.owner.id),
         {{u"old_password"_s, w.owner.password}, {u"new_password"_s, w.owner.password}},
         {{u"old_password"_s, Str}, {u"new_password"_s, Str}}},
    };
    for (const Route &route : routes) {
        const std::string where = route.method + " " + route.path.toStdString();
        QJsonObject allWrong = route.valid;
        for (const auto &[field, kind] : route.fields) {
            const QJsonArray &wrongs = kind == Str   ? wrongForString
                                       : kind == Int ? wrongForInt
                                                     : wrongForObject;
            allWrong[field] = wrongs.first();
            for (const QJsonValue &wrong : wrongs) {
                QJsonObject body = route.valid;
                body[field] = wrong;
                const HttpReply r = c->request(route.method, route.path.toStdString(),
                                               jsonText(body), "application/json");
                const std::string what =
                    where + " with " + field.toStdString() + " = " + jsonText({{u"v"_s, wrong}});
                EXPECT_EQ(r.status, 400) << what << ": " << show(r);
                EXPECT_EQ(errorPaths(r), std::set<QString>{field}) << what << ": " << show(r);
                EXPECT_FALSE(r.detail().isEmpty()) << what;
            }
        }
        // Every problem at once, and an unknown member besides.
        allWrong[u"colour"_s] = u"blue"_s;
        const HttpReply r = c->request(route.method, route.path.toStdString(), jsonText(allWrong),
                                       "application/json");
        EXPECT_EQ(r.status, 400) << where << " all wrong: " << show(r);
        std::set<QString> expected{u"colour"_s};
        for (const auto &[field, kind] : route.fields)
            expected.insert(field);
        EXPECT_EQ(errorPaths(r), expected) << where << " all wrong: " << show(r);
    }
    expectServing(w.owner.token, "wrong types");
}

// An empty role name is not a role (and must not reach the store as one).
TEST_F(BadInput, EmptyOrUnknownRoleNamesAre400)
{
    const World w = makeWorld();
    auto c = pfd().client(w.owner.token);
    const PfdProcess::User member = pfd().createUser(unique(u"rolemember"_s));
    join(w, member);
    ASSERT_EQ(c->postJson(u"/auth/pf_user/%1/pf_project/%2"_s.arg(member.id, w.projectId),
                          {{u"access_level"_s, u"guest"_s}})
                  .status,
              201);
    for (const QString &level : {u""_s, u" "_s, u"Admin"_s, u"root"_s, u"admin "_s}) {
        const HttpReply add =
            c->postJson(u"/auth/pf_user/%1/pf_project/%2"_s.arg(w.owner.id, w.projectId),
                        {{u"access_level"_s, level}});
        EXPECT_EQ(add.status, 400) << "access_level '" << level.toStdString() << "': " << show(add);
        EXPECT_EQ(errorPaths(add), std::set<QString>{u"access_level"_s}) << show(add);
        const HttpReply set = c->patchJson(
            u"/auth/pf_user/%1/pf_project/%2/access_level"_s.arg(member.id, w.projectId),
            {{u"access_level"_s, level}});
        EXPECT_EQ(set.status, 400) << "access_level '" << level.toStdString() << "': " << show(set);
        const HttpReply priv =
            c->patchJson(u"/auth/pf_user/%1/pf_group/%2/privilege_level"_s.arg(member.id, w.orgId),
                         {{u"privilege_level"_s, level}});
        EXPECT_EQ(priv.status, 400)
            << "privilege_level '" << level.toStdString() << "': " << show(priv);
        EXPECT_EQ(errorPaths(priv), std::set<QString>{u"privilege_level"_s}) << show(priv);
    }
    // Nothing changed.
    const HttpReply m = c->get(u"/auth/pf_user/%1/pf_project/%2"_s.arg(member.id, w.projectId));
    EXPECT_EQ(m.json().value(u"access_level"_s).toString(), u"guest"_s) << show(m);
    const HttpReply owner =
        c->get(u"/auth/pf_user/%1/pf_project/%2"_s.arg(w.owner.id, w.projectId));
    EXPECT_EQ(owner.status, 404) << "the owner was added to the project with an empty role: "
                                 << show(owner);
    const HttpReply members = c->get(u"/auth/pf_group/%1/pf_user"_s.arg(w.orgId));
    for (const QJsonValue &v : members.json().value(u"results"_s).toArray()) {
        const QString level = v.toObject().value(u"privilege_level"_s).toString();
        EXPECT_TRUE(level == u"owner"_s || level == u"member"_s) << show(members);
        if (v.toObject().value(u"id"_s).toString() == member.id) {
            EXPECT_EQ(level, u"member"_s);
        }
    }
    expectServing(w.owner.token, "empty role names");
}

// ---- sizes ------------------------------------------------------------------------

TEST_F(BadInput, BodyOverOneMebibyteWithContentLengthIs413BeforeItIsRead)
{
    const World w = makeWorld();
    auto c = pfd().client(w.owner.token);
    // Only the head and a few bytes are sent: an answer without the rest
    // means the server did not wait for the body.
    for (const char *expect : {"", "Expect: 100-continue\r\n"}) {
        QElapsedTimer t;
        t.start();
        const HttpReply r =
            c->raw("POST /auth/pf_group HTTP/1.1\r\nHost: pfd\r\n" + bearer(w.owner.token) +
                   "Content-Type: application/json\r\nContent-Length: 2097152\r\n" + expect +
                   "\r\n{\"name\": \"");
        EXPECT_EQ(r.status, 413) << "expect '" << expect << "': " << show(r);
        EXPECT_FALSE(
            QJsonDocument::fromJson(r.body).object().value(u"detail"_s).toString().isEmpty())
            << show(r);
        EXPECT_LT(t.elapsed(), 5000) << "the 413 came only after a timeout";
        expectServing(w.owner.token, "a 2 MiB Content-Length");
    }
    // One byte over the limit, sent in full, is refused too; the limit itself is not.
    const std::string pad(1024 * 1024 - 40, 'a');
    std::string atLimit = "{\"name\":\"x\",\"pad\":\"" + pad + "\"}";
    atLimit.insert(atLimit.size() - 1, std::string(1024 * 1024 - atLimit.size(), ' '));
    ASSERT_EQ(atLimit.size(), size_t(1024 * 1024));
    const HttpReply limit = c->request("POST", "/auth/pf_group", atLimit, "application/json");
    EXPECT_EQ(limit.status, 400) << "exactly 1 MiB: " << show(limit);
    EXPECT_EQ(errorPaths(limit), std::set<QString>{u"pad"_s}) << show(limit);
    const HttpReply over = c->request("POST", "/auth/pf_group", atLimit + " ", "application/json");
    EXPECT_EQ(over.status, 413) << "1 MiB + 1: " << show(over);
    expectServing(w.owner.token, "1 MiB + 1");
}

TEST_F(BadInput, ChunkedBodyOverOneMebibyteIs413)
{
    const World w = makeWorld();
    auto c = pfd().client(w.owner.token);
    const std::string head = "POST /auth/pf_group HTTP/1.1\r\nHost: pfd\r\n" +
                             bearer(w.owner.token) +
                             "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    std::string big = head;
    const std::string chunk(64 * 1024, 'x');
    for (int i = 0; i < 17; ++i) // 1.0625 MiB
        big += "10000\r\n" + chunk + "\r\n";
    big += "0\r\n\r\n";
    const HttpReply r = c->raw(big);
    EXPECT_EQ(r.status, 413) << show(r);
    expectServing(w.owner.token, "a chunked 1.06 MiB body");

    // A small chunked body is read like any other.
    const std::string body = R"({"name": "chunked-org", "hosting_type": "hosted"})";
    const std::string small = head + "5\r\n" + body.substr(0, 5) + "\r\n" + "a\r\n" +
                              body.substr(5, 10) + "\r\n" +
                              QByteArray::number(qulonglong(body.size() - 15), 16).toStdString() +
                              "\r\n" + body.substr(15) + "\r\n0\r\n\r\n";
    const HttpReply ok = c->raw(small);
    EXPECT_EQ(ok.status, 201) << show(ok);
}

TEST_F(BadInput, HeadersOver16KiBAre431)
{
    const World w = makeWorld();
    auto c = pfd().client(w.owner.token);
    const HttpReply one = c->request("GET", "/auth/oauth2/userinfo", {}, {},
                                     {{"X-Filler", std::string(17 * 1024, 'h')}});
    EXPECT_EQ(one.status, 431) << show(one);
    EXPECT_FALSE(one.detail().isEmpty());
    std::string many =
        "GET /auth/oauth2/userinfo HTTP/1.1\r\nHost: pfd\r\n" + bearer(w.owner.token);
    for (int i = 0; i < 300; ++i)
        many += "X-Header-" + std::to_string(i) + ": " + std::string(64, 'v') + "\r\n";
    many += "\r\n";
    const HttpReply r = c->raw(many);
    EXPECT_EQ(r.status, 431) << show(r);
    // Just under the limit is fine.
    const HttpReply under = c->request("GET", "/auth/oauth2/userinfo", {}, {},
                                       {{"X-Filler", std::string(14 * 1024, 'h')}});
    EXPECT_EQ(under.status, 200) << show(under);
    expectServing(w.owner.token, "large headers");
}

// ---- the request line and framing --------------------------------------------------

TEST_F(BadInput, MalformedRequestsAreRefusedNotCrashing)
{
    const World w = makeWorld();
    auto c = pfd().client();
    const std::vector<std::pair<std::string, std::string>> requests = {
        {"garbage", "GARBAGE\r\n\r\n"},
        {"binary", std::string("\x00\x01\x02\x03\xff\r\n\r\n", 9)},
        {"no target", "GET\r\n\r\n"},
        {"HTTP/9.9", "GET /auth/oauth2/userinfo HTTP/9.9\r\nHost: pfd\r\n\r\n"},
        {"HTTP/1.x", "GET /auth/oauth2/userinfo HTTP/1.x\r\nHost: pfd\r\n\r\n"},
        {"lower-case version", "GET /auth/oauth2/userinfo http/1.1\r\nHost: pfd\r\n\r\n"},
        {"trailing words", "GET /auth/oauth2/userinfo HTTP/1.1 extra\r\nHost: pfd\r\n\r\n"},
        {"double spaces", "GET  /auth/oauth2/userinfo  HTTP/1.1\r\nHost: pfd\r\n\r\n"},
        {"a DEL in the target", "GET /auth/\x7f HTTP/1.1\r\nHost: pfd\r\n\r\n"},
        {"a space in the target", "GET /auth/pf group HTTP/1.1\r\nHost: pfd\r\n\r\n"},
        {"absolute form", "GET http://pfd/auth/oauth2/userinfo HTTP/1.1\r\nHost: pfd\r\n\r\n"},
        {"asterisk", "OPTIONS * HTTP/1.1\r\nHost: pfd\r\n\r\n"},
        {"a header without a colon", "GET /auth/oauth2/userinfo HTTP/1.1\r\nHost pfd\r\n\r\n"},
        {"a header with a space before the colon",
         "GET /auth/oauth2/userinfo HTTP/1.1\r\nHost : pfd\r\n\r\n"},
        {"obsolete line folding",
         "GET /auth/oauth2/userinfo HTTP/1.1\r\nHost: pfd\r\n continued\r\n\r\n"},
        {"a bare LF", "GET /auth/oauth2/userinfo HTTP/1.1\nHost: pfd\n\n"},
        {"a negative Content-Length",
         "POST /auth/pf_group HTTP/1.1\r\nHost: pfd\r\nContent-Length: -5\r\n\r\n"},
        {"a huge Content-Length", "POST /auth/pf_group HTTP/1.1\r\nHost: pfd\r\nContent-Length: "
                                  "99999999999999999999999\r\n\r\n"},
        {"two Content-Lengths", "POST /auth/pf_group HTTP/1.1\r\nHost: pfd\r\nContent-Length: "
                                "5\r\nContent-Length: 6\r\n\r\n123456"},
        {"Content-Length and chunked",
         "POST /auth/pf_group HTTP/1.1\r\nHost: pfd\r\nContent-Length: 4\r\nTransfer-Encoding: "
         "chunked\r\n\r\n0\r\n\r\n"},
        {"a bad chunk size", "POST /auth/pf_group HTTP/1.1\r\nHost: pfd\r\nTransfer-Encoding: "
                             "chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n"},
        {"an unknown transfer coding",
         "POST /auth/pf_group HTTP/1.1\r\nHost: pfd\r\nTransfer-Encoding: gzip\r\n\r\nabc"},
        {"a target without a slash", "GET auth/oauth2/userinfo HTTP/1.1\r\nHost: pfd\r\n\r\n"},
    };
    for (const auto &[what, bytes] : requests) {
        const HttpReply r = c->raw(bytes);
        // A refusal or a closed connection, never a server error (or an answer to a garbled
        // request).
        EXPECT_TRUE(r.status == 0 || (r.status >= 400 && r.status < 500))
            << what << ": " << show(r);
        ASSERT_TRUE(pfd().running()) << "pfd died on " << what;
    }
    expectServing(w.owner.token, "malformed requests");
    // HTTP/1.0 without a Host header is still HTTP.
    const HttpReply old =
        c->raw("GET /auth/oauth2/userinfo HTTP/1.0\r\n" + bearer(w.owner.token) + "\r\n");
    EXPECT_EQ(old.status, 200) << show(old);
}

// ---- paths ---------------------------------------------------------------------------

TEST_F(BadInput, PathParametersThatAreNotIdsAre400Or404WithADetail)
{
    const World w = makeWorld();
    auto c = pfd().client(w.owner.token);
    struct Case
    {
        std::string method;
        std::string target;
        int status; // 0: 400 or 404
        const char *detailHas = nullptr;
    };
    const std::vector<Case> cases = {
        {"GET", "/auth/pf_group/abc", 400, "`gid`"},
        {"GET", "/auth/pf_group/abc/", 400, "`gid`"},
        {"GET", "/auth/pf_project/" + std::string(36, 'z'), 400, "`pid`"},
        {"GET", "/auth/pf_group/" + w.orgId.toStdString() + "x", 400, "`gid`"},
        {"DELETE", "/api/experiment/-1/", 400, "`id`"},
        {"PATCH", "/api/experiment/0/", 400, "`id`"},
        {"GET", "/api/experiment/-1/job/", 400, "`id`"},
        {"GET", "/api/experiment/99999999999999999999/job/", 400, "`id`"},
        {"DELETE", "/api/experiment/99999999999999999999/", 400, "`id`"},
        {"GET", "/api/experiment/1e3/job/", 400, "`id`"},
        {"GET", "/api/experiment/0x10/job/", 400, "`id`"},
        {"GET", "/api/experiment/%2B5/job/", 400, "`id`"},
        {"GET", "/api/experiment/1%2F2/job/", 400, "`id`"},
        {"GET", "/api/experiment/999999999/job/", 404, nullptr},
        {"GET", "/auth/pf_group/00000000-0000-0000-0000-000000000000", 404, nullptr},
        {"GET", "/auth/pf_group/%00", 400, nullptr},
        {"GET", "/auth/pf_group/abc%00def", 400, nullptr},
        {"GET", "/auth/pf_group/%zz", 400, nullptr},
        {"GET", "/auth/pf_group/%", 400, nullptr},
        {"GET", "/auth/pf_group/%ff", 400, nullptr},
        {"GET", "/auth/pf_group/../pf_group", 0, nullptr},
        {"GET", "/auth/pf_group/%2e%2e/%2e%2e/etc/passwd", 0, nullptr},
        {"GET", "/auth/pf_project/" + w.projectId.toStdString() + "/../credential", 0, nullptr},
        {"GET", "/auth//pf_group", 0, nullptr},
        {"GET", "//auth/oauth2/userinfo", 0, nullptr},
        {"GET", "/auth/oauth2/userinfo//", 0, nullptr},
        {"GET", "/" + std::string(10000, 'a'), 404, nullptr},
        {"GET", "/auth/pf_group/" + std::string(5000, '1'), 400, "`gid`"},
        {"GET", "/auth/pf_group/%F0%9F%9A%80", 400, "`gid`"},
    };
    for (const Case &k : cases) {
        const HttpReply r = c->request(k.method, k.target, {}, {});
        const std::string what = k.method + " " + k.target.substr(0, 80);
        if (k.status != 0) {
            EXPECT_EQ(r.status, k.status) << what << ": " << show(r);
        } else {
            EXPECT_TRUE(r.status == 400 || r.status == 404) << what << ": " << show(r);
        }
        EXPECT_FALSE(r.detail().isEmpty()) << what << ": no detail: " << show(r);
        if (k.detailHas) {
            EXPECT_TRUE(r.detail().contains(QString::fromLatin1(k.detailHas)))
                << what << ": " << show(r);
        }
        EXPECT_LT(r.body.size(), 2000) << what << ": the detail echoes too much";
    }
    expectServing(w.owner.token, "odd paths");
}

// UUIDs are case-insensitive: an upper-case id names the same object.
TEST_F(BadInput, UpperCaseIdsNameTheSameObjects)
{
    const World w = makeWorld();
    auto c = pfd().client(w.owner.token);
    const HttpReply org = c->get(u"/auth/pf_group/%1"_s.arg(w.orgId.toUpper()));
    EXPECT_EQ(org.status, 200) << show(org);
    EXPECT_EQ(org.json().value(u"id"_s).toString(), w.orgId);
    const HttpReply project = c->get(u"/auth/pf_project/%1/"_s.arg(w.projectId.toUpper()));
    EXPECT_EQ(project.status, 200) << show(project);
    EXPECT_EQ(project.json().value(u"id"_s).toString(), w.projectId);
    const HttpReply orgs = c->get(u"/auth/pf_user/%1/pf_group"_s.arg(w.owner.id.toUpper()));
    EXPECT_EQ(orgs.status, 200) << show(orgs);
    const HttpReply exp = c->postJson(u"/api/project/%1/experiment/"_s.arg(w.projectId.toUpper()),
                                      {{u"name"_s, u"up"_s}});
    EXPECT_EQ(exp.status, 201) << show(exp);
    EXPECT_EQ(c->get(u"/api/project/%1/experiment/"_s.arg(w.projectId)).jsonArray().size(), 1);
}

// ---- SQL metacharacters and unicode --------------------------------------------------

TEST_F(BadInput, SqlMetacharactersInNamesAreStoredVerbatim)
{
    const World w = makeWorld();
    auto c = pfd().client(w.owner.token);
    const QStringList names = {
        u"'; DROP TABLE users; --"_s,
        u"Robert'); DROP TABLE orgs;--"_s,
        u"%' OR '1'='1"_s,
        u"%"_s,
        u"_"_s,
        u"100% _done_"_s,
        u"back\\slash"_s,
        u"\\\\"_s,
        u"\\'"_s,
        u"\"double\" quotes"_s,
        u"`ticks`"_s,
        u"; SELECT * FROM users"_s,
        u"/* comment */ --"_s,
        u"$1 ?? :name @x"_s,
    };
    for (const QString &name : names) {
        const std::string what = name.toStdString();
        const HttpReply org = c->postJson(u"/auth/pf_group"_s, {{u"name"_s, name}});
        ASSERT_EQ(org.status, 201) << what << ": " << show(org);
        EXPECT_EQ(org.json().value(u"name"_s).toString(), name);
        const QString orgId = org.json().value(u"id"_s).toString();
        EXPECT_EQ(c->get(u"/auth/pf_group/%1"_s.arg(orgId)).json().value(u"name"_s).toString(),
                  name)
            << what;

        const HttpReply project =
            c->postJson(u"/auth/pf_group/%1/pf_project"_s.arg(w.orgId), {{u"name"_s, name}});
        ASSERT_EQ(project.status, 201) << what << ": " << show(project);
        const QString projectId = project.json().value(u"id"_s).toString();
        EXPECT_EQ(
            c->get(u"/auth/pf_project/%1"_s.arg(projectId)).json().value(u"name"_s).toString(),
            name)
            << what;

        const HttpReply exp =
            c->postJson(u"/api/project/%1/experiment/"_s.arg(w.projectId), {{u"name"_s, name}});
        ASSERT_EQ(exp.status, 201) << what << ": " << show(exp);
        EXPECT_EQ(exp.json().value(u"name"_s).toString(), name);

        const HttpReply cred = c->postJson(u"/auth/pf_project/%1/credential"_s.arg(w.projectId),
                                           {{u"type"_s, u"wandb"_s},
                                            {u"name"_s, name},
                                            {u"value"_s, QJsonObject{{u"token"_s, name}}}});
        ASSERT_EQ(cred.status, 201) << what << ": " << show(cred);
        const HttpReply back =
            c->get(u"/auth/credential/%1"_s.arg(cred.json().value(u"id"_s).toString()));
        EXPECT_EQ(back.json().value(u"name"_s).toString(), name) << what;
        EXPECT_EQ(back.json().value(u"value"_s).toObject().value(u"token"_s).toString(), name)
            << what;
    }
    // Every one of them is listed, verbatim, exactly once.
    QStringList experiments;
    for (const QJsonValue &v :
         c->get(u"/api/project/%1/experiment/"_s.arg(w.projectId)).jsonArray())
        experiments << v.toObject().value(u"name"_s).toString();
    for (const QString &name : names)
        EXPECT_EQ(experiments.count(name), 1) << name.toStdString();
    QStringList orgs;
    for (const QJsonValue &v : c->get(u"/auth/pf_user/%1/pf_group"_s.arg(w.owner.id)).jsonArray())
        orgs << v.toObject().value(u"name"_s).toString();
    for (const QString &name : names)
        EXPECT_EQ(orgs.count(name), 1) << name.toStdString();
    // The tables are all still there.
    expectServing(w.owner.token, "SQL metacharacters");
    PfdProcess::User again = w.owner;
    EXPECT_EQ(pfd().login(again), 200);
}

TEST_F(BadInput, MemberSearchMatchesPercentUnderscoreAndBackslashLiterally)
{
    World w = makeWorld();
    const QString tag = unique(u"s"_s).remove(u'-');
    const PfdProcess::User pct = userNamed(u"pct"_s + tag, u"Hundred % Sure"_s);
    const PfdProcess::User plain = userNamed(u"plain"_s + tag, u"Plain Person"_s);
    const PfdProcess::User under = userNamed(u"under_score"_s + tag, u"U S"_s);
    const PfdProcess::User underx = userNamed(u"underxscore"_s + tag, u"U X"_s);
    const PfdProcess::User slash = userNamed(u"bs"_s + tag, u"Back\\Slash"_s);
    for (const auto *u : {&pct, &plain, &under, &underx, &slash}) {
        ASSERT_FALSE(u->id.isEmpty()) << u->username.toStdString();
        join(w, *u);
    }
    auto c = pfd().client(w.owner.token);
    const auto search = [&](const QString &term) {
        const HttpReply r = c->get(u"/auth/pf_group/%1/pf_user?search=%2"_s.arg(
            w.orgId, QString::fromLatin1(QUrl::toPercentEncoding(term))));
        EXPECT_EQ(r.status, 200) << term.toStdString() << ": " << show(r);
        std::set<QString> ids;
        for (const QJsonValue &v : r.json().value(u"results"_s).toArray())
            ids.insert(v.toObject().value(u"id"_s).toString());
        return ids;
    };
    EXPECT_EQ(search(u"%"_s), std::set<QString>{pct.id});
    EXPECT_EQ(search(u"d % s"_s), std::set<QString>{pct.id}) << "case-insensitive, % literal";
    EXPECT_EQ(search(u"_"_s), std::set<QString>{under.id});
    EXPECT_EQ(search(u"under_"_s), std::set<QString>{under.id});
    EXPECT_EQ(search(u"\\"_s), std::set<QString>{slash.id});
    EXPECT_EQ(search(u"k\\s"_s), std::set<QString>{slash.id});
    EXPECT_EQ(search(u"%%"_s), std::set<QString>{});
    EXPECT_EQ(search(u"'"_s), std::set<QString>{});
    EXPECT_EQ(search(u"' OR '1'='1"_s), std::set<QString>{});
    EXPECT_EQ(search(u"plain"_s), std::set<QString>{plain.id});
    EXPECT_EQ(search(u"UNDERXSCORE"_s), std::set<QString>{underx.id});
    EXPECT_EQ(search(u""_s).size(), 6u) << "an empty search lists everyone";
}

TEST_F(BadInput, UnicodeNamesRoundTrip)
{
    const World w = makeWorld();
    auto c = pfd().client(w.owner.token);
    const QStringList names = {
        u"한국어 조직"_s,
        u"🚀 Launch 🎉 👩‍💻"_s,
        u"مشروع تجريبي"_s,
        u"פרויקט בדיקה"_s,
        u"mixed עברית and English 123"_s,
        u"\u202Eright-to-left override"_s,
        u"e\u0301 combining"_s,
        u"日本語のプロジェクト"_s,
        u"Ελληνικά"_s,
        u"zero\u200Bwidth"_s,
        repeat(u"한"_s, 128),
        repeat(u"🚀"_s, 128), // 128 characters, 256 UTF-16 units
    };
    for (const QString &name : names) {
        const std::string what = name.left(40).toStdString();
        const HttpReply org = c->postJson(u"/auth/pf_group"_s, {{u"name"_s, name}});
        ASSERT_EQ(org.status, 201) << what << ": " << show(org);
        EXPECT_EQ(c->get(u"/auth/pf_group/%1"_s.arg(org.json().value(u"id"_s).toString()))
                      .json()
                      .value(u"name"_s)
                      .toString(),
                  name)
            << what;
        const HttpReply project =
            c->postJson(u"/auth/pf_group/%1/pf_project"_s.arg(w.orgId), {{u"name"_s, name}});
        ASSERT_EQ(project.status, 201) << what << ": " << show(project);
        EXPECT_EQ(c->get(u"/auth/pf_project/%1"_s.arg(project.json().value(u"id"_s).toString()))
                      .json()
                      .value(u"name"_s)
                      .toString(),
                  name)
            << what;
        // The experiment form path decodes UTF-8 too.
        const HttpReply exp =
            c->postForm(u"/api/project/%1/experiment/"_s.arg(w.projectId), {{u"name"_s, name}});
        ASSERT_EQ(exp.status, 201) << what << ": " << show(exp);
        EXPECT_EQ(exp.json().value(u"name"_s).toString(), name) << what;
    }
    QStringList listed;
    for (const QJsonValue &v :
         c->get(u"/api/project/%1/experiment/"_s.arg(w.projectId)).jsonArray())
        listed << v.toObject().value(u"name"_s).toString();
    for (const QString &name : names)
        EXPECT_TRUE(listed.contains(name)) << name.left(40).toStdString();
    // Names are unique by their exact characters: a second Korean org of the same name is a
    // conflict.
    EXPECT_EQ(c->postJson(u"/auth/pf_group"_s, {{u"name"_s, names.first()}}).status, 409);
}

TEST_F(BadInput, OverLongEmptyAndControlNamesAre400)
{
    const World w = makeWorld();
    auto c = pfd().client(w.owner.token);
    const QStringList bad = {
        repeat(u"a"_s, 129),
        repeat(u"한"_s, 129),
        repeat(u"🚀"_s, 129),
        repeat(u"x"_s, 1000),
        repeat(u"y"_s, 100000),
        u""_s,
        u"   "_s,
        u"bell\u0007"_s,
        u"new\nline"_s,
        u"nul\u0000byte"_s,
        u"next\u0085line"_s,
        QString(QChar(0xD800)) + u"lone surrogate"_s,
    };
    const std::vector<std::pair<QString, QJsonObject>> routes = {
        {u"/auth/pf_group"_s, {}},
        {u"/auth/pf_group/%1/pf_project"_s.arg(w.orgId), {}},
        {u"/api/project/%1/experiment/"_s.arg(w.projectId), {}},
        {u"/auth/pf_project/%1/credential"_s.arg(w.projectId),
         {{u"type"_s, u"wandb"_s}, {u"value"_s, QJsonObject{{u"token"_s, u"t"_s}}}}},
    };
    for (const auto &[path, base] : routes) {
        for (const QString &name : bad) {
            QJsonObject body = base;
            body[u"name"_s] = name;
            const HttpReply r = c->postJson(path, body);
            const std::string what = path.toStdString() + " name of " +
                                     std::to_string(name.size()) + " units '" +
                                     name.left(12).toStdString() + "'";
            EXPECT_EQ(r.status, 400) << what << ": " << show(r);
            EXPECT_EQ(errorPaths(r), std::set<QString>{u"name"_s}) << what << ": " << show(r);
        }
    }
    // Names are trimmed before they are measured: 128 characters and some blanks fit.
    const QString padded = u"  "_s + repeat(u"p"_s, 128) + u"  "_s;
    const HttpReply ok = c->postJson(u"/auth/pf_group"_s, {{u"name"_s, padded}});
    EXPECT_EQ(ok.status, 201) << show(ok);
    EXPECT_EQ(ok.json().value(u"name"_s).toString(), padded.trimmed());
    expectServing(w.owner.token, "bad names");
}

// ---- form bodies and query strings --------------------------------------------------

TEST_F(BadInput, FormBodiesWithBadPercentEscapesAre400)
{
    const World w = makeWorld();
    auto c = pfd().client(w.owner.token);
    const std::string user = "username=" + QUrl::toPercentEncoding(w.owner.username).toStdString();
    // Bad values, each tried as the password of a sign-in and as an experiment's name.
    const std::vector<std::string> values = {
        "%zz",       "%", "abc%2", "%G0",
        "%E0%A4",    // truncated UTF-8
        "%C0%AF",    // overlong UTF-8
        "%FF",       // not UTF-8
        "%ED%A0%80", // an encoded surrogate
    };
    const std::string experiments = "/api/project/" + w.projectId.toStdString() + "/experiment/";
    for (const std::string &value : values) {
        const HttpReply r = c->request("POST", "/api/token/", user + "&password=" + value,
                                       "application/x-www-form-urlencoded");
        EXPECT_EQ(r.status, 400) << "password=" << value << ": " << show(r);
        EXPECT_FALSE(r.detail().isEmpty()) << value;
        const HttpReply key = c->request("POST", "/api/token/", value + "=x&" + user,
                                         "application/x-www-form-urlencoded");
        EXPECT_EQ(key.status, 400) << "a key of " << value << ": " << show(key);
        const HttpReply e =
            c->request("POST", experiments, "name=" + value, "application/x-www-form-urlencoded");
        EXPECT_EQ(e.status, 400) << "experiment name=" << value << ": " << show(e);
    }
    const HttpReply refresh = c->request("POST", "/api/token/refresh/", "refresh_token=%zz",
                                         "application/x-www-form-urlencoded");
    EXPECT_EQ(refresh.status, 400) << show(refresh);
    // None of them made an experiment; a proper form still signs in.
    EXPECT_EQ(c->get(u"/api/project/%1/experiment/"_s.arg(w.projectId)).jsonArray().size(), 0);
    const std::string good =
        user + "&password=" + QUrl::toPercentEncoding(w.owner.password).toStdString();
    const HttpReply r =
        c->request("POST", "/api/token/", good, "application/x-www-form-urlencoded");
    EXPECT_EQ(r.status, 200) << show(r);
}

TEST_F(BadInput, QueryStringsWithBadEscapesOrValuesAre400)
{
    const World w = makeWorld();
    auto c = pfd().client(w.owner.token);
    const std::string members = "/auth/pf_group/" + w.orgId.toStdString() + "/pf_user";
    const std::string locks = "/api/project/" + w.projectId.toStdString() + "/vm_lock/";
    const std::vector<std::string> targets = {
        members + "?search=%zz",    members + "?search=%",       members + "?search=ab%2",
        members + "?search=%C3%28", members + "?%zz=1",          members + "?limit=%FF",
        members + "?limit=abc",     members + "?limit=0",        members + "?limit=101",
        members + "?limit=-1",      members + "?limit=1e1",      members + "?cursor=not-a-cursor",
        members + "?cursor=%00",    locks + "?status=bogus",     locks + "?status=active,bogus",
        locks + "?status=%zz",      "/auth/oauth2/userinfo?x=%", "/api/credential_type/?%",
    };
    for (const std::string &target : targets) {
        const HttpReply r = c->request("GET", target, {}, {});
        EXPECT_EQ(r.status, 400) << target << ": " << show(r);
        EXPECT_FALSE(r.detail().isEmpty()) << target;
    }
    // Well-formed odd queries are fine.
    for (const std::string &target :
         {members + "?search=%25", members + "?search=&limit=1", members + "?a=b&&c",
          members + "?search=%ED%95%9C", locks + "?status="}) {
        const HttpReply r = c->request("GET", target, {}, {});
        EXPECT_EQ(r.status, 200) << target << ": " << show(r);
    }
}

// ---- load ----------------------------------------------------------------------------

TEST_F(BadInput, TenThousandRequestsAllAnsweredAndNoConnectionLeaks)
{
    const World w = makeWorld();
    const std::string target = "/auth/pf_group/" + w.orgId.toStdString() + "/pf_project/";
    const qint64 pid = pfd().pid();
    ASSERT_GT(pid, 0);

    constexpr int kThreads = 32;
    constexpr int kPerThread = 313; // 10,016 in all
    std::atomic<int> ok{0};
    std::atomic<int> bad{0};
    std::mutex firstMutex;
    std::string first;
    const auto burst = [&](int perThread) {
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t, perThread] {
                HttpClient client("127.0.0.1", pfd().port());
                client.setToken(w.owner.token);
                // A mix: a new connection every request, every 10, every 100, or never.
                const int every = t % 4 == 0 ? 1 : t % 4 == 1 ? 10 : t % 4 == 2 ? 100 : 0;
                for (int i = 0; i < perThread; ++i) {
                    const HttpReply r = client.request("GET", target, {}, {});
                    if (r.status == 200) {
                        ++ok;
                    } else {
                        ++bad;
                        std::lock_guard lock(firstMutex);
                        if (first.empty())
                            first = show(r);
                    }
                    if (every && (i + 1) % every == 0)
                        client.disconnect();
                }
            });
        }
        for (std::thread &t : threads)
            t.join();
    };
    // Settles when the count stays the same over a few polls.
    const auto settled = [&] {
        FdCount last = countFds(pid);
        int same = 0;
        waitFor(
            [&] {
                const FdCount now = countFds(pid);
                same = now.total == last.total ? same + 1 : 0;
                last = now;
                return same >= 5;
            },
            std::chrono::seconds(10));
        return last;
    };

    // A warm-up opens every worker's database connection.
    burst(10);
    ASSERT_EQ(bad.load(), 0) << first;
    const FdCount before = settled();

    QElapsedTimer timer;
    timer.start();
    ok = 0;
    burst(kPerThread);
    const qint64 ms = timer.elapsed();
    EXPECT_EQ(ok.load(), kThreads * kPerThread) << bad.load() << " failed; the first: " << first;
    EXPECT_EQ(bad.load(), 0) << first;

    // Every client is gone: the server closes its side.
    constexpr int kSlack = 2;
    FdCount after = countFds(pid);
    const bool back = waitFor(
        [&] {
            after = countFds(pid);
            return after.total <= before.total + kSlack;
        },
        std::chrono::seconds(10));
    std::printf(
        "[ fd counts ] before: %d (%d sockets), after: %d (%d sockets); %d requests in %lld ms\n",
        before.total, before.sockets, after.total, after.sockets, kThreads * kPerThread,
        static_cast<long long>(ms));
    std::fflush(stdout);
    RecordProperty("fds_before", before.total);
    RecordProperty("fds_after", after.total);
    EXPECT_TRUE(back) << "pfd holds " << after.total << " descriptors (" << after.sockets
                      << " sockets), " << before.total << " (" << before.sockets
                      << ") before the load";
    expectServing(w.owner.token, "10,000 requests");
}

} // namespace
