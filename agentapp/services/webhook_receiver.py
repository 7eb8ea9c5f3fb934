"""The app's own webhook endpoint (aiohttp.web) and the intake that routes what arrives.

The URL carries a random path segment, so only the platform we registered it
with can find it; when a signing secret is set every body must carry a valid
HMAC (``agentapp.core.signature``), and a signed delivery counts only once
inside its validity window (a repeat gets 200 without effect). The handler
never lets an exception escape into aiohttp: junk gets 400, forgeries 401,
slow bodies 408, oversize 413, other content types 415, bugs 500. Listening
limits (connection cap, idle and body deadlines) are in ``hook_listener``;
repeated log records are throttled (``logging_setup.RepeatThrottle``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import secrets
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from agentapp.core import signature
from agentapp.core.call import CallEvent
from agentapp.core.events import BadEvent, CallRecordNotice, parse_webhook
from agentapp.logging_setup import RepeatThrottle
from agentapp.services.observable import Observable
from agentapp.services.replay_window import ReplayWindow

if TYPE_CHECKING:
    from aiohttp import web

    from agentapp.services.hook_listener import ConnectionCap, HookLimits

log = logging.getLogger(__name__)

HOOK_PREFIX = "/hook/"
MAX_DEPTH = 8  # nesting of a JSON body; real deliveries are flat objects
MAX_NUMBER_CHARS = 32  # digits of a JSON number (ids are <= 20 digits)
MAX_ITEMS = 2_000  # values in a body, all levels together

# Loggers a hostile sender can make repeat themselves: ours, aiohttp's, asyncio's
# (accept errors). Throttled while a receiver or relay is running.
NOISY_LOGGERS = ("agentapp.services.webhook_receiver", "agentapp.relay.server",
                 "aiohttp.server", "aiohttp.web", "asyncio")


def throttle_logs(clock: Callable[[], float]) -> RepeatThrottle:
    """A ``RepeatThrottle`` attached to ``NOISY_LOGGERS`` (detach it on stop)."""
    throttle = RepeatThrottle(clock=clock)
    throttle.attach(*(logging.getLogger(name) for name in NOISY_LOGGERS))
    return throttle


def release_logs(throttle: RepeatThrottle) -> None:
    throttle.detach(*(logging.getLogger(name) for name in NOISY_LOGGERS))


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
        self._runner: web.AppRunner | None = None
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
        return self._runner is not None and self.deliveries > 0

    async def start(self) -> str:
        """Listen and return the URL to register (with its secret path segment)."""
        if self._runner is not None:
            return self.url
        self._path_token = secrets.token_urlsafe(24)
        from aiohttp import web  # ~0.25 s to import: only when a receiver starts

        from agentapp.services.hook_listener import HookLimits, start_listener

        self._limits = self._limits or HookLimits()
        app = web.Application(client_max_size=self._max_body)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner, site, port = await start_listener(app, self._host, self._port,
                                                         self._limits)
        self.connections = site.cap
        self._throttle = throttle_logs(self._clock)
        base = (self._public_url or f"http://{self._host}:{port}").rstrip("/")
        self.url = f"{base}{HOOK_PREFIX}{self._path_token}"
        log.info("webhook receiver listening on %s:%s", self._host, port)
        return self.url

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
        if self._throttle is not None:
            release_logs(self._throttle)
            self._throttle = None
        self.deliveries = 0

    async def _handle(self, request: web.Request) -> web.Response:
        try:
            return await self._checked(request)
        except Exception:
            log.exception("webhook handler failed")
            return _json({"ok": False, "error": "internal error"}, status=500)

    async def _checked(self, request: web.Request) -> web.Response:
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
            return _json({"ok": True, "duplicate": True})
        except DeliveryRefused as exc:
            return _answer(exc.status, exc.message)
        except BadEvent as exc:
            log.info("webhook rejected: %s", exc.reason)
            return _answer(400, exc.reason)
        self.deliveries += 1
        self.last_delivery_at = self._clock()
        return _json({"ok": True})

    def _body_timeout(self) -> float:
        return self._limits.body_timeout_s if self._limits else 10.0


class DeliveryRefused(Exception):
    """A request that is not a deliverable webhook: answer ``status`` with ``message``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class AlreadyDelivered(DeliveryRefused):
    """A signed delivery seen before inside its window: answered 200, without effect.

    Why not 409: a provider that retries because our first answer was lost must
    see success, or it may retry again or give the webhook up; a replay by
    anyone else changes nothing either way.
    """

    def __init__(self) -> None:
        super().__init__(200, "duplicate delivery")


