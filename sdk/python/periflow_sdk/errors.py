# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The pfstudio authors
"""Exceptions raised by periflow_sdk.

Every error the SDK raises on purpose derives from :class:`PeriFlowError`, so a
training script can catch that one class. Misuse of the API (calls before
``init()``, ``end_step()`` without ``start_step()``, a metric that is not a
dict) raises ``PeriFlowError`` or, for bad argument values, ``ValueError`` /
``TypeError``.
"""


class PeriFlowError(RuntimeError):
    """Base class: the SDK was misused or its channel to the agent failed."""


class ChannelError(PeriFlowError):
    """A named pipe to the agent is missing, unusable or was closed."""


class ProtocolError(ChannelError):
    """The agent sent a frame the SDK cannot accept.

    Raised for a length prefix over the frame limit, bytes that are not UTF-8
    JSON, JSON that is not an object, or an object without the expected keys.
    After one of the first three the pipe is unusable, because its byte stream
    has lost its framing: later reads on it raise the same error again.
    """


class ChannelTimeout(ChannelError, TimeoutError):
    """The agent did not answer, read or connect within PERIFLOW_IPC_TIMEOUT."""
