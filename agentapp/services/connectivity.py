"""The one source of truth for "can we talk to IVR Solutions?".

Every API outcome of the session (dialing, status refresh, history, probes)
is reported here, and the UI renders only ``health``: one state, one message,
replaced when the state changes and gone on recovery.

- transport failures (no connection, timeout, TLS) mean OFFLINE;
- an API that answers but fails (5xx, junk, rate limit) means DEGRADED;
- a refused token (401) means SIGNED_OUT: the agent must sign in again;
- anything else (a 400 for a bad number) says nothing about the connection.

An owned task probes with a cheap read every ``interval_s`` (default 10 s)
even while online, so an outage is noticed within one interval when nothing
else is in flight; while offline or degraded it probes with backoff until
the API answers again. ``recovered`` fires on every way back to ONLINE (the
webhook registration hangs off it).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum

from agentapp.api.errors import (
    ApiConnectionError,
    ApiError,
    ApiTimeoutError,
    AuthError,
    MalformedResponseError,
    RateLimitedError,
    ServerError,
    TlsError,
)
from agentapp.services.observable import Observable
from agentapp.services.tasks import cancel_and_wait

log = logging.getLogger(__name__)

OFFLINE_ERRORS = (ApiConnectionError, ApiTimeoutError, TlsError)
DEGRADED_ERRORS = (ServerError, MalformedResponseError, RateLimitedError)
DEFAULT_PROBE_INTERVAL_S = 10.0
# How long one probe may take before the API counts as offline: the shared client's read
# timeout (api.client.make_http_client), so the probe judges "reachable" by the same
# standard as every other request. It was 5 s: an API answering in 5 s (slow, but
# inside every request's own timeout) showed Offline and refused calls that would
# have gone through (tests/reliability/test_fault_suite_latency.py).
DEFAULT_PROBE_TIMEOUT_S = 15.0


def means_offline(exc: BaseException) -> bool:
    return isinstance(exc, OFFLINE_ERRORS)


class ConnState(StrEnum):
    CHECKING = "checking"  # no outcome yet this session
    ONLINE = "online"
    DEGRADED = "degraded"
    OFFLINE = "offline"
    SIGNED_OUT = "signed_out"


@dataclass(frozen=True)
class Health:
    """What the strip shows. ``since`` is when ``state`` began; ``error`` the last
    failure's own words and ``error_at`` when it happened (both kept while not online)."""

    state: ConnState = ConnState.CHECKING
    since: float = 0.0
    error: str = ""
    error_at: float | None = None

    @property
    def usable(self) -> bool:
        """May a call be attempted? (Degraded: the API answers, sometimes badly.)"""
        return self.state in (ConnState.CHECKING, ConnState.ONLINE, ConnState.DEGRADED)


def classify(exc: BaseException) -> ConnState | None:
    """The connection state an error proves, or None when it proves nothing."""
    if isinstance(exc, OFFLINE_ERRORS):
        return ConnState.OFFLINE
    if isinstance(exc, AuthError):
        return ConnState.SIGNED_OUT
    if isinstance(exc, DEGRADED_ERRORS):
        return ConnState.DEGRADED
    return None


class ConnectivityMonitor:
    def __init__(
        self,
        probe: Callable[[], Awaitable[object]],
        *,
        interval_s: float = DEFAULT_PROBE_INTERVAL_S,
        first_retry_s: float = 1.0,
        max_retry_s: float = 30.0,
        probe_timeout_s: float = DEFAULT_PROBE_TIMEOUT_S,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._probe = probe
        self._interval_s = interval_s
        self._probe_timeout_s = probe_timeout_s
        self._first_retry_s = first_retry_s
        self._max_retry_s = max(first_retry_s, max_retry_s)
        self._clock = clock
        self.health: Observable[Health] = Observable(Health(since=clock()))
        # Kept for callers that only need yes/no (dialing guards).
        self.online: Observable[bool] = Observable(True)
        self.recovered: Observable[float] = Observable(0.0)
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._wake = asyncio.Event()

    # -- queries -------------------------------------------------------------------
    @property
    def is_online(self) -> bool:
        return self.online.value

    @property
    def state(self) -> ConnState:
        return self.health.value.state

    @property
    def last_error(self) -> str:
        return self.health.value.error

    @property
    def interval_s(self) -> float:
        return self._interval_s

    # -- lifecycle -----------------------------------------------------------------
    def start(self) -> None:
        """Probe now, then every interval (call inside the running loop)."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run(), name="connectivity")

    async def stop(self) -> None:
        self._stopping = True
        task, self._task = self._task, None
        await cancel_and_wait([task])

    def check_now(self) -> None:
        """Probe at once (e.g. the agent clicked the connection pill)."""
        self._wake.set()

    # -- outcomes --------------------------------------------------------------------
    def report_success(self) -> None:
        before = self.state
        if before is ConnState.ONLINE:
            return
        self._set(Health(ConnState.ONLINE, self._clock()))
        if before is not ConnState.CHECKING:
            log.info("connection back (%s -> online)", before.value)
            self.recovered.emit(self._clock())

    def report_failure(self, exc: BaseException) -> None:
        state = classify(exc)
        if state is None:
            return
        now = self._clock()
        message = getattr(exc, "user_message", "") or str(exc) or type(exc).__name__
        current = self.health.value
        since = current.since if current.state is state else now
        self._set(Health(state, since, message, now))
        if current.state is not state:
            log.info("connection %s -> %s (%s)", current.state.value, state.value,
                     type(exc).__name__)
            if state is not ConnState.SIGNED_OUT:
                self._wake.set()  # confirm now, then back off from the first retry

    def _set(self, health: Health) -> None:
        self.health.set(health)
        self.online.set(health.state is not ConnState.OFFLINE)

    # -- the probe loop ----------------------------------------------------------------
    async def _run(self) -> None:
        delay, retry = 0.0, self._first_retry_s
        self._stopping = False
        while not self._stopping:
            await self._sleep(delay)
            if self.state is ConnState.SIGNED_OUT:
                delay = self._interval_s  # a refused token is fixed by signing in, not probing
                continue
            await self._probe_once()
            if self.state in (ConnState.ONLINE, ConnState.CHECKING):
                delay = self._interval_s
                retry = self._first_retry_s
            else:
                delay, retry = retry, min(retry * 2, self._max_retry_s)

    async def _sleep(self, delay: float) -> None:
        self._wake.clear()
        if delay <= 0:
            return
        # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancel that
        # lands as the wake-up fires, and stop() would then wait forever.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(delay):
                await self._wake.wait()

    async def _probe_once(self) -> None:
        try:
            # A server that accepts the connection but never answers is offline too
            # (the client's own read timeout would say so only after its retries).
            async with asyncio.timeout(self._probe_timeout_s):
                await self._probe()
        except TimeoutError:
            self.report_failure(ApiTimeoutError("probe timed out"))
        except ApiError as exc:
            if classify(exc) is None:
                self.report_success()  # reachable, it just said no to this read
            else:
                self.report_failure(exc)
        except Exception as exc:  # a bug in the probe must not end the loop
            log.warning("connectivity probe failed unexpectedly: %s", type(exc).__name__)
        else:
            self.report_success()
