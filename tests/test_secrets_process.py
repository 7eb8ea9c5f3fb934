"""ProcessSecretStore: the keyring through real helper processes, on the app's qasync loop.

The helper is the real ``python -m agentapp --keyring-helper``; only the keyring
it finds is chosen, through ``PYTHON_KEYRING_BACKEND`` as a user could: the real
Secret Service (gnome-keyring on D-Bus, as in CI), keyring's null backend, or a
test backend from ``testkit.helper_keyrings`` that holds a call as an unlock
prompt would.
"""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from pathlib import Path

import pytest

from agentapp.secrets import InsecureKeyring, SecretStoreError
from agentapp.secrets_process import ProcessSecretStore, helper_command
from testkit.helper_keyrings import HOLD_DIR_ENV
from testkit.qt_loop import QtLoop
from testkit.strict import need_service
from testkit.waiting import wait_until

REPO = Path(__file__).resolve().parents[1]
# Unicode of every width, 4 KB long: what a keyring entry must carry unchanged.
BIG_TOKEN = ("tøkén-तुम्हारा-🔑-" * 400)[:4096]


def _use_backend(monkeypatch: pytest.MonkeyPatch, backend: str | None) -> None:
    """The helper's keyring (it inherits this process's environment)."""
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    if backend is None:
        monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    else:
        monkeypatch.setenv("PYTHON_KEYRING_BACKEND", backend)


@pytest.fixture
def holding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The helper's keyring holds every call until ``<dir>/release`` exists."""
    _use_backend(monkeypatch, "testkit.helper_keyrings.HoldingKeyring")
    monkeypatch.setenv(HOLD_DIR_ENV, str(tmp_path))
    return tmp_path


async def _held_helper(hold_dir: Path) -> int:
    """The pid of the helper once its keyring call is being held (a child of ours)."""
    note = hold_dir / "waiting"
    await wait_until(note.exists, 30, "the helper's keyring call")
    pid = int(note.read_text())
    assert f"PPid:\t{os.getpid()}\n".encode() in _proc(pid, "status"), "not our helper"
    return pid


def _proc(pid: int, name: str) -> bytes:
    """A process's /proc file (tiny, in memory: no disk I/O on the loop)."""
    return Path(f"/proc/{pid}/{name}").read_bytes()


def _gone(pid: int) -> bool:
    return not Path(f"/proc/{pid}").exists()


@pytest.mark.secret_service
def test_real_secret_service_through_the_helper(
        qloop: QtLoop, monkeypatch: pytest.MonkeyPatch) -> None:
    _use_backend(monkeypatch, None)  # the helper finds the desktop's keyring itself
    store = ProcessSecretStore()
    profile = f"test-{uuid.uuid4().hex}"

    async def scenario() -> None:
        backend = await store.backend_name()
        need_service("SecretService" in backend, "Secret Service (gnome-keyring on D-Bus)")
        assert await store.is_secure()
        assert await store.backend_description() == f"only “{backend}”"
        try:
            assert await store.get_token(profile) is None
            await store.set_token(profile, "first-token")
            await store.set_token(profile, BIG_TOKEN)  # replaces it
            assert await store.get_token(profile) == BIG_TOKEN
            await store.set_relay_creds(profile, "a2101:relay-🔑")
            assert await store.get_relay_creds(profile) == "a2101:relay-🔑"
            assert await store.get_token(profile) == BIG_TOKEN  # a separate entry
            await store.delete_token(profile)
            await store.delete_relay_creds(profile)
            assert await store.get_token(profile) is None
            assert await store.get_relay_creds(profile) is None
            await store.delete_token(profile)  # deleting nothing is not an error
        finally:
            await store.delete_token(profile)
            await store.delete_relay_creds(profile)

    qloop.run(scenario())


def test_an_insecure_keyring_is_refused_in_words(
        qloop: QtLoop, monkeypatch: pytest.MonkeyPatch) -> None:
    _use_backend(monkeypatch, "keyring.backends.null.Keyring")
    store = ProcessSecretStore()

    async def scenario() -> None:
        assert await store.is_secure() is False
        assert await store.backend_description() == "no keyring service answered"
        with pytest.raises(InsecureKeyring, match="The API token was not saved"):
            await store.set_token("work", "tok-123")
        with pytest.raises(InsecureKeyring, match="relay credentials were not saved"):
            await store.set_relay_creds("work", "u:p")
        assert await store.get_token("work") is None

    qloop.run(scenario())


