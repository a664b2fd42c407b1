# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The pfstudio authors
"""State behind the module-level API: one Session per ``pf.init()``."""

import json
import os
import threading
import time

from ._fifo import FifoReader, FifoWriter, check_fifo
from ._wire import to_plain
from .errors import ChannelTimeout, PeriFlowError, ProtocolError

DEFAULT_IPC_DIR = "/tmp"
DEFAULT_IPC_TIMEOUT = 300.0
DEFAULT_LOCAL_LOG = "periflow_metrics.jsonl"

#: Keys the SDK adds to every metric; a metric may not set them itself.
RESERVED_METRIC_KEYS = ("step", "rank", "local_rank")

#: Every pipe of the channel, in the order they are checked.
CHANNELS = ("last_step", "step_info", "metric", "ckpt", "ack", "emergency_save")

_TRUE_WORDS = {"1", "true", "yes", "on"}


def fifo_path(ipc_dir, channel, local_rank):
    """Path of one pipe, e.g. /tmp/periflow_ack_ipc_fifo_0."""
    return os.path.join(ipc_dir, f"periflow_{channel}_ipc_fifo_{local_rank}")


def _env_int(env, name, default, minimum=0):
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise PeriFlowError(f"{name}={raw!r} is not an integer") from None
    if value < minimum:
        raise PeriFlowError(f"{name}={value} is below {minimum}")
    return value


def _env_timeout(env):
    raw = env.get("PERIFLOW_IPC_TIMEOUT", "").strip()
    if not raw:
        return DEFAULT_IPC_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        raise PeriFlowError(f"PERIFLOW_IPC_TIMEOUT={raw!r} is not a number of seconds") from None
    if value != value or value < 0:
        raise PeriFlowError(f"PERIFLOW_IPC_TIMEOUT={raw!r} must be 0 (no limit) or positive")
    return None if value == 0 else value


