"""Dialer campaigns that really dial: while a dialer is on and inside its calling
window, its pending numbers are called, at most ``no_of_calls`` at once.

One task per running dialer, checking once per simulated second (cheap, and it
follows speed changes and status changes without extra signalling). Each number
is one call from the dialer's DID with the customer outcome rules; it lands in
the dialer logs and sends webhooks with ``call_type`` "dialer".
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime, timedelta

from .calls import CallSimulator
from .clock import IST, SimClock
from .live_call import LiveCall
from .world import Dialer

RUNNING = frozenset({"on", "start"})
TICK_S = 1.0


def seconds_until_window(dialer: Dialer, now: datetime) -> float:
    """0 inside ``start_time..end_time`` (IST, ``HH:mm``), else sim seconds to the next start."""
    local = now.astimezone(IST)
    start = _at(local, dialer.start_time)
    end = _at(local, dialer.end_time)
    if start is None or end is None or start <= local < end:
        return 0.0
    if local >= end:
        start += timedelta(days=1)
    return (start - local).total_seconds()


def _at(day: datetime, hhmm: str) -> datetime | None:
    try:
        hour, minute = (int(part) for part in hhmm.split(":", 1))
        return day.replace(hour=hour, minute=minute, second=0, microsecond=0)
    except ValueError:
        return None


class DialerCampaigns:
    """Starts a runner when a dialer is switched on or gets numbers; runners end when idle."""

    def __init__(self, calls: CallSimulator, clock: SimClock) -> None:
        self._calls = calls
        self._clock = clock
        self._tasks: dict[int, asyncio.Task[None]] = {}

    def poke(self, dialer: Dialer) -> None:
        """Call after a status change or new numbers: runs the dialer when it should run."""
        if dialer.status in RUNNING and dialer.numbers and dialer.id not in self._tasks:
            task = asyncio.create_task(self._run(dialer))
            self._tasks[dialer.id] = task
            task.add_done_callback(self._forget)

    def _forget(self, task: asyncio.Task[None]) -> None:
        for dialer_id, running in list(self._tasks.items()):
            if running is task:
                del self._tasks[dialer_id]

    async def stop(self) -> None:
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self, dialer: Dialer) -> None:
        live: list[LiveCall] = []
        while True:
            live = [c for c in live if c.live]
            if dialer.status not in RUNNING or not dialer.numbers:
                if not live:
                    return
            else:
                wait = seconds_until_window(dialer, self._clock.now())
                if wait > 0 and not live:
                    await self._clock.sleep(wait)
                    continue
                while wait == 0 and dialer.numbers and len(live) < max(1, dialer.no_of_calls):
                    live.append(self._calls.start_dialer_call(dialer, dialer.numbers.pop(0)))
            await self._clock.sleep(TICK_S)
