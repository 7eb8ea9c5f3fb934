"""Dispositions reliability: N saves, injected failures, random SIGKILLs; count lost and duplicated.

``python -m bench dispositions`` (or ``python -m bench.reliability``) starts a
sandbox with enough history, injects ``error_rate`` failures on every API path
(the note endpoint and the log look-ups alike: dropped connections, 500s and
answers cut off after the server applied the note), and feeds dispositions for N
distinct calls to the app's disposition stack running in a real subprocess
(:mod:`bench.disposition_worker`), killing it with SIGKILL at random moments
and starting it again on the same database. A save counts once the worker
said it was committed; after a kill, the calls whose save was not confirmed
are asked about (as the agent sees their state) and saved again only when the
store does not have them. At the end the sandbox's received notes are counted
per call: lost = saved but never received, duplicated = received more than once.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agentapp.sandbox import SandboxConfig
from agentapp.sandbox.thread import SandboxThread
from bench.disposition_worker import TOKEN_ENV

ROOT = Path(__file__).resolve().parent.parent


class Worker:
    """One ``bench.disposition_worker`` process; lines in, JSON events out (with deadlines)."""

    def __init__(self, base_url: str, token: str, db: Path, *, backoff: float = 0.05,
                 backoff_cap: float = 0.5) -> None:
        env = {**os.environ, TOKEN_ENV: token}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.disposition_worker", "--base-url", base_url,
             "--db", str(db), "--backoff", str(backoff), "--backoff-cap", str(backoff_cap)],
            cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self._events: queue.Queue[dict[str, Any] | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._events.put(json.loads(line))
        self._events.put(None)

    def send(self, **msg: Any) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(msg) + "\n")
        self.proc.stdin.flush()

    def expect(self, event: str, within: float = 60.0) -> dict[str, Any]:
        deadline = time.monotonic() + within
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"worker did not report {event!r} in {within:.0f} s")
            try:
                got = self._events.get(timeout=left)
            except queue.Empty:
                continue
            if got is None:
                raise RuntimeError(f"worker exited (code {self.proc.wait()}) before {event!r}")
            if got.get("event") == event:
                return got

    def events_so_far(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        while True:
            try:
                got = self._events.get_nowait()
            except queue.Empty:
                return out
            if got is not None:
                out.append(got)

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def close(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


@dataclass
class Result:
    dispositions: int
    kills: int
    failure_rate: float
    saved: int
    received: int
    lost: int
    duplicated: int
    failed: int
    seconds: float
    pending_at_restarts: tuple[int, ...] = ()


def fault_plan(total: float) -> dict[str, float]:
    """``total`` of requests fail, in three equal kinds: the connection drops before the
    server reads it, the server answers 500, or the server applies it and the answer is
    cut off (the case that tempts a client to send twice)."""
    each = 1.0 - (1.0 - total) ** (1 / 3)
    return {"drop_rate": each, "error_rate": each, "truncated_rate": each}


def _targets(sb: SandboxThread, n: int) -> list[dict[str, str]]:
    """N distinct calls from the sandbox's logs (call log and click-to-call)."""
    calls = sb.control("GET", "/v1/call_logs")["data"]
    c2c = sb.control("GET", "/api/c2c_logs")["data"]
    rows = ([{"source": "call", "record_id": str(r["recordid"]), "call_type": r["call_type"],
              "number": r["client_no"]} for r in calls]
            + [{"source": "c2c", "record_id": str(r["recordid"]), "call_type": "c2c",
                "number": r["client_no"]} for r in c2c])
    if len(rows) < n:
        raise SystemExit(f"the sandbox has only {len(rows)} calls; raise --history")
    return rows[:n]


def run(n: int = 1000, kills: int = 5, failure_rate: float = 0.3, seed: int = 7) -> Result:
    rng = random.Random(seed)
    started = time.perf_counter()
    config = SandboxConfig(host="127.0.0.1", port=0, seed=seed, speed=1.0,
                           history=max(3000, int(n * 2.6)))
    with SandboxThread(config) as sb, tempfile.TemporaryDirectory() as tmp:
        targets = _targets(sb, n)
        sb.control("POST", "/_sandbox/faults", fault_plan(failure_rate))
        db = Path(tmp) / "store.sqlite3"
        kill_at = sorted(rng.sample(range(1, n), kills))
        worker = Worker(sb.base_url, sb.token, db)
        worker.expect("ready")
        saved: set[str] = set()
        unconfirmed: list[dict[str, str]] = []
        restarts: list[int] = []
        for i, target in enumerate(targets):
            if kill_at and i == kill_at[0]:
                kill_at.pop(0)
                # Kill at a random moment: mid-batch, mid-request, mid-commit.
                time.sleep(rng.uniform(0.0, 0.05))
                for event in worker.events_so_far():
                    if event.get("event") == "saved":
                        saved.add(event["record_id"])
                worker.kill()
                worker = Worker(sb.base_url, sb.token, db)
                restarts.append(int(worker.expect("ready")["pending"]))
                unconfirmed = [t for t in unconfirmed if t["record_id"] not in saved]
                for t in unconfirmed:  # what the agent would see: saved or not?
                    worker.send(op="state", source=t["source"], record_id=t["record_id"])
                    state = worker.expect("state")["state"]
                    if state in ("pending", "sent", "failed"):
                        saved.add(t["record_id"])
                    else:
                        _save(worker, t)
                unconfirmed = [t for t in unconfirmed if t["record_id"] not in saved]
            _save(worker, target)
            unconfirmed.append(target)
        worker.send(op="drain")
        for event in worker.events_so_far():
            if event.get("event") == "saved":
                saved.add(event["record_id"])
        drained = worker.expect("drained", within=600)
        for event in worker.events_so_far():
            if event.get("event") == "saved":
                saved.add(event["record_id"])
        saved |= {t["record_id"] for t in unconfirmed}  # confirmed before "drained"
        worker.close()
        sb.control("POST", "/_sandbox/faults", {})
        notes = sb.control("GET", "/_sandbox/notes")["data"]
        per_record = Counter(str(note["record_id"]) for note in notes)
        wanted = {t["record_id"] for t in targets}
        return Result(
            dispositions=n, kills=kills, failure_rate=failure_rate, saved=len(saved),
            received=sum(1 for r in wanted if per_record[r]),
            lost=sum(1 for r in wanted if per_record[r] == 0),
            duplicated=sum(1 for r in wanted if per_record[r] > 1),
            failed=int(drained["failed"]),
            seconds=time.perf_counter() - started, pending_at_restarts=tuple(restarts))


def _save(worker: Worker, target: dict[str, str]) -> None:
    status = int(target["record_id"]) % 7 + 1
    worker.send(op="save", status=status, remark=f"bench {target['record_id']}", **target)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.reliability", description=__doc__)
    parser.add_argument("-n", type=int, default=1000, help="dispositions (default 1000)")
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--failure-rate", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    result = run(args.n, args.kills, args.failure_rate, args.seed)
    print(report(result))
    return 0 if result.lost == 0 and result.duplicated == 0 else 1


def report(r: Result) -> str:
    return (f"dispositions reliability: {r.dispositions} dispositions, "
            f"{r.failure_rate:.0%} injected failures, {r.kills} SIGKILLs -> "
            f"received {r.received}, lost {r.lost}, duplicated {r.duplicated}, "
            f"failed {r.failed}; queued at each restart: "
            f"{', '.join(map(str, r.pending_at_restarts)) or '-'} ({r.seconds:.1f} s)")


if __name__ == "__main__":
    raise SystemExit(main())