async def read_delivery(request: web.Request, expected_path: str, *, max_body: int,
                        secret: str | None, now: float, replays: ReplayWindow | None = None,
                        body_timeout_s: float = 10.0) -> bytes:
    """The raw body of a genuine delivery to ``expected_path``, else ``DeliveryRefused``.

    Shared by this receiver and the team relay (agentapp.relay): secret path
    compared in constant time, POST only, JSON only, bounded size and time,
    HMAC when ``secret``, and (with ``replays``) each signature once.
    """
    if not secrets.compare_digest(request.path.encode(), expected_path.encode()):
        raise DeliveryRefused(404, "not found")
    if request.method != "POST":
        raise DeliveryRefused(405, "POST only")
    if request.content_type != "application/json" or (
            (request.charset or "utf-8").lower() not in ("utf-8", "utf8")):
        raise DeliveryRefused(415, "Content-Type must be application/json")
    if request.content_length is not None and request.content_length > max_body:
        raise DeliveryRefused(413, "body too large")
    try:
        async with asyncio.timeout(body_timeout_s):
            body = await _read_body(request, max_body)
    except TimeoutError:
        raise DeliveryRefused(408, "body not received in time") from None
    if secret is None:
        return body
    stamp = request.headers.get(signature.TIMESTAMP_HEADER)
    signed = request.headers.get(signature.SIGNATURE_HEADER)
    if not signature.verify(secret, body, stamp, signed, now=now):
        raise DeliveryRefused(401, "bad signature")
    assert stamp is not None and signed is not None  # verify() refuses missing headers
    if replays is not None and not replays.claim(signed, int(stamp), now):
        raise AlreadyDelivered()
    return body


async def _read_body(request: web.Request, max_body: int) -> bytes:
    """The whole body (``read(n)`` returns what has arrived so far), at most ``max_body``."""
    chunks: list[bytes] = []
    size = 0
    while chunk := await request.content.read(max_body + 1 - size):
        chunks.append(chunk)
        size += len(chunk)
        if size > max_body:
            raise DeliveryRefused(413, "body too large")
    return b"".join(chunks)


def release_claim(request: web.Request, replays: ReplayWindow) -> None:
    """Undo ``read_delivery``'s claim when the delivery then failed (its retry must count)."""
    replays.release(request.headers.get(signature.SIGNATURE_HEADER, ""))


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


def decode_body(body: bytes) -> dict[str, Any]:
    """A JSON object within our bounds as a dict; anything else is a ``BadEvent``.

    Bounded because a signed body is still not a trusted one (issue 16, item 8):
    20,000-deep nesting, ``1e400`` and 5,000-digit numbers used to raise deep in
    the parser or the event code and answer 500.
    """
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadEvent("body is not UTF-8") from None
    try:
        data = json.loads(text, parse_int=_bounded_int, parse_float=_bounded_float,
                          parse_constant=_no_constant)
    except BadEvent:
        raise
    except RecursionError:
        raise BadEvent("body is nested too deeply") from None
    except ValueError:
        raise BadEvent("body is not JSON") from None
    if not isinstance(data, dict):
        raise BadEvent("body is not a JSON object")
    _check_shape(data)
    return data


def _bounded_int(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise BadEvent("a number in the body is too long")
    return int(text)


def _bounded_float(text: str) -> float:
    if len(text) > MAX_NUMBER_CHARS:
        raise BadEvent("a number in the body is too long")
    value = float(text)
    if not math.isfinite(value):
        raise BadEvent("a number in the body is out of range")
    return value


def _no_constant(name: str) -> float:
    raise BadEvent(f"{name} is not a JSON number")


def _check_shape(data: dict[str, Any]) -> None:
    """Depth and item count, without recursion (the limits are what make it safe)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    items = 0
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise BadEvent("body is nested too deeply")
        children = value.values() if isinstance(value, dict) else value
        for child in children:
            items += 1
            if items > MAX_ITEMS:
                raise BadEvent("body has too many values")
            if isinstance(child, dict | list):
                stack.append((child, depth + 1))


def _answer(status: int, message: str) -> web.Response:
    return _json({"ok": False, "error": message}, status=status)


def _json(body: dict[str, Any], status: int = 200) -> web.Response:
    from aiohttp import web

    return web.json_response(body, status=status)
