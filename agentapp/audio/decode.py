"""Decode a recording file (MP3 or WAV) to float32 samples with libsndfile.

Why soundfile: its wheels bundle libsndfile >= 1.1, which reads *and writes*
MP3 (mpg123/LAME inside) as well as WAV, for ~3.6 MB; one maintained library
covers playback here and MP3 generation in the sandbox. Blocking: run it in
the executor.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from agentapp.audio.dsp import Block

MAX_CHANNELS = 2


class DecodeError(Exception):
    """The file is not audio we can play; ``str`` is user-facing."""


@dataclass(frozen=True)
class Decoded:
    samples: Block  # frames x channels, float32 in [-1, 1]
    samplerate: int

    @property
    def duration_s(self) -> float:
        return self.samples.shape[0] / self.samplerate if self.samplerate else 0.0


def decode(path: Path) -> Decoded:
    import soundfile

    try:
        samples, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    except (RuntimeError, TypeError, ValueError, soundfile.LibsndfileError) as exc:
        raise DecodeError("This recording could not be played: the file is damaged or "
                          "not in a supported format (MP3 or WAV).") from exc
    if samples.shape[0] == 0:
        raise DecodeError("This recording is empty.")
    if samples.shape[1] > MAX_CHANNELS:
        samples = samples[:, :MAX_CHANNELS]
    return Decoded(np.ascontiguousarray(samples, dtype=np.float32), int(rate))
