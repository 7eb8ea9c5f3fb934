"""The app's own webhook endpoint (aiohttp.web) and the intake that routes what arrives.

The URL carries a random path segment, so only the platform we registered it
with can find it; when a signing secret is set every body must carry a valid
HMAC (``agentapp.core.signature``). The handler never lets an exception
escape into aiohttp: junk gets 400, forgeries 401, oversize 413, bugs 500.
"""

from __future__ import annotations

import json
import logging
import secrets
import socket
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from agentapp.core import signature
from agentapp.core.call import CallEvent
from agentapp.core.events import BadEvent, CallRecordNotice, parse_webhook
from agentapp.services.observable import Observable

if TYPE_CHECKING:
    from aiohttp import web

log = logging.getLogger(__name__)

HOOK_PREFIX = "/hook/"


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
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._on_payload = on_payload
        self._host = host
        self._port = port
        self._secret = secret or None
        self._public_url = public_url
        self._max_body = max_body
        self._clock = clock
        self._path_token = ""
        self._runner: web.AppRunner | None = None
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

        app = web.Application(client_max_size=self._max_body)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        sock = socket.create_server((self._host, self._port))
        site = web.SockSite(runner, sock)
        await site.start()
        self._runner = runner
        port = int(sock.getsockname()[1])
        base = (self._public_url or f"http://{self._host}:{port}").rstrip("/")
        self.url = f"{base}{HOOK_PREFIX}{self._path_token}"
        log.info("webhook receiver listening on %s:%s", self._host, port)
        return self.url

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
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
                                       now=self._clock())
            payload = decode_body(body, request.content_type)
            self.verified.emit(payload)
            self._on_payload(payload)
        except DeliveryRefused as exc:
            return _answer(exc.status, exc.message)
        except BadEvent as exc:
            log.info("webhook rejected: %s", exc.reason)
            return _answer(400, exc.reason)
        self.deliveries += 1
        self.last_delivery_at = self._clock()
        return _json({"ok": True})


class DeliveryRefused(Exception):
    """A request that is not a deliverable webhook: answer ``status`` with ``message``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


async def read_delivery(request: web.Request, expected_path: str, *, max_body: int,
                        secret: str | None, now: float) -> bytes:
    """The raw body of a genuine delivery to ``expected_path``, else ``DeliveryRefused``.

    Shared by this receiver and the team relay (agentapp.relay): secret path
    compared in constant time, POST only, bounded size, HMAC when ``secret``.
    """
    if not secrets.compare_digest(request.path.encode(), expected_path.encode()):
        raise DeliveryRefused(404, "not found")
    if request.method != "POST":
        raise DeliveryRefused(405, "POST only")
    if request.content_length is not None and request.content_length > max_body:
        raise DeliveryRefused(413, "body too large")
    body = await request.content.read(max_body + 1)
    if len(body) > max_body:
        raise DeliveryRefused(413, "body too large")
    if secret is not None and not signature.verify(
        secret,
        body,
        request.headers.get(signature.TIMESTAMP_HEADER),
        request.headers.get(signature.SIGNATURE_HEADER),
        now=now,
    ):
        raise DeliveryRefused(401, "bad signature")
    return body


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


def decode_body(body: bytes, content_type: str) -> dict[str, Any]:
    """A JSON object or form body as a dict; anything else is a ``BadEvent``."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadEvent("body is not UTF-8") from None
    if content_type == "application/x-www-form-urlencoded":
        return {k: v[0] if len(v) == 1 else v for k, v in parse_qs(text).items()}
    try:
        data = json.loads(text)
    except ValueError:
        raise BadEvent("body is not JSON") from None
    if not isinstance(data, dict):
        raise BadEvent("body is not a JSON object")
    return data


def _answer(status: int, message: str) -> web.Response:
    return _json({"ok": False, "error": message}, status=status)


def _json(body: dict[str, Any], status: int = 200) -> web.Response:
    from aiohttp import web

    return web.json_response(body, status=status)
