"""Startup (wall time of fresh processes) and memory (VmRSS of a started demo app).

Every command runs ``runs`` times after one discarded warm-up, app and baseline
interleaved so drift hits both alike; figures are medians.
"""

from __future__ import annotations

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


def _probe(kind: str) -> tuple[float, float, float]:
    """One ``bench.probe`` child: ms from spawn to SHOWN, to READY, and RSS in MiB."""
    t0 = time.perf_counter()
    child = subprocess.Popen([PY, "-m", "bench.probe", kind], cwd=ROOT, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert child.stdout is not None
    shown_ms = ready_ms = rss_kb = None
    try:
        for line in child.stdout:
            if line.startswith("SHOWN") and shown_ms is None:
                shown_ms = (time.perf_counter() - t0) * 1000
            elif line.startswith("READY") and ready_ms is None:
                ready_ms = (time.perf_counter() - t0) * 1000
            elif line.startswith("RSS "):
                rss_kb = int(line.split()[1])
        code = child.wait(PROBE_TIMEOUT_S)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    if code != 0 or shown_ms is None or ready_ms is None or rss_kb is None:
        raise BenchError(f"probe {kind!r} failed (exit {code}): run python -m bench.probe {kind}")
    return shown_ms, ready_ms, rss_kb / 1024


@cache
def probe_runs(runs: int) -> dict[str, tuple[tuple[float, float, float], ...]]:
    """Shared by the startup and memory benches (one set of child processes)."""
    isolate_home()
    _probe("app")  # warm-up: page cache, .pyc files
    results: dict[str, list[tuple[float, float, float]]] = {"app": [], "bare": []}
    for _ in range(runs):
        for kind in ("bare", "app"):
            results[kind].append(_probe(kind))
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
    return [
        Row("startup", "python -m agentapp --version", "ms", tuple(times["version"]),
            "python -c pass", tuple(times["pass"])),
        Row("startup", "python -c 'import agentapp.app'", "ms", tuple(times["import"]),
            "python -c pass", tuple(times["pass"])),
        Row("startup", "demo app: spawn -> main window shown", "ms",
            tuple(r[0] for r in probes["app"]), "QApplication+QMainWindow shown",
            tuple(r[0] for r in probes["bare"])),
        Row("startup", "demo app: spawn -> runtime.started (usable)", "ms",
            tuple(r[1] for r in probes["app"]), "QApplication+QMainWindow shown",
            tuple(r[1] for r in probes["bare"])),
    ]


def run_memory(runs: int) -> list[Row]:
    probes = probe_runs(runs)
    return [
        Row("memory", "demo app VmRSS, 1 s after start", "MiB",
            tuple(r[2] for r in probes["app"]), "QApplication+QMainWindow",
            tuple(r[2] for r in probes["bare"])),
    ]
