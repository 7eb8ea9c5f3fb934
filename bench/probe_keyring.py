"""The probe's test keyring: ``PYTHON_KEYRING_BACKEND=bench.probe_keyring.ProbeKeyring``.

An in-memory keyring holding the sandbox token for the bench profile, so the
probed app reads its token from "the keyring" the way it does in production
(the lookup and its cost included), never from a real user keyring.
"""

from __future__ import annotations

import os

from bench.probe import KEYRING_PROFILE_ENV, KEYRING_TOKEN_ENV
from testkit.keyrings import MemoryKeyring


class ProbeKeyring(MemoryKeyring):
    def __init__(self) -> None:
        super().__init__()
        from agentapp.secrets import SERVICE_NAME

        token = os.environ.pop(KEYRING_TOKEN_ENV, "")
        profile = os.environ.get(KEYRING_PROFILE_ENV, "")
        if token and profile:
            self.passwords[(SERVICE_NAME, profile)] = token
