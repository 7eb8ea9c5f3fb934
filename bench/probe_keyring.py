"""The probe's test keyring: ``PYTHON_KEYRING_BACKEND=bench.probe_keyring.ProbeKeyring``.

An in-memory keyring holding the sandbox token for the bench profile, so the
probed app reads its token from "the keyring" the way it does in production
(the lookup and its cost included), never from a real user keyring.
"""

from __future__ import annotations

from bench.probe import KEYRING_PROFILE_ENV, KEYRING_TOKEN_ENV
from testkit.keyrings import EnvKeyring


class ProbeKeyring(EnvKeyring):
    TOKEN_ENV = KEYRING_TOKEN_ENV
    PROFILE_ENV = KEYRING_PROFILE_ENV
