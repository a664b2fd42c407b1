# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The pfstudio authors
"""Enabled mode against a fake agent serving real named pipes."""

import json
import os
import struct
import threading
import time
import types
from unittest import mock

import periflow_sdk as pf

from tests.fakeagent import WAIT, FakeAgent, frame
from tests.support import SdkTestCase


class EnabledTestCase(SdkTestCase):
    def setUp(self):
        super().setUp()
        self.set_env(PERIFLOW_ENABLED=1, PERIFLOW_IPC_DIR=self.tmp, PERIFLOW_IPC_TIMEOUT=WAIT)

    def start_agent(self, **kwargs):
        agent = FakeAgent(self.tmp, **kwargs)
        # Cleanups run last-in first-out: pf.close() (registered later by the
        # test's init) would run first anyway; stop the agent after it.
        self.addCleanup(agent.stop)
        return agent

    def run_in_thread(self, function):
        """Run ``function`` in a thread; return (thread, outcome dict)."""
        outcome = {}

        def body():
            try:
                outcome["result"] = function()
            except BaseException as exc:  # handed to the test thread
                outcome["error"] = exc

        thread = threading.Thread(target=body, daemon=True)
        thread.start()
        return thread, outcome


class ChannelTest(EnabledTestCase):
    def test_init_sends_last_step(self):
        agent = self.start_agent()
        pf.init(total_train_steps=1234)
        self.assertTrue(pf.is_enabled())
        agent.wait_for("last_step", 1)
        self.assertEqual(agent.frames["last_step"], [b"\x0d\x00\x00\x00" + b'{"step":1234}'])

    def test_step_info_and_ack(self):
        agent = self.start_agent()
        pf.init(total_train_steps=10)
        for _ in range(3):
            with pf.train_step():
                pass
        infos = agent.wait_for("step_info", 3)
        self.assertEqual([m["step"] for m in infos], [1, 2, 3])
        for raw, message in zip(agent.frames["step_info"], infos):
            self.assertEqual(set(message), {"step", "step_time"})
            self.assertIsInstance(message["step_time"], float)
            self.assertGreaterEqual(message["step_time"], 0.0)
            self.assertEqual(struct.unpack("<I", raw[:4])[0], len(raw) - 4)
            self.assertEqual(json.loads(raw[4:]), message)

    def test_step_time_measures_the_step(self):
        agent = self.start_agent()
        pf.init(total_train_steps=10)
        clock = [1000.0]
        fake_time = types.SimpleNamespace(monotonic=lambda: clock[0], time=time.time)
        with mock.patch("periflow_sdk._session.time", fake_time):
            pf.start_step()
            clock[0] += 0.25   # the step's work
            pf.end_step()
        self.assertEqual(agent.wait_for("step_info", 1)[0]["step_time"], 0.25)

    def test_end_step_waits_for_the_ack(self):
        agent = self.start_agent(auto_ack=False)
        pf.init(total_train_steps=10)
        pf.start_step()
        thread, outcome = self.run_in_thread(pf.end_step)
        agent.wait_for("step_info", 1)
        thread.join(0.2)
        self.assertTrue(thread.is_alive(), "end_step() returned before the ack")
        # Meanwhile metric() from another thread is not held up by the wait.
        pf.metric({"loss": 2.0})
        agent.wait_for("metric", 1)
        # The ack in two pieces: the SDK must wait for the whole frame.
        data = frame({"status": "SUCCESS"})
        agent.send_raw("ack", data[:3])
        thread.join(0.1)
        self.assertTrue(thread.is_alive(), "end_step() returned on a partial ack")
        agent.send_raw("ack", data[3:])
        thread.join(WAIT)
        self.assertFalse(thread.is_alive())
        self.assertNotIn("error", outcome)
        self.assertEqual(pf.get_step(), 1)

    def test_processed_iters_resume_and_local_rank(self):
        self.set_env(PROCESSED_ITERS=40, RANK=5, LOCAL_RANK=1)
        agent = self.start_agent(local_rank=1)
        pf.init(total_train_steps=100)
        self.assertEqual(pf.get_step(), 40)
        pf.metric({"loss": 0.5})
        with pf.train_step():
            pass
        pf.metric({"loss": 0.25, "note": "x" * 300})
        self.assertEqual(agent.wait_for("step_info", 1)[0]["step"], 41)
        metrics = agent.wait_for("metric", 2)
        self.assertEqual(metrics[0], {"loss": 0.5, "step": 40, "rank": 5, "local_rank": 1})
        self.assertEqual(metrics[1]["step"], 41)
        # A 300-byte payload: the second length byte is used, little-endian.
        raw = agent.frames["metric"][1]
        self.assertEqual(raw[:4], struct.pack("<I", len(raw) - 4))
        self.assertEqual(raw[1], 1)
        self.assertEqual(raw[4:], json.dumps(metrics[1], separators=(",", ":")).encode())

    def test_checkpoint_message(self):
        agent = self.start_agent()
        pf.init(total_train_steps=10)
        with pf.train_step():
            pass
        before = time.time()
        pf.upload_checkpoint()
        after = time.time()
        (message,) = agent.wait_for("ckpt", 1)
        self.assertEqual(set(message), {"step", "save_type", "trigger_time"})
        self.assertEqual(message["step"], 1)
        self.assertEqual(message["save_type"], "NORMAL")
        self.assertTrue(before <= message["trigger_time"] <= after)


