// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "jobspec.h"

#include <algorithm>
#include <limits>
#include <vector>

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QRegularExpression>
#include <QSet>
#include <QStringList>
#include <QtGlobal>

#include "api/json.h"
#include "api/jsonschemavalidator.h"
#include "api/resources.h"
#include "api/yamldocument.h"

using namespace Qt::StringLiterals;

namespace pf::api {
namespace {

const JsonSchemaValidator &validator()
{
    static const JsonSchemaValidator instance = [] {
        initResources();
        const char *resource = ":/schemas/job.schema.json";
        QFile file(QString::fromLatin1(resource));
        if (!file.open(QIODevice::ReadOnly))
            qFatal("The job schema %s is missing from the resources: %s", resource,
                   qPrintable(file.errorString()));
        QJsonParseError parseError{};
        const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
        if (!document.isObject())
            qFatal("The job schema %s is not a JSON object: %s", resource,
                   qPrintable(parseError.errorString()));
        QString error;
        std::optional<JsonSchemaValidator> v =
            JsonSchemaValidator::fromSchema(document.object(), &error);
        if (!v)
            qFatal("The job schema %s is not a valid JSON Schema: %s", resource, qPrintable(error));
        return std::move(*v);
    }();
    return instance;
}

// Where an editor should point for a problem.
enum class Anchor {
    Key,   // the member's key: unknown, not allowed here, clashing
    Value, // the member's value: wrong type, bad format
};

struct Finding
{
    FieldError error;
    Anchor anchor;
};

// The member at a dotted path. Member names may hold dots themselves (an
// unknown key "a.b"), so each step takes the longest name that exists.
QJsonValue valueAt(const QJsonObject &root, const QString &path)
{
    if (path.isEmpty())
        return root;
    const QStringList parts = path.split(u'.');
    QJsonValue current = root;
    qsizetype i = 0;
    while (i < parts.size()) {
        if (!current.isObject())
            return QJsonValue(QJsonValue::Undefined);
        const QJsonObject object = current.toObject();
        bool found = false;
        for (qsizetype n = parts.size() - i; n >= 1 && !found; --n) {
            const QString key = parts.mid(i, n).join(u'.');
            if (object.contains(key)) {
                current = object.value(key);
                i += n;
                found = true;
            }
        }
        if (!found)
            return QJsonValue(QJsonValue::Undefined);
    }
    return current;
}

// The subschema of the member at `path` ({} when the schema does not
// describe it). The job schema keeps every member under "properties" (the
// conditionals only add "required" and forbid members), so following
// "properties" and "patternProperties" is enough.
QJsonObject schemaAt(const QString &path)
{
    QJsonObject current = validator().schema();
    if (path.isEmpty())
        return current;
    const QStringList parts = path.split(u'.');
    qsizetype i = 0;
    while (i < parts.size()) {
        const QJsonObject properties = current.value("properties"_L1).toObject();
        bool found = false;
        for (qsizetype n = parts.size() - i; n >= 1 && !found; --n) {
            const QString key = parts.mid(i, n).join(u'.');
            if (properties.contains(key)) {
                current = properties.value(key).toObject();
                i += n;
                found = true;
            }
        }
        if (found)
            continue;
        const QJsonObject patterns = current.value("patternProperties"_L1).toObject();
        const QString rest = parts.mid(i).join(u'.');
        for (auto it = patterns.constBegin(); it != patterns.constEnd() && !found; ++it) {
            if (cachedRegularExpression(it.key()).match(rest).hasMatch()) {
                current = it.value().toObject();
                i = parts.size();
                found = true;
            }
        }
        if (!found)
            return {};
    }
    return current;
}

QString lastKey(const QString &path)
{
    const QString parent = YamlDocument::parentPath(path);
    return parent.isEmpty() ? path : path.mid(parent.size() + 1);
}

// How a value looks in a message: 'two', 2.5, true, nothing, an object.
QString describe(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return u"nothing"_s;
    case QJsonValue::Bool:
        return value.toBool() ? u"true"_s : u"false"_s;
    case QJsonValue::Double: {
        const qint64 whole = value.toInteger(0);
        if (whole == value.toInteger(1))
            return QString::number(whole);
        return QString::number(value.toDouble(), 'g', 15);
    }
    case QJsonValue::String: {
        QString text = value.toString();
        bool cut = false;
        if (const qsizetype newline = text.indexOf(u'\n'); newline >= 0) {
            text.truncate(newline);
            cut = true;
        }
        if (text.size() > 40) {
            text.truncate(40);
            cut = true;
        }
        return u'\'' + text + (cut ? u"…"_s : QString()) + u'\'';
    }
    case QJsonValue::Array:
        return u"a list"_s;
    case QJsonValue::Object:
        return u"an object"_s;
    case QJsonValue::Undefined:
        break;
    }
    return {};
}

// Edits (insert, delete, replace, swap two neighbours) from one key to the
// other, ignoring case: "nmae" is one from "name".
int editDistance(const QString &a, const QString &b)
{
    const qsizetype n = a.size();
    const qsizetype m = b.size();
    std::vector<std::vector<int>> d(size_t(n) + 1, std::vector<int>(size_t(m) + 1));
    for (qsizetype i = 0; i <= n; ++i)
        d[size_t(i)][0] = int(i);
    for (qsizetype j = 0; j <= m; ++j)
        d[0][size_t(j)] = int(j);
    const auto same = [](QChar x, QChar y) { return x.toLower() == y.toLower(); };
    for (qsizetype i = 1; i <= n; ++i) {
        for (qsizetype j = 1; j <= m; ++j) {
            const size_t si = size_t(i);
            const size_t sj = size_t(j);
            const int cost = same(a.at(i - 1), b.at(j - 1)) ? 0 : 1;
            d[si][sj] = std::min({d[si - 1][sj] + 1, d[si][sj - 1] + 1, d[si - 1][sj - 1] + cost});
            if (i > 1 && j > 1 && same(a.at(i - 1), b.at(j - 2)) && same(a.at(i - 2), b.at(j - 1)))
                d[si][sj] = std::min(d[si][sj], d[si - 2][sj - 2] + 1);
        }
    }
    return d[size_t(n)][size_t(m)];
}

QString unknownKeyMessage(const QString &path)
{
    const QString parent = YamlDocument::parentPath(path);
    if (parent == u"job_setting.docker.env_var")
        return u"is not a valid environment variable name: use letters, digits and _, "
               "not starting with a digit"_s;
    const QString key = lastKey(path);
    const QStringList known = schemaAt(parent).value("properties"_L1).toObject().keys();
    // Short keys are easily close to anything; suggest only near misses.
    QString best;
    int bestDistance = key.size() <= 4 ? 2 : 3;
    for (const QString &candidate : known) {
        if (key.size() > 2 * candidate.size() + 2)
            continue; // far too long to be a misspelling (and costly to compare)
        const int d = editDistance(key, candidate);
        if (d < bestDistance) {
            best = candidate;
            bestDistance = d;
        }
    }
    QString message = u"is not a known key"_s;
    if (!best.isEmpty())
        return message + u"; did you mean `%1`?"_s.arg(best);
    if (!known.isEmpty())
        message += u" here (known keys: %1)"_s.arg(known.join(u", "_s));
    return message;
}

// Keys forbidden by the job type (the schema's {"not": {}}).
QString forbiddenMessage(const QString &path)
{
    const QString key = lastKey(path);
    if (key == u"template_id" || key == u"model_config")
        return u"is only used by predefined jobs (job_setting.type: predefined)"_s;
    if (key == u"vm" || key == u"vm_config_id" || key == u"num_devices")
        return u"is not used by predefined jobs: the template decides where they run"_s;
    return u"is not used by predefined jobs"_s;
}

QString requiredMessage(const QString &path)
{
    if (path == u"vm")
        return u"is required: the VM type to run on, such as local-cpu-2c (or give "
               "`vm_config_id`)"_s;
    if (path == u"num_devices")
        return u"is required: how many devices the job uses in total"_s;
    if (path == u"data.name")
        return u"is required (or `data.id`): the dataset to mount"_s;
    return u"is required"_s;
}

// The validator's messages, made to read well for a job file: the schema's
// "errorMessage" for a value that does not fit, and the value itself.
Finding humanise(const FieldError &e, const QJsonObject &spec)
{
    const QString &m = e.message;
    if (m == u"is required")
        return {{e.path, requiredMessage(e.path)}, Anchor::Key};
    if (m.startsWith(u"is not allowed (unknown key)"))
        return {{e.path, unknownKeyMessage(e.path)}, Anchor::Key};
    if (m == u"has a value that is not allowed here")
        return {{e.path, forbiddenMessage(e.path)}, Anchor::Key};
    const bool ownWords = m == u"must not be empty" || m.startsWith(u"must have ") ||
                          m == u"is invalid" || m.startsWith(u"is not allowed") ||
                          (m.startsWith(u"must be at") && m.endsWith(u" characters"));
    if (ownWords)
        return {e, Anchor::Value};
    const QString custom = schemaAt(e.path).value("errorMessage"_L1).toString();
    QString message = custom.isEmpty() ? m : custom;
    const QJsonValue value = valueAt(spec, e.path);
    if (!value.isUndefined())
        message += u", got "_s + describe(value);
    return {{e.path, message}, Anchor::Value};
}

bool hasControlCharacters(const QString &text)
{
    return std::any_of(text.cbegin(), text.cend(), [](QChar c) {
        return c.unicode() < 0x20 || c.unicode() == 0x7f || c.category() == QChar::Other_Control;
    });
}

// The variables API.md ("Inside a running job") has PeriFlow set.
bool isPlatformVariable(const QString &name)
{
    static const QSet<QString> names = {u"MASTER_ADDR"_s,
                                        u"MASTER_PORT"_s,
                                        u"WORLD_SIZE"_s,
                                        u"NUM_NODES"_s,
                                        u"NODE_RANK"_s,
                                        u"NPROC_PER_NODE"_s,
                                        u"RANK"_s,
                                        u"LOCAL_RANK"_s,
                                        u"CKPT_DIR"_s,
                                        u"PROCESSED_ITERS"_s,
                                        u"PERIFLOW_ENABLED"_s};
    return names.contains(name);
}

// A mount path of the job, for the checks between them.
struct Mount
{
    QString path;  // where in the spec: "data.mount_path"
    QString value; // cleaned: "/workspace/data"
    bool isWorkspace = false;
    bool isDefault = false; // the workspace mount nobody wrote down
};

bool isInside(const QString &inner, const QString &outer)
{
    return inner.startsWith(outer + u'/');
}

// Problems of one mount path by itself; empty when it is fine.
QString mountPathProblem(const QString &raw, const QString &clean)
{
    if (hasControlCharacters(raw))
        return u"must not contain control characters such as line breaks"_s;
    if (raw.split(u'/').contains(u".."_s))
        return u"must not contain `..`, got '%1'"_s.arg(raw);
    if (clean == u"/")
        return u"cannot be / (the whole file system of the job); use a folder such as "
               "/workspace/data"_s;
    static const QSet<QString> systemFolders = {
        u"/bin"_s,  u"/boot"_s, u"/dev"_s,  u"/etc"_s, u"/lib"_s, u"/lib32"_s, u"/lib64"_s,
        u"/proc"_s, u"/run"_s,  u"/sbin"_s, u"/sys"_s, u"/tmp"_s, u"/usr"_s,   u"/var"_s};
    const bool kernelFolder =
        isInside(clean, u"/proc"_s) || isInside(clean, u"/sys"_s) || isInside(clean, u"/dev"_s);
    if (systemFolders.contains(clean) || kernelFolder)
        return u"cannot be %1, a folder the job's system needs; use a folder such as "
               "/workspace/data"_s.arg(clean);
    return {};
}

void checkMounts(const QJsonObject &spec, bool custom, QList<Finding> &out)
{
    QList<Mount> mounts;
    const auto add = [&](const QString &path, bool isWorkspace) {
        const QJsonValue v = valueAt(spec, path);
        if (!v.isString() || !v.toString().startsWith(u'/'))
            return; // absent, or the schema has said what is wrong
        const QString raw = v.toString();
        const QString clean = QDir::cleanPath(raw);
        const QString problem = mountPathProblem(raw, clean);
        if (!problem.isEmpty()) {
            out.append({{path, problem}, Anchor::Value});
            return;
        }
        mounts.append(Mount{path, clean, isWorkspace, false});
    };
    if (custom) {
        const QString path = u"job_setting.workspace.mount_path"_s;
        if (valueAt(spec, path).isUndefined() &&
            !valueAt(spec, u"job_setting.workspace"_s).isObject())
            mounts.append(Mount{path, u"/workspace"_s, true, true});
        else
            add(path, true);
    }
    add(u"data.mount_path"_s, false);
    add(u"checkpoint.input.mount_path"_s, false);
    add(u"checkpoint.output_checkpoint_dir"_s, false);

    QSet<QString> reported;
    for (qsizetype j = 0; j < mounts.size(); ++j) {
        const Mount &b = mounts.at(j);
        for (qsizetype i = 0; i < j && !reported.contains(b.path); ++i) {
            const Mount &a = mounts.at(i);
            if (reported.contains(a.path))
                continue; // already wrong; comparing with it would only repeat that
            const QString other = a.isDefault
                                      ? u"the workspace mount (%1, the default)"_s.arg(a.value)
                                      : u"`%1` (%2)"_s.arg(a.path, a.value);
            QString message;
            if (b.value == a.value)
                message =
                    u"is the same folder as %1; each mount needs a folder of its own"_s.arg(other);
            else if (isInside(a.value, b.value))
                message = u"contains %1; mounts must not be nested"_s.arg(other);
            else if (!a.isWorkspace && isInside(b.value, a.value))
                message = u"is inside %1; mounts must not be nested (only the workspace mount "
                          "may hold the others)"_s.arg(other);
            if (!message.isEmpty()) {
                out.append({{b.path, message}, Anchor::Value});
                reported.insert(b.path);
            }
        }
    }
}

// The checks JSON Schema cannot express (or not in words a person reads).
void checkSemantics(const QJsonObject &spec, QList<Finding> &out)
{
    const QJsonObject setting = spec.value("job_setting"_L1).toObject();
    const bool custom = setting.value("type"_L1) == u"custom"_s;

    if (custom && spec.contains("vm"_L1) && spec.contains("vm_config_id"_L1))
        out.append({{u"vm_config_id"_s, u"cannot be given together with `vm`; give one of them"_s},
                    Anchor::Key});

    for (const QString &path : {u"experiment"_s, u"name"_s, u"vm"_s, u"data.name"_s}) {
        const QJsonValue v = valueAt(spec, path);
        if (v.isString() && hasControlCharacters(v.toString()))
            out.append({{path, u"must not contain control characters such as line breaks"_s},
                        Anchor::Value});
    }

    const QJsonObject env = setting.value("docker"_L1).toObject().value("env_var"_L1).toObject();
    for (auto it = env.constBegin(); it != env.constEnd(); ++it) {
        if (isPlatformVariable(it.key()))
            out.append({{u"job_setting.docker.env_var."_s + it.key(),
                         u"is set by PeriFlow in every job and cannot be overridden"_s},
                        Anchor::Key});
    }

    checkMounts(spec, custom, out);
}

// Large ids pass the schema's "integer" (32 bits in valijson's Qt adapter) as
// a stand-in; the value itself is range-checked by "minimum" on the stand-in
// only, which is fine as every id above 2^31 is above the minimum.
QJsonObject withSmallIds(QJsonObject spec)
{
    const auto shrink = [](QJsonObject &object, QLatin1StringView key) {
        const QJsonValue v = object.value(key);
        const qint64 n = v.toInteger(0);
        if (v.isDouble() && n == v.toInteger(1) && n > std::numeric_limits<int>::max()) {
            object.insert(key, 1);
            return true;
        }
        return false;
    };
    shrink(spec, "experiment_id"_L1);
    shrink(spec, "vm_config_id"_L1);
    if (spec.value("data"_L1).isObject()) {
        QJsonObject data = spec.value("data"_L1).toObject();
        if (shrink(data, "id"_L1))
            spec.insert("data"_L1, data);
    }
    return spec;
}

QList<Finding> findings(const QJsonObject &spec)
{
    QList<Finding> out;
    const QList<FieldError> errors = validator().validate(withSmallIds(spec));
    for (const FieldError &e : errors) {
        // A generic "is invalid" above a specific problem says nothing more.
        if (e.message == u"is invalid") {
            const QString prefix = e.path.isEmpty() ? QString() : e.path + u'.';
            const bool covered = std::any_of(errors.cbegin(), errors.cend(), [&](const auto &o) {
                return o.path != e.path && o.path.startsWith(prefix);
            });
            if (covered)
                continue;
        }
        out.append(humanise(e, spec));
    }

    QList<Finding> semantic;
    checkSemantics(spec, semantic);
    for (const Finding &f : std::as_const(semantic)) {
        const bool known = std::any_of(out.cbegin(), out.cend(), [&](const Finding &o) {
            return o.error.path == f.error.path;
        });
        if (!known)
            out.append(f);
    }
    return out;
}

QList<Finding> advice(const QJsonObject &spec)
{
    QList<Finding> out;
    const QJsonObject dist = spec.value("dist"_L1).toObject();
    const int dp = dist.value("dp_degree"_L1).toInt(0);
    const int pp = dist.value("pp_degree"_L1).toInt(0);
    const int mp = dist.value("mp_degree"_L1).toInt(0);
    const int devices = spec.value("num_devices"_L1).toInt(0);
    if (dp > 0 && pp > 0 && mp > 0 && devices > 0) {
        const qint64 product = qint64(dp) * pp * mp;
        if (product != devices)
            out.append({{u"dist"_s, u"asks for dp × pp × mp = %1 × %2 × %3 = %4 devices, but "
                                    "`num_devices` is %5"_s.arg(dp)
                                        .arg(pp)
                                        .arg(mp)
                                        .arg(product)
                                        .arg(devices)},
                        Anchor::Key});
    }
    return out;
}

QList<FieldError> errorsOf(const QList<Finding> &found)
{
    QList<FieldError> errors;
    errors.reserve(found.size());
    for (const Finding &f : found)
        errors.append(f.error);
    return errors;
}

QString cleanMountPath(const QString &path)
{
    return path.isEmpty() ? path : QDir::cleanPath(path);
}

QString sentence(const QString &path, const QString &message)
{
    if (path.isEmpty())
        return message.at(0).isLower() ? u"The file "_s + message : message;
    return u'`' + path + u"` "_s + message;
}

SpecIssue issueAt(const QString &path, const QString &message, YamlDocument::Position at,
                  SpecIssue::Severity severity)
{
    return SpecIssue{path, sentence(path, message), std::max(1, at.line), std::max(1, at.column),
                     severity};
}

QList<SpecIssue> readingIssues(const YamlDocument &doc)
{
    QList<SpecIssue> issues;
    for (const YamlDocument::Problem &p : doc.problems())
        issues.append(issueAt(p.path, p.message, p.position,
                              p.warning ? SpecIssue::Warning : SpecIssue::Error));
    return issues;
}

const QString kNotAMapping =
    u"A job file must be a mapping of keys and values, such as `vm: local-cpu-2c`, not a "
    "single value or a list."_s;

} // namespace

