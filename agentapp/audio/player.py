"""Play decoded audio through a chosen output: play/pause, seek, speed 1x/1.5x/2x.

Each speed has its own track (WSOLA-stretched once, off the UI thread, then
kept). The PortAudio callback copies the next frames of the current track and
advances an index; position, seek and speed changes are plain attribute
updates under a short lock, so the loop never waits for the audio thread.
Position is always reported in *recording* seconds, whatever the speed.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from types import ModuleType
from typing import Any

from agentapp.audio.backend import AudioError
from agentapp.audio.decode import Decoded
from agentapp.audio.dsp import Block
from agentapp.audio.streams import LiveStream
from agentapp.audio.stretch import resample, wsola

SPEEDS = (1.0, 1.5, 2.0)


class PlaybackStream(LiveStream):
    """Output of one decoded recording; ``on_block`` gets a copy of what was played."""

    what = "play on the speaker"
    watched = False

    def __init__(self, *args: Any, source: Decoded, on_finished: Callable[[], None],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._tracks: dict[float, Block] = {1.0: source.samples}
        self._speed = 1.0
        self._index = 0
        self._paused = True
        self._lock = threading.Lock()
        self._on_finished = on_finished
        self.source_frames = source.samples.shape[0]

    # -- state (loop thread) -------------------------------------------------------
    @property
    def position_s(self) -> float:
        with self._lock:
            return self._index * self._speed / self.samplerate

    @property
    def duration_s(self) -> float:
        return self.source_frames / self.samplerate

    @property
    def speed(self) -> float:
        return self._speed

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def at_end(self) -> bool:
        with self._lock:
            return self._index >= self._tracks[self._speed].shape[0]

    def set_paused(self, paused: bool) -> None:
        with self._lock:
            if not paused and self._index >= self._tracks[self._speed].shape[0]:
                self._index = 0  # play after the end starts again
            self._paused = paused

    def seek(self, seconds: float) -> None:
        with self._lock:
            track = self._tracks[self._speed]
            frame = int(max(0.0, seconds) * self.samplerate / self._speed)
            self._index = min(frame, track.shape[0])

    def has_track(self, speed: float) -> bool:
        return speed in self._tracks

    def add_track(self, speed: float, track: Block) -> None:
        self._tracks[speed] = track

    def set_speed(self, speed: float) -> None:
        """Switch tracks at the same recording position (the track must exist)."""
        with self._lock:
            position = self._index * self._speed
            self._speed = speed
            self._index = min(int(position / speed), self._tracks[speed].shape[0])

    # -- PortAudio thread ----------------------------------------------------------
    def _make(self) -> Any:
        def callback(outdata: Any, frames: int, _time: Any, _status: Any) -> None:
            with self._lock:
                track = self._tracks[self._speed]
                if self._paused:
                    outdata.fill(0)
                    return
                chunk = track[self._index:self._index + frames]
                self._index += chunk.shape[0]
                ended = self._index >= track.shape[0]
                if ended:
                    self._paused = True
            got = chunk.shape[0]
            if chunk.shape[1] == outdata.shape[1]:
                outdata[:got] = chunk
            else:
                outdata[:got] = chunk.mean(axis=1, keepdims=True)
            outdata[got:] = 0
            if got:
                self._post(chunk.copy())
            if ended:
                with contextlib.suppress(RuntimeError):
                    self._loop.call_soon_threadsafe(self._on_finished)

        return self._sd.OutputStream(
            device=self.device, samplerate=self.samplerate, channels=self.channels,
            dtype="float32", callback=callback, finished_callback=self._finished)


    def stretched(self, speed: float) -> Block:
        """This stream's recording at ``speed``, pitch kept (blocking: run in the executor)."""
        return wsola(self._tracks[1.0], speed, self.samplerate)


async def open_playback(sd: ModuleType, loop: asyncio.AbstractEventLoop, decoded: Decoded,
                        *, device: int | None, device_rate: float, device_channels: int,
                        on_block: Callable[[Block], None] | None,
                        on_finished: Callable[[], None],
                        on_ended: Callable[[str], None]) -> PlaybackStream:
    """Open at the recording's own rate; if the device refuses it, resample to the device's."""
    channels = max(1, min(device_channels, decoded.samples.shape[1], 2))
    stream = PlaybackStream(sd, loop, device=device, samplerate=decoded.samplerate,
                            channels=channels, source=decoded, on_block=on_block,
                            on_ended=on_ended, on_finished=on_finished)
    try:
        await stream.start()
        return stream
    except AudioError:
        if int(device_rate) == decoded.samplerate:
            raise
    rate = int(device_rate)
    samples = await loop.run_in_executor(None, resample, decoded.samples, decoded.samplerate,
                                         rate)
    stream = PlaybackStream(sd, loop, device=device, samplerate=rate, channels=channels,
                            source=Decoded(samples, rate), on_block=on_block,
                            on_ended=on_ended, on_finished=on_finished)
    await stream.start()
    return stream

