"""The desktop app's keyring: every call is one short-lived helper process.

``agentapp --keyring-helper`` (``agentapp.secrets_helper``) does the keyring work
and exits, so keyring, secretstorage, jeepney and cryptography never load into
the app (~12 MiB kept all day for one read per session), and a call stuck behind
an unlock prompt is a process that can be killed: at its timeout, when the
awaiting task is cancelled, or when the app quits (``close``).

Why ``Popen`` + ``communicate`` in the loop's executor rather than asyncio's
subprocess API: it works the same on every event loop qasync offers (its Windows
loop has no subprocess transports) and needs no child watcher; the process
object is kept, so cancelling the wait kills the child and frees the thread at once.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
from collections.abc import Sequence
from typing import Any

from agentapp.secrets import InsecureKeyring, SecretStoreError

HELPER_FLAG = "--keyring-helper"
# The agent may be typing the keyring's unlock password meanwhile: be generous.
ITEM_TIMEOUT_S = 120.0
# Naming the backend needs the session bus, never an unlock prompt.
DESCRIBE_TIMEOUT_S = 30.0


def helper_command() -> list[str]:
    """How this install starts its helper: the bundle's own executable when frozen."""
    if getattr(sys, "frozen", False):
        return [sys.executable, HELPER_FLAG]
    return [sys.executable, "-m", "agentapp", HELPER_FLAG]


