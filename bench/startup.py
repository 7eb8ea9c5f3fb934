"""Startup (wall time of fresh processes) and memory (VmRSS of a started app).

The app is probed signed in (a sandbox account, its token in a test keyring)
and in demo mode, against a bare QApplication + QMainWindow in the same run.

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

from bench.harness import BenchError, isolate_home
from bench.stats import Row

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PROBE_TIMEOUT_S = 60.0


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

    isolate_home()
    sandbox = SandboxThread(SandboxConfig(speed=50.0, history=0))
    sandbox.start()
    try:
        env = dict(os.environ, PYTHON_KEYRING_BACKEND="bench.probe_keyring.ProbeKeyring")
        env[KEYRING_TOKEN_ENV] = sandbox.token
        kinds: dict[str, tuple[str, ...]] = {
            "bare": ("bare",), "signed-in": ("signed-in", sandbox.base_url), "demo": ("demo",)}
        for argv in kinds.values():
            _probe(*argv, env=env)  # warm-up: page cache, .pyc files
        results: dict[str, list[Probe]] = {kind: [] for kind in kinds}
        for _ in range(runs):
            for kind, argv in kinds.items():
                results[kind].append(_probe(*argv, env=env))
    finally:
        sandbox.stop()
    return {kind: tuple(values) for kind, values in results.items()}


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
    for kind in ("signed-in", "demo"):
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
        for kind in ("signed-in", "demo")
    ]
