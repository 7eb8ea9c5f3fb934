"""The API token lives in the OS keyring, behind a deliberately small interface.

Why a wrapper: the rest of the app must never learn which keyring backend is in
use, must never silently fall back to a plaintext file, and must be testable
with an in-memory backend passed through the constructor.

``keyring`` is imported only when a store first talks to it: the desktop app
reaches the keyring through a short-lived helper process
(``agentapp.secrets_process``), so importing this module (for its errors and
``AsyncSecrets``) must not load keyring and its backends into the app (~12 MiB).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

SERVICE_NAME = "in.ivrsolutions.AgentCompanion"

_T = TypeVar("_T")

# Backends that "work" but do not protect anything: refusing them keeps the
# token out of plaintext (keyrings.alt) and out of the void (fail/null).
_INSECURE_MODULE_PREFIXES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")


class SecretStoreError(Exception):
    """Any failure talking to the keyring (locked, D-Bus gone, backend error)."""


class InsecureKeyring(SecretStoreError):
    """Raised instead of storing a token in a keyring that would not protect it."""


def _priority(backend: KeyringBackend) -> float:
    """A backend's priority; backends that raise while probing count as unusable."""
    try:
        return float(backend.priority)
    except Exception:  # backends signal "not viable here" by raising from priority
        return 0.0


def backend_is_secure(backend: KeyringBackend) -> bool:
    """True only for a real OS keyring (a chainer counts if it chains one)."""
    module = type(backend).__module__
    if module.startswith(_INSECURE_MODULE_PREFIXES):
        return False
    if module == "keyring.backends.chainer":
        chained = getattr(backend, "backends", [])
        return any(backend_is_secure(inner) for inner in chained)
    return _priority(backend) >= 1


def describe_backend(backend: KeyringBackend) -> str:
    """A keyring backend in words an agent can act on (``fail Keyring`` means nothing to them)."""
    module = type(backend).__module__
    if module.startswith(("keyring.backends.fail", "keyring.backends.null")):
        return "no keyring service answered"
    if module.startswith("keyrings.alt"):
        return "only an unencrypted file store"
    if module == "keyring.backends.chainer" and not getattr(backend, "backends", []):
        return "no keyring service answered"
    name = getattr(backend, "name", None)
    return f"only “{name}”" if name else f"only “{type(backend).__name__}”"


class SecretStore:
    """Blocking get/set/delete of the per-profile API token (username = profile)."""

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._backend = backend

    def _keyring(self) -> KeyringBackend:
        # Resolved lazily so constructing a store does no D-Bus work at startup.
        if self._backend is None:
            import keyring

            self._backend = keyring.get_keyring()
        return self._backend

    def backend_name(self) -> str:
        backend = self._keyring()
        name = getattr(backend, "name", None)
        return str(name) if name else f"{type(backend).__module__}.{type(backend).__name__}"

    def is_secure(self) -> bool:
        return backend_is_secure(self._keyring())

    def backend_description(self) -> str:
        """What the agent is told was found instead of a keyring, in words (not a class name)."""
        return describe_backend(self._keyring())

    def get_token(self, profile: str) -> str | None:
        try:
            return self._keyring().get_password(SERVICE_NAME, profile)
        except Exception as exc:
            raise SecretStoreError(f"Could not read the API token from the keyring: {exc}") from exc

    def set_token(self, profile: str, token: str) -> None:
        if not token:
            raise ValueError("token must not be empty")
        if not self.is_secure():
            raise InsecureKeyring(
                f"No secure system keyring is available (found {self.backend_name()!r}). "
                "The API token was not saved, because it would not be protected. "
                "Install or unlock your desktop's keyring (e.g. GNOME Keyring or KWallet) "
                "and sign in again."
            )
        try:
            self._keyring().set_password(SERVICE_NAME, profile, token)
        except Exception as exc:
            raise SecretStoreError(f"Could not save the API token in the keyring: {exc}") from exc

    def delete_token(self, profile: str) -> None:
        """Remove the token; deleting a token that is not there is not an error."""
        from keyring.errors import PasswordDeleteError

        try:
            self._keyring().delete_password(SERVICE_NAME, profile)
        except PasswordDeleteError:
            return
        except Exception as exc:
            raise SecretStoreError(
                f"Could not delete the API token from the keyring: {exc}"
            ) from exc


    # The team relay's NATS credentials (docs/relay.md), one entry per profile.
    def get_relay_creds(self, profile: str) -> str | None:
        try:
            return self._keyring().get_password(SERVICE_NAME, _relay_user(profile))
        except Exception as exc:
            raise SecretStoreError(f"Could not read the relay credentials: {exc}") from exc

    def set_relay_creds(self, profile: str, creds: str) -> None:
        if not creds:
            raise ValueError("credentials must not be empty")
        if not self.is_secure():
            raise InsecureKeyring(
                f"No secure system keyring is available (found {self.backend_name()!r}); "
                "the relay credentials were not saved.")
        try:
            self._keyring().set_password(SERVICE_NAME, _relay_user(profile), creds)
        except Exception as exc:
            raise SecretStoreError(f"Could not save the relay credentials: {exc}") from exc

    def delete_relay_creds(self, profile: str) -> None:
        """Remove them; removing credentials that are not there is not an error."""
        from keyring.errors import PasswordDeleteError

        try:
            self._keyring().delete_password(SERVICE_NAME, _relay_user(profile))
        except PasswordDeleteError:
            return
        except Exception as exc:
            raise SecretStoreError(f"Could not remove the relay credentials: {exc}") from exc

    def describe(self) -> dict[str, object]:
        """Backend name, whether it protects anything, and what the agent is told."""
        return {"backend": self.backend_name(), "secure": self.is_secure(),
                "description": self.backend_description()}


