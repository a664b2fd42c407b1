// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// Contract: experiments and job templates (API.md "VMs, quota, experiments,
// templates"; docs/api.md "Experiments").

#include "tests/contract/contracthelpers.h"

using namespace pf::test;
using namespace Qt::StringLiterals;

class Experiment : public ApiTest
{
protected:
    static QString listPath(const QString &projectId)
    {
        return u"/api/project/%1/experiment/"_s.arg(projectId);
    }
    static QString path(qint64 id) { return u"/api/experiment/%1/"_s.arg(id); }
    static qint64 createExperiment(const User &by, const QString &projectId, const QString &name)
    {
        const HttpReply r =
            pfd().client(by.token)->postJson(listPath(projectId), {{u"name"_s, name}});
        return r.status == 201 ? r.json().value(u"id"_s).toInteger() : 0;
    }
    static QStringList names(const HttpReply &r)
    {
        QStringList out;
        for (const QJsonValue &v : r.jsonArray())
            out << v.toObject().value(u"name"_s).toString();
        return out;
    }
};

// --- GET/POST /api/project/{pid}/experiment/ --------------------------------

TEST_F(Experiment, CreateFromJsonAndFormThenList)
{
    const World w = makeWorld();
    const User developer = projectMember(w, u"develop"_s);
    ASSERT_FALSE(developer.id.isEmpty());
    auto c = pfd().client(developer.token);

    const HttpReply json = c->postJson(listPath(w.projectId), {{u"name"_s, u"computer-vision"_s}});
    ASSERT_EQ(json.status, 201) << show(json);
    EXPECT_TRUE(json.json().value(u"id"_s).isDouble()) << show(json);
    EXPECT_GE(json.json().value(u"id"_s).toInteger(), 1);
    EXPECT_EQ(json.json().keys(), (QStringList{u"id"_s, u"name"_s}));
    EXPECT_EQ(json.json().value(u"name"_s).toString(), u"computer-vision"_s);

    // PeriFlow's CLI posts a form.
    const HttpReply form = c->postForm(listPath(w.projectId), {{u"name"_s, u"nlp experiments"_s}});
    ASSERT_EQ(form.status, 201) << show(form);
    EXPECT_EQ(form.json().value(u"name"_s).toString(), u"nlp experiments"_s);
    EXPECT_NE(form.json().value(u"id"_s).toInteger(), json.json().value(u"id"_s).toInteger());

    const User guest = projectMember(w, u"guest"_s);
    const HttpReply list = pfd().client(guest.token)->get(listPath(w.projectId));
    ASSERT_EQ(list.status, 200) << show(list);
    EXPECT_EQ(list.jsonArray(), (QJsonArray{json.json(), form.json()}));
    // Without the trailing slash too.
    EXPECT_EQ(pfd()
                  .client(guest.token)
                  ->get(u"/api/project/%1/experiment"_s.arg(w.projectId))
                  .jsonArray(),
              list.jsonArray());
}

TEST_F(Experiment, CreateErrors)
{
    const World w = makeWorld();
    auto c = pfd().client(w.owner.token);
    ASSERT_EQ(c->postJson(listPath(w.projectId), {{u"name"_s, u"taken"_s}}).status, 201);
    EXPECT_API_ERROR(c->postJson(listPath(w.projectId), {{u"name"_s, u"taken"_s}}), 409);
    EXPECT_API_ERROR(c->postForm(listPath(w.projectId), {{u"name"_s, u" taken "_s}}), 409);
    EXPECT_FIELD_ERROR(c->postJson(listPath(w.projectId), {}), 400, u"name"_s);
    EXPECT_FIELD_ERROR(c->postForm(listPath(w.projectId), {{u"title"_s, u"x"_s}}), 400, u"name"_s);
    EXPECT_FIELD_ERROR(c->postJson(listPath(w.projectId), {{u"name"_s, QString(200, u'e')}}), 400,
                       u"name"_s);

    // Names are unique per project only.
    const QString second = createProject(w.owner, w.orgId);
    EXPECT_EQ(c->postJson(listPath(second), {{u"name"_s, u"taken"_s}}).status, 201);

    // Roles: develop and up create; guests read; outsiders see nothing.
    const User guest = projectMember(w, u"guest"_s);
    ASSERT_FALSE(guest.id.isEmpty());
    EXPECT_API_ERROR(
        pfd().client(guest.token)->postJson(listPath(w.projectId), {{u"name"_s, u"g"_s}}), 403);
    const User orgOnly = newUser(u"orgonly"_s);
    ASSERT_TRUE(joinOrg(w.owner, orgOnly, w.orgId));
    EXPECT_API_ERROR(
        pfd().client(orgOnly.token)->postJson(listPath(w.projectId), {{u"name"_s, u"o"_s}}), 404);
    EXPECT_API_ERROR(pfd().client(orgOnly.token)->get(listPath(w.projectId)), 404);
    EXPECT_API_ERROR(pfd().client()->get(listPath(w.projectId)), 401);

    const HttpReply list = c->get(listPath(w.projectId));
    EXPECT_EQ(names(list), QStringList{u"taken"_s}) << show(list);
}

// --- GET /api/experiment/{id}/job/ ------------------------------------------

