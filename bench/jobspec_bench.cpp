// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// Validating a 2,000-line job file, as the launcher does while the user
// types: JobSpec::validateYaml() (YAML read with positions, JSON-Schema
// validation, every issue placed at its line and column) on a valid file and
// on one with 101 errors. Baseline in the same run: yaml-cpp parsing the same
// text and nothing else. Printed: the median and worst time of each, the
// ratio to the baseline, and the share of a 16 ms frame. No assertions on time.
//
//   pf_jobspec_bench [--quick] [--show]   (--show: print the issues found)

#include <algorithm>
#include <cstdio>
#include <functional>

#include <yaml-cpp/yaml.h>

#include <QByteArray>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QList>

#include "api/jobspec.h"

namespace {

// A valid job file of about 2,000 lines: comments, long setup and run
// scripts as literal blocks, and 900 environment variables. With `errors`,
// every ninth variable's value is an unquoted number (the schema wants text)
// and num_devices is a word: 101 errors.
QByteArray makeJobFile(bool errors)
{
    QByteArray y;
    y += "# A large job file for the validation benchmark.\n"
         "experiment: bench\n"
         "name: big-job\n"
         "vm: local-cpu-2c\n";
    y += errors ? "num_devices: two\n" : "num_devices: 2\n";
    y += "job_setting:\n"
         "  type: custom\n"
         "  docker:\n"
         "    image: friendliai/periflow:sdk\n"
         "    command:\n"
         "      setup: |\n";
    for (int i = 0; i < 560; ++i)
        y += "        echo \"preparing step " + QByteArray::number(i) + "\" >> /tmp/setup.log\n";
    y += "      run: |\n";
    for (int i = 0; i < 500; ++i)
        y += "        python3 train.py --shard " + QByteArray::number(i) + " --epochs 3\n";
    y += "    env_var:\n";
    for (int i = 0; i < 900; ++i) {
        if (i % 10 == 0)
            y += "      # group " + QByteArray::number(i / 10) + "\n";
        const bool bad = errors && i % 9 == 0;
        y += "      VAR_" + QByteArray::number(i) + ": " +
             (bad ? QByteArray::number(i) : "\"value " + QByteArray::number(i) + "\"") + "\n";
    }
    y += "  workspace:\n"
         "    mount_path: /workspace\n"
         "checkpoint:\n"
         "  output_checkpoint_dir: /workspace/ckpt\n";
    return y;
}

struct Timing
{
    double median = 0;
    double worst = 0;
};

Timing time(int runs, const std::function<void()> &work)
{
    QList<double> ms;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer t;
        t.start();
        work();
        ms.append(double(t.nsecsElapsed()) / 1e6);
    }
    std::sort(ms.begin(), ms.end());
    return {ms.at(ms.size() / 2), ms.last()};
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const bool quick = app.arguments().contains(QStringLiteral("--quick"));
    const int runs = quick ? 5 : 60;

    for (const bool errors : {false, true}) {
        const QByteArray file = makeJobFile(errors);
        const int lines = int(file.count('\n'));
        qsizetype issues = 0;
        // Warm up: the schema loads once per process.
        issues = pf::api::JobSpec::validateYaml(file).size();
        const Timing base = time(runs, [&] {
            const YAML::Node node = YAML::Load(file.toStdString());
            if (!node.IsMap())
                std::abort();
        });
        const Timing validate =
            time(runs, [&] { issues = pf::api::JobSpec::validateYaml(file).size(); });
        std::printf("%s file, %d lines, %lld issues (%d runs)\n", errors ? "invalid" : "valid",
                    lines, static_cast<long long>(issues), runs);
        std::printf("  yaml-cpp parse only (baseline): median %.2f ms, worst %.2f ms\n",
                    base.median, base.worst);
        std::printf("  validateYaml:                   median %.2f ms, worst %.2f ms\n",
                    validate.median, validate.worst);
        std::printf("  ratio to baseline: %.2f; share of a 16 ms frame: %.0f%% (median), "
                    "%.0f%% (worst)\n",
                    validate.median / base.median, 100.0 * validate.median / 16.0,
                    100.0 * validate.worst / 16.0);
        if (app.arguments().contains(QStringLiteral("--show"))) {
            for (const pf::api::SpecIssue &i : pf::api::JobSpec::validateYaml(file))
                std::printf("    %d:%d %s: %s\n", i.line, i.column, qPrintable(i.path),
                            qPrintable(i.message));
        }
        if ((issues == 0) == errors) {
            std::fprintf(stderr, "unexpected: %lld issues\n", static_cast<long long>(issues));
            return 1;
        }
    }
    return 0;
}
