"""Soak: the signed-in app handles 50,000+ events and timers without drifting.

Why: PySide6 6.12.0 on CPython 3.11 dropped a reference to ``None`` on every
``QObject.killTimer()``; qasync kills a Qt timer per asyncio timer, so the app
died after hours ("none_dealloc"). pyproject caps the version and
tests/test_pyside_refcount.py guards it; this bench shows the whole app under
load: real calls through the window against the sandbox, signed webhook
events posted to the app's receiver (a few hundred per call, as a busy call's
keypad and status events would be), and bursts of asyncio timers.

Figures: the change of ``sys.getrefcount(None)`` and of RSS across the load,
next to the same figures over an idle stretch of the same app in the same run
(the baseline). ``python -m bench soak`` (opt-in: it takes a minute or two).
"""

from __future__ import annotations

import asyncio
import gc
import json
import sys
import time
from pathlib import Path

import httpx

from agentapp.core.call import CallTimeline
from agentapp.core.signature import signed_headers
from bench.click import mobile_numbers
from bench.harness import EXTENSION, BenchError, live_app, place_and_end
from bench.stats import Row
from testkit.apps import AppUnderTest

CALLS = 40
EVENTS_PER_CALL = 250
TIMER_CYCLES = 40_000


def rss_mib() -> float:
    """Resident memory now (Linux /proc); NaN where it cannot be read."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def none_refs() -> int:
    gc.collect()
    return sys.getrefcount(None)


async def _post_events(app: AppUnderTest, client: httpx.AsyncClient, call: CallTimeline,
                       count: int) -> int:
    receiver = app.services.receiver
    if receiver is None:
        raise BenchError("the app's webhook receiver is not running")
    for i in range(count):
        payload = {"event": "dtmf", "event_id": f"soak-{call.logid}-{i}",
                   "logid": call.logid, "leg": "customer", "digits": str(i % 10),
                   "call_type": "c2c", "ext_no": EXTENSION}
        body = json.dumps(payload, separators=(",", ":")).encode()
        headers = {"Content-Type": "application/json",
                   **(signed_headers(receiver.secret, int(time.time()), body)
                      if receiver.secret else {})}
        answer = await client.post(receiver.url, content=body, headers=headers)
        if answer.status_code != 200:
            raise BenchError(f"the receiver answered {answer.status_code}")
    return count


async def _timer_burst(cycles: int) -> int:
    loop = asyncio.get_running_loop()
    for _ in range(cycles // 500):
        futures = []
        for _ in range(500):
            future = loop.create_future()
            loop.call_later(0, future.set_result, None)
            futures.append(future)
        await asyncio.gather(*futures)
    return cycles


async def measure(app: AppUnderTest) -> list[Row]:
    numbers = mobile_numbers(9_811_100_000)
    await place_and_end(app, next(numbers))  # warm-up: caches, imports, first paint
    await asyncio.sleep(1.0)
    refs0, rss0 = none_refs(), rss_mib()
    started = time.perf_counter()
    handled = 0
    halfway: tuple[int, float] = (refs0, rss0)
    async with httpx.AsyncClient(timeout=10) as client:
        for i in range(CALLS):
            if i == CALLS // 2:
                halfway = (none_refs(), rss_mib())
            call = await place_and_end(app, next(numbers))
            handled += 1 + await _post_events(app, client, call, EVENTS_PER_CALL)
            handled += await _timer_burst(TIMER_CYCLES // CALLS)
    took = time.perf_counter() - started
    await asyncio.sleep(1.0)
    refs1, rss1 = none_refs(), rss_mib()
    # Baseline: the same app idling for as long as the load ran (its own timers only).
    await asyncio.sleep(min(took, 60.0))
    refs2, rss2 = none_refs(), rss_mib()
    print(f"# soak: {handled} events, calls and timers in {took:.1f} s; None refs "
          f"{refs0} -> {halfway[0]} (half) -> {refs1}, RSS {rss0:.1f} -> {halfway[1]:.1f} -> "
          f"{rss1:.1f} MiB; after idling as long: None refs {refs2}, RSS {rss2:.1f} MiB")
    # The first half fills caches and the tracker's recent calls; a leak shows as
    # the second half drifting like the first. PySide6 6.12.0 would have *lowered*
    # the None count by ~1 per timer (and aborted the process long before the end).
    return [
        Row("soak", f"None refcount change, 2nd half of {handled} ops", "refs",
            (float(refs1 - halfway[0]),), "same app idle", (float(refs2 - refs1),)),
        Row("soak", "RSS change, 2nd half of load", "MiB", (rss1 - halfway[1],),
            "same app idle", (rss2 - rss1,)),
    ]


async def run() -> list[Row]:
    async with live_app() as app:
        return await measure(app)
