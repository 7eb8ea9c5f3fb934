"""Webhook delivery: each delivery retried on its own schedule, in order per call.

A real provider's queue does not hold every later event for a URL behind one
event the receiver keeps refusing, so neither does the sandbox: each call
(``recordid``) has its own chain, and a chain only waits for the earlier events
of the *same* call (so what is delivered for one call stays in ``seq`` order).
Handlers only :meth:`WebhookDispatcher.publish`; the POSTs happen in chain tasks,
at most ``max_in_flight`` at once per dispatcher, so a slow or dead receiver
never blocks the API. Backoff waits run on the sim clock (scaled by speed) and
are capped; a chain holds no connection slot while it waits.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import deque
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

    @property
    def chain_key(self) -> tuple[str, str]:
        """Deliveries of one call to one URL keep their order; others are independent."""
        return self.url, str(self.payload.get("recordid", ""))

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "url": self.url, "signed": bool(self.secret),
            "event": self.payload.get("event", "record"), "logid": self.payload.get("recordid", ""),
            "state": self.state, "attempts": list(self.attempts), "payload": self.payload,
        }


class WebhookDispatcher:
    """Owns the registration, one chain task per call with pending events, one ClientSession."""

    def __init__(self, clock: SimClock, *, max_attempts: int = 8, base_delay_s: float = 1.0,
                 max_delay_s: float = 30.0, timeout_s: float = 5.0,
                 max_in_flight: int = 16) -> None:
        self._clock = clock
        self._max_attempts = max_attempts
        self._base_delay = base_delay_s
        self._max_delay = max_delay_s
        self._timeout = timeout_s
        self._slots = asyncio.Semaphore(max_in_flight)
        self.url: str | None = None
        self.secret: str | None = None
        self.deliveries: list[Delivery] = []
        self._chains: dict[tuple[str, str], deque[Delivery]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
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
        chain = self._chains.get(delivery.chain_key)
        if chain is not None:  # its chain task is running and will reach it in order
            chain.append(delivery)
            return
        self._chains[delivery.chain_key] = deque([delivery])
        task = asyncio.create_task(self._run_chain(delivery.chain_key))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def stop(self) -> None:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        self._chains.clear()
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _get_session(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self._timeout))
        return self._session

    async def _run_chain(self, key: tuple[str, str]) -> None:
        chain = self._chains[key]
        try:
            while chain:
                await self._deliver(chain[0])
                chain.popleft()
        finally:
            self._chains.pop(key, None)

    async def _deliver(self, delivery: Delivery) -> None:
        body = json.dumps(delivery.payload, separators=(",", ":")).encode()
        for attempt in range(1, self._max_attempts + 1):
            async with self._slots:
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
