// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "config.h"

#include <cmath>
#include <fstream>
#include <thread>

#include <yaml-cpp/yaml.h>

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>

namespace pf::server {

namespace {

struct ConfigError
{
    QString message;
};

QString where(const YAML::Node &node)
{
    const YAML::Mark m = node.Mark();
    return m.line >= 0 ? QStringLiteral(" (line %1)").arg(m.line + 1) : QString();
}

void checkKeys(const YAML::Node &map, const QString &section, const QSet<QString> &allowed)
{
    if (!map.IsMap() && section.isEmpty())
        throw ConfigError{
            QStringLiteral("the file must be a mapping of settings%1").arg(where(map))};
    if (!map.IsMap())
        throw ConfigError{QStringLiteral("`%1` must be a mapping%2").arg(section, where(map))};
    for (const auto &kv : map) {
        const QString key = QString::fromStdString(kv.first.as<std::string>());
        if (!allowed.contains(key))
            throw ConfigError{
                QStringLiteral("unknown key `%1%2`%3")
                    .arg(section.isEmpty() ? QString() : section + u'.', key, where(kv.first))};
    }
}

template <typename T>
T read(const YAML::Node &node, const QString &name, T fallback)
{
    if (!node)
        return fallback;
    try {
        return node.as<T>();
    } catch (const YAML::Exception &) {
        throw ConfigError{QStringLiteral("`%1` has the wrong type%2").arg(name, where(node))};
    }
}

QString readString(const YAML::Node &node, const QString &name, const QString &fallback)
{
    if (!node)
        return fallback;
    if (!node.IsScalar())
        throw ConfigError{QStringLiteral("`%1` must be a string%2").arg(name, where(node))};
    return QString::fromStdString(node.as<std::string>());
}

int readPositive(const YAML::Node &node, const QString &name, int fallback, int min = 1)
{
    const int v = read<int>(node, name, fallback);
    if (v < min)
        throw ConfigError{
            QStringLiteral("`%1` must be at least %2%3").arg(name).arg(min).arg(where(node))};
    return v;
}

// A size or amount: finite and not negative (NaN and infinity are rejected too).
double readNonNegative(const YAML::Node &node, const QString &name, double fallback)
{
    const double v = read<double>(node, name, fallback);
    if (!std::isfinite(v) || v < 0)
        throw ConfigError{
            QStringLiteral("`%1` must be a number of at least 0%2").arg(name, where(node))};
    return v;
}

QJsonValue toJson(const YAML::Node &node)
{
    switch (node.Type()) {
    case YAML::NodeType::Map: {
        QJsonObject o;
        for (const auto &kv : node)
            o.insert(QString::fromStdString(kv.first.as<std::string>()), toJson(kv.second));
        return o;
    }
    case YAML::NodeType::Sequence: {
        QJsonArray a;
        for (const auto &v : node)
            a.append(toJson(v));
        return a;
    }
    case YAML::NodeType::Scalar:
        return QString::fromStdString(node.as<std::string>());
    default:
        return QJsonValue::Null;
    }
}

} // namespace

VmTypeConfig ServerConfig::localVmType()
{
    const int cores = std::max(1u, std::thread::hardware_concurrency());
    double memGib = 1;
    QFile meminfo(QStringLiteral("/proc/meminfo"));
    if (meminfo.open(QIODevice::ReadOnly)) {
        const QByteArray first = meminfo.readLine(); // MemTotal:  24576000 kB
        const QList<QByteArray> parts = first.simplified().split(' ');
        if (parts.size() >= 2)
            memGib = std::max(1.0, parts[1].toDouble() / (1024.0 * 1024.0));
    }
    VmTypeConfig vm;
    vm.code = QStringLiteral("local-cpu-%1c").arg(cores);
    vm.devicesPerVm = cores;
    vm.vcpu = cores;
    vm.memoryGib = std::floor(memGib);
    return vm;
}

ServerConfig ServerConfig::defaults()
{
    ServerConfig c;
    c.vmTypes.append(localVmType());
    return c;
}

std::optional<ServerConfig> ServerConfig::load(const QString &path, QString *error)
{
    ServerConfig c;
    try {
        YAML::Node root;
        try {
            root = YAML::LoadFile(path.toStdString());
        } catch (const YAML::BadFile &) {
            throw ConfigError{QStringLiteral("cannot read the file")};
        } catch (const YAML::Exception &e) {
            throw ConfigError{
                QStringLiteral("not valid YAML: %1").arg(QString::fromStdString(e.what()))};
        } catch (const std::exception &e) {
            // A directory, an I/O error: the stream throws, not yaml-cpp.
            throw ConfigError{
                QStringLiteral("cannot read the file: %1").arg(QString::fromLocal8Bit(e.what()))};
        }
        if (root.IsNull())
            return defaults();
        checkKeys(root, {},
                  {QStringLiteral("database"), QStringLiteral("http"), QStringLiteral("auth"),
                   QStringLiteral("vm_types"), QStringLiteral("job_templates"),
                   QStringLiteral("jobs"), QStringLiteral("access_log"), QStringLiteral("storage"),
                   QStringLiteral("public_url"), QStringLiteral("testing")});
        c.database = readString(root["database"], QStringLiteral("database"), {});
        if (c.database == u"sqlite")
            c.database.clear();
        c.accessLog = read<bool>(root["access_log"], QStringLiteral("access_log"), true);

        if (const YAML::Node http = root["http"]) {
            checkKeys(http, QStringLiteral("http"),
                      {QStringLiteral("max_body_bytes"), QStringLiteral("request_timeout_s"),
                       QStringLiteral("read_timeout_s"), QStringLiteral("io_threads"),
                       QStringLiteral("worker_threads")});
            c.maxBodyBytes = std::size_t(readPositive(http["max_body_bytes"],
                                                      QStringLiteral("http.max_body_bytes"),
                                                      int(c.maxBodyBytes), 1024));
            c.requestTimeoutSecs =
                readPositive(http["request_timeout_s"], QStringLiteral("http.request_timeout_s"),
                             c.requestTimeoutSecs);
            c.readTimeoutSecs = readPositive(
                http["read_timeout_s"], QStringLiteral("http.read_timeout_s"), c.readTimeoutSecs);
            c.ioThreads =
                readPositive(http["io_threads"], QStringLiteral("http.io_threads"), c.ioThreads);
            c.workerThreads = readPositive(http["worker_threads"],
                                           QStringLiteral("http.worker_threads"), c.workerThreads);
        }
        if (const YAML::Node auth = root["auth"]) {
            checkKeys(auth, QStringLiteral("auth"),
                      {QStringLiteral("access_token_ttl_s"), QStringLiteral("refresh_token_ttl_s"),
                       QStringLiteral("password_hashing"),
                       QStringLiteral("login_failures_per_user"),
                       QStringLiteral("login_failures_per_address"),
                       QStringLiteral("login_window_s"), QStringLiteral("signup_code_ttl_s")});
            c.accessTokenTtlSecs =
                readPositive(auth["access_token_ttl_s"], QStringLiteral("auth.access_token_ttl_s"),
                             c.accessTokenTtlSecs);
            c.refreshTokenTtlSecs =
                readPositive(auth["refresh_token_ttl_s"],
                             QStringLiteral("auth.refresh_token_ttl_s"), c.refreshTokenTtlSecs);
            c.passwordHashing =
                readString(auth["password_hashing"], QStringLiteral("auth.password_hashing"),
                           c.passwordHashing);
            if (c.passwordHashing != u"minimal" && c.passwordHashing != u"interactive" &&
                c.passwordHashing != u"moderate")
                throw ConfigError{QStringLiteral("`auth.password_hashing` must be minimal, "
                                                 "interactive or moderate")};
            c.loginFailuresPerUser = readPositive(auth["login_failures_per_user"],
                                                  QStringLiteral("auth.login_failures_per_user"),
                                                  c.loginFailuresPerUser);
            c.loginFailuresPerAddress = readPositive(
                auth["login_failures_per_address"],
                QStringLiteral("auth.login_failures_per_address"), c.loginFailuresPerAddress);
            c.loginWindowSecs = readPositive(
                auth["login_window_s"], QStringLiteral("auth.login_window_s"), c.loginWindowSecs);
            c.signupCodeTtlSecs =
                readPositive(auth["signup_code_ttl_s"], QStringLiteral("auth.signup_code_ttl_s"),
                             c.signupCodeTtlSecs);
        }
        if (const YAML::Node jobs = root["jobs"]) {
            checkKeys(jobs, QStringLiteral("jobs"),
                      {QStringLiteral("sandbox"), QStringLiteral("grace_s"),
                       QStringLiteral("heartbeat_timeout_s"), QStringLiteral("agent_binary"),
                       QStringLiteral("sdk_path")});
            c.jobSandbox =
                readString(jobs["sandbox"], QStringLiteral("jobs.sandbox"), c.jobSandbox);
            if (c.jobSandbox != u"bwrap" && c.jobSandbox != u"none")
                throw ConfigError{QStringLiteral("`jobs.sandbox` must be bwrap or none%1")
                                      .arg(where(jobs["sandbox"]))};
            c.jobGraceSecs =
                readPositive(jobs["grace_s"], QStringLiteral("jobs.grace_s"), c.jobGraceSecs, 0);
            c.agentHeartbeatTimeoutSecs = readPositive(jobs["heartbeat_timeout_s"],
                                                       QStringLiteral("jobs.heartbeat_timeout_s"),
                                                       c.agentHeartbeatTimeoutSecs);
            c.agentBinary =
                readString(jobs["agent_binary"], QStringLiteral("jobs.agent_binary"), {});
            c.sdkPath = readString(jobs["sdk_path"], QStringLiteral("jobs.sdk_path"), {});
        }
        c.publicUrl = readString(root["public_url"], QStringLiteral("public_url"), {});
        while (c.publicUrl.endsWith(u'/'))
            c.publicUrl.chop(1);
        if (!c.publicUrl.isEmpty() && !c.publicUrl.startsWith(QLatin1String("http://")) &&
            !c.publicUrl.startsWith(QLatin1String("https://")))
            throw ConfigError{QStringLiteral("`public_url` must start with http:// or https://%1")
                                  .arg(where(root["public_url"]))};
        if (const YAML::Node storage = root["storage"]) {
            checkKeys(storage, QStringLiteral("storage"),
                      {QStringLiteral("url_ttl_s"), QStringLiteral("project_quota_gib"),
                       QStringLiteral("upload_max_age_s"), QStringLiteral("sweep_interval_s")});
            c.storageUrlTtlSecs = readPositive(
                storage["url_ttl_s"], QStringLiteral("storage.url_ttl_s"), c.storageUrlTtlSecs);
            const double quotaGib = read<double>(storage["project_quota_gib"],
                                                 QStringLiteral("storage.project_quota_gib"), 0);
            if (quotaGib < 0)
                throw ConfigError{QStringLiteral("`storage.project_quota_gib` must be 0 (no "
                                                 "limit) or more%1")
                                      .arg(where(storage["project_quota_gib"]))};
            c.storageProjectQuotaBytes = qint64(quotaGib * 1024 * 1024 * 1024);
            c.storageUploadMaxAgeSecs =
                readPositive(storage["upload_max_age_s"],
                             QStringLiteral("storage.upload_max_age_s"), c.storageUploadMaxAgeSecs);
            c.storageSweepIntervalSecs = readPositive(storage["sweep_interval_s"],
                                                      QStringLiteral("storage.sweep_interval_s"),
                                                      c.storageSweepIntervalSecs);
        }
        if (const YAML::Node testing = root["testing"]) {
            checkKeys(testing, QStringLiteral("testing"), {QStringLiteral("fail_part_puts_every")});
            c.failPartPutsEvery =
                readPositive(testing["fail_part_puts_every"],
                             QStringLiteral("testing.fail_part_puts_every"), 0, 0);
        }
        if (const YAML::Node vms = root["vm_types"]) {
            if (!vms.IsSequence())
                throw ConfigError{QStringLiteral("`vm_types` must be a list%1").arg(where(vms))};
            static const QRegularExpression codeRe(QStringLiteral("^[a-z0-9][a-z0-9.-]{0,62}$"));
            QSet<QString> codes;
            for (const YAML::Node &n : vms) {
                checkKeys(n, QStringLiteral("vm_types[]"),
                          {QStringLiteral("code"), QStringLiteral("vendor"),
                           QStringLiteral("device_type"), QStringLiteral("devices_per_vm"),
                           QStringLiteral("per_device_memory_gib"), QStringLiteral("vcpu"),
                           QStringLiteral("memory_gib"), QStringLiteral("spot"),
                           QStringLiteral("executor"), QStringLiteral("max_vms"),
                           QStringLiteral("default_quota")});
                VmTypeConfig vm;
                vm.code = readString(n["code"], QStringLiteral("vm_types[].code"), {});
                if (!codeRe.match(vm.code).hasMatch())
                    throw ConfigError{
                        QStringLiteral("`vm_types[].code` must be lower-case letters, "
                                       "digits, '-' or '.'%1")
                            .arg(where(n))};
                if (codes.contains(vm.code))
                    throw ConfigError{
                        QStringLiteral("VM code `%1` is defined twice%2").arg(vm.code, where(n))};
                codes.insert(vm.code);
                vm.vendor = readString(n["vendor"], QStringLiteral("vm_types[].vendor"), vm.vendor);
                vm.deviceType = readString(n["device_type"],
                                           QStringLiteral("vm_types[].device_type"), vm.deviceType);
                vm.devicesPerVm =
                    readPositive(n["devices_per_vm"], QStringLiteral("vm_types[].devices_per_vm"),
                                 vm.devicesPerVm);
                vm.perDeviceMemoryGib =
                    readNonNegative(n["per_device_memory_gib"],
                                    QStringLiteral("vm_types[].per_device_memory_gib"), 0);
                vm.vcpu = readPositive(n["vcpu"], QStringLiteral("vm_types[].vcpu"), vm.vcpu);
                vm.memoryGib = readNonNegative(
                    n["memory_gib"], QStringLiteral("vm_types[].memory_gib"), vm.memoryGib);
                vm.spot = read<bool>(n["spot"], QStringLiteral("vm_types[].spot"), false);
                vm.executor =
                    readString(n["executor"], QStringLiteral("vm_types[].executor"), vm.executor);
                if (vm.executor != u"local" && vm.executor != u"slurm")
                    throw ConfigError{
                        QStringLiteral("`vm_types[].executor` must be local or slurm%1")
                            .arg(where(n))};
                vm.maxVms =
                    readPositive(n["max_vms"], QStringLiteral("vm_types[].max_vms"), vm.maxVms);
                vm.defaultQuota =
                    readPositive(n["default_quota"], QStringLiteral("vm_types[].default_quota"),
                                 vm.defaultQuota, 0);
                c.vmTypes.append(vm);
            }
        }
        if (c.vmTypes.isEmpty())
            c.vmTypes.append(localVmType());
        if (const YAML::Node templates = root["job_templates"]) {
            if (!templates.IsSequence())
                throw ConfigError{
                    QStringLiteral("`job_templates` must be a list%1").arg(where(templates))};
            c.jobTemplates = toJson(templates).toArray();
        }
    } catch (const ConfigError &e) {
        *error = QStringLiteral("%1: %2").arg(path, e.message);
        return std::nullopt;
    } catch (const YAML::Exception &e) {
        *error = QStringLiteral("%1: %2").arg(path, QString::fromStdString(e.what()));
        return std::nullopt;
    }
    return c;
}

} // namespace pf::server
