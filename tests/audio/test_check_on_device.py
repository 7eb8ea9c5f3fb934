"""The audio check on the real virtual device (PulseAudio null sink, monitor = mic)."""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import time
from collections.abc import Callable
from types import ModuleType

import pytest

from agentapp.audio.check import AudioCheck, DevicePrefs
from agentapp.audio.dsp import Level, sine_rms_dbfs
from agentapp.audio.verdict import NO_SIGNAL, OK

pytestmark = pytest.mark.audio


async def until(predicate: Callable[[], object], within: float, what: str) -> None:
    deadline = time.monotonic() + within
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {within:.0f} s waiting for {what}")
        await asyncio.sleep(0.02)


class Readings:
    def __init__(self, check: AudioCheck) -> None:
        self.levels: list[Level] = []
        check.level.subscribe(self._add)

    def _add(self, level: Level | None) -> None:
        if level is not None:
            self.levels.append(level)

    def recent(self, n: int = 10) -> list[Level]:
        return self.levels[-n:]

    def steady_rms(self, target: float, tolerance: float, n: int = 10) -> bool:
        recent = self.recent(n)
        return len(recent) == n and all(abs(r.rms_dbfs - target) <= tolerance for r in recent)


def test_a_tone_on_the_sink_reads_its_true_level(sd: ModuleType) -> None:
    async def body() -> None:
        check = AudioCheck(DevicePrefs(), load=lambda: sd)
        readings = Readings(check)
        assert await check.start()
        try:
            await until(lambda: len(readings.levels) > 5, 10, "meter readings")
            await until(lambda: check.verdict.value == NO_SIGNAL, 5, "silence first")
            await check.start_tone(1000.0, -12.0, "both")
            assert check.tone_on.value
            expected = sine_rms_dbfs(10 ** (-12 / 20))
            await until(lambda: readings.steady_rms(expected, 1.0), 10,
                        f"ten readings within 1 dB of {expected:.2f} dBFS")
            assert statistics.mean(r.rms_dbfs for r in readings.recent()) == pytest.approx(
                expected, abs=1.0)
            assert check.verdict.value == OK
            # the left channel only: the monitor (mono) hears half the power, -6 dB
            await check.start_tone(1000.0, -12.0, "left")
            await until(lambda: readings.steady_rms(expected - 6.02, 1.0), 10,
                        "the left-only tone at -6 dB in the mono mix")
            await check.stop_tone()
            await until(lambda: check.verdict.value == NO_SIGNAL, 10, "silence again")
        finally:
            await check.stop()

    asyncio.run(body())


def test_readings_arrive_about_thirty_times_a_second(sd: ModuleType) -> None:
    async def body() -> None:
        check = AudioCheck(DevicePrefs(), load=lambda: sd)
        readings = Readings(check)
        await check.start()
        try:
            await until(lambda: len(readings.levels) >= 3, 10, "first readings")
            start, first = time.monotonic(), len(readings.levels)
            await until(lambda: time.monotonic() - start >= 2.0, 5, "two seconds")
            rate = (len(readings.levels) - first) / (time.monotonic() - start)
            assert 20 <= rate <= 40, rate
        finally:
            await check.stop()

    asyncio.run(body())


def test_loopback_passes_audio_and_respects_its_ceiling(sd: ModuleType) -> None:
    """Mic = the sink's monitor, so the loopback feeds itself: a tone keeps circulating
    after it stops only if audio really passes; the limiter caps what circulates."""

    async def body() -> None:
        check = AudioCheck(DevicePrefs(), load=lambda: sd)
        readings = Readings(check)
        await check.start()
        try:
            await check.start_loopback(ceiling_dbfs=-20.0)
            assert check.loopback_on.value
            await check.start_tone(440.0, -26.0, "both")
            await until(lambda: readings.recent(1) and readings.recent(1)[0].rms_dbfs > -40,
                        10, "the tone through the loop")
            await check.stop_tone()
            await asyncio.sleep(0)  # the tone stream is closed: only the loop remains
            mark = len(readings.levels)
            await until(lambda: len(readings.levels) >= mark + 30, 10, "a second of loop")
            circulating = readings.levels[mark + 10:]
            # Heard 1/3 s and more after the tone stream closed (the device path takes
            # < 100 ms): that sound went through the loopback. Under load some trips
            # round the loop under-run, so not every reading has it.
            assert max(r.peak_dbfs for r in circulating) > -40
            assert max(r.peak_dbfs for r in circulating) <= -20.0 + 0.5  # and limited
            await check.stop_loopback()
            assert not check.loopback_on.value
            await until(lambda: check.verdict.value == NO_SIGNAL, 10, "silence after stop")
        finally:
            await check.stop()

    asyncio.run(body())


