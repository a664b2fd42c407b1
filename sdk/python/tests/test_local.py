# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The pfstudio authors
"""Local mode: no PERIFLOW_ENABLED, metrics go to a JSON-lines file."""

import json
import os

import periflow_sdk as pf

from tests.support import SdkTestCase


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


class LocalModeTest(SdkTestCase):
    def test_metrics_are_appended_with_step_and_ranks(self):
        log = os.path.join(self.tmp, "metrics.jsonl")
        pf.init(total_train_steps=3, local_log_name=log)
        self.assertFalse(pf.is_enabled())
        for i in range(3):
            with pf.train_step():
                pass
            pf.metric({"loss": 1.0 / (i + 1), "lr": 0.1})
        pf.close()
        self.assertEqual(read_lines(log), [
            {"loss": 1.0, "lr": 0.1, "step": 1, "rank": 0, "local_rank": 0},
            {"loss": 0.5, "lr": 0.1, "step": 2, "rank": 0, "local_rank": 0},
            {"loss": 1.0 / 3, "lr": 0.1, "step": 3, "rank": 0, "local_rank": 0},
        ])

    def test_default_file_in_working_directory_and_appends(self):
        cwd = os.getcwd()
        os.chdir(self.tmp)
        self.addCleanup(os.chdir, cwd)
        for run in range(2):
            pf.init(total_train_steps=10)
            pf.metric({"run": run})
            pf.close()
        lines = read_lines(os.path.join(self.tmp, "periflow_metrics.jsonl"))
        self.assertEqual([m["run"] for m in lines], [0, 1])

    def test_no_file_without_metrics(self):
        log = os.path.join(self.tmp, "never.jsonl")
        pf.init(total_train_steps=1, local_log_name=log)
        pf.close()
        self.assertFalse(os.path.exists(log))

    def test_other_calls_do_nothing_but_steps_count(self):
        self.set_env(PROCESSED_ITERS=40, RANK=2, LOCAL_RANK=1,
                     PERIFLOW_IPC_DIR=os.path.join(self.tmp, "nowhere"))
        log = os.path.join(self.tmp, "m.jsonl")
        pf.init(total_train_steps=50, local_log_name=log)
        self.assertEqual(pf.get_step(), 40)
        pf.start_step()
        pf.end_step()
        self.assertEqual(pf.get_step(), 41)
        self.assertFalse(pf.is_emergency_save())
        pf.upload_checkpoint()
        pf.metric({"x": 1})
        pf.close()
        self.assertEqual(read_lines(log), [{"x": 1, "step": 41, "rank": 2, "local_rank": 1}])

    def test_enabled_only_with_a_true_word(self):
        for value in ("0", "", "false", "no"):
            self.set_env(PERIFLOW_ENABLED=value, PERIFLOW_IPC_DIR=self.tmp)
            pf.init(total_train_steps=1, local_log_name=os.path.join(self.tmp, "m"))
            self.assertFalse(pf.is_enabled(), value)
            pf.close()

    def test_non_json_values(self):
        log = os.path.join(self.tmp, "m.jsonl")
        pf.init(total_train_steps=1, local_log_name=log)
        pf.metric({"loss": float("nan"), "acc": float("inf"), "name": "손실"})
        pf.close()
        with open(log, encoding="utf-8") as f:
            text = f.read()
        self.assertNotIn("NaN", text)
        self.assertIn("손실", text)
        self.assertEqual(read_lines(log)[0]["loss"], None)

    def test_failed_step_is_not_counted(self):
        pf.init(total_train_steps=5, local_log_name=os.path.join(self.tmp, "m"))
        with self.assertRaises(KeyError):
            with pf.train_step():
                raise KeyError("boom")
        self.assertEqual(pf.get_step(), 0)
        with pf.train_step():   # a new step can start
            pass
        self.assertEqual(pf.get_step(), 1)


class MisuseTest(SdkTestCase):
    def test_calls_before_init(self):
        for call in (pf.start_step, pf.end_step, pf.upload_checkpoint,
                     pf.is_emergency_save, pf.get_step, lambda: pf.metric({"a": 1})):
            with self.assertRaisesRegex(pf.PeriFlowError, "call pf.init"):
                call()
        with self.assertRaises(pf.PeriFlowError):
            with pf.train_step():
                pass

    def test_init_twice(self):
        pf.init(total_train_steps=1, local_log_name=os.path.join(self.tmp, "m"))
        with self.assertRaisesRegex(pf.PeriFlowError, "already"):
            pf.init(total_train_steps=1)
        pf.close()
        pf.close()  # idempotent
        pf.init(total_train_steps=1, local_log_name=os.path.join(self.tmp, "m"))

    def test_bad_total(self):
        for bad, error in ((0, ValueError), (-3, ValueError), (2.5, TypeError),
                           ("10", TypeError), (True, TypeError)):
            with self.assertRaises(error, msg=repr(bad)):
                pf.init(total_train_steps=bad)
        pf.init(total_train_steps=1, local_log_name=os.path.join(self.tmp, "m"))

    def test_bad_environment(self):
        for name, value in (("PROCESSED_ITERS", "ten"), ("LOCAL_RANK", "-1"),
                            ("PERIFLOW_IPC_TIMEOUT", "soon"), ("PERIFLOW_IPC_TIMEOUT", "-1")):
            with self.subTest(name=name, value=value):
                os.environ[name] = value
                with self.assertRaisesRegex(pf.PeriFlowError, name):
                    pf.init(total_train_steps=1)
                del os.environ[name]

    def test_step_order(self):
        pf.init(total_train_steps=2, local_log_name=os.path.join(self.tmp, "m"))
        with self.assertRaisesRegex(pf.PeriFlowError, "without start_step"):
            pf.end_step()
        pf.start_step()
        with self.assertRaisesRegex(pf.PeriFlowError, "before end_step"):
            pf.start_step()
        pf.end_step()

    def test_bad_metrics(self):
        pf.init(total_train_steps=2, local_log_name=os.path.join(self.tmp, "m"))
        with self.assertRaises(TypeError):
            pf.metric([("loss", 1)])
        with self.assertRaises(TypeError):
            pf.metric({1: 2})
        with self.assertRaises(TypeError):
            pf.metric({"obj": object()})
        for key in ("step", "rank", "local_rank"):
            with self.assertRaisesRegex(ValueError, "reserved"):
                pf.metric({key: 1})

    def test_calls_after_close(self):
        pf.init(total_train_steps=2, local_log_name=os.path.join(self.tmp, "m"))
        pf.close()
        with self.assertRaises(pf.PeriFlowError):
            pf.metric({"a": 1})
