"""Serves call recordings (without auth, as the provider's links are fetched)."""

from __future__ import annotations

from aiohttp import web

from .context import SandboxContext
from .envelopes import ApiError
from .recordings import RecordingCache
from .records import c2c_recording_path, call_recording_path

CALL_PATTERN = r"/monitor/{y:\d{4}}/{m:\d{2}}/{d:\d{2}}/rec_{rid:\d+}.wav"
C2C_PATTERN = r"/monitor/c2c/{y:\d{4}}/{m:\d{2}}/{d:\d{2}}/c2c_{rid:\d+}.wav"


class RecordingHandlers:
    def __init__(self, ctx: SandboxContext) -> None:
        self._ctx = ctx
        self._cache = RecordingCache()

    def register(self, app: web.Application) -> None:
        app.router.add_get(CALL_PATTERN, self.call_recording)
        app.router.add_get(C2C_PATTERN, self.c2c_recording)

    async def call_recording(self, request: web.Request) -> web.Response:
        rid = int(request.match_info["rid"])
        record = self._ctx.world.call_log(rid)
        if (record is None or not record.has_recording
                or call_recording_path(rid, record.call_time) != request.path):
            raise ApiError(404, "Recording not found")
        return self._wav(rid)

    async def c2c_recording(self, request: web.Request) -> web.Response:
        rid = int(request.match_info["rid"])
        record = self._ctx.world.c2c_log(rid)
        if (record is None or not record.has_recording
                or c2c_recording_path(rid, record.call_time) != request.path):
            raise ApiError(404, "Recording not found")
        return self._wav(rid)

    def _wav(self, rid: int) -> web.Response:
        return web.Response(body=self._cache.get(rid), content_type="audio/wav")
