"""Measure how long the event loop stalls: a task that ticks every ~10 ms.

Each tick asks to wake ``interval_s`` later; the lag is how much later it
really woke. A lag is a stall of *this process's* loop only when the loop
thread could have run: on a shared 2-core CI machine the kernel may keep a
runnable thread off the CPU for 100 ms or more, which says nothing about our
code. On Linux the thread's run-queue wait (``/proc/thread-self/schedstat``,
second field) is read at every tick and subtracted, so ``max_stall_s`` is the
time the loop thread was busy or blocked (in Python, in a blocking call, on
the GIL) and not the time the machine made it wait. Elsewhere it is the raw
lag (``load_corrected`` False).

Used by the fault suite (tests/reliability) and by benchmarks alike.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

SCHEDSTAT = Path("/proc/thread-self/schedstat")
STALL_LIMIT_S = 0.100


def _runqueue_wait_s() -> float | None:
    """Seconds this thread has spent runnable but waiting for a CPU, or None."""
    try:
        fields = SCHEDSTAT.read_text().split()
        return int(fields[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return None


@dataclass
class Stall:
    at: float  # monotonic time of the late tick
    lag_s: float  # how late the tick woke
    stall_s: float  # the lag minus the run-queue wait (what our process caused)


@dataclass
class Heartbeat:
    """Ticks on the running loop; ``max_stall_s`` is the worst stall seen so far."""

    interval_s: float = 0.010
    limit_s: float = STALL_LIMIT_S
    ticks: int = 0
    max_lag_s: float = 0.0
    max_stall_s: float = 0.0
    load_corrected: bool = field(default_factory=lambda: _runqueue_wait_s() is not None)
    over_limit: list[Stall] = field(default_factory=list)
    _task: asyncio.Task[None] | None = field(default=None, repr=False)

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="heartbeat")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def reset(self) -> None:
        """Forget what was measured so far (e.g. after the app has started)."""
        self.ticks, self.max_lag_s, self.max_stall_s = 0, 0.0, 0.0
        self.over_limit.clear()

    def summary(self) -> str:
        worst = sorted(self.over_limit, key=lambda s: -s.stall_s)[:5]
        detail = ", ".join(f"{s.stall_s * 1000:.0f} ms (lag {s.lag_s * 1000:.0f})"
                           for s in worst)
        kind = "run-queue wait subtracted" if self.load_corrected else "raw lag"
        return (f"max stall {self.max_stall_s * 1000:.0f} ms, max lag "
                f"{self.max_lag_s * 1000:.0f} ms over {self.ticks} ticks ({kind})"
                + (f"; over {self.limit_s * 1000:.0f} ms: {detail}" if worst else ""))

    async def _run(self) -> None:
        waited = _runqueue_wait_s()
        while True:
            asked = time.monotonic()
            await asyncio.sleep(self.interval_s)
            woke = time.monotonic()
            now_waited = _runqueue_wait_s()
            lag = max(0.0, woke - asked - self.interval_s)
            queued = (now_waited - waited) if (now_waited is not None and waited is not None) \
                else 0.0
            waited = now_waited
            stall = max(0.0, lag - queued)
            self.ticks += 1
            self.max_lag_s = max(self.max_lag_s, lag)
            self.max_stall_s = max(self.max_stall_s, stall)
            if stall > self.limit_s:
                self.over_limit.append(Stall(woke, lag, stall))


@contextlib.asynccontextmanager
async def heartbeat(interval_s: float = 0.010) -> AsyncIterator[Heartbeat]:
    """``async with heartbeat() as beat: ...; assert beat.max_stall_s <= 0.1``."""
    beat = Heartbeat(interval_s)
    beat.start()
    try:
        yield beat
    finally:
        await beat.stop()