def _in_words(seconds: float) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        minutes = int(seconds // 60)
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{seconds:g} second{'s' if seconds != 1 else ''}"


class _HelperRun:
    """One helper process, killable from any thread (the loop's, on cancel or close)."""

    def __init__(self, command: Sequence[str]) -> None:
        self._command = list(command)
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._killed = False

    def start(self, payload: bytes) -> None:
        """Spawn the helper and hand it the request (a few KB: the pipe takes it at once)."""
        with self._lock:
            if self._killed:
                return
            self._process = subprocess.Popen(
                self._command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, close_fds=True)
        stdin, self._process.stdin = self._process.stdin, None  # communicate() skips it
        if stdin is not None:
            try:
                stdin.write(payload)
                stdin.close()
            except BrokenPipeError:  # the helper died at once: its stderr says why
                pass

    def wait(self, timeout_s: float) -> tuple[int, bytes, bytes, bool]:
        """(exit code, stdout, stderr, timed out). Blocking: runs in the executor."""
        process = self._process
        if process is None:  # killed before it started
            return -9, b"", b"", False
        try:
            out, err = process.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            process.kill()
            out, err = process.communicate()
            return process.returncode, out, err, True
        return process.returncode, out, err, False

    def run(self, payload: bytes, timeout_s: float) -> tuple[int, bytes, bytes, bool]:
        self.start(payload)
        return self.wait(timeout_s)

    @property
    def killed(self) -> bool:
        return self._killed

    def kill(self) -> None:
        with self._lock:
            self._killed = True
            if self._process is not None and self._process.poll() is None:
                self._process.kill()

    def reap(self) -> None:
        """Kill a run nobody will wait for, and collect it (no zombie, pipes closed)."""
        self.kill()
        if self._process is not None:
            self._process.communicate()


class ProcessSecretStore:
    """``agentapp.secrets.AsyncSecrets`` through the keyring helper; caches no secret.

    The backend's description is kept in memory once it says the keyring is secure
    (that does not change while the app runs); an insecure answer is asked again,
    since the agent may unlock or install a keyring meanwhile.
    """

    def __init__(self, command: Sequence[str] | None = None, *,
                 item_timeout_s: float = ITEM_TIMEOUT_S,
                 describe_timeout_s: float = DESCRIBE_TIMEOUT_S) -> None:
        self._command = list(command) if command is not None else helper_command()
        self._item_timeout_s = item_timeout_s
        self._describe_timeout_s = describe_timeout_s
        self._runs: set[_HelperRun] = set()
        self._early: dict[str, _HelperRun] = {}  # profile -> its token read, started early
        self._closed = False
        self._described: dict[str, Any] | None = None

    def read_token_early(self, profile: str) -> None:
        """Start reading ``profile``'s token now (not awaited; the first ``get_token`` for
        it takes the answer). The app calls this as it starts, so the helper runs while the
        app imports the rest of itself instead of after (~0.2 s off a signed-in start)."""
        if self._closed or profile in self._early:
            return
        run = _HelperRun(self._command)
        try:
            run.start(_request("get_token", profile))
        except OSError:
            return  # get_token will try again and say why
        self._early[profile] = run
        self._runs.add(run)

    def close(self) -> None:
        """Kill any helper still running (the app is quitting: nothing waits for it)."""
        self._closed = True
        for run in list(self._runs):
            run.kill()
        for run in self._early.values():  # started early, never asked for
            run.reap()
        self._early.clear()

    async def _ask(self, op: str, profile: str = "", secret: str | None = None) -> Any:
        if self._closed:
            raise SecretStoreError("The keyring is not asked any more: the app is quitting.")
        timeout_s = self._describe_timeout_s if op == "describe" else self._item_timeout_s
        early = self._early.pop(profile, None) if op == "get_token" else None
        run = early or _HelperRun(self._command)
        self._runs.add(run)
        loop = asyncio.get_running_loop()
        try:
            if early is not None:
                code, out, err, timed_out = await loop.run_in_executor(
                    None, run.wait, timeout_s)
            else:
                code, out, err, timed_out = await loop.run_in_executor(
                    None, run.run, _request(op, profile, secret), timeout_s)
        except asyncio.CancelledError:
            run.kill()  # nobody waits for the answer: the helper goes, its thread returns
            raise
        except OSError as exc:
            raise SecretStoreError(
                f"The keyring helper could not be started ({exc.strerror or exc}).") from exc
        finally:
            self._runs.discard(run)
        if timed_out:
            raise SecretStoreError(
                f"The keyring did not answer within {_in_words(timeout_s)}: is it locked, "
                "with an unlock prompt waiting somewhere on the screen? Unlock it (or close "
                "the prompt) and try again.")
        if run.killed:
            raise SecretStoreError("The keyring helper was stopped: the app is quitting.")
        return _value(code, out, err)

    async def _describe(self) -> dict[str, Any]:
        if self._described is not None:
            return self._described
        value = await self._ask("describe")
        if not isinstance(value, dict):
            raise SecretStoreError("The keyring helper did not describe the keyring.")
        if value.get("secure") is True:
            self._described = value
        return value

    async def get_token(self, profile: str) -> str | None:
        return _text_or_none(await self._ask("get_token", profile))

    async def set_token(self, profile: str, token: str) -> None:
        if not token:
            raise ValueError("token must not be empty")
        await self._ask("set_token", profile, token)

    async def delete_token(self, profile: str) -> None:
        await self._ask("delete_token", profile)

    async def backend_name(self) -> str:
        return str((await self._describe()).get("backend", ""))

    async def backend_description(self) -> str:
        return str((await self._describe()).get("description", ""))

    async def is_secure(self) -> bool:
        return (await self._describe()).get("secure") is True

    async def get_relay_creds(self, profile: str) -> str | None:
        return _text_or_none(await self._ask("get_relay_creds", profile))

    async def set_relay_creds(self, profile: str, creds: str) -> None:
        if not creds:
            raise ValueError("credentials must not be empty")
        await self._ask("set_relay_creds", profile, creds)

    async def delete_relay_creds(self, profile: str) -> None:
        await self._ask("delete_relay_creds", profile)


def _request(op: str, profile: str, secret: str | None = None) -> bytes:
    return json.dumps({"op": op, "profile": profile, "secret": secret}).encode("utf-8")


def _text_or_none(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise SecretStoreError("The keyring helper answered something that is not text.")


def _value(code: int, out: bytes, err: bytes) -> Any:
    """The helper's answer, or its failure as the error callers already handle."""
    try:
        reply = json.loads(out.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        reply = None
    if (not isinstance(reply, dict) or "ok" not in reply) and code == 0:
        raise SecretStoreError("The keyring helper's answer could not be read.")
    if not isinstance(reply, dict) or "ok" not in reply:
        last = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
        raise SecretStoreError(f"The keyring helper failed (exit code {code}): {last[0][:300]}")
    if reply["ok"]:
        return reply.get("value")
    message = str(reply.get("message") or "The keyring failed.")
    if reply.get("kind") == "insecure":
        raise InsecureKeyring(message)
    raise SecretStoreError(message)