class EmergencySaveTest(EnabledTestCase):
    def test_save_at_a_later_step(self):
        agent = self.start_agent()
        pf.init(total_train_steps=10)
        self.assertFalse(pf.is_emergency_save())
        agent.send("emergency_save", {"emergency_save_step": 3})
        due = []
        for _ in range(4):
            with pf.train_step():
                pass
            due.append(pf.is_emergency_save())
        self.assertEqual(due, [False, False, True, True])  # due until saved
        pf.upload_checkpoint()
        self.assertFalse(pf.is_emergency_save())
        pf.upload_checkpoint()
        types = [(m["step"], m["save_type"]) for m in agent.wait_for("ckpt", 2)]
        self.assertEqual(types, [(4, "EMERGENCY"), (4, "NORMAL")])

    def test_save_now(self):
        agent = self.start_agent()
        self.set_env(PROCESSED_ITERS=7)
        pf.init(total_train_steps=10)
        # Split across writes, and the SDK reads without blocking meanwhile.
        data = frame({"emergency_save_step": -1})
        agent.send_raw("emergency_save", data[:5])
        self.assertFalse(pf.is_emergency_save())
        agent.send_raw("emergency_save", data[5:])
        self.assertTrue(pf.is_emergency_save())
        pf.upload_checkpoint()
        self.assertEqual(agent.wait_for("ckpt", 1)[0],
                         {"step": 7, "save_type": "EMERGENCY",
                          "trigger_time": agent.messages["ckpt"][0]["trigger_time"]})

    def test_upload_without_asking_first_still_emergency(self):
        agent = self.start_agent()
        pf.init(total_train_steps=10)
        agent.send("emergency_save", {"emergency_save_step": 0})
        pf.upload_checkpoint()
        self.assertEqual(agent.wait_for("ckpt", 1)[0]["save_type"], "EMERGENCY")

    def test_the_latest_request_wins(self):
        agent = self.start_agent()
        pf.init(total_train_steps=10)
        agent.send("emergency_save", {"emergency_save_step": 1})
        agent.send("emergency_save", {"emergency_save_step": 5})
        with pf.train_step():
            pass
        self.assertFalse(pf.is_emergency_save())

    def test_malformed_requests(self):
        for message in ({"emergency_save_step": "3"}, {"emergency_save_step": -2},
                        {"emergency_save_step": True}, {"step": 3}):
            with self.subTest(message=message):
                dir_ = os.path.join(self.tmp, str(len(os.listdir(self.tmp))))
                os.mkdir(dir_)
                os.environ["PERIFLOW_IPC_DIR"] = dir_
                agent = FakeAgent(dir_)
                try:
                    pf.init(total_train_steps=10)
                    agent.send("emergency_save", message)
                    with self.assertRaisesRegex(pf.ProtocolError, "emergency_save"):
                        pf.is_emergency_save()
                finally:
                    pf.close()
                    agent.stop()


