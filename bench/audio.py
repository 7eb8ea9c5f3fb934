"""Audio benches on the default devices (in CI/dev: the PulseAudio null sink).

- meter CPU: % of one core the process uses while the audio check's meter runs
  (PortAudio's callback thread, the hop to the loop, RMS/peak/clipping, the
  rolling verdict, the observable), against a bare input stream of the same
  block size that hands its blocks to a no-op (same run).
- tone → meter: with the meter and the tone stream both warm (the tone playing
  at silence), the time from switching the tone to -12 dBFS to the first meter
  reading above -40 dBFS on the loop; baseline: the same switch seen directly
  inside a PortAudio input callback (no loop hop, no maths).
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path
from types import ModuleType

from agentapp.audio import backend
from agentapp.audio.check import AudioCheck, DevicePrefs
from agentapp.audio.devices import choose, list_devices
from agentapp.audio.dsp import Level, ToneGenerator
from agentapp.audio.streams import InputMeterStream, ToneStream
from bench.stats import Row


def keep_pulse_reachable() -> None:
    """Call before ``isolate_home``: it moves XDG_RUNTIME_DIR, where PulseAudio's socket is."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    socket = Path(runtime, "pulse", "native") if runtime else None
    if socket is not None and socket.exists():
        os.environ.setdefault("PULSE_SERVER", f"unix:{socket}")


LOUD_DBFS = -12.0
HEARD_DBFS = -40.0



async def _cpu_share(seconds: float) -> float:
    cpu0, wall0 = time.process_time(), time.monotonic()
    await asyncio.sleep(seconds)
    return 100.0 * (time.process_time() - cpu0) / (time.monotonic() - wall0)


async def meter_cpu(sd: ModuleType, samples: int, seconds: float) -> Row:
    loop = asyncio.get_running_loop()
    devices = await loop.run_in_executor(None, list_devices, sd)
    mic = choose(devices, "input", "").device
    assert mic is not None
    bare = InputMeterStream(sd, loop, device=mic.index, samplerate=mic.samplerate, channels=1,
                            on_block=lambda _block: None)
    await bare.start()
    baseline = []
    try:
        await _wait_blocks(lambda: bare.blocks, 10)
        for _ in range(samples):
            baseline.append(await _cpu_share(seconds))
    finally:
        await bare.stop()
    check = AudioCheck(DevicePrefs(), load=lambda: sd, rescan_s=3600)
    readings = [0]
    check.level.subscribe(lambda _level: readings.__setitem__(0, readings[0] + 1))
    await check.start()
    app = []
    try:
        await _wait_blocks(lambda: readings[0], 10)
        for _ in range(samples):
            app.append(await _cpu_share(seconds))
    finally:
        await check.stop()
    return Row("audio", "meter CPU while running", "% core", tuple(app),
               "bare input stream", tuple(baseline), target=3.0)


async def _wait_blocks(count: object, at_least: int, within: float = 15.0) -> None:
    deadline = time.monotonic() + within
    while count() < at_least:  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise RuntimeError("the audio input delivered no blocks (no device?)")
        await asyncio.sleep(0.02)


async def tone_to_meter(sd: ModuleType, iterations: int) -> Row:
    loop = asyncio.get_running_loop()
    devices = await loop.run_in_executor(None, list_devices, sd)
    speaker = choose(devices, "output", "").device
    mic = choose(devices, "input", "").device
    assert speaker is not None and mic is not None
    rate = int(speaker.samplerate)
    channels = min(2, speaker.channels)

    def tone(level: float) -> ToneGenerator:
        return ToneGenerator(1000.0, level, rate, channels, (0, 1))

    out = ToneStream(sd, loop, device=speaker.index, samplerate=rate, channels=channels,
                     tone=tone(-200.0))
    await out.start()
    try:
        baseline = await _switch_times(out, tone, iterations, _raw_detector(sd, mic.index,
                                                                            mic.samplerate))
        app = await _switch_times(out, tone, iterations, await _meter_detector(sd))
    finally:
        await out.stop()
    return Row("audio", "tone start → meter (warm)", "ms", tuple(app),
               "same, in the PortAudio callback", tuple(baseline), target=100.0)


class _Detector:
    """Records when a loud block was first seen after ``arm()``."""

    def __init__(self) -> None:
        self.armed_at = 0.0
        self.seen_at = 0.0
        self.quiet = 0
        self.armed = False
        self.start: object = None
        self.stop: object = None

    def feed(self, loud: bool) -> None:
        if self.armed and loud and not self.seen_at:
            self.seen_at = time.monotonic()
        self.quiet = 0 if loud else self.quiet + 1


def _raw_detector(sd: ModuleType, device: int, samplerate: float) -> _Detector:
    detector = _Detector()
    threshold = 10 ** (HEARD_DBFS / 20)
    stream = sd.InputStream(device=device, samplerate=samplerate, channels=1,
                            blocksize=int(samplerate) // 30, dtype="float32", latency="low",
                            callback=lambda indata, *_: detector.feed(
                                float(abs(indata).max()) > threshold))

    async def start() -> None:
        await asyncio.get_running_loop().run_in_executor(None, stream.start)

    async def stop() -> None:
        await asyncio.get_running_loop().run_in_executor(None, stream.close)

    detector.start, detector.stop = start, stop
    return detector


async def _meter_detector(sd: ModuleType) -> _Detector:
    detector = _Detector()
    check = AudioCheck(DevicePrefs(), load=lambda: sd, rescan_s=3600)
    def reading(level: Level | None) -> None:
        if level is not None:
            detector.feed(level.peak_dbfs > HEARD_DBFS)

    check.level.subscribe(reading)

    async def start() -> None:
        await check.start()

    detector.start, detector.stop = start, check.stop
    return detector


async def _switch_times(out: ToneStream, tone: object, iterations: int,
                        detector: _Detector) -> list[float]:
    await detector.start()  # type: ignore[operator]
    times: list[float] = []
    try:
        for _ in range(iterations + 3):  # 3 warm-up switches, not counted
            out.set_tone(tone(-200.0))  # type: ignore[operator]
            await _until(lambda: detector.quiet >= 3)
            detector.seen_at = 0.0
            detector.armed = True
            detector.armed_at = time.monotonic()
            out.set_tone(tone(LOUD_DBFS))  # type: ignore[operator]
            await _until(lambda: detector.seen_at)
            detector.armed = False
            times.append(1000.0 * (detector.seen_at - detector.armed_at))
    finally:
        await detector.stop()  # type: ignore[operator]
    return times[3:]


async def _until(predicate: object, within: float = 10.0) -> None:
    deadline = time.monotonic() + within
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise RuntimeError("the meter never reacted (is the input hearing the output?)")
        await asyncio.sleep(0.002)


def run(iterations: int, samples: int = 5, seconds: float = 2.0) -> list[Row]:
    """Both audio benches; [] with a note when this machine has no usable audio."""
    try:
        sd = backend.load()
    except backend.AudioUnavailable as exc:
        print(f"# audio bench skipped: {exc}")
        return []

    async def body() -> list[Row]:
        return [await meter_cpu(sd, samples, seconds), await tone_to_meter(sd, iterations)]

    try:
        return asyncio.run(body())
    except (RuntimeError, backend.AudioError) as exc:
        print(f"# audio bench skipped: {exc}")
        return []


