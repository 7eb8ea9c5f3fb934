"""The keyring helper: one request on stdin, one answer on stdout, then exit.

Why a separate process (as git's and docker's credential helpers are): keyring
with its Secret Service backend (secretstorage, jeepney, cryptography) costs
the desktop app ~12 MiB of memory for the rest of the day for what is usually
one read per session, and a keyring call can block for as long as an unlock
prompt stays open; a thread cannot be abandoned, a process can be killed.
``agentapp.secrets_process.ProcessSecretStore`` is the app's side.

Wire format (UTF-8 JSON, one object each way)::

    request  {"op": "get_token", "profile": "default", "secret": null}
    answer   {"ok": true, "value": "..."}
             {"ok": false, "kind": "insecure" | "error", "message": "..."}

A secret travels only in these pipes: never in argv, the environment, a log
line or stderr. No Qt here (import-linter checks it).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from typing import IO, Any

from agentapp.secrets import InsecureKeyring, SecretStore, SecretStoreError

MAX_REQUEST_BYTES = 1 << 20  # a token or a .creds file is a few KB
OPS = ("get_token", "set_token", "delete_token", "get_relay_creds", "set_relay_creds",
       "delete_relay_creds", "describe")


def _operation(store: SecretStore, op: str, profile: str, secret: str) -> Callable[[], object]:
    table: dict[str, Callable[[], object]] = {
        "get_token": lambda: store.get_token(profile),
        "set_token": lambda: store.set_token(profile, secret),
        "delete_token": lambda: store.delete_token(profile),
        "get_relay_creds": lambda: store.get_relay_creds(profile),
        "set_relay_creds": lambda: store.set_relay_creds(profile, secret),
        "delete_relay_creds": lambda: store.delete_relay_creds(profile),
        "describe": store.describe,
    }
    return table[op]


def _failure(kind: str, message: str) -> dict[str, Any]:
    return {"ok": False, "kind": kind, "message": message}


def answer(raw: bytes, store: SecretStore) -> dict[str, Any]:
    """The answer to one raw request (never raises: every failure is an answer)."""
    try:
        request = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return _failure("error", "The keyring helper got a request that is not JSON.")
    if not isinstance(request, dict):
        return _failure("error", "The keyring helper got a request that is not an object.")
    op, profile, secret = request.get("op"), request.get("profile", ""), request.get("secret")
    if op not in OPS:
        return _failure("error", f"The keyring helper does not know the operation {op!r}.")
    if not isinstance(profile, str) or (op != "describe" and not profile):
        return _failure("error", "The keyring helper needs a profile name.")
    if op.startswith("set_") and (not isinstance(secret, str) or not secret):
        return _failure("error", "The keyring helper got nothing to store.")
    try:
        value = _operation(store, op, profile, secret or "")()
    except InsecureKeyring as exc:
        return _failure("insecure", str(exc))
    except SecretStoreError as exc:
        return _failure("error", str(exc))
    except Exception as exc:  # a backend bug: said in words, never a traceback on stderr
        return _failure("error", f"The keyring failed: {type(exc).__name__}: {exc}")
    return {"ok": True, "value": value}


def _stream(stream: IO[str] | None, fd: int, mode: str) -> IO[bytes]:
    """The binary stream behind stdin/stdout; a windowed (frozen) build may have none."""
    if stream is not None and hasattr(stream, "buffer"):
        return stream.buffer
    return os.fdopen(fd, mode, closefd=False)


def serve(store: SecretStore | None = None) -> int:
    """``agentapp --keyring-helper``: answer one request; exit 0 when an answer was written."""
    raw = _stream(sys.stdin, 0, "rb").read(MAX_REQUEST_BYTES + 1)
    out = _stream(sys.stdout, 1, "wb")
    sys.stdout = sys.stderr  # whatever a backend prints must not garble the answer
    if len(raw) > MAX_REQUEST_BYTES:
        reply = _failure("error", "The keyring helper got a request over 1 MiB.")
    else:
        reply = answer(raw, store or SecretStore())
    out.write(json.dumps(reply).encode("utf-8"))
    out.flush()
    return 0
