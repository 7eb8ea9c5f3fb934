"""History sync that loses nothing: cursors for speed, date ranges for completeness.

``/v1/all_call_logs`` returns, per category, at most the 20 newest records with
an id above the cursor. A cursor client alone loses calls two ways: a call
logged when it *ends* may carry an id below a cursor that already moved past
it (a long call overtaken by a short one), and more than 20 new calls between
two polls drop the oldest for good. So:

* a full page (saturation) triggers a backfill of the gap through the log
  endpoints (``call_logs`` by IST date; click-to-call and dialer logs have no
  documented date filter, so they are read whole and cut locally);
* the last hours are reconciled by date range at start and on a slow timer,
  which catches calls that ended after their id was passed;
* every write is an upsert keyed by ``(source, record_id)``, so overlaps are free;
* the first sign-in backfills the last N days with progress.

Cursors are committed in the same transaction as the calls they cover.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import partial
from typing import Literal, Protocol

from agentapp.api.coerce import IST
from agentapp.api.errors import ApiError, AuthError
from agentapp.api.models import CallRecord, ClickConnectLog, SyncBatch, SyncCursors
from agentapp.services.connectivity import means_offline
from agentapp.services.history_gc import pauses_collector
from agentapp.services.history_rows import row_from_masked
from agentapp.services.history_rows import rows_from_records as _rows_now
from agentapp.services.observable import Observable
from agentapp.services.tasks import cancel_and_wait
from agentapp.store import CallRow, Store

log = logging.getLogger(__name__)

DAY_S = 86_400
CURSOR_KEYS = {"call": "cursor.call", "c2c": "cursor.c2c", "dialer": "cursor.dialer"}
LAST_SYNCED = "last_synced_at"
BACKFILLED = "backfill_done_at"
RECONCILED = "last_reconciled_at"
RECONCILED_FULL = "last_full_reconciled_at"

Phase = Literal["idle", "syncing", "retrying", "offline"]


class HistoryApi(Protocol):
    async def sync_call_logs(self, cursors: SyncCursors) -> SyncBatch: ...
    async def call_logs(self, from_date: date | None = None,
                        to_date: date | None = None) -> list[CallRecord]: ...
    async def c2c_logs(self) -> list[CallRecord]: ...
    async def dialer_logs(self, dialerid: int | None = None) -> list[CallRecord]: ...
    async def click_connect_logs(self, *, did: str | None = None, from_date: date | None = None,
                                 to_date: date | None = None,
                                 orderby: str = "desc") -> list[ClickConnectLog]: ...


@dataclass(frozen=True)
class SyncStatus:
    """What the status line says; ``detail`` is the sentence shown (never colour alone)."""

    phase: Phase = "idle"
    last_synced_at: int | None = None  # UTC epoch seconds of the last complete sync
    progress: float | None = None  # 0..1 while a backfill runs
    detail: str = ""


@dataclass(frozen=True)
class SyncSettings:
    backfill_days: int = 30
    poll_interval_s: float = 30.0
    reconcile_interval_s: float = 15 * 60.0
    # Click-to-call and dialer logs can only be read whole (no date filter), so
    # re-reading them costs a full download: hourly, and at start.
    full_reconcile_interval_s: float = 3600.0
    # Calls are logged under their *start* time when they end: the window must
    # cover the longest call we expect to see ending late (guessed: 6 h).
    reconcile_window_s: float = 6 * 3600.0
    retry_first_s: float = 5.0
    retry_max_s: float = 300.0


CONVERT_SLICE_S = 0.004  # the longest the loop converts records before it yields


async def rows_from_records(records: Sequence[CallRecord]) -> list[CallRow]:
    """Convert on the loop in slices of a few milliseconds, yielding between them.

    Not in a worker thread: the work is pure Python, so a thread runs no faster
    (the GIL) and only makes the UI thread wait for the GIL at every handover
    (measured: longer stalls than slices on the loop).
    """
    rows: list[CallRow] = []
    step = 25  # an uncached number costs ~50 µs: check the clock often
    began = time.perf_counter()
    for start in range(0, len(records), step):
        if time.perf_counter() - began > CONVERT_SLICE_S:
            await asyncio.sleep(0)
            began = time.perf_counter()
        rows += _rows_now(records[start:start + step])
    return rows


def ist_day(epoch: float) -> date:
    return datetime.fromtimestamp(epoch, IST).date()


class HistorySync:
    def __init__(
        self,
        api: HistoryApi,
        store: Store,
        *,
        settings: SyncSettings | None = None,
        clock: Callable[[], float],
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._api = api
        self._store = store
        self._settings = settings or SyncSettings()
        self._clock = clock
        self._sleep = sleep
        self.status: Observable[SyncStatus] = Observable(SyncStatus())
        # Calls stored new or changed by the last write (views reload when it fires).
        self.changed: Observable[int] = Observable(0)
        self._task: asyncio.Task[None] | None = None
        self._poke = asyncio.Event()

    # Lifecycle ------------------------------------------------------------

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        task, self._task = self._task, None
        await cancel_and_wait([task])

    def poke(self) -> None:
        """Sync now (a call just ended) instead of at the next tick."""
        self._poke.set()

    async def load_status(self) -> SyncStatus:
        """The last sync time from the store (offline start shows it at once)."""
        raw = await self._store.sync.get(LAST_SYNCED)
        self._set(last_synced_at=int(raw) if raw else None)
        return self.status.value

    # One-shot operations (the loop uses them; tests drive them directly) ----

    @pauses_collector  # a full sync's gc passes were its UI stalls (history_gc)
    async def poll(self) -> int:
        """One incremental round; a saturated category is backfilled before the cursor moves."""
        state = await self._store.sync.all()
        cursors = SyncCursors(**{c: state.get(k, "") for c, k in CURSOR_KEYS.items()})
        now = self._clock()
        batch = await self._api.sync_call_logs(cursors)
        rows = await rows_from_records(batch.records)
        if batch.saturated:
            last = state.get(LAST_SYNCED)
            since = self._gap_start(int(last) if last else None, now)
            log.info("sync saturated for %s; backfilling from %s", sorted(batch.saturated),
                     since)
            rows += await self._range(sorted(batch.saturated), since, now)
        new_state = {CURSOR_KEYS[c]: getattr(batch.cursors, c) for c in CURSOR_KEYS}
        new_state[LAST_SYNCED] = str(int(now))
        return await self._write(rows, new_state)

    @pauses_collector  # a full sync's gc passes were its UI stalls (history_gc)
    async def reconcile(self, window_s: float | None = None, *, full: bool = True) -> int:
        """Re-read the last hours by date range (catches calls that ended late).

        By default the range reaches back to the window before the last successful
        reconcile, not just before now: after hours offline or closed, a long call
        that started before the app went away and ended while it was away (its id
        below the cursor by then) is still found. ``window_s`` asks for exactly
        that window. ``full=False`` re-reads only the date-filtered logs (calls,
        masked calls); click-to-call and dialer logs are read whole, so they keep
        their own last-reconciled mark.
        """
        now = self._clock()
        window = window_s if window_s is not None else self._settings.reconcile_window_s
        state = await self._store.sync.all() if window_s is None else {}
        since = self._reconcile_since(state.get(RECONCILED), now, window)
        rows = await self._range(["call"], since, now)
        rows += await self._masked(since, now)
        marks = {RECONCILED: str(int(now))}
        if full:
            since_full = self._reconcile_since(state.get(RECONCILED_FULL), now, window)
            rows += await self._range(["c2c", "dialer"], since_full, now)
            marks[RECONCILED_FULL] = str(int(now))
        return await self._write(rows, marks)

    @pauses_collector  # a full sync's gc passes were its UI stalls (history_gc)
    async def backfill(self, days: int | None = None) -> int:
        """The last ``days`` (default: the setting), a day at a time, with progress."""
        days = days if days is not None else self._settings.backfill_days
        now = self._clock()
        since = now - days * DAY_S
        first, last = ist_day(since), ist_day(now)
        day_count = (last - first).days + 1
        steps = day_count + 2
        total = 0
        for i in range(day_count):
            self._progress(i / steps, f"Fetching call history: day {i + 1} of {day_count}")
            # Newest day first: Recent calls and the history fill from the top.
            day = date.fromordinal(last.toordinal() - i)
            records = await self._api.call_logs(day, day)
            total += await self._write(self._within(await rows_from_records(records), since, now))
        self._progress(day_count / steps, "Fetching click-to-call and dialer history")
        rows = await self._range(["c2c", "dialer"], since, now)
        rows += await self._masked(since, now)
        self._progress((steps - 1) / steps, "Saving call history")
        total += await self._write(rows, {BACKFILLED: str(int(now)), LAST_SYNCED: str(int(now))})
        self._set(phase="idle", progress=None, detail="", last_synced_at=int(now))
        return total

    # Internals ------------------------------------------------------------

    def _reconcile_since(self, last: str | None, now: float, window: float) -> float:
        """``window`` before the last reconcile (or before now, if later), at most the
        backfill's days back."""
        since = now - window
        if last:
            since = min(since, int(last) - window)
        return max(since, now - self._settings.backfill_days * DAY_S)

    def _gap_start(self, last_synced: int | None, now: float) -> float:
        """Where a saturated page's gap may begin: the last sync, less the late-call window."""
        floor = now - self._settings.backfill_days * DAY_S
        if last_synced is None:
            return floor
        return max(floor, last_synced - self._settings.reconcile_window_s)

    async def _range(self, categories: Sequence[str], since: float, now: float) -> list[CallRow]:
        rows: list[CallRow] = []
        for category in categories:
            if category == "call":
                records = await self._call_logs(since, now)
            elif category == "c2c":
                records = await self._api.c2c_logs()
            else:
                records = await self._api.dialer_logs()
            rows += await rows_from_records(records)
        return self._within(rows, since, now)

    async def _call_logs(self, since: float, now: float) -> list[CallRecord]:
        """The call log for ``since``..``now``, one IST day per request (a long gap
        would otherwise be one very large answer)."""
        first, last = ist_day(since), ist_day(now)
        records: list[CallRecord] = []
        for n in range((last - first).days + 1):
            day = date.fromordinal(first.toordinal() + n)
            records += await self._api.call_logs(day, day)
        return records

    async def _masked(self, since: float, now: float) -> list[CallRow]:
        """Masked calls are not in the cursor feed; an account without masking is not an error."""
        try:
            logs = await self._api.click_connect_logs(from_date=ist_day(since),
                                                      to_date=ist_day(now))
        except ApiError as exc:
            if means_offline(exc) or isinstance(exc, AuthError):
                raise
            log.info("masked-call logs unavailable: %s", exc)
            return []
        rows = [r for r in (row_from_masked(x) for x in logs) if r is not None]
        return self._within(rows, since, now)

    @staticmethod
    def _within(rows: Iterable[CallRow], since: float, now: float) -> list[CallRow]:
        # A day's page starts at IST midnight; keep only the window asked for.
        # The upper bound has slack for a server clock slightly ahead of ours.
        return [r for r in rows if since <= r.started_at <= now + DAY_S]

    async def _write(self, rows: list[CallRow], state: dict[str, str] | None = None) -> int:
        result = await self._store.calls.upsert_counted(rows, state=state)
        if result.new or result.changed:
            self.changed.emit(result.new + result.changed)
        return result.new

    def _set(self, **changes: object) -> None:
        self.status.set(replace(self.status.value, **changes))  # type: ignore[arg-type]

    def _progress(self, fraction: float, detail: str) -> None:
        self._set(phase="syncing", progress=fraction, detail=detail)

    async def _guarded(self, step: Callable[[], Awaitable[int]]) -> None:
        """Run ``step`` until it succeeds, saying why and when it retries."""
        delay = self._settings.retry_first_s
        while True:
            try:
                await step()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a bug or a disk error must not end syncing for good
                if isinstance(exc, ApiError):
                    offline = means_offline(exc)
                    words = ("Offline: showing saved history." if offline
                             else f"Sync failed: {exc.user_message}")
                else:
                    log.exception("history sync step failed")
                    offline = False
                    words = "Sync failed: an internal error (see the log)."
                phase: Phase = "offline" if offline else "retrying"
                self._set(phase=phase, progress=None,
                          detail=f"{words} Trying again in {round(delay)} s.")
                log.info("history sync failed (%s); retry in %.0f s", exc, delay)
                await self._sleep(delay)
                delay = min(delay * 2, self._settings.retry_max_s)
                continue
            last = self.status.value.last_synced_at
            raw = await self._store.sync.get(LAST_SYNCED)
            self._set(phase="idle", progress=None, detail="",
                      last_synced_at=int(raw) if raw else last)
            return

    async def _run(self) -> None:
        await self.load_status()
        if not await self._store.sync.get(BACKFILLED):
            self._progress(0.0, "Fetching call history")
            await self._guarded(self.backfill)
        await self._guarded(self.reconcile)
        last_reconcile = last_full = self._clock()
        while True:
            self._poke.clear()  # before the poll: a call that ends during it pokes again
            await self._guarded(self.poll)
            now = self._clock()
            if now - last_reconcile >= self._settings.reconcile_interval_s:
                full = now - last_full >= self._settings.full_reconcile_interval_s
                await self._guarded(partial(self.reconcile, full=full))
                last_reconcile = self._clock()
                if full:
                    last_full = last_reconcile
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._poke.wait(), self._settings.poll_interval_s)
