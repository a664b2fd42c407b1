# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The pfstudio authors
"""A test double of the pf-agent's side of the SDK channel.

It creates the six pipes in a directory (as the real agent does before it
starts the command), holds its read ends open, and runs one thread that reads
raw frames, records them and, unless told otherwise, answers each step_info
with an ack. Tests wait on its condition variable with a timeout; nothing
sleeps.
"""

import json
import os
import select
import struct
import threading

SDK_TO_AGENT = ("last_step", "step_info", "metric", "ckpt")
AGENT_TO_SDK = ("ack", "emergency_save")
WAIT = 5.0  # seconds a test waits for something that should happen at once


def frame(message):
    """Encode a frame independently of the SDK's own encoder."""
    payload = json.dumps(message).encode("utf-8")
    return struct.pack("<I", len(payload)) + payload


class FakeAgent:
    def __init__(self, ipc_dir, local_rank=0, auto_ack=True, open_readers=True):
        self.ipc_dir = ipc_dir
        self.local_rank = local_rank
        self.auto_ack = auto_ack
        self.paths = {}
        for name in SDK_TO_AGENT + AGENT_TO_SDK:
            path = os.path.join(ipc_dir, f"periflow_{name}_ipc_fifo_{local_rank}")
            os.mkfifo(path)
            self.paths[name] = path
        self.raw = {name: bytearray() for name in SDK_TO_AGENT}
        self.frames = {name: [] for name in SDK_TO_AGENT}     # raw frame bytes
        self.messages = {name: [] for name in SDK_TO_AGENT}   # decoded dicts
        self._cond = threading.Condition()
        self._read_fds = {}
        self._write_fds = {}
        self._write_lock = threading.Lock()
        self._to_close = set()
        self._wake_r, self._wake_w = os.pipe()
        self._thread = None
        if open_readers:
            self.open_readers()

    # -- lifecycle -------------------------------------------------------

    def open_readers(self):
        for name in SDK_TO_AGENT:
            self._read_fds[name] = os.open(self.paths[name], os.O_RDONLY | os.O_NONBLOCK)
        self._thread = threading.Thread(target=self._run, name="fake-agent", daemon=True)
        self._thread.start()

    def close_reader(self, name):
        """Close one read end, as an agent that went away would.

        The agent thread closes it, so it never polls a closed descriptor.
        """
        with self._cond:
            self._to_close.add(name)
            os.write(self._wake_w, b"x")
            if not self._cond.wait_for(lambda: name not in self._read_fds, WAIT):
                raise AssertionError(f"the agent thread did not close {name}")

    def stop(self):
        if self._thread is not None:
            os.write(self._wake_w, b"q")
            self._thread.join(WAIT)
        for fd in list(self._read_fds.values()) + list(self._write_fds.values()):
            os.close(fd)
        self._read_fds.clear()
        self._write_fds.clear()
        os.close(self._wake_r)
        os.close(self._wake_w)

    # -- agent -> SDK ----------------------------------------------------

    def send_raw(self, name, data):
        with self._write_lock:
            fd = self._write_fds.get(name)
            if fd is None:
                # The SDK holds its read ends open from init() on, so a
                # non-blocking O_WRONLY open succeeds.
                fd = os.open(self.paths[name], os.O_WRONLY | os.O_NONBLOCK)
                self._write_fds[name] = fd
            os.write(fd, data)

    def send(self, name, message):
        self.send_raw(name, frame(message))

    def ack(self, status="SUCCESS"):
        self.send("ack", {"status": status})

    # -- SDK -> agent ----------------------------------------------------

    def wait_for(self, name, count, timeout=WAIT):
        """Wait until ``count`` frames arrived on ``name``; return all of them."""
        with self._cond:
            ok = self._cond.wait_for(lambda: len(self.messages[name]) >= count, timeout)
            if not ok:
                raise AssertionError(f"{name}: {len(self.messages[name])} frames after "
                                     f"{timeout} s, expected {count}")
            return list(self.messages[name])

    def _run(self):
        poller = select.poll()
        poller.register(self._wake_r, select.POLLIN)
        watched = {}       # fd -> name
        finished = set()   # names whose SDK end was closed
        while True:
            with self._cond:
                for name in self._to_close:
                    fd = self._read_fds.pop(name)
                    if fd in watched:
                        poller.unregister(fd)
                        del watched[fd]
                    os.close(fd)
                self._to_close.clear()
                self._cond.notify_all()
                current = {fd: name for name, fd in self._read_fds.items()
                           if name not in finished}
            for fd in set(watched) - set(current):
                poller.unregister(fd)
                del watched[fd]
            for fd, name in current.items():
                if fd not in watched:
                    poller.register(fd, select.POLLIN)
                    watched[fd] = name
            for fd, _events in poller.poll():
                if fd == self._wake_r:
                    if b"q" in os.read(self._wake_r, 64):
                        return
                    continue
                name = watched.get(fd)
                if name is None:
                    continue
                try:
                    data = os.read(fd, 65536)
                except BlockingIOError:
                    continue
                if not data:
                    # The SDK closed its write end: stop watching this pipe.
                    finished.add(name)
                    poller.unregister(fd)
                    del watched[fd]
                    continue
                self._absorb(name, data)

    def _absorb(self, name, data):
        acks = 0
        with self._cond:
            buf = self.raw[name]
            buf += data
            consumed = sum(len(f) for f in self.frames[name])
            while len(buf) - consumed >= 4:
                (length,) = struct.unpack_from("<I", buf, consumed)
                end = consumed + 4 + length
                if len(buf) < end:
                    break
                raw = bytes(buf[consumed:end])
                self.frames[name].append(raw)
                self.messages[name].append(json.loads(raw[4:].decode("utf-8")))
                consumed = end
                if name == "step_info" and self.auto_ack:
                    acks += 1
            self._cond.notify_all()
        for _ in range(acks):
            self.ack()
