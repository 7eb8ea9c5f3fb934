"""The real app, as its own process, SIGKILLed with a disposition queued: sent once after restart.

The disposition is queued the way the form's Save queues it (``store.dispositions.commit``:
draft done and outbox item in one transaction) in the profile's store file; the app is
started against the sandbox with the note endpoint failing, tries, and is killed; then it
is started again with the sandbox healthy. The sandbox's list of received notes must hold
the disposition exactly once.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from agentapp.sandbox.thread import SandboxThread
from agentapp.store import open_store, store_path
from agentapp.store.connection import open_connection
from agentapp.store.dispositions_repo import Draft

ROOT = Path(__file__).resolve().parents[2]
DID = "+911143104567"
NOTE_PATH = "/api/update_call_note"


def _app(sb: SandboxThread, profile: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "AGENTAPP_TOKEN": sb.token}
    return subprocess.Popen(
        [sys.executable, "-m", "agentapp", "--api-url", sb.base_url, "--extension", "2101",
         "--did", DID, "--profile", profile], env=env, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _outbox_row(path: Path) -> tuple[str, int] | None:
    conn = open_connection(path, readonly=True)
    try:
        row = conn.execute("SELECT state, attempts FROM outbox ORDER BY seq LIMIT 1").fetchone()
    finally:
        conn.close()
    return (row[0], row[1]) if row else None


def _until(predicate, proc: subprocess.Popen[bytes], what: str, within: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + within
    while not predicate():
        assert proc.poll() is None, f"the app exited ({proc.returncode}) before {what}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_app_killed_with_a_pending_disposition_sends_it_once_after_restart(
        sandbox: SandboxThread, data_dirs: Path) -> None:
    profile = "disp-kill"
    row = sandbox.control("GET", "/api/c2c_logs")["data"][0]
    record_id = str(row["recordid"])
    path = store_path(profile, sandbox.base_url)

    async def queue() -> None:
        store = await open_store(path)
        try:
            await store.dispositions.commit(Draft(
                source="c2c", record_id=record_id, call_type="c2c", status_id=4,
                remark="wrong person", number=str(row["client_no"])))
        finally:
            await store.aclose()

    asyncio.run(queue())
    sandbox.control("POST", "/_sandbox/faults", {"error_rate": 1.0, "paths": [NOTE_PATH]})
    app = _app(sandbox, profile)
    try:
        _until(lambda: (_outbox_row(path) or ("", 0))[1] >= 1, app, "the first attempt")
    finally:
        app.send_signal(signal.SIGKILL)
        app.wait(timeout=30)
    assert _outbox_row(path) is not None and _outbox_row(path)[0] == "pending"  # type: ignore[index]
    assert sandbox.control("GET", "/_sandbox/notes")["data"] == []

    sandbox.control("POST", "/_sandbox/faults", {})
    app = _app(sandbox, profile)
    try:
        _until(lambda: (_outbox_row(path) or ("", 0))[0] == "sent", app, "the send at start")
    finally:
        app.terminate()
        app.wait(timeout=30)
    notes = sandbox.control("GET", "/_sandbox/notes")["data"]
    assert [(n["record_id"], n["call_status"], n["call_remark"]) for n in notes] == [
        (record_id, "4", "wrong person")]
