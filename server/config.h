// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <optional>

#include <QJsonArray>
#include <QList>
#include <QString>

namespace pf::server {

// One VM type the server offers (pfd.yaml `vm_types`).
struct VmTypeConfig
{
    QString code; // local-cpu-2c, slurm-a100-8g
    QString vendor = QStringLiteral("local");
    QString deviceType = QStringLiteral("cpu");
    int devicesPerVm = 1;
    double perDeviceMemoryGib = 0;
    int vcpu = 1;
    double memoryGib = 1;
    bool spot = false;
    QString executor = QStringLiteral("local"); // local | slurm
    int maxVms = 1;                             // how many can run at once (global quota)
    int defaultQuota = 1;                       // per project, unless the org sets one
};

// pfd's configuration: the file given with --config, or the defaults. Every
// key is optional; unknown keys are errors so that typos do not pass silently.
struct ServerConfig
{
    QString database; // empty: SQLite in the data dir
    std::size_t maxBodyBytes = 1024 * 1024;
    int requestTimeoutSecs = 30;
    int readTimeoutSecs = 30; // for each piece of a request (headers, a body's next bytes)
    int ioThreads = 1;
    int workerThreads = 4;

    int accessTokenTtlSecs = 15 * 60;
    int refreshTokenTtlSecs = 30 * 24 * 3600;
    QString passwordHashing = QStringLiteral("interactive"); // minimal | interactive | moderate
    int loginFailuresPerUser = 5;
    int loginFailuresPerAddress = 20;
    int loginWindowSecs = 300;
    int signupCodeTtlSecs = 24 * 3600;
    bool accessLog = true;

    // Jobs (pfd.yaml `jobs`).
    QString jobSandbox =
        QStringLiteral("bwrap"); // bwrap | none (no sandbox: only if you trust every user)
    int jobGraceSecs = 30;       // emergency save to SIGTERM on terminate
    int agentHeartbeatTimeoutSecs = 30;
    QString agentBinary; // empty: pf-agent beside pfd
    QString sdkPath;     // empty: the SDK this build came with

    // Object storage (pfd.yaml `storage`).
    int storageUrlTtlSecs = 3600;            // lifetime of signed /storage/ URLs
    qint64 storageProjectQuotaBytes = 0;     // per project; 0 = no limit
    int storageUploadMaxAgeSecs = 24 * 3600; // unfinished multipart uploads are removed after
    int storageSweepIntervalSecs = 600;      // how often the background sweep runs
    // Tests only (`testing.fail_part_puts_every`): every Nth part PUT is
    // answered 503 after its body was read; 0 = never.
    int failPartPutsEvery = 0;
    QString publicUrl; // base of the URLs pfd hands out; empty: from the request's Host

    QList<VmTypeConfig> vmTypes;
    QJsonArray jobTemplates;

    // Reads a YAML file; on failure returns nullopt and a message naming the
    // key and line.
    static std::optional<ServerConfig> load(const QString &path, QString *error);
    // The defaults, with one VM type fitted to this machine.
    static ServerConfig defaults();
    static VmTypeConfig localVmType();
};

} // namespace pf::server
