"""The team relay's credentials in the keyring: set, read, replace and delete, off the loop."""

from __future__ import annotations

import asyncio

import pytest

from agentapp.secrets import AsyncSecretStore, SecretStore, SecretStoreError
from testkit.keyrings import BrokenKeyring, MemoryKeyring


def test_set_replace_and_delete_through_the_async_facade() -> None:
    backend = MemoryKeyring()
    store = AsyncSecretStore(SecretStore(backend))

    async def scenario() -> None:
        await store.set_relay_creds("work", "a2101:one")
        await store.set_relay_creds("work", "a2101:two")
        assert await store.get_relay_creds("work") == "a2101:two"
        assert await store.get_token("work") is None  # a separate entry from the token
        await store.delete_relay_creds("work")
        assert await store.get_relay_creds("work") is None
        await store.delete_relay_creds("work")  # deleting nothing is not an error

    asyncio.run(scenario())
    assert backend.passwords == {}


def test_a_broken_keyring_is_a_secret_store_error() -> None:
    store = SecretStore(BrokenKeyring())
    with pytest.raises(SecretStoreError, match="remove the relay credentials"):
        store.delete_relay_creds("work")
