"""Call recordings as long as the simulated call, in MP3 (as the provider serves) or WAV.

8 kHz mono telephone audio: two tones under a syllable-like envelope, enough
like speech for a player test, the same bytes for the same id every time.
Rendering a 10-minute call takes ~0.1 s and MP3-encoding it ~1 s (LAME inside
libsndfile, through soundfile), so handlers render in a worker thread and
keep the results in a small byte-bounded cache.
"""

from __future__ import annotations

import io
import threading
import wave
from collections import OrderedDict

import numpy as np
import numpy.typing as npt

SAMPLE_RATE = 8000
MIN_SECONDS = 1
MAX_SECONDS = 1800  # a longer call's recording is cut at 30 minutes (*guess*)
FORMATS = ("mp3", "wav")
CONTENT_TYPES = {"mp3": "audio/mpeg", "wav": "audio/wav"}


def render_pcm(recordid: int, seconds: float) -> npt.NDArray[np.int16]:
    """Deterministic speech-like 16-bit samples for ``recordid``."""
    rng = np.random.default_rng(recordid)
    t = np.arange(int(SAMPLE_RATE * seconds)) / SAMPLE_RATE
    pitch = 110.0 + (recordid % 7) * 15.0
    voice = np.sin(2 * np.pi * pitch * t) + 0.5 * np.sin(2 * np.pi * pitch * 2.7 * t)
    syllable_rate = 3.0 + float(rng.random()) * 2.0
    envelope = np.clip(np.sin(2 * np.pi * syllable_rate * t), 0.0, None) ** 0.7
    noise = rng.normal(0.0, 0.02, t.size)
    samples = (voice * envelope * 0.3 + noise) * 32767 * 0.8
    return np.clip(samples, -32768, 32767).astype(np.int16)


def encode(pcm: npt.NDArray[np.int16], fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "wav":
        with wave.open(buffer, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(SAMPLE_RATE)
            out.writeframes(pcm.astype("<i2").tobytes())
    elif fmt == "mp3":
        import soundfile  # only the MP3 path needs libsndfile

        soundfile.write(buffer, pcm, SAMPLE_RATE, format="MP3")
    else:
        raise ValueError(f"unknown recording format {fmt!r}")
    return buffer.getvalue()


def call_seconds(call_duration: int) -> int:
    """A recording lasts as long as the call (within sane bounds)."""
    return min(MAX_SECONDS, max(MIN_SECONDS, int(call_duration)))


def render(recordid: int, seconds: int, fmt: str) -> bytes:
    return encode(render_pcm(recordid, seconds), fmt)


def render_wav(recordid: int, seconds: float = 3.0) -> bytes:
    return encode(render_pcm(recordid, seconds), "wav")


class RecordingCache:
    """The most recently served recordings, bounded in bytes; safe across worker threads."""

    def __init__(self, max_bytes: int = 64 * 1024 * 1024) -> None:
        self._max_bytes = max_bytes
        self._items: OrderedDict[tuple[int, int, str], bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.renders = 0  # tests check that a second fetch is served from here

    def get(self, recordid: int, seconds: int, fmt: str) -> bytes:
        key = (recordid, seconds, fmt)
        with self._lock:
            data = self._items.get(key)
            if data is not None:
                self._items.move_to_end(key)
                return data
        data = render(recordid, seconds, fmt)  # outside the lock: others keep being served
        with self._lock:
            self.renders += 1
            if key not in self._items:
                self._items[key] = data
                self._size += len(data)
            while self._size > self._max_bytes and len(self._items) > 1:
                _, dropped = self._items.popitem(last=False)
                self._size -= len(dropped)
        return data
