// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// JobSchemaInfo: the members, titles, types and allowed values the job
// schema declares, found through properties, patternProperties and the
// conditionals, in the schema's own order.

#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <QJsonObject>
#include <QStringList>

#include "api/jobschemainfo.h"
#include "api/jobspec.h"

using namespace Qt::StringLiterals;
using pf::api::JobSchemaInfo;

// Readable failures (internal linkage: other files of the binary may have their own).
[[maybe_unused]] static void PrintTo(const QString &s, std::ostream *os)
{
    *os << '"' << s.toStdString() << '"';
}
[[maybe_unused]] static void PrintTo(const QStringList &list, std::ostream *os)
{
    *os << '{' << list.join(u", "_s).toStdString() << '}';
}

namespace {

QStringList names(const QList<JobSchemaInfo::Property> &properties)
{
    QStringList out;
    for (const JobSchemaInfo::Property &p : properties)
        out << p.name;
    return out;
}

const JobSchemaInfo::Property *find(const QList<JobSchemaInfo::Property> &properties,
                                    const QString &name)
{
    for (const JobSchemaInfo::Property &p : properties) {
        if (p.name == name)
            return &p;
    }
    return nullptr;
}

std::string show(const QStringList &list)
{
    return list.join(u", "_s).toStdString();
}

} // namespace

TEST(JobSchemaInfo, TopLevelMembersInTheSchemasOrder)
{
    const QStringList top = names(JobSchemaInfo::properties({}));
    EXPECT_EQ(top, (QStringList{u"experiment"_s, u"experiment_id"_s, u"name"_s, u"vm"_s,
                                u"vm_config_id"_s, u"num_devices"_s, u"job_setting"_s,
                                u"checkpoint"_s, u"data"_s, u"dist"_s, u"plugin"_s}))
        << show(top);
}

TEST(JobSchemaInfo, NestedMembers)
{
    EXPECT_EQ(names(JobSchemaInfo::properties(u"job_setting.docker"_s)),
              (QStringList{u"image"_s, u"command"_s, u"credential_id"_s, u"env_var"_s}));
    EXPECT_EQ(names(JobSchemaInfo::properties(u"job_setting"_s)),
              (QStringList{u"type"_s, u"docker"_s, u"workspace"_s, u"launch_mode"_s,
                           u"template_id"_s, u"model_config"_s}));
    EXPECT_EQ(names(JobSchemaInfo::properties(u"job_setting.docker.command"_s)),
              (QStringList{u"setup"_s, u"run"_s}));
    EXPECT_EQ(names(JobSchemaInfo::properties(u"plugin.slack"_s)),
              (QStringList{u"credential_id"_s, u"channel"_s}));
    // Not mappings, or not in the schema: nothing.
    EXPECT_TRUE(JobSchemaInfo::properties(u"vm"_s).isEmpty());
    EXPECT_TRUE(JobSchemaInfo::properties(u"colour"_s).isEmpty());
    EXPECT_TRUE(JobSchemaInfo::properties(u"job_setting.docker.env_var"_s).isEmpty());
}

TEST(JobSchemaInfo, PropertiesCarryTitlesAndHowTheyAreWritten)
{
    const QList<JobSchemaInfo::Property> top = JobSchemaInfo::properties({});
    const JobSchemaInfo::Property *devices = find(top, u"num_devices"_s);
    ASSERT_NE(devices, nullptr);
    EXPECT_EQ(devices->title, u"Number of devices"_s);
    EXPECT_TRUE(devices->description.startsWith(u"How many devices"_s))
        << devices->description.toStdString();
    EXPECT_FALSE(devices->isObject);
    EXPECT_FALSE(devices->clientFilled);

    const JobSchemaInfo::Property *setting = find(top, u"job_setting"_s);
    ASSERT_NE(setting, nullptr);
    EXPECT_TRUE(setting->isObject);

    // command is text or a mapping: written as text first.
    const JobSchemaInfo::Property *command =
        find(JobSchemaInfo::properties(u"job_setting.docker"_s), u"command"_s);
    ASSERT_NE(command, nullptr);
    EXPECT_FALSE(command->isObject);

    // The ids clients fill in from names.
    QStringList filled;
    for (const QString &mapping : {QString(), u"data"_s, u"checkpoint.input"_s}) {
        for (const JobSchemaInfo::Property &p : JobSchemaInfo::properties(mapping)) {
            if (p.clientFilled)
                filled << (mapping.isEmpty() ? p.name : mapping + u'.' + p.name);
        }
    }
    EXPECT_EQ(filled, (QStringList{u"experiment_id"_s, u"vm_config_id"_s, u"data.id"_s}))
        << show(filled);
}

