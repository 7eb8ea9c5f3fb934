"""Hot-plug: a chosen headset that is missing falls back to the default, and is used again
when it returns. PortAudio itself is replaced here (the true boundary): the CI null sink
cannot appear and disappear as a PortAudio device (ALSA lists only "pulse"/"default")."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from agentapp.audio.backend import describe
from agentapp.audio.check import AudioCheck, DevicePrefs


class FakeStream:
    def __init__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs

    def start(self) -> None: ...
    def abort(self) -> None: ...
    def close(self) -> None: ...


class FakePortAudio:
    """What sounddevice reports; ``plugged`` is what a re-initialisation will see."""

    InputStream = FakeStream
    OutputStream = FakeStream

    class default:  # mirrors sounddevice.default
        device = (0, 0)

    def __init__(self) -> None:
        self.plugged = False
        self._seen = False  # PortAudio's list is frozen until re-initialised
        self.reinitialised = 0

    def _initialize(self) -> None:
        self._seen = self.plugged
        self.reinitialised += 1

    def _terminate(self) -> None: ...

    def query_hostapis(self) -> list[dict[str, Any]]:
        return [{"name": "ALSA"}]

    def query_devices(self) -> list[dict[str, Any]]:
        devices = [{"index": 0, "name": "default", "hostapi": 0, "max_input_channels": 2,
                    "max_output_channels": 2, "default_samplerate": 48000.0}]
        if self._seen:
            devices.append({"index": 1, "name": "USB Headset", "hostapi": 0,
                            "max_input_channels": 1, "max_output_channels": 2,
                            "default_samplerate": 48000.0})
        return devices


async def until(predicate: Any, within: float = 5.0) -> None:
    deadline = time.monotonic() + within
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.01)


def test_missing_headset_falls_back_and_comes_back() -> None:
    pa = FakePortAudio()

    async def body() -> None:
        check = AudioCheck(DevicePrefs(input="USB Headset", output="USB Headset"),
                           load=lambda: pa, rescan_s=0.05)  # type: ignore[arg-type,return-value]
        await check.start()
        try:
            assert check.input.value is not None and check.input.value.fell_back
            assert check.input.value.device is not None
            assert check.input.value.device.name == "default"
            assert "“USB Headset” is not connected" in check.message.value
            pa.plugged = True
            await until(lambda: check.input.value is not None
                        and not check.input.value.fell_back)
            assert check.input.value.device is not None
            assert check.input.value.device.name == "USB Headset"
            assert check.output.value is not None and not check.output.value.fell_back
            assert check.message.value == "“USB Headset” is back; using it again."
            rescans = pa.reinitialised
            await asyncio.sleep(0.2)  # all as chosen: no more re-initialising
            assert pa.reinitialised == rescans
        finally:
            await check.stop()

    asyncio.run(body())


def test_portaudio_errors_become_sentences() -> None:
    assert describe(OSError("Device unavailable [PaErrorCode -9985]"), "open the microphone") \
        == ("Could not open the microphone: the device is unavailable (busy in another "
            "program, or unplugged).")
    assert describe(OSError("Invalid device [PaErrorCode -9996]"), "open the speaker") \
        == "Could not open the speaker: the device is no longer available (unplugged?)."
    assert "busy" in describe(OSError("Unanticipated host error"), "open the speaker")
    assert describe(OSError("Invalid sample rate"), "open the speaker").endswith(
        "does not support this format.")
    assert describe(RuntimeError("weird\nsecond line"), "x") == "Could not x: weird"
