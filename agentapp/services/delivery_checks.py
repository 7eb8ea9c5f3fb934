"""What makes a request a genuine webhook delivery: one set of checks for both servers.

The app's own receiver (``services.hook_server``, on h11) and the team relay
(``agentapp.relay``, on aiohttp) read deliveries through the same code: each
server hands over its request through a small ``DeliveryRequest`` adapter,
so no check exists twice. Imports neither aiohttp nor h11.

In order: the secret path (compared in constant time), POST only (405 with
``Allow: POST``), JSON only (415; charset utf-8 or none), bounded size (413,
also for chunked bodies or a Content-Length that lies), the whole body within
a deadline (408), the HMAC when a secret is set (401), each signature once
inside its window (200 without effect), and a bounded JSON decode (400).
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from agentapp.core import signature
from agentapp.core.events import BadEvent
from agentapp.logging_setup import RepeatThrottle
from agentapp.services.replay_window import ReplayWindow

HOOK_PREFIX = "/hook/"
MAX_DEPTH = 8  # nesting of a JSON body; real deliveries are flat objects
MAX_NUMBER_CHARS = 32  # digits of a JSON number (ids are <= 20 digits)
MAX_ITEMS = 2_000  # values in a body, all levels together

# Loggers a hostile sender can make repeat themselves: ours, the servers' and
# asyncio's (accept errors). Throttled while a receiver or relay is running.
NOISY_LOGGERS = ("agentapp.services.webhook_receiver", "agentapp.services.hook_server",
                 "agentapp.relay.server", "aiohttp.server", "aiohttp.web", "asyncio")


class DeliveryRequest(Protocol):
    """One HTTP request as the checks need it; each server adapts its own to this."""

    @property
    def path(self) -> str:
        """The request path without the query string."""
        ...

    @property
    def method(self) -> str: ...

    @property
    def content_length(self) -> int | None:
        """The declared length; None when absent or chunked."""
        ...

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (case-insensitive), or None."""
        ...

    async def read(self, n: int) -> bytes:
        """Up to ``n`` more bytes of the body as they arrive; b"" at its end."""
        ...


class DeliveryRefused(Exception):
    """A request that is not a deliverable webhook: answer ``status`` with ``message``."""

    def __init__(self, status: int, message: str,
                 headers: tuple[tuple[str, str], ...] = ()) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers  # to send with the answer (405: Allow)


class AlreadyDelivered(DeliveryRefused):
    """A signed delivery seen before inside its window: answered 200, without effect.

    Why not 409: a provider that retries because our first answer was lost must
    see success, or it may retry again or give the webhook up; a replay by
    anyone else changes nothing either way.
    """

    def __init__(self) -> None:
        super().__init__(200, "duplicate delivery")


@dataclass(frozen=True)
class Answer:
    """What a server answers: a status and a JSON object (``{"ok": ..., "error": ...}``)."""

    status: int
    body: dict[str, Any]
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def refused(cls, exc: DeliveryRefused) -> Answer:
        return cls(exc.status, {"ok": False, "error": exc.message}, exc.headers)


async def read_delivery(request: DeliveryRequest, expected_path: str, *, max_body: int,
                        secret: str | None, now: float, replays: ReplayWindow | None = None,
                        body_timeout_s: float = 10.0) -> bytes:
    """The raw body of a genuine delivery to ``expected_path``, else ``DeliveryRefused``.

    With ``replays`` each signature counts once (``release_claim`` if the
    delivery then fails, so its retry counts).
    """
    if not secrets.compare_digest(request.path.encode(), expected_path.encode()):
        raise DeliveryRefused(404, "not found")
    if request.method != "POST":
        raise DeliveryRefused(405, "POST only", (("Allow", "POST"),))
    if not is_json(request.header("Content-Type")):
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
    stamp = request.header(signature.TIMESTAMP_HEADER)
    signed = request.header(signature.SIGNATURE_HEADER)
    if not signature.verify(secret, body, stamp, signed, now=now):
        raise DeliveryRefused(401, "bad signature")
    assert stamp is not None and signed is not None  # verify() refuses missing headers
    if replays is not None and not replays.claim(signed, int(stamp), now):
        raise AlreadyDelivered()
    return body


async def _read_body(request: DeliveryRequest, max_body: int) -> bytes:
    """The whole body, refused as soon as it passes ``max_body`` (whatever was declared)."""
    chunks: list[bytes] = []
    size = 0
    while chunk := await request.read(max_body + 1 - size):
        chunks.append(chunk)
        size += len(chunk)
        if size > max_body:
            raise DeliveryRefused(413, "body too large")
    return b"".join(chunks)


def release_claim(request: DeliveryRequest, replays: ReplayWindow) -> None:
    """Undo ``read_delivery``'s claim when the delivery then failed (its retry must count)."""
    replays.release(request.header(signature.SIGNATURE_HEADER) or "")


_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_MEDIA_TYPE = re.compile(rf"[ \t]*({_TOKEN}/{_TOKEN})[ \t]*")
_CTL = r"\x00-\x08\x0a-\x1f\x7f"  # control characters other than tab
_QUOTED = rf'"(?:[^"\\{_CTL}]|\\[^{_CTL}])*"'
_PARAMETER = re.compile(rf";[ \t]*(?:({_TOKEN})=({_TOKEN}|{_QUOTED}))?[ \t]*")
_QUOTED_PAIR = re.compile(r"\\(.)")


def parse_content_type(value: str) -> tuple[str, dict[str, str]] | None:
    """``(media type, parameters)`` of a Content-Type value (RFC 9110 8.3), None if malformed.

    Type, subtype and parameter names are case-insensitive (lowered here);
    quoted values are unquoted. Neither ``cgi`` (removed in 3.13) nor
    ``email`` (slow to import) is needed for this.
    """
    head = _MEDIA_TYPE.match(value)
    if head is None:
        return None
    params: dict[str, str] = {}
    at = head.end()
    while at < len(value):
        param = _PARAMETER.match(value, at)
        if param is None:
            return None
        name, raw = param.group(1), param.group(2)
        if name is not None:
            unquoted = _QUOTED_PAIR.sub(r"\1", raw[1:-1]) if raw.startswith('"') else raw
            params.setdefault(name.lower(), unquoted)
        at = param.end()
    return head.group(1).lower(), params


def is_json(content_type: str | None) -> bool:
    """``application/json``, with no charset or a UTF-8 one (what ``decode_body`` reads)."""
    parsed = parse_content_type(content_type or "")
    if parsed is None or parsed[0] != "application/json":
        return False
    return parsed[1].get("charset", "utf-8").lower() in ("utf-8", "utf8")


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


def throttle_logs(clock: Callable[[], float]) -> RepeatThrottle:
    """A ``RepeatThrottle`` attached to ``NOISY_LOGGERS`` (detach it on stop)."""
    throttle = RepeatThrottle(clock=clock)
    throttle.attach(*(logging.getLogger(name) for name in NOISY_LOGGERS))
    return throttle


def release_logs(throttle: RepeatThrottle) -> None:
    throttle.detach(*(logging.getLogger(name) for name in NOISY_LOGGERS))
