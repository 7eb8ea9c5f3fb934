"""SecretStore: token round trips, refusal of insecure keyrings, error wrapping."""

from __future__ import annotations

import asyncio
import uuid

import keyring.backends.fail
import keyring.backends.null
import pytest
from keyring.backends.chainer import ChainerBackend

from agentapp.secrets import (
    SERVICE_NAME,
    AsyncSecretStore,
    InsecureKeyring,
    SecretStore,
    SecretStoreError,
    backend_is_secure,
)
from testkit.keyrings import BrokenKeyring, MemoryKeyring
from testkit.strict import need_service


def test_round_trip_uses_service_name_and_profile_as_username() -> None:
    backend = MemoryKeyring()
    store = SecretStore(backend)
    assert store.get_token("work") is None
    store.set_token("work", "tok-123")
    assert backend.passwords == {(SERVICE_NAME, "work"): "tok-123"}
    assert store.get_token("work") == "tok-123"
    assert store.get_token("other") is None
    store.delete_token("work")
    assert store.get_token("work") is None
    store.delete_token("work")  # deleting twice is fine


def test_memory_backend_counts_as_secure() -> None:
    store = SecretStore(MemoryKeyring())
    assert store.is_secure()
    assert "MemoryKeyring" in store.backend_name()


@pytest.mark.parametrize(
    "backend", [keyring.backends.fail.Keyring(), keyring.backends.null.Keyring()]
)
def test_insecure_backends_refuse_and_write_nothing(backend: object) -> None:
    store = SecretStore(backend)  # type: ignore[arg-type]
    assert not store.is_secure()
    with pytest.raises(InsecureKeyring, match="not saved"):
        store.set_token("work", "tok-123")


def test_low_priority_backend_is_insecure_and_untouched() -> None:
    class Weak(MemoryKeyring):
        priority = 0.5  # type: ignore[assignment]

    weak = Weak()
    with pytest.raises(InsecureKeyring):
        SecretStore(weak).set_token("work", "tok")
    assert weak.passwords == {}


def test_plaintext_keyrings_alt_style_backend_is_insecure() -> None:
    plaintext = type("PlaintextKeyring", (MemoryKeyring,), {"__module__": "keyrings.alt.file"})()
    assert not backend_is_secure(plaintext)
    with pytest.raises(InsecureKeyring):
        SecretStore(plaintext).set_token("work", "tok")
    assert plaintext.passwords == {}


def test_chainer_is_secure_only_with_a_real_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    chainer = ChainerBackend()
    monkeypatch.setattr(ChainerBackend, "backends", [keyring.backends.fail.Keyring()])
    assert not backend_is_secure(chainer)
    monkeypatch.setattr(ChainerBackend, "backends", [MemoryKeyring()])
    assert backend_is_secure(chainer)


def test_backend_errors_are_wrapped() -> None:
    store = SecretStore(BrokenKeyring())
    with pytest.raises(SecretStoreError, match="D-Bus"):
        store.get_token("work")
    with pytest.raises(SecretStoreError):
        store.set_token("work", "tok")
    with pytest.raises(SecretStoreError):
        store.delete_token("work")


def test_async_store_round_trip() -> None:
    backend = MemoryKeyring()
    store = AsyncSecretStore(SecretStore(backend))

    async def scenario() -> tuple[str | None, str | None, bool]:
        await store.set_token("p", "secret-value")
        got = await store.get_token("p")
        await store.delete_token("p")
        return got, await store.get_token("p"), await store.is_secure()

    assert asyncio.run(scenario()) == ("secret-value", None, True)


def _secret_service_backend() -> object | None:
    try:
        from keyring.backends import SecretService

        backend = SecretService.Keyring()
        if backend.priority < 1:
            return None
    except Exception:
        return None
    return backend


@pytest.mark.secret_service
def test_real_secret_service_round_trip() -> None:
    backend = _secret_service_backend()
    need_service(backend is not None, "Secret Service (gnome-keyring on D-Bus)")
    store = SecretStore(backend)  # type: ignore[arg-type]
    assert store.is_secure()
    profile = f"test-{uuid.uuid4().hex}"
    try:
        store.set_token(profile, "real-token-value")
        assert store.get_token(profile) == "real-token-value"
        store.delete_token(profile)
        assert store.get_token(profile) is None
    finally:
        store.delete_token(profile)


@pytest.mark.parametrize(("backend", "words"), [
    (keyring.backends.fail.Keyring(), "no keyring service answered"),
    (keyring.backends.null.Keyring(), "no keyring service answered"),
    (MemoryKeyring(), "only “"),
])
def test_backend_is_described_in_words_not_a_class_name(backend: object, words: str) -> None:
    description = SecretStore(backend).backend_description()  # type: ignore[arg-type]
    assert words in description
    assert "fail Keyring" not in description and "keyring.backends" not in description
