# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The pfstudio authors
"""Framing of the SDK channel: a 4-byte little-endian length, then UTF-8 JSON.

Pure functions and a small incremental decoder; no I/O happens here, so the
format can be tested byte for byte.
"""

import json
import math
import struct

from .errors import ProtocolError

#: Largest payload, in bytes, the SDK sends or accepts in one frame. The
#: messages of the channel are a few dozen bytes; a larger length prefix means
#: the stream lost its framing or the peer is not the agent.
MAX_FRAME_BYTES = 1 << 20

_HEADER = struct.Struct("<I")
HEADER_BYTES = _HEADER.size


def to_plain(value, where="value"):
    """Return ``value`` as plain JSON data.

    Scalars of array libraries (numpy, torch) are converted through their
    ``item()`` method and arrays through ``tolist()``; non-finite floats (NaN,
    infinities), which JSON cannot carry, become ``None``. Anything else that
    JSON cannot represent raises ``TypeError`` naming ``where``.
    """
    if value is None or isinstance(value, (bool, str, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): to_plain(v, f"{where}[{k!r}]") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(v, f"{where}[{i}]") for i, v in enumerate(value)]
    item = getattr(value, "item", None)
    if callable(item):
        try:
            return to_plain(item(), where)
        except (TypeError, ValueError):
            pass  # not a one-element array; fall through to tolist()
    tolist = getattr(value, "tolist", None)
    if callable(tolist):
        return to_plain(tolist(), where)
    raise TypeError(f"{where} of type {type(value).__name__} cannot be sent as JSON")


def encode_frame(message):
    """Encode one message (a dict of plain JSON data) as a frame."""
    payload = json.dumps(message, ensure_ascii=False, allow_nan=False,
                         separators=(",", ":")).encode("utf-8")
    if len(payload) > MAX_FRAME_BYTES:
        raise ValueError(f"message of {len(payload)} bytes is over the "
                         f"{MAX_FRAME_BYTES}-byte frame limit")
    return _HEADER.pack(len(payload)) + payload


def _reject_constant(name):
    raise ValueError(f"{name} is not valid JSON")


def decode_payload(payload, channel):
    """Decode one frame's payload into a dict, or raise ProtocolError."""
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(f"{channel}: frame is not valid UTF-8 ({exc})") from None
    try:
        message = json.loads(text, parse_constant=_reject_constant)
    except ValueError as exc:
        raise ProtocolError(f"{channel}: frame is not valid JSON ({exc}): {text[:200]!r}") from None
    if not isinstance(message, dict):
        raise ProtocolError(f"{channel}: frame holds a JSON {type(message).__name__}, "
                            f"not an object: {text[:200]!r}")
    return message


class FrameDecoder:
    """Turns a byte stream into messages, whatever the chunking.

    ``feed()`` returns the messages completed by the new bytes and keeps an
    incomplete frame for the next call. After a ProtocolError the decoder stays
    failed: the stream cannot be resynchronised, so every later ``feed()``
    raises the same error.
    """

    def __init__(self, channel):
        self._channel = channel
        self._buffer = bytearray()
        self._error = None

    @property
    def pending_bytes(self):
        return len(self._buffer)

    def raise_if_failed(self):
        if self._error is not None:
            raise self._error

    def feed(self, data):
        self.raise_if_failed()
        self._buffer += data
        messages = []
        try:
            while len(self._buffer) >= HEADER_BYTES:
                (length,) = _HEADER.unpack_from(self._buffer)
                if length > MAX_FRAME_BYTES:
                    raise ProtocolError(
                        f"{self._channel}: frame length {length} is over the "
                        f"{MAX_FRAME_BYTES}-byte limit (header bytes "
                        f"{bytes(self._buffer[:HEADER_BYTES]).hex()})")
                end = HEADER_BYTES + length
                if len(self._buffer) < end:
                    break
                payload = bytes(self._buffer[HEADER_BYTES:end])
                del self._buffer[:end]
                messages.append(decode_payload(payload, self._channel))
        except ProtocolError as exc:
            self._error = exc
            raise
        return messages