TEST(JobSchemaInfo, TitlesDescriptionsTypesAndValues)
{
    const QJsonObject schema = pf::api::JobSpec::schema();
    const QJsonObject devices =
        schema.value("properties"_L1).toObject().value("num_devices"_L1).toObject();
    EXPECT_EQ(JobSchemaInfo::title(u"num_devices"_s), devices.value("title"_L1).toString());
    EXPECT_EQ(JobSchemaInfo::description(u"num_devices"_s),
              devices.value("description"_L1).toString());
    EXPECT_EQ(JobSchemaInfo::title(u"job_setting.docker.image"_s), u"Image"_s);
    EXPECT_EQ(JobSchemaInfo::title(u""_s), u"PeriFlow job"_s);

    EXPECT_EQ(JobSchemaInfo::typeName(u"num_devices"_s), u"integer"_s);
    EXPECT_EQ(JobSchemaInfo::typeName(u"vm"_s), u"string"_s);
    EXPECT_EQ(JobSchemaInfo::typeName(u"job_setting"_s), u"object"_s);
    EXPECT_EQ(JobSchemaInfo::typeName(u"job_setting.docker.command"_s), u"string or object"_s);

    EXPECT_EQ(JobSchemaInfo::enumValues(u"job_setting.type"_s),
              (QStringList{u"custom"_s, u"predefined"_s}));
    EXPECT_EQ(JobSchemaInfo::enumValues(u"job_setting.launch_mode"_s),
              (QStringList{u"node"_s, u"process"_s}));
    EXPECT_TRUE(JobSchemaInfo::enumValues(u"vm"_s).isEmpty());
}

TEST(JobSchemaInfo, PatternMembersResolveToThePatternsSchema)
{
    const QString path = u"job_setting.docker.env_var.HF_HOME"_s;
    EXPECT_TRUE(JobSchemaInfo::contains(path));
    EXPECT_EQ(JobSchemaInfo::title(path), u"Value"_s);
    EXPECT_EQ(JobSchemaInfo::typeName(path), u"string"_s);
    EXPECT_TRUE(JobSchemaInfo::description(path).contains(u"quote numbers"_s));
    // A name the pattern refuses is not a member.
    EXPECT_FALSE(JobSchemaInfo::contains(u"job_setting.docker.env_var.1BAD"_s));
}

TEST(JobSchemaInfo, UnknownPathsSayNothing)
{
    for (const QString &path :
         {u"colour"_s, u"job_setting.colour"_s, u"vm.code"_s, u"job_setting.docker.image.x"_s}) {
        EXPECT_FALSE(JobSchemaInfo::contains(path)) << path.toStdString();
        EXPECT_TRUE(JobSchemaInfo::title(path).isEmpty()) << path.toStdString();
        EXPECT_TRUE(JobSchemaInfo::description(path).isEmpty()) << path.toStdString();
        EXPECT_TRUE(JobSchemaInfo::typeName(path).isEmpty()) << path.toStdString();
        EXPECT_TRUE(JobSchemaInfo::enumValues(path).isEmpty()) << path.toStdString();
    }
}

TEST(JobSchemaInfo, EveryDeclaredMemberHasATitleAndADescription)
{
    // The schema promises both for every property; the resolution must find them.
    std::vector<QString> mappings{QString()};
    int seen = 0;
    while (!mappings.empty()) {
        const QString mapping = mappings.back();
        mappings.pop_back();
        for (const JobSchemaInfo::Property &p : JobSchemaInfo::properties(mapping)) {
            const QString path = mapping.isEmpty() ? p.name : mapping + u'.' + p.name;
            ++seen;
            EXPECT_FALSE(p.title.isEmpty()) << path.toStdString();
            EXPECT_FALSE(p.description.isEmpty()) << path.toStdString();
            EXPECT_FALSE(JobSchemaInfo::typeName(path).isEmpty()) << path.toStdString();
            mappings.push_back(path);
        }
    }
    EXPECT_GE(seen, 35);
}

TEST(JobSchemaInfo, SafeFromManyThreadsAtOnce)
{
    std::vector<std::thread> threads;
    std::vector<int> counts(8, 0);
    for (size_t i = 0; i < counts.size(); ++i)
        threads.emplace_back([&counts, i] {
            counts[i] = int(JobSchemaInfo::properties(u"job_setting.docker"_s).size());
        });
    for (std::thread &t : threads)
        t.join();
    for (const int n : counts)
        EXPECT_EQ(n, 4);
}
