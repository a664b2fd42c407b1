// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// Contract: credential types and project credentials (API.md "Credentials";
// docs/api.md "Roles, route by route").

#include <QFile>
#include <QRegularExpression>

#include "tests/contract/contracthelpers.h"

using namespace pf::test;
using namespace Qt::StringLiterals;

namespace {

struct Sample
{
    QString type;
    QJsonObject value;
};

// A valid value of each type.
QList<Sample> samples()
{
    return {
        {u"docker"_s, {{u"username"_s, u"robot"_s}, {u"password"_s, u"docker-secret"_s}}},
        {u"aws"_s,
         {{u"aws_access_key_id"_s, u"AKIAIOSFODNN7EXAMPLE"_s},
          {u"aws_secret_access_key"_s, u"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"_s},
          {u"aws_default_region"_s, u"us-east-1"_s}}},
        {u"azure.blob"_s,
         {{u"storage_account_name"_s, u"mydatasets"_s},
          {u"storage_account_key"_s, u"a2V5a2V5a2V5"_s}}},
        {u"gcp"_s,
         {{u"project_id"_s, u"my-project-123456"_s},
          {u"private_key_id"_s, u"0123abcd"_s},
          {u"private_key"_s, u"-----BEGIN PRIVATE KEY-----\nMII...\n-----END PRIVATE KEY-----\n"_s},
          {u"client_email"_s, u"trainer@my-project-123456.iam.gserviceaccount.com"_s},
          {u"token_uri"_s, u"https://oauth2.googleapis.com/token"_s}}},
        {u"wandb"_s, {{u"token"_s, u"wandb-api-key"_s}}},
        {u"slack"_s, {{u"token"_s, u"xoxb-slack-token"_s}}},
    };
}

QJsonObject credentialBody(const QString &type, const QString &name, const QJsonObject &value)
{
    return {{u"type"_s, type}, {u"name"_s, name}, {u"type_version"_s, 1}, {u"value"_s, value}};
}

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class Credential : public ApiTest
{
protected:
    static HttpReply create(const User &by, const QString &projectId, const QString &type,
                            const QString &name, const QJsonObject &value)
    {
        return pfd().client(by.token)->postJson(u"/auth/pf_project/%1/credential"_s.arg(projectId),
                                                credentialBody(type, name, value));
    }
    static QString path(const QString &id) { return u"/auth/credential/%1"_s.arg(id); }
};

// --- GET /api/credential_type/ ----------------------------------------------

TEST_F(Credential, TypesAreTheSixWithDraft7Schemas)
{
    const User u = newUser(u"types"_s);
    const HttpReply r = pfd().client(u.token)->get(u"/api/credential_type/"_s);
    ASSERT_EQ(r.status, 200) << show(r);
    const QJsonArray types = r.jsonArray();
    QStringList names;
    for (const QJsonValue &t : types)
        names << t.toObject().value(u"type_name"_s).toString();
    names.sort();
    EXPECT_EQ(names, (QStringList{u"aws"_s, u"azure.blob"_s, u"docker"_s, u"gcp"_s, u"slack"_s,
                                  u"wandb"_s}));

    const QMap<QString, QStringList> required{
        {u"docker"_s, {u"password"_s, u"username"_s}},
        {u"aws"_s, {u"aws_access_key_id"_s, u"aws_default_region"_s, u"aws_secret_access_key"_s}},
        {u"azure.blob"_s, {u"storage_account_key"_s, u"storage_account_name"_s}},
        {u"gcp"_s, {u"client_email"_s, u"private_key"_s, u"private_key_id"_s, u"project_id"_s}},
        {u"wandb"_s, {u"token"_s}},
        {u"slack"_s, {u"token"_s}},
    };
    for (const QJsonValue &t : types) {
        const QString name = t.toObject().value(u"type_name"_s).toString();
        SCOPED_TRACE(name.toStdString());
        const QJsonArray versions = t.toObject().value(u"versions"_s).toArray();
        ASSERT_EQ(versions.size(), 1);
        EXPECT_EQ(versions[0].toObject().value(u"type_version"_s).toInt(), 1);
        const QJsonObject schema = versions[0].toObject().value(u"schema"_s).toObject();
        EXPECT_EQ(schema.value(u"$schema"_s).toString(),
                  u"http://json-schema.org/draft-07/schema#"_s);
        EXPECT_EQ(schema.value(u"type"_s).toString(), u"object"_s);
        QStringList req;
        for (const QJsonValue &v : schema.value(u"required"_s).toArray())
            req << v.toString();
        req.sort();
        EXPECT_EQ(req, required.value(name));
        for (const QString &field : required.value(name))
            EXPECT_TRUE(schema.value(u"properties"_s).toObject().contains(field))
                << field.toStdString();
        // The gcp key file is stored without its `type` member.
        EXPECT_FALSE(schema.value(u"properties"_s).toObject().contains(u"type"_s));
    }
    EXPECT_API_ERROR(pfd().client()->get(u"/api/credential_type/"_s), 401);
    EXPECT_EQ(pfd().client(u.token)->get(u"/api/credential_type"_s).jsonArray(), types);
}

// --- POST /auth/pf_project/{pid}/credential ---------------------------------

TEST_F(Credential, CreateEachTypeAnswersWithoutTheSecret)
{
    const World w = makeWorld();
    const User developer = projectMember(w, u"develop"_s);
    ASSERT_FALSE(developer.id.isEmpty());
    for (const Sample &s : samples()) {
        SCOPED_TRACE(s.type.toStdString());
        const QString name = unique(s.type + u"-cred"_s);
        const HttpReply r = create(developer, w.projectId, s.type, name, s.value);
        ASSERT_EQ(r.status, 201) << show(r);
        const QJsonObject c = r.json();
        EXPECT_TRUE(isUuid(c.value(u"id"_s).toString())) << show(r);
        EXPECT_EQ(c.value(u"name"_s).toString(), name);
        EXPECT_EQ(c.value(u"type"_s).toString(), s.type);
        EXPECT_EQ(c.value(u"type_version"_s).toInt(), 1);
        EXPECT_EQ(c.value(u"owner_type"_s).toString(), u"user"_s);
        static const QRegularExpression iso(
            u"^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z$"_s);
        const QString created = c.value(u"created_at"_s).toString();
        EXPECT_TRUE(iso.match(created).hasMatch()) << created.toStdString();
        EXPECT_FALSE(c.contains(u"value"_s)) << show(r);
        for (auto it = s.value.begin(); it != s.value.end(); ++it)
            EXPECT_FALSE(r.body.contains(it.value().toString().toUtf8())) << show(r);

        // And it reads back with its value.
        const HttpReply got = pfd().client(developer.token)->get(path(c.value(u"id"_s).toString()));
        ASSERT_EQ(got.status, 200) << show(got);
        EXPECT_EQ(got.json().value(u"value"_s).toObject(), s.value);
    }
    // type_version defaults to 1.
    const HttpReply noVersion = pfd()
                                    .client(developer.token)
                                    ->postJson(u"/auth/pf_project/%1/credential"_s.arg(w.projectId),
                                               {{u"type"_s, u"wandb"_s},
                                                {u"name"_s, u"nv"_s},
                                                {u"value"_s, QJsonObject{{u"token"_s, u"t"_s}}}});
    ASSERT_EQ(noVersion.status, 201) << show(noVersion);
    EXPECT_EQ(noVersion.json().value(u"type_version"_s).toInt(), 1);
}

TEST_F(Credential, InvalidValuesAre422WithPaths)
{
    const World w = makeWorld();
    const auto bad = [&](const QString &type, const QJsonObject &value, const QString &errorPath) {
        SCOPED_TRACE(QString(type + u" "_s + errorPath).toStdString());
        EXPECT_FIELD_ERROR(create(w.owner, w.projectId, type, unique(u"bad"_s), value), 422,
                           errorPath);
    };
    bad(u"docker"_s, {{u"username"_s, u"robot"_s}}, u"value.password"_s);
    bad(u"docker"_s, {{u"username"_s, u"robot"_s}, {u"password"_s, u""_s}}, u"value.password"_s);
    bad(u"docker"_s, {{u"username"_s, u"robot"_s}, {u"password"_s, 42}}, u"value.password"_s);
    bad(u"docker"_s, {{u"username"_s, u"r"_s}, {u"password"_s, u"p"_s}, {u"registry"_s, u"x"_s}},
        u"value.registry"_s);
    bad(u"aws"_s, {{u"aws_access_key_id"_s, u"A"_s}, {u"aws_secret_access_key"_s, u"S"_s}},
        u"value.aws_default_region"_s);
    bad(u"aws"_s,
        {{u"aws_access_key_id"_s, u"A"_s},
         {u"aws_secret_access_key"_s, u"S"_s},
         {u"aws_default_region"_s, u"us-east-1"_s},
         {u"endpoint_url"_s, u"ftp://nope"_s}},
        u"value.endpoint_url"_s);
    bad(u"azure.blob"_s,
        {{u"storage_account_name"_s, u"Not_Valid"_s}, {u"storage_account_key"_s, u"k"_s}},
        u"value.storage_account_name"_s);
    QJsonObject gcp = samples()[3].value;
    gcp.insert(u"type"_s, u"service_account"_s);
    bad(u"gcp"_s, gcp, u"value.type"_s);
    gcp.remove(u"type"_s);
    gcp.remove(u"private_key"_s);
    bad(u"gcp"_s, gcp, u"value.private_key"_s);
    bad(u"wandb"_s, {}, u"value.token"_s);
    bad(u"slack"_s, {{u"token"_s, QJsonArray{u"x"_s}}}, u"value.token"_s);

    // Both problems of one value are listed.
    const HttpReply both = create(w.owner, w.projectId, u"docker"_s, u"both"_s, {});
    EXPECT_FIELD_ERROR(both, 422, u"value.username"_s);
    EXPECT_FIELD_ERROR(both, 422, u"value.password"_s);

    // Nothing was stored.
    const HttpReply list =
        pfd().client(w.owner.token)->get(u"/auth/pf_project/%1/credential"_s.arg(w.projectId));
    ASSERT_EQ(list.status, 200) << show(list);
    EXPECT_TRUE(list.jsonArray().isEmpty()) << show(list);
}

TEST_F(Credential, CreateBodyErrorsAre400)
{
    const World w = makeWorld();
    auto c = pfd().client(w.owner.token);
    const QString p = u"/auth/pf_project/%1/credential"_s.arg(w.projectId);
    const QJsonObject value{{u"token"_s, u"t"_s}};
    EXPECT_FIELD_ERROR(c->postJson(p, credentialBody(u"github"_s, u"x"_s, value)), 400, u"type"_s);
    QJsonObject v2 = credentialBody(u"wandb"_s, u"x"_s, value);
    v2.insert(u"type_version"_s, 2);
    const HttpReply badVersion = c->postJson(p, v2);
    EXPECT_API_ERROR(badVersion, 400);
    EXPECT_TRUE(errorPaths(badVersion).contains(u"type"_s) ||
                errorPaths(badVersion).contains(u"type_version"_s))
        << show(badVersion);
    EXPECT_FIELD_ERROR(c->postJson(p, {{u"type"_s, u"wandb"_s}, {u"name"_s, u"x"_s}}), 400,
                       u"value"_s);
    EXPECT_FIELD_ERROR(c->postJson(p, {{u"type"_s, u"wandb"_s}, {u"value"_s, value}}), 400,
                       u"name"_s);
    EXPECT_FIELD_ERROR(
        c->postJson(p, {{u"type"_s, u"wandb"_s}, {u"name"_s, u"x"_s}, {u"value"_s, u"t"_s}}), 400,
        u"value"_s);
    QJsonObject extra = credentialBody(u"wandb"_s, u"x"_s, value);
    extra.insert(u"secret"_s, true);
    EXPECT_FIELD_ERROR(c->postJson(p, extra), 400, u"secret"_s);

    // A value over 64 KiB is refused as too large.
    EXPECT_API_ERROR(c->postJson(p, credentialBody(u"wandb"_s, u"big"_s,
                                                   {{u"token"_s, QString(70 * 1024, u't')}})),
                     413);

    // Roles: develop and up; outsiders see nothing.
    const User guest = projectMember(w, u"guest"_s);
    ASSERT_FALSE(guest.id.isEmpty());
    EXPECT_API_ERROR(create(guest, w.projectId, u"wandb"_s, u"g"_s, value), 403);
    const User orgOnly = newUser(u"orgonly"_s);
    ASSERT_TRUE(joinOrg(w.owner, orgOnly, w.orgId));
    EXPECT_API_ERROR(create(orgOnly, w.projectId, u"wandb"_s, u"o"_s, value), 404);
    EXPECT_API_ERROR(pfd().client()->postJson(p, credentialBody(u"wandb"_s, u"x"_s, value)), 401);
}

// --- GET /auth/pf_project/{pid}/credential ----------------------------------

TEST_F(Credential, ListFiltersByTypeAndHoldsNoSecrets)
{
    const World w = makeWorld();
    QStringList dockerIds;
    QStringList allIds;
    for (const Sample &s : samples()) {
        const HttpReply r = create(w.owner, w.projectId, s.type, unique(s.type), s.value);
        ASSERT_EQ(r.status, 201) << show(r);
        allIds << r.json().value(u"id"_s).toString();
        if (s.type == u"docker")
            dockerIds << allIds.last();
    }
    const HttpReply second =
        create(w.owner, w.projectId, u"docker"_s, u"second docker"_s, samples()[0].value);
    ASSERT_EQ(second.status, 201);
    dockerIds << second.json().value(u"id"_s).toString();
    allIds << dockerIds.last();

    const User guest = projectMember(w, u"guest"_s);
    ASSERT_FALSE(guest.id.isEmpty());
    auto c = pfd().client(guest.token);
    const QString p = u"/auth/pf_project/%1/credential"_s.arg(w.projectId);

    const HttpReply all = c->get(p);
    ASSERT_EQ(all.status, 200) << show(all);
    EXPECT_EQ(ids(all.jsonArray()), allIds);
    for (const QJsonValue &v : all.jsonArray()) {
        const QJsonObject o = v.toObject();
        EXPECT_EQ(o.keys(), (QStringList{u"created_at"_s, u"id"_s, u"name"_s, u"owner_type"_s,
                                         u"type"_s, u"type_version"_s}));
    }
    for (const Sample &s : samples()) {
        for (auto it = s.value.begin(); it != s.value.end(); ++it)
            EXPECT_FALSE(all.body.contains(it.value().toString().toUtf8()))
                << it.key().toStdString();
    }

    const HttpReply docker = c->get(p + u"?type=docker"_s);
    ASSERT_EQ(docker.status, 200) << show(docker);
    EXPECT_EQ(ids(docker.jsonArray()), dockerIds);
    const HttpReply azure = c->get(p + u"?type=azure.blob"_s);
    ASSERT_EQ(azure.jsonArray().size(), 1) << show(azure);
    EXPECT_EQ(azure.jsonArray()[0].toObject().value(u"type"_s).toString(), u"azure.blob"_s);
    const HttpReply none = c->get(p + u"?type=github"_s);
    ASSERT_EQ(none.status, 200) << show(none);
    EXPECT_TRUE(none.jsonArray().isEmpty());

    // Another project's list does not show them.
    const QString otherProject = createProject(w.owner, w.orgId);
    const HttpReply other =
        pfd().client(w.owner.token)->get(u"/auth/pf_project/%1/credential"_s.arg(otherProject));
    ASSERT_EQ(other.status, 200) << show(other);
    EXPECT_TRUE(other.jsonArray().isEmpty());

    const User orgOnly = newUser(u"orgonly"_s);
    ASSERT_TRUE(joinOrg(w.owner, orgOnly, w.orgId));
    EXPECT_API_ERROR(pfd().client(orgOnly.token)->get(p), 404);
}

// --- GET /auth/credential/{id} ----------------------------------------------

TEST_F(Credential, GetShowsTheValueToDevelopersOnly)
{
    const World w = makeWorld();
    const QJsonObject value = samples()[1].value;
    const HttpReply made = create(w.owner, w.projectId, u"aws"_s, u"s3"_s, value);
    ASSERT_EQ(made.status, 201) << show(made);
    const QString id = made.json().value(u"id"_s).toString();

    for (const QString &level : {u"develop"_s, u"maintain"_s, u"admin"_s}) {
        const User u = projectMember(w, level);
        const HttpReply r = pfd().client(u.token)->get(path(id));
        ASSERT_EQ(r.status, 200) << level.toStdString() << ' ' << show(r);
        EXPECT_EQ(r.json().value(u"value"_s).toObject(), value) << level.toStdString();
        EXPECT_EQ(r.json().value(u"id"_s).toString(), id);
        EXPECT_EQ(r.json().value(u"name"_s).toString(), u"s3"_s);
        EXPECT_EQ(r.json().value(u"type"_s).toString(), u"aws"_s);
    }
    const User guest = projectMember(w, u"guest"_s);
    const HttpReply g = pfd().client(guest.token)->get(path(id));
    ASSERT_EQ(g.status, 200) << show(g);
    EXPECT_FALSE(g.json().contains(u"value"_s)) << show(g);
    EXPECT_FALSE(g.body.contains("wJalrXUtnFEMI")) << show(g);
    EXPECT_EQ(g.json().value(u"name"_s).toString(), u"s3"_s);

    const User orgOnly = newUser(u"orgonly"_s);
    ASSERT_TRUE(joinOrg(w.owner, orgOnly, w.orgId));
    const HttpReply hidden = pfd().client(orgOnly.token)->get(path(id));
    EXPECT_API_ERROR(hidden, 404);
    const User outsider = newUser(u"outsider"_s);
    EXPECT_API_ERROR(pfd().client(outsider.token)->get(path(id)), 404);
    const HttpReply absent =
        pfd().client(w.owner.token)->get(path(QUuid::createUuid().toString(QUuid::WithoutBraces)));
    EXPECT_API_ERROR(absent, 404);
    EXPECT_EQ(hidden.detail(), absent.detail());
    EXPECT_API_ERROR(pfd().client(w.owner.token)->get(path(u"123"_s)), 400);
}

// --- PATCH /auth/credential/{id} --------------------------------------------

TEST_F(Credential, PatchNameAndValueRevalidates)
{
    const World w = makeWorld();
    const User developer = projectMember(w, u"develop"_s);
    const User otherDeveloper = projectMember(w, u"develop"_s);
    const User maintainer = projectMember(w, u"maintain"_s);
    const User guest = projectMember(w, u"guest"_s);
    ASSERT_FALSE(guest.id.isEmpty());
    const QJsonObject value = samples()[0].value;
    const HttpReply made = create(developer, w.projectId, u"docker"_s, u"registry"_s, value);
    ASSERT_EQ(made.status, 201) << show(made);
    const QString id = made.json().value(u"id"_s).toString();
    auto own = pfd().client(developer.token);

    const HttpReply renamed = own->patchJson(path(id), {{u"name"_s, u"registry 2"_s}});
    ASSERT_EQ(renamed.status, 200) << show(renamed);
    EXPECT_EQ(renamed.json().value(u"name"_s).toString(), u"registry 2"_s);
    EXPECT_EQ(renamed.json().value(u"id"_s).toString(), id);
    EXPECT_EQ(renamed.json().value(u"type"_s).toString(), u"docker"_s);
    EXPECT_FALSE(renamed.json().contains(u"value"_s));
    EXPECT_EQ(own->get(path(id)).json().value(u"value"_s).toObject(), value);

    const QJsonObject newValue{{u"username"_s, u"robot2"_s}, {u"password"_s, u"rotated"_s}};
    const HttpReply changed = own->patchJson(path(id), {{u"value"_s, newValue}});
    ASSERT_EQ(changed.status, 200) << show(changed);
    EXPECT_FALSE(changed.body.contains("rotated"));
    const HttpReply after = own->get(path(id));
    EXPECT_EQ(after.json().value(u"value"_s).toObject(), newValue);
    EXPECT_EQ(after.json().value(u"name"_s).toString(), u"registry 2"_s);

    // A new value is validated like a first one.
    EXPECT_FIELD_ERROR(
        own->patchJson(path(id), {{u"value"_s, QJsonObject{{u"username"_s, u"x"_s}}}}), 422,
        u"value.password"_s);
    EXPECT_FIELD_ERROR(own->patchJson(path(id), {{u"name"_s, u""_s}}), 400, u"name"_s);
    EXPECT_FIELD_ERROR(own->patchJson(path(id), {{u"type"_s, u"aws"_s}}), 400, u"type"_s);
    EXPECT_FIELD_ERROR(own->patchJson(path(id), {{u"type_version"_s, 7}}), 400, u"type_version"_s);
    EXPECT_EQ(own->get(path(id)).json().value(u"value"_s).toObject(), newValue);

    // Roles: its owner with develop, or maintain and up.
    EXPECT_API_ERROR(pfd().client(guest.token)->patchJson(path(id), {{u"name"_s, u"g"_s}}), 403);
    EXPECT_API_ERROR(pfd().client(otherDeveloper.token)->patchJson(path(id), {{u"name"_s, u"d"_s}}),
                     403);
    const HttpReply byMaintainer =
        pfd().client(maintainer.token)->patchJson(path(id), {{u"name"_s, u"m"_s}});
    ASSERT_EQ(byMaintainer.status, 200) << show(byMaintainer);
    EXPECT_EQ(byMaintainer.json().value(u"name"_s).toString(), u"m"_s);
    const User outsider = newUser(u"outsider"_s);
    EXPECT_API_ERROR(pfd().client(outsider.token)->patchJson(path(id), {{u"name"_s, u"o"_s}}), 404);
}

// --- DELETE /auth/credential/{id} -------------------------------------------

TEST_F(Credential, Delete)
{
    const World w = makeWorld();
    const User developer = projectMember(w, u"develop"_s);
    const User guest = projectMember(w, u"guest"_s);
    const User otherDeveloper = projectMember(w, u"develop"_s);
    ASSERT_FALSE(otherDeveloper.id.isEmpty());
    const HttpReply made =
        create(developer, w.projectId, u"slack"_s, u"alerts"_s, samples()[5].value);
    ASSERT_EQ(made.status, 201) << show(made);
    const QString id = made.json().value(u"id"_s).toString();

    EXPECT_API_ERROR(pfd().client(guest.token)->del(path(id)), 403);
    EXPECT_API_ERROR(pfd().client(otherDeveloper.token)->del(path(id)), 403);
    const User outsider = newUser(u"outsider"_s);
    EXPECT_API_ERROR(pfd().client(outsider.token)->del(path(id)), 404);

    const HttpReply r = pfd().client(developer.token)->del(path(id));
    ASSERT_EQ(r.status, 204) << show(r);
    EXPECT_API_ERROR(pfd().client(developer.token)->get(path(id)), 404);
    EXPECT_API_ERROR(pfd().client(developer.token)->del(path(id)), 404);
    const HttpReply list =
        pfd().client(developer.token)->get(u"/auth/pf_project/%1/credential"_s.arg(w.projectId));
    EXPECT_TRUE(list.jsonArray().isEmpty()) << show(list);

    // A maintainer deletes someone else's.
    const HttpReply second =
        create(developer, w.projectId, u"slack"_s, u"alerts"_s, samples()[5].value);
    const User maintainer = projectMember(w, u"maintain"_s);
    EXPECT_EQ(
        pfd().client(maintainer.token)->del(path(second.json().value(u"id"_s).toString())).status,
        204);
}

// --- encryption at rest -----------------------------------------------------

TEST_F(Credential, SecretIsNotStoredInClearText)
{
    const World w = makeWorld();
    const QString canary = u"s3cr3t-canary-value"_s;
    const QString name = unique(u"canary-credential-name"_s);
    const HttpReply made = create(w.owner, w.projectId, u"docker"_s, name,
                                  {{u"username"_s, u"canary-user"_s}, {u"password"_s, canary}});
    ASSERT_EQ(made.status, 201) << show(made);
    // The server does have it ...
    const HttpReply got =
        pfd().client(w.owner.token)->get(path(made.json().value(u"id"_s).toString()));
    ASSERT_EQ(got.json().value(u"value"_s).toObject().value(u"password"_s).toString(), canary);

    // ... but not in the database files (the WAL holds recent writes).
    const QString db = pfd().dataDir() + u"/pfd.db"_s;
    ASSERT_TRUE(QFile::exists(db)) << db.toStdString();
    const QByteArray bytes = fileBytes(db) + fileBytes(db + u"-wal"_s);
    // The reading works: the (not secret) name is there in clear.
    ASSERT_TRUE(bytes.contains(name.toUtf8()))
        << "the credential row is not in " << db.toStdString();
    EXPECT_FALSE(bytes.contains(canary.toUtf8()));
    EXPECT_FALSE(bytes.contains(canary.toUtf8().toBase64()));
    EXPECT_FALSE(bytes.contains("canary-user"));
}
