"""Online/offline, learned from real API outcomes plus a probe while offline.

Only transport failures (no connection, timeout, TLS) mean offline: an API
that answers "no" is reachable. While offline an owned task probes with a
cheap read, backing off, so the app notices the network coming back without
the agent clicking anything.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from agentapp.api.errors import ApiConnectionError, ApiTimeoutError, TlsError
from agentapp.services.observable import Observable
from agentapp.services.tasks import cancel_and_wait

log = logging.getLogger(__name__)

OFFLINE_ERRORS = (ApiConnectionError, ApiTimeoutError, TlsError)


def means_offline(exc: BaseException) -> bool:
    return isinstance(exc, OFFLINE_ERRORS)


class ConnectivityMonitor:
    def __init__(
        self,
        probe: Callable[[], Awaitable[object]],
        *,
        first_retry_s: float = 1.0,
        max_retry_s: float = 30.0,
    ) -> None:
        self._probe = probe
        self._first_retry_s = first_retry_s
        self._max_retry_s = max_retry_s
        self.online: Observable[bool] = Observable(True)
        self.last_error: str = ""
        self._running = False
        self._task: asyncio.Task[None] | None = None

    @property
    def is_online(self) -> bool:
        return self.online.value

    def start(self) -> None:
        """Begin probing whenever offline (call inside the running loop)."""
        self._running = True
        if not self.is_online:
            self._ensure_probe()

    async def stop(self) -> None:
        self._running = False
        task, self._task = self._task, None
        await cancel_and_wait([task])

    def report_success(self) -> None:
        self.last_error = ""
        self.online.set(True)

    def report_failure(self, exc: BaseException) -> None:
        if not means_offline(exc):
            return
        self.last_error = getattr(exc, "user_message", "") or str(exc)
        self.online.set(False)
        if self._running:
            self._ensure_probe()

    def _ensure_probe(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._probe_until_online())

    async def _probe_until_online(self) -> None:
        delay = self._first_retry_s
        while self._running and not self.is_online:
            await asyncio.sleep(delay)
            try:
                await self._probe()
            except Exception as exc:
                if not means_offline(exc):
                    # Reachable, just unhappy (auth, 5xx): that is not "offline".
                    log.info("connectivity probe answered with %s", type(exc).__name__)
                    self.report_success()
                    return
                delay = min(delay * 2, self._max_retry_s)
                continue
            self.report_success()