const QJsonObject &JobSpec::schema()
{
    return validator().schema();
}

QList<FieldError> JobSpec::validate(const QJsonObject &spec)
{
    return errorsOf(findings(spec));
}

QList<FieldError> JobSpec::warnings(const QJsonObject &spec)
{
    return errorsOf(advice(spec));
}

std::optional<JobSpec> JobSpec::fromJson(const QJsonObject &spec, QList<FieldError> *errors)
{
    const QList<FieldError> problems = validate(spec);
    if (errors)
        *errors = problems;
    if (!problems.isEmpty())
        return std::nullopt;

    JobSpec s;
    s.experimentName = readString(spec, "experiment"_L1);
    s.experimentId = readInt64(spec, "experiment_id"_L1);
    s.name = readString(spec, "name"_L1);
    s.vmCode = readString(spec, "vm"_L1);
    s.vmConfigId = readInt64(spec, "vm_config_id"_L1);
    s.numDevices = readInt(spec, "num_devices"_L1);

    const QJsonObject setting = readObject(spec, "job_setting"_L1);
    s.type = readString(setting, "type"_L1);
    if (s.isPredefined()) {
        s.templateId = readString(setting, "template_id"_L1);
        s.modelConfig = readObject(setting, "model_config"_L1);
    } else {
        const QJsonObject docker = readObject(setting, "docker"_L1);
        s.image = readString(docker, "image"_L1);
        const QJsonValue command = docker.value("command"_L1);
        if (command.isString()) {
            s.run = command.toString();
        } else {
            s.setup = readString(command.toObject(), "setup"_L1);
            s.run = readString(command.toObject(), "run"_L1);
        }
        s.dockerCredentialId = readString(docker, "credential_id"_L1);
        const QJsonObject env = readObject(docker, "env_var"_L1);
        for (auto it = env.constBegin(); it != env.constEnd(); ++it)
            s.env.append({it.key(), it.value().toString()});
        const QJsonObject workspace = readObject(setting, "workspace"_L1);
        if (workspace.contains("mount_path"_L1))
            s.workspaceMountPath = cleanMountPath(readString(workspace, "mount_path"_L1));
        if (setting.contains("launch_mode"_L1))
            s.launchMode = readString(setting, "launch_mode"_L1);
    }

    const QJsonObject checkpoint = readObject(spec, "checkpoint"_L1);
    const QJsonObject input = readObject(checkpoint, "input"_L1);
    s.inputCheckpointId = readString(input, "id"_L1);
    s.inputCheckpointMountPath = cleanMountPath(readString(input, "mount_path"_L1));
    s.outputCheckpointDir = cleanMountPath(readString(checkpoint, "output_checkpoint_dir"_L1));

    const QJsonObject data = readObject(spec, "data"_L1);
    s.dataName = readString(data, "name"_L1);
    s.dataId = readInt64(data, "id"_L1);
    s.dataMountPath = cleanMountPath(readString(data, "mount_path"_L1));

    const QJsonObject dist = readObject(spec, "dist"_L1);
    s.distDp = readInt(dist, "dp_degree"_L1);
    s.distPp = readInt(dist, "pp_degree"_L1);
    s.distMp = readInt(dist, "mp_degree"_L1);

    s.plugins = readObject(spec, "plugin"_L1);
    return s;
}

