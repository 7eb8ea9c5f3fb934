"""Turn one HTTP exchange into a checked JSON body or one typed :class:`ApiError`.

Pure functions (status, headers, bytes, exception) so the mapping rules of the
wire contract are testable without a server.
"""

from __future__ import annotations

import json
import re
import ssl
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from agentapp.api.coerce import as_str, status_code_of, status_is_success
from agentapp.api.cooperative_json import LARGE_BODY_BYTES, loads_cooperatively
from agentapp.api.errors import (
    ApiConnectionError,
    ApiError,
    ApiTimeoutError,
    AuthError,
    MalformedResponseError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    TlsError,
    ValidationError,
)

_FIELD_PATTERNS = (
    re.compile(r"^\s*(?:the\s+)?([A-Za-z_][\w .]*?)\s+(?:is|are)\s+(?:required|invalid|missing)",
               re.IGNORECASE),
    re.compile(r"^\s*(?:invalid|missing)\s+([A-Za-z_][\w]*)", re.IGNORECASE),
)


# 404 messages that name no item: the web server's own "no such route" answer.
_ROUTE_NOT_FOUND = {
    "", "not found", "404", "404 not found", "404: not found", "page not found",
    "route not found", "url not found", "the requested url was not found on this server.",
    "the requested url was not found on this server", "unknown endpoint", "no route found",
}


def is_route_not_found(message: str, json_envelope: bool) -> bool:
    """A 404 about the *path* (HTML, plain text, or a generic JSON "Not Found")."""
    return not json_envelope or message.strip().lower() in _ROUTE_NOT_FOUND


def field_from_message(message: str) -> str | None:
    """``"phone is required"`` -> ``phone``; ``"Did No. Invalid"`` -> ``did``."""
    lowered = message.lower()
    if lowered.startswith("did no") or lowered.startswith("did number"):
        return "did"
    for pattern in _FIELD_PATTERNS:
        match = pattern.search(message)
        if match:
            return match.group(1).strip().replace(" ", "_").lower()
    return None


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds (delta-seconds or an HTTP date)."""
    if not value:
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _decode_json(content: bytes) -> Any:
    try:
        return json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return None


async def _adecode_json(content: bytes) -> Any:
    """Like ``_decode_json``; a large body yields to the loop while it decodes."""
    if len(content) < LARGE_BODY_BYTES:
        return _decode_json(content)
    try:
        return await loads_cooperatively(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return None


def _looks_like_html(content: bytes, content_type: str) -> bool:
    head = content[:200].lstrip().lower()
    return "html" in content_type or head.startswith((b"<!doctype", b"<html"))


def _message_of(body: Any) -> str:
    if isinstance(body, Mapping):
        value = body.get("message", body.get("error", ""))
        if isinstance(value, str | int | float):
            return as_str(value)
    return ""


def error_for_status(
    code: int, message: str, *, json_envelope: bool, retry_after: float | None = None
) -> ApiError:
    """The error for an HTTP status (or a body ``status`` number)."""
    if code == 401 or code == 403:
        return AuthError(message or f"HTTP {code}")
    if code == 400 or code == 422:
        return ValidationError(message or "invalid request", field=field_from_message(message))
    if code == 404:
        missing = is_route_not_found(message, json_envelope)
        return NotFoundError(message or "not found", path_missing=missing)
    if code == 429:
        return RateLimitedError(message or "rate limited", retry_after=retry_after)
    if 500 <= code <= 599:
        return ServerError(message or f"HTTP {code}", status_code=code)
    return ApiError(message or f"HTTP {code}")


def _error_for_body_status(status: object, message: str) -> ApiError:
    code = status_code_of(status)
    if code == 404:
        return NotFoundError(message or "not found")  # the route itself answered
    if code is not None:
        return error_for_status(code, message, json_envelope=True)
    lowered = message.lower()
    if "token" in lowered or "unauthori" in lowered:
        return AuthError(message)
    if "not found" in lowered or "not exist" in lowered:
        return NotFoundError(message)
    if "required" in lowered or "invalid" in lowered:
        return ValidationError(message, field=field_from_message(message))
    return ApiError(message or f"request failed (status {status!r:.20})")


def checked_body(status_code: int, headers: Mapping[str, str], content: bytes) -> Any:
    """The decoded JSON body of a successful answer, or raise the matching error."""
    return _checked(status_code, headers, content, _decode_json(content))


async def achecked_body(status_code: int, headers: Mapping[str, str], content: bytes) -> Any:
    """``checked_body`` for the event loop: a big answer never stalls the UI."""
    return _checked(status_code, headers, content, await _adecode_json(content))


def _checked(status_code: int, headers: Mapping[str, str], content: bytes, body: Any) -> Any:
    content_type = headers.get("content-type", "").lower()
    is_envelope = isinstance(body, Mapping) and "status" in body
    message = _message_of(body)
    if status_code == 405:
        if is_envelope and status_code_of(body.get("status")) == 401:
            raise AuthError(message)
        raise ApiError(f"HTTP 405: {message or 'method not allowed'}")
    if status_code >= 400 or status_code < 200:
        retry_after = retry_after_seconds(headers.get("retry-after"))
        raise error_for_status(
            status_code, message, json_envelope=is_envelope, retry_after=retry_after
        )
    if body is None:
        if _looks_like_html(content, content_type):
            raise MalformedResponseError(
                f"HTTP {status_code} with an HTML page ({len(content)} bytes)",
                user_message=HTML_ANSWER_MESSAGE)
        raise MalformedResponseError(
            f"HTTP {status_code} with no valid JSON ({len(content)} bytes)")
    if not isinstance(body, Mapping):
        raise MalformedResponseError(f"expected a JSON object, got {type(body).__name__}")
    if "status" in body and not status_is_success(body["status"]):
        raise _error_for_body_status(body["status"], message)
    return body


HTML_ANSWER_MESSAGE = (
    "The server answered with a web page instead of API data: the API address is probably "
    "wrong, or a login page or proxy is in the way. Check the API address in "
    "the sign-in dialog, File → Sign in to IVR Solutions… (normally "
    "https://api.ivrsolutions.in)."
)


def _has_ssl_cause(exc: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, ssl.SSLError | ssl.CertificateError):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def error_for_transport(exc: httpx.HTTPError | OSError) -> ApiError:
    """httpx/OS transport failures as typed errors (TLS checked first)."""
    detail = f"{type(exc).__name__}: {exc}"
    if _has_ssl_cause(exc):
        return TlsError(detail)
    not_sent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
    if isinstance(exc, httpx.TimeoutException):
        err: ApiError = ApiTimeoutError(detail)
        err.request_sent = not not_sent
        return err
    if isinstance(exc, httpx.DecodingError):
        return MalformedResponseError(detail)
    if isinstance(exc, httpx.TransportError | OSError):
        err = ApiConnectionError(detail)
        err.request_sent = not not_sent
        return err
    return ApiError(detail)
