"""Keyring backends for the keyring helper's own process (``agentapp --keyring-helper``).

A test chooses one with ``PYTHON_KEYRING_BACKEND=testkit.helper_keyrings.<Name>``
(and ``PYTHONPATH`` at the repository): keyring in the helper then loads it, as
it would load the OS keyring, and nothing in the app is replaced.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from testkit import keyrings
from testkit.keyrings import MemoryKeyring

# A directory: the holding keyring writes ``waiting`` (its pid) there and waits for ``release``.
HOLD_DIR_ENV = "AGENTAPP_TEST_KEYRING_HOLD_DIR"
# The token (popped from the environment at once) and the profile it belongs to.
TOKEN_ENV = "AGENTAPP_TEST_KEYRING_TOKEN"
PROFILE_ENV = "AGENTAPP_TEST_KEYRING_PROFILE"
HOLD_AT_MOST_S = 60.0  # a test that forgets to release never leaves a helper behind for long


class HoldingKeyring(MemoryKeyring):
    """Every call waits, as a keyring does while its unlock prompt is open."""

    def _hold(self) -> None:
        where = Path(os.environ[HOLD_DIR_ENV])
        note = where / f"waiting.{os.getpid()}"
        note.write_text(str(os.getpid()))
        note.rename(where / "waiting")  # whole, never half-written, when the test reads it
        deadline = time.monotonic() + HOLD_AT_MOST_S
        while not (where / "release").exists():
            if time.monotonic() > deadline:
                raise RuntimeError("the test never released the keyring")
            time.sleep(0.02)

    def get_password(self, service: str, username: str) -> str | None:
        self._hold()
        return super().get_password(service, username)

    def set_password(self, service: str, username: str, password: str) -> None:
        self._hold()
        super().set_password(service, username, password)


class EnvKeyring(keyrings.EnvKeyring):
    """Holds the token a test handed over in ``TOKEN_ENV`` for ``PROFILE_ENV``'s profile."""

    TOKEN_ENV = TOKEN_ENV
    PROFILE_ENV = PROFILE_ENV


class ChattyKeyring(MemoryKeyring):
    """Prints on stdout while it works, as some backends' libraries do."""

    def get_password(self, service: str, username: str) -> str | None:
        print("unlocking collection…")
        return "chatty-token"
