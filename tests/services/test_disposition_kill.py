"""SIGKILL between save and send: the disposition is sent after the restart, exactly once.

The app's disposition stack runs in a real subprocess (bench/disposition_worker.py)
on a store file in tmp_path; the sandbox's own record of received notes is the judge.
"""

from __future__ import annotations

import time
from pathlib import Path

from agentapp.sandbox.thread import SandboxThread
from bench.reliability import Worker, fault_plan

NOTE_PATH = "/api/update_call_note"


def _target(sb: SandboxThread, index: int = 0) -> dict[str, str]:
    row = sb.control("GET", "/api/c2c_logs")["data"][index]
    return {"source": "c2c", "record_id": str(row["recordid"]), "call_type": "c2c",
            "number": row["client_no"]}


def _notes(sb: SandboxThread) -> list[dict[str, object]]:
    return list(sb.control("GET", "/_sandbox/notes")["data"])


def test_killed_between_save_and_send_then_sent_once_after_restart(
        sandbox: SandboxThread, tmp_path: Path) -> None:
    db = tmp_path / "store.sqlite3"
    target = _target(sandbox)
    sandbox.control("POST", "/_sandbox/faults", {"error_rate": 1.0, "paths": [NOTE_PATH]})
    worker = Worker(sandbox.base_url, sandbox.token, db, backoff=30.0, backoff_cap=60.0)
    try:
        worker.expect("ready")
        worker.send(op="save", status=2, remark="customer hung up on price", **target)
        assert worker.expect("saved")["record_id"] == target["record_id"]
    finally:
        worker.kill()  # SIGKILL: no shutdown code runs
    assert _notes(sandbox) == []

    sandbox.control("POST", "/_sandbox/faults", {})
    worker = Worker(sandbox.base_url, sandbox.token, db)
    try:
        assert worker.expect("ready")["pending"] == 1  # still queued after the kill
        worker.send(op="drain")
        assert worker.expect("drained") == {"event": "drained", "pending": 0, "failed": 0}
        worker.send(op="state", source="c2c", record_id=target["record_id"])
        assert worker.expect("state")["state"] == "sent"
    finally:
        worker.close()
    notes = _notes(sandbox)
    assert [(n["record_id"], n["call_status"], n["call_remark"]) for n in notes] == [
        (target["record_id"], "2", "customer hung up on price")]


def test_killed_after_the_server_applied_it_is_not_sent_again(
        sandbox: SandboxThread, tmp_path: Path) -> None:
    """The answer is cut off after the server applied the note; then SIGKILL; then restart."""
    db = tmp_path / "store.sqlite3"
    target = _target(sandbox, 1)
    sandbox.control("POST", "/_sandbox/faults",
                    {"truncated_rate": 1.0, "paths": [NOTE_PATH], "count": 1})
    worker = Worker(sandbox.base_url, sandbox.token, db, backoff=30.0, backoff_cap=60.0)
    try:
        worker.expect("ready")
        worker.send(op="save", status=6, remark="converted", **target)
        worker.expect("saved")
        deadline = time.monotonic() + 30
        while not _notes(sandbox):  # the first attempt reached the server
            assert time.monotonic() < deadline, "the worker never sent the note"
            time.sleep(0.02)
        # Applied on the server, but the answer was unreadable: still pending here.
        worker.send(op="state", source="c2c", record_id=target["record_id"])
        assert worker.expect("state")["state"] == "pending"
    finally:
        worker.kill()
    worker = Worker(sandbox.base_url, sandbox.token, db)
    try:
        worker.expect("ready")
        worker.send(op="drain")
        assert worker.expect("drained")["pending"] == 0
    finally:
        worker.close()
    assert len(_notes(sandbox)) == 1


def test_a_draft_survives_sigkill(sandbox: SandboxThread, tmp_path: Path) -> None:
    db = tmp_path / "store.sqlite3"
    target = _target(sandbox, 2)
    worker = Worker(sandbox.base_url, sandbox.token, db)
    try:
        worker.expect("ready")
        worker.send(op="draft", status=None, remark="half a thought", **target)
        worker.expect("drafted")
    finally:
        worker.kill()
    worker = Worker(sandbox.base_url, sandbox.token, db)
    try:
        worker.expect("ready")
        worker.send(op="state", source="c2c", record_id=target["record_id"])
        got = worker.expect("state")
        assert (got["state"], got["remark"]) == ("draft", "half a thought")
    finally:
        worker.close()
    assert _notes(sandbox) == []  # a draft is never sent


def test_fault_plan_adds_up_to_the_asked_failure_rate() -> None:
    plan = fault_plan(0.3)
    ok = 1.0
    for rate in plan.values():
        ok *= 1.0 - rate
    assert abs((1.0 - ok) - 0.3) < 1e-9
