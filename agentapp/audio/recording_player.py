"""A call recording, from its URL to the speaker: fetch (cached), decode, play.

The service behind the player widget (through ``qt.audio_facade``). Every
failure ends as a sentence in ``message`` and the state ``"error"``: a 404,
a refused download, a damaged file, no speaker, a speaker that vanishes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import ModuleType

from agentapp.api.errors import ApiError
from agentapp.audio import backend
from agentapp.audio.backend import AudioError, AudioUnavailable
from agentapp.audio.cache import RecordingCache
from agentapp.audio.decode import Decoded, DecodeError, decode
from agentapp.audio.devices import Choice, choose, list_devices
from agentapp.audio.player import SPEEDS, PlaybackStream, open_playback
from agentapp.services.observable import Observable

log = logging.getLogger(__name__)

Download = Callable[[str, Path], Awaitable[Path]]
TICK_S = 0.1  # position updates while playing


class RecordingPlayer:
    """One recording at a time. States: idle, loading, ready, playing, paused, ended, error."""

    def __init__(self, download: Download, cache: RecordingCache, *,
                 output_name: Callable[[], tuple[str, tuple[str, ...]]] = lambda: ("", ()),
                 load: Callable[[], ModuleType] = backend.load) -> None:
        self._download = download
        self._cache = cache
        self._output_name = output_name
        self._load = load
        self.state: Observable[str] = Observable("idle")
        self.message: Observable[str] = Observable("")
        self.position: Observable[float] = Observable(0.0)
        self.duration: Observable[float] = Observable(0.0)
        self.speed: Observable[float] = Observable(1.0)
        self.output: Observable[Choice | None] = Observable(None)
        self.url = ""
        self._stream: PlaybackStream | None = None
        self._ticker: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        self.played_blocks = 0

    # -- opening -------------------------------------------------------------------
    async def open(self, url: str) -> bool:
        """Fetch, decode and get ready to play ``url``; False (with a message) on failure."""
        async with self._lock:
            await self._close_stream()
            self.url = url
            self.position.set(0.0)
            self.duration.set(0.0)
            self.speed.set(1.0)
            self.message.set("")
            self.state.set("loading")
            try:
                decoded = await self._fetch_and_decode(url)
                self._stream = await self._open_output(decoded)
            except (ApiError, DecodeError, AudioError, AudioUnavailable) as exc:
                message = getattr(exc, "user_message", "") or str(exc)
                log.info("recording not playable: %s", exc)
                self.message.set(message)
                self.state.set("error")
                return False
            self.duration.set(self._stream.duration_s)
            self.state.set("ready")
            return True

    async def _fetch_and_decode(self, url: str) -> Decoded:
        loop = asyncio.get_running_loop()
        cached = await loop.run_in_executor(None, self._cache.lookup, url)
        if cached is None:
            dest = self._cache.path_for(url)
            cached = await self._download(url, dest)
            await loop.run_in_executor(None, self._cache.evict, cached)
        try:
            return await loop.run_in_executor(None, decode, cached)
        except DecodeError:
            await loop.run_in_executor(None, self._cache.remove, url)  # never keep junk
            raise

    async def _open_output(self, decoded: Decoded) -> PlaybackStream:
        loop = asyncio.get_running_loop()
        sd = await loop.run_in_executor(None, self._load)
        devices = await loop.run_in_executor(None, list_devices, sd)
        name, preferred = self._output_name()
        choice = choose(devices, "output", name, preferred)
        self.output.set(choice)
        if choice.device is None:
            raise AudioError("No speaker or headset found to play the recording on.")
        return await open_playback(
            sd, loop, decoded, device=choice.device.index, device_rate=choice.device.samplerate,
            device_channels=choice.device.channels, on_block=self._played,
            on_finished=self._finished, on_ended=self._device_lost)

    # -- controls ------------------------------------------------------------------
    def play(self) -> None:
        if self._stream is None:
            return
        self._stream.set_paused(False)
        self.state.set("playing")
        if self._ticker is None or self._ticker.done():
            self._ticker = asyncio.get_running_loop().create_task(self._tick())

    def pause(self) -> None:
        if self._stream is None:
            return
        self._stream.set_paused(True)
        self.state.set("paused")
        self.position.set(self._stream.position_s)

    def seek(self, seconds: float) -> None:
        if self._stream is None:
            return
        self._stream.seek(min(max(0.0, seconds), self._stream.duration_s))
        self.position.set(self._stream.position_s)

    async def set_speed(self, speed: float) -> None:
        """1x, 1.5x or 2x; the stretched track is made once, off the UI thread."""
        if speed not in SPEEDS:
            raise ValueError(f"speed must be one of {SPEEDS}")
        stream = self._stream
        if stream is None:
            return
        if not stream.has_track(speed):
            track = await asyncio.get_running_loop().run_in_executor(
                None, stream.stretched, speed)
            stream.add_track(speed, track)
        if stream is self._stream:
            stream.set_speed(speed)
            self.speed.set(speed)

    async def close(self) -> None:
        async with self._lock:
            await self._close_stream()
            self.state.set("idle")

    # -- internals -------------------------------------------------------------------
    async def _close_stream(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
            self._ticker = None
        stream, self._stream = self._stream, None
        if stream is not None:
            await stream.stop()

    async def _tick(self) -> None:
        while self._stream is not None and self.state.value == "playing":
            self.position.set(self._stream.position_s)
            await asyncio.sleep(TICK_S)

    def _played(self, _block: object) -> None:
        self.played_blocks += 1

    def _finished(self) -> None:
        if self._stream is not None:
            self.position.set(self._stream.duration_s)
            self.state.set("ended")

    def _device_lost(self, message: str) -> None:
        self.message.set(message)
        self.state.set("error")
