"""History and screen-pop figures (issue 9's performance list), with same-run baselines.

* ``contact query``: one contact's calls from a store of 100,000 calls, through
  the store's async API; baseline: ``SELECT 1`` through the same reader thread
  (the cost of the thread hop alone). Target 10 ms.
* ``view open``: the history model from ``set_store`` until its count and first
  page are in, over 100,000 calls; baseline: ``SELECT COUNT(*)`` alone. Target 300 ms.
  ``Recent calls open``: the same for the main window's view (one agent of 20, its
  latest 50).
* ``pop cached`` / ``pop filled``: a pop for a known number: the window shown
  with the cached name, then filled from the API (sandbox on loopback);
  baseline: the store's ``SELECT 1`` round trip. Targets 100 / 250 ms.
* ``sync stall``: the longest event-loop stall seen by a 10 ms heartbeat while
  the history sync backfills a sandbox of 100,000 records; baseline: the same
  heartbeat on an idle loop for as long. Target 50 ms. ``sync tick lateness p99``:
  the 99th percentile of the same ticks (machine load moves the max much more).
"""

from __future__ import annotations

import asyncio
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from bench.harness import run_qt, wait_until
from bench.stats import Row

if TYPE_CHECKING:  # the store loads only when the bench runs
    from agentapp.store import CallRow

CALLS = 100_000
DAY = 86_400


def _rows(count: int, numbers: int, now: int) -> list[CallRow]:
    from agentapp.store import CallRow

    rng = random.Random(9)
    kinds = (("incoming", "call", "inbound"), ("outgoing", "call", "outbound"),
             ("c2c", "c2c", "outbound"), ("dialer", "dialer", "outbound"))
    rows = []
    for i in range(count):
        kind, source, direction = kinds[i % 4]
        national = 9_000_000_000 + rng.randrange(numbers)
        rows.append(CallRow(source=source, record_id=str(i), kind=kind,  # type: ignore[arg-type]
                            direction=direction, number=f"+91{national}",  # type: ignore[arg-type]
                            number_raw=str(national), started_at=now - rng.randrange(30 * DAY),
                            outcome="answered" if i % 3 else "missed",
                            duration_s=rng.randrange(600), did="+911143104567",
                            ext_no=str(2100 + i % 20)))  # 20 agents
    return rows


async def _timed(fn: Callable[[], object], n: int) -> tuple[float, ...]:
    out = []
    for _ in range(n):
        started = time.perf_counter()
        await fn()  # type: ignore[misc]
        out.append((time.perf_counter() - started) * 1000)
    return tuple(out)


async def _filled_store(path: Path) -> object:
    from agentapp.store import open_store

    store = await open_store(path)
    now = int(time.time())
    rows = _rows(CALLS, 20_000, now)
    for start in range(0, CALLS, 10_000):
        await store.calls.upsert(rows[start:start + 10_000])
    return store


