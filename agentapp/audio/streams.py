"""PortAudio streams that never touch the UI: blocks go to the asyncio loop.

PortAudio calls our callback on its own real-time thread. The callback only
copies numbers (or fills the output buffer) and hands the copy to the loop
with ``call_soon_threadsafe``; everything else (metering, verdicts, widgets)
happens on the loop thread. Opening and closing a stream can block for tens
of milliseconds (longer on a busy device), so both run in the executor.

A stream that ends without being asked to (device unplugged, sink unloaded)
or stops delivering blocks is reported through ``on_ended`` with a sentence,
never an exception on the UI thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections import deque
from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np

from agentapp.audio.backend import AudioError, describe
from agentapp.audio.dsp import Block, ToneGenerator, limit, to_channels

log = logging.getLogger(__name__)

BlockSink = Callable[[Block], None]
Ended = Callable[[str], None]
METER_RATE = 30  # blocks (and so meter updates) per second
STALL_S = 1.5  # no block for this long while running = the device went away
# Output buffering: 20 ms ("low") under-runs on a busy 2-core machine (gaps in the
# tone); 40 ms held, and keeps tone-start-to-meter at ~80 ms (docs/performance.md).
OUTPUT_LATENCY_S = 0.04
FIRST_BLOCK_S = 6.0  # ALSA-on-PulseAudio can take ~1.6 s to deliver a first block


class LiveStream:
    """One open PortAudio stream; subclasses say which kind and fill the callback."""

    what = "open the audio device"
    watched = True  # input streams: silence from the callback means the device went away

    def __init__(self, sd: ModuleType, loop: asyncio.AbstractEventLoop, *,
                 device: int | tuple[int, int] | None, samplerate: float, channels: int,
                 on_block: BlockSink | None = None, on_ended: Ended | None = None) -> None:
        self._sd = sd
        self._loop = loop
        self.device = device
        self.samplerate = int(samplerate)
        self.channels = channels
        self.blocksize = max(64, self.samplerate // METER_RATE)
        self._on_block = on_block
        self._on_ended = on_ended
        self._stream: Any = None
        self._stopping = False
        self._ended_reported = False
        self._last_block = 0.0
        self._watchdog: asyncio.TimerHandle | None = None
        self.blocks = 0  # delivered to the loop (tests and benches read it)

    @property
    def running(self) -> bool:
        return self._stream is not None and not self._stopping

    def _make(self) -> Any:
        raise NotImplementedError

    async def start(self) -> None:
        """Open and start the stream (off the UI thread); AudioError with a sentence."""
        self._stopping = False
        self._ended_reported = False
        try:
            self._stream = await self._loop.run_in_executor(None, self._open)
        except Exception as exc:
            raise AudioError(describe(exc, self.what)) from exc
        self._last_block = self._loop.time()
        if self.watched:
            self._arm_watchdog()

    def _open(self) -> Any:
        stream = self._make()
        stream.start()
        return stream

    async def stop(self) -> None:
        self._stopping = True
        if self._watchdog is not None:
            self._watchdog.cancel()
            self._watchdog = None
        stream, self._stream = self._stream, None
        if stream is not None:
            await self._loop.run_in_executor(None, _close_quietly, stream)

    # -- from the PortAudio thread -------------------------------------------------
    def _post(self, block: Block) -> None:
        """Hand a copy to the loop; never raises into PortAudio."""
        with contextlib.suppress(RuntimeError):  # loop closed while the stream still ran
            self._loop.call_soon_threadsafe(self._deliver, block)

    def _finished(self) -> None:
        with contextlib.suppress(RuntimeError):
            self._loop.call_soon_threadsafe(self._stream_finished)

    # -- on the loop ---------------------------------------------------------------
    def _deliver(self, block: Block) -> None:
        if self._stopping:
            return
        self.blocks += 1
        self._last_block = self._loop.time()
        if self._on_block is not None:
            self._on_block(block)

    def _stream_finished(self) -> None:
        if not self._stopping:
            self._report_end("The audio device stopped (was it unplugged or taken by "
                             "another program?).")

    def _arm_watchdog(self) -> None:
        self._watchdog = self._loop.call_later(STALL_S / 3, self._check_stall)

    def _check_stall(self) -> None:
        self._watchdog = None
        if self._stopping or self._stream is None:
            return
        allowed = STALL_S if self.blocks > 10 else FIRST_BLOCK_S
        if self._loop.time() - self._last_block > allowed:
            self._report_end("The audio device stopped sending audio (unplugged?).")
            return
        self._arm_watchdog()

    def _report_end(self, message: str) -> None:
        if self._ended_reported:
            return
        self._ended_reported = True
        log.warning("audio stream ended: %s", message)
        if self._on_ended is not None:
            self._on_ended(message)


def _close_quietly(stream: Any) -> None:
    with contextlib.suppress(Exception):
        stream.abort()
    try:
        stream.close()
    except Exception as exc:
        log.debug("closing an audio stream failed: %s", exc)


class InputMeterStream(LiveStream):
    """The microphone, ``METER_RATE`` blocks a second to ``on_block``.

    PortAudio runs with 10 ms buffers (its latency is about two of them) and
    the callback gathers them into one ~33 ms block before the hop to the
    loop: low latency for the meter, few wake-ups for the loop.
    """

    what = "open the microphone"

    def _make(self) -> Any:
        gather = _Gatherer(self.blocksize, self._post)
        return self._sd.InputStream(
            device=self.device, samplerate=self.samplerate, channels=self.channels,
            dtype="float32", blocksize=_small_block(self.samplerate), latency="low",
            callback=lambda indata, *_: gather.add(indata.copy()),
            finished_callback=self._finished)


def _small_block(samplerate: int) -> int:
    return max(32, samplerate // 100)  # 10 ms


class _Gatherer:
    """Joins small callback buffers into meter-sized blocks (PortAudio thread only)."""

    def __init__(self, frames: int, post: Callable[[Block], None]) -> None:
        self._frames = frames
        self._post = post
        self._parts: list[Block] = []
        self._count = 0

    def add(self, block: Block) -> None:
        self._parts.append(block)
        self._count += block.shape[0]
        if self._count >= self._frames:
            self._post(np.concatenate(self._parts))
            self._parts = []
            self._count = 0


class ToneStream(LiveStream):
    """A test tone; ``set_tone`` swaps the generator between two callbacks."""

    what = "open the speaker"
    watched = False  # output callbacks come in bursts while PortAudio pre-fills

    def __init__(self, *args: Any, tone: ToneGenerator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._generator = tone

    def set_tone(self, tone: ToneGenerator) -> None:
        # one reference swap: atomic for the callback thread
        self._generator = tone.continuing(self._generator)

    def _make(self) -> Any:
        def callback(outdata: Any, frames: int, _time: Any, _status: Any) -> None:
            block = self._generator.next_block(frames)
            outdata[:] = to_channels(block, outdata.shape[1]) \
                if block.shape[1] != outdata.shape[1] else block

        return self._sd.OutputStream(
            device=self.device, samplerate=self.samplerate, channels=self.channels,
            dtype="float32", blocksize=_small_block(self.samplerate), latency=OUTPUT_LATENCY_S,
            callback=callback, finished_callback=self._finished)


class LoopbackStream(LiveStream):
    """Mic to speakers ("hear yourself"), hard-limited to ``ceiling_dbfs``.

    ``device`` is an (input, output) pair, opened as two streams joined by a
    short FIFO rather than one duplex stream: the two may be different cards,
    and ALSA-on-PulseAudio duplex streams fail at low latency. The FIFO is
    capped at ``MAX_DELAY_S``: when the output falls behind, the oldest audio
    is dropped so the echo never drifts late. The input copy goes to the meter.
    """

    what = "start hearing yourself"
    MAX_DELAY_S = 0.15

    def __init__(self, *args: Any, out_channels: int = 2, ceiling_dbfs: float = -12.0,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.out_channels = out_channels
        self.ceiling_dbfs = ceiling_dbfs
        self._fifo: deque[Block] = deque()
        self._queued = 0
        self._lock = threading.Lock()

    def _make(self) -> Any:
        assert isinstance(self.device, tuple)
        mic, speaker = self.device
        max_frames = int(self.MAX_DELAY_S * self.samplerate)
        gather = _Gatherer(max(64, self.samplerate // METER_RATE), self._post)

        def heard(indata: Any, frames: int, _time: Any, _status: Any) -> None:
            block = limit(to_channels(indata.copy(), self.out_channels), self.ceiling_dbfs)
            with self._lock:
                self._fifo.append(block)
                self._queued += frames
                while self._queued > max_frames and len(self._fifo) > 1:
                    self._queued -= self._fifo.popleft().shape[0]
            gather.add(indata.copy())

        def play(outdata: Any, frames: int, _time: Any, _status: Any) -> None:
            filled = 0
            with self._lock:
                while filled < frames and self._fifo:
                    head = self._fifo[0]
                    take = min(frames - filled, head.shape[0])
                    outdata[filled:filled + take] = head[:take]
                    filled += take
                    self._queued -= take
                    if take == head.shape[0]:
                        self._fifo.popleft()
                    else:
                        self._fifo[0] = head[take:]
            outdata[filled:] = 0

        common = {"samplerate": self.samplerate, "dtype": "float32",
                  "blocksize": self.blocksize, "finished_callback": self._finished}
        return _StreamPair(
            self._sd.InputStream(device=mic, channels=self.channels, callback=heard,
                                 latency="low", **common),
            self._sd.OutputStream(device=speaker, channels=self.out_channels, callback=play,
                                  latency=OUTPUT_LATENCY_S, **common))


class _StreamPair:
    """Two PortAudio streams started, stopped and closed as one."""

    def __init__(self, source: Any, sink: Any) -> None:
        self._streams = (source, sink)

    def start(self) -> None:
        for stream in self._streams:
            stream.start()

    def abort(self) -> None:
        for stream in self._streams:
            with contextlib.suppress(Exception):
                stream.abort()

    def close(self) -> None:
        for stream in self._streams:
            with contextlib.suppress(Exception):
                stream.close()