TEST_F(Experiment, JobsOfANewExperimentAreAnEmptyPage)
{
    const World w = makeWorld();
    const qint64 id = createExperiment(w.owner, w.projectId, u"empty"_s);
    ASSERT_GT(id, 0);
    const User guest = projectMember(w, u"guest"_s);
    auto c = pfd().client(guest.token);
    const HttpReply r = c->get(path(id) + u"job/"_s);
    ASSERT_EQ(r.status, 200) << show(r);
    EXPECT_EQ(r.json(),
              (QJsonObject{{u"results"_s, QJsonArray()}, {u"next_cursor"_s, QJsonValue::Null}}));
    EXPECT_EQ(c->get(path(id) + u"job/?limit=5"_s).status, 200);
    EXPECT_API_ERROR(c->get(path(id) + u"job/?limit=0"_s), 400);
    EXPECT_API_ERROR(c->get(path(id) + u"job/?cursor=nope"_s), 400);
    EXPECT_API_ERROR(c->get(path(999999) + u"job/"_s), 404);
    EXPECT_API_ERROR(c->get(u"/api/experiment/abc/job/"_s), 400);
}

// --- PATCH /api/experiment/{id}/ --------------------------------------------

TEST_F(Experiment, Rename)
{
    const World w = makeWorld();
    const User developer = projectMember(w, u"develop"_s);
    const User guest = projectMember(w, u"guest"_s);
    ASSERT_FALSE(guest.id.isEmpty());
    const qint64 id = createExperiment(developer, w.projectId, u"before"_s);
    ASSERT_GT(id, 0);
    ASSERT_GT(createExperiment(developer, w.projectId, u"other"_s), 0);
    auto c = pfd().client(developer.token);

    const HttpReply r = c->patchJson(path(id), {{u"name"_s, u"after"_s}});
    ASSERT_EQ(r.status, 200) << show(r);
    EXPECT_EQ(r.json(), (QJsonObject{{u"id"_s, id}, {u"name"_s, u"after"_s}}));
    EXPECT_EQ(names(c->get(listPath(w.projectId))), (QStringList{u"after"_s, u"other"_s}));

    EXPECT_API_ERROR(c->patchJson(path(id), {{u"name"_s, u"other"_s}}), 409);
    EXPECT_FIELD_ERROR(c->patchJson(path(id), {{u"name"_s, u" "_s}}), 400, u"name"_s);
    EXPECT_FIELD_ERROR(c->patchJson(path(id), {{u"name"_s, u"x"_s}, {u"project"_s, u"y"_s}}), 400,
                       u"project"_s);
    EXPECT_API_ERROR(pfd().client(guest.token)->patchJson(path(id), {{u"name"_s, u"g"_s}}), 403);
    EXPECT_API_ERROR(c->patchJson(path(999999), {{u"name"_s, u"x"_s}}), 404);
    EXPECT_EQ(names(c->get(listPath(w.projectId))), (QStringList{u"after"_s, u"other"_s}));
}

// --- DELETE /api/experiment/{id}/ -------------------------------------------

TEST_F(Experiment, DeleteNeedsMaintain)
{
    const World w = makeWorld();
    const User developer = projectMember(w, u"develop"_s);
    const User maintainer = projectMember(w, u"maintain"_s);
    ASSERT_FALSE(maintainer.id.isEmpty());
    const qint64 id = createExperiment(developer, w.projectId, u"doomed"_s);
    const qint64 keep = createExperiment(developer, w.projectId, u"kept"_s);
    ASSERT_GT(keep, 0);

    // Even its creator needs maintain.
    EXPECT_API_ERROR(pfd().client(developer.token)->del(path(id)), 403);
    const HttpReply r = pfd().client(maintainer.token)->del(path(id));
    ASSERT_EQ(r.status, 204) << show(r);
    EXPECT_TRUE(r.body.isEmpty());
    EXPECT_API_ERROR(pfd().client(maintainer.token)->get(path(id) + u"job/"_s), 404);
    EXPECT_API_ERROR(pfd().client(maintainer.token)->del(path(id)), 404);
    EXPECT_EQ(names(pfd().client(developer.token)->get(listPath(w.projectId))),
              QStringList{u"kept"_s});
    // The name is free again.
    EXPECT_GT(createExperiment(developer, w.projectId, u"doomed"_s), 0);
    // The org owner acts as admin.
    EXPECT_EQ(pfd().client(w.owner.token)->del(path(keep)).status, 204);
}

TEST_F(Experiment, OutsidersGet404)
{
    const World w = makeWorld();
    const qint64 id = createExperiment(w.owner, w.projectId, u"private"_s);
    ASSERT_GT(id, 0);
    const User orgOnly = newUser(u"orgonly"_s);
    ASSERT_TRUE(joinOrg(w.owner, orgOnly, w.orgId));
    const User outsider = newUser(u"outsider"_s);
    for (const User *u : {&orgOnly, &outsider}) {
        auto c = pfd().client(u->token);
        const HttpReply jobs = c->get(path(id) + u"job/"_s);
        EXPECT_API_ERROR(jobs, 404);
        // Indistinguishable from an absent one.
        EXPECT_EQ(jobs.detail(), c->get(path(999999) + u"job/"_s).detail());
        EXPECT_API_ERROR(c->patchJson(path(id), {{u"name"_s, u"mine"_s}}), 404);
        EXPECT_API_ERROR(c->del(path(id)), 404);
    }
    EXPECT_EQ(names(pfd().client(w.owner.token)->get(listPath(w.projectId))),
              QStringList{u"private"_s});
}

// --- GET /api/job_template/ -------------------------------------------------

TEST_F(Experiment, JobTemplatesIsAPlainEmptyList)
{
    const User u = newUser(u"templates"_s);
    const HttpReply r = pfd().client(u.token)->get(u"/api/job_template/"_s);
    ASSERT_EQ(r.status, 200) << show(r);
    EXPECT_EQ(r.body.trimmed(), "[]");
    EXPECT_API_ERROR(pfd().client()->get(u"/api/job_template/"_s), 401);
}
