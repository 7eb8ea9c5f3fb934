"""A real WebhookReceiver on loopback, on its own event loop in a thread.

For tests that talk to it with blocking clients (httpx, raw sockets, a
Hypothesis run): the receiver and its intake run exactly as in the app, only
on a plain asyncio loop instead of the Qt one.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from typing import Any

from agentapp.core.call import CallEvent
from agentapp.core.signature import signed_headers
from agentapp.services.hook_limits import HookLimits
from agentapp.services.webhook_receiver import EventIntake, WebhookReceiver

SECRET = "s3cret-for-security-tests"
RING = {"event": "ring", "event_id": "5-1", "logid": "5", "leg": "agent", "call_type": "c2c"}


def signed(body: bytes, at: float | None = None, content_type: str | None = "application/json"
           ) -> dict[str, str]:
    headers = signed_headers(SECRET, int(time.time() if at is None else at), body)
    return headers | ({"Content-Type": content_type} if content_type else {})


def ring_body(**extra: Any) -> bytes:
    return json.dumps(RING | extra).encode()


class RunningReceiver:
    """The receiver, what reached the intake, and a way to run code on its loop."""

    def __init__(self, receiver: WebhookReceiver, loop: asyncio.AbstractEventLoop,
                 fed: list[CallEvent]) -> None:
        self.receiver = receiver
        self.loop = loop
        self.fed = fed
        self.url = receiver.url

    def call(self, fn: Callable[[], Any]) -> Any:
        """Run ``fn`` on the receiver's loop and return its result (thread-safe reads)."""
        done: Future[Any] = Future()

        def run() -> None:
            try:
                done.set_result(fn())
            except BaseException as exc:  # handed back to the test thread
                done.set_exception(exc)

        self.loop.call_soon_threadsafe(run)
        return done.result(timeout=10)


@contextmanager
def running_receiver(*, secret: str | None = SECRET, limits: HookLimits | None = None,
                     clock: Callable[[], float] = time.time,
                     on_payload: Callable[[dict[str, Any]], None] | None = None,
                     ) -> Iterator[RunningReceiver]:
    fed: list[CallEvent] = []
    loop = asyncio.new_event_loop()
    receiver = WebhookReceiver(on_payload or EventIntake(fed.append, clock=clock),
                               secret=secret, limits=limits, clock=clock)
    thread = threading.Thread(target=loop.run_forever, name="receiver-loop", daemon=True)
    thread.start()
    try:
        asyncio.run_coroutine_threadsafe(receiver.start(), loop).result(timeout=10)
        yield RunningReceiver(receiver, loop, fed)
    finally:
        asyncio.run_coroutine_threadsafe(receiver.stop(), loop).result(timeout=30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()