QJsonObject JobSpec::toJson() const
{
    QJsonObject o;
    if (!experimentName.isEmpty())
        o.insert("experiment"_L1, experimentName);
    if (experimentId != 0)
        o.insert("experiment_id"_L1, experimentId);
    if (!name.isEmpty())
        o.insert("name"_L1, name);

    if (isPredefined()) {
        o.insert("job_setting"_L1, QJsonObject{{u"type"_s, type},
                                               {u"template_id"_s, templateId},
                                               {u"model_config"_s, modelConfig}});
    } else {
        if (vmConfigId != 0)
            o.insert("vm_config_id"_L1, vmConfigId);
        else if (!vmCode.isEmpty())
            o.insert("vm"_L1, vmCode);
        o.insert("num_devices"_L1, numDevices);
        QJsonObject docker{{u"image"_s, image},
                           {u"command"_s, QJsonObject{{u"setup"_s, setup}, {u"run"_s, run}}}};
        if (!dockerCredentialId.isEmpty())
            docker.insert("credential_id"_L1, dockerCredentialId);
        if (!env.isEmpty()) {
            QJsonObject vars;
            for (const auto &[key, value] : env)
                vars.insert(key, value);
            docker.insert("env_var"_L1, vars);
        }
        o.insert("job_setting"_L1,
                 QJsonObject{{u"type"_s, type},
                             {u"docker"_s, docker},
                             {u"workspace"_s, QJsonObject{{u"mount_path"_s, workspaceMountPath}}},
                             {u"launch_mode"_s, launchMode}});
    }

    QJsonObject checkpoint;
    if (!inputCheckpointId.isEmpty() || !inputCheckpointMountPath.isEmpty())
        checkpoint.insert("input"_L1, QJsonObject{{u"id"_s, inputCheckpointId},
                                                  {u"mount_path"_s, inputCheckpointMountPath}});
    if (!outputCheckpointDir.isEmpty())
        checkpoint.insert("output_checkpoint_dir"_L1, outputCheckpointDir);
    if (!checkpoint.isEmpty())
        o.insert("checkpoint"_L1, checkpoint);

    if (dataId != 0 || !dataName.isEmpty() || !dataMountPath.isEmpty()) {
        QJsonObject data{{u"mount_path"_s, dataMountPath}};
        if (dataId != 0)
            data.insert("id"_L1, dataId);
        if (!dataName.isEmpty())
            data.insert("name"_L1, dataName);
        o.insert("data"_L1, data);
    }
    if (distDp != 0 || distPp != 0 || distMp != 0)
        o.insert("dist"_L1, QJsonObject{{u"dp_degree"_s, distDp},
                                        {u"pp_degree"_s, distPp},
                                        {u"mp_degree"_s, distMp}});
    if (!plugins.isEmpty())
        o.insert("plugin"_L1, plugins);
    return o;
}

