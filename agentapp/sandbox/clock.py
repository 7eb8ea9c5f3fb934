"""The one clock of the simulated world: sim seconds = real seconds * speed.

Every wait in the sandbox goes through :meth:`SimClock.sleep`, which re-plans
when the speed changes, so ``POST /_sandbox/speed`` takes effect mid-call.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from datetime import datetime, timedelta, timezone

IST = timezone(timedelta(hours=5, minutes=30), "IST")
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def format_ist(moment: datetime) -> str:
    """``YYYY-MM-DD HH:MM:SS`` in India time, the API's timestamp format."""
    return moment.astimezone(IST).strftime(TIME_FORMAT)


class SimClock:
    """Simulated wall time anchored at a fixed start; speed may change at any time."""

    def __init__(self, start: datetime, speed: float) -> None:
        if speed <= 0:
            raise ValueError("speed must be > 0")
        self.start = start if start.tzinfo else start.replace(tzinfo=IST)
        self._speed = speed
        self._anchor_real = time.monotonic()
        self._anchor_sim = 0.0
        self._changed: asyncio.Event | None = None

    @property
    def speed(self) -> float:
        return self._speed

    def set_speed(self, speed: float) -> None:
        if speed <= 0:
            raise ValueError("speed must be > 0")
        self._anchor_sim = self.elapsed()
        self._anchor_real = time.monotonic()
        self._speed = speed
        if self._changed is not None:
            self._changed.set()
            self._changed = None

    def elapsed(self) -> float:
        """Simulated seconds since the start."""
        return self._anchor_sim + (time.monotonic() - self._anchor_real) * self._speed

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.elapsed())

    def now_str(self) -> str:
        return format_ist(self.now())

    async def sleep(self, sim_seconds: float) -> None:
        """Wait ``sim_seconds`` of simulated time, following speed changes."""
        target = self.elapsed() + max(0.0, sim_seconds)
        while True:
            remaining = target - self.elapsed()
            if remaining <= 0:
                return
            if self._changed is None:
                self._changed = asyncio.Event()
            changed = self._changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining / self._speed)
