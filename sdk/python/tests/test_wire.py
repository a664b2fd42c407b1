# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The pfstudio authors
"""The frame format, byte for byte, without pipes."""

import math
import struct
import unittest

from periflow_sdk import MAX_FRAME_BYTES, ProtocolError
from periflow_sdk._wire import FrameDecoder, encode_frame, to_plain


class FakeScalar:
    """Stands in for a numpy/torch scalar: only item()."""

    def __init__(self, value):
        self.value = value

    def item(self):
        return self.value


class FakeArray:
    def __init__(self, values):
        self.values = values

    def item(self):
        raise ValueError("only one element arrays can be converted")

    def tolist(self):
        return list(self.values)


class EncodeTest(unittest.TestCase):
    def test_length_prefix_is_four_bytes_little_endian(self):
        data = encode_frame({"step": 7})
        self.assertEqual(data, b"\x0a\x00\x00\x00" + b'{"step":7}')

    def test_long_payload_uses_the_high_bytes(self):
        data = encode_frame({"s": "x" * 300})
        payload = b'{"s":"' + b"x" * 300 + b'"}'
        self.assertEqual(len(payload), 308)
        self.assertEqual(data[:4], b"\x34\x01\x00\x00")
        self.assertEqual(data[4:], payload)

    def test_utf8_not_ascii_escapes(self):
        data = encode_frame({"name": "손실"})
        self.assertEqual(data[4:], '{"name":"손실"}'.encode("utf-8"))
        self.assertEqual(struct.unpack("<I", data[:4])[0], len(data) - 4)

    def test_oversized_message_is_refused(self):
        with self.assertRaises(ValueError):
            encode_frame({"s": "x" * MAX_FRAME_BYTES})

    def test_plain_values(self):
        self.assertEqual(to_plain({"a": FakeScalar(1.5), "b": float("nan"),
                                   "c": (1, FakeArray([2, 3])), "d": math.inf}),
                         {"a": 1.5, "b": None, "c": [1, [2, 3]], "d": None})
        with self.assertRaises(TypeError):
            to_plain({"a": object()})


class DecodeTest(unittest.TestCase):
    def test_messages_split_anywhere(self):
        stream = encode_frame({"a": 1}) + encode_frame({"b": [2, 3]})
        for cut in range(len(stream) + 1):
            decoder = FrameDecoder("test")
            got = decoder.feed(stream[:cut]) + decoder.feed(stream[cut:])
            self.assertEqual(got, [{"a": 1}, {"b": [2, 3]}], cut)
            self.assertEqual(decoder.pending_bytes, 0)

    def test_one_byte_at_a_time(self):
        stream = encode_frame({"status": "SUCCESS"})
        decoder = FrameDecoder("test")
        got = []
        for i in range(len(stream)):
            got += decoder.feed(stream[i:i + 1])
        self.assertEqual(got, [{"status": "SUCCESS"}])

    def test_oversized_length_prefix(self):
        decoder = FrameDecoder("ack")
        with self.assertRaisesRegex(ProtocolError, "ack: frame length 4294967295 is over"):
            decoder.feed(b"\xff\xff\xff\xff")
        # The stream has lost its framing: the decoder stays failed.
        with self.assertRaises(ProtocolError):
            decoder.feed(encode_frame({"status": "SUCCESS"}))

    def test_malformed_payloads(self):
        cases = {
            b"\xff\xfe": "not valid UTF-8",
            b"{status": "not valid JSON",
            b"[1,2]": "JSON list, not an object",
            b"NaN": "not valid JSON",
            b"": "not valid JSON",
        }
        for payload, message in cases.items():
            decoder = FrameDecoder("ack")
            with self.assertRaisesRegex(ProtocolError, message, msg=payload):
                decoder.feed(struct.pack("<I", len(payload)) + payload)


if __name__ == "__main__":
    unittest.main()
