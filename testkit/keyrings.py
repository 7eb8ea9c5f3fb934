"""In-memory keyring backends (a true boundary: the OS keyring), never the user's."""

from __future__ import annotations

import os

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    """Stores passwords in a dict; counts as a secure backend (priority 5)."""

    priority = 5

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.passwords[(service, username)]
        except KeyError:
            raise PasswordDeleteError(username) from None


class EnvKeyring(MemoryKeyring):
    """Holds a token handed over through the environment, for one profile.

    For a keyring that lives in another process (the app's keyring helper, loaded
    there by ``PYTHON_KEYRING_BACKEND``): the token is popped from ``TOKEN_ENV`` at
    once, so nothing started later inherits it; ``PROFILE_ENV`` names the profile.
    Subclasses choose the two variable names.
    """

    TOKEN_ENV = ""
    PROFILE_ENV = ""

    def __init__(self) -> None:
        super().__init__()
        from agentapp.secrets import SERVICE_NAME

        token = os.environ.pop(self.TOKEN_ENV, "")
        profile = os.environ.get(self.PROFILE_ENV, "")
        if token and profile:
            self.passwords[(SERVICE_NAME, profile)] = token


class BrokenKeyring(MemoryKeyring):
    """A backend whose every call fails, like a locked keyring or a dead D-Bus."""

    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError("D-Bus connection lost")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError("D-Bus connection lost")

    def delete_password(self, service: str, username: str) -> None:
        raise RuntimeError("D-Bus connection lost")
