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

Cyclic garbage collection runs on the Qt thread (agentapp.qt.main_thread_gc), so
its pauses are loop stalls too; ``max_gc_s`` says how long the longest one was.
A test process carries every earlier test's long-lived objects, which the app
never has: :func:`frozen_heap` moves them out of the collector's sight
(``gc.freeze``) for the measured part, so a full collection costs what the
app's own objects cost.

Used by the fault suite (tests/reliability) and by benchmarks alike.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import sys
import threading
import time
import traceback
from collections.abc import AsyncIterator, Iterator
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
    where: str = ""  # the loop thread's stack while it was late (innermost last)


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
    max_gc_s: float = 0.0  # the longest cyclic collection while running
    _task: asyncio.Task[None] | None = field(default=None, repr=False)
    _gc_started: float = field(default=0.0, repr=False)
    _last_tick: float = field(default=0.0, repr=False)
    _late_stack: dict[int, str] = field(default_factory=dict, repr=False)
    _watching: bool = field(default=False, repr=False)

    def start(self) -> None:
        gc.callbacks.append(self._gc_phase)
        self._last_tick = time.monotonic()
        self._watching = True
        loop_thread = threading.get_ident()
        threading.Thread(target=self._watch, args=(loop_thread,), name="heartbeat-watch",
                         daemon=True).start()
        self._task = asyncio.get_running_loop().create_task(self._run(), name="heartbeat")

    def _watch(self, loop_thread: int) -> None:
        """Off the loop: when a tick is half the limit late, note where the loop is."""
        while self._watching:
            time.sleep(0.01)
            tick = self.ticks
            if tick in self._late_stack or \
                    time.monotonic() - self._last_tick < self.limit_s / 2:
                continue
            frame = sys._current_frames().get(loop_thread)
            if frame is not None:
                frames = traceback.extract_stack(frame)[-8:]
                self._late_stack[tick] = " <- ".join(
                    f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames))

    def _gc_phase(self, phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_started = time.monotonic()
        else:
            self.max_gc_s = max(self.max_gc_s, time.monotonic() - self._gc_started)

    async def stop(self) -> None:
        self._watching = False
        if self._gc_phase in gc.callbacks:
            gc.callbacks.remove(self._gc_phase)
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def reset(self) -> None:
        """Forget what was measured so far (e.g. after the app has started)."""
        self.ticks, self.max_lag_s, self.max_stall_s, self.max_gc_s = 0, 0.0, 0.0, 0.0
        self.over_limit.clear()

    def summary(self) -> str:
        worst = sorted(self.over_limit, key=lambda s: -s.stall_s)[:5]
        detail = ", ".join(f"{s.stall_s * 1000:.0f} ms (lag {s.lag_s * 1000:.0f}) in "
                           f"{s.where or '?'}" for s in worst)
        kind = "run-queue wait subtracted" if self.load_corrected else "raw lag"
        return (f"max stall {self.max_stall_s * 1000:.0f} ms, max lag "
                f"{self.max_lag_s * 1000:.0f} ms over {self.ticks} ticks ({kind}); "
                f"longest GC {self.max_gc_s * 1000:.0f} ms"
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
            where = self._late_stack.pop(self.ticks, "")
            self.ticks += 1
            self._last_tick = time.monotonic()
            self.max_lag_s = max(self.max_lag_s, lag)
            self.max_stall_s = max(self.max_stall_s, stall)
            if stall > self.limit_s:
                self.over_limit.append(Stall(woke, lag, stall, where))


@contextlib.asynccontextmanager
async def heartbeat(interval_s: float = 0.010, *, freeze: bool = False
                    ) -> AsyncIterator[Heartbeat]:
    """``async with heartbeat() as beat: ...; assert beat.max_stall_s <= 0.1``.

    ``freeze``: measure inside :func:`frozen_heap` (what a test process should do)."""
    with frozen_heap() if freeze else contextlib.nullcontext():
        beat = Heartbeat(interval_s)
        beat.start()
        try:
            yield beat
        finally:
            await beat.stop()


@contextlib.contextmanager
def frozen_heap() -> Iterator[None]:
    """Collect once, then hide every object alive now from the collector until exit."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
