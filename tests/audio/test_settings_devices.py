"""The Settings dialog's device lists: read from PortAudio off the UI thread, by name."""

from __future__ import annotations

import asyncio
from types import ModuleType

import pytest

from agentapp.audio import backend
from agentapp.audio.errors import AudioUnavailable
from agentapp.qt.settings_sources import audio_device_names


def test_the_virtual_device_is_listed_by_name(sd: ModuleType) -> None:
    inputs, outputs = asyncio.run(audio_device_names(load=lambda: sd))
    assert inputs and outputs
    assert all(isinstance(n, str) and n for n in inputs + outputs)
    everything = [str(d["name"]) for d in sd.query_devices()]
    assert set(inputs) | set(outputs) <= set(everything)


def test_no_portaudio_is_a_sentence_not_a_crash() -> None:
    with pytest.raises(AudioUnavailable, match="PortAudio library is not installed"):
        asyncio.run(audio_device_names(load=lambda: backend.load("tests.audio.no_portaudio")))
