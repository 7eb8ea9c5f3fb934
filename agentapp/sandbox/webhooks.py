"""Webhook delivery: one queue and worker per URL, in order, retried with backoff.

Handlers only :meth:`WebhookDispatcher.publish`; the POSTs happen in worker tasks,
so a slow or dead receiver never blocks the API. Backoff waits run on the sim
clock (scaled by speed) and are capped.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from agentapp.core.signature import signed_headers

from .clock import SimClock


@dataclass
class Delivery:
    id: int
    url: str
    secret: str | None
    payload: dict[str, Any]
    state: str = "pending"  # pending | delivered | failed
    attempts: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "url": self.url, "signed": bool(self.secret),
            "event": self.payload.get("event", "record"), "logid": self.payload.get("recordid", ""),
            "state": self.state, "attempts": list(self.attempts), "payload": self.payload,
        }


class WebhookDispatcher:
    """Owns the registration, the per-URL queues, their workers and one ClientSession."""

    def __init__(self, clock: SimClock, *, max_attempts: int = 8, base_delay_s: float = 1.0,
                 max_delay_s: float = 30.0, timeout_s: float = 5.0) -> None:
        self._clock = clock
        self._max_attempts = max_attempts
        self._base_delay = base_delay_s
        self._max_delay = max_delay_s
        self._timeout = timeout_s
        self.url: str | None = None
        self.secret: str | None = None
        self.deliveries: list[Delivery] = []
        self._queues: dict[str, asyncio.Queue[Delivery]] = {}
        self._workers: dict[str, asyncio.Task[None]] = {}
        self._session: aiohttp.ClientSession | None = None

    def register(self, url: str, secret: str | None) -> None:
        """One URL per account: a new registration replaces the old one."""
        self.url = url
        self.secret = secret or None

    def publish(self, payload: dict[str, Any]) -> None:
        """Queue ``payload`` for the registered URL (no-op when none is registered)."""
        if not self.url:
            return
        delivery = Delivery(len(self.deliveries) + 1, self.url, self.secret, payload)
        self.deliveries.append(delivery)
        queue = self._queues.get(delivery.url)
        if queue is None:
            queue = self._queues[delivery.url] = asyncio.Queue()
            self._workers[delivery.url] = asyncio.create_task(self._work(queue))
        queue.put_nowait(delivery)

    async def stop(self) -> None:
        for task in self._workers.values():
            task.cancel()
        for task in self._workers.values():
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._workers.clear()
        self._queues.clear()
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _get_session(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self._timeout))
        return self._session

    async def _work(self, queue: asyncio.Queue[Delivery]) -> None:
        while True:
            delivery = await queue.get()
            await self._deliver(delivery)

    async def _deliver(self, delivery: Delivery) -> None:
        body = json.dumps(delivery.payload, separators=(",", ":")).encode()
        for attempt in range(1, self._max_attempts + 1):
            result = await self._post(delivery, body)
            delivery.attempts.append({"attempt": attempt, "at": self._clock.now_str(),
                                      "result": result})
            if isinstance(result, int) and 200 <= result < 300:
                delivery.state = "delivered"
                return
            if attempt < self._max_attempts:
                delay = min(self._max_delay, self._base_delay * 2 ** (attempt - 1))
                await self._clock.sleep(delay)
        delivery.state = "failed"

    async def _post(self, delivery: Delivery, body: bytes) -> int | str:
        headers = {"Content-Type": "application/json", "User-Agent": "ivr-sandbox-webhooks"}
        if delivery.secret:
            headers.update(signed_headers(delivery.secret, int(time.time()), body))
        try:
            async with self._get_session().post(delivery.url, data=body, headers=headers) as resp:
                await resp.read()
                return resp.status
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            return f"error: {type(exc).__name__}"
