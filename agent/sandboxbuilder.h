// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QMap>
#include <QString>
#include <QStringList>

#include "agent/nodespec.h"

namespace pf::agent {

// How to start a node's job: the program, its arguments, extra options for
// bwrap's --args descriptor, the environment of the started process and
// its working directory.
struct LaunchPlan
{
    QString program;
    QStringList arguments;
    // bwrap options passed NUL-separated on descriptor kArgsFd (so that
    // environment values never show in the process list); empty without a
    // sandbox.
    QStringList sandboxOptions;
    // "KEY=value" for the started process: the job's environment without a
    // sandbox, nothing with bwrap (--clearenv and --setenv carry it).
    QStringList environment;
    // chdir before exec; empty with bwrap (--chdir does it).
    QString workingDirectory;
};

// The root of the host as far as the sandbox copies it: which of /bin,
// /sbin, /lib, /lib32, /lib64, /libx32 are symlinks (merged /usr, as on
// Debian 12) and which are directories, and which /etc entries to share.
struct HostLayout
{
    QMap<QString, QString> rootSymlinks; // "/bin" -> "usr/bin"
    QStringList rootDirs;                // "/lib64" when it is a real directory
    QStringList etcEntries;              // "/etc/passwd", ... (bound read-only when present)

    // This machine's layout.
    static HostLayout probe();
};

// Builds the command line of a node's job from its spec (docs/jobs.md).
//
//   SandboxBuilder builder(spec, HostLayout::probe());
//   builder.setHostTmpDir(workDir + "/tmp-node0");
//   const LaunchPlan plan = builder.build(bwrapPath);
//
// Inside the sandbox (spec.sandbox == "bwrap"): a private pid namespace, a
// new session, /proc, a minimal /dev with a private /dev/shm, /usr and the
// root symlinks read-only, the chosen /etc entries read-only, the host tmp
// dir as /tmp (the SDK pipes live there), the SDK read-only at kSdkTarget,
// each spec mount (ro unless writable; parents before children), the
// workspace as working directory, and exactly the job's environment.
//
// The job runs as `/bin/sh -c <wrapper> pf-job <setup> <run> <1|0>`, one
// process group: the wrapper reports its phases on descriptor kMarkerFd
// ("start", "setup", "setup-failed N", "run"; each waits for a newline
// back on the same socket), runs setup in a subshell,
// then evaluates run itself (see wrapperScript() for why).
class SandboxBuilder
{
public:
    static constexpr int kMarkerFd = 3;
    static constexpr int kArgsFd = 4;
    static inline const QString kSdkTarget = QStringLiteral("/opt/periflow/sdk");
    static inline const QString kDefaultPath =
        QStringLiteral("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");

    SandboxBuilder(NodeSpec spec, HostLayout layout);

    // The host folder mounted as the job's /tmp (with bwrap), or the folder
    // that holds the SDK pipes (without).
    void setHostTmpDir(const QString &dir) { m_hostTmp = dir; }

    // The job's environment: spec.env, then defaults for what it leaves out
    // (PATH, HOME, LANG, PYTHONUNBUFFERED), PYTHONPATH with the SDK first,
    // then the variables of API.md ("Inside a running job"), which win.
    QMap<QString, QString> environment() const;

    // Everything bwrap gets before the command.
    QStringList bwrapOptions() const;

    // The job's command line after /bin/sh: -c <wrapper> pf-job <setup> <run> <1|0>.
    QStringList shellArguments() const;

    LaunchPlan build(const QString &bwrapPath) const;

    // The wrapper script.
    static QString wrapperScript();

private:
    bool sandboxed() const { return m_spec.sandbox != QLatin1String("none"); }
    // A path of the job as the started process sees it.
    QString jobPath(const QString &path) const;

    NodeSpec m_spec;
    HostLayout m_layout;
    QString m_hostTmp;
};

} // namespace pf::agent