def test_record_test_records_five_seconds_and_plays_them_back(sd: ModuleType) -> None:
    async def body() -> None:
        check = AudioCheck(DevicePrefs(), load=lambda: sd)
        readings = Readings(check)
        states: list[str] = []
        check.record_state.subscribe(states.append)
        await check.start()
        try:
            await check.start_tone(700.0, -18.0, "both")
            started = time.monotonic()
            word = await check.record_test(seconds=2.0)
            await check.stop_tone()
            assert word == OK and check.record_verdict.value == OK
            assert states[:3] == ["recording", "playing", ""]
            assert time.monotonic() - started >= 4.0  # 2 s recorded + 2 s played back
            assert readings.levels
        finally:
            await check.stop()

    asyncio.run(body())


def test_unloading_the_sink_mid_stream_falls_back_without_a_crash(sd: ModuleType) -> None:
    """PulseAudio moves our streams to its fallback sink (module-always-sink's auto_null);
    the check keeps metering there: the tone is still measured, nothing raised."""

    async def body() -> None:
        check = AudioCheck(DevicePrefs(), load=lambda: sd)
        readings = Readings(check)
        await check.start()
        try:
            await check.start_tone(1000.0, -12.0, "both")
            await until(lambda: readings.steady_rms(-15.05, 1.0, 3), 10, "the tone")
            await pactl("unload-module", _null_sink_module())
            assert "ci_sink" not in _sinks()
            mark = len(readings.levels)
            await until(lambda: len(readings.levels) > mark + 30, 10,
                        "a second of readings after the unload")
            assert readings.steady_rms(-15.05, 1.0, 10)  # moved together to auto_null
            assert check.tone_on.value and check.available.value
        finally:
            _restore_sink()
            await check.stop()

    try:
        asyncio.run(body())
    finally:
        _restore_sink()


def test_a_device_that_stops_delivering_is_reported_and_reopened(sd: ModuleType) -> None:
    """Suspending the sink silences its monitor like a yanked USB mic: no callbacks."""

    async def body() -> None:
        check = AudioCheck(DevicePrefs(), load=lambda: sd)
        readings = Readings(check)
        messages: list[str] = []
        check.message.subscribe(messages.append)
        await check.start()
        try:
            await until(lambda: len(readings.levels) > 5, 10, "readings")
            await pactl("suspend-sink", "ci_sink", "1")
            await until(lambda: any("stopped sending audio" in m for m in messages), 10,
                        "the stall reported in words")
            await until(lambda: any("re-opened" in m for m in messages), 10, "re-opened")
            await pactl("suspend-sink", "ci_sink", "0")
            mark = len(readings.levels)
            await until(lambda: len(readings.levels) > mark + 10, 15, "readings again")
        finally:
            await pactl("suspend-sink", "ci_sink", "0")
            await check.stop()

    asyncio.run(body())


def test_a_missing_chosen_device_falls_back_to_the_default_on_the_real_list(
        sd: ModuleType) -> None:
    async def body() -> None:
        check = AudioCheck(DevicePrefs(input="USB Headset (unplugged)"), load=lambda: sd)
        await check.start()
        try:
            choice = check.input.value
            assert choice is not None and choice.fell_back and choice.device is not None
            assert choice.device.default
            assert "USB Headset (unplugged)" in check.message.value
            await check.choose_input(choice.device.name)
            assert check.input.value is not None and not check.input.value.fell_back
        finally:
            await check.stop()

    asyncio.run(body())


async def pactl(*args: str) -> None:
    """Off the loop thread, as the app would: the meter keeps being fed meanwhile."""
    await asyncio.to_thread(subprocess.run, ["pactl", *args], check=True)


def _sinks() -> str:
    return subprocess.run(["pactl", "list", "short", "sinks"], capture_output=True,
                          text=True, check=True).stdout


def _null_sink_module() -> str:
    out = subprocess.run(["pactl", "list", "short", "modules"], capture_output=True,
                         text=True, check=True).stdout
    for line in out.splitlines():
        if "module-null-sink" in line and "ci_sink" in line:
            return line.split()[0]
    raise AssertionError(f"ci_sink module not found in:\n{out}")


def _restore_sink() -> None:
    if "ci_sink" not in _sinks():
        subprocess.run(["pactl", "load-module", "module-null-sink", "sink_name=ci_sink",
                        "rate=48000"], check=True, capture_output=True)
    subprocess.run(["pactl", "set-default-sink", "ci_sink"], check=True)
    subprocess.run(["pactl", "set-default-source", "ci_sink.monitor"], check=True)
