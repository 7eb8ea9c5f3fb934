"""Pure signal maths on float32 blocks in [-1, 1]: levels, clipping, tones, limiting.

Levels are dBFS relative to a full-scale *square* wave (0 dBFS RMS = 1.0), the
convention of most meters: a full-scale sine reads -3.01 dBFS RMS, 0 dBFS peak.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Block = npt.NDArray[np.float32]

FLOOR_DBFS = -120.0  # what silence reads: a number, so it can be shown and compared
CLIP_THRESHOLD = 0.999  # a sample this close to full scale counts as clipped


def dbfs(amplitude: float) -> float:
    """20*log10(amplitude), never below ``FLOOR_DBFS`` (silence has a level too)."""
    if amplitude <= 0.0 or not math.isfinite(amplitude):
        return FLOOR_DBFS
    return max(FLOOR_DBFS, 20.0 * math.log10(amplitude))


def amplitude(level_dbfs: float) -> float:
    """Inverse of ``dbfs`` for a peak level."""
    return float(10.0 ** (level_dbfs / 20.0))


def rms(block: npt.ArrayLike) -> float:
    samples = np.asarray(block, dtype=np.float64)
    if samples.size == 0:
        return 0.0
    return float(np.sqrt(np.mean(np.square(samples))))


def peak(block: npt.ArrayLike) -> float:
    samples = np.asarray(block, dtype=np.float64)
    return float(np.max(np.abs(samples))) if samples.size else 0.0


def clipped_samples(block: npt.ArrayLike, threshold: float = CLIP_THRESHOLD) -> int:
    return int(np.count_nonzero(np.abs(np.asarray(block)) >= threshold))


@dataclass(frozen=True)
class Level:
    """One meter reading: what the UI and the verdicts see."""

    rms_dbfs: float
    peak_dbfs: float
    clipped: int  # samples at full scale in this reading
    frames: int

    @property
    def is_clipping(self) -> bool:
        return self.clipped > 0


def measure(block: npt.ArrayLike) -> Level:
    samples = np.asarray(block, dtype=np.float32)
    return Level(dbfs(rms(samples)), dbfs(peak(samples)), clipped_samples(samples),
                 samples.shape[0] if samples.ndim else 0)


def sine_rms_dbfs(peak_amplitude: float) -> float:
    """The RMS level a sine of this peak amplitude reads: 20*log10(A/sqrt 2)."""
    return dbfs(peak_amplitude / math.sqrt(2.0))


class ToneGenerator:
    """A continuous sine, block after block, with no click between blocks.

    ``channels``: which output channels carry the tone (0 = left, 1 = right);
    the others stay silent, for a left/right speaker test.
    """

    def __init__(self, frequency: float, level_dbfs: float, samplerate: int,
                 channels: int = 1, active: tuple[int, ...] = (0,)) -> None:
        if frequency <= 0 or frequency >= samplerate / 2:
            raise ValueError(f"tone frequency {frequency} Hz is outside 0..{samplerate // 2}")
        self.frequency = frequency
        self.level_dbfs = level_dbfs
        self.samplerate = samplerate
        self.channels = channels
        self.active = tuple(c for c in active if 0 <= c < channels) or (0,)
        self._phase = 0.0

    def continuing(self, previous: ToneGenerator) -> ToneGenerator:
        """Start where ``previous`` left off, so a re-tune mid-play does not click."""
        self._phase = previous._phase
        return self

    def next_block(self, frames: int) -> Block:
        step = 2.0 * math.pi * self.frequency / self.samplerate
        phases = self._phase + step * np.arange(frames, dtype=np.float64)
        self._phase = float((self._phase + step * frames) % (2.0 * math.pi))
        wave = (amplitude(self.level_dbfs) * np.sin(phases)).astype(np.float32)
        out = np.zeros((frames, self.channels), dtype=np.float32)
        for channel in self.active:
            out[:, channel] = wave
        return out


def tone(frequency: float, level_dbfs: float, samplerate: int, seconds: float) -> Block:
    """A mono sine of ``seconds`` (frames x 1)."""
    return ToneGenerator(frequency, level_dbfs, samplerate).next_block(
        round(seconds * samplerate))


def limit(block: Block, ceiling_dbfs: float) -> Block:
    """Hard-limit to a ceiling: the loopback can never blast the agent's ears."""
    ceiling = amplitude(ceiling_dbfs)
    return np.clip(block, -ceiling, ceiling).astype(np.float32, copy=False)


def to_channels(block: Block, channels: int) -> Block:
    """Mix down or duplicate (frames x n) to (frames x channels)."""
    if block.ndim == 1:
        block = block[:, None]
    if block.shape[1] == channels:
        return block
    mono = block.mean(axis=1, keepdims=True, dtype=np.float32)
    return np.repeat(mono, channels, axis=1).astype(np.float32, copy=False)