async def store_figures(iterations: int) -> list[Row]:
    from agentapp.qt.history_model import RECENT_COLUMNS, HistoryTableModel
    from agentapp.store.calls_repo import HistoryFilter

    with tempfile.TemporaryDirectory() as tmp:
        store = await _filled_store(Path(tmp) / "bench.sqlite3")
        numbers = [f"+91{9_000_000_000 + i}" for i in range(0, 20_000, 20_000 // iterations)]
        it = iter(numbers * 2)
        query = await _timed(lambda: store.calls.for_number(next(it), 50), iterations)  # type: ignore[attr-defined]
        hop = await _timed(lambda: store.read(lambda c: c.execute("SELECT 1").fetchone()),  # type: ignore[attr-defined]
                           iterations)
        opens = []
        for _ in range(max(5, iterations // 3)):
            model = HistoryTableModel()
            started = time.perf_counter()
            model.set_store(store)  # type: ignore[arg-type]
            await model.loaded.wait()
            opens.append((time.perf_counter() - started) * 1000)
        count = await _timed(lambda: store.read(  # type: ignore[attr-defined]
            lambda c: c.execute("SELECT COUNT(*) FROM calls").fetchone()), len(opens))
        recents = []
        for _ in range(len(opens)):
            recent = HistoryTableModel(columns=RECENT_COLUMNS)
            recent.set_limit(50)
            started = time.perf_counter()
            recent.set_store(store, HistoryFilter(ext_no="2101"))  # type: ignore[arg-type]
            await recent.loaded.wait()
            recents.append((time.perf_counter() - started) * 1000)
        await store.aclose()  # type: ignore[attr-defined]
    return [
        Row("history", "contact query (100k calls)", "ms", query, "SELECT 1 hop", hop, 10.0),
        Row("history", "view open (100k calls)", "ms", tuple(opens), "COUNT(*)", count, 300.0),
        Row("history", "Recent calls open (100k calls)", "ms", tuple(recents), "COUNT(*)", count,
            300.0),
    ]


async def pop_figures(iterations: int) -> list[Row]:
    from agentapp.api.client import IvrClient, make_http_client
    from agentapp.qt.pop_facade import PopFacade
    from agentapp.sandbox import SandboxConfig
    from agentapp.sandbox.thread import SandboxThread
    from agentapp.services.screen_pop import PopRequest, ScreenPops
    from agentapp.store import ContactRow, open_store

    with SandboxThread(SandboxConfig(history=2000, seed=2)) as sb, \
            tempfile.TemporaryDirectory() as tmp:
        world = sb.server.context.world
        contacts = [c for c in world.contacts][: iterations]
        http = make_http_client("bench")
        store = await open_store(Path(tmp) / "pop.sqlite3")
        await store.contacts.upsert([ContactRow("+91" + c.number, c.name) for c in contacts])
        pops = ScreenPops(IvrClient(sb.base_url, sb.token, http=http, retries=0), store)
        facade = PopFacade()
        facade.bind(pops, None)
        cached, filled = [], []
        for i, contact in enumerate(contacts):
            pop_id = f"bench-{i}"
            started = time.perf_counter()
            pops.open(PopRequest(pop_id, "incoming", contact.number))
            await wait_until(lambda pid=pop_id, name=contact.name: (  # type: ignore[misc]
                pid in facade.windows and facade.windows[pid].isVisible()
                and name in facade.windows[pid].windowTitle()), 5, "the pop")
            cached.append((time.perf_counter() - started) * 1000)
            await wait_until(lambda pid=pop_id: (  # type: ignore[misc]
                "Looking up" not in facade.windows[pid].status.text()), 5, "the fill")
            filled.append((time.perf_counter() - started) * 1000)
            facade.windows[pop_id].close()
        hop = await _timed(lambda: store.read(lambda c: c.execute("SELECT 1").fetchone()),
                           len(contacts))
        await pops.aclose()
        await store.aclose()
        await http.aclose()
    return [
        Row("pop", "visible with cached name", "ms", tuple(cached), "SELECT 1 hop", hop, 100.0),
        Row("pop", "filled from the API", "ms", tuple(filled), "SELECT 1 hop", hop, 250.0),
    ]


async def _heartbeat(stop: asyncio.Event) -> list[float]:
    """The lateness (ms) of every 10 ms tick until ``stop`` is set."""
    late: list[float] = []
    while not stop.is_set():
        due = time.perf_counter() + 0.010
        await asyncio.sleep(0.010)
        late.append((time.perf_counter() - due) * 1000)
    return late


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _sandbox_process(history: int) -> tuple[subprocess.Popen[bytes], str]:
    """A sandbox in its own process: its JSON work must not share our GIL."""
    import httpx

    from agentapp.sandbox.config import DEMO_TOKEN

    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "agentapp.sandbox", "--port", str(port),  # noqa: ASYNC220
                             "--history", str(history), "--seed", "3"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient() as client:
        for _ in range(600):
            try:
                answer = await client.get(url + "/_sandbox/info",
                                          headers={"Authorization": f"Bearer {DEMO_TOKEN}"})
                if answer.status_code == 200:
                    return proc, url
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    proc.kill()
    raise RuntimeError("the sandbox process did not start")


async def sync_figures(runs: int) -> list[Row]:
    from agentapp.api.client import IvrClient, make_http_client
    from agentapp.sandbox.config import DEMO_TOKEN
    from agentapp.services.history_sync import HistorySync, SyncSettings
    from agentapp.store import open_store

    stalls, idle, stalls_p99, idle_p99 = [], [], [], []
    proc, url = await _sandbox_process(CALLS)
    try:
        for run in range(runs):
            with tempfile.TemporaryDirectory() as tmp:
                http = make_http_client("bench", timeout=60)
                store = await open_store(Path(tmp) / f"sync{run}.sqlite3")
                # The sandbox runs at speed 1 from the wall clock: same "now" as ours.
                sync = HistorySync(IvrClient(url, DEMO_TOKEN, http=http, retries=0),
                                   store, settings=SyncSettings(backfill_days=31),
                                   clock=time.time)
                stop = asyncio.Event()
                beat = asyncio.ensure_future(_heartbeat(stop))
                started = time.perf_counter()
                stored = await sync.backfill()
                took = time.perf_counter() - started
                stop.set()
                late = await beat
                stalls.append(max(late))
                stalls_p99.append(_p99(late))
                stop = asyncio.Event()
                beat = asyncio.ensure_future(_heartbeat(stop))
                await asyncio.sleep(min(took, 15.0))  # as long as the sync: a fair max
                stop.set()
                late = await beat
                idle.append(max(late))
                idle_p99.append(_p99(late))
                print(f"# sync run {run + 1}: {stored} records in {took:.1f} s, "
                      f"stall max {stalls[-1]:.1f} ms, p99 {stalls_p99[-1]:.1f} ms "
                      f"(idle loop: max {idle[-1]:.1f} ms, p99 {idle_p99[-1]:.1f} ms)")
                await store.aclose()
                await http.aclose()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return [Row("history", "sync stall (100k records)", "ms", tuple(stalls), "idle loop",
                tuple(idle), 50.0),
            Row("history", "sync tick lateness p99", "ms", tuple(stalls_p99), "idle loop",
                tuple(idle_p99))]


def run(iterations: int, runs: int) -> list[Row]:
    async def body() -> list[Row]:
        rows = await store_figures(iterations)
        rows += await pop_figures(iterations)
        rows += await sync_figures(max(1, min(runs, 3)))
        return rows

    return run_qt(body)
