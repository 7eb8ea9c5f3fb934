"""Serves call recordings (no auth, as the provider's links are fetched), with Range.

``.mp3`` is what the provider serves; ``.wav`` of the same call is offered too.
Range requests (one range, RFC 9110) get 206 with Content-Range, or 416 when
unsatisfiable, so players can seek and downloads can resume.
"""

from __future__ import annotations

import asyncio
import re

from aiohttp import web

from .context import SandboxContext
from .envelopes import ApiError
from .recordings import CONTENT_TYPES, RecordingCache, call_seconds
from .records import c2c_recording_path, call_recording_path

CALL_PATTERN = r"/monitor/{y:\d{4}}/{m:\d{2}}/{d:\d{2}}/rec_{rid:\d+}.{ext:mp3|wav}"
C2C_PATTERN = r"/monitor/c2c/{y:\d{4}}/{m:\d{2}}/{d:\d{2}}/c2c_{rid:\d+}.{ext:mp3|wav}"
_RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")


def byte_range(header: str, total: int) -> tuple[int, int] | None:
    """(first, last) inclusive for a single satisfiable range; None = ignore the header.

    Raises ``ValueError`` when the range is syntactically fine but unsatisfiable.
    """
    match = _RANGE_RE.match(header.strip().replace(" ", ""))
    if match is None:
        return None  # multiple ranges or junk: a full 200 is a valid answer
    first_text, last_text = match.groups()
    if not first_text and not last_text:
        return None
    if not first_text:  # suffix: the last N bytes
        length = int(last_text)
        if length == 0:
            raise ValueError("empty suffix range")
        return max(0, total - length), total - 1
    first = int(first_text)
    last = int(last_text) if last_text else total - 1
    if first >= total or last < first:
        raise ValueError("range outside the file")
    return first, min(last, total - 1)


class RecordingHandlers:
    def __init__(self, ctx: SandboxContext) -> None:
        self._ctx = ctx
        self.cache = RecordingCache()

    def register(self, app: web.Application) -> None:
        app.router.add_get(CALL_PATTERN, self.call_recording)
        app.router.add_get(C2C_PATTERN, self.c2c_recording)

    async def call_recording(self, request: web.Request) -> web.StreamResponse:
        rid = int(request.match_info["rid"])
        record = self._ctx.world.call_log(rid)
        if record is None or not record.has_recording or not _same_recording(
                call_recording_path(rid, record.call_time), request.path):
            raise ApiError(404, "Recording not found")
        return await self._serve(request, rid, record.call_duration)

    async def c2c_recording(self, request: web.Request) -> web.StreamResponse:
        rid = int(request.match_info["rid"])
        record = self._ctx.world.c2c_log(rid)
        if record is None or not record.has_recording or not _same_recording(
                c2c_recording_path(rid, record.call_time), request.path):
            raise ApiError(404, "Recording not found")
        return await self._serve(request, rid, record.call_duration)

    async def _serve(self, request: web.Request, rid: int,
                     duration: int) -> web.StreamResponse:
        fmt = request.match_info["ext"]
        data = await asyncio.get_running_loop().run_in_executor(
            None, self.cache.get, rid, call_seconds(duration), fmt)
        total = len(data)
        headers = {"Accept-Ranges": "bytes", "ETag": f'"rec-{rid}-{fmt}-{total}"'}
        header = request.headers.get("Range", "")
        try:
            wanted = byte_range(header, total) if header else None
        except ValueError:
            headers["Content-Range"] = f"bytes */{total}"
            return web.Response(status=416, headers=headers)
        if wanted is None:
            return web.Response(body=data, content_type=CONTENT_TYPES[fmt], headers=headers)
        first, last = wanted
        headers["Content-Range"] = f"bytes {first}-{last}/{total}"
        return web.Response(status=206, body=data[first:last + 1],
                            content_type=CONTENT_TYPES[fmt], headers=headers)


def _same_recording(expected: str, path: str) -> bool:
    """The id and date must match; either extension is served."""
    return expected.rsplit(".", 1)[0] == path.rsplit(".", 1)[0]
