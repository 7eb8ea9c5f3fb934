"""Download a call recording: streamed to a temp file, renamed when complete.

Recording links are usually public. Like PD we try without credentials first
and add the Bearer token on 401/403 only when the link is on the API's own
host, so the token never travels to a third party.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from agentapp.api.errors import ApiError, NotFoundError
from agentapp.api.responses import error_for_status, error_for_transport

log = logging.getLogger(__name__)

Progress = Callable[[int, int | None], None]
_CHUNK = 64 * 1024


def same_origin(url: str, base_url: str) -> bool:
    """Scheme, host and port all equal (default ports made explicit)."""
    a, b = urlsplit(url), urlsplit(base_url)
    defaults = {"http": 80, "https": 443}
    port_a = a.port or defaults.get(a.scheme)
    port_b = b.port or defaults.get(b.scheme)
    return (a.scheme, (a.hostname or "").lower(), port_a) == (
        b.scheme,
        (b.hostname or "").lower(),
        port_b,
    )


async def download_recording(
    http: httpx.AsyncClient,
    url: str,
    dest: Path,
    *,
    base_url: str,
    auth_headers: Mapping[str, str],
    progress: Progress | None = None,
) -> Path:
    """Fetch ``url`` into ``dest`` atomically; returns ``dest``."""
    absolute = urljoin(base_url.rstrip("/") + "/", url)
    if urlsplit(absolute).scheme not in ("http", "https"):
        raise ApiError(f"not a web address: {url!r:.80}")
    may_authenticate = same_origin(absolute, base_url)
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        status = await _stream_to(http, absolute, dest, {}, progress)
        if status in (401, 403) and may_authenticate:
            log.debug("recording needs credentials; retrying with the API token")
            status = await _stream_to(http, absolute, dest, auth_headers, progress)
    except httpx.HTTPError as exc:
        raise error_for_transport(exc) from exc
    if status == 404:
        raise NotFoundError("recording not found", user_message="This recording is not available.")
    if status in (401, 403):
        raise ApiError(
            f"recording download refused (HTTP {status})",
            user_message="The recording server refused access to this recording.",
        )
    if status >= 400:
        raise error_for_status(status, f"recording download failed (HTTP {status})",
                               json_envelope=True)
    return dest


async def _stream_to(
    http: httpx.AsyncClient,
    url: str,
    dest: Path,
    headers: Mapping[str, str],
    progress: Progress | None,
) -> int:
    """Stream one attempt; only a 2xx body is written (and renamed into place)."""
    async with http.stream("GET", url, headers=dict(headers)) as response:
        if response.status_code >= 300:
            return response.status_code
        length = response.headers.get("content-length")
        total = int(length) if length and length.isdigit() else None
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - renamed after the loop
            dir=dest.parent, prefix=f".{dest.name}.", suffix=".part", delete=False
        )
        received = 0
        try:
            with handle:
                async for chunk in response.aiter_bytes(_CHUNK):
                    handle.write(chunk)
                    received += len(chunk)
                    if progress is not None:
                        progress(received, total)
            os.replace(handle.name, dest)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(handle.name)
            raise
        return response.status_code
