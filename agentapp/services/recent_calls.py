"""The agent's latest calls (click-to-call and inbound), newest first, for "Call back".

Reads the API directly and keeps a short list in memory. It is the first
consumer of the call logs; the store-backed history (incremental sync into
sqlite) will feed the same list shape when it arrives.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Protocol

from agentapp.api.errors import ApiError
from agentapp.api.models import CallRecord
from agentapp.core.call import CallTimeline
from agentapp.services.observable import Observable
from agentapp.services.tasks import cancel_and_wait

log = logging.getLogger(__name__)


class RecentCallsApi(Protocol):
    async def c2c_logs(self) -> list[CallRecord]: ...
    async def call_logs(self, from_date: date | None = None,
                        to_date: date | None = None) -> list[CallRecord]: ...


def latest_for_extension(records: list[CallRecord], ext_no: str, limit: int) -> list[CallRecord]:
    """This agent's calls, newest first, one row per call (record keys are unique)."""
    mine = {r.key: r for r in records if not ext_no or r.ext_no == ext_no}
    return sorted(mine.values(), key=lambda r: r.call_time, reverse=True)[:limit]


class RecentCalls:
    def __init__(self, api: RecentCallsApi, ext_no: str, *, limit: int = 50,
                 days: int = 7, interval_s: float = 60.0, settle_s: float = 1.0,
                 today: Callable[[], date] = date.today) -> None:
        self._api = api
        self._ext_no = ext_no
        self._limit = limit
        self._days = days
        self._interval_s = interval_s
        self._settle_s = settle_s
        self._today = today
        self.calls: Observable[list[CallRecord]] = Observable([])
        self.error: Observable[str] = Observable("")
        self._loop_task: asyncio.Task[None] | None = None
        self._refresh_task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._loop_task is None or self._loop_task.done():
            self._loop_task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        tasks = (self._loop_task, self._refresh_task)
        self._loop_task = self._refresh_task = None
        await cancel_and_wait(tasks)

    def call_ended(self, timeline: CallTimeline | None) -> None:
        """Tracker hook: once a call ends its log row exists, so refresh (soon)."""
        if timeline is not None and not timeline.is_live:
            self.refresh_soon(self._settle_s)

    def refresh_soon(self, delay_s: float = 0.0) -> None:
        """Latest wins: a new request cancels a refresh still waiting or running."""
        if self._refresh_task is not None and not self._refresh_task.done():
            self._refresh_task.cancel()
        self._refresh_task = asyncio.get_running_loop().create_task(self._refresh(delay_s))

    async def _run(self) -> None:
        while True:
            self.refresh_soon()
            await asyncio.sleep(self._interval_s)

    async def _refresh(self, delay_s: float) -> None:
        if delay_s:
            await asyncio.sleep(delay_s)
        started = time.monotonic()
        today = self._today()
        try:
            c2c, inbound = await asyncio.gather(
                self._api.c2c_logs(),
                self._api.call_logs(today - timedelta(days=self._days - 1), today))
        except ApiError as exc:
            self.error.set(exc.user_message)
            return
        self.error.set("")
        self.calls.emit(latest_for_extension([*c2c, *inbound], self._ext_no, self._limit))
        log.debug("recent calls refreshed in %.0f ms", 1000 * (time.monotonic() - started))
