# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The pfstudio authors
"""Shared fixture: a clean environment, a temporary directory, pf.close()."""

import os
import tempfile
import unittest
from unittest import mock

import periflow_sdk as pf

SDK_VARIABLES = ("PERIFLOW_ENABLED", "PERIFLOW_IPC_DIR", "PERIFLOW_IPC_TIMEOUT",
                 "RANK", "LOCAL_RANK", "PROCESSED_ITERS")


class SdkTestCase(unittest.TestCase):
    def setUp(self):
        pf.close()
        tmp = tempfile.TemporaryDirectory(prefix="pf-sdk-test-")
        self.addCleanup(tmp.cleanup)
        self.tmp = tmp.name
        env = mock.patch.dict(os.environ)
        env.start()
        self.addCleanup(env.stop)
        for name in SDK_VARIABLES:
            os.environ.pop(name, None)
        self.addCleanup(pf.close)

    def set_env(self, **values):
        for name, value in values.items():
            os.environ[name] = str(value)
