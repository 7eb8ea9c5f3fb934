"""The keyring helper's side: one JSON request answered, every failure an answer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import keyring.backends.null
import pytest

from agentapp.secrets import SERVICE_NAME, SecretStore
from agentapp.secrets_helper import answer
from agentapp.secrets_process import helper_command
from testkit.keyrings import BrokenKeyring, MemoryKeyring

REPO = Path(__file__).resolve().parents[1]


def _ask(store: SecretStore, **request: object) -> dict[str, object]:
    return answer(json.dumps(request).encode(), store)


def test_round_trip_of_token_and_relay_creds() -> None:
    backend = MemoryKeyring()
    store = SecretStore(backend)
    assert _ask(store, op="set_token", profile="work", secret="tok") == {"ok": True, "value": None}
    assert _ask(store, op="set_relay_creds", profile="work", secret="u:p")["ok"] is True
    assert backend.passwords == {(SERVICE_NAME, "work"): "tok",
                                 (SERVICE_NAME, "work/relay-nats"): "u:p"}
    assert _ask(store, op="get_token", profile="work") == {"ok": True, "value": "tok"}
    assert _ask(store, op="get_relay_creds", profile="work")["value"] == "u:p"
    assert _ask(store, op="delete_token", profile="work")["ok"] is True
    assert _ask(store, op="delete_relay_creds", profile="work")["ok"] is True
    assert _ask(store, op="get_token", profile="work") == {"ok": True, "value": None}
    assert backend.passwords == {}


def test_describe_says_what_the_sign_in_flow_needs() -> None:
    value = _ask(SecretStore(MemoryKeyring()), op="describe")["value"]
    assert isinstance(value, dict)
    assert value["secure"] is True and "MemoryKeyring" in value["backend"]
    assert value["description"].startswith("only “")


def test_an_insecure_keyring_refuses_with_its_own_kind() -> None:
    reply = _ask(SecretStore(keyring.backends.null.Keyring()), op="set_token", profile="w",
                 secret="tok")
    assert reply["ok"] is False and reply["kind"] == "insecure"
    assert "not saved" in str(reply["message"])


@pytest.mark.parametrize(("raw", "words"), [
    (b"not json", "not JSON"),
    (b"\xff\xfe", "not JSON"),
    (b"[1, 2]", "not an object"),
    (b'{"op": "format_disk", "profile": "w"}', "does not know the operation"),
    (b'{"op": "get_token"}', "needs a profile"),
    (b'{"op": "get_token", "profile": 7}', "needs a profile"),
    (b'{"op": "set_token", "profile": "w", "secret": ""}', "nothing to store"),
    (b'{"op": "set_relay_creds", "profile": "w"}', "nothing to store"),
])
def test_bad_requests_get_an_answer_in_words(raw: bytes, words: str) -> None:
    backend = MemoryKeyring()
    reply = answer(raw, SecretStore(backend))
    assert reply["ok"] is False and reply["kind"] == "error"
    assert words in str(reply["message"])
    assert backend.passwords == {}


def test_a_failing_backend_is_an_error_answer_not_a_traceback() -> None:
    reply = _ask(SecretStore(BrokenKeyring()), op="get_token", profile="w")
    assert reply == {"ok": False, "kind": "error",
                     "message": "Could not read the API token from the keyring: "
                                "D-Bus connection lost"}


def test_the_helper_is_started_through_the_bundle_when_frozen(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert helper_command() == [sys.executable, "-m", "agentapp", "--keyring-helper"]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert helper_command() == [sys.executable, "--keyring-helper"]


def test_the_helper_loads_no_qt_and_is_hidden_from_help() -> None:
    code = ("import io, sys\n"
            "sys.stdin = io.TextIOWrapper(io.BytesIO(b'{\"op\": \"describe\"}'))\n"
            "from agentapp.app import main\n"
            "code = main(['--keyring-helper'])\n"
            "print(code, sorted(m for m in ('PySide6', 'qasync', 'httpx') if m in sys.modules),"
            " file=sys.stderr)\n")
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True,
                          timeout=60, check=True)
    assert json.loads(done.stdout)["value"]["secure"] is False
    assert done.stderr.decode().strip() == "0 []"
    usage = subprocess.run([*helper_command()[:-1], "--help"], capture_output=True, text=True,
                           timeout=60, check=True).stdout
    assert "keyring-helper" not in usage