class Session:
    """One training run's SDK state.

    Locks: ``_lock`` guards the counters and is only held briefly;
    ``_step_lock`` serialises ``end_step()`` (send step_info, wait for the ack)
    so that ``metric()`` from another thread never waits for an ack; each pipe
    writer has its own lock.
    """

    def __init__(self, total_train_steps, local_log_name=None, env=None):
        if isinstance(total_train_steps, bool) or not isinstance(total_train_steps, int):
            raise TypeError("total_train_steps must be an int, not "
                            f"{type(total_train_steps).__name__}")
        if total_train_steps <= 0:
            raise ValueError(f"total_train_steps must be positive, not {total_train_steps}")
        env = os.environ if env is None else env
        self.total_train_steps = total_train_steps
        self.enabled = env.get("PERIFLOW_ENABLED", "").strip().lower() in _TRUE_WORDS
        self.rank = _env_int(env, "RANK", 0)
        self.local_rank = _env_int(env, "LOCAL_RANK", 0)
        self.timeout = _env_timeout(env)
        self.ipc_dir = env.get("PERIFLOW_IPC_DIR", "").strip() or DEFAULT_IPC_DIR

        self._lock = threading.Lock()
        self._step_lock = threading.Lock()
        self._emergency_lock = threading.Lock()
        self._step = _env_int(env, "PROCESSED_ITERS", 0)
        self._step_started_at = None
        self._acks_owed = 0
        self._emergency_step = None   # None: no request; -1: now; N: at step N
        self._closed = False

        self._local_log_path = os.path.abspath(local_log_name or DEFAULT_LOCAL_LOG)
        self._local_log = None

        self._readers = {}
        self._writers = {}
        if self.enabled:
            self._connect()

    # -- channel ---------------------------------------------------------

    def _connect(self):
        # Check all six before opening any, so a setup error is reported at
        # once rather than after waiting for a reader that will never come.
        for name in CHANNELS:
            check_fifo(self._path(name), name)
        try:
            # Read ends first: they open at once, and an agent that opens its
            # write ends O_WRONLY|O_NONBLOCK needs a reader to exist.
            for name in ("ack", "emergency_save"):
                self._readers[name] = FifoReader(self._path(name), name)
            for name in ("last_step", "step_info", "metric", "ckpt"):
                self._writers[name] = FifoWriter(self._path(name), name, self.timeout)
            self._send("last_step", {"step": self.total_train_steps})
        except BaseException:
            self._close_pipes()
            raise

    def _path(self, channel):
        return fifo_path(self.ipc_dir, channel, self.local_rank)

    def _send(self, channel, message):
        writer = self._writers.get(channel)
        if writer is None:  # close() ran in another thread meanwhile
            raise PeriFlowError("the periflow_sdk session is closed")
        writer.send(message, self.timeout)

    def _close_pipes(self):
        for end in list(self._readers.values()) + list(self._writers.values()):
            end.close()
        self._readers.clear()
        self._writers.clear()

    def _check_open(self):
        if self._closed:
            raise PeriFlowError("the periflow_sdk session is closed; call pf.init() again")

    # -- steps -----------------------------------------------------------

    @property
    def step(self):
        with self._lock:
            return self._step

    def start_step(self):
        with self._lock:
            self._check_open()
            if self._step_started_at is not None:
                raise PeriFlowError("start_step() called again before end_step()")
            self._step_started_at = time.monotonic()

    def abandon_step(self):
        """Forget a started step without counting it (its body raised)."""
        with self._lock:
            self._step_started_at = None

    def end_step(self):
        with self._step_lock:
            with self._lock:
                self._check_open()
                if self._step_started_at is None:
                    raise PeriFlowError("end_step() called without start_step()")
                step_time = time.monotonic() - self._step_started_at
                self._step_started_at = None
                self._step += 1
                step = self._step
            if self.enabled:
                self._send("step_info", {"step": step, "step_time": step_time})
                self._acks_owed += 1
                self._wait_for_acks(step)

    def _wait_for_acks(self, step):
        # Every step_info earns one ack. Acks owed from an earlier step that
        # timed out are consumed first, so a late ack is never mistaken for
        # the answer to this step.
        reader = self._readers["ack"]
        deadline = None if self.timeout is None else time.monotonic() + self.timeout
        while True:
            for message in reader.read_available():
                self._acks_owed -= 1
                status = message.get("status")
                if not isinstance(status, str):
                    raise ProtocolError(f"ack: expected {{\"status\": ...}}, got {message!r}")
                if status != "SUCCESS":
                    raise PeriFlowError(f"ack: the agent answered a step_info with "
                                        f"status {status!r} (at step {step})")
            if self._acks_owed <= 0:
                self._acks_owed = 0
                return
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise ChannelTimeout(f"ack: no answer from the agent to step {step} "
                                     f"within {self.timeout:g} s "
                                     f"(PERIFLOW_IPC_TIMEOUT)")
            reader.wait_readable(left)

    # -- metrics ---------------------------------------------------------

    def metric(self, values):
        if not isinstance(values, dict):
            raise TypeError(f"metric() takes a dict, not {type(values).__name__}")
        for key in values:
            if not isinstance(key, str):
                raise TypeError(f"metric names must be strings, not {key!r}")
            if key in RESERVED_METRIC_KEYS:
                raise ValueError(f"metric name {key!r} is reserved: the SDK adds "
                                 f"{', '.join(RESERVED_METRIC_KEYS)} itself")
        message = to_plain(values, "metric")
        with self._lock:
            self._check_open()
            message.update(step=self._step, rank=self.rank, local_rank=self.local_rank)
        if self.enabled:
            self._send("metric", message)
        else:
            self._append_local(message)

    def _append_local(self, message):
        line = json.dumps(message, ensure_ascii=False, allow_nan=False) + "\n"
        with self._lock:
            self._check_open()
            if self._local_log is None:
                self._local_log = open(self._local_log_path, "a", encoding="utf-8")
            self._local_log.write(line)
            self._local_log.flush()

    # -- checkpoints -----------------------------------------------------

    def _poll_emergency(self):
        # Caller holds _emergency_lock.
        for message in self._readers["emergency_save"].read_available():
            target = message.get("emergency_save_step")
            if isinstance(target, bool) or not isinstance(target, int) or target < -1:
                raise ProtocolError('emergency_save: expected {"emergency_save_step": N} '
                                    f"with an integer N >= -1, got {message!r}")
            self._emergency_step = target

    def is_emergency_save(self):
        with self._lock:
            self._check_open()
        if not self.enabled:
            return False
        with self._emergency_lock:
            self._poll_emergency()
            target = self._emergency_step
        if target is None:
            return False
        return target == -1 or self.step >= target

    def upload_checkpoint(self):
        with self._lock:
            self._check_open()
        if not self.enabled:
            return
        with self._emergency_lock:
            self._poll_emergency()
            target = self._emergency_step
            step = self.step
            emergency = target is not None and (target == -1 or step >= target)
            self._send("ckpt", {"step": step,
                                "save_type": "EMERGENCY" if emergency else "NORMAL",
                                "trigger_time": time.time()})
            if emergency:
                self._emergency_step = None

    # -- shutdown --------------------------------------------------------

    def close(self):
        with self._lock:
            if self._closed:
                return
            self._closed = True
            if self._local_log is not None:
                self._local_log.close()
                self._local_log = None
        with self._step_lock, self._emergency_lock:
            self._close_pipes()
