# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The pfstudio authors
"""periflow_sdk: report a training loop's progress to pfstudio.

Usage::

    import periflow_sdk as pf

    pf.init(total_train_steps=total)        # before any other call
    while pf.get_step() < total:
        with pf.train_step():               # or pf.start_step() ... pf.end_step()
            loss = train_one_batch()
        if pf.get_step() % 100 == 0:
            pf.metric({"loss": loss})
        if pf.get_step() % 1000 == 0 or pf.is_emergency_save():
            save_checkpoint_into(os.environ["CKPT_DIR"])
            pf.upload_checkpoint()

Modes
-----
``PERIFLOW_ENABLED=1`` (set by the pfstudio agent inside a job) selects
*enabled mode*, in which every call talks to the agent of this node. Without
it the SDK runs in *local mode*: ``metric()`` appends one JSON object per line
to ``local_log_name`` (default ``./periflow_metrics.jsonl``, resolved when
``init()`` runs), ``upload_checkpoint()`` does nothing, ``is_emergency_save()``
is always False, and the step calls only count steps.

The channel (enabled mode)
--------------------------
Six named pipes per training process, ``{dir}/periflow_{name}_ipc_fifo_{r}``
where ``r`` is ``LOCAL_RANK`` (default 0) and ``dir`` is ``PERIFLOW_IPC_DIR``
(default ``/tmp``; pfstudio's own tests point it elsewhere)::

    name            direction     message
    last_step       SDK -> agent  {"step": total_train_steps}       sent by init()
    step_info       SDK -> agent  {"step": n, "step_time": seconds}  sent by end_step()
    ack             agent -> SDK  {"status": "SUCCESS"}              end_step() waits for it
    metric          SDK -> agent  the metric dict + "step", "rank", "local_rank"
    ckpt            SDK -> agent  {"step": n, "save_type": "NORMAL"|"EMERGENCY",
                                   "trigger_time": unix seconds (float)}
    emergency_save  agent -> SDK  {"emergency_save_step": N}  (N = -1: now)

A frame is a 4-byte little-endian unsigned payload length followed by that many
bytes of compact UTF-8 JSON (an object). Frames are at most 1 MiB
(``MAX_FRAME_BYTES``); a longer length prefix from the agent, bytes that are
not UTF-8 JSON, or JSON that is not an object raise :class:`ProtocolError`.

Who does what:

* The **agent creates the pipes** (``mkfifo``), for every local rank of the
  node, *before* it starts the job's command, and removes them afterwards. It
  should also open its read ends (last_step, step_info, metric, ckpt) before
  starting the command. The SDK never creates pipes: a missing pipe in
  enabled mode is an error (:class:`ChannelError`) raised by ``init()``.
* The SDK opens its ends in ``init()``: ack and emergency_save first
  (read-write, non-blocking, so they open at once and never report a hang-up
  when the agent's writer comes and goes; the agent may therefore open its
  write ends with ``O_WRONLY`` as soon as the SDK has sent ``last_step``), then
  its four write ends, then sends ``last_step``.
* ``end_step()`` sends step_info and blocks until one ack per step_info sent
  has arrived (acks owed from an earlier timed-out step are consumed first).
  An ack whose status is not ``"SUCCESS"`` raises :class:`PeriFlowError`.
* ``is_emergency_save()`` reads whatever emergency_save frames are waiting,
  without blocking, and keeps the last one. It returns True while a request
  is pending and due: N == -1, or the current step >= N. The next
  ``upload_checkpoint()`` is then sent with ``save_type`` EMERGENCY and
  clears the request.

Steps: the counter starts at ``PROCESSED_ITERS`` (default 0; steps already
done by a job being resumed); ``end_step()`` adds one and reports the new
value, so "step" always means "steps completed". ``metric()`` and
``upload_checkpoint()`` report the current counter. Progress = step / total.

Timeouts: ``PERIFLOW_IPC_TIMEOUT`` seconds (default 300; ``0`` = no limit)
bounds each wait on the agent: for a reader on a write pipe in ``init()``, for
room in a full pipe, and for the ack in ``end_step()``. It raises
:class:`ChannelTimeout`; the step still counts, and a step_info whose ack was
late is answered by the next ack that arrives.

Other environment: ``RANK`` (default 0) and ``LOCAL_RANK`` (default 0) are
sent with each metric. Waits use ``poll()``, never a busy loop. The calls may
come from several threads of one process (say a metric from a logger thread
while ``end_step()`` waits for its ack); one step must be started and ended
in order.
"""

