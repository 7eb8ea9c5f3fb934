"""Webhook-to-timeline: a signed live event POSTed to the app's receiver until the UI has it.

One real call is placed and allowed to end (so no poll or sandbox delivery runs
meanwhile); then the bench POSTs signed ``dtmf`` events for its ``logid`` (each
adds a "Keypad: N" step, so every one changes the timeline) with the receiver's
own secret, and stops the clock in a slot on ``CallsFacade.timeline_changed``
connected after the main window's: the card has been updated when it fires.

Baseline, same loop, same client: the same POST to a trivial aiohttp handler
that reads the body and answers 200, timed to the handler having the body.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from typing import Any

import httpx
from aiohttp import web

from agentapp.core.call import CallTimeline
from agentapp.core.signature import signed_headers
from bench.click import mobile_numbers
from bench.harness import EXTENSION, BenchError, live_app, place_and_end, wait_until
from bench.stats import Row
from testkit.apps import AppUnderTest

TARGET_MS = 50.0


async def _tracked_call(app: AppUnderTest) -> CallTimeline:
    """Place one call through the window, wait for it to end and for polling to stop."""
    value = await place_and_end(app, next(mobile_numbers(9_812_300_000)), end_within=15)
    tracker = app.services.tracker
    await wait_until(lambda: tracker.polling_count == 0, 5, "polling to stop")
    return value


class _Baseline:
    """A trivial aiohttp receiver on the same loop."""

    def __init__(self) -> None:
        self.arrivals: list[float] = []
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def _handle(self, request: web.Request) -> web.Response:
        await request.read()
        self.arrivals.append(time.perf_counter())
        return web.json_response({"ok": True})

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/hook", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        sock = socket.create_server(("127.0.0.1", 0))
        await web.SockSite(self._runner, sock).start()
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}/hook"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


async def measure(app: AppUnderTest, iterations: int, warmup: int) -> list[Row]:
    receiver = app.services.receiver
    if receiver is None:
        raise BenchError("the app's webhook receiver is not running")
    secret = receiver.secret
    call = await _tracked_call(app)
    loop = asyncio.get_running_loop()

    # Stop the clock once the UI slot (connected first, in AppRuntime) has run.
    expected: dict[str, Any] = {"event_id": None, "future": None}

    def on_changed(timeline: object) -> None:
        future = expected["future"]
        if (isinstance(timeline, CallTimeline) and timeline.logid == call.logid
                and expected["event_id"] in timeline.seen_event_ids
                and future is not None and not future.done()):
            future.set_result(time.perf_counter())

    # When the payload reaches the intake (after body read and HMAC check).
    arrivals: list[float] = []
    untap = receiver.verified.subscribe(lambda _payload: arrivals.append(time.perf_counter()))
    app.runtime.calls.timeline_changed.connect(on_changed)
    baseline = _Baseline()
    await baseline.start()
    to_signal: list[float] = []
    intake_to_signal: list[float] = []
    app_response: list[float] = []
    base_arrival: list[float] = []
    base_response: list[float] = []
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            for i in range(warmup + iterations):
                keep = i >= warmup
                event_id = f"bench-{call.logid}-{i}"
                payload = {"event": "dtmf", "event_id": event_id, "logid": call.logid,
                           "leg": "customer", "digits": str(i % 10), "call_type": "c2c",
                           "ext_no": EXTENSION}
                body = json.dumps(payload, separators=(",", ":")).encode()
                headers = {"Content-Type": "application/json",
                           **(signed_headers(secret, int(time.time()), body) if secret else {})}
                # -- the app's receiver --------------------------------------------
                future: asyncio.Future[float] = loop.create_future()
                expected.update(event_id=event_id, future=future)
                arrivals.clear()
                t0 = time.perf_counter()
                response = await client.post(receiver.url, content=body, headers=headers)
                t_done = time.perf_counter()
                if response.status_code != 200:
                    raise BenchError(f"the receiver answered {response.status_code}: "
                                     f"{response.text[:200]}")
                t_signal = await asyncio.wait_for(future, 5)
                if keep:
                    to_signal.append((t_signal - t0) * 1000)
                    intake_to_signal.append((t_signal - arrivals[0]) * 1000)
                    app_response.append((t_done - t0) * 1000)
                # -- the baseline ----------------------------------------------------
                baseline.arrivals.clear()
                t0 = time.perf_counter()
                response = await client.post(baseline.url, content=body, headers=headers)
                t_done = time.perf_counter()
                if response.status_code != 200 or not baseline.arrivals:
                    raise BenchError("the baseline receiver did not answer")
                if keep:
                    base_arrival.append((baseline.arrivals[0] - t0) * 1000)
                    base_response.append((t_done - t0) * 1000)
    finally:
        await baseline.stop()
        app.runtime.calls.timeline_changed.disconnect(on_changed)
        untap()
    return [
        Row("webhook", "POST sent -> timeline_changed (UI updated)", "ms", tuple(to_signal),
            "POST sent -> trivial handler has body", tuple(base_arrival), TARGET_MS),
        Row("webhook", "  of which: intake -> timeline_changed", "ms", tuple(intake_to_signal),
            "(breakdown, no baseline)", ()),
        Row("webhook", "POST round trip (app receiver)", "ms", tuple(app_response),
            "POST round trip (trivial handler)", tuple(base_response)),
    ]


async def run(iterations: int, warmup: int) -> list[Row]:
    async with live_app() as app:
        return await measure(app, iterations, warmup)
