// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// Log ingestion end to end: a job whose command prints N lines as fast as it
// can (`seq 1 N`), run by a real pfd and pf-agent, timed from submission to
// the job's success with every line stored; next to the same command writing
// to /dev/null in the same run (the ceiling). Target: at least half the
// ceiling or 500,000 lines/s, whichever is lower.
//
//   pf_jobingest_bench [--quick] [--lines N]

#include <algorithm>
#include <cstdio>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QThread>

#include "bench/benchserver.h"
#include "tests/support/httpclient.h"

using pf::test::HttpClient;

namespace {

double ceilingSeconds(qint64 lines)
{
    QProcess p;
    QElapsedTimer t;
    t.start();
    p.start(QStringLiteral("/bin/sh"),
            {QStringLiteral("-c"), QStringLiteral("seq 1 %1 > /dev/null").arg(lines)});
    p.waitForFinished(-1);
    return double(t.nsecsElapsed()) / 1e9;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    qint64 lines = args.contains(QStringLiteral("--quick")) ? 200000 : 2000000;
    if (const qsizetype i = args.indexOf(QStringLiteral("--lines")); i > 0 && i + 1 < args.size())
        lines = args.at(i + 1).toLongLong();

    pf::bench::BenchServer server(
        "vm_types:\n  - {code: bench-1c, devices_per_vm: 1, max_vms: 1, default_quota: 1}\n");
    if (!server.start())
        return 1;
    HttpClient &c = server.client();
    const QString project = server.projectId();
    const QJsonObject spec{
        {QStringLiteral("vm"), QStringLiteral("bench-1c")},
        {QStringLiteral("num_devices"), 1},
        {QStringLiteral("job_setting"),
         QJsonObject{
             {QStringLiteral("type"), QStringLiteral("custom")},
             {QStringLiteral("docker"),
              QJsonObject{{QStringLiteral("image"), QStringLiteral("bench")},
                          {QStringLiteral("command"), QStringLiteral("seq 1 %1").arg(lines)}}}}}};

    const double ceiling = ceilingSeconds(lines);
    QElapsedTimer t;
    t.start();
    const auto submitted = c.postJson(QStringLiteral("/api/project/%1/job/").arg(project), spec);
    const qint64 number = submitted.json().value(QStringLiteral("number")).toInteger();
    QString status;
    const QString path = QStringLiteral("/api/project/%1/job/%2/").arg(project).arg(number);
    while (t.elapsed() < 600000) {
        status = c.get(path).json().value(QStringLiteral("status")).toString();
        if (status == u"success" || status == u"failed")
            break;
        QThread::msleep(10); // polling the job's status, not a test wait
    }
    const double seconds = double(t.nsecsElapsed()) / 1e9;
    // Every line must be there: the newest stdout record is line N.
    const auto newest = c.get(path + QStringLiteral("text_log/?limit=1&log_types=stdout"));
    const QString last = newest.json()
                             .value(QStringLiteral("results"))
                             .toArray()
                             .first()
                             .toObject()
                             .value(QStringLiteral("content"))
                             .toString();
    const qint64 lastSeq = newest.json()
                               .value(QStringLiteral("results"))
                               .toArray()
                               .first()
                               .toObject()
                               .value(QStringLiteral("seq"))
                               .toInteger();
    const double rate = double(lines) / seconds;
    const double ceilingRate = double(lines) / ceiling;
    const double target = std::min(0.5 * ceilingRate, 500000.0);
    std::printf(
        "job log ingestion, end to end: `seq 1 %lld` through pf-agent into pfd's log store\n",
        lines);
    std::printf("  job status %s, last stdout line '%s' (seq %lld)\n", qPrintable(status),
                qPrintable(last), lastSeq);
    std::printf("  %-34s %10.2f s %14.0f lines/s\n", "job (submit to success)", seconds, rate);
    std::printf("  %-34s %10.2f s %14.0f lines/s\n", "same command to /dev/null", ceiling,
                ceilingRate);
    std::printf("  ratio %.4f of the ceiling; target %.0f lines/s (min of half the ceiling and "
                "500,000): %s\n",
                rate / ceilingRate, target, rate >= target ? "met" : "NOT met");
    return status == u"success" && last == QString::number(lines) ? 0 : 1;
}
