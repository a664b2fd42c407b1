// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "sandboxbuilder.h"

#include <algorithm>

#include <unistd.h>

#include <QDir>
#include <QFileInfo>

namespace pf::agent {

namespace {
// The parts of /etc a job may need: users and groups, name resolution, TLS
// roots, the alternatives links many /usr/bin programs go through, the
// dynamic linker's cache, time zone, MIME types, Python's site config. Not
// /etc as a whole: it may hold the server's own secrets.
const QStringList kEtcEntries = {
    QStringLiteral("/etc/passwd"),       QStringLiteral("/etc/group"),
    QStringLiteral("/etc/hosts"),        QStringLiteral("/etc/hostname"),
    QStringLiteral("/etc/resolv.conf"),  QStringLiteral("/etc/nsswitch.conf"),
    QStringLiteral("/etc/host.conf"),    QStringLiteral("/etc/gai.conf"),
    QStringLiteral("/etc/protocols"),    QStringLiteral("/etc/services"),
    QStringLiteral("/etc/ssl"),          QStringLiteral("/etc/ca-certificates"),
    QStringLiteral("/etc/pki"),          QStringLiteral("/etc/crypto-policies"),
    QStringLiteral("/etc/alternatives"), QStringLiteral("/etc/ld.so.cache"),
    QStringLiteral("/etc/ld.so.conf"),   QStringLiteral("/etc/ld.so.conf.d"),
    QStringLiteral("/etc/localtime"),    QStringLiteral("/etc/timezone"),
    QStringLiteral("/etc/mime.types"),   QStringLiteral("/etc/os-release"),
    QStringLiteral("/etc/fonts"),        QStringLiteral("/etc/pip.conf"),
    QStringLiteral("/etc/gitconfig"),
};

const QStringList kRootLinks = {
    QStringLiteral("/bin"),   QStringLiteral("/sbin"),  QStringLiteral("/lib"),
    QStringLiteral("/lib32"), QStringLiteral("/lib64"), QStringLiteral("/libx32"),
};

int depth(const QString &path)
{
    return int(path.count(u'/'));
}
} // namespace

HostLayout HostLayout::probe()
{
    HostLayout layout;
    for (const QString &path : kRootLinks) {
        const QFileInfo info(path);
        if (info.isSymLink()) {
            // The link as written ("usr/bin"), not resolved.
            char buffer[4096];
            const QByteArray name = QFile::encodeName(path);
            const ssize_t n = ::readlink(name.constData(), buffer, sizeof buffer);
            if (n > 0 && size_t(n) < sizeof buffer)
                layout.rootSymlinks.insert(path, QFile::decodeName(QByteArray(buffer, n)));
        } else if (info.isDir()) {
            layout.rootDirs.append(path);
        }
    }
    layout.etcEntries = kEtcEntries;
    // Debian's Python reads /etc/python3.X/sitecustomize.py.
    const QStringList python =
        QDir(QStringLiteral("/etc"))
            .entryList({QStringLiteral("python3*")}, QDir::AllEntries, QDir::Name);
    for (const QString &name : python)
        layout.etcEntries.append(QStringLiteral("/etc/") + name);
    return layout;
}

SandboxBuilder::SandboxBuilder(NodeSpec spec, HostLayout layout)
    : m_spec(std::move(spec))
    , m_layout(std::move(layout))
{}

QString SandboxBuilder::jobPath(const QString &path) const
{
    return sandboxed() ? path : m_spec.hostPath(path);
}

QMap<QString, QString> SandboxBuilder::environment() const
{
    QMap<QString, QString> env = m_spec.env;
    const QString tmp = sandboxed() ? QStringLiteral("/tmp") : m_hostTmp;
    auto setDefault = [&env](const QString &key, const QString &value) {
        if (!env.contains(key))
            env.insert(key, value);
    };
    setDefault(QStringLiteral("PATH"), kDefaultPath);
    setDefault(QStringLiteral("HOME"), tmp);
    setDefault(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
    // Python buffers a pipe's output in blocks; the log should be live.
    setDefault(QStringLiteral("PYTHONUNBUFFERED"), QStringLiteral("1"));
    if (!m_spec.sdkPath.isEmpty()) {
        const QString sdk = sandboxed() ? kSdkTarget : m_spec.sdkPath;
        const QString old = env.value(QStringLiteral("PYTHONPATH"));
        env.insert(QStringLiteral("PYTHONPATH"), old.isEmpty() ? sdk : sdk + u':' + old);
    }
    env.insert(QStringLiteral("MASTER_ADDR"), m_spec.masterAddr);
    env.insert(QStringLiteral("MASTER_PORT"), QString::number(m_spec.masterPort));
    env.insert(QStringLiteral("WORLD_SIZE"), QString::number(m_spec.worldSize));
    env.insert(QStringLiteral("NUM_NODES"), QString::number(m_spec.numNodes));
    env.insert(QStringLiteral("NODE_RANK"), QString::number(m_spec.rank));
    env.insert(QStringLiteral("NPROC_PER_NODE"), QString::number(m_spec.nprocPerNode));
    // The launcher's global rank: the first process of this node.
    env.insert(QStringLiteral("RANK"), QString::number(m_spec.rank * m_spec.nprocPerNode));
    env.insert(QStringLiteral("LOCAL_RANK"), QStringLiteral("0"));
    if (!m_spec.ckptDir.isEmpty())
        env.insert(QStringLiteral("CKPT_DIR"), jobPath(m_spec.ckptDir));
    env.insert(QStringLiteral("PROCESSED_ITERS"), QString::number(m_spec.processedIters));
    env.insert(QStringLiteral("PERIFLOW_ENABLED"), QStringLiteral("1"));
    env.insert(QStringLiteral("PERIFLOW_IPC_DIR"), tmp);
    return env;
}

QStringList SandboxBuilder::bwrapOptions() const
{
    QStringList a = {
        QStringLiteral("--die-with-parent"),
        QStringLiteral("--unshare-pid"),
        QStringLiteral("--new-session"),
        QStringLiteral("--proc"),
        QStringLiteral("/proc"),
        QStringLiteral("--dev"),
        QStringLiteral("/dev"),
        QStringLiteral("--perms"),
        QStringLiteral("1777"),
        QStringLiteral("--tmpfs"),
        QStringLiteral("/dev/shm"),
        QStringLiteral("--ro-bind"),
        QStringLiteral("/usr"),
        QStringLiteral("/usr"),
    };
    for (auto it = m_layout.rootSymlinks.cbegin(); it != m_layout.rootSymlinks.cend(); ++it)
        a << QStringLiteral("--symlink") << it.value() << it.key();
    for (const QString &dir : m_layout.rootDirs)
        a << QStringLiteral("--ro-bind") << dir << dir;
    for (const QString &entry : m_layout.etcEntries)
        a << QStringLiteral("--ro-bind-try") << entry << entry;
    a << QStringLiteral("--bind") << m_hostTmp << QStringLiteral("/tmp");
    if (!m_spec.sdkPath.isEmpty())
        a << QStringLiteral("--ro-bind") << m_spec.sdkPath << kSdkTarget;
    // Parents first, so that /workspace/data lands inside /workspace.
    QList<Mount> mounts = m_spec.mounts;
    std::stable_sort(mounts.begin(), mounts.end(), [](const Mount &x, const Mount &y) {
        return depth(x.target) < depth(y.target);
    });
    for (const Mount &m : std::as_const(mounts))
        a << (m.writable ? QStringLiteral("--bind") : QStringLiteral("--ro-bind")) << m.host
          << m.target;
    a << QStringLiteral("--chdir")
      << (m_spec.workspaceDir.isEmpty() ? QStringLiteral("/") : m_spec.workspaceDir);
    a << QStringLiteral("--clearenv");
    const QMap<QString, QString> env = environment();
    for (auto it = env.cbegin(); it != env.cend(); ++it)
        a << QStringLiteral("--setenv") << it.key() << it.value();
    return a;
}

QString SandboxBuilder::wrapperScript()
{
    // $1 setup, $2 run, $3 "1" inside bwrap. Each phase marker waits for
    // the agent's acknowledgement, so the agent logs everything written
    // before a marker ahead of the marker's record. The run command is evaluated
    // by this shell, not a child shell: a shell waiting for a foreground
    // command runs its TERM trap only after that command ends, so on a
    // terminate the wrapper outlives the job's own SIGTERM handling and
    // exits with the job's status (then stops: no further commands run).
    // Inside the sandbox it also waits for every other process of the
    // sandbox (orphans a killed shell left behind, still saving) before it
    // exits, since the sandbox ends with it.
    return QStringLiteral(
        "exec 4<&-\n"
        "__pf_setup=$1 __pf_run=$2 __pf_sandboxed=$3 __pf_term=\n"
        "set --\n"
        "__pf_reap() {\n"
        "  [ -n \"$__pf_term\" ] && [ \"$__pf_sandboxed\" = 1 ] || return 0\n"
        "  while :; do\n"
        "    __pf_others=\n"
        "    for __pf_p in /proc/[0-9]*; do\n"
        "      case ${__pf_p#/proc/} in 1|$$) ;; *) __pf_others=1; break ;; esac\n"
        "    done\n"
        "    [ -n \"$__pf_others\" ] || return 0\n"
        "    sleep 0.1 || return 0\n"
        "  done\n"
        "}\n"
        "__pf_mark() { printf '%s\\n' \"$1\" >&3; read -r __pf_ack <&3 || :; }\n"
        "trap '__pf_term=1; exit' TERM\n"
        "trap '__pf_rc=$?; __pf_reap; exit $__pf_rc' EXIT\n"
        "__pf_mark start\n"
        "if [ -n \"$__pf_setup\" ]; then\n"
        "  __pf_mark setup\n"
        "  ( eval \"$__pf_setup\" ) 3>&-\n"
        "  __pf_rc=$?\n"
        "  if [ \"$__pf_rc\" -ne 0 ]; then\n"
        "    __pf_mark \"setup-failed $__pf_rc\"\n"
        "    exit \"$__pf_rc\"\n"
        "  fi\n"
        "fi\n"
        "__pf_mark run\n"
        "exec 3>&-\n"
        "eval \"$__pf_run\"\n");
}

QStringList SandboxBuilder::shellArguments() const
{
    return {QStringLiteral("-c"),
            wrapperScript(),
            QStringLiteral("pf-job"),
            m_spec.setup,
            m_spec.run,
            sandboxed() ? QStringLiteral("1") : QStringLiteral("0")};
}

LaunchPlan SandboxBuilder::build(const QString &bwrapPath) const
{
    LaunchPlan plan;
    if (sandboxed()) {
        plan.program = bwrapPath;
        plan.arguments = {QStringLiteral("--args"), QString::number(kArgsFd), QStringLiteral("--"),
                          QStringLiteral("/bin/sh")};
        plan.arguments += shellArguments();
        plan.sandboxOptions = bwrapOptions();
    } else {
        plan.program = QStringLiteral("/bin/sh");
        plan.arguments = shellArguments();
        const QMap<QString, QString> env = environment();
        for (auto it = env.cbegin(); it != env.cend(); ++it)
            plan.environment.append(it.key() + u'=' + it.value());
        plan.workingDirectory =
            m_spec.workspaceDir.isEmpty() ? QString() : m_spec.hostPath(m_spec.workspaceDir);
    }
    return plan;
}

} // namespace pf::agent
