"""History sync against the sandbox: saturation, a late-ending call and backfill lose nothing.

The sync's clock is the sandbox's simulated clock, so "now" on both sides is
the same instant whatever the wall clock or time zone says.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from agentapp.api.coerce import IST
from agentapp.api.models import SyncCursors
from agentapp.sandbox import SandboxConfig
from agentapp.sandbox.thread import SandboxThread
from agentapp.services.history_sync import HistorySync, SyncSettings, SyncStatus
from agentapp.store import Store, open_store
from agentapp.store.calls_repo import HistoryFilter, HistoryQuery
from testkit.sandbox import ivr_client
from testkit.waiting import wait_until

START = datetime(2026, 3, 10, 9, 0, tzinfo=IST)
DID = "+911143104567"


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    # Fast simulated time: an injected call ends within milliseconds.
    return SandboxConfig(host="127.0.0.1", port=0, seed=1, speed=1000.0, history=60,
                         start_time=START)


def sim_clock(sb: SandboxThread) -> Callable[[], float]:
    clock = sb.server.context.clock
    return lambda: clock.now().timestamp()


def world_keys(sb: SandboxThread) -> set[tuple[str, str]]:
    world = sb.server.context.world
    keys = {("call", str(r.recordid)) for r in world.call_logs}
    keys |= {("c2c", str(r.recordid)) for r in world.c2c_logs}
    keys |= {("dialer", str(r.id)) for r in world.dialer_logs}
    keys |= {("masked", str(r.logid)) for r in world.click_connect_logs}
    return keys


async def all_keys(store: Store) -> set[tuple[str, str]]:
    count = await store.calls.history_count(HistoryFilter())
    page = await store.calls.history_page(HistoryQuery(), 0, count + 1)
    keys = [(r.call.source, r.call.record_id) for r in page]
    assert len(keys) == len(set(keys)), "duplicate calls in the store"
    return set(keys)


def inject(sb: SandboxThread, caller: str, **extra: object) -> str:
    body = {"from": caller, "did": DID, "ext_no": "2101", "outcome": "answered", **extra}
    return str(sb.control("POST", "/_sandbox/inbound", body)["recordid"])


async def ended(sb: SandboxThread, ids: set[str]) -> bool:
    calls = await asyncio.to_thread(sb.control, "GET", "/_sandbox/calls")
    states = {str(c["id"]): c["state"] for c in calls["data"]}
    return all(states.get(i) == "ended" for i in ids)


async def wait_ended(sb: SandboxThread, ids: set[str]) -> None:
    deadline = asyncio.get_running_loop().time() + 30
    while not await ended(sb, ids):
        assert asyncio.get_running_loop().time() < deadline, "calls did not end in time"
        await asyncio.sleep(0.05)


def test_first_backfill_gets_everything_with_progress(sandbox: SandboxThread,
                                                      tmp_path: Path) -> None:
    async def scenario() -> None:
        store = await open_store(tmp_path / "s.sqlite3")
        try:
            async with ivr_client(sandbox) as api:
                sync = HistorySync(api, store, clock=sim_clock(sandbox),
                                   settings=SyncSettings(backfill_days=31))
                seen: list[SyncStatus] = []
                sync.status.subscribe(seen.append)
                new = await sync.backfill()
                expected = world_keys(sandbox)
                assert new == len(expected) > 50
                assert await all_keys(store) == expected
                progress = [s.progress for s in seen
                            if s.phase == "syncing" and s.progress is not None]
                assert progress == sorted(progress) and len(progress) > 30
                assert all(0 <= p < 1 for p in progress if p is not None)
                assert "day 1 of" in seen[0].detail
                assert seen[-1].phase == "idle" and seen[-1].last_synced_at is not None
                # A second run adds nothing (de-duplicated by source and record id).
                assert await sync.backfill() == 0
        finally:
            await store.aclose()

    asyncio.run(scenario())


def test_more_than_twenty_calls_between_polls_lose_nothing(sandbox: SandboxThread,
                                                          tmp_path: Path) -> None:
    async def scenario() -> None:
        store = await open_store(tmp_path / "s.sqlite3")
        try:
            async with ivr_client(sandbox) as api:
                sync = HistorySync(api, store, clock=sim_clock(sandbox))
                await sync.backfill()
                await sync.poll()
                cursors = SyncCursors(**{c: await store.sync.get(f"cursor.{c}")
                                         for c in ("call", "c2c", "dialer")})
                ids = {inject(sandbox, f"98765{i:05d}", talk_seconds=5) for i in range(25)}
                await wait_ended(sandbox, ids)
                # The bare cursor feed returns only the 20 newest: 5 would be lost.
                batch = await api.sync_call_logs(cursors)
                assert len(batch.calls) == 20 and "call" in batch.saturated
                new = await sync.poll()
                assert new == 25
                assert {("call", i) for i in ids} <= await all_keys(store)
                assert await all_keys(store) == world_keys(sandbox)
                # The next poll starts after the newest: nothing new, nothing duplicated.
                assert await sync.poll() == 0
        finally:
            await store.aclose()

    asyncio.run(scenario())


def test_call_that_ends_after_a_newer_one_is_found(sandbox: SandboxThread,
                                                   tmp_path: Path) -> None:
    async def scenario() -> None:
        store = await open_store(tmp_path / "s.sqlite3")
        try:
            async with ivr_client(sandbox) as api:
                # The long call runs ~8 simulated hours; reconcile a day so it is in the window.
                settings = SyncSettings(reconcile_window_s=24 * 3600)
                sync = HistorySync(api, store, clock=sim_clock(sandbox), settings=settings)
                await sync.backfill()
                await sync.poll()
                long_id = inject(sandbox, "9876512345", talk_seconds=30_000)
                short_id = inject(sandbox, "9876554321", talk_seconds=2)
                await wait_ended(sandbox, {short_id})
                assert await sync.poll() == 1  # the short call; the cursor passes the long one
                assert await store.calls.get("call", long_id) is None
                await asyncio.to_thread(sandbox.control, "POST", "/_sandbox/speed",
                                        {"speed": 10_000})
                await wait_ended(sandbox, {long_id})
                # Its id is below the cursor now: the cursor feed never returns it ...
                assert await sync.poll() == 0
                assert await store.calls.get("call", long_id) is None
                # ... the date-range reconcile does.
                assert await sync.reconcile() == 1
                late = await store.calls.get("call", long_id)
                assert late is not None and late.outcome == "answered"
                assert late.number == "+919876512345" and late.duration_s == 30_000
                assert await all_keys(store) == world_keys(sandbox)
        finally:
            await store.aclose()

    asyncio.run(scenario())


def test_call_that_ends_while_the_app_is_away_is_found_at_the_next_start(
        sandbox: SandboxThread, tmp_path: Path) -> None:
    """A long call started before the app went away, ended while it was away (its id
    below the cursor), longer ago than the 6 h window: the start-up reconcile reaches
    back to the window before the last reconcile, so it is still found."""

    async def scenario() -> None:
        store = await open_store(tmp_path / "s.sqlite3")
        try:
            async with ivr_client(sandbox) as api:
                sync = HistorySync(api, store, clock=sim_clock(sandbox))  # 6 h window
                await sync.backfill()
                await sync.reconcile()
                long_id = inject(sandbox, "9876512345", talk_seconds=30_000)  # 8.3 h
                short_id = inject(sandbox, "9876554321", talk_seconds=2)
                await wait_ended(sandbox, {short_id})
                assert await sync.poll() == 1  # the cursor passes the long call; then away
                await asyncio.to_thread(sandbox.control, "POST", "/_sandbox/speed",
                                        {"speed": 10_000})
                await wait_ended(sandbox, {long_id})
                assert await sync.poll() == 0  # back: the cursor feed never returns it
                assert await sync.reconcile() >= 1  # the start-up reconcile does
                assert await store.calls.get("call", long_id) is not None
                assert await all_keys(store) == world_keys(sandbox)
        finally:
            await store.aclose()

    asyncio.run(scenario())


def test_first_poll_on_an_empty_store_backfills_the_gap(sandbox: SandboxThread,
                                                       tmp_path: Path) -> None:
    """Without a backfill, the first (saturated) poll still fetches the whole window."""

    async def scenario() -> None:
        store = await open_store(tmp_path / "s.sqlite3")
        try:
            async with ivr_client(sandbox) as api:
                sync = HistorySync(api, store, clock=sim_clock(sandbox),
                                   settings=SyncSettings(backfill_days=31))
                await sync.poll()
                stored = await all_keys(store)
                world = world_keys(sandbox)
                # call/c2c/dialer all saturate (60 records of history); masked calls come
                # through the reconcile, not the cursor feed.
                assert stored == {k for k in world if k[0] != "masked"}
        finally:
            await store.aclose()

    asyncio.run(scenario())


def test_offline_is_reported_and_cached_status_kept(tmp_path: Path) -> None:
    """No server: the status says offline, in words, with the last sync time kept."""

    async def scenario() -> None:
        store = await open_store(tmp_path / "s.sqlite3")
        await store.sync.set({"last_synced_at": "1700000000", "backfill_done_at": "1"})
        delays: list[float] = []

        async def fake_sleep(seconds: float) -> None:
            delays.append(seconds)
            await asyncio.sleep(0)

        dead = SandboxThread(SandboxConfig(port=0))  # never started: an unused URL
        dead.base_url = "http://127.0.0.1:9"
        try:
            async with ivr_client(dead) as api:
                sync = HistorySync(api, store, clock=lambda: 1_700_000_100.0, sleep=fake_sleep,
                                   settings=SyncSettings(retry_first_s=1, retry_max_s=8))
                sync.start()
                await wait_until(lambda: len(delays) >= 5)
                await sync.stop()
                status = sync.status.value
                assert status.phase == "offline"
                assert status.detail.startswith("Offline: showing saved history.")
                assert status.last_synced_at == 1_700_000_000
                assert delays[:5] == [1, 2, 4, 8, 8]
        finally:
            await store.aclose()

    asyncio.run(scenario())


def test_server_errors_retry_then_recover(sandbox: SandboxThread, tmp_path: Path) -> None:
    """A failing server: "Sync failed: …", retried with backoff; fixed: synced, nothing lost."""

    async def scenario() -> None:
        store = await open_store(tmp_path / "s.sqlite3")
        delays: list[float] = []
        # The state while each backoff sleep starts (read later, it may already be the
        # next attempt's "syncing").
        during: list[tuple[str, str]] = []

        async def backoff(seconds: float) -> None:
            status = sync.status.value
            during.append((status.phase, status.detail))
            await _record(delays, seconds)

        async with ivr_client(sandbox) as api:
            sync = HistorySync(api, store, clock=sim_clock(sandbox),
                               settings=SyncSettings(backfill_days=31, retry_first_s=1),
                               sleep=backoff)
            await asyncio.to_thread(sandbox.control, "POST", "/_sandbox/faults",
                                    {"error_rate": 1.0, "error_status": 500})
            sync.start()
            try:
                await wait_until(lambda: len(delays) >= 3)
                for phase, detail in during[:3]:
                    assert phase == "retrying"
                    assert detail.startswith("Sync failed: The IVR Solutions server had a")
                assert delays[:3] == [1, 2, 4]
                await asyncio.to_thread(sandbox.control, "POST", "/_sandbox/faults", {})
                await wait_until(lambda: sync.status.value.phase == "idle"
                                 and sync.status.value.last_synced_at is not None, 20)
                assert await all_keys(store) == world_keys(sandbox)
            finally:
                await sync.stop()
                await store.aclose()

    asyncio.run(scenario())


async def _record(delays: list[float], seconds: float) -> None:
    delays.append(seconds)
    await asyncio.sleep(0.01)


class _Counting:
    """The real client, counting which endpoints the sync used."""

    def __init__(self, api: object) -> None:
        self._api = api
        self.used: list[str] = []

    def __getattr__(self, name: str) -> object:
        method = getattr(self._api, name)

        async def counted(*args: object, **kwargs: object) -> object:
            self.used.append(name)
            return await method(*args, **kwargs)

        return counted


def test_quick_reconcile_skips_the_whole_log_endpoints(sandbox: SandboxThread,
                                                      tmp_path: Path) -> None:
    async def scenario() -> None:
        store = await open_store(tmp_path / "s.sqlite3")
        try:
            async with ivr_client(sandbox) as api:
                counting = _Counting(api)
                sync = HistorySync(counting, store, clock=sim_clock(sandbox))  # type: ignore[arg-type]
                await sync.reconcile(full=False)
                assert sorted(set(counting.used)) == ["call_logs", "click_connect_logs"]
                counting.used.clear()
                await sync.reconcile()
                assert sorted(set(counting.used)) == ["c2c_logs", "call_logs",
                                                      "click_connect_logs", "dialer_logs"]
        finally:
            await store.aclose()

    asyncio.run(scenario())


def test_demo_sessions_start_from_an_empty_store(data_dirs: Path) -> None:
    from agentapp.services.history_session import open_history
    from tests.store.store_support import call

    async def scenario() -> None:
        for fresh, expected in ((False, 1), (False, 2), (True, 1)):
            history = await open_history(
                object(), profile="p", server="demo", ext_no="2101",  # type: ignore[arg-type]
                backfill_days=30, incoming_trigger=lambda: "ring", fresh=fresh)
            assert history is not None
            try:
                await history.store.calls.upsert([call(str(expected))])
                assert await history.store.calls.count() == expected
            finally:
                await history.close()

    asyncio.run(scenario())


class _PokedDuringPoll:
    """The real client; the first cursor poll pokes the sync while it is on the wire."""

    def __init__(self, api: object, sync: Callable[[], HistorySync]) -> None:
        self._api = api
        self._sync = sync
        self.polls = 0

    def __getattr__(self, name: str) -> object:
        return getattr(self._api, name)

    async def sync_call_logs(self, cursors: SyncCursors) -> object:
        self.polls += 1
        if self.polls == 1:
            self._sync().poke()  # a call ended while this poll ran
        return await self._api.sync_call_logs(cursors)  # type: ignore[attr-defined]


def test_a_call_ending_during_a_poll_is_polled_for_at_once(sandbox: SandboxThread,
                                                           tmp_path: Path) -> None:
    """The poke is not lost: the next poll follows without the 30 s (here 1 h) wait."""

    async def scenario() -> None:
        store = await open_store(tmp_path / "s.sqlite3")
        await store.sync.set({"backfill_done_at": "1"})
        async with ivr_client(sandbox) as api:
            api_poked = _PokedDuringPoll(api, lambda: sync)
            sync = HistorySync(api_poked, store, clock=sim_clock(sandbox),  # type: ignore[arg-type]
                               settings=SyncSettings(poll_interval_s=3600))
            sync.start()
            try:
                await wait_until(lambda: api_poked.polls >= 2, 20, "the poll after the poke")
            finally:
                await sync.stop()
                await store.aclose()

    asyncio.run(scenario())


def test_collector_pauses_nest_and_restore() -> None:
    """A hold stops collections (automatic ones and qt/main_thread_gc's, which both
    wait for the first threshold), nests, and gives the thresholds back."""
    import gc

    from agentapp.services.history_gc import collector_paused

    before = gc.get_threshold()
    with collector_paused():
        held = gc.get_threshold()
        assert held[0] > 10**6 and held[1:] == before[1:]
        with collector_paused():
            assert gc.get_threshold() == held
        assert gc.get_threshold() == held  # the outer hold still holds
        garbage: list[list[int]] = [[] for _ in range(5000)]  # tracked, far past 700
        assert gc.get_count()[0] < gc.get_threshold()[0]  # no pass is due
        del garbage
    assert gc.get_threshold() == before


def test_first_backfill_fetches_the_newest_day_first(sandbox: SandboxThread,
                                                     tmp_path: Path) -> None:
    """Recent calls (newest first) fills from the top while the backfill runs."""

    async def scenario() -> None:
        store = await open_store(tmp_path / "s.sqlite3")
        days: list[object] = []
        try:
            async with ivr_client(sandbox) as api:
                original = api.call_logs

                async def call_logs(from_date: object = None, to_date: object = None) -> object:
                    days.append(from_date)
                    return await original(from_date, to_date)  # type: ignore[arg-type]

                api.call_logs = call_logs  # type: ignore[method-assign,assignment]
                sync = HistorySync(api, store, clock=sim_clock(sandbox),
                                   settings=SyncSettings(backfill_days=5))
                await sync.backfill()
        finally:
            await store.aclose()
        assert len(days) >= 5
        assert days == sorted(days, reverse=True)  # type: ignore[type-var]

    asyncio.run(scenario())
