// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "nodespec.h"

#include <QJsonArray>

#include "api/json.h"

namespace pf::agent {

using api::readArray;
using api::readBool;
using api::readInt;
using api::readInt64;
using api::readObject;
using api::readString;

bool isCleanAbsolutePath(const QString &path)
{
    if (!path.startsWith(u'/') || path.size() < 2 || path.endsWith(u'/'))
        return false;
    const QStringList parts = path.mid(1).split(u'/');
    for (const QString &part : parts) {
        if (part.isEmpty() || part == QLatin1String(".") || part == QLatin1String(".."))
            return false;
    }
    return !path.contains(QChar(0));
}

std::optional<NodeSpec> NodeSpec::fromJson(const QJsonObject &json, QString *error)
{
    auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return std::nullopt;
    };
    NodeSpec s;
    const QJsonObject job = readObject(json, QLatin1StringView("job"));
    s.jobId = readString(job, QLatin1StringView("id"));
    s.jobNumber = readInt64(job, QLatin1StringView("number"));
    s.jobName = readString(job, QLatin1StringView("name"));
    s.config = readObject(job, QLatin1StringView("config"));

    const QJsonObject node = readObject(json, QLatin1StringView("node"));
    s.rank = readInt(node, QLatin1StringView("rank"));
    if (node.contains(QLatin1StringView("num_nodes")))
        s.numNodes = readInt(node, QLatin1StringView("num_nodes"));
    if (node.contains(QLatin1StringView("nproc_per_node")))
        s.nprocPerNode = readInt(node, QLatin1StringView("nproc_per_node"));
    if (node.contains(QLatin1StringView("world_size")))
        s.worldSize = readInt(node, QLatin1StringView("world_size"));
    if (const QString addr = readString(node, QLatin1StringView("master_addr")); !addr.isEmpty())
        s.masterAddr = addr;
    s.masterPort = readInt(node, QLatin1StringView("master_port"));

    for (const QJsonValue &v : readArray(json, QLatin1StringView("mounts"))) {
        const QJsonObject m = v.toObject();
        Mount mount{readString(m, QLatin1StringView("host")),
                    readString(m, QLatin1StringView("target")),
                    readBool(m, QLatin1StringView("writable"))};
        if (!isCleanAbsolutePath(mount.host) || !isCleanAbsolutePath(mount.target))
            return fail(QStringLiteral("mount %1 -> %2: both paths must be absolute, without "
                                       "'.' or '..', and not '/'")
                            .arg(mount.host, mount.target));
        s.mounts.append(mount);
    }
    s.workspaceDir = readString(json, QLatin1StringView("workspace_dir"));
    if (!s.workspaceDir.isEmpty() && s.workspaceDir != QLatin1String("/") &&
        !isCleanAbsolutePath(s.workspaceDir))
        return fail(
            QStringLiteral("workspace_dir '%1' is not a clean absolute path").arg(s.workspaceDir));
    const QJsonObject env = readObject(json, QLatin1StringView("env"));
    for (auto it = env.begin(); it != env.end(); ++it) {
        const QJsonValue v = it.value();
        if (it.key().isEmpty() || it.key().contains(u'=') || it.key().contains(QChar(0)))
            return fail(QStringLiteral("env: '%1' is not a variable name").arg(it.key()));
        if (v.isString())
            s.env.insert(it.key(), v.toString());
        else if (v.isDouble())
            s.env.insert(it.key(), QString::number(v.toDouble(), 'g', 17));
        else if (v.isBool())
            s.env.insert(it.key(), v.toBool() ? QStringLiteral("true") : QStringLiteral("false"));
        else
            return fail(QStringLiteral("env: the value of %1 is not a string").arg(it.key()));
    }
    s.setup = readString(json, QLatin1StringView("setup"));
    s.run = readString(json, QLatin1StringView("run"));
    if (s.run.trimmed().isEmpty())
        return fail(QStringLiteral("the spec has no command to run"));
    s.processedIters = readInt64(json, QLatin1StringView("processed_iters"));
    s.ckptDir = readString(json, QLatin1StringView("ckpt_dir"));
    if (!s.ckptDir.isEmpty() && !isCleanAbsolutePath(s.ckptDir))
        return fail(QStringLiteral("ckpt_dir '%1' is not a clean absolute path").arg(s.ckptDir));
    s.sdkPath = readString(json, QLatin1StringView("sdk_path"));
    if (const QString sandbox = readString(json, QLatin1StringView("sandbox")); !sandbox.isEmpty())
        s.sandbox = sandbox;
    if (s.sandbox != QLatin1String("bwrap") && s.sandbox != QLatin1String("none"))
        return fail(QStringLiteral("unknown sandbox '%1' (bwrap or none)").arg(s.sandbox));
    if (json.contains(QLatin1StringView("grace_s")))
        s.graceS = qMax(0, readInt(json, QLatin1StringView("grace_s")));
    s.image = readString(json, QLatin1StringView("image"));
    if (s.image.isEmpty())
        s.image = readString(readObject(readObject(s.config, QLatin1StringView("job_setting")),
                                        QLatin1StringView("docker")),
                             QLatin1StringView("image"));
    return s;
}

QString NodeSpec::hostPath(const QString &jobPath) const
{
    const Mount *best = nullptr;
    for (const Mount &m : mounts) {
        const bool covers = jobPath == m.target || jobPath.startsWith(m.target + u'/');
        if (covers && (!best || m.target.size() > best->target.size()))
            best = &m;
    }
    if (!best)
        return jobPath;
    return best->host + jobPath.mid(best->target.size());
}

} // namespace pf::agent
