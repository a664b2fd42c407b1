# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The pfstudio authors
"""The SDK's ends of the named pipes the agent created.

Both classes use non-blocking descriptors and wait in ``poll()``, so every
wait has a deadline and none of them spins. ``timeout`` is in seconds;
``None`` waits for ever.
"""

import errno
import os
import select
import stat
import threading
import time

from ._wire import FrameDecoder, encode_frame
from .errors import ChannelError, ChannelTimeout

_READ_CHUNK = 64 * 1024


def _deadline(timeout):
    return None if timeout is None else time.monotonic() + timeout


def _remaining(deadline):
    """Seconds left before ``deadline`` (never negative); None for no deadline."""
    return None if deadline is None else max(0.0, deadline - time.monotonic())


def _poll_ms(seconds):
    # poll() takes milliseconds; round up so a short wait does not become 0.
    return None if seconds is None else int(seconds * 1000) + 1


def check_fifo(path, channel):
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise ChannelError(
            f"{channel}: {path} does not exist. With PERIFLOW_ENABLED=1 the SDK "
            f"expects the pfstudio agent to have created its named pipes before "
            f"starting the command (is PERIFLOW_IPC_DIR or LOCAL_RANK wrong, or "
            f"is PERIFLOW_ENABLED set outside a job?)") from None
    except OSError as exc:
        raise ChannelError(f"{channel}: cannot stat {path}: {exc.strerror}") from None
    if not stat.S_ISFIFO(mode):
        raise ChannelError(f"{channel}: {path} exists but is not a named pipe")


class FifoWriter:
    """Sends frames on one pipe (SDK -> agent). Thread-safe."""

    def __init__(self, path, channel, timeout):
        check_fifo(path, channel)
        self.path = path
        self.channel = channel
        self._lock = threading.Lock()
        self._broken = None
        self._fd = self._connect(timeout)
        self._poller = select.poll()
        self._poller.register(self._fd, select.POLLOUT)

    def _connect(self, timeout):
        # A non-blocking open for writing fails with ENXIO while nobody has the
        # pipe open for reading. The agent normally holds its read ends open
        # before the command starts; if it is late, retry with a growing pause
        # (10 ms up to 250 ms) until the deadline instead of blocking in open().
        deadline = _deadline(timeout)
        pause = 0.01
        while True:
            try:
                return os.open(self.path, os.O_WRONLY | os.O_NONBLOCK | os.O_CLOEXEC)
            except OSError as exc:
                if exc.errno != errno.ENXIO:
                    raise ChannelError(f"{self.channel}: cannot open {self.path} "
                                       f"for writing: {exc.strerror}") from None
            left = _remaining(deadline)
            if left is not None and left <= 0:
                raise ChannelTimeout(f"{self.channel}: no agent opened {self.path} "
                                     f"for reading within {timeout:g} s")
            time.sleep(pause if left is None else min(pause, left))
            pause = min(pause * 2, 0.25)

    def send(self, message, timeout):
        """Write one whole frame; raise ChannelTimeout if the pipe stays full."""
        data = memoryview(encode_frame(message))
        with self._lock:
            if self._broken is not None:
                raise ChannelError(f"{self.channel}: {self._broken}")
            if self._fd is None:
                raise ChannelError(f"{self.channel}: the pipe is closed")
            deadline = _deadline(timeout)
            written = 0
            while written < len(data):
                try:
                    written += os.write(self._fd, data[written:])
                    continue
                except BlockingIOError:
                    pass
                except BrokenPipeError:
                    self._broken = f"the agent closed its end of {self.path}"
                    raise ChannelError(f"{self.channel}: {self._broken}") from None
                except OSError as exc:
                    self._broken = f"writing {self.path} failed: {exc.strerror}"
                    raise ChannelError(f"{self.channel}: {self._broken}") from None
                left = _remaining(deadline)
                if left is None or left > 0:
                    # POLLERR (reader gone) also wakes us; the next write then
                    # fails with EPIPE.
                    self._poller.poll(_poll_ms(left))
                    continue
                if written:
                    # Half a frame is in the pipe: the stream cannot be resumed.
                    self._broken = (f"a frame was cut off after {written} of "
                                    f"{len(data)} bytes by a timeout")
                raise ChannelTimeout(f"{self.channel}: the agent did not read "
                                     f"{self.path} within {timeout:g} s")

    def close(self):
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None


class FifoReader:
    """Receives frames from one pipe (agent -> SDK).

    The pipe is opened read-write and non-blocking. Opening it for reading
    only would make poll() report a hang-up, over and over, whenever the
    agent's writer closed; holding a write end ourselves means poll() wakes
    for data only and the agent may open and close its writer as it likes.
    (Linux allows O_RDWR on a FIFO; POSIX leaves it unspecified. The agent,
    a sandboxed Linux process, is the only peer.)

    Not thread-safe by itself: the session serialises each reader's use.
    """

    def __init__(self, path, channel):
        check_fifo(path, channel)
        self.path = path
        self.channel = channel
        try:
            self._fd = os.open(path, os.O_RDWR | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError as exc:
            raise ChannelError(f"{channel}: cannot open {path}: {exc.strerror}") from None
        self._decoder = FrameDecoder(channel)
        self._poller = select.poll()
        self._poller.register(self._fd, select.POLLIN)

    def read_available(self):
        """Return every complete message already in the pipe; never blocks."""
        if self._fd is None:
            raise ChannelError(f"{self.channel}: the pipe is closed")
        self._decoder.raise_if_failed()
        messages = []
        while True:
            try:
                chunk = os.read(self._fd, _READ_CHUNK)
            except BlockingIOError:
                break
            except OSError as exc:
                raise ChannelError(f"{self.channel}: reading {self.path} failed: "
                                   f"{exc.strerror}") from None
            if not chunk:
                break
            messages.extend(self._decoder.feed(chunk))
        return messages

    def wait_readable(self, timeout):
        """Block until bytes arrive or ``timeout`` passes; True when readable."""
        if self._fd is None:
            raise ChannelError(f"{self.channel}: the pipe is closed")
        return bool(self._poller.poll(_poll_ms(timeout)))

    def close(self):
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
