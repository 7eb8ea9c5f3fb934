"""One request to one endpoint: Bearer auth, encoding, error mapping, safe retries.

Only idempotent reads are retried. A mutation (click-to-call above all) is
sent exactly once: a duplicate would ring a real customer twice.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from agentapp.api.endpoints import Encoding, Endpoint
from agentapp.api.errors import (
    ApiConnectionError,
    ApiError,
    ApiTimeoutError,
    RateLimitedError,
    ServerError,
)
from agentapp.api.responses import achecked_body, error_for_transport

log = logging.getLogger(__name__)

_RETRYABLE = (ServerError, ApiTimeoutError, ApiConnectionError, RateLimitedError)
_MAYBE_SENT = (
    " The request may already have reached the server: check the call log before trying again."
)


class ApiTransport:
    """Sends requests for :class:`IvrClient`; owns no connection (the AsyncClient is shared)."""

    def __init__(
        self,
        base_url: str,
        token: str,
        http: httpx.AsyncClient,
        *,
        retries: int = 2,
        backoff_s: Sequence[float] = (0.2, 0.6),
        retry_after_cap_s: float = 5.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._http = http
        self._retries = max(0, retries)
        self._backoff = tuple(backoff_s) or (0.0,)
        self._retry_after_cap = retry_after_cap_s

    def __repr__(self) -> str:  # never show the token
        return f"ApiTransport({self.base_url!r})"

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"}

    async def call(
        self, endpoint: Endpoint, params: Mapping[str, Any] | None = None, *, idempotent: bool
    ) -> Any:
        """The checked JSON body; retries transient failures of idempotent calls only."""
        attempt = 0
        while True:
            try:
                return await self._send_once(endpoint, params or {})
            except _RETRYABLE as err:
                if not idempotent:
                    if isinstance(err, ApiConnectionError | ApiTimeoutError) and err.request_sent:
                        err.user_message += _MAYBE_SENT
                    raise
                delay = self._retry_delay(err, attempt)
                if delay is None:
                    raise
                log.info("retrying %s in %.2f s after %s", endpoint.name, delay, type(err).__name__)
                await asyncio.sleep(delay)
                attempt += 1

    def _retry_delay(self, err: ApiError, attempt: int) -> float | None:
        if attempt >= self._retries:
            return None
        delay = self._backoff[min(attempt, len(self._backoff) - 1)]
        if isinstance(err, RateLimitedError) and err.retry_after is not None:
            if err.retry_after > self._retry_after_cap:
                return None
            delay = max(delay, err.retry_after)
        return delay

    async def _send_once(self, endpoint: Endpoint, params: Mapping[str, Any]) -> Any:
        url = self.base_url + endpoint.path
        headers = {**self.auth_headers(), "Accept": "application/json"}
        clean = {k: v for k, v in params.items() if v is not None}
        kwargs: dict[str, Any] = {"headers": headers}
        if endpoint.encoding is Encoding.QUERY:
            kwargs["params"] = {k: str(v) for k, v in clean.items()}
        elif endpoint.encoding is Encoding.FORM:
            kwargs["data"] = {k: str(v) for k, v in clean.items()}
        else:
            kwargs["json"] = clean
        started = time.monotonic()
        try:
            response = await self._http.request(endpoint.method, url, **kwargs)
        except httpx.HTTPError as exc:
            log.info("%s %s failed: %s", endpoint.method, endpoint.path, type(exc).__name__)
            raise error_for_transport(exc) from exc
        log.debug(
            "%s %s -> %d in %.0f ms",
            endpoint.method,
            endpoint.path,
            response.status_code,
            (time.monotonic() - started) * 1000,
        )
        return await achecked_body(response.status_code, response.headers, response.content)
