// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "agentoptions.h"

#include <QCommandLineParser>
#include <QDir>
#include <QRegularExpression>

namespace pf::agent {

std::optional<AgentOptions> AgentOptions::parse(const QStringList &arguments,
                                                const QProcessEnvironment &environment,
                                                QString *error, bool *help)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Runs one node of a pfstudio job and reports to pfd.\n"
                       "The job token comes from PF_AGENT_TOKEN; PF_BWRAP overrides the "
                       "bwrap binary."));
    const QCommandLineOption helpOption(QStringList{QStringLiteral("h"), QStringLiteral("help")},
                                        QStringLiteral("Show this help."));
    const QCommandLineOption serverFile(QStringLiteral("server-file"),
                                        QStringLiteral("The file that holds pfd's URL."),
                                        QStringLiteral("file"));
    const QCommandLineOption job(QStringLiteral("job"), QStringLiteral("The job's UUID."),
                                 QStringLiteral("uuid"));
    const QCommandLineOption rank(QStringLiteral("node-rank"), QStringLiteral("This node's rank."),
                                  QStringLiteral("n"));
    const QCommandLineOption workDir(
        QStringLiteral("work-dir"),
        QStringLiteral("Where the node's private /tmp is made (default: the current directory)."),
        QStringLiteral("dir"));
    parser.addOption(helpOption);
    parser.addOption(serverFile);
    parser.addOption(job);
    parser.addOption(rank);
    parser.addOption(workDir);

    auto fail = [&](const QString &message) {
        if (error)
            *error = message + QStringLiteral("\n\n") + parser.helpText();
        return std::nullopt;
    };
    if (!parser.parse(arguments))
        return fail(parser.errorText());
    if (parser.isSet(helpOption)) {
        if (help)
            *help = true;
        if (error)
            *error = parser.helpText();
        return std::nullopt;
    }
    if (!parser.positionalArguments().isEmpty())
        return fail(
            QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()));

    AgentOptions o;
    o.serverFile = parser.value(serverFile);
    if (o.serverFile.isEmpty())
        return fail(QStringLiteral("--server-file is required"));
    o.jobId = parser.value(job).toLower();
    static const QRegularExpression uuid(
        QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"));
    if (!uuid.match(o.jobId).hasMatch())
        return fail(QStringLiteral("--job must be the job's UUID"));
    bool ok = false;
    o.nodeRank = parser.value(rank).toInt(&ok);
    if (!ok || o.nodeRank < 0)
        return fail(QStringLiteral("--node-rank must be a whole number >= 0"));
    o.workDir = parser.isSet(workDir) ? parser.value(workDir) : QDir::currentPath();
    if (o.workDir.isEmpty())
        return fail(QStringLiteral("--work-dir must not be empty"));
    o.workDir = QDir(o.workDir).absolutePath();
    o.token = environment.value(QStringLiteral("PF_AGENT_TOKEN")).toUtf8();
    if (o.token.isEmpty())
        return fail(QStringLiteral("PF_AGENT_TOKEN is not set"));
    o.bwrapPath = environment.value(QStringLiteral("PF_BWRAP"));
    o.pathEnv = environment.value(QStringLiteral("PATH"));
    return o;
}

} // namespace pf::agent
