// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <optional>

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>

#include "api/apierror.h"

namespace pf::api {

class YamlDocument;

// A problem in a job file, placed where the studio's editor shows it.
struct SpecIssue
{
    enum Severity { Error, Warning };

    QString path;    // "job_setting.docker.image"; "" for the file as a whole
    QString message; // a sentence: "`num_devices` must be a whole number ≥ 1, got 'two'"
    int line = 1;    // 1-based
    int column = 1;  // 1-based, in UTF-16 code units (QTextBlock positions)
    Severity severity = Error;

    friend bool operator==(const SpecIssue &, const SpecIssue &) = default;
};

// A job specification (API.md "The job configuration file"): checked against
// resources/schemas/job.schema.json, the one definition of a valid spec, and
// normalised into this struct.
//
//     QList<FieldError> errors;
//     const std::optional<JobSpec> spec = JobSpec::fromJson(body, &errors);
//     if (!spec)
//         throw ApiError::unprocessable(u"The job spec is not valid."_s, errors);
//
// Both forms of a spec are valid: the file as written (`vm`, `experiment` by
// name, `data.name`, `command` as one string) and the form clients submit
// after rewriting names to ids (`vm_config_id`, `experiment_id`, `data.id`,
// `command` as {setup, run}), and any mix of the two. Exactly one of `vm` and
// `vm_config_id` is needed for a custom job; `experiment` and
// `experiment_id`, and `data.name` and `data.id`, may come together (the id
// counts; the name is kept as a label). A predefined job has `job_setting:
// {type: predefined, template_id, model_config}` and no `vm`, `vm_config_id`
// or `num_devices`.
//
// Threads: every function is reentrant; the schema is loaded once, thread-safely.
// A missing or broken schema resource is a build defect and ends the program.
struct JobSpec
{
    QString experimentName;
    qint64 experimentId = 0; // 0: none
    QString name;
    QString vmCode;
    qint64 vmConfigId = 0;                   // 0: none
    int numDevices = 0;                      // 0 for predefined jobs
    QString type = QStringLiteral("custom"); // "custom" or "predefined"
    // Custom jobs:
    QString image;
    QString setup; // "" when the command was one string
    QString run;
    QString dockerCredentialId;
    QList<QPair<QString, QString>> env; // in the order of the JSON object (sorted by name)
    QString workspaceMountPath = QStringLiteral("/workspace");
    QString launchMode = QStringLiteral("node"); // "node" or "process"
    // Any job (mount paths are cleaned: no trailing or doubled slashes):
    QString inputCheckpointId; // "" when there is no input checkpoint
    QString inputCheckpointMountPath;
    QString outputCheckpointDir; // "" when not given
    QString dataName;
    qint64 dataId = 0;     // 0: not known (yet)
    QString dataMountPath; // "" when the job has no dataset
    int distDp = 0;        // 0: no `dist`
    int distPp = 0;
    int distMp = 0;
    QJsonObject plugins; // `plugin` as given: {"wandb": {...}, "slack": {...}}
    // Predefined jobs:
    QString templateId;
    QJsonObject modelConfig;

    bool isPredefined() const { return type == u"predefined"; }
    bool hasData() const { return !dataMountPath.isEmpty(); }
    bool hasInputCheckpoint() const { return !inputCheckpointId.isEmpty(); }
    bool hasDist() const { return distDp > 0; }

    // Every problem of `spec`, each at its path with a message that reads
    // after the path ("`num_devices` must be a whole number ≥ 1, got 'two'"
    // is {"num_devices", "must be a whole number ≥ 1, got 'two'"}); empty
    // when it is valid. Beyond the schema: not both `vm` and `vm_config_id`;
    // no control characters in names; mount paths (workspace, data, input
    // checkpoint, output_checkpoint_dir) without "..", not "/" nor a system
    // folder (/usr, /tmp, /proc/..., ...), different from each other and not
    // nested, except that the others may lie inside the workspace mount
    // (the default /workspace when not given); no environment variable that
    // PeriFlow sets itself (WORLD_SIZE, RANK, CKPT_DIR, ...). Ids above 2^31
    // are accepted where the schema says "integer" (the validator's integers
    // have 32 bits).
    static QList<FieldError> validate(const QJsonObject &spec);

    // Advice about a spec, in the same form as validate(), that does not make
    // it invalid: `dist` degrees whose product differs from `num_devices`.
    static QList<FieldError> warnings(const QJsonObject &spec);

    // validate(), then the normalised spec: `command` as one string becomes
    // setup "" and run <string>; `workspace` defaults to /workspace and
    // `launch_mode` to node. On problems: std::nullopt, and `errors` (when not
    // null) gets them; on success `errors` is cleared.
    static std::optional<JobSpec> fromJson(const QJsonObject &spec, QList<FieldError> *errors);

    // The canonical form, after the client's rewrites; valid whenever the
    // struct came from fromJson(). Keys:
    //   "experiment" (when the name is known), "experiment_id" (when non-zero),
    //   "name" (when not empty);
    //   custom: "vm_config_id" when non-zero, else "vm"; "num_devices";
    //     "job_setting": {"type": "custom", "docker": {"image",
    //       "command": {"setup", "run"}, "credential_id" (when set),
    //       "env_var" (when not empty)}, "workspace": {"mount_path"},
    //       "launch_mode"};
    //   predefined: "job_setting": {"type": "predefined", "template_id",
    //     "model_config"};
    //   "checkpoint": {"input": {"id", "mount_path"} (when there is one),
    //     "output_checkpoint_dir" (when set)}, left out when empty;
    //   "data": {"id" (when non-zero), "name" (when known), "mount_path"}
    //     when the job has a dataset;
    //   "dist": {"dp_degree", "pp_degree", "mp_degree"} when set;
    //   "plugin" when not empty.
    QJsonObject toJson() const;

    // The JSON of a job file in YAML (see YamlDocument for how YAML maps to
    // JSON). Problems of the reading itself (a syntax error, duplicate keys,
    // a file that is not a mapping, ...) go to `issues` when it is not null;
    // the result is then what could be read, or {}. Does not validate.
    static QJsonObject fromYaml(const QByteArray &yaml, QList<SpecIssue> *issues);

    // Every problem of a job file: those of fromYaml(), else those of
    // validate() (errors) and warnings() (warnings), each at the line and
    // column of the key or value concerned; a missing key is reported at the
    // key of the mapping that lacks it (line 1 for the top level). Sorted by
    // position. Empty when the file is a valid job spec without advice.
    static QList<SpecIssue> validateYaml(const QByteArray &yaml);
    // validateYaml() of a file that is already read: validateDocument(
    // YamlDocument::parse(yaml)) is validateYaml(yaml), for a caller that
    // needs the document too (the editor parses once for both).
    static QList<SpecIssue> validateDocument(const YamlDocument &doc);

    // The schema (for hover help: every property has "title" and
    // "description"; "errorMessage" is the message for a value that does not fit).
    static const QJsonObject &schema();

    friend bool operator==(const JobSpec &, const JobSpec &) = default;
};

} // namespace pf::api