def _relay_user(profile: str) -> str:
    return f"{profile}/relay-nats"


class AsyncSecrets(Protocol):
    """What the app needs from a keyring, awaited. Two shapes satisfy it: the
    in-process ``AsyncSecretStore`` (tests, with an in-memory backend) and the desktop
    app's ``agentapp.secrets_process.ProcessSecretStore`` (a helper process per call).
    Failures raise ``SecretStoreError`` (``InsecureKeyring`` when a set is refused)."""

    async def get_token(self, profile: str) -> str | None: ...

    async def set_token(self, profile: str, token: str) -> None: ...

    async def delete_token(self, profile: str) -> None: ...

    async def backend_name(self) -> str: ...

    async def backend_description(self) -> str: ...

    async def is_secure(self) -> bool: ...

    async def get_relay_creds(self, profile: str) -> str | None: ...

    async def set_relay_creds(self, profile: str, creds: str) -> None: ...

    async def delete_relay_creds(self, profile: str) -> None: ...


class AsyncSecretStore:
    """The same operations off the UI loop: keyring calls can block on D-Bus."""

    def __init__(self, store: SecretStore) -> None:
        self._store = store

    @property
    def store(self) -> SecretStore:
        return self._store

    async def _run(self, func: Callable[..., _T], *args: str) -> _T:
        import asyncio  # here, not at import: the keyring helper never needs it (~25 ms)

        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, func, *args)

    async def get_token(self, profile: str) -> str | None:
        return await self._run(self._store.get_token, profile)

    async def set_token(self, profile: str, token: str) -> None:
        await self._run(self._store.set_token, profile, token)

    async def delete_token(self, profile: str) -> None:
        await self._run(self._store.delete_token, profile)

    async def backend_name(self) -> str:
        return await self._run(self._store.backend_name)

    async def backend_description(self) -> str:
        return await self._run(self._store.backend_description)

    async def is_secure(self) -> bool:
        return await self._run(self._store.is_secure)

    async def get_relay_creds(self, profile: str) -> str | None:
        return await self._run(self._store.get_relay_creds, profile)

    async def set_relay_creds(self, profile: str, creds: str) -> None:
        await self._run(self._store.set_relay_creds, profile, creds)

    async def delete_relay_creds(self, profile: str) -> None:
        await self._run(self._store.delete_relay_creds, profile)