def test_the_secret_is_never_in_the_helpers_argv_or_environment(
        qloop: QtLoop, holding: Path) -> None:
    store = ProcessSecretStore()

    async def scenario() -> None:
        saving = asyncio.ensure_future(store.set_token("work", BIG_TOKEN))
        pid = await _held_helper(holding)
        cmdline, environ = _proc(pid, "cmdline"), _proc(pid, "environ")
        assert cmdline.split(b"\0")[:-1] == [os.fsencode(a) for a in helper_command()]
        assert BIG_TOKEN[:40].encode() not in cmdline + environ
        assert "tøkén".encode() not in cmdline + environ
        (holding / "release").touch()
        await saving  # the helper took the token from stdin and stored it

    qloop.run(scenario())


def test_a_helper_that_hangs_is_killed_at_the_timeout_and_says_so(
        qloop: QtLoop, holding: Path) -> None:
    store = ProcessSecretStore(item_timeout_s=1)

    async def scenario() -> None:
        reading = asyncio.ensure_future(store.get_token("work"))
        pid = await _held_helper(holding)
        with pytest.raises(SecretStoreError,
                           match=r"did not answer within 1 second: is it locked"):
            await reading
        assert _gone(pid)

    qloop.run(scenario())


def test_cancelling_the_wait_kills_the_helper(qloop: QtLoop, holding: Path) -> None:
    store = ProcessSecretStore()

    async def scenario() -> None:
        reading = asyncio.ensure_future(store.get_token("work"))
        pid = await _held_helper(holding)
        reading.cancel()
        with pytest.raises(asyncio.CancelledError):
            await reading
        await wait_until(lambda: _gone(pid), 10, "the helper to be killed")

    qloop.run(scenario())


def test_closing_the_store_stops_a_waiting_helper(qloop: QtLoop, holding: Path) -> None:
    store = ProcessSecretStore()

    async def scenario() -> None:
        reading = asyncio.ensure_future(store.get_token("work"))
        pid = await _held_helper(holding)
        store.close()  # the app is quitting
        with pytest.raises(SecretStoreError, match="the app is quitting"):
            await reading
        assert _gone(pid)
        with pytest.raises(SecretStoreError, match="the app is quitting"):
            await store.get_token("work")

    qloop.run(scenario())


def test_a_helper_that_fails_is_an_error_with_its_last_words(qloop: QtLoop) -> None:
    crashing = ProcessSecretStore([sys.executable, "-c", "import sys; sys.exit('no D-Bus here')"])
    missing = ProcessSecretStore([str(REPO / "no-such-helper")])

    async def scenario() -> None:
        with pytest.raises(SecretStoreError, match=r"failed \(exit code 1\): no D-Bus here"):
            await crashing.get_token("work")
        with pytest.raises(SecretStoreError, match="could not be started"):
            await missing.get_token("work")

    qloop.run(scenario())


def test_a_token_read_early_is_the_answer_to_the_first_get(
        qloop: QtLoop, holding: Path) -> None:
    store = ProcessSecretStore()
    store.read_token_early("work")  # as the app does while it imports the rest

    async def scenario() -> None:
        pid = await _held_helper(holding)  # running before anything awaited it
        (holding / "release").touch()
        assert await store.get_token("work") is None
        assert int((holding / "waiting").read_text()) == pid  # no second helper
        assert _gone(pid)
        await store.get_token("work")  # a later read starts its own helper
        assert int((holding / "waiting").read_text()) != pid

    qloop.run(scenario())


def test_closing_stops_a_token_read_nobody_asked_for(qloop: QtLoop, holding: Path) -> None:
    store = ProcessSecretStore()
    store.read_token_early("work")

    async def scenario() -> None:
        pid = await _held_helper(holding)
        store.close()
        assert _gone(pid)

    qloop.run(scenario())


def test_what_a_backend_prints_does_not_garble_the_answer(
        qloop: QtLoop, monkeypatch: pytest.MonkeyPatch) -> None:
    _use_backend(monkeypatch, "testkit.helper_keyrings.ChattyKeyring")
    assert qloop.run(ProcessSecretStore().get_token("work")) == "chatty-token"
