"""The audio check behind the panel: meter, test tone, hear-yourself, record test.

Plain asyncio (no Qt): the Qt facade subscribes to the observables. The mic
meter runs while the check is open; the loopback replaces it (and feeds the
meter from the same blocks). Every PortAudio call that can block runs in the
executor. A stream that dies (device unplugged, sink gone) becomes a message,
the device lists are re-scanned and the meter re-opens on what is there now.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from types import ModuleType

import numpy as np

from agentapp.audio import backend
from agentapp.audio.backend import AudioError, AudioUnavailable
from agentapp.audio.decode import Decoded
from agentapp.audio.devices import Choice, Device, choose, list_devices, refresh
from agentapp.audio.dsp import Block, Level, ToneGenerator, measure
from agentapp.audio.player import PlaybackStream, open_playback
from agentapp.audio.streams import InputMeterStream, LoopbackStream, ToneStream
from agentapp.audio.verdict import RollingVerdict, verdict
from agentapp.services.observable import Observable

log = logging.getLogger(__name__)

RESCAN_S = 10.0
RECORD_S = 5.0
CHANNELS = {"left": (0,), "right": (1,), "both": (0, 1)}


@dataclass(frozen=True)
class DevicePrefs:
    """What the agent chose (by name) and their preferred devices, first = best."""

    input: str = ""
    output: str = ""
    preferred_inputs: tuple[str, ...] = ()
    preferred_outputs: tuple[str, ...] = ()


class AudioCheck:
    def __init__(self, prefs: DevicePrefs, *, load: Callable[[], ModuleType] = backend.load,
                 rescan_s: float = RESCAN_S) -> None:
        self.prefs = prefs
        self._load = load
        self._rescan_s = rescan_s
        self._sd: ModuleType | None = None
        self.available: Observable[bool] = Observable(False)
        self.devices: Observable[list[Device]] = Observable([])
        self.input: Observable[Choice | None] = Observable(None)
        self.output: Observable[Choice | None] = Observable(None)
        self.level: Observable[Level | None] = Observable(None)
        self.verdict: Observable[str] = Observable("")
        self.message: Observable[str] = Observable("")
        self.tone_on: Observable[bool] = Observable(False)
        self.loopback_on: Observable[bool] = Observable(False)
        self.record_state: Observable[str] = Observable("")  # "" | recording | playing
        self.record_verdict: Observable[str] = Observable("")
        self._meter: InputMeterStream | None = None
        self._tone: ToneStream | None = None
        self._loopback: LoopbackStream | None = None
        self._playback: PlaybackStream | None = None
        self._recording: list[Block] | None = None
        self._rolling = RollingVerdict()
        self._rescanner: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    # -- lifecycle -----------------------------------------------------------------
    async def start(self) -> bool:
        """Load PortAudio, list devices, start the meter; False (with a message) if no audio."""
        loop = asyncio.get_running_loop()
        try:
            self._sd = await loop.run_in_executor(None, self._load)
        except AudioUnavailable as exc:
            self.message.set(str(exc))
            return False
        self.available.set(True)
        async with self._lock:
            await self._rescan(full=False)
            await self._open_meter()
        self._rescanner = loop.create_task(self._rescan_periodically())
        return True

    async def stop(self) -> None:
        if self._rescanner is not None:
            self._rescanner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._rescanner
            self._rescanner = None
        async with self._lock:
            await self._close_all()

    async def _close_all(self) -> None:
        for stream in (self._meter, self._tone, self._loopback, self._playback):
            if stream is not None:
                await stream.stop()
        self._meter = self._tone = self._loopback = self._playback = None
        self._recording = None
        self.tone_on.set(False)
        self.loopback_on.set(False)
        self.record_state.set("")

    # -- devices -------------------------------------------------------------------
    async def refresh_devices(self) -> None:
        """Re-scan now (briefly re-opening the meter: PortAudio re-initialises)."""
        async with self._lock:
            await self._rescan(full=self._only_meter_open())

    async def choose_input(self, name: str) -> None:
        self.prefs = replace(self.prefs, input=name)
        async with self._lock:
            self._apply_choices()
            if self._loopback is not None:
                await self._stop_loopback()
            await self._open_meter()

    async def choose_output(self, name: str) -> None:
        self.prefs = replace(self.prefs, output=name)
        async with self._lock:
            self._apply_choices()
            if self._tone is not None:
                await self._tone.stop()
                self._tone = None
                self.tone_on.set(False)
            if self._loopback is not None:  # it played on the old speaker: start it anew
                await self._stop_loopback()

    def _only_meter_open(self) -> bool:
        return self._tone is None and self._loopback is None and self._playback is None \
            and self._recording is None

    async def _rescan(self, *, full: bool) -> None:
        assert self._sd is not None
        loop = asyncio.get_running_loop()
        reopen = full and self._meter is not None
        if reopen:
            await self._close_meter()
        try:
            devices = await loop.run_in_executor(None, refresh if full else list_devices,
                                                 self._sd)
        except AudioUnavailable as exc:
            self.message.set(str(exc))
            devices = []
        self.devices.set(devices)
        self._apply_choices()
        if reopen:
            await self._open_meter()

    def _apply_choices(self) -> None:
        devices = self.devices.value
        before = (self.input.value, self.output.value)
        mic = choose(devices, "input", self.prefs.input, self.prefs.preferred_inputs)
        speaker = choose(devices, "output", self.prefs.output, self.prefs.preferred_outputs)
        self.input.set(mic)
        self.output.set(speaker)
        notes = [n for n in (mic.note, speaker.note) if n]
        back = sorted({now.device.name for was, now in zip(before, (mic, speaker), strict=True)
                       if was is not None and was.fell_back and not now.fell_back
                       and now.device is not None})
        if notes:
            self.message.set(" ".join(notes))
        elif back:
            self.message.set(" ".join(f"“{name}” is back; using it again." for name in back))

    async def _rescan_periodically(self) -> None:
        """Hot-plug: while nothing but the meter is open, or the choice is missing."""
        while True:
            await asyncio.sleep(self._rescan_s)
            fell_back = any(c is not None and c.fell_back
                            for c in (self.input.value, self.output.value))
            if self._only_meter_open() and (fell_back or self._meter is None):
                async with self._lock:
                    await self._rescan(full=True)
                    if self._meter is None:
                        await self._open_meter()

    # -- meter -----------------------------------------------------------------------
    async def _open_meter(self) -> None:
        await self._close_meter()
        mic = self.input.value.device if self.input.value else None
        if mic is None or self._sd is None:
            return
        stream = InputMeterStream(self._sd, asyncio.get_running_loop(), device=mic.index,
                                  samplerate=mic.samplerate, channels=1,
                                  on_block=self._on_input, on_ended=self._meter_lost)
        try:
            await stream.start()
        except AudioError as exc:
            self.message.set(str(exc))
            return
        self._meter = stream
        self._rolling.clear()

    async def _close_meter(self) -> None:
        meter, self._meter = self._meter, None
        if meter is not None:
            await meter.stop()

    def _on_input(self, block: Block) -> None:
        level = measure(block)
        self.level.emit(level)
        self.verdict.set(self._rolling.add(level))
        if self._recording is not None:
            self._recording.append(block)

    def _meter_lost(self, message: str) -> None:
        self.message.set(message + " Looking for another microphone…")
        self.level.emit(None)
        asyncio.get_running_loop().create_task(self._recover())

    async def _recover(self) -> None:
        async with self._lock:
            await self._close_all()
            await self._rescan(full=True)
            await self._open_meter()
            if self._meter is not None:
                mic = self.input.value.device if self.input.value else None
                self.message.set(f"Microphone re-opened: “{mic.name if mic else '?'}”.")

    # -- tone --------------------------------------------------------------------------
    async def start_tone(self, frequency: float, level_dbfs: float, side: str = "both") -> None:
        async with self._lock:
            speaker = self.output.value.device if self.output.value else None
            if speaker is None or self._sd is None:
                self.message.set("No speaker found for the test tone.")
                return
            channels = min(2, speaker.channels)
            tone = ToneGenerator(frequency, level_dbfs, int(speaker.samplerate), channels,
                                 CHANNELS.get(side, (0, 1)))
            if self._tone is not None:
                self._tone.set_tone(tone)
                return
            stream = ToneStream(self._sd, asyncio.get_running_loop(), device=speaker.index,
                                samplerate=speaker.samplerate, channels=channels, tone=tone,
                                on_ended=self._tone_lost)
            try:
                await stream.start()
            except AudioError as exc:
                self.message.set(str(exc))
                return
            self._tone = stream
            self.tone_on.set(True)

    async def stop_tone(self) -> None:
        async with self._lock:
            if self._tone is not None:
                await self._tone.stop()
                self._tone = None
            self.tone_on.set(False)

    def _tone_lost(self, message: str) -> None:
        self.message.set(message)
        asyncio.get_running_loop().create_task(self.stop_tone())

    # -- hear yourself -------------------------------------------------------------------
    async def start_loopback(self, ceiling_dbfs: float = -12.0) -> None:
        async with self._lock:
            mic = self.input.value.device if self.input.value else None
            speaker = self.output.value.device if self.output.value else None
            if mic is None or speaker is None or self._sd is None:
                self.message.set("Hearing yourself needs both a microphone and a speaker.")
                return
            await self._close_meter()
            stream = LoopbackStream(self._sd, asyncio.get_running_loop(),
                                    device=(mic.index, speaker.index),
                                    samplerate=speaker.samplerate, channels=1,
                                    out_channels=min(2, speaker.channels),
                                    ceiling_dbfs=ceiling_dbfs, on_block=self._on_input,
                                    on_ended=self._loopback_lost)
            try:
                await stream.start()
            except AudioError as exc:
                self.message.set(str(exc))
                await self._open_meter()
                return
            self._loopback = stream
            self.loopback_on.set(True)

    async def stop_loopback(self) -> None:
        async with self._lock:
            await self._stop_loopback()

    async def _stop_loopback(self) -> None:
        if self._loopback is not None:
            await self._loopback.stop()
            self._loopback = None
        self.loopback_on.set(False)
        await self._open_meter()

    def _loopback_lost(self, message: str) -> None:
        self.message.set(message)
        asyncio.get_running_loop().create_task(self.stop_loopback())

    # -- record and play back --------------------------------------------------------------
    async def record_test(self, seconds: float = RECORD_S) -> str:
        """Record ``seconds`` from the mic, play it back, return (and show) the verdict."""
        if self._meter is None and self._loopback is None:
            self.message.set("No microphone is open to record from.")
            return ""
        self.record_verdict.set("")
        self._recording = []
        self.record_state.set("recording")
        try:
            rate = (self._meter or self._loopback).samplerate  # type: ignore[union-attr]
            loop = asyncio.get_running_loop()
            deadline = loop.time() + seconds + 5.0
            while sum(b.shape[0] for b in self._recording) < seconds * rate:
                if loop.time() > deadline or self._recording is None:
                    break
                await asyncio.sleep(0.05)
            blocks, self._recording = self._recording or [], None
            if not blocks:
                self.message.set("Nothing was recorded: the microphone sent no audio.")
                return ""
            take = np.concatenate(blocks)[: int(seconds * rate)]
            word = verdict(measure(b) for b in np.array_split(take, max(1, len(blocks))))
            self.record_verdict.set(word)
            self.record_state.set("playing")
            await self._play_back(Decoded(take, int(rate)))
            return word
        finally:
            self._recording = None
            self.record_state.set("")

    async def _play_back(self, take: Decoded) -> None:
        speaker = self.output.value.device if self.output.value else None
        if speaker is None or self._sd is None:
            self.message.set("No speaker to play the recording back on.")
            return
        loop = asyncio.get_running_loop()
        done = asyncio.Event()

        def lost(message: str) -> None:
            self.message.set(message)
            done.set()

        try:
            stream = await open_playback(
                self._sd, loop, take, device=speaker.index, device_rate=speaker.samplerate,
                device_channels=speaker.channels, on_block=None, on_finished=done.set,
                on_ended=lost)
        except AudioError as exc:
            self.message.set(str(exc))
            return
        self._playback = stream
        try:
            stream.set_paused(False)
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(done.wait(), take.duration_s + 5.0)
        finally:
            self._playback = None
            await stream.stop()
