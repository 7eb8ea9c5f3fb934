"""Click-to-request: ``call_button.click()`` until the c2c_post request leaves the app.

The "leaves the app" instant is an httpx request event hook on the app's own
shared AsyncClient (it fires just before the request is written to the
connection). Baseline, same loop, same client, same hook: a bare
``await http.post(<sandbox>/api/key_authentication)``, timed from the call to
the hook. Iterations run one after the other; each waits for its call to end
on the sandbox (speed 50: a call lasts about half a second) so the dialing
service's "a call is being set up" and "same number within 5 s" guards never
refuse and no call is live while the next one is timed.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator

import httpx

from agentapp.core.call import CallTimeline
from agentapp.core.phone import parse_dial_target
from bench.harness import BenchError, live_app, wait_until
from bench.stats import Row
from testkit.apps import AppUnderTest

TARGET_MS = 30.0
C2C_PATH = "/api/c2c_post"
AUTH_PATH = "/api/key_authentication"


def mobile_numbers(start: int = 9_876_500_000) -> Iterator[str]:
    """Distinct valid Indian mobiles with the sandbox's shortest talk time (15 sim s).

    The sandbox's talk time is 15 + (number % 31) seconds; suffixes 00/98/99 are
    its busy / failed / no-answer rules, so they are skipped.
    """
    number = start + (-start % 31)
    while True:
        text = str(number)
        if text[-2:] not in ("00", "98", "99"):
            parse_dial_target(text)  # raises if the app would not accept it
            yield text
        number += 31


class _Stamps:
    """Request hook: when each request of the shared client was handed to the transport."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, float]] = []

    async def hook(self, request: httpx.Request) -> None:
        self.sent.append((request.url.path, time.perf_counter()))

    def first(self, path: str) -> float:
        for sent_path, at in self.sent:
            if sent_path.endswith(path):
                return at
        raise BenchError(f"no request to {path} was sent")


def _ended(app: AppUnderTest, call_id: str) -> Callable[[], bool]:
    tracker = app.services.tracker

    def ended() -> bool:
        timeline = tracker.get(call_id)
        return timeline is None or not timeline.is_live

    return ended


async def measure(app: AppUnderTest, iterations: int, warmup: int) -> list[Row]:
    loop = asyncio.get_running_loop()
    window, http = app.window, app.http
    stamps = _Stamps()
    http.event_hooks["request"].append(stamps.hook)
    outcome: asyncio.Future[tuple[str, object, float]] | None = None

    def on_placed(timeline: object) -> None:
        if outcome is not None and not outcome.done():
            outcome.set_result(("placed", timeline, time.perf_counter()))

    def on_refused(message: str) -> None:
        if outcome is not None and not outcome.done():
            outcome.set_result(("refused", message, time.perf_counter()))

    app.runtime.dial.placed.connect(on_placed)
    app.runtime.dial.refused.connect(on_refused)
    auth = {"Authorization": f"Bearer {app.sandbox.token}", "Accept": "application/json"}
    auth_url = app.sandbox.base_url + AUTH_PATH
    to_request: list[float] = []
    to_placed: list[float] = []
    base_request: list[float] = []
    base_response: list[float] = []
    numbers = mobile_numbers()
    try:
        for i in range(warmup + iterations):
            keep = i >= warmup
            # -- the app: one click ------------------------------------------------
            window.dial.number.setText(next(numbers))
            await asyncio.sleep(0)  # let the field's preview settle outside the timed span
            outcome = loop.create_future()
            stamps.sent.clear()
            t0 = time.perf_counter()
            window.dial.call_button.click()
            kind, value, t_done = await asyncio.wait_for(outcome, 15)
            if kind != "placed" or not isinstance(value, CallTimeline):
                raise BenchError(f"the click was refused: {value}")
            if keep:
                to_request.append((stamps.first(C2C_PATH) - t0) * 1000)
                to_placed.append((t_done - t0) * 1000)
            await wait_until(_ended(app, value.call_id), 15, "the call to end")
            # -- the baseline: a bare post on the same loop and client -------------
            stamps.sent.clear()
            t0 = time.perf_counter()
            response = await http.post(auth_url, json={}, headers=auth)
            t_done = time.perf_counter()
            if response.status_code != 200:
                raise BenchError(f"baseline post answered {response.status_code}")
            if keep:
                base_request.append((stamps.first(AUTH_PATH) - t0) * 1000)
                base_response.append((t_done - t0) * 1000)
    finally:
        http.event_hooks["request"].remove(stamps.hook)
        app.runtime.dial.placed.disconnect(on_placed)
        app.runtime.dial.refused.disconnect(on_refused)
    return [
        Row("click", "click -> c2c_post request sent", "ms", tuple(to_request),
            "bare http.post -> request sent", tuple(base_request), TARGET_MS),
        Row("click", "click -> call placed (API answered)", "ms", tuple(to_placed),
            "bare http.post -> response", tuple(base_response)),
    ]


async def run(iterations: int, warmup: int) -> list[Row]:
    async with live_app() as app:
        return await measure(app, iterations, warmup)