QJsonObject JobSpec::fromYaml(const QByteArray &yaml, QList<SpecIssue> *issues)
{
    const YamlDocument doc = YamlDocument::parse(yaml);
    if (issues)
        *issues = readingIssues(doc);
    if (!doc.isParsed())
        return {};
    if (doc.json().isObject())
        return doc.json().toObject();
    if (!doc.json().isNull() && issues)
        issues->append(issueAt({}, kNotAMapping, doc.keyPosition({}), SpecIssue::Error));
    return {};
}

QList<SpecIssue> JobSpec::validateYaml(const QByteArray &yaml)
{
    return validateDocument(YamlDocument::parse(yaml));
}

QList<SpecIssue> JobSpec::validateDocument(const YamlDocument &doc)
{
    QList<SpecIssue> issues = readingIssues(doc);
    if (!doc.isParsed())
        return issues;
    if (!doc.json().isObject() && !doc.json().isNull()) {
        issues.append(issueAt({}, kNotAMapping, doc.keyPosition({}), SpecIssue::Error));
        return issues;
    }

    const QJsonObject spec = doc.json().toObject();
    const auto place = [&](const QList<Finding> &found, SpecIssue::Severity severity) {
        for (const Finding &f : found) {
            const YamlDocument::Position at = f.anchor == Anchor::Key
                                                  ? doc.keyPosition(f.error.path)
                                                  : doc.valuePosition(f.error.path);
            issues.append(issueAt(f.error.path, f.error.message, at, severity));
        }
    };
    place(findings(spec), SpecIssue::Error);
    place(advice(spec), SpecIssue::Warning);

    std::stable_sort(issues.begin(), issues.end(), [](const SpecIssue &a, const SpecIssue &b) {
        return std::pair(a.line, a.column) < std::pair(b.line, b.column);
    });
    return issues;
}

} // namespace pf::api
