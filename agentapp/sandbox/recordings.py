"""Real, small WAV recordings (8 kHz mono 16-bit), generated on request from the id.

Two tones under a syllable-like envelope sound enough like speech for a player
test; the same id always yields the same bytes. A small cache avoids re-rendering
when a client fetches a file twice.
"""

from __future__ import annotations

import io
import wave
from collections import OrderedDict

import numpy as np

SAMPLE_RATE = 8000
SECONDS = 3.0


def render_wav(recordid: int, seconds: float = SECONDS) -> bytes:
    """Deterministic speech-like audio for ``recordid``."""
    rng = np.random.default_rng(recordid)
    t = np.arange(int(SAMPLE_RATE * seconds)) / SAMPLE_RATE
    pitch = 110.0 + (recordid % 7) * 15.0
    voice = np.sin(2 * np.pi * pitch * t) + 0.5 * np.sin(2 * np.pi * pitch * 2.7 * t)
    syllable_rate = 3.0 + float(rng.random()) * 2.0
    envelope = np.clip(np.sin(2 * np.pi * syllable_rate * t), 0.0, None) ** 0.7
    noise = rng.normal(0.0, 0.02, t.size)
    samples = (voice * envelope * 0.3 + noise) * 32767 * 0.8
    pcm = np.clip(samples, -32768, 32767).astype("<i2").tobytes()
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(pcm)
    return buffer.getvalue()


class RecordingCache:
    """Keeps the last few rendered recordings."""

    def __init__(self, size: int = 16) -> None:
        self._size = size
        self._items: OrderedDict[int, bytes] = OrderedDict()

    def get(self, recordid: int) -> bytes:
        data = self._items.get(recordid)
        if data is None:
            data = render_wav(recordid)
            self._items[recordid] = data
            if len(self._items) > self._size:
                self._items.popitem(last=False)
        else:
            self._items.move_to_end(recordid)
        return data
