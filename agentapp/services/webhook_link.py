"""This app's webhook receiver *and* its registration with the account, kept honest.

A receiver that listens is not enough: the platform must also know its URL.
A server that was restarted (or an outage long enough to lose state) may
have forgotten the registration, and nothing tells us. So the link counts as
healthy only while the registration is confirmed or deliveries arrive; when
the connection is lost the registration becomes unconfirmed, and on every
recovery the same URL is registered again (idempotent: an account has one
webhook URL, and it is ours already).

It is the session's event source when the app receives its own webhooks
(``services.event_source.EventSource``): ``state`` is what the strip's
live-events pill shows, ``healthy`` what the call tracker's polling pace reads.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Protocol

from agentapp.api.errors import ApiError
from agentapp.services.connectivity import ConnState, Health
from agentapp.services.event_source import LiveState
from agentapp.services.observable import Observable
from agentapp.services.tasks import cancel_and_wait

log = logging.getLogger(__name__)


class Receiver(Protocol):
    url: str
    deliveries: int

    async def start(self) -> str: ...
    async def stop(self) -> None: ...


class ConnectionEvents(Protocol):
    health: Observable[Health]
    recovered: Observable[float]


Register = Callable[[str, str], Awaitable[object]]


class WebhookLink:
    """CONNECTED while registered; RECONNECTING from an outage until registered again;
    OFF when stopped, or when registering again failed (``error`` says why).

    A failed registration after a recovery is tried again by itself, after
    ``retry_first_s`` and then twice as long each time up to ``retry_max_s``, and at
    once on the next recovery. Registering is a mutation and never retried by the
    transport, so one 500 used to leave live events off for the rest of the session
    when the connection then stayed up (tests/reliability/test_fault_suite_answers.py).
    """

    kind = "receiver"

    def __init__(self, receiver: Receiver, register: Register, secret: str = "", *,
                 retry_first_s: float = 2.0, retry_max_s: float = 60.0) -> None:
        self.receiver = receiver
        self._register = register
        self._secret = secret
        self._retry_first_s = retry_first_s
        self._retry_max_s = max(retry_first_s, retry_max_s)
        self._wake = asyncio.Event()
        self.state: Observable[LiveState] = Observable(LiveState.OFF)
        self.problem: Observable[str] = Observable("")  # EventSource; ``error`` is said elsewhere
        self.error = ""
        self.registrations = 0
        self._confirmed = False
        self._deliveries_at_loss = 0
        self._running = False
        self._task: asyncio.Task[None] | None = None
        self._undo: list[Callable[[], None]] = []

    @property
    def healthy(self) -> bool:
        """Running, and either confirmed or proven by a delivery since the last loss."""
        if not self._running:
            return False
        return self._confirmed or self.receiver.deliveries > self._deliveries_at_loss

    @property
    def confirmed(self) -> bool:
        return self._confirmed

    async def start(self) -> None:
        """Listen and register; raises ``OSError`` / ``ApiError`` (the caller says why)."""
        await self.receiver.start()
        self._running = True
        await self._register_once()

    def follow(self, connection: ConnectionEvents) -> None:
        """Lose confirmation when the connection goes, register again when it returns."""
        self._undo.append(connection.health.subscribe(self._health))
        self._undo.append(connection.recovered.subscribe(lambda _at: self.reregister_soon()))

    async def stop(self) -> None:
        while self._undo:
            self._undo.pop()()
        task, self._task = self._task, None
        await cancel_and_wait([task])
        self._running = False
        self._confirmed = False
        await self.receiver.stop()
        self.state.set(LiveState.OFF)

    def reregister_soon(self) -> None:
        if not self._running:
            return
        if self._task is not None and not self._task.done():
            self._wake.set()  # a retry is waiting: try now, the connection is back
            return
        self._task = asyncio.get_running_loop().create_task(self._reregister(),
                                                            name="webhook-reregister")

    def _health(self, health: Health) -> None:
        if health.state in (ConnState.OFFLINE, ConnState.DEGRADED) and self._running:
            if self._confirmed:
                log.info("webhook registration unconfirmed (connection %s)", health.state.value)
            self._confirmed = False
            self._deliveries_at_loss = self.receiver.deliveries
            self.state.set(LiveState.RECONNECTING)

    async def _reregister(self) -> None:
        delay = self._retry_first_s
        while self._running:
            try:
                await self._register_once()
                return
            except ApiError as exc:
                log.warning("registering the webhook again failed (%s); following calls by "
                            "polling, next try in %.0f s", type(exc).__name__, delay)
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await self._wake.wait()
            delay = min(delay * 2, self._retry_max_s)

    async def _register_once(self) -> None:
        self.state.set(LiveState.RECONNECTING)
        try:
            await self._register(self.receiver.url, self._secret)
        except ApiError as exc:
            self._confirmed = False
            self.error = exc.user_message
            self.state.set(LiveState.OFF)
            raise
        self._confirmed = True
        self.error = ""
        self.registrations += 1
        self.state.set(LiveState.CONNECTED)
        if self.registrations > 1:
            log.info("webhook registered again after the connection came back")
