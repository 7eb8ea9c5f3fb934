"""The headless self-test behind ``agentapp --audio-check``.

Plays a 1 kHz tone at a known level on the default output while measuring the
default input. On a machine whose input hears its output (a headset with
sidetone, a PulseAudio null sink's monitor) the loop closes and the measured
level is close to the played one; elsewhere the verdict says what was heard.
"""

from __future__ import annotations

import asyncio
from types import ModuleType
from typing import Any

import numpy as np

from agentapp.audio import backend
from agentapp.audio.devices import Device, choose, list_devices
from agentapp.audio.dsp import Block, ToneGenerator, measure, sine_rms_dbfs
from agentapp.audio.streams import InputMeterStream, ToneStream
from agentapp.audio.verdict import NO_SIGNAL, verdict

TONE_HZ = 1000.0
TONE_PEAK_DBFS = -12.0  # -15.05 dBFS RMS: loud enough to measure, far from clipping
SETTLE_S = 0.4  # ignored at the start: output latency before the tone reaches the input
MEASURE_S = 1.0
DEADLINE_S = 10.0


async def run_check(sd: ModuleType | None = None) -> dict[str, Any]:
    """Devices plus the loopback measurement; raises AudioUnavailable / AudioError."""
    loop = asyncio.get_running_loop()
    if sd is None:
        sd = await loop.run_in_executor(None, backend.load)
    devices = await loop.run_in_executor(None, list_devices, sd)
    output = choose(devices, "output", "").device
    source = choose(devices, "input", "").device
    if output is None or source is None:
        missing = "output" if output is None else "input"
        raise backend.AudioUnavailable(f"Audio check impossible: no {missing} device found.")
    measured = await _measure_loop(sd, loop, source, output)
    played = sine_rms_dbfs(10 ** (TONE_PEAK_DBFS / 20))
    return {
        "devices": [d.as_json() for d in devices],
        "loopback": {
            "played_dbfs": round(played, 2),
            "measured_dbfs": None if measured is None else round(measured.rms_dbfs, 2),
            "measured_peak_dbfs": None if measured is None else round(measured.peak_dbfs, 2),
            "verdict": NO_SIGNAL if measured is None else verdict([measured]),
            "tone_hz": TONE_HZ,
            "input": source.name,
            "output": output.name,
        },
    }


async def _measure_loop(sd: ModuleType, loop: asyncio.AbstractEventLoop, source: Device,
                        output: Device) -> Any:
    blocks: list[Block] = []
    ended: list[str] = []
    settle_until = [0.0]

    def on_block(block: Block) -> None:
        if loop.time() >= settle_until[0]:
            blocks.append(block)

    rate = source.samplerate
    tone = ToneStream(sd, loop, device=output.index, samplerate=output.samplerate,
                      channels=min(2, output.channels), on_ended=ended.append,
                      tone=ToneGenerator(TONE_HZ, TONE_PEAK_DBFS, int(output.samplerate),
                                         min(2, output.channels), (0, 1)))
    mic = InputMeterStream(sd, loop, device=source.index, samplerate=rate, channels=1,
                           on_block=on_block, on_ended=ended.append)
    await mic.start()
    try:
        await tone.start()
        try:
            settle_until[0] = loop.time() + SETTLE_S
            deadline = loop.time() + DEADLINE_S
            while sum(len(b) for b in blocks) < MEASURE_S * rate and not ended:
                if loop.time() > deadline:
                    break
                await asyncio.sleep(0.05)
        finally:
            await tone.stop()
    finally:
        await mic.stop()
    if ended and not blocks:
        raise backend.AudioError(ended[0])
    return measure(np.concatenate(blocks)) if blocks else None
