// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace pf::api {

// What resources/schemas/job.schema.json says about the members of a job
// file, for hover help and completion in the editor:
//
//     for (const JobSchemaInfo::Property &p : JobSchemaInfo::properties(u"job_setting"_s))
//         offer(p.name, p.title);                  // type, docker, workspace, ...
//     JobSchemaInfo::enumValues(u"launch_mode"_s); // {"node", "process"}
//
// Paths are YamlDocument's without array items ("job_setting.docker.image"),
// "" for the root. A member is looked up through everything that can declare
// it: "properties", "patternProperties" (job_setting.docker.env_var.ANY_NAME
// is the pattern's schema), "additionalProperties" given as a schema,
// "allOf"/"anyOf"/"oneOf", the "then" and "else" of "if", "$ref" within the
// schema, and "items" (a path steps into a list's items without an index).
// Where several subschemas describe one member, the first title and
// description in document order count; types and enum values (and "const"s)
// are the union. Members that a subschema only forbids ({"not": {}}) are not
// members.
//
// Threads: the table is built once, on first use, thread-safely; every
// function is reentrant and cheap (a few hash lookups).
class JobSchemaInfo
{
public:
    struct Property
    {
        QString name;
        QString title;
        QString description;
        // The value is written as a mapping (its schema's only type is
        // "object"): completion inserts "name:" and a new indented line.
        bool isObject = false;
        // An id that clients fill in from a name before they submit
        // (experiment_id, vm_config_id, data.id): valid in a file, but not
        // what a person writes.
        bool clientFilled = false;
    };

    // The members a mapping at `mappingPath` may have, in the order the
    // schema lists them (the root: experiment, experiment_id, name, vm, ...);
    // empty when the schema does not describe such a mapping, or describes
    // its members only by pattern (env_var).
    static QList<Property> properties(const QString &mappingPath);

    // Whether the schema describes `path` (a named member or one matching
    // a pattern).
    static bool contains(const QString &path);

    // "" when the schema does not say.
    static QString title(const QString &path);
    static QString description(const QString &path);
    // The allowed values, as text ({"custom", "predefined"}); empty when any
    // value of the type is allowed.
    static QStringList enumValues(const QString &path);
    // "string", "integer", "object", "string or object"; "" when unknown.
    static QString typeName(const QString &path);
};

} // namespace pf::api
