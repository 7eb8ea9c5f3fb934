"""The app's own webhook endpoint and the intake that routes what arrives.

The URL carries a random path segment, so only the platform we registered it
with can find it; when a signing secret is set every body must carry a valid
HMAC (``agentapp.core.signature``), and a signed delivery counts only once
inside its validity window (a repeat gets 200 without effect). The checks are
``delivery_checks`` (shared with the team relay); the handler never lets an
exception escape: junk gets 400, forgeries 401, slow bodies 408, oversize 413,
other content types 415, bugs 500. It listens with ``hook_server`` (asyncio
and h11: no aiohttp in the app, issue 15 item 7) under ``HookLimits``
(connection cap, head, idle and body deadlines); repeated log records are
throttled (``logging_setup.RepeatThrottle``).
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from agentapp.core.call import CallEvent
from agentapp.core.events import BadEvent, CallRecordNotice, parse_webhook
from agentapp.logging_setup import RepeatThrottle
from agentapp.services.delivery_checks import (
    HOOK_PREFIX,
    AlreadyDelivered,
    Answer,
    DeliveryRefused,
    decode_body,
    read_delivery,
    release_claim,
    release_logs,
    throttle_logs,
)
from agentapp.services.hook_limits import ConnectionCap, HookLimits
from agentapp.services.observable import Observable
from agentapp.services.replay_window import ReplayWindow

if TYPE_CHECKING:
    from agentapp.services.hook_server import HookRequest, HookServer

log = logging.getLogger(__name__)


class WebhookReceiver:
    def __init__(
        self,
        on_payload: Callable[[dict[str, Any]], None],
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        secret: str | None = None,
        public_url: str | None = None,
        max_body: int = 64 * 1024,
        limits: HookLimits | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._on_payload = on_payload
        self._host = host
        self._port = port
        self._secret = secret or None
        self._public_url = public_url
        self._max_body = max_body
        self._limits = limits
        self._clock = clock
        self._path_token = ""
        self._server: HookServer | None = None
        self._throttle: RepeatThrottle | None = None
        self._replays = ReplayWindow()
        self.duplicates = 0
        self.connections: ConnectionCap | None = None  # while listening
        self.url = ""
        self.deliveries = 0
        self.last_delivery_at: float | None = None
        # Each payload that passed the path and signature checks, just before it is
        # routed: a tap for diagnostics and benchmarks (the intake stays the consumer).
        self.verified: Observable[dict[str, Any] | None] = Observable(None)

    @property
    def secret(self) -> str | None:
        """The HMAC key senders sign with (None: unsigned); registered with the URL."""
        return self._secret

    @property
    def healthy(self) -> bool:
        """Running and proven: at least one verified delivery has arrived since start."""
        return self._server is not None and self.deliveries > 0

    async def start(self) -> str:
        """Listen and return the URL to register (with its secret path segment)."""
        if self._server is not None:
            return self.url
        self._path_token = secrets.token_urlsafe(24)
        # h11 (~6 ms) is loaded when a receiver starts, not before the main window paints.
        from agentapp.services.hook_server import HookServer

        self._limits = self._limits or HookLimits()
        server = HookServer(self._handle, self._limits)
        port = await server.start(self._host, self._port)
        self._server = server
        self.connections = server.cap
        self._throttle = throttle_logs(self._clock)
        base = (self._public_url or f"http://{self._host}:{port}").rstrip("/")
        self.url = f"{base}{HOOK_PREFIX}{self._path_token}"
        log.info("webhook receiver listening on %s:%s", self._host, port)
        return self.url

    async def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            await server.stop()
        if self._throttle is not None:
            release_logs(self._throttle)
            self._throttle = None
        self.deliveries = 0

    async def _handle(self, request: HookRequest) -> Answer:
        try:
            return await self._checked(request)
        except Exception:
            log.exception("webhook handler failed")
            return Answer(500, {"ok": False, "error": "internal error"})

    async def _checked(self, request: HookRequest) -> Answer:
        try:
            body = await read_delivery(request, HOOK_PREFIX + self._path_token,
                                       max_body=self._max_body, secret=self._secret,
                                       now=self._clock(), replays=self._replays,
                                       body_timeout_s=self._body_timeout())
            try:
                payload = decode_body(body)
                self.verified.emit(payload)
                self._on_payload(payload)
            except BaseException:
                release_claim(request, self._replays)
                raise
        except AlreadyDelivered:
            self.duplicates += 1
            return Answer(200, {"ok": True, "duplicate": True})
        except DeliveryRefused as exc:
            return Answer.refused(exc)
        except BadEvent as exc:
            log.info("webhook rejected: %s", exc.reason)
            return Answer(400, {"ok": False, "error": exc.reason})
        self.deliveries += 1
        self.last_delivery_at = self._clock()
        return Answer(200, {"ok": True})

    def _body_timeout(self) -> float:
        return self._limits.body_timeout_s if self._limits else 10.0


class EventIntake:
    """Routes parsed deliveries: live events to the tracker, call records to ``records``.

    ``events`` also carries every live event (screen-pops for inbound calls
    the tracker does not follow). ``history`` carries live events replayed
    too late to act on (see ``replayed``): they never reach the tracker or
    ``events``, so a stale ring never pops.
    """

    def __init__(
        self,
        feed: Callable[[CallEvent], object],
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._feed = feed
        self._clock = clock
        self.records: Observable[CallRecordNotice | None] = Observable(None)
        self.events: Observable[CallEvent | None] = Observable(None)
        self.history: Observable[CallEvent | None] = Observable(None)

    def __call__(self, payload: dict[str, Any]) -> None:
        parsed = parse_webhook(payload, received_at=self._clock())
        if isinstance(parsed, CallRecordNotice):
            self.records.emit(parsed)
            return
        self._feed(parsed)
        self.events.emit(parsed)

    def replayed(self, payload: dict[str, Any], received_at: float) -> None:
        """A delivery that arrived long after it happened: history only, never a pop."""
        parsed = parse_webhook(payload, received_at=received_at)
        if isinstance(parsed, CallRecordNotice):
            self.records.emit(parsed)
        else:
            self.history.emit(parsed)