class AgentMisbehaviourTest(EnabledTestCase):
    def step_with_ack(self, agent, payload):
        pf.init(total_train_steps=10)
        agent.send_raw("ack", payload)
        pf.start_step()
        pf.end_step()

    def test_oversized_ack(self):
        agent = self.start_agent(auto_ack=False)
        with self.assertRaisesRegex(pf.ProtocolError, "ack: frame length 16777216 is over"):
            self.step_with_ack(agent, struct.pack("<I", 1 << 24) + b"{}")
        # The channel stays failed.
        pf.start_step()
        with self.assertRaises(pf.ProtocolError):
            pf.end_step()

    def test_not_json_ack(self):
        agent = self.start_agent(auto_ack=False)
        with self.assertRaisesRegex(pf.ProtocolError, "ack: frame is not valid JSON"):
            self.step_with_ack(agent, struct.pack("<I", 7) + b"SUCCESS")

    def test_ack_without_status(self):
        agent = self.start_agent(auto_ack=False)
        with self.assertRaisesRegex(pf.ProtocolError, "status"):
            self.step_with_ack(agent, frame({"ok": True}))

    def test_failed_ack(self):
        agent = self.start_agent(auto_ack=False)
        with self.assertRaisesRegex(pf.PeriFlowError, "'FAILURE'"):
            self.step_with_ack(agent, frame({"status": "FAILURE"}))

    def test_missing_ack_times_out_and_a_late_ack_is_consumed(self):
        self.set_env(PERIFLOW_IPC_TIMEOUT=0.2)
        agent = self.start_agent(auto_ack=False)
        pf.init(total_train_steps=10)
        pf.start_step()
        started = time.monotonic()
        with self.assertRaisesRegex(pf.ChannelTimeout, "no answer from the agent to step 1"):
            pf.end_step()
        self.assertLess(time.monotonic() - started, 0.2 + WAIT)
        self.assertEqual(pf.get_step(), 1)  # the step did happen
        agent.ack()                          # the late answer to step 1
        pf.start_step()
        thread, outcome = self.run_in_thread(pf.end_step)
        agent.wait_for("step_info", 2)
        thread.join(0.1)
        self.assertTrue(thread.is_alive(), "the late ack was taken for step 2's")
        agent.ack()
        thread.join(WAIT)
        self.assertFalse(thread.is_alive())
        self.assertNotIn("error", outcome)

    def test_agent_closed_its_reader(self):
        agent = self.start_agent()
        pf.init(total_train_steps=10)
        agent.close_reader("metric")
        with self.assertRaisesRegex(pf.ChannelError, "metric: the agent closed"):
            pf.metric({"loss": 1.0})


class SetupErrorTest(EnabledTestCase):
    def test_missing_pipes(self):
        with self.assertRaisesRegex(pf.ChannelError,
                                    r"periflow_last_step_ipc_fifo_0 does not exist.*agent"):
            pf.init(total_train_steps=10)
        with self.assertRaises(pf.PeriFlowError):
            pf.get_step()  # init failed: still not initialised

    def test_one_missing_pipe(self):
        agent = self.start_agent()
        os.unlink(agent.paths["ckpt"])
        with self.assertRaisesRegex(pf.ChannelError,
                                    "ckpt: .*periflow_ckpt_ipc_fifo_0 does not exist"):
            pf.init(total_train_steps=10)

    def test_wrong_local_rank(self):
        self.start_agent(local_rank=0)
        self.set_env(LOCAL_RANK=3)
        with self.assertRaisesRegex(pf.ChannelError, "ipc_fifo_3 does not exist"):
            pf.init(total_train_steps=10)

    def test_not_a_pipe(self):
        for name in ("ack", "emergency_save", "step_info", "metric", "last_step", "ckpt"):
            path = os.path.join(self.tmp, f"periflow_{name}_ipc_fifo_0")
            if name == "metric":
                open(path, "w").close()
            else:
                os.mkfifo(path)
        with self.assertRaisesRegex(pf.ChannelError, "metric: .* is not a named pipe"):
            pf.init(total_train_steps=10)

    def test_no_agent_reading(self):
        self.set_env(PERIFLOW_IPC_TIMEOUT=0.2)
        self.start_agent(open_readers=False)
        started = time.monotonic()
        with self.assertRaisesRegex(pf.ChannelTimeout,
                                    "no agent opened .* for reading within 0.2 s"):
            pf.init(total_train_steps=10)
        self.assertLess(time.monotonic() - started, WAIT)

    def test_agent_late_to_read(self):
        agent = self.start_agent(open_readers=False)
        thread, outcome = self.run_in_thread(lambda: pf.init(total_train_steps=10))
        thread.join(0.05)
        agent.open_readers()
        thread.join(WAIT)
        self.assertNotIn("error", outcome)
        self.assertEqual(agent.wait_for("last_step", 1), [{"step": 10}])