import atexit
import contextlib
import threading

from ._session import DEFAULT_IPC_DIR, DEFAULT_IPC_TIMEOUT, DEFAULT_LOCAL_LOG, Session, fifo_path
from ._wire import MAX_FRAME_BYTES
from .errors import ChannelError, ChannelTimeout, PeriFlowError, ProtocolError

__version__ = "0.1.0"

__all__ = [
    "init", "close", "start_step", "end_step", "train_step", "metric",
    "upload_checkpoint", "is_emergency_save", "get_step", "is_enabled",
    "PeriFlowError", "ChannelError", "ProtocolError", "ChannelTimeout",
    "MAX_FRAME_BYTES", "DEFAULT_IPC_DIR", "DEFAULT_IPC_TIMEOUT", "DEFAULT_LOCAL_LOG",
    "fifo_path",
]

_session = None
_session_lock = threading.Lock()
_atexit_registered = False


def _current():
    session = _session
    if session is None:
        raise PeriFlowError("periflow_sdk is not initialised; "
                            "call pf.init(total_train_steps) first")
    return session


def init(total_train_steps, local_log_name=None):
    """Start a training run of ``total_train_steps`` steps.

    Must come before every other call. In enabled mode it opens the pipes and
    sends ``last_step``; errors (missing pipe, no agent) raise ChannelError.
    Calling it twice without ``close()`` raises PeriFlowError.
    """
    global _session, _atexit_registered
    with _session_lock:
        if _session is not None:
            raise PeriFlowError("pf.init() was already called; call pf.close() first")
        _session = Session(total_train_steps, local_log_name)
        if not _atexit_registered:
            atexit.register(close)
            _atexit_registered = True


def close():
    """End the run: close the pipes and the local metric file. Idempotent.

    Also runs at interpreter exit. ``init()`` may be called again afterwards.
    """
    global _session
    with _session_lock:
        session, _session = _session, None
    if session is not None:
        session.close()


def start_step():
    """Mark the beginning of one training iteration."""
    _current().start_step()


def end_step():
    """Mark its end: count it and, in enabled mode, report it and wait for the ack."""
    _current().end_step()


@contextlib.contextmanager
def train_step():
    """``with pf.train_step():`` wraps one iteration in start_step()/end_step().

    If the body raises, the step is not counted or reported and the exception
    propagates.
    """
    session = _current()
    session.start_step()
    try:
        yield
    except BaseException:
        session.abandon_step()
        raise
    session.end_step()


def metric(values):
    """Report a dict of metrics (name -> JSON value) at the current step.

    numpy/torch scalars are converted with ``item()``, NaN and infinities are
    sent as null. The names ``step``, ``rank`` and ``local_rank`` are
    reserved (the SDK adds them) and raise ValueError.
    """
    _current().metric(values)


def upload_checkpoint():
    """Ask the agent to upload everything in ``CKPT_DIR`` as the checkpoint of
    the current step. Save the files first. No-op in local mode."""
    _current().upload_checkpoint()


def is_emergency_save():
    """True when the agent asked for a checkpoint due at this step (see above)."""
    return _current().is_emergency_save()


def get_step():
    """Steps completed so far, counting from PROCESSED_ITERS."""
    return _current().step


def is_enabled():
    """True in enabled mode (``PERIFLOW_ENABLED=1``), False in local mode."""
    return _current().enabled
