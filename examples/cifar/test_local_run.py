#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The pfstudio authors
"""End-to-end check of the cifar example in local mode (CTest: examples.cifar_local).

    test_local_run.py [--python INTERPRETER] [--keep DIR]

Generates a tiny synthetic CIFAR-100 set in a temporary folder, trains for 40
steps with main.py (no PERIFLOW_ENABLED, so the SDK writes metrics to a file),
and checks: exit status 0, the metric lines, that the training loss goes down,
and the checkpoint. Then resumes from that checkpoint for 10 more steps.

INTERPRETER (default: this one) runs the example; it needs numpy. Without
numpy the check is skipped with exit status 77. The SDK is found through
PYTHONPATH or, failing that, in this checkout's sdk/python.
"""

import argparse
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
SDK = os.path.normpath(os.path.join(HERE, os.pardir, os.pardir, "sdk", "python"))
SKIP = 77
SDK_VARIABLES = ("PERIFLOW_ENABLED", "PERIFLOW_IPC_DIR", "PERIFLOW_IPC_TIMEOUT",
                 "PROCESSED_ITERS", "CKPT_DIR", "RANK", "LOCAL_RANK")


class CheckFailed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise CheckFailed(message)


def run(python, args, cwd, env):
    command = [python] + args
    print("+ " + " ".join(command), flush=True)
    result = subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, timeout=600)
    sys.stdout.write(result.stdout)
    check(result.returncode == 0, f"{os.path.basename(args[0])} exited with {result.returncode}")
    return result.stdout


def read_metrics(path):
    check(os.path.exists(path), f"no metric file {path}")
    with open(path, encoding="utf-8") as f:
        lines = [json.loads(line) for line in f if line.strip()]
    train = [m for m in lines if "loss" in m]
    test = [m for m in lines if "test_loss" in m]
    return train, test


def checkpoints(folder):
    names = sorted(os.listdir(folder)) if os.path.isdir(folder) else []
    return [n for n in names if re.fullmatch(r"checkpoint-\d{8}\.(npz|pt)", n)], names


def check_checkpoint(folder, step):
    found, names = checkpoints(folder)
    check(len(found) == 1 and len(names) == 1,
          f"expected exactly one checkpoint in {folder}, found {names}")
    name = found[0]
    check(name.startswith(f"checkpoint-{step:08d}."), f"checkpoint {name} is not of step {step}")
    if name.endswith(".npz"):
        with zipfile.ZipFile(os.path.join(folder, name)) as z:
            members = set(z.namelist())
        check({"step.npy", "w.npy", "b.npy"} <= members, f"{name} holds {sorted(members)}")


def scenario(python, work):
    env = {k: v for k, v in os.environ.items() if k not in SDK_VARIABLES}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (env.get("PYTHONPATH"), SDK) if p)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    data = os.path.join(work, "data")
    ckpt = os.path.join(work, "ckpt")
    metrics = os.path.join(work, "metrics.jsonl")
    main = os.path.join(HERE, "main.py")

    run(python, [os.path.join(HERE, "make_synthetic_cifar.py"), "--out", data,
                 "--train", "640", "--test", "160", "--seed", "3"], work, env)
    common = ["--data-path", data, "--save", ckpt, "--batch-size", "32", "--log-interval", "5",
              "--save-interval", "15", "--test-interval", "20", "--lr", "0.01",
              "--local-log-name", metrics]

    # 1. A fresh run of 40 steps.
    run(python, [main] + common + ["--total-steps", "40"], work, env)
    train, test = read_metrics(metrics)
    check([m["step"] for m in train] == list(range(5, 41, 5)),
          f"training metrics at steps {[m['step'] for m in train]}, expected 5, 10, ..., 40")
    check([m["step"] for m in test] == [20, 40],
          f"test metrics at steps {[m['step'] for m in test]}, expected 20 and 40")
    for m in train + test:
        check(m["rank"] == 0 and m["local_rank"] == 0, f"bad ranks in {m}")
        for key, value in m.items():
            check(isinstance(value, (int, float)) and math.isfinite(value),
                  f"metric {key}={value!r} at step {m['step']} is not a finite number")
    for m in train:
        check({"loss", "accuracy", "learning_rate"} <= set(m), f"missing keys in {m}")
    losses = [m["loss"] for m in train]
    print(f"training loss by log interval: {', '.join(f'{v:.3f}' for v in losses)}")
    check(losses[-1] < 0.8 * losses[0],
          f"loss did not go down: {losses[0]:.4f} -> {losses[-1]:.4f}")
    check(min(losses[-3:]) < min(losses[:3]), "loss did not go down over the run")
    check(train[-1]["learning_rate"] < train[0]["learning_rate"], "learning rate did not decay")
    check(test[-1]["test_loss"] < test[0]["test_loss"] or test[-1]["test_loss"] < 4.6,
          f"test loss {test[-1]['test_loss']:.4f} shows no learning")
    check_checkpoint(ckpt, 40)

    # 2. Resume from it for 10 more steps.
    out = run(python, [main] + common + ["--total-steps", "50", "--load", ckpt], work, env)
    check(re.search(r"resumed from .*checkpoint-00000040\.\w+ at step 40", out),
          "main.py did not report resuming at step 40")
    train2, _ = read_metrics(metrics)
    resumed = [m["step"] for m in train2[len(train):]]
    check(resumed == [45, 50], f"resumed run logged steps {resumed}, expected 45 and 50")
    check_checkpoint(ckpt, 50)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default=sys.executable,
                        help="interpreter that runs the example (needs numpy)")
    parser.add_argument("--keep", default=None,
                        help="work in this folder and keep it, instead of a temporary one")
    args = parser.parse_args(argv)

    probe = subprocess.run([args.python, "-c", "import numpy"], capture_output=True)
    if probe.returncode != 0:
        print(f"SKIP: {args.python} cannot import numpy (install python3-numpy)")
        return SKIP
    try:
        if args.keep:
            os.makedirs(args.keep, exist_ok=True)
            scenario(args.python, os.path.abspath(args.keep))
        else:
            with tempfile.TemporaryDirectory(prefix="pf-cifar-") as work:
                scenario(args.python, work)
    except (CheckFailed, subprocess.TimeoutExpired) as exc:
        print(f"FAIL: {exc}")
        return 1
    print("PASS: examples.cifar_local")
    return 0


if __name__ == "__main__":
    sys.exit(main())
